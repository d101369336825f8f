/* stream.c - the gp stream in memory: headers, record tables, field text and the numbers written in it */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

static unsigned generation;     /* of the last stream made: the value cache's owner */

/* handle 0: the text of every field not known, "." (and its slack) */
static char unknown[1 + GP_SLACK] = ".";

#define SEGSIZE ((size_t)1 << GP_TEXT_OFFBITS)

void
gp_stream_init(struct gp_stream *s, const char *src)
{
	memset(s, 0, sizeof *s);
	s->src = src;
	s->gen = ++generation;
}

/* the segment table, made when the first table is */
static void
texts(struct gp_stream *s)
{
	if (s->text)
		return;
	s->text = gp_xcalloc(GP_TEXT_SEGS, sizeof *s->text);
	s->text[0] = unknown;
	s->ntext = 1;
	s->tused = s->tsize = 0;
}

/* Field text is copied into segments of 4 MiB, never moved or freed before
 * the stream; a text longer than a quarter of one gets a segment of its own
 * (its handle's offset is 0). Each has GP_SLACK zero bytes after its end. */
uint32_t
gp_text_add(struct gp_stream *s, const char *p, size_t n)
{
	uint32_t h;
	char *q;

	texts(s);
	if (s->tused + n + 1 > s->tsize) {
		size_t size = n + 1 > SEGSIZE / 4 ? n + 1 : SEGSIZE;

		if (s->ntext == GP_TEXT_SEGS)
			gp_die("%s: more than %d MiB of text in one stream", s->src,
			    (int)(GP_TEXT_SEGS * (SEGSIZE >> 20)));
		s->text[s->ntext++] = gp_xcalloc(1, size + GP_SLACK);
		s->tused = 0;
		s->tsize = size;
	}
	q = s->text[s->ntext - 1] + s->tused;
	memcpy(q, p, n);
	q[n] = '\0';
	h = (uint32_t)(s->ntext - 1) << GP_TEXT_OFFBITS | (uint32_t)s->tused;
	s->tused += n + 1;
	return h;
}

/* blocks: how many blocks cover rows rows */
static size_t
blocks(size_t rows)
{
	return (rows + GP_BLOCK - 1) >> GP_BLOCK_BITS;
}

static void
table_free(struct gp_table *t)
{
	size_t k;
	int c;

	for (c = 0; c < t->ncol; c++) {
		for (k = 0; k < blocks(t->cap); k++)
			free(t->val[c][k].h);
		free(t->val[c]);
	}
	free(t->val);
	free(t->col);
	free(t->last);
	free(t->raw);
}

void
gp_stream_release(struct gp_stream *s)
{
	int i;

	for (i = 0; i < s->ntab; i++)
		table_free(s->tab[i]);
	free(s->tab);
	free(s->hdr);
	free(s->buf);
	for (i = 1; s->text && i < s->ntext; i++)
		free(s->text[i]);
	free(s->text);
	gp_arena_release(&s->arena);
	memset(s, 0, sizeof *s);
}

const char *
gp_hdr_get(const struct gp_stream *s, const char *key)
{
	int i;

	for (i = 0; i < s->nhdr; i++)
		if (strcmp(s->hdr[i].key, key) == 0)
			return s->hdr[i].val;
	return NULL;
}

const char *
gp_hdr_field(struct gp_stream *s, const char *key, const char *name)
{
	const char *h = gp_hdr_get(s, key), *p;
	size_t n = strlen(name);

	for (p = h; p && *p; p += strcspn(p, "\t"), p += *p == '\t') {
		if (!strncmp(p, name, n) && p[n] == '=')
			return gp_arena_strndup(&s->arena, p + n + 1, strcspn(p + n + 1, "\t"));
	}
	return NULL;
}

void
gp_hdr_add(struct gp_stream *s, const char *key, const char *val)
{
	if (s->nhdr == s->caphdr) {
		s->caphdr = s->caphdr ? 2 * s->caphdr : 16;
		s->hdr = gp_xreallocarray(s->hdr, (size_t)s->caphdr, sizeof *s->hdr);
	}
	s->hdr[s->nhdr].key = gp_arena_strdup(&s->arena, key);
	s->hdr[s->nhdr].val = gp_arena_strdup(&s->arena, val);
	s->nhdr++;
}

void
gp_hdr_set(struct gp_stream *s, const char *key, const char *val)
{
	int i;

	for (i = 0; i < s->nhdr; i++) {
		if (strcmp(s->hdr[i].key, key) == 0) {
			s->hdr[i].val = gp_arena_strdup(&s->arena, val);
			return;
		}
	}
	gp_hdr_add(s, key, val);
}

void
gp_hdr_drop(struct gp_stream *s, const char *key)
{
	int i, k = 0;

	for (i = 0; i < s->nhdr; i++)
		if (strcmp(s->hdr[i].key, key) != 0)
			s->hdr[k++] = s->hdr[i];
	s->nhdr = k;
}

struct gp_table *
gp_table_find(const struct gp_stream *s, const char *type)
{
	int i;

	for (i = 0; i < s->ntab; i++)
		if (strcmp(s->tab[i]->type, type) == 0)
			return s->tab[i];
	return NULL;
}

void
gp_table_drop(struct gp_stream *s, const char *type)
{
	int i;

	for (i = 0; i < s->ntab; i++) {
		struct gp_table *t = s->tab[i];

		if (strcmp(t->type, type) != 0)
			continue;
		table_free(t);
		memmove(s->tab + i, s->tab + i + 1, (size_t)(s->ntab - i - 1) * sizeof *s->tab);
		s->ntab--;
		return;
	}
}

int
gp_table_col(const struct gp_table *t, const char *name)
{
	int c;

	for (c = 0; c < t->ncol; c++)
		if (strcmp(t->col[c], name) == 0)
			return c;
	return -1;
}

int
gp_table_need(const struct gp_stream *s, const struct gp_table *t, const char *name)
{
	int c = gp_table_col(t, name);

	if (c < 0)
		gp_die("%s: the #%s header has no '%s' column", s->src, t->type, name);
	return c;
}

int
gp_table_addcol(struct gp_stream *s, struct gp_table *t, const char *name)
{
	int c = gp_table_col(t, name);

	if (c >= 0)
		return c;
	t->col = gp_xreallocarray(t->col, (size_t)t->ncol + 1, sizeof *t->col);
	t->val = gp_xreallocarray(t->val, (size_t)t->ncol + 1, sizeof *t->val);
	t->col[t->ncol] = gp_arena_strdup(&s->arena, name);
	t->val[t->ncol] = gp_xcalloc(blocks(t->cap) ? blocks(t->cap) : 1, sizeof **t->val);  /* every row "." */
	return t->ncol++;
}

struct gp_table *
gp_table_make(struct gp_stream *s, char *type)
{
	struct gp_table *t = gp_arena_alloc(&s->arena, sizeof *t);

	texts(s);
	memset(t, 0, sizeof *t);
	t->type = type;
	t->text = s->text;
	if (s->ntab == s->captab) {
		s->captab = s->captab ? 2 * s->captab : 8;
		s->tab = gp_xreallocarray(s->tab, (size_t)s->captab, sizeof *s->tab);
	}
	s->tab[s->ntab++] = t;
	return t;
}

struct gp_table *
gp_table_new(struct gp_stream *s, const char *type, const char *const *cols)
{
	struct gp_table *t = gp_table_make(s, gp_arena_strdup(&s->arena, type));

	for (; *cols; cols++)
		gp_table_addcol(s, t, *cols);
	return t;
}

/* A table's capacity doubles from 8 rows; while it is under a block, its
 * one block holds a handle a row for its capacity only, so that a table of a
 * few rows and many columns stays small. */
void
gp_table_grow(struct gp_table *t)
{
	size_t cap, nb, ob = blocks(t->cap);
	int c;

	if (t->nrow < t->cap)
		return;
	cap = t->cap ? 2 * t->cap : 8;
	nb = blocks(cap);
	for (c = 0; c < t->ncol; c++) {
		struct gp_block *b = t->val[c];

		if (nb > ob) {
			b = gp_xreallocarray(b, nb, sizeof *b);
			memset(b + ob, 0, (nb - ob) * sizeof *b);
			t->val[c] = b;
		}
		if (ob && t->cap < GP_BLOCK && b[0].h) {
			size_t n = cap < GP_BLOCK ? cap : GP_BLOCK;

			b[0].h = gp_xreallocarray(b[0].h, n, sizeof *b[0].h);
			memset(b[0].h + t->cap, 0, (n - t->cap) * sizeof *b[0].h);
		}
	}
	t->cap = cap;
}

void
gp_block_split(const struct gp_table *t, struct gp_block *b, uint32_t i, uint32_t h)
{
	size_t n = t->cap < GP_BLOCK ? t->cap : GP_BLOCK, k;

	b->h = gp_xreallocarray(NULL, n, sizeof *b->h);
	for (k = 0; k < b->n; k++)
		b->h[k] = b->same;
	memset(b->h + k, 0, (n - k) * sizeof *b->h);
	b->h[i] = h;
}

size_t
gp_table_addrow(struct gp_stream *s, struct gp_table *t)
{
	uint32_t i;
	int c;

	(void)s;
	gp_table_grow(t);
	/* the new row is "." in every column (a row begun and not finished,
	 * which reading dies of, may have left fields in it) */
	i = (uint32_t)(t->nrow & (GP_BLOCK - 1));
	for (c = 0; c < t->ncol; c++) {
		struct gp_block *b = &t->val[c][t->nrow >> GP_BLOCK_BITS];

		if (b->h)
			b->h[i] = 0;
		else if (b->n > i)
			b->n = i;
	}
	return t->nrow++;
}

/* Values set are copied into the stream's text; short ones are looked up
 * first in a small cache of those copied, since filters set the same few
 * values ("0", "float32", "relu", "[1,16]") on every row: a million rows need
 * not hold a million copies. An entry belongs to the stream of its
 * generation (a number no other stream has), so a stream gone needs no
 * clearing of its entries. */
#define NCACHE 4096
#define CACHED 24               /* the longest value cached */
static struct {
	unsigned gen;
	uint32_t h;
	size_t n;
} cache[NCACHE];

void
gp_table_setn(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	if (!n || (n == 1 && *text == '.')) {
		gp_table_put(t, col, row, 0);
		return;
	}
	if (row > 0) {
		/* the same as the field above it, as it mostly is: a word at a
		 * time while text has 8 more bytes (up, shorter, differs before
		 * its NUL, which its slack follows), then byte by byte */
		const char *up = gp_val(t, col, row - 1);

		for (i = 0; i + 8 <= n && gp_load8(up + i) == gp_load8(text + i); i += 8)
			;
		for (; i < n && up[i] == text[i]; i++)
			;
		if (i == n && up[n] == '\0') {
			gp_table_put(t, col, row, gp_handle(t, col, row - 1));
			return;
		}
	}
	if (n > CACHED) {
		gp_table_put(t, col, row, gp_text_add(s, text, n));
		return;
	}
	if (!s->gen)
		s->gen = ++generation;  /* a stream never given to gp_stream_init */
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)text[i]) * 16777619u;
	h &= NCACHE - 1;
	if (cache[h].gen != s->gen || cache[h].n != n ||
	    memcmp(s->text[cache[h].h >> GP_TEXT_OFFBITS] + (cache[h].h & (SEGSIZE - 1)), text, n) != 0) {
		cache[h].h = gp_text_add(s, text, n);
		cache[h].gen = s->gen;
		cache[h].n = n;
	}
	gp_table_put(t, col, row, cache[h].h);
}

void
gp_table_set(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text)
{
	gp_table_setn(s, t, col, row, text, strlen(text));
}

void
gp_table_share(struct gp_table *t, int col, size_t row, const struct gp_table *from, int fcol, size_t frow)
{
	gp_table_put(t, col, row, gp_handle(from, fcol, frow));
}

/* A count set is mostly the one set last in its column (a batch, a 0, a
 * chain's same kernel): each column number (mod 64) remembers its last
 * count's text, a handle of its stream's, and a count equal to it takes the
 * handle without being written out and looked up again */
static struct {
	unsigned gen;
	uint32_t h;
	int64_t v;
} lastcount[64];

void
gp_table_set_count(struct gp_stream *s, struct gp_table *t, int col, size_t row, int64_t v)
{
	char text[24], *p = text + sizeof text;
	int k = col & 63;
	int64_t x = v;

	if (v < 0) {
		gp_table_put(t, col, row, 0);
		return;
	}
	if (!s->gen)
		s->gen = ++generation;  /* a stream never given to gp_stream_init */
	if (lastcount[k].gen == s->gen && lastcount[k].v == v) {
		gp_table_put(t, col, row, lastcount[k].h);
		return;
	}
	do
		*--p = (char)('0' + x % 10);
	while (x /= 10);
	gp_table_setn(s, t, col, row, p, (size_t)(text + sizeof text - p));
	lastcount[k].gen = s->gen;
	lastcount[k].h = gp_handle(t, col, row);
	lastcount[k].v = v;
}

/* fmt_g writes v >= 0 as printf's "%.*g" does with prec (1 to 6) significant
 * digits into buf (32 bytes) and returns the length. The digits are v scaled
 * by an exact power of ten and rounded: with at most 6 digits before the
 * point the scaled double is within 2e-10 of the exact value, so unless it is
 * within 1e-9 of a tie it rounds as printf does; when it is, or the power is
 * not exact, snprintf decides. printf was most of gp-roofline's time. */
static int
fmt_g(char *buf, double v, int prec)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
		1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	char dig[8];
	double x, f, l;
	uint64_t m, bits;
	int e, k, n = 0, i, nd;

	if (!(v > 0) || !isfinite(v) || prec < 1 || prec > 6)
		goto slow;
	memcpy(&bits, &v, sizeof bits);
	if (!(bits >> 52))
		goto slow;                      /* subnormal */
	l = ((int)(bits >> 52) - 1023) * 0.30102999566398120;
	e = (int)l - (l < (int)l);              /* floor(log10(v)), or one less */
	for (i = 0; i < 3; i++) {
		k = prec - 1 - e;               /* x = v * 10^k has prec digits before the point */
		if (k > 22 || k < -22)
			goto slow;
		x = k >= 0 ? v * p10[k] : v / p10[-k];
		if (x >= p10[prec])
			e++;
		else if (x < p10[prec - 1])
			e--;
		else
			break;
	}
	if (i == 3)
		goto slow;
	m = (uint64_t)x;                        /* x < 10^6: the cast is floor */
	f = x - (double)m;
	if (f > 0.5 - 1e-9 && f < 0.5 + 1e-9)
		goto slow;                      /* too near a tie to trust */
	m += f > 0.5;
	if (m >= (uint64_t)p10[prec]) {         /* 9.9999995 -> 10.00000 */
		m /= 10;
		e++;
	}
	for (nd = prec; nd > 0; m /= 10)
		dig[--nd] = (char)('0' + m % 10);
	for (nd = prec; nd > 1 && dig[nd - 1] == '0'; nd--)
		;                               /* %g drops trailing zeros */
	if (e < -4 || e >= prec) {
		buf[n++] = dig[0];
		if (nd > 1) {
			buf[n++] = '.';
			for (i = 1; i < nd; i++)
				buf[n++] = dig[i];
		}
		buf[n++] = 'e';
		buf[n++] = e < 0 ? '-' : '+';
		e = e < 0 ? -e : e;
		if (e >= 100)
			buf[n++] = (char)('0' + e / 100);
		buf[n++] = (char)('0' + e / 10 % 10);
		buf[n++] = (char)('0' + e % 10);
		buf[n] = '\0';
		return n;
	}
	if (e < 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (i = -1; i > e; i--)
			buf[n++] = '0';
		for (i = 0; i < nd; i++)
			buf[n++] = dig[i];
	} else {
		for (i = 0; i <= e; i++)
			buf[n++] = dig[i];
		if (nd > e + 1) {
			buf[n++] = '.';
			for (; i < nd; i++)
				buf[n++] = dig[i];
		}
	}
	buf[n] = '\0';
	return n;
slow:
	return snprintf(buf, 32, "%.*g", prec, v);
}

void
gp_fmt_num(struct gp_buf *b, double v, int digits)
{
	char text[32];

	if (v < 0 || !isfinite(v))
		gp_buf_addc(b, '.');
	else if (digits <= 0)
		gp_fmt_double(b, v);
	else
		gp_buf_add(b, text, (size_t)fmt_g(text, v, digits));
}

void
gp_fmt_count(struct gp_buf *b, int64_t v)
{
	char text[24], *p = text + sizeof text;

	if (v < 0) {
		gp_buf_addc(b, '.');
		return;
	}
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	gp_buf_add(b, p, (size_t)(text + sizeof text - p));
}

void
gp_table_set_g(struct gp_stream *s, struct gp_table *t, int col, size_t row, double v, int prec)
{
	/* the texts of the numbers written last: a column of equal values, or a
	 * few values again and again, is formatted once */
	static struct {
		uint64_t bits;
		int prec, n;
		char text[32];
	} memo[256];
	uint64_t bits, h;

	if (v < 0 || !isfinite(v)) {
		gp_table_put(t, col, row, 0);
		return;
	}
	memcpy(&bits, &v, sizeof bits);
	h = (bits ^ (bits >> 29) ^ (uint64_t)prec) * 0x9e3779b97f4a7c15ULL >> 56;
	if (memo[h].bits != bits || memo[h].prec != prec || !memo[h].n) {
		memo[h].bits = bits;
		memo[h].prec = prec;
		memo[h].n = fmt_g(memo[h].text, v, prec);
	}
	gp_table_setn(s, t, col, row, memo[h].text, (size_t)memo[h].n);
}

int
gp_split_list(struct gp_arena *a, const char *field, char ***out)
{
	size_t n = 1, i, k, start;
	const char *p;
	char **v;

	*out = NULL;
	if (strcmp(field, ".") == 0)
		return 0;
	for (p = field; *p; p++)
		n += *p == ',';
	v = gp_arena_alloc(a, n * sizeof *v);
	for (k = 0, i = start = 0;; i++) {
		if (field[i] == ',' || field[i] == '\0') {
			v[k] = gp_unesc(a, field + start, i - start);
			if (!v[k])
				return -1;
			k++;
			start = i + 1;
			if (field[i] == '\0')
				break;
		}
	}
	*out = v;
	return (int)n;
}
