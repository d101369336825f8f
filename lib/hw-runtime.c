/* hw-runtime.c - a runtime profile, hw/runtime/NAME.yaml: what a runtime adds
 * to a chip (docs/hardware.md), read and checked into struct gp_runtime
 */
#include <ctype.h>
#include <string.h>
#include <yaml.h>

#include "gp.h"
#include "hw.h"

static const char *const rtkeys[] = {
	"name", "title", "runs_on", "kernel_s", "kernel_cycles", "run_s", "input_s", "output_s", "copy", "shape_nodes", "view_nodes", "fuse",
	"efficiency", "parallel_min_s", "parallel_s", "split_always", "split_never", "split_gemm_macs", "split_copy",
	"subgraph_s", "conv_call_s", "conv_group_s", "conv_row_s", "conv_gather_s", "conv_columns", "nchwc_block", "op_s",
	"row_s", "row_elem_s", "act_s", "elem_s", "sources",
	NULL,
};

/* an op type: ONNX's letters, digits and '_' */
static int
op_type(const char *x)
{
	const char *p;

	for (p = x; *p && (isalnum((unsigned char)*p) || *p == '_'); p++)
		;
	return *x && !*p;
}

/* a list of words, each one of allowed (NULL: an op type, ONNX's letters,
 * digits and '_'); joined by ',' into an arena string */
static const char *
words(struct rd *R, yaml_node_t *v, const char *path, const char *const *allowed)
{
	struct gp_buf b = {0};
	yaml_node_item_t *it;
	const char *s;
	int i;

	if (v->type != YAML_SEQUENCE_NODE && !allowed)
		gp_yaml_bad(R, v, "'%s' must be a list of op types, e.g. [MaxPool, LayerNormalization]", path);
	if (v->type != YAML_SEQUENCE_NODE)
		gp_yaml_bad(R, v, "'%s' must be a list, e.g. [%s, %s]", path, allowed[0], allowed[1]);
	/* every word checked before any is kept: a bad one dies with nothing allocated */
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *w = gp_yaml_node(R, *it);
		const char *x = gp_yaml_text(R, w, path);

		if (!allowed) {
			if (!op_type(x))
				gp_yaml_bad(R, w, "'%s': '%s' is not an op type", path, x);
			continue;
		}
		for (i = 0; allowed[i] && strcmp(allowed[i], x); i++)
			;
		if (!allowed[i])
			gp_yaml_bad(R, w, "'%s': '%s' is not one of %s%s%s%s%s...", path, x, allowed[0],
			    allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "", allowed[1] && allowed[2] ? ", " : "",
			    allowed[1] && allowed[2] ? allowed[2] : "");
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		gp_buf_printf(&b, "%s%s", b.len ? "," : "", gp_yaml_text(R, gp_yaml_node(R, *it), path));
	s = gp_arena_strdup(&R->h->arena, b.buf ? b.buf : "");
	gp_buf_release(&b);
	return s;
}

/* the keys of efficiency: the units', a GEMV's compute, the memory's, then
 * one per kernel class of gp_kclass_names (its "other" is memory) */
static const char *const effkeys[] = {
	"matrix", "vector", "gemv_compute", "memory", "elementwise", "transcendental", "row", "pool", "move",
	"gemv", NULL,
};

/* rteff_pair reads one efficiency: matrix, vector, a GEMV's compute, memory, or a kernel class's */
static void
rteff_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_runtime *rt = arg;
	double x = gp_yaml_number(R, v, path, 1e-3, 1);
	int c;

	if (!strcmp(key, "matrix"))
		rt->eff_matrix = x;
	else if (!strcmp(key, "vector"))
		rt->eff_vector = x;
	else if (!strcmp(key, "gemv_compute"))
		rt->eff_gemv_compute = x;
	else if (!strcmp(key, "memory"))
		rt->eff_memory = x;
	else {
		for (c = 1; c < GP_KC_N && strcmp(gp_kclass_names[c], key); c++)
			;
		rt->eff_class[c] = x;   /* gp_yaml_map allowed only effkeys */
	}
}

/* rtop_pair reads one pair of op_s, row_s, row_elem_s, act_s or elem_s (arg): an op type and its seconds */
static void
rtop_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_opsec *o = arg;

	if (!op_type(key))
		gp_yaml_bad(R, v, "'%s': '%s' is not an op type", path, key);
	o->sec[o->n] = gp_yaml_number(R, v, path, 0, 10);
	o->name[o->n++] = key;
}

/* copy_pair reads one field of a runtime's split_copy */
static void
copy_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	struct gp_runtime *rt = arg;
	double x = gp_yaml_number(R, v, path, 0, 1e12);

	if (!strcmp(key, "byte_cycles"))
		rt->copy_byte_cycles = x;
	else if (!strcmp(key, "element_cycles"))
		rt->copy_element_cycles = x;
	else if (!strcmp(key, "startup_cycles"))
		rt->copy_startup_cycles = x;
	else if (!(x > 0))
		gp_yaml_bad(R, v, "'%s' must be above 0", path);
	else
		rt->copy_thread_cycles = x;     /* thread_cycles: gp_yaml_map allowed no other key */
}

/* rt_pair reads one top-level field of a runtime profile into R->h->rt; dies
 * on a value the schema does not allow */
static void
rt_pair(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg)
{
	static const char *const copies[] = {"inputs", "outputs", NULL};
	struct gp_runtime *rt = R->h->rt;

	(void)arg;
	if (!strcmp(key, "name"))
		rt->name = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "title"))
		rt->title = gp_yaml_text(R, v, path);
	else if (!strcmp(key, "runs_on")) {
		rt->runs_on = gp_yaml_text(R, v, path);
		if (strcmp(rt->runs_on, "gpu") && strcmp(rt->runs_on, "cpu") && strcmp(rt->runs_on, "npu") &&
		    strcmp(rt->runs_on, "tpu") && strcmp(rt->runs_on, "dsp") && strcmp(rt->runs_on, "any"))
			gp_yaml_bad(R, v, "'runs_on': '%s' is not gpu, cpu, npu, tpu, dsp or any", rt->runs_on);
	} else if (!strcmp(key, "kernel_s"))
		rt->kernel_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "kernel_cycles"))
		rt->kernel_cycles = gp_yaml_number(R, v, path, 0, 1e9);
	else if (!strcmp(key, "run_s"))
		rt->run_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "input_s"))
		rt->input_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "output_s"))
		rt->output_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "parallel_min_s"))
		rt->parallel_min_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "parallel_s"))
		rt->parallel_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "split_always"))
		rt->split_always = words(R, v, path, NULL);
	else if (!strcmp(key, "split_never"))
		rt->split_never = words(R, v, path, NULL);
	else if (!strcmp(key, "split_gemm_macs"))
		rt->split_gemm_macs = gp_yaml_number(R, v, path, 1, 1e15);
	else if (!strcmp(key, "split_copy")) {
		static const char *const keys[] = {"byte_cycles", "element_cycles", "startup_cycles",
		    "thread_cycles", NULL};

		rt->copy_thread_cycles = 0;
		gp_yaml_map(R, v, path, keys, copy_pair, rt);
		if (rt->copy_thread_cycles <= 0)
			gp_yaml_bad(R, v, "'%s' needs thread_cycles", path);
		rt->split_copy = 1;
	}
	else if (!strcmp(key, "subgraph_s")) {
		rt->subgraph_s = gp_yaml_number(R, v, path, 0, 10);
		rt->bodies = 1;
	} else if (!strcmp(key, "conv_call_s"))
		rt->conv_call_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "conv_group_s"))
		rt->conv_group_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "conv_row_s"))
		rt->conv_row_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "conv_gather_s"))
		rt->conv_gather_s = gp_yaml_number(R, v, path, 0, 10);
	else if (!strcmp(key, "conv_columns"))
		rt->conv_columns = gp_yaml_number(R, v, path, 1, 4096);
	else if (!strcmp(key, "nchwc_block")) {
		double b = gp_yaml_number(R, v, path, 1, 1024);

		if (b != (double)(int)b)
			gp_yaml_bad(R, v, "'nchwc_block' must be a whole number of channels");
		rt->nchwc_block = (int)b;
	}
	else if (!strcmp(key, "copy")) {
		const char *c = words(R, v, path, copies);

		rt->copy_inputs = strstr(c, "inputs") != NULL;
		rt->copy_outputs = strstr(c, "outputs") != NULL;
	} else if (!strcmp(key, "shape_nodes")) {
		const char *s = gp_yaml_text(R, v, path);

		if (strcmp(s, "executed") && strcmp(s, "folded"))
			gp_yaml_bad(R, v, "'shape_nodes': '%s' is not executed or folded", s);
		rt->shape_nodes = !strcmp(s, "executed");
	} else if (!strcmp(key, "view_nodes")) {
		const char *s = gp_yaml_text(R, v, path);

		if (strcmp(s, "executed") && strcmp(s, "free"))
			gp_yaml_bad(R, v, "'view_nodes': '%s' is not executed or free", s);
		rt->view_nodes = !strcmp(s, "executed");
	} else if (!strcmp(key, "fuse"))
		rt->fuse = words(R, v, path, gp_fuse_rule_names);   /* docs/counting.md */
	else if (!strcmp(key, "efficiency"))
		gp_yaml_map(R, v, path, effkeys, rteff_pair, rt);
	else if (!strcmp(key, "op_s") || !strcmp(key, "row_s") || !strcmp(key, "row_elem_s") ||
	    !strcmp(key, "act_s") || !strcmp(key, "elem_s")) {
		struct gp_opsec *o = !strcmp(key, "op_s") ? &rt->op_s : !strcmp(key, "row_s") ? &rt->row_s :
		    !strcmp(key, "row_elem_s") ? &rt->row_elem_s : !strcmp(key, "act_s") ? &rt->act_s : &rt->elem_s;
		size_t n = v->type == YAML_MAPPING_NODE ?
		    (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start) : 0;

		o->name = gp_arena_alloc(&R->h->arena, (n + 1) * sizeof *o->name);
		o->sec = gp_arena_alloc(&R->h->arena, (n + 1) * sizeof *o->sec);
		o->n = 0;
		gp_yaml_map(R, v, path, NULL, rtop_pair, o);
	}
	else
		gp_yaml_sources(R, v, &R->S);
}

static const char *const rtrequired[] = {"name", "title", "runs_on", "sources", NULL};

static const struct profile_kind runtime = {"runtime", rtkeys, rtrequired, rt_pair, NULL};

/* gp_hw_parse_runtime: see gp.h */
void
gp_hw_parse_runtime(struct gp_hw *h, const char *file, const char *text, size_t len)
{
	struct gp_runtime *rt = gp_arena_alloc(&h->arena, sizeof *rt);

	memset(rt, 0, sizeof *rt);
	rt->eff_matrix = rt->eff_vector = rt->eff_memory = 1;
	rt->fuse = "";
	rt->path = gp_arena_strdup(&h->arena, file);
	h->rt = rt;
	gp_yaml_parse(h, rt->path, (const unsigned char *)text, len, &runtime);
}
