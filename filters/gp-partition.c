/* gp-partition - split a model into the kernels it runs as, and count them
 *
 * Reads a gp stream, infers shapes if gp-shape has not run, and adds one
 * subgraph record per kernel: its nodes, the tensors it reads and writes, its
 * MACs and FLOPs, the bytes it moves, its arithmetic intensity and its
 * parallelism; a ##partition header holds the totals. Counting conventions:
 * docs/counting.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] = "[--fuse[=RUNTIME]] [--dtype TYPE] [--compute-ai X] [--memory-ai X] [--strict] < STREAM";

static const char help[] =
    "Read a gp stream on standard input, split the main graph into subgraphs (the\n"
    "kernels it would run as) and write the stream with one subgraph record each:\n"
    "FLOPs, MACs, bytes in, out and of weights, arithmetic intensity, bound, and\n"
    "parallelism. Shapes are inferred first unless gp-shape has run.\n\n"
    "  --fuse            fuse as an inference compiler would (Conv+BatchNorm,\n"
    "                    bias and activation epilogues, residual Add, element-wise\n"
    "                    chains, decomposed LayerNorm/Softmax, attention as one\n"
    "                    kernel; transposed MatMul operands as no kernel)\n"
    "  --fuse=RUNTIME    only the fusions the runtime profile RUNTIME lists (gp-roofline\n"
    "                    --list-runtimes; a name or a .yaml file)\n"
    "  --dtype TYPE      count bytes as if floating tensors were TYPE\n"
    "                    (fp32, fp16, bf16, fp8, int8, fp64, or an ONNX dtype name)\n"
    "  --compute-ai X    compute-bound above X FLOPs/byte (default 40)\n"
    "  --memory-ai X     memory-bound below X FLOPs/byte (default 10)\n"
    "  --strict          an op without a cost function, or a subgraph whose shapes\n"
    "                    are unknown, is an error, not a warning\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n\n"
    "Columns, headers and conventions: docs/format.md and docs/counting.md.\n";

/* plain: s is written as it is, no byte of it escaped (docs/format.md) */
static int
plain(const char *s)
{
	static char bad[256];
	const unsigned char *p;

	if (!bad['%']) {
		int c;

		for (c = 0; c < 0x20; c++)
			bad[c] = 1;
		for (p = (const unsigned char *)"%,;=[]\"\x7f"; *p; p++)
			bad[*p] = 1;
	}
	if ((s[0] == '.' || s[0] == '?') && !s[1])
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (bad[*p])
			return 0;
	return 1;
}

/* esc appends s to b escaped; most names need none, and are copied whole */
static void
esc(struct gp_buf *b, const char *s)
{
	if (plain(s))
		gp_buf_adds(b, s);
	else
		gp_esc(b, s, strlen(s));
}

/* field c of row r: s escaped */
static void
set_name(struct gp_stream *st, struct gp_table *t, int c, size_t r, const char *s, struct gp_buf *b)
{
	if (plain(s)) {
		gp_table_set(st, t, c, r, s);
		return;
	}
	gp_buf_reset(b);
	gp_esc(b, s, strlen(s));
	gp_table_set(st, t, c, r, b->buf);
}

/* field c of row r: the name of node (nodes) or tensor k; its record's own
 * name field, shared, when that is the name itself (graph.c's, no escape)
 * and one set_name writes as it is (plain), as it mostly is: a subgraph's
 * name, nodes, inputs and outputs are names the stream holds already.
 * fc: the name column of the node or tensor records, or -1. */
static void
share_name(struct gp_stream *st, struct gp_table *t, int c, size_t r, struct gp_graph *g, int k,
    int nodes, int fc, struct gp_buf *b)
{
	const struct gp_table *from = nodes ? g->node_table : g->tensor_table;
	const char *s = nodes ? g->n[k].name : g->t[k].name;
	size_t row = nodes ? g->n[k].row : g->t[k].row;

	if (fc >= 0 && row < from->nrow && gp_val(from, fc, row) == s && plain(s))
		gp_table_share(t, c, r, from, fc, row);
	else
		set_name(st, t, c, r, s, b);
}

/* a list of tensor (or node) names, escaped and joined by commas */
static void
names(struct gp_buf *b, struct gp_graph *g, const int *v, int n, int nodes)
{
	int k;

	gp_buf_reset(b);
	for (k = 0; k < n; k++) {
		if (k)
			gp_buf_addc(b, ',');
		esc(b, nodes ? g->n[v[k]].name : g->t[v[k]].name);
	}
	if (!n)
		gp_buf_adds(b, ".");
}

/* field c of row r: the list of names; one is shared as share_name does (fc) */
static void
set_names(struct gp_stream *st, struct gp_table *t, int c, size_t r, struct gp_graph *g, const int *v,
    int n, int nodes, int fc, struct gp_buf *b)
{
	if (n == 1) {
		share_name(st, t, c, r, g, v[0], nodes, fc, b);
		return;
	}
	names(b, g, v, n, nodes);
	gp_table_set(st, t, c, r, b->buf);
}

static int64_t
total(const struct gp_sub *s)
{
	int64_t t;

	if (s->bytes_in < 0 || s->bytes_out < 0 || s->bytes_weight < 0)
		return -1;
	if (__builtin_add_overflow(s->bytes_in, s->bytes_out, &t) ||
	    __builtin_add_overflow(t, s->bytes_weight, &t))
		gp_die("stdin: subgraph %d: its byte count overflows 64 bits", s->id);
	return t;
}

static void
ai_fmt(struct gp_buf *b, int64_t flops, int64_t bytes)
{
	gp_buf_reset(b);
	gp_fmt_num(b, flops < 0 || bytes <= 0 ? -1 : (double)flops / (double)bytes, 4);
}

static const char *
bound(int64_t flops, int64_t bytes, double hi, double lo)
{
	double ai;

	if (flops < 0 || bytes <= 0)
		return ".";
	ai = (double)flops / (double)bytes;
	return ai > hi ? "compute" : ai < lo ? "memory" : "balanced";
}

struct totals {
	int64_t flops, macs, bytes;
	int unknown;
};

/* add subgraph g to the totals t, or count it unknown */
static void
add_total(const struct gp_stream *s, struct totals *t, const struct gp_sub *g)
{
	int64_t b = total(g);

	if (!g->known || b < 0) {
		t->unknown++;
		return;
	}
	if (__builtin_add_overflow(t->flops, g->c.flops, &t->flops) ||
	    __builtin_add_overflow(t->macs, g->c.macs, &t->macs) ||
	    __builtin_add_overflow(t->bytes, b, &t->bytes))
		gp_die("%s: the model's totals overflow 64 bits", s->src);
}

/* What could not be counted, found subgraph by subgraph: the ops without a
 * cost function (each warned about once), the subgraphs whose cost needs a
 * shape not known, and the first node of those. */
struct unknowns {
	struct gp_map seen;
	int nshape, first, strict;
};

/* warn (or, strict, die) about the ops of subgraph s that gp cannot count */
static void
unknown_ops(struct gp_graph *g, struct unknowns *u, const struct gp_sub *s)
{
	int m, shape = 0;

	if (s->known && total(s) >= 0)
		return;
	for (m = 0; m < s->nnode; m++) {
		struct gp_node *n = &g->n[s->nodes[m]];
		const struct gp_op *op = gp_op_find(n->domain, n->op);

		if (op && op->cost) {
			if (u->first < 0)
				u->first = s->nodes[m];
			shape = 1;
			continue;
		}
		if (u->strict)
			gp_die("%s: node '%s': no cost function for op %s (domain %s)", g->s->src,
			    n->name, n->op, n->domain);
		if (gp_map_put(&u->seen, gp_arena_printf(&g->s->arena, "%s:%s", n->domain, n->op), 0))
			gp_warn("%s: no cost function for op %s (domain %s, first node '%s'): its "
			    "FLOPs and MACs are written '.', not counted in the totals", g->s->src,
			    n->op, n->domain, n->name);
	}
	u->nshape += shape;
}

/* warn (or, strict, die) about the subgraphs whose cost needs a shape not known */
static void
unknown_shapes(struct gp_graph *g, struct unknowns *u)
{
	gp_map_release(&u->seen);
	if (u->first < 0)
		return;
	if (u->strict)
		gp_die("%s: node '%s' (%s): its cost depends on a shape or a trip count that is not "
		    "known (bind symbolic dims with gp-shape -D NAME=VALUE)", g->s->src,
		    g->n[u->first].name, g->n[u->first].op);
	gp_warn("%s: the cost of %d subgraph%s could not be counted (first: node '%s', %s): a "
	    "shape or a trip count it depends on is not known; written '.', not counted in the "
	    "totals (bind symbolic dims with gp-shape -D NAME=VALUE)", g->s->src, u->nshape,
	    u->nshape == 1 ? "" : "s", g->n[u->first].name, g->n[u->first].op);
}

/* three counts as a list, "." if one is unknown */
static void
triple(struct gp_buf *b, const int64_t *v)
{
	gp_buf_reset(b);
	if (v[0] < 0 || v[1] < 0 || v[2] < 0) {
		gp_buf_adds(b, ".");
		return;
	}
	gp_fmt_count(b, v[0]);
	gp_buf_addc(b, ',');
	gp_fmt_count(b, v[1]);
	gp_buf_addc(b, ',');
	gp_fmt_count(b, v[2]);
}

/* set_triple: field c of row r the counts v as triple writes them; the
 * field above's text when v is what was set there (last: that row's counts,
 * kept here; a kernel's float elements and bytes mostly repeat the last
 * kernel's), without writing them out again */
static void
set_triple(struct gp_stream *s, struct gp_table *t, int c, size_t r, const int64_t *v, int64_t *last,
    struct gp_buf *b)
{
	if (r > 0 && v[0] == last[0] && v[1] == last[1] && v[2] == last[2]) {
		gp_table_share(t, c, r, t, c, r - 1);
		return;
	}
	memcpy(last, v, 3 * sizeof *v);
	triple(b, v);
	gp_table_set(s, t, c, r, b->buf);
}

/* branches writes one branch record per If node costed (replacing those of
 * a previous run): which branch counts and why, and the FLOPs of each. */
static void
branches(struct gp_stream *s, struct gp_graph *g, const struct gp_part *p)
{
	static const char *const cols[] = {
		"node", "subgraph", "taken", "by", "flops", "other_flops", NULL,
	};
	struct gp_table *t;
	struct gp_buf b = {0};
	int i;

	gp_table_drop(s, "branch");
	if (!p->nbr)
		return;
	t = gp_table_new(s, "branch", cols);
	for (i = 0; i < p->nbr; i++) {
		const struct gp_branch *br = &p->br[i];
		size_t r = gp_table_addrow(s, t);
		int h = br->node;

		while (h >= 0 && g->n[h].graph != 0)
			h = g->gholder[g->n[h].graph];
		gp_buf_reset(&b);
		gp_esc(&b, g->n[br->node].name, strlen(g->n[br->node].name));
		gp_table_set(s, t, 0, r, b.buf);
		gp_table_set_count(s, t, 1, r, h >= 0 && p->node_sg[h] > 0 ? p->node_sg[h] : -1);
		gp_table_set(s, t, 2, r, br->branch == 1 ? "then" : br->branch == 2 ? "else" : ".");
		gp_table_set(s, t, 3, r, !br->branch ? "." : br->cond ? "condition" : "larger");
		gp_table_set_count(s, t, 4, r, br->flops);
		gp_table_set_count(s, t, 5, r, br->alt_flops);
	}
	gp_buf_release(&b);
}

/* a subgraph's gemm, float_elems, float_bytes, class and bytes_input fields
 * (docs/format.md); last holds the float counts of the row above */
static void
geometry_fields(struct gp_stream *s, struct gp_table *t, size_t r, const struct gp_sub *sg,
    int64_t last[2][3], struct gp_buf *b)
{
	gp_buf_reset(b);
	gp_gemm_fmt(b, sg->gemm, sg->ngemm);
	gp_table_set(s, t, 21, r, b->buf);
	set_triple(s, t, 22, r, sg->felem, last[0], b);
	set_triple(s, t, 23, r, sg->fbytes, last[1], b);
	gp_table_set(s, t, 24, r, gp_kclass_names[sg->kcls]);
	gp_table_set_count(s, t, 25, r, sg->bytes_input);
}

/* --fuse=RUNTIME: the fusion rules of that runtime profile; *name its name */
static void
fuse_runtime(struct gp_part_opts *o, const char *spec, const char **name)
{
	struct gp_hw h;
	int r;

	memset(&h, 0, sizeof h);
	gp_hw_load_runtime(&h, spec);
	if ((r = gp_fuse_rules(h.rt->fuse)) < 0)
		gp_die("%s: 'fuse': '%s' names a rule gp-partition does not know", h.rt->path, h.rt->fuse);
	o->rules = (unsigned)r;
	o->fuse = r != 0;
	o->nchwc_block = h.rt->nchwc_block;
	/* the runtime's name outlives its profile */
	*name = gp_xstrdup(h.rt->name);
	gp_hw_release(&h);
}

/* What writes each subgraph as gp_partition makes it: its record, the
 * totals, what could not be counted. */
struct writer {
	struct gp_stream *s;
	struct gp_graph *g;
	const struct gp_part *p;            /* what gp_partition says before the first */
	struct gp_table *t;                 /* the subgraph records; NULL: totals only */
	int c_bk, c_br;                     /* their body_kernels and body_runs columns, or -1 */
	int c_rows;                         /* their rows column, or -1 */
	int c_copy, c_run;                  /* their copy_elems and copy_run columns, or -1 */
	int c_nname, c_tname;               /* the name columns of the node and tensor records */
	int c_cc, c_cg, c_cm, c_cx, c_cw, c_cs; /* their conv_calls, conv_groups, conv_gemm, conv_im2col,
	                                     * conv_im2col_rows, conv_im2col_strided columns, or -1 */
	int c_ro[3];                        /* their reorders, reorder_bytes_in and _out columns, or -1 */
	int64_t last[2][3];                 /* the float_elems and float_bytes of the last record */
	struct gp_buf b;
	struct totals tot;
	struct unknowns u;
	double hi, lo;                      /* --compute-ai, --memory-ai */
};

/* gp_part_emit: subgraph sg into the writer's totals, and its record */
static void
write_sub(void *arg, const struct gp_sub *sg)
{
	struct writer *W = arg;
	struct gp_stream *s = W->s;
	struct gp_table *t = W->t;
	size_t r;
	int64_t bytes;
	int cn;

	add_total(s, &W->tot, sg);
	if (!t)
		return;
	unknown_ops(W->g, &W->u, sg);
	r = gp_table_addrow(s, t);
	bytes = total(sg);
	{
		int64_t v[] = {sg->c.flops, sg->c.macs, sg->bytes_in, sg->bytes_out, sg->bytes_weight};
		int64_t par[] = {sg->c.batch, sg->c.channels, sg->c.spatial, sg->c.threads,
		    sg->c.depthwise, sg->c.groups};

		gp_table_set_count(s, t, 0, r, sg->id);
		share_name(s, t, 1, r, W->g, sg->anchor, 1, W->c_nname, &W->b);
		set_name(s, t, 2, r, sg->c.kind, &W->b);
		set_name(s, t, 3, r, sg->ops, &W->b);
		set_names(s, t, 4, r, W->g, sg->nodes, sg->nnode, 1, W->c_nname, &W->b);
		set_names(s, t, 5, r, W->g, sg->in, sg->nin, 0, W->c_tname, &W->b);
		set_names(s, t, 6, r, W->g, sg->w, sg->nw, 0, W->c_tname, &W->b);
		set_names(s, t, 7, r, W->g, sg->out, sg->nout, 0, W->c_tname, &W->b);
		for (cn = 0; cn < 5; cn++)
			gp_table_set_count(s, t, 8 + cn, r, v[cn]);
		gp_table_set_g(s, t, 13, r, sg->c.flops < 0 || bytes <= 0 ? -1 :
		    (double)sg->c.flops / (double)bytes, 4);
		gp_table_set(s, t, 14, r, bound(sg->c.flops, bytes, W->hi, W->lo));
		for (cn = 0; cn < 6; cn++)
			gp_table_set_count(s, t, 15 + cn, r, sg->c.threads > 0 ? par[cn] : -1);
	}
	geometry_fields(s, t, r, sg, W->last, &W->b);
	/* the rows of its normalizations, softmaxes and reductions, where a model has any */
	if (W->p->rows) {
		if (W->c_rows < 0)
			W->c_rows = gp_table_addcol(s, t, "rows");
		gp_table_set_count(s, t, W->c_rows, r, sg->c.rows);
	}
	/* what its Concat, Split or Transpose copies, where a model has any */
	if (W->p->copies) {
		if (W->c_copy < 0) {
			W->c_copy = gp_table_addcol(s, t, "copy_elems");
			W->c_run = gp_table_addcol(s, t, "copy_run");
		}
		gp_table_set_count(s, t, W->c_copy, r, sg->c.copy);
		gp_table_set_count(s, t, W->c_run, r, sg->c.copy_run);
	}
	/* the kernels and runs of control nodes' bodies, where a model has any */
	if (W->p->bodies) {
		if (W->c_bk < 0) {
			W->c_bk = gp_table_addcol(s, t, "body_kernels");
			W->c_br = gp_table_addcol(s, t, "body_runs");
		}
		gp_table_set_count(s, t, W->c_bk, r, sg->body_kernels);
		gp_table_set_count(s, t, W->c_br, r, sg->body_runs);
	}
	/* the 1-D Conv calls and their groups, where a model has any */
	if (W->p->convs) {
		if (W->c_cc < 0) {
			W->c_cc = gp_table_addcol(s, t, "conv_calls");
			W->c_cg = gp_table_addcol(s, t, "conv_groups");
			W->c_cm = gp_table_addcol(s, t, "conv_gemm");
			W->c_cx = gp_table_addcol(s, t, "conv_im2col");
			W->c_cw = gp_table_addcol(s, t, "conv_im2col_rows");
			W->c_cs = gp_table_addcol(s, t, "conv_im2col_strided");
		}
		gp_table_set_count(s, t, W->c_cc, r, sg->conv_calls);
		gp_table_set_count(s, t, W->c_cg, r, sg->conv_groups);
		for (cn = 0; cn < sg->nconv_gemm && sg->conv_gemm[cn].b >= 0; cn++)
			;
		gp_buf_reset(&W->b);
		gp_gemm_fmt(&W->b, sg->conv_gemm, cn < sg->nconv_gemm ? 0 : sg->nconv_gemm);
		gp_table_set(s, t, W->c_cm, r, W->b.buf);
		gp_table_set_count(s, t, W->c_cx, r, sg->im2col.floats);
		gp_table_set_count(s, t, W->c_cw, r, sg->im2col.rows);
		gp_table_set_count(s, t, W->c_cs, r, sg->im2col.strided);
	}
	/* the NCHWc layout reorders beside it, where a runtime's layout has any */
	if (W->p->reorders) {
		if (W->c_ro[0] < 0) {
			W->c_ro[0] = gp_table_addcol(s, t, "reorders");
			W->c_ro[1] = gp_table_addcol(s, t, "reorder_bytes_in");
			W->c_ro[2] = gp_table_addcol(s, t, "reorder_bytes_out");
		}
		gp_table_set_count(s, t, W->c_ro[0], r, sg->reorders.n);
		gp_table_set_count(s, t, W->c_ro[1], r, sg->reorders.in);
		gp_table_set_count(s, t, W->c_ro[2], r, sg->reorders.out);
	}
}

/* Partition one stream. */
static void
partition(struct gp_stream *s, const struct gp_part_opts *op, const char *rtname, double hi,
    double lo, int strict)
{
	static const char *const cols[] = {
		"id", "name", "kind", "ops", "nodes", "inputs", "weights", "outputs", "flops", "macs",
		"bytes_in", "bytes_out", "bytes_weight", "ai", "bound", "batch", "channels", "spatial",
		"threads", "depthwise", "groups", "gemm", "float_elems", "float_bytes", "class", "bytes_input", NULL,
	};
	struct gp_part_opts o = *op;
	struct gp_graph g;
	struct gp_part p, unf;
	struct gp_buf b = {0}, h = {0};
	struct writer W;
	struct totals tot;
	int cn;
	size_t k;

	gp_graph_build(&g, s);
	/* gp-shape's header says its shapes are inferred, and whether the
	 * model's were fixed before it bound any; without it (gp-load |
	 * gp-partition) they are inferred here, the one time */
	if (gp_hdr_get(s, "shape")) {
		const char *dyn = gp_hdr_field(s, "shape", "dynamic");

		o.dynamic = dyn && !strcmp(dyn, "1");
	} else {
		o.dynamic = gp_graph_dynamic(&g);
		gp_kv_roles(&g);
		gp_infer(&g, GP_INFER_QUIET);
		gp_graph_store(&g);
	}
	memset(&W, 0, sizeof W);
	W.s = s;
	W.g = &g;
	W.hi = hi;
	W.lo = lo;
	W.u.first = -1;
	W.u.strict = strict;
	W.p = &p;
	W.c_rows = W.c_copy = W.c_run = W.c_bk = W.c_br = W.c_cc = W.c_cg = W.c_cm = W.c_cx = W.c_cw = W.c_cs = -1;
	W.c_ro[0] = W.c_ro[1] = W.c_ro[2] = -1;
	W.c_nname = g.node_table ? gp_table_col(g.node_table, "name") : -1;
	W.c_tname = g.tensor_table ? gp_table_col(g.tensor_table, "name") : -1;
	/* new subgraphs: what gp-concur and gp-roofline said of the old ones goes with them */
	gp_table_drop(s, "subgraph");
	gp_table_drop(s, "stage");
	gp_hdr_drop(s, "concur");
	gp_hdr_drop(s, "roofline");
	W.t = gp_table_new(s, "subgraph", cols);
	gp_partition(&g, &o, &p, write_sub, &W);
	unknown_shapes(&g, &W.u);
	tot = W.tot;
	gp_buf_release(&W.b);
	/* which subgraph each node went into */
	cn = gp_table_addcol(s, g.node_table, "subgraph");
	for (k = 0; k < g.nn; k++) {
		gp_table_set_count(s, g.node_table, cn, g.n[k].row, p.node_sg[k] > 0 ? p.node_sg[k] : -1);
	}
	branches(s, &g, &p);
	/* the totals: only when every subgraph was counted, else '.' and the
	 * sums of those that were, named as such */
	gp_buf_printf(&h, "mode=%s\tsubgraphs=%d", o.fuse ? "fused" : "unfused", p.nsg);
	/* the batch, for the programs after this one that do not read the graph */
	if (gp_graph_batch(&g) > 0)
		gp_buf_printf(&h, "\tbatch=%" PRId64, gp_graph_batch(&g));
	else
		gp_buf_adds(&h, "\tbatch=.");
	if (rtname) {
		gp_buf_adds(&h, "\truntime=");
		gp_esc(&h, rtname, strlen(rtname));
	}
	if (tot.unknown) {
		gp_buf_printf(&h, "\tflops=.\tmacs=.\tbytes=.\tai=.\tflops_known=%" PRId64 "\tmacs_known=%"
		    PRId64 "\tbytes_known=%" PRId64, tot.flops, tot.macs, tot.bytes);
	} else {
		gp_buf_printf(&h, "\tflops=%" PRId64 "\tmacs=%" PRId64 "\tbytes=%" PRId64, tot.flops,
		    tot.macs, tot.bytes);
		ai_fmt(&b, tot.flops, tot.bytes);
		gp_buf_printf(&h, "\tai=%s", b.buf);
	}
	gp_buf_printf(&h, "\tfolded_flops=%" PRId64 "\tfolded_macs=%" PRId64 "\tshape_nodes=%d\tview_nodes=%d",
	    p.folded_flops, p.folded_macs, p.shape_nodes, p.view_nodes);
	gp_buf_printf(&h, "\tparams=%" PRId64 "\tbuffers=%" PRId64 "\tweight_bytes=%" PRId64, p.params,
	    p.buffers, p.weight_bytes);
	gp_buf_printf(&h, "\tweights_prec=%s", p.weights_prec >= 0 ? gp_prec_name(p.weights_prec) : ".");
	if (o.fuse) {
		struct gp_part_opts uo = o;

		uo.fuse = 0;
		memset(&W, 0, sizeof W);
		W.s = s;
		W.p = &unf;
		gp_partition(&g, &uo, &unf, write_sub, &W);
		gp_buf_printf(&h, "\tsubgraphs_unfused=%d", unf.nsg);
		if (!tot.unknown && !W.tot.unknown)
			gp_buf_printf(&h, "\tbytes_unfused=%" PRId64 "\tbytes_saved=%" PRId64, W.tot.bytes,
			    W.tot.bytes - tot.bytes);
		gp_part_release(&unf);
	}
	gp_buf_printf(&h, "\tdtype=%s\tcompute_ai=", o.dtype ? gp_dtype_name(o.dtype) : "as-is");
	gp_fmt_num(&h, hi, 6);
	gp_buf_adds(&h, "\tmemory_ai=");
	gp_fmt_num(&h, lo, 6);
	gp_buf_printf(&h, "\tunknown=%d", tot.unknown);
	gp_hdr_set(s, "partition", h.buf);
	gp_buf_release(&b);
	gp_buf_release(&h);
	gp_part_release(&p);
	gp_graph_release(&g);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"fuse", optional_argument, NULL, 'f'},
		{"dtype", required_argument, NULL, 'd'},
		{"compute-ai", required_argument, NULL, 'c'},
		{"memory-ai", required_argument, NULL, 'm'},
		{"strict", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "", opts};
	struct gp_part_opts o = {0, 0, 0, 0, 0};
	const char *rtname = NULL;
	struct gp_input in;
	struct gp_stream s;
	double hi = 40, lo = 10;
	int c, strict = 0;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'f':
			o.fuse = 1;
			if (optarg)
				fuse_runtime(&o, optarg, &rtname);
			break;
		case 'd':
			o.dtype = gp_dtype_arg("--dtype", optarg);
			break;
		case 'c':
			hi = gp_opt_real("--compute-ai", optarg, 0, 1e12, "a FLOPs-per-byte value");
			break;
		case 'm':
			lo = gp_opt_real("--memory-ai", optarg, 0, 1e12, "a FLOPs-per-byte value");
			break;
		case 's':
			strict = 1;
			break;
		}
	}
	if (optind != argc)
		gp_die_usage(usage);
	if (lo > hi)
		gp_die_status(GP_EXIT_USAGE, "--memory-ai %g is above --compute-ai %g", lo, hi);
	gp_input_init(&in, stdin, "stdin");
	while (gp_stream_next(&in, &s)) {
		partition(&s, &o, rtname, hi, lo, strict);
		gp_stream_emit(&s, argc, argv, gp_input_more(&in));
		gp_stream_release(&s);
	}
	gp_input_release(&in);
	free((char *)rtname);
	return gp_close_stdout();
}
