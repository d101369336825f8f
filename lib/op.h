/* op.h - what the op families (op-*.c, tflite-op-*.c) share with each other and
 * with the op table (ops.c): their shape and cost functions, the dims helpers
 * of dims.c, and the small inline ones below. Private to lib/.
 *
 * A shape function reads its node's input tensors (dtype, shape and, for the
 * small integer tensors of shape computations, their values) and sets its
 * outputs. It returns 0 when done, -1 when an input it needs is unknown (the
 * outputs stay as they were), and -2 when the node is impossible, with
 * gp_op_err saying why. Values propagate as ONNX's data_prop does: Shape,
 * Gather, Concat, Slice, Unsqueeze, arithmetic ... on small int64 tensors, with
 * symbolic dims carried as names.
 *
 * A cost function follows docs/counting.md: a MAC is one multiply-accumulate
 * of Conv, ConvTranspose, Gemm, MatMul and Einsum (and their integer,
 * quantized and contrib forms, and the products of the attention ops of
 * onnxruntime's com.microsoft domain); FLOPs are 2 per MAC plus the stated
 * per-element work of everything else (bias adds, activations,
 * normalizations, pooling, reductions). Each reads its node's input and
 * output shapes (as gp-shape left them) and fills a gp_cost; it returns -1
 * when a shape it needs is unknown, never a guess. Products are checked: an
 * overflow of 64 bits sets c->overflow.
 */
#ifndef GP_OP_H
#define GP_OP_H

#include <string.h>

#define A (&g->s->arena)        /* the arena of the graph g in scope */
#define MAXVAL 64               /* values are carried for tensors this small */
#define LIM ((int64_t)1 << 31)  /* strides, dilations, kernels, pads and blocks beyond are nonsense */

/* ---- the shape functions of the op table ---- */
#define GP_SHAPE_FN(name) int gp_opshape_##name(struct gp_graph *g, struct gp_node *n)
GP_SHAPE_FN(same);
GP_SHAPE_FN(bool1);
GP_SHAPE_FN(binary);
GP_SHAPE_FN(where);
GP_SHAPE_FN(shape);
GP_SHAPE_FN(size);
GP_SHAPE_FN(cast);
GP_SHAPE_FN(unsqueeze);
GP_SHAPE_FN(squeeze);
GP_SHAPE_FN(flatten);
GP_SHAPE_FN(reshape);
GP_SHAPE_FN(transpose);
GP_SHAPE_FN(concat);
GP_SHAPE_FN(gather);
GP_SHAPE_FN(gatherel);
GP_SHAPE_FN(slice);
GP_SHAPE_FN(split);
GP_SHAPE_FN(expand);
GP_SHAPE_FN(tile);
GP_SHAPE_FN(constofshape);
GP_SHAPE_FN(range);
GP_SHAPE_FN(pad);
GP_SHAPE_FN(resize);
GP_SHAPE_FN(reduce);
GP_SHAPE_FN(topk);
GP_SHAPE_FN(matmul);
GP_SHAPE_FN(fusedmatmul);
GP_SHAPE_FN(gemm);
GP_SHAPE_FN(einsum);
GP_SHAPE_FN(conv);
GP_SHAPE_FN(convtranspose);
GP_SHAPE_FN(pool);
GP_SHAPE_FN(norm);
GP_SHAPE_FN(dropout);
GP_SHAPE_FN(constant);
GP_SHAPE_FN(quant);
GP_SHAPE_FN(dynquant);
GP_SHAPE_FN(depthspace);
GP_SHAPE_FN(nonzero);
GP_SHAPE_FN(if);
GP_SHAPE_FN(loop);
GP_SHAPE_FN(attention);
GP_SHAPE_FN(matmulnbits);
GP_SHAPE_FN(qbinary);
GP_SHAPE_FN(qgap);
GP_SHAPE_FN(qconcat);
GP_SHAPE_FN(skipnorm);
GP_SHAPE_FN(embedln);
#undef GP_SHAPE_FN

/* ---- the cost functions ---- */
#define GP_COST_FN(name) int gp_cost_##name(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
GP_COST_FN(none);
GP_COST_FN(elem);
GP_COST_FN(biaselem);
GP_COST_FN(rotary);
GP_COST_FN(reduce);
GP_COST_FN(softmax);
GP_COST_FN(norm);
GP_COST_FN(skipnorm);
GP_COST_FN(embedln);
GP_COST_FN(lrn);
GP_COST_FN(topk);
GP_COST_FN(move);
GP_COST_FN(concat);
GP_COST_FN(split);
GP_COST_FN(transpose);
GP_COST_FN(resize);
GP_COST_FN(pool);
GP_COST_FN(conv);
GP_COST_FN(convtranspose);
GP_COST_FN(gemm);
GP_COST_FN(matmul);
GP_COST_FN(fusedmatmul);
GP_COST_FN(qmatmul);
GP_COST_FN(matmulnbits);
GP_COST_FN(attention);
GP_COST_FN(einsum);
GP_COST_FN(control);
GP_COST_FN(rnn);                        /* rnn.c */
#undef GP_COST_FN

/* the recurrent ops LSTM, GRU, RNN (rnn.c): shapes, and products (gemm.c's view) */
int gp_opshape_rnn(struct gp_graph *g, struct gp_node *n);
int gp_gemms_rnn(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max);
/* the branch an If takes: 1 then, 0 else, -1 when its condition's value is not known (op-control.c) */
int gp_if_taken(struct gp_graph *g, struct gp_node *n);

/* The group attribute of a Conv (transpose 0) or ConvTranspose (1) with cin
 * input channels and weight dims w0 and w1 (each -1 when unknown): 0 and *grp
 * set, or -2 with gp_op_err saying what is wrong. ONNX asks for group >= 1
 * dividing both channel counts: Conv's weight is [Cout, Cin/group, ...],
 * ConvTranspose's [Cin, Cout/group, ...]. */
int gp_conv_group(struct gp_graph *g, const struct gp_node *n, int transpose, int64_t cin, int64_t w0, int64_t w1,
    int64_t *grp);

/* The geometry of an attention node (com.microsoft Attention,
 * MultiHeadAttention, GroupQueryAttention) as its inputs and attributes give
 * it; a dim that cannot be told is unknown. */
struct gp_attn {
	struct gp_dim b, s;                 /* batch, queries (sequence length) */
	struct gp_dim l;                    /* new keys and values (kv sequence length) */
	struct gp_dim p;                    /* keys cached before them (past) */
	struct gp_dim t;                    /* keys each query attends to: p + l, or GQA's total_sequence_length */
	struct gp_dim cache;                /* the present cache's length: t, or a buffer shared with past */
	struct gp_dim hin;                  /* Attention: the width its QKV projection reads */
	struct gp_dim dq, dk, dv;           /* widths of Q, K and V over all heads */
	struct gp_dim dout;                 /* width of the output */
	struct gp_dim head, vhead;          /* per head: of Q and K, of V */
	int64_t heads, kvheads;             /* heads of Q; of K and V */
	int qkv;                            /* 1: projects its input to Q, K, V (Attention) */
	int dtype;                          /* of the query */
};
/* Fill a from node n (op-ms.c): 0, -1 when the query's rank is not known, -2
 * when the node is impossible (gp_op_err says why). */
int gp_attn_geom(struct gp_graph *g, struct gp_node *n, struct gp_attn *a);


/* ---- dims.c ---- */
/* gp_op_fail: gp_op_err set from fmt; returns -2 (the node is impossible) */
int gp_op_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* gp_ints: t's values as plain integers, all known; else -1 */
int gp_ints(struct gp_graph *g, const struct gp_tensor *t, int64_t **v);
/* gp_set_out sets output i: dtype, rank and dims (copied). A declared shape that
 * disagrees is reported once; a declared dim fills in one we cannot know. */
void gp_set_out(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r, const struct gp_dim *d);
/* gp_set_vals, gp_set_fvals give output i the cnt integer (float) values v,
 * when cnt is at most MAXVAL (kept in the arena) */
void gp_set_vals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const struct gp_ival *v);
void gp_set_fvals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const double *v);
/* gp_pass_vals gives output 0 the values of x, if it has any (a view: Identity,
 * Squeeze, Unsqueeze, Reshape keep the values in order) */
void gp_pass_vals(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x);
/* gp_set_unknown sets output i to rank r with every dim unknown */
void gp_set_unknown(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r);
/* gp_bcast broadcasts the shapes of the nt tensors ts (NULL ones skipped)
 * numpy-style into d; returns the rank, -1 if a rank is unknown, -2 if they
 * cannot broadcast */
int gp_bcast(struct gp_graph *g, struct gp_tensor *const *ts, int nt, struct gp_dim **d);
/* gp_broadcast: the shapes of inputs [from, to) numpy-style into d; returns the rank */
int gp_broadcast(struct gp_graph *g, struct gp_node *n, int from, int to, struct gp_dim **d);
/* gp_axes_of: the axes of Unsqueeze/Squeeze/Reduce*: from the second input (newer opsets) or
 * the attribute; returns the count, -1 when absent, -2 when not known */
int gp_axes_of(struct gp_graph *g, struct gp_node *n, int input, int64_t **ax);
/* gp_window computes the ns spatial output dims d of a conv (pool 0) or pool
 * (1) node whose input is x and whose kernel spatial dims are k[0..ns) from its
 * strides, dilations, pads and auto_pad: 0, -1 when a dim is unknown, -2 when
 * the node is impossible (gp_op_err says why) */
int gp_window(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x, const int64_t *k, int ns,
    int pool, struct gp_dim *d);
/* gp_concat_dims: the shape of ts[0 .. nt) (NULL ones skipped) concatenated on
 * the node's axis attribute, into *d with rank *r; 0, -1 unknown, -2 impossible */
int gp_concat_dims(struct gp_graph *g, struct gp_node *n, struct gp_tensor *const *ts, int nt,
    struct gp_dim **d, int *r);

/* ---- small helpers, inline ---- */

static const struct gp_dim unk = {-1, NULL};

static inline struct gp_dim
dk(int64_t v)
{
	struct gp_dim d = {v, NULL};

	return d;
}

static inline int
known(struct gp_dim d)
{
	return !d.sym && d.v >= 0;
}

static inline int
same(struct gp_dim a, struct gp_dim b)
{
	if (a.sym || b.sym)
		return a.sym && b.sym && strcmp(a.sym, b.sym) == 0;
	return a.v >= 0 && a.v == b.v;
}

static inline struct gp_dim
ival_dim(struct gp_ival v)
{
	struct gp_dim d = {-1, NULL};

	if (v.known && v.v >= 0)
		d.v = v.v;
	else if (v.sym)
		d.sym = v.sym;
	return d;
}

static inline struct gp_ival
dim_ival(struct gp_dim d)
{
	struct gp_ival v = {0, NULL, 0};

	if (known(d)) {
		v.v = d.v;
		v.known = 1;
	} else {
		v.sym = d.sym;
	}
	return v;
}

static inline int
rank(const struct gp_tensor *t)
{
	return t ? t->shape.rank : -1;
}

/* vals: t's values if it has them all (as ivals), with their count; else -1 */
static inline int
vals(const struct gp_tensor *t, const struct gp_ival **v)
{
	if (!t || t->nval < 0 || !t->iv)
		return -1;
	*v = t->iv;
	return t->nval;
}

/* floats: t's float values; else -1 */
static inline int
floats(const struct gp_tensor *t, double **v)
{
	if (!t || t->nval < 0 || !t->fv)
		return -1;
	*v = t->fv;
	return t->nval;
}

static inline int64_t
attr_i(const struct gp_node *n, const char *k, int64_t def)
{
	int64_t v;

	return gp_attr_int(n, k, &v) == 0 ? v : def;
}

/* norm_axis maps a possibly negative axis into [0, r); -1 if out of range */
static inline int
norm_axis(int64_t a, int r)
{
	if (a < 0)
		a += r;
	return a >= 0 && a < r ? (int)a : -1;
}

static inline int64_t
clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* numel of t, or -1 if t is absent or its shape not fully known */
static inline int64_t
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

static inline int
dimv(const struct gp_tensor *t, int k, int64_t *v)
{
	if (!t || k < 0 || k >= t->shape.rank || t->shape.d[k].sym || t->shape.d[k].v < 0)
		return -1;
	*v = t->shape.d[k].v;
	return 0;
}

static inline int64_t
mul(struct gp_cost *c, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r)) {
		c->overflow = 1;
		return 0;
	}
	return r;
}

static inline int64_t
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
static inline void
dense(struct gp_cost *c, int64_t macs, int64_t extra)
{
	c->macs = macs;
	c->flops = add(c, mul(c, macs, 2), extra);
}

#endif
