/* cost.h - the cost functions the op table (ops.c) points to; see cost.c */
#ifndef GP_COST_H
#define GP_COST_H

#define GP_COST_FN(name) int gp_cost_##name(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
GP_COST_FN(none);
GP_COST_FN(elem);
GP_COST_FN(biaselem);
GP_COST_FN(rotary);
GP_COST_FN(reduce);
GP_COST_FN(norm);
GP_COST_FN(skipnorm);
GP_COST_FN(embedln);
GP_COST_FN(lrn);
GP_COST_FN(topk);
GP_COST_FN(move);
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

/* The group attribute of a Conv (transpose 0) or ConvTranspose (1) with cin
 * input channels and weight dims w0 and w1 (each -1 when unknown): 0 and *grp
 * set, or -2 with gp_op_err saying what is wrong. ONNX asks for group >= 1
 * dividing both channel counts: Conv's weight is [Cout, Cin/group, ...],
 * ConvTranspose's [Cin, Cout/group, ...]. */
int gp_conv_group(struct gp_graph *g, const struct gp_node *n, int transpose, int64_t cin, int64_t w0, int64_t w1,
    int64_t *grp);

/* Shape functions of the op table that live outside ops.c (the recurrent
 * ops: rnn.c), and the one way every shape function sets an output: dtype,
 * rank and dims (copied), a declared dim filling one that is not known, a
 * declared shape that disagrees reported once (ops.c). */
int gp_op_rnn(struct gp_graph *g, struct gp_node *n);
void gp_op_set_out(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r, const struct gp_dim *d);

/* the branch an If takes: 1 then, 0 else, -1 when its condition's value is not known (cost.c) */
int gp_if_taken(struct gp_graph *g, struct gp_node *n);
/* trips of a Loop or Scan body, -1 unknown (cost.c) */
int64_t gp_loop_trips(struct gp_graph *g, struct gp_node *n);

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
/* Fill a from node n (ops.c): 0, -1 when the query's rank is not known, -2
 * when the node is impossible (gp_op_err says why). */
int gp_attn_geom(struct gp_graph *g, struct gp_node *n, struct gp_attn *a);

#endif
