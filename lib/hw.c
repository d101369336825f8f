/* hw.c - hardware profiles: find, read (libyaml) and validate hw/NAME.yaml
 *
 * The schema is docs/hardware.md. Every error names the file, the 1-based
 * line and column, and the field; a profile is refused whole rather than
 * half read. Every number must be covered by a cited source.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <yaml.h>

#include "gp.h"

#ifndef GP_SHAREDIR
#define GP_SHAREDIR "/usr/local/share/gp"
#endif

/* ---- reading ---- */

struct srcs {
	char **cover;
	int ncover, cap;
};

struct rd {
	struct gp_hw *h;
	const char *file;
	yaml_parser_t parser;
	int parsing;                /* parser is initialised */
	yaml_event_t ev;
	int inev;                   /* ev holds an event */
	yaml_document_t doc;
	int loaded;                 /* doc holds a document */
	char **num;                 /* the dotted paths of every number read */
	int *numline;
	int nnum, capnum;
	struct srcs S;              /* every path a source covers */
};

/* the reading under way, freed by gp_die too (a fuzzer longjmps out of it) */
static struct rd *live;

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

static void __attribute__((noreturn))
vbad(struct rd *R, const yaml_mark_t *m, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (m)
		gp_die("%s:%zu:%zu: %s", R->file, m->line + 1, m->column + 1, msg);
	gp_die("%s: %s", R->file, msg);
}

/* die naming the file, and the line and column of n (or of m) when given */
static void __attribute__((noreturn, format(printf, 3, 4)))
bad(struct rd *R, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(R, n ? &n->start_mark : NULL, fmt, ap);
}

static void __attribute__((noreturn, format(printf, 3, 4)))
badat(struct rd *R, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(R, m, fmt, ap);
}

static yaml_node_t *
node(struct rd *R, int i)
{
	return yaml_document_get_node(&R->doc, i);
}

static const char *
scalar(struct rd *R, yaml_node_t *n, const char *path)
{
	if (n->type != YAML_SCALAR_NODE)
		bad(R, n, "'%s' must be a single value", path);
	if (strlen((char *)n->data.scalar.value) != n->data.scalar.length)
		bad(R, n, "'%s' holds a NUL byte", path);
	return gp_arena_strdup(&R->h->arena, (char *)n->data.scalar.value);
}

static const char *
text(struct rd *R, yaml_node_t *n, const char *path)
{
	const char *s = scalar(R, n, path);

	if (!*s)
		bad(R, n, "'%s' is empty", path);
	return s;
}

/* a number in [lo, hi]; remembered by its path for the sources check */
static double
number(struct rd *R, yaml_node_t *n, const char *path, double lo, double hi)
{
	const char *s = scalar(R, n, path);
	double v;

	if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		bad(R, n, "'%s': '%s' is quoted text, not a number", path, s);
	if (gp_parse_si(s, &v))
		bad(R, n, "'%s': '%s' is not a number (a plain number, or one with a suffix k M G T, "
		    "Ki Mi Gi, m u n)", path, s);
	if (!(v >= lo && v <= hi))
		bad(R, n, "'%s': %s is out of range (%g to %g)", path, s, lo, hi);
	if (R->nnum == R->capnum) {
		R->capnum = R->capnum ? 2 * R->capnum : 32;
		R->num = gp_xreallocarray(R->num, (size_t)R->capnum, sizeof *R->num);
		R->numline = gp_xreallocarray(R->numline, (size_t)R->capnum, sizeof *R->numline);
	}
	R->num[R->nnum] = gp_arena_strdup(&R->h->arena, path);
	R->numline[R->nnum++] = (int)n->start_mark.line + 1;
	return v;
}

struct keyat {
	const char *key;
	int i;                      /* its place in the mapping */
};

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
		v[i].key = scalar(R, node(R, p->key), path);
		v[i].i = (int)i;
	}
	qsort(v, n, sizeof *v, cmp_keyat);
	for (i = 1; i < n; i++)
		if (!strcmp(v[i].key, v[i - 1].key) && (first < 0 || v[i].i < first))
			first = v[i].i;
	return first;
}

/* walk the pairs of mapping m; each key must be one of keys (NULL-ended),
 * at most once; calls f for each */
typedef void (*pairfn)(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg);

static void
mapping(struct rd *R, yaml_node_t *m, const char *path, const char *const *keys, pairfn f, void *arg)
{
	yaml_node_pair_t *p;
	int twice, i, at;

	if (m->type != YAML_MAPPING_NODE)
		bad(R, m, "'%s' must be a mapping of 'key: value' lines", path);
	twice = first_twice(R, m, path);
	for (p = m->data.mapping.pairs.start, at = 0; p < m->data.mapping.pairs.top; p++, at++) {
		yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
		const char *key = scalar(R, k, path), *full;

		for (i = 0; keys && keys[i] && strcmp(keys[i], key); i++)
			;
		if (keys && !keys[i])
			bad(R, k, "unknown field '%s%s%s'", *path ? path : "", *path ? "." : "", key);
		if (at == twice)
			bad(R, k, "field '%s%s%s' appears twice", *path ? path : "", *path ? "." : "", key);
		full = *path ? gp_arena_printf(&R->h->arena, "%s.%s", path, key) : key;
		f(R, key, v, full, arg);
	}
}

static void
peak_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	double *dst = arg;

	dst[gp_prec_from_name(key)] = number(R, v, path, 1, 1e21);
}

static void
pj_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	double *dst = arg;

	dst[gp_prec_from_name(key)] = number(R, v, path, 0, 1e6);
}

static void
mem_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw_mem *m = arg;

	/* the numbers are read once the level is named: their paths hold its name */
	if (!strcmp(key, "level"))
		m->level = text(R, v, path);
}

static void
memory(struct rd *R, yaml_node_t *seq)
{
	static const char *const keys[] = {"level", "capacity", "bandwidth", "pj_per_byte", "read_bandwidth",
		"write_bandwidth", NULL};
	struct gp_hw *h = R->h;
	yaml_node_item_t *it;
	int i, j;

	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top == seq->data.sequence.items.start)
		bad(R, seq, "'memory' must be a list of levels ('- level: ...'), outermost first");
	h->nmem = (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (h->nmem > 16)
		bad(R, seq, "'memory' has %d levels; at most 16", h->nmem);
	h->mem = gp_arena_alloc(&h->arena, (size_t)h->nmem * sizeof *h->mem);
	for (it = seq->data.sequence.items.start, i = 0; it < seq->data.sequence.items.top; it++, i++) {
		yaml_node_t *m = node(R, *it);
		struct gp_hw_mem *L = &h->mem[i];
		const char *base;
		yaml_node_pair_t *p;

		memset(L, 0, sizeof *L);
		L->capacity = L->bandwidth = L->pj_per_byte = L->read_bw = L->write_bw = -1;
		mapping(R, m, gp_arena_printf(&h->arena, "memory[%d]", i), keys, mem_pair, L);
		if (!L->level)
			bad(R, m, "memory level %d has no 'level' name", i + 1);
		for (j = 0; j < i; j++)
			if (!strcmp(h->mem[j].level, L->level))
				bad(R, m, "memory level '%s' appears twice", L->level);
		base = gp_arena_printf(&h->arena, "memory.%s", L->level);
		for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			const char *k = (char *)node(R, p->key)->data.scalar.value;
			yaml_node_t *v = node(R, p->value);
			const char *path = gp_arena_printf(&h->arena, "%s.%s", base, k);

			if (!strcmp(k, "capacity"))
				L->capacity = number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "bandwidth"))
				L->bandwidth = number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "pj_per_byte"))
				L->pj_per_byte = number(R, v, path, 0, 1e6);
			else if (!strcmp(k, "read_bandwidth"))
				L->read_bw = number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "write_bandwidth"))
				L->write_bw = number(R, v, path, 1, 1e18);
		}
		if (L->bandwidth < 0)
			bad(R, m, "memory level '%s' has no 'bandwidth'", L->level);
		if (L->read_bw < 0)
			L->read_bw = L->bandwidth;
		if (L->write_bw < 0)
			L->write_bw = L->bandwidth;
		if (i > 0 && L->capacity < 0)
			bad(R, m, "memory level '%s' has no 'capacity' (only the outermost level may leave "
			    "it out)", L->level);
		if (i > 0 && h->mem[i - 1].capacity >= 0 && L->capacity > h->mem[i - 1].capacity)
			bad(R, m, "memory level '%s' is larger than '%s' before it: list levels outermost "
			    "(largest) first", L->level, h->mem[i - 1].level);
	}
}

static void
source_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct srcs *S = arg;
	yaml_node_item_t *it;

	if (!strcmp(key, "cite") || !strcmp(key, "url")) {
		text(R, v, path);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		bad(R, v, "'%s' must be a list of the fields it covers, e.g. [units, peak_ops.fp16]", path);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		if (S->ncover == S->cap) {
			S->cap = S->cap ? 2 * S->cap : 32;
			S->cover = gp_xreallocarray(S->cover, (size_t)S->cap, sizeof *S->cover);
		}
		S->cover[S->ncover++] = (char *)text(R, node(R, *it), path);
	}
}

static void
sources(struct rd *R, yaml_node_t *seq, struct srcs *S)
{
	static const char *const keys[] = {"cite", "url", "covers", NULL};
	yaml_node_item_t *it;
	int i = 0;

	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top == seq->data.sequence.items.start)
		bad(R, seq, "'sources' must be a list of '- cite: ...' entries");
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, i++) {
		yaml_node_t *m = node(R, *it);
		yaml_node_pair_t *p;
		int cite = 0, covers = 0;

		mapping(R, m, gp_arena_printf(&R->h->arena, "sources[%d]", i), keys, source_pair, S);
		for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			const char *k = (char *)node(R, p->key)->data.scalar.value;

			cite |= !strcmp(k, "cite");
			covers |= !strcmp(k, "covers");
		}
		if (!cite || !covers)
			bad(R, m, "source %d needs both 'cite' and 'covers'", i + 1);
	}
}

static void
power_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;

	if (!strcmp(key, "tdp_w"))
		h->tdp_w = number(R, v, path, 1e-3, 1e7);
	else
		h->idle_w = number(R, v, path, 0, 1e7);
}

static void
eff_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;

	if (!strcmp(key, "compute"))
		h->eff_compute = number(R, v, path, 1e-3, 1);
	else
		h->eff_memory = number(R, v, path, 1e-3, 1);
}

static void
per_thread_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	(void)key;
	(void)arg;
	number(R, v, path, 0, 1e21);
}

/* matrix.PREC: a list of tiles "MxNxK"; the list is one fact, covered by a source like a number */
static void
tile_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;
	int p = gp_prec_from_name(key), n = 0;
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		bad(R, v, "'%s' must be a list of tiles MxNxK, e.g. [128x128x32, 64x64x32]", path);
	if (v->data.sequence.items.top - v->data.sequence.items.start > 64)
		bad(R, v, "'%s' has more than 64 tiles", path);
	h->tile[p] = gp_arena_alloc(&h->arena,
	    (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) * sizeof *h->tile[p]);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *t = node(R, *it);
		const char *s = scalar(R, t, path);
		struct gp_hw_tile *T = &h->tile[p][n++];
		long long a, b, c;
		int used = 0;

		if (sscanf(s, "%lldx%lldx%lld%n", &a, &b, &c, &used) != 3 || s[used] || a < 1 || b < 1 ||
		    c < 1 || a > 65536 || b > 65536 || c > 65536)
			bad(R, t, "'%s': '%s' is not a tile MxNxK of whole numbers 1 to 65536", path, s);
		T->m = a;
		T->n = b;
		T->k = c;
	}
	h->ntile[p] = n;
	/* remembered for the sources check, as a number is */
	if (R->nnum == R->capnum) {
		R->capnum = R->capnum ? 2 * R->capnum : 32;
		R->num = gp_xreallocarray(R->num, (size_t)R->capnum, sizeof *R->num);
		R->numline = gp_xreallocarray(R->numline, (size_t)R->capnum, sizeof *R->numline);
	}
	R->num[R->nnum] = gp_arena_strdup(&h->arena, path);
	R->numline[R->nnum++] = (int)v->start_mark.line + 1;
}

struct top {
	int have[32];
};

static const char *const topkeys[] = {
	"name", "title", "vendor", "kind", "units", "unit", "clock_hz", "threads_per_unit",
	"peak_ops", "memory", "power", "pj_per_flop", "efficiency", "launch_s", "launch_per", "run_s",
	"sources", "per_thread", "matrix", "vector_ops", "host_link", NULL,
};

static void
top_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	const char *const *preckeys = gp_prec_names;
	static const char *const powkeys[] = {"tdp_w", "idle_w", NULL};
	static const char *const effkeys[] = {"compute", "memory", NULL};
	struct top *T = arg;
	struct gp_hw *h = R->h;
	int i;

	for (i = 0; strcmp(topkeys[i], key); i++)
		;
	T->have[i] = 1;
	if (!strcmp(key, "name"))
		h->name = text(R, v, path);
	else if (!strcmp(key, "title"))
		h->title = text(R, v, path);
	else if (!strcmp(key, "vendor"))
		h->vendor = text(R, v, path);
	else if (!strcmp(key, "kind")) {
		h->kind = text(R, v, path);
		if (strcmp(h->kind, "gpu") && strcmp(h->kind, "cpu") && strcmp(h->kind, "npu") &&
		    strcmp(h->kind, "tpu") && strcmp(h->kind, "dsp"))
			bad(R, v, "'kind': '%s' is not gpu, cpu, npu, tpu or dsp", h->kind);
	} else if (!strcmp(key, "units")) {
		h->units = number(R, v, path, 1, 1e7);
		if (h->units != floor(h->units))
			bad(R, v, "'units': %g is not a whole number", h->units);
	} else if (!strcmp(key, "unit"))
		h->unit = text(R, v, path);
	else if (!strcmp(key, "clock_hz"))
		h->clock_hz = number(R, v, path, 1e3, 1e11);
	else if (!strcmp(key, "threads_per_unit"))
		h->threads_per_unit = number(R, v, path, 1, 1e9);
	else if (!strcmp(key, "peak_ops"))
		mapping(R, v, path, preckeys, peak_pair, h->peak);
	else if (!strcmp(key, "pj_per_flop"))
		mapping(R, v, path, preckeys, pj_pair, h->pj_per_flop);
	else if (!strcmp(key, "memory"))
		memory(R, v);
	else if (!strcmp(key, "power"))
		mapping(R, v, path, powkeys, power_pair, h);
	else if (!strcmp(key, "efficiency"))
		mapping(R, v, path, effkeys, eff_pair, h);
	else if (!strcmp(key, "launch_s"))
		h->launch_s = number(R, v, path, 0, 10);
	else if (!strcmp(key, "run_s"))
		h->run_s = number(R, v, path, 0, 10);
	else if (!strcmp(key, "launch_per")) {
		const char *s = text(R, v, path);

		if (strcmp(s, "kernel") && strcmp(s, "model"))
			bad(R, v, "'launch_per': '%s' is not kernel or model", s);
		h->launch_per_model = !strcmp(s, "model");
	} else if (!strcmp(key, "sources"))
		sources(R, v, &R->S);
	else if (!strcmp(key, "matrix"))
		mapping(R, v, path, preckeys, tile_pair, h);
	else if (!strcmp(key, "vector_ops"))
		mapping(R, v, path, preckeys, peak_pair, h->vpeak);
	else if (!strcmp(key, "host_link"))
		h->host_link = number(R, v, path, 1, 1e18);
	else
		mapping(R, v, path, NULL, per_thread_pair, NULL);
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
			node(R, open[--depth])->end_mark = e->end_mark;
			break;
		default:
			break;
		}
		if (e->type == YAML_SCALAR_EVENT || coll) {
			yaml_node_t *n;
			int ok = 1;

			if (!id)
				gp_die("%s: out of memory", R->file);
			n = node(R, id);
			n->start_mark = e->start_mark;
			n->end_mark = e->end_mark;
			if (depth > 0 && node(R, open[depth - 1])->type == YAML_SEQUENCE_NODE)
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

static void rt_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg);
static const char *const rtkeys[];

/* parse a hardware profile, or (runtime) a runtime profile into h->rt */
static void
parse(struct gp_hw *h, const char *file, const unsigned char *text, size_t len, int runtime)
{
	static const char *const hwrequired[] = {
		"name", "title", "vendor", "kind", "units", "unit", "clock_hz", "threads_per_unit",
		"peak_ops", "memory", "launch_s", "sources", NULL,
	};
	static const char *const rtrequired[] = {"name", "title", "runs_on", "sources", NULL};
	const char *const *required = runtime ? rtrequired : hwrequired;
	const char *const *keys = runtime ? rtkeys : topkeys;
	struct rd R;
	struct top T;
	yaml_node_t *root;
	int i, k, any = 0;

	memset(&R, 0, sizeof R);
	memset(&T, 0, sizeof T);
	R.h = h;
	R.file = file;
	live = &R;
	gp_die_cleanup = rd_release;
	load(&R, text, len);
	if (!(root = yaml_document_get_root_node(&R.doc)))
		bad(&R, NULL, "empty file, not a %s profile", runtime ? "runtime" : "hardware");
	mapping(&R, root, "", keys, runtime ? rt_pair : top_pair, &T);
	for (i = 0; required[i]; i++) {
		for (k = 0; strcmp(keys[k], required[i]); k++)
			;
		if (!T.have[k])
			bad(&R, NULL, "the required field '%s' is missing (docs/hardware.md)", required[i]);
	}
	for (i = 0; i < GP_PREC_N; i++)
		any |= h->peak[i] > 0;
	if (!any && !runtime)
		bad(&R, NULL, "'peak_ops' has no precision (fp32, fp16, int8, ...)");
	check_covered(&R);
	rd_release();
}

static void
init(struct gp_hw *h)
{
	int i;

	memset(h, 0, sizeof *h);
	h->tdp_w = h->idle_w = h->host_link = -1;
	h->eff_compute = h->eff_memory = 1;
	for (i = 0; i < GP_PREC_N; i++)
		h->pj_per_flop[i] = -1;
}

void
gp_hw_parse(struct gp_hw *h, const char *file, const char *text, size_t len)
{
	init(h);
	h->path = gp_arena_strdup(&h->arena, file);
	parse(h, h->path, (const unsigned char *)text, len, 0);
}

/* ---- finding ---- */

/* the directories profiles are looked up in, in order, as one string "a:b:c" */
static char *
dirs(void)
{
	struct gp_buf b = {0};
	const char *env = getenv("GP_HW_PATH");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		gp_buf_printf(&b, "%s:", env);
	/* beside the programs: hw/ of the source tree (bin/..), or an install's share dir */
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		char *s;

		exe[n] = 0;
		if ((s = strrchr(exe, '/'))) {
			*s = 0;
			if ((s = strrchr(exe, '/'))) {
				*s = 0;
				gp_buf_printf(&b, "%s/hw:%s/share/gp/hw:", exe, exe);
			}
		}
	}
	gp_buf_printf(&b, "%s/hw", GP_SHAREDIR);
	return b.buf;
}

#define PROFILE_MAX (1 << 20)

/* a profile read from a pipe: no more than PROFILE_MAX bytes */
static const char *
small(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	return n > PROFILE_MAX ? "more than 1 MiB: not a hardware profile" : NULL;
}

struct load {
	struct gp_hw *h;
	const char *path;
	const struct gp_file *f;
	int runtime;                        /* a runtime profile, not a chip's */
};

static void
parse_file(void *arg)
{
	struct load *L = arg;

	if (L->runtime)
		gp_hw_parse_runtime(L->h, L->path, L->f->n ? (const char *)L->f->p : "", L->f->n);
	else
		gp_hw_parse(L->h, L->path, L->f->n ? (const char *)L->f->p : "", L->f->n);
}

/* Read and parse the profile in path, whole, as every gp program reads a
 * whole file (file.c: mapped, and a file that shrinks meanwhile is an
 * error); dies naming path. */
static void
load_file(struct gp_hw *h, const char *path, int runtime)
{
	struct gp_file f;
	struct load L = {h, path, &f, runtime};

	gp_file_open(&f, path, small, NULL, 2 * PROFILE_MAX);
	if (f.n > PROFILE_MAX)
		gp_die("%s: more than 1 MiB: not a hardware profile", path);
	gp_file_guard(&f, path, parse_file, &L);
	gp_file_close(&f);
}

/* find: the file spec names, a path (with a '/' or ending in .yaml) or a
 * name looked up in the profile directories (under sub/ for a runtime, sub
 * "" for a chip); *byname says which. Dies on a bad or unknown name. */
static char *
find(const char *spec, const char *sub, int *byname)
{
	const char *what = *sub ? "runtime profile" : "hardware profile", *list = *sub ? "--list-runtimes" : "--list";
	char *all, *d, *save = NULL, *path = NULL;
	int found = 0;

	*byname = !(strchr(spec, '/') || (strlen(spec) > 5 && !strcmp(spec + strlen(spec) - 5, ".yaml")));
	if (!*byname)
		return gp_xstrdup(spec);
	if (!*spec || strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(spec))
		gp_die("'%s' is not a %s name (gp-roofline %s) or a path to a .yaml file",
		    spec, *sub ? "runtime" : "profile", list);
	all = dirs();
	/* the first directory that has a profile of that name we may read */
	for (d = strtok_r(all, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		free(path);
		path = gp_xmalloc(strlen(d) + strlen(sub) + strlen(spec) + 8);
		sprintf(path, "%s/%s%s.yaml", d, sub, spec);
		found = access(path, R_OK) == 0;
	}
	free(all);
	if (!found)
		gp_die("no %s '%s' (gp-roofline %s shows the %ss there are; GP_HW_PATH adds directories%s)",
		    what, spec, list, *sub ? "runtime" : "profile", *sub ? ", each with a runtime/ directory" : "");
	return path;
}

void
gp_hw_load(struct gp_hw *h, const char *spec)
{
	int byname;
	char *path = find(spec, "", &byname);

	load_file(h, path, 0);
	/* found by name: it must be that profile */
	if (byname && strcmp(h->name, spec))
		gp_die("%s: the profile is named '%s', not '%s'", path, h->name, spec);
	free(path);
}

/* by name: the file names less ".yaml" */
static int
cmp_base(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/') + 1, *y = strrchr(*(char *const *)b, '/') + 1;
	size_t nx = strlen(x) - 5, ny = strlen(y) - 5;
	int c = strncmp(x, y, nx < ny ? nx : ny);

	return c ? c : (nx > ny) - (nx < ny);
}

/* the .yaml files of the directories in all ("a:b:c", freed), one per name, sorted */
static int
list_in(char *all, char ***out)
{
	char *d, *save = NULL;
	char **v = NULL;
	int n = 0, cap = 0, i, k;

	for (d = strtok_r(all, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		DIR *dir = opendir(d);
		struct dirent *e;

		if (!dir)
			continue;
		while ((e = readdir(dir))) {
			size_t l = strlen(e->d_name);

			if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				v = gp_xreallocarray(v, (size_t)cap, sizeof *v);
			}
			v[n] = gp_xmalloc(strlen(d) + l + 2);
			sprintf(v[n++], "%s/%s", d, e->d_name);
		}
		closedir(dir);
	}
	free(all);
	/* one per name: the first directory wins */
	for (i = 0, k = 0; i < n; i++) {
		int j, dup = 0;
		const char *bi = strrchr(v[i], '/') + 1;

		for (j = 0; j < k && !dup; j++)
			dup = !strcmp(strrchr(v[j], '/') + 1, bi);
		if (dup)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	n = k;
	qsort(v, (size_t)n, sizeof *v, cmp_base);
	*out = v;
	return n;
}

int
gp_hw_list(char ***out)
{
	return list_in(dirs(), out);
}

void
gp_hw_release(struct gp_hw *h)
{
	gp_arena_release(&h->arena);
	memset(h, 0, sizeof *h);
}

/* ---- runtime profiles: hw/runtime/NAME.yaml ---- */

static const char *const rtkeys[] = {
	"name", "title", "runs_on", "kernel_s", "kernel_cycles", "run_s", "copy", "shape_nodes", "fuse",
	"efficiency", "sources", NULL,
};

/* the fusions gp-partition knows (docs/counting.md) */
static const char *const fusions[] = {
	"conv-bn", "epilogue", "activation", "elementwise", "row", "attention", NULL,
};

/* a list of words, each one of allowed; joined by ',' into an arena string */
static const char *
words(struct rd *R, yaml_node_t *v, const char *path, const char *const *allowed)
{
	struct gp_buf b = {0};
	yaml_node_item_t *it;
	const char *s;
	int i;

	if (v->type != YAML_SEQUENCE_NODE)
		bad(R, v, "'%s' must be a list, e.g. [%s, %s]", path, allowed[0], allowed[1]);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *w = node(R, *it);
		const char *x = text(R, w, path);

		for (i = 0; allowed[i] && strcmp(allowed[i], x); i++)
			;
		if (!allowed[i]) {
			gp_buf_release(&b);
			bad(R, w, "'%s': '%s' is not one of %s%s%s%s%s...", path, x, allowed[0],
			    allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "", allowed[1] && allowed[2] ? ", " : "",
			    allowed[1] && allowed[2] ? allowed[2] : "");
		}
		gp_buf_printf(&b, "%s%s", b.len ? "," : "", x);
	}
	s = gp_arena_strdup(&R->h->arena, b.buf ? b.buf : "");
	gp_buf_release(&b);
	return s;
}

static void
rteff_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_runtime *rt = arg;
	double x = number(R, v, path, 1e-3, 1);

	if (!strcmp(key, "matrix"))
		rt->eff_matrix = x;
	else if (!strcmp(key, "vector"))
		rt->eff_vector = x;
	else
		rt->eff_memory = x;
}

static void
rt_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	static const char *const copies[] = {"inputs", "outputs", NULL};
	static const char *const effkeys[] = {"matrix", "vector", "memory", NULL};
	struct top *T = arg;
	struct gp_runtime *rt = R->h->rt;
	int i;

	for (i = 0; strcmp(rtkeys[i], key); i++)
		;
	T->have[i] = 1;
	if (!strcmp(key, "name"))
		rt->name = text(R, v, path);
	else if (!strcmp(key, "title"))
		rt->title = text(R, v, path);
	else if (!strcmp(key, "runs_on")) {
		rt->runs_on = text(R, v, path);
		if (strcmp(rt->runs_on, "gpu") && strcmp(rt->runs_on, "cpu") && strcmp(rt->runs_on, "npu") &&
		    strcmp(rt->runs_on, "tpu") && strcmp(rt->runs_on, "dsp") && strcmp(rt->runs_on, "any"))
			bad(R, v, "'runs_on': '%s' is not gpu, cpu, npu, tpu, dsp or any", rt->runs_on);
	} else if (!strcmp(key, "kernel_s"))
		rt->kernel_s = number(R, v, path, 0, 10);
	else if (!strcmp(key, "kernel_cycles"))
		rt->kernel_cycles = number(R, v, path, 0, 1e9);
	else if (!strcmp(key, "run_s"))
		rt->run_s = number(R, v, path, 0, 10);
	else if (!strcmp(key, "copy")) {
		const char *c = words(R, v, path, copies);

		rt->copy_inputs = strstr(c, "inputs") != NULL;
		rt->copy_outputs = strstr(c, "outputs") != NULL;
	} else if (!strcmp(key, "shape_nodes")) {
		const char *s = text(R, v, path);

		if (strcmp(s, "executed") && strcmp(s, "folded"))
			bad(R, v, "'shape_nodes': '%s' is not executed or folded", s);
		rt->shape_nodes = !strcmp(s, "executed");
	} else if (!strcmp(key, "fuse"))
		rt->fuse = words(R, v, path, fusions);
	else if (!strcmp(key, "efficiency"))
		mapping(R, v, path, effkeys, rteff_pair, rt);
	else
		sources(R, v, &R->S);
}

void
gp_hw_parse_runtime(struct gp_hw *h, const char *file, const char *text, size_t len)
{
	struct gp_runtime *rt = gp_arena_alloc(&h->arena, sizeof *rt);

	memset(rt, 0, sizeof *rt);
	rt->eff_matrix = rt->eff_vector = rt->eff_memory = 1;
	rt->fuse = "";
	rt->path = gp_arena_strdup(&h->arena, file);
	h->rt = rt;
	parse(h, rt->path, (const unsigned char *)text, len, 1);
}

void
gp_hw_load_runtime(struct gp_hw *h, const char *spec)
{
	int byname;
	char *path = find(spec, "runtime/", &byname);

	load_file(h, path, 1);
	if (byname && strcmp(h->rt->name, spec))
		gp_die("%s: the runtime is named '%s', not '%s'", path, h->rt->name, spec);
	if (h->kind && strcmp(h->rt->runs_on, "any") && strcmp(h->rt->runs_on, h->kind))
		gp_die("%s: %s runs on a %s, and %s is a %s", path, h->rt->name, h->rt->runs_on, h->name,
		    h->kind);
	free(path);
}

int
gp_hw_list_runtimes(char ***out)
{
	char *all = dirs(), *d, *save = NULL;
	struct gp_buf b = {0};

	/* the runtime/ directory of every profile directory, in the same order */
	for (d = strtok_r(all, ":", &save); d; d = strtok_r(NULL, ":", &save))
		gp_buf_printf(&b, "%s%s/runtime", b.len ? ":" : "", d);
	free(all);
	return list_in(b.buf ? b.buf : gp_xstrdup(""), out);
}
