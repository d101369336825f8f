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

/* weights_prec: the precision of the model's multiply-accumulates: the
 * dtype of the weight each MAC op reads (input 1, input 3 of the QLinear
 * ops; input 0's when it reads no weight there), the one holding the most
 * MACs; -1 if the model has no MAC op whose cost and dtype are known. Every
 * node counts, in every graph (both branches of an If); a kernel's cost is
 * the one gp_partition counted. */
static int
weights_prec(struct part *P)
{
	struct gp_graph *g = P->g;
	int64_t macs[GP_PREC_N] = {0};
	size_t i;
	int p, best = -1;

	for (i = 0; i < g->nn; i++) {
		struct gp_node *n = &g->n[i];
		int wi = !strncmp(n->op, "QLinear", 7) ? 3 : 1, t;
		const struct gp_op *op;
		struct gp_cost c;

		if (P->member[i] && (!P->known[i] || P->cost[i].macs <= 0))
			continue;               /* costed already: no MACs */
		op = nop(P, n);
		if (!op || op->cls != GP_C_DENSE)
			continue;
		if (P->member[i])
			c = P->cost[i];
		else if (gp_op_cost(g, n, &c) < 0 || c.overflow)
			continue;
		t = wi < n->nin && n->in[wi] >= 0 ? gp_tensor_root(g, n->in[wi]) : -1;
		if (t < 0 || (g->t[t].kind != GP_K_INIT && g->t[t].kind != GP_K_CONST))
			t = n->nin > 0 ? n->in[0] : -1;
		if (t < 0 || (p = gp_prec_of_dtype(g->t[t].dtype)) < 0)
			continue;
		if (__builtin_add_overflow(macs[p], c.macs, &macs[p]))
			macs[p] = INT64_MAX;
	}
	for (p = 0; p < GP_PREC_N; p++)
		if (macs[p] > 0 && (best < 0 || macs[p] > macs[best]))
			best = p;
	return best;
}

/* bodies counts, for each control node of the main graph (P->bodyk,
 * P->bodyr, which part_collect sums into each subgraph's body_kernels and
 * body_runs), per run of it: the nodes of the bodies that count that would
 * be kernels (P->kernel; a nested control node is one, and adds its own),
 * and the runs of those bodies; an If runs its branch once, a Loop or Scan
 * its body once per trip; -1 unknown (a trip count, or past 64 bits); and
 * their 1-D Conv calls and groups the same way (P->bodyc, P->bodyg), and
 * their GEMMs (P->bodyl).
 * out->bodies says whether any subgraph will have runs, out->convs whether
 * any will have 1-D Conv calls. In a model without control nodes P->bodyk
 * and the rest stay NULL (nothing per node is kept). Graph ids are
 * breadth first, so a body is done before the graph that holds its control
 * node. */
static void
bodies(struct part *P, struct gp_part *out)
{
	struct gp_graph *g = P->g;
	size_t ng = (size_t)g->ngraph + 1, i;
	int64_t *bk, *br, *nk, *nr, *bc, *bg, *nc, *ngr;
	struct gp_im2col *bi, *ni;
	struct gp_glist *bl, *nl;
	int *first, *next;
	int gid, k, j;

	/* a model without control nodes: no per-node counts, only whether it has 1-D Convs */
	for (gid = 1; gid < g->ngraph && g->gholder[gid] < 0; gid++)
		;
	if (gid >= g->ngraph) {
		for (i = 0; i < g->nn && !out->convs; i++)
			out->convs = P->member[i] && conv_generic(P, &g->n[i], &P->cost[i]) != 0;
		return;
	}
	bk = gp_xcalloc(ng, sizeof *bk), br = gp_xcalloc(ng, sizeof *br);
	nk = gp_xcalloc(g->nn + 1, sizeof *nk), nr = gp_xcalloc(g->nn + 1, sizeof *nr);
	bc = gp_xcalloc(ng, sizeof *bc), bg = gp_xcalloc(ng, sizeof *bg);
	nc = gp_xcalloc(g->nn + 1, sizeof *nc), ngr = gp_xcalloc(g->nn + 1, sizeof *ngr);
	bi = gp_xcalloc(ng, sizeof *bi), ni = gp_xcalloc(g->nn + 1, sizeof *ni);
	bl = gp_xcalloc(ng, sizeof *bl), nl = gp_xcalloc(g->nn + 1, sizeof *nl);
	first = gp_xcalloc(ng + 1, sizeof *first), next = gp_xcalloc(g->nn + 1, sizeof *next);

	/* the nodes of each body, as lists */
	for (gid = 0; gid < g->ngraph; gid++)
		first[gid] = -1;
	for (i = g->nn; i-- > 0;)
		if (g->n[i].graph > 0 && g->n[i].graph < g->ngraph) {
			next[i] = first[g->n[i].graph];
			first[g->n[i].graph] = (int)i;
		}
	for (gid = g->ngraph - 1; gid > 0; gid--) {
		int h = g->gholder[gid];

		if (h < 0 || !P->counted[gid])
			continue;
		for (k = first[gid]; k >= 0; k = next[k]) {
			int64_t t;

			if (cls(P, &g->n[k]) != GP_C_CONTROL) {
				struct gp_cost c;
				struct gp_gemm x;
				struct gp_im2col ex;
				int64_t grp;

				bk[gid] = gp_count_add(bk[gid], P->kernel[k]);
				/* a body's nodes are costed with their control node: a Conv's groups here */
				memset(&c, 0, sizeof c);
				if (P->kernel[k] && !strcmp(g->n[k].op, "Conv") && gp_op_cost(g, &g->n[k], &c) == 0 &&
				    (grp = conv_generic(P, &g->n[k], &c)) != 0) {
					bc[gid] = gp_count_add(bc[gid], 1);
					bg[gid] = gp_count_add(bg[gid], grp);
					conv_im2col(P, &g->n[k], &c, &ex);
					im2col_add(&bi[gid], &ex, 1);
					if (conv_gemm(g, &g->n[k], &c, &x))
						glist_add(&bl[gid], &x, 1);
				}
				continue;
			}
			/* a nested control node: dispatched itself, then its bodies */
			t = strcmp(g->n[k].op, "If") ? gp_loop_trips(g, &g->n[k]) : 1;
			bk[gid] = gp_count_add(gp_count_mul(t, nk[k]), gp_count_add(bk[gid], 1));
			br[gid] = gp_count_add(gp_count_mul(t, nr[k]), br[gid]);
			bc[gid] = gp_count_add(gp_count_mul(t, nc[k]), bc[gid]);
			bg[gid] = gp_count_add(gp_count_mul(t, ngr[k]), bg[gid]);
			im2col_add(&bi[gid], &ni[k], t);
			for (j = 0; j < nl[k].n; j++)
				glist_add(&bl[gid], &nl[k].v[j], t);
		}
		/* the holder runs this body once per its trip */
		nk[h] = gp_count_add(nk[h], bk[gid]);
		nr[h] = gp_count_add(nr[h], gp_count_add(br[gid], 1));
		nc[h] = gp_count_add(nc[h], bc[gid]);
		ngr[h] = gp_count_add(ngr[h], bg[gid]);
		im2col_add(&ni[h], &bi[gid], 1);
		for (j = 0; j < bl[gid].n; j++)
			glist_add(&nl[h], &bl[gid].v[j], 1);
	}
	/* per run of each control node of the main graph that is a kernel */
	for (i = 0; i < g->nn; i++) {
		int64_t t;

		if (!P->member[i])
			continue;
		if (cls(P, &g->n[i]) != GP_C_CONTROL) {
			out->convs |= conv_generic(P, &g->n[i], &P->cost[i]) != 0;
			continue;
		}
		t = strcmp(g->n[i].op, "If") ? gp_loop_trips(g, &g->n[i]) : 1;
		nk[i] = gp_count_mul(t, nk[i]);
		nr[i] = gp_count_mul(t, nr[i]);
		nc[i] = gp_count_mul(t, nc[i]);
		ngr[i] = gp_count_mul(t, ngr[i]);
		{
			struct gp_im2col one = ni[i];

			memset(&ni[i], 0, sizeof ni[i]);
			im2col_add(&ni[i], &one, t);
		}
		for (j = 0; j < nl[i].n; j++)
			nl[i].v[j].b = gp_count_mul(t, nl[i].v[j].b);
		out->bodies |= nr[i] != 0;
		out->convs |= nc[i] != 0;
	}
	P->bodyk = nk;
	P->bodyr = nr;
	P->bodyc = nc;
	P->bodyg = ngr;
	P->bodyi = ni;
	P->bodyl = nl;
	for (i = 0; i < ng; i++)
		free(bl[i].v);
	free(bl);
	free(bk);
	free(br);
	free(bc);
	free(bg);
	free(bi);
	free(first);
	free(next);
}

void
gp_partition(struct gp_graph *g, const struct gp_part_opts *o, struct gp_part *out, gp_part_emit *emit,
    void *arg)
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
	P.member = gp_xcalloc(nn, 1);
	P.kernel = gp_xcalloc(nn, 1);
	P.counted = gp_xcalloc((size_t)g->ngraph + 1, 1);
	P.cost = gp_xcalloc(nn, sizeof *P.cost);
	P.known = gp_xcalloc(nn, 1);
	P.grp = gp_xcalloc(nn, sizeof *P.grp);
	P.next = gp_xcalloc(nn, sizeof *P.next);
	P.first = gp_xcalloc(nn, sizeof *P.first);
	P.last = gp_xcalloc(nn, sizeof *P.last);
	P.ext = gp_xcalloc(nn, sizeof *P.ext);
	P.att = gp_xcalloc(nn, 1);
	P.mark = gp_xcalloc(nn, sizeof *P.mark);
	P.folded = gp_xcalloc(nn, 1);
	P.shapeof = gp_xcalloc(nt, 1);
	P.opx = gp_xcalloc(nn, sizeof *P.opx);
	for (i = 0; i < g->nn; i++) {
		const struct gp_op *op = gp_op_find(g->n[i].domain, g->n[i].op);

		P.opx[i] = op ? (uint16_t)(gp_op_index(op) + 1) : 0;
	}
	for (i = 0; i < g->nn; i++)
		P.grp[i] = P.next[i] = -1;
	part_scan(&P);
	free(P.shapeof);                /* the scan's alone: its memory goes to what follows */
	P.shapeof = NULL;
	part_consumers(&P);
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
	/* the grouping's alone: their memory goes to the subgraphs' records */
	free(P.last);
	free(P.ext);
	free(P.mark);
	free(P.cand);
	P.last = P.mark = P.cand = NULL;
	P.ext = NULL;
	rank = gp_xcalloc((size_t)P.ngrp + 1, sizeof *rank);
	part_order(&P, rank);
	bodies(&P, out);
	out->reorders = part_nchwc(&P, rank);
	for (i = 0; i < g->nn; i++)
		if (P.member[i]) {
			out->rows |= P.cost[i].rows > 0;
			out->copies |= P.cost[i].copy != 0;
		}
	part_collect(&P, out, rank, emit, arg);
	out->weights_prec = weights_prec(&P);
	out->folded_macs = P.folded_macs;
	out->shape_nodes = P.shape_nodes;
	out->view_nodes = P.view_nodes;
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
	free(P.opx);
	free(P.shapeof);
	free(P.bodyk);
	free(P.bodyr);
	free(P.bodyc);
	free(P.bodyg);
	free(P.bodyi);
	free(P.reo);
	for (i = 0; P.bodyl && i < g->nn; i++)
		free(P.bodyl[i].v);
	free(P.bodyl);
}

void
gp_part_release(struct gp_part *p)
{
	free(p->node_sg);
	free(p->br);
	memset(p, 0, sizeof *p);
}
