/* stream.c - reading and writing the gp stream, the one format between filters */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

void
gp_stream_init(struct gp_stream *s, const char *src)
{
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

size_t
gp_table_addrow(struct gp_stream *s, struct gp_table *t)
{
	int c;

	(void)s;
	if (t->nrow == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		for (c = 0; c < t->ncol; c++)
			t->val[c] = gp_xreallocarray(t->val[c], t->cap, sizeof **t->val);
	}
	for (c = 0; c < t->ncol; c++)
		t->val[c][t->nrow] = ".";
	return t->nrow++;
}

void
gp_table_setn(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text, size_t n)
{
	t->val[col][row] = n ? gp_arena_strndup(&s->arena, text, n) : ".";
}

void
gp_table_set(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text)
{
	gp_table_setn(s, t, col, row, text, strlen(text));
}

void
gp_table_set_count(struct gp_stream *s, struct gp_table *t, int col, size_t row, int64_t v)
{
	char text[24];

	if (v < 0)
		t->val[col][row] = ".";
	else
		gp_table_setn(s, t, col, row, text, (size_t)snprintf(text, sizeof text, "%" PRId64, v));
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
		gp_die("%s: read error: %s", in->src, strerror(errno));
	gp_buf_grow(&b, 0);
	b.buf[b.len] = '\0';
	in->buf = b.buf;
	in->len = b.len;
}

/* split cuts line at tabs into at most max fields; returns the count, or -1
 * if there are more. */
static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *p;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = line;
		p = strchr(line, '\t');
		if (!p)
			return n;
		*p = '\0';
		line = p + 1;
	}
}

#define READERR(...) do { \
	char m_[256]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: line %zu: %s", s->src, line0 + lineno, m_); } while (0)

/* parse one stream, p[0..len), whose first line is line line0 + 1 of the input */
static void
parse(struct gp_stream *s, char *p, size_t len, size_t line0)
{
	size_t lineno = 0, nrec = 0, r;
	char *end = p + len, *line, *nl, **fld = NULL;
	int maxf = 0, nf, c, i, seen_end = 0, seen_rec = 0;
	struct gp_table *t;

	while (p < end) {
		lineno++;
		line = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			READERR("truncated stream: last line has no newline");
		*nl = '\0';
		p = nl + 1;
		if (seen_end)
			READERR("text after the ##end line");
		if (strchr(line, '\r'))
			READERR("carriage return in line (CRLF line endings?)");
		if (lineno == 1) {
			if (strncmp(line, "##gp\t", 5) != 0)
				gp_die("%s: not a gp stream (the first line is not '##gp<TAB>%s')",
				    s->src, GP_STREAM_VERSION);
			if (strcmp(line + 5, GP_STREAM_VERSION) != 0)
				gp_die("%s: gp stream version '%.20s' is not supported (this gp reads %s)",
				    s->src, line + 5, GP_STREAM_VERSION);
			continue;
		}
		/* enough room for every field of the line */
		nf = 1;
		for (char *q = line; *q; q++)
			nf += *q == '\t';
		if (nf > maxf) {
			maxf = nf;
			fld = gp_arena_alloc(&s->arena, (size_t)maxf * sizeof *fld);
		}
		nf = split(line, fld, maxf);
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
				seen_end = 1;
				continue;
			}
			if (strcmp(fld[0] + 2, "gp") == 0)
				READERR("a new stream starts before this one's ##end line (is it truncated?)");
			if (seen_rec)
				READERR("header line after records");
			if (s->nhdr == s->caphdr) {
				s->caphdr = s->caphdr ? 2 * s->caphdr : 16;
				s->hdr = gp_xreallocarray(s->hdr, (size_t)s->caphdr, sizeof *s->hdr);
			}
			s->hdr[s->nhdr].key = fld[0] + 2;
			/* the value is the rest of the line: put the tabs back */
			for (i = 1; i + 1 < nf; i++)
				fld[i][strlen(fld[i])] = '\t';
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
			for (i = 1; i < nf; i++) {
				if (!*fld[i])
					READERR("empty column name in header of '%.40s'", t->type);
				if (gp_table_col(t, fld[i]) >= 0)
					READERR("column '%.40s' named twice in header of '%.40s'",
					    fld[i], t->type);
				addcol(t, fld[i]);
			}
			continue;
		}
		seen_rec = 1;
		if (!*line)
			READERR("empty line");
		t = gp_table_get(s, fld[0]);
		if (!t)
			READERR("record type '%.40s' has no column header", fld[0]);
		if (nf - 1 != t->ncol)
			READERR("%d fields, but the column header of '%.40s' has %d",
			    nf - 1, t->type, t->ncol);
		r = gp_table_addrow(s, t);
		for (c = 0; c < t->ncol; c++) {
			if (!*fld[c + 1])
				READERR("empty field in column '%.40s' (a missing value is '.')", t->col[c]);
			t->val[c][r] = fld[c + 1];
		}
		nrec++;
	}
	if (!seen_end)
		gp_die("%s: truncated stream: no ##end line", s->src);
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
	size_t start, end, lines = 0;
	char *q;
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
	/* this stream: up to and with its ##end line */
	start = end = in->pos;
	for (q = in->buf + start; q < in->buf + in->len;) {
		char *nl = memchr(q, '\n', (size_t)(in->buf + in->len - q));
		int last = !strncmp(q, "##end", 5) && (q[5] == '\t' || q[5] == '\n');

		lines++;
		q = nl ? nl + 1 : in->buf + in->len;
		if (last)
			break;
	}
	end = (size_t)(q - in->buf);
	if (!fresh)
		gp_stream_init(s, in->src);
	parse(s, in->buf + start, end - start, in->line);
	in->line += lines;
	in->pos = end;
	in->n++;
	/* what follows is another stream, or nothing */
	if (in->pos < in->len && strncmp(in->buf + in->pos, "##gp\t", 5))
		gp_die("%s: line %zu: text after the ##end line", in->src, in->line + 1);
	return 1;
}

void
gp_input_release(struct gp_input *in)
{
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

/* Writing. Buffered by stdio; the caller checks the final flush with
 * gp_close_stdout(). */
void
gp_stream_write(struct gp_stream *s, FILE *f, int argc, char **argv)
{
	struct gp_buf b = {0};
	size_t r, nrec = 0;
	int i, c;

	fputs("##gp\t" GP_STREAM_VERSION "\n", f);
	for (i = 0; i < s->nhdr; i++) {
		if (*s->hdr[i].val)
			fprintf(f, "##%s\t%s\n", s->hdr[i].key, s->hdr[i].val);
		else
			fprintf(f, "##%s\n", s->hdr[i].key);
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
	if (argv)
		fprintf(f, "##prog\t%s\t%s\t%s\n", gp_prog, GP_VERSION, b.len ? b.buf : ".");
	gp_buf_release(&b);
	for (i = 0; i < s->ntab; i++) {
		struct gp_table *t = s->tab[i];

		fprintf(f, "#%s", t->type);
		for (c = 0; c < t->ncol; c++)
			fprintf(f, "\t%s", t->col[c]);
		fputc('\n', f);
		for (r = 0; r < t->nrow; r++) {
			fputs(t->type, f);
			for (c = 0; c < t->ncol; c++) {
				fputc('\t', f);
				fputs(t->val[c][r], f);
			}
			fputc('\n', f);
		}
		nrec += t->nrow;
	}
	fprintf(f, "##end\t%zu\n", nrec);
}
