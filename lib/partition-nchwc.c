/* partition-nchwc.c - where onnxruntime's NCHWc layout reorders a model's tensors, for gp-partition --fuse=RUNTIME
 *
 * A runtime with an NCHWc layout (a runtime profile's nchwc_block:
 * onnxruntime's CPU provider, whose NchwcTransformer rewrites a 2-D Conv
 * into blocks of channels, core/optimizer/nchwc_transformer.cc) keeps a
 * tensor in that layout from the Conv that writes it to the nodes that
 * read it in it; any other reader gets it back in NCHW from a
 * ReorderOutput, and a Conv or pool that reads an NCHW tensor gets it in
 * blocks from a ReorderInput. Each reorder is a kernel of its own, with its
 * dispatch and its bytes, which the model's nodes do not show.
 *
 * The walk follows the transformer's rules (NchwcTransformerImpl::Transform,
 * in a topological order), node by node over the main graph:
 *   - a Conv it takes (partition.h nchwc_takes, a constant bias) writes
 *     NCHWc; it reads its input in NCHWc (a ReorderInput when the input is
 *     not), except an ungrouped one with fewer input channels than a block,
 *     which reads NCHW as it is;
 *   - MaxPool and AveragePool (2-D, one output, channels a multiple of the
 *     block) likewise; GlobalAveragePool and GlobalMaxPool only when their
 *     input is NCHWc already, and then without rows (it reduces a block
 *     of channels a vector, not a channel at a time: row_s and row_elem_s
 *     do not apply);
 *   - Add and Sum of NCHWc tensors of equal channels, Mul of NCHWc tensors
 *     of equal shape (not a [N,C,H,W] x [N,C,1,1] scale), Concat on axis 1
 *     of NCHWc tensors whose channels are whole blocks, Relu, Sigmoid, Tanh
 *     and BatchNormalization of an NCHWc tensor, stay NCHWc; so does an
 *     activation its level-2 ConvActivationFusion put into the Conv before
 *     (the partition's `activation` rule put it in the Conv's kernel);
 *   - a Transpose to NHWC of an NCHWc tensor becomes a ReorderOutput in its
 *     place (the Transpose is a kernel gp counts already);
 *   - a Pad read only by a Conv or pool is gone by then (its level-1
 *     PadFusion): they read what it pads;
 *   - any other reader, and a graph output, needs the NCHW tensor: one
 *     ReorderOutput a tensor, however many read it (Finalize).
 * A ReorderInput is one a tensor too (reorder_inputs_). Checked against the
 * graphs onnxruntime 1.30 writes for the validation models (its
 * optimizedModelFilePath at level "all", blocks of 16): as many reorders
 * on each of the 23 models of tests/validate/models.tsv (tests/validate
 * kernel-classes --kernels counts them with gp's kernels, docs/validation.md
 * "Kernels"; ConvNeXt's and Swin's Transposes to NHWC aside).
 * Not followed: Resize (nearest, integer scales), which it keeps NCHWc and
 * gp reorders, and the bodies of If, Loop and Scan, which it transforms
 * too and gp leaves alone.
 *
 * Each reorder is put beside the node it runs for: a ReorderInput before
 * its reader, a ReorderOutput after its writer (P->reo), each counted with
 * the bytes it reads and writes, the blocked side padded to whole blocks
 * of channels. */
#include <stdlib.h>

#include "partition.h"

struct walk {
	struct part *P;
	int bs;
	char *nc;                   /* tensor: in NCHWc */
	char *rin;                  /* tensor: has its ReorderInput */
	int *uses;                  /* tensor: readers (one a use) not yet reading it in NCHWc */
	int *total;                 /* tensor: readers in all, and 1 for a graph output */
	int64_t *chan;              /* NCHWc tensor: its channels */
	int *by;                    /* NCHWc tensor: the node that made it so */
};

/* whether node n is op name of the default domain, as the op table knows it */
static int
is(const struct part *P, const struct gp_node *n, const char *name)
{
	const struct gp_op *op = nop(P, n);

	return op && !op->domain && !strcmp(op->name, name);
}

/* a float32 tensor of rank 4 whose channels are known */
static int
image(const struct gp_graph *g, int t)
{
	return t >= 0 && g->t[t].dtype == 1 && g->t[t].shape.rank == 4 && g->t[t].shape.d[1].v > 0;
}

/* add: one reorder of tensor t to node m's: a ReorderInput (blocked_in 0:
 * it reads t and writes it in blocks) or a ReorderOutput (1: it reads the
 * blocks and writes t), the blocked side's channels padded to whole blocks */
static void
add(struct walk *W, int m, int t, int blocked_in)
{
	struct part *P = W->P;
	const struct gp_tensor *x = &P->g->t[t];
	int64_t e = numel(x), c = x->shape.rank >= 2 ? x->shape.d[1].v : -1, pad = -1, plain, padded;
	struct gp_reorders *r = &P->reo[m];

	if (e < 0 || c <= 0 || __builtin_mul_overflow(e / c, (c + W->bs - 1) / W->bs * W->bs, &pad))
		pad = -1;
	plain = tbytes(P, x, e);
	padded = pad >= 0 ? tbytes(P, x, pad) : -1;
	r->n = gp_count_add(r->n, 1);
	r->in = gp_count_add(r->in, blocked_in ? padded : plain);
	r->out = gp_count_add(r->out, blocked_in ? plain : padded);
}

/* node m reads tensor t in NCHWc: from where it is so, else through t's ReorderInput */
static void
blocked(struct walk *W, int m, int t)
{
	if (W->nc[t]) {
		W->uses[t]--;
		return;
	}
	if (!W->rin[t]) {
		W->rin[t] = 1;
		add(W, m, t, 0);
	}
}

/* node m writes tensor t in NCHWc, of c channels */
static void
makes(struct walk *W, int m, int t, int64_t c)
{
	if (t < 0)
		return;
	W->nc[t] = 1;
	W->chan[t] = c;
	W->by[t] = m;
}

/* whether node n reads only NCHWc tensors, at least one: all of equal
 * channels (same), or whole blocks (whole); *sum gets their channels */
static int
all_nc(struct walk *W, const struct gp_node *n, int same, int whole, int64_t *sum)
{
	int j, k = 0;

	*sum = 0;
	for (j = 0; j < n->nin; j++) {
		int t = n->in[j];

		if (t < 0)
			continue;
		if (!W->nc[t] || (same && W->chan[t] != W->chan[n->in[0]]) ||
		    (whole && W->chan[t] % W->bs))
			return 0;
		*sum += W->chan[t];
		k++;
	}
	return k > 0;
}

/* whether n's inputs have one shape */
static int
one_shape(const struct gp_graph *g, const struct gp_node *n)
{
	const struct gp_shape *a = &g->t[n->in[0]].shape;
	int j, i;

	for (j = 1; j < n->nin; j++) {
		const struct gp_shape *b;

		if (n->in[j] < 0)
			continue;
		b = &g->t[n->in[j]].shape;
		if (a->rank < 0 || b->rank != a->rank)
			return 0;
		for (i = 0; i < a->rank; i++)
			if (a->d[i].v < 0 || a->d[i].v != b->d[i].v)
				return 0;
	}
	return 1;
}

/* every reader of the NCHWc tensors n reads now reads them in NCHWc */
static void
take_all(struct walk *W, const struct gp_node *n)
{
	int j;

	for (j = 0; j < n->nin; j++)
		if (n->in[j] >= 0)
			W->uses[n->in[j]]--;
}

/* whether node m, which reads x, is in the kernel of the Conv that writes
 * x: an activation the runtime's ConvActivationFusion put into it, as the
 * partition's fusion rules did (partition-fuse.c) */
static int
in_conv(const struct part *P, int m, int x)
{
	int p = P->g->t[x].producer, G = P->grp[m];

	return p >= 0 && G >= 0 && P->grp[p] == G && is(P, &P->g->n[P->first[G]], "Conv");
}

/* one node, as the transformer treats it */
static void
node(struct walk *W, int m)
{
	struct part *P = W->P;
	struct gp_graph *g = P->g;
	const struct gp_node *n = &g->n[m];
	int x = n->nin > 0 ? n->in[0] : -1, y = n->nout > 0 ? n->out[0] : -1;
	int64_t grp = 1, c, *perm;

	if (x < 0 || y < 0)
		return;
	/* a Pad its PadFusion put into the Conv or pool that is its only reader
	 * (level 1, before the layout): the Conv or pool reads what it pads */
	if ((is(P, n, "Conv") || is(P, n, "MaxPool") || is(P, n, "AveragePool")) && g->t[x].producer >= 0 &&
	    is(P, &g->n[g->t[x].producer], "Pad") && W->total[x] == 1 && g->n[g->t[x].producer].nin > 0 &&
	    g->n[g->t[x].producer].in[0] >= 0)
		x = g->n[g->t[x].producer].in[0];
	if (is(P, n, "Conv")) {
		const struct gp_tensor *w = n->nin > 1 && n->in[1] >= 0 ? &g->t[n->in[1]] : NULL;
		const struct gp_tensor *b = n->nin > 2 && n->in[2] >= 0 ? &g->t[n->in[2]] : NULL;

		gp_attr_int(n, "group", &grp);
		if (!image(g, x) || !nchwc_takes(g, n, grp, W->bs) ||
		    (b && b->kind != GP_K_INIT && b->kind != GP_K_CONST))
			return;
		if (grp > 1 || w->shape.d[1].v >= W->bs)
			blocked(W, m, x);
		makes(W, m, y, w->shape.d[0].v);
	} else if (is(P, n, "MaxPool") || is(P, n, "AveragePool")) {
		if (!image(g, x) || (n->nout > 1 && n->out[1] >= 0) || g->t[x].shape.d[1].v % W->bs)
			return;
		blocked(W, m, x);
		makes(W, m, y, g->t[x].shape.d[1].v);
	} else if (!W->nc[x]) {
		/* the rest keep a layout only of inputs in NCHWc */
		return;
	} else if (is(P, n, "GlobalAveragePool") || is(P, n, "GlobalMaxPool")) {
		if (image(g, x) && g->t[x].shape.d[1].v % W->bs == 0) {
			W->uses[x]--;
			makes(W, m, y, W->chan[x]);
			/* it reduces a block of channels at once, a vector a
			 * position (MlasNchwcPool): no row of its own loops */
			P->cost[m].rows = 0;
		}
	} else if (is(P, n, "Add") || is(P, n, "Sum") || is(P, n, "Mul")) {
		if (all_nc(W, n, 1, 0, &c) && (!is(P, n, "Mul") || one_shape(g, n))) {
			take_all(W, n);
			makes(W, m, y, W->chan[x]);
		}
	} else if (is(P, n, "Concat")) {
		if (gp_attr_int(n, "axis", &grp) == 0 && grp == 1 && all_nc(W, n, 0, 1, &c)) {
			take_all(W, n);
			makes(W, m, y, c);
		}
	} else if (is(P, n, "Relu") || is(P, n, "Sigmoid") || is(P, n, "Tanh") || in_conv(P, m, x) ||
	    (is(P, n, "BatchNormalization") && n->nout == 1)) {
		W->uses[x]--;
		makes(W, m, y, W->chan[x]);
	} else if (is(P, n, "Transpose")) {
		if (gp_attr_ints(&g->s->arena, n, "perm", &perm) == 4 && perm[0] == 0 && perm[1] == 2 &&
		    perm[2] == 3 && perm[3] == 1)
			W->uses[x]--;
	}
}

int
part_nchwc(struct part *P, const int *rank)
{
	struct gp_graph *g = P->g;
	struct walk W;
	size_t i, nt = g->ntensor + 1;
	int G, r, m, j, *byrank, any = 0;

	if (P->o->nchwc_block <= 0)
		return 0;
	memset(&W, 0, sizeof W);
	W.P = P;
	W.bs = P->o->nchwc_block;
	W.nc = gp_xcalloc(nt, 1);
	W.rin = gp_xcalloc(nt, 1);
	W.uses = gp_xcalloc(nt, sizeof *W.uses);
	W.total = gp_xcalloc(nt, sizeof *W.total);
	W.chan = gp_xcalloc(nt, sizeof *W.chan);
	W.by = gp_xcalloc(nt, sizeof *W.by);
	P->reo = gp_xcalloc(g->nn + 1, sizeof *P->reo);
	/* every use: each input of every node (a body's too), and the graph's
	 * outputs; of a tensor itself, not of what it views as P->cons lists
	 * them: a view (a Flatten) reads its input in NCHW */
	for (i = 0; i < g->nn; i++)
		for (j = 0; j < g->n[i].nin; j++)
			if (g->n[i].in[j] >= 0)
				W.uses[g->n[i].in[j]]++;
	for (i = 0; i < g->ntensor; i++)
		if (g->t[i].graph == 0 && g->t[i].kind == GP_K_OUTPUT)
			W.uses[i]++;
	memcpy(W.total, W.uses, nt * sizeof *W.uses);
	/* the main graph's nodes that run, group by group in the groups' order */
	byrank = gp_xcalloc((size_t)P->ngrp + 1, sizeof *byrank);
	for (G = 0; G < P->ngrp; G++)
		byrank[rank[G]] = G;
	for (r = 0; r < P->ngrp; r++)
		for (m = P->first[byrank[r]]; m >= 0; m = P->next[m])
			if (g->n[m].graph == 0)
				node(&W, m);
	/* a ReorderOutput for each NCHWc tensor something still reads in NCHW */
	for (i = 0; i < g->ntensor; i++)
		if (W.nc[i] && W.uses[i] > 0)
			add(&W, W.by[i], (int)i, 1);
	for (i = 0; i < g->nn && !any; i++)
		any = P->reo[i].n != 0;
	free(byrank);
	free(W.nc);
	free(W.rin);
	free(W.uses);
	free(W.total);
	free(W.chan);
	free(W.by);
	return any;
}
