/* infer.c - shape and dtype inference over a whole graph, op by op */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

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

/* order lists the nodes so that the nodes of a subgraph (an If branch, a
 * Loop body) come right before the node that holds it, so that its shape
 * function can read the body's outputs; otherwise stream order. */
static void
order(const struct gp_graph *g, int gid, int *out, size_t *k, const int *first, const int *next,
    const int *held, const int *hnext)
{
	int i, h;

	for (i = first[gid]; i >= 0; i = next[i]) {
		for (h = held[i]; h >= 0; h = hnext[h])
			order(g, h, out, k, first, next, held, hnext);
		out[(*k)++] = i;
	}
}

/* is_dead: is graph gid an If branch that never runs, or inside one? A
 * branch never runs when its If's condition (inferred before the branch is:
 * it is computed before the If) takes the other, or when it cannot run at
 * these shapes (gone[] marks it: see maybe()). */
static int
is_dead(struct gp_graph *g, int gid, const char *gone)
{
	int h, taken;

	for (; gid > 0 && (h = g->gholder[gid]) >= 0; gid = g->n[h].graph) {
		if (gone[gid])
			return 1;
		if (!strcmp(g->n[h].op, "If") && (taken = gp_if_taken(g, &g->n[h])) >= 0 &&
		    gp_node_graph(g, &g->n[h], taken ? "else_branch" : "then_branch") == gid)
			return 1;
		if (g->n[h].graph >= gid)
			break;
	}
	return 0;
}

/* maybe: node n, in graph gid, is impossible. If it is in a branch of an If
 * whose condition is not known, that branch cannot run at these shapes: the
 * condition must take the other one, and is given that value (so that what
 * reads the stream after gp-shape takes it too), with a warning; returns 1.
 * Else 0: n's error is the model's. */
static int
maybe(struct gp_graph *g, struct gp_node *n, int gid, char *gone)
{
	int h;

	for (; gid > 0 && (h = g->gholder[gid]) >= 0; gid = g->n[h].graph) {
		struct gp_node *f = &g->n[h];
		struct gp_tensor *c = gp_node_in(g, f, 0);
		int then = gp_node_graph(g, f, "then_branch") == gid;

		if (!strcmp(f->op, "If") && c && gp_if_taken(g, f) < 0 &&
		    (then || gp_node_graph(g, f, "else_branch") == gid)) {
			gp_warn("%s: node '%s' (%s): %s: the %s branch of If '%s' cannot run at these "
			    "shapes, so its condition '%s' must be %s", g->s->src, n->name, n->op, gp_op_err,
			    then ? "then" : "else", f->name, c->name, then ? "false" : "true");
			gone[gid] = 1;
			c->iv = gp_arena_alloc(&g->s->arena, sizeof *c->iv);
			c->iv[0].v = !then;
			c->iv[0].sym = NULL;
			c->iv[0].known = 1;
			c->fv = NULL;
			c->nval = 1;
			c->dirty = 1;
			return 1;
		}
		if (f->graph >= gid)
			break;
	}
	return 0;
}

/* gp_infer runs every node's shape function, bodies before their holders
 * (its arrays are arena memory: freed with the stream, even after gp_die),
 * but not the nodes of an If branch its known condition does not take; a
 * node that cannot be inside a branch of an If whose condition is not
 * known rules that branch out (maybe()).
 * An op with no shape function leaves its outputs as declared, with one
 * warning per op type (an error when strict). Returns the number of tensors
 * whose shape is still not fully known. A graph re-batched by --batch goes
 * through rebatch.c, which calls it back. */
int
gp_infer(struct gp_graph *g, int flags)
{
	struct gp_map *warned = &g->scratch;    /* released with g if a node dies */
	size_t i, k = 0;
	int unknown = 0, rc, j;
	int *first = gp_arena_alloc(&g->s->arena, ((size_t)g->ngraph + 1) * sizeof *first);
	int *last = gp_arena_alloc(&g->s->arena, ((size_t)g->ngraph + 1) * sizeof *last);
	int *next = gp_arena_alloc(&g->s->arena, (g->nn + 1) * sizeof *next);
	int *held = gp_arena_alloc(&g->s->arena, (g->nn + 1) * sizeof *held);
	int *hnext = gp_arena_alloc(&g->s->arena, ((size_t)g->ngraph + 1) * sizeof *hnext);
	int *seq = gp_arena_alloc(&g->s->arena, (g->nn + 1) * sizeof *seq);
	char *gone = gp_arena_alloc(&g->s->arena, (size_t)g->ngraph + 1);

	const struct gp_infer_hooks *h = g->hooks;

	if (h && h->active(g))
		return h->infer(g, flags);
	memset(gone, 0, (size_t)g->ngraph + 1);
	for (j = 0; j < g->ngraph; j++)
		first[j] = last[j] = hnext[j] = -1;
	for (i = 0; i < g->nn; i++) {
		int gid = g->n[i].graph;

		next[i] = held[i] = -1;
		if (last[gid] >= 0)
			next[last[gid]] = (int)i;
		else
			first[gid] = (int)i;
		last[gid] = (int)i;
	}
	for (j = g->ngraph - 1; j >= 0; j--) {
		int h = g->gholder[j];

		if (h >= 0 && g->n[h].graph < j) {      /* holders sit in an enclosing graph */
			hnext[j] = held[h];
			held[h] = j;
		}
	}
	for (j = 0; j < g->ngraph; j++)
		if (g->gholder[j] < 0 || g->n[g->gholder[j]].graph >= j)
			order(g, j, seq, &k, first, next, held, hnext);
	for (i = 0; i < k; i++) {
		struct gp_node *n = &g->n[seq[i]];
		const struct gp_op *op = gp_op_find(n->domain, n->op);

		if (is_dead(g, n->graph, gone))
			continue;
		if (!op || !op->shape) {
			const char *key = gp_arena_printf(&g->s->arena, "%s:%s", n->domain, n->op);

			if (flags & GP_INFER_STRICT)
				gp_die("%s: node '%s': no shape inference for op %s (domain %s)",
				    g->s->src, n->name, n->op, n->domain);
			if (gp_map_put(warned, key, 0) && !(flags & GP_INFER_QUIET))
				gp_warn("%s: no shape inference for op %s (domain %s, first node '%s'): "
				    "its outputs keep their declared shapes", g->s->src, n->op, n->domain,
				    n->name);
			continue;
		}
		gp_op_err[0] = '\0';
		rc = op->shape(g, n);
		if (h)
			rc = h->node(g, n, rc);
		if (rc == -2 && !maybe(g, n, n->graph, gone)) {
			if (h && h->fail(g, seq[i], flags)) {
				gp_map_release(warned);
				return -1;
			}
			gp_die("%s: node '%s' (%s): %s%s", g->s->src, n->name, n->op, gp_op_err,
			    h ? h->why(g) : "");
		}
		if (rc == -1)
			same_dtype(g, n);
	}
	for (i = 0; i < g->ntensor; i++)
		unknown += gp_shape_numel(&g->t[i].shape) < 0 && g->t[i].dtype >= 0;
	gp_map_release(warned);
	return unknown;
}

/* gp_bind replaces the symbolic dim name by value everywhere: in shapes and in
 * the values of shape tensors. Returns how many dims it replaced. */
int
gp_bind(struct gp_graph *g, const char *name, int64_t value)
{
	size_t i;
	int k, count = 0;

	for (i = 0; i < g->ntensor; i++) {
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
