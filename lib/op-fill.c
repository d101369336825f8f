/* op-fill.c - ops that make or re-lay data: Expand, Tile, ConstantOfShape, Range, Pad,
 * DepthToSpace, SpaceToDepth, NonZero (their cost is cost_move, op-shape.c)
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* Expand: input 0 broadcast with the shape input */
int
gp_opshape_expand(struct gp_graph *g, struct gp_node *n)
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
			return gp_op_fail("cannot expand dim %lld to %lld", (long long)a.v, (long long)b.v);
		else
			d[i] = b;
	}
	gp_set_out(g, n, 0, x->dtype, rr, d);
	return 0;
}

/* Tile: input 0's dims times the repeats */
int
gp_opshape_tile(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *rep;
	int r = rank(x), nr = gp_ints(g, gp_node_in(g, n, 1), &rep), i;
	struct gp_dim *d;

	if (r < 0 || nr < 0)
		return -1;
	if (nr != r)
		return gp_op_fail("%d repeats for rank %d", nr, r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = 0; i < r; i++) {
		if (rep[i] < 0)
			return gp_op_fail("repeat %lld is negative", (long long)rep[i]);
		if (!known(x->shape.d[i]))
			d[i] = rep[i] == 1 ? x->shape.d[i] : unk;
		else if (__builtin_mul_overflow(x->shape.d[i].v, rep[i], &d[i].v))
			return gp_op_fail("dim %lld x %lld repeats overflows 64 bits", (long long)x->shape.d[i].v,
			    (long long)rep[i]);
		else
			d[i].sym = NULL;
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* ConstantOfShape: a tensor of the shape input's dims, filled with value */
int
gp_opshape_constofshape(struct gp_graph *g, struct gp_node *n)
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
	gp_set_out(g, n, 0, dt, ns, d);
	if (ns == 1 && known(d[0]) && d[0].v <= MAXVAL && v && strncmp(v, "T:", 2) == 0) {
		int ti = gp_graph_find(g, n->graph, gp_unesc(A, v + 2, strlen(v + 2)));
		struct gp_ival *o;
		int64_t j;

		if (ti >= 0 && g->t[ti].iv && g->t[ti].nval == 1) {
			o = gp_arena_alloc(A, (size_t)(d[0].v + 1) * sizeof *o);
			for (j = 0; j < d[0].v; j++)
				o[j] = g->t[ti].iv[0];
			gp_set_vals(g, n, 0, (int)d[0].v, o);
		}
	}
	return 0;
}

/* Range: a 1-D tensor of ceil((limit - start) / delta) elements, values when small */
int
gp_opshape_range(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *s = gp_node_in(g, n, 0);
	int64_t *a, *b, *c;
	double *fa, *fb, *fc;
	struct gp_dim d = unk;

	if (!s)
		return -1;
	if (gp_ints(g, s, &a) == 1 && gp_ints(g, gp_node_in(g, n, 1), &b) == 1 && gp_ints(g, gp_node_in(g, n, 2), &c) == 1 && c[0]) {
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
			gp_set_out(g, n, 0, s->dtype, 1, &d);
			gp_set_vals(g, n, 0, (int)cnt, v);
			return 0;
		}
	} else if (floats(s, &fa) == 1 && floats(gp_node_in(g, n, 1), &fb) == 1 && floats(gp_node_in(g, n, 2), &fc) == 1 &&
	    fc[0] != 0) {
		double cnt = ceil((fb[0] - fa[0]) / fc[0]);

		d = dk(cnt > 0 ? (int64_t)cnt : 0);
	}
	gp_set_out(g, n, 0, s->dtype, 1, &d);
	return known(d) ? 0 : -1;
}

/* Pad: input 0's dims grown by the pads (input or attribute) on their axes */
int
gp_opshape_pad(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *p, *ax = NULL;
	int r = rank(x), np, na = -1, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if (n->nin >= 2 && gp_node_in(g, n, 1)) {
		np = gp_ints(g, gp_node_in(g, n, 1), &p);
		if (gp_node_in(g, n, 3))
			na = gp_ints(g, gp_node_in(g, n, 3), &ax);
		if (np < 0 || (gp_node_in(g, n, 3) && na < 0)) {
			gp_set_unknown(g, n, 0, x->dtype, r);
			return -1;
		}
	} else {
		np = gp_attr_ints(A, n, "pads", &p);
	}
	if (na < 0 && np != 2 * r)
		return gp_op_fail("%d pads for rank %d", np, r);
	if (na >= 0 && np != 2 * na)
		return gp_op_fail("%d pads for %d axes", np, na);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 0; i < (na >= 0 ? na : r); i++) {
		int k = na >= 0 ? norm_axis(ax[i], r) : i, m = na >= 0 ? na : r;

		if (k < 0)
			return gp_op_fail("bad axis");
		if (known(d[k])) {
			int64_t v;

			if (__builtin_add_overflow(d[k].v, p[i], &v) || __builtin_add_overflow(v, p[i + m], &v) ||
			    v < 0)
				return gp_op_fail("pads %lld and %lld on a dim of %lld", (long long)p[i],
				    (long long)p[i + m], (long long)d[k].v);
			d[k] = dk(v);
		}
		else if (p[i] || p[i + m])
			d[k] = unk;
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* DepthToSpace, SpaceToDepth: channels traded for blocksize x blocksize spatial blocks */
int
gp_opshape_depthspace(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t b = attr_i(n, "blocksize", 0);
	struct gp_dim d[4];
	int up = !strcmp(n->op, "DepthToSpace"), i;

	if (rank(x) != 4 || b <= 0 || b > LIM)
		return rank(x) < 0 ? -1 : gp_op_fail("needs a 4-D input and a blocksize from 1 to 2^31");
	d[0] = x->shape.d[0];
	for (i = 1; i < 4; i++) {
		/* DepthToSpace: the channels shrink by b^2, H and W grow by b; SpaceToDepth the other way */
		int64_t v = x->shape.d[i].v, f = i == 1 ? b * b : b;

		if (!known(x->shape.d[i]))
			d[i] = unk;
		else if ((i == 1) == up)
			d[i] = dk(v / f);
		else if (__builtin_mul_overflow(v, f, &v))
			return gp_op_fail("dim %lld and blocksize %lld overflow 64 bits", (long long)x->shape.d[i].v,
			    (long long)b);
		else
			d[i] = dk(v);
	}
	gp_set_out(g, n, 0, x->dtype, 4, d);
	return 0;
}

int
gp_opshape_nonzero(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim d[2] = {{-1, NULL}, {-1, NULL}};

	if (rank(x) < 0)
		return -1;
	d[0] = dk(x->shape.rank);
	gp_set_out(g, n, 0, 7, 2, d);      /* the count depends on the values */
	return 0;
}
