/* tflite-op-shape.c - the ops of the "tflite" domain that view or move data:
 * reshapes, squeezes, concatenations, pads, transposes, slices, gathers,
 * splits, packs, tiles, SHAPE; they compute nothing
 */
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* RESHAPE: to input 1's values (or new_shape), a -1 inferred */
int
gp_tfl_sh_reshape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t *v, q = 1, p = 1;
	int nv = gp_ints(g, gp_node_in(g, n, 1), &v), i, neg = -1, nsym = 0;
	struct gp_dim *d, sym = unk;

	if (nv < 0 && (nv = gp_attr_ints(A, n, "new_shape", &v)) < 0)
		return -1;
	if (rank(x) < 0)
		return -1;
	d = gp_arena_alloc(A, (size_t)(nv + 1) * sizeof *d);
	for (i = 0; i < nv; i++) {
		if (v[i] == -1 && neg < 0) {
			neg = i;
			continue;
		}
		if (v[i] < 0 || __builtin_mul_overflow(q, v[i], &q))
			return gp_op_fail("bad target dim %lld", (long long)v[i]);
		d[i] = dk(v[i]);
	}
	if (neg >= 0) {
		for (i = 0; i < x->shape.rank; i++) {
			struct gp_dim e = x->shape.d[i];

			if (known(e)) {
				if (__builtin_mul_overflow(p, e.v, &p))
					return gp_op_fail("the input's size overflows");
			} else if (e.sym && nsym++ == 0) {
				sym = e;
			} else {
				nsym = 2;
			}
		}
		if (nsym == 0 && q > 0 && p % q == 0)
			d[neg] = dk(p / q);
		else if (nsym == 0)
			return gp_op_fail("%lld elements do not reshape to %d dims of %lld", (long long)p, nv,
			    (long long)q);
		else
			d[neg] = nsym == 1 && p == q ? sym : unk;
	}
	set_out(g, n, 0, nv, d);
	return 0;
}

/* SQUEEZE: the squeeze_dims removed, or every dim of 1 */
int
gp_tfl_sh_squeeze(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), na, i, k, o = 0;
	int64_t *ax;
	char *drop;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	na = gp_attr_ints(A, n, "squeeze_dims", &ax);
	drop = gp_arena_alloc(A, (size_t)r + 1);
	memset(drop, 0, (size_t)r + 1);
	for (i = 0; i < na; i++) {
		if ((k = axis_of(ax[i], r)) < 0)
			return gp_op_fail("squeeze dim %lld of a rank %d input", (long long)ax[i], r);
		drop[k] = 1;
	}
	for (k = 0; na <= 0 && k < r; k++) {
		if (!known(x->shape.d[k]))
			return -1;
		drop[k] = x->shape.d[k].v == 1;
	}
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++)
		if (!drop[k])
			d[o++] = x->shape.d[k];
	set_out(g, n, 0, o, d);
	return 0;
}

/* EXPAND_DIMS: a dim of 1 at input 1's axis */
int
gp_tfl_sh_expand(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k, a;
	int64_t *ax;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &ax) != 1)
		return -1;
	if ((a = axis_of(ax[0], r + 1)) < 0)
		return gp_op_fail("axis %lld of a rank %d input", (long long)ax[0], r);
	d = gp_arena_alloc(A, (size_t)(r + 2) * sizeof *d);
	for (k = 0; k <= r; k++)
		d[k] = k < a ? x->shape.d[k] : k == a ? dk(1) : x->shape.d[k - 1];
	set_out(g, n, 0, r + 1, d);
	return 0;
}

/* CONCATENATION on axis */
int
gp_tfl_sh_concat(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), a, i, k;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), r)) < 0)
		return gp_op_fail("axis %lld of rank %d inputs", (long long)attr_i(n, "axis", 0), r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 1; i < n->nin; i++) {
		struct gp_tensor *y = gp_node_in(g, n, i);

		if (rank(y) < 0)
			return -1;
		if (rank(y) != r)
			return gp_op_fail("inputs of rank %d and %d", r, rank(y));
		for (k = 0; k < r; k++) {
			struct gp_dim e = y->shape.d[k];

			if (k == a && known(d[k]) && known(e) && __builtin_add_overflow(d[k].v, e.v, &d[k].v))
				return gp_op_fail("the concatenated dim overflows");
			if (k == a)
				d[k] = known(d[k]) && known(e) ? d[k] : unk;
			else if (!known(d[k]) && known(e))
				d[k] = e;
		}
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* PAD, PADV2, MIRROR_PAD: input 1 holds [rank, 2] paddings */
int
gp_tfl_sh_pad(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k;
	int64_t *p;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &p) != 2 * r)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		int64_t o;

		if (p[2 * k] < 0 || p[2 * k + 1] < 0 || p[2 * k] > LIM || p[2 * k + 1] > LIM)
			return gp_op_fail("bad paddings");
		if (known(x->shape.d[k]) && __builtin_add_overflow(x->shape.d[k].v, p[2 * k] + p[2 * k + 1], &o))
			return gp_op_fail("a padded dim overflows");
		d[k] = known(x->shape.d[k]) ? dk(o) : p[2 * k] + p[2 * k + 1] == 0 ? x->shape.d[k] : unk;
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* TRANSPOSE: by input 1's permutation */
int
gp_tfl_sh_transpose(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), k, a;
	int64_t *p;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &p) < 0)
		return -1;
	if (gp_ints(g, gp_node_in(g, n, 1), &p) != r)
		return gp_op_fail("a perm of %d axes for a rank %d input", gp_ints(g, gp_node_in(g, n, 1), &p), r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		if ((a = axis_of(p[k], r)) < 0)
			return gp_op_fail("bad perm");
		d[k] = x->shape.d[a];
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* clampi: v within [lo, hi] */
static int64_t
clampi(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* STRIDED_SLICE (input, begin, end, strides) with its masks; SLICE (input,
 * begin, size), a size of -1 to the end */
int
gp_tfl_sh_slice(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), ss = !strcmp(n->op, "STRIDED_SLICE"), k, o = 0;
	int64_t *b, *e, *s = NULL, bm, em, shrink;
	struct gp_dim *d;

	if (r < 0 || gp_ints(g, gp_node_in(g, n, 1), &b) != r || gp_ints(g, gp_node_in(g, n, 2), &e) != r ||
	    (ss && gp_ints(g, gp_node_in(g, n, 3), &s) != r))
		return -1;
	bm = attr_i(n, "begin_mask", 0);
	em = attr_i(n, "end_mask", 0);
	shrink = attr_i(n, "shrink_axis_mask", 0);
	if (ss && (attr_i(n, "ellipsis_mask", 0) || attr_i(n, "new_axis_mask", 0)))
		return -1;      /* not worked out: the declared shape stays */
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		struct gp_dim in = x->shape.d[k];
		int64_t st = ss ? s[k] : 1, lo, hi, len;

		if (st == 0 || st < -LIM || st > LIM)
			return gp_op_fail("stride 0");
		if (ss && (shrink >> k & 1))
			continue;
		if (!known(in)) {
			d[o++] = !ss && b[k] == 0 && e[k] == -1 ? in : unk;
			continue;
		}
		if (!ss) {
			lo = clampi(b[k] < 0 ? b[k] + in.v : b[k], 0, in.v);
			len = e[k] == -1 ? in.v - lo : clampi(e[k], 0, in.v - lo);
			d[o++] = dk(len);
			continue;
		}
		lo = bm >> k & 1 ? (st > 0 ? 0 : in.v - 1) : b[k] < 0 ? b[k] + in.v : b[k];
		if (em >> k & 1)
			hi = st > 0 ? in.v : -1;
		else if (attr_i(n, "offset", 0))
			hi = clampi(lo, -1, in.v) + clampi(e[k], -LIM, LIM);
		else
			hi = e[k] < 0 ? e[k] + in.v : e[k];
		if (st > 0) {
			lo = clampi(lo, 0, in.v);
			hi = clampi(hi, 0, in.v);
			len = hi > lo ? (hi - lo + st - 1) / st : 0;
		} else {
			lo = clampi(lo, -1, in.v - 1);
			hi = clampi(hi, -1, in.v - 1);
			len = lo > hi ? (lo - hi - st - 1) / -st : 0;
		}
		d[o++] = dk(len);
	}
	set_out(g, n, 0, o, d);
	return 0;
}

/* GATHER: params[:axis] + indices[batch_dims:] + params[axis+1:] */
int
gp_tfl_sh_gather(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *ix = gp_node_in(g, n, 1);
	int r = rank(x), ri = rank(ix), a, bd, k, o = 0;
	struct gp_dim *d;

	if (r < 0 || ri < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), r)) < 0)
		return gp_op_fail("axis out of range");
	bd = (int)attr_i(n, "batch_dims", 0);
	if (bd < 0)
		bd += ri;
	if (bd < 0 || bd > ri || bd > a)
		return gp_op_fail("bad batch_dims");
	d = gp_arena_alloc(A, (size_t)(r + ri + 1) * sizeof *d);
	for (k = 0; k < a; k++)
		d[o++] = x->shape.d[k];
	for (k = bd; k < ri; k++)
		d[o++] = ix->shape.d[k];
	for (k = a + 1; k < r; k++)
		d[o++] = x->shape.d[k];
	set_out(g, n, 0, o, d);
	return 0;
}

/* DEPTH_TO_SPACE, SPACE_TO_DEPTH by block_size, NHWC */
int
gp_tfl_sh_depthspace(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t b = attr_i(n, "block_size", 0);
	int up = !strcmp(n->op, "DEPTH_TO_SPACE"), k;
	struct gp_dim d[4];

	if (rank(x) != 4)
		return rank(x) < 0 ? -1 : gp_op_fail("input of rank %d", rank(x));
	if (b <= 0 || b > LIM)
		return gp_op_fail("block_size %lld", (long long)b);
	d[0] = x->shape.d[0];
	for (k = 1; k < 4; k++) {
		int64_t v = x->shape.d[k].v, f = k < 3 ? b : b * b, o;

		if (!known(x->shape.d[k]))
			d[k] = unk;
		else if (up == (k < 3) && __builtin_mul_overflow(v, f, &o))
			return gp_op_fail("the output's dims overflow");
		else
			d[k] = dk(up == (k < 3) ? o : v / f);
	}
	set_out(g, n, 0, 4, d);
	return 0;
}

/* SPLIT (axis, input) into num_splits equal parts; SPLIT_V (input,
 * size_splits, axis) */
int
gp_tfl_sh_split(struct gp_graph *g, struct gp_node *n)
{
	int v = !strcmp(n->op, "SPLIT_V"), r, a, i, neg = -1;
	struct gp_tensor *x = gp_node_in(g, n, v ? 0 : 1);
	int64_t *ax, *sz = NULL, used = 0;
	struct gp_dim *d;

	r = rank(x);
	if (r < 0 || gp_ints(g, gp_node_in(g, n, v ? 2 : 0), &ax) != 1)
		return -1;
	if ((a = axis_of(ax[0], r)) < 0)
		return gp_op_fail("axis %lld of a rank %d input", (long long)ax[0], r);
	if (v && gp_ints(g, gp_node_in(g, n, 1), &sz) != n->nout)
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	for (i = 0; v && i < n->nout; i++) {
		if (sz[i] == -1 && neg < 0)
			neg = i;
		else if (sz[i] < 0 || sz[i] > LIM)
			return gp_op_fail("bad size_splits");
		else
			used += sz[i];
	}
	for (i = 0; i < n->nout; i++) {
		struct gp_dim in = x->shape.d[a];

		if (!v)
			d[a] = known(in) && n->nout > 0 ? dk(in.v / n->nout) : unk;
		else if (i == neg)
			d[a] = known(in) && in.v >= used ? dk(in.v - used) : unk;
		else
			d[a] = dk(sz[i]);
		set_out(g, n, i, r, d);
	}
	return 0;
}

/* PACK: values_count inputs of one shape stacked on a new axis; UNPACK: the
 * reverse */
int
gp_tfl_sh_pack(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), pack = !strcmp(n->op, "PACK"), a, k, i;
	struct gp_dim *d;

	if (r < 0)
		return -1;
	if ((a = axis_of(attr_i(n, "axis", 0), pack ? r + 1 : r)) < 0)
		return gp_op_fail("axis out of range");
	d = gp_arena_alloc(A, (size_t)(r + 2) * sizeof *d);
	if (pack) {
		for (k = 0; k <= r; k++)
			d[k] = k < a ? x->shape.d[k] : k == a ? dk(n->nin) : x->shape.d[k - 1];
		set_out(g, n, 0, r + 1, d);
		return 0;
	}
	for (k = 0, i = 0; k < r; k++)
		if (k != a)
			d[i++] = x->shape.d[k];
	for (k = 0; k < n->nout; k++)
		set_out(g, n, k, r - 1, d);
	return 0;
}

/* TILE by input 1's multiples; BROADCAST_TO input 1's shape; FILL input 0's dims */
int
gp_tfl_sh_tile(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int fill = !strcmp(n->op, "FILL"), bc = !strcmp(n->op, "BROADCAST_TO"), r, k, nv;
	int64_t *m;
	struct gp_dim *d;

	nv = gp_ints(g, gp_node_in(g, n, fill ? 0 : 1), &m);
	r = fill || bc ? nv : rank(x);
	if (nv < 0 || r < 0 || (!fill && !bc && nv != r))
		return -1;
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++) {
		if (m[k] < 0 || m[k] > LIM)
			return gp_op_fail("bad dims");
		int64_t o;

		if (!fill && !bc && known(x->shape.d[k]) && __builtin_mul_overflow(x->shape.d[k].v, m[k], &o))
			return gp_op_fail("a tiled dim overflows");
		d[k] = fill || bc ? dk(m[k]) : known(x->shape.d[k]) ? dk(o) : m[k] == 1 ? x->shape.d[k] : unk;
	}
	set_out(g, n, 0, r, d);
	return 0;
}

/* SHAPE: the input's dims, as values */
int
gp_tfl_sh_shape(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *y = gp_node_out(g, n, 0);
	struct gp_dim d;
	int r = rank(x), k;

	if (r < 0 || !y)
		return -1;
	d = dk(r);
	set_out(g, n, 0, 1, &d);
	if (r <= 64) {
		y->iv = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *y->iv);
		for (k = 0; k < r; k++) {
			y->iv[k].v = x->shape.d[k].v;
			y->iv[k].sym = x->shape.d[k].sym;
			y->iv[k].known = known(x->shape.d[k]);
		}
		y->nval = r;
		y->fv = NULL;
	}
	return 0;
}

/* views and SHAPE, RANK: nothing computed (the class says how each is treated) */
int
gp_tfl_c_none(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	return gp_cost_none(g, n, c, fpe);
}

/* moving data: nothing computed; GATHER, GATHER_ND, SLICE and STRIDED_SLICE
 * read only what they write */
int
gp_tfl_c_move(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int rc = gp_cost_move(g, n, c, fpe);
	int64_t e = numel(c, gp_node_out(g, n, 0)), all = numel(c, gp_node_in(g, n, 0));

	if (rc == 0 && (!strncmp(n->op, "GATHER", 6) || !strcmp(n->op, "SLICE") ||
	    !strcmp(n->op, "STRIDED_SLICE")))
		c->read0 = all >= 0 && e > all ? all : e;
	return gp_tfl_epilogue(g, n, c, rc);
}
