/* op-control.c - the control-flow ops If, Loop and Scan: their shape functions and their
 * cost, that of their bodies
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* gp_if_taken: the branch If node n takes when its condition's value is
 * known (a constant, or computed from shapes): 1 then, 0 else; -1 if not known. */
int
gp_if_taken(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *c = gp_node_in(g, n, 0);

	if (!c || c->nval != 1)
		return -1;
	if (c->iv)
		return c->iv[0].known ? c->iv[0].v != 0 : -1;
	return c->fv ? c->fv[0] != 0 : -1;
}

/* The outputs of If, Loop and Scan are those of their bodies: If's the
 * branch its condition takes when its value is known, else the branches'
 * where they agree (a dim that differs is unknown), Loop's
 * loop-carried values as the body leaves them and its scan outputs stacked
 * over the trip count, Scan's likewise. */
int
gp_opshape_if(struct gp_graph *g, struct gp_node *n)
{
	int t = gp_node_graph(g, n, "then_branch"), e = gp_node_graph(g, n, "else_branch"), i, k;
	int taken = gp_if_taken(g, n);

	if (taken >= 0)
		t = e = taken ? t : e;
	if (t < 0 || e < 0 || g->ngout[t] != n->nout || g->ngout[e] != n->nout)
		return -1;
	for (i = 0; i < n->nout; i++) {
		struct gp_tensor *a = g->gout[t][i] >= 0 ? &g->t[g->gout[t][i]] : NULL;
		struct gp_tensor *b = g->gout[e][i] >= 0 ? &g->t[g->gout[e][i]] : NULL;
		struct gp_dim d[64];

		if (!a || !b || rank(a) < 0 || rank(a) != rank(b) || rank(a) > 64)
			continue;
		for (k = 0; k < rank(a); k++)
			d[k] = same(a->shape.d[k], b->shape.d[k]) ? a->shape.d[k] : unk;
		gp_set_out(g, n, i, a->dtype == b->dtype ? a->dtype : 0, rank(a), d);
	}
	return 0;
}

/* Loop, Scan: the loop-carried outputs as the body's, the scan outputs with a
 * leading dim of the trip count (unknown when gp_loop_trips cannot tell) */
int
gp_opshape_loop(struct gp_graph *g, struct gp_node *n)
{
	int b = gp_node_graph(g, n, "body"), scan = !strcmp(n->op, "Scan"), i, k, carried;
	int64_t trips = gp_loop_trips(g, n), m = 0, *oax;
	int noax = scan ? gp_attr_ints(A, n, "scan_output_axes", &oax) : -1;

	if (b < 0)
		return -1;
	if (scan) {
		if (gp_attr_int(n, "num_scan_inputs", &m) < 0 || m < 0 || m > n->nin)
			return -1;
		carried = n->nin - (int)m;
		if (g->ngout[b] != n->nout)
			return -1;
	} else {
		carried = n->nin - 2;
		if (carried < 0 || g->ngout[b] != n->nout + 1)
			return -1;
	}
	for (i = 0; i < n->nout; i++) {
		int bo = g->gout[b][scan ? i : i + 1];
		struct gp_tensor *t = bo >= 0 ? &g->t[bo] : NULL;
		struct gp_dim d[65];

		if (!t || rank(t) < 0 || rank(t) > 63)
			continue;
		if (i < carried) {
			gp_set_out(g, n, i, t->dtype, rank(t), t->shape.d);
			continue;
		}
		/* scan outputs are stacked on axis 0 unless scan_output_axes says
		 * otherwise: then gp does not guess */
		if (noax > 0)
			for (k = 0; k < noax; k++)
				if (oax[k] != 0)
					goto next;
		d[0] = trips >= 0 ? dk(trips) : unk;
		for (k = 0; k < rank(t); k++)
			d[k + 1] = t->shape.d[k];
		gp_set_out(g, n, i, t->dtype, rank(t) + 1, d);
next:		;
	}
	return 0;
}

/* The nodes of graph gid, costed one by one through g->op_cost (a nested If,
 * Loop or Scan by its own cost function): 0 with c's macs and flops summed,
 * -1 when one of them is unknown. */
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
		if (g->op_cost(g, &g->n[i], &b) < 0)
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
