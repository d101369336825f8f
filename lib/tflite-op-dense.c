/* tflite-op-dense.c - the convolutions and matrix products of the "tflite"
 * domain: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV (and MediaPipe's
 * Convolution2DTransposeBias), FULLY_CONNECTED, BATCH_MATMUL
 */
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* CONV_2D and DEPTHWISE_CONV_2D: [N,H,W,C] -> [N,OH,OW,Cout] */
int
gp_tfl_sh_conv(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1);
	int dw = !strcmp(n->op, "DEPTHWISE_CONV_2D"), rc;
	const char *pad = attr_s(g, n, "padding", "SAME");
	struct gp_dim d[4], c, kh, kw, co;

	if (rank(x) != 4 || rank(w) != 4)
		return rank(x) < 0 || rank(w) < 0 ? -1 : gp_op_fail("input of rank %d, filter of rank %d",
		    rank(x), rank(w));
	c = x->shape.d[3];
	kh = w->shape.d[1];
	kw = w->shape.d[2];
	co = dw ? w->shape.d[3] : w->shape.d[0];
	if (!known(kh) || !known(kw))
		return -1;
	if (dw && known(w->shape.d[0]) && w->shape.d[0].v != 1)
		return gp_op_fail("a depthwise filter's first dim is %lld, not 1", (long long)w->shape.d[0].v);
	if (known(c) && known(co) && known(w->shape.d[3]) && w->shape.d[3].v > 0 && c.v > 0 &&
	    (dw ? co.v % c.v : c.v % w->shape.d[3].v))
		return gp_op_fail("%lld input channels do not match the filter's %lld", (long long)c.v,
		    (long long)w->shape.d[3].v);
	d[0] = x->shape.d[0];
	d[3] = co;
	if ((rc = gp_tfl_window(x->shape.d[1], kh.v, attr_i(n, "stride_h", 0), attr_i(n, "dilation_h_factor", 1),
	    pad, &d[1])) < 0 || (rc = gp_tfl_window(x->shape.d[2], kw.v, attr_i(n, "stride_w", 0),
	    attr_i(n, "dilation_w_factor", 1), pad, &d[2])) < 0)
		return rc;
	set_out(g, n, 0, 4, d);
	return 0;
}

/* custom_params reads the TfLiteTransposeConvParams MediaPipe's custom ops
 * keep in their custom options: padding (1 SAME, 2 VALID), stride_w, stride_h */
static int
custom_params(struct gp_graph *g, struct gp_node *n, const char **pad, int64_t *sw, int64_t *sh)
{
	int64_t *b;
	int nb = gp_attr_ints(A, n, "custom_options", &b), i;
	int64_t v[3];

	if (nb < 12)
		return -1;
	for (i = 0; i < 3; i++)
		v[i] = (int64_t)(int32_t)(uint32_t)(b[4 * i] | b[4 * i + 1] << 8 | b[4 * i + 2] << 16 |
		    (b[4 * i + 3] & 255) << 24);
	*pad = v[0] == 1 ? "SAME" : v[0] == 2 ? "VALID" : "?";
	*sw = v[1];
	*sh = v[2];
	return 0;
}

/* TRANSPOSE_CONV (output_shape, filter, input, bias) and MediaPipe's
 * Convolution2DTransposeBias (input, filter, bias): [N,H,W,Cin] ->
 * [N,OH,OW,Cout], OH = H x stride (SAME) or (H - 1) x stride + KH (VALID) */
int
gp_tfl_sh_tconv(struct gp_graph *g, struct gp_node *n)
{
	int tc = !strcmp(n->op, "TRANSPOSE_CONV"), k;
	struct gp_tensor *x = gp_node_in(g, n, tc ? 2 : 0), *w = gp_node_in(g, n, 1);
	const char *pad = attr_s(g, n, "padding", "SAME");
	int64_t st[2] = {attr_i(n, "stride_h", 0), attr_i(n, "stride_w", 0)}, *os;
	struct gp_dim d[4];

	if (tc && gp_ints(g, gp_node_in(g, n, 0), &os) == 4) {
		for (k = 0; k < 4; k++) {
			if (os[k] < 0)
				return gp_op_fail("output_shape has dim %lld", (long long)os[k]);
			d[k] = dk(os[k]);
		}
		set_out(g, n, 0, 4, d);
		return 0;
	}
	if (!tc && custom_params(g, n, &pad, &st[1], &st[0]) < 0)
		return gp_op_fail("no custom options (padding, strides)");
	if (rank(x) != 4 || rank(w) != 4)
		return rank(x) < 0 || rank(w) < 0 ? -1 : gp_op_fail("bad ranks");
	d[0] = x->shape.d[0];
	d[3] = w->shape.d[0];
	for (k = 0; k < 2; k++) {
		struct gp_dim in = x->shape.d[1 + k], kk = w->shape.d[1 + k];

		if (st[k] <= 0 || st[k] > LIM)
			return gp_op_fail("bad stride %lld", (long long)st[k]);
		int64_t o;

		if (strcmp(pad, "SAME") && strcmp(pad, "VALID"))
			return gp_op_fail("padding '%s' is neither SAME nor VALID", pad);
		if (!known(in) || (!strcmp(pad, "VALID") && (!known(kk) || in.v == 0))) {
			d[1 + k] = !strcmp(pad, "SAME") && st[k] == 1 ? in : unk;
			continue;
		}
		if (!strcmp(pad, "SAME") ? __builtin_mul_overflow(in.v, st[k], &o) :
		    __builtin_mul_overflow(in.v - 1, st[k], &o) || __builtin_add_overflow(o, kk.v, &o))
			return gp_op_fail("the output's dims overflow");
		d[1 + k] = dk(o);
	}
	set_out(g, n, 0, 4, d);
	return 0;
}

/* FULLY_CONNECTED: [..., K] x [O, K] -> [rows, O], or [..., O] with keep_num_dims */
int
gp_tfl_sh_fc(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1);
	int r = rank(x), k, nsym = 0;
	struct gp_dim *d, rows = dk(1), kdim;

	if (r < 1 || rank(w) != 2)
		return r < 0 || rank(w) < 0 ? -1 : gp_op_fail("input of rank %d, weight of rank %d", r, rank(w));
	kdim = w->shape.d[1];
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	if (attr_i(n, "keep_num_dims", 0)) {
		memcpy(d, x->shape.d, (size_t)r * sizeof *d);
		d[r - 1] = w->shape.d[0];
		set_out(g, n, 0, r, d);
		return 0;
	}
	/* rows: the input's elements / K; a lone symbol when the rest is K */
	if (!known(kdim) || kdim.v == 0)
		return -1;
	{
		int64_t prod = 1;

		for (k = 0; k < r; k++) {
			struct gp_dim e = x->shape.d[k];

			if (known(e)) {
				if (__builtin_mul_overflow(prod, e.v, &prod))
					return gp_op_fail("the input's size overflows");
			} else if (e.sym && nsym++ == 0) {
				rows = e;
			} else {
				return -1;
			}
		}
		if (nsym == 0) {
			if (prod % kdim.v)
				return gp_op_fail("%lld input elements are not rows of %lld", (long long)prod,
				    (long long)kdim.v);
			rows = dk(prod / kdim.v);
		} else if (prod != kdim.v) {
			rows = unk;
		}
	}
	d[0] = rows;
	d[1] = w->shape.d[0];
	set_out(g, n, 0, 2, d);
	return 0;
}

/* BATCH_MATMUL: [..., M, K] x [..., K, N] -> [..., M, N], batch dims broadcast */
int
gp_tfl_sh_bmm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int ra = rank(a), rb = rank(b), r, k;
	int ax = attr_i(n, "adj_x", 0) != 0, ay = attr_i(n, "adj_y", 0) != 0;
	struct gp_dim *d;

	if (ra < 2 || rb < 2)
		return ra < 0 || rb < 0 ? -1 : gp_op_fail("operands of rank %d and %d", ra, rb);
	r = ra > rb ? ra : rb;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r - 2; k++) {
		int ia = k - (r - ra), ib = k - (r - rb);
		struct gp_dim x = ia >= 0 ? a->shape.d[ia] : dk(1), y = ib >= 0 ? b->shape.d[ib] : dk(1);

		if (known(x) && known(y) && x.v != y.v && x.v != 1 && y.v != 1)
			return gp_op_fail("batch dims %lld and %lld do not broadcast", (long long)x.v, (long long)y.v);
		d[k] = known(x) && x.v == 1 ? y : known(y) && y.v == 1 ? x : known(x) ? x : y;
	}
	d[r - 2] = a->shape.d[ax ? ra - 1 : ra - 2];
	d[r - 1] = b->shape.d[ay ? rb - 2 : rb - 1];
	set_out(g, n, 0, r, d);
	return 0;
}

/* CONV_2D: each output element takes KH x KW x Cin/groups MACs, numel(W) /
 * Cout; DEPTHWISE_CONV_2D: KH x KW, numel(W) / (Cin x multiplier); a bias
 * adds one FLOP per output */
int
gp_tfl_c_conv(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int dw = !strcmp(n->op, "DEPTHWISE_CONV_2D");
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1), *y = gp_node_out(g, n, 0);
	int64_t ey = numel(c, y), ew = numel(c, w), co = dimval(w, dw ? 3 : 0), cin = dimval(x, 3);
	int64_t kh = dimval(w, 1), kw = dimval(w, 2), ci = dimval(w, 3);

	(void)fpe;
	if (ey < 0 || ew < 0 || co <= 0 || cin <= 0 || kh < 0 || kw < 0 || rank(y) != 4)
		return -1;
	dense(c, mul(c, ey, ew / co), gp_node_in(g, n, 2) ? ey : 0);
	c->groups = dw ? cin : ci > 0 ? cin / ci : 1;
	c->depthwise = dw;
	c->kind = dw ? "conv2d_depthwise" : c->groups > 1 ? "conv2d_grouped" :
	    kh == 1 && kw == 1 ? "conv2d_pointwise" : "conv2d";
	return gp_tfl_epilogue(g, n, c, 0);
}

/* TRANSPOSE_CONV, Convolution2DTransposeBias: each input element is spread
 * over KH x KW x Cout outputs, numel(X) x numel(W) / Cin MACs; a bias adds
 * one FLOP per output */
int
gp_tfl_c_tconv(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int tc = !strcmp(n->op, "TRANSPOSE_CONV");
	struct gp_tensor *x = gp_node_in(g, n, tc ? 2 : 0), *w = gp_node_in(g, n, 1);
	int64_t ex = numel(c, x), ew = numel(c, w), ey = numel(c, gp_node_out(g, n, 0)), cin = dimval(w, 3);

	(void)fpe;
	if (ex < 0 || ew < 0 || ey < 0 || cin <= 0)
		return -1;
	dense(c, mul(c, ex, ew / cin), gp_node_in(g, n, tc ? 3 : 2) ? ey : 0);
	c->kind = "conv2d_transpose";
	return gp_tfl_epilogue(g, n, c, 0);
}

/* FULLY_CONNECTED: K MACs per output element (K the weight's second dim); a
 * bias adds one FLOP per output */
int
gp_tfl_c_fc(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k = dimval(gp_node_in(g, n, 1), 1);

	(void)fpe;
	c->kind = "linear";
	if (ey < 0 || k < 0)
		return -1;
	dense(c, mul(c, ey, k), gp_node_in(g, n, 2) ? ey : 0);
	return gp_tfl_epilogue(g, n, c, 0);
}

/* BATCH_MATMUL: K MACs per output element; linear when B is a weight */
int
gp_tfl_c_bmm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k;

	(void)fpe;
	c->kind = b && (b->kind == GP_K_INIT || b->kind == GP_K_CONST) ? "linear" : "matmul";
	k = dimval(a, attr_i(n, "adj_x", 0) ? rank(a) - 2 : rank(a) - 1);
	if (ey < 0 || k < 0)
		return -1;
	dense(c, mul(c, ey, k), 0);
	return gp_tfl_epilogue(g, n, c, 0);
}
