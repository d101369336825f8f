/* infer.c - shape and dtype inference over a whole graph, op by op */
#include <string.h>

#include "gp.h"

/* same_dtype gives the outputs of a node whose shapes could not be inferred
 * the dtype of its first input, for the ops whose outputs always have it. */
static void
same_dtype(struct gp_graph *g, struct gp_node *n)
{
	static const char *other = " Shape Size Cast CastLike ArgMax ArgMin NonZero Equal Less Greater "
	    "LessOrEqual GreaterOrEqual And Or Xor Not IsNaN IsInf ConstantOfShape QuantizeLinear "
	    "DequantizeLinear QLinearConv QLinearMatMul MatMulInteger ConvInteger TopK Dropout "
	    "MaxPool Constant Range ";
	char key[80];
	int i;

	snprintf(key, sizeof key, " %s ", n->op);
	if (strstr(other, key) || n->nin < 1 || n->in[0] < 0 || g->t[n->in[0]].dtype <= 0)
		return;
	for (i = 0; i < n->nout; i++) {
		if (n->out[i] >= 0 && g->t[n->out[i]].dtype == 0) {
			g->t[n->out[i]].dtype = g->t[n->in[0]].dtype;
			g->t[n->out[i]].dirty = 1;
		}
	}
}

/* gp_infer runs every node's shape function in stream (topological) order.
 * An op with no shape function leaves its outputs as declared, with one
 * warning per op type (an error when strict). Returns the number of tensors
 * whose shape is still not fully known. */
int
gp_infer(struct gp_graph *g, int strict)
{
	struct gp_map warned = {0};
	size_t i;
	int unknown = 0, rc;

	for (i = 0; i < g->nn; i++) {
		struct gp_node *n = &g->n[i];
		const struct gp_op *op = gp_op_find(n->domain, n->op);

		if (!op) {
			const char *k = gp_arena_printf(&g->s->arena, "%s:%s", n->domain, n->op);

			if (strict)
				gp_die("%s: node '%s': no shape inference for op %s (domain %s)",
				    g->s->src, n->name, n->op, n->domain);
			if (gp_map_put(&warned, k, 0))
				gp_warn("%s: no shape inference for op %s (domain %s, first node '%s'): "
				    "its outputs keep their declared shapes", g->s->src, n->op, n->domain,
				    n->name);
			continue;
		}
		gp_op_err[0] = '\0';
		rc = op->shape(g, n);
		if (rc == -2)
			gp_die("%s: node '%s' (%s): %s", g->s->src, n->name, n->op, gp_op_err);
		if (rc == -1)
			same_dtype(g, n);
	}
	for (i = 0; i < g->nt_; i++)
		unknown += gp_shape_numel(&g->t[i].shape) < 0 && g->t[i].dtype >= 0;
	gp_map_release(&warned);
	return unknown;
}

/* gp_bind replaces the symbolic dim name by value everywhere: in shapes and in
 * the values of shape tensors. Returns how many dims it replaced. */
int
gp_bind(struct gp_graph *g, const char *name, int64_t value)
{
	size_t i;
	int k, count = 0;

	for (i = 0; i < g->nt_; i++) {
		struct gp_tensor *t = &g->t[i];

		for (k = 0; k < t->shape.rank; k++) {
			if (t->shape.d[k].sym && strcmp(t->shape.d[k].sym, name) == 0) {
				t->shape.d[k].sym = NULL;
				t->shape.d[k].v = value;
				t->dirty = 1;
				count++;
			}
		}
		for (k = 0; t->iv && k < t->nval; k++) {
			if (t->iv[k].sym && strcmp(t->iv[k].sym, name) == 0) {
				t->iv[k].sym = NULL;
				t->iv[k].v = value;
				t->iv[k].known = 1;
			}
		}
	}
	return count;
}
