/* partition-scan.c - gp_partition's first pass: every node classified, views resolved, who reads each tensor */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "partition.h"

/* holder: the main-graph node whose attribute holds graph gid (at any depth) */
static int
holder(struct part *P, int gid, const int *top)
{
	while (gid > 0 && P->g->gparent[gid] > 0)
		gid = P->g->gparent[gid];
	return gid > 0 ? top[gid] : -1;
}

/* canon: the tensor t stands for (shape-cse) */
static int
canon(const struct part *P, int t)
{
	return t >= 0 && P->canon && P->canon[t] >= 0 ? P->canon[t] : t;
}

/* shape_dup: with shape-cse, whether shape node n repeats one met before it:
 * the same op, domain and attributes on the same inputs, a constant by its
 * values (onnxruntime's CommonSubexpressionElimination merges them,
 * common_subexpression_elimination.cc, after its ConstantSharing made
 * equal small constants one); n's outputs then stand for that node's. Else
 * n is remembered. */
static int
shape_dup(struct part *P, const struct gp_node *n)
{
	struct gp_graph *g = P->g;
	struct gp_buf *b = &P->sigbuf;
	const struct gp_node *m;
	int64_t *at;
	int j, k;

	if (!P->canon)
		return 0;
	gp_buf_reset(b);
	gp_buf_printf(b, "%s\x1f%s\x1f%s", n->op, n->domain, n->attrs ? n->attrs : ".");
	for (j = 0; j < n->nin; j++) {
		int t = n->in[j];
		const struct gp_tensor *x = t >= 0 ? &g->t[t] : NULL;

		if (x && (x->kind == GP_K_INIT || x->kind == GP_K_CONST) && x->nval >= 0 && x->nval <= 16 && x->iv) {
			gp_buf_printf(b, "\x1fv%d:", x->dtype);
			for (k = 0; k < x->nval; k++)
				gp_buf_printf(b, "%s%" PRId64, x->iv[k].known ? "," : ",?", x->iv[k].v);
		} else {
			gp_buf_printf(b, "\x1ft%d", canon(P, t));
		}
	}
	if ((at = gp_map_get(&P->sig, b->buf)) == NULL) {
		gp_map_put(&P->sig, gp_arena_strdup(&g->s->arena, b->buf), (int64_t)(n - g->n));
		return 0;
	}
	m = &g->n[*at];
	for (j = 0; j < n->nout && j < m->nout; j++)
		if (n->out[j] >= 0 && m->out[j] >= 0)
			P->canon[n->out[j]] = canon(P, m->out[j]);
	return 1;
}

/* shape_counts: whether shape node n is one a runtime runs: only in a model
 * whose input dims are not all numbers (a runtime knows every shape of one
 * whose dims are, and folds them all), not removed by its fusion
 * (reshape-shape), not a repeat (shape-cse) */
static int
shape_counts(struct part *P, const struct gp_node *n)
{
	if (!P->o->dynamic || (P->unrun && P->unrun[n - P->g->n]))
		return 0;
	return !shape_dup(P, n);
}

/* shape_node counts n as a node computing from shapes (when the runtime
 * runs it), and its outputs as such tensors */
static void
shape_node(struct part *P, const struct gp_node *n)
{
	int j;

	if (shape_counts(P, n))
		P->shape_nodes++;
	for (j = 0; j < n->nout; j++)
		if (n->out[j] >= 0)
			P->shapeof[n->out[j]] = 1;
}

/* shape_source: a Shape or Size of an activation (src, its input's root) makes
 * a tensor a runtime computes at run time (gp folds it: it knows the shape) */
static void
shape_source(struct part *P, const struct gp_node *n, int src)
{
	if (strcmp(n->op, "Shape") && strcmp(n->op, "Size")) {
		/* a view of such a tensor (an Unsqueeze of a shape) is run too */
		if (src >= 0 && P->shapeof[src] && gp_op_passes(n) && shape_counts(P, n))
			P->shape_nodes++;
		return;
	}
	if (src < 0 || P->isconst[src])
		return;
	shape_node(P, n);
}

/* shape_follow: a node gp folds that reads such a tensor is one more such node */
static void
shape_follow(struct part *P, const struct gp_node *n)
{
	int j, any = 0;

	for (j = 0; j < n->nin; j++)
		if (n->in[j] >= 0 && (P->shapeof[n->in[j]] || P->shapeof[P->root[n->in[j]]]))
			any = 1;
	if (any)
		shape_node(P, n);
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

/* offsets: the start of each of n lists of cnt[i] items in one array,
 * into off[0 .. n] (off[n] the total, returned); cnt is zeroed for the
 * second pass that fills them */
static int
offsets(int *cnt, int *off, size_t n)
{
	size_t i;
	int total = 0;

	for (i = 0; i < n; i++) {
		off[i] = total;
		total += cnt[i];
		cnt[i] = 0;
	}
	off[n] = total;
	return total;
}

/* Under the matmul-transpose rule: for each tensor of the main graph, 1 when
 * every node that reads it is an ONNX MatMul, else 0; NULL when the rule is
 * off. A MatMul reads a transposed operand as it is (onnxruntime's
 * MatmulTransposeFusion). */
static char *
matmul_only(struct part *P)
{
	struct gp_graph *g = P->g;
	char *mm;
	size_t i;
	int j;

	if (!P->o->fuse || !rule(P, GP_FUSE_TRANSPOSE))
		return NULL;
	mm = gp_xcalloc(g->ntensor + 1, 1);
	for (i = 0; i < g->ntensor; i++)
		mm[i] = 1;
	for (i = 0; i < g->nn; i++) {
		const struct gp_node *n = &g->n[i];
		int matmul = n->graph == 0 && nop(P, n) == gp_op_find(NULL, "MatMul");

		for (j = 0; j < n->nin; j++)
			if (n->in[j] >= 0 && !(matmul && j < 2))
				mm[n->in[j]] = 0;
	}
	return mm;
}

/* node n is a Transpose of its input's last two axes whose output only
 * MatMuls read (mm, matmul_only), in the main graph: no kernel */
static int
folds_into_matmul(struct part *P, const struct gp_node *n, const char *mm)
{
	int64_t *perm;
	int np, i, y = n->nout > 0 ? n->out[0] : -1;

	if (!mm || n->graph != 0 || strcmp(n->op, "Transpose") || n->nin < 1 || n->in[0] < 0 || y < 0 ||
	    !mm[y] || P->g->t[y].kind == GP_K_OUTPUT)
		return 0;
	np = gp_attr_ints(&P->g->s->arena, n, "perm", &perm);
	if (np < 2)
		return 0;
	for (i = 0; i < np - 2; i++)
		if (perm[i] != i)
			return 0;
	return perm[np - 2] == np - 1 && perm[np - 1] == np - 2;
}

/* made: the node that makes tensor t, if it is one of op in the main graph; else NULL */
static const struct gp_node *
made(const struct gp_graph *g, int t, const char *op)
{
	int p = t >= 0 ? g->t[t].producer : -1;

	return p >= 0 && g->n[p].graph == 0 && !strcmp(g->n[p].op, op) &&
	    gp_op_find(g->n[p].domain, op) == gp_op_find(NULL, op) ? &g->n[p] : NULL;
}

/* dim_of: whether element j of Reshape r's shape is dim j of its data input,
 * taken by Unsqueeze(Gather(Shape(x), j)) of a tensor x with that dim: each
 * node of that path in path[0..2] */
static int
dim_of(const struct gp_graph *g, const struct gp_node *r, int t, int j, const struct gp_node **path)
{
	const struct gp_node *u = made(g, t, "Unsqueeze"), *ga, *sh;
	const struct gp_tensor *k, *x, *d;
	int64_t v;

	if (!u || u->nin < 1 || g->t[t].shape.rank != 1 || u->in[0] < 0 || g->t[u->in[0]].shape.rank != 0 ||
	    !(ga = made(g, u->in[0], "Gather")) || ga->nin < 2 || ga->in[1] < 0 ||
	    !(sh = made(g, ga->in[0], "Shape")) || sh->nin < 1 || sh->in[0] < 0 ||
	    gp_attr_int(sh, "start", &v) == 0 || gp_attr_int(sh, "end", &v) == 0)
		return 0;
	k = &g->t[ga->in[1]];
	if ((k->kind != GP_K_INIT && k->kind != GP_K_CONST && !made(g, ga->in[1], "Constant")) ||
	    k->nval != 1 || !k->iv || !k->iv[0].known || k->iv[0].v != j)
		return 0;
	x = &g->t[sh->in[0]];
	d = &g->t[r->in[0]];
	if (sh->in[0] != r->in[0] && !(j < x->shape.rank && j < d->shape.rank && x->shape.d[j].v >= 0 &&
	    x->shape.d[j].v == d->shape.d[j].v))
		return 0;
	path[0] = u;
	path[1] = ga;
	path[2] = sh;
	return 1;
}

/* reshape_fused: with the reshape-shape rule, the shape computations a
 * runtime's fusion removes (onnxruntime's ReshapeFusion, reshape_fusion.cc
 * Fuse_Subgraph): a Reshape whose shape is a Concat, read by it alone, of
 * constants and of its input's own dims, Unsqueeze(Gather(Shape(x), j)) at
 * element j (Shape whole, x that tensor or one with the same dim j), gets a
 * constant shape (0: copy the dim), and the Concat and every node of those
 * paths that nothing else then reads is gone. NULL when the rule is off. */
static char *
reshape_fused(struct part *P)
{
	struct gp_graph *g = P->g;
	char *gone;
	int *live, *path = NULL, np, cap = 0;
	size_t i;
	int j, k, any = 0;

	/* (in a model whose dims are all numbers no shape node counts) */
	if (!P->o->fuse || !rule(P, GP_FUSE_RESHAPE) || !P->o->dynamic)
		return NULL;
	gone = gp_xcalloc(g->nn + 1, 1);
	live = gp_xcalloc(g->ntensor + 1, sizeof *live);
	for (i = 0; i < g->nn; i++)
		for (j = 0; j < g->n[i].nin; j++)
			if (g->n[i].in[j] >= 0)
				live[g->n[i].in[j]]++;
	for (i = 0; i < g->nn; i++) {
		const struct gp_node *r = &g->n[i], *c, *p3[3];
		int64_t az;

		if (r->graph != 0 || nop(P, r) != gp_op_find(NULL, "Reshape") || r->nin < 2 || r->in[0] < 0 ||
		    (gp_attr_int(r, "allowzero", &az) == 0 && az != 0) ||
		    !(c = made(g, r->in[1], "Concat")) || live[r->in[1]] != 1 ||
		    g->t[r->in[1]].kind == GP_K_OUTPUT)
			continue;
		/* each element a constant or one of the input's dims, whose paths' nodes go in path */
		if (cap < 3 * c->nin) {
			cap = 3 * c->nin;
			path = gp_xreallocarray(path, (size_t)cap, sizeof *path);
		}
		for (j = np = 0; j < c->nin; j++) {
			const struct gp_tensor *e = c->in[j] >= 0 ? &g->t[c->in[j]] : NULL;

			if (e && (e->kind == GP_K_INIT || e->kind == GP_K_CONST || made(g, c->in[j], "Constant")))
				continue;
			if (!e || !dim_of(g, r, c->in[j], j, p3))
				break;
			for (k = 0; k < 3; k++)
				path[np++] = (int)(p3[k] - g->n);
		}
		if (j < c->nin)
			continue;
		gone[c - g->n] = 1;
		live[r->in[1]] = 0;     /* the Reshape's shape is now a constant */
		for (k = 0; k < np; k++)
			gone[path[k]] = 1;
		any = 1;
	}
	/* last to first: a candidate goes when nothing reads its outputs */
	for (i = g->nn; any && i-- > 0;) {
		const struct gp_node *n = &g->n[i];

		if (!gone[i])
			continue;
		for (j = 0; j < n->nout; j++)
			if (n->out[j] >= 0 && (live[n->out[j]] > 0 || g->t[n->out[j]].kind == GP_K_OUTPUT))
				break;
		if (j < n->nout) {
			gone[i] = 0;
			continue;
		}
		for (j = 0; j < n->nin; j++)
			if (n->in[j] >= 0)
				live[n->in[j]]--;
	}
	free(path);
	free(live);
	if (!any) {
		free(gone);
		gone = NULL;
	}
	return gone;
}

void
part_scan(struct part *P)
{
	struct gp_graph *g = P->g;
	size_t i, k;
	int *top = gp_xcalloc((size_t)g->ngraph + 1, sizeof *top), *cnt;
	char *mm = matmul_only(P);
	int j, total;

	P->unrun = reshape_fused(P);
	if (P->o->fuse && rule(P, GP_FUSE_CSE) && P->o->dynamic) {
		P->canon = gp_xcalloc(g->ntensor + 1, sizeof *P->canon);
		for (i = 0; i < g->ntensor; i++)
			P->canon[i] = -1;
	}
	for (i = 0; i < g->ntensor; i++) {
		P->root[i] = (int)i;
		P->isconst[i] = g->t[i].kind == GP_K_INIT || g->t[i].kind == GP_K_CONST;
	}
	for (j = 0; j < g->ngraph; j++)
		top[j] = g->gholder[j] >= 0 && g->n[g->gholder[j]].graph == 0 ? g->gholder[j] : -1;
	for (i = 0; i < g->nn; i++) {
		struct gp_node *n = &g->n[i];
		enum gp_class c = cls(P, n);
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
		if (c == GP_C_FREE || c == GP_C_VIEW || folds_into_matmul(P, n, mm)) {
			/* Identity, Dropout and the views pass input 0 on, as does a
			 * Transpose a MatMul reads as it is; Shape, Size and Constant
			 * make constants */
			int src = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;
			int pass = c == GP_C_MOVE || gp_op_passes(n);

			shape_source(P, n, src);
			/* a view of an activation, which a runtime may run as a node */
			if (c == GP_C_VIEW && n->graph == 0 && src >= 0 && !P->isconst[src] && !P->shapeof[src])
				P->view_nodes++;

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
			total = offsets(cnt, P->extra0, g->nn);
			P->extra = gp_xcalloc((size_t)total + 1, sizeof *P->extra);
		}
	}
	free(cnt);
	free(top);
	free(mm);
	free(P->unrun);
	P->unrun = NULL;
	free(P->canon);
	P->canon = NULL;
	gp_map_release(&P->sig);
	gp_buf_release(&P->sigbuf);
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

void
part_consumers(struct part *P)
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
			total = offsets(cnt, P->cons0, g->ntensor);
			P->cons = gp_xcalloc((size_t)total + 1, sizeof *P->cons);
		}
	}
	free(cnt);
}
