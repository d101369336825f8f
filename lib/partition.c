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

#include "gp.h"

#define DFS_BUDGET 4096         /* groups visited by one cycle check, at most */

struct part {
	struct gp_graph *g;
	const struct gp_part_opts *o;
	int *root;                  /* tensor -> the tensor it views (itself if none) */
	char *isconst;              /* tensor: a weight or computed from weights only */
	char *escapes;              /* tensor: a graph output (after views) */
	int *cons, *cons0;          /* consumers: cons[cons0[t] .. cons0[t+1]) are nodes */
	int *extra, *extra0;        /* outer-scope tensors read by a control node's bodies */
	int *member;                /* node -> 1 if it is part of a subgraph */
	char *kernel;               /* body node -> it would be a kernel (not a view, not folded) */
	char *counted;              /* graph -> a body whose cost counts (an If's counted branch) */
	struct gp_branch *br;       /* the If nodes costed, at any depth */
	int nbr;
	struct gp_cost *cost;       /* per node */
	int *known;                 /* per node: its cost is known */
	int *grp;                   /* node -> group, -1 */
	int *next;                  /* node -> next node of its group, -1 */
	int *first, *last;          /* group -> its first and last node */
	int64_t *ext;               /* group -> largest activation it touches, elements */
	char *att;                  /* group -> attention so far: 1 scores (QK^T), 2 + Softmax, 3 + AV */
	int ngrp;
	int *mark;                  /* group -> DFS stamp */
	int stamp;
	char *folded;               /* node: a BatchNormalization folded into its Conv */
	char *shapeof;              /* tensor: computed from an activation's shape */
	int shape_nodes;
	int *rbuf;                  /* reads() */
	size_t rcap;
	int *cand;                  /* group(): candidate groups */
	int64_t folded_macs, folded_flops;
};

static int64_t
numel(const struct gp_tensor *t)
{
	return gp_shape_numel(&t->shape);
}

/* tbytes: bytes of tensor t (or of elems of its elements, if elems >= 0),
 * as its dtype says, or as opts->dtype says for a floating dtype; -1 unknown */
static int64_t
tbytes(const struct part *P, const struct gp_tensor *t, int64_t elems)
{
	int64_t e = elems >= 0 ? elems : numel(t);

	if (e < 0 || t->dtype <= 0)
		return -1;
	e = gp_tensor_bytes(gp_dtype_as(t->dtype, P->o->dtype), e);
	if (e == -2)
		gp_die("%s: tensor '%s': its byte count overflows 64 bits", P->g->s->src, t->name);
	return e;
}

static int
is_weight_dtype(int dt)
{
	/* floating and 8/4-bit integer tensors are parameters; other integers are
	 * shape and index arguments */
	return gp_dtype_isfloat(dt) || dt == 2 || dt == 3 || dt == 21 || dt == 22;
}

static enum gp_class
cls(const struct gp_node *n)
{
	const struct gp_op *op = gp_op_find(n->domain, n->op);

	return op ? op->cls : GP_C_UNKNOWN;
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
static int *
reads(struct part *P, size_t i, int *cnt)
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
			rd = reads(P, i, &nr);
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

/* reaches: is group h reachable from group s along tensors? (1 also when the
 * search is too long: the caller then does not fuse) */
static int
reaches(struct part *P, int s, int h)
{
	struct gp_graph *g = P->g;
	int *stack = gp_xcalloc((size_t)P->ngrp + 1, sizeof *stack), sp = 0, seen = 0, found = 0;

	P->stamp++;
	stack[sp++] = s;
	P->mark[s] = P->stamp;
	while (sp > 0 && !found) {
		int G = stack[--sp], m, j, c;

		if (++seen > DFS_BUDGET) {
			found = 1;
			break;
		}
		for (m = P->first[G]; m >= 0 && !found; m = P->next[m]) {
			struct gp_node *n = &g->n[m];

			for (j = 0; j < n->nout && !found; j++) {
				int t = n->out[j];

				if (t < 0)
					continue;
				for (c = P->cons0[t]; c < P->cons0[t + 1]; c++) {
					int H = P->grp[P->cons[c]];

					if (H < 0 || P->mark[H] == P->stamp)
						continue;
					if (H == h) {
						found = 1;
						break;
					}
					P->mark[H] = P->stamp;
					stack[sp++] = H;
				}
			}
		}
	}
	free(stack);
	return found;
}

static void
join(struct part *P, int i, int G)
{
	P->grp[i] = G;
	P->next[i] = -1;
	if (P->last[G] >= 0)
		P->next[P->last[G]] = i;
	else
		P->first[G] = i;
	P->last[G] = i;
}

static int64_t
main_numel(struct part *P, int i)
{
	struct gp_node *n = &P->g->n[i];

	return n->nout > 0 && n->out[0] >= 0 ? numel(&P->g->t[n->out[0]]) : -1;
}

/* is fusion rule r on (gp-partition --fuse applies all; --fuse=RUNTIME its own) */
static int
rule(const struct part *P, unsigned r)
{
	return !P->o->rules || (P->o->rules & r);
}

/* an activation a runtime fuses into the kernel before it under the "activation" rule */
static int
activation(const struct gp_node *n)
{
	static const char *const ops[] = {
		"Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "Add", NULL,
	};
	int i;

	for (i = 0; ops[i]; i++)
		if (!strcmp(n->op, ops[i]))
			return 1;
	return 0;
}

static const char *const rulenames[] = {
	"conv-bn", "epilogue", "activation", "elementwise", "row", "attention", NULL,
};

int
gp_fuse_rules(const char *list)
{
	unsigned r = 0;
	const char *p = list;
	int i;

	while (*p) {
		size_t n = strcspn(p, ",");

		for (i = 0; rulenames[i] && (strlen(rulenames[i]) != n || strncmp(rulenames[i], p, n)); i++)
			;
		if (!rulenames[i])
			return -1;
		r |= 1u << i;
		p += n;
		if (*p == ',')
			p++;
	}
	return (int)r;
}

/* can node i join group G (which produces one of the tensors it reads)? */
static int
fits(struct part *P, int i, int G)
{
	struct gp_node *n = &P->g->n[i];
	int a = P->first[G], *rd, nr, j;
	enum gp_class ca = cls(&P->g->n[a]), ci = cls(n);
	int64_t e = main_numel(P, i);

	if (e < 0 || n->nout != 1)
		return 0;
	if (P->att[G] == 1 && ci == GP_C_ROW && !strcmp(n->op, "Softmax")) {
		/* attention: the Softmax of the scores stays on chip */
		if (e != main_numel(P, a))
			return 0;
	} else if (P->att[G] == 2 && ci == GP_C_DENSE) {
		/* and so do the probabilities the second MatMul reads */
		int x = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;
		int p = x >= 0 ? P->g->t[x].producer : -1;

		if (strcmp(P->cost[i].kind, "matmul") || p < 0 || P->grp[p] != G)
			return 0;
	} else if (ci == GP_C_ELEM) {
		if (ca == GP_C_DENSE || ca == GP_C_POOL) {
			if (e != main_numel(P, a))
				return 0;
			if (!rule(P, GP_FUSE_EPILOGUE) && !(rule(P, GP_FUSE_ACTIVATION) && activation(n)))
				return 0;
		} else if (ca != GP_C_ELEM && ca != GP_C_ROW) {
			return 0;
		} else if (e > P->ext[G] || !rule(P, GP_FUSE_ELEMWISE)) {
			return 0;
		}
	} else if (ci == GP_C_ROW) {
		if ((ca != GP_C_ELEM && ca != GP_C_ROW) || e > P->ext[G] || !rule(P, GP_FUSE_ROW))
			return 0;
	} else {
		return 0;
	}
	/* every other tensor it reads must not depend on G */
	rd = reads(P, (size_t)i, &nr);
	for (j = 0; j < nr; j++) {
		struct gp_tensor *t = &P->g->t[rd[j]];
		int H = t->producer >= 0 ? P->grp[t->producer] : -1;

		if (H >= 0 && H != G && reaches(P, G, H))
			return 0;
	}
	return 1;
}

/* foldable: is node i a BatchNormalization right after the Conv/Gemm that
 * alone makes group G? */
static int
foldable(struct part *P, int i, int G)
{
	struct gp_node *n = &P->g->n[i], *a = &P->g->n[P->first[G]];
	int x = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;

	int k;

	if (!rule(P, GP_FUSE_CONVBN) || strcmp(n->op, "BatchNormalization") != 0 || n->nin < 5 ||
	    n->nout < 1 || P->first[G] != P->last[G] || a->nout < 1 || n->in[0] != a->out[0])
		return 0;       /* right after the conv, not through a view */
	for (k = 1; k < 5; k++)
		if (n->in[k] < 0 || !P->isconst[P->root[n->in[k]]])
			return 0;       /* its statistics must be constants to fold */
	return (!strcmp(a->op, "Conv") || !strcmp(a->op, "Gemm") || !strcmp(a->op, "ConvTranspose")) &&
	    P->cons0[x + 1] - P->cons0[x] == 1 && !P->escapes[x];
}

static void
group(struct part *P)
{
	struct gp_graph *g = P->g;
	size_t i;
	int j, *rd, nr;

	for (i = 0; i < g->nn; i++) {
		int G = -1;

		if (!P->member[i])
			continue;
		if (P->o->fuse) {
			int nc = 0;

			/* the groups that make what it reads: join the first that fits */
			rd = reads(P, i, &nr);
			for (j = 0; j < nr; j++) {
				int p = g->t[rd[j]].producer;

				if (p >= 0 && P->grp[p] >= 0 && !P->isconst[rd[j]])
					P->cand[nc++] = P->grp[p];
			}
			for (j = 0; j < nc && G < 0; j++) {
				if (foldable(P, (int)i, P->cand[j])) {
					P->folded[i] = 1;
					G = P->cand[j];
				} else if (fits(P, (int)i, P->cand[j])) {
					G = P->cand[j];
				}
			}
		}
		if (G < 0) {
			G = P->ngrp++;
			P->first[G] = P->last[G] = -1;
			P->ext[G] = 0;
			/* a MatMul of two activations may be attention's scores */
			P->att[G] = P->o->fuse && rule(P, GP_FUSE_ATTENTION) && cls(&g->n[i]) == GP_C_DENSE &&
			    P->cost[i].kind && !strcmp(P->cost[i].kind, "matmul");
		} else if (P->att[G] == 1 && !strcmp(g->n[i].op, "Softmax")) {
			P->att[G] = 2;
		} else if (P->att[G] == 2 && cls(&g->n[i]) == GP_C_DENSE) {
			P->att[G] = 3;
		}
		join(P, (int)i, G);
		rd = reads(P, i, &nr);
		for (j = 0; j < nr; j++)
			if (!P->isconst[rd[j]] && numel(&g->t[rd[j]]) > P->ext[G])
				P->ext[G] = numel(&g->t[rd[j]]);
		if (main_numel(P, (int)i) > P->ext[G])
			P->ext[G] = main_numel(P, (int)i);
	}
}

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

static int64_t
sum_bytes(struct part *P, const struct tlist *l)
{
	int64_t s = 0, b;
	int k;

	for (k = 0; k < l->n; k++) {
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
		if (cls(&P->g->n[m]) != GP_C_DENSE || P->folded[m])
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

static int *
copy_list(struct gp_arena *a, const struct tlist *l)
{
	int *v = gp_arena_alloc(a, (size_t)(l->n + 1) * sizeof *v);

	if (l->n)
		memcpy(v, l->v, (size_t)l->n * sizeof *v);
	return v;
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
		if (cls(&P->g->n[m]) == GP_C_DENSE)
			return m;
		if ((e = main_numel(P, m)) > most) {
			most = e;
			best = m;
		}
	}
	return best;
}

/* family: the kind of a subgraph: attention (scores, Softmax and the
 * weighted sum in one), its multiply-accumulate node's, a LayerNorm or
 * Softmax (one node, or written out in element-wise ops and reductions) that
 * element-wise ops lead into, else its first node's */
static const char *
family(struct part *P, int G)
{
	int m, red = 0, mean = 0, root = 0, div = 0, ex = 0, sum = 0;
	const char *norm = NULL;

	if (P->att[G] == 3)
		return "attention";
	for (m = P->first[G]; m >= 0; m = P->next[m]) {
		const char *op = P->g->n[m].op;

		if (cls(&P->g->n[m]) == GP_C_DENSE)
			return P->cost[m].kind;
		if (!norm && m != P->first[G] && (!strcmp(op, "LayerNormalization") || !strcmp(op, "Softmax")))
			norm = P->cost[m].kind;
		red += !strncmp(op, "Reduce", 6);
		mean += !strcmp(op, "ReduceMean");
		root += !strcmp(op, "Sqrt") || !strcmp(op, "Pow") || !strcmp(op, "Reciprocal");
		div += !strcmp(op, "Div") || !strcmp(op, "Reciprocal");
		ex += !strcmp(op, "Exp");
		sum += !strcmp(op, "ReduceSum");
	}
	if (mean >= 2 && root && div)
		return "layernorm";
	if (ex && sum && div && red)
		return "softmax";
	return norm ? norm : P->cost[P->first[G]].kind;
}

static void
heap_push(struct part *P, int *h, int *n, int v)
{
	int i = (*n)++;

	while (i > 0 && P->first[h[(i - 1) / 2]] > P->first[v]) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static int
heap_pop(struct part *P, int *h, int *n)
{
	int top = h[0], v = h[--(*n)], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && P->first[h[c + 1]] < P->first[h[c]])
			c++;
		if (P->first[h[c]] >= P->first[v])
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

/* order: number the groups in a topological order of the subgraph DAG (a
 * node joining an earlier group can make it read a later one's output),
 * smallest first node first; rank[G] is G's place. */
static void
order(struct part *P, int *rank)
{
	struct gp_graph *g = P->g;
	int G = P->ngrp, *deg = gp_xcalloc((size_t)G + 1, sizeof *deg);
	int *adj0 = gp_xcalloc((size_t)G + 2, sizeof *adj0), *adj = NULL, *fill = NULL, *heap, nh = 0, done = 0;
	int pass, m, j, nr, *rd, k;

	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < G; k++) {
			for (m = P->first[k]; m >= 0; m = P->next[m]) {
				rd = reads(P, (size_t)m, &nr);
				for (j = 0; j < nr; j++) {
					int p = g->t[rd[j]].producer, H = p >= 0 ? P->grp[p] : -1;

					if (H < 0 || H == k || P->isconst[rd[j]])
						continue;
					if (pass) {
						adj[fill[H]++] = k;
						deg[k]++;
					} else {
						adj0[H + 1]++;
					}
				}
			}
		}
		if (!pass) {
			for (k = 0; k < G; k++)
				adj0[k + 1] += adj0[k];
			adj = gp_xcalloc((size_t)adj0[G] + 1, sizeof *adj);
			fill = gp_xcalloc((size_t)G + 1, sizeof *fill);
			for (k = 0; k < G; k++)
				fill[k] = adj0[k];
		}
	}
	/* Kahn's algorithm with a min-heap on the groups' first nodes */
	heap = gp_xcalloc((size_t)G + 1, sizeof *heap);
	for (k = 0; k < G; k++)
		if (deg[k] == 0)
			heap_push(P, heap, &nh, k);
	while (nh > 0) {
		int u = heap_pop(P, heap, &nh);

		rank[u] = done++;
		for (j = adj0[u]; j < adj0[u + 1]; j++)
			if (--deg[adj[j]] == 0)
				heap_push(P, heap, &nh, adj[j]);
	}
	if (done != G)
		gp_die("%s: the subgraphs make a cycle (a gp bug: please report it)", g->s->src);
	free(deg);
	free(adj0);
	free(adj);
	free(fill);
	free(heap);
}

/* make the subgraph records of the groups */
static void
collect(struct part *P, struct gp_part *out, const int *rank)
{
	struct gp_graph *g = P->g;
	struct gp_arena *A = &g->s->arena;
	struct tlist in = {0}, w = {0}, o = {0};
	int G, m, j, k, *rd, nr;

	out->nsg = P->ngrp;
	out->sg = gp_xcalloc((size_t)P->ngrp + 1, sizeof *out->sg);
	for (G = 0; G < P->ngrp; G++) {
		struct gp_sub *s = &out->sg[rank[G]];
		struct gp_buf ops = {0};
		int nm = 0;

		in.n = w.n = o.n = 0;
		s->id = rank[G] + 1;
		s->anchor = P->first[G];
		s->c = P->cost[lead(P, G)];
		s->c.kind = family(P, G);
		s->c.macs = s->c.flops = 0;
		s->known = 1;
		for (m = P->first[G]; m >= 0; m = P->next[m]) {
			struct gp_node *n = &g->n[m];
			struct gp_cost *c = &P->cost[m];

			nm++;
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
					s->c.flops = sat_add(P, s->c.flops, main_numel(P, m), "FLOP count", n);
					tl_add(&w, n->in[2], -1);
				}
			} else {
				s->c.macs = sat_add(P, s->c.macs, c->macs, "MAC count", n);
				s->c.flops = sat_add(P, s->c.flops, c->flops, "FLOP count", n);
			}
			rd = reads(P, (size_t)m, &nr);
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
		s->ops = gp_arena_strdup(A, ops.buf ? ops.buf : "");
		gp_buf_release(&ops);
		s->nodes = gp_arena_alloc(A, (size_t)(nm + 1) * sizeof *s->nodes);
		for (m = P->first[G], k = 0; m >= 0; m = P->next[m])
			s->nodes[k++] = m;
		s->nnode = nm;
		if (!s->known)
			s->c.macs = s->c.flops = -1;
		s->nin = in.n;
		s->in = copy_list(A, &in);
		s->nw = w.n;
		s->w = copy_list(A, &w);
		s->nout = o.n;
		s->out = copy_list(A, &o);
		s->bytes_in = sum_bytes(P, &in);
		s->bytes_weight = sum_bytes(P, &w);
		s->bytes_out = sum_bytes(P, &o);
		float_sums(P, &in, &s->felem[0], &s->fbytes[0]);
		float_sums(P, &o, &s->felem[1], &s->fbytes[1]);
		float_sums(P, &w, &s->felem[2], &s->fbytes[2]);
		geometry(P, G, s);
	}
	free(in.v);
	free(in.elems);
	free(w.v);
	free(w.elems);
	free(o.v);
	free(o.elems);
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
	group(&P);
	rank = gp_xcalloc((size_t)P.ngrp + 1, sizeof *rank);
	order(&P, rank);
	collect(&P, out, rank);
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
