/* dims.c - what the op families share: setting a node's outputs, dims
 * broadcast, the windows of convolutions and pools, axes, errors */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

char gp_op_err[256];

int
gp_op_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(gp_op_err, sizeof gp_op_err, fmt, ap);
	va_end(ap);
	return -2;
}

/* gp_ints: t's values as plain integers, all known; else -1 */
int
gp_ints(struct gp_graph *g, const struct gp_tensor *t, int64_t **v)
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

/* gp_set_out sets output i: dtype, rank and dims (copied). A declared shape that
 * disagrees is reported once; a declared dim fills in one we cannot know. */
void
gp_set_out(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r, const struct gp_dim *d)
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
gp_set_vals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const struct gp_ival *v)
{
	struct gp_tensor *t = gp_node_out(g, n, i);

	if (!t || cnt < 0 || cnt > MAXVAL)
		return;
	t->iv = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *t->iv);
	memcpy(t->iv, v, (size_t)cnt * sizeof *v);
	t->nval = cnt;
	t->fv = NULL;
}

void
gp_set_fvals(struct gp_graph *g, struct gp_node *n, int i, int cnt, const double *v)
{
	struct gp_tensor *t = gp_node_out(g, n, i);

	if (!t || cnt < 0 || cnt > MAXVAL)
		return;
	t->fv = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *t->fv);
	memcpy(t->fv, v, (size_t)cnt * sizeof *v);
	t->nval = cnt;
	t->iv = NULL;
}

/* gp_pass_vals gives output 0 the values of x, if it has any (a view: Identity,
 * Squeeze, Unsqueeze, Reshape keep the values in order) */
void
gp_pass_vals(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x)
{
	if (x && x->nval >= 0 && x->iv)
		gp_set_vals(g, n, 0, x->nval, x->iv);
	else if (x && x->nval >= 0 && x->fv)
		gp_set_fvals(g, n, 0, x->nval, x->fv);
}

/* gp_set_unknown sets output i to rank r with every dim unknown */
void
gp_set_unknown(struct gp_graph *g, struct gp_node *n, int i, int dtype, int r)
{
	struct gp_dim *d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	int k;

	for (k = 0; k < r; k++)
		d[k] = unk;
	gp_set_out(g, n, i, dtype, r, d);
}

/* gp_bcast broadcasts the shapes of the nt tensors ts (NULL ones skipped)
 * numpy-style into d; returns the rank, -1 if a rank is unknown, -2 if they
 * cannot broadcast */
int
gp_bcast(struct gp_graph *g, struct gp_tensor *const *ts, int nt, struct gp_dim **d)
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
				return gp_op_fail("cannot broadcast dim %lld with %lld", (long long)res.v,
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
int
gp_broadcast(struct gp_graph *g, struct gp_node *n, int from, int to, struct gp_dim **d)
{
	struct gp_tensor **ts;
	int i;

	if (to < from)
		to = from;
	ts = gp_arena_alloc(A, (size_t)(to - from + 1) * sizeof *ts);
	for (i = from; i < to; i++)
		ts[i - from] = gp_node_in(g, n, i);
	return gp_bcast(g, ts, to - from, d);
}

/* axes of Unsqueeze/Squeeze/Reduce*: from the second input (newer opsets) or
 * the attribute; returns the count, -1 when absent, -2 when not known */
int
gp_axes_of(struct gp_graph *g, struct gp_node *n, int input, int64_t **ax)
{
	struct gp_tensor *t = gp_node_in(g, n, input);
	int c;

	if (t) {
		c = gp_ints(g, t, ax);
		return c < 0 ? -2 : c;
	}
	c = gp_attr_ints(A, n, "axes", ax);
	return c;
}

int
gp_window(struct gp_graph *g, struct gp_node *n, const struct gp_tensor *x, const int64_t *k, int ns,
    int pool, struct gp_dim *d)
{
	int64_t *st = NULL, *dil = NULL, *pads = NULL;
	int nst = gp_attr_ints(A, n, "strides", &st), ndil = gp_attr_ints(A, n, "dilations", &dil);
	int np = gp_attr_ints(A, n, "pads", &pads), ceil_mode = (int)attr_i(n, "ceil_mode", 0), i;
	const char *ap = "NOTSET";

	gp_attr_str(A, n, "auto_pad", &ap);
	if ((nst >= 0 && nst != ns) || (ndil >= 0 && ndil != ns) || (np >= 0 && np != 2 * ns))
		return gp_op_fail("strides, dilations or pads do not match %d spatial dims", ns);
	for (i = 0; i < ns; i++) {
		struct gp_dim in_ = x->shape.d[2 + i];
		int64_t s = st ? st[i] : 1, dl = dil ? dil[i] : 1, ek, total, pad;

		if (s <= 0 || dl <= 0 || k[i] <= 0 || s > LIM || dl > LIM || k[i] > LIM ||
		    (pads && (pads[i] < 0 || pads[i] > LIM || pads[i + ns] < 0 || pads[i + ns] > LIM)))
			return gp_op_fail("bad stride, dilation, kernel or pads");
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
			return gp_op_fail("dim %lld and pads overflow", (long long)in_.v);
		total -= ek;
		if (total < 0)
			return gp_op_fail("the kernel (%lld) is larger than the padded input", (long long)ek);
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
