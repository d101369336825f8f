/* gemm.c - the GEMM view of a matrix node: how many independent M x N x K products
 *
 * A kernel library runs every multiply-accumulate op as matrix products: a
 * convolution as its implicit GEMM (one per group), a batched MatMul as B
 * products, attention as its two products per head, a recurrent op as its
 * input's product and its hidden state's, step by step (rnn.c). gp-partition writes
 * this view in the subgraph records (the `gemm` column, docs/format.md) so
 * that gp-roofline can map a kernel onto a chip's tiles (lib/mapping.c)
 * without the graph. Every view's B x M x N x K products sum to the node's
 * MACs (docs/counting.md); a node whose shapes are not known has none.
 */
#include <string.h>

#include "gp.h"
#include "op.h"

static int
dim(const struct gp_tensor *t, int k, int64_t *v)
{
	if (!t || k < 0 || k >= t->shape.rank || t->shape.d[k].sym || t->shape.d[k].v < 0)
		return -1;
	*v = t->shape.d[k].v;
	return 0;
}

static int64_t
elems(const struct gp_tensor *t)
{
	int64_t e = t ? gp_shape_numel(&t->shape) : -1;

	return e < 0 ? -1 : e;
}

static int
put(struct gp_gemm *out, int max, int n, int64_t b, int64_t m, int64_t nn, int64_t k)
{
	if (n < 0 || n >= max || b < 0 || m < 0 || nn < 0 || k < 0)
		return -1;
	out[n].b = b;
	out[n].m = m;
	out[n].n = nn;
	out[n].k = k;
	return n + 1;
}

/* Conv: per group, (batch x output positions) x (Cout / g) x (Cin / g x kernel) */
static int
conv(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	int q = !strcmp(n->op, "QLinearConv");
	struct gp_tensor *w = gp_node_in(g, n, q ? 3 : 1), *y = gp_node_out(g, n, 0);
	int64_t grp = 1, cout, batch, m, k, v;
	int i;

	gp_attr_int(n, "group", &grp);
	if (!y || !w || grp <= 0 || dim(w, 0, &cout) < 0 || cout % grp || dim(y, 0, &batch) < 0 ||
	    (k = elems(w)) < 0 || cout == 0)
		return -1;
	k /= cout;              /* Cin / g x kernel */
	for (i = 2, m = batch; i < y->shape.rank; i++)
		m = dim(y, i, &v) < 0 ? -1 : gp_count_mul(m, v);
	return put(out, max, 0, grp, m, cout / grp, k);
}

/* ConvTranspose as its scatter GEMM: per group, (batch x input positions) x
 * (Cout / g x kernel) x (Cin / g) */
static int
convtranspose(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1);
	int64_t grp = 1, cin, batch, m, nn, v;
	int i;

	gp_attr_int(n, "group", &grp);
	if (!x || !w || grp <= 0 || dim(w, 0, &cin) < 0 || cin % grp || dim(x, 0, &batch) < 0 ||
	    (nn = elems(w)) < 0 || cin == 0)
		return -1;
	nn /= cin;              /* Cout / g x kernel */
	for (i = 2, m = batch; i < x->shape.rank; i++)
		m = dim(x, i, &v) < 0 ? -1 : gp_count_mul(m, v);
	return put(out, max, 0, grp, m, nn, cin / grp);
}

/* A product whose output is y and whose reduction is k long, with B of
 * rank rb: a 1-D or 2-D B (a weight, shared by every row) folds A's batch
 * dims into M; a batched B makes one product per leading index of y. */
static int
product(struct gp_tensor *y, int rb, int64_t k, struct gp_gemm *out, int max)
{
	int64_t e = elems(y), m, nn;
	int r = y ? y->shape.rank : -1;

	if (e < 0 || k < 0 || r < 0)
		return -1;
	if (rb == 1) {          /* y lacks the N dim */
		return put(out, max, 0, 1, e, 1, k);
	}
	if (r < 1 || dim(y, r - 1, &nn) < 0)
		return -1;
	if (nn == 0)
		return put(out, max, 0, 1, 0, 0, k);
	if (rb <= 2 || r < 2)
		return put(out, max, 0, 1, e / nn, nn, k);
	if (dim(y, r - 2, &m) < 0)
		return -1;
	return put(out, max, 0, m && nn ? e / (m * nn) : 0, m, nn, k);
}

/* Gemm: M x N x K, A possibly transposed */
static int
gemm(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	struct gp_tensor *a = gp_node_in(g, n, 0);
	int64_t ta = 0, k;

	gp_attr_int(n, "transA", &ta);
	if (!a || a->shape.rank != 2 || dim(a, ta ? 0 : 1, &k) < 0)
		return -1;
	return product(gp_node_out(g, n, 0), 2, k, out, max);
}

/* MatMul and its integer, quantized and fused forms: K is A's last dim (or
 * the one FusedMatMul's transA / transBatchA names) */
static int
matmul(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	int q = !strcmp(n->op, "QLinearMatMul");
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, q ? 3 : 1);
	int64_t k, ta = 0, tba = 0;
	int r = a ? a->shape.rank : -1, at = r - 1;

	if (!strcmp(n->op, "FusedMatMul")) {
		gp_attr_int(n, "transA", &ta);
		gp_attr_int(n, "transBatchA", &tba);
		if (ta && r >= 2)
			at = tba && r >= 3 ? 0 : r - 2;
	}
	if (!b || r < 1 || dim(a, at, &k) < 0)
		return -1;
	return product(gp_node_out(g, n, 0), b->shape.rank, k, out, max);
}

/* MatMulNBits: M rows of A times the K x N weight of its attributes */
static int
matmulnbits(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	int64_t k = -1, nn = -1, e = elems(gp_node_out(g, n, 0));

	gp_attr_int(n, "K", &k);
	gp_attr_int(n, "N", &nn);
	if (e < 0 || k <= 0 || nn <= 0)
		return -1;
	return put(out, max, 0, 1, e / nn, nn, k);
}

static int
adim(struct gp_dim d, int64_t *v)
{
	if (d.sym || d.v < 0)
		return -1;
	*v = d.v;
	return 0;
}

/* The contrib attention ops: per batch and query head, scores S x T x h and
 * the weighted sum S x hv x T; Attention's QKV projection first */
static int
attention(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	struct gp_attn a;
	int64_t b, s, t, h, hv, dq, dk, dv, hin, bn;
	int k = 0;

	if (gp_attn_geom(g, n, &a) < 0 || adim(a.b, &b) < 0 || adim(a.s, &s) < 0 ||
	    adim(a.t, &t) < 0 || adim(a.head, &h) < 0 || adim(a.vhead, &hv) < 0)
		return -1;
	if (!strcmp(n->op, "Attention")) {
		if (adim(a.dq, &dq) < 0 || adim(a.dk, &dk) < 0 || adim(a.dv, &dv) < 0 ||
		    adim(a.hin, &hin) < 0)
			return -1;
		k = put(out, max, k, 1, gp_count_mul(b, s), dq + dk + dv, hin);
	}
	bn = gp_count_mul(b, a.heads);
	k = put(out, max, k, bn, s, t, h);
	return put(out, max, k, bn, s, hv, t);
}

/* Einsum of two operands: labels in both inputs and the output are the
 * batch, in one input and the output M (the first) or N (the second), and
 * every label not in the output is summed (K) */
static int
einsum(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	const char *eq, *p, *arrow;
	int64_t size[128], f[4] = {1, 1, 1, 1};
	int in[128] = {0}, seen[128] = {0}, op = 0, k = 0, i;

	if (gp_attr_str(&g->s->arena, n, "equation", &eq) < 0 || strstr(eq, "...") ||
	    !(arrow = strstr(eq, "->")))
		return -1;
	for (p = eq; p < arrow; p++) {
		int ch = (unsigned char)*p & 127;
		int64_t v;

		if (*p == ' ')
			continue;
		if (*p == ',') {
			if (++op > 1)
				return -1;
			k = 0;
			continue;
		}
		if (dim(gp_node_in(g, n, op), k++, &v) < 0)
			return -1;
		if (!seen[ch] || size[ch] == 1)
			size[ch] = v;
		seen[ch] = 1;
		in[ch] |= 1 << op;
	}
	if (op != 1)
		return -1;
	for (i = 0; i < 128; i++) {
		int o = strchr(arrow + 2, i) != NULL && i != 0;

		if (!seen[i])
			continue;
		/* f[0] batch, f[1] M, f[2] N, f[3] K */
		if (o && in[i] == 3)
			f[0] = gp_count_mul(f[0], size[i]);
		else if (o && in[i] == 1)
			f[1] = gp_count_mul(f[1], size[i]);
		else if (o && in[i] == 2)
			f[2] = gp_count_mul(f[2], size[i]);
		else
			f[3] = gp_count_mul(f[3], size[i]);
	}
	return put(out, max, 0, f[0], f[1], f[2], f[3]);
}

int
gp_node_gemms(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	static const struct {
		const char *op;
		int (*f)(struct gp_graph *, struct gp_node *, struct gp_gemm *, int);
	} t[] = {
		{"Conv", conv}, {"ConvInteger", conv}, {"QLinearConv", conv},
		{"ConvTranspose", convtranspose}, {"Gemm", gemm},
		{"MatMul", matmul}, {"MatMulInteger", matmul}, {"QLinearMatMul", matmul},
		{"FusedMatMul", matmul}, {"MatMulIntegerToFloat", matmul},
		{"DynamicQuantizeMatMul", matmul}, {"MatMulNBits", matmulnbits},
		{"Attention", attention}, {"MultiHeadAttention", attention},
		{"GroupQueryAttention", attention}, {"Einsum", einsum},
		{"LSTM", gp_gemms_rnn}, {"GRU", gp_gemms_rnn}, {"RNN", gp_gemms_rnn},
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(n->op, t[i].op))
			return t[i].f(g, n, out, max);
	return -1;
}

void
gp_gemm_fmt(struct gp_buf *b, const struct gp_gemm *v, int n)
{
	int i;

	if (n <= 0) {
		gp_buf_adds(b, ".");
		return;
	}
	for (i = 0; i < n; i++)
		gp_buf_printf(b, "%s%lldx%lldx%lldx%lld", i ? ";" : "", (long long)v[i].b,
		    (long long)v[i].m, (long long)v[i].n, (long long)v[i].k);
}

int
gp_gemm_parse(const char *s, struct gp_gemm *out, int max)
{
	int n = 0, i;

	if (!strcmp(s, "."))
		return 0;
	for (;;) {
		int64_t v[4];

		if (n >= max)
			return -1;
		for (i = 0; i < 4; i++) {
			int64_t x = 0;
			const char *st = s;

			while (*s >= '0' && *s <= '9') {
				if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, *s - '0', &x))
					return -1;
				s++;
			}
			if (s == st || (i < 3 && *s++ != 'x'))
				return -1;
			v[i] = x;
		}
		out[n].b = v[0];
		out[n].m = v[1];
		out[n].n = v[2];
		out[n].k = v[3];
		n++;
		if (!*s)
			return n;
		if (*s++ != ';')
			return -1;
	}
}
