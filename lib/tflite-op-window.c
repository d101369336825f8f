/* tflite-op-window.c - the window and row ops of the "tflite" domain: pools,
 * reductions, resizes, LOCAL_RESPONSE_NORMALIZATION and TOPK_V2, and the
 * SAME or VALID window arithmetic the convolutions share
 */
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* window: an NHWC spatial output dim of input in, kernel k, stride s,
 * dilation dl under padding pad ("SAME" or "VALID"); -2 (gp_op_err) if impossible */
int
gp_tfl_window(struct gp_dim in, int64_t k, int64_t s, int64_t dl, const char *pad, struct gp_dim *out)
{
	int64_t ek;

	if (s <= 0 || dl <= 0 || k <= 0 || s > LIM || dl > LIM || k > LIM)
		return gp_op_fail("bad stride (%lld), dilation (%lld) or kernel (%lld)", (long long)s,
		    (long long)dl, (long long)k);
	ek = (k - 1) * dl + 1;
	if (!strcmp(pad, "SAME")) {
		*out = s == 1 ? in : known(in) ? dk(in.v / s + (in.v % s != 0)) : unk;
		return 0;
	}
	if (strcmp(pad, "VALID"))
		return gp_op_fail("padding '%s' is neither SAME nor VALID", pad);
	if (!known(in)) {
		*out = unk;
		return 0;
	}
	if (in.v < ek)
		return gp_op_fail("the kernel (%lld) is larger than the input (%lld)", (long long)ek,
		    (long long)in.v);
	*out = dk((in.v - ek) / s + 1);
	return 0;
}

/* pools: [N,H,W,C] -> [N,OH,OW,C] */
int
gp_tfl_sh_pool(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	const char *pad = attr_s(g, n, "padding", "SAME");
	struct gp_dim d[4];
	int rc;

	if (rank(x) != 4)
		return rank(x) < 0 ? -1 : gp_op_fail("input of rank %d", rank(x));
	d[0] = x->shape.d[0];
	d[3] = x->shape.d[3];
	if ((rc = gp_tfl_window(x->shape.d[1], attr_i(n, "filter_height", 0), attr_i(n, "stride_h", 0), 1, pad,
	    &d[1])) < 0 || (rc = gp_tfl_window(x->shape.d[2], attr_i(n, "filter_width", 0),
	    attr_i(n, "stride_w", 0), 1, pad, &d[2])) < 0)
		return rc;
	set_out(g, n, 0, 4, d);
	return 0;
}

/* pools: fpe FLOPs per window element per output */
int
gp_tfl_c_pool(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), fh = attr_i(n, "filter_height", -1),
	    fw = attr_i(n, "filter_width", -1);

	if (ey < 0 || fh < 0 || fw < 0)
		return -1;
	c->flops = mul(c, mul(c, ey, mul(c, fh, fw)), fpe);
	c->kind = !strcmp(n->op, "MAX_POOL_2D") ? "maxpool" : !strcmp(n->op, "AVERAGE_POOL_2D") ?
	    "avgpool" : "l2pool";
	return gp_tfl_epilogue(g, n, c, 0);
}

/* MEAN, SUM, REDUCE_*: the axes of input 1 removed (kept as 1 with keep_dims);
 * ARG_MAX, ARG_MIN: the axis of input 1 removed */
int
gp_tfl_sh_reduce(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), na, i, k, o = 0, keep = !strncmp(n->op, "ARG_", 4) ? 0 :
	    attr_i(n, "keep_dims", 0) != 0;
	int64_t *ax;
	char *drop;
	struct gp_dim *d;

	if (r < 0 || (na = gp_ints(g, gp_node_in(g, n, 1), &ax)) < 0)
		return -1;
	drop = gp_arena_alloc(A, (size_t)r + 1);
	memset(drop, 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		if ((k = axis_of(ax[i], r)) < 0)
			return gp_op_fail("axis %lld of a rank %d input", (long long)ax[i], r);
		drop[k] = 1;
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		if (!drop[k])
			d[o++] = x->shape.d[k];
		else if (keep)
			d[o++] = dk(1);
	}
	set_out(g, n, 0, o, d);
	return 0;
}

/* reductions: ONNX's arithmetic, fpe FLOPs per input element, then the epilogue */
int
gp_tfl_c_reduce(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return gp_tfl_epilogue(g, n, c, gp_cost_reduce(g, n, c, fpe));
}

/* RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR: [N,H,W,C] -> [N, size[0], size[1], C] */
int
gp_tfl_sh_resize(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *sz;
	struct gp_dim d[4];

	if (rank(x) != 4 || gp_ints(g, gp_node_in(g, n, 1), &sz) != 2)
		return rank(x) >= 0 && rank(x) != 4 ? gp_op_fail("input of rank %d", rank(x)) : -1;
	if (sz[0] < 0 || sz[1] < 0)
		return gp_op_fail("size %lldx%lld", (long long)sz[0], (long long)sz[1]);
	d[0] = x->shape.d[0];
	d[1] = dk(sz[0]);
	d[2] = dk(sz[1]);
	d[3] = x->shape.d[3];
	set_out(g, n, 0, 4, d);
	return 0;
}

/* RESIZE_BILINEAR: ONNX's linear Resize, 3 FLOPs a lerp and 2^k - 1 lerps per
 * output over k resized axes; RESIZE_NEAREST_NEIGHBOR moves data */
int
gp_tfl_c_resize(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	int64_t e = numel(c, y), p2 = 1;
	int k;

	(void)fpe;
	if (e < 0 || rank(x) != rank(y))
		return -1;
	for (k = 0; k < rank(x); k++) {
		if (dimval(x, k) < 0 || dimval(y, k) < 0)
			return -1;
		if (dimval(x, k) != dimval(y, k) && p2 < ((int64_t)1 << 40))
			p2 *= 2;
	}
	if (!strcmp(n->op, "RESIZE_BILINEAR"))
		c->flops = mul(c, e, (p2 - 1) * 3);
	return gp_tfl_epilogue(g, n, c, 0);
}

/* LOCAL_RESPONSE_NORMALIZATION: ONNX's LRN of size 2 radius + 1 */
int
gp_tfl_c_lrn(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0)), r = attr_i(n, "radius", -1);

	(void)fpe;
	if (e < 0 || r < 0 || r > LIM)
		return -1;
	c->flops = mul(c, e, 2 * (2 * r + 1) + 3);
	return gp_tfl_epilogue(g, n, c, 0);
}

/* TOPK_V2: the last dim becomes input 1's k; values and indices */
int
gp_tfl_sh_topk(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x);
	int64_t *k;
	struct gp_dim *d;

	if (r < 1 || gp_ints(g, gp_node_in(g, n, 1), &k) != 1)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[r - 1] = dk(k[0]);
	set_out(g, n, 0, r, d);
	set_out(g, n, 1, r, d);
	return 0;
}

/* TOPK_V2: log2(k) comparisons per input element, as ONNX's TopK */
int
gp_tfl_c_topk(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return gp_tfl_epilogue(g, n, c, gp_cost_topk(g, n, c, fpe));
}
