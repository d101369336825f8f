/* rnn.c - the recurrent ops LSTM, GRU and RNN: their outputs' shapes and their cost
 *
 * All three run a cell over a sequence, one time step after another, in one
 * or two directions. At each step every gate of every hidden unit takes a
 * product of the step's input with W and of the previous hidden state with R
 * (the MACs), then element-wise work as the ONNX spec writes it: the sum of
 * the two products, the biases Wb and Rb, peepholes, the activations (clipped
 * when clip is set), and the update of the cell and the hidden state.
 * docs/counting.md ("Recurrent ops") gives the counts; tests/0018 checks them
 * by hand.
 */
#include <string.h>
#include <strings.h>

#include "gp.h"
#include "op.h"

#define A (&g->s->arena)

enum { LSTM, GRU, RNN };

#define MAXDIM ((int64_t)1 << 40)   /* the largest hidden size gp counts with */

/* the gates per hidden unit, and the activations per direction */
static const int ngate[] = {4, 3, 1};
static const int nact[] = {3, 2, 1};

/* the activations ONNX allows, and what one costs per element (as the op
 * table counts the same function: Sigmoid 4, Tanh 1, ...) */
static const struct {
	const char *name;
	int flops;
} acts[] = {
	{"Affine", 2}, {"Elu", 3}, {"HardSigmoid", 3}, {"LeakyRelu", 2}, {"Relu", 1},
	{"ScaledTanh", 3}, {"Sigmoid", 4}, {"Softplus", 3}, {"Softsign", 3}, {"Tanh", 1},
	{"ThresholdedRelu", 2},
};

static int
kind(const struct gp_node *n)
{
	return !strcmp(n->op, "LSTM") ? LSTM : !strcmp(n->op, "GRU") ? GRU : RNN;
}

/* dim k of t, unknown if t or the dim is */
static struct gp_dim
dimof(const struct gp_tensor *t, int k)
{
	struct gp_dim u = {-1, NULL};

	return t && k >= 0 && k < t->shape.rank ? t->shape.d[k] : u;
}

/* activation_flops: the FLOPs per element of each activation of direction
 * dir into f[0 .. nact) (the defaults when the node names none); 0, or -2
 * with gp_op_err set when a name is not an ONNX activation or the count is
 * neither one direction's nor every direction's. */
static int
activation_flops(struct gp_graph *g, const struct gp_node *n, int ndir, int dir, int *f)
{
	static const char *const defaults[][3] = {
		{"Sigmoid", "Tanh", "Tanh"}, {"Sigmoid", "Tanh", NULL}, {"Tanh", NULL, NULL},
	};
	int k = kind(n), per = nact[k], cnt = 0, i, j;
	const char *raw = gp_attr_raw(A, n, "activations"), *names[6];
	char *p, *save = NULL, *list;

	if (raw) {
		size_t len = strlen(raw);

		if (len < 2 || raw[0] != '[' || raw[len - 1] != ']')
			return gp_op_fail("activations is not a list of strings");
		list = gp_arena_strndup(A, raw + 1, len - 2);
		for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			size_t l = strlen(p);

			if (cnt == 6 || l < 2 || p[0] != '"' || p[l - 1] != '"' ||
			    !(names[cnt++] = gp_unesc(A, p + 1, l - 2)))
				return gp_op_fail("activations is not a list of at most 6 strings");
		}
		if (cnt != per && cnt != per * ndir)
			return gp_op_fail("%d activations for %d direction%s of %s: want %d", cnt, ndir,
			    ndir > 1 ? "s" : "", n->op, per * ndir);
	}
	for (i = 0; i < per; i++) {
		const char *a = raw ? names[cnt == per ? i : dir * per + i] : defaults[k][i];

		for (j = 0; j < (int)(sizeof acts / sizeof acts[0]) && strcasecmp(a, acts[j].name); j++)
			;
		if (j == (int)(sizeof acts / sizeof acts[0]))
			return gp_op_fail("'%s' is not an activation ONNX defines", a);
		f[i] = acts[j].flops;
	}
	return 0;
}

/* geometry: the direction count, from the direction attribute (and the
 * layout, 0 or 1); -2 with gp_op_err set when one is not a value ONNX allows */
static int
geometry(const struct gp_node *n, int *ndir, int64_t *layout)
{
	const char *dir = "forward";
	struct gp_arena a = {0};
	int rc = 0;

	*layout = 0;
	gp_attr_int(n, "layout", layout);
	gp_attr_str(&a, n, "direction", &dir);
	if (!strcmp(dir, "forward") || !strcmp(dir, "reverse"))
		*ndir = 1;
	else if (!strcmp(dir, "bidirectional"))
		*ndir = 2;
	else
		rc = gp_op_fail("direction '%s' is not forward, reverse or bidirectional", dir);
	if (!rc && *layout != 0 && *layout != 1)
		rc = gp_op_fail("layout %lld is not 0 or 1", (long long)*layout);
	gp_arena_release(&a);
	return rc;
}

/* hidden: the hidden size: the attribute, else R's last dim, else W's rows
 * over the gates; unknown if none says */
static struct gp_dim
hidden(struct gp_graph *g, struct gp_node *n)
{
	struct gp_dim h = {-1, NULL}, w1 = dimof(gp_node_in(g, n, 1), 1);
	int64_t v;

	if (gp_attr_int(n, "hidden_size", &v) == 0 && v > 0)
		h.v = v;
	else if (known(dimof(gp_node_in(g, n, 2), 2)))
		h = dimof(gp_node_in(g, n, 2), 2);
	else if (known(w1) && w1.v % ngate[kind(n)] == 0)
		h.v = w1.v / ngate[kind(n)];
	if (h.v > MAXDIM)
		h.v = -1;               /* absurd: not a size gp counts with */
	return h;
}

/* check that dim k of the tensor named what (input i) is want when both are known */
static int
agree(struct gp_graph *g, struct gp_node *n, int i, const char *what, int k, struct gp_dim want,
    const char *means)
{
	struct gp_dim d = dimof(gp_node_in(g, n, i), k);

	if (known(d) && known(want) && d.v != want.v)
		return gp_op_fail("dim %d of %s is %lld, but %s is %lld", k, what, (long long)d.v, means,
		    (long long)want.v);
	return 0;
}

/* gp_opshape_rnn: LSTM, GRU, RNN. X [seq, batch, input] ([batch, seq, input]
 * with layout 1) gives Y [seq, dirs, batch, hidden] ([batch, seq, dirs,
 * hidden]) and Y_h, and LSTM's Y_c, [dirs, batch, hidden] ([batch, dirs,
 * hidden]); absent outputs are skipped. -1 when X's rank is not known; -2
 * (gp_op_err says why) on a bad attribute or weights whose dims contradict
 * X, the direction or the hidden size. */
int
gp_opshape_rnn(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	struct gp_dim seq, batch, in, h, d[4], dirs = {0, NULL}, gh = {-1, NULL};
	int ndir, k = kind(n), f[3], i, rc;
	int64_t layout, hs;

	if ((rc = geometry(n, &ndir, &layout)) < 0)
		return rc;
	for (i = 0; i < ndir; i++)
		if ((rc = activation_flops(g, n, ndir, i, f)) < 0)
			return rc;
	if (!x || x->shape.rank < 0)
		return -1;
	if (x->shape.rank != 3)
		return gp_op_fail("X has rank %d, not 3", x->shape.rank);
	seq = x->shape.d[layout ? 1 : 0];
	batch = x->shape.d[layout ? 0 : 1];
	in = x->shape.d[2];
	h = hidden(g, n);
	if (gp_attr_int(n, "hidden_size", &hs) == 0 && (hs <= 0 || hs > MAXDIM))
		return gp_op_fail("hidden_size %lld is not a size", (long long)hs);
	dirs.v = ndir;
	if (known(h))
		gh.v = h.v * ngate[k];
	if ((rc = agree(g, n, 1, "W", 0, dirs, "the direction count")) < 0 ||
	    (rc = agree(g, n, 1, "W", 1, gh, "the gates times hidden_size")) < 0 ||
	    (rc = agree(g, n, 1, "W", 2, in, "X's input size")) < 0 ||
	    (rc = agree(g, n, 2, "R", 0, dirs, "the direction count")) < 0 ||
	    (rc = agree(g, n, 2, "R", 1, gh, "the gates times hidden_size")) < 0 ||
	    (rc = agree(g, n, 2, "R", 2, h, "hidden_size")) < 0)
		return rc;
	if (gh.v >= 0 && (rc = agree(g, n, 3, "B", 1, (struct gp_dim){2 * gh.v, NULL},
	    "twice the gates times hidden_size")) < 0)
		return rc;
	if (layout) {
		d[0] = batch, d[1] = seq, d[2] = dirs, d[3] = h;
	} else {
		d[0] = seq, d[1] = dirs, d[2] = batch, d[3] = h;
	}
	gp_set_out(g, n, 0, x->dtype, 4, d);
	if (layout) {
		d[0] = batch, d[1] = dirs, d[2] = h;
	} else {
		d[0] = dirs, d[1] = batch, d[2] = h;
	}
	gp_set_out(g, n, 1, x->dtype, 3, d);
	if (k == LSTM)
		gp_set_out(g, n, 2, x->dtype, 3, d);
	return 0;
}

/* seq: the sequence length s, the batch b and the input size of X into
 * *s, *b, *in, and the steps the batch rows run in all into *rows: the sum
 * of sequence_lens (each clipped to 0 .. s) when its values are known, else
 * b x s (-2 on overflow); -1 when a dim is not known */
static int
seq(struct gp_graph *g, struct gp_node *n, int64_t layout, int64_t *s, int64_t *b, int64_t *in,
    int64_t *rows)
{
	struct gp_tensor *x = gp_node_in(g, n, 0), *sl = gp_node_in(g, n, 4);
	int64_t sum = 0;
	int i;

	if (!x || x->shape.rank != 3 || !known(x->shape.d[0]) || !known(x->shape.d[1]) ||
	    !known(x->shape.d[2]))
		return -1;
	*s = x->shape.d[layout ? 1 : 0].v;
	*b = x->shape.d[layout ? 0 : 1].v;
	*in = x->shape.d[2].v;
	if (__builtin_mul_overflow(*b, *s, rows))
		return -2;
	if (sl && sl->nval == *b && sl->iv) {
		/* the lengths are known: each batch row runs its own */
		for (i = 0; i < sl->nval && sl->iv[i].known; i++)
			if (__builtin_add_overflow(sum, sl->iv[i].v < 0 ? 0 : sl->iv[i].v > *s ? *s : sl->iv[i].v,
			    &sum))
				break;
		if (i == sl->nval)
			*rows = sum;
	}
	return 0;
}

/* gp_gemms_rnn: the products a recurrent node runs, per direction: the
 * input's for every step at once (rows x gates x hidden x input) and the
 * hidden state's, one step after another (steps products of batch x gates
 * x hidden x hidden); their MACs are gp_cost_rnn's. -1 when a dim is not
 * known, or when the batch rows run steps of their own (sequence_lens on a
 * batch of more than one). */
int
gp_gemms_rnn(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max)
{
	struct gp_dim hd = hidden(g, n);
	int64_t layout, s, b, in, rows, gh, steps;
	int ndir, dir;

	if (geometry(n, &ndir, &layout) < 0 || !known(hd) || seq(g, n, layout, &s, &b, &in, &rows) < 0 ||
	    __builtin_mul_overflow((int64_t)ngate[kind(n)], hd.v, &gh) || 2 * ndir > max)
		return -1;
	if (rows != b * s && b != 1)
		return -1;
	steps = b == 1 ? rows : s;
	for (dir = 0; dir < ndir; dir++) {
		out[2 * dir] = (struct gp_gemm){1, rows, gh, in};
		out[2 * dir + 1] = (struct gp_gemm){steps, b, gh, hd.v};
	}
	return 2 * ndir;
}

/* gp_cost_rnn: per direction, batch row and time step, every one of the
 * G x hidden gate values (G = 4, 3, 1) takes input + hidden MACs; the
 * element-wise work per hidden unit is cell_flops' count. The steps are the
 * batch times the sequence length, or the sum of sequence_lens when its
 * values are known. -1 when a dim it needs is not known. */
int
gp_cost_rnn(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_dim hd = hidden(g, n);
	int k = kind(n), ndir, dir, f[3], bias = gp_node_in(g, n, 3) != NULL, rc;
	int64_t layout, s, b, in, h, rows, macs = 0, extra = 0, clip = 0, iforget = 0, per;
	double cl;

	(void)fpe;
	c->kind = k == LSTM ? "lstm" : k == GRU ? "gru" : "rnn";
	if (geometry(n, &ndir, &layout) < 0 || !known(hd) || (rc = seq(g, n, layout, &s, &b, &in, &rows)) == -1)
		return -1;
	if (rc < 0) {
		c->overflow = 1;
		return 0;
	}
	h = hd.v;
	clip = gp_attr_float(n, "clip", &cl) == 0;
	if (k == LSTM)
		gp_attr_int(n, "input_forget", &iforget);
	for (dir = 0; dir < ndir; dir++) {
		int64_t gates = ngate[k], e, e2;

		if (activation_flops(g, n, ndir, dir, f) < 0)
			return -1;
		/* the two products summed, and each bias added, per gate value */
		e = gates * (1 + 2 * bias);
		if (k == LSTM) {
			int peep = gp_node_in(g, n, 7) != NULL;

			/* i, f, o through f(), the cell candidate through g(), C through h();
			 * with input_forget, i = 1 - f: one subtraction for its
			 * activation, its peephole and its clip */
			e += (iforget ? 1 + 2 * f[0] : 3 * f[0]) + f[1] + f[2];
			e += clip ? 2 * (iforget ? 4 : 5) : 0;
			e += peep ? 2 * (iforget ? 2 : 3) : 0;
			e += 3 + 1;     /* C = f*C' + i*c; H = o*h(C) */
		} else if (k == GRU) {
			/* z, r through f(), h through g(): r times H' (or times its
			 * product with R) is one more; H = (1 - z)*h + z*H' is 4 */
			e += 2 * f[0] + f[1] + 1 + (clip ? 2 * 3 : 0) + 4;
		} else {
			e += f[0] + (clip ? 2 : 0);
		}
		per = 0;
		if (__builtin_mul_overflow(rows, h, &per) || __builtin_mul_overflow(per, e, &e) ||
		    __builtin_add_overflow(extra, e, &extra) ||
		    __builtin_mul_overflow(rows, gates * h, &per) ||
		    __builtin_add_overflow(in, h, &e2) || __builtin_mul_overflow(per, e2, &per) ||
		    __builtin_add_overflow(macs, per, &macs)) {
			c->overflow = 1;
			return 0;
		}
	}
	c->macs = macs;
	if (__builtin_mul_overflow(macs, 2, &c->flops) || __builtin_add_overflow(c->flops, extra, &c->flops))
		c->overflow = 1;
	/* one step at a time: the hidden units of every direction and batch row at once */
	c->batch = b;
	c->channels = ndir * h;
	c->spatial = 1;
	if (__builtin_mul_overflow(b * ndir, h, &c->threads))
		c->overflow = 1;
	return 0;
}
