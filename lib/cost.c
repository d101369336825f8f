/* cost.c - the cost functions of the op table: what one node computes
 *
 * Every count follows docs/counting.md: a MAC is one multiply-accumulate of
 * Conv, ConvTranspose, Gemm, MatMul and Einsum (and their integer, quantized
 * and contrib forms, and the products of the attention ops of onnxruntime's
 * com.microsoft domain); FLOPs are 2 per MAC plus the
 * stated per-element work of everything else (bias adds, activations,
 * normalizations, pooling, reductions). Each function reads its node's input
 * and output shapes (as gp-shape left them) and fills a gp_cost; it returns -1
 * when a shape it needs is unknown, never a guess. Products are checked: an
 * overflow of 64 bits sets c->overflow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gp.h"
#include "cost.h"

#define A (&g->s->arena)

/* numel of t, or -1 if t is absent or its shape not fully known */
static int64_t
numel(struct gp_cost *c, const struct gp_tensor *t)
{
	int64_t v;

	if (!t)
		return -1;
	v = gp_shape_numel(&t->shape);
	if (v == -2)
		c->overflow = 1;
	return v < 0 ? -1 : v;
}

static int
dimv(const struct gp_tensor *t, int k, int64_t *v)
{
	if (!t || k < 0 || k >= t->shape.rank || t->shape.d[k].sym || t->shape.d[k].v < 0)
		return -1;
	*v = t->shape.d[k].v;
	return 0;
}

static int64_t
mul(struct gp_cost *c, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r)) {
		c->overflow = 1;
		return 0;
	}
	return r;
}

static int64_t
add(struct gp_cost *c, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r)) {
		c->overflow = 1;
		return 0;
	}
	return r;
}

/* macs and flops = 2 * macs + extra */
static void
dense(struct gp_cost *c, int64_t macs, int64_t extra)
{
	c->macs = macs;
	c->flops = add(c, mul(c, macs, 2), extra);
}

static const char *
lower(struct gp_graph *g, const char *op)
{
	char *s = gp_arena_strdup(A, op), *p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* impossible: the node cannot be (gp_op_cost dies with the message) */
static int
impossible(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(gp_op_err, sizeof gp_op_err, fmt, ap);
	va_end(ap);
	return -2;
}

int
gp_conv_group(struct gp_graph *g, const struct gp_node *n, int transpose, int64_t cin, int64_t w0, int64_t w1,
    int64_t *grp)
{
	int64_t v = 1, prod;

	if (gp_attr_int(n, "group", &v) < 0 && gp_attr_raw(A, n, "group"))
		return impossible("group is not an integer");
	if (v < 1)
		return impossible("group %lld is not a positive count", (long long)v);
	if (w0 >= 0 && w0 % v != 0)
		return impossible("group %lld does not divide the weight's %lld %s channels", (long long)v,
		    (long long)w0, transpose ? "input" : "output");
	if (transpose) {
		if (cin >= 0 && w0 >= 0 && cin != w0)
			return impossible("%lld input channels, but the weight has %lld",
			    (long long)cin, (long long)w0);
		if (w1 >= 0 && __builtin_mul_overflow(w1, v, &prod))
			return impossible("%lld x %lld groups output channels overflow 64 bits",
			    (long long)w1, (long long)v);
	} else if (cin >= 0 && w1 >= 0 && (__builtin_mul_overflow(w1, v, &prod) || prod != cin)) {
		return impossible("%lld input channels, but the weight expects %lld x %lld groups",
		    (long long)cin, (long long)w1, (long long)v);
	}
	*grp = v;
	return 0;
}

/* ---- the cost functions ---- */

/* No kernel, or a view: nothing computed (the class says how it is treated). */
int
gp_cost_none(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	(void)g, (void)n, (void)c, (void)fpe;
	return 0;
}

/* Element-wise: fpe FLOPs per output element; fpe -1 is one per input past
 * the first (Sum, Max, Min), -2 one per input (Mean). */
int
gp_cost_elem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));
	const char *appr;

	if (e < 0)
		return -1;
	if (fpe == -1)
		fpe = n->nin - 1;
	else if (fpe == -2)
		fpe = n->nin;
	if (!strcmp(n->op, "Gelu") && gp_attr_str(A, n, "approximate", &appr) == 0 &&
	    !strcmp(appr, "tanh"))
		fpe = 9;
	c->flops = mul(c, e, fpe < 0 ? 0 : fpe);
	return 0;
}

/* Element-wise with an optional bias (input 1) added first: fpe per output
 * element, one more with the bias (FastGelu, the tanh GELU: 9 or 10). */
int
gp_cost_biaselem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));

	if (e < 0)
		return -1;
	c->flops = mul(c, e, gp_node_in(g, n, 1) ? fpe + 1 : fpe);
	return 0;
}

/* RotaryEmbedding: x·cos ± x_rotated·sin, fpe (3) FLOPs per rotated element;
 * with rotary_embedding_dim r, r of every head's h elements rotate (h the
 * last dim of a [B,N,S,h] input, hidden / num_heads of a [B,S,hidden] one),
 * the rest is copied. */
int
gp_cost_rotary(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t e = numel(c, gp_node_out(g, n, 0)), rot = 0, nh = 0, h;

	if (e < 0 || !x)
		return -1;
	gp_attr_int(n, "rotary_embedding_dim", &rot);
	gp_attr_int(n, "num_heads", &nh);
	if (rot > 0) {
		if (x->shape.rank == 4) {
			if (dimv(x, 3, &h) < 0)
				return -1;
		} else if (nh > 0 && dimv(x, x->shape.rank - 1, &h) == 0) {
			h /= nh;
		} else {
			return -1;
		}
		if (h <= 0 || rot > h)
			return -1;
		e = mul(c, e / h, rot);
	}
	c->flops = mul(c, e, fpe);
	return 0;
}

/* Reductions: fpe FLOPs per input element. */
int
gp_cost_reduce(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_in(g, n, 0));

	if (e < 0 || numel(c, gp_node_out(g, n, 0)) < 0)
		return -1;
	c->flops = mul(c, e, fpe);
	return 0;
}

/* Normalizations: fpe per element; LayerNormalization without a bias one less. */
int
gp_cost_norm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));

	if (e < 0)
		return -1;
	if (!strcmp(n->op, "LayerNormalization") && !gp_node_in(g, n, 2))
		fpe--;
	c->flops = mul(c, e, fpe);
	c->kind = !strcmp(n->op, "BatchNormalization") ? "batchnorm" :
	    !strcmp(n->op, "LayerNormalization") ? "layernorm" :
	    !strcmp(n->op, "SimplifiedLayerNormalization") ? "rmsnorm" :
	    !strcmp(n->op, "InstanceNormalization") ? "instancenorm" : NULL;
	return 0;
}

/* SkipLayerNormalization (fpe 8: LayerNormalization's 7 and the skip add),
 * SkipSimplifiedLayerNormalization (fpe 5: RMS normalization's 4 and the skip
 * add): fpe per element, one more with a bias, one less for a
 * SkipLayerNormalization without beta. */
int
gp_cost_skipnorm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));
	int simple = !strcmp(n->op, "SkipSimplifiedLayerNormalization");

	if (e < 0)
		return -1;
	if (gp_node_in(g, n, simple ? 3 : 4))
		fpe++;
	if (!simple && !gp_node_in(g, n, 3))
		fpe--;
	c->flops = mul(c, e, fpe);
	c->kind = simple ? "rmsnorm" : "layernorm";
	return 0;
}

/* EmbedLayerNormalization: the word and position embeddings gathered (moved)
 * and added, then layer-normalized: fpe (8) per output element, one more with
 * a segment embedding; the mask index is one FLOP per mask element. */
int
gp_cost_embedln(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0)), m = 0;
	struct gp_tensor *mask = gp_node_in(g, n, 7);

	if (e < 0 || (mask && (m = numel(c, mask)) < 0))
		return -1;
	if (gp_node_in(g, n, 4))
		fpe++;
	c->flops = add(c, mul(c, e, fpe), m);
	return 0;
}

/* LRN: a sum of squares over size channels, then a power and a division. */
int
gp_cost_lrn(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0)), size = 0;

	(void)fpe;
	if (e < 0 || gp_attr_int(n, "size", &size) < 0 || size < 0)
		return -1;
	c->flops = mul(c, e, add(c, mul(c, size, 2), 3));
	return 0;
}

/* TopK: about log2(K) comparisons per input element. */
int
gp_cost_topk(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_in(g, n, 0)), k = 0, lg = 1;
	struct gp_tensor *kt = gp_node_in(g, n, 1);

	(void)fpe;
	if (e < 0)
		return -1;
	if (kt && kt->nval == 1 && kt->iv && kt->iv[0].known)
		k = kt->iv[0].v;
	else if (gp_attr_int(n, "k", &k) < 0)
		return -1;
	while (lg < 62 && ((int64_t)1 << lg) < k)
		lg++;
	c->flops = mul(c, e, lg);
	return 0;
}

/* Moving data: no FLOPs. Gather and Slice read only what they write. */
int
gp_cost_move(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));

	(void)fpe;
	if (e < 0 && n->nout > 0 && gp_node_out(g, n, 0))
		return -1;
	if (!strncmp(n->op, "Gather", 6) || !strcmp(n->op, "Slice")) {
		int64_t all = numel(c, gp_node_in(g, n, 0));

		c->read0 = all >= 0 && e > all ? all : e;
	}
	return 0;
}

/* Resize: nearest moves data; linear interpolates (3 FLOPs a lerp, 2^k - 1
 * lerps over k resized axes), cubic (7 FLOPs a 4-tap filter, (4^k - 1) / 3). */
int
gp_cost_resize(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	int64_t e = numel(c, y), per = 0, p2 = 1, p4 = 1, a, b;
	const char *mode = "nearest";
	int k;

	(void)fpe;
	if (e < 0 || !x || x->shape.rank != y->shape.rank || x->shape.rank > 16)
		return -1;
	gp_attr_str(A, n, "mode", &mode);
	for (k = 0; k < x->shape.rank; k++) {
		if (dimv(x, k, &a) < 0 || dimv(y, k, &b) < 0)
			return -1;
		if (a != b) {
			p2 *= 2;
			p4 *= 4;
		}
	}
	if (!strcmp(mode, "linear") || !strcmp(mode, "bilinear"))
		per = (p2 - 1) * 3;
	else if (!strcmp(mode, "cubic"))
		per = (p4 - 1) / 3 * 7;
	c->flops = mul(c, e, per);
	return 0;
}

/* Pooling: fpe FLOPs per window element per output (MaxPool, AveragePool: 1;
 * LpPool: 2); the global pools read every input element once per output
 * (QLinearGlobalAveragePool: 3, dequantizing each, channels last or not). */
int
gp_cost_pool(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	int64_t e = numel(c, y), win = 1, *ks, cl = 0;
	int nk, k;

	if (e < 0 || numel(c, x) < 0)
		return -1;
	if (!strncmp(n->op, "Global", 6) || !strcmp(n->op, "QLinearGlobalAveragePool")) {
		c->flops = mul(c, numel(c, x), fpe);
	} else {
		nk = gp_attr_ints(A, n, "kernel_shape", &ks);
		if (nk < 0)
			return -1;
		for (k = 0; k < nk; k++)
			win = mul(c, win, ks[k] < 0 ? 0 : ks[k]);
		c->flops = mul(c, mul(c, e, win), fpe);
	}
	c->kind = !strcmp(n->op, "MaxPool") ? "maxpool" : !strcmp(n->op, "AveragePool") ? "avgpool" :
	    !strcmp(n->op, "GlobalAveragePool") ? "globalavgpool" :
	    !strcmp(n->op, "QLinearGlobalAveragePool") ? "globalavgpool" :
	    !strcmp(n->op, "GlobalMaxPool") ? "globalmaxpool" : NULL;
	if (!strcmp(n->op, "QLinearGlobalAveragePool") && gp_attr_int(n, "channels_last", &cl) == 0 &&
	    cl && y->shape.rank >= 3) {
		/* [N, 1, ..., C] */
		dimv(y, 0, &c->batch);
		dimv(y, y->shape.rank - 1, &c->channels);
		c->spatial = 1;
	}
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

/* MatMulNBits: the K x N weights its attributes give, stored packed in
 * 2..8-bit blocks, dequantized once per run (fpe, 2 per weight: subtract the
 * zero point, scale) and multiplied, K MACs per output element; a bias adds
 * one per output. The weights' bytes are the packed ones, as stored. */
int
gp_cost_matmulnbits(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k = -1, nn = -1, extra;

	c->kind = "linear";
	gp_attr_int(n, "K", &k);
	gp_attr_int(n, "N", &nn);
	if (ey < 0 || k <= 0 || nn <= 0)
		return -1;
	extra = mul(c, mul(c, k, nn), fpe);
	if (gp_node_in(g, n, 5))
		extra = add(c, extra, ey);
	dense(c, mul(c, ey, k), extra);
	return 0;
}

/* a dim of an attention geometry, if known */
static int
adim(struct gp_dim d, int64_t *v)
{
	if (d.sym || d.v < 0)
		return -1;
	*v = d.v;
	return 0;
}

/* Attention, MultiHeadAttention, GroupQueryAttention: Q·Kᵀ and the
 * probabilities times V are MACs for every query, head and key attended to
 * (cached and new): B·N·S·T·(h + hv); Attention adds its QKV projection,
 * B·S·Hin·(Dq + Dk + Dv). Each of the B·N·S·T scores takes fpe (6: the scale
 * and Softmax's 5) FLOPs, one more when they are masked or biased (a mask or
 * attention_bias input, unidirectional; GroupQueryAttention always masks).
 * A bias on Q, K, V adds one per element of each; do_rotary three per rotated
 * element of Q and of the new K. */
int
gp_cost_attention(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_attn a;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	int64_t b, s, l, t, h, hv, scores, macs, extra, dq, dk, dv, hin, rot = 0, uni = 0;
	struct gp_tensor *cos;

	c->kind = "attention";
	if (gp_attn_geom(g, n, &a) < 0 || adim(a.b, &b) < 0 || adim(a.s, &s) < 0 || adim(a.l, &l) < 0 ||
	    adim(a.t, &t) < 0 || adim(a.head, &h) < 0 || adim(a.vhead, &hv) < 0)
		return -1;
	scores = mul(c, mul(c, mul(c, b, a.heads), s), t);
	macs = mul(c, scores, add(c, h, hv));
	gp_attr_int(n, "unidirectional", &uni);
	if (gqa || uni || gp_node_in(g, n, 5) || gp_node_in(g, n, att ? 3 : 4))
		fpe++;
	extra = mul(c, scores, fpe);
	if (att || (!gqa && gp_node_in(g, n, 3))) {
		/* the projection's or the input bias's widths */
		if (adim(a.dq, &dq) < 0 || adim(a.dk, &dk) < 0 || adim(a.dv, &dv) < 0)
			return -1;
		if (att) {
			if (adim(a.hin, &hin) < 0)
				return -1;
			macs = add(c, macs, mul(c, mul(c, b, s), mul(c, hin, add(c, add(c, dq, dk), dv))));
			if (gp_node_in(g, n, 2))
				extra = add(c, extra, mul(c, mul(c, b, s), add(c, add(c, dq, dk), dv)));
		} else {
			extra = add(c, extra, mul(c, b, add(c, mul(c, s, dq), mul(c, l, add(c, dk, dv)))));
		}
	}
	if ((att || gqa) && gp_attr_int(n, "do_rotary", &rot) == 0 && rot) {
		rot = h;
		if (att)
			gp_attr_int(n, "rotary_embedding_dim", &rot);
		else if ((cos = gp_node_in(g, n, 7)) && dimv(cos, 1, &rot) == 0)
			rot *= 2;
		if (rot <= 0 || rot > h)
			rot = h;
		extra = add(c, extra, mul(c, mul(c, 3, mul(c, b, rot)),
		    add(c, mul(c, s, a.heads), mul(c, l, a.kvheads))));
	}
	dense(c, macs, extra);
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

/* The nodes of graph gid, costed one by one (a nested If, Loop or Scan by
 * its own cost function): 0 with c's macs and flops summed, -1 when one of
 * them is unknown. */
static int
body(struct gp_graph *g, int gid, struct gp_cost *c)
{
	size_t i;
	int rc = 0;

	if (gid <= 0)
		return -1;
	for (i = 0; i < g->nn; i++) {
		struct gp_cost b;

		if (g->n[i].graph != gid)
			continue;       /* nested bodies are costed by their own If/Loop/Scan */
		if (gp_op_cost(g, &g->n[i], &b) < 0)
			rc = -1;
		c->macs = add(c, c->macs, b.macs);
		c->flops = add(c, c->flops, b.flops);
		c->overflow |= b.overflow;
	}
	return rc;
}

/* gp_loop_trips: how many times a Loop or Scan runs its body, or -1 when
 * that is not a known constant. A Loop runs M times only if its condition
 * cannot stop it early: absent, or a constant true that the body passes on
 * unchanged; a PyTorch while loop (M = INT64_MAX) is unknown. A Scan runs
 * once per element of the scanned axis of its first scan input. */
int64_t
gp_loop_trips(struct gp_graph *g, struct gp_node *n)
{
	int64_t v = -1;

	if (!strcmp(n->op, "Loop")) {
		struct gp_tensor *m = gp_node_in(g, n, 0), *c = gp_node_in(g, n, 1);
		int b = gp_node_graph(g, n, "body"), co;

		if (!m || m->nval != 1 || !m->iv || !m->iv[0].known || m->iv[0].v < 0 ||
		    m->iv[0].v > ((int64_t)1 << 40) || b < 0 || g->ngout[b] < 1)
			return -1;
		if (c) {
			co = g->gout[b][0];
			if (c->nval != 1 || !c->iv || !c->iv[0].known || c->iv[0].v != 1 || co < 0)
				return -1;
			/* the body's condition out must be its condition in, passed on */
			if (g->t[co].producer < 0 || strcmp(g->n[g->t[co].producer].op, "Identity") != 0 ||
			    g->n[g->t[co].producer].nin < 1 || g->n[g->t[co].producer].in[0] < 0 ||
			    g->t[g->n[g->t[co].producer].in[0]].kind != GP_K_INPUT)
				return -1;
		}
		return m->iv[0].v;
	} else {
		int64_t nsi = 0, *ax, axis = 0;
		int na = gp_attr_ints(A, n, "scan_input_axes", &ax);
		struct gp_tensor *x;

		if (gp_attr_int(n, "num_scan_inputs", &nsi) < 0 || nsi <= 0 || nsi > n->nin)
			return -1;
		x = gp_node_in(g, n, n->nin - (int)nsi);
		if (na > 0)
			axis = ax[0] < 0 && x ? ax[0] + x->shape.rank : ax[0];
		if (g->opset < 9 || axis < 0 || dimv(x, (int)axis, &v) < 0)
			return -1;      /* opset 8 Scan has a batch axis first: not counted */
		return v;
	}
}

/* gp_if_taken: the branch If node n takes when its condition's value is
 * known (a constant, or computed from shapes): 1 then, 0 else; -1 if not known. */
int
gp_if_taken(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *c = gp_node_in(g, n, 0);

	(void)g;
	if (!c || c->nval != 1)
		return -1;
	if (c->iv)
		return c->iv[0].known ? c->iv[0].v != 0 : -1;
	return c->fv ? c->fv[0] != 0 : -1;
}

/* If: the branch its condition takes, when gp knows the condition's value;
 * else both branches are costed and the larger (by FLOPs) counts, and
 * c->cond says it was not known. Loop: the body times the trip count M when
 * it is known. Scan: the body times the scanned length. */
int
gp_cost_control(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_cost b1 = {0}, b2 = {0};
	int64_t trips = -1;
	int bg;

	(void)fpe;
	if (!strcmp(n->op, "If")) {
		int t = gp_node_graph(g, n, "then_branch"), e = gp_node_graph(g, n, "else_branch");
		int taken = gp_if_taken(g, n);

		c->alt_flops = -1;
		if (taken >= 0) {
			c->branch = taken ? 1 : 2;
			c->cond = 1;
			if (body(g, taken ? t : e, &b1) < 0)
				return -1;
			c->macs = b1.macs;
			c->flops = b1.flops;
			c->overflow = b1.overflow;
			return 0;
		}
		if (t < 0 || e < 0 || body(g, t, &b1) < 0 || body(g, e, &b2) < 0)
			return -1;
		c->branch = b1.flops >= b2.flops ? 1 : 2;
		c->macs = c->branch == 1 ? b1.macs : b2.macs;
		c->flops = c->branch == 1 ? b1.flops : b2.flops;
		c->alt_flops = c->branch == 1 ? b2.flops : b1.flops;
		c->overflow = b1.overflow | b2.overflow;
		return 0;
	}
	if ((bg = gp_node_graph(g, n, "body")) < 0 || body(g, bg, &b1) < 0)
		return -1;
	trips = gp_loop_trips(g, n);
	if (trips < 0)
		return -1;
	c->macs = mul(c, b1.macs, trips);
	c->flops = mul(c, b1.flops, trips);
	c->overflow |= b1.overflow;
	return 0;
}

/* The parallelism of a node's main output, where its cost function did not
 * say: rank >= 4 is read N, C, spatial...; rank 3 as batch, sequence,
 * features; rank 2 as batch, features. */
static void
parallelism(struct gp_graph *g, struct gp_node *n, struct gp_cost *c)
{
	struct gp_tensor *y = gp_node_out(g, n, 0);
	int64_t t = 0, v;
	int i, r;

	for (i = 0; i < n->nout; i++) {
		int64_t e = numel(c, gp_node_out(g, n, i));

		if (e > 0)
			t = add(c, t, e);
	}
	if (!c->threads)
		c->threads = t;
	if (!c->groups)
		c->groups = 1;
	if (c->batch || !y || (r = y->shape.rank) < 0)
		return;
	c->batch = c->channels = c->spatial = 1;
	for (i = 0; i < r; i++) {
		if (dimv(y, i, &v) < 0) {
			c->batch = c->channels = c->spatial = -1;     /* not known: '.' */
			return;
		}
	}
	if (r == 1) {
		dimv(y, 0, &c->channels);
	} else if (r == 2) {
		dimv(y, 0, &c->batch);
		dimv(y, 1, &c->channels);
	} else if (r >= 2) {
		int ch = r >= 4 ? 1 : r - 1;

		dimv(y, 0, &c->batch);
		dimv(y, ch, &c->channels);
		for (i = 1; i < r; i++)
			if (i != ch && dimv(y, i, &v) == 0)
				c->spatial = mul(c, c->spatial, v);
	}
}

int
gp_op_cost(struct gp_graph *g, struct gp_node *n, struct gp_cost *c)
{
	const struct gp_op *op = gp_op_find(n->domain, n->op);
	int rc;

	memset(c, 0, sizeof *c);
	c->read0 = -1;
	gp_op_err[0] = '\0';
	rc = op && op->cost ? op->cost(g, n, c, op->fpe) : -1;
	if (rc == -2)
		gp_die("%s: node '%s' (%s): %s", g->s->src, n->name, n->op, gp_op_err);
	if (!c->kind)
		c->kind = lower(g, n->op);
	parallelism(g, n, c);
	return rc;
}
