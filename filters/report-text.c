/* report-text.c - the report of one stream, section by section, and the
 * table of its heaviest subgraphs (--top), as text or Markdown
 *
 * Every number comes from the stream's facts (report-facts.c) or its
 * subgraph records, scaled for people by human.c and set in tables by grid.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- output ---- */

/* b's text, in a; b released */
static const char *
keep(struct gp_arena *a, struct gp_buf *b)
{
	const char *s = gp_arena_strdup(a, b->buf);

	gp_buf_release(b);
	return s;
}

const char *
hcount(struct gp_arena *a, double v)
{
	struct gp_buf b = {0};

	gp_human_si(&b, v, 3, " ");
	return keep(a, &b);
}

const char *
hbytes(struct gp_arena *a, double v)
{
	struct gp_buf b = {0};

	gp_human_bytes(&b, v, 3);
	return keep(a, &b);
}

const char *
htime(struct gp_arena *a, double v)
{
	struct gp_buf b = {0};

	gp_human_time(&b, v, 3);
	return keep(a, &b);
}

const char *
hpct(struct gp_arena *a, double v)
{
	struct gp_buf b = {0};

	gp_human_pct(&b, v);
	return keep(a, &b);
}

/* a count and its unit: "7.54 k inferences/s", "65 TOP/s" */
static const char *
hsi(struct gp_arena *a, double v, const char *unit)
{
	return gp_arena_printf(a, "%s%s", hcount(a, v), unit);
}

/* per_run: what the runtime pays once a run (gp-roofline's run_s, copy_s,
 * io_s, shape_s, view_s), in words: "38.6 us of it, onnxruntime-cpu's: its call 13.8 us,
 * 72 shape nodes 21.8 us, 10 views 3.03 us" */
static const char *
per_run(struct gp_arena *a, const struct facts *F)
{
	static const char *const part[][3] = {
		{"run_s", "its call", NULL}, {"copy_s", "copies", NULL}, {"io_s", "more inputs and outputs", NULL},
		{"shape_s", "shape nodes", "shape_nodes"}, {"view_s", "views", "view_nodes"},
	};
	double tot = 0, v;
	const char *s = "";
	size_t i;

	for (i = 0; i < sizeof part / sizeof part[0]; i++)
		if ((v = fact_n(F, part[i][0])) > 0)
			tot += v;
	for (i = 0; i < sizeof part / sizeof part[0]; i++) {
		if (!((v = fact_n(F, part[i][0])) > 0))
			continue;
		s = gp_arena_printf(a, "%s%s%s%s%s %s", s, *s ? ", " : "",
		    part[i][2] && fact(F, part[i][2]) ? fact(F, part[i][2]) : "",
		    part[i][2] && fact(F, part[i][2]) ? " " : "", part[i][1], htime(a, v));
	}
	return gp_arena_printf(a, "%s of it, %s's%s%s", htime(a, tot), fact(F, "runtime"), *s ? ": " : "", s);
}

void
section(struct out *O, const char *title)
{
	if (O->md)
		printf("## %s\n\n", title);
	else if (O->color)
		printf("%s\033[1m%s\033[0m\n", O->nsec ? "\n" : "", title);
	else
		printf("%s%s\n", O->nsec ? "\n" : "", title);
	O->nsec++;
}

void
tprint(struct out *O, struct gp_grid *T)
{
	struct gp_grid_style st = {O->md, O->color, O->width};

	gp_grid_print(T, &st, stdout);
}

/* key-value lines: in text a two-column table without its heading */
void
kv_begin(struct gp_grid *K)
{
	gp_grid_init(K, 2, "ll");
	K->kv = 1;
	gp_grid_row(K, "quantity", "value");
}

void
kv(struct gp_grid *K, const char *k, const char *v)
{
	gp_grid_row(K, k, v);
}

/* ---- the subgraph records ---- */

int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return (x->r > y->r) - (x->r < y->r);
}

const char *
cell(const struct gp_table *t, const char *col, size_t r)
{
	int c = gp_table_col(t, col);

	return c < 0 ? "." : gp_val(t, c, r);
}

const char *
field(struct gp_arena *a, const struct gp_table *t, const char *col, size_t r)
{
	const char *v = cell(t, col, r);
	char *d = gp_unesc(a, v, strlen(v));

	return d ? d : gp_arena_strdup(a, v);
}

double
known(int64_t x)
{
	return x < 0 ? NAN : (double)x;
}

/* The n heaviest subgraphs by flops, bytes or time, as a table; dies for
 * time when gp-roofline has not run. */
void
top(struct out *O, struct rep *R, int n, const char *by)
{
	const struct gp_dag *d = &R->d;
	struct gp_table *t = R->t;
	struct gp_arena *a = &R->s.arena;
	struct row *rows = gp_xcalloc(t->nrow + 1, sizeof *rows);
	/* on a chip, the bytes and intensity at the precision gp-roofline used */
	double *bhw = column(R, "bytes_hw"), tot = 0;
	const char *aicol = bhw ? "ai_hw" : "ai";
	/* on a chip, gp-roofline's bound and what limits each subgraph */
	const char *bcol = gp_table_col(t, "bound_hw") >= 0 ? "bound_hw" : "bound";
	int lim = d->lat && gp_table_col(t, "limit") >= 0;
	struct gp_grid T;
	size_t r;
	int i;

	if (!strcmp(by, "time") && !d->lat)
		gp_die("%s: --by time: the subgraphs have no latency_s (run gp-roofline first)", R->s.src);
	for (r = 0; r < t->nrow; r++) {
		double b = bhw ? bhw[r] : known(d->bytes[r]);

		rows[r].r = r;
		rows[r].key = !strcmp(by, "flops") ? known(d->flops[r]) : !strcmp(by, "bytes") ? b : d->lat[r];
		if (isnan(rows[r].key) || rows[r].key < 0)
			rows[r].key = -1;
		if (d->flops[r] >= 0)
			tot += (double)d->flops[r];
	}
	qsort(rows, t->nrow, sizeof *rows, cmp_row);
	gp_grid_init(&T, d->lat ? 9 + lim : 8, "rllrrrrlrl");
	if (lim)
		gp_grid_row(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound", "latency", "limit");
	else if (d->lat)
		gp_grid_row(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound", "latency");
	else
		gp_grid_row(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound");
	for (i = 0; i < n && (size_t)i < t->nrow; i++) {
		size_t k = rows[i].r;
		const char *share = tot > 0 && d->flops[k] >= 0 ? hpct(a, (double)d->flops[k] / tot) : "?";
		const char *ai = cell(t, aicol, k);

		gp_grid_row(&T, gp_dag_id(d, k), field(a, t, "name", k), field(a, t, "kind", k),
		    hcount(a, known(d->flops[k])), share, hbytes(a, bhw ? bhw[k] : known(d->bytes[k])),
		    strcmp(ai, ".") ? ai : "?", cell(t, bcol, k),
		    d->lat ? htime(a, d->lat[k] < 0 ? NAN : d->lat[k]) : NULL,
		    lim ? field(a, t, "limit", k) : NULL);
	}
	tprint(O, &T);
	free(rows);
	free(bhw);
}

struct count {
	const char *name;
	int n;
	double flops, time;
};

static int
cmp_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	if (x->n != y->n)
		return y->n - x->n;
	return strcmp(x->name, y->name);
}

/* subgraphs per value of a column, with their FLOPs and time, sorted by count */
static int
tally(struct rep *R, const char *col, struct count **out)
{
	const struct gp_dag *d = &R->d;
	struct gp_table *t = R->t;
	struct count *c = gp_xcalloc(t->nrow + 1, sizeof *c);
	int n = 0, i = 0, k = gp_table_col(t, col);
	const char *prev = NULL;
	size_t r;

	for (r = 0; r < t->nrow; r++) {
		const char *raw = k < 0 ? "." : gp_val(t, k, r);

		/* a run of one value (as records mostly come) is decoded and found once */
		if (!prev || strcmp(raw, prev)) {
			const char *v = field(&R->s.arena, t, col, r);

			for (i = 0; i < n && strcmp(c[i].name, v); i++)
				;
			if (i == n)
				c[n++].name = v;
			prev = raw;
		}
		c[i].n++;
		c[i].flops += known(d->flops[r]);
		c[i].time += d->lat && d->lat[r] > 0 ? d->lat[r] : 0;
	}
	qsort(c, (size_t)n, sizeof *c, cmp_count);
	*out = c;
	return n;
}

/* the language-model view of a decoder stream (llm_facts) */
static void
llm_section(struct out *O, struct rep *R)
{
	struct facts *F = &R->F;
	struct gp_arena *a = &R->s.arena;
	int decode = !strcmp(fact(F, "phase"), "decode");
	struct gp_grid K;

	section(O, decode ? gp_arena_printf(a, "Decode: one token at context %s", fact(F, "context")) :
	    gp_arena_printf(a, "Prefill: %s tokens at context %s", fact(F, "tokens"), fact(F, "context")));
	kv_begin(&K);
	if (fact(F, "kv_cache_bytes"))
		kv(&K, "KV cache", gp_arena_printf(a, "%s (%s per token, all layers, keys and values)",
		    hbytes(a, fact_n(F, "kv_cache_bytes")), hbytes(a, fact_n(F, "kv_bytes_per_token"))));
	if (fact(F, "time_per_token_s")) {
		kv(&K, decode ? "time per token" : "time to first token",
		    htime(a, decode ? fact_n(F, "time_per_token_s") : fact_n(F, "latency_s")));
		kv(&K, "tokens per second", gp_arena_printf(a, "%s (batch %s)",
		    hcount(a, fact_n(F, "tokens_per_s")), fact(F, "batch")));
		kv(&K, "time memory-bound", hpct(a, fact_n(F, "memory_bound_share")));
		/* what no cache can serve: the weights and the KV cache, each read
		 * once from the chip's memory (the rest it moves may come from a
		 * cache, so all its bytes over the bandwidth is no floor) */
		if (fact(F, "hw_bytes") && fact(F, "hw_weight_bytes") && fact(F, "bandwidth")) {
			double w = fact_n(F, "hw_weight_bytes"), c = fact(F, "kv_cache_bytes") ? fact_n(F, "kv_cache_bytes") : 0;

			kv(&K, "memory floor", gp_arena_printf(a, "%s: the weights (%s)%s%s, each moved once at %sB/s; the step moves %s in all",
			    htime(a, (w + c) / fact_n(F, "bandwidth")), hbytes(a, w), c > 0 ? " and the KV cache " : "",
			    c > 0 ? gp_arena_printf(a, "(%s)", hbytes(a, c)) : "", hcount(a, fact_n(F, "bandwidth")),
			    hbytes(a, fact_n(F, "hw_bytes"))));
		}
		if (fact(F, "batch_compute_bound"))
			kv(&K, "compute-bound from", strcmp(fact(F, "batch_compute_bound"), "never") ?
			    gp_arena_printf(a, "batch %s (the arithmetic intensity of a step reaches the ridge, %.3g)",
			    fact(F, "batch_compute_bound"), fact_n(F, "ridge_ai")) :
			    "no batch: each sequence's KV cache keeps a step below the ridge");
		if (fact(F, "batch_compute_bound_weights"))
			kv(&K, "", gp_arena_printf(a, "batch %s counting the weights alone (the usual rule of thumb)",
			    fact(F, "batch_compute_bound_weights")));
	}
	tprint(O, &K);
}

/* if_lines: the Ifs gp-partition counted at their larger branch, because
 * their condition's value is not known (its branch records) */
static void
if_lines(struct gp_grid *K, struct rep *R)
{
	struct gp_arena *a = &R->s.arena;
	struct gp_table *t = gp_table_get(&R->s, "branch");
	struct gp_buf b = {0};
	size_t r;
	int n = 0;

	if (!t || gp_table_col(t, "by") < 0)
		return;
	for (r = 0; r < t->nrow; r++) {
		if (strcmp(cell(t, "by", r), "larger"))
			continue;
		if (n++ < 3)
			gp_buf_printf(&b, "%s%s (%s: %s FLOPs, %s %s)", n > 1 ? ", " : "",
			    field(a, t, "node", r), cell(t, "taken", r), cell(t, "flops", r),
			    strcmp(cell(t, "taken", r), "then") ? "then" : "else", cell(t, "other_flops", r));
	}
	if (n > 3)
		gp_buf_printf(&b, " and %d more", n - 3);
	if (n)
		kv(K, "If", gp_arena_printf(a, "%d counted at the larger branch, the condition not being "
		    "known: %s", n, b.buf));
	gp_buf_release(&b);
}

/* The report of one stream: its sections, those whose data the stream holds. */
void
report(struct out *O, struct rep *R)
{
	struct facts *F = &R->F;
	struct gp_arena *a = &R->s.arena;
	struct gp_table *t = R->t;
	struct gp_grid K;
	struct gp_grid T;
	struct count *c;
	double nsg = (double)t->nrow, fl = fact_n(F, "flops"), tot;
	int n, i;
	size_t r;

	O->nsec = 0;
	if (O->md)
		printf("# gp report: %s%s%s%s\n\n", fact(F, "model"), fact(F, "sweep") ? " (" : "",
		    fact(F, "sweep") ? fact(F, "sweep") : "", fact(F, "sweep") ? ")" : "");
	else
		printf("gp report: %s%s%s%s\n\n", fact(F, "model"), fact(F, "sweep") ? " (" : "",
		    fact(F, "sweep") ? fact(F, "sweep") : "", fact(F, "sweep") ? ")" : "");

	section(O, "Model");
	kv_begin(&K);
	kv(&K, "subgraphs", fact(F, "subgraphs_unfused") ?
	    gp_arena_printf(a, "%s (fused from %s)", fact(F, "subgraphs"), fact(F, "subgraphs_unfused")) :
	    gp_arena_printf(a, "%s (%s)", fact(F, "subgraphs"), fact(F, "mode") ? fact(F, "mode") : "?"));
	if (fact(F, "batch"))
		kv(&K, "batch", fact(F, "batch"));
	if (fact(F, "flops")) {
		kv(&K, "FLOPs", hcount(a, fl));
		kv(&K, "MACs", hcount(a, fact_n(F, "macs")));
	} else {
		kv(&K, "FLOPs", gp_arena_printf(a, "unknown: %s subgraphs could not be counted (bind "
		    "symbolic dims with gp-shape -D)", fact(F, "unknown") ? fact(F, "unknown") : "some"));
	}
	if (fact_n(F, "folded_flops") > 0)
		kv(&K, "computed from constants", gp_arena_printf(a, "%s FLOPs, once, before the model runs",
		    hcount(a, fact_n(F, "folded_flops"))));
	if (fact(F, "params"))
		kv(&K, "parameters", fact_n(F, "buffers") > 0 ? gp_arena_printf(a, "%s (and %s buffers)",
		    hcount(a, fact_n(F, "params")), hcount(a, fact_n(F, "buffers"))) :
		    hcount(a, fact_n(F, "params")));
	if (fact(F, "weight_bytes"))
		kv(&K, "weights", hbytes(a, fact_n(F, "weight_bytes")));
	if (fact(F, "bytes"))
		kv(&K, "bytes moved", fact(F, "bytes_saved") ? gp_arena_printf(a, "%s (fusion saves %s of %s)",
		    hbytes(a, fact_n(F, "bytes")), hbytes(a, fact_n(F, "bytes_saved")),
		    hbytes(a, fact_n(F, "bytes_unfused"))) : hbytes(a, fact_n(F, "bytes")));
	if (fact(F, "ai"))
		kv(&K, "arithmetic intensity", gp_arena_printf(a, "%.3g FLOPs/byte (total FLOPs / total bytes)",
		    fact_n(F, "ai")));
	if (fact(F, "ai_mean"))
		kv(&K, fact(F, "ai") ? "" : "arithmetic intensity", gp_arena_printf(a,
		    "%.3g FLOPs/byte (mean of the subgraphs' AI)", fact_n(F, "ai_mean")));
	if (fact(F, "dtype"))
		kv(&K, "bytes counted at", !strcmp(fact(F, "dtype"), "as-is") ? "the model's dtypes" :
		    fact(F, "dtype"));
	if_lines(&K, R);
	tprint(O, &K);

	section(O, "Operation types");
	n = tally(R, "kind", &c);
	gp_grid_init(&T, 5, "lrrrr");
	gp_grid_row(&T, "kind", "subgraphs", "share", "FLOPs", "of FLOPs");
	for (i = 0; i < n; i++)
		gp_grid_row(&T, c[i].name, gp_arena_printf(a, "%d", c[i].n), hpct(a, c[i].n / nsg),
		    hcount(a, c[i].flops), fl > 0 && !isnan(c[i].flops) ? hpct(a, c[i].flops / fl) : "?");
	tprint(O, &T);
	free(c);

	if (fact(F, "compute_bound")) {
		double k3[3] = {fact_n(F, "compute_bound"), fact_n(F, "balanced"), fact_n(F, "memory_bound")};

		section(O, gp_arena_printf(a, "Bottlenecks by arithmetic intensity (compute-bound above %s, "
		    "memory-bound below %s FLOPs/byte)", fact(F, "compute_ai"), fact(F, "memory_ai")));
		gp_grid_init(&T, 3, "lrr");
		gp_grid_row(&T, "bound", "subgraphs", "share");
		gp_grid_row(&T, "compute", fact(F, "compute_bound"), hpct(a, k3[0] / nsg));
		gp_grid_row(&T, "balanced", fact(F, "balanced"), hpct(a, k3[1] / nsg));
		gp_grid_row(&T, "memory", fact(F, "memory_bound"), hpct(a, k3[2] / nsg));
		if (nsg - k3[0] - k3[1] - k3[2] > 0)
			gp_grid_row(&T, "no bytes or unknown", gp_arena_printf(a, "%.0f", nsg - k3[0] - k3[1] - k3[2]),
			    hpct(a, (nsg - k3[0] - k3[1] - k3[2]) / nsg));
		tprint(O, &T);
	}

	if (fact(F, "depthwise")) {
		int c_dw = gp_table_col(t, "depthwise");

		section(O, gp_arena_printf(a, "Depthwise convolutions: %s of %zu subgraphs", fact(F, "depthwise"),
		    t->nrow));
		if (fact_n(F, "depthwise") > 0) {
			gp_grid_init(&T, 5, "rlrrr");
			gp_grid_row(&T, "id", "name", "FLOPs", "AI", "threads");
			for (r = 0; r < t->nrow; r++)
				if (!strcmp(gp_val(t, c_dw, r), "1"))
					gp_grid_row(&T, cell(t, "id", r), field(a, t, "name", r),
					    hcount(a, known(R->d.flops[r])), cell(t, "ai", r),
					    hcount(a, known(R->d.threads[r])));
			tprint(O, &T);
		}
	}

	section(O, "Parallelism");
	kv_begin(&K);
	if (R->has_concur) {
		kv(&K, "stages", fact(F, "stages"));
		kv(&K, "widest stage", gp_arena_printf(a, "%s subgraph%s at once (ASAP)", fact(F, "max_parallel"),
		    fact_n(F, "max_parallel") == 1 ? "" : "s"));
		kv(&K, "largest antichain", gp_arena_printf(a, "%s subgraph%s independent of each other",
		    fact(F, "max_antichain"), fact_n(F, "max_antichain") == 1 ? "" : "s"));
		kv(&K, "critical path", gp_arena_printf(a, "%s subgraphs, %s FLOPs (%s of all)",
		    fact(F, "critical_ops"), hcount(a, fact_n(F, "critical_flops")),
		    hpct(a, fact_n(F, "critical_flops_share"))));
		if (fact(F, "critical_latency_s"))
			kv(&K, "critical path latency", gp_arena_printf(a, "%s (the bound with unlimited units)",
			    htime(a, fact_n(F, "critical_latency_s"))));
	}
	if (fact(F, "threads_avg"))
		kv(&K, "threads per subgraph", gp_arena_printf(a, "%s on average, %s at most",
		    hcount(a, fact_n(F, "threads_avg")), hcount(a, fact_n(F, "threads_max"))));
	if (fact(F, "units") && fact(F, "batch_to_fill_threads"))
		kv(&K, gp_arena_printf(a, "batch to fill %s units", fact(F, "units")), gp_arena_printf(a,
		    "%s (subgraphs with half the FLOPs reach %s x %s threads)", fact(F, "batch_to_fill_threads"),
		    fact(F, "units"), fact(F, "threads_per_unit")));
	if (fact(F, "units") && (fact(F, "batch_to_fill_graph") || fact(F, "max_parallel")))
		kv(&K, fact(F, "batch_to_fill_threads") ? "" : gp_arena_printf(a, "batch to fill %s units",
		    fact(F, "units")), gp_arena_printf(a, "%s (the user guide's measure: widest stage x batch "
		    ">= units)", fact(F, "batch_to_fill_graph") ? fact(F, "batch_to_fill_graph") : "?"));
	tprint(O, &K);

	if (R->has_concur && fact(F, "peak_activation_bytes")) {
		const char *at = fact(F, "peak_at");
		const char *atname = "?";

		for (r = 0; at && r < t->nrow; r++)
			if (!strcmp(cell(t, "id", r), at))
				atname = field(a, t, "name", r);
		section(O, gp_arena_printf(a, "Memory (subgraphs run one at a time, %s order)",
		    !strcmp(fact(F, "order") ? fact(F, "order") : "topo", "best") ? "lowest-peak" : "record"));
		kv_begin(&K);
		kv(&K, "peak activations", gp_arena_printf(a, "%s, while subgraph %s (%s) runs",
		    hbytes(a, fact_n(F, "peak_activation_bytes")), at ? at : "?", atname));
		if (fact(F, "weight_bytes"))
			kv(&K, "weights", hbytes(a, fact_n(F, "weight_bytes")));
		if (fact(F, "peak_bytes"))
			kv(&K, "peak memory", gp_arena_printf(a, "%s (weights + peak activations)",
			    hbytes(a, fact_n(F, "peak_bytes"))));
		if (fact(F, "naive_peak_bytes"))
			kv(&K, "naive estimate", gp_arena_printf(a, "%s (weights + the largest subgraph's inputs "
			    "and outputs)", hbytes(a, fact_n(F, "naive_peak_bytes"))));
		if (fact(F, "fits"))
			kv(&K, "budget", gp_arena_printf(a, "%s: %s", hbytes(a, fact_n(F, "budget_bytes")),
			    !strcmp(fact(F, "fits"), "yes") ? "fits" : "does not fit"));
		tprint(O, &K);
	}

	if (R->has_roof) {
		section(O, gp_arena_printf(a, "On %s (%s)", fact(F, "hw"), fact(F, "precision")));
		kv_begin(&K);
		if (fact(F, "latency_s")) {
			kv(&K, "latency", gp_arena_printf(a, "%s per batch of %s, one subgraph at a time",
			    htime(a, fact_n(F, "latency_s")), fact(F, "batch") ? fact(F, "batch") : "?"));
			if (fact(F, "latency_concurrent_s"))
				kv(&K, "", gp_arena_printf(a, "%s running independent subgraphs at once",
				    htime(a, fact_n(F, "latency_concurrent_s"))));
			if (fact(F, "runtime") && fact(F, "run_s"))
				kv(&K, "per run", per_run(a, F));
			kv(&K, "throughput", hsi(a, fact_n(F, "throughput_per_s"), " inferences/s"));
			if (fact(F, "energy_j")) {
				kv(&K, "energy", gp_arena_printf(a, "%s J per inference (%s model)",
				    hcount(a, fact_n(F, "energy_per_inference_j")), fact(F, "energy_model")));
				kv(&K, "average power", fact(F, "power_w") ?
				    gp_arena_printf(a, "%.3g W", fact_n(F, "power_w")) : "? W");
			}
			kv(&K, "utilization", gp_arena_printf(a, "%s of the %s peak", hpct(a, fact_n(F, "util")),
			    hsi(a, fact_n(F, "peak_ops"), "OP/s")));
			kv(&K, "time compute-bound", hpct(a, fact_n(F, "compute_bound_share")));
			kv(&K, "time memory-bound", hpct(a, fact_n(F, "memory_bound_share")));
			kv(&K, "time launch-bound", hpct(a, fact_n(F, "launch_bound_share")));
		} else {
			kv(&K, "latency", "unknown: some subgraphs' costs are not known");
		}
		kv(&K, "ridge point", gp_arena_printf(a, "%.3g FLOPs/byte", fact_n(F, "ridge_ai")));
		tprint(O, &K);
		n = tally(R, gp_table_col(R->t, "bound_hw") >= 0 ? "bound_hw" : "bound", &c);
		tot = fact_n(F, "latency_s");
		gp_grid_init(&T, 5, "lrrrr");
		gp_grid_row(&T, "bound", "subgraphs", "share", "time", "of time");
		for (i = 0; i < n; i++)
			gp_grid_row(&T, c[i].name, gp_arena_printf(a, "%d", c[i].n), hpct(a, c[i].n / nsg),
			    htime(a, c[i].time), tot > 0 ? hpct(a, c[i].time / tot) : "?");
		if (!O->md)
			printf("\n");
		tprint(O, &T);
		free(c);
	}

	if (fact(F, "phase"))
		llm_section(O, R);

	section(O, gp_arena_printf(a, "Heaviest subgraphs by %s", R->has_roof && fact(F, "latency_s") ?
	    "time" : "FLOPs"));
	top(O, R, 5, R->has_roof && fact(F, "latency_s") ? "time" : "flops");
}
