/* hw-yaml.c - reading a profile's YAML (libyaml): one document, no anchors or
 * aliases, nesting bounded; its values checked as they are read, every error
 * naming the file, the 1-based line and column, and the field; every number
 * covered by a cited source
 *
 * The chip profile (hw.c) and the runtime profile (hw-runtime.c) are read
 * through gp_yaml_parse, each with its own keys; docs/hardware.md is the
 * schema. A profile is refused whole rather than half read.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "gp.h"
#include "hw.h"

/* the reading under way, freed by gp_die too (a fuzzer longjmps out of it) */
static struct rd *live;

/* rd_release frees what the reading under way holds */
static void
rd_release(void)
{
	if (!live)
		return;
	free(live->num);
	free(live->numline);
	free(live->S.cover);
	if (live->inev)
		yaml_event_delete(&live->ev);
	if (live->parsing)
		yaml_parser_delete(&live->parser);
	if (live->loaded)
		yaml_document_delete(&live->doc);
	live = NULL;
	gp_die_cleanup = NULL;
}

/* vbad dies with the message fmt, ap, naming the file and (m) where in it */
static void __attribute__((noreturn))
vbad(struct rd *R, const yaml_mark_t *m, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (m)
		gp_die("%s:%zu:%zu: %s", R->file, m->line + 1, m->column + 1, msg);
	gp_die("%s: %s", R->file, msg);
}

/* gp_yaml_bad: see hw.h */
void
gp_yaml_bad(struct rd *R, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(R, n ? &n->start_mark : NULL, fmt, ap);
}

/* badat dies naming the file, and the line and column of mark m */
static void __attribute__((noreturn, format(printf, 3, 4)))
badat(struct rd *R, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(R, m, fmt, ap);
}

/* gp_yaml_node, gp_yaml_scalar, gp_yaml_text: see hw.h */
yaml_node_t *
gp_yaml_node(struct rd *R, int i)
{
	return yaml_document_get_node(&R->doc, i);
}

const char *
gp_yaml_scalar(struct rd *R, yaml_node_t *n, const char *path)
{
	if (n->type != YAML_SCALAR_NODE)
		gp_yaml_bad(R, n, "'%s' must be a single value", path);
	if (strlen((char *)n->data.scalar.value) != n->data.scalar.length)
		gp_yaml_bad(R, n, "'%s' holds a NUL byte", path);
	return gp_arena_strdup(&R->h->arena, (char *)n->data.scalar.value);
}

const char *
gp_yaml_text(struct rd *R, yaml_node_t *n, const char *path)
{
	const char *s = gp_yaml_scalar(R, n, path);

	if (!*s)
		gp_yaml_bad(R, n, "'%s' is empty", path);
	return s;
}

/* gp_yaml_fact remembers path, a fact node n holds, for the sources check */
void
gp_yaml_fact(struct rd *R, const yaml_node_t *n, const char *path)
{
	if (R->nnum == R->capnum) {
		R->capnum = R->capnum ? 2 * R->capnum : 32;
		R->num = gp_xreallocarray(R->num, (size_t)R->capnum, sizeof *R->num);
		R->numline = gp_xreallocarray(R->numline, (size_t)R->capnum, sizeof *R->numline);
	}
	R->num[R->nnum] = gp_arena_strdup(&R->h->arena, path);
	R->numline[R->nnum++] = (int)n->start_mark.line + 1;
}

/* gp_yaml_number: a number in [lo, hi]; remembered by its path for the
 * sources check */
double
gp_yaml_number(struct rd *R, yaml_node_t *n, const char *path, double lo, double hi)
{
	const char *s = gp_yaml_scalar(R, n, path);
	double v;

	if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		gp_yaml_bad(R, n, "'%s': '%s' is quoted text, not a number", path, s);
	if (gp_parse_si(s, &v))
		gp_yaml_bad(R, n, "'%s': '%s' is not a number (a plain number, or one with a suffix k M G T, "
		    "Ki Mi Gi, m u n)", path, s);
	if (!(v >= lo && v <= hi))
		gp_yaml_bad(R, n, "'%s': %s is out of range (%g to %g)", path, s, lo, hi);
	gp_yaml_fact(R, n, path);
	return v;
}

struct keyat {
	const char *key;
	int i;                      /* its place in the mapping */
};

/* cmp_keyat orders keys by name, then by place */
static int
cmp_keyat(const void *a, const void *b)
{
	const struct keyat *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* the place of the first pair of m whose key an earlier pair has, or -1; by
 * sorting, so that a mapping of many keys (per_thread) costs n log n */
static int
first_twice(struct rd *R, yaml_node_t *m, const char *path)
{
	yaml_node_pair_t *p;
	struct keyat *v;
	size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start), i;
	int first = -1;

	if (n < 2)
		return -1;
	v = gp_arena_alloc(&R->h->arena, n * sizeof *v);
	for (p = m->data.mapping.pairs.start, i = 0; p < m->data.mapping.pairs.top; p++, i++) {
		v[i].key = gp_yaml_scalar(R, gp_yaml_node(R, p->key), path);
		v[i].i = (int)i;
	}
	qsort(v, n, sizeof *v, cmp_keyat);
	for (i = 1; i < n; i++)
		if (!strcmp(v[i].key, v[i - 1].key) && (first < 0 || v[i].i < first))
			first = v[i].i;
	return first;
}

/* gp_yaml_map walks the pairs of mapping m; each key must be one of keys
 * (NULL-ended; NULL: any key), at most once; calls f for each */
void
gp_yaml_map(struct rd *R, yaml_node_t *m, const char *path, const char *const *keys, pairfn f, void *arg)
{
	yaml_node_pair_t *p;
	int twice, i, at;

	if (m->type != YAML_MAPPING_NODE)
		gp_yaml_bad(R, m, "'%s' must be a mapping of 'key: value' lines", path);
	twice = first_twice(R, m, path);
	for (p = m->data.mapping.pairs.start, at = 0; p < m->data.mapping.pairs.top; p++, at++) {
		yaml_node_t *k = gp_yaml_node(R, p->key), *v = gp_yaml_node(R, p->value);
		const char *key = gp_yaml_scalar(R, k, path), *full;

		for (i = 0; keys && keys[i] && strcmp(keys[i], key); i++)
			;
		if (keys && !keys[i]) {
			/* the list in the profile's arena, which outlives gp_yaml_bad's exit */
			const char *list = "";

			for (i = 0; keys[i]; i++)
				list = gp_arena_printf(&R->h->arena, "%s%s%s", list,
				    i ? keys[i + 1] ? ", " : " and " : "", keys[i]);
			gp_yaml_bad(R, k, "unknown field '%s%s%s': it takes %s", *path ? path : "",
			    *path ? "." : "", key, list);
		}
		if (at == twice)
			gp_yaml_bad(R, k, "field '%s%s%s' appears twice", *path ? path : "", *path ? "." : "", key);
		full = *path ? gp_arena_printf(&R->h->arena, "%s.%s", path, key) : key;
		f(R, key, v, full, arg);
	}
}

/* source_pair reads one field of a source: cite and url are text, covers
 * the list of the fields it covers (into S) */
static void
source_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct srcs *S = arg;
	yaml_node_item_t *it;

	if (!strcmp(key, "cite") || !strcmp(key, "url")) {
		gp_yaml_text(R, v, path);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		gp_yaml_bad(R, v, "'%s' must be a list of the fields it covers, e.g. [units, peak_ops.fp16]", path);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		if (S->ncover == S->cap) {
			S->cap = S->cap ? 2 * S->cap : 32;
			S->cover = gp_xreallocarray(S->cover, (size_t)S->cap, sizeof *S->cover);
		}
		S->cover[S->ncover++] = (char *)gp_yaml_text(R, gp_yaml_node(R, *it), path);
	}
}

/* gp_yaml_sources reads the sources list into S; dies on an entry without
 * both cite and covers */
void
gp_yaml_sources(struct rd *R, yaml_node_t *seq, struct srcs *S)
{
	static const char *const keys[] = {"cite", "url", "covers", NULL};
	yaml_node_item_t *it;
	int i = 0;

	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top == seq->data.sequence.items.start)
		gp_yaml_bad(R, seq, "'sources' must be a list of '- cite: ...' entries");
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, i++) {
		yaml_node_t *m = gp_yaml_node(R, *it);
		yaml_node_pair_t *p;
		int cite = 0, covers = 0;

		gp_yaml_map(R, m, gp_arena_printf(&R->h->arena, "sources[%d]", i), keys, source_pair, S);
		for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			const char *k = (char *)gp_yaml_node(R, p->key)->data.scalar.value;

			cite |= !strcmp(k, "cite");
			covers |= !strcmp(k, "covers");
		}
		if (!cite || !covers)
			gp_yaml_bad(R, m, "source %d needs both 'cite' and 'covers'", i + 1);
	}
}

/* the first of v[0..n) (sorted) not below s, or (after) above it */
static int
bound(const struct keyat *v, int n, const char *s, int after)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(v[mid].key, s);

		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Die naming the first number (in the file's order) no source covers. A cover
 * covers the path equal to it and those below it ("memory" covers
 * "memory.hbm.bandwidth"); with the paths sorted, those below C are the run
 * from the first path >= "C." to the first >= "C/", so the check costs
 * (numbers + covers) log numbers, not their product. */
static void
check_covered(struct rd *R)
{
	struct gp_buf b = {0};
	struct keyat *v;
	char *covered;
	int *d, n = R->nnum, i, run;

	if (!n)
		return;
	v = gp_arena_alloc(&R->h->arena, (size_t)n * sizeof *v);
	d = gp_arena_alloc(&R->h->arena, ((size_t)n + 1) * sizeof *d);
	covered = gp_arena_alloc(&R->h->arena, (size_t)n);
	memset(d, 0, ((size_t)n + 1) * sizeof *d);
	for (i = 0; i < n; i++) {
		v[i].key = R->num[i];
		v[i].i = i;
	}
	qsort(v, (size_t)n, sizeof *v, cmp_keyat);
	for (i = 0; i < R->S.ncover; i++) {
		const char *c = R->S.cover[i];

		d[bound(v, n, c, 0)]++;
		d[bound(v, n, c, 1)]--;
		gp_buf_reset(&b);
		gp_buf_printf(&b, "%s.", c);
		d[bound(v, n, b.buf, 0)]++;
		b.buf[b.len - 1] = '/';
		d[bound(v, n, b.buf, 0)]--;
	}
	gp_buf_release(&b);
	for (i = 0, run = 0; i < n; i++) {
		run += d[i];
		covered[v[i].i] = run > 0;
	}
	for (i = 0; i < n; i++)
		if (!covered[i])
			gp_die("%s:%d: '%s' has no source: add it to the 'covers' of the source it comes from",
			    R->file, R->numline[i], R->num[i]);
}

/* A profile needs 4 levels of nesting (sources, a source, its covers); deeper
 * ones are refused as they are read, before libyaml's scanner, whose time grows
 * with the square of the depth, goes far into them. */
#define MAXDEPTH 8

/* refuse_anchor dies on an anchor of the event being read */
static void
refuse_anchor(struct rd *R, const yaml_char_t *anchor)
{
	if (anchor)
		badat(R, &R->ev.start_mark, "an anchor (&%s): a hardware profile has no anchors or "
		    "aliases; write each value out", (const char *)anchor);
}

/* Read text into R->doc event by event, as yaml_parser_load would, but refuse
 * a second document, anchors and aliases (one alias of a long list repeated
 * would multiply the work), and nesting deeper than MAXDEPTH; each with the
 * line and column of what is refused. */
static void
load(struct rd *R, const unsigned char *text, size_t len)
{
	int open[MAXDEPTH], key[MAXDEPTH];  /* the open collections; a mapping's key read (0: none) */
	int depth = 0, ndoc = 0, end = 0;
	yaml_event_t *e = &R->ev;

	if (!yaml_parser_initialize(&R->parser))
		gp_die("%s: cannot start the YAML parser", R->file);
	R->parsing = 1;
	yaml_parser_set_input_string(&R->parser, text, len);
	if (!yaml_document_initialize(&R->doc, NULL, NULL, NULL, 1, 1))
		gp_die("%s: out of memory", R->file);
	R->loaded = 1;
	while (!end) {
		const yaml_char_t *tag = NULL;
		int id = 0, coll = 0;

		if (!yaml_parser_parse(&R->parser, e)) {
			yaml_parser_t *p = &R->parser;

			gp_die("%s:%zu:%zu: not YAML: %s%s%s", R->file, p->problem_mark.line + 1,
			    p->problem_mark.column + 1, p->problem ? p->problem : "syntax error",
			    p->context ? " " : "", p->context ? p->context : "");
		}
		R->inev = 1;
		switch (e->type) {
		case YAML_STREAM_END_EVENT:
			end = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ndoc++)
				badat(R, &e->start_mark, "a second YAML document: a hardware profile is one "
				    "document");
			break;
		case YAML_ALIAS_EVENT:
			badat(R, &e->start_mark, "an alias (*%s): a hardware profile has no anchors or "
			    "aliases; write each value out", (const char *)e->data.alias.anchor);
		case YAML_SCALAR_EVENT:
			refuse_anchor(R, e->data.scalar.anchor);
			tag = e->data.scalar.tag;
			if (tag && !strcmp((const char *)tag, "!"))
				tag = NULL;
			id = yaml_document_add_scalar(&R->doc, tag, e->data.scalar.value,
			    (int)e->data.scalar.length, e->data.scalar.style);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			coll = 1;
			if (depth == MAXDEPTH)
				badat(R, &e->start_mark, "nested more than %d levels deep: not a hardware "
				    "profile", MAXDEPTH);
			if (e->type == YAML_SEQUENCE_START_EVENT) {
				refuse_anchor(R, e->data.sequence_start.anchor);
				id = yaml_document_add_sequence(&R->doc, e->data.sequence_start.tag,
				    e->data.sequence_start.style);
			} else {
				refuse_anchor(R, e->data.mapping_start.anchor);
				id = yaml_document_add_mapping(&R->doc, e->data.mapping_start.tag,
				    e->data.mapping_start.style);
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			gp_yaml_node(R, open[--depth])->end_mark = e->end_mark;
			break;
		default:
			break;
		}
		if (e->type == YAML_SCALAR_EVENT || coll) {
			yaml_node_t *n;
			int ok = 1;

			if (!id)
				gp_die("%s: out of memory", R->file);
			n = gp_yaml_node(R, id);
			n->start_mark = e->start_mark;
			n->end_mark = e->end_mark;
			if (depth > 0 && gp_yaml_node(R, open[depth - 1])->type == YAML_SEQUENCE_NODE)
				ok = yaml_document_append_sequence_item(&R->doc, open[depth - 1], id);
			else if (depth > 0 && !key[depth - 1])
				key[depth - 1] = id;
			else if (depth > 0) {
				ok = yaml_document_append_mapping_pair(&R->doc, open[depth - 1],
				    key[depth - 1], id);
				key[depth - 1] = 0;
			}
			if (!ok)
				gp_die("%s: out of memory", R->file);
			if (coll) {
				open[depth] = id;
				key[depth++] = 0;
			}
		}
		yaml_event_delete(e);
		R->inev = 0;
	}
	yaml_parser_delete(&R->parser);
	R->parsing = 0;
}

/* what the walk of a profile's top level carries: its kind, the fields seen */
struct top {
	const struct profile_kind *k;
	int have[32];
};

/* top_field marks a top-level field as present and reads it as its kind does */
static void
top_field(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct top *T = arg;
	int i;

	for (i = 0; strcmp(T->k->keys[i], key); i++)
		;
	T->have[i] = 1;
	T->k->pair(R, key, v, path, NULL);
}

/* gp_yaml_parse reads profile text (of file) into h as kind k says: a
 * mapping of k's keys, each pair handed to k->pair, the required ones
 * present, k->check of the whole, then every number covered by a source. Dies
 * on the first thing wrong, naming the file and, where it can, the line and
 * column. */
void
gp_yaml_parse(struct gp_hw *h, const char *file, const unsigned char *text, size_t len,
    const struct profile_kind *k)
{
	struct rd R;
	struct top T;
	yaml_node_t *root;
	int i, j;

	memset(&R, 0, sizeof R);
	memset(&T, 0, sizeof T);
	T.k = k;
	R.h = h;
	R.file = file;
	live = &R;
	gp_die_cleanup = rd_release;
	load(&R, text, len);
	if (!(root = yaml_document_get_root_node(&R.doc)))
		gp_yaml_bad(&R, NULL, "empty file, not a %s profile", k->what);
	gp_yaml_map(&R, root, "", k->keys, top_field, &T);
	for (i = 0; k->required[i]; i++) {
		for (j = 0; strcmp(k->keys[j], k->required[i]); j++)
			;
		if (!T.have[j])
			gp_yaml_bad(&R, NULL, "the required field '%s' is missing (docs/hardware.md)", k->required[i]);
	}
	if (k->check)
		k->check(&R);
	check_covered(&R);
	rd_release();
}
