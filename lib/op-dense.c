/* op-dense.c - the multiply-accumulate ops: Conv, ConvTranspose, Gemm, MatMul, Einsum and
 * their integer, quantized and fused forms; their shape and cost functions
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* mm_out sets output 0 of a matrix product of an A of rank ra and dims da
 * with a B of rank rb and dims db (numpy.matmul: batch dims broadcast) */
static int
mm_out(struct gp_graph *g, struct gp_node *n, const struct gp_dim *da, int ra,
    const struct gp_dim *db, int rb, int dt)
{
	struct gp_dim *d, ka, kb, m, nn;
	int ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0, br = ba > bb ? ba : bb, r, i;

	if (ra == 0 || rb == 0)
		return gp_op_fail("MatMul of a scalar");
	ka = da[ra - 1];
	kb = rb >= 2 ? db[rb - 2] : db[0];
	if (known(ka) && known(kb) && ka.v != kb.v)
		return gp_op_fail("inner dims differ: %lld and %lld", (long long)ka.v, (long long)kb.v);
	m = ra >= 2 ? da[ra - 2] : unk;
	nn = rb >= 2 ? db[rb - 1] : unk;
	r = br + (ra >= 2) + (rb >= 2);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = 0; i < br; i++) {
		int ia = i - (br - ba), ib = i - (br - bb);
		struct gp_dim x = ia >= 0 ? da[ia] : dk(1), y = ib >= 0 ? db[ib] : dk(1);

		if (known(x) && x.v == 1)
			d[i] = y;
		else if (known(y) && y.v == 1)
			d[i] = x;
		else if (same(x, y))
			d[i] = x;
		else if (known(x) && known(y))
			return gp_op_fail("batch dims %lld and %lld do not broadcast", (long long)x.v, (long long)y.v);
		else
			d[i] = known(x) ? x : known(y) ? y : unk;
	}
	i = br;
	if (ra >= 2)
		d[i++] = m;
	if (rb >= 2)
		d[i++] = nn;
	gp_set_out(g, n, 0, dt, r, d);
	return 0;
}

/* MatMul and its integer and quantized forms: MatMulInteger makes int32,
 * QLinearMatMul the dtype of its output zero point, MatMulIntegerToFloat that
 * of its scales, DynamicQuantizeMatMul that of A */
int
gp_opshape_matmul(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int dt = a ? a->dtype : 0;

	if (!strcmp(n->op, "MatMulInteger"))
		dt = 6;
	else if (!strcmp(n->op, "QLinearMatMul") && gp_node_in(g, n, 7))
		dt = gp_node_in(g, n, 7)->dtype;
	else if (!strcmp(n->op, "MatMulIntegerToFloat"))
		dt = gp_node_in(g, n, 2) && gp_node_in(g, n, 2)->dtype > 0 ? gp_node_in(g, n, 2)->dtype : 1;
	if (!strcmp(n->op, "QLinearMatMul"))
		b = gp_node_in(g, n, 3);
	if (rank(a) < 0 || rank(b) < 0) {
		gp_set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	return mm_out(g, n, a->shape.d, a->shape.rank, b->shape.d, b->shape.rank, dt);
}

/* fused_operand: the dims of a FusedMatMul operand of rank r as multiplied:
 * with transBatch (and rank >= 3) dim 0 moved to just before the last (a
 * permutation [1, 2, ..., r-2, 0, r-1]), then with trans the last two swapped */
static struct gp_dim *
fused_operand(struct gp_graph *g, const struct gp_tensor *t, int trans, int tbatch)
{
	int r = t->shape.rank, k;
	struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d), x;

	memcpy(d, t->shape.d, (size_t)r * sizeof *d);
	if (tbatch && r >= 3) {
		for (k = 0; k < r - 2; k++)
			d[k] = t->shape.d[k + 1];
		d[r - 2] = t->shape.d[0];
	}
	if (trans && r >= 2)
		x = d[r - 1], d[r - 1] = d[r - 2], d[r - 2] = x;
	return d;
}

/* FusedMatMul (com.microsoft): MatMul of A and B each transposed as
 * fused_operand says (transA, transBatchA; transB, transBatchB) */
int
gp_opshape_fusedmatmul(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);

	if (rank(a) < 0 || rank(b) < 0) {
		gp_set_out(g, n, 0, a ? a->dtype : 0, -1, NULL);
		return -1;
	}
	return mm_out(g, n, fused_operand(g, a, attr_i(n, "transA", 0) != 0, attr_i(n, "transBatchA", 0) != 0),
	    a->shape.rank, fused_operand(g, b, attr_i(n, "transB", 0) != 0, attr_i(n, "transBatchB", 0) != 0),
	    b->shape.rank, a->dtype);
}

int
gp_opshape_gemm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int ta = (int)attr_i(n, "transA", 0), tb = (int)attr_i(n, "transB", 0);
	struct gp_dim d[2], ka, kb;

	if (rank(a) != 2 || rank(b) != 2)
		return rank(a) < 0 || rank(b) < 0 ? -1 : gp_op_fail("Gemm needs 2-D inputs");
	d[0] = a->shape.d[ta ? 1 : 0];
	ka = a->shape.d[ta ? 0 : 1];
	kb = b->shape.d[tb ? 1 : 0];
	d[1] = b->shape.d[tb ? 0 : 1];
	if (known(ka) && known(kb) && ka.v != kb.v)
		return gp_op_fail("inner dims differ: %lld and %lld", (long long)ka.v, (long long)kb.v);
	gp_set_out(g, n, 0, a->dtype, 2, d);
	return 0;
}

/* Einsum: the output's dims from the equation's letters, each the size the
 * inputs give it; an equation without "->" or with "..." is not handled (-1) */
int
gp_opshape_einsum(struct gp_graph *g, struct gp_node *n)
{
	const char *eq;
	char lhs[256], rhs[64], *arrow, *term, *save = NULL;
	struct gp_dim lab[128];
	int seen[128] = {0}, i, k, r;
	struct gp_dim d[64];

	if (gp_attr_str(A, n, "equation", &eq) < 0 || strlen(eq) >= sizeof lhs)
		return gp_op_fail("no equation");
	for (i = 0, k = 0; eq[i]; i++)
		if (eq[i] != ' ')
			lhs[k++] = eq[i];
	lhs[k] = '\0';
	if (strstr(lhs, "..."))
		return -1;              /* ellipsis: not handled */
	arrow = strstr(lhs, "->");
	if (!arrow)
		return -1;
	snprintf(rhs, sizeof rhs, "%s", arrow + 2);
	*arrow = '\0';
	for (term = strtok_r(lhs, ",", &save), i = 0; term; term = strtok_r(NULL, ",", &save), i++) {
		struct gp_tensor *t = gp_node_in(g, n, i);

		if (!t || t->shape.rank < 0)
			return -1;
		if ((int)strlen(term) != t->shape.rank)
			return gp_op_fail("operand %d has rank %d, the equation says %zu", i, t->shape.rank, strlen(term));
		for (k = 0; term[k]; k++) {
			int c = (unsigned char)term[k] & 127;

			if (!seen[c] || (known(t->shape.d[k]) && t->shape.d[k].v != 1)) {
				if (seen[c] && known(lab[c]) && known(t->shape.d[k]) && lab[c].v != t->shape.d[k].v)
					return gp_op_fail("label %c is %lld and %lld", c, (long long)lab[c].v,
					    (long long)t->shape.d[k].v);
				if (!seen[c] || !known(lab[c]))
					lab[c] = t->shape.d[k];
			}
			seen[c] = 1;
		}
	}
	r = (int)strlen(rhs);
	if (r > 64)
		return -1;
	for (k = 0; k < r; k++)
		d[k] = seen[(unsigned char)rhs[k] & 127] ? lab[(unsigned char)rhs[k] & 127] : unk;
	gp_set_out(g, n, 0, gp_node_in(g, n, 0)->dtype, r, d);
	return 0;
}

/* Conv, ConvInteger, QLinearConv: N, the weight's output channels, and the
 * spatial dims gp_window computes */
int
gp_opshape_conv(struct gp_graph *g, struct gp_node *n)
{
	int q = !strcmp(n->op, "QLinearConv");
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, q ? 3 : 1);
	int r = rank(x), ns, i, rc, dt;
	int64_t *ks, kk[16], grp;
	struct gp_dim d[18];

	if (r < 3 || rank(w) != r || r > 18)
		return r < 0 || rank(w) < 0 ? -1 : gp_op_fail("input of rank %d, weight of rank %d", r, rank(w));
	ns = r - 2;
	if (gp_attr_ints(A, n, "kernel_shape", &ks) == ns) {
		memcpy(kk, ks, (size_t)ns * sizeof *kk);
	} else {
		for (i = 0; i < ns; i++) {
			if (!known(w->shape.d[2 + i]))
				return -1;
			kk[i] = w->shape.d[2 + i].v;
		}
	}
	if (gp_conv_group(g, n, 0, known(x->shape.d[1]) ? x->shape.d[1].v : -1,
	    known(w->shape.d[0]) ? w->shape.d[0].v : -1, known(w->shape.d[1]) ? w->shape.d[1].v : -1, &grp) < 0)
		return -2;
	d[0] = x->shape.d[0];
	d[1] = w->shape.d[0];
	if ((rc = gp_window(g, n, x, kk, ns, 0, d + 2)) < 0)
		return rc;
	dt = !strcmp(n->op, "ConvInteger") ? 6 : x->dtype;
	if (q && gp_node_in(g, n, 7))
		dt = gp_node_in(g, n, 7)->dtype;
	gp_set_out(g, n, 0, dt, r, d);
	return 0;
}

/* ConvTranspose: N, weight dim 1 x group channels, and the spatial dims from
 * output_shape or strides, pads, output_padding and dilations */
int
gp_opshape_convtranspose(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1);
	int r = rank(x), ns, i;
	int64_t *st = NULL, *dil = NULL, *pads = NULL, *op = NULL, *os = NULL, grp;
	struct gp_dim d[18];

	if (r < 3 || rank(w) != r || r > 18)
		return r < 0 || rank(w) < 0 ? -1 : gp_op_fail("bad ranks");
	ns = r - 2;
	if ((gp_attr_ints(A, n, "strides", &st) >= 0 && !st) ||
	    (gp_attr_ints(A, n, "dilations", &dil) >= 0 && !dil) ||
	    (gp_attr_ints(A, n, "pads", &pads) >= 0 && !pads) ||
	    (gp_attr_ints(A, n, "output_padding", &op) >= 0 && !op))
		return gp_op_fail("empty strides, dilations, pads or output_padding");
	if (gp_conv_group(g, n, 1, known(x->shape.d[1]) ? x->shape.d[1].v : -1,
	    known(w->shape.d[0]) ? w->shape.d[0].v : -1, known(w->shape.d[1]) ? w->shape.d[1].v : -1, &grp) < 0)
		return -2;
	d[0] = x->shape.d[0];
	d[1] = known(w->shape.d[1]) ? dk(w->shape.d[1].v * grp) : unk;    /* checked by gp_conv_group */
	if (gp_attr_ints(A, n, "output_shape", &os) == ns) {
		for (i = 0; i < ns; i++)
			d[2 + i] = dk(os[i]);
	} else {
		for (i = 0; i < ns; i++) {
			struct gp_dim in_ = x->shape.d[2 + i], k = w->shape.d[2 + i];
			int64_t s = st ? st[i] : 1, dl = dil ? dil[i] : 1, o = op ? op[i] : 0, v, t;
			int64_t p0 = pads ? pads[i] : 0, p1 = pads ? pads[i + ns] : 0;

			if (s <= 0 || dl <= 0 || s > LIM || dl > LIM || o < 0 || o > LIM || p0 < 0 || p0 > LIM ||
			    p1 < 0 || p1 > LIM)
				return gp_op_fail("bad stride, dilation, output_padding or pads");
			if (!known(in_) || !known(k)) {
				d[2 + i] = unk;
				continue;
			}
			/* s (in - 1) + o + (k - 1) dl + 1 - pads, each term checked */
			if (__builtin_mul_overflow(s, in_.v - 1, &v) || __builtin_add_overflow(v, o, &v) ||
			    __builtin_mul_overflow(k.v - 1, dl, &t) || __builtin_add_overflow(v, t + 1, &v) ||
			    (v -= p0 + p1) < 0)
				return gp_op_fail("bad output size for input %lld and kernel %lld",
				    (long long)x->shape.d[2 + i].v, (long long)k.v);
			d[2 + i] = dk(v);
		}
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

int
gp_conv_group(struct gp_graph *g, const struct gp_node *n, int transpose, int64_t cin, int64_t w0, int64_t w1,
    int64_t *grp)
{
	int64_t v = 1, prod;

	if (gp_attr_int(n, "group", &v) < 0 && gp_attr_raw(A, n, "group"))
		return gp_op_fail("group is not an integer");
	if (v < 1)
		return gp_op_fail("group %lld is not a positive count", (long long)v);
	if (w0 >= 0 && w0 % v != 0)
		return gp_op_fail("group %lld does not divide the weight's %lld %s channels", (long long)v,
		    (long long)w0, transpose ? "input" : "output");
	if (transpose) {
		if (cin >= 0 && w0 >= 0 && cin != w0)
			return gp_op_fail("%lld input channels, but the weight has %lld",
			    (long long)cin, (long long)w0);
		if (w1 >= 0 && __builtin_mul_overflow(w1, v, &prod))
			return gp_op_fail("%lld x %lld groups output channels overflow 64 bits",
			    (long long)w1, (long long)v);
	} else if (cin >= 0 && w1 >= 0 && (__builtin_mul_overflow(w1, v, &prod) || prod != cin)) {
		return gp_op_fail("%lld input channels, but the weight expects %lld x %lld groups",
		    (long long)cin, (long long)w1, (long long)v);
	}
	*grp = v;
	return 0;
}

/* Conv (and ConvInteger, QLinearConv): each output element takes Cin/groups x
 * kernel MACs, that is numel(W) / Cout; a bias adds one FLOP per output. */
int
gp_cost_conv(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int q = !strcmp(n->op, "QLinearConv");
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, q ? 3 : 1), *y = gp_node_out(g, n, 0);
	struct gp_tensor *b = !strcmp(n->op, "ConvInteger") ? NULL : gp_node_in(g, n, q ? 8 : 2);
	int64_t ey = numel(c, y), ew = numel(c, w), cout, cin, grp = 1, k, kern = 1, sp = 1, w1 = -1;
	int ns = y ? y->shape.rank - 2 : -1, i;
	static const char *const kinds[] = {"conv1d", "conv2d", "conv3d"};

	(void)fpe;
	if (ey < 0 || ew < 0 || ns < 1 || dimv(w, 0, &cout) < 0 || cout <= 0 || dimv(x, 1, &cin) < 0)
		return -1;
	dimv(w, 1, &w1);
	if (gp_conv_group(g, n, 0, cin, cout, w1, &grp) < 0)
		return -2;
	dense(c, mul(c, ey, ew / cout), b ? ey : 0);
	for (i = 0; i < ns; i++) {
		if (dimv(w, 2 + i, &k) < 0)
			return -1;
		kern = mul(c, kern, k);
		sp = mul(c, sp, y->shape.d[2 + i].v);
	}
	c->groups = grp;
	c->depthwise = grp > 1 && grp == cin && w->shape.d[1].v == 1;
	c->kind = ns <= 3 ? kinds[ns - 1] : "convnd";
	if (c->depthwise || (grp > 1) || kern == 1) {
		const char *suf = c->depthwise ? "depthwise" : grp > 1 ? "grouped" : "pointwise";

		c->kind = gp_arena_printf(A, "%s_%s", c->kind, suf);
	}
	dimv(y, 0, &c->batch);
	c->channels = cout;
	c->spatial = sp;
	return 0;
}

/* ConvTranspose: each input element is spread over Cout/groups x kernel
 * outputs, numel(X) x numel(W) / Cin MACs; a bias adds one FLOP per output. */
int
gp_cost_convtranspose(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1), *y = gp_node_out(g, n, 0);
	int64_t ex = numel(c, x), ew = numel(c, w), ey = numel(c, y), cin, grp = 1, sp = 1, xc = -1, w1 = -1;
	int ns = y ? y->shape.rank - 2 : -1, i;
	static const char *const kinds[] = {"conv1d_transpose", "conv2d_transpose", "conv3d_transpose"};

	(void)fpe;
	if (ex < 0 || ew < 0 || ey < 0 || ns < 1 || dimv(w, 0, &cin) < 0 || cin <= 0)
		return -1;
	dimv(x, 1, &xc);
	dimv(w, 1, &w1);
	if (gp_conv_group(g, n, 1, xc, cin, w1, &grp) < 0)
		return -2;
	dense(c, mul(c, ex, ew / cin), gp_node_in(g, n, 2) ? ey : 0);
	for (i = 0; i < ns; i++)
		sp = mul(c, sp, y->shape.d[2 + i].v);
	c->groups = grp;
	c->kind = ns <= 3 ? kinds[ns - 1] : "convnd_transpose";
	dimv(y, 0, &c->batch);
	dimv(y, 1, &c->channels);
	c->spatial = sp;
	return 0;
}

/* Gemm: M x N x K MACs; C adds one FLOP per output, alpha != 1 and beta != 1
 * one each. */
int
gp_cost_gemm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	int64_t ey = numel(c, y), k, ta = 0, extra = 0;
	double alpha = 1, beta = 1;

	(void)fpe;
	c->kind = "linear";
	gp_attr_int(n, "transA", &ta);
	if (ey < 0 || !a || a->shape.rank != 2 || dimv(a, ta ? 0 : 1, &k) < 0)
		return -1;
	gp_attr_float(n, "alpha", &alpha);
	gp_attr_float(n, "beta", &beta);
	if (gp_node_in(g, n, 2))
		extra = add(c, ey, beta != 1 ? ey : 0);
	if (alpha != 1)
		extra = add(c, extra, ey);
	dense(c, mul(c, ey, k), extra);
	c->kind = "linear";
	return 0;
}

/* MatMul (and MatMulInteger, QLinearMatMul): K MACs per output element. A
 * MatMul whose B is a weight is a linear layer. */
int
gp_cost_matmul(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int q = !strcmp(n->op, "QLinearMatMul");
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, q ? 3 : 1), *y = gp_node_out(g, n, 0);
	int64_t ey = numel(c, y), k;

	(void)fpe;
	c->kind = b && (b->kind == GP_K_INIT || b->kind == GP_K_CONST) ? "linear" : "matmul";
	if (ey < 0 || !a || dimv(a, a->shape.rank - 1, &k) < 0)
		return -1;
	dense(c, mul(c, ey, k), 0);
	return 0;
}

/* K of a matrix product: A's last dim; transposed, the one before it, or
 * dim 0 when transBatch moved it there (rank >= 3); -1 unknown */
static int64_t
inner(const struct gp_tensor *a, int trans, int tbatch)
{
	int64_t k;
	int r = a ? a->shape.rank : -1, at = r - 1;

	if (trans && r >= 2)
		at = tbatch && r >= 3 ? 0 : r - 2;
	if (r < 1 || dimv(a, at, &k) < 0)
		return -1;
	return k;
}

/* linear when B is a weight, else matmul */
static const char *
mmkind(const struct gp_tensor *b)
{
	return b && (b->kind == GP_K_INIT || b->kind == GP_K_CONST) ? "linear" : "matmul";
}

/* FusedMatMul: MatMul with A and B transposed (transA, transB, transBatchA,
 * transBatchB) and scaled by alpha: K MACs per output element, one more FLOP
 * each if alpha != 1. */
int
gp_cost_fusedmatmul(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), ta = 0, tba = 0, k;
	double alpha = 1;

	(void)fpe;
	c->kind = mmkind(gp_node_in(g, n, 1));
	gp_attr_int(n, "transA", &ta);
	gp_attr_int(n, "transBatchA", &tba);
	gp_attr_float(n, "alpha", &alpha);
	if (ey < 0 || (k = inner(gp_node_in(g, n, 0), ta != 0, tba != 0)) < 0)
		return -1;
	dense(c, mul(c, ey, k), alpha != 1 ? ey : 0);
	return 0;
}

/* MatMulIntegerToFloat, DynamicQuantizeMatMul: K MACs per output element,
 * one FLOP per output to scale it back to float, one more with a bias;
 * DynamicQuantizeMatMul first quantizes A, fpe (5) per element of A. */
int
gp_cost_qmatmul(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *a = gp_node_in(g, n, 0);
	int dyn = !strcmp(n->op, "DynamicQuantizeMatMul");
	int64_t ey = numel(c, gp_node_out(g, n, 0)), ea = numel(c, a), k, extra;

	c->kind = mmkind(gp_node_in(g, n, 1));
	if (ey < 0 || ea < 0 || (k = inner(a, 0, 0)) < 0)
		return -1;
	extra = gp_node_in(g, n, dyn ? 4 : 6) ? mul(c, ey, 2) : ey;
	dense(c, mul(c, ey, k), add(c, extra, mul(c, ea, fpe)));
	return 0;
}

/* Einsum: every combination of the labels' values is one MAC per operand past
 * the first; with one operand, one FLOP per input element. */
int
gp_cost_einsum(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	const char *eq, *p;
	int64_t size[128], prod = 1;
	int seen[128] = {0}, op = 0, k = 0, i;

	(void)fpe;
	if (gp_attr_str(A, n, "equation", &eq) < 0 || strstr(eq, "...") || !strstr(eq, "->"))
		return -1;
	for (p = eq; *p && !(p[0] == '-' && p[1] == '>'); p++) {
		int ch = (unsigned char)*p & 127;
		struct gp_tensor *t = gp_node_in(g, n, op);
		int64_t v;

		if (*p == ' ')
			continue;
		if (*p == ',') {
			op++;
			k = 0;
			continue;
		}
		if (dimv(t, k++, &v) < 0)
			return -1;
		if (!seen[ch] || size[ch] == 1)
			size[ch] = v;
		seen[ch] = 1;
	}
	for (i = 0; i < 128; i++)
		if (seen[i])
			prod = mul(c, prod, size[i]);
	if (op == 0) {
		c->flops = numel(c, gp_node_in(g, n, 0));
		return c->flops < 0 ? -1 : 0;
	}
	dense(c, mul(c, prod, op), 0);
	return 0;
}
