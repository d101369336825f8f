/* gp-report - the report people read: text, Markdown, a summary for scripts,
 * the heaviest subgraphs, model comparisons, a roofline chart, a graph drawing
 *
 * Reads the gp stream at the end of a pipeline and says what the filters
 * before it found, in sections; a section whose data is not in the stream
 * (no gp-concur, no gp-roofline) is left out, never printed as zeros. The
 * --summary keys and the sections are documented in docs/report.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gp.h"

static const char usage[] =
    "[--summary | --top N [--by flops|bytes|time]] [--format text|md]\n"
    "       [--roofline FILE] [--dot FILE [--dot-limit N]] < STREAM\n"
    "       gp-report --compare [--format text|md] FILE...";

static void
help(void)
{
	printf("usage: %s %s\n\n"
	    "Read a gp stream (after gp-partition, and gp-concur and gp-roofline if they\n"
	    "ran) and write a report: the model's FLOPs, MACs, parameters and bytes, its\n"
	    "op types and bottlenecks, depthwise convolutions, parallelism, critical path,\n"
	    "peak memory and, on a chip, latency, throughput and energy.\n\n"
	    "  --summary           key<TAB>value lines with exact numbers, for scripts\n"
	    "  --top N             only the N heaviest subgraphs\n"
	    "  --by WHAT           what --top ranks by: flops (default), bytes or time\n"
	    "  --format F          text (default) or md (Markdown)\n"
	    "  --roofline FILE     also draw the roofline chart (gnuplot) into FILE: .svg,\n"
	    "                      .png or .pdf; needs gp-roofline's data\n"
	    "  --dot FILE          also write the subgraph DAG for Graphviz, the critical\n"
	    "                      path in red; .dot, or .svg/.png/.pdf drawn with dot\n"
	    "  --dot-limit N       --dot shows at most the N heaviest subgraphs (default\n"
	    "                      2000; 0: all of them)\n"
	    "  --compare           a side-by-side table of the analysed streams in FILEs\n"
	    "  -h, --help          show this help\n"
	    "  -V, --version       show the version\n\n"
	    "Colour only on a terminal, and never with NO_COLOR set. Keys and sections:\n"
	    "docs/report.md.\n",
	    gp_prog, usage);
}

/* ---- facts: what the stream says, as exact text by key, in order ---- */

struct fact {
	const char *k, *v;
};
struct facts {
	struct gp_arena *a;
	struct fact *f;
	int n, cap;
};

static void
put(struct facts *F, const char *k, const char *v)
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

static void
putf(struct facts *F, const char *k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
putf(struct facts *F, const char *k, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	put(F, k, buf);
}

static const char *
get(const struct facts *F, const char *k)
{
	int i;

	for (i = 0; i < F->n; i++)
		if (!strcmp(F->f[i].k, k))
			return !strcmp(F->f[i].v, ".") ? NULL : F->f[i].v;
	return NULL;
}

/* a fact as a number; NAN if absent or unknown */
static double
num(const struct facts *F, const char *k)
{
	const char *v = get(F, k);
	char *e;
	double d;

	if (!v)
		return NAN;
	d = strtod(v, &e);
	return e == v || *e ? NAN : d;
}

/* copy the keys of a "##KEY k=v k=v" header, those named, or all */
static void
from_header(struct facts *F, struct gp_stream *s, const char *hdr, const char *const *keys)
{
	int i;

	for (i = 0; keys[i]; i++)
		put(F, keys[i], gp_hdr_field(s, hdr, keys[i]));
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
			put(F, key, ".");
			return;
		}
		if (__builtin_add_overflow(sum, x[v], &sum))
			gp_die("%s: the sum of the %s column overflows 64 bits", src, key);
	}
	putf(F, key, "%" PRId64, sum);
}

static const char *const partition_keys[] = {
	"mode", "subgraphs_unfused", "unknown", "folded_flops", "folded_macs", "params", "buffers",
	"weight_bytes", "bytes_unfused", "bytes_saved", "dtype", "compute_ai", "memory_ai", NULL,
};
static const char *const concur_keys[] = {
	"stages", "max_parallel", "max_antichain", "critical_weight", "critical_ops", "critical_flops",
	"critical_flops_share", "critical_latency_s", "threads_avg", "threads_max", "units",
	"threads_per_unit", "batch_to_fill_graph", "batch_to_fill_threads", "order",
	"peak_activation_bytes", "peak_at", "peak_bytes", "naive_peak_bytes", "budget_bytes",
	"fits", NULL,
};
static const char *const roofline_keys[] = {
	"hw", "precision", "latency_s", "latency_concurrent_s", "throughput_per_s", "energy_j",
	"energy_per_inference_j", "power_w", "util", "compute_bound_share", "memory_bound_share",
	"launch_bound_share", "peak_ops", "bandwidth", "ridge_ai", "energy_model", NULL,
};

struct rep {
	struct gp_stream s;
	const char *sweep;              /* its ##sweep header (gp-shape --sweep), or NULL */
	char **swname;                  /* its swept dims */
	int64_t *swval;                 /* and their values */
	int nsw;
	struct gp_graph g;
	struct gp_dag d;
	struct gp_table *t;             /* the subgraph records */
	struct facts F;
	int has_concur, has_roof;
	double hw_units;                /* gp-roofline's units, to fill */
	double hw_tpu;
};

/* one subgraph column as numbers, NAN where '.'; NULL if there is no such column */
static double *
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

/* A decoder with a KV cache: its main graph reads past keys and values
 * (inputs named past...) and writes them back (outputs named present...).
 * Adds the phase (prefill, or decode of one token), the tokens it processes,
 * the KV cache's bytes, and with gp-roofline's data time per token, tokens
 * per second and the batch at which a decode step turns compute-bound. */
static void
llm_facts(struct rep *R)
{
	struct gp_graph *g = &R->g;
	struct facts *F = &R->F;
	const char *prec = gp_hdr_field(&R->s, "roofline", "precision");
	int dt = prec ? gp_prec_dtype(gp_prec_from_name(prec)) : 0;
	double kv = 0, past = -1, seq = -1, batch = (double)gp_graph_batch(g);
	int npast = 0, npresent = 0, known = 1;
	size_t i;

	for (i = 0; i < g->ntensor; i++) {
		const struct gp_tensor *t = &g->t[i];
		int64_t e;

		if (t->graph != 0)
			continue;
		if (t->kind == GP_K_INPUT && strstr(t->name, "past")) {
			npast++;
			if (t->shape.rank >= 3 && t->shape.d[t->shape.rank - 2].v >= 0)
				past = (double)t->shape.d[t->shape.rank - 2].v;
		} else if (t->kind == GP_K_INPUT && seq < 0 && t->shape.rank >= 2 && t->shape.d[1].v >= 0) {
			seq = (double)t->shape.d[1].v;  /* input_ids [batch, seq] */
		} else if (t->kind == GP_K_OUTPUT && strstr(t->name, "present")) {
			npresent++;
			e = gp_shape_numel(&t->shape);
			if (e < 0 || t->dtype <= 0)
				known = 0;
			else
				kv += (double)gp_tensor_bytes(gp_dtype_as(t->dtype, dt), e);
		}
	}
	if (!npast || !npresent || seq < 0 || past < 0 || batch < 1)
		return;
	put(F, "phase", seq == 1 ? "decode" : "prefill");
	putf(F, "tokens", "%.0f", seq);
	putf(F, "context", "%.0f", past + seq);
	if (known) {
		putf(F, "kv_cache_bytes", "%.0f", kv);
		putf(F, "kv_bytes_per_token", "%.0f", kv / (batch * (past + seq)));
	}
	if (get(F, "latency_s")) {
		double lat = num(F, "latency_s"), fl = num(F, "flops"), by = num(F, "hw_bytes");
		double w = num(F, "hw_weight_bytes"), ridge = num(F, "ridge_ai");

		putf(F, "time_per_token_s", "%.6g", seq == 1 ? lat : lat / seq);
		putf(F, "tokens_per_s", "%.6g", batch * seq / lat);
		/* a decode step at batch b: b F1 FLOPs over W + b A1 bytes, against the ridge */
		if (seq == 1 && !isnan(fl) && !isnan(by) && !isnan(w) && !isnan(ridge)) {
			double f1 = fl / batch, a1 = (by - w) / batch;

			if (f1 > ridge * a1)
				putf(F, "batch_compute_bound", "%.0f", ceil(ridge * w / (f1 - ridge * a1)));
			else
				put(F, "batch_compute_bound", "never");
			/* the textbook figure: the weights alone against the ridge */
			if (f1 > 0)
				putf(F, "batch_compute_bound_weights", "%.0f", ceil(ridge * w / f1));
		}
	}
}

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
	R->t = gp_table_get(s, "subgraph");
	if (!R->t || !gp_hdr_get(s, "partition"))
		gp_die("%s: no subgraph records or ##partition header: run gp-partition first", s->src);
	/* the whole stream is checked as every filter checks it: the graph and the DAG */
	gp_graph_build(&R->g, s);
	gp_dag_build(&R->d, &R->g);
	put(F, "model", src ? basename_of(&s->arena, src) : "stdin");
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
		put(F, "sweep", b.buf);
		gp_buf_release(&b);
	}
	putf(F, "subgraphs", "%zu", R->t->nrow);
	from_header(F, s, "partition", partition_keys);
	sum_counts(F, &R->d, s->src, R->d.flops, "flops");
	macs = gp_dag_counts(&R->d, "macs");
	sum_counts(F, &R->d, s->src, macs, "macs");
	free(macs);
	/* bytes moved: every subgraph's in + out + weights */
	sum_counts(F, &R->d, s->src, R->d.bytes, "bytes");
	put(F, "ai", gp_hdr_field(s, "partition", "ai"));
	/* the mean of the subgraphs' AI, and the bottlenecks by AI */
	hi = num(F, "compute_ai");
	lo = num(F, "memory_ai");
	if ((ai = column(R, "ai"))) {
		for (r = 0; r < R->t->nrow; r++) {
			if (isnan(ai[r]))
				continue;
			sum += ai[r];
			nai++;
			c_bound[ai[r] > hi ? 0 : ai[r] < lo ? 2 : 1]++;
		}
		if (nai)
			putf(F, "ai_mean", "%.4g", sum / nai);
		if (!isnan(hi) && !isnan(lo)) {
			putf(F, "compute_bound", "%d", c_bound[0]);
			putf(F, "balanced", "%d", c_bound[1]);
			putf(F, "memory_bound", "%d", c_bound[2]);
		}
		free(ai);
	}
	if ((c = gp_table_col(R->t, "depthwise")) >= 0) {
		for (r = 0; r < R->t->nrow; r++)
			dw += !strcmp(R->t->val[c][r], "1");
		putf(F, "depthwise", "%d", dw);
	}
	gp_dag_threads(&R->d, &tavg, &tmax);
	if (tmax >= 0) {
		putf(F, "threads_avg", "%" PRId64, tavg);
		putf(F, "threads_max", "%" PRId64, tmax);
	}
	if (gp_hdr_get(s, "concur")) {
		R->has_concur = 1;
		from_header(F, s, "concur", concur_keys);
		put(F, "batch", gp_hdr_field(s, "concur", "batch"));
	}
	if (gp_hdr_get(s, "roofline")) {
		const char *u = gp_hdr_field(s, "roofline", "units"), *t = gp_hdr_field(s, "roofline", "threads_per_unit");

		R->has_roof = 1;
		from_header(F, s, "roofline", roofline_keys);
		/* bytes at the precision gp-roofline used, apart from gp-partition's */
		put(F, "hw_bytes", gp_hdr_field(s, "roofline", "bytes"));
		put(F, "hw_weight_bytes", gp_hdr_field(s, "roofline", "weight_bytes"));
		put(F, "hw_units", u);
		put(F, "hw_threads_per_unit", t);
		put(F, "batch", gp_hdr_field(s, "roofline", "batch"));
		if (u && t) {
			R->hw_units = num(F, "hw_units");
			R->hw_tpu = num(F, "hw_threads_per_unit");
		}
	}
	/* the batch that fills the chip gp-roofline ran for, when gp-concur was not told */
	if (R->has_roof && R->hw_units > 0 && !get(F, "batch_to_fill_threads")) {
		int64_t batch = gp_graph_batch(&R->g);
		double fill = batch > 0 ? gp_dag_batch_to_fill(&R->d, R->hw_units * R->hw_tpu, batch) : -1;

		put(F, "units", get(F, "hw_units"));
		put(F, "threads_per_unit", get(F, "hw_threads_per_unit"));
		if (get(F, "max_parallel")) {
			int64_t b = gp_batch_to_fill_graph(R->hw_units, (int)num(F, "max_parallel"));

			if (b < 0)
				put(F, "batch_to_fill_graph", ".");     /* no subgraphs: unknown */
			else
				putf(F, "batch_to_fill_graph", "%" PRId64, b);
		}
		if (fill > 0)
			putf(F, "batch_to_fill_threads", "%.0f", fill);
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
	"batch_compute_bound", "batch_compute_bound_weights", NULL,
};

static void
summary(const struct facts *F)
{
	int i, k;

	for (i = 0; summary_keys[i]; i++)
		for (k = 0; k < F->n; k++)
			if (!strcmp(F->f[k].k, summary_keys[i]))
				printf("%s\t%s\n", F->f[k].k, F->f[k].v);
}

/* ---- human numbers ---- */

static char *
hcount(struct gp_arena *a, double v)
{
	static const char *const suf[] = {"", " k", " M", " G", " T", " P", " E"};
	int i = 0;

	if (isnan(v))
		return gp_arena_strdup(a, "?");
	if (fabs(v) < 1000 && v == floor(v))
		return gp_arena_printf(a, "%.0f", v);
	while (fabs(v) >= 999.5 && i < 6) {
		v /= 1000;
		i++;
	}
	return gp_arena_printf(a, "%.3g%s", v, suf[i]);
}

static char *
hbytes(struct gp_arena *a, double v)
{
	static const char *const suf[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int i = 0;

	if (isnan(v))
		return gp_arena_strdup(a, "?");
	if (v < 1024)
		return gp_arena_printf(a, "%.0f B", v);
	while (v >= 1023.95 && i < 5) {
		v /= 1024;
		i++;
	}
	return gp_arena_printf(a, "%.3g %s", v, suf[i]);
}

static char *
htime(struct gp_arena *a, double v)
{
	if (isnan(v))
		return gp_arena_strdup(a, "?");
	if (v >= 1)
		return gp_arena_printf(a, "%.3g s", v);
	if (v >= 1e-3)
		return gp_arena_printf(a, "%.3g ms", v * 1e3);
	if (v >= 1e-6)
		return gp_arena_printf(a, "%.3g us", v * 1e6);
	return gp_arena_printf(a, "%.3g ns", v * 1e9);
}

static char *
hpct(struct gp_arena *a, double v)
{
	return isnan(v) ? gp_arena_strdup(a, "?") : gp_arena_printf(a, "%.1f%%", 100 * v);
}

static char *
hsi(struct gp_arena *a, double v, const char *unit)
{
	return gp_arena_printf(a, "%s%s", hcount(a, v), unit);
}

/* ---- output: sections of key-value lines and tables, as text or Markdown ---- */

struct out {
	int md, color, width;
	struct gp_arena *a;
	int nsec;
};

struct table {
	int ncol, nrow, cap;
	const char **cell;              /* row-major, row 0 the header */
	const char *align;              /* 'l' or 'r' per column */
};

static void
trow(struct table *T, ...)
{
	va_list ap;
	int c;

	if (T->nrow + 1 > T->cap) {
		T->cap = T->cap ? 2 * T->cap : 16;
		T->cell = gp_xreallocarray(T->cell, (size_t)T->cap * (size_t)T->ncol, sizeof *T->cell);
	}
	va_start(ap, T);
	for (c = 0; c < T->ncol; c++)
		T->cell[T->nrow * T->ncol + c] = va_arg(ap, const char *);
	va_end(ap);
	T->nrow++;
}

/* display width of UTF-8 text: code points */
static int
dwidth(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* the first w code points of s, "..." in place of the rest if it is longer */
static const char *
clip(struct gp_arena *a, const char *s, int w)
{
	const char *p = s;
	int n = 0;

	if (dwidth(s) <= w || w < 4)
		return s;
	while (*p && n < w - 3) {
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		n++;
	}
	return gp_arena_printf(a, "%.*s...", (int)(p - s), s);
}

static void
tprint(struct out *O, struct table *T)
{
	int *w, c, r, total = 0, wide = -1;

	if (O->md) {
		for (r = 0; r < T->nrow; r++) {
			for (c = 0; c < T->ncol; c++) {
				const char *p;

				printf("| ");
				for (p = T->cell[r * T->ncol + c]; *p; p++)
					printf(*p == '|' ? "\\|" : "%c", *p);
				printf(" ");
			}
			printf("|\n");
			if (r == 0) {
				for (c = 0; c < T->ncol; c++)
					printf("|%s", T->align[c] == 'r' ? "---:" : "---");
				printf("|\n");
			}
		}
		printf("\n");
		free(T->cell);
		return;
	}
	w = gp_xcalloc((size_t)T->ncol + 1, sizeof *w);
	for (c = 0; c < T->ncol; c++) {
		w[c] = 0;
		for (r = 0; r < T->nrow; r++)
			if (dwidth(T->cell[r * T->ncol + c]) > w[c])
				w[c] = dwidth(T->cell[r * T->ncol + c]);
		total += w[c] + 2;
		if (T->align[c] == 'l' && (wide < 0 || w[c] > w[wide]))
			wide = c;
	}
	/* on a terminal, clip the widest text column to fit */
	if (O->width > 0 && total > O->width && wide >= 0) {
		int nw = w[wide] - (total - O->width);

		w[wide] = nw < 8 ? 8 : nw;
		for (r = 1; r < T->nrow; r++)
			T->cell[r * T->ncol + wide] = clip(O->a, T->cell[r * T->ncol + wide], w[wide]);
	}
	for (r = 0; r < T->nrow; r++) {
		for (c = 0; c < T->ncol; c++) {
			const char *s = T->cell[r * T->ncol + c];
			int pad = w[c] - dwidth(s), last = c == T->ncol - 1;

			if (r == 0 && O->color)
				printf("\033[1m");
			if (T->align[c] == 'r')
				printf("  %*s%s", pad, "", s);
			else
				printf("  %s%*s", s, last ? 0 : pad, "");
			if (r == 0 && O->color)
				printf("\033[0m");
		}
		printf("\n");
	}
	free(w);
	free(T->cell);
}

static void
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

/* key-value lines: a two-column table without a header in text */
struct kv {
	struct table T;
};

static void
kv_begin(struct kv *K)
{
	memset(K, 0, sizeof *K);
	K->T.ncol = 2;
	K->T.align = "ll";
	trow(&K->T, "quantity", "value");
}

static void
kv(struct kv *K, const char *k, const char *v)
{
	trow(&K->T, k, v);
}

static void
kv_end(struct out *O, struct kv *K)
{
	int r, w = 0;

	if (O->md) {
		tprint(O, &K->T);
		return;
	}
	for (r = 1; r < K->T.nrow; r++)
		if (dwidth(K->T.cell[r * 2]) > w)
			w = dwidth(K->T.cell[r * 2]);
	for (r = 1; r < K->T.nrow; r++)
		printf("  %s%*s  %s\n", K->T.cell[r * 2], w - dwidth(K->T.cell[r * 2]), "",
		    K->T.cell[r * 2 + 1]);
	free(K->T.cell);
}

/* ---- the report ---- */

struct row {
	size_t r;
	double key;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return (x->r > y->r) - (x->r < y->r);
}

static const char *
cell(const struct gp_table *t, const char *col, size_t r)
{
	int c = gp_table_col(t, col);

	return c < 0 ? "." : t->val[c][r];
}

static char *
field(struct gp_arena *a, const struct gp_table *t, const char *col, size_t r)
{
	const char *v = cell(t, col, r);
	char *d = gp_unesc(a, v, strlen(v));

	return d ? d : gp_arena_strdup(a, v);
}

/* a count as a number, NAN when it is unknown */
static double
known(int64_t x)
{
	return x < 0 ? NAN : (double)x;
}

/* the n heaviest subgraphs by flops, bytes or time */
static void
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
	int lim = gp_table_col(t, "limit") >= 0;
	struct table T = {0};
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
	T.ncol = d->lat ? 9 + lim : 8;
	T.align = "rllrrrrlrl";
	if (d->lat && lim)
		trow(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound", "latency", "limit");
	else if (d->lat)
		trow(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound", "latency");
	else
		trow(&T, "id", "name", "kind", "FLOPs", "share", "bytes", "AI", "bound");
	for (i = 0; i < n && (size_t)i < t->nrow; i++) {
		size_t k = rows[i].r;
		const char *share = tot > 0 && d->flops[k] >= 0 ? hpct(a, (double)d->flops[k] / tot) : "?";
		const char *ai = cell(t, aicol, k);

		trow(&T, d->id[k], field(a, t, "name", k), field(a, t, "kind", k),
		    hcount(a, known(d->flops[k])), share, hbytes(a, bhw ? bhw[k] : known(d->bytes[k])),
		    strcmp(ai, ".") ? ai : "?", cell(t, bcol, k),
		    d->lat ? htime(a, d->lat[k] < 0 ? NAN : d->lat[k]) : NULL,
		    d->lat && lim ? field(a, t, "limit", k) : NULL);
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
	int n = 0, i;
	size_t r;

	for (r = 0; r < t->nrow; r++) {
		const char *v = field(&R->s.arena, t, col, r);

		for (i = 0; i < n && strcmp(c[i].name, v); i++)
			;
		if (i == n)
			c[n++].name = v;
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
	int decode = !strcmp(get(F, "phase"), "decode");
	struct kv K;

	section(O, decode ? gp_arena_printf(a, "Decode: one token at context %s", get(F, "context")) :
	    gp_arena_printf(a, "Prefill: %s tokens at context %s", get(F, "tokens"), get(F, "context")));
	kv_begin(&K);
	if (get(F, "kv_cache_bytes"))
		kv(&K, "KV cache", gp_arena_printf(a, "%s (%s per token, all layers, keys and values)",
		    hbytes(a, num(F, "kv_cache_bytes")), hbytes(a, num(F, "kv_bytes_per_token"))));
	if (get(F, "time_per_token_s")) {
		kv(&K, decode ? "time per token" : "time to first token",
		    htime(a, decode ? num(F, "time_per_token_s") : num(F, "latency_s")));
		kv(&K, "tokens per second", gp_arena_printf(a, "%s (batch %s)", hcount(a, num(F, "tokens_per_s")),
		    get(F, "batch")));
		kv(&K, "time memory-bound", hpct(a, num(F, "memory_bound_share")));
		if (get(F, "hw_bytes") && get(F, "bandwidth"))
			kv(&K, "memory floor", gp_arena_printf(a, "%s: %s moved (weights %s) over %sB/s",
			    htime(a, num(F, "hw_bytes") / num(F, "bandwidth")), hbytes(a, num(F, "hw_bytes")),
			    hbytes(a, num(F, "hw_weight_bytes")), hcount(a, num(F, "bandwidth"))));
		if (get(F, "batch_compute_bound"))
			kv(&K, "compute-bound from", strcmp(get(F, "batch_compute_bound"), "never") ?
			    gp_arena_printf(a, "batch %s (the arithmetic intensity of a step reaches the ridge, %.3g)",
			    get(F, "batch_compute_bound"), num(F, "ridge_ai")) :
			    "no batch: each sequence's KV cache keeps a step below the ridge");
		if (get(F, "batch_compute_bound_weights"))
			kv(&K, "", gp_arena_printf(a, "batch %s counting the weights alone (the usual rule of thumb)",
			    get(F, "batch_compute_bound_weights")));
	}
	kv_end(O, &K);
}

static void
report(struct out *O, struct rep *R)
{
	struct facts *F = &R->F;
	struct gp_arena *a = &R->s.arena;
	struct gp_table *t = R->t;
	struct kv K;
	struct table T;
	struct count *c;
	double nsg = (double)t->nrow, fl = num(F, "flops"), tot;
	int n, i;
	size_t r;

	O->nsec = 0;
	if (O->md)
		printf("# gp report: %s%s%s%s\n\n", get(F, "model"), get(F, "sweep") ? " (" : "",
		    get(F, "sweep") ? get(F, "sweep") : "", get(F, "sweep") ? ")" : "");
	else
		printf("gp report: %s%s%s%s\n\n", get(F, "model"), get(F, "sweep") ? " (" : "",
		    get(F, "sweep") ? get(F, "sweep") : "", get(F, "sweep") ? ")" : "");

	section(O, "Model");
	kv_begin(&K);
	kv(&K, "subgraphs", get(F, "subgraphs_unfused") ?
	    gp_arena_printf(a, "%s (fused from %s)", get(F, "subgraphs"), get(F, "subgraphs_unfused")) :
	    gp_arena_printf(a, "%s (%s)", get(F, "subgraphs"), get(F, "mode") ? get(F, "mode") : "?"));
	if (get(F, "batch"))
		kv(&K, "batch", get(F, "batch"));
	if (get(F, "flops")) {
		kv(&K, "FLOPs", hcount(a, fl));
		kv(&K, "MACs", hcount(a, num(F, "macs")));
	} else {
		kv(&K, "FLOPs", gp_arena_printf(a, "unknown: %s subgraphs could not be counted (bind "
		    "symbolic dims with gp-shape -D)", get(F, "unknown") ? get(F, "unknown") : "some"));
	}
	if (num(F, "folded_flops") > 0)
		kv(&K, "computed from constants", gp_arena_printf(a, "%s FLOPs, once, before the model runs",
		    hcount(a, num(F, "folded_flops"))));
	if (get(F, "params"))
		kv(&K, "parameters", num(F, "buffers") > 0 ? gp_arena_printf(a, "%s (and %s buffers)",
		    hcount(a, num(F, "params")), hcount(a, num(F, "buffers"))) : hcount(a, num(F, "params")));
	if (get(F, "weight_bytes"))
		kv(&K, "weights", hbytes(a, num(F, "weight_bytes")));
	if (get(F, "bytes"))
		kv(&K, "bytes moved", get(F, "bytes_saved") ? gp_arena_printf(a, "%s (fusion saves %s of %s)",
		    hbytes(a, num(F, "bytes")), hbytes(a, num(F, "bytes_saved")),
		    hbytes(a, num(F, "bytes_unfused"))) : hbytes(a, num(F, "bytes")));
	if (get(F, "ai"))
		kv(&K, "arithmetic intensity", gp_arena_printf(a, "%.3g FLOPs/byte (total FLOPs / total bytes)",
		    num(F, "ai")));
	if (get(F, "ai_mean"))
		kv(&K, get(F, "ai") ? "" : "arithmetic intensity", gp_arena_printf(a,
		    "%.3g FLOPs/byte (mean of the subgraphs' AI)", num(F, "ai_mean")));
	if (get(F, "dtype"))
		kv(&K, "bytes counted at", !strcmp(get(F, "dtype"), "as-is") ? "the model's dtypes" : get(F, "dtype"));
	kv_end(O, &K);

	section(O, "Operation types");
	n = tally(R, "kind", &c);
	memset(&T, 0, sizeof T);
	T.ncol = 5;
	T.align = "lrrrr";
	trow(&T, "kind", "subgraphs", "share", "FLOPs", "of FLOPs");
	for (i = 0; i < n; i++)
		trow(&T, c[i].name, gp_arena_printf(a, "%d", c[i].n), hpct(a, c[i].n / nsg),
		    hcount(a, c[i].flops), fl > 0 && !isnan(c[i].flops) ? hpct(a, c[i].flops / fl) : "?");
	tprint(O, &T);
	free(c);

	if (get(F, "compute_bound")) {
		double k3[3] = {num(F, "compute_bound"), num(F, "balanced"), num(F, "memory_bound")};

		section(O, gp_arena_printf(a, "Bottlenecks by arithmetic intensity (compute-bound above %s, "
		    "memory-bound below %s FLOPs/byte)", get(F, "compute_ai"), get(F, "memory_ai")));
		memset(&T, 0, sizeof T);
		T.ncol = 3;
		T.align = "lrr";
		trow(&T, "bound", "subgraphs", "share");
		trow(&T, "compute", get(F, "compute_bound"), hpct(a, k3[0] / nsg));
		trow(&T, "balanced", get(F, "balanced"), hpct(a, k3[1] / nsg));
		trow(&T, "memory", get(F, "memory_bound"), hpct(a, k3[2] / nsg));
		if (nsg - k3[0] - k3[1] - k3[2] > 0)
			trow(&T, "no bytes or unknown", gp_arena_printf(a, "%.0f", nsg - k3[0] - k3[1] - k3[2]),
			    hpct(a, (nsg - k3[0] - k3[1] - k3[2]) / nsg));
		tprint(O, &T);
	}

	if (get(F, "depthwise")) {
		int c_dw = gp_table_col(t, "depthwise");

		section(O, gp_arena_printf(a, "Depthwise convolutions: %s of %zu subgraphs", get(F, "depthwise"),
		    t->nrow));
		if (num(F, "depthwise") > 0) {
			memset(&T, 0, sizeof T);
			T.ncol = 5;
			T.align = "rlrrr";
			trow(&T, "id", "name", "FLOPs", "AI", "threads");
			for (r = 0; r < t->nrow; r++)
				if (!strcmp(t->val[c_dw][r], "1"))
					trow(&T, cell(t, "id", r), field(a, t, "name", r),
					    hcount(a, known(R->d.flops[r])), cell(t, "ai", r),
					    hcount(a, known(R->d.threads[r])));
			tprint(O, &T);
		}
	}

	section(O, "Parallelism");
	kv_begin(&K);
	if (R->has_concur) {
		kv(&K, "stages", get(F, "stages"));
		kv(&K, "widest stage", gp_arena_printf(a, "%s subgraph%s at once (ASAP)", get(F, "max_parallel"),
		    num(F, "max_parallel") == 1 ? "" : "s"));
		kv(&K, "largest antichain", gp_arena_printf(a, "%s subgraph%s independent of each other",
		    get(F, "max_antichain"), num(F, "max_antichain") == 1 ? "" : "s"));
		kv(&K, "critical path", gp_arena_printf(a, "%s subgraphs, %s FLOPs (%s of all)",
		    get(F, "critical_ops"), hcount(a, num(F, "critical_flops")),
		    hpct(a, num(F, "critical_flops_share"))));
		if (get(F, "critical_latency_s"))
			kv(&K, "critical path latency", gp_arena_printf(a, "%s (the bound with unlimited units)",
			    htime(a, num(F, "critical_latency_s"))));
	}
	if (get(F, "threads_avg"))
		kv(&K, "threads per subgraph", gp_arena_printf(a, "%s on average, %s at most",
		    hcount(a, num(F, "threads_avg")), hcount(a, num(F, "threads_max"))));
	if (get(F, "units") && get(F, "batch_to_fill_threads"))
		kv(&K, gp_arena_printf(a, "batch to fill %s units", get(F, "units")), gp_arena_printf(a,
		    "%s (subgraphs with half the FLOPs reach %s x %s threads)", get(F, "batch_to_fill_threads"),
		    get(F, "units"), get(F, "threads_per_unit")));
	if (get(F, "units") && (get(F, "batch_to_fill_graph") || get(F, "max_parallel")))
		kv(&K, get(F, "batch_to_fill_threads") ? "" : gp_arena_printf(a, "batch to fill %s units",
		    get(F, "units")), gp_arena_printf(a, "%s (the user guide's measure: widest stage x batch >= units)",
		    get(F, "batch_to_fill_graph") ? get(F, "batch_to_fill_graph") : "?"));
	kv_end(O, &K);

	if (R->has_concur && get(F, "peak_activation_bytes")) {
		const char *at = get(F, "peak_at");
		const char *atname = "?";

		for (r = 0; at && r < t->nrow; r++)
			if (!strcmp(cell(t, "id", r), at))
				atname = field(a, t, "name", r);
		section(O, gp_arena_printf(a, "Memory (subgraphs run one at a time, %s order)",
		    !strcmp(get(F, "order") ? get(F, "order") : "topo", "best") ? "lowest-peak" : "record"));
		kv_begin(&K);
		kv(&K, "peak activations", gp_arena_printf(a, "%s, while subgraph %s (%s) runs",
		    hbytes(a, num(F, "peak_activation_bytes")), at ? at : "?", atname));
		if (get(F, "weight_bytes"))
			kv(&K, "weights", hbytes(a, num(F, "weight_bytes")));
		if (get(F, "peak_bytes"))
			kv(&K, "peak memory", gp_arena_printf(a, "%s (weights + peak activations)",
			    hbytes(a, num(F, "peak_bytes"))));
		if (get(F, "naive_peak_bytes"))
			kv(&K, "naive estimate", gp_arena_printf(a, "%s (weights + the largest subgraph's inputs "
			    "and outputs)", hbytes(a, num(F, "naive_peak_bytes"))));
		if (get(F, "fits"))
			kv(&K, "budget", gp_arena_printf(a, "%s: %s", hbytes(a, num(F, "budget_bytes")),
			    !strcmp(get(F, "fits"), "yes") ? "fits" : "does not fit"));
		kv_end(O, &K);
	}

	if (R->has_roof) {
		section(O, gp_arena_printf(a, "On %s (%s)", get(F, "hw"), get(F, "precision")));
		kv_begin(&K);
		if (get(F, "latency_s")) {
			kv(&K, "latency", gp_arena_printf(a, "%s per batch of %s, one subgraph at a time",
			    htime(a, num(F, "latency_s")), get(F, "batch") ? get(F, "batch") : "?"));
			if (get(F, "latency_concurrent_s"))
				kv(&K, "", gp_arena_printf(a, "%s running independent subgraphs at once",
				    htime(a, num(F, "latency_concurrent_s"))));
			kv(&K, "throughput", hsi(a, num(F, "throughput_per_s"), " inferences/s"));
			if (get(F, "energy_j")) {
				kv(&K, "energy", gp_arena_printf(a, "%s J per inference (%s model)",
				    hcount(a, num(F, "energy_per_inference_j")), get(F, "energy_model")));
				kv(&K, "average power", get(F, "power_w") ?
				    gp_arena_printf(a, "%.3g W", num(F, "power_w")) : "? W");
			}
			kv(&K, "utilization", gp_arena_printf(a, "%s of the %s peak", hpct(a, num(F, "util")),
			    hsi(a, num(F, "peak_ops"), "OP/s")));
			kv(&K, "time compute-bound", hpct(a, num(F, "compute_bound_share")));
			kv(&K, "time memory-bound", hpct(a, num(F, "memory_bound_share")));
			kv(&K, "time launch-bound", hpct(a, num(F, "launch_bound_share")));
		} else {
			kv(&K, "latency", "unknown: some subgraphs' costs are not known");
		}
		kv(&K, "ridge point", gp_arena_printf(a, "%.3g FLOPs/byte", num(F, "ridge_ai")));
		kv_end(O, &K);
		n = tally(R, gp_table_col(R->t, "bound_hw") >= 0 ? "bound_hw" : "bound", &c);
		tot = num(F, "latency_s");
		memset(&T, 0, sizeof T);
		T.ncol = 5;
		T.align = "lrrrr";
		trow(&T, "bound", "subgraphs", "share", "time", "of time");
		for (i = 0; i < n; i++)
			trow(&T, c[i].name, gp_arena_printf(a, "%d", c[i].n), hpct(a, c[i].n / nsg),
			    htime(a, c[i].time), tot > 0 ? hpct(a, c[i].time / tot) : "?");
		if (!O->md)
			printf("\n");
		tprint(O, &T);
		free(c);
	}

	if (get(F, "phase"))
		llm_section(O, R);

	section(O, gp_arena_printf(a, "Heaviest subgraphs by %s", R->has_roof && get(F, "latency_s") ?
	    "time" : "FLOPs"));
	top(O, R, 5, R->has_roof && get(F, "latency_s") ? "time" : "flops");
}

/* ---- a sweep: several streams of one model ---- */

/* the value of dim name in a ##sweep header, NAN if absent */
static double
sweep_value(struct rep *R, const char *name)
{
	int i;

	for (i = 0; i < R->nsw; i++)
		if (!strcmp(R->swname[i], name))
			return (double)R->swval[i];
	return NAN;
}

/* How y grows with x: a least-squares fit of a + b x + c x^2, said in words. */
static const char *
growth(struct gp_arena *a, const double *x, const double *y, int n)
{
	double S[5] = {0, 0, 0, 0, 0}, T[3] = {0, 0, 0}, M[3][4], xmax = 0, ymax = 0, c[3];
	int i, j, k, distinct = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			return "?";
		for (j = 0; j < i && x[j] != x[i]; j++)
			;
		distinct += j == i;
		xmax = fmax(xmax, fabs(x[i]));
		ymax = fmax(ymax, fabs(y[i]));
	}
	if (distinct < 3)
		return distinct == 2 ? gp_arena_printf(a, "x%.3g from %g to %g", y[n - 1] / y[0], x[0], x[n - 1]) : "?";
	for (i = 0; i < n; i++) {
		double p = 1;

		for (k = 0; k < 5; k++, p *= x[i])
			S[k] += p;
		T[0] += y[i];
		T[1] += y[i] * x[i];
		T[2] += y[i] * x[i] * x[i];
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++)
			M[i][j] = S[i + j];
		M[i][3] = T[i];
	}
	/* Gaussian elimination with partial pivoting */
	for (i = 0; i < 3; i++) {
		int p = i;

		for (j = i + 1; j < 3; j++)
			if (fabs(M[j][i]) > fabs(M[p][i]))
				p = j;
		for (k = 0; k < 4; k++) {
			double t = M[i][k];

			M[i][k] = M[p][k];
			M[p][k] = t;
		}
		if (M[i][i] == 0)
			return "?";
		for (j = i + 1; j < 3; j++) {
			double f = M[j][i] / M[i][i];

			for (k = i; k < 4; k++)
				M[j][k] -= f * M[i][k];
		}
	}
	for (i = 2; i >= 0; i--) {
		c[i] = M[i][3];
		for (j = i + 1; j < 3; j++)
			c[i] -= M[i][j] * c[j];
		c[i] /= M[i][i];
	}
	if (ymax == 0)
		return "constant";
	if (fabs(c[2]) * xmax * xmax > 0.02 * ymax)
		return gp_arena_printf(a, "quadratic (the x^2 term is %.0f%% at %g)",
		    100 * fabs(c[2]) * xmax * xmax / ymax, xmax);
	if (fabs(c[1]) * xmax > 0.02 * ymax)
		return "linear";
	return "constant";
}

/* prefill and decode side by side, when the streams are a decoder's */
static void
phases(struct out *O, struct rep **R, int n)
{
	struct gp_arena *a = O->a;
	struct table T = {0};
	int i, np = 0;

	for (i = 0; i < n; i++)
		np += get(&R[i]->F, "phase") && get(&R[i]->F, "time_per_token_s");
	if (!np)
		return;
	if (!O->md)
		printf("\n");
	T.ncol = 7;
	T.align = "lrrrrrr";
	trow(&T, "phase", "tokens", "context", "latency", "per token", "tokens/s", "memory-bound");
	for (i = 0; i < n; i++) {
		struct facts *F = &R[i]->F;

		if (!get(F, "phase") || !get(F, "time_per_token_s"))
			continue;
		trow(&T, get(F, "phase"), get(F, "tokens"), get(F, "context"), htime(a, num(F, "latency_s")),
		    htime(a, num(F, "time_per_token_s")), hcount(a, num(F, "tokens_per_s")),
		    hpct(a, num(F, "memory_bound_share")));
	}
	tprint(O, &T);
}

/* one row per stream: the swept dims, the costs, and how they grow */
static void
sweep_section(struct out *O, struct rep **R, int n)
{
	struct gp_arena *a = O->a;
	struct table T = {0};
	struct kv K;
	char **dims, *al;
	int nd = 0, i, j, xd = -1, nvary = 0, roof = 1, conc = 1;
	double *x, *y;
	const char *keys[] = {"flops", "macs", "bytes", "peak_bytes", "latency_s"};
	const char *names[] = {"FLOPs", "MACs", "bytes moved", "peak memory", "latency"};

	/* the swept dims, those of the first stream */
	dims = R[0]->swname;
	nd = R[0]->nsw;
	for (i = 0; i < n; i++) {
		roof &= get(&R[i]->F, "latency_s") != NULL;
		conc &= get(&R[i]->F, "peak_bytes") != NULL;
	}
	/* x: the dim that varies, if one does */
	for (j = 0; j < nd; j++)
		for (i = 1; i < n; i++)
			if (sweep_value(R[i], dims[j]) != sweep_value(R[0], dims[j])) {
				nvary++;
				xd = j;
				break;
			}
	section(O, gp_arena_printf(a, "Sweep: %d streams%s%s", n, nvary == 1 ? " over " : "",
	    nvary == 1 ? dims[xd] : ""));
	T.ncol = nd + 3 + conc + roof;
	al = gp_arena_alloc(a, (size_t)T.ncol + 1);
	memset(al, 'r', (size_t)T.ncol);
	al[T.ncol] = 0;
	T.align = al;
	{
		const char **hrow = gp_arena_alloc(a, (size_t)T.ncol * sizeof *hrow);
		int c = 0;

		for (j = 0; j < nd; j++)
			hrow[c++] = dims[j];
		hrow[c++] = "FLOPs";
		hrow[c++] = "MACs";
		hrow[c++] = "bytes";
		if (conc)
			hrow[c++] = "peak memory";
		if (roof)
			hrow[c++] = "latency";
		T.cap = n + 1;
		T.cell = gp_xcalloc((size_t)(n + 1) * (size_t)T.ncol, sizeof *T.cell);
		memcpy(T.cell, hrow, (size_t)T.ncol * sizeof *hrow);
		T.nrow = 1;
	}
	for (i = 0; i < n; i++) {
		const char **rc = &T.cell[(size_t)(i + 1) * (size_t)T.ncol];
		struct facts *F = &R[i]->F;
		int c = 0;

		for (j = 0; j < nd; j++)
			rc[c++] = gp_arena_printf(a, "%g", sweep_value(R[i], dims[j]));
		rc[c++] = hcount(a, num(F, "flops"));
		rc[c++] = hcount(a, num(F, "macs"));
		rc[c++] = hbytes(a, num(F, "bytes"));
		if (conc)
			rc[c++] = hbytes(a, num(F, "peak_bytes"));
		if (roof)
			rc[c++] = htime(a, num(F, "latency_s"));
		T.nrow++;
	}
	tprint(O, &T);
	phases(O, R, n);
	if (nvary != 1)
		return;
	x = gp_xcalloc((size_t)n + 1, sizeof *x);
	y = gp_xcalloc((size_t)n + 1, sizeof *y);
	for (i = 0; i < n; i++)
		x[i] = sweep_value(R[i], dims[xd]);
	if (!O->md)
		printf("\n");
	kv_begin(&K);
	for (j = 0; j < 5; j++) {
		if ((j == 3 && !conc) || (j == 4 && !roof))
			continue;
		for (i = 0; i < n; i++)
			y[i] = num(&R[i]->F, keys[j]);
		kv(&K, gp_arena_printf(a, "%s grow with %s", names[j], dims[xd]), growth(a, x, y, n));
	}
	kv_end(O, &K);
	free(x);
	free(y);
}

/* ---- pictures ---- */

/* Run argv with in[0..n) on its stdin and its stdout into path, written whole
 * or not at all. Dies naming path and the reason: prog missing, failing or
 * killed by a signal (a prog that stops reading is no SIGPIPE here), or the
 * file unwritable. */
static void
render(const char *prog, char *const argv[], const char *in, size_t n, const char *path, const char *what)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct gp_outfile o;
	struct sigaction ign, oldpipe;
	sigset_t block, old;
	int fd[2], st = 0, werr = 0, out, i;
	size_t off = 0;
	pid_t pid;

	out = gp_outfile_open(&o, path);
	if (pipe(fd) < 0)
		gp_die("pipe: %s", strerror(errno));
	fflush(NULL);
	/* the child is recorded, to be killed by a signal, before one can come */
	sigemptyset(&block);
	for (i = 0; i < 3; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	if ((pid = fork()) < 0)
		gp_die("fork: %s", strerror(errno));
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(fd[0], 0);
		dup2(out, 1);
		close(fd[0]);
		close(fd[1]);
		execvp(prog, argv);
		_exit(127);
	}
	gp_outfile_child(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd[0]);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &oldpipe);
	while (off < n) {
		ssize_t w = write(fd[1], in + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			werr = errno;
			break;
		}
		off += (size_t)w;
	}
	close(fd[1]);
	sigaction(SIGPIPE, &oldpipe, NULL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			gp_die("%s: waiting for %s: %s", path, prog, strerror(errno));
	gp_outfile_child(0);
	if (WIFSIGNALED(st))
		gp_die("%s: %s was killed by signal %d (%s) drawing %s", path, prog, WTERMSIG(st),
		    strsignal(WTERMSIG(st)), what);
	if (WEXITSTATUS(st) == 127)
		gp_die("%s: %s needs %s, which is not installed (apt-get install %s)", path, what, prog,
		    !strcmp(prog, "dot") ? "graphviz" : "gnuplot-nox");
	if (WEXITSTATUS(st) != 0)
		gp_die("%s: %s failed drawing %s (exit status %d)", path, prog, what, WEXITSTATUS(st));
	if (werr)
		gp_die("%s: %s stopped reading %s: %s", path, prog, what, strerror(werr));
	gp_outfile_commit(&o);
}

static const char *
ext(const char *path)
{
	const char *e = strrchr(path, '.');

	return e && !strchr(e, '/') ? e + 1 : "";
}

/* gnuplot's terminal for the chart's file, by its extension; dies for one it cannot draw */
static const char *
roof_term(const char *path)
{
	const char *e = ext(path);

	if (!strcmp(e, "svg"))
		return "svg size 900,600 dynamic font 'sans,12'";
	if (!strcmp(e, "png"))
		return "pngcairo size 1200,800 font 'sans,12'";
	if (!strcmp(e, "pdf"))
		return "pdfcairo size 9in,6in font 'sans,10'";
	gp_die("%s: --roofline draws .svg, .png or .pdf files", path);
}

/* what --dot writes, by the file's extension: DOT text (0) or a picture dot
 * draws (1); dies for an extension it cannot write */
static int
dot_drawn(const char *path)
{
	const char *e = ext(path);

	if (!strcmp(e, "dot") || !strcmp(e, "gv"))
		return 0;
	if (!strcmp(e, "svg") || !strcmp(e, "png") || !strcmp(e, "pdf"))
		return 1;
	gp_die("%s: --dot writes .dot, or .svg, .png or .pdf drawn with Graphviz", path);
}

/* gnuplot-safe: no quotes or backslashes in text that goes into a "..." string */
static void
gpstr(struct gp_buf *b, const char *s)
{
	for (; *s; s++)
		gp_buf_addc(b, *s == '"' || *s == '\\' ? '_' : *s);
}

static void
roofline_chart(struct rep *R, const char *path)
{
	struct gp_buf b = {0};
	struct gp_table *t = R->t;
	const int64_t *fl = R->d.flops;
	const double *lat = R->d.lat;
	double *ai = column(R, "ai_hw");
	double peak = num(&R->F, "peak_ops"), bw = num(&R->F, "bandwidth"), ridge, xmin = 1e30, xmax = 0;
	const char *term = roof_term(path);
	char *argv[] = {"gnuplot", NULL};
	size_t r;
	int k, have[3] = {0, 0, 0};

	if (!R->has_roof || !lat || !ai || isnan(peak) || isnan(bw))
		gp_die("%s: --roofline needs gp-roofline's data (gp-roofline -H PROFILE before gp-report)", R->s.src);
	ridge = peak / bw;
	for (k = 0; k < 3; k++) {
		static const char *const kinds[] = {"compute", "memory", "launch"};

		gp_buf_printf(&b, "$bound%d << EOD\n", k);
		for (r = 0; r < t->nrow; r++) {
			double x = ai[r], y;

			if (strcmp(cell(t, gp_table_col(t, "bound_hw") >= 0 ? "bound_hw" : "bound", r), kinds[k]) ||
			    isnan(x) || x <= 0 || fl[r] <= 0 ||
			    lat[r] <= 0)
				continue;
			y = (double)fl[r] / lat[r];
			have[k]++;
			xmin = fmin(xmin, x);
			xmax = fmax(xmax, x);
			gp_buf_printf(&b, "%.6g %.6g\n", x, y);
		}
		gp_buf_adds(&b, "EOD\n");
	}
	if (xmax <= 0)
		gp_die("%s: --roofline: no subgraph has FLOPs, bytes and a latency to plot", R->s.src);
	xmin = fmin(xmin, ridge) / 10;
	xmax = fmax(xmax, ridge) * 10;
	gp_buf_printf(&b, "set terminal %s\nset output '/dev/stdout'\n", term);
	gp_buf_adds(&b, "set title \"");
	gpstr(&b, get(&R->F, "model"));
	gp_buf_printf(&b, " on %s (%s), batch %s: one dot per subgraph\" noenhanced\n",
	    get(&R->F, "hw"), get(&R->F, "precision"), get(&R->F, "batch") ? get(&R->F, "batch") : "?");
	gp_buf_printf(&b, "set logscale xy\nset xrange [%g:%g]\nset yrange [%g:%g]\n", xmin, xmax,
	    peak * 1e-6, peak * 3);
	gp_buf_adds(&b, "set xlabel 'arithmetic intensity (FLOPs/byte)'\n"
	    "set ylabel 'attained (FLOP/s)'\nset grid\nset key bottom right\n"
	    "set format y '%.0s%c'\nset format x '%g'\n");
	gp_buf_printf(&b, "set arrow from %g,%g to %g,%g nohead dt 2 lc rgb 'gray'\n", ridge, peak * 1e-6,
	    ridge, peak);
	gp_buf_printf(&b, "set label 'ridge %.3g' at %g,%g offset 0.5,1\n", ridge, ridge, peak * 1e-5);
	gp_buf_printf(&b, "roof(x) = x * %g < %g ? x * %g : %g\n", bw, peak, bw, peak);
	gp_buf_printf(&b, "plot roof(x) with lines lw 2 lc rgb 'black' title 'roofline: %s OP/s, %s B/s'",
	    hcount(&R->s.arena, peak), hcount(&R->s.arena, bw));
	for (k = 0; k < 3; k++) {
		static const char *const style[] = {
			"lc rgb '#c0392b' title 'compute-bound'", "lc rgb '#2471a3' title 'memory-bound'",
			"lc rgb '#7f8c8d' title 'launch-bound'",
		};

		if (have[k])
			gp_buf_printf(&b, ", \\\n  $bound%d with points pt 7 ps 0.8 %s", k, style[k]);
	}
	gp_buf_adds(&b, "\n");
	render("gnuplot", argv, b.buf, b.len, path, "the roofline chart");
	gp_buf_release(&b);
	free(ai);
}

static void
dotstr(struct gp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			gp_buf_addc(b, '\\');
		gp_buf_addc(b, *s);
	}
}

/* the subgraphs --dot shows when there are more than limit: the limit
 * heaviest, by time on a chip, else by FLOPs (ties: the first) */
static char *
dot_pick(const struct gp_dag *d, int limit)
{
	struct row *rows = gp_xcalloc((size_t)d->n + 1, sizeof *rows);
	char *keep = gp_xcalloc((size_t)d->n + 1, 1);
	int v;

	for (v = 0; v < d->n; v++) {
		rows[v].r = (size_t)v;
		rows[v].key = d->lat ? d->lat[v] : known(d->flops[v]);
		if (isnan(rows[v].key) || rows[v].key < 0)
			rows[v].key = -1;
	}
	qsort(rows, (size_t)d->n, sizeof *rows, cmp_row);
	for (v = 0; v < limit && v < d->n; v++)
		keep[rows[v].r] = 1;
	free(rows);
	return keep;
}

/* Write the DAG as DOT into path, or a picture of it drawn by dot. More than
 * limit subgraphs (limit > 0) are too many to lay out in reasonable time
 * (Graphviz takes minutes on 100,000): the limit heaviest are shown, with the
 * arrows between them, and the picture's title and stderr say so. */
static void
dot_graph(struct rep *R, const char *path, int limit)
{
	struct gp_buf b = {0};
	const struct gp_dag *d = &R->d;
	struct gp_table *t = R->t;
	int c_crit = gp_table_col(t, "critical"), v, k, *prev, drawn = dot_drawn(path);
	char *keep = NULL;
	const char *by = d->lat ? "time" : "FLOPs";

	if (limit > 0 && d->n > limit) {
		keep = dot_pick(d, limit);
		gp_warn("%s: %d subgraphs are too many to draw: showing the %d heaviest (by %s); "
		    "--dot-limit 0 shows all", path, d->n, limit, by);
	}
	gp_buf_adds(&b, "digraph gp {\n\tgraph [rankdir=TB, fontname=\"sans\", label=\"");
	dotstr(&b, get(&R->F, "model"));
	if (keep)
		gp_buf_printf(&b, ": the %d heaviest of %d subgraphs (by %s), arrows only between them",
		    limit, d->n, by);
	else
		gp_buf_printf(&b, ": %d subgraphs", d->n);
	gp_buf_printf(&b, "%s\", labelloc=t];\n", c_crit >= 0 ? ", the critical path in red" : "");
	gp_buf_adds(&b, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6f7\", "
	    "fontname=\"sans\", fontsize=10];\n\tedge [color=\"#566573\"];\n");
	for (v = 0; v < d->n; v++) {
		int crit = c_crit >= 0 && !strcmp(t->val[c_crit][v], "1");

		if (keep && !keep[v])
			continue;
		gp_buf_printf(&b, "\ts%s [label=\"%s ", d->id[v], d->id[v]);
		dotstr(&b, field(&R->s.arena, t, "kind", (size_t)v));
		gp_buf_adds(&b, "\\n");
		dotstr(&b, field(&R->s.arena, t, "name", (size_t)v));
		gp_buf_printf(&b, "\\n%s FLOPs\"%s];\n", hcount(&R->s.arena, d->flops[v] < 0 ? NAN :
		    (double)d->flops[v]), crit ? ", color=\"#c0392b\", penwidth=2, fillcolor=\"#fadbd8\"" : "");
	}
	/* an edge is on the critical path when it joins two of its subgraphs
	 * that follow each other on it (its subgraphs ascend along it) */
	prev = gp_xcalloc((size_t)d->n + 1, sizeof *prev);
	for (v = 0, k = -1; v < d->n; v++) {
		prev[v] = k;
		if (c_crit >= 0 && !strcmp(t->val[c_crit][v], "1"))
			k = v;
	}
	for (v = 0; v < d->n; v++)
		for (k = d->p0[v]; k < d->p0[v + 1]; k++) {
			int u = d->p[k];
			int crit = c_crit >= 0 && !strcmp(t->val[c_crit][v], "1") && prev[v] == u;

			if (keep && (!keep[u] || !keep[v]))
				continue;
			gp_buf_printf(&b, "\ts%s -> s%s%s;\n", d->id[u], d->id[v],
			    crit ? " [color=\"#c0392b\", penwidth=2]" : "");
		}
	free(prev);
	free(keep);
	gp_buf_adds(&b, "}\n");
	if (drawn) {
		char fmt[8];
		char *argv[] = {"dot", fmt, NULL};

		snprintf(fmt, sizeof fmt, "-T%s", ext(path));
		render("dot", argv, b.buf, b.len, path, "the graph");
	} else {
		gp_outfile_save(path, b.buf, b.len);
	}
	gp_buf_release(&b);
}

/* ---- reading ---- */

/* Read every stream of f, each with its facts, appending to *R (n so far);
 * returns the new count. */
static int
read_all(FILE *f, const char *src, struct rep ***R, int n)
{
	struct gp_input in;
	struct rep *r;

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

static void
release(struct rep *r)
{
	free(r->F.f);
	gp_dag_release(&r->d);
	gp_graph_release(&r->g);
	gp_stream_release(&r->s);
	free(r);
}

/* ---- comparing models ---- */

static void
compare(struct out *O, int nfiles, char **files)
{
	struct rep **R = NULL;
	struct gp_arena a = {0};
	const char **hw;
	int *row, nhw = 0, nrow = 0, i, j, k, n = 0;
	struct table T = {0};
	const char **cells;

	for (i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "r");

		if (!f)
			gp_die("%s: cannot open: %s", files[i], strerror(errno));
		n = read_all(f, files[i], &R, n);
		fclose(f);
	}
	hw = gp_xcalloc((size_t)n + 1, sizeof *hw);
	row = gp_xcalloc((size_t)n + 1, sizeof *row);
	for (i = 0; i < n; i++) {
		/* the chips, in the order met */
		if (get(&R[i]->F, "hw")) {
			for (k = 0; k < nhw && strcmp(hw[k], get(&R[i]->F, "hw")); k++)
				;
			if (k == nhw)
				hw[nhw++] = get(&R[i]->F, "hw");
		}
		/* one row per model, batch, mode and sweep point: streams of one model on several chips share it */
		row[i] = -1;
		for (j = 0; j < i && row[i] < 0; j++) {
			const char *keys[] = {"model", "batch", "mode", "flops", "sweep"};
			int same = 1;

			for (k = 0; k < 5 && same; k++) {
				const char *x = get(&R[i]->F, keys[k]), *y = get(&R[j]->F, keys[k]);

				same = (!x && !y) || (x && y && !strcmp(x, y));
			}
			if (same)
				row[i] = row[j];
		}
		if (row[i] < 0)
			row[i] = nrow++;
	}
	T.ncol = 9 + nhw;
	{
		char *al = gp_arena_alloc(&a, (size_t)T.ncol + 1);

		memset(al, 'r', (size_t)T.ncol);
		al[0] = 'l';
		al[T.ncol] = 0;
		T.align = al;
	}
	cells = gp_arena_alloc(&a, (size_t)T.ncol * sizeof *cells);
	cells[0] = "model";
	cells[1] = "batch";
	cells[2] = "FLOPs";
	cells[3] = "MACs";
	cells[4] = "params";
	cells[5] = "AI";
	cells[6] = "max parallel";
	cells[7] = "critical path";
	cells[8] = "peak memory";
	for (k = 0; k < nhw; k++)
		cells[9 + k] = gp_arena_printf(&a, "latency %s", hw[k]);
	T.cap = nrow + 1;
	T.cell = gp_xcalloc((size_t)(nrow + 1) * (size_t)T.ncol, sizeof *T.cell);
	memcpy(T.cell, cells, (size_t)T.ncol * sizeof *cells);
	T.nrow = nrow + 1;
	for (j = 1; j <= nrow; j++)
		for (k = 0; k < T.ncol; k++)
			T.cell[j * T.ncol + k] = ".";
	for (i = 0; i < n; i++) {
		struct facts *F = &R[i]->F;
		const char **rc = &T.cell[(row[i] + 1) * T.ncol];

		rc[0] = get(F, "sweep") ? gp_arena_printf(&a, "%s (%s)", get(F, "model"), get(F, "sweep")) :
		    get(F, "model");
		rc[1] = get(F, "batch") ? get(F, "batch") : "?";
		rc[2] = hcount(&a, num(F, "flops"));
		rc[3] = hcount(&a, num(F, "macs"));
		rc[4] = hcount(&a, num(F, "params"));
		rc[5] = get(F, "ai") ? gp_arena_printf(&a, "%.3g", num(F, "ai")) : "?";
		if (get(F, "max_parallel"))
			rc[6] = get(F, "max_parallel");
		if (get(F, "critical_ops"))
			rc[7] = get(F, "critical_ops");
		if (get(F, "peak_bytes"))
			rc[8] = hbytes(&a, num(F, "peak_bytes"));
		for (k = 0; k < nhw; k++)
			if (get(F, "hw") && !strcmp(get(F, "hw"), hw[k]))
				rc[9 + k] = htime(&a, num(F, "latency_s"));
	}
	if (O->md)
		printf("# gp compare: %d streams\n\n", n);
	tprint(O, &T);
	for (i = 0; i < n; i++)
		release(R[i]);
	free(R);
	free(hw);
	free(row);
	gp_arena_release(&a);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"summary", no_argument, NULL, 's'},
		{"top", required_argument, NULL, 't'},
		{"by", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"roofline", required_argument, NULL, 'r'},
		{"dot", required_argument, NULL, 'd'},
		{"dot-limit", required_argument, NULL, 'l'},
		{"compare", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *by = "flops", *roof = NULL, *dot = NULL;
	int c, sum = 0, ntop = 0, cmp = 0, dotlimit = 2000;
	struct out O = {0};
	struct rep **R = NULL;
	int n, i;

	gp_init(argv);
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sum = 1;
			break;
		case 't': {
			int64_t v;

			if (gp_parse_i64(optarg, &v) || v < 1 || v > 1000000) {
				fprintf(stderr, "%s: --top: '%s' is not a count from 1 to 1000000\n", gp_prog, optarg);
				return GP_EXIT_USAGE;
			}
			ntop = (int)v;
			break;
		}
		case 'b':
			if (strcmp(optarg, "flops") && strcmp(optarg, "bytes") && strcmp(optarg, "time")) {
				fprintf(stderr, "%s: --by: '%s' is not flops, bytes or time\n", gp_prog, optarg);
				return GP_EXIT_USAGE;
			}
			by = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "md")) {
				fprintf(stderr, "%s: --format: '%s' is not text or md\n", gp_prog, optarg);
				return GP_EXIT_USAGE;
			}
			O.md = !strcmp(optarg, "md");
			break;
		case 'r':
			roof = optarg;
			break;
		case 'd':
			dot = optarg;
			break;
		case 'l': {
			int64_t v;

			if (gp_parse_i64(optarg, &v) || v < 0 || v > 100000000) {
				fprintf(stderr, "%s: --dot-limit: '%s' is not a count from 0 to 100000000\n",
				    gp_prog, optarg);
				return GP_EXIT_USAGE;
			}
			dotlimit = (int)v;
			break;
		}
		case 'c':
			cmp = 1;
			break;
		case 'h':
			help();
			return gp_close_stdout();
		case 'V':
			printf("%s %s\n", gp_prog, GP_VERSION);
			return gp_close_stdout();
		default:
			gp_die_usage(usage);
		}
	}
	if ((cmp && (optind == argc || sum || ntop || roof || dot)) || (!cmp && optind != argc) ||
	    (sum && ntop))
		gp_die_usage(usage);
	if (!O.md && isatty(1)) {
		struct winsize ws;
		const char *cols = getenv("COLUMNS");

		O.color = !getenv("NO_COLOR") && !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
		O.width = cols && atoi(cols) > 20 ? atoi(cols) :
		    ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
	}
	gp_stdout_hold();       /* a later stream may still fail: nothing on stdout then */
	if (cmp) {
		struct gp_arena a = {0};

		O.a = &a;
		compare(&O, argc - optind, argv + optind);
		gp_arena_release(&a);
		gp_stdout_release();
		return gp_close_stdout();
	}
	/* a picture that cannot be written is said before the work */
	if (roof) {
		roof_term(roof);
		gp_outfile_check(roof);
	}
	if (dot) {
		dot_drawn(dot);
		gp_outfile_check(dot);
	}
	n = read_all(stdin, "stdin", &R, 0);
	if ((roof || dot) && n > 1)
		gp_die("stdin: --roofline and --dot draw one stream; this input holds %d (a sweep?)", n);
	O.a = &R[0]->s.arena;
	/* the pictures first: an error there leaves stdout empty */
	if (roof)
		roofline_chart(R[0], roof);
	if (dot)
		dot_graph(R[0], dot, dotlimit);
	if (n > 1 && !sum && !ntop) {
		if (O.md)
			printf("# gp report: %s, %d streams\n\n", get(&R[0]->F, "model"), n);
		else
			printf("gp report: %s, %d streams\n\n", get(&R[0]->F, "model"), n);
		sweep_section(&O, R, n);
	}
	for (i = 0; i < n; i++) {
		O.a = &R[i]->s.arena;
		if (i && (sum || ntop))
			printf("\n");
		if (sum) {
			summary(&R[i]->F);
		} else if (ntop) {
			if (n > 1)
				printf("%s%s\n", O.md ? "## " : "", get(&R[i]->F, "sweep") ?
				    get(&R[i]->F, "sweep") : "");
			top(&O, R[i], ntop, by);
		} else {
			if (n > 1)
				printf("\n%s\n", O.md ? "---\n" : "----");
			report(&O, R[i]);
		}
	}
	for (i = 0; i < n; i++)
		release(R[i]);
	free(R);
	gp_stdout_release();
	return gp_close_stdout();
}
