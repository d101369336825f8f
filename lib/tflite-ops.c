/* tflite-ops.c - the op table of the "tflite" domain (TFLite's builtin ops)
 * and of "tflite.custom" (the custom ops gp knows), with their shape and cost
 * functions
 *
 * TFLite's semantics, not ONNX's: activations are NHWC; a CONV_2D filter is
 * OHWI ([Cout, KH, KW, Cin / groups]), a DEPTHWISE_CONV_2D filter [1, KH, KW,
 * Cin x multiplier], a TRANSPOSE_CONV filter [Cout, KH, KW, Cin]; padding is
 * SAME or VALID; a FULLY_CONNECTED weight is [out, in]. An op's
 * fused_activation_function is its epilogue: one kernel with it, its FLOPs
 * per output element added (docs/counting.md). Where the arithmetic is ONNX's,
 * the shape or cost function of the ONNX op's family (op-*.c) does it (the
 * outputs keep the dtypes the file declares). Shape functions return 0, -1
 * when an input they need is unknown, -2 when the node is impossible.
 */
#include <stdarg.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* ---- dims ---- */

static const char *
attr_s(struct gp_graph *g, const struct gp_node *n, const char *k, const char *def)
{
	const char *v;

	return gp_attr_str(A, n, k, &v) == 0 ? v : def;
}

/* an axis in [0, r), from a possibly negative one; -1 if out of range */
static int
axis_of(int64_t a, int r)
{
	if (a < 0)
		a += r;
	return a >= 0 && a < r ? (int)a : -1;
}

/* set_out sets output i's shape to r dims d; its dtype stays as the file
 * declares it (an unknown one becomes input 0's). A declared dim fills in one
 * that cannot be known; a declared known dim that disagrees is reported. */
static void
set_out(struct gp_graph *g, struct gp_node *n, int i, int r, const struct gp_dim *d)
{
	struct gp_tensor *t = gp_node_out(g, n, i), *x = gp_node_in(g, n, 0);

	if (!t || r < 0)
		return;
	gp_set_out(g, n, i, t->dtype > 0 ? t->dtype : x ? x->dtype : 0, r, d);
}

/* onnx: the shape function of ONNX's op of the same arithmetic (Relu for a
 * unary op, Add for a broadcasting one, Where for SELECT), the outputs
 * keeping the dtypes the file declares */
static int
onnx(struct gp_graph *g, struct gp_node *n, const char *op)
{
	const struct gp_op *o = gp_op_find(NULL, op);
	int dt[4], i, rc;

	for (i = 0; i < 4; i++)
		dt[i] = gp_node_out(g, n, i) ? gp_node_out(g, n, i)->dtype : 0;
	rc = o && o->shape ? o->shape(g, n) : -1;
	for (i = 0; i < 4; i++) {
		struct gp_tensor *t = gp_node_out(g, n, i);

		if (t && dt[i] > 0 && t->dtype != dt[i]) {
			t->dtype = dt[i];
			t->dirty = 1;
		}
	}
	return rc;
}

static int sh_same(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, "Relu"); }
static int sh_binary(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, "Add"); }
static int sh_select(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, "Where"); }

/* ---- convolution and pooling ---- */

/* window: an NHWC spatial output dim of input in, kernel k, stride s,
 * dilation dl under padding pad ("SAME" or "VALID"); -2 (gp_op_err) if impossible */
static int
window(struct gp_dim in, int64_t k, int64_t s, int64_t dl, const char *pad, struct gp_dim *out)
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

/* CONV_2D and DEPTHWISE_CONV_2D: [N,H,W,C] -> [N,OH,OW,Cout] */
static int
sh_conv(struct gp_graph *g, struct gp_node *n)
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
	if ((rc = window(x->shape.d[1], kh.v, attr_i(n, "stride_h", 0), attr_i(n, "dilation_h_factor", 1),
	    pad, &d[1])) < 0 || (rc = window(x->shape.d[2], kw.v, attr_i(n, "stride_w", 0),
	    attr_i(n, "dilation_w_factor", 1), pad, &d[2])) < 0)
		return rc;
	set_out(g, n, 0, 4, d);
	return 0;
}

/* pools: [N,H,W,C] -> [N,OH,OW,C] */
static int
sh_pool(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	const char *pad = attr_s(g, n, "padding", "SAME");
	struct gp_dim d[4];
	int rc;

	if (rank(x) != 4)
		return rank(x) < 0 ? -1 : gp_op_fail("input of rank %d", rank(x));
	d[0] = x->shape.d[0];
	d[3] = x->shape.d[3];
	if ((rc = window(x->shape.d[1], attr_i(n, "filter_height", 0), attr_i(n, "stride_h", 0), 1, pad,
	    &d[1])) < 0 || (rc = window(x->shape.d[2], attr_i(n, "filter_width", 0),
	    attr_i(n, "stride_w", 0), 1, pad, &d[2])) < 0)
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
static int
sh_tconv(struct gp_graph *g, struct gp_node *n)
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

/* ---- dense ---- */

/* FULLY_CONNECTED: [..., K] x [O, K] -> [rows, O], or [..., O] with keep_num_dims */
static int
sh_fc(struct gp_graph *g, struct gp_node *n)
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
static int
sh_bmm(struct gp_graph *g, struct gp_node *n)
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

/* ---- reductions ---- */

/* MEAN, SUM, REDUCE_*: the axes of input 1 removed (kept as 1 with keep_dims);
 * ARG_MAX, ARG_MIN: the axis of input 1 removed */
static int
sh_reduce(struct gp_graph *g, struct gp_node *n)
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

/* ---- views ---- */

/* RESHAPE: to input 1's values (or new_shape), a -1 inferred */
static int
sh_reshape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *v, q = 1, p = 1;
	int nv = gp_ints(g, gp_node_in(g, n, 1), &v), i, neg = -1, nsym = 0;
	struct gp_dim *d, sym = unk;

	if (nv < 0 && (nv = gp_attr_ints(A, n, "new_shape", &v)) < 0)
		return -1;
	if (rank(x) < 0)
		return -1;
	d = gp_arena_alloc(A, (size_t)(nv + 1) * sizeof *d);
	for (i = 0; i < nv; i++) {
		if (v[i] == -1 && neg < 0) {
			neg = i;
			continue;
		}
		if (v[i] < 0 || __builtin_mul_overflow(q, v[i], &q))
			return gp_op_fail("bad target dim %lld", (long long)v[i]);
		d[i] = dk(v[i]);
	}
	if (neg >= 0) {
		for (i = 0; i < x->shape.rank; i++) {
			struct gp_dim e = x->shape.d[i];

			if (known(e)) {
				if (__builtin_mul_overflow(p, e.v, &p))
					return gp_op_fail("the input's size overflows");
			} else if (e.sym && nsym++ == 0) {
				sym = e;
			} else {
				nsym = 2;
			}
		}
		if (nsym == 0 && q > 0 && p % q == 0)
			d[neg] = dk(p / q);
		else if (nsym == 0)
			return gp_op_fail("%lld elements do not reshape to %d dims of %lld", (long long)p, nv,
			    (long long)q);
		else
			d[neg] = nsym == 1 && p == q ? sym : unk;
	}
	set_out(g, n, 0, nv, d);
	return 0;
}

/* SQUEEZE: the squeeze_dims removed, or every dim of 1 */
static int
sh_squeeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), na, i, k, o = 0;
	int64_t *ax;
	char *drop;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	na = gp_attr_ints(A, n, "squeeze_dims", &ax);
	drop = gp_arena_alloc(A, (size_t)r + 1);
	memset(drop, 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		if ((k = axis_of(ax[i], r)) < 0)
			return gp_op_fail("squeeze dim %lld of a rank %d input", (long long)ax[i], r);
		drop[k] = 1;
	}
	for (k = 0; na <= 0 && k < r; k++) {
		if (!known(x->shape.d[k]))
			return -1;
		drop[k] = x->shape.d[k].v == 1;
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++)
		if (!drop[k])
			d[o++] = x->shape.d[k];
	set_out(g, n, 0, o, d);
	return 0;
}

/* EXPAND_DIMS: a dim of 1 at input 1's axis */
static int
sh_expand(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k, a;
	int64_t *ax;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &ax) != 1)
		return -1;
	if ((a = axis_of(ax[0], r + 1)) < 0)
		return gp_op_fail("axis %lld of a rank %d input", (long long)ax[0], r);
	d = gp_arena_alloc(A, (size_t)(r + 2) * sizeof *d);
	for (k = 0; k <= r; k++)
		d[k] = k < a ? x->shape.d[k] : k == a ? dk(1) : x->shape.d[k - 1];
	set_out(g, n, 0, r + 1, d);
	return 0;
}

/* ---- moving data ---- */

/* CONCATENATION on axis */
static int
sh_concat(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), a, i, k;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), r)) < 0)
		return gp_op_fail("axis %lld of rank %d inputs", (long long)attr_i(n, "axis", 0), r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 1; i < n->nin; i++) {
		struct gp_tensor *y = gp_node_in(g, n, i);

		if (rank(y) < 0)
			return -1;
		if (rank(y) != r)
			return gp_op_fail("inputs of rank %d and %d", r, rank(y));
		for (k = 0; k < r; k++) {
			struct gp_dim e = y->shape.d[k];

			if (k == a && known(d[k]) && known(e) && __builtin_add_overflow(d[k].v, e.v, &d[k].v))
				return gp_op_fail("the concatenated dim overflows");
			if (k == a)
				d[k] = known(d[k]) && known(e) ? d[k] : unk;
			else if (!known(d[k]) && known(e))
				d[k] = e;
		}
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* PAD, PADV2, MIRROR_PAD: input 1 holds [rank, 2] paddings */
static int
sh_pad(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k;
	int64_t *p;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &p) != 2 * r)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		int64_t o;

		if (p[2 * k] < 0 || p[2 * k + 1] < 0 || p[2 * k] > LIM || p[2 * k + 1] > LIM)
			return gp_op_fail("bad paddings");
		if (known(x->shape.d[k]) && __builtin_add_overflow(x->shape.d[k].v, p[2 * k] + p[2 * k + 1], &o))
			return gp_op_fail("a padded dim overflows");
		d[k] = known(x->shape.d[k]) ? dk(o) : p[2 * k] + p[2 * k + 1] == 0 ? x->shape.d[k] : unk;
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* TRANSPOSE: by input 1's permutation */
static int
sh_transpose(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k, a;
	int64_t *p;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &p) < 0)
		return -1;
	if (gp_ints(g, gp_node_in(g, n, 1), &p) != r)
		return gp_op_fail("a perm of %d axes for a rank %d input", gp_ints(g, gp_node_in(g, n, 1), &p), r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		if ((a = axis_of(p[k], r)) < 0)
			return gp_op_fail("bad perm");
		d[k] = x->shape.d[a];
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* clampi: v within [lo, hi] */
static int64_t
clampi(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* STRIDED_SLICE (input, begin, end, strides) with its masks; SLICE (input,
 * begin, size), a size of -1 to the end */
static int
sh_slice(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), ss = !strcmp(n->op, "STRIDED_SLICE"), k, o = 0;
	int64_t *b, *e, *s = NULL, bm, em, shrink;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &b) != r || gp_ints(g, gp_node_in(g, n, 2), &e) != r ||
	    (ss && gp_ints(g, gp_node_in(g, n, 3), &s) != r))
		return -1;
	bm = attr_i(n, "begin_mask", 0);
	em = attr_i(n, "end_mask", 0);
	shrink = attr_i(n, "shrink_axis_mask", 0);
	if (ss && (attr_i(n, "ellipsis_mask", 0) || attr_i(n, "new_axis_mask", 0)))
		return -1;      /* not worked out: the declared shape stays */
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		struct gp_dim in = x->shape.d[k];
		int64_t st = ss ? s[k] : 1, lo, hi, len;

		if (st == 0 || st < -LIM || st > LIM)
			return gp_op_fail("stride 0");
		if (ss && (shrink >> k & 1))
			continue;
		if (!known(in)) {
			d[o++] = !ss && b[k] == 0 && e[k] == -1 ? in : unk;
			continue;
		}
		if (!ss) {
			lo = clampi(b[k] < 0 ? b[k] + in.v : b[k], 0, in.v);
			len = e[k] == -1 ? in.v - lo : clampi(e[k], 0, in.v - lo);
			d[o++] = dk(len);
			continue;
		}
		lo = bm >> k & 1 ? (st > 0 ? 0 : in.v - 1) : b[k] < 0 ? b[k] + in.v : b[k];
		if (em >> k & 1)
			hi = st > 0 ? in.v : -1;
		else if (attr_i(n, "offset", 0))
			hi = clampi(lo, -1, in.v) + clampi(e[k], -LIM, LIM);
		else
			hi = e[k] < 0 ? e[k] + in.v : e[k];
		if (st > 0) {
			lo = clampi(lo, 0, in.v);
			hi = clampi(hi, 0, in.v);
			len = hi > lo ? (hi - lo + st - 1) / st : 0;
		} else {
			lo = clampi(lo, -1, in.v - 1);
			hi = clampi(hi, -1, in.v - 1);
			len = lo > hi ? (lo - hi - st - 1) / -st : 0;
		}
		d[o++] = dk(len);
	}
	set_out(g, n, 0, o, d);
	return 0;
}

/* GATHER: params[:axis] + indices[batch_dims:] + params[axis+1:] */
static int
sh_gather(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *ix = gp_node_in(g, n, 1);
	int r = rank(x), ri = rank(ix), a, bd, k, o = 0;
	struct gp_dim *d;

	if (r < 0 || ri < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), r)) < 0)
		return gp_op_fail("axis out of range");
	bd = (int)attr_i(n, "batch_dims", 0);
	if (bd < 0)
		bd += ri;
	if (bd < 0 || bd > ri || bd > a)
		return gp_op_fail("bad batch_dims");
	d = gp_arena_alloc(A, (size_t)(r + ri + 1) * sizeof *d);
	for (k = 0; k < a; k++)
		d[o++] = x->shape.d[k];
	for (k = bd; k < ri; k++)
		d[o++] = ix->shape.d[k];
	for (k = a + 1; k < r; k++)
		d[o++] = x->shape.d[k];
	set_out(g, n, 0, o, d);
	return 0;
}

/* RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR: [N,H,W,C] -> [N, size[0], size[1], C] */
static int
sh_resize(struct gp_graph *g, struct gp_node *n)
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

/* DEPTH_TO_SPACE, SPACE_TO_DEPTH by block_size, NHWC */
static int
sh_depthspace(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t b = attr_i(n, "block_size", 0);
	int up = !strcmp(n->op, "DEPTH_TO_SPACE"), k;
	struct gp_dim d[4];

	if (rank(x) != 4)
		return rank(x) < 0 ? -1 : gp_op_fail("input of rank %d", rank(x));
	if (b <= 0 || b > LIM)
		return gp_op_fail("block_size %lld", (long long)b);
	d[0] = x->shape.d[0];
	for (k = 1; k < 4; k++) {
		int64_t v = x->shape.d[k].v, f = k < 3 ? b : b * b, o;

		if (!known(x->shape.d[k]))
			d[k] = unk;
		else if (up == (k < 3) && __builtin_mul_overflow(v, f, &o))
			return gp_op_fail("the output's dims overflow");
		else
			d[k] = dk(up == (k < 3) ? o : v / f);
	}
	set_out(g, n, 0, 4, d);
	return 0;
}

/* SPLIT (axis, input) into num_splits equal parts; SPLIT_V (input,
 * size_splits, axis) */
static int
sh_split(struct gp_graph *g, struct gp_node *n)
{
	int v = !strcmp(n->op, "SPLIT_V"), r, a, i, neg = -1;
	struct gp_tensor *x = gp_node_in(g, n, v ? 0 : 1);
	int64_t *ax, *sz = NULL, used = 0;
	struct gp_dim *d;

	r = rank(x);
	if (r < 0 || gp_ints(g, gp_node_in(g, n, v ? 2 : 0), &ax) != 1)
		return -1;
	if ((a = axis_of(ax[0], r)) < 0)
		return gp_op_fail("axis %lld of a rank %d input", (long long)ax[0], r);
	if (v && gp_ints(g, gp_node_in(g, n, 1), &sz) != n->nout)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 0; v && i < n->nout; i++) {
		if (sz[i] == -1 && neg < 0)
			neg = i;
		else if (sz[i] < 0 || sz[i] > LIM)
			return gp_op_fail("bad size_splits");
		else
			used += sz[i];
	}
	for (i = 0; i < n->nout; i++) {
		struct gp_dim in = x->shape.d[a];

		if (!v)
			d[a] = known(in) && n->nout > 0 ? dk(in.v / n->nout) : unk;
		else if (i == neg)
			d[a] = known(in) && in.v >= used ? dk(in.v - used) : unk;
		else
			d[a] = dk(sz[i]);
		set_out(g, n, i, r, d);
	}
	return 0;
}

/* PACK: values_count inputs of one shape stacked on a new axis; UNPACK: the
 * reverse */
static int
sh_pack(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), pack = !strcmp(n->op, "PACK"), a, k, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), pack ? r + 1 : r)) < 0)
		return gp_op_fail("axis out of range");
	d = gp_arena_alloc(A, (size_t)(r + 2) * sizeof *d);
	if (pack) {
		for (k = 0; k <= r; k++)
			d[k] = k < a ? x->shape.d[k] : k == a ? dk(n->nin) : x->shape.d[k - 1];
		set_out(g, n, 0, r + 1, d);
		return 0;
	}
	for (k = 0, i = 0; k < r; k++)
		if (k != a)
			d[i++] = x->shape.d[k];
	for (k = 0; k < n->nout; k++)
		set_out(g, n, k, r - 1, d);
	return 0;
}

/* TILE by input 1's multiples; BROADCAST_TO input 1's shape; FILL input 0's dims */
static int
sh_tile(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int fill = !strcmp(n->op, "FILL"), bc = !strcmp(n->op, "BROADCAST_TO"), r, k, nv;
	int64_t *m;
	struct gp_dim *d;

	nv = gp_ints(g, gp_node_in(g, n, fill ? 0 : 1), &m);
	r = fill || bc ? nv : rank(x);
	if (nv < 0 || r < 0 || (!fill && !bc && nv != r))
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		if (m[k] < 0 || m[k] > LIM)
			return gp_op_fail("bad dims");
		int64_t o;

		if (!fill && !bc && known(x->shape.d[k]) && __builtin_mul_overflow(x->shape.d[k].v, m[k], &o))
			return gp_op_fail("a tiled dim overflows");
		d[k] = fill || bc ? dk(m[k]) : known(x->shape.d[k]) ? dk(o) : m[k] == 1 ? x->shape.d[k] : unk;
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* SHAPE: the input's dims, as values */
static int
sh_shape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	struct gp_dim d;
	int r = rank(x), k;

	if (r < 0 || !y)
		return -1;
	d = dk(r);
	set_out(g, n, 0, 1, &d);
	if (r <= 64) {
		y->iv = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *y->iv);
		for (k = 0; k < r; k++) {
			y->iv[k].v = x->shape.d[k].v;
			y->iv[k].sym = x->shape.d[k].sym;
			y->iv[k].known = known(x->shape.d[k]);
		}
		y->nval = r;
		y->fv = NULL;
	}
	return 0;
}

/* TOPK_V2: the last dim becomes input 1's k; values and indices */
static int
sh_topk(struct gp_graph *g, struct gp_node *n)
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

/* IF: the outputs of its then-branch, as that subgraph declares them */
static int
sh_if(struct gp_graph *g, struct gp_node *n)
{
	int64_t b = attr_i(n, "then_subgraph_index", -1);
	int i;

	if (b <= 0 || b >= g->ngraph || b == n->graph)
		return b < 0 ? -1 : gp_op_fail("then_subgraph_index %lld names no subgraph", (long long)b);
	for (i = 0; i < n->nout && i < g->ngout[b]; i++) {
		int t = g->gout[b][i];

		if (t >= 0 && g->t[t].shape.rank >= 0)
			set_out(g, n, i, g->t[t].shape.rank, g->t[t].shape.d);
	}
	return 0;
}

/* ---- costs ---- */

static int64_t
dimval(const struct gp_tensor *t, int k)
{
	return t && k >= 0 && k < t->shape.rank && known(t->shape.d[k]) ? t->shape.d[k].v : -1;
}

/* act: FLOPs per output element of the fused activation (docs/counting.md:
 * RELU and TANH 1, RELU6 and RELU_N1_TO_1 a clip, 2; SIGN_BIT 1) */
static int
act(struct gp_graph *g, const struct gp_node *n)
{
	const char *a = attr_s(g, n, "fused_activation_function", "NONE");

	return !strcmp(a, "RELU") || !strcmp(a, "TANH") || !strcmp(a, "SIGN_BIT") ? 1 :
	    !strcmp(a, "RELU6") || !strcmp(a, "RELU_N1_TO_1") ? 2 : 0;
}

/* epilogue finishes a cost: the fused activation's FLOPs on every output
 * element, and the parallelism of a channels-last output (N, spatial..., C) */
static int
epilogue(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int rc)
{
	struct gp_tensor *y = gp_node_out(g, n, 0);
	int64_t e = numel(c, y), v;
	int k, r = rank(y);

	if (rc < 0)
		return rc;
	if (act(g, n)) {
		if (e < 0)
			return -1;
		c->flops = add(c, c->flops, mul(c, e, act(g, n)));
	}
	if (r >= 3 && !c->batch) {
		c->batch = dimval(y, 0);
		c->channels = dimval(y, r - 1);
		c->spatial = 1;
		for (k = 1; k < r - 1; k++)
			c->spatial = (v = dimval(y, k)) >= 0 && c->spatial >= 0 ? mul(c, c->spatial, v) : -1;
		if (c->batch < 0 || c->channels < 0 || c->spatial < 0)
			c->batch = c->channels = c->spatial = -1;
	}
	return 0;
}

/* element-wise, reductions, moves: the ONNX families' arithmetic, then the epilogue */
static int
c_elem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	if (!strcmp(n->op, "GELU") && attr_i(n, "approximate", 0))
		fpe = 9;        /* the tanh approximation, as ONNX's Gelu */
	return epilogue(g, n, c, gp_cost_elem(g, n, c, fpe));
}

static int
c_reduce(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return epilogue(g, n, c, gp_cost_reduce(g, n, c, fpe));
}

static int
c_none(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return gp_cost_none(g, n, c, fpe);
}

/* moving data: nothing computed; GATHER, GATHER_ND, SLICE and STRIDED_SLICE
 * read only what they write */
static int
c_move(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int rc = gp_cost_move(g, n, c, fpe);
	int64_t e = numel(c, gp_node_out(g, n, 0)), all = numel(c, gp_node_in(g, n, 0));

	if (rc == 0 && (!strncmp(n->op, "GATHER", 6) || !strcmp(n->op, "SLICE") ||
	    !strcmp(n->op, "STRIDED_SLICE")))
		c->read0 = all >= 0 && e > all ? all : e;
	return epilogue(g, n, c, rc);
}

/* CONV_2D: each output element takes KH x KW x Cin/groups MACs, numel(W) /
 * Cout; DEPTHWISE_CONV_2D: KH x KW, numel(W) / (Cin x multiplier); a bias
 * adds one FLOP per output */
static int
c_conv(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
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
	return epilogue(g, n, c, 0);
}

/* TRANSPOSE_CONV, Convolution2DTransposeBias: each input element is spread
 * over KH x KW x Cout outputs, numel(X) x numel(W) / Cin MACs; a bias adds
 * one FLOP per output */
static int
c_tconv(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int tc = !strcmp(n->op, "TRANSPOSE_CONV");
	struct gp_tensor *x = gp_node_in(g, n, tc ? 2 : 0), *w = gp_node_in(g, n, 1);
	int64_t ex = numel(c, x), ew = numel(c, w), ey = numel(c, gp_node_out(g, n, 0)), cin = dimval(w, 3);

	(void)fpe;
	if (ex < 0 || ew < 0 || ey < 0 || cin <= 0)
		return -1;
	dense(c, mul(c, ex, ew / cin), gp_node_in(g, n, tc ? 3 : 2) ? ey : 0);
	c->kind = "conv2d_transpose";
	return epilogue(g, n, c, 0);
}

/* FULLY_CONNECTED: K MACs per output element (K the weight's second dim); a
 * bias adds one FLOP per output */
static int
c_fc(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k = dimval(gp_node_in(g, n, 1), 1);

	(void)fpe;
	c->kind = "linear";
	if (ey < 0 || k < 0)
		return -1;
	dense(c, mul(c, ey, k), gp_node_in(g, n, 2) ? ey : 0);
	return epilogue(g, n, c, 0);
}

/* BATCH_MATMUL: K MACs per output element; linear when B is a weight */
static int
c_bmm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k;

	(void)fpe;
	c->kind = b && (b->kind == GP_K_INIT || b->kind == GP_K_CONST) ? "linear" : "matmul";
	k = dimval(a, attr_i(n, "adj_x", 0) ? rank(a) - 2 : rank(a) - 1);
	if (ey < 0 || k < 0)
		return -1;
	dense(c, mul(c, ey, k), 0);
	return epilogue(g, n, c, 0);
}

/* pools: fpe FLOPs per window element per output */
static int
c_pool(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), fh = attr_i(n, "filter_height", -1),
	    fw = attr_i(n, "filter_width", -1);

	if (ey < 0 || fh < 0 || fw < 0)
		return -1;
	c->flops = mul(c, mul(c, ey, mul(c, fh, fw)), fpe);
	c->kind = !strcmp(n->op, "MAX_POOL_2D") ? "maxpool" : !strcmp(n->op, "AVERAGE_POOL_2D") ?
	    "avgpool" : "l2pool";
	return epilogue(g, n, c, 0);
}

/* RESIZE_BILINEAR: ONNX's linear Resize, 3 FLOPs a lerp and 2^k - 1 lerps per
 * output over k resized axes; RESIZE_NEAREST_NEIGHBOR moves data */
static int
c_resize(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
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
	return epilogue(g, n, c, 0);
}

/* LOCAL_RESPONSE_NORMALIZATION: ONNX's LRN of size 2 radius + 1 */
static int
c_lrn(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0)), r = attr_i(n, "radius", -1);

	(void)fpe;
	if (e < 0 || r < 0 || r > LIM)
		return -1;
	c->flops = mul(c, e, 2 * (2 * r + 1) + 3);
	return epilogue(g, n, c, 0);
}

/* TOPK_V2: log2(k) comparisons per input element, as ONNX's TopK */
static int
c_topk(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return epilogue(g, n, c, gp_cost_topk(g, n, c, fpe));
}

/* IF: the costlier of its two subgraphs, each node by its own cost function */
static int
c_if(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	static const char *const key[] = {"then_subgraph_index", "else_subgraph_index"};
	int64_t macs[2] = {0, 0}, flops[2] = {0, 0};
	const struct gp_op *op;
	int b;
	size_t i;

	(void)fpe;
	for (b = 0; b < 2; b++) {
		int64_t id = attr_i(n, key[b], -1);

		if (id <= 0 || id >= g->ngraph || id == n->graph)
			return -1;
		for (i = 0; i < g->nn; i++) {
			struct gp_cost bc;

			if (g->n[i].graph != id)
				continue;
			if ((op = gp_op_find(g->n[i].domain, g->n[i].op)) && op->cls == GP_C_CONTROL)
				return -1;      /* nested control flow: not followed (it could loop) */
			if (gp_op_cost(g, &g->n[i], &bc) < 0)
				return -1;
			macs[b] = add(c, macs[b], bc.macs);
			flops[b] = add(c, flops[b], bc.flops);
			c->overflow |= bc.overflow;
		}
	}
	b = flops[1] > flops[0];
	c->macs = macs[b];
	c->flops = flops[b];
	return 0;
}

/* WHILE: how often its body runs is known only at run time */
static int
c_unknown(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	(void)g, (void)n, (void)c, (void)fpe;
	return -1;
}

/* ---- the tables ---- */

/* Keep sorted by name (strcmp): found by binary search. Columns as ops.c's:
 * op, domain, shape function, cost function, class, FLOPs per element. */
const struct gp_op gp_tflite_ops[] = {
	{"ABS", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"ADD", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"ADD_N", "tflite", sh_binary, c_elem, GP_C_ELEM, -1},
	{"ARG_MAX", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"ARG_MIN", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"ATAN2", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"AVERAGE_POOL_2D", "tflite", sh_pool, c_pool, GP_C_POOL, 1},
	{"BATCH_MATMUL", "tflite", sh_bmm, c_bmm, GP_C_DENSE, 0},
	{"BATCH_TO_SPACE_ND", "tflite", NULL, c_move, GP_C_MOVE, 0},
	{"BROADCAST_TO", "tflite", sh_tile, c_move, GP_C_MOVE, 0},
	{"CAST", "tflite", sh_same, c_elem, GP_C_ELEM, 0},
	{"CEIL", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"CONCATENATION", "tflite", sh_concat, c_move, GP_C_MOVE, 0},
	{"CONV_2D", "tflite", sh_conv, c_conv, GP_C_DENSE, 0},
	{"COS", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"CUMSUM", "tflite", sh_same, c_reduce, GP_C_ROW, 1},
	{"DENSIFY", "tflite", sh_same, c_move, GP_C_MOVE, 0},
	{"DEPTHWISE_CONV_2D", "tflite", sh_conv, c_conv, GP_C_DENSE, 0},
	{"DEPTH_TO_SPACE", "tflite", sh_depthspace, c_move, GP_C_MOVE, 0},
	{"DEQUANTIZE", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"DIV", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"ELU", "tflite", sh_same, c_elem, GP_C_ELEM, 3},
	{"EQUAL", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"EXP", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"EXPAND_DIMS", "tflite", sh_expand, c_none, GP_C_VIEW, 0},
	{"FILL", "tflite", sh_tile, c_move, GP_C_MOVE, 0},
	{"FLOOR", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"FLOOR_DIV", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"FLOOR_MOD", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"FULLY_CONNECTED", "tflite", sh_fc, c_fc, GP_C_DENSE, 0},
	{"GATHER", "tflite", sh_gather, c_move, GP_C_MOVE, 0},
	{"GATHER_ND", "tflite", NULL, c_move, GP_C_MOVE, 0},
	{"GELU", "tflite", sh_same, c_elem, GP_C_ELEM, 5},
	{"GREATER", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"GREATER_EQUAL", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"HARD_SWISH", "tflite", sh_same, c_elem, GP_C_ELEM, 5},
	{"IF", "tflite", sh_if, c_if, GP_C_CONTROL, 0},
	{"L2_NORMALIZATION", "tflite", sh_same, c_elem, GP_C_ROW, 3},
	{"L2_POOL_2D", "tflite", sh_pool, c_pool, GP_C_POOL, 2},
	{"LEAKY_RELU", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"LESS", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"LESS_EQUAL", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"LOCAL_RESPONSE_NORMALIZATION", "tflite", sh_same, c_lrn, GP_C_ROW, 0},
	{"LOG", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"LOGICAL_AND", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"LOGICAL_NOT", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"LOGICAL_OR", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"LOGISTIC", "tflite", sh_same, c_elem, GP_C_ELEM, 4},
	{"LOG_SOFTMAX", "tflite", sh_same, c_elem, GP_C_ROW, 5},
	{"MAXIMUM", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"MAX_POOL_2D", "tflite", sh_pool, c_pool, GP_C_POOL, 1},
	{"MEAN", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"MINIMUM", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"MIRROR_PAD", "tflite", sh_pad, c_move, GP_C_MOVE, 0},
	{"MUL", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"NEG", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"NOT_EQUAL", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"PACK", "tflite", sh_pack, c_move, GP_C_MOVE, 0},
	{"PAD", "tflite", sh_pad, c_move, GP_C_MOVE, 0},
	{"PADV2", "tflite", sh_pad, c_move, GP_C_MOVE, 0},
	{"POW", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"PRELU", "tflite", sh_binary, c_elem, GP_C_ELEM, 2},
	{"QUANTIZE", "tflite", sh_same, c_elem, GP_C_ELEM, 3},
	{"RANK", "tflite", NULL, c_none, GP_C_FREE, 0},
	{"REDUCE_ALL", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"REDUCE_ANY", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"REDUCE_MAX", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"REDUCE_MIN", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"REDUCE_PROD", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"RELU", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"RELU6", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"RELU_0_TO_1", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"RELU_N1_TO_1", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"RESHAPE", "tflite", sh_reshape, c_none, GP_C_VIEW, 0},
	{"RESIZE_BILINEAR", "tflite", sh_resize, c_resize, GP_C_MOVE, 0},
	{"RESIZE_NEAREST_NEIGHBOR", "tflite", sh_resize, c_resize, GP_C_MOVE, 0},
	{"REVERSE_V2", "tflite", sh_same, c_move, GP_C_MOVE, 0},
	{"ROUND", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"RSQRT", "tflite", sh_same, c_elem, GP_C_ELEM, 2},
	{"SELECT", "tflite", sh_select, c_elem, GP_C_ELEM, 1},
	{"SELECT_V2", "tflite", sh_select, c_elem, GP_C_ELEM, 1},
	{"SHAPE", "tflite", sh_shape, c_none, GP_C_FREE, 0},
	{"SIGN", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"SIN", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"SLICE", "tflite", sh_slice, c_move, GP_C_MOVE, 0},
	{"SOFTMAX", "tflite", sh_same, c_elem, GP_C_ROW, 5},
	{"SPACE_TO_BATCH_ND", "tflite", NULL, c_move, GP_C_MOVE, 0},
	{"SPACE_TO_DEPTH", "tflite", sh_depthspace, c_move, GP_C_MOVE, 0},
	{"SPLIT", "tflite", sh_split, c_move, GP_C_MOVE, 0},
	{"SPLIT_V", "tflite", sh_split, c_move, GP_C_MOVE, 0},
	{"SQRT", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"SQUARE", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"SQUARED_DIFFERENCE", "tflite", sh_binary, c_elem, GP_C_ELEM, 2},
	{"SQUEEZE", "tflite", sh_squeeze, c_none, GP_C_VIEW, 0},
	{"STRIDED_SLICE", "tflite", sh_slice, c_move, GP_C_MOVE, 0},
	{"SUB", "tflite", sh_binary, c_elem, GP_C_ELEM, 1},
	{"SUM", "tflite", sh_reduce, c_reduce, GP_C_ROW, 1},
	{"TANH", "tflite", sh_same, c_elem, GP_C_ELEM, 1},
	{"TILE", "tflite", sh_tile, c_move, GP_C_MOVE, 0},
	{"TOPK_V2", "tflite", sh_topk, c_topk, GP_C_ROW, 0},
	{"TRANSPOSE", "tflite", sh_transpose, c_move, GP_C_MOVE, 0},
	{"TRANSPOSE_CONV", "tflite", sh_tconv, c_tconv, GP_C_DENSE, 0},
	{"UNPACK", "tflite", sh_pack, c_move, GP_C_MOVE, 0},
	{"WHILE", "tflite", NULL, c_unknown, GP_C_CONTROL, 0},
	{"ZEROS_LIKE", "tflite", sh_same, c_move, GP_C_MOVE, 0},
};
const size_t gp_tflite_nops = sizeof gp_tflite_ops / sizeof gp_tflite_ops[0];

/* The custom ops of MediaPipe's models gp knows (by their custom_code). */
const struct gp_op gp_tflite_custom_ops[] = {
	{"Convolution2DTransposeBias", "tflite.custom", sh_tconv, c_tconv, GP_C_DENSE, 0},
};
const size_t gp_tflite_ncustom = sizeof gp_tflite_custom_ops / sizeof gp_tflite_custom_ops[0];

/* gp_tflite_op_doc: what op costs in FLOPs, as docs/counting.md's table says */
const char *
gp_tflite_op_doc(const struct gp_op *op)
{
	static char b[96];
	int (*f)(struct gp_graph *, struct gp_node *, struct gp_cost *, int) = op->cost;

	if (f == c_elem && op->fpe == -1)
		snprintf(b, sizeof b, "n-1 per output element (n inputs)");
	else if (f == c_elem)
		snprintf(b, sizeof b, "%d per output element", op->fpe);
	else if (f == c_reduce)
		snprintf(b, sizeof b, "%d per input element", op->fpe);
	else if (f == c_pool)
		snprintf(b, sizeof b, "%d per window element per output", op->fpe);
	else if (f == c_conv || f == c_tconv || f == c_fc)
		snprintf(b, sizeof b, "2 per MAC; + 1 per output for a bias");
	else if (f == c_bmm)
		snprintf(b, sizeof b, "2 per MAC");
	else if (f == c_resize && !strcmp(op->name, "RESIZE_BILINEAR"))
		snprintf(b, sizeof b, "3 (2^k - 1) per output element, k resized axes");
	else if (f == c_lrn)
		snprintf(b, sizeof b, "2 (2 radius + 1) + 3 per element");
	else if (f == c_topk)
		snprintf(b, sizeof b, "log2(K), rounded up, at least 1, per input element");
	else if (f == c_if)
		snprintf(b, sizeof b, "the costlier subgraph");
	else if (f == c_unknown)
		snprintf(b, sizeof b, "unknown (trip count)");
	else
		snprintf(b, sizeof b, "0");
	return b;
}
