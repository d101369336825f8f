/* stream.c - reading and writing the gp stream, the one format between filters */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gp.h"

static void cache_drop(const struct gp_stream *s);

void
gp_stream_init(struct gp_stream *s, const char *src)
{
	cache_drop(s);
	memset(s, 0, sizeof *s);
	s->src = src;
}

void
gp_stream_release(struct gp_stream *s)
{
	int i, c;

	for (i = 0; i < s->ntab; i++) {
		for (c = 0; c < s->tab[i]->ncol; c++)
			free(s->tab[i]->val[c]);
		free(s->tab[i]->val);
		free(s->tab[i]->col);
	}
	free(s->tab);
	free(s->hdr);
	free(s->buf);
	cache_drop(s);
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

struct gp_table *
gp_table_get(const struct gp_stream *s, const char *type)
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
	int i, c;

	for (i = 0; i < s->ntab; i++) {
		struct gp_table *t = s->tab[i];

		if (strcmp(t->type, type) != 0)
			continue;
		for (c = 0; c < t->ncol; c++)
			free(t->val[c]);
		free(t->val);
		free(t->col);
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

static void
addcol(struct gp_table *t, char *name)
{
	size_t r;

	t->col = gp_xreallocarray(t->col, (size_t)t->ncol + 1, sizeof *t->col);
	t->val = gp_xreallocarray(t->val, (size_t)t->ncol + 1, sizeof *t->val);
	t->col[t->ncol] = name;
	t->val[t->ncol] = gp_xreallocarray(NULL, t->cap ? t->cap : 1, sizeof **t->val);
	for (r = 0; r < t->nrow; r++)
		t->val[t->ncol][r] = ".";
	t->ncol++;
}

int
gp_table_addcol(struct gp_stream *s, struct gp_table *t, const char *name)
{
	int c = gp_table_col(t, name);

	if (c >= 0)
		return c;
	addcol(t, gp_arena_strdup(&s->arena, name));
	return t->ncol - 1;
}

static struct gp_table *
newtable(struct gp_stream *s, char *type)
{
	struct gp_table *t = gp_arena_alloc(&s->arena, sizeof *t);

	memset(t, 0, sizeof *t);
	t->type = type;
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
	struct gp_table *t = newtable(s, gp_arena_strdup(&s->arena, type));

	for (; *cols; cols++)
		gp_table_addcol(s, t, *cols);
	return t;
}

/* room for one more row in every column */
static void
grow(struct gp_table *t)
{
	int c;

	if (t->nrow < t->cap)
		return;
	t->cap = t->cap ? 2 * t->cap : 8;
	for (c = 0; c < t->ncol; c++)
		t->val[c] = gp_xreallocarray(t->val[c], t->cap, sizeof **t->val);
}

size_t
gp_table_addrow(struct gp_stream *s, struct gp_table *t)
{
	int c;

	(void)s;
	grow(t);
	for (c = 0; c < t->ncol; c++)
		t->val[c][t->nrow] = ".";
	return t->nrow++;
}

/* Values set are copied into the arena; short ones are looked up first in a
 * small cache of those copied, since filters set the same few values ("0",
 * "float32", "relu", "[1,16]") on every row: a million rows need not hold a
 * million copies. Entries belong to one stream and go with it. */
#define NCACHE 4096
#define CACHED 24               /* the longest value cached */
static struct {
	const struct gp_stream *s;
	const char *p;
	size_t n;
} cache[NCACHE];

static void
cache_drop(const struct gp_stream *s)
{
	size_t i;

	for (i = 0; i < NCACHE; i++)
		if (cache[i].s == s)
			cache[i].s = NULL;
}

void
gp_table_setn(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	if (!n) {
		t->val[col][row] = ".";
		return;
	}
	if (n > CACHED) {
		t->val[col][row] = gp_arena_strndup(&s->arena, text, n);
		return;
	}
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)text[i]) * 16777619u;
	h &= NCACHE - 1;
	if (cache[h].s != s || cache[h].n != n || memcmp(cache[h].p, text, n) != 0) {
		cache[h].s = s;
		cache[h].p = gp_arena_strndup(&s->arena, text, n);
		cache[h].n = n;
	}
	t->val[col][row] = (char *)cache[h].p;
}

void
gp_table_set(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text)
{
	gp_table_setn(s, t, col, row, text, strlen(text));
}

void
gp_table_set_count(struct gp_stream *s, struct gp_table *t, int col, size_t row, int64_t v)
{
	char text[24], *p = text + sizeof text;

	if (v < 0) {
		t->val[col][row] = ".";
		return;
	}
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	gp_table_setn(s, t, col, row, p, (size_t)(text + sizeof text - p));
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
	if (v < 0)
		gp_buf_addc(b, '.');
	else
		gp_buf_printf(b, "%" PRId64, v);
}

void
gp_table_set_g(struct gp_stream *s, struct gp_table *t, int col, size_t row, double v, int prec)
{
	char text[32];

	if (v < 0 || !isfinite(v))
		t->val[col][row] = ".";
	else
		gp_table_setn(s, t, col, row, text, (size_t)fmt_g(text, v, prec));
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

/* Reading. The whole input is read into one buffer; lines and fields are cut
 * in place, so a field is a pointer into it. Any flaw is fatal: a filter never
 * works on a stream it could not read whole. */

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

/* slurp reads the whole input. Not with file.c's gp_file_open, the way to
 * read a whole file: a stream comes as a FILE (standard input, gp-shape
 * --sweep's copy in memory, gp-report --compare's files) and is cut into
 * fields in place, so it needs its bytes writable and NUL-terminated, which
 * a read-only mapping is not; the first line's check is head(). */
static void
slurp(struct gp_input *in)
{
	struct gp_buf b = {0};
	size_t n;
	int c = 0;

	/* the first line byte by byte: fread would wait for a whole block */
	gp_buf_grow(&b, 1 << 16);
	while (b.len < 32 && (c = getc(in->f)) != EOF) {
		b.buf[b.len++] = (char)c;
		if (c == '\n' || (b.len <= 5 && c != "##gp\t"[b.len - 1]))
			break;
	}
	b.buf[b.len] = '\0';
	if (c != EOF)
		head(in, b.buf, b.len);         /* else the whole input is there to parse */
	for (;;) {
		gp_buf_grow(&b, 1 << 16);
		n = fread(b.buf + b.len, 1, b.cap - b.len - 1, in->f);
		b.len += n;
		if (n == 0)
			break;
	}
	if (ferror(in->f))
		gp_die("%s: read error:", in->src);
	gp_buf_grow(&b, 0);
	b.buf[b.len] = '\0';
	in->buf = b.buf;
	in->len = b.len;
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
	gp_die("%s: line %zu: %s", s->src, line0 + lineno, m_); } while (0)

/* parse one stream from p, whose first line is line line0 + 1 of the input,
 * up to and with its ##end line; returns where it ended, and the lines read
 * in *nlines. p is NUL-terminated at the end of the input, and holds no other
 * NUL: each line is cut at its tabs in place in one pass over its bytes. */
static char *
parse(struct gp_stream *s, char *p, size_t line0, size_t *nlines)
{
	static const char stop[256] = {['\0'] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};
	size_t lineno = 0, nrec = 0, r;
	char *line, *q, **fld = NULL;
	int maxf = 0, nf, c, i, seen_rec = 0;
	struct gp_table *t, *last = NULL;
	const char *dup;

	for (;;) {
		if (!*p) {
			*nlines = lineno;
			gp_die("%s: truncated stream: no ##end line", s->src);
		}
		lineno++;
		line = p;
		nf = 0;
		for (q = p;; q++) {
			if (nf == maxf) {
				char **nw = gp_arena_alloc(&s->arena, (size_t)(2 * maxf + 16) * sizeof *nw);

				if (maxf)
					memcpy(nw, fld, (size_t)maxf * sizeof *nw);
				fld = nw;
				maxf = 2 * maxf + 16;
			}
			fld[nf++] = q;
			while (!stop[(unsigned char)*q])
				q++;
			if (*q != '\t')
				break;
			*q = '\0';
		}
		if (*q == '\r')
			READERR("carriage return in line (CRLF line endings?)");
		if (!*q)
			READERR("truncated stream: last line has no newline");
		*q = '\0';
		p = q + 1;
		if (lineno == 1) {
			for (i = 1; i < nf; i++)
				fld[i][-1] = '\t';     /* the line whole, for the messages */
			if (strncmp(line, "##gp\t", 5) != 0)
				gp_die("%s: not a gp stream (the first line is not '##gp<TAB>%s')",
				    s->src, GP_STREAM_VERSION);
			if (strcmp(line + 5, GP_STREAM_VERSION) != 0)
				gp_die("%s: gp stream version '%.20s' is not supported (this gp reads %s)",
				    s->src, line + 5, GP_STREAM_VERSION);
			continue;
		}
		if (line[0] == '#' && line[1] == '#') {
			if (fld[0][2] == '\0')
				READERR("header line with no key");
			if (strcmp(fld[0] + 2, "end") == 0) {
				uint64_t want;
				char *e;

				if (nf != 2)
					READERR("malformed ##end line");
				errno = 0;
				want = strtoull(fld[1], &e, 10);
				if (errno || *e || !*fld[1] || fld[1][0] == '-')
					READERR("malformed ##end line");
				if (want != nrec)
					READERR("stream has %zu records but its ##end line says %llu",
					    nrec, (unsigned long long)want);
				*nlines = lineno;
				return p;
			}
			if (strcmp(fld[0] + 2, "gp") == 0)
				READERR("a new stream starts before this one's ##end line (is it truncated?)");
			if (seen_rec)
				READERR("header line after records");
			if (once(fld[0] + 2) && gp_hdr_get(s, fld[0] + 2))
				READERR("a second ##%.40s header line (a stream has one)", fld[0] + 2);
			if (s->nhdr == s->caphdr) {
				s->caphdr = s->caphdr ? 2 * s->caphdr : 16;
				s->hdr = gp_xreallocarray(s->hdr, (size_t)s->caphdr, sizeof *s->hdr);
			}
			s->hdr[s->nhdr].key = fld[0] + 2;
			/* the value is the rest of the line: put the tabs back */
			for (i = 2; i < nf; i++)
				fld[i][-1] = '\t';
			s->hdr[s->nhdr].val = nf > 1 ? fld[1] : "";
			s->nhdr++;
			continue;
		}
		if (line[0] == '#') {
			seen_rec = 1;
			if (fld[0][1] == '\0')
				READERR("column header with no record type");
			if (gp_table_get(s, fld[0] + 1))
				READERR("second column header for record type '%.40s'", fld[0] + 1);
			if (nf < 2)
				READERR("column header for '%.40s' names no columns", fld[0] + 1);
			t = newtable(s, fld[0] + 1);
			t->col = gp_xreallocarray(NULL, (size_t)nf - 1, sizeof *t->col);
			t->val = gp_xcalloc((size_t)nf - 1, sizeof *t->val);
			for (i = 1; i < nf; i++) {
				if (!*fld[i])
					READERR("empty column name in header of '%.40s'", t->type);
				t->col[t->ncol++] = fld[i];
			}
			if ((dup = twice(s, t)))
				READERR("column '%.40s' named twice in header of '%.40s'", dup, t->type);
			continue;
		}
		seen_rec = 1;
		if (!*line)
			READERR("empty line");
		/* records of a type mostly come together */
		if (!last || strcmp(fld[0], last->type) != 0)
			last = gp_table_get(s, fld[0]);
		if (!(t = last))
			READERR("record type '%.40s' has no column header", fld[0]);
		if (nf - 1 != t->ncol)
			READERR("%d fields, but the column header of '%.40s' has %d",
			    nf - 1, t->type, t->ncol);
		grow(t);
		r = t->nrow++;
		for (c = 0; c < t->ncol; c++) {
			if (!*fld[c + 1])
				READERR("empty field in column '%.40s' (a missing value is '.')", t->col[c]);
			t->val[c][r] = fld[c + 1];
		}
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
	size_t end, lines = 0;
	int fresh = 0;

	if (!in->buf) {
		slurp(in);
		if (in->give) {
			/* the stream owns the text from now on, even if reading dies */
			gp_stream_init(s, in->src);
			s->buf = in->buf;
			in->given = 1;
			fresh = 1;
		}
		if (in->len == 0)
			gp_die("%s: empty input, not a gp stream", in->src);
		if (memchr(in->buf, '\0', in->len))
			gp_die("%s: NUL byte in input, not a gp stream", in->src);
	}
	if (in->pos >= in->len)
		return 0;
	if (!fresh)
		gp_stream_init(s, in->src);
	end = (size_t)(parse(s, in->buf + in->pos, in->line, &lines) - in->buf);
	in->line += lines;
	in->pos = end;
	in->n++;
	/* what follows is another stream, or nothing */
	if (in->pos < in->len && strncmp(in->buf + in->pos, "##gp\t", 5))
		gp_die("%s: line %zu: text after the ##end line", in->src, in->line + 1);
	return 1;
}

static void spool_out(void);

void
gp_input_release(struct gp_input *in)
{
	spool_out();            /* the input went through: nothing that waits is lost */
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

/* Writing. Lines are put together in a buffer of about a megabyte and
 * handed to stdio whole; the caller checks the final flush with
 * gp_close_stdout(). */

#define OUTBUF (1 << 20)

/* out appends p[0..n) to o, handing o to f first when it is full (o's text
 * is not NUL-terminated meanwhile) */
static void
out(struct gp_buf *o, FILE *f, const char *p, size_t n)
{
	if (o->len + n >= o->cap) {
		fwrite(o->buf, 1, o->len, f);
		o->len = 0;
		gp_buf_grow(o, n);
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void
outs(struct gp_buf *o, FILE *f, const char *p)
{
	out(o, f, p, strlen(p));
}

void
gp_stream_write(struct gp_stream *s, FILE *f, int argc, char **argv)
{
	struct gp_buf b = {0}, o = {0};
	size_t r, nrec = 0;
	int i, c;
	char num[32];

	gp_buf_grow(&o, OUTBUF);
	outs(&o, f, "##gp\t" GP_STREAM_VERSION "\n");
	for (i = 0; i < s->nhdr; i++) {
		outs(&o, f, "##");
		outs(&o, f, s->hdr[i].key);
		if (*s->hdr[i].val) {
			outs(&o, f, "\t");
			outs(&o, f, s->hdr[i].val);
		}
		outs(&o, f, "\n");
	}
	/* our own provenance: arguments escaped, spaces too, joined by spaces
	 * (none for a copy made inside a program: argv NULL) */
	for (i = 1; argv && i < argc; i++) {
		struct gp_buf e = {0};
		size_t k;

		if (i > 1)
			gp_buf_addc(&b, ' ');
		gp_esc(&e, argv[i], strlen(argv[i]));
		for (k = 0; k < e.len; k++) {
			if (e.buf[k] == ' ')
				gp_buf_adds(&b, "%20");
			else
				gp_buf_addc(&b, e.buf[k]);
		}
		if (!*argv[i])
			gp_buf_adds(&b, "\"\"");
		gp_buf_release(&e);
	}
	if (argv) {
		outs(&o, f, "##prog\t");
		outs(&o, f, gp_prog);
		outs(&o, f, "\t" GP_VERSION "\t");
		outs(&o, f, b.len ? b.buf : ".");
		outs(&o, f, "\n");
	}
	gp_buf_release(&b);
	for (i = 0; i < s->ntab; i++) {
		struct gp_table *t = s->tab[i];
		size_t tl = strlen(t->type);

		outs(&o, f, "#");
		out(&o, f, t->type, tl);
		for (c = 0; c < t->ncol; c++) {
			outs(&o, f, "\t");
			outs(&o, f, t->col[c]);
		}
		outs(&o, f, "\n");
		for (r = 0; r < t->nrow; r++) {
			char *q, *e;

			out(&o, f, t->type, tl);
			/* most fields are short: copied a byte at a time while there is
			 * room, the rest by out */
			q = o.buf + o.len;
			e = o.buf + o.cap - 2;
			for (c = 0; c < t->ncol; c++) {
				const char *v = t->val[c][r];

				*q++ = '\t';
				while (*v && q < e)
					*q++ = *v++;
				if (*v) {
					o.len = (size_t)(q - o.buf);
					outs(&o, f, v);
					q = o.buf + o.len;
					e = o.buf + o.cap - 2;
				}
			}
			*q++ = '\n';
			o.len = (size_t)(q - o.buf);
		}
		nrec += t->nrow;
	}
	snprintf(num, sizeof num, "##end\t%zu\n", nrec);
	outs(&o, f, num);
	fwrite(o.buf, 1, o.len, f);
	gp_buf_release(&o);
}

/* The spool: streams written while more may follow. A temporary file (memory
 * stays the same whatever the streams' size), or memory if none can be made. */
static FILE *spool;
static char *spool_mem;
static size_t spool_len;

static void
spool_close(void)
{
	if (spool)
		fclose(spool);
	free(spool_mem);
	spool = NULL;
	spool_mem = NULL;
	spool_len = 0;
}

/* spool_out copies what waits in the spool to standard output */
static void
spool_out(void)
{
	char buf[1 << 16];
	size_t n;

	if (!spool)
		return;
	if (spool_mem) {
		fclose(spool);
		spool = NULL;
		fwrite(spool_mem, 1, spool_len, stdout);
	} else {
		rewind(spool);
		while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
			fwrite(buf, 1, n, stdout);
		if (ferror(spool))
			gp_die("reading a temporary file for the output:");
	}
	spool_close();
}

void
gp_stream_emit(struct gp_stream *s, int argc, char **argv, int more)
{
	if (more) {
		if (!spool && !(spool = tmpfile()) && !(spool = open_memstream(&spool_mem, &spool_len)))
			gp_die("cannot make a temporary file for the output:");
		gp_stream_write(s, spool, argc, argv);
		if (fflush(spool) == EOF || ferror(spool))
			gp_die("writing a temporary file for the output:");
		return;
	}
	spool_out();            /* every input was good: what waited goes out first */
	gp_stream_write(s, stdout, argc, argv);
}

static FILE *held;              /* where standard output goes while held */
static int held_fd = -1;        /* the real standard output meanwhile */

void
gp_stdout_hold(void)
{
	if (held)
		return;
	if (fflush(stdout) == EOF)
		gp_die("write error on stdout:");
	if (!(held = tmpfile()))
		gp_die("cannot make a temporary file for the output:");
	if ((held_fd = dup(1)) < 0 || dup2(fileno(held), 1) < 0)
		gp_die("cannot hold the output:");
}

void
gp_stdout_release(void)
{
	char buf[1 << 16];
	ssize_t n, w, k;

	if (!held)
		return;
	if (fflush(stdout) == EOF || ferror(stdout))
		gp_die("writing a temporary file for the output:");
	if (lseek(fileno(held), 0, SEEK_SET) < 0)
		gp_die("reading a temporary file for the output:");
	while ((n = read(fileno(held), buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			gp_die("reading a temporary file for the output:");
		for (k = 0; k < n; k += w) {
			w = write(held_fd, buf + k, (size_t)(n - k));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				gp_die("write error on stdout:");
		}
	}
	if (dup2(held_fd, 1) < 0)
		gp_die("cannot restore the output:");
	close(held_fd);
	fclose(held);
	held = NULL;
	held_fd = -1;
}
