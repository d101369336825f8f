/* partition.c - split a graph into the subgraphs that run as kernels
 *
 * Unfused, every node that computes or moves data is a subgraph of its own;
 * nodes that do neither (Identity, Dropout, Shape, Size, Constant, and nodes
 * whose inputs are all constants, folded before the model runs) are none, and
 * the views (Reshape, Flatten, Squeeze, Unsqueeze) are free: a subgraph that
 * reads a view reads the tensor it views. Fused (gp-partition --fuse), nodes
 * are merged as an inference compiler does: BatchNormalization folded into the
 * Conv or Gemm before it, element-wise ops into the kernel whose output they
 * read (bias, activation, residual Add), element-wise ops and row reductions
 * into one kernel (a decomposed LayerNorm or Softmax), and attention's
 * MatMul-scale-mask-Softmax-MatMul into one kernel whose score matrix never
 * leaves the chip (as flash attention runs it), never making a cycle.
 * A tensor that only its own subgraph reads costs no bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "partition.h"

static int
is_weight_dtype(int dt)
{
	/* floating and 8/4-bit integer tensors are parameters; other integers are
	 * shape and index arguments */
	return gp_dtype_isfloat(dt) || dt == 2 || dt == 3 || dt == 21 || dt == 22;
}

/* holder: the main-graph node whose attribute holds graph gid (at any depth) */
static int
holder(struct part *P, int gid, const int *top)
{
	while (gid > 0 && P->g->gparent[gid] > 0)
		gid = P->g->gparent[gid];
	return gid > 0 ? top[gid] : -1;
}

/* shape_source: a Shape or Size of an activation (src, its input's root) makes
 * a tensor a runtime computes at run time (gp folds it: it knows the shape) */
static void
shape_source(struct part *P, const struct gp_node *n, int src)
{
	int j;

	if (strcmp(n->op, "Shape") && strcmp(n->op, "Size")) {
		/* a view of such a tensor (an Unsqueeze of a shape) is run too */
		if (src >= 0 && P->shapeof[src] && gp_op_passes(n))
			P->shape_nodes++;
		return;
	}
	if (src < 0 || P->isconst[src])
		return;
	P->shape_nodes++;
	for (j = 0; j < n->nout; j++)
		if (n->out[j] >= 0)
			P->shapeof[n->out[j]] = 1;
}

/* shape_follow: a node gp folds that reads such a tensor is one more such node */
static void
shape_follow(struct part *P, const struct gp_node *n)
{
	int j, any = 0;

	for (j = 0; j < n->nin; j++)
		if (n->in[j] >= 0 && (P->shapeof[n->in[j]] || P->shapeof[P->root[n->in[j]]]))
			any = 1;
	if (!any)
		return;
	P->shape_nodes++;
	for (j = 0; j < n->nout; j++)
		if (n->out[j] >= 0)
			P->shapeof[n->out[j]] = 1;
}

/* counted marks the bodies whose cost counts: those of the control nodes of
 * the main graph, and of the control nodes in them, an If's branch as
 * gp_cost_control chose it (both when its cost is not known); and records
 * each If it meets. Graph ids are breadth first: a body's holder is met first. */
static void
counted(struct part *P)
{
	struct gp_graph *g = P->g;
	int gid;

	P->br = gp_xcalloc((size_t)g->ngraph + 1, sizeof *P->br);
	for (gid = 1; gid < g->ngraph; gid++) {
		int h = g->gholder[gid], up, known;
		struct gp_node *n;
		struct gp_cost c;

		if (h < 0)
			continue;
		n = &g->n[h];
		up = n->graph;
		if (up == 0 ? !P->member[h] : up >= gid || !P->counted[up])
			continue;
		if (strcmp(n->op, "If") != 0) {
			P->counted[gid] = 1;
			continue;
		}
		known = gp_op_cost(g, n, &c) == 0;
		if (gp_node_graph(g, n, "then_branch") == gid) {
			struct gp_branch *b = &P->br[P->nbr++];

			b->node = h;
			b->branch = c.branch;
			b->cond = c.cond;
			b->flops = c.branch && known ? c.flops : -1;
			b->alt_flops = c.branch && known && !c.cond ? c.alt_flops : -1;
		}
		P->counted[gid] = !c.branch ||
		    gp_node_graph(g, n, c.branch == 1 ? "then_branch" : "else_branch") == gid;
	}
}

/* classify every main-graph node; resolve views; gather consumers */
static void
scan(struct part *P)
{
	struct gp_graph *g = P->g;
	size_t i, k;
	int *top = gp_xcalloc((size_t)g->ngraph + 1, sizeof *top), *cnt;
	int j, total;

	for (i = 0; i < g->ntensor; i++) {
		P->root[i] = (int)i;
		P->isconst[i] = g->t[i].kind == GP_K_INIT || g->t[i].kind == GP_K_CONST;
	}
	for (j = 0; j < g->ngraph; j++)
		top[j] = g->gholder[j] >= 0 && g->n[g->gholder[j]].graph == 0 ? g->gholder[j] : -1;
	for (i = 0; i < g->nn; i++) {
		struct gp_node *n = &g->n[i];
		enum gp_class c = cls(n);
		int allconst = 1;

		for (j = 0; j < n->nin; j++)
			if (n->in[j] >= 0 && !P->isconst[P->root[n->in[j]]])
				allconst = 0;
		if (n->graph != 0) {
			/* in a body: views and constants only, for the weights it reads */
			P->kernel[i] = !(c == GP_C_FREE || c == GP_C_VIEW || c == GP_C_CONTROL ||
			    (allconst && c != GP_C_UNKNOWN));
			if (P->kernel[i] && c != GP_C_FREE && c != GP_C_VIEW)
				continue;
		}
		if (c == GP_C_FREE || c == GP_C_VIEW) {
			/* Identity, Dropout and the views pass input 0 on; Shape, Size
			 * and Constant make constants */
			int src = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;
			int pass = gp_op_passes(n);

			shape_source(P, n, src);

			for (j = 0; j < n->nout; j++) {
				if (n->out[j] < 0)
					continue;
				if (pass && j == 0 && src >= 0) {
					P->root[n->out[j]] = src;
					P->isconst[n->out[j]] = P->isconst[src];
					P->shapeof[n->out[j]] = P->shapeof[src];
				} else {
					P->isconst[n->out[j]] = 1;
				}
			}
			continue;
		}
		if (allconst && c != GP_C_UNKNOWN && c != GP_C_CONTROL) {
			struct gp_cost fc;

			shape_follow(P, n);

			for (j = 0; j < n->nout; j++)
				if (n->out[j] >= 0)
					P->isconst[n->out[j]] = 1;
			if (n->graph != 0)
				continue;
			/* computed once, before the model runs: counted apart */
			if (c != GP_C_FREE && c != GP_C_VIEW && gp_op_cost(g, n, &fc) == 0 && !fc.overflow &&
			    (__builtin_add_overflow(P->folded_macs, fc.macs, &P->folded_macs) ||
			    __builtin_add_overflow(P->folded_flops, fc.flops, &P->folded_flops)))
				gp_die("%s: the folded FLOP count overflows 64 bits", g->s->src);
			continue;
		}
		if (n->graph == 0)
			P->member[i] = 1;
	}
	counted(P);
	/* outer-scope reads of the bodies of control nodes, and the weights of
	 * the bodies that count */
	cnt = gp_xcalloc(g->nn + 1, sizeof *cnt);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < g->nn; i++) {
			struct gp_node *n = &g->n[i];
			int h = n->graph ? holder(P, n->graph, top) : -1;

			if (h < 0 || !P->member[h])
				continue;
			for (j = 0; j < n->nin; j++) {
				int t = n->in[j] >= 0 ? P->root[n->in[j]] : -1;

				if (t < 0)
					continue;
				/* a weight is read where its kernel runs, in a body that counts */
				if (P->isconst[t] ? !P->counted[n->graph] || !P->kernel[i] : g->t[t].graph != 0)
					continue;
				if (k)
					P->extra[P->extra0[h] + cnt[h]] = t;
				cnt[h]++;
			}
		}
		if (!k) {
			for (i = 0, total = 0; i < g->nn; i++) {
				P->extra0[i] = total;
				total += cnt[i];
				cnt[i] = 0;
			}
			P->extra0[g->nn] = total;
			P->extra = gp_xcalloc((size_t)total + 1, sizeof *P->extra);
		}
	}
	free(cnt);
	free(top);
	/* graph outputs, after views */
	for (i = 0; i < g->ntensor; i++)
		if (g->t[i].graph == 0 && g->t[i].kind == GP_K_OUTPUT)
			P->escapes[P->root[i]] = 1;
}

/* reads: the tensors node i reads (roots), its inputs then its bodies' outer
 * reads, with *cnt set to their count; valid until the next call */
int *
part_reads(struct part *P, size_t i, int *cnt)
{
	struct gp_node *n = &P->g->n[i];
	size_t need = (size_t)n->nin + (size_t)(P->extra0[i + 1] - P->extra0[i]) + 1;
	int j, k = 0;

	if (need > P->rcap) {
		P->rcap = need * 2;
		P->rbuf = gp_xreallocarray(P->rbuf, P->rcap, sizeof *P->rbuf);
	}
	for (j = 0; j < n->nin; j++)
		if (n->in[j] >= 0)
			P->rbuf[k++] = P->root[n->in[j]];
	for (j = P->extra0[i]; j < P->extra0[i + 1]; j++)
		P->rbuf[k++] = P->extra[j];
	*cnt = k;
	return P->rbuf;
}

/* consumers: the CSR lists P->cons0/P->cons of the member nodes that read
 * each tensor (its root), counted in one pass and filled in a second */
static void
consumers(struct part *P)
{
	struct gp_graph *g = P->g;
	size_t i;
	int *cnt = gp_xcalloc(g->ntensor + 1, sizeof *cnt), *rd, nr, j, pass, total;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < g->nn; i++) {
			if (!P->member[i])
				continue;
			rd = part_reads(P, i, &nr);
			for (j = 0; j < nr; j++) {
				if (pass)
					P->cons[P->cons0[rd[j]] + cnt[rd[j]]] = (int)i;
				cnt[rd[j]]++;
			}
		}
		if (!pass) {
			for (i = 0, total = 0; i < g->ntensor; i++) {
				P->cons0[i] = total;
				total += cnt[i];
				cnt[i] = 0;
			}
			P->cons0[g->ntensor] = total;
			P->cons = gp_xcalloc((size_t)total + 1, sizeof *P->cons);
		}
	}
	free(cnt);
}


void
gp_partition(struct gp_graph *g, const struct gp_part_opts *o, struct gp_part *out)
{
	struct part P;
	size_t i, nn = g->nn + 1, nt = g->ntensor + 1;
	int k, *rank;

	memset(out, 0, sizeof *out);
	memset(&P, 0, sizeof P);
	P.g = g;
	P.o = o;
	P.root = gp_xcalloc(nt, sizeof *P.root);
	P.isconst = gp_xcalloc(nt, 1);
	P.escapes = gp_xcalloc(nt, 1);
	P.cons0 = gp_xcalloc(nt + 1, sizeof *P.cons0);
	P.extra0 = gp_xcalloc(nn + 1, sizeof *P.extra0);
	P.member = gp_xcalloc(nn, sizeof *P.member);
	P.kernel = gp_xcalloc(nn, 1);
	P.counted = gp_xcalloc((size_t)g->ngraph + 1, 1);
	P.cost = gp_xcalloc(nn, sizeof *P.cost);
	P.known = gp_xcalloc(nn, sizeof *P.known);
	P.grp = gp_xcalloc(nn, sizeof *P.grp);
	P.next = gp_xcalloc(nn, sizeof *P.next);
	P.first = gp_xcalloc(nn, sizeof *P.first);
	P.last = gp_xcalloc(nn, sizeof *P.last);
	P.ext = gp_xcalloc(nn, sizeof *P.ext);
	P.att = gp_xcalloc(nn, 1);
	P.mark = gp_xcalloc(nn, sizeof *P.mark);
	P.folded = gp_xcalloc(nn, 1);
	P.shapeof = gp_xcalloc(nt, 1);
	for (i = 0; i < g->nn; i++)
		P.grp[i] = P.next[i] = -1;
	scan(&P);
	consumers(&P);
	{
		size_t most = 1;

		for (i = 0; i < g->nn; i++) {
			size_t r = (size_t)g->n[i].nin + (size_t)(P.extra0[i + 1] - P.extra0[i]);

			if (r > most)
				most = r;
		}
		P.cand = gp_xcalloc(most + 1, sizeof *P.cand);
	}
	for (i = 0; i < g->nn; i++) {
		int rc;

		if (!P.member[i])
			continue;
		rc = gp_op_cost(g, &g->n[i], &P.cost[i]);
		if (P.cost[i].overflow)
			gp_die("%s: node '%s' (%s): its FLOP count overflows 64 bits", g->s->src,
			    g->n[i].name, g->n[i].op);
		P.known[i] = rc == 0;
	}
	part_group(&P);
	rank = gp_xcalloc((size_t)P.ngrp + 1, sizeof *rank);
	part_order(&P, rank);
	part_collect(&P, out, rank);
	out->folded_macs = P.folded_macs;
	out->shape_nodes = P.shape_nodes;
	out->folded_flops = P.folded_flops;
	out->node_sg = gp_xcalloc(nn, sizeof *out->node_sg);
	for (i = 0; i < g->nn; i++)
		out->node_sg[i] = P.grp[i] >= 0 ? rank[P.grp[i]] + 1 : 0;
	free(rank);
	/* the model's weights: every initializer and Constant, once; the running
	 * mean and variance of a BatchNormalization are buffers, not parameters */
	memset(P.escapes, 0, nt);
	for (i = 0; i < g->nn; i++)
		if (!strcmp(g->n[i].op, "BatchNormalization") && g->n[i].nin >= 5)
			for (k = 3; k < 5; k++)
				if (g->n[i].in[k] >= 0)
					P.escapes[g->n[i].in[k]] = 1;
	for (i = 0; i < g->ntensor; i++) {
		struct gp_tensor *t = &g->t[i];
		int64_t e = numel(t), b;
		int64_t *cnt = P.escapes[i] ? &out->buffers : &out->params;

		if ((t->kind != GP_K_INIT && t->kind != GP_K_CONST) || !is_weight_dtype(t->dtype) || e < 0)
			continue;
		b = tbytes(&P, t, -1);
		if (__builtin_add_overflow(*cnt, e, cnt) || b < 0 ||
		    __builtin_add_overflow(out->weight_bytes, b, &out->weight_bytes))
			gp_die("%s: the weight count overflows 64 bits", g->s->src);
	}
	free(P.rbuf);
	free(P.cand);
	free(P.root);
	free(P.isconst);
	free(P.escapes);
	free(P.cons);
	free(P.cons0);
	free(P.extra);
	free(P.extra0);
	free(P.member);
	free(P.kernel);
	free(P.counted);
	out->br = P.br;
	out->nbr = P.nbr;
	free(P.cost);
	free(P.known);
	free(P.grp);
	free(P.next);
	free(P.first);
	free(P.last);
	free(P.ext);
	free(P.att);
	free(P.mark);
	free(P.folded);
	free(P.shapeof);
}

void
gp_part_release(struct gp_part *p)
{
	free(p->sg);
	free(p->node_sg);
	free(p->br);
	memset(p, 0, sizeof *p);
}
