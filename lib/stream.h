/* stream.h - what stream.c, stream-read.c and stream-write.c share, and no other file */
#ifndef GP_STREAM_H
#define GP_STREAM_H

#include "gp.h"

/* A copy of p[0..n) (no NUL in it) in s's text, NUL-terminated: its handle. */
uint32_t gp_text_add(struct gp_stream *s, const char *p, size_t n);
/* A new empty table of type type (arena memory of s, or its own) appended to s. */
struct gp_table *gp_table_make(struct gp_stream *s, char *type);
/* Room for one more row in every column of t. */
void gp_table_grow(struct gp_table *t);
/* Copy what waits in the spool (gp_stream_emit with more set) to standard output. */
void gp_spool_out(void);

#endif
