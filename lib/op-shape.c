/* op-shape.c - ops that reshape, view, index or join tensors: Shape, Size, Constant,
 * Reshape, Squeeze, Unsqueeze, Flatten, Transpose, Concat, Gather, Slice,
 * Split; their shape functions and the cost of moving data
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* Shape: input 0's dims (from start to end) as a 1-D int64 value */
int
gp_opshape_shape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim d;
	int64_t s = attr_i(n, "start", 0), e;
	int r = rank(x), i;
	struct gp_ival *v;

	if (r < 0) {
		gp_set_out(g, n, 0, 7, 1, &unk);
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
	gp_set_out(g, n, 0, 7, 1, &d);
	v = gp_arena_alloc(A, (size_t)(e - s + 1) * sizeof *v);
	for (i = (int)s; i < e; i++)
		v[i - s] = dim_ival(x->shape.d[i]);
	gp_set_vals(g, n, 0, (int)(e - s), v);
	return 0;
}

int
gp_opshape_size(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t ne = x ? gp_shape_numel(&x->shape) : -1;

	gp_set_out(g, n, 0, 7, 0, NULL);
	if (ne >= 0) {
		struct gp_ival v = {ne, NULL, 1};

		gp_set_vals(g, n, 0, 1, &v);
	}
	return 0;
}

int
gp_opshape_constant(struct gp_graph *g, struct gp_node *n)
{
	(void)g;
	(void)n;
	return 0;                       /* gp-load wrote its value, dtype and shape */
}

/* Unsqueeze: input 0 with dims of 1 inserted at the axes */
int
gp_opshape_unsqueeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax;
	int na = gp_axes_of(g, n, 1, &ax), r, i, k, j;
	struct gp_dim *d;
	char *mark;

	if (!x || x->shape.rank < 0 || na < 0) {
		gp_set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return -1;
	}
	r = x->shape.rank + na;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	mark = gp_arena_alloc(A, (size_t)r + 1);
	memset(mark, 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		k = norm_axis(ax[i], r);
		if (k < 0 || mark[k])
			return gp_op_fail("bad axis %lld", (long long)ax[i]);
		mark[k] = 1;
	}
	for (i = j = 0; i < r; i++)
		d[i] = mark[i] ? dk(1) : x->shape.d[j++];
	gp_set_out(g, n, 0, x->dtype, r, d);
	gp_pass_vals(g, n, x);
	return 0;
}

/* Squeeze: input 0 without the dims of 1 at the axes (all of them when none given) */
int
gp_opshape_squeeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *ax;
	int na = gp_axes_of(g, n, 1, &ax), r, i, j, k;
	struct gp_dim *d;
	char *mark;

	if (!x || x->shape.rank < 0 || na == -2) {
		gp_set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
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
				return gp_op_fail("bad axis %lld", (long long)ax[i]);
			if (known(x->shape.d[k]) && x->shape.d[k].v != 1)
				return gp_op_fail("cannot squeeze dim %d of size %lld", k, (long long)x->shape.d[k].v);
			mark[k] = 1;
		}
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (i = j = 0; i < r; i++)
		if (!mark[i])
			d[j++] = x->shape.d[i];
	gp_set_out(g, n, 0, x->dtype, j, d);
	gp_pass_vals(g, n, x);
	return 0;
}

/* Flatten: input 0 as 2-D, split at axis */
int
gp_opshape_flatten(struct gp_graph *g, struct gp_node *n)
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
		return gp_op_fail("bad axis %lld", (long long)attr_i(n, "axis", 1));
	for (i = 0; i < r; i++) {
		struct gp_dim *p = &d[i >= a];

		if (known(x->shape.d[i]) && known(*p)) {
			if (__builtin_mul_overflow(p->v, x->shape.d[i].v, &p->v))
				return gp_op_fail("the dims' product overflows 64 bits");
		}
		else if (known(x->shape.d[i]) && x->shape.d[i].v == 1)
			;
		else if (known(*p) && p->v == 1 && x->shape.d[i].sym)
			*p = x->shape.d[i];
		else
			*p = unk;
	}
	gp_set_out(g, n, 0, x->dtype, 2, d);
	return 0;
}

/* Reshape: the shape input's dims, 0 copying input 0's (unless allowzero),
 * one -1 taking what the element count leaves */
int
gp_opshape_reshape(struct gp_graph *g, struct gp_node *n)
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
				gp_set_unknown(g, n, 0, x ? x->dtype : 0, (int)st->shape.d[0].v);
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
				return gp_op_fail("two -1 in the shape");
			neg = i;
			d[i] = unk;
		} else if (sv[i].known && sv[i].v < -1) {
			return gp_op_fail("bad dim %lld in the shape", (long long)sv[i].v);
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
					return gp_op_fail("the input's dims overflow 64 bits");
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
					return gp_op_fail("the shape's dims overflow 64 bits");
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
					return gp_op_fail("cannot reshape %lld elements into the shape", (long long)known_in);
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
			return gp_op_fail("cannot reshape %lld elements into %lld", (long long)a, (long long)b);
	}
	gp_set_out(g, n, 0, x ? x->dtype : 0, ns, d);
	gp_pass_vals(g, n, x);
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
	gp_set_vals(g, n, 0, (int)cnt, v);
}

/* Transpose: input 0's dims permuted by perm (reversed without one) */
int
gp_opshape_transpose(struct gp_graph *g, struct gp_node *n)
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
			return gp_op_fail("perm has %d axes, the input %d", np, r);
		for (i = 0; i < r; i++) {
			k = norm_axis(perm[i], r);
			if (k < 0)
				return gp_op_fail("bad perm");
			d[i] = x->shape.d[k];
		}
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
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
int
gp_concat_dims(struct gp_graph *g, struct gp_node *n, struct gp_tensor *const *ts, int nt,
    struct gp_dim **d, int *r)
{
	int a, i, k;

	*r = rank(ts[0]);
	if (*r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", 0), *r);
	if (a < 0)
		return gp_op_fail("bad axis");
	*d = gp_arena_alloc(A, (size_t)(*r + 1) * sizeof **d);
	for (k = 0; k < *r; k++)
		(*d)[k] = k == a ? dk(0) : ts[0]->shape.d[k];
	for (i = 0; i < nt; i++) {
		struct gp_tensor *t = ts[i];

		if (!t)
			continue;
		if (t->shape.rank != *r)
			return t->shape.rank < 0 ? -1 : gp_op_fail("inputs of rank %d and %d", *r, t->shape.rank);
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
				return gp_op_fail("dim %d is %lld in one input and %lld in another", k,
				    (long long)x->v, (long long)y.v);
			}
		}
	}
	return 0;
}

/* Concat: the inputs joined on axis, values joined when all have them */
int
gp_opshape_concat(struct gp_graph *g, struct gp_node *n)
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
	if ((rc = gp_concat_dims(g, n, ts, n->nin, &d, &r)) < 0)
		return rc;
	for (i = 0; i < n->nin; i++) {
		if (!ts[i])
			continue;
		if (ts[i]->nval < 0 || !ts[i]->iv)
			allv = 0;
		else
			cnt += ts[i]->nval;
	}
	gp_set_out(g, n, 0, x->dtype, r, d);
	if (allv && r == 1 && cnt <= MAXVAL) {
		v = gp_arena_alloc(A, (size_t)(cnt + 1) * sizeof *v);
		for (i = 0, cnt = 0; i < n->nin; i++) {
			struct gp_tensor *t = ts[i];

			if (!t)
				continue;
			memcpy(v + cnt, t->iv, (size_t)t->nval * sizeof *v);
			cnt += t->nval;
		}
		gp_set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

/* Gather: input 0 indexed by the indices on axis; values gathered when known */
int
gp_opshape_gather(struct gp_graph *g, struct gp_node *n)
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
		return gp_op_fail("bad axis");
	d = gp_arena_alloc(A, (size_t)(r + ri + 1) * sizeof *d);
	for (k = 0, i = 0; i < a; i++)
		d[k++] = x->shape.d[i];
	for (i = 0; i < ri; i++)
		d[k++] = ix->shape.d[i];
	for (i = a + 1; i < r; i++)
		d[k++] = x->shape.d[i];
	gp_set_out(g, n, 0, x->dtype, k, d);
	if (r == 1 && (nx = vals(x, &xv)) >= 0 && (ni = gp_ints(g, ix, &iv)) >= 0) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(ni + 1) * sizeof *v);

		for (i = 0; i < ni; i++) {
			int64_t j = iv[i] < 0 ? iv[i] + nx : iv[i];

			if (j < 0 || j >= nx)
				return gp_op_fail("index %lld out of range", (long long)iv[i]);
			v[i] = xv[j];
		}
		gp_set_vals(g, n, 0, ni, v);
	}
	return 0;
}

/* GatherElements: the shape of the indices, the dtype of the data */
int
gp_opshape_gatherel(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *ix = gp_node_in(g, n, 1);

	if (rank(ix) < 0)
		return -1;
	gp_set_out(g, n, 0, x ? x->dtype : 0, ix->shape.rank, ix->shape.d);
	return 0;
}

/* Slice: input 0's dims cut by starts, ends, axes and steps (inputs or, before
 * opset 10, attributes), clamped as ONNX clamps them */
int
gp_opshape_slice(struct gp_graph *g, struct gp_node *n)
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
		ns = gp_ints(g, gp_node_in(g, n, 1), &st);
		ne = gp_ints(g, gp_node_in(g, n, 2), &en);
		if (gp_node_in(g, n, 3))
			na = gp_ints(g, gp_node_in(g, n, 3), &ax);
		if (gp_node_in(g, n, 4))
			nsp = gp_ints(g, gp_node_in(g, n, 4), &sp);
		if (ns < 0 || ne < 0 || (gp_node_in(g, n, 3) && na < 0) || (gp_node_in(g, n, 4) && nsp < 0)) {
			gp_set_unknown(g, n, 0, x->dtype, r);
			return -1;
		}
	} else {
		ns = gp_attr_ints(A, n, "starts", &st);
		ne = gp_attr_ints(A, n, "ends", &en);
		na = gp_attr_ints(A, n, "axes", &ax);
	}
	if (ns < 0 || ne != ns || (na >= 0 && na != ns) || (nsp >= 0 && nsp != ns))
		return gp_op_fail("starts, ends, axes and steps differ in length");
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
			return gp_op_fail("bad axis or step");
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
	gp_set_out(g, n, 0, x->dtype, r, d);
	for (i = 0; i < r; i++) {
		if (!touched[i]) {
			lo[i] = 0;
			step[i] = 1;
		}
	}
	strided_vals(g, n, x, r, d, lo, step, NULL);
	return 0;
}

/* Split: input 0 cut on axis into the outputs, by split (input or attribute) or evenly */
int
gp_opshape_split(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *sp = NULL;
	int r = rank(x), a, nsp = -1, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	a = norm_axis(attr_i(n, "axis", 0), r);
	if (a < 0)
		return gp_op_fail("bad axis");
	if (gp_node_in(g, n, 1)) {
		nsp = gp_ints(g, gp_node_in(g, n, 1), &sp);
		if (nsp < 0)
			return -1;
	} else {
		nsp = gp_attr_ints(A, n, "split", &sp);
	}
	if (nsp >= 0 && nsp != n->nout)
		return gp_op_fail("%d split sizes for %d outputs", nsp, n->nout);
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
		gp_set_out(g, n, i, x->dtype, r, d);
	}
	return 0;
}

/* Moving data: no FLOPs. Gather and Slice read only what they write. */
int
gp_cost_move(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));

	(void)fpe;
	if (e < 0 && n->nout > 0 && gp_node_out(g, n, 0))
		return -1;
	if (!strncmp(n->op, "Gather", 6) || !strcmp(n->op, "Slice")) {
		int64_t all = numel(c, gp_node_in(g, n, 0));

		c->read0 = all >= 0 && e > all ? all : e;
	}
	return 0;
}

/* Concat copies each input into its place, Split each output out of its
 * input: a piece at a time; the largest piece's elements are its copy */
static int
cost_pieces(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe, int outs)
{
	int rc = gp_cost_move(g, n, c, fpe), i, k = outs ? n->nout : n->nin;
	int64_t e;

	for (i = 0; rc == 0 && i < k; i++) {
		struct gp_tensor *t = outs ? gp_node_out(g, n, i) : gp_node_in(g, n, i);

		if (!t)
			continue;
		if ((e = numel(c, t)) < 0) {
			c->copy = -1;
			break;
		}
		if (e > c->copy)
			c->copy = e;
	}
	return rc;
}

int
gp_cost_concat(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return cost_pieces(g, n, c, fpe, 0);
}

int
gp_cost_split(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return cost_pieces(g, n, c, fpe, 1);
}

/* Transpose copies its whole tensor; its run is the elements of the input's
 * innermost axes that stay innermost and in order, axes of size 1 left out
 * (a runtime merges them): 1 when the innermost moves, all of them when no
 * axis of more than one element changes its order */
int
gp_cost_transpose(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int rc = gp_cost_move(g, n, c, fpe), r = rank(x), np, i, k, q[16], nq = 0, want;
	int64_t *perm, v, run = 1;

	if (rc != 0)
		return rc;
	c->copy = c->copy_run = -1;
	if (r < 0 || r > 16 || (c->copy = numel(c, x)) < 0)
		return 0;
	np = gp_attr_ints(A, n, "perm", &perm);
	if (np >= 0 && np != r)
		return 0;
	/* the input axes of more than one element, in the output's order */
	for (i = 0; i < r; i++) {
		k = np < 0 ? r - 1 - i : norm_axis(perm[i], r);
		if (k < 0)
			return 0;
		if (x->shape.d[k].v != 1)
			q[nq++] = k;
	}
	/* from the innermost: while the input's innermost such axes come last,
	 * in their order */
	for (want = r - 1, i = nq - 1; i >= 0; i--, want--) {
		while (want >= 0 && x->shape.d[want].v == 1)
			want--;
		if (q[i] != want)
			break;
		v = x->shape.d[q[i]].v;
		run *= v;
	}
	c->copy_run = nq == 0 ? c->copy : run;       /* no axis of more than one element: one run */
	return 0;
}
