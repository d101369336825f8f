/* tflite-op.h - what the op families of the "tflite" domain (tflite-op-*.c)
 * share with each other and with their tables (tflite-ops.c): their shape and
 * cost functions, and the small helpers below. Private to lib/; op.h first.
 *
 * TFLite's semantics, not ONNX's: activations are NHWC; a CONV_2D filter is
 * OHWI ([Cout, KH, KW, Cin / groups]), a DEPTHWISE_CONV_2D filter [1, KH, KW,
 * Cin x multiplier], a TRANSPOSE_CONV filter [Cout, KH, KW, Cin]; padding is
 * SAME or VALID; a FULLY_CONNECTED weight is [out, in]. An op's
 * fused_activation_function is its epilogue: one kernel with it, its FLOPs
 * per output element added (docs/counting.md). Where the arithmetic is ONNX's,
 * the shape or cost function of the ONNX op's family (op-*.c) does it (the
 * outputs keep the dtypes the file declares). Shape functions return 0, -1
 * when an input they need is unknown, -2 when the node is impossible; cost
 * functions 0, or -1 when a shape they need is unknown.
 */
#ifndef GP_TFLITE_OP_H
#define GP_TFLITE_OP_H

#define TFL_SHAPE_FN(name) int gp_tfl_sh_##name(struct gp_graph *g, struct gp_node *n)
#define TFL_COST_FN(name) int gp_tfl_c_##name(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)

/* ---- shape functions, by family: elem, dense, window, shape, control ---- */
TFL_SHAPE_FN(same);
TFL_SHAPE_FN(binary);
TFL_SHAPE_FN(select);
TFL_SHAPE_FN(conv);
TFL_SHAPE_FN(tconv);
TFL_SHAPE_FN(fc);
TFL_SHAPE_FN(bmm);
TFL_SHAPE_FN(pool);
TFL_SHAPE_FN(reduce);
TFL_SHAPE_FN(resize);
TFL_SHAPE_FN(topk);
TFL_SHAPE_FN(reshape);
TFL_SHAPE_FN(squeeze);
TFL_SHAPE_FN(expand);
TFL_SHAPE_FN(concat);
TFL_SHAPE_FN(pad);
TFL_SHAPE_FN(transpose);
TFL_SHAPE_FN(slice);
TFL_SHAPE_FN(gather);
TFL_SHAPE_FN(depthspace);
TFL_SHAPE_FN(split);
TFL_SHAPE_FN(pack);
TFL_SHAPE_FN(tile);
TFL_SHAPE_FN(shape);
TFL_SHAPE_FN(if);

/* ---- cost functions ---- */
TFL_COST_FN(elem);
TFL_COST_FN(conv);
TFL_COST_FN(tconv);
TFL_COST_FN(fc);
TFL_COST_FN(bmm);
TFL_COST_FN(pool);
TFL_COST_FN(reduce);
TFL_COST_FN(resize);
TFL_COST_FN(lrn);
TFL_COST_FN(topk);
TFL_COST_FN(none);
TFL_COST_FN(move);
TFL_COST_FN(if);
TFL_COST_FN(unknown);

/* gp_tfl_epilogue finishes cost c (rc its cost function's result): the fused
 * activation's FLOPs, a channels-last output's parallelism (tflite-op-elem.c) */
int gp_tfl_epilogue(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int rc);
/* gp_tfl_window: an NHWC output dim of a SAME or VALID window (tflite-op-window.c) */
int gp_tfl_window(struct gp_dim in, int64_t k, int64_t s, int64_t dl, const char *pad, struct gp_dim *out);

/* ---- helpers ---- */

/* attr_s: string attribute k of n, or def */
static inline const char *
attr_s(struct gp_graph *g, const struct gp_node *n, const char *k, const char *def)
{
	const char *v;

	return gp_attr_str(A, n, k, &v) == 0 ? v : def;
}

/* an axis in [0, r), from a possibly negative one; -1 if out of range */
static inline int
axis_of(int64_t a, int r)
{
	if (a < 0)
		a += r;
	return a >= 0 && a < r ? (int)a : -1;
}

/* set_out sets output i's shape to r dims d; its dtype stays as the file
 * declares it (an unknown one becomes input 0's). A declared dim fills in one
 * that cannot be known; a declared known dim that disagrees is reported. */
static inline void
set_out(struct gp_graph *g, struct gp_node *n, int i, int r, const struct gp_dim *d)
{
	struct gp_tensor *t = gp_node_out(g, n, i), *x = gp_node_in(g, n, 0);

	if (!t || r < 0)
		return;
	gp_set_out(g, n, i, t->dtype > 0 ? t->dtype : x ? x->dtype : 0, r, d);
}

/* dimval: dim k of t, -1 when unknown or absent */
static inline int64_t
dimval(const struct gp_tensor *t, int k)
{
	return t && k >= 0 && k < t->shape.rank && known(t->shape.d[k]) ? t->shape.d[k].v : -1;
}

#endif
