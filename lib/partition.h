/* partition.h - what partition.c and its partition-scan.c, partition-fuse.c, partition-collect.c and partition-nchwc.c share, and no other file */
#ifndef GP_PARTITION_H
#define GP_PARTITION_H

#include <string.h>

#include "gp.h"

/* The state of one gp_partition: the graph's nodes scanned (partition-scan.c),
 * grouped into kernels (partition-fuse.c), the groups ordered and made into
 * subgraph records (partition-collect.c). */
struct part {
	struct gp_graph *g;
	const struct gp_part_opts *o;
	int *root;                  /* tensor -> the tensor it views (itself if none) */
	char *isconst;              /* tensor: a weight or computed from weights only */
	char *escapes;              /* tensor: a graph output (after views) */
	int *cons, *cons0;          /* consumers: cons[cons0[t] .. cons0[t+1]) are nodes */
	int *extra, *extra0;        /* outer-scope tensors read by a control node's bodies */
	uint16_t *opx;              /* node -> gp_op_index of its op + 1; 0: one gp does not know */
	char *member;               /* node -> 1 if it is part of a subgraph */
	char *kernel;               /* body node -> it would be a kernel (not a view, not folded) */
	char *counted;              /* graph -> a body whose cost counts (an If's counted branch) */
	struct gp_branch *br;       /* the If nodes costed, at any depth */
	int nbr;
	struct gp_cost *cost;       /* per node */
	char *known;                /* per node: its cost is known */
	/* the arrays marked part_scan's or part_group's are freed when it is done */
	int *grp;                   /* node -> group, -1 */
	int *next;                  /* node -> next node of its group, -1 */
	int *first, *last;          /* group -> its first and last node (last: part_group's alone) */
	int64_t *ext;               /* group -> largest activation it touches, elements (part_group's) */
	char *att;                  /* group -> attention so far: 1 scores (QK^T), 2 + Softmax, 3 + AV */
	int ngrp;
	int *mark;                  /* group -> DFS stamp (part_group's) */
	int stamp;
	char *folded;               /* node: a BatchNormalization folded into its Conv */
	char *shapeof;              /* tensor: computed from an activation's shape (part_scan's) */
	char *unrun;                /* node: a shape computation the runtime's fusion removes
	                             * (reshape-shape), counted in no shape_nodes; NULL: none */
	int *canon;                 /* tensor: the first of the shape tensors it repeats, or -1
	                             * (shape-cse); NULL: the rule is off */
	struct gp_map sig;          /* a shape node's op, attributes and inputs -> the node */
	struct gp_buf sigbuf;       /* (shape_dup's, used again for each) */
	int64_t *bodyk, *bodyr;     /* control node of the main graph: its bodies' kernels and
	                             * runs per run of it (partition.c, bodies); -1 unknown */
	int64_t *bodyc, *bodyg;     /* and its bodies' generic Conv calls and their groups */
	struct gp_im2col *bodyi;    /* and what their im2col expands */
	struct gp_glist *bodyl;     /* and their GEMMs (struct gp_sub's conv_gemm) */
	struct gp_reorders *reo;    /* node -> the NCHWc reorders beside it (partition-nchwc.c);
	                             * NULL: the runtime has no NCHWc layout */
	int shape_nodes;
	int view_nodes;             /* views of activations in the main graph, and the two each
	                             * Gemm of a more-than-2-D input needs */
	int *rbuf;                  /* reads() */
	size_t rcap;
	int *cand;                  /* group(): candidate groups (part_group's) */
	int64_t folded_macs, folded_flops;
};

/* A growing list of GEMMs (malloc'd). */
struct gp_glist {
	struct gp_gemm *v;
	int n, cap;
};

/* glist_add appends x to l with its b times mult */
static inline void
glist_add(struct gp_glist *l, const struct gp_gemm *x, int64_t mult)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = gp_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n] = *x;
	l->v[l->n++].b = gp_count_mul(x->b, mult);
}

/* conv_gemm: the GEMM of Conv node n (cost c) as a generic Conv runs it
 * (per group and image, Cout / g x output positions x Cin / g x kernel),
 * into x: 1, or 0 when not known */
static inline int
conv_gemm(struct gp_graph *g, struct gp_node *n, const struct gp_cost *c, struct gp_gemm *x)
{
	struct gp_gemm v;

	if (gp_node_gemms(g, n, &v, 1) != 1 || c->batch <= 0 || v.m < 0 || v.m % c->batch)
		return 0;
	x->b = gp_count_mul(v.b, c->batch);
	x->m = v.n;
	x->n = v.m / c->batch;
	x->k = v.k;
	return 1;
}

/* conv_im2col: what generic Conv node n (cost c) of P's graph expands in
 * MLAS's im2col (convolve.cpp MlasConvIm2Col), into *o: its floats, Cin / g
 * x kernel x output positions for each group and image; the rows it copies
 * them in, each a loop of its own: each of the K = Cin / g x kernel rows of
 * the column matrix once for every output row a slice of columns spans; and
 * the floats it copies one at a time, all of them along a stride above 1
 * on the last axis. MlasConvOperation expands and multiplies slices of
 * StrideN positions by StrideK of K, both 128 (mlasi.h MLAS_SGEMM_STRIDEN,
 * _STRIDEK) and traded against each other: StrideN doubles while K fits in
 * half of StrideK, else halves (not below 16) while the positions fit in
 * half of it; the K slices cover K once. ExpandThenGemm (Cout / g above the
 * positions) expands all positions at once. All 0 for a pointwise one (a
 * 1 x 1 kernel, stride 1, no padding: MlasConvPrepare's GemmDirect
 * multiplies the input as it is); -1 what is not known. */
static inline void
conv_im2col(struct part *P, struct gp_node *n, const struct gp_cost *c, struct gp_im2col *o)
{
	const struct gp_tensor *w = n->nin > 1 && n->in[1] >= 0 ? &P->g->t[n->in[1]] : NULL;
	const struct gp_tensor *y = n->nout > 0 && n->out[0] >= 0 ? &P->g->t[n->out[0]] : NULL;
	struct gp_gemm x;
	int64_t *st, *pd, ow, sn = 128, sk = 128, m, a, g;
	int ns, np, k;

	o->floats = o->rows = o->strided = -1;
	if (!w || w->shape.rank < 3 || !conv_gemm(P->g, n, c, &x) || x.b < 0 || x.k < 0 || x.n < 0)
		return;
	/* (an attribute not given is its default: strides 1, pads 0) */
	ns = gp_attr_ints(&P->g->s->arena, n, "strides", &st);
	np = gp_attr_ints(&P->g->s->arena, n, "pads", &pd);
	for (k = 2; k < w->shape.rank && w->shape.d[k].v == 1; k++)
		;
	if (k == w->shape.rank) {
		for (k = 0; k < ns && st[k] == 1; k++)
			;
		for (m = 0; m < np && pd[m] == 0; m++)
			;
		if (k >= ns && m >= np) {
			o->floats = o->rows = o->strided = 0;
			return;
		}
	}
	o->floats = gp_count_mul(gp_count_mul(x.b, x.k), x.n);
	o->strided = ns > 0 && st[ns - 1] > 1 ? o->floats : 0;
	if (!y || y->shape.rank < 3 || x.n <= 0 || x.k <= 0 ||
	    (ow = y->shape.d[y->shape.rank - 1].v) <= 0 || x.n % ow)
		return;
	if (x.m > x.n)
		sn = x.n;
	else if (x.n >= x.k)
		for (; sk / 2 >= x.k; sk /= 2)
			sn *= 2;
	else
		for (; sn > 16 && sn / 2 >= x.n; sn /= 2)
			;
	/* m slices, each spanning the output rows from its first position's to
	 * its last's: (N - 1) / ow + 1 in all, and one more for every slice
	 * that starts inside a row, i.e. at a position i x sn (0 < i < m) that
	 * is no multiple of ow; those that are come every ow / gcd(sn, ow)
	 * slices. In closed form: a hostile stream's positions are not looped */
	m = (x.n - 1) / sn + 1;
	for (a = sn, g = ow; g;) {
		int64_t t = a % g;

		a = g;
		g = t;
	}
	o->rows = gp_count_mul(gp_count_mul(x.b, x.k), (x.n - 1) / ow + m - (m - 1) / (ow / a));
}

/* im2col_add: b's counts, mult times, into a's (unknown stays unknown) */
static inline void
im2col_add(struct gp_im2col *a, const struct gp_im2col *b, int64_t mult)
{
	a->floats = gp_count_add(a->floats, gp_count_mul(mult, b->floats));
	a->rows = gp_count_add(a->rows, gp_count_mul(mult, b->rows));
	a->strided = gp_count_add(a->strided, gp_count_mul(mult, b->strided));
}

/* nchwc_takes: whether onnxruntime's NCHWc transformer rewrites 2-D Conv
 * node n of g (groups grp) into its NCHWc layout of channel blocks of bs
 * (nchwc_transformer.cc, TransformConv): a constant 4-D weight [Cout,
 * Cin / g, kh, kw]; grouped, a Cout that is a multiple of 4, and depthwise
 * or with both channels per group multiples of bs; ungrouped, fewer than bs
 * input channels, or a multiple of 4 */
static inline int
nchwc_takes(const struct gp_graph *g, const struct gp_node *n, int64_t grp, int bs)
{
	const struct gp_tensor *w = n->nin > 1 && n->in[1] >= 0 ? &g->t[n->in[1]] : NULL;
	int64_t co, ci;

	if (!w || (w->kind != GP_K_INIT && w->kind != GP_K_CONST) || w->shape.rank != 4 ||
	    w->shape.d[0].v <= 0 || w->shape.d[1].v <= 0)
		return 0;
	co = w->shape.d[0].v;
	ci = w->shape.d[1].v;
	if (grp > 1)
		return co % 4 == 0 && ((ci == 1 && co == grp) || (ci % bs == 0 && co % grp == 0 &&
		    (co / grp) % bs == 0));
	return ci < bs || ci % 4 == 0;
}

/* conv_generic: groups of node n of cost c when onnxruntime runs it as its
 * generic Conv (a call, and an im2col and a GEMM per group), else 0: a 1-D
 * Conv, and with the runtime's nchwc_block a 2-D one its NCHWc layout does
 * not take */
static inline int64_t
conv_generic(const struct part *P, const struct gp_node *n, const struct gp_cost *c)
{
	int64_t grp = c->groups > 0 ? c->groups : 1;

	if (strcmp(n->op, "Conv") || !c->kind || strncmp(c->kind, "conv", 4) || !c->kind[4] ||
	    c->kind[5] != 'd' || (c->kind[6] && c->kind[6] != '_'))
		return 0;
	if (c->kind[4] == '1')
		return grp;
	if (c->kind[4] == '2' && P->o->nchwc_block > 0 && !nchwc_takes(P->g, n, grp, P->o->nchwc_block))
		return grp;
	return 0;
}

static inline int64_t
numel(const struct gp_tensor *t)
{
	return gp_shape_numel(&t->shape);
}

/* tbytes: bytes of tensor t (or of elems of its elements, if elems >= 0),
 * as its dtype says, or as opts->dtype says for a floating dtype; -1 unknown */
static inline int64_t
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


/* is fusion rule r on (gp-partition --fuse applies all; --fuse=RUNTIME its own) */
static inline int
rule(const struct part *P, unsigned r)
{
	return !P->o->rules || (P->o->rules & r);
}

/* nop: the op of node n (of P's graph), as gp_op_find finds it, found once
 * for every node (P->opx) */
static inline const struct gp_op *
nop(const struct part *P, const struct gp_node *n)
{
	unsigned k = P->opx[n - P->g->n];

	return k ? gp_op_at(k - 1) : NULL;
}

static inline enum gp_class
cls(const struct part *P, const struct gp_node *n)
{
	const struct gp_op *op = nop(P, n);

	return op ? op->cls : GP_C_UNKNOWN;
}

/* Classify every main-graph node, resolve views, find the bodies whose cost
 * counts and the shape computations (partition-scan.c). */
void part_scan(struct part *P);
/* The CSR lists P->cons0/P->cons of the member nodes that read each tensor
 * (its root), counted in one pass and filled in a second (partition-scan.c). */
void part_consumers(struct part *P);
/* the tensors node i reads (roots), its inputs then its bodies' outer reads,
 * with *cnt set to their count; valid until the next call (partition-scan.c) */
int *part_reads(struct part *P, size_t i, int *cnt);
/* the elements of node i's main output, -1 unknown (partition-fuse.c) */
int64_t part_main_numel(struct part *P, int i);
/* put every node that runs into a group, fusing as the options say (partition-fuse.c) */
void part_group(struct part *P);
/* number the groups in a topological order, and make their subgraphs,
 * handing each to emit in that order (partition-collect.c) */
void part_order(struct part *P, int *rank);
void part_collect(struct part *P, struct gp_part *out, const int *rank, gp_part_emit *emit, void *arg);
/* with the runtime's nchwc_block, the layout reorders its NCHWc transformer
 * adds, into P->reo; returns whether there are any (partition-nchwc.c) */
int part_nchwc(struct part *P, const int *rank);

#endif
