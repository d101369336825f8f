/* gp-table - one record type of gp streams as a plain table: TSV, CSV or JSON Lines
 *
 * Reads every stream on standard input (a sweep, or files concatenated) and
 * writes the records of one type as one table with one header row: the
 * columns asked for, in that order, taken from the records, from the streams'
 * single-valued header lines (##source; ##partition's mode=..., ##roofline's
 * hw=..., ##sweep's seq=...) or the stream's number in the input. Numbers are
 * copied exactly as the stream has them; text is percent-decoded unless
 * --raw. It is the way out of gp into DuckDB, pandas, Miller and R.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] =
    "[--format tsv|csv|json] [--na STR] [--raw] TYPE [COLUMN...] < STREAM\n"
    "       gp-table --list [TYPE] < STREAM";

static const char help[] =
    "Write the TYPE records (subgraph, node, tensor, stage, ...) of every gp\n"
    "stream on standard input as one table with one header row: the COLUMNs\n"
    "given, in that order, or else the records' own columns (after `stream' and\n"
    "the ##sweep fields when the input holds several streams). A COLUMN is a\n"
    "column of the records; `stream', the stream's number in the input; a\n"
    "single-valued header line (source, graph_sha256, ...); or a field of a\n"
    "KEY=VALUE header line as HEADER.FIELD (roofline.hw, sweep.seq), or as the\n"
    "bare FIELD when only one header line has it (hw, seq).\n\n"
    "  --format F     tsv (default), csv (RFC 4180) or json (JSON Lines: one\n"
    "                 object per record, numbers as JSON numbers, unknown null)\n"
    "  --na STR       write an unknown value ('.' in the stream) as STR in tsv\n"
    "                 and csv (default: empty; --na . keeps the stream's)\n"
    "  --raw          keep the stream's percent-encoding instead of decoding\n"
    "  --list         list the record types and their rows; with TYPE, every\n"
    "                 COLUMN name it takes, one per line\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n\n"
    "Numbers are written exactly as in the stream. In tsv, control bytes, DEL,\n"
    "'%' and a leading '\"' stay percent-encoded: a TSV field cannot hold them.\n"
    "The columns and header lines: docs/format.md.\n";

enum fmt { F_TSV, F_CSV, F_JSON };

/* A column a table can have: a column of the records, the stream's number, a
 * plain header line (##KEY<TAB>VALUE) or a field of a KEY=VALUE header line. */
enum ckind { C_REC, C_STREAM, C_PLAIN, C_KV };
struct col {
	enum ckind kind;
	const char *name;                   /* record column, "stream", header key (C_PLAIN) or field (C_KV) */
	const char *key;                    /* C_KV: the header key */
	const char *title;                  /* its name in the header row */
};

/* A header value of one stream; field is NULL for a plain header line. */
struct hval {
	const char *key, *field, *val;
};
struct stream {
	struct gp_stream s;
	struct hval *hv;
	int nhv;
};

/* The input: every stream, and every column a table of one type can have. */
struct input {
	struct gp_input gi;                 /* holds the text the streams point into */
	struct stream *st;
	int n;
	struct col *cat;                    /* first seen first */
	int ncat;
	struct gp_arena a;
};

static void
hv_add(struct stream *st, size_t *cap, struct hval v)
{
	if ((size_t)st->nhv == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		st->hv = gp_xreallocarray(st->hv, *cap, sizeof *st->hv);
	}
	st->hv[st->nhv++] = v;
}

/* The header values of a stream: of each key its first line, when that is
 * one plain value (no TAB, no '=') or fields that are all NAME=VALUE. Lines
 * of several plain values (##opset, ##producer, ##metadata, ##prog) give none. */
static void
hvals(struct gp_arena *a, struct stream *st)
{
	const struct gp_stream *s = &st->s;
	const char *p, *f, *eq;
	size_t cap = 0, len;
	int i, j, ok;

	for (i = 0; i < s->nhdr; i++) {
		p = s->hdr[i].val;
		for (j = 0; j < i && strcmp(s->hdr[j].key, s->hdr[i].key); j++)
			;
		if (j < i || !*p)
			continue;
		if (!strchr(p, '=')) {
			if (!strchr(p, '\t'))
				hv_add(st, &cap, (struct hval){s->hdr[i].key, NULL, p});
			continue;
		}
		for (ok = 1, f = p; ok && *f; f += len + (f[len] == '\t')) {
			len = strcspn(f, "\t");
			eq = memchr(f, '=', len);
			ok = eq && eq != f;
		}
		for (f = p; ok && *f; f += len + (f[len] == '\t')) {
			len = strcspn(f, "\t");
			eq = memchr(f, '=', len);
			hv_add(st, &cap, (struct hval){s->hdr[i].key,
			    gp_arena_strndup(a, f, (size_t)(eq - f)),
			    gp_arena_strndup(a, eq + 1, len - (size_t)(eq - f) - 1)});
		}
	}
}

static void
cat_add(struct input *in, enum ckind kind, const char *key, const char *name)
{
	int i;

	for (i = 0; i < in->ncat; i++)
		if (in->cat[i].kind == kind && !strcmp(in->cat[i].name, name) &&
		    (kind != C_KV || !strcmp(in->cat[i].key, key)))
			return;
	in->cat = gp_xreallocarray(in->cat, (size_t)in->ncat + 1, sizeof *in->cat);
	in->cat[in->ncat++] = (struct col){kind, name, key, name};
}

/* Read every stream on stdin (dies on a damaged one), and list what a table
 * of type can have: its records' columns, the stream's number, then every
 * header value, each first seen first. */
static void
load(struct input *in, const char *type)
{
	struct gp_table *t;
	int cap = 0, i, k;

	static const char *want[2];

	memset(in, 0, sizeof *in);
	want[0] = type;                 /* (with a type, the others are only checked and counted) */
	gp_stream_lazy(type ? want : NULL, 0);
	gp_input_init(&in->gi, stdin, "stdin");
	for (;;) {
		if (in->n == cap) {
			cap = cap ? 2 * cap : 4;
			in->st = gp_xreallocarray(in->st, (size_t)cap, sizeof *in->st);
		}
		if (!gp_stream_next(&in->gi, &in->st[in->n].s))
			break;
		in->st[in->n].hv = NULL;
		in->st[in->n].nhv = 0;
		hvals(&in->a, &in->st[in->n]);
		in->n++;
	}
	for (i = 0; type && i < in->n; i++)
		if ((t = gp_table_get(&in->st[i].s, type)))
			for (k = 0; k < t->ncol; k++)
				cat_add(in, C_REC, NULL, t->col[k]);
	cat_add(in, C_STREAM, NULL, "stream");
	for (i = 0; i < in->n; i++)
		for (k = 0; k < in->st[i].nhv; k++)
			cat_add(in, in->st[i].hv[k].field ? C_KV : C_PLAIN, in->st[i].hv[k].key,
			    in->st[i].hv[k].field ? in->st[i].hv[k].field : in->st[i].hv[k].key);
}

static void
release(struct input *in)
{
	int i;

	for (i = 0; i < in->n; i++) {
		gp_stream_release(&in->st[i].s);
		free(in->st[i].hv);
	}
	free(in->st);
	free(in->cat);
	gp_input_release(&in->gi);
	gp_arena_release(&in->a);
}

/* The catalogue's column of kind and name (any key), or NULL. */
static const struct col *
find(const struct input *in, enum ckind kind, const char *name)
{
	int i;

	for (i = 0; i < in->ncat; i++)
		if (in->cat[i].kind == kind && !strcmp(in->cat[i].name, name))
			return &in->cat[i];
	return NULL;
}

/* How many header lines have the field name. */
static int
nkeys(const struct input *in, const char *name)
{
	int i, n = 0;

	for (i = 0; i < in->ncat; i++)
		n += in->cat[i].kind == C_KV && !strcmp(in->cat[i].name, name);
	return n;
}

/* The name a column goes by: a header field's bare name when it names that
 * field alone, else HEADER.FIELD; every other column's own name. */
static const char *
title(struct input *in, const struct col *c)
{
	if (c->kind != C_KV || (!find(in, C_REC, c->name) && !find(in, C_STREAM, c->name) &&
	    !find(in, C_PLAIN, c->name) && nkeys(in, c->name) == 1))
		return c->name;
	return gp_arena_printf(&in->a, "%s.%s", c->key, c->name);
}

/* Every name a COLUMN can be, separated by sep: a header field by its bare
 * name (when that is one) and as HEADER.FIELD. */
static char *
names(struct input *in, const char *sep)
{
	struct gp_buf b = {0};
	const char *t;
	char *r;
	int i;

	for (i = 0; i < in->ncat; i++) {
		t = title(in, &in->cat[i]);
		gp_buf_printf(&b, "%s%s", b.len ? sep : "", t);
		if (in->cat[i].kind == C_KV && t == in->cat[i].name)
			gp_buf_printf(&b, "%s%s.%s", sep, in->cat[i].key, in->cat[i].name);
	}
	r = gp_arena_strdup(&in->a, b.len ? b.buf : "");
	gp_buf_release(&b);
	return r;
}

/* The column a COLUMN argument names: a record column, `stream', a plain
 * header line, HEADER.FIELD, or a FIELD only one header line has. Dies naming
 * what there is when it is none of these, or the header lines when several
 * have that field. */
static struct col
resolve(struct input *in, const char *type, const char *name)
{
	const struct col *c;
	const char *dot;
	struct col r;
	int i;

	if ((c = find(in, C_REC, name)) || (c = find(in, C_STREAM, name)) ||
	    (c = find(in, C_PLAIN, name)))
		goto found;
	for (dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.'))
		for (i = 0; i < in->ncat; i++)
			if (in->cat[i].kind == C_KV && !strncmp(in->cat[i].key, name, (size_t)(dot - name)) &&
			    !in->cat[i].key[dot - name] && !strcmp(in->cat[i].name, dot + 1)) {
				c = &in->cat[i];
				goto found;
			}
	if (nkeys(in, name) == 1) {
		c = find(in, C_KV, name);
		goto found;
	}
	if (nkeys(in, name) > 1) {
		struct gp_buf b = {0};

		for (i = 0; i < in->ncat; i++)
			if (in->cat[i].kind == C_KV && !strcmp(in->cat[i].name, name))
				gp_buf_printf(&b, " %s.%s", in->cat[i].key, name);
		gp_die("stdin: column '%s' is in several header lines; name one:%s", name, b.buf);
	}
	gp_die("stdin: no column '%s' in the %s records or the header lines; there are: %s",
	    name, type, names(in, " "));
found:
	r = *c;
	r.title = name;
	return r;
}

/* The record types of the input, first seen first, with their rows; dies
 * when want is given and is not one of them. */
static void
types(const struct input *in, const char *want, int print)
{
	struct gp_buf b = {0};
	size_t rows;
	int i, k, j, m;

	for (i = 0; i < in->n; i++)
		for (k = 0; k < in->st[i].s.ntab; k++) {
			const char *t = in->st[i].s.tab[k]->type;

			for (j = 0; j < i && !gp_table_find(&in->st[j].s, t); j++)
				;
			if (j < i)
				continue;
			if (want && !strcmp(want, t)) {
				gp_buf_release(&b);
				return;
			}
			for (rows = 0, m = i; m < in->n; m++)
				if (gp_table_find(&in->st[m].s, t))
					rows += gp_table_find(&in->st[m].s, t)->nrow;
			if (print)
				printf("%s\t%zu\n", t, rows);
			gp_buf_printf(&b, "%s%s", b.len ? " " : "", t);
		}
	if (want)
		gp_die("stdin: no '%s' records; the record types are: %s", want, b.len ? b.buf : "none");
	gp_buf_release(&b);
}

/* ---- writing ---- */

struct out {
	enum fmt fmt;
	const char *na;
	int raw;
	struct gp_buf dec;                  /* a decoded field */
};

/* A JSON number, exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)? */
static int
isjsonnum(const char *s)
{
	const char *p = s + (*s == '-');

	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p += p[1] == '-' || p[1] == '+';
		if (!(*++p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return !*p;
}

/* 1 if s[0..n) is valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
static int
isutf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long c;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, c = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, c = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, c = s[i] & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
			return 0;
		i += len;
	}
	return 1;
}

/* The table goes out through a buffer of its own: a field at a time
 * through stdio's locked calls was most of gp-table's time. */
static char obuf[1 << 16];
static size_t olen;

static void
oflush(void)
{
	fwrite(obuf, 1, olen, stdout);
	olen = 0;
}

static void
oput(const char *s, size_t n)
{
	if (olen + n > sizeof obuf) {
		oflush();
		if (n > sizeof obuf) {
			oput(s, n);
			return;
		}
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void
oputs(const char *s)
{
	oput(s, strlen(s));
}

static void
oputc(int c)
{
	if (olen == sizeof obuf)
		oflush();
	obuf[olen++] = (char)c;
}

static void
put_hex(int c)
{
	static const char hex[] = "0123456789ABCDEF";

	oputc('%');
	oputc(hex[(unsigned char)c >> 4]);
	oputc(hex[c & 15]);
}

static void
put_json_str(const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	/* most values need no escape: written in one piece */
	for (i = 0; i < n && (c = (unsigned char)s[i]) >= 0x20 && c != 0x7f && c != '"' && c != '\\'; i++)
		;
	oputc('"');
	oput(s, i);
	for (; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			oputc('\\'), oputc(c);
		else if (c == '\n')
			oputs("\\n");
		else if (c == '\t')
			oputs("\\t");
		else if (c == '\r')
			oputs("\\r");
		else if (c < 0x20 || c == 0x7f)
			oputs("\\u00"), oputc("0123456789abcdef"[c >> 4]), oputc("0123456789abcdef"[c & 15]);
		else
			oputc(c);
	}
	oputc('"');
}

static void
put_csv(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && (unsigned char)s[i] >= 0x20 && s[i] != ',' && s[i] != '"'; i++)
		;
	if (i == n) {
		oput(s, n);
		return;
	}
	oputc('"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			oputc('"');
		oputc(s[i]);
	}
	oputc('"');
}

/* Write one header-row name. */
static void
put_title(const struct out *o, const char *t, int first)
{
	if (o->fmt == F_JSON) {
		oputs(first ? "{" : ",");
		put_json_str(t, strlen(t));
		oputc(':');
	} else if (o->fmt == F_CSV) {
		if (!first)
			oputc(',');
		put_csv(t, strlen(t));
	} else {
		if (!first)
			oputc('\t');
		oputs(t);
	}
}

/* Where a field is, for an error. */
struct at {
	int stream, nstream;
	const char *type, *col;
	size_t row;
};

/* Write one field, raw as the stream has it; dies on a malformed escape. */
static void
put_field(struct out *o, struct gp_arena *a, const char *raw, const struct at *at)
{
	const char *v = raw;
	size_t n, i;

	if (o->fmt == F_TSV && raw[0] != '"' && (raw[0] != '.' || raw[1])) {
		/* the common case, a field with nothing to decode or hide, in
		 * one pass: written as it is */
		for (i = 0; raw[i] && (unsigned char)raw[i] >= 0x20 && raw[i] != 0x7f && raw[i] != '%'; i++)
			;
		if (!raw[i]) {
			oput(raw, i);
			return;
		}
	}
	n = strlen(raw);
	if (!strcmp(raw, ".")) {
		if (o->fmt == F_JSON)
			oputs("null");
		else if (o->fmt == F_CSV)
			put_csv(o->na, strlen(o->na));
		else
			oputs(o->na);
		return;
	}
	if (o->fmt == F_JSON && isjsonnum(raw)) {
		oputs(raw);
		return;
	}
	if (!o->raw && strchr(raw, '%')) {
		if (!(v = gp_unesc(a, raw, n))) {
			char where[32] = "";

			if (at->nstream > 1)
				snprintf(where, sizeof where, "stream %d, ", at->stream);
			gp_die("stdin: %s%s record %zu, column %s: '%s' is not percent-encoded text",
			    where, at->type, at->row, at->col, raw);
		}
		for (i = 0; raw[i]; i++)     /* each %XX decodes to one byte, NUL too */
			n -= raw[i] == '%' ? 2 : 0;
		if (o->fmt != F_JSON && n == strlen(o->na) && !memcmp(v, o->na, n))
			v = raw, n = strlen(raw);    /* it must not read as unknown */
	}
	if (o->fmt == F_JSON) {
		if (!isutf8((const unsigned char *)v, n)) {
			/* JSON holds only UTF-8: this value stays percent-encoded, every byte past ASCII too */
			gp_buf_reset(&o->dec);
			for (i = 0; raw[i]; i++)
				if ((unsigned char)raw[i] >= 0x80)
					gp_buf_printf(&o->dec, "%%%02X", (unsigned char)raw[i]);
				else
					gp_buf_addc(&o->dec, raw[i]);
			v = o->dec.buf, n = o->dec.len;
		}
		put_json_str(v, n);
	} else if (o->fmt == F_CSV) {
		put_csv(v, n);
	} else {
		/* what a TSV field cannot hold, and what would start a quoted one;
		 * the text before the first of them in one piece */
		for (i = 0; i < n && (unsigned char)v[i] >= 0x20 && v[i] != 0x7f &&
		    !(v[i] == '%' && v != raw) && !(i == 0 && v[i] == '"'); i++)
			;
		oput(v, i);
		for (; i < n; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f || (v[i] == '%' && v != raw) ||
			    (i == 0 && v[i] == '"'))
				put_hex(v[i]);
			else
				oputc(v[i]);
	}
}

/* The text of a header column in stream st: its value, or "." */
static const char *
hdr_text(const struct stream *st, const struct col *c)
{
	int k;

	for (k = 0; k < st->nhv; k++)
		if (c->kind == C_PLAIN ? !st->hv[k].field && !strcmp(st->hv[k].key, c->name) :
		    st->hv[k].field && !strcmp(st->hv[k].key, c->key) && !strcmp(st->hv[k].field, c->name))
			return st->hv[k].val;
	return ".";
}

/* Write the table of type: a header row, then every record of every stream. */
static void
table(struct input *in, struct out *o, const char *type, const struct col *cols, int ncol)
{
	struct gp_arena a = {0};
	struct gp_table *t;
	const char **txt = gp_xcalloc((size_t)ncol, sizeof *txt);
	struct at at = {0, in->n, type, NULL, 0};
	char num[16];
	int *idx = gp_xcalloc((size_t)ncol, sizeof *idx), i, c;
	struct gp_block *b = NULL;
	size_t r;

	if (o->fmt != F_JSON) {
		for (c = 0; c < ncol; c++)
			put_title(o, cols[c].title, c == 0);
		oputc('\n');
	}
	for (i = 0; i < in->n; i++) {
		if (!(t = gp_table_get(&in->st[i].s, type)))
			continue;
		snprintf(num, sizeof num, "%d", i + 1);
		for (c = 0; c < ncol; c++) {
			idx[c] = cols[c].kind == C_REC ? gp_table_col(t, cols[c].name) : -1;
			txt[c] = cols[c].kind == C_REC ? "." : cols[c].kind == C_STREAM ? num :
			    hdr_text(&in->st[i], &cols[c]);
		}
		b = gp_xreallocarray(b, (size_t)t->ncol + 1, sizeof *b);
		for (r = 0; r < t->nrow; r++) {
			gp_table_row(t, r, b);
			for (c = 0; c < ncol; c++) {
				if (o->fmt == F_JSON)
					put_title(o, cols[c].title, c == 0);
				else if (c)
					oputc(o->fmt == F_CSV ? ',' : '\t');
				at.stream = i + 1, at.row = r + 1, at.col = cols[c].title;
				put_field(o, &a, idx[c] >= 0 ? gp_text(t, gp_block_handle(&b[idx[c]], r)) :
				    txt[c], &at);
			}
			oputs(o->fmt == F_JSON ? "}\n" : "\n");
			if (r % 1024 == 1023)
				gp_arena_release(&a);
		}
		gp_arena_release(&a);
	}
	oflush();
	free(b);
	free(idx);
	free(txt);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"na", required_argument, NULL, 'n'},
		{"raw", no_argument, NULL, 'r'},
		{"list", no_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "", opts};
	static const char *const fmtnames[] = {"tsv", "csv", "json", NULL};
	static const enum fmt fmts[] = {F_TSV, F_CSV, F_JSON};
	struct out o = {F_TSV, "", 0, {0}};
	struct input in;
	struct col *cols;
	const char *type;
	int c, i, j, list = 0, ncol;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'f':
			o.fmt = fmts[gp_opt_enum("--format", optarg, fmtnames)];
			break;
		case 'n':
			if (strpbrk(optarg, "\t\n\r"))
				gp_die_status(GP_EXIT_USAGE, "--na: a tab or newline would break the table");
			o.na = optarg;
			break;
		case 'r':
			o.raw = 1;
			break;
		case 'l':
			list = 1;
			break;
		}
	}
	if (optind == argc ? !list : list && argc - optind > 1)
		gp_die_usage(usage);
	for (i = optind; i < argc; i++)
		for (j = optind; j < i; j++)
			if (!strcmp(argv[i], argv[j]))
				gp_die_status(GP_EXIT_USAGE, "column '%s' is named twice", argv[i]);
	type = optind < argc ? argv[optind] : NULL;

	load(&in, type);
	if (list) {
		types(&in, type, !type);
		if (type)
			printf("%s\n", names(&in, "\n"));
		release(&in);
		return gp_close_stdout();
	}
	types(&in, type, 0);
	ncol = argc - optind - 1;
	if (ncol) {
		cols = gp_xcalloc((size_t)ncol, sizeof *cols);
		for (i = 0; i < ncol; i++)
			cols[i] = resolve(&in, type, argv[optind + 1 + i]);
	} else {
		/* the records' columns; first the stream and its ##sweep fields if there are several */
		cols = gp_xcalloc((size_t)in.ncat, sizeof *cols);
		for (i = 0; in.n > 1 && i < in.ncat; i++)
			if (in.cat[i].kind == C_STREAM ||
			    (in.cat[i].kind == C_KV && !strcmp(in.cat[i].key, "sweep"))) {
				cols[ncol] = in.cat[i];
				cols[ncol++].title = title(&in, &in.cat[i]);
			}
		for (i = 0; i < in.ncat; i++)
			if (in.cat[i].kind == C_REC)
				cols[ncol++] = in.cat[i];
	}
	table(&in, &o, type, cols, ncol);
	free(cols);
	gp_buf_release(&o.dec);
	release(&in);
	return gp_close_stdout();
}
