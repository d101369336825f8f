/* cost.h - the cost functions the op table (ops.c) points to; see cost.c */
#ifndef GP_COST_H
#define GP_COST_H

#define GP_COST_FN(name) int gp_cost_##name(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
GP_COST_FN(none);
GP_COST_FN(elem);
GP_COST_FN(reduce);
GP_COST_FN(norm);
GP_COST_FN(lrn);
GP_COST_FN(topk);
GP_COST_FN(move);
GP_COST_FN(resize);
GP_COST_FN(pool);
GP_COST_FN(conv);
GP_COST_FN(convtranspose);
GP_COST_FN(gemm);
GP_COST_FN(matmul);
GP_COST_FN(einsum);
GP_COST_FN(control);
#undef GP_COST_FN

/* trips of a Loop or Scan body, -1 unknown (cost.c) */
int64_t gp_loop_trips(struct gp_graph *g, struct gp_node *n);

#endif
