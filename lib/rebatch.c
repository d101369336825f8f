/* rebatch.c - gp-shape --batch N on a static export: the batch the export baked into its shape constants
 *
 * A model exported at a fixed batch (1, most often) holds that batch in its
 * shape constants: Reshape targets ([1,8,7,8,7,96]), the shape of an Expand
 * (ViT's class token, expanded to [1,1,1]), the sizes of a Resize. Giving
 * its inputs another batch and inferring as usual contradicts those
 * constants, or, where a target has a -1, silently puts the batch in
 * another dim. So the graph is inferred twice: once at the batch it was
 * exported at, which gives every tensor's shape there (ref), then at the new
 * batch, where each tensor's dims are compared with ref: the dim that grew
 * by new/old holds the batch (one dim, or the tensor is not linear in the
 * batch: a contradiction), and the count of elements before the batch in
 * memory order says where it lies inside that dim (bout: [64*B] holds it
 * first, a sequence-first [197*B] after 197 others).
 *
 * A Reshape (TFLite's RESHAPE too) whose target is a constant of the export
 * (the same values at both batches) gets the batch where its input has it:
 * the dim of the target at that place in memory order takes new/old times
 * its size. When several can (a 1 beside a 197, as in [197,1,768], or either
 * side of a boundary: [197*B,768] or [197,B*768]), they are tried in order:
 * a dim that is the old batch itself; a dim but the last with the batch
 * first in it; one with the batch inside it; the last dim (the features a
 * weight reads). An Expand, Tile or ConstantOfShape of a constant shape
 * gives the batch to one of its dims that is the old batch, or keeps it:
 * dim 0 first when what reads the output meets the batch, else kept first.
 * A Resize to constant sizes keeps its input's batch. A choice that leads to
 * a contradiction later is undone (the latest choice the contradicting node
 * depends on takes its next way, and the graph is inferred again), at most
 * MAXTRY times. When no choice works, the error names the node, as for any
 * contradiction, and says that the export fixes its batch.
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

#define MAXTRY 64       /* inferences of the graph, at most, to place the batch */
#define UNK (-2)        /* bax: cannot tell where the batch is */

struct decision {
	int node;       /* the node that chose */
	int choice;     /* 0 .. count-1 */
	int count;
};

struct gp_rebatch {
	int64_t from, to;                   /* the export's batch, the new one */
	int pass;                           /* 0 plain, 1 at the old batch, 2 at the new one */
	struct gp_tensor *orig, *base;      /* the tensors as bound: at the old batch, at the new one */
	struct gp_shape *ref;               /* per tensor: its shape at the old batch */
	struct gp_ival **refv;              /* per tensor: its values at the old batch */
	int *refn;
	int *bax;                           /* per tensor: the dim that holds the batch, -1 none, UNK */
	int64_t *bout;                      /* per tensor: the part of that dim outside the batch, 0 unknown */
	struct decision *dec;               /* the choices made, in the order made */
	int ndec, cap, used;
	int fail;                           /* the node a try stopped at, -1 none */
	char *up;                           /* backtrack's: the nodes the failing one depends on */
	int *stack;
	int *use, *unext, *unode;           /* per tensor: the nodes that read it (a list) */
	int inside;                         /* gp_infer runs a pass */
};

static struct gp_tensor *
snap(struct gp_graph *g)
{
	struct gp_tensor *s = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *s);
	size_t i;

	memcpy(s, g->t, g->ntensor * sizeof *s);
	for (i = 0; i < g->ntensor; i++) {
		/* shape functions give their outputs new dims; binding wrote in place */
		if (s[i].shape.rank > 0) {
			s[i].shape.d = gp_arena_alloc(&g->s->arena, (size_t)s[i].shape.rank * sizeof *s[i].shape.d);
			memcpy(s[i].shape.d, g->t[i].shape.d, (size_t)s[i].shape.rank * sizeof *s[i].shape.d);
		}
	}
	return s;
}

static void
restore(struct gp_graph *g, const struct gp_tensor *s)
{
	memcpy(g->t, s, g->ntensor * sizeof *s);
}

static int rb_active(const struct gp_graph *g);
static int rb_infer(struct gp_graph *g, int flags);
static int rb_node(struct gp_graph *g, struct gp_node *n, int rc);
static int rb_fail(struct gp_graph *g, int ni, int flags);
static const char *rb_why(struct gp_graph *g);

/* what gp_infer calls on a graph gp_rebatch_begin marked (gp.h) */
static const struct gp_infer_hooks hooks = {
	rb_active, rb_infer, rb_node, rb_fail, rb_why,
};

/* gp_rebatch_begin: gp_bind_batch is about to set dim 0 of the inputs of a
 * static export from `from` to `to`: keep the graph as it is, to infer it at
 * the old batch first. */
void
gp_rebatch_begin(struct gp_graph *g, int64_t from, int64_t to)
{
	struct gp_rebatch *rb = gp_arena_alloc(&g->s->arena, sizeof *rb);

	memset(rb, 0, sizeof *rb);
	rb->from = from;
	rb->to = to;
	rb->orig = snap(g);
	rb->fail = -1;
	g->rb = rb;
	g->hooks = &hooks;
	g->rebatched = 1;
	g->batch_from = from;
	g->batch_to = to;
}

/* ---- where the batch is ---- */

/* prefix: the product of the dims of s before dim k; -1 when one is not known */
static int64_t
prefix(const struct gp_shape *s, int k)
{
	int64_t p = 1;
	int i;

	for (i = 0; i < k; i++)
		if (!known(s->d[i]) || __builtin_mul_overflow(p, s->d[i].v, &p))
			return -1;
	return p;
}

static int
all_known(const struct gp_shape *s)
{
	int k;

	for (k = 0; k < s->rank; k++)
		if (!known(s->d[k]))
			return 0;
	return s->rank >= 0;
}

/* axis: the dim of tensor ti that holds the batch now (-1 none, UNK), or -3
 * when the tensor is not linear in it: more than one dim changed, or one by
 * another factor than new/old, or from a size that is not a multiple of the
 * old batch, or its rank did */
static int
axis(struct gp_graph *g, int ti)
{
	struct gp_rebatch *rb = g->rb;
	const struct gp_shape *a = &g->t[ti].shape, *b = &rb->ref[ti];
	int k, found = -1, unsure = 0;

	if (a->rank < 0 || b->rank < 0)
		return UNK;
	if (a->rank != b->rank)
		return -3;
	for (k = 0; k < a->rank; k++) {
		struct gp_dim x = a->d[k], y = b->d[k];

		if (known(x) && known(y)) {
			if (x.v == y.v)
				continue;
			int64_t u, w;

			if (found >= 0 || y.v % rb->from != 0 || __builtin_mul_overflow(x.v, rb->from, &u) ||
			    __builtin_mul_overflow(y.v, rb->to, &w) || u != w)
				return -3;
			found = k;
		} else if (!(x.sym && y.sym && !strcmp(x.sym, y.sym))) {
			unsure = 1;
		}
	}
	return found >= 0 ? found : unsure ? UNK : -1;
}

static int
is_view(const char *op)
{
	return !strcmp(op, "Reshape") || !strcmp(op, "Flatten") || !strcmp(op, "Squeeze") ||
	    !strcmp(op, "RESHAPE") || !strcmp(op, "SQUEEZE") || !strcmp(op, "EXPAND_DIMS") ||
	    !strcmp(op, "Unsqueeze");
}

/* outside: elements before the batch in memory order, in tensor ti at the
 * old batch (the dims before its batch dim, times the part of that dim
 * outside the batch); -1 unknown */
static int64_t
outside(struct gp_graph *g, int ti)
{
	struct gp_rebatch *rb = g->rb;
	int64_t p;

	if (rb->bax[ti] < 0 || !rb->bout[ti] || (p = prefix(&rb->ref[ti], rb->bax[ti])) < 0 ||
	    __builtin_mul_overflow(p, rb->bout[ti], &p))
		return -1;
	return p;
}

/* settle: after node n ran at the new batch, where its outputs hold the
 * batch; 0, or -2 (gp_op_err set) for an output not linear in it */
static int
settle(struct gp_graph *g, struct gp_node *n)
{
	struct gp_rebatch *rb = g->rb;
	int i, j;

	for (i = 0; i < n->nout; i++) {
		int ti = n->out[i], k;
		int64_t c, bo = 0;

		if (ti < 0)
			continue;
		k = axis(g, ti);
		if (k == -3) {
			struct gp_buf a = {0}, b = {0};

			gp_shape_fmt(&a, &g->t[ti].shape);
			gp_shape_fmt(&b, &rb->ref[ti]);
			gp_op_fail("'%s' would be %s at batch %lld but is %s at batch %lld: the batch is "
			    "not in one of its dims", g->t[ti].name, a.buf, (long long)rb->to, b.buf,
			    (long long)rb->from);
			gp_buf_release(&a);
			gp_buf_release(&b);
			return -2;
		}
		rb->bax[ti] = k;
		rb->bout[ti] = 0;
		if (k < 0)
			continue;
		c = rb->ref[ti].d[k].v / rb->from;      /* the dim is c times the batch */
		if (c == 1) {
			bo = 1;
		} else if (is_view(n->op) && n->nin > 0 && n->in[0] >= 0) {
			/* a view keeps the elements' order: as many before the batch */
			int64_t p = outside(g, n->in[0]), q = prefix(&rb->ref[ti], k);

			if (p > 0 && q > 0 && p % q == 0 && c % (p / q) == 0)
				bo = p / q;
		} else {
			/* a dim of the same size as an input's batch dim is that dim */
			for (j = 0; j < n->nin && !bo; j++) {
				int x = n->in[j];

				if (x >= 0 && rb->bax[x] >= 0 && rb->ref[x].d[rb->bax[x]].v == rb->ref[ti].d[k].v)
					bo = rb->bout[x];
			}
		}
		rb->bout[ti] = bo;
	}
	return 0;
}

/* ---- choices ---- */

/* choose: the choice of node n among count ways, as this try makes it */
static int
choose(struct gp_graph *g, struct gp_node *n, int count)
{
	struct gp_rebatch *rb = g->rb;
	int ni = (int)(n - g->n);

	if (rb->used < rb->ndec && rb->dec[rb->used].node == ni && rb->dec[rb->used].count == count)
		return rb->dec[rb->used++].choice;
	rb->ndec = rb->used;
	if (rb->ndec == rb->cap) {
		struct decision *d;

		rb->cap = rb->cap ? 2 * rb->cap : 16;
		d = gp_arena_alloc(&g->s->arena, (size_t)rb->cap * sizeof *d);
		if (rb->ndec)
			memcpy(d, rb->dec, (size_t)rb->ndec * sizeof *d);
		rb->dec = d;
	}
	rb->dec[rb->ndec++] = (struct decision){ni, 0, count};
	rb->used = rb->ndec;
	return 0;
}

/* backtrack: after a try stopped at node f, change the latest choice f
 * depends on to its next way (the choices after it are made anew); 0 when
 * there is none left */
static int
backtrack(struct gp_graph *g, int f)
{
	struct gp_rebatch *rb = g->rb;
	char *up;
	int *stack, sp = 0, i, j;

	if (!rb->up) {
		rb->up = gp_arena_alloc(&g->s->arena, g->nn + 1);
		rb->stack = gp_arena_alloc(&g->s->arena, (g->nn + 1) * sizeof *rb->stack);
	}
	up = rb->up;
	stack = rb->stack;
	memset(up, 0, g->nn + 1);
	up[f] = 1;
	stack[sp++] = f;
	while (sp > 0) {
		struct gp_node *n = &g->n[stack[--sp]];

		for (j = 0; j < n->nin; j++) {
			int p = n->in[j] >= 0 ? g->t[n->in[j]].producer : -1;

			if (p >= 0 && !up[p]) {
				up[p] = 1;
				stack[sp++] = p;
			}
		}
	}
	for (i = rb->used - 1; i >= 0; i--) {
		if (!up[rb->dec[i].node] || rb->dec[i].choice + 1 >= rb->dec[i].count)
			continue;
		rb->dec[i].choice++;
		rb->ndec = i + 1;
		return 1;
	}
	return 0;
}

/* ---- the ops that hold a batch in a constant ---- */

/* same_vals: does tensor ti have the values it had at the old batch (a
 * constant of the export, or computed from them only)? */
static int
same_vals(struct gp_graph *g, int ti)
{
	struct gp_rebatch *rb = g->rb;
	const struct gp_tensor *t = &g->t[ti];
	int k;

	if (!t->iv || t->nval < 0 || !rb->refv[ti] || rb->refn[ti] != t->nval)
		return 0;
	for (k = 0; k < t->nval; k++) {
		struct gp_ival a = t->iv[k], b = rb->refv[ti][k];

		if (a.known ? !b.known || a.v != b.v : !a.sym || !b.sym || strcmp(a.sym, b.sym))
			return 0;
	}
	return 1;
}

/* put gives output 0 of n the dims d (rank r) and the dtype dt */
static void
put(struct gp_graph *g, struct gp_node *n, int dt, int r, const struct gp_dim *d)
{
	struct gp_tensor *t = gp_node_out(g, n, 0);

	t->shape.rank = r;
	t->shape.d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(t->shape.d, d, (size_t)r * sizeof *d);
	if (dt > 0)
		t->dtype = dt;
	t->dirty = 1;
}

/* reshape: a Reshape at the new batch whose target is a constant of the
 * export, of an input that holds the batch: the target's dims at the old
 * batch with the batch where the input has it (see the file's comment) */
static int
reshape(struct gp_graph *g, struct gp_node *n, int rc)
{
	struct gp_rebatch *rb = g->rb;
	int xi = n->in[0], yi = n->out[0], k, m = 0, r, pick;
	const struct gp_shape *y = &rb->ref[yi];
	struct gp_tensor *x = &g->t[xi], *tt = gp_node_in(g, n, 1);
	const char *what = tt ? gp_arena_printf(A, "'%s'", tt->name) : "new_shape";
	int64_t p, *attr;
	int *way, *kind;
	struct gp_dim *d;

	/* the target: input 1, or TFLite's new_shape when that has no values */
	if (tt && tt->nval < 0 && !strcmp(n->op, "RESHAPE") && gp_attr_ints(A, n, "new_shape", &attr) >= 0)
		tt = NULL;
	if (rb->bax[xi] < 0 || (tt && !same_vals(g, n->in[1])))
		return rc;      /* no batch to place, or a target computed anew */
	if ((p = outside(g, xi)) < 0 || y->rank < 1) {
		struct gp_buf b = {0};

		gp_shape_fmt(&b, &x->shape);
		gp_op_fail("cannot tell where the batch of '%s' (%s) goes in the target %s, a "
		    "constant of the export", x->name, b.buf, what);
		gp_buf_release(&b);
		return -2;
	}
	/* the dims that can take the batch, best first: kind 0 the old batch
	 * itself; 1 a dim but the last, the batch first in it (B*heads); 2 a
	 * dim but the last, the batch inside it (seq*B); 3 the last */
	r = y->rank;
	way = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *way);
	kind = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *kind);
	for (k = 0; k < r; k++) {
		int64_t q = prefix(y, k), a;

		if (q < 0 || q > p)
			break;          /* a symbol (seq) before: the batch is not after it */
		if (!known(y->d[k]) || q == 0 || p % q != 0)
			continue;
		a = p / q;      /* the part of dim k before the batch */
		if (a > y->d[k].v || __builtin_mul_overflow(a, rb->from, &q) || y->d[k].v % q != 0 ||
		    __builtin_mul_overflow(y->d[k].v / rb->from, rb->to, &q))
			continue;
		way[m] = k;
		kind[m++] = a == 1 && y->d[k].v == rb->from ? 0 : k == r - 1 ? 3 : a == 1 ? 1 : 2;
	}
	if (!m) {
		struct gp_buf a = {0}, b = {0};

		gp_shape_fmt(&a, &x->shape);
		gp_shape_fmt(&b, y);
		gp_op_fail("no dim of %s = %s, a constant of the export, can hold the batch of '%s' (%s)",
		    what, b.buf, x->name, a.buf);
		gp_buf_release(&a);
		gp_buf_release(&b);
		return -2;
	}
	for (k = 1; k < m; k++) {       /* stable: by kind, then in order */
		int w = way[k], c = kind[k], j;

		for (j = k; j > 0 && kind[j - 1] > c; j--) {
			way[j] = way[j - 1];
			kind[j] = kind[j - 1];
		}
		way[j] = w;
		kind[j] = c;
	}
	pick = way[m > 1 ? choose(g, n, m) : 0];
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, y->d, (size_t)r * sizeof *d);
	d[pick].v = y->d[pick].v / rb->from * rb->to;      /* checked above */
	put(g, n, x->dtype, r, d);
	gp_pass_vals(g, n, x);
	return 0;
}

/* uses: build the lists of the nodes that read each tensor */
static void
uses(struct gp_graph *g)
{
	struct gp_rebatch *rb = g->rb;
	size_t i, e = 0, ne = 0;
	int j;

	for (i = 0; i < g->nn; i++)
		ne += (size_t)(g->n[i].nin > 0 ? g->n[i].nin : 0);
	rb->use = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->use);
	rb->unext = gp_arena_alloc(&g->s->arena, (ne + 1) * sizeof *rb->unext);
	rb->unode = gp_arena_alloc(&g->s->arena, (ne + 1) * sizeof *rb->unode);
	for (i = 0; i < g->ntensor; i++)
		rb->use[i] = -1;
	for (i = 0; i < g->nn; i++) {
		for (j = 0; j < g->n[i].nin; j++) {
			int t = g->n[i].in[j];

			if (t < 0)
				continue;
			rb->unode[e] = (int)i;
			rb->unext[e] = rb->use[t];
			rb->use[t] = (int)e++;
		}
	}
}

/* meets: does tensor ti meet the batch in a node that reads it: another of
 * its inputs holds the batch (a Concat with the patches, a Mul with the
 * activations), looking on through nodes that read nothing else but
 * constants (an Unsqueeze, a Cast), depth of them at most */
static int
meets(struct gp_graph *g, int ti, int depth)
{
	struct gp_rebatch *rb = g->rb;
	int e, j;

	for (e = rb->use[ti]; e >= 0; e = rb->unext[e]) {
		struct gp_node *n = &g->n[rb->unode[e]];
		int alone = 1;

		for (j = 0; j < n->nin; j++) {
			int x = n->in[j];

			if (x < 0 || x == ti)
				continue;
			if (rb->bax[x] >= 0)
				return 1;
			if (g->t[x].kind != GP_K_INIT && g->t[x].kind != GP_K_CONST)
				alone = 0;
		}
		for (j = 0; alone && depth > 0 && j < n->nout; j++)
			if (n->out[j] >= 0 && meets(g, n->out[j], depth - 1))
				return 1;
	}
	return 0;
}

/* fill: an Expand, Tile or ConstantOfShape at the new batch whose shape is a
 * constant of the export and whose output does not hold the batch: one of its
 * dims that is the old batch takes the new one, or it stays as it is. Dim 0
 * of data (rank 2 or more) that meets the batch in what reads it is tried
 * first, then as it is (a vector is a shape computation, indices for a
 * ScatterND are not the batch), then the other dims. */
static int
fill(struct gp_graph *g, struct gp_node *n, int si)
{
	struct gp_rebatch *rb = g->rb;
	int yi = n->out[0], k, m = 0, r, pick, *way;
	struct gp_tensor *y = &g->t[yi], *sh = gp_node_in(g, n, si);
	struct gp_dim *d;

	if (!sh || !same_vals(g, n->in[si]) || rb->bax[yi] != -1 || (si == 1 && rb->bax[n->in[0]] != -1) ||
	    !all_known(&y->shape) || sh->nval > y->shape.rank)
		return 0;
	r = y->shape.rank;
	way = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *way);
	way[m++] = -1;
	for (k = 0; k < sh->nval; k++) {
		int at = r - sh->nval + k;      /* the shape is aligned right */

		/* Tile's repeat, Expand's or ConstantOfShape's dim */
		int64_t v;

		if (sh->iv[k].known && sh->iv[k].v == rb->from &&
		    (!strcmp(n->op, "Tile") || y->shape.d[at].v == rb->from) &&
		    y->shape.d[at].v % rb->from == 0 &&
		    !__builtin_mul_overflow(y->shape.d[at].v / rb->from, rb->to, &v))
			way[m++] = at;
	}
	if (m > 1 && r >= 2 && way[1] == 0 && meets(g, yi, 4)) {
		/* data made at the batch, to meet the activations (torch.ones(B, S),
		 * cls.expand(B, -1, -1)): dim 0 takes it, unless that contradicts */
		way[0] = 0;
		way[1] = -1;
	}
	if (m == 1 || (pick = way[choose(g, n, m)]) < 0)
		return 0;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, y->shape.d, (size_t)r * sizeof *d);
	d[pick].v = d[pick].v / rb->from * rb->to;
	put(g, n, 0, r, d);
	y->nval = -1;           /* its values were for the old shape */
	y->iv = NULL;
	y->fv = NULL;
	return 0;
}

/* resize: a Resize at the new batch to sizes that are a constant of the
 * export, of an input that holds the batch in a dim the sizes keep at the
 * old batch (F.interpolate(size=...) writes [1,C,H,W]): that dim is the
 * input's */
static int
resize(struct gp_graph *g, struct gp_node *n)
{
	struct gp_rebatch *rb = g->rb;
	int xi = n->in[0], yi = n->out[0], k = rb->bax[xi];
	struct gp_tensor *x = &g->t[xi], *y = &g->t[yi];
	struct gp_dim *d;

	if (k < 0 || !same_vals(g, n->in[3]) || y->shape.rank != x->shape.rank || rb->ref[yi].rank != y->shape.rank ||
	    !known(y->shape.d[k]) || !known(rb->ref[yi].d[k]) || y->shape.d[k].v != rb->ref[yi].d[k].v ||
	    rb->ref[yi].d[k].v != rb->ref[xi].d[k].v)
		return 0;
	d = gp_arena_alloc(A, (size_t)(y->shape.rank + 1) * sizeof *d);
	memcpy(d, y->shape.d, (size_t)y->shape.rank * sizeof *d);
	d[k] = x->shape.d[k];
	put(g, n, 0, y->shape.rank, d);
	return 0;
}

/* onnx: is n an op of ONNX's default domain? */
static int
onnx(const struct gp_node *n)
{
	return !n->domain || !*n->domain || !strcmp(n->domain, "ai.onnx");
}

/* rb_node: after node n's shape function returned rc, at the new
 * batch: place the batch in the constants n reads, then note where its
 * outputs hold the batch. Returns n's rc: -2 when n is impossible. */
static int
rb_node(struct gp_graph *g, struct gp_node *n, int rc)
{
	struct gp_rebatch *rb = g->rb;

	if (!rb || rb->pass != 2)
		return rc;
	if (((onnx(n) && !strcmp(n->op, "Reshape") && n->nin >= 2 && n->in[1] >= 0) ||
	    (n->domain && !strcmp(n->domain, "tflite") && !strcmp(n->op, "RESHAPE"))) &&
	    n->nin >= 1 && n->in[0] >= 0 && n->nout >= 1 && n->out[0] >= 0 && rc != -1)
		rc = reshape(g, n, rc);
	if (rc == -2)
		return rc;
	if (rc == 0 && onnx(n) && !strcmp(n->op, "Resize") && n->nin >= 4 && n->in[0] >= 0 && n->in[3] >= 0 &&
	    n->nout >= 1 && n->out[0] >= 0)
		resize(g, n);
	if (rc == 0 && n->nout >= 1 && n->out[0] >= 0 && onnx(n)) {
		int si = !strcmp(n->op, "ConstantOfShape") ? 0 :
		    !strcmp(n->op, "Expand") || !strcmp(n->op, "Tile") ? 1 : -1;

		if (si >= 0 && n->nin > si && n->in[si] >= 0 && (si == 0 || n->in[0] >= 0) &&
		    settle(g, n) == 0)
			fill(g, n, si);
	}
	return rc == 0 ? settle(g, n) : rc;
}

/* start: the tensors as in from, to infer them at the old batch (pass 1)
 * or the new one (2) */
static void
start(struct gp_graph *g, const struct gp_tensor *from, int pass)
{
	struct gp_rebatch *rb = g->rb;
	size_t i;

	restore(g, from);
	rb->pass = pass;
	rb->used = 0;
	rb->fail = -1;
	for (i = 0; i < g->ntensor; i++) {
		int k;

		rb->bax[i] = -1;
		rb->bout[i] = 0;
		if (pass == 2 && g->t[i].shape.rank >= 0 && (g->t[i].kind == GP_K_INPUT ||
		    g->t[i].kind == GP_K_INIT || g->t[i].kind == GP_K_CONST) && (k = axis(g, (int)i)) >= 0) {
			rb->bax[i] = k;         /* an input holds the batch alone in its dim */
			rb->bout[i] = 1;
		}
	}
}

/* attempt: one quiet inference that stops at the first impossible node (rb->fail) */
static void
attempt(struct gp_graph *g, int flags)
{
	gp_warn_off++;
	gp_infer(g, flags | GP_INFER_QUIET | GP_INFER_TRY);
	gp_warn_off--;
}

/* rb_infer: gp_infer on a graph gp_rebatch_begin marked: infer it
 * at the old batch, then at the new one, placing the batch in its
 * constants; the last inference is gp_infer's own (warnings and errors as
 * usual). Returns what gp_infer does. */
static int
rb_infer(struct gp_graph *g, int flags)
{
	struct gp_rebatch *rb = g->rb;
	int tries, rc;
	size_t i;

	rb->inside = 1;
	rb->base = snap(g);
	rb->bax = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->bax);
	rb->bout = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->bout);
	uses(g);
	start(g, rb->orig, 1);
	attempt(g, flags);
	if (rb->fail >= 0) {
		/* impossible at its own batch: the error is the model's, said */
		start(g, rb->orig, 1);
		gp_infer(g, flags);
	}
	rb->ref = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->ref);
	rb->refv = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->refv);
	rb->refn = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *rb->refn);
	for (i = 0; i < g->ntensor; i++) {
		rb->ref[i] = g->t[i].shape;
		rb->refv[i] = g->t[i].iv;
		rb->refn[i] = g->t[i].iv ? g->t[i].nval : -1;
	}
	for (tries = 1;; tries++) {
		start(g, rb->base, 2);
		attempt(g, flags);
		if (rb->fail < 0)
			break;
		if (tries >= MAXTRY || !backtrack(g, rb->fail)) {
			rb->ndec = 0;   /* the error as the first choices meet it */
			break;
		}
	}
	start(g, rb->base, 2);
	rc = gp_infer(g, flags);
	rb->inside = 0;
	return rc;
}

/* rb_why: what to add to the error of an impossible node */
static const char *
rb_why(struct gp_graph *g)
{
	if (!g->rb || g->rb->pass != 2)
		return "";
	return gp_arena_printf(&g->s->arena, " (--batch %lld on a model exported at batch %lld: the "
	    "export fixes its batch in its shape constants, and no place for the new batch in them "
	    "makes this node consistent; export the model with a dynamic batch axis, or at batch %lld)",
	    (long long)g->rb->to, (long long)g->rb->from, (long long)g->rb->to);
}

/* rb_active: is gp_infer to hand the graph to rb_infer? */
static int
rb_active(const struct gp_graph *g)
{
	return g->rb && !g->rb->inside;
}

/* rb_fail: a try stopped at node ni: 1 when it is a try (not the
 * last inference, which dies) */
static int
rb_fail(struct gp_graph *g, int ni, int flags)
{
	if (!g->rb || !(flags & GP_INFER_TRY))
		return 0;
	g->rb->fail = ni;
	return 1;
}
