/* report-facts.c - what a stream states, as facts for gp-report: the
 * headers' keys and the sums of the subgraph records, each as exact text
 * by key; and --summary, which prints them
 *
 * gp-report reads records and headers, and computes nothing the filters
 * before it wrote: the batch, the batch that fills a chip, stages and the
 * critical path are theirs. It never builds the graph or the DAG again: the
 * stream reader checks the format, gp_dag_records the subgraph records'
 * fields, and the records' references to each other (the tensors they name,
 * their order) were checked by the filters that wrote them, which gp-report
 * relies on.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* the tables it reads: the others pass through as their lines (gp_stream_lazy) */
static const char *const tables[] = {"subgraph", "tensor", NULL};

void
fact_put(struct facts *F, const char *k, const char *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < F->n; i++)
		if (!strcmp(F->f[i].k, k)) {
			F->f[i].v = gp_arena_strdup(F->a, v);
			return;
		}
	if (F->n == F->cap) {
		F->cap = F->cap ? 2 * F->cap : 64;
		F->f = gp_xreallocarray(F->f, (size_t)F->cap, sizeof *F->f);
	}
	F->f[F->n].k = k;
	F->f[F->n++].v = gp_arena_strdup(F->a, v);
}

void
fact_putf(struct facts *F, const char *k, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fact_put(F, k, buf);
}

const char *
fact(const struct facts *F, const char *k)
{
	int i;

	for (i = 0; i < F->n; i++)
		if (!strcmp(F->f[i].k, k))
			return !strcmp(F->f[i].v, ".") ? NULL : F->f[i].v;
	return NULL;
}

double
fact_n(const struct facts *F, const char *k)
{
	const char *v = fact(F, k);
	char *e;
	double d;

	if (!v)
		return NAN;
	d = strtod(v, &e);
	return e == v || *e ? NAN : d;
}

/* copy the keys named of a "##KEY k=v k=v" header */
static void
from_header(struct facts *F, struct gp_stream *s, const char *hdr, const char *const *keys)
{
	int i;

	for (i = 0; keys[i]; i++)
		fact_put(F, keys[i], gp_hdr_field(s, hdr, keys[i]));
}

/* the exact sum of a column of counts, as text; "." if one is unknown */
static void
sum_counts(struct facts *F, const struct gp_dag *d, const char *src, const int64_t *x, const char *key)
{
	int64_t sum = 0;
	int v;

	if (!x)
		return;
	for (v = 0; v < d->n; v++) {
		if (x[v] < 0) {
			fact_put(F, key, ".");
			return;
		}
		if (__builtin_add_overflow(sum, x[v], &sum))
			gp_die("%s: the sum of the %s column overflows 64 bits", src, key);
	}
	fact_putf(F, key, "%" PRId64, sum);
}

static const char *const partition_keys[] = {
	"mode", "subgraphs_unfused", "unknown", "folded_flops", "folded_macs", "params", "buffers",
	"weight_bytes", "bytes_unfused", "bytes_saved", "dtype", "compute_ai", "memory_ai", "shape_nodes",
	"view_nodes", NULL,
};
static const char *const concur_keys[] = {
	"stages", "max_parallel", "max_antichain", "critical_weight", "critical_ops", "critical_flops",
	"critical_flops_share", "critical_latency_s", "threads_avg", "threads_max", "units",
	"threads_per_unit", "batch_to_fill_graph", "batch_to_fill_threads", "order",
	"peak_activation_bytes", "peak_at", "peak_bytes", "naive_peak_bytes", "budget_bytes",
	"fits", NULL,
};
static const char *const roofline_keys[] = {
	"hw", "precision", "runtime", "latency_s", "latency_concurrent_s", "throughput_per_s", "energy_j",
	"energy_per_inference_j", "power_w", "util", "compute_bound_share", "memory_bound_share",
	"launch_bound_share", "peak_ops", "bandwidth", "ridge_ai", "energy_model", "vector_ops",
	"roof_levels", "roof_bandwidths", "roof_classes", "roof_class_bandwidths", "roof_gemv_ops", "run_s", "copy_s",
	"io_s", "shape_s", "view_s", NULL,
};

double *
column(struct rep *R, const char *name)
{
	return gp_dag_values(&R->d, name, NAN);
}

static const char *
basename_of(struct gp_arena *a, const char *p)
{
	const char *b = strrchr(p, '/');
	char *s = gp_arena_strdup(a, b ? b + 1 : p);
	size_t n = strlen(s);

	if (n > 5 && !strcmp(s + n - 5, ".onnx"))
		s[n - 5] = 0;
	return s;
}

/* The length along the sequence axis of a KV-cache tensor's record r, -1
 * when it is not known; dies on a malformed shape. */
static int64_t
kv_len(struct rep *R, const struct gp_table *t, size_t r, struct gp_shape *sh)
{
	const char *name = gp_val(t, gp_table_col(t, "name"), r);
	const char *shape = gp_val(t, gp_table_col(t, "shape"), r);
	int64_t a;

	if (gp_shape_parse(&R->s.arena, shape, sh) < 0)
		gp_die("%s: tensor '%s': malformed shape '%s'", R->s.src, name, shape);
	if (gp_parse_i64(gp_val(t, gp_table_col(t, "seq_axis"), r), &a) || a < 0 || a >= sh->rank)
		return -1;
	return sh->d[a].v;
}

/* A decoder with a KV cache: its main graph's tensor records with the roles
 * kv_past and kv_present, found by gp-shape from the graph (docs/shapes.md),
 * all of one length along their sequence axis each (else nothing is said).
 * Adds the phase (prefill, or decode of one token), the tokens it processes
 * (present - past), the KV cache's bytes, and with gp-roofline's data time
 * per token, tokens per second and the batch at which a decode step turns
 * compute-bound. */
static void
llm_facts(struct rep *R)
{
	struct gp_stream *s = &R->s;
	struct facts *F = &R->F;
	const struct gp_table *t = gp_table_get(s, "tensor");
	const char *prec = gp_hdr_field(s, "roofline", "precision");
	const char *b = fact(F, "batch") ? fact(F, "batch") : gp_hdr_field(s, "partition", "batch");
	int dt = prec ? gp_prec_dtype(gp_prec_from_name(prec)) : 0;
	double kv = 0, past = -1, ctx = -1, seq, batch;
	int c_role, c_graph, npast = 0, npresent = 0, known = 1;
	int64_t bv;
	size_t r;

	if (!t || (c_role = gp_table_col(t, "role")) < 0 || (c_graph = gp_table_col(t, "graph")) < 0 ||
	    gp_table_col(t, "name") < 0 || gp_table_col(t, "dtype") < 0 || gp_table_col(t, "shape") < 0 ||
	    gp_table_col(t, "seq_axis") < 0 || !b || gp_parse_i64(b, &bv) || bv < 1)
		return;
	batch = (double)bv;
	for (r = 0; r < t->nrow; r++) {
		const char *role = gp_val(t, c_role, r);
		int present = !strcmp(role, "kv_present");
		struct gp_shape sh;
		double len, *have = present ? &ctx : &past;

		if ((!present && strcmp(role, "kv_past")) || strcmp(gp_val(t, c_graph, r), "0"))
			continue;
		len = (double)kv_len(R, t, r, &sh);
		if (len < 0 || (*have >= 0 && *have != len))
			return;
		*have = len;
		npast += !present;
		npresent += present;
		if (present) {
			int dtype = gp_dtype_from_name(gp_val(t, gp_table_col(t, "dtype"), r));
			int64_t e = gp_shape_numel(&sh), by;

			by = e < 0 || dtype <= 0 ? -1 : gp_tensor_bytes(gp_dtype_as(dtype, dt), e);
			if (by < 0)
				known = 0;
			else
				kv += (double)by;
		}
	}
	if (!npast || !npresent || ctx <= past)
		return;
	seq = ctx - past;
	fact_put(F, "phase", seq == 1 ? "decode" : "prefill");
	fact_putf(F, "tokens", "%.0f", seq);
	fact_putf(F, "context", "%.0f", ctx);
	if (known) {
		fact_putf(F, "kv_cache_bytes", "%.0f", kv);
		fact_putf(F, "kv_bytes_per_token", "%.0f", kv / (batch * ctx));
	}
	if (fact(F, "latency_s")) {
		double lat = fact_n(F, "latency_s"), fl = fact_n(F, "flops"), by = fact_n(F, "hw_bytes");
		double w = fact_n(F, "hw_weight_bytes"), ridge = fact_n(F, "ridge_ai");

		fact_putf(F, "time_per_token_s", "%.6g", seq == 1 ? lat : lat / seq);
		fact_putf(F, "tokens_per_s", "%.6g", batch * seq / lat);
		/* a decode step at batch b: b F1 FLOPs over W + b A1 bytes, against the ridge */
		if (seq == 1 && !isnan(fl) && !isnan(by) && !isnan(w) && !isnan(ridge)) {
			double f1 = fl / batch, a1 = (by - w) / batch;

			if (f1 > ridge * a1)
				fact_putf(F, "batch_compute_bound", "%.0f", ceil(ridge * w / (f1 - ridge * a1)));
			else
				fact_put(F, "batch_compute_bound", "never");
			/* the textbook figure: the weights alone against the ridge */
			if (f1 > 0)
				fact_putf(F, "batch_compute_bound_weights", "%.0f", ceil(ridge * w / f1));
		}
	}
}

/* a value of the ##roofline header, if it is known */
static void
put_roofline(struct facts *F, struct gp_stream *s, const char *k, const char *from)
{
	const char *v = gp_hdr_field(s, "roofline", from);

	if (v)
		fact_put(F, k, v);      /* "." too: the summary says unknown, the report '?' */
}

/* The facts of one stream: its headers' keys, the sums of its subgraph
 * records, and a decoder's. Dies if gp-partition has not run, on a field
 * that is not a number, or on sums that overflow. */
static void
facts(struct rep *R)
{
	struct gp_stream *s = &R->s;
	struct facts *F = &R->F;
	const char *src = gp_hdr_get(s, "source");
	double *ai, hi, lo, sum = 0;
	int64_t *macs, tavg, tmax;
	int nai = 0, c_bound[3] = {0, 0, 0}, dw = 0;
	size_t r;
	int c;

	F->a = &s->arena;
	gp_dag_records(&R->d, s);
	R->t = R->d.t;
	fact_put(F, "model", src ? basename_of(&s->arena, src) : "stdin");
	/* the swept dims, parsed once: names, values, and "seq=512 past=0" */
	if ((R->sweep = gp_hdr_get(s, "sweep"))) {
		char *h = gp_arena_strdup(&s->arena, R->sweep), *tok, *save = NULL;
		struct gp_buf b = {0};

		R->swname = gp_arena_alloc(&s->arena, (strlen(h) + 1) * sizeof *R->swname);
		R->swval = gp_arena_alloc(&s->arena, (strlen(h) + 1) * sizeof *R->swval);
		for (tok = strtok_r(h, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save)) {
			char *eq = strchr(tok, '=');

			if (!eq || gp_parse_i64(eq + 1, &R->swval[R->nsw]))
				gp_die("%s: ##sweep: '%s' is not NAME=VALUE", s->src, tok);
			*eq = '\0';
			R->swname[R->nsw++] = tok;
			gp_buf_printf(&b, "%s%s=%s", b.len ? " " : "", tok, eq + 1);
		}
		fact_put(F, "sweep", b.buf);
		gp_buf_release(&b);
	}
	fact_putf(F, "subgraphs", "%zu", R->t->nrow);
	from_header(F, s, "partition", partition_keys);
	sum_counts(F, &R->d, s->src, R->d.flops, "flops");
	macs = gp_dag_counts(&R->d, "macs");
	sum_counts(F, &R->d, s->src, macs, "macs");
	free(macs);
	/* bytes moved: every subgraph's in + out + weights */
	sum_counts(F, &R->d, s->src, R->d.bytes, "bytes");
	fact_put(F, "ai", gp_hdr_field(s, "partition", "ai"));
	/* the mean of the subgraphs' AI, and the bottlenecks by AI */
	hi = fact_n(F, "compute_ai");
	lo = fact_n(F, "memory_ai");
	if ((ai = column(R, "ai"))) {
		for (r = 0; r < R->t->nrow; r++) {
			if (isnan(ai[r]))
				continue;
			sum += ai[r];
			nai++;
			c_bound[ai[r] > hi ? 0 : ai[r] < lo ? 2 : 1]++;
		}
		if (nai)
			fact_putf(F, "ai_mean", "%.4g", sum / nai);
		if (!isnan(hi) && !isnan(lo)) {
			fact_putf(F, "compute_bound", "%d", c_bound[0]);
			fact_putf(F, "balanced", "%d", c_bound[1]);
			fact_putf(F, "memory_bound", "%d", c_bound[2]);
		}
		free(ai);
	}
	if ((c = gp_table_col(R->t, "depthwise")) >= 0) {
		for (r = 0; r < R->t->nrow; r++)
			dw += !strcmp(gp_val(R->t, c, r), "1");
		fact_putf(F, "depthwise", "%d", dw);
	}
	/* the mean and most of the threads column, as gp-concur's header has them */
	gp_dag_threads(&R->d, &tavg, &tmax);
	if (tmax >= 0) {
		fact_putf(F, "threads_avg", "%" PRId64, tavg);
		fact_putf(F, "threads_max", "%" PRId64, tmax);
	}
	if (gp_hdr_get(s, "concur")) {
		R->has_concur = 1;
		from_header(F, s, "concur", concur_keys);
		fact_put(F, "batch", gp_hdr_field(s, "concur", "batch"));
	}
	if (gp_hdr_get(s, "roofline")) {
		R->has_roof = 1;
		from_header(F, s, "roofline", roofline_keys);
		/* bytes at the precision gp-roofline used, apart from gp-partition's */
		fact_put(F, "hw_bytes", gp_hdr_field(s, "roofline", "bytes"));
		fact_put(F, "hw_weight_bytes", gp_hdr_field(s, "roofline", "weight_bytes"));
		fact_put(F, "batch", gp_hdr_field(s, "roofline", "batch"));
		/* the batch that fills the chip gp-roofline ran for, when gp-concur was not told one */
		if (!fact(F, "batch_to_fill_threads") && gp_hdr_field(s, "roofline", "units") &&
		    gp_hdr_field(s, "roofline", "threads_per_unit")) {
			fact_put(F, "units", gp_hdr_field(s, "roofline", "units"));
			fact_put(F, "threads_per_unit", gp_hdr_field(s, "roofline", "threads_per_unit"));
			put_roofline(F, s, "batch_to_fill_graph", "batch_to_fill_graph");
			put_roofline(F, s, "batch_to_fill_threads", "batch_to_fill_threads");
		}
	}
	llm_facts(R);
}

/* the summary keys in their documented order */
static const char *const summary_keys[] = {
	"model", "sweep", "mode", "dtype", "batch", "subgraphs", "subgraphs_unfused", "unknown", "flops",
	"macs", "folded_flops", "folded_macs", "params", "buffers", "weight_bytes", "bytes",
	"bytes_unfused", "bytes_saved", "ai", "ai_mean", "compute_ai", "memory_ai", "compute_bound",
	"balanced", "memory_bound", "depthwise", "threads_avg", "threads_max", "stages",
	"max_parallel", "max_antichain", "critical_weight", "critical_ops", "critical_flops",
	"critical_flops_share", "critical_latency_s", "units", "threads_per_unit",
	"batch_to_fill_graph", "batch_to_fill_threads", "order", "peak_activation_bytes", "peak_at",
	"peak_bytes", "naive_peak_bytes", "budget_bytes", "fits", "hw", "precision", "latency_s",
	"latency_concurrent_s", "throughput_per_s", "energy_j", "energy_per_inference_j", "power_w",
	"util", "compute_bound_share", "memory_bound_share", "launch_bound_share", "peak_ops",
	"bandwidth", "ridge_ai", "energy_model", "hw_bytes", "hw_weight_bytes", "phase", "tokens",
	"context", "kv_cache_bytes", "kv_bytes_per_token", "time_per_token_s", "tokens_per_s",
	"batch_compute_bound", "batch_compute_bound_weights", "runtime", "run_s", "copy_s", "io_s",
	"shape_s", "view_s", NULL,
};

void
summary(const struct facts *F)
{
	int i, k;

	for (i = 0; summary_keys[i]; i++)
		for (k = 0; k < F->n; k++)
			if (!strcmp(F->f[k].k, summary_keys[i]))
				printf("%s\t%s\n", F->f[k].k, F->f[k].v);
}

int
read_all(FILE *f, const char *src, struct rep ***R, int n)
{
	struct gp_input in;
	struct rep *r;

	gp_stream_lazy(tables, 1);
	gp_input_init(&in, f, src);
	for (;;) {
		r = gp_xcalloc(1, sizeof *r);
		if (!gp_stream_next(&in, &r->s)) {
			free(r);
			break;
		}
		facts(r);
		*R = gp_xreallocarray(*R, (size_t)n + 1, sizeof **R);
		(*R)[n++] = r;
	}
	/* the streams' text stays with the last one released */
	*R = gp_xreallocarray(*R, (size_t)n + 1, sizeof **R);
	(*R)[n] = NULL;
	if (n)
		(*R)[n - 1]->s.buf = in.buf;
	else
		gp_input_release(&in);
	return n;
}

void
release(struct rep *r)
{
	free(r->F.f);
	gp_dag_release(&r->d);
	gp_stream_release(&r->s);
	free(r);
}
