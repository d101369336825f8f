/* dag.c - the subgraph records of a stream, as numbers and as a dependency DAG
 *
 * gp-partition writes one subgraph record per kernel, in topological order,
 * with the activation tensors it reads (views resolved) and writes. Subgraph
 * v depends on u when v reads a tensor u writes. The one reader of those
 * records, in three steps a program takes as far as it needs: their numbers
 * (gp_dag_records: gp-report stops here), the edges between them
 * (gp_dag_edges: gp-report --dot), and the sizes of the tensors they pass,
 * from the tensor records counted at the ##partition dtype (gp_dag_build:
 * gp-concur, gp-roofline, which never build the graph).
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"

/* plain: f as a count of at most 18 digits, read here (strtoll was much of
 * gp-concur's time); 0, or -1 to leave it to gp_parse_i64 */
static int
plain(const char *f, int64_t *x)
{
	const char *p = f;

	for (*x = 0; *p >= '0' && *p <= '9' && p - f < 18; p++)
		*x = *x * 10 + (*p - '0');
	return *p || p == f ? -1 : 0;
}

/* field v of column c as a count: a number, or '.'/'?' for unknown (-1);
 * anything else is fatal */
static int64_t
count_at(const struct gp_dag *d, int c, int v)
{
	const char *f = gp_val(d->t, c, v);
	int64_t x;

	if (plain(f, &x) == 0)
		return x;
	if (!strcmp(f, ".") || !strcmp(f, "?"))
		return -1;
	if (gp_parse_i64(f, &x) || x < 0)
		gp_die("%s: subgraph %s: %s '%s' is not a count", d->src, gp_dag_id(d, v), d->t->col[c], f);
	return x;
}

int64_t *
gp_dag_counts(const struct gp_dag *d, const char *col)
{
	int c = gp_table_col(d->t, col), v;
	int64_t *x;

	if (c < 0)
		return NULL;
	x = gp_xcalloc((size_t)d->n + 1, sizeof *x);
	for (v = 0; v < d->n; v++)       /* a field that shares the text above it, its number */
		x[v] = v && gp_val(d->t, c, v) == gp_val(d->t, c, v - 1) ? x[v - 1] : count_at(d, c, v);
	return x;
}

double *
gp_dag_values(const struct gp_dag *d, const char *col, double unknown)
{
	int c = gp_table_col(d->t, col), v;
	double *x;

	if (c < 0)
		return NULL;
	x = gp_xcalloc((size_t)d->n + 1, sizeof *x);
	for (v = 0; v < d->n; v++) {
		const char *f = gp_val(d->t, c, v);
		char *e;

		if (v && f == gp_val(d->t, c, v - 1)) {
			x[v] = x[v - 1];        /* the text above it, so its number */
			continue;
		}
		if (!strcmp(f, ".") || !strcmp(f, "?")) {
			x[v] = unknown;
			continue;
		}
		x[v] = strtod(f, &e);
		if (e == f || *e || !(x[v] >= 0) || x[v] > 1e30)
			gp_die("%s: subgraph %s: %s '%s' is not a number", d->src, gp_dag_id(d, v), col, f);
	}
	return x;
}

/* a column of counts, or all unknown if there is no such column */
static int64_t *
counts(const struct gp_dag *d, const char *col)
{
	int64_t *x = gp_dag_counts(d, col);
	int v;

	if (!x) {
		x = gp_xcalloc((size_t)d->n + 1, sizeof *x);
		for (v = 0; v < d->n; v++)
			x[v] = -1;
	}
	return x;
}

/* the slot of the name it[0..n) (escaped) in m, or NULL if it has none (or
 * the escape is malformed) */
static int64_t *
lookup(const struct gp_map *m, const char *it, size_t n)
{
	struct gp_arena a = {0};
	const char *name;
	int64_t *p;

	if (!memchr(it, '%', n))
		return gp_map_getn(m, it, n);
	name = gp_unesc(&a, it, n);
	p = name ? gp_map_get(m, name) : NULL;
	gp_arena_release(&a);
	return p;
}

/* the index of the tensor named it[0..n) (escaped), or -1 if the DAG has none */
static int
find(const struct gp_dag *d, const char *it, size_t n)
{
	int64_t *p = lookup(&d->names, it, n);

	return p ? (int)*p : -1;
}

/* the index of the tensor named it[0..n) (escaped), adding it; -1 if the
 * escape is malformed */
static int
tensor(struct gp_dag *d, const char *it, size_t n, size_t *cap)
{
	struct gp_stream *s = d->stream;
	const char *name;
	int64_t *p;

	if (!memchr(it, '%', n)) {
		if ((p = gp_map_getn(&d->names, it, n)))
			return (int)*p;
		/* the last item of a field is NUL-terminated already */
		name = it[n] ? gp_arena_strndup(&s->arena, it, n) : it;
	} else {
		if (!(name = gp_unesc(&s->arena, it, n)))
			return -1;
		if ((p = gp_map_get(&d->names, name)))
			return (int)*p;
	}
	if ((size_t)d->nt == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		d->tname = gp_xreallocarray(d->tname, *cap, sizeof *d->tname);
		d->tprod = gp_xreallocarray(d->tprod, *cap, sizeof *d->tprod);
	}
	d->tname[d->nt] = name;
	d->tprod[d->nt] = -1;
	gp_map_put(&d->names, name, d->nt);
	return d->nt++;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* sort and deduplicate v[0..n); the new count */
static int
uniq(int *v, int n)
{
	int i, k = 0;

	if (n < 2)
		return n;
	qsort(v, (size_t)n, sizeof *v, cmp_int);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* CSR lists: split the field of column c of every record into tensor indices */
static void
lists(struct gp_dag *d, size_t *cap, int c, int **o0, int **o, int out)
{
	size_t tot = 0, have = 64;
	int v;

	*o0 = gp_xcalloc((size_t)d->n + 1, sizeof **o0);
	*o = gp_xcalloc(have, sizeof **o);
	for (v = 0; v < d->n; v++) {
		const char *f = gp_val(d->t, c, v);
		size_t a, e;
		int cnt = 0;

		(*o0)[v] = (int)tot;
		if (v + 8 < d->n) {             /* the slot of a later record's first name, on its way */
			const char *l = gp_val(d->t, c, (size_t)v + 8);

			gp_map_prefetchn(&d->names, l, strcspn(l, ","));
		}
		for (a = 0; strcmp(f, ".") != 0; a = e + 1) {
			int t;

			e = a + strcspn(f + a, ",");
			if (e == a)
				gp_die("%s: subgraph %s: empty name in its %s", d->src, gp_dag_id(d, v),
				    out ? "outputs" : "inputs");
			if ((t = tensor(d, f + a, e - a, cap)) < 0)
				gp_die("%s: subgraph %s: malformed %s list '%s'", d->src, gp_dag_id(d, v),
				    out ? "outputs" : "inputs", f);
			if (tot + 1 > have) {
				have = 2 * (tot + 1);
				*o = gp_xreallocarray(*o, have, sizeof **o);
			}
			if (out) {
				if (d->tprod[t] >= 0)
					gp_die("%s: tensor '%s' is an output of subgraphs %s and %s", d->src,
					    d->tname[t], gp_dag_id(d, d->tprod[t]), gp_dag_id(d, v));
				d->tprod[t] = v;
			} else if (d->tprod[t] >= v) {
				gp_die("%s: subgraph %s reads '%s' before subgraph %s writes it: the "
				    "subgraph records are not in topological order", d->src, gp_dag_id(d, v),
				    d->tname[t], gp_dag_id(d, d->tprod[t]));
			}
			(*o)[tot++] = t;
			cnt++;
			if (!f[e])
				break;
		}
		tot = (size_t)(*o0)[v] + (size_t)uniq(*o + (*o0)[v], cnt);
	}
	(*o0)[d->n] = (int)tot;
}

/* invert the CSR lists a0/a (n rows over m items) into b0/b, ascending */
static void
invert(int n, int m, const int *a0, const int *a, int **b0, int **b)
{
	int *cnt = gp_xcalloc((size_t)m + 1, sizeof *cnt);
	int v, k;

	*b0 = gp_xcalloc((size_t)m + 1, sizeof **b0);
	*b = gp_xcalloc((size_t)a0[n] + 1, sizeof **b);
	for (k = 0; k < a0[n]; k++)
		cnt[a[k]]++;
	for (k = 0; k < m; k++)
		(*b0)[k + 1] = (*b0)[k] + cnt[k];
	memset(cnt, 0, ((size_t)m + 1) * sizeof *cnt);
	for (v = 0; v < n; v++)
		for (k = a0[v]; k < a0[v + 1]; k++)
			(*b)[(*b0)[a[k]] + cnt[a[k]]++] = v;
	free(cnt);
}

/* gp_dag_records reads what the subgraph records say of each subgraph: its
 * id and its numbers (see gp.h), and gp-partition's dtype and weight bytes.
 * Dies if there are none, or on an id out of order or a field that is not a
 * number. */
void
gp_dag_records(struct gp_dag *d, struct gp_stream *s)
{
	const char *hdr = gp_hdr_get(s, "partition"), *p;
	int v;

	memset(d, 0, sizeof *d);
	d->stream = s;
	d->src = s->src;
	d->t = gp_table_get(s, "subgraph");
	if (!d->t || !hdr)
		gp_die("%s: no subgraph records or ##partition header: run gp-partition first", s->src);
	/* the dtype gp-partition counted floating tensors at, and the weights */
	if ((p = gp_hdr_field(s, "partition", "dtype")) && strcmp(p, "as-is") &&
	    (d->dtype = gp_dtype_from_name(p)) <= 0)
		gp_die("%s: ##partition: unknown dtype '%s'", s->src, p);
	d->weight_bytes = -1;
	if ((p = gp_hdr_field(s, "partition", "weight_bytes")) &&
	    (gp_parse_i64(p, &d->weight_bytes) || d->weight_bytes < 0))
		gp_die("%s: ##partition: weight_bytes '%s' is not a count", s->src, p);
	d->batch = -1;
	if ((p = gp_hdr_field(s, "partition", "batch")) && strcmp(p, ".") &&
	    (gp_parse_i64(p, &d->batch) || d->batch < 1))
		gp_die("%s: ##partition: batch '%s' is not a count", s->src, p);
	d->weights_prec = -1;
	if ((p = gp_hdr_field(s, "partition", "weights_prec")) && strcmp(p, ".") &&
	    (d->weights_prec = gp_prec_from_name(p)) < 0)
		gp_die("%s: ##partition: unknown weights_prec '%s'", s->src, p);
	if (d->t->nrow > 1000000)
		gp_die("%s: %zu subgraphs: more than gp-concur handles (1000000)", s->src, d->t->nrow);
	d->n = (int)d->t->nrow;
	d->c_id = gp_table_need(s, d->t, "id");
	for (v = 0; v < d->n; v++) {
		int64_t x;

		if ((plain(gp_dag_id(d, v), &x) && gp_parse_i64(gp_dag_id(d, v), &x)) || x != v + 1)
			gp_die("%s: subgraph record %d has id '%s': subgraphs are numbered 1, 2, ... in "
			    "order", s->src, v + 1, gp_dag_id(d, v));
	}
	d->flops = counts(d, "flops");
	d->threads = counts(d, "threads");
	d->bin = counts(d, "bytes_in");
	d->bout = counts(d, "bytes_out");
	d->bw = counts(d, "bytes_weight");
	d->lat = gp_dag_values(d, "latency_s", -1);
	d->bytes = gp_xcalloc((size_t)d->n + 1, sizeof *d->bytes);
	d->io = gp_xcalloc((size_t)d->n + 1, sizeof *d->io);
	for (v = 0; v < d->n; v++) {
		d->io[v] = gp_count_add(d->bin[v], d->bout[v]);
		d->bytes[v] = gp_count_add(d->io[v], d->bw[v]);
	}
}

/* gp_dag_edges finds, from the inputs and outputs of the records read by
 * gp_dag_records, the tensors the subgraphs pass each other and so who
 * depends on whom. Dies on a malformed list, a tensor written twice, or a
 * record that reads what a later one writes. */
void
gp_dag_edges(struct gp_dag *d)
{
	struct gp_stream *s = d->stream;
	size_t cap = 0;
	int c_in, c_out, v, k;

	c_in = gp_table_need(s, d->t, "inputs");
	c_out = gp_table_need(s, d->t, "outputs");
	gp_map_reserve(&d->names, (size_t)d->n + 1);
	/* outputs first: then every input's producer is known */
	lists(d, &cap, c_out, &d->o0, &d->out, 1);
	lists(d, &cap, c_in, &d->i0, &d->in, 0);
	invert(d->n, d->nt, d->i0, d->in, &d->c0, &d->cons);

	/* predecessors: the producers of a subgraph's inputs */
	d->p0 = gp_xcalloc((size_t)d->n + 1, sizeof *d->p0);
	d->p = gp_xcalloc((size_t)d->i0[d->n] + 1, sizeof *d->p);
	for (v = 0, k = 0; v < d->n; v++) {
		int j, st = k;

		d->p0[v] = st;
		for (j = d->i0[v]; j < d->i0[v + 1]; j++)
			if (d->tprod[d->in[j]] >= 0)
				d->p[k++] = d->tprod[d->in[j]];
		k = st + uniq(d->p + st, k - st);
	}
	d->p0[d->n] = k;
	invert(d->n, d->n, d->p0, d->p, &d->s0, &d->s);
}

/* item i of the comma-separated list field f: its start, and its length in
 * *n; NULL if there is none */
static const char *
item(const char *f, int i, size_t *n)
{
	for (; i > 0 && *f; i--)
		f += strcspn(f, ",") + (f[strcspn(f, ",")] == ',');
	if (!strcmp(f, ".") || (!*f && i >= 0))
		return NULL;
	*n = strcspn(f, ",");
	return f;
}

/* views: the graph outputs in want that no subgraph writes are views of a
 * tensor (Reshape, Flatten, Identity... gp_op_passes_on) that one does: the
 * node records of the main graph, last to first (they are in topological
 * order), take each such output back to the input it passes on, until it
 * reaches a subgraph's tensor, which is then kept (as gp_tensor_root does on
 * the graph) */
static void
views(struct gp_dag *d, struct gp_map *want, size_t pending)
{
	struct gp_stream *s = d->stream;
	const struct gp_table *nt = pending ? gp_table_get(s, "node") : NULL;
	int c_op, c_dom, c_in, c_out, c_graph, k;
	size_t r, n, ni;
	const char *o, *in;
	struct gp_arena a = {0};

	if (!nt)
		return;
	c_op = gp_table_need(s, nt, "op");
	c_dom = gp_table_need(s, nt, "domain");
	c_in = gp_table_need(s, nt, "inputs");
	c_out = gp_table_need(s, nt, "outputs");
	c_graph = gp_table_need(s, nt, "graph");
	for (r = nt->nrow; r-- > 0 && pending > 0;) {
		const char *g = gp_val(nt, c_graph, r);
		char *key;
		int64_t *p;

		if (g[0] != '0' || g[1] || !(o = item(gp_val(nt, c_out, r), 0, &n)) ||
		    !(p = lookup(want, o, n)) || *p < 0 ||
		    !gp_op_passes_on(gp_val(nt, c_dom, r), gp_val(nt, c_op, r)))
			continue;
		*p = -1;                        /* followed */
		pending--;
		if (!(in = item(gp_val(nt, c_in, r), 0, &ni)) || ni == 0)
			continue;
		if ((k = find(d, in, ni)) >= 0)
			d->tkeep[k] = 1;
		else if ((key = gp_unesc(&a, in, ni)) && gp_map_put(want, key, 0))
			pending++;
	}
	gp_arena_release(&a);
}

void
gp_dag_build(struct gp_dag *d, struct gp_stream *s)
{
	struct gp_trec tr;
	struct gp_map want = {0};
	struct gp_arena a = {0};
	size_t pending = 0;
	char *seen;
	int k;

	gp_dag_records(d, s);
	gp_dag_edges(d);

	/* the tensors' sizes from their records, and which outlive the run
	 * (graph outputs, after views) */
	d->tbytes = gp_xcalloc((size_t)d->nt + 1, sizeof *d->tbytes);
	d->tkeep = gp_xcalloc((size_t)d->nt + 1, 1);
	seen = gp_xcalloc((size_t)d->nt + 1, 1);
	gp_trec_init(&tr, s);
	while (gp_trec_next(&tr)) {
		int64_t e;

		if (tr.row + 16 < tr.t->nrow)    /* a later record's slot, on its way */
			gp_map_prefetch(&d->names, gp_val(tr.t, tr.c_name, tr.row + 16));
		k = find(d, tr.name, strlen(tr.name));
		if (tr.kind == GP_K_OUTPUT) {
			char *name = gp_unesc(&a, tr.name, strlen(tr.name));

			if (k >= 0)
				d->tkeep[k] = 1;
			else if (name && gp_map_put(&want, name, 0))
				pending++;
		}
		if (k < 0)
			continue;
		if (seen[k])
			gp_die("%s: tensor '%s' appears twice in graph 0", s->src, d->tname[k]);
		seen[k] = 1;
		e = gp_trec_numel(&tr);
		d->tbytes[k] = e < 0 || tr.dtype <= 0 ? -1 :
		    gp_tensor_bytes(gp_dtype_as(tr.dtype, d->dtype), e);
		if (d->tbytes[k] == -2)
			gp_die("%s: tensor '%s': its byte count overflows 64 bits", s->src, d->tname[k]);
	}
	gp_trec_release(&tr);
	for (k = 0; k < d->nt; k++)
		if (!seen[k])
			gp_die("%s: subgraph tensor '%s' has no tensor record in the main graph", s->src,
			    d->tname[k]);
	free(seen);
	views(d, &want, pending);
	gp_map_release(&want);
	gp_arena_release(&a);
	/* the analyses go by index: the names' map goes back before them */
	gp_map_release(&d->names);
}

void
gp_dag_release(struct gp_dag *d)
{
	free(d->p0);
	free(d->p);
	free(d->s0);
	free(d->s);
	free(d->flops);
	free(d->lat);
	free(d->bytes);
	free(d->io);
	free(d->threads);
	free(d->bin);
	free(d->bout);
	free(d->bw);
	free(d->tname);
	free(d->tbytes);
	free(d->tprod);
	free(d->tkeep);
	free(d->i0);
	free(d->in);
	free(d->o0);
	free(d->out);
	free(d->c0);
	free(d->cons);
	gp_map_release(&d->names);
	memset(d, 0, sizeof *d);
}
