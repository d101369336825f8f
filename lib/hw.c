/* hw.c - a chip's hardware profile, hw/NAME.yaml: its fields (docs/hardware.md)
 * read and checked into struct gp_hw
 *
 * Its YAML is read by hw-yaml.c, which refuses a profile whole rather than
 * half read; every number must be covered by a cited source. A runtime
 * profile is hw-runtime.c's; finding a profile by name, hw-find.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "gp.h"
#include "hw.h"

static void
peak_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	double *dst = arg;

	dst[gp_prec_from_name(key)] = gp_yaml_number(R, v, path, 1, 1e21);
}

static void
pj_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	double *dst = arg;

	dst[gp_prec_from_name(key)] = gp_yaml_number(R, v, path, 0, 1e6);
}

static void
mem_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw_mem *m = arg;

	/* the numbers are read once the level is named: their paths hold its name */
	if (!strcmp(key, "level"))
		m->level = gp_yaml_text(R, v, path);
}

/* memory reads the memory levels, outermost first, into h->mem; dies on a
 * level with no name or no bandwidth, a name twice, an inner level with no
 * capacity or larger than the one before it, and more than 16 levels */
static void
memory(struct rd *R, yaml_node_t *seq)
{
	static const char *const keys[] = {"level", "capacity", "bandwidth", "pj_per_byte", "read_bandwidth",
		"write_bandwidth", NULL};
	struct gp_hw *h = R->h;
	yaml_node_item_t *it;
	int i, j;

	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top == seq->data.sequence.items.start)
		gp_yaml_bad(R, seq, "'memory' must be a list of levels ('- level: ...'), outermost first");
	h->nmem = (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (h->nmem > 16)
		gp_yaml_bad(R, seq, "'memory' has %d levels; at most 16", h->nmem);
	h->mem = gp_arena_alloc(&h->arena, (size_t)h->nmem * sizeof *h->mem);
	for (it = seq->data.sequence.items.start, i = 0; it < seq->data.sequence.items.top; it++, i++) {
		yaml_node_t *m = gp_yaml_node(R, *it);
		struct gp_hw_mem *L = &h->mem[i];
		const char *base;
		yaml_node_pair_t *p;

		memset(L, 0, sizeof *L);
		L->capacity = L->bandwidth = L->pj_per_byte = L->read_bw = L->write_bw = -1;
		gp_yaml_map(R, m, gp_arena_printf(&h->arena, "memory[%d]", i), keys, mem_pair, L);
		if (!L->level)
			gp_yaml_bad(R, m, "memory level %d has no 'level' name", i + 1);
		for (j = 0; j < i; j++)
			if (!strcmp(h->mem[j].level, L->level))
				gp_yaml_bad(R, m, "memory level '%s' appears twice", L->level);
		base = gp_arena_printf(&h->arena, "memory.%s", L->level);
		for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
			const char *k = (char *)gp_yaml_node(R, p->key)->data.scalar.value;
			yaml_node_t *v = gp_yaml_node(R, p->value);
			const char *path = gp_arena_printf(&h->arena, "%s.%s", base, k);

			if (!strcmp(k, "capacity"))
				L->capacity = gp_yaml_number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "bandwidth"))
				L->bandwidth = gp_yaml_number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "pj_per_byte"))
				L->pj_per_byte = gp_yaml_number(R, v, path, 0, 1e6);
			else if (!strcmp(k, "read_bandwidth"))
				L->read_bw = gp_yaml_number(R, v, path, 1, 1e18);
			else if (!strcmp(k, "write_bandwidth"))
				L->write_bw = gp_yaml_number(R, v, path, 1, 1e18);
		}
		if (L->bandwidth < 0)
			gp_yaml_bad(R, m, "memory level '%s' has no 'bandwidth'", L->level);
		if (L->read_bw < 0)
			L->read_bw = L->bandwidth;
		if (L->write_bw < 0)
			L->write_bw = L->bandwidth;
		if (i > 0 && L->capacity < 0)
			gp_yaml_bad(R, m, "memory level '%s' has no 'capacity' (only the outermost level may leave "
			    "it out)", L->level);
		if (i > 0 && h->mem[i - 1].capacity >= 0 && L->capacity > h->mem[i - 1].capacity)
			gp_yaml_bad(R, m, "memory level '%s' is larger than '%s' before it: list levels outermost "
			    "(largest) first", L->level, h->mem[i - 1].level);
	}
}

static void
power_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;

	if (!strcmp(key, "tdp_w"))
		h->tdp_w = gp_yaml_number(R, v, path, 1e-3, 1e7);
	else
		h->idle_w = gp_yaml_number(R, v, path, 0, 1e7);
}

static void
eff_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;

	if (!strcmp(key, "compute"))
		h->eff_compute = gp_yaml_number(R, v, path, 1e-3, 1);
	else
		h->eff_memory = gp_yaml_number(R, v, path, 1e-3, 1);
}

static void
per_thread_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	(void)key;
	(void)arg;
	gp_yaml_number(R, v, path, 0, 1e21);
}

/* matrix.PREC: a list of tiles "MxNxK"; the list is one fact, covered by a source like a number */
static void
tile_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_hw *h = arg;
	int p = gp_prec_from_name(key), n = 0;
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		gp_yaml_bad(R, v, "'%s' must be a list of tiles MxNxK, e.g. [128x128x32, 64x64x32]", path);
	if (v->data.sequence.items.top - v->data.sequence.items.start > 64)
		gp_yaml_bad(R, v, "'%s' has more than 64 tiles", path);
	h->tile[p] = gp_arena_alloc(&h->arena,
	    (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) * sizeof *h->tile[p]);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *t = gp_yaml_node(R, *it);
		const char *s = gp_yaml_scalar(R, t, path);
		struct gp_hw_tile *T = &h->tile[p][n++];
		long long a, b, c;
		int used = 0;

		if (sscanf(s, "%lldx%lldx%lld%n", &a, &b, &c, &used) != 3 || s[used] || a < 1 || b < 1 ||
		    c < 1 || a > 65536 || b > 65536 || c > 65536)
			gp_yaml_bad(R, t, "'%s': '%s' is not a tile MxNxK of whole numbers 1 to 65536", path, s);
		T->m = a;
		T->n = b;
		T->k = c;
	}
	h->ntile[p] = n;
	gp_yaml_fact(R, v, path);      /* covered by a source, as a number is */
}

static const char *const topkeys[] = {
	"name", "title", "vendor", "kind", "units", "unit", "clock_hz", "threads_per_unit",
	"peak_ops", "memory", "power", "pj_per_flop", "efficiency", "launch_s", "launch_per", "run_s",
	"sources", "per_thread", "matrix", "vector_ops", "host_link", "cross_core_bandwidth", NULL,
};

/* top_pair reads one top-level field of a chip profile into R->h; dies on a
 * value the schema does not allow */
static void
top_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	const char *const *preckeys = gp_prec_names;
	static const char *const powkeys[] = {"tdp_w", "idle_w", NULL};
	static const char *const effkeys[] = {"compute", "memory", NULL};
	struct gp_hw *h = R->h;

	(void)arg;
	if (!strcmp(key, "name"))
		h->name = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "title"))
		h->title = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "vendor"))
		h->vendor = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "kind")) {
		h->kind = gp_yaml_text(R, v, path);
		if (strcmp(h->kind, "gpu") && strcmp(h->kind, "cpu") && strcmp(h->kind, "npu") &&
		    strcmp(h->kind, "tpu") && strcmp(h->kind, "dsp"))
			gp_yaml_bad(R, v, "'kind': '%s' is not gpu, cpu, npu, tpu or dsp", h->kind);
	} else if (!strcmp(key, "units")) {
		h->units = gp_yaml_number(R, v, path, 1, 1e7);
		if (h->units != floor(h->units))
			gp_yaml_bad(R, v, "'units': %g is not a whole number", h->units);
	} else if (!strcmp(key, "unit"))
		h->unit = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "clock_hz"))
		h->clock_hz = gp_yaml_number(R, v, path, 1e3, 1e11);
	else if (!strcmp(key, "threads_per_unit"))
		h->threads_per_unit = gp_yaml_number(R, v, path, 1, 1e9);
	else if (!strcmp(key, "peak_ops"))
		gp_yaml_map(R, v, path, preckeys, peak_pair, h->peak);
	else if (!strcmp(key, "pj_per_flop"))
		gp_yaml_map(R, v, path, preckeys, pj_pair, h->pj_per_flop);
	else if (!strcmp(key, "memory"))
		memory(R, v);
	else if (!strcmp(key, "power"))
		gp_yaml_map(R, v, path, powkeys, power_pair, h);
	else if (!strcmp(key, "efficiency"))
		gp_yaml_map(R, v, path, effkeys, eff_pair, h);
	else if (!strcmp(key, "launch_s"))
		h->launch_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "run_s"))
		h->run_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "launch_per")) {
		const char *s = gp_yaml_text(R, v, path);

		if (strcmp(s, "kernel") && strcmp(s, "model"))
			gp_yaml_bad(R, v, "'launch_per': '%s' is not kernel or model", s);
		h->launch_per_model = !strcmp(s, "model");
	} else if (!strcmp(key, "sources"))
		gp_yaml_sources(R, v, &R->S);
	else if (!strcmp(key, "matrix"))
		gp_yaml_map(R, v, path, preckeys, tile_pair, h);
	else if (!strcmp(key, "vector_ops"))
		gp_yaml_map(R, v, path, preckeys, peak_pair, h->vpeak);
	else if (!strcmp(key, "host_link"))
		h->host_link = gp_yaml_number(R, v, path, 1, 1e18);
	else if (!strcmp(key, "cross_core_bandwidth"))
		h->cross_bw = gp_yaml_number(R, v, path, 1, 1e18);
	else
		gp_yaml_map(R, v, path, NULL, per_thread_pair, NULL);
}

/* a chip profile has at least one peak */
static void
any_peak(struct rd *R)
{
	int i, any = 0;

	for (i = 0; i < GP_PREC_N; i++)
		any |= R->h->peak[i] > 0;
	if (!any)
		gp_yaml_bad(R, NULL, "'peak_ops' has no precision (fp32, fp16, int8, ...)");
}

static const char *const hwrequired[] = {
	"name", "title", "vendor", "kind", "units", "unit", "clock_hz", "threads_per_unit",
	"peak_ops", "memory", "launch_s", "sources", NULL,
};

static const struct profile_kind chip = {"hardware", topkeys, hwrequired, top_pair, any_peak};

/* init empties h: what a profile leaves out is unknown, or 1 for an efficiency */
static void
init(struct gp_hw *h)
{
	int i;

	memset(h, 0, sizeof *h);
	h->tdp_w = h->idle_w = h->host_link = h->cross_bw = -1;
	h->eff_compute = h->eff_memory = 1;
	for (i = 0; i < GP_PREC_N; i++)
		h->pj_per_flop[i] = -1;
}

/* gp_hw_parse: see gp.h */
void
gp_hw_parse(struct gp_hw *h, const char *file, const char *text, size_t len)
{
	init(h);
	h->path = gp_arena_strdup(&h->arena, file);
	gp_yaml_parse(h, h->path, (const unsigned char *)text, len, &chip);
}

/* gp_hw_release: see gp.h */
void
gp_hw_release(struct gp_hw *h)
{
	gp_arena_release(&h->arena);
	memset(h, 0, sizeof *h);
}
