/* ops.c - the op tables: for every ONNX op gp knows (and every contrib op of
 * onnxruntime's com.microsoft domain, in a second table), how to infer its
 * outputs
 *
 * A shape function reads its node's input tensors (dtype, shape and, for the
 * small integer tensors of shape computations, their values) and sets its
 * outputs. It returns 0 when done, -1 when an input it needs is unknown (the
 * outputs stay as they were), and -2 when the node is impossible, with
 * gp_op_err saying why. Values propagate as ONNX's data_prop does: Shape,
 * Gather, Concat, Slice, Unsqueeze, arithmetic ... on small int64 tensors, with
 * symbolic dims carried as names.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "cost.h"

char gp_op_err[256];

#define MAXVAL 64               /* values are carried for tensors this small */

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(gp_op_err, sizeof gp_op_err, fmt, ap);
	va_end(ap);
	return -2;
}

#define A (&g->s->arena)

/* ---- dims ---- */

static struct gp_dim
dk(int64_t v)
{
	struct gp_dim d = {v, NULL};

	return d;
}

static const struct gp_dim unk = {-1, NULL};

static int
known(struct gp_dim d)
{
	return !d.sym && d.v >= 0;
}

static int
same(struct gp_dim a, struct gp_dim b)
{
	if (a.sym || b.sym)
		return a.sym && b.sym && strcmp(a.sym, b.sym) == 0;
	return a.v >= 0 && a.v == b.v;
}

static struct gp_dim
ival_dim(struct gp_ival v)
{
	struct gp_dim d = {-1, NULL};

	if (v.known && v.v >= 0)
		d.v = v.v;
	else if (v.sym)
		d.sym = v.sym;
	return d;
}

static struct gp_ival
dim_ival(struct gp_dim d)
{
	struct gp_ival v = {0, NULL, 0};

	if (known(d)) {
		v.v = d.v;
		v.known = 1;
	} else {
		v.sym = d.sym;
	}
	return v;
}

static int
rank(const struct gp_tensor *t)
{
	return t ? t->shape.rank : -1;
}

/* vals: t's values if it has them all (as ivals), with their count; else -1 */
static int
vals(const struct gp_tensor *t, const struct gp_ival **v)
{
	if (!t || t->nval < 0 || !t->iv)
		return -1;
	*v = t->iv;
	return t->nval;
}

/* ints: t's values as plain integers, all known; else -1 */
static int
ints(struct gp_graph *g, const struct gp_tensor *t, int64_t **v)
{
	const struct gp_ival *iv;
	int n = vals(t, &iv), i;

	if (n < 0)
		return -1;
	*v = gp_arena_alloc(A, (size_t)(n + 1) * sizeof **v);
	for (i = 0; i < n; i++) {
		if (!iv[i].known)
			return -1;
		(*v)[i] = iv[i].v;
	}
	return n;
}

/* floats: t's float values; else -1 */
static int
floats(const struct gp_tensor *t, double **v)
{
	if (!t || t->nval < 0 || !t->fv)
		return -1;
	*v = t->fv;
	return t->nval;
}

/* set_out sets output i: dtype, rank and dims (copied). A declared shape that
 * disagrees is reported once; a declared dim fills in one we cannot know. */
static void
set_out(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r, const struct gp_dim *d)
{
	struct gp_tensor *t = gp_node_out(g, n, i);
	struct gp_dim *nd;
	int k;

	if (!t)
		return;
	if (dtype > 0 && dtype <= GP_DTYPE_MAX)
		t->dtype = dtype;
	if (r < 0) {
		t->dirty = 1;
		return;
	}
	nd = r ? gp_arena_alloc(A, (size_t)r * sizeof *nd) : NULL;
	for (k = 0; k < r; k++) {
		nd[k] = d[k];
		if (t->shape.rank == r && !known(nd[k]) && !nd[k].sym)
			nd[k] = t->shape.d[k];          /* keep what the file declared */
	}
	if (t->shape.rank >= 0) {
		int bad = t->shape.rank != r;

		for (k = 0; !bad && k < r; k++)
			bad = known(t->shape.d[k]) && known(nd[k]) && t->shape.d[k].v != nd[k].v;
		if (bad) {
			struct gp_buf a = {0}, b = {0};
			struct gp_shape s2 = {r, nd};

			gp_shape_fmt(&a, &t->shape);
			gp_shape_fmt(&b, &s2);
			gp_warn("%s: node '%s' (%s): '%s' is declared %s but is %s", g->s->src, n->name,
			    n->op, t->name, a.buf, b.buf);
			gp_buf_release(&a);
			gp_buf_release(&b);
		}
	}
	t->shape.rank = r;
	t->shape.d = nd;
	t->dirty = 1;
}

void
gp_op_set_out(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r, const struct gp_dim *d)
{
	set_out(g, n, i, dtype, r, d);
}

static void
set_vals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const struct gp_ival *v)
{
	struct gp_tensor *t = gp_node_out(g, n, i);

	if (!t || cnt < 0 || cnt > MAXVAL)
		return;
	t->iv = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *t->iv);
	memcpy(t->iv, v, (size_t)cnt * sizeof *v);
	t->nval = cnt;
	t->fv = NULL;
}

static void
set_fvals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const double *v)
{
	struct gp_tensor *t = gp_node_out(g, n, i);

	if (!t || cnt < 0 || cnt > MAXVAL)
		return;
	t->fv = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *t->fv);
	memcpy(t->fv, v, (size_t)cnt * sizeof *v);
	t->nval = cnt;
	t->iv = NULL;
}

/* pass_vals gives output 0 the values of x, if it has any (a view: Identity,
 * Squeeze, Unsqueeze, Reshape keep the values in order) */
static void
pass_vals(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x)
{
	if (x && x->nval >= 0 && x->iv)
		set_vals(g, n, 0, x->nval, x->iv);
	else if (x && x->nval >= 0 && x->fv)
		set_fvals(g, n, 0, x->nval, x->fv);
}

/* set_unknown sets output i to rank r with every dim unknown */
static void
set_unknown(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r)
{
	struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	int k;

	for (k = 0; k < r; k++)
		d[k] = unk;
	set_out(g, n, i, dtype, r, d);
}

static int64_t
attr_i(struct gp_node *n, const char *k, int64_t def)
{
	int64_t v;

	return gp_attr_int(n, k, &v) == 0 ? v : def;
}

/* norm_axis maps a possibly negative axis into [0, r); -1 if out of range */
static int
norm_axis(int64_t a, int r)
{
	if (a < 0)
		a += r;
	return a >= 0 && a < r ? (int)a : -1;
}

/* ---- element-wise ---- */

static int
op_same(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	if (!x || x->shape.rank < 0) {
		if (x)
			set_out(g, n, 0, x->dtype, -1, NULL);
		return -1;
	}
	set_out(g, n, 0, x->dtype, x->shape.rank, x->shape.d);
	if (strcmp(n->op, "Identity") == 0)
		pass_vals(g, n, x);
	return 0;
}

static int
op_bool1(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	const struct gp_ival *xv;
	int nx, i;

	if (!x || x->shape.rank < 0)
		return -1;
	set_out(g, n, 0, 9, x->shape.rank, x->shape.d);
	/* Not of known values (an If's condition, negated) */
	if (!strcmp(n->op, "Not") && (nx = vals(x, &xv)) >= 0) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(nx + 1) * sizeof *v);

		for (i = 0; i < nx; i++) {
			memset(&v[i], 0, sizeof v[i]);
			v[i].known = xv[i].known;
			v[i].v = xv[i].known && !xv[i].v;
		}
		set_vals(g, n, 0, nx, v);
	}
	return 0;
}

/* bcast broadcasts the shapes of the nt tensors ts (NULL ones skipped)
 * numpy-style into d; returns the rank, -1 if a rank is unknown, -2 if they
 * cannot broadcast */
static int
bcast(struct gp_graph *g, struct gp_tensor *const *ts, int nt, struct gp_dim **d)
{
	int r = 0, i, k;

	for (i = 0; i < nt; i++) {
		if (!ts[i])
			continue;
		if (ts[i]->shape.rank < 0)
			return -1;
		if (ts[i]->shape.rank > r)
			r = ts[i]->shape.rank;
	}
	*d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof **d);
	for (k = 0; k < r; k++) {
		struct gp_dim res = dk(1);
		int any = 0;

		for (i = 0; i < nt; i++) {
			struct gp_tensor *t = ts[i];
			struct gp_dim x;
			int j;

			if (!t)
				continue;
			j = k - (r - t->shape.rank);
			if (j < 0)
				continue;
			x = t->shape.d[j];
			if (known(x) && x.v == 1)
				continue;
			if (!any) {
				res = x;
				any = 1;
			} else if (same(res, x)) {
				;
			} else if (known(res) && known(x)) {
				return fail("cannot broadcast dim %lld with %lld", (long long)res.v,
				    (long long)x.v);
			} else if (known(x)) {
				res = x;        /* a known dim > 1 wins over a symbol */
			} else if (!known(res)) {
				res = unk;
			}
		}
		(*d)[k] = res;
	}
	return r;
}

/* broadcast the shapes of inputs [from, to) numpy-style into d; returns the rank */
static int
broadcast(struct gp_graph *g, struct gp_node *n, int from, int to, struct gp_dim **d)
{
	struct gp_tensor **ts;
	int i;

	if (to < from)
		to = from;
	ts = gp_arena_alloc(A, (size_t)(to - from + 1) * sizeof *ts);
	for (i = from; i < to; i++)
		ts[i - from] = gp_node_in(g, n, i);
	return bcast(g, ts, to - from, d);
}

static int64_t
arith(const char *op, int64_t a, int64_t b, int *ok)
{
	int64_t r = 0;

	*ok = 1;
	if (strcmp(op, "Add") == 0)
		*ok = !__builtin_add_overflow(a, b, &r);
	else if (strcmp(op, "Sub") == 0)
		*ok = !__builtin_sub_overflow(a, b, &r);
	else if (strcmp(op, "Mul") == 0)
		*ok = !__builtin_mul_overflow(a, b, &r);
	else if (strcmp(op, "Div") == 0)
		*ok = b != 0 && !(a == INT64_MIN && b == -1), r = *ok ? a / b : 0;
	else if (strcmp(op, "Mod") == 0) {
		*ok = b != 0 && !(a == INT64_MIN && b == -1);
		r = *ok ? a % b : 0;
		if (r != 0 && (r < 0) != (b < 0))
			r += b;         /* fmod=0: the sign of the divisor, as Python's % */
	}
	else if (strcmp(op, "Max") == 0)
		r = a > b ? a : b;
	else if (strcmp(op, "Min") == 0)
		r = a < b ? a : b;
	else if (strcmp(op, "Equal") == 0)
		r = a == b;
	else if (strcmp(op, "Less") == 0)
		r = a < b;
	else if (strcmp(op, "Greater") == 0)
		r = a > b;
	else if (strcmp(op, "LessOrEqual") == 0)
		r = a <= b;
	else if (strcmp(op, "GreaterOrEqual") == 0)
		r = a >= b;
	else if (strcmp(op, "And") == 0)
		r = a && b;
	else if (strcmp(op, "Or") == 0)
		r = a || b;
	else
		*ok = 0;
	return r;
}

static int
op_binary(struct gp_graph *g, struct gp_node *n)
{
	struct gp_dim *d;
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int r = broadcast(g, n, 0, n->nin, &d), dt, i;
	int cmp = strstr("Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor", n->op) != NULL;
	const struct gp_ival *av, *bv;
	int na, nb;

	dt = cmp ? 9 : a ? a->dtype : 0;
	if (r == -2)
		return -2;
	if (r < 0) {
		set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	set_out(g, n, 0, dt, r, d);
	/* values: int64 arithmetic on small tensors, a symbol only when unchanged */
	if (n->nin == 2 && (na = vals(a, &av)) >= 0 && (nb = vals(b, &bv)) >= 0 && r <= 1 &&
	    (na == nb || na == 1 || nb == 1)) {
		int cnt = na > nb ? na : nb, ok;
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);

		for (i = 0; i < cnt; i++) {
			struct gp_ival x = av[na == 1 ? 0 : i], y = bv[nb == 1 ? 0 : i];

			memset(&v[i], 0, sizeof v[i]);
			if (x.known && y.known) {
				v[i].v = arith(n->op, x.v, y.v, &ok);
				v[i].known = ok;
			} else if (y.known && ((y.v == 1 && (!strcmp(n->op, "Mul") || !strcmp(n->op, "Div"))) ||
			    (y.v == 0 && (!strcmp(n->op, "Add") || !strcmp(n->op, "Sub"))))) {
				v[i] = x;
			} else if (x.known && ((x.v == 1 && !strcmp(n->op, "Mul")) ||
			    (x.v == 0 && !strcmp(n->op, "Add")))) {
				v[i] = y;
			} else if (!strcmp(n->op, "Equal") && x.sym && y.sym && !strcmp(x.sym, y.sym)) {
				v[i].v = 1;
				v[i].known = 1;
			}
		}
		set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

static int
op_where(struct gp_graph *g, struct gp_node *n)
{
	struct gp_dim *d;
	struct gp_tensor *c = gp_node_in(g, n, 0), *x = gp_node_in(g, n, 1), *y = gp_node_in(g, n, 2);
	int r = broadcast(g, n, 0, 3, &d), i;
	const struct gp_ival *cv, *xv, *yv;
	int nc, nx, ny;

	if (r < 0) {
		set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return r;
	}
	set_out(g, n, 0, x ? x->dtype : 0, r, d);
	if ((nc = vals(c, &cv)) >= 0 && (nx = vals(x, &xv)) >= 0 && (ny = vals(y, &yv)) >= 0 && r <= 1) {
		int cnt = nc > nx ? nc : nx;
		struct gp_ival *v;

		cnt = cnt > ny ? cnt : ny;
		if ((nc != cnt && nc != 1) || (nx != cnt && nx != 1) || (ny != cnt && ny != 1))
			return 0;
		v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);
		for (i = 0; i < cnt; i++) {
			struct gp_ival cc = cv[nc == 1 ? 0 : i];

			memset(&v[i], 0, sizeof v[i]);
			if (cc.known)
				v[i] = cc.v ? xv[nx == 1 ? 0 : i] : yv[ny == 1 ? 0 : i];
		}
		set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

/* ---- shape and data movement ---- */

static int
op_shape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim d;
	int64_t s = attr_i(n, "start", 0), e;
	int r = rank(x), i;
	struct gp_ival *v;

	if (r < 0) {
		set_out(g, n, 0, 7, 1, &unk);
		return -1;
	}
	e = attr_i(n, "end", r);
	s = s < 0 ? s + r : s;
	e = e < 0 ? e + r : e;
	s = s < 0 ? 0 : s > r ? r : s;
	e = e < 0 ? 0 : e > r ? r : e;
	if (e < s)
		e = s;
	d = dk(e - s);
	set_out(g, n, 0, 7, 1, &d);
	v = gp_arena_alloc(A, (size_t)(e - s + 1) * sizeof *v);
	for (i = (int)s; i < e; i++)
		v[i - s] = dim_ival(x->shape.d[i]);
	set_vals(g, n, 0, (int)(e - s), v);
	return 0;
}

static int
op_size(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t ne = x ? gp_shape_numel(&x->shape) : -1;

	set_out(g, n, 0, 7, 0, NULL);
	if (ne >= 0) {
		struct gp_ival v = {ne, NULL, 1};

		set_vals(g, n, 0, 1, &v);
	}
	return 0;
}

static int
op_cast(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *like = gp_node_in(g, n, 1);
	int64_t to = like ? like->dtype : attr_i(n, "to", 0);
	int i;

	if (!like && (to < 1 || to > GP_DTYPE_MAX))
		return fail("'to' is %lld, no ONNX data type gp knows (1 to %d)", (long long)to, GP_DTYPE_MAX);

	if (!x || x->shape.rank < 0) {
		set_out(g, n, 0, (int)to, -1, NULL);
		return -1;
	}
	set_out(g, n, 0, (int)to, x->shape.rank, x->shape.d);
	if (x->nval >= 0 && to == 9 && (x->iv || x->fv)) {
		/* to bool: nonzero is 1 (an If's condition) */
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *v);

		for (i = 0; i < x->nval; i++) {
			v[i].sym = NULL;
			v[i].known = x->iv ? x->iv[i].known : !isnan(x->fv[i]);
			v[i].v = x->iv ? x->iv[i].v != 0 : x->fv[i] != 0;
		}
		set_vals(g, n, 0, x->nval, v);
	} else if (x->iv && x->nval >= 0 && to != 1 && to != 10 && to != 11 && to != 16)
		set_vals(g, n, 0, x->nval, x->iv);
	else if (x->iv && x->nval >= 0) {
		double *f = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *f);

		for (i = 0; i < x->nval; i++) {
			if (!x->iv[i].known)
				return 0;
			f[i] = (double)x->iv[i].v;
		}
		set_fvals(g, n, 0, x->nval, f);
	} else if (x->fv && x->nval >= 0 && to != 1 && to != 10 && to != 11 && to != 16) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *v);

		for (i = 0; i < x->nval; i++) {
			v[i].v = (int64_t)x->fv[i];
			v[i].sym = NULL;
			v[i].known = isfinite(x->fv[i]);
		}
		set_vals(g, n, 0, x->nval, v);
	} else if (x->fv && x->nval >= 0) {
		set_fvals(g, n, 0, x->nval, x->fv);
	}
	return 0;
}

/* axes of Unsqueeze/Squeeze/Reduce*: from the second input (newer opsets) or
 * the attribute; returns the count, -1 when absent, -2 when not known */
static int
axes_of(struct gp_graph *g, struct gp_node *n, int input, int64_t **ax)
{
	struct gp_tensor *t = gp_node_in(g, n, input);
	int c;

	if (t) {
		c = ints(g, t, ax);
		return c < 0 ? -2 : c;
	}
	c = gp_attr_ints(A, n, "axes", ax);
	return c;
}

static int
op_unsqueeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax;
	int na = axes_of(g, n, 1, &ax), r, i, k, j;
	struct gp_dim *d;
	char *mark;

	if (!x || x->shape.rank < 0 || na < 0) {
		set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return -1;
	}
	r = x->shape.rank + na;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	mark = gp_arena_alloc(A, (size_t)r + 1);
	memset(mark, 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		k = norm_axis(ax[i], r);
		if (k < 0 || mark[k])
			return fail("bad axis %lld", (long long)ax[i]);
		mark[k] = 1;
	}
	for (i = j = 0; i < r; i++)
		d[i] = mark[i] ? dk(1) : x->shape.d[j++];
	set_out(g, n, 0, x->dtype, r, d);
	pass_vals(g, n, x);
	return 0;
}

static int
op_squeeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax;
	int na = axes_of(g, n, 1, &ax), r, i, j, k;
	struct gp_dim *d;
	char *mark;

	if (!x || x->shape.rank < 0 || na == -2) {
		set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return -1;
	}
	r = x->shape.rank;
	mark = gp_arena_alloc(A, (size_t)r + 1);
	memset(mark, 0, (size_t)r + 1);
	if (na < 0) {
		for (i = 0; i < r; i++) {
			if (!known(x->shape.d[i]))
				return -1;      /* cannot tell which dims are 1 */
			mark[i] = x->shape.d[i].v == 1;
		}
	} else {
		for (i = 0; i < na; i++) {
			k = norm_axis(ax[i], r);
			if (k < 0)
				return fail("bad axis %lld", (long long)ax[i]);
			if (known(x->shape.d[k]) && x->shape.d[k].v != 1)
				return fail("cannot squeeze dim %d of size %lld", k, (long long)x->shape.d[k].v);
			mark[k] = 1;
		}
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = j = 0; i < r; i++)
		if (!mark[i])
			d[j++] = x->shape.d[i];
	set_out(g, n, 0, x->dtype, j, d);
	pass_vals(g, n, x);
	return 0;
}

static int
op_flatten(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim d[2] = {{1, NULL}, {1, NULL}};
	int r = rank(x), i;
	int64_t a;

	if (r < 0)
		return -1;
	a = attr_i(n, "axis", 1);
	a = a < 0 ? a + r : a;
	if (a < 0 || a > r)
		return fail("bad axis %lld", (long long)attr_i(n, "axis", 1));
	for (i = 0; i < r; i++) {
		struct gp_dim *p = &d[i >= a];

		if (known(x->shape.d[i]) && known(*p)) {
			if (__builtin_mul_overflow(p->v, x->shape.d[i].v, &p->v))
				return fail("the dims' product overflows 64 bits");
		}
		else if (known(x->shape.d[i]) && x->shape.d[i].v == 1)
			;
		else if (known(*p) && p->v == 1 && x->shape.d[i].sym)
			*p = x->shape.d[i];
		else
			*p = unk;
	}
	set_out(g, n, 0, x->dtype, 2, d);
	return 0;
}

static int
op_reshape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *st = gp_node_in(g, n, 1);
	const struct gp_ival *sv;
	int64_t *shp = NULL, prod = 1, known_in = 1;
	int ns, i, neg = -1, allowzero = (int)attr_i(n, "allowzero", 0), r = rank(x);
	struct gp_dim *d;
	const char **syms;
	int nsyms = 0, inunk = 0;

	if (st) {
		ns = vals(st, &sv);
		if (ns < 0) {
			/* the rank is still known when the shape tensor's length is */
			if (st->shape.rank == 1 && known(st->shape.d[0]) && st->shape.d[0].v <= 64)
				set_unknown(g, n, 0, x ? x->dtype : 0, (int)st->shape.d[0].v);
			return -1;
		}
	} else {
		ns = gp_attr_ints(A, n, "shape", &shp);
		if (ns < 0)
			return -1;
		sv = gp_arena_alloc(A, (size_t)(ns + 1) * sizeof *sv);
		for (i = 0; i < ns; i++) {
			((struct gp_ival *)sv)[i].v = shp[i];
			((struct gp_ival *)sv)[i].sym = NULL;
			((struct gp_ival *)sv)[i].known = 1;
		}
	}
	d = gp_arena_alloc(A, (size_t)(ns + 1) * sizeof *d);
	for (i = 0; i < ns; i++) {
		if (sv[i].known && sv[i].v == 0 && !allowzero) {
			if (r < 0 || i >= r) {
				d[i] = unk;
				continue;
			}
			d[i] = x->shape.d[i];
		} else if (sv[i].known && sv[i].v == -1) {
			if (neg >= 0)
				return fail("two -1 in the shape");
			neg = i;
			d[i] = unk;
		} else if (sv[i].known && sv[i].v < -1) {
			return fail("bad dim %lld in the shape", (long long)sv[i].v);
		} else {
			d[i] = ival_dim(sv[i]);
		}
	}
	if (neg >= 0 && r >= 0) {
		/* -1: the input's elements over the other dims, symbols cancelling */
		syms = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *syms);
		for (i = 0; i < r; i++) {
			if (known(x->shape.d[i])) {
				if (__builtin_mul_overflow(known_in, x->shape.d[i].v, &known_in))
					return fail("the input's dims overflow 64 bits");
			}
			else if (x->shape.d[i].sym)
				syms[nsyms++] = x->shape.d[i].sym;
			else
				inunk = 1;
		}
		for (i = 0; i < ns && !inunk; i++) {
			int j;

			if (i == neg)
				continue;
			if (known(d[i])) {
				if (__builtin_mul_overflow(prod, d[i].v, &prod))
					return fail("the shape's dims overflow 64 bits");
				continue;
			}
			if (!d[i].sym) {
				inunk = 1;
				break;
			}
			for (j = 0; j < nsyms && strcmp(syms[j], d[i].sym) != 0; j++)
				;
			if (j == nsyms) {
				inunk = 1;
				break;
			}
			syms[j] = syms[--nsyms];
		}
		if (!inunk) {
			if (prod == 0 || known_in % prod != 0) {
				if (nsyms == 0)
					return fail("cannot reshape %lld elements into the shape", (long long)known_in);
			} else if (nsyms == 0) {
				d[neg] = dk(known_in / prod);
			} else if (nsyms == 1 && known_in / prod == 1) {
				d[neg].sym = syms[0];
			}
		}
	}
	/* with every dim known, the element counts must agree */
	if (x && neg < 0) {
		struct gp_shape want = {ns, d};
		int64_t a = gp_shape_numel(&x->shape), b = gp_shape_numel(&want);

		if (a >= 0 && b >= 0 && a != b)
			return fail("cannot reshape %lld elements into %lld", (long long)a, (long long)b);
	}
	set_out(g, n, 0, x ? x->dtype : 0, ns, d);
	pass_vals(g, n, x);
	return 0;
}

/* strided_vals carries the values of a small integer tensor x through a
 * Slice (output index o reads input lo + o * step on each axis) or a
 * Transpose (output axis i is input axis perm[i]), for any rank. */
static void
strided_vals(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x, int r,
    const struct gp_dim *d, const int64_t *lo, const int64_t *step, const int64_t *perm)
{
	int64_t stride[16], o[16], cnt = 1, j, at;
	struct gp_ival *v;
	int k;

	if (!x->iv || x->nval < 0 || r > 16 || x->shape.rank != r)
		return;
	for (k = r - 1, at = 1; k >= 0; k--) {
		if (!known(x->shape.d[k]) || !known(d[k]))
			return;
		stride[k] = at;
		if (__builtin_mul_overflow(at, x->shape.d[k].v, &at) || __builtin_mul_overflow(cnt, d[k].v, &cnt))
			return;
	}
	if (at != x->nval || cnt > MAXVAL)
		return;
	v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);
	memset(o, 0, sizeof o);
	for (j = 0; j < cnt; j++) {
		for (k = 0, at = 0; k < r; k++)
			at += perm ? o[k] * stride[perm[k]] : (lo[k] + o[k] * step[k]) * stride[k];
		if (at < 0 || at >= x->nval)
			return;
		v[j] = x->iv[at];
		for (k = r - 1; k >= 0 && ++o[k] == d[k].v; k--)
			o[k] = 0;
	}
	set_vals(g, n, 0, (int)cnt, v);
}

static int
op_transpose(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *perm;
	int r = rank(x), np, i, k;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	np = gp_attr_ints(A, n, "perm", &perm);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	if (np < 0) {
		for (i = 0; i < r; i++)
			d[i] = x->shape.d[r - 1 - i];
	} else {
		if (np != r)
			return fail("perm has %d axes, the input %d", np, r);
		for (i = 0; i < r; i++) {
			k = norm_axis(perm[i], r);
			if (k < 0)
				return fail("bad perm");
			d[i] = x->shape.d[k];
		}
	}
	set_out(g, n, 0, x->dtype, r, d);
	if (r <= 16) {
		int64_t pm[16];

		for (i = 0; i < r; i++)
			pm[i] = np < 0 ? r - 1 - i : norm_axis(perm[i], r);
		strided_vals(g, n, x, r, d, NULL, NULL, pm);
	}
	return 0;
}

/* concat_dims: the shape of ts[0 .. nt) (NULL ones skipped) concatenated on
 * the node's axis attribute, into *d with rank *r; 0, -1 unknown, -2 impossible */
static int
concat_dims(struct gp_graph *g, struct gp_node *n, struct gp_tensor *const *ts, int nt,
    struct gp_dim **d, int *r)
{
	int a, i, k;

	*r = rank(ts[0]);
	if (*r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", 0), *r);
	if (a < 0)
		return fail("bad axis");
	*d = gp_arena_alloc(A, (size_t)(*r + 1) * sizeof **d);
	for (k = 0; k < *r; k++)
		(*d)[k] = k == a ? dk(0) : ts[0]->shape.d[k];
	for (i = 0; i < nt; i++) {
		struct gp_tensor *t = ts[i];

		if (!t)
			continue;
		if (t->shape.rank != *r)
			return t->shape.rank < 0 ? -1 : fail("inputs of rank %d and %d", *r, t->shape.rank);
		for (k = 0; k < *r; k++) {
			struct gp_dim y = t->shape.d[k], *x = &(*d)[k];

			if (k == a) {
				if (known(*x) && known(y))
					x->v += y.v;
				else
					*x = unk;
			} else if (!known(*x) && known(y)) {
				*x = y;
			} else if (known(*x) && known(y) && x->v != y.v) {
				return fail("dim %d is %lld in one input and %lld in another", k,
				    (long long)x->v, (long long)y.v);
			}
		}
	}
	return 0;
}

static int
op_concat(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), **ts;
	int r = -1, i, rc, cnt = 0, allv = 1;
	struct gp_dim *d = NULL;
	struct gp_ival *v;

	if (n->nin < 1)
		return -1;
	ts = gp_arena_alloc(A, (size_t)(n->nin + 1) * sizeof *ts);
	for (i = 0; i < n->nin; i++)
		ts[i] = gp_node_in(g, n, i);
	if ((rc = concat_dims(g, n, ts, n->nin, &d, &r)) < 0)
		return rc;
	for (i = 0; i < n->nin; i++) {
		if (!ts[i])
			continue;
		if (ts[i]->nval < 0 || !ts[i]->iv)
			allv = 0;
		else
			cnt += ts[i]->nval;
	}
	set_out(g, n, 0, x->dtype, r, d);
	if (allv && r == 1 && cnt <= MAXVAL) {
		v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);
		for (i = 0, cnt = 0; i < n->nin; i++) {
			struct gp_tensor *t = ts[i];

			if (!t)
				continue;
			memcpy(v + cnt, t->iv, (size_t)t->nval * sizeof *v);
			cnt += t->nval;
		}
		set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

static int
op_gather(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *ix = gp_node_in(g, n, 1);
	int r = rank(x), ri = rank(ix), a, i, k;
	struct gp_dim *d;
	const struct gp_ival *xv;
	int64_t *iv;
	int nx, ni;

	if (r < 0 || ri < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", 0), r);
	if (a < 0)
		return fail("bad axis");
	d = gp_arena_alloc(A, (size_t)(r + ri + 1) * sizeof *d);
	for (k = 0, i = 0; i < a; i++)
		d[k++] = x->shape.d[i];
	for (i = 0; i < ri; i++)
		d[k++] = ix->shape.d[i];
	for (i = a + 1; i < r; i++)
		d[k++] = x->shape.d[i];
	set_out(g, n, 0, x->dtype, k, d);
	if (r == 1 && (nx = vals(x, &xv)) >= 0 && (ni = ints(g, ix, &iv)) >= 0) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(ni + 1) * sizeof *v);

		for (i = 0; i < ni; i++) {
			int64_t j = iv[i] < 0 ? iv[i] + nx : iv[i];

			if (j < 0 || j >= nx)
				return fail("index %lld out of range", (long long)iv[i]);
			v[i] = xv[j];
		}
		set_vals(g, n, 0, ni, v);
	}
	return 0;
}

/* GatherElements: the shape of the indices, the dtype of the data */
static int
op_gatherel(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *ix = gp_node_in(g, n, 1);

	if (rank(ix) < 0)
		return -1;
	set_out(g, n, 0, x ? x->dtype : 0, ix->shape.rank, ix->shape.d);
	return 0;
}

static int64_t
clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int
op_slice(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *st, *en, *ax = NULL, *sp = NULL;
	int r = rank(x), ns, ne, na = -1, nsp = -1, i, k;
	struct gp_dim *d;
	int64_t *lo, *hi, *step;
	char *touched;

	if (r < 0)
		return -1;
	if (g->opset >= 10 && n->nin >= 3) {
		ns = ints(g, gp_node_in(g, n, 1), &st);
		ne = ints(g, gp_node_in(g, n, 2), &en);
		if (gp_node_in(g, n, 3))
			na = ints(g, gp_node_in(g, n, 3), &ax);
		if (gp_node_in(g, n, 4))
			nsp = ints(g, gp_node_in(g, n, 4), &sp);
		if (ns < 0 || ne < 0 || (gp_node_in(g, n, 3) && na < 0) || (gp_node_in(g, n, 4) && nsp < 0)) {
			set_unknown(g, n, 0, x->dtype, r);
			return -1;
		}
	} else {
		ns = gp_attr_ints(A, n, "starts", &st);
		ne = gp_attr_ints(A, n, "ends", &en);
		na = gp_attr_ints(A, n, "axes", &ax);
	}
	if (ns < 0 || ne != ns || (na >= 0 && na != ns) || (nsp >= 0 && nsp != ns))
		return fail("starts, ends, axes and steps differ in length");
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	lo = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *lo);
	hi = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *hi);
	step = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *step);
	touched = gp_arena_alloc(A, (size_t)r + 1);
	memset(touched, 0, (size_t)r + 1);
	for (i = 0; i < r; i++)
		d[i] = x->shape.d[i];
	for (i = 0; i < ns; i++) {
		int64_t s = st[i], e = en[i], stp = sp ? sp[i] : 1, dim;

		k = norm_axis(na >= 0 ? ax[i] : i, r);
		if (k < 0 || stp == 0)
			return fail("bad axis or step");
		touched[k] = 1;
		if (!known(x->shape.d[k])) {
			/* the whole of an unknown dim is still that dim */
			if (s == 0 && stp == 1 && e >= INT64_MAX / 2)
				continue;
			d[k] = unk;
			continue;
		}
		dim = x->shape.d[k].v;
		if (s < 0)
			s += dim;
		if (e < 0)
			e += dim;
		if (stp > 0) {
			s = clamp(s, 0, dim);
			e = clamp(e, 0, dim);
			d[k] = dk(e > s ? (e - s - 1) / stp + 1 : 0);
		} else {
			s = clamp(s, 0, dim - 1);
			e = clamp(e, -1, dim - 1);
			d[k] = dk(s > e ? (s - e - 1) / (stp == INT64_MIN ? INT64_MAX : -stp) + 1 : 0);
		}
		lo[k] = s;
		hi[k] = e;
		step[k] = stp;
	}
	set_out(g, n, 0, x->dtype, r, d);
	for (i = 0; i < r; i++) {
		if (!touched[i]) {
			lo[i] = 0;
			step[i] = 1;
		}
	}
	strided_vals(g, n, x, r, d, lo, step, NULL);
	return 0;
}

static int
op_split(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *sp = NULL;
	int r = rank(x), a, nsp = -1, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", 0), r);
	if (a < 0)
		return fail("bad axis");
	if (gp_node_in(g, n, 1)) {
		nsp = ints(g, gp_node_in(g, n, 1), &sp);
		if (nsp < 0)
			return -1;
	} else {
		nsp = gp_attr_ints(A, n, "split", &sp);
	}
	if (nsp >= 0 && nsp != n->nout)
		return fail("%d split sizes for %d outputs", nsp, n->nout);
	for (i = 0; i < n->nout; i++) {
		d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
		memcpy(d, x->shape.d, (size_t)r * sizeof *d);
		if (nsp >= 0) {
			d[a] = dk(sp[i]);
		} else if (known(x->shape.d[a])) {
			int64_t dim = x->shape.d[a].v, k = n->nout, part = dim / k + (dim % k != 0);

			/* equal parts, the last one smaller (opset 18's num_outputs rule) */
			d[a] = dk(i < k - 1 ? part : dim - part * (k - 1));
			if (dim % k == 0)
				d[a] = dk(dim / k);
		} else {
			d[a] = unk;
		}
		set_out(g, n, i, x->dtype, r, d);
	}
	return 0;
}

static int
op_expand(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *st = gp_node_in(g, n, 1);
	const struct gp_ival *sv;
	int ns = vals(st, &sv), r = rank(x), rr, i;
	struct gp_dim *d;

	if (r < 0 || ns < 0)
		return -1;
	rr = r > ns ? r : ns;
	d = gp_arena_alloc(A, (size_t)(rr + 1) * sizeof *d);
	for (i = 0; i < rr; i++) {
		int j = i - (rr - r), k = i - (rr - ns);
		struct gp_dim a = j >= 0 ? x->shape.d[j] : dk(1), b = k >= 0 ? ival_dim(sv[k]) : dk(1);

		if (known(a) && a.v == 1)
			d[i] = b;
		else if (known(b) && b.v == 1)
			d[i] = a;
		else if (same(a, b) || !known(b))
			d[i] = known(a) || a.sym ? a : b;
		else if (known(a) && known(b))
			return fail("cannot expand dim %lld to %lld", (long long)a.v, (long long)b.v);
		else
			d[i] = b;
	}
	set_out(g, n, 0, x->dtype, rr, d);
	return 0;
}

static int
op_tile(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *rep;
	int r = rank(x), nr = ints(g, gp_node_in(g, n, 1), &rep), i;
	struct gp_dim *d;

	if (r < 0 || nr < 0)
		return -1;
	if (nr != r)
		return fail("%d repeats for rank %d", nr, r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = 0; i < r; i++) {
		if (rep[i] < 0)
			return fail("repeat %lld is negative", (long long)rep[i]);
		if (!known(x->shape.d[i]))
			d[i] = rep[i] == 1 ? x->shape.d[i] : unk;
		else if (__builtin_mul_overflow(x->shape.d[i].v, rep[i], &d[i].v))
			return fail("dim %lld x %lld repeats overflows 64 bits", (long long)x->shape.d[i].v,
			    (long long)rep[i]);
		else
			d[i].sym = NULL;
	}
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

static int
op_constofshape(struct gp_graph *g, struct gp_node *n)
{
	const struct gp_ival *sv;
	int ns = vals(gp_node_in(g, n, 0), &sv), i, dt = 1;
	const char *v = gp_attr_raw(A, n, "value");
	struct gp_dim *d;

	if (v && strncmp(v, "T:", 2) == 0) {
		int ti = gp_graph_find(g, n->graph, gp_unesc(A, v + 2, strlen(v + 2)));

		if (ti >= 0)
			dt = g->t[ti].dtype;
	}
	if (ns < 0)
		return -1;
	d = gp_arena_alloc(A, (size_t)(ns + 1) * sizeof *d);
	for (i = 0; i < ns; i++)
		d[i] = ival_dim(sv[i]);
	set_out(g, n, 0, dt, ns, d);
	if (ns == 1 && known(d[0]) && d[0].v <= MAXVAL && v && strncmp(v, "T:", 2) == 0) {
		int ti = gp_graph_find(g, n->graph, gp_unesc(A, v + 2, strlen(v + 2)));
		struct gp_ival *o;
		int64_t j;

		if (ti >= 0 && g->t[ti].iv && g->t[ti].nval == 1) {
			o = gp_arena_alloc(A, (size_t)(d[0].v + 1) * sizeof *o);
			for (j = 0; j < d[0].v; j++)
				o[j] = g->t[ti].iv[0];
			set_vals(g, n, 0, (int)d[0].v, o);
		}
	}
	return 0;
}

static int
op_range(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *s = gp_node_in(g, n, 0);
	int64_t *a, *b, *c;
	double *fa, *fb, *fc;
	struct gp_dim d = unk;

	if (!s)
		return -1;
	if (ints(g, s, &a) == 1 && ints(g, gp_node_in(g, n, 1), &b) == 1 && ints(g, gp_node_in(g, n, 2), &c) == 1 && c[0]) {
		int64_t cnt = (b[0] - a[0] + c[0] + (c[0] > 0 ? -1 : 1)) / c[0];

		d = dk(cnt > 0 ? cnt : 0);
		if (cnt > 0 && cnt <= MAXVAL) {
			struct gp_ival *v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);
			int64_t i;

			for (i = 0; i < cnt; i++) {
				v[i].v = a[0] + i * c[0];
				v[i].sym = NULL;
				v[i].known = 1;
			}
			set_out(g, n, 0, s->dtype, 1, &d);
			set_vals(g, n, 0, (int)cnt, v);
			return 0;
		}
	} else if (floats(s, &fa) == 1 && floats(gp_node_in(g, n, 1), &fb) == 1 && floats(gp_node_in(g, n, 2), &fc) == 1 &&
	    fc[0] != 0) {
		double cnt = ceil((fb[0] - fa[0]) / fc[0]);

		d = dk(cnt > 0 ? (int64_t)cnt : 0);
	}
	set_out(g, n, 0, s->dtype, 1, &d);
	return known(d) ? 0 : -1;
}

static int
op_pad(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *p, *ax = NULL;
	int r = rank(x), np, na = -1, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if (n->nin >= 2 && gp_node_in(g, n, 1)) {
		np = ints(g, gp_node_in(g, n, 1), &p);
		if (gp_node_in(g, n, 3))
			na = ints(g, gp_node_in(g, n, 3), &ax);
		if (np < 0 || (gp_node_in(g, n, 3) && na < 0)) {
			set_unknown(g, n, 0, x->dtype, r);
			return -1;
		}
	} else {
		np = gp_attr_ints(A, n, "pads", &p);
	}
	if (na < 0 && np != 2 * r)
		return fail("%d pads for rank %d", np, r);
	if (na >= 0 && np != 2 * na)
		return fail("%d pads for %d axes", np, na);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 0; i < (na >= 0 ? na : r); i++) {
		int k = na >= 0 ? norm_axis(ax[i], r) : i, m = na >= 0 ? na : r;

		if (k < 0)
			return fail("bad axis");
		if (known(d[k])) {
			int64_t v;

			if (__builtin_add_overflow(d[k].v, p[i], &v) || __builtin_add_overflow(v, p[i + m], &v) ||
			    v < 0)
				return fail("pads %lld and %lld on a dim of %lld", (long long)p[i],
				    (long long)p[i + m], (long long)d[k].v);
			d[k] = dk(v);
		}
		else if (p[i] || p[i + m])
			d[k] = unk;
	}
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

static int
op_resize(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i, nsz, nsc;
	int64_t *sz;
	double *sc;
	struct gp_dim *d;
	int upsample = strcmp(n->op, "Upsample") == 0;

	if (r < 0)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	nsz = upsample ? -1 : ints(g, gp_node_in(g, n, 3), &sz);
	nsc = floats(gp_node_in(g, n, upsample ? 1 : 2), &sc);
	if (upsample && nsc < 0)
		nsc = gp_attr_floats(A, n, "scales", &sc);
	if (g->opset < 11 && !upsample)
		nsc = floats(gp_node_in(g, n, 1), &sc);
	if (nsz == r) {
		for (i = 0; i < r; i++)
			d[i] = dk(sz[i]);
	} else if (nsc == r) {
		for (i = 0; i < r; i++) {
			double v = known(x->shape.d[i]) ? floor((double)x->shape.d[i].v * sc[i]) : 0;

			/* (a double at or past 2^63 does not convert) */
			if (!(v >= 0 && v < 9.2e18))
				return fail("scale %g of a dim of %lld", sc[i], (long long)x->shape.d[i].v);
			d[i] = known(x->shape.d[i]) ? dk((int64_t)v) : sc[i] == 1.0 ? x->shape.d[i] : unk;
		}
	} else {
		set_unknown(g, n, 0, x->dtype, r);
		return -1;
	}
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* ---- reductions ---- */

static int
op_reduce(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax = NULL;
	int r = rank(x), keep = (int)attr_i(n, "keepdims", 1), na, i, k;
	int noop = (int)attr_i(n, "noop_with_empty_axes", 0);
	struct gp_dim *d;
	char *mark;
	int arg = strncmp(n->op, "Arg", 3) == 0;

	if (r < 0)
		return -1;
	if (arg) {
		int64_t a = attr_i(n, "axis", 0);

		ax = gp_arena_alloc(A, sizeof *ax);
		ax[0] = a;
		na = 1;
	} else {
		na = axes_of(g, n, 1, &ax);
		if (na == -2)
			return -1;
	}
	mark = gp_arena_alloc(A, (size_t)r + 1);
	memset(mark, na <= 0 && !noop ? 1 : 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		k = norm_axis(ax[i], r);
		if (k < 0)
			return fail("bad axis %lld", (long long)ax[i]);
		mark[k] = 1;
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = k = 0; i < r; i++) {
		if (!mark[i])
			d[k++] = x->shape.d[i];
		else if (keep)
			d[k++] = dk(1);
	}
	set_out(g, n, 0, arg ? 7 : x->dtype, k, d);
	return 0;
}

static int
op_topk(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *kv, kk;
	int r = rank(x), a;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", -1), r);
	if (a < 0)
		return fail("bad axis");
	if (gp_node_in(g, n, 1)) {
		if (ints(g, gp_node_in(g, n, 1), &kv) != 1)
			return -1;
		kk = kv[0];
	} else {
		kk = attr_i(n, "k", -1);
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[a] = kk >= 0 ? dk(kk) : unk;
	set_out(g, n, 0, x->dtype, r, d);
	set_out(g, n, 1, 7, r, d);
	return 0;
}

/* ---- linear algebra ---- */

/* mm_out sets output 0 of a matrix product of an A of rank ra and dims da
 * with a B of rank rb and dims db (numpy.matmul: batch dims broadcast) */
static int
mm_out(struct gp_graph *g, struct gp_node *n, const struct gp_dim *da, int ra,
    const struct gp_dim *db, int rb, int dt)
{
	struct gp_dim *d, ka, kb, m, nn;
	int ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0, br = ba > bb ? ba : bb, r, i;

	if (ra == 0 || rb == 0)
		return fail("MatMul of a scalar");
	ka = da[ra - 1];
	kb = rb >= 2 ? db[rb - 2] : db[0];
	if (known(ka) && known(kb) && ka.v != kb.v)
		return fail("inner dims differ: %lld and %lld", (long long)ka.v, (long long)kb.v);
	m = ra >= 2 ? da[ra - 2] : unk;
	nn = rb >= 2 ? db[rb - 1] : unk;
	r = br + (ra >= 2) + (rb >= 2);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = 0; i < br; i++) {
		int ia = i - (br - ba), ib = i - (br - bb);
		struct gp_dim x = ia >= 0 ? da[ia] : dk(1), y = ib >= 0 ? db[ib] : dk(1);

		if (known(x) && x.v == 1)
			d[i] = y;
		else if (known(y) && y.v == 1)
			d[i] = x;
		else if (same(x, y))
			d[i] = x;
		else if (known(x) && known(y))
			return fail("batch dims %lld and %lld do not broadcast", (long long)x.v, (long long)y.v);
		else
			d[i] = known(x) ? x : known(y) ? y : unk;
	}
	i = br;
	if (ra >= 2)
		d[i++] = m;
	if (rb >= 2)
		d[i++] = nn;
	set_out(g, n, 0, dt, r, d);
	return 0;
}

/* MatMul and its integer and quantized forms: MatMulInteger makes int32,
 * QLinearMatMul the dtype of its output zero point, MatMulIntegerToFloat that
 * of its scales, DynamicQuantizeMatMul that of A */
static int
op_matmul(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int dt = a ? a->dtype : 0;

	if (!strcmp(n->op, "MatMulInteger"))
		dt = 6;
	else if (!strcmp(n->op, "QLinearMatMul") && gp_node_in(g, n, 7))
		dt = gp_node_in(g, n, 7)->dtype;
	else if (!strcmp(n->op, "MatMulIntegerToFloat"))
		dt = gp_node_in(g, n, 2) && gp_node_in(g, n, 2)->dtype > 0 ? gp_node_in(g, n, 2)->dtype : 1;
	if (!strcmp(n->op, "QLinearMatMul"))
		b = gp_node_in(g, n, 3);
	if (rank(a) < 0 || rank(b) < 0) {
		set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	return mm_out(g, n, a->shape.d, a->shape.rank, b->shape.d, b->shape.rank, dt);
}

/* fused_operand: the dims of a FusedMatMul operand of rank r as multiplied:
 * with transBatch (and rank >= 3) dim 0 moved to just before the last (a
 * permutation [1, 2, ..., r-2, 0, r-1]), then with trans the last two swapped */
static struct gp_dim *
fused_operand(struct gp_graph *g, const struct gp_tensor *t, int trans, int tbatch)
{
	int r = t->shape.rank, k;
	struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d), x;

	memcpy(d, t->shape.d, (size_t)r * sizeof *d);
	if (tbatch && r >= 3) {
		for (k = 0; k < r - 2; k++)
			d[k] = t->shape.d[k + 1];
		d[r - 2] = t->shape.d[0];
	}
	if (trans && r >= 2)
		x = d[r - 1], d[r - 1] = d[r - 2], d[r - 2] = x;
	return d;
}

/* FusedMatMul (com.microsoft): MatMul of A and B each transposed as
 * fused_operand says (transA, transBatchA; transB, transBatchB) */
static int
op_fusedmatmul(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);

	if (rank(a) < 0 || rank(b) < 0) {
		set_out(g, n, 0, a ? a->dtype : 0, -1, NULL);
		return -1;
	}
	return mm_out(g, n, fused_operand(g, a, attr_i(n, "transA", 0) != 0, attr_i(n, "transBatchA", 0) != 0),
	    a->shape.rank, fused_operand(g, b, attr_i(n, "transB", 0) != 0, attr_i(n, "transBatchB", 0) != 0),
	    b->shape.rank, a->dtype);
}

static int
op_gemm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int ta = (int)attr_i(n, "transA", 0), tb = (int)attr_i(n, "transB", 0);
	struct gp_dim d[2], ka, kb;

	if (rank(a) != 2 || rank(b) != 2)
		return rank(a) < 0 || rank(b) < 0 ? -1 : fail("Gemm needs 2-D inputs");
	d[0] = a->shape.d[ta ? 1 : 0];
	ka = a->shape.d[ta ? 0 : 1];
	kb = b->shape.d[tb ? 1 : 0];
	d[1] = b->shape.d[tb ? 0 : 1];
	if (known(ka) && known(kb) && ka.v != kb.v)
		return fail("inner dims differ: %lld and %lld", (long long)ka.v, (long long)kb.v);
	set_out(g, n, 0, a->dtype, 2, d);
	return 0;
}

static int
op_einsum(struct gp_graph *g, struct gp_node *n)
{
	const char *eq;
	char lhs[256], rhs[64], *arrow, *term, *save = NULL;
	struct gp_dim lab[128];
	int seen[128] = {0}, i, k, r;
	struct gp_dim d[64];

	if (gp_attr_str(A, n, "equation", &eq) < 0 || strlen(eq) >= sizeof lhs)
		return fail("no equation");
	for (i = 0, k = 0; eq[i]; i++)
		if (eq[i] != ' ')
			lhs[k++] = eq[i];
	lhs[k] = '\0';
	if (strstr(lhs, "..."))
		return -1;              /* ellipsis: not handled */
	arrow = strstr(lhs, "->");
	if (!arrow)
		return -1;
	snprintf(rhs, sizeof rhs, "%s", arrow + 2);
	*arrow = '\0';
	for (term = strtok_r(lhs, ",", &save), i = 0; term; term = strtok_r(NULL, ",", &save), i++) {
		struct gp_tensor *t = gp_node_in(g, n, i);

		if (!t || t->shape.rank < 0)
			return -1;
		if ((int)strlen(term) != t->shape.rank)
			return fail("operand %d has rank %d, the equation says %zu", i, t->shape.rank, strlen(term));
		for (k = 0; term[k]; k++) {
			int c = (unsigned char)term[k] & 127;

			if (!seen[c] || (known(t->shape.d[k]) && t->shape.d[k].v != 1)) {
				if (seen[c] && known(lab[c]) && known(t->shape.d[k]) && lab[c].v != t->shape.d[k].v)
					return fail("label %c is %lld and %lld", c, (long long)lab[c].v,
					    (long long)t->shape.d[k].v);
				if (!seen[c] || !known(lab[c]))
					lab[c] = t->shape.d[k];
			}
			seen[c] = 1;
		}
	}
	r = (int)strlen(rhs);
	if (r > 64)
		return -1;
	for (k = 0; k < r; k++)
		d[k] = seen[(unsigned char)rhs[k] & 127] ? lab[(unsigned char)rhs[k] & 127] : unk;
	set_out(g, n, 0, gp_node_in(g, n, 0)->dtype, r, d);
	return 0;
}

/* ---- convolution and pooling ---- */

/* window computes the spatial output dims of a conv or pool node whose input
 * is x and whose kernel spatial dims are k[0..ns) */
#define LIM ((int64_t)1 << 31)      /* strides, dilations, kernels and pads beyond are nonsense */

static int
window(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x, const int64_t *k, int ns,
    int pool, struct gp_dim *d)
{
	int64_t *st = NULL, *dil = NULL, *pads = NULL;
	int nst = gp_attr_ints(A, n, "strides", &st), ndil = gp_attr_ints(A, n, "dilations", &dil);
	int np = gp_attr_ints(A, n, "pads", &pads), ceil_mode = (int)attr_i(n, "ceil_mode", 0), i;
	const char *ap = "NOTSET";

	gp_attr_str(A, n, "auto_pad", &ap);
	if ((nst >= 0 && nst != ns) || (ndil >= 0 && ndil != ns) || (np >= 0 && np != 2 * ns))
		return fail("strides, dilations or pads do not match %d spatial dims", ns);
	for (i = 0; i < ns; i++) {
		struct gp_dim in_ = x->shape.d[2 + i];
		int64_t s = st ? st[i] : 1, dl = dil ? dil[i] : 1, ek, total, pad;

		if (s <= 0 || dl <= 0 || k[i] <= 0 || s > LIM || dl > LIM || k[i] > LIM ||
		    (pads && (pads[i] < 0 || pads[i] > LIM || pads[i + ns] < 0 || pads[i + ns] > LIM)))
			return fail("bad stride, dilation, kernel or pads");
		ek = (k[i] - 1) * dl + 1;
		if (!known(in_)) {
			d[i] = unk;
			continue;
		}
		if (!strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER")) {
			d[i] = dk((in_.v + s - 1) / s);
			continue;
		}
		pad = strcmp(ap, "VALID") && pads ? pads[i] + pads[i + ns] : 0;
		if (__builtin_add_overflow(in_.v, pad, &total))
			return fail("dim %lld and pads overflow", (long long)in_.v);
		total -= ek;
		if (total < 0)
			return fail("the kernel (%lld) is larger than the padded input", (long long)ek);
		if (pool && ceil_mode) {
			int64_t o = (total + s - 1) / s + 1;

			/* the last window must start inside the input or the left padding */
			if ((o - 1) * s >= in_.v + (pads ? pads[i] : 0))
				o--;
			d[i] = dk(o);
		} else {
			d[i] = dk(total / s + 1);
		}
	}
	return 0;
}

static int
op_conv(struct gp_graph *g, struct gp_node *n)
{
	int q = !strcmp(n->op, "QLinearConv");
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, q ? 3 : 1);
	int r = rank(x), ns, i, rc, dt;
	int64_t *ks, kk[16], grp;
	struct gp_dim d[18];

	if (r < 3 || rank(w) != r || r > 18)
		return r < 0 || rank(w) < 0 ? -1 : fail("input of rank %d, weight of rank %d", r, rank(w));
	ns = r - 2;
	if (gp_attr_ints(A, n, "kernel_shape", &ks) == ns) {
		memcpy(kk, ks, (size_t)ns * sizeof *kk);
	} else {
		for (i = 0; i < ns; i++) {
			if (!known(w->shape.d[2 + i]))
				return -1;
			kk[i] = w->shape.d[2 + i].v;
		}
	}
	if (gp_conv_group(g, n, 0, known(x->shape.d[1]) ? x->shape.d[1].v : -1,
	    known(w->shape.d[0]) ? w->shape.d[0].v : -1, known(w->shape.d[1]) ? w->shape.d[1].v : -1, &grp) < 0)
		return -2;
	d[0] = x->shape.d[0];
	d[1] = w->shape.d[0];
	if ((rc = window(g, n, x, kk, ns, 0, d + 2)) < 0)
		return rc;
	dt = !strcmp(n->op, "ConvInteger") ? 6 : x->dtype;
	if (q && gp_node_in(g, n, 7))
		dt = gp_node_in(g, n, 7)->dtype;
	set_out(g, n, 0, dt, r, d);
	return 0;
}

static int
op_convtranspose(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 1);
	int r = rank(x), ns, i;
	int64_t *st = NULL, *dil = NULL, *pads = NULL, *op = NULL, *os = NULL, grp;
	struct gp_dim d[18];

	if (r < 3 || rank(w) != r || r > 18)
		return r < 0 || rank(w) < 0 ? -1 : fail("bad ranks");
	ns = r - 2;
	if ((gp_attr_ints(A, n, "strides", &st) >= 0 && !st) ||
	    (gp_attr_ints(A, n, "dilations", &dil) >= 0 && !dil) ||
	    (gp_attr_ints(A, n, "pads", &pads) >= 0 && !pads) ||
	    (gp_attr_ints(A, n, "output_padding", &op) >= 0 && !op))
		return fail("empty strides, dilations, pads or output_padding");
	if (gp_conv_group(g, n, 1, known(x->shape.d[1]) ? x->shape.d[1].v : -1,
	    known(w->shape.d[0]) ? w->shape.d[0].v : -1, known(w->shape.d[1]) ? w->shape.d[1].v : -1, &grp) < 0)
		return -2;
	d[0] = x->shape.d[0];
	d[1] = known(w->shape.d[1]) ? dk(w->shape.d[1].v * grp) : unk;    /* checked by gp_conv_group */
	if (gp_attr_ints(A, n, "output_shape", &os) == ns) {
		for (i = 0; i < ns; i++)
			d[2 + i] = dk(os[i]);
	} else {
		for (i = 0; i < ns; i++) {
			struct gp_dim in_ = x->shape.d[2 + i], k = w->shape.d[2 + i];
			int64_t s = st ? st[i] : 1, dl = dil ? dil[i] : 1, o = op ? op[i] : 0, v, t;
			int64_t p0 = pads ? pads[i] : 0, p1 = pads ? pads[i + ns] : 0;

			if (s <= 0 || dl <= 0 || s > LIM || dl > LIM || o < 0 || o > LIM || p0 < 0 || p0 > LIM ||
			    p1 < 0 || p1 > LIM)
				return fail("bad stride, dilation, output_padding or pads");
			if (!known(in_) || !known(k)) {
				d[2 + i] = unk;
				continue;
			}
			/* s (in - 1) + o + (k - 1) dl + 1 - pads, each term checked */
			if (__builtin_mul_overflow(s, in_.v - 1, &v) || __builtin_add_overflow(v, o, &v) ||
			    __builtin_mul_overflow(k.v - 1, dl, &t) || __builtin_add_overflow(v, t + 1, &v) ||
			    (v -= p0 + p1) < 0)
				return fail("bad output size for input %lld and kernel %lld",
				    (long long)x->shape.d[2 + i].v, (long long)k.v);
			d[2 + i] = dk(v);
		}
	}
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

static int
op_pool(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), ns, i, rc;
	int64_t *ks;
	struct gp_dim d[18];

	if (r < 3 || r > 18)
		return r < 0 ? -1 : fail("input of rank %d", r);
	ns = r - 2;
	d[0] = x->shape.d[0];
	d[1] = x->shape.d[1];
	if (!strncmp(n->op, "Global", 6)) {
		for (i = 0; i < ns; i++)
			d[2 + i] = dk(1);
	} else {
		if (gp_attr_ints(A, n, "kernel_shape", &ks) != ns)
			return fail("no kernel_shape for %d spatial dims", ns);
		if ((rc = window(g, n, x, ks, ns, 1, d + 2)) < 0)
			return rc;
	}
	set_out(g, n, 0, x->dtype, r, d);
	if (n->nout > 1)
		set_out(g, n, 1, 7, r, d);      /* MaxPool's indices */
	return 0;
}

static int
op_norm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i;

	if (r < 0)
		return -1;
	set_out(g, n, 0, x->dtype, r, x->shape.d);
	/* BatchNormalization in training mode: running mean and var, [C] */
	for (i = 1; i < n->nout && !strcmp(n->op, "BatchNormalization"); i++)
		if (r >= 2)
			set_out(g, n, i, x->dtype, 1, x->shape.d + 1);
	/* LayerNormalization's mean and inverse deviation, SimplifiedLayerNormalization's
	 * inverse RMS: one per normalized row, of the stash type */
	if ((!strcmp(n->op, "LayerNormalization") || !strcmp(n->op, "SimplifiedLayerNormalization")) &&
	    n->nout > 1) {
		int a = norm_axis(attr_i(n, "axis", -1), r), k;
		struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
		int64_t st = attr_i(n, "stash_type", 1);

		if (a < 0)
			return fail("bad axis");
		for (k = 0; k < r; k++)
			d[k] = k < a ? x->shape.d[k] : dk(1);
		for (i = 1; i < n->nout; i++)
			set_out(g, n, i, (int)st, r, d);
	}
	return 0;
}

static int
op_dropout(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	if (rank(x) < 0)
		return -1;
	set_out(g, n, 0, x->dtype, x->shape.rank, x->shape.d);
	set_out(g, n, 1, 9, x->shape.rank, x->shape.d);
	return 0;
}

static int
op_constant(struct gp_graph *g, struct gp_node *n)
{
	(void)g;
	(void)n;
	return 0;                       /* gp-load wrote its value, dtype and shape */
}

/* QuantizeLinear and DequantizeLinear (both domains): the shape of x, the
 * dtype output_dtype names, else that of the zero point (QuantizeLinear;
 * uint8 without one) or of the scale (DequantizeLinear). Blocked quantization
 * (block_size > 0) needs ceil(dim / block_size) scales on axis. */
static int
op_quant(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *zp = gp_node_in(g, n, 2), *sc = gp_node_in(g, n, 1);
	int64_t odt = attr_i(n, "output_dtype", 0), bs = attr_i(n, "block_size", 0);
	int r = rank(x), dt, a;

	if (odt > 0 && odt <= GP_DTYPE_MAX)
		dt = (int)odt;
	else if (!strcmp(n->op, "QuantizeLinear"))
		dt = zp && zp->dtype > 0 ? zp->dtype : 2;
	else
		dt = sc && sc->dtype > 0 ? sc->dtype : 1;
	if (r < 0) {
		set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	if (bs > 0 && rank(sc) == r && r > 0) {
		if ((a = norm_axis(attr_i(n, "axis", 1), r)) < 0)
			return fail("bad axis");
		if (known(x->shape.d[a]) && known(sc->shape.d[a]) &&
		    sc->shape.d[a].v != x->shape.d[a].v / bs + (x->shape.d[a].v % bs != 0))
			return fail("%lld scales on axis %d for %lld elements in blocks of %lld",
			    (long long)sc->shape.d[a].v, a, (long long)x->shape.d[a].v, (long long)bs);
	}
	set_out(g, n, 0, dt, r, x->shape.d);
	return 0;
}

/* DynamicQuantizeLinear: y uint8 of x's shape, a float scale and a uint8
 * zero point, both scalars */
static int
op_dynquant(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	set_out(g, n, 1, 1, 0, NULL);
	set_out(g, n, 2, 2, 0, NULL);
	if (rank(x) < 0) {
		set_out(g, n, 0, 2, -1, NULL);
		return -1;
	}
	set_out(g, n, 0, 2, x->shape.rank, x->shape.d);
	return 0;
}

static int
op_depthspace(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t b = attr_i(n, "blocksize", 0);
	struct gp_dim d[4];
	int up = !strcmp(n->op, "DepthToSpace"), i;

	if (rank(x) != 4 || b <= 0 || b > LIM)
		return rank(x) < 0 ? -1 : fail("needs a 4-D input and a blocksize from 1 to 2^31");
	d[0] = x->shape.d[0];
	for (i = 1; i < 4; i++) {
		/* DepthToSpace: the channels shrink by b^2, H and W grow by b; SpaceToDepth the other way */
		int64_t v = x->shape.d[i].v, f = i == 1 ? b * b : b;

		if (!known(x->shape.d[i]))
			d[i] = unk;
		else if ((i == 1) == up)
			d[i] = dk(v / f);
		else if (__builtin_mul_overflow(v, f, &v))
			return fail("dim %lld and blocksize %lld overflow 64 bits", (long long)x->shape.d[i].v,
			    (long long)b);
		else
			d[i] = dk(v);
	}
	set_out(g, n, 0, x->dtype, 4, d);
	return 0;
}

static int
op_nonzero(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim d[2] = {{-1, NULL}, {-1, NULL}};

	if (rank(x) < 0)
		return -1;
	d[0] = dk(x->shape.rank);
	set_out(g, n, 0, 7, 2, d);      /* the count depends on the values */
	return 0;
}

/* The outputs of If, Loop and Scan are those of their bodies: If's the
 * branch its condition takes when its value is known, else the branches'
 * where they agree (a dim that differs is unknown), Loop's
 * loop-carried values as the body leaves them and its scan outputs stacked
 * over the trip count, Scan's likewise. */
static int
op_if(struct gp_graph *g, struct gp_node *n)
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
		set_out(g, n, i, a->dtype == b->dtype ? a->dtype : 0, rank(a), d);
	}
	return 0;
}

static int
op_loop(struct gp_graph *g, struct gp_node *n)
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
			set_out(g, n, i, t->dtype, rank(t), t->shape.d);
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
		set_out(g, n, i, t->dtype, rank(t) + 1, d);
next:		;
	}
	return 0;
}

/* ---- com.microsoft: the contrib ops of onnxruntime ---- */

/* dimof: dim k of t (k < 0 counts from the end), unknown if t has none */
static struct gp_dim
dimof(const struct gp_tensor *t, int k)
{
	int r = rank(t);

	if (k < 0)
		k += r;
	return r < 0 || k < 0 || k >= r ? unk : t->shape.d[k];
}

/* dadd, dmul: a + b, a * b; a symbol survives adding 0 or multiplying by 1,
 * anything else not known (or overflowing) is unknown */
static struct gp_dim
dadd(struct gp_dim a, struct gp_dim b)
{
	int64_t r;

	if (known(a) && known(b))
		return __builtin_add_overflow(a.v, b.v, &r) ? unk : dk(r);
	if (known(a) && a.v == 0)
		return b;
	if (known(b) && b.v == 0)
		return a;
	return unk;
}

static struct gp_dim
dmul(struct gp_dim a, struct gp_dim b)
{
	int64_t r;

	if (known(a) && known(b))
		return __builtin_mul_overflow(a.v, b.v, &r) ? unk : dk(r);
	if (known(a) && a.v == 1)
		return b;
	if (known(b) && b.v == 1)
		return a;
	return unk;
}

/* ddiv: a / b when b divides a (or b is 1), else unknown */
static struct gp_dim
ddiv(struct gp_dim a, int64_t b)
{
	if (b == 1)
		return a;
	return known(a) && b > 0 && a.v % b == 0 ? dk(a.v / b) : unk;
}

/* scalar_dim: the value of a one-element integer tensor, as a dim */
static struct gp_dim
scalar_dim(const struct gp_tensor *t)
{
	return t && t->nval == 1 && t->iv ? ival_dim(t->iv[0]) : unk;
}

/* gp_attn_geom: see cost.h. Attention's inputs: input [B,S,Hin], weights
 * [Hin, Dq+Dk+Dv], bias, mask_index, past [2,B,N,P,h], attention_bias,
 * past_sequence_length. MultiHeadAttention's: query [B,S,Dq] (or packed QKV
 * [B,S,N,3,h]), key [B,L,Dk] (or packed KV [B,L,N,2,h], or cached keys
 * [B,N,L,h]), value, bias, key_padding_mask, attention_bias, past_key,
 * past_value [B,N,P,h], past_sequence_length. GroupQueryAttention's: query
 * [B,S,N·h] (or packed QKV [B,S,(N+2·Nkv)·h] without key), key, value
 * [B,S,Nkv·h], past_key, past_value [B,Nkv,P,h], seqlens_k,
 * total_sequence_length, cos_cache, sin_cache, ... */
int
gp_attn_geom(struct gp_graph *g, struct gp_node *n, struct gp_attn *a)
{
	struct gp_tensor *q = gp_node_in(g, n, 0), *k = gp_node_in(g, n, 1), *v = gp_node_in(g, n, 2);
	struct gp_tensor *past = NULL;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	int share = 0, cross = 0, nq, pd = 2;
	int64_t *qkv;

	memset(a, 0, sizeof *a);
	a->b = a->s = a->l = a->p = a->t = a->cache = a->hin = unk;
	a->dq = a->dk = a->dv = a->dout = a->head = a->vhead = unk;
	a->heads = attr_i(n, "num_heads", 0);
	a->kvheads = gqa ? attr_i(n, "kv_num_heads", 0) : a->heads;
	a->dtype = q ? q->dtype : 0;
	if (rank(q) < 0)
		return -1;
	if (a->heads <= 0 || a->kvheads <= 0 || a->heads > ((int64_t)1 << 30) ||
	    a->kvheads > ((int64_t)1 << 30))
		return fail("needs num_heads%s > 0", gqa ? " and kv_num_heads" : "");
	a->b = dimof(q, 0);
	a->s = dimof(q, 1);
	if (att) {
		if (rank(q) != 3)
			return fail("input of rank %d, not 3", rank(q));
		if (rank(k) >= 0 && rank(k) != 2)
			return fail("weights of rank %d, not 2", rank(k));
		a->qkv = 1;
		a->hin = dimof(q, 2);
		if (known(a->hin) && known(dimof(k, 0)) && a->hin.v != dimof(k, 0).v)
			return fail("input width %lld, weights for %lld", (long long)a->hin.v,
			    (long long)dimof(k, 0).v);
		a->l = a->s;
		nq = gp_attr_ints(A, n, "qkv_hidden_sizes", &qkv);
		if (nq >= 0 && nq != 3)
			return fail("qkv_hidden_sizes has %d values, not 3", nq);
		if (nq == 3) {
			if (qkv[0] < 0 || qkv[1] < 0 || qkv[2] < 0)
				return fail("negative qkv_hidden_sizes");
			a->dq = dk(qkv[0]);
			a->dk = dk(qkv[1]);
			a->dv = dk(qkv[2]);
		} else {
			a->dq = a->dk = a->dv = ddiv(dimof(k, 1), 3);
		}
		a->head = ddiv(a->dq, a->heads);
		a->vhead = ddiv(a->dv, a->heads);
		a->dout = a->dv;
		past = gp_node_in(g, n, 4);
		pd = 3;
		if (past && rank(past) >= 0 && rank(past) != 5)
			return fail("past of rank %d, not 5", rank(past));
		share = past && attr_i(n, "past_present_share_buffer", 0);
		if (share)
			a->p = scalar_dim(gp_node_in(g, n, 6));
	} else if (!gqa) {
		if (rank(q) == 5) {             /* packed QKV */
			a->l = a->s;
			a->head = a->vhead = dimof(q, 4);
			a->dq = a->dk = a->dv = dmul(dk(a->heads), a->head);
		} else if (rank(q) == 3) {
			a->dq = dimof(q, 2);
			a->head = ddiv(a->dq, a->heads);
			if (!k)
				return fail("a query of rank 3 needs a key");
			switch (rank(k)) {
			case 5:                 /* packed KV */
				a->l = dimof(k, 1);
				a->dk = a->dq;
				a->vhead = dimof(k, 4);
				a->dv = dmul(dk(a->heads), a->vhead);
				break;
			case 4:                 /* keys and values already split into heads */
				cross = 1;
				a->l = dimof(k, 2);
				a->dk = dmul(dk(a->heads), dimof(k, 3));
				a->vhead = dimof(v, 3);
				a->dv = dmul(dk(a->heads), a->vhead);
				break;
			case 3:
				a->l = dimof(k, 1);
				a->dk = dimof(k, 2);
				a->dv = dimof(v, 2);
				a->vhead = ddiv(a->dv, a->heads);
				break;
			case -1:
				return -1;
			default:
				return fail("key of rank %d", rank(k));
			}
		} else {
			return fail("query of rank %d", rank(q));
		}
		a->dout = a->dv;
		past = cross ? NULL : gp_node_in(g, n, 6);
		if (past && rank(past) >= 0 && rank(past) != 4)
			return fail("past_key of rank %d, not 4", rank(past));
		share = past && gp_node_in(g, n, 8);
		if (share)
			a->p = scalar_dim(gp_node_in(g, n, 8));
	} else {
		if (rank(q) != 3)
			return fail("query of rank %d, not 3", rank(q));
		if (k) {
			a->head = ddiv(dimof(q, 2), a->heads);
			a->l = dimof(k, 1);
		} else {                        /* packed QKV */
			a->head = ddiv(dimof(q, 2), a->heads + 2 * a->kvheads);
			a->l = a->s;
		}
		a->vhead = a->head;
		a->dq = a->dout = dmul(dk(a->heads), a->head);
		a->dk = a->dv = dmul(dk(a->kvheads), a->head);
		past = gp_node_in(g, n, 3);
		if (past && rank(past) >= 0 && rank(past) != 4)
			return fail("past_key of rank %d, not 4", rank(past));
		a->t = scalar_dim(gp_node_in(g, n, 6));
	}
	if (!past)
		a->p = dk(0);
	else if (!share)
		a->p = dimof(past, pd);
	if (!gqa || !known(a->t))
		a->t = dadd(a->p, a->l);
	a->cache = share ? dimof(past, pd) : a->t;
	if (gqa && past && known(a->t) && known(dimof(past, pd)) && dimof(past, pd).v > a->t.v)
		a->cache = dimof(past, pd);     /* a buffer shared with present */
	return 0;
}

/* Attention, MultiHeadAttention, GroupQueryAttention: output [B,S,Dout];
 * Attention's present [2,B,N,T,h], the others' present_key and present_value
 * [B,N,T,h] (N the key heads of GroupQueryAttention), and the scores [B,N,S,T]
 * as output 3; presents keep a quantized cache's dtype */
static int
op_attention(struct gp_graph *g, struct gp_node *n)
{
	struct gp_attn a;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	struct gp_tensor *past = gp_node_in(g, n, att ? 4 : gqa ? 3 : 6);
	int rc = gp_attn_geom(g, n, &a), pdt = past && past->dtype > 0 ? past->dtype : a.dtype, i;
	struct gp_dim d[5];

	if (rc < 0) {
		for (i = 0; rc == -1 && i < n->nout; i++)
			set_out(g, n, i, i == 0 || i == 3 ? a.dtype : pdt, -1, NULL);
		return rc;
	}
	d[0] = a.b;
	d[1] = a.s;
	d[2] = a.dout;
	set_out(g, n, 0, a.dtype, 3, d);
	if (att) {
		d[0] = dk(2);
		d[1] = a.b;
		d[2] = dk(a.heads);
		d[3] = a.cache;
		d[4] = a.head;
		set_out(g, n, 1, pdt, 5, d);
		return 0;
	}
	d[0] = a.b;
	d[1] = dk(a.kvheads);
	d[2] = a.cache;
	d[3] = a.head;
	set_out(g, n, 1, pdt, 4, d);
	d[3] = a.vhead;
	set_out(g, n, 2, pdt, 4, d);
	d[1] = dk(a.heads);
	d[2] = a.s;
	d[3] = a.t;
	set_out(g, n, 3, a.dtype, 4, d);
	return 0;
}

/* MatMulNBits: A [..., K] times the K x N weights its attributes describe
 * (stored packed in B): [..., N], of A's dtype */
static int
op_matmulnbits(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t k = attr_i(n, "K", -1), nn = attr_i(n, "N", -1);
	int r = rank(x);
	struct gp_dim *d;

	if (k <= 0 || nn <= 0)
		return fail("needs attributes K and N");
	if (r < 0) {
		set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return -1;
	}
	if (r == 0)
		return fail("A is a scalar");
	if (known(x->shape.d[r - 1]) && x->shape.d[r - 1].v != k)
		return fail("A has %lld columns, K is %lld", (long long)x->shape.d[r - 1].v, (long long)k);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[r - 1] = dk(nn);
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* QLinearAdd, QLinearMul: A (input 0) and B (input 3) broadcast */
static int
op_qbinary(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *ts[2];
	struct gp_dim *d;
	int r;

	ts[0] = gp_node_in(g, n, 0);
	ts[1] = gp_node_in(g, n, 3);
	if (!ts[0] || !ts[1])
		return -1;
	if ((r = bcast(g, ts, 2, &d)) < 0) {
		if (r == -1)
			set_out(g, n, 0, ts[0]->dtype, -1, NULL);
		return r;
	}
	set_out(g, n, 0, ts[0]->dtype, r, d);
	return 0;
}

/* QLinearGlobalAveragePool: N and C kept, every spatial dim 1; C last with
 * channels_last */
static int
op_qgap(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), cl = attr_i(n, "channels_last", 0) != 0, k;
	struct gp_dim *d;

	if (r < 3)
		return r < 0 ? -1 : fail("input of rank %d", r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++)
		d[k] = k == 0 || k == (cl ? r - 1 : 1) ? x->shape.d[k] : dk(1);
	set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* QLinearConcat: Y_scale, Y_zero_point, then (tensor, scale, zero point) per
 * input; the tensors concatenate on axis, into the zero point's dtype */
static int
op_qconcat(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor **ts, *zp = gp_node_in(g, n, 1);
	struct gp_dim *d = NULL;
	int nt = 0, i, r = -1, rc;

	ts = gp_arena_alloc(A, (size_t)(n->nin / 3 + 1) * sizeof *ts);
	for (i = 2; i < n->nin; i += 3)
		ts[nt++] = gp_node_in(g, n, i);
	if (nt == 0 || !ts[0])
		return nt == 0 ? fail("no inputs to concatenate") : -1;
	if ((rc = concat_dims(g, n, ts, nt, &d, &r)) < 0)
		return rc;
	set_out(g, n, 0, zp && zp->dtype > 0 ? zp->dtype : ts[0]->dtype, r, d);
	return 0;
}

/* SkipLayerNormalization, SkipSimplifiedLayerNormalization: output and the sum
 * input + skip (+ bias) (output 3) have the input's shape; the mean and
 * inverse deviation are float, one per row */
static int
op_skipnorm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i;
	struct gp_dim *d;

	if (r < 1) {
		for (i = 0; r < 0 && x && i < n->nout; i++)
			set_out(g, n, i, i == 1 || i == 2 ? 1 : x->dtype, -1, NULL);
		return r < 0 ? -1 : fail("a scalar input");
	}
	set_out(g, n, 0, x->dtype, r, x->shape.d);
	set_out(g, n, 3, x->dtype, r, x->shape.d);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[r - 1] = dk(1);
	set_out(g, n, 1, 1, r, d);
	set_out(g, n, 2, 1, r, d);
	return 0;
}

/* EmbedLayerNormalization: input_ids [B,S] looked up in word_embedding [V,H]
 * (input 2): output and embedding_sum [B,S,H] of the embedding's dtype,
 * mask_index [B] int32 */
static int
op_embedln(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *ids = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 2);
	int dt = w ? w->dtype : 0;
	struct gp_dim d[3];

	if (rank(ids) != 2) {
		set_out(g, n, 0, dt, -1, NULL);
		set_out(g, n, 1, 6, -1, NULL);
		set_out(g, n, 2, dt, -1, NULL);
		return rank(ids) < 0 ? -1 : fail("input_ids of rank %d, not 2", rank(ids));
	}
	d[0] = ids->shape.d[0];
	d[1] = ids->shape.d[1];
	d[2] = dimof(w, 1);
	set_out(g, n, 0, dt, 3, d);
	set_out(g, n, 2, dt, 3, d);
	set_out(g, n, 1, 6, 1, d);
	return 0;
}

static const struct gp_op ops[] = {
	/* keep sorted by name: found by binary search. Columns: op, domain, shape
	 * function, cost function (cost.c), class, FLOPs per element (docs/counting.md) */
	{"Abs", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Acos", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Acosh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Add", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"And", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"ArgMax", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ArgMin", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"Asin", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Asinh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Atan", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Atanh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"AveragePool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 1},
	{"BatchNormalization", NULL, op_norm, gp_cost_norm, GP_C_ELEM, 2},
	{"BitShift", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Cast", NULL, op_cast, gp_cost_elem, GP_C_ELEM, 0},
	{"CastLike", NULL, op_cast, gp_cost_elem, GP_C_ELEM, 0},
	{"Ceil", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Celu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 4},
	{"Clip", NULL, op_same, gp_cost_elem, GP_C_ELEM, 2},
	{"Concat", NULL, op_concat, gp_cost_move, GP_C_MOVE, 0},
	{"Constant", NULL, op_constant, gp_cost_none, GP_C_FREE, 0},
	{"ConstantOfShape", NULL, op_constofshape, gp_cost_move, GP_C_MOVE, 0},
	{"Conv", NULL, op_conv, gp_cost_conv, GP_C_DENSE, 0},
	{"ConvInteger", NULL, op_conv, gp_cost_conv, GP_C_DENSE, 0},
	{"ConvTranspose", NULL, op_convtranspose, gp_cost_convtranspose, GP_C_DENSE, 0},
	{"Cos", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Cosh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"CumSum", NULL, op_same, gp_cost_reduce, GP_C_ROW, 1},
	{"DepthToSpace", NULL, op_depthspace, gp_cost_move, GP_C_MOVE, 0},
	{"DequantizeLinear", NULL, op_quant, gp_cost_elem, GP_C_ELEM, 2},
	{"Div", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Dropout", NULL, op_dropout, gp_cost_none, GP_C_FREE, 0},
	{"DynamicQuantizeLinear", NULL, op_dynquant, gp_cost_reduce, GP_C_ROW, 5},
	{"Einsum", NULL, op_einsum, gp_cost_einsum, GP_C_DENSE, 0},
	{"Elu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 3},
	{"Equal", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Erf", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Exp", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Expand", NULL, op_expand, gp_cost_move, GP_C_MOVE, 0},
	{"EyeLike", NULL, op_same, gp_cost_move, GP_C_MOVE, 0},
	{"Flatten", NULL, op_flatten, gp_cost_none, GP_C_VIEW, 0},
	{"Floor", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"GRU", NULL, gp_op_rnn, gp_cost_rnn, GP_C_DENSE, 0},
	{"Gather", NULL, op_gather, gp_cost_move, GP_C_MOVE, 0},
	{"GatherElements", NULL, op_gatherel, gp_cost_move, GP_C_MOVE, 0},
	{"Gelu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 5},
	{"Gemm", NULL, op_gemm, gp_cost_gemm, GP_C_DENSE, 0},
	{"GlobalAveragePool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 1},
	{"GlobalLpPool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 2},
	{"GlobalMaxPool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 1},
	{"Greater", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"GreaterOrEqual", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"HardSigmoid", NULL, op_same, gp_cost_elem, GP_C_ELEM, 3},
	{"HardSwish", NULL, op_same, gp_cost_elem, GP_C_ELEM, 5},
	{"Hardmax", NULL, op_same, gp_cost_elem, GP_C_ROW, 1},
	{"Identity", NULL, op_same, gp_cost_none, GP_C_FREE, 0},
	{"If", NULL, op_if, gp_cost_control, GP_C_CONTROL, 0},
	{"InstanceNormalization", NULL, op_norm, gp_cost_norm, GP_C_ROW, 7},
	{"IsInf", NULL, op_bool1, gp_cost_elem, GP_C_ELEM, 1},
	{"IsNaN", NULL, op_bool1, gp_cost_elem, GP_C_ELEM, 1},
	{"LRN", NULL, op_same, gp_cost_lrn, GP_C_ROW, 0},
	{"LSTM", NULL, gp_op_rnn, gp_cost_rnn, GP_C_DENSE, 0},
	{"LayerNormalization", NULL, op_norm, gp_cost_norm, GP_C_ROW, 7},
	{"LeakyRelu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 2},
	{"Less", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"LessOrEqual", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Log", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"LogSoftmax", NULL, op_same, gp_cost_elem, GP_C_ROW, 5},
	{"Loop", NULL, op_loop, gp_cost_control, GP_C_CONTROL, 0},
	{"LpNormalization", NULL, op_same, gp_cost_norm, GP_C_ROW, 3},
	{"LpPool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 2},
	{"MatMul", NULL, op_matmul, gp_cost_matmul, GP_C_DENSE, 0},
	{"MatMulInteger", NULL, op_matmul, gp_cost_matmul, GP_C_DENSE, 0},
	{"Max", NULL, op_binary, gp_cost_elem, GP_C_ELEM, -1},
	{"MaxPool", NULL, op_pool, gp_cost_pool, GP_C_POOL, 1},
	{"Mean", NULL, op_binary, gp_cost_elem, GP_C_ELEM, -2},
	{"MeanVarianceNormalization", NULL, op_same, gp_cost_norm, GP_C_ROW, 5},
	{"Min", NULL, op_binary, gp_cost_elem, GP_C_ELEM, -1},
	{"Mish", NULL, op_same, gp_cost_elem, GP_C_ELEM, 5},
	{"Mod", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Mul", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Neg", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"NonZero", NULL, op_nonzero, gp_cost_reduce, GP_C_ROW, 1},
	{"Not", NULL, op_bool1, gp_cost_elem, GP_C_ELEM, 1},
	{"Or", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"PRelu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 2},
	{"Pad", NULL, op_pad, gp_cost_move, GP_C_MOVE, 0},
	{"Pow", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"QLinearConv", NULL, op_conv, gp_cost_conv, GP_C_DENSE, 0},
	{"QLinearMatMul", NULL, op_matmul, gp_cost_matmul, GP_C_DENSE, 0},
	{"QuantizeLinear", NULL, op_quant, gp_cost_elem, GP_C_ELEM, 3},
	{"RNN", NULL, gp_op_rnn, gp_cost_rnn, GP_C_DENSE, 0},
	{"Range", NULL, op_range, gp_cost_move, GP_C_MOVE, 0},
	{"Reciprocal", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"ReduceL1", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 2},
	{"ReduceL2", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 2},
	{"ReduceLogSum", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 2},
	{"ReduceLogSumExp", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 2},
	{"ReduceMax", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ReduceMean", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ReduceMin", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ReduceProd", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ReduceSum", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 1},
	{"ReduceSumSquare", NULL, op_reduce, gp_cost_reduce, GP_C_ROW, 2},
	{"Relu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Reshape", NULL, op_reshape, gp_cost_none, GP_C_VIEW, 0},
	{"Resize", NULL, op_resize, gp_cost_resize, GP_C_MOVE, 0},
	{"Round", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Scan", NULL, op_loop, gp_cost_control, GP_C_CONTROL, 0},
	{"Scatter", NULL, op_same, gp_cost_move, GP_C_MOVE, 0},
	{"ScatterElements", NULL, op_same, gp_cost_move, GP_C_MOVE, 0},
	{"ScatterND", NULL, op_same, gp_cost_move, GP_C_MOVE, 0},
	{"Selu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 4},
	{"Shape", NULL, op_shape, gp_cost_none, GP_C_FREE, 0},
	{"Shrink", NULL, op_same, gp_cost_elem, GP_C_ELEM, 2},
	{"Sigmoid", NULL, op_same, gp_cost_elem, GP_C_ELEM, 4},
	{"Sign", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	/* RMSNorm: onnxruntime's, which it defines in this domain */
	{"SimplifiedLayerNormalization", NULL, op_norm, gp_cost_norm, GP_C_ROW, 4},
	{"Sin", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Sinh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Size", NULL, op_size, gp_cost_none, GP_C_FREE, 0},
	{"Slice", NULL, op_slice, gp_cost_move, GP_C_MOVE, 0},
	{"Softmax", NULL, op_same, gp_cost_elem, GP_C_ROW, 5},
	{"Softplus", NULL, op_same, gp_cost_elem, GP_C_ELEM, 3},
	{"Softsign", NULL, op_same, gp_cost_elem, GP_C_ELEM, 3},
	{"SpaceToDepth", NULL, op_depthspace, gp_cost_move, GP_C_MOVE, 0},
	{"Split", NULL, op_split, gp_cost_move, GP_C_MOVE, 0},
	{"Sqrt", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Squeeze", NULL, op_squeeze, gp_cost_none, GP_C_VIEW, 0},
	{"Sub", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
	{"Sum", NULL, op_binary, gp_cost_elem, GP_C_ELEM, -1},
	{"Tan", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"Tanh", NULL, op_same, gp_cost_elem, GP_C_ELEM, 1},
	{"ThresholdedRelu", NULL, op_same, gp_cost_elem, GP_C_ELEM, 2},
	{"Tile", NULL, op_tile, gp_cost_move, GP_C_MOVE, 0},
	{"TopK", NULL, op_topk, gp_cost_topk, GP_C_ROW, 0},
	{"Transpose", NULL, op_transpose, gp_cost_move, GP_C_MOVE, 0},
	{"Trilu", NULL, op_same, gp_cost_move, GP_C_MOVE, 0},
	{"Unsqueeze", NULL, op_unsqueeze, gp_cost_none, GP_C_VIEW, 0},
	{"Upsample", NULL, op_resize, gp_cost_resize, GP_C_MOVE, 0},
	{"Where", NULL, op_where, gp_cost_elem, GP_C_ELEM, 1},
	{"Xor", NULL, op_binary, gp_cost_elem, GP_C_ELEM, 1},
};

/* The contrib ops of onnxruntime (docs/ContribOperators.md there), as
 * optimized and quantized exports carry them. Same columns, same order. */
static const struct gp_op msops[] = {
	{"Attention", "com.microsoft", op_attention, gp_cost_attention, GP_C_DENSE, 6},
	{"BiasAdd", "com.microsoft", op_binary, gp_cost_elem, GP_C_ELEM, 2},
	{"BiasGelu", "com.microsoft", op_binary, gp_cost_elem, GP_C_ELEM, 6},
	{"DequantizeLinear", "com.microsoft", op_quant, gp_cost_elem, GP_C_ELEM, 2},
	{"DynamicQuantizeMatMul", "com.microsoft", op_matmul, gp_cost_qmatmul, GP_C_DENSE, 5},
	{"EmbedLayerNormalization", "com.microsoft", op_embedln, gp_cost_embedln, GP_C_ROW, 8},
	{"FastGelu", "com.microsoft", op_binary, gp_cost_biaselem, GP_C_ELEM, 9},
	{"FusedMatMul", "com.microsoft", op_fusedmatmul, gp_cost_fusedmatmul, GP_C_DENSE, 0},
	{"Gelu", "com.microsoft", op_same, gp_cost_elem, GP_C_ELEM, 5},
	{"GroupQueryAttention", "com.microsoft", op_attention, gp_cost_attention, GP_C_DENSE, 6},
	{"MatMulIntegerToFloat", "com.microsoft", op_matmul, gp_cost_qmatmul, GP_C_DENSE, 0},
	{"MatMulNBits", "com.microsoft", op_matmulnbits, gp_cost_matmulnbits, GP_C_DENSE, 2},
	{"MultiHeadAttention", "com.microsoft", op_attention, gp_cost_attention, GP_C_DENSE, 6},
	{"QLinearAdd", "com.microsoft", op_qbinary, gp_cost_elem, GP_C_ELEM, 8},
	{"QLinearConcat", "com.microsoft", op_qconcat, gp_cost_move, GP_C_MOVE, 0},
	{"QLinearGlobalAveragePool", "com.microsoft", op_qgap, gp_cost_pool, GP_C_POOL, 3},
	{"QLinearLeakyRelu", "com.microsoft", op_same, gp_cost_elem, GP_C_ELEM, 7},
	{"QLinearMul", "com.microsoft", op_qbinary, gp_cost_elem, GP_C_ELEM, 8},
	{"QLinearSigmoid", "com.microsoft", op_same, gp_cost_elem, GP_C_ELEM, 9},
	{"QuantizeLinear", "com.microsoft", op_quant, gp_cost_elem, GP_C_ELEM, 3},
	{"QuickGelu", "com.microsoft", op_same, gp_cost_elem, GP_C_ELEM, 6},
	{"RotaryEmbedding", "com.microsoft", op_same, gp_cost_rotary, GP_C_ELEM, 3},
	{"SimplifiedLayerNormalization", "com.microsoft", op_norm, gp_cost_norm, GP_C_ROW, 4},
	{"SkipLayerNormalization", "com.microsoft", op_skipnorm, gp_cost_skipnorm, GP_C_ROW, 8},
	{"SkipSimplifiedLayerNormalization", "com.microsoft", op_skipnorm, gp_cost_skipnorm, GP_C_ROW, 5},
};

#define NOPS (sizeof ops / sizeof ops[0])
#define NMSOPS (sizeof msops / sizeof msops[0])

/* gp_op_at: the default domain's ops, then tflite's, tflite.custom's
 * (tflite-ops.c) and com.microsoft's */
const struct gp_op *
gp_op_at(size_t i)
{
	if (i < NOPS)
		return &ops[i];
	if ((i -= NOPS) < gp_tflite_nops)
		return &gp_tflite_ops[i];
	if ((i -= gp_tflite_nops) < gp_tflite_ncustom)
		return &gp_tflite_custom_ops[i];
	i -= gp_tflite_ncustom;
	return i < NMSOPS ? &msops[i] : NULL;
}

/* gp_op_find: op in the table of its domain (none, "" and "ai.onnx" are the
 * default one; "com.microsoft"; "tflite", "tflite.custom"), by binary search;
 * NULL if gp does not know it. The ops found last are remembered by the first
 * bytes of their name, since a partition asks for every node's op several times. */
const struct gp_op *
gp_op_find(const char *domain, const char *op)
{
	static const struct gp_op *seen[64];
	static char seen_ms[64];                /* found in msops */
	const struct gp_op *t = ops, **hit;
	size_t lo = 0, hi = NOPS, mid;
	unsigned h;
	int c;

	if (domain && *domain && strcmp(domain, "ai.onnx") != 0) {
		if (strcmp(domain, "com.microsoft") == 0) {
			t = msops;
			hi = NMSOPS;
		} else if (strcmp(domain, "tflite") == 0) {
			t = gp_tflite_ops;
			hi = gp_tflite_nops;
		} else if (strcmp(domain, "tflite.custom") == 0) {
			t = gp_tflite_custom_ops;
			hi = gp_tflite_ncustom;
		} else {
			return NULL;
		}
	}
	h = op[0] ? (unsigned char)op[0] * 31u + (unsigned char)op[1] * 7u + (unsigned)(t == msops) : 0;
	hit = &seen[h & 63];
	if (*hit && seen_ms[h & 63] == (t == msops) && strcmp(op, (*hit)->name) == 0)
		return *hit;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(op, t[mid].name);
		if (c == 0) {
			seen_ms[h & 63] = t == msops;
			return *hit = &t[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
gp_op_passes(const struct gp_node *n)
{
	const struct gp_op *op = gp_op_find(n->domain, n->op);

	return op && (op->cls == GP_C_VIEW || !strcmp(n->op, "Identity") || !strcmp(n->op, "Dropout"));
}

int
gp_tensor_root(const struct gp_graph *g, int t)
{
	size_t hops = 0;

	while (t >= 0 && g->t[t].producer >= 0 && hops++ <= g->nn) {
		const struct gp_node *n = &g->n[g->t[t].producer];

		if (!gp_op_passes(n) || n->nout < 1 || n->out[0] != t || n->nin < 1 || n->in[0] < 0)
			break;
		t = n->in[0];
	}
	return t;
}
