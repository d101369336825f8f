/* stream.h - what stream.c, stream-read.c and stream-write.c share, and no other file */
#ifndef GP_STREAM_H
#define GP_STREAM_H

#include <string.h>

#include "gp.h"

/* Text is scanned 8 bytes at a time: every text segment and the reader's
 * window have GP_SLACK zero bytes after their last string, so that a word
 * read at any byte of a string stays inside the allocation and defined. */
#define GP_SLACK 8
#define GP_ONES 0x0101010101010101ULL
static inline uint64_t
gp_load8(const void *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}
/* the high bit of every byte of x that is 0: exact up to the first such byte */
static inline uint64_t
gp_zero8(uint64_t x)
{
	return (x - GP_ONES) & ~x & (GP_ONES << 7);
}

/* A copy of p[0..n) (no NUL in it) in s's text, NUL-terminated: its handle. */
uint32_t gp_text_add(struct gp_stream *s, const char *p, size_t n);
/* A new empty table of type type (arena memory of s, or its own) appended to s. */
struct gp_table *gp_table_make(struct gp_stream *s, char *type);
/* Room for one more row in every column of t. */
void gp_table_grow(struct gp_table *t);
/* Block b of table t, which holds one handle, made to hold one a row, with
 * handle h at its row i. */
void gp_block_split(const struct gp_table *t, struct gp_block *b, uint32_t i, uint32_t h);

/* gp_block_put makes row i of block b of table t handle h. A block that
 * holds one handle takes the next row of it, or a first one, as a count;
 * what it cannot hold so (another handle, or a gap) makes it hold one a row. */
static inline void
gp_block_put(const struct gp_table *t, struct gp_block *b, uint32_t i, uint32_t h)
{
	if (b->h)
		b->h[i] = h;
	else if (h && i == b->n && (h == b->same || !b->n)) {
		b->same = h;
		b->n++;
	} else if (i < b->n ? h != b->same : h != 0)
		gp_block_split(t, b, i, h);
}
/* gp_table_put makes field c of row r (below t's cap) handle h. */
static inline void
gp_table_put(struct gp_table *t, int c, size_t r, uint32_t h)
{
	gp_block_put(t, &t->val[c][r >> GP_BLOCK_BITS], (uint32_t)(r & (GP_BLOCK - 1)), h);
}
/* Copy what waits in the spool (gp_stream_emit with more set) to standard output. */
void gp_spool_out(void);

#endif
