/* stream-read.c - reading the gp stream: the input a block at a time, each line cut into fields (or kept whole, for a table not asked for), their text kept in the stream */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

/* The input is read into a window of BLOCK bytes (more only for a longer
 * line), small enough that what is read is still in the cache when it is
 * parsed: a megabyte was slower. Each line in it is cut into fields whose
 * text is copied into the stream (gp_text_add), or shared: "." is handle 0,
 * and a field equal to the one above it in its column is the same text. So
 * memory is at most 4 bytes a field (a run of one handle is held once) and
 * the distinct text, not the input. Any flaw is fatal: a filter never works
 * on a stream it could not read whole. */

#define BLOCK ((size_t)1 << 17)

/* gp_stream_lazy's types: the tables cut into fields as they are read; and
 * whether the lines of the others are kept */
static const char *const *eager;
static int keeping = 1;

void
gp_stream_lazy(const char *const *types, int keep)
{
	eager = types;
	keeping = keep;
}

/* lazy: whether a table of type type is kept as lines */
static int
lazy(const char *type)
{
	const char *const *e;

	if (!eager)
		return 0;
	for (e = eager; *e; e++)
		if (strcmp(*e, type) == 0)
			return 0;
	return 1;
}

/* the bytes that end a field */
static const char stop[256] = {['\0'] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

/* head checks the first line, read so far into p[0..n) (up to its newline,
 * or a byte that cannot start a gp stream, or 32 bytes): an input that is no
 * gp stream (/dev/zero, `yes`) is refused before more of it is read. */
static void
head(const struct gp_input *in, const char *p, size_t n)
{
	static const char magic[] = "##gp\t" GP_STREAM_VERSION "\n";
	size_t v = n > 5 ? strcspn(p + 5, "\r\n") : 0;

	if (n == sizeof magic - 1 && memcmp(p, magic, n) == 0)
		return;
	if (n < 5 || memcmp(p, magic, 5) != 0)
		gp_die("%s: not a gp stream (the first line is not '##gp<TAB>%s')", in->src, GP_STREAM_VERSION);
	if (p[5 + v] == '\r')
		gp_die("%s: line 1: carriage return in line (CRLF line endings?)", in->src);
	gp_die("%s: gp stream version '%.*s' is not supported (this gp reads %s)",
	    in->src, v < 20 ? (int)v : 20, p + 5, GP_STREAM_VERSION);
}

/* room in the window for want more bytes after what is unparsed, which
 * moves to its start; the stream that owns the window (in->give) follows it.
 * The window ends with a NUL and GP_SLACK more zero bytes. */
static void
room(struct gp_input *in, struct gp_stream *s, size_t want)
{
	size_t left = in->len - in->pos, need = left + want + 1 + GP_SLACK;

	if (in->pos) {
		memmove(in->buf, in->buf + in->pos, left);
		in->len = left;
		in->pos = 0;
	}
	if (need > in->cap) {
		in->cap = need > 2 * in->cap ? need : 2 * in->cap;
		in->buf = gp_xrealloc(in->buf, in->cap);
		if (in->given)
			s->buf = in->buf;
	}
	memset(in->buf + in->len, 0, 1 + GP_SLACK);
}

/* fill reads the next block of the input into the window, which then holds
 * BLOCK bytes, or twice what was unparsed when that is over half of it (a
 * long line); 0 at the end of the input.
 * The first bytes are read one at a time up to the first newline (fread
 * would wait for a whole block) and checked by head. Dies on a read error,
 * a NUL byte, or an empty input. */
static int
fill(struct gp_input *in, struct gp_stream *s)
{
	size_t n, at, left = in->len - in->pos;
	int c = 0;

	if (in->eof)
		return 0;
	room(in, s, left < BLOCK / 2 ? BLOCK - left : left);
	at = in->len;
	if (!in->n && !in->line && !at) {
		while (in->len < 32 && (c = getc(in->f)) != EOF) {
			in->buf[in->len++] = (char)c;
			if (c == '\n' || (in->len <= 5 && c != "##gp\t"[in->len - 1]))
				break;
		}
		in->buf[in->len] = '\0';
		if (c != EOF)
			head(in, in->buf, in->len);     /* else the whole input is there to parse */
	}
	n = fread(in->buf + in->len, 1, in->cap - in->len - 1 - GP_SLACK, in->f);
	in->len += n;
	memset(in->buf + in->len, 0, 1 + GP_SLACK);
	if (n == 0) {
		if (ferror(in->f))
			gp_die("%s: read error:", in->src);
		in->eof = 1;
	}
	if (in->len == 0 && in->eof && !in->n && !in->line)
		gp_die("%s: empty input, not a gp stream", in->src);
	if (memchr(in->buf + at, '\0', in->len - at))
		gp_die("%s: NUL byte in input, not a gp stream", in->src);
	return in->len > at;
}

/* whole: one past the last newline in the unparsed part of the window, or
 * in->pos if it has none: the lines before it are there whole */
static size_t
whole(const struct gp_input *in)
{
	size_t e = in->len;

	while (e > in->pos && in->buf[e - 1] != '\n')
		e--;
	return e;
}

/* nextline: the next line, at in->buf + in->pos, *n bytes long and followed by
 * its newline, or by the end of the input when *nl is 0; NULL when nothing is
 * left. The window holds it until the next call; if it moved, *end is where
 * its whole lines end now (whole). */
static char *
nextline(struct gp_input *in, struct gp_stream *s, size_t *n, int *nl, size_t *end)
{
	size_t from = in->pos;
	char *e;

	for (;;) {
		if ((e = memchr(in->buf + from, '\n', in->len - from))) {
			*n = (size_t)(e - (in->buf + in->pos));
			*nl = 1;
			return in->buf + in->pos;
		}
		from = in->len - in->pos;       /* where the search goes on once the window moves */
		if (!fill(in, s)) {
			*end = in->pos;
			if (in->pos == in->len)
				return NULL;
			*n = in->len - in->pos;
			*nl = 0;
			return in->buf + in->pos;
		}
		*end = whole(in);
	}
}

/* peek: at least k bytes unparsed in the window, or all that is left */
static void
peek(struct gp_input *in, struct gp_stream *s, size_t k)
{
	while (in->len - in->pos < k && fill(in, s))
		;
}

/* once: whether a header key may appear only once in a stream (docs/format.md);
 * opset, metadata, prog and keys gp does not know may repeat */
static int
once(const char *key)
{
	static const char *const keys[] = {
		"source", "source_bytes", "source_sha256", "graph_sha256", "ir_version", "producer",
		"model_domain", "model_version", "sweep", "partition", "concur", "roofline",
	};
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* twice: a column name t has twice, or NULL; sorted when there are many,
 * so that a header of a million columns costs O(n log n), not O(n^2) */
static const char *
twice(struct gp_stream *s, const struct gp_table *t)
{
	char **v;
	int i, j;

	if (t->ncol <= 16) {
		for (i = 1; i < t->ncol; i++)
			for (j = 0; j < i; j++)
				if (strcmp(t->col[i], t->col[j]) == 0)
					return t->col[i];
		return NULL;
	}
	v = gp_arena_alloc(&s->arena, (size_t)t->ncol * sizeof *v);
	memcpy(v, t->col, (size_t)t->ncol * sizeof *v);
	qsort(v, (size_t)t->ncol, sizeof *v, cmpstr);
	for (i = 1; i < t->ncol; i++)
		if (strcmp(v[i], v[i - 1]) == 0)
			return v[i];
	return NULL;
}

#define READERR(...) do { \
	char m_[256]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: line %zu: %s", s->src, in->line + lineno, m_); } while (0)

/* the first n bytes of a word (n <= 8), the rest 0 */
static const uint64_t low[9] = {
	0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffffULL, 0xffffffffffffULL,
	0xffffffffffffffULL, ~0ULL,
};

/* the high bit of every byte of x below '\r' + 1 (every byte that may end a
 * field, and a few other control bytes): exact up to the first such byte */
static inline uint64_t
ctl8(uint64_t x)
{
	return (x - GP_ONES * ('\r' + 1)) & ~x & (GP_ONES << 7);
}

/* same: whether the string up is f[0..n), n >= 8, read a word at a time (both have slack) */
static int
same(const char *up, const char *f, size_t n)
{
	for (; n >= 8; n -= 8, up += 8, f += 8)
		if (gp_load8(up) != gp_load8(f))
			return 0;
	/* the last n < 8 bytes, and the NUL that ends up after them */
	return (gp_load8(up) & low[n + 1]) == (gp_load8(f) & low[n]);
}

/* keep copies the field f[0..n) into s's text as gp_text_add does, a word
 * at a time when it fits in the segment in use: the window's slack lets f
 * be read up to 7 bytes past its end, and the segment's lets the last word,
 * whose bytes past the field are 0 (its NUL and the slack), be stored whole. */
static inline uint32_t
keep(struct gp_stream *s, const char *f, size_t n)
{
	uint64_t w;
	uint32_t h;
	char *q;

	if (n > 64 || s->tused + n + 1 > s->tsize)
		return gp_text_add(s, f, n);
	h = (uint32_t)(s->ntext - 1) << GP_TEXT_OFFBITS | (uint32_t)s->tused;
	q = s->text[s->ntext - 1] + s->tused;
	s->tused += n + 1;
	for (; n >= 8; n -= 8, q += 8, f += 8)
		memcpy(q, f, 8);
	w = gp_load8(f) & low[n];
	memcpy(q, &w, 8);
	return h;
}

/* record stores the fields of a record of table t, from q (after its type
 * and tab) to the line's newline, as t's next row, and returns the start of
 * the next line; NULL (and no row) if the line has a flaw, which parse's
 * checks then name. Each field is passed over once: its end is found a word
 * at a time (a control byte that ends no field is passed over), and a field
 * shorter than a word is that one word, masked, compared with the field
 * above and copied. "." is handle 0, a field equal to the one above it
 * shares its handle (gp_table_put), any other is copied (keep). Every window
 * ends in a NUL (and no other NUL is in it), so the scan stops inside the
 * window whatever the line holds. */
static const char *
record(struct gp_stream *s, struct gp_table *t, const char *q)
{
	size_t r = t->nrow, n, blk = r >> GP_BLOCK_BITS;
	uint64_t m, w;
	uint32_t h, i = (uint32_t)(r & (GP_BLOCK - 1));
	int c, ncol = t->ncol;
	char *const *text = t->text;    /* (a copy may change the segments, not this table of them) */
	uint32_t *last = t->last;
	struct gp_block **val;

	if (r == t->cap)
		gp_table_grow(t);
	val = t->val;                   /* (in locals: a store might be to t, as far as the compiler knows) */
	for (c = 0;; c++) {
		const char *f = q, *up;
		struct gp_block *b;     /* (the column's block of row r) */

		if (c >= ncol)
			return NULL;
		for (;;) {
			if (!(m = ctl8(gp_load8(q)))) {
				q += 8;
				continue;
			}
			q += __builtin_ctzll(m) >> 3;
			if (stop[(unsigned char)*q])
				break;
			q++;
		}
		if (!(n = (size_t)(q - f)))
			return NULL;
		h = last[c];                    /* the field above, "." for none */
		up = text[h >> GP_TEXT_OFFBITS] + (h & ((1u << GP_TEXT_OFFBITS) - 1));
		if (n < 8) {
			w = gp_load8(f) & low[n];
			if (w == '.')
				h = 0;
			else if ((gp_load8(up) & low[n + 1]) != w)
				h = keep(s, f, n);
		} else if (!same(up, f, n)) {
			h = keep(s, f, n);
		}
		last[c] = h;
		b = &val[c][blk];
		gp_block_put(t, b, i, h);
		if (*q != '\t')
			break;
		q++;
	}
	if (*q != '\n' || c + 1 != ncol)
		return NULL;
	t->nrow++;
	return q + 1;
}

/* the high bit of every byte of x equal to c, exactly */
static inline uint64_t
eq8(uint64_t x, unsigned char c)
{
	const uint64_t low7 = GP_ONES * 0x7f;

	x ^= GP_ONES * c;
	return ~(((x & low7) + low7) | x) & (GP_ONES << 7);
}

/* valid: the length of the record at q (after its type and tab) with its
 * newline when it has ncol fields, none empty, and no carriage return; 0 if
 * not, which parse's checks then name. What record checks, a word at a time
 * without cutting the fields, for a table kept as lines. */
static size_t
valid(const char *q, int ncol)
{
	const char *p;
	uint64_t w, t, nl, below, before = 1;   /* the byte before: a tab or the start */
	long tabs = 0;

	for (p = q;; p += 8) {
		w = gp_load8(p);
		t = eq8(w, '\t');
		nl = eq8(w, '\n');
		nl &= -nl;                      /* the first newline */
		below = nl ? nl - 1 : ~0ULL;    /* the bytes before it */
		t &= below;
		if (eq8(w, '\r') & below)
			return 0;
		/* a tab or the newline right after a tab or the start: an empty field */
		if ((t | nl) & (t << 8 | (before ? 0x80 : 0)))
			return 0;
		tabs += (long)((t >> 7) * GP_ONES >> 56);     /* (its bytes' count: no popcount call) */
		if (nl)
			return tabs == ncol - 1 ? (size_t)(p - q) + (__builtin_ctzll(nl) >> 3) + 1 : 0;
		before = t >> 63;
	}
}

/* keepline: line[0..n), a whole line of table t, appended to its lines */
static void
keepline(struct gp_table *t, const char *line, size_t n)
{
	if (t->skipped) {
		t->nrow++;
		return;
	}
	if (t->rawlen + n + 1 + GP_SLACK > t->rawcap) {
		t->rawcap = 2 * t->rawcap > t->rawlen + n + 1 + GP_SLACK ? 2 * t->rawcap :
		    t->rawlen + n + 1 + GP_SLACK;
		t->raw = gp_xrealloc(t->raw, t->rawcap);
	}
	memcpy(t->raw + t->rawlen, line, n);
	t->rawlen += n;
	t->nrow++;
}

/* cut: the lines of table t, kept as they were read, cut into its fields */
static void
cut(struct gp_stream *s, struct gp_table *t)
{
	char *raw = t->raw;
	const char *q = raw;
	size_t n = t->nrow, tl = strlen(t->type);

	memset(raw + t->rawlen, 0, 1 + GP_SLACK);       /* (the slack record reads in) */
	t->raw = NULL;
	t->nrow = 0;
	while (t->nrow < n)
		if (!(q = record(s, t, q + tl + 1)))
			gp_die("%s: a %s record read before cannot be cut into its fields", s->src, t->type);
	free(raw);
	t->rawlen = t->rawcap = 0;
}

/* (gp_table_get is here, beside cut, which it calls) */
struct gp_table *
gp_table_get(const struct gp_stream *s, const char *type)
{
	struct gp_table *t = gp_table_find(s, type);

	if (t && t->skipped)
		gp_die("%s: the %s records were passed over, not kept (gp_stream_lazy)", s->src, type);
	/* (every stream is made writable; a table kept as lines is the same
	 * stream cut into fields, once) */
	if (t && t->raw)
		cut((struct gp_stream *)s, t);
	return t;
}

/* lead: the first bytes of a line of a type tlen bytes long, as a word: the
 * type and its tab, or the type's first 8 bytes */
static inline uint64_t
lead(const char *line, size_t tlen)
{
	return gp_load8(line) & low[tlen < 8 ? tlen + 1 : 8];
}

/* typed: whether line, which has a newline, starts with type (tlen bytes,
 * whose lead is key) and a tab */
static inline int
typed(const char *line, const char *type, size_t tlen, uint64_t key)
{
	size_t i;

	if (lead(line, tlen) != key)
		return 0;
	for (i = 8; i < tlen && line[i] == type[i]; i++)
		;
	return tlen < 8 || (i == tlen && line[i] == '\t');
}

/* parse one stream from the input, whose next line is line in->line + 1,
 * up to and with its ##end line; in->line and in->pos move past it. A record
 * of the type of the one before, the most common line, is read in one pass
 * (record) while the window holds it whole; any other line is cut at its
 * tabs first and checked field by field. */
static void
parse(struct gp_input *in, struct gp_stream *s)
{
	size_t lineno = 1, nrec = 0, n = 0, *len = NULL, tlen = 0, end = whole(in);
	uint64_t key = 0;
	char *line, *q, **fld = NULL;
	const char *next;
	int maxf = 0, nf, i, nl, first = 1, seen_rec = 0;
	struct gp_table *t, *last = NULL;
	const char *dup;

	for (;; in->pos += n + 1, in->line++, first = 0) {
		while (last && in->pos < end) {
			line = in->buf + in->pos;
			if (line[0] == '#' || !typed(line, last->type, tlen, key))
				break;
			if (last->raw) {
				size_t k = valid(line + tlen + 1, last->ncol);

				if (!k)
					break;
				keepline(last, line, tlen + 1 + k);
				next = line + tlen + 1 + k;
			} else if (!(next = record(s, last, line + tlen + 1))) {
				break;
			}
			in->pos = (size_t)(next - in->buf);
			in->line++;
			nrec++;
		}
		if (!(line = nextline(in, s, &n, &nl, &end)))
			gp_die("%s: truncated stream: no ##end line", s->src);
		nf = 0;
		for (q = line;; q++) {
			if (nf == maxf) {
				char **f2 = gp_arena_alloc(&s->arena, (size_t)(2 * maxf + 16) * sizeof *f2);
				size_t *l2 = gp_arena_alloc(&s->arena, (size_t)(2 * maxf + 16) * sizeof *l2);

				if (maxf) {
					memcpy(f2, fld, (size_t)maxf * sizeof *f2);
					memcpy(l2, len, (size_t)maxf * sizeof *l2);
				}
				fld = f2;
				len = l2;
				maxf = 2 * maxf + 16;
			}
			fld[nf] = q;
			while (!stop[(unsigned char)*q])
				q++;
			len[nf] = (size_t)(q - fld[nf]);
			nf++;
			if (*q != '\t')
				break;
		}
		if (*q == '\r')
			READERR("carriage return in line (CRLF line endings?)");
		if (!nl)
			READERR("truncated stream: last line has no newline");
		if (first) {
			line[n] = '\0';
			if (strncmp(line, "##gp\t", 5) != 0)
				gp_die("%s: not a gp stream (the first line is not '##gp<TAB>%s')",
				    s->src, GP_STREAM_VERSION);
			if (strcmp(line + 5, GP_STREAM_VERSION) != 0)
				gp_die("%s: gp stream version '%.20s' is not supported (this gp reads %s)",
				    s->src, line + 5, GP_STREAM_VERSION);
			continue;
		}
		if (line[0] == '#' && line[1] == '#') {
			if (len[0] == 2)
				READERR("header line with no key");
			if (len[0] == 5 && memcmp(fld[0] + 2, "end", 3) == 0) {
				uint64_t want;
				char *e;

				line[n] = '\0';
				if (nf != 2)
					READERR("malformed ##end line");
				errno = 0;
				want = strtoull(fld[1], &e, 10);
				if (errno || *e || !*fld[1] || fld[1][0] == '-')
					READERR("malformed ##end line");
				if (want != nrec)
					READERR("stream has %zu records but its ##end line says %llu",
					    nrec, (unsigned long long)want);
				in->pos += n + 1;
				in->line++;
				return;
			}
			if (len[0] == 4 && memcmp(fld[0] + 2, "gp", 2) == 0)
				READERR("a new stream starts before this one's ##end line (is it truncated?)");
			if (seen_rec)
				READERR("header line after records");
			if (s->nhdr == s->caphdr) {
				s->caphdr = s->caphdr ? 2 * s->caphdr : 16;
				s->hdr = gp_xreallocarray(s->hdr, (size_t)s->caphdr, sizeof *s->hdr);
			}
			s->hdr[s->nhdr].key = gp_arena_strndup(&s->arena, fld[0] + 2, len[0] - 2);
			if (once(s->hdr[s->nhdr].key) && gp_hdr_get(s, s->hdr[s->nhdr].key))
				READERR("a second ##%.40s header line (a stream has one)", s->hdr[s->nhdr].key);
			/* the value is the rest of the line, tabs and all */
			s->hdr[s->nhdr].val = nf > 1 ? gp_arena_strndup(&s->arena, fld[1],
			    (size_t)(line + n - fld[1])) : "";
			s->nhdr++;
			continue;
		}
		if (line[0] == '#') {
			char *type;

			seen_rec = 1;
			if (len[0] == 1)
				READERR("column header with no record type");
			type = gp_arena_strndup(&s->arena, fld[0] + 1, len[0] - 1);
			if (gp_table_find(s, type))
				READERR("second column header for record type '%.40s'", type);
			if (nf < 2)
				READERR("column header for '%.40s' names no columns", type);
			t = gp_table_make(s, type);
			t->col = gp_xreallocarray(NULL, (size_t)nf - 1, sizeof *t->col);
			t->val = gp_xcalloc((size_t)nf - 1, sizeof *t->val);
			t->last = gp_xcalloc((size_t)nf - 1, sizeof *t->last);
			if (lazy(type)) {                /* (raw, even if only counted: kept as lines) */
				t->rawcap = 4096;
				t->raw = gp_xmalloc(t->rawcap);
				t->skipped = !keeping;
			}
			for (i = 1; i < nf; i++) {
				if (!len[i])
					READERR("empty column name in header of '%.40s'", t->type);
				t->col[t->ncol++] = gp_arena_strndup(&s->arena, fld[i], len[i]);
			}
			if ((dup = twice(s, t)))
				READERR("column '%.40s' named twice in header of '%.40s'", dup, t->type);
			continue;
		}
		seen_rec = 1;
		if (!n)
			READERR("empty line");
		/* records of a type mostly come together */
		if (!last || strncmp(fld[0], last->type, len[0]) != 0 || last->type[len[0]]) {
			char *type = gp_arena_strndup(&s->arena, fld[0], len[0]);

			if (!(last = gp_table_find(s, type)))
				READERR("record type '%.40s' has no column header", type);
		}
		t = last;
		tlen = len[0];
		key = lead(line, tlen);
		if (nf - 1 != t->ncol)
			READERR("%d fields, but the column header of '%.40s' has %d",
			    nf - 1, t->type, t->ncol);
		for (i = 1; i < nf; i++)
			if (!len[i])
				READERR("empty field in column '%.40s' (a missing value is '.')", t->col[i - 1]);
		if (t->raw)
			keepline(t, line, n + 1);
		else
			record(s, t, fld[1]);   /* cannot fail: its checks are those above */
		nrec++;
	}
}

void
gp_input_init(struct gp_input *in, FILE *f, const char *src)
{
	memset(in, 0, sizeof *in);
	in->f = f;
	in->src = src;
	gp_err_src = src;
}

int
gp_stream_next(struct gp_input *in, struct gp_stream *s)
{
	gp_stream_init(s, in->src);
	if (in->give && !in->given) {
		/* the stream owns the window from now on, even if reading dies */
		room(in, s, 0);
		s->buf = in->buf;
		in->given = 1;
	}
	peek(in, s, 1);
	if (in->pos >= in->len)
		return 0;
	parse(in, s);
	in->n++;
	/* what follows is another stream, or nothing */
	peek(in, s, 5);
	if (in->pos < in->len && strncmp(in->buf + in->pos, "##gp\t", 5))
		gp_die("%s: line %zu: text after the ##end line", in->src, in->line + 1);
	return 1;
}

void
gp_input_release(struct gp_input *in)
{
	gp_spool_out();         /* the input went through: nothing that waits is lost */
	if (!in->given)
		free(in->buf);
	memset(in, 0, sizeof *in);
}

void
gp_stream_read(struct gp_stream *s, FILE *f)
{
	struct gp_input in;

	gp_input_init(&in, f, s->src);
	in.give = 1;
	gp_stream_next(&in, s);
	if (in.pos < in.len)
		gp_die("%s: line %zu: a second stream follows (%s reads one)", in.src, in.line + 1, gp_prog);
}

int
gp_input_more(const struct gp_input *in)
{
	return in->pos < in->len;
}
