/* op-window.c - ops over windows and rows: pooling, normalization, reductions, Resize,
 * TopK; their shape and cost functions
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* Resize, Upsample: input 0's dims from sizes, or scaled by scales (floored) */
int
gp_opshape_resize(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i, nsz, nsc;
	int64_t *sz;
	double *sc;
	struct gp_dim *d;
	int upsample = strcmp(n->op, "Upsample") == 0;

	if (r < 0)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	nsz = upsample ? -1 : gp_ints(g, gp_node_in(g, n, 3), &sz);
	nsc = floats(gp_node_in(g, n, upsample ? 1 : 2), &sc);
	if (upsample && nsc < 0)
		nsc = gp_attr_floats(A, n, "scales", &sc);
	if (g->opset < 11 && !upsample)
		nsc = floats(gp_node_in(g, n, 1), &sc);
	if (nsz == r) {
		for (i = 0; i < r; i++)
			d[i] = dk(sz[i]);
	} else if (nsc == r) {
		for (i = 0; i < r; i++) {
			double v = known(x->shape.d[i]) ? floor((double)x->shape.d[i].v * sc[i]) : 0;

			/* (a double at or past 2^63 does not convert) */
			if (!(v >= 0 && v < 9.2e18))
				return gp_op_fail("scale %g of a dim of %lld", sc[i], (long long)x->shape.d[i].v);
			d[i] = known(x->shape.d[i]) ? dk((int64_t)v) : sc[i] == 1.0 ? x->shape.d[i] : unk;
		}
	} else {
		gp_set_unknown(g, n, 0, x->dtype, r);
		return -1;
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* Reduce*, ArgMax, ArgMin: input 0 without (or, keepdims, with 1 at) the reduced axes */
int
gp_opshape_reduce(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax = NULL;
	int r = rank(x), keep = (int)attr_i(n, "keepdims", 1), na, i, k;
	int noop = (int)attr_i(n, "noop_with_empty_axes", 0);
	struct gp_dim *d;
	char *mark;
	int arg = strncmp(n->op, "Arg", 3) == 0;

	if (r < 0)
		return -1;
	if (arg) {
		int64_t a = attr_i(n, "axis", 0);

		ax = gp_arena_alloc(A, sizeof *ax);
		ax[0] = a;
		na = 1;
	} else {
		na = gp_axes_of(g, n, 1, &ax);
		if (na == -2)
			return -1;
	}
	mark = gp_arena_alloc(A, (size_t)r + 1);
	memset(mark, na <= 0 && !noop ? 1 : 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		k = norm_axis(ax[i], r);
		if (k < 0)
			return gp_op_fail("bad axis %lld", (long long)ax[i]);
		mark[k] = 1;
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = k = 0; i < r; i++) {
		if (!mark[i])
			d[k++] = x->shape.d[i];
		else if (keep)
			d[k++] = dk(1);
	}
	gp_set_out(g, n, 0, arg ? 7 : x->dtype, k, d);
	return 0;
}

/* TopK: values and int64 indices, input 0 with axis cut to k */
int
gp_opshape_topk(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *kv, kk;
	int r = rank(x), a;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", -1), r);
	if (a < 0)
		return gp_op_fail("bad axis");
	if (gp_node_in(g, n, 1)) {
		if (gp_ints(g, gp_node_in(g, n, 1), &kv) != 1)
			return -1;
		kk = kv[0];
	} else {
		kk = attr_i(n, "k", -1);
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[a] = kk >= 0 ? dk(kk) : unk;
	gp_set_out(g, n, 0, x->dtype, r, d);
	gp_set_out(g, n, 1, 7, r, d);
	return 0;
}

/* Pooling: N, C and the spatial dims gp_window computes (1 each when global) */
int
gp_opshape_pool(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), ns, i, rc;
	int64_t *ks;
	struct gp_dim d[18];

	if (r < 3 || r > 18)
		return r < 0 ? -1 : gp_op_fail("input of rank %d", r);
	ns = r - 2;
	d[0] = x->shape.d[0];
	d[1] = x->shape.d[1];
	if (!strncmp(n->op, "Global", 6)) {
		for (i = 0; i < ns; i++)
			d[2 + i] = dk(1);
	} else {
		if (gp_attr_ints(A, n, "kernel_shape", &ks) != ns)
			return gp_op_fail("no kernel_shape for %d spatial dims", ns);
		if ((rc = gp_window(g, n, x, ks, ns, 1, d + 2)) < 0)
			return rc;
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	if (n->nout > 1)
		gp_set_out(g, n, 1, 7, r, d);      /* MaxPool's indices */
	return 0;
}

/* Normalizations: output 0 as input 0; BatchNormalization's training outputs
 * [C]; (Simplified)LayerNormalization's statistics outputs the dims before
 * axis, 1 after, at stash_type */
int
gp_opshape_norm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i;

	if (r < 0)
		return -1;
	gp_set_out(g, n, 0, x->dtype, r, x->shape.d);
	/* BatchNormalization in training mode: running mean and var, [C] */
	for (i = 1; i < n->nout && !strcmp(n->op, "BatchNormalization"); i++)
		if (r >= 2)
			gp_set_out(g, n, i, x->dtype, 1, x->shape.d + 1);
	/* LayerNormalization's mean and inverse deviation, SimplifiedLayerNormalization's
	 * inverse RMS: one per normalized row, of the stash type */
	if ((!strcmp(n->op, "LayerNormalization") || !strcmp(n->op, "SimplifiedLayerNormalization")) &&
	    n->nout > 1) {
		int a = norm_axis(attr_i(n, "axis", -1), r), k;
		struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
		int64_t st = attr_i(n, "stash_type", 1);

		if (a < 0)
			return gp_op_fail("bad axis");
		for (k = 0; k < r; k++)
			d[k] = k < a ? x->shape.d[k] : dk(1);
		for (i = 1; i < n->nout; i++)
			gp_set_out(g, n, i, (int)st, r, d);
	}
	return 0;
}

/* leading: the product of x's dims before axis a (its rows when what
 * follows is one row each), -1 when one is not known */
static int64_t
leading(struct gp_cost *c, const struct gp_tensor *x, int a)
{
	int64_t r = 1, v;
	int k;

	for (k = 0; k < a; k++) {
		if (dimv(x, k, &v) < 0)
			return -1;
		r = mul(c, r, v);
	}
	return r;
}

/* Reductions: fpe FLOPs per input element; a Reduce* or Arg* op's rows are
 * its outputs, one reduced row each. */
int
gp_cost_reduce(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_in(g, n, 0)), o = numel(c, gp_node_out(g, n, 0));

	if (e < 0 || o < 0)
		return -1;
	c->flops = mul(c, e, fpe);
	if (!strncmp(n->op, "Reduce", 6) || !strncmp(n->op, "Arg", 3))
		c->rows = o;
	return 0;
}

/* Softmax, LogSoftmax, Hardmax: fpe per element, over rows along axis: the
 * last by default from opset 13, before it the input as a matrix whose rows
 * are the dims before axis (default 1) */
int
gp_cost_softmax(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t e = numel(c, gp_node_out(g, n, 0)), w;
	int r = rank(x), a;

	if (e < 0 || r < 0)
		return -1;
	c->flops = mul(c, e, fpe);
	if (r == 0) {
		c->rows = 1;
		return 0;
	}
	if ((a = norm_axis(attr_i(n, "axis", g->opset >= 13 ? -1 : 1), r)) < 0)
		return gp_op_fail("axis %lld of a rank %d input", (long long)attr_i(n, "axis", 0), r);
	if (g->opset < 13)
		c->rows = leading(c, x, a);
	else if (dimv(x, a, &w) < 0)
		return -1;
	else
		c->rows = w > 0 ? e / w : 0;
	return c->rows < 0 ? -1 : 0;
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
	/* a LayerNorm's rows: the dims before its axis; an InstanceNorm's, the
	 * images' channels */
	if (!strcmp(n->op, "LayerNormalization") || !strcmp(n->op, "SimplifiedLayerNormalization")) {
		struct gp_tensor *x = gp_node_in(g, n, 0);
		int a = norm_axis(attr_i(n, "axis", -1), rank(x));

		if (a < 0)
			return gp_op_fail("axis %lld of a rank %d input", (long long)attr_i(n, "axis", -1), rank(x));
		if ((c->rows = leading(c, x, a)) < 0)
			return -1;
	} else if (!strcmp(n->op, "InstanceNormalization")) {
		c->rows = leading(c, gp_node_in(g, n, 0), 2);
	}
	c->kind = !strcmp(n->op, "BatchNormalization") ? "batchnorm" :
	    !strcmp(n->op, "LayerNormalization") ? "layernorm" :
	    !strcmp(n->op, "SimplifiedLayerNormalization") ? "rmsnorm" :
	    !strcmp(n->op, "InstanceNormalization") ? "instancenorm" : NULL;
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
		/* a global pool is a reduction: its rows are its outputs, an
		 * image's channel each */
		c->rows = e;
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
