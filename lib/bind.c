/* bind.c - set the shapes of a graph's inputs before inference: gp-shape --input and --batch
 *
 * --input NAME=DIMS sets one input's dims, each a number, '?' (left as the
 * model has it) or a name (the dim stays symbolic); a number binds the
 * model's symbol there everywhere, and a dim the model fixes must not be
 * contradicted. --batch N sets the batch, and only the batch: the symbols
 * named as a batch (batch, batch_size, N, ...), else the one symbol that
 * leads every input, else dim 0 of every input when they all agree there;
 * when the batch dim of an input cannot be told, that is an error naming it.
 * A static export, whose inputs all have the same number first, is re-batched
 * with the batch it fixes in its shape constants (rebatch.c).
 */
#include <ctype.h>
#include <string.h>

#include "gp.h"

/* gp_dims_parse: DIMS as --input writes them: "1x512", "2x?x128",
 * "batchx512", or with commas, brackets optional, "[batch,512]", "max_len,4"
 * (a name with an 'x' in it needs the commas); "[]" is a scalar. Each dim is
 * a number, '?' or a name (a letter or '_' first). 0, or -1 on bad syntax. */
int
gp_dims_parse(struct gp_arena *a, const char *text, struct gp_shape *s)
{
	size_t n = strlen(text);
	char *t, *p, *save = NULL, sep[2] = "x";
	int k = 0, cap;

	if (n >= 2 && text[0] == '[' && text[n - 1] == ']')
		t = gp_arena_strndup(a, text + 1, n - 2);
	else
		t = gp_arena_strdup(a, text);
	if (strchr(t, ',') || text[0] == '[')
		sep[0] = ',';
	if (!*t) {
		s->rank = 0;
		s->d = NULL;
		return text[0] == '[' ? 0 : -1;
	}
	if (t[0] == sep[0] || t[strlen(t) - 1] == sep[0] || strstr(t, sep[0] == ',' ? ",," : "xx"))
		return -1;
	cap = 1;
	for (p = t; *p; p++)
		cap += *p == sep[0];
	s->d = gp_arena_alloc(a, (size_t)cap * sizeof *s->d);
	for (p = strtok_r(t, sep, &save); p; p = strtok_r(NULL, sep, &save)) {
		struct gp_dim *d = &s->d[k++];
		const char *q;

		d->v = -1;
		d->sym = NULL;
		if (isdigit((unsigned char)*p)) {
			if (gp_parse_i64(p, &d->v) < 0 || d->v > ((int64_t)1 << 40))
				return -1;
		} else if (!strcmp(p, "?")) {
			/* as the model has it */
		} else {
			if (!isalpha((unsigned char)*p) && *p != '_')
				return -1;
			for (q = p; *q; q++)
				if (!isalnum((unsigned char)*q) && *q != '_' && *q != '.' && *q != '-')
					return -1;
			d->sym = p;
		}
	}
	s->rank = k;
	return 0;
}

/* rename replaces the symbolic dim from by to everywhere, values too */
static void
rename_sym(struct gp_graph *g, const char *from, const char *to)
{
	size_t i;
	int k;

	for (i = 0; i < g->ntensor; i++) {
		struct gp_tensor *t = &g->t[i];

		for (k = 0; k < t->shape.rank; k++)
			if (t->shape.d[k].sym && !strcmp(t->shape.d[k].sym, from)) {
				t->shape.d[k].sym = to;
				t->dirty = 1;
			}
		for (k = 0; t->iv && k < t->nval; k++)
			if (t->iv[k].sym && !strcmp(t->iv[k].sym, from))
				t->iv[k].sym = to;
	}
}

/* input: the main graph's input called name, or -1 */
static int
input(const struct gp_graph *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->ntensor; i++)
		if (g->t[i].graph == 0 && g->t[i].kind == GP_K_INPUT && !strcmp(g->t[i].name, name))
			return (int)i;
	return -1;
}

static const char *
shape_text(struct gp_graph *g, const struct gp_shape *s)
{
	struct gp_buf b = {0};
	const char *r;

	gp_shape_fmt(&b, s);
	r = gp_arena_strdup(&g->s->arena, b.buf);
	gp_buf_release(&b);
	return r;
}

/* gp_bind_input: set the input called name to the dims of want (arg is the
 * option, for messages). Dies naming the input when the model has no such
 * input, when the ranks differ, or when a dim contradicts one the model
 * fixes (a number, or a name given where the model has a number). */
void
gp_bind_input(struct gp_graph *g, const char *arg, const char *name, const struct gp_shape *want)
{
	int ti = input(g, name), k;
	struct gp_tensor *t;

	if (ti < 0)
		gp_die("%s: --input %s: the model has no input '%s'", g->s->src, arg, name);
	t = &g->t[ti];
	if (t->shape.rank >= 0 && t->shape.rank != want->rank)
		gp_die("%s: --input %s: '%s' has rank %d in the model (%s), not %d", g->s->src, arg, name,
		    t->shape.rank, shape_text(g, &t->shape), want->rank);
	if (t->shape.rank < 0) {
		t->shape.rank = want->rank;
		t->shape.d = gp_arena_alloc(&g->s->arena, (size_t)(want->rank + 1) * sizeof *t->shape.d);
		for (k = 0; k < want->rank; k++)
			t->shape.d[k] = (struct gp_dim){-1, NULL};
	}
	for (k = 0; k < want->rank; k++) {
		struct gp_dim m = t->shape.d[k], w = want->d[k];

		if (w.sym) {
			if (!m.sym && m.v >= 0)
				gp_die("%s: --input %s: dim %d of '%s' is %lld in the model, not '%s'", g->s->src,
				    arg, k, name, (long long)m.v, w.sym);
			if (m.sym && strcmp(m.sym, w.sym))
				rename_sym(g, m.sym, gp_arena_strdup(&g->s->arena, w.sym));
			else
				t->shape.d[k].sym = gp_arena_strdup(&g->s->arena, w.sym);
		} else if (w.v >= 0) {
			if (m.sym)
				gp_bind(g, m.sym, w.v);
			else if (m.v >= 0 && m.v != w.v)
				gp_die("%s: --input %s: dim %d of '%s' is %lld in the model, not %lld",
				    g->s->src, arg, k, name, (long long)m.v, (long long)w.v);
			t->shape.d[k].v = w.v;
		}
	}
	t->dirty = 1;
}

/* a symbol that names a batch: batch, batch_size, bsz, N, ... */
static int
batch_name(const char *s)
{
	static const char *const names[] = {"n", "b", "bs", "bsz", NULL};
	char low[64];
	size_t i;

	for (i = 0; s[i] && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	if (strstr(low, "batch"))
		return 1;
	for (i = 0; names[i]; i++)
		if (!strcmp(low, names[i]))
			return 1;
	return 0;
}

/* has: does shape s have the symbolic dim sym? */
static int
has(const struct gp_shape *s, const char *sym)
{
	int k;

	for (k = 0; k < s->rank; k++)
		if (s->d[k].sym && !strcmp(s->d[k].sym, sym))
			return 1;
	return 0;
}

static int
unknowns(const struct gp_shape *s)
{
	int k, n = 0;

	for (k = 0; k < s->rank; k++)
		n += !s->d[k].sym && s->d[k].v < 0;
	return n;
}

static int
is_fixed(const char *name, const char *const *fixed, int nfixed)
{
	int i;

	for (i = 0; i < nfixed; i++)
		if (!strcmp(fixed[i], name))
			return 1;
	return 0;
}

/* gp_bind_batch: see the file's comment; the inputs named in fixed[0 ..
 * nfixed) (set by --input) are left as they are. The activations' declared
 * shapes are dropped, to be inferred at the new batch. Dies naming the
 * first input whose batch dim cannot be told, suggesting --input. */
void
gp_bind_batch(struct gp_graph *g, int64_t batch, const char *const *fixed, int nfixed)
{
	const char **syms;
	int nsym = 0, j, k, first = -1;
	size_t i, dims = 1;

	for (i = 0; i < g->ntensor; i++)
		if (g->t[i].graph == 0 && g->t[i].kind == GP_K_INPUT && g->t[i].shape.rank > 0)
			dims += (size_t)g->t[i].shape.rank;
	syms = gp_arena_alloc(&g->s->arena, dims * sizeof *syms);

	/* the inputs it may change: of rank 1 or more, not set by --input */
#define CAND(t) ((t)->graph == 0 && (t)->kind == GP_K_INPUT && (t)->shape.rank != 0 && \
	!is_fixed((t)->name, fixed, nfixed))
	for (i = 0; i < g->ntensor; i++) {
		struct gp_tensor *t = &g->t[i];

		if (!CAND(t))
			continue;
		if (t->shape.rank < 0)
			gp_die("%s: --batch %lld: the shape of input '%s' is not known: set it with "
			    "--input %s=DIMS", g->s->src, (long long)batch, t->name, t->name);
		if (first < 0)
			first = (int)i;
		/* symbols named as a batch */
		for (k = 0; k < t->shape.rank; k++) {
			const char *s = t->shape.d[k].sym;

			for (j = 0; s && j < nsym && strcmp(syms[j], s); j++)
				;
			if (s && j == nsym && batch_name(s))
				syms[nsym++] = s;
		}
	}
	if (first < 0)
		return;
	if (!nsym && g->t[first].shape.d[0].sym) {
		/* else the symbol that leads every input */
		const char *s = g->t[first].shape.d[0].sym;

		for (i = 0; i < g->ntensor; i++)
			if (CAND(&g->t[i]) && (!g->t[i].shape.d[0].sym || strcmp(g->t[i].shape.d[0].sym, s)))
				break;
		if (i == g->ntensor)
			syms[nsym++] = s;
	}
	if (nsym) {
		/* every input has the batch symbol, or is fixed in the model */
		for (i = 0; i < g->ntensor; i++) {
			struct gp_tensor *t = &g->t[i];

			if (!CAND(t))
				continue;
			for (j = 0; j < nsym && !has(&t->shape, syms[j]); j++)
				;
			if (j == nsym && unknowns(&t->shape))
				gp_die("%s: --batch %lld: cannot tell which dim of input '%s' (%s) is the batch "
				    "'%s': set its shape with --input %s=DIMS", g->s->src, (long long)batch,
				    t->name, shape_text(g, &t->shape), syms[0], t->name);
		}
		for (j = 0; j < nsym; j++)
			gp_bind(g, syms[j], batch);
	} else {
		/* no symbol: dim 0 of every input, if they agree there; in a
		 * static export, an input whose dim 0 is another number (silero's
		 * state, [2,1,64]) has it in its one dim that is that batch */
		struct gp_dim b0 = g->t[first].shape.d[0];
		int *at = gp_arena_alloc(&g->s->arena, (g->ntensor + 1) * sizeof *at);

		for (i = 0; i < g->ntensor; i++) {
			struct gp_tensor *t = &g->t[i];

			if (!CAND(t))
				continue;
			at[i] = -1;
			if (!t->shape.d[0].sym && t->shape.d[0].v == b0.v)
				at[i] = 0;
			for (k = 1; at[i] < 0 && b0.v >= 0 && !unknowns(&t->shape) && k < t->shape.rank; k++) {
				if (!t->shape.d[k].sym && t->shape.d[k].v == b0.v) {
					for (j = k + 1; j < t->shape.rank && (t->shape.d[j].sym || t->shape.d[j].v != b0.v); j++)
						;
					if (j == t->shape.rank && !t->shape.d[0].sym)
						at[i] = k;
					break;
				}
			}
			if (at[i] < 0)
				gp_die("%s: --batch %lld: cannot tell which dim of input '%s' (%s) is the "
				    "batch: set its shape with --input %s=DIMS", g->s->src, (long long)batch,
				    t->name, shape_text(g, &t->shape), t->name);
		}
		/* a static export: its shape constants may hold the old batch,
		 * so it is inferred at that batch too (rebatch.c) */
		if (b0.v > 0 && b0.v != batch)
			gp_rebatch_begin(g, b0.v, batch);
		for (i = 0; i < g->ntensor; i++) {
			if (CAND(&g->t[i])) {
				g->t[i].shape.d[at[i]].v = batch;
				g->t[i].dirty = 1;
			}
		}
	}
#undef CAND
	/* the declared activation shapes were for the old batch */
	for (i = 0; i < g->ntensor; i++) {
		struct gp_tensor *t = &g->t[i];

		if (t->graph == 0 && (t->kind == GP_K_INTER || t->kind == GP_K_OUTPUT) && t->shape.rank >= 1) {
			t->shape.rank = -1;
			t->dirty = 1;
		}
	}
}
