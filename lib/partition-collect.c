/* partition-collect.c - the groups of nodes in a topological order, made into subgraph records: lists, bytes, costs */
#include <stdlib.h>
#include <string.h>

#include "partition.h"

/* a list of tensors, deduplicated */
struct tlist {
	int *v;
	int n, cap;
	int64_t *elems;             /* elements read, -1 all */
};

static void
tl_add(struct tlist *l, int t, int64_t elems)
{
	int k;

	for (k = 0; k < l->n; k++) {
		if (l->v[k] == t) {
			if (l->elems[k] >= 0 && (elems < 0 || elems > l->elems[k]))
				l->elems[k] = elems;
			return;
		}
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = gp_xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
		l->elems = gp_xreallocarray(l->elems, (size_t)l->cap, sizeof *l->elems);
	}
	l->v[l->n] = t;
	l->elems[l->n++] = elems;
}

/* the bytes of l's tensors: all of them, or (inputs) only the main graph's
 * inputs and views of them; -1 when one is not known */
static int64_t
sum_bytes(struct part *P, const struct tlist *l, int inputs)
{
	int64_t s = 0, b;
	int k;

	for (k = 0; k < l->n; k++) {
		const struct gp_tensor *r = &P->g->t[P->root[l->v[k]]];

		if (inputs && (r->graph != 0 || r->kind != GP_K_INPUT))
			continue;
		b = tbytes(P, &P->g->t[l->v[k]], l->elems[k]);
		if (b < 0)
			return -1;
		if (__builtin_add_overflow(s, b, &s))
			gp_die("%s: byte count overflows 64 bits", P->g->s->src);
	}
	return s;
}

/* the elements and bytes of the floating tensors of l: what a precision change scales */
static void
float_sums(struct part *P, const struct tlist *l, int64_t *elems, int64_t *bytes)
{
	int64_t e = 0, b = 0, x, y;
	int k;

	for (k = 0; k < l->n; k++) {
		const struct gp_tensor *t = &P->g->t[l->v[k]];

		if (!gp_dtype_isfloat(t->dtype))
			continue;
		x = l->elems[k] >= 0 ? l->elems[k] : numel(t);
		y = tbytes(P, t, l->elems[k]);
		if (x < 0 || y < 0) {
			*elems = *bytes = -1;
			return;
		}
		if (__builtin_add_overflow(e, x, &e) || __builtin_add_overflow(b, y, &b))
			gp_die("%s: byte count overflows 64 bits", P->g->s->src);
	}
	*elems = e;
	*bytes = b;
}

/* geometry: the matrix products of group G's multiply-accumulate nodes into
 * s (docs/counting.md, "The GEMM view"); none when it has no such node,
 * unknown when one of them has none gp can tell */
static void
geometry(struct part *P, int G, struct gp_sub *s)
{
	struct gp_gemm v[GP_GEMM_MAX];
	int m, n = 0, k;

	s->gemm = NULL;
	s->ngemm = 0;
	for (m = P->first[G]; m >= 0; m = P->next[m]) {
		if (cls(P, &P->g->n[m]) != GP_C_DENSE || P->folded[m])
			continue;
		k = n < 0 ? -1 : gp_node_gemms(P->g, &P->g->n[m], v + n, GP_GEMM_MAX - n);
		n = k < 0 ? -1 : n + k;
	}
	s->ngemm = n;
	if (n > 0) {
		s->gemm = gp_arena_alloc(&P->g->s->arena, (size_t)n * sizeof *s->gemm);
		memcpy(s->gemm, v, (size_t)n * sizeof *v);
	}
}

/* copy_list copies l's tensors to v; returns where the next list goes */
static int *
copy_list(int *v, const struct tlist *l)
{
	if (l->n)
		memcpy(v, l->v, (size_t)l->n * sizeof *v);
	return v + l->n;
}

static int64_t
sat_add(struct part *P, int64_t a, int64_t b, const char *what, const struct gp_node *n)
{
	int64_t r;

	if (a < 0 || b < 0)
		return -1;
	if (__builtin_add_overflow(a, b, &r))
		gp_die("%s: subgraph at node '%s': %s overflows 64 bits", P->g->s->src, n->name, what);
	return r;
}

/* lead: the member whose parallelism is the subgraph's: its multiply-
 * accumulate node if it has one, else the one with the largest output */
static int
lead(struct part *P, int G)
{
	int m, best = P->first[G];
	int64_t most = -1, e;

	for (m = P->first[G]; m >= 0; m = P->next[m]) {
		if (cls(P, &P->g->n[m]) == GP_C_DENSE)
			return m;
		if ((e = part_main_numel(P, m)) > most) {
			most = e;
			best = m;
		}
	}
	return best;
}

/* family: the kind of a subgraph: attention (scores, Softmax and the
 * weighted sum in one), its multiply-accumulate node's, a LayerNorm or
 * Softmax (one node, or written out in element-wise ops and reductions) that
 * element-wise ops lead into, else its first node's; *kc its class, from the
 * op table (docs/format.md, `class`): none for attention and a matrix
 * kernel, a row kernel for a LayerNorm or Softmax, else its first node's
 * (a view or free node's copy data movement, an element-wise op that
 * computes nothing, such as Cast, too), an element-wise kernel
 * transcendental when any of its ops is */
static const char *
family(struct part *P, int G, int *kc)
{
	int m, red = 0, mean = 0, root = 0, div = 0, ex = 0, sum = 0, trans = 0;
	const char *norm = NULL;
	const struct gp_node *f = &P->g->n[P->first[G]];
	const struct gp_op *op;

	*kc = GP_KC_OTHER;
	if (P->att[G] == 3)
		return "attention";
	for (m = P->first[G]; m >= 0; m = P->next[m]) {
		const struct gp_node *n = &P->g->n[m];

		op = nop(P, n);
		if (op && op->cls == GP_C_DENSE)
			return P->cost[m].kind;
		trans |= op && (op->flags & GP_OP_TRANS);
		if (!norm && m != P->first[G] && (!strcmp(n->op, "LayerNormalization") || !strcmp(n->op, "Softmax")))
			norm = P->cost[m].kind;
		red += !strncmp(n->op, "Reduce", 6);
		mean += !strcmp(n->op, "ReduceMean");
		root += !strcmp(n->op, "Sqrt") || !strcmp(n->op, "Pow") || !strcmp(n->op, "Reciprocal");
		div += !strcmp(n->op, "Div") || !strcmp(n->op, "Reciprocal");
		ex += !strcmp(n->op, "Exp");
		sum += !strcmp(n->op, "ReduceSum");
	}
	*kc = GP_KC_ROW;
	if (mean >= 2 && root && div)
		return "layernorm";
	if (ex && sum && div && red)
		return "softmax";
	if (norm)
		return norm;
	op = nop(P, f);
	switch (op ? op->cls : GP_C_UNKNOWN) {
	case GP_C_ELEM:
		*kc = !op->fpe ? GP_KC_MOVE : trans ? GP_KC_TRANSCENDENTAL : GP_KC_ELEMENTWISE;
		break;
	case GP_C_ROW:
		*kc = GP_KC_ROW;
		break;
	case GP_C_POOL:
		*kc = GP_KC_POOL;
		break;
	case GP_C_MOVE:
	case GP_C_VIEW:
	case GP_C_FREE:
		*kc = GP_KC_MOVE;
		break;
	default:
		*kc = GP_KC_OTHER;
	}
	return P->cost[P->first[G]].kind;
}

/* deps walks every dependency of a group on another (it reads what the
 * other wrote, a constant aside), as ranks from rank[]: with edge NULL it
 * says whether one goes from a larger rank to a smaller (1 at the first),
 * else it appends each to *edge as (from, to), growing it, and returns 0. */
static int
deps(struct part *P, const int *rank, size_t **edge, size_t *ne, size_t *cap)
{
	struct gp_graph *g = P->g;
	int k, m, j, nr, *rd;

	for (k = 0; k < P->ngrp; k++)
		for (m = P->first[k]; m >= 0; m = P->next[m]) {
			rd = part_reads(P, (size_t)m, &nr);
			for (j = 0; j < nr; j++) {
				int p = g->t[rd[j]].producer, H = p >= 0 ? P->grp[p] : -1;

				if (H < 0 || H == k || P->isconst[rd[j]])
					continue;
				if (!edge) {
					if (rank[H] > rank[k])
						return 1;
					continue;
				}
				if (*ne == *cap) {
					*cap *= 2;
					*edge = gp_xreallocarray(*edge, 2 * *cap, sizeof **edge);
				}
				(*edge)[2 * *ne] = (size_t)rank[H];
				(*edge)[2 * *ne + 1] = (size_t)rank[k];
				(*ne)++;
			}
		}
	return 0;
}

/* order: number the groups in a topological order of the subgraph DAG (a
 * node joining an earlier group can make it read a later one's output),
 * smallest first node first; rank[G] is G's place. The groups are numbered
 * by their first nodes for gp_topo_order (topo.c), whose smallest ready item
 * goes first: when every edge already goes from a smaller number to a larger
 * (the common case), that order is the numbering itself, and no edge is
 * kept. */
void
part_order(struct part *P, int *rank)
{
	struct gp_graph *g = P->g;
	size_t G = (size_t)P->ngrp, ne = 0, cap = 64, i, k, *grp, *edge, *order;

	/* rank[G]: G's place among the groups by first node, to start with */
	{
		int *byfirst = gp_xcalloc(g->nn + 1, sizeof *byfirst), n = 0;

		for (k = 0; k < G; k++)
			byfirst[P->first[k]] = (int)k + 1;   /* 0: no group starts there */
		for (i = 0; i < g->nn; i++)
			if (byfirst[i])
				rank[byfirst[i] - 1] = n++;
		free(byfirst);
	}
	if (!deps(P, rank, NULL, NULL, NULL))
		return;
	grp = gp_xcalloc(G + 1, sizeof *grp);
	order = gp_xcalloc(G + 1, sizeof *order);
	for (k = 0; k < G; k++)
		grp[rank[k]] = k;
	edge = gp_xcalloc(2 * cap, sizeof *edge);
	deps(P, rank, &edge, &ne, &cap);
	if (gp_topo_order(G, edge, ne, order) < G)
		gp_die("%s: the subgraphs make a cycle (a gp bug: please report it)", g->s->src);
	for (i = 0; i < G; i++)
		rank[grp[order[i]]] = (int)i;
	free(grp);
	free(edge);
	free(order);
}

/* make the subgraph records of the groups */
void
part_collect(struct part *P, struct gp_part *out, const int *rank, gp_part_emit *emit, void *arg)
{
	struct gp_graph *g = P->g;
	struct tlist in = {0}, w = {0}, o = {0};
	struct gp_buf ops = {0};
	struct gp_glist cg = {0};               /* its 1-D Convs' GEMMs */
	struct gp_sub sub, *s = &sub;
	int G, r, m, j, k, *rd, nr, *v = NULL, *byrank;
	size_t nv = 0;
	int64_t grp;

	out->nsg = P->ngrp;
	byrank = gp_xcalloc((size_t)P->ngrp + 1, sizeof *byrank);
	for (G = 0; G < P->ngrp; G++)
		byrank[rank[G]] = G;
	for (r = 0; r < P->ngrp; r++) {
		int nm = 0;

		G = byrank[r];
		memset(s, 0, sizeof *s);
		in.n = w.n = o.n = cg.n = 0;
		gp_buf_reset(&ops);
		s->id = rank[G] + 1;
		s->anchor = P->first[G];
		s->c = P->cost[lead(P, G)];
		s->c.kind = family(P, G, &s->kcls);
		s->c.macs = s->c.flops = 0;
		s->known = 1;
		for (m = P->first[G]; m >= 0; m = P->next[m]) {
			struct gp_node *n = &g->n[m];
			struct gp_cost *c = &P->cost[m];

			nm++;
			if (cls(P, n) == GP_C_CONTROL && P->bodyk) {
				s->body_kernels = gp_count_add(s->body_kernels, P->bodyk[m]);
				s->body_runs = gp_count_add(s->body_runs, P->bodyr[m]);
				s->conv_calls = gp_count_add(s->conv_calls, P->bodyc[m]);
				s->conv_groups = gp_count_add(s->conv_groups, P->bodyg[m]);
				im2col_add(&s->im2col, &P->bodyi[m], 1);
				for (j = 0; j < P->bodyl[m].n; j++)
					glist_add(&cg, &P->bodyl[m].v[j], 1);
			} else if ((grp = conv_generic(P, n, c)) != 0) {
				struct gp_gemm x;
				struct gp_im2col ex;

				s->conv_calls = gp_count_add(s->conv_calls, 1);
				s->conv_groups = gp_count_add(s->conv_groups, grp);
				conv_im2col(P, n, c, &ex);
				im2col_add(&s->im2col, &ex, 1);
				if (conv_gemm(g, n, c, &x))
					glist_add(&cg, &x, 1);
			}
			if (P->reo) {
				s->reorders.n = gp_count_add(s->reorders.n, P->reo[m].n);
				s->reorders.in = gp_count_add(s->reorders.in, P->reo[m].in);
				s->reorders.out = gp_count_add(s->reorders.out, P->reo[m].out);
			}
			/* its rows: those of its widest normalization or reduction
			 * (a LayerNorm written out reduces its rows twice) */
			if (c->rows > s->c.rows)
				s->c.rows = c->rows;
			if (ops.len)
				gp_buf_addc(&ops, '+');
			gp_buf_adds(&ops, n->op);
			if (!P->known[m])
				s->known = 0;
			if (P->folded[m]) {
				/* a folded BatchNormalization: the Conv gains a bias
				 * (if it had none), one FLOP and one weight per channel */
				struct gp_node *a = &g->n[P->first[G]];
				int bias = a->nin > 2 && a->in[2] >= 0;

				if (!bias && n->nin > 2 && n->in[2] >= 0) {
					s->c.flops = sat_add(P, s->c.flops, part_main_numel(P, m), "FLOP count", n);
					tl_add(&w, n->in[2], -1);
				}
			} else {
				s->c.macs = sat_add(P, s->c.macs, c->macs, "MAC count", n);
				s->c.flops = sat_add(P, s->c.flops, c->flops, "FLOP count", n);
			}
			rd = part_reads(P, (size_t)m, &nr);
			for (j = 0; j < nr && !P->folded[m]; j++) {
				struct gp_tensor *t = &g->t[rd[j]];
				int64_t el = j == 0 && n->nin > 0 && n->in[0] >= 0 ? c->read0 : -1;

				if (t->producer >= 0 && P->grp[t->producer] == G && !P->isconst[rd[j]])
					continue;       /* made in this subgraph */
				tl_add(P->isconst[rd[j]] ? &w : &in, rd[j], el);
			}
			for (j = 0; j < n->nout; j++) {
				int t = n->out[j], internal = 1;

				if (t < 0)
					continue;
				if (P->escapes[t] || P->cons0[t + 1] == P->cons0[t])
					internal = 0;   /* a graph output, or written and never read */
				for (k = P->cons0[t]; k < P->cons0[t + 1]; k++)
					if (P->grp[P->cons[k]] != G)
						internal = 0;
				if (!internal)
					tl_add(&o, t, -1);
			}
		}
		s->ops = ops.buf ? ops.buf : "";
		/* its nodes and tensors in one buffer, used again for the next:
		 * emit copies what it keeps */
		if ((size_t)(nm + in.n + w.n + o.n + 1) > nv) {
			nv = (size_t)(nm + in.n + w.n + o.n + 1) * 2;
			v = gp_xreallocarray(v, nv, sizeof *v);
		}
		s->nodes = v;
		for (m = P->first[G], k = 0; m >= 0; m = P->next[m])
			s->nodes[k++] = m;
		s->nnode = nm;
		if (!s->known)
			s->c.macs = s->c.flops = -1;
		s->nin = in.n;
		s->in = v + nm;
		s->nw = w.n;
		s->w = copy_list(s->in, &in);
		s->nout = o.n;
		s->out = copy_list(s->w, &w);
		copy_list(s->out, &o);
		s->bytes_in = sum_bytes(P, &in, 0);
		s->bytes_input = s->bytes_in < 0 ? -1 : sum_bytes(P, &in, 1);
		s->bytes_weight = sum_bytes(P, &w, 0);
		s->bytes_out = sum_bytes(P, &o, 0);
		float_sums(P, &in, &s->felem[0], &s->fbytes[0]);
		float_sums(P, &o, &s->felem[1], &s->fbytes[1]);
		float_sums(P, &w, &s->felem[2], &s->fbytes[2]);
		geometry(P, G, s);
		s->conv_gemm = cg.v;
		s->nconv_gemm = cg.n;
		emit(arg, s);
	}
	free(cg.v);
	free(v);
	free(byrank);
	free(in.v);
	free(in.elems);
	free(w.v);
	free(w.elems);
	free(o.v);
	free(o.elems);
	gp_buf_release(&ops);
}
