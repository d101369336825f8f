/* tflite-op-control.c - the control flow of the "tflite" domain: IF by its
 * subgraphs, WHILE of unknown cost
 */
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* IF: the outputs of its then-branch, as that subgraph declares them */
int
gp_tfl_sh_if(struct gp_graph *g, struct gp_node *n)
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

/* IF: the costlier of its two subgraphs, each node by its own cost function */
int
gp_tfl_c_if(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
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
			if ((op = g->op_find(g->n[i].domain, g->n[i].op)) && op->cls == GP_C_CONTROL)
				return -1;      /* nested control flow: not followed (it could loop) */
			if (g->op_cost(g, &g->n[i], &bc) < 0)
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
int
gp_tfl_c_unknown(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	(void)g, (void)n, (void)c, (void)fpe;
	return -1;
}
