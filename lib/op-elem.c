/* op-elem.c - element-wise ops, activations, casts and (de)quantization: their shape
 * and cost functions
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

int
gp_opshape_same(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	if (!x || x->shape.rank < 0) {
		if (x)
			gp_set_out(g, n, 0, x->dtype, -1, NULL);
		return -1;
	}
	gp_set_out(g, n, 0, x->dtype, x->shape.rank, x->shape.d);
	if (strcmp(n->op, "Identity") == 0)
		gp_pass_vals(g, n, x);
	return 0;
}

int
gp_opshape_bool1(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	const struct gp_ival *xv;
	int nx, i;

	if (!x || x->shape.rank < 0)
		return -1;
	gp_set_out(g, n, 0, 9, x->shape.rank, x->shape.d);
	/* Not of known values (an If's condition, negated) */
	if (!strcmp(n->op, "Not") && (nx = vals(x, &xv)) >= 0) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(nx + 1) * sizeof *v);

		for (i = 0; i < nx; i++) {
			memset(&v[i], 0, sizeof v[i]);
			v[i].known = xv[i].known;
			v[i].v = xv[i].known && !xv[i].v;
		}
		gp_set_vals(g, n, 0, nx, v);
	}
	return 0;
}

/* arith: op (Add, Sub, Mul, Div, ...) on two int64 values, as ONNX computes
 * it; *ok 0 when the result is not defined (overflow, division by zero) */
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

/* Broadcasting element-wise ops: the inputs broadcast; small integer values
 * computed with arith */
int
gp_opshape_binary(struct gp_graph *g, struct gp_node *n)
{
	struct gp_dim *d;
	struct gp_tensor *a = gp_node_in(g, n, 0), *b = gp_node_in(g, n, 1);
	int r = gp_broadcast(g, n, 0, n->nin, &d), dt, i;
	int cmp = strstr("Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor", n->op) != NULL;
	const struct gp_ival *av, *bv;
	int na, nb;

	dt = cmp ? 9 : a ? a->dtype : 0;
	if (r == -2)
		return -2;
	if (r < 0) {
		gp_set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	gp_set_out(g, n, 0, dt, r, d);
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
		gp_set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

/* Where: condition, x and y broadcast; values chosen where all are known */
int
gp_opshape_where(struct gp_graph *g, struct gp_node *n)
{
	struct gp_dim *d;
	struct gp_tensor *c = gp_node_in(g, n, 0), *x = gp_node_in(g, n, 1), *y = gp_node_in(g, n, 2);
	int r = gp_broadcast(g, n, 0, 3, &d), i;
	const struct gp_ival *cv, *xv, *yv;
	int nc, nx, ny;

	if (r < 0) {
		gp_set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return r;
	}
	gp_set_out(g, n, 0, x ? x->dtype : 0, r, d);
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
		gp_set_vals(g, n, 0, cnt, v);
	}
	return 0;
}

/* Cast, CastLike: input 0's shape at the target dtype, values converted */
int
gp_opshape_cast(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *like = gp_node_in(g, n, 1);
	int64_t to = like ? like->dtype : attr_i(n, "to", 0);
	int i;

	if (!like && (to < 1 || to > GP_DTYPE_MAX))
		return gp_op_fail("'to' is %lld, no ONNX data type gp knows (1 to %d)", (long long)to, GP_DTYPE_MAX);

	if (!x || x->shape.rank < 0) {
		gp_set_out(g, n, 0, (int)to, -1, NULL);
		return -1;
	}
	gp_set_out(g, n, 0, (int)to, x->shape.rank, x->shape.d);
	if (x->nval >= 0 && to == 9 && (x->iv || x->fv)) {
		/* to bool: nonzero is 1 (an If's condition) */
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *v);

		for (i = 0; i < x->nval; i++) {
			v[i].sym = NULL;
			v[i].known = x->iv ? x->iv[i].known : !isnan(x->fv[i]);
			v[i].v = x->iv ? x->iv[i].v != 0 : x->fv[i] != 0;
		}
		gp_set_vals(g, n, 0, x->nval, v);
	} else if (x->iv && x->nval >= 0 && to != 1 && to != 10 && to != 11 && to != 16)
		gp_set_vals(g, n, 0, x->nval, x->iv);
	else if (x->iv && x->nval >= 0) {
		double *f = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *f);

		for (i = 0; i < x->nval; i++) {
			if (!x->iv[i].known)
				return 0;
			f[i] = (double)x->iv[i].v;
		}
		gp_set_fvals(g, n, 0, x->nval, f);
	} else if (x->fv && x->nval >= 0 && to != 1 && to != 10 && to != 11 && to != 16) {
		struct gp_ival *v = gp_arena_alloc(A, (size_t)(x->nval + 1) * sizeof *v);

		for (i = 0; i < x->nval; i++) {
			v[i].v = (int64_t)x->fv[i];
			v[i].sym = NULL;
			v[i].known = isfinite(x->fv[i]);
		}
		gp_set_vals(g, n, 0, x->nval, v);
	} else if (x->fv && x->nval >= 0) {
		gp_set_fvals(g, n, 0, x->nval, x->fv);
	}
	return 0;
}

/* QuantizeLinear and DequantizeLinear (both domains): the shape of x, the
 * dtype output_dtype names, else that of the zero point (QuantizeLinear;
 * uint8 without one) or of the scale (DequantizeLinear). Blocked quantization
 * (block_size > 0) needs ceil(dim / block_size) scales on axis. */
int
gp_opshape_quant(struct gp_graph *g, struct gp_node *n)
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
		gp_set_out(g, n, 0, dt, -1, NULL);
		return -1;
	}
	if (bs > 0 && rank(sc) == r && r > 0) {
		if ((a = norm_axis(attr_i(n, "axis", 1), r)) < 0)
			return gp_op_fail("bad axis");
		if (known(x->shape.d[a]) && known(sc->shape.d[a]) &&
		    sc->shape.d[a].v != x->shape.d[a].v / bs + (x->shape.d[a].v % bs != 0))
			return gp_op_fail("%lld scales on axis %d for %lld elements in blocks of %lld",
			    (long long)sc->shape.d[a].v, a, (long long)x->shape.d[a].v, (long long)bs);
	}
	gp_set_out(g, n, 0, dt, r, x->shape.d);
	return 0;
}

/* DynamicQuantizeLinear: y uint8 of x's shape, a float scale and a uint8
 * zero point, both scalars */
int
gp_opshape_dynquant(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	gp_set_out(g, n, 1, 1, 0, NULL);
	gp_set_out(g, n, 2, 2, 0, NULL);
	if (rank(x) < 0) {
		gp_set_out(g, n, 0, 2, -1, NULL);
		return -1;
	}
	gp_set_out(g, n, 0, 2, x->shape.rank, x->shape.d);
	return 0;
}

int
gp_opshape_dropout(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);

	if (rank(x) < 0)
		return -1;
	gp_set_out(g, n, 0, x->dtype, x->shape.rank, x->shape.d);
	gp_set_out(g, n, 1, 9, x->shape.rank, x->shape.d);
	return 0;
}

/* No kernel, or a view: nothing computed (the class says how it is treated). */
int
gp_cost_none(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	(void)g, (void)n, (void)c, (void)fpe;
	return 0;
}

/* Element-wise: fpe FLOPs per output element; fpe -1 is one per input past
 * the first (Sum, Max, Min), -2 one per input (Mean). */
int
gp_cost_elem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));
	const char *appr;

	if (e < 0)
		return -1;
	if (fpe == -1)
		fpe = n->nin - 1;
	else if (fpe == -2)
		fpe = n->nin;
	if (!strcmp(n->op, "Gelu") && gp_attr_str(A, n, "approximate", &appr) == 0 &&
	    !strcmp(appr, "tanh"))
		fpe = 9;
	c->flops = mul(c, e, fpe < 0 ? 0 : fpe);
	return 0;
}
