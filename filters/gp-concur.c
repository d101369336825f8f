/* gp-concur - what can run at once: stages, width, critical path, peak memory
 *
 * Reads a gp stream that gp-partition has split into subgraphs, builds their
 * dependency DAG and adds, per subgraph, its ASAP stage, whether it is on the
 * critical path and the activation bytes live while it runs; one stage record
 * per stage; and a ##concur header with the totals: stages, widest stage,
 * largest antichain, the critical path, thread- and batch-level parallelism,
 * and the peak memory of running the subgraphs one at a time.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

/* the tables it reads: the others pass through as their lines (gp_stream_lazy) */
static const char *const tables[] = {"subgraph", "tensor", NULL};

static const char usage[] =
    "[--weight ops|flops|bytes|time] [--order topo|best] [--max-states N]\n"
    "       [-H PROFILE | --units N [--threads-per-unit N]] [--budget BYTES] < STREAM";

static const char help[] =
    "Read a gp stream that gp-partition has split into subgraphs and add what can\n"
    "run at once: each subgraph's stage (ASAP level) and whether it is on the\n"
    "critical path, one stage record per stage, and a ##concur header with the\n"
    "widest stage, the largest antichain, the critical path, thread- and\n"
    "batch-level parallelism and the peak activation memory.\n\n"
    "  --weight W          what makes the critical path longest: ops (subgraphs,\n"
    "                      ties broken by FLOPs), flops, bytes, or time (latency_s,\n"
    "                      from gp-roofline, run first for this). Default: ops\n"
    "  --order O           the order the peak memory is simulated in: topo (the\n"
    "                      subgraph order, default) or best (the order of lowest peak:\n"
    "                      exact within --max-states, else a greedy one)\n"
    "  --max-states N      states the exact search may visit (default 200000)\n"
    "  -H, --hw PROFILE    take --units and --threads-per-unit from a hardware\n"
    "                      profile (gp-roofline --list)\n"
    "  --units N           compute units to fill (SMs, cores): the batch needed\n"
    "  --threads-per-unit N  threads one unit needs to be busy (default 1)\n"
    "  --budget BYTES      does the peak (weights + activations) fit? exit status 3\n"
    "                      if not; BYTES takes k M G (x1000) or Ki Mi Gi (x1024)\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n\n"
    "Columns and keys: docs/format.md; what each number means: docs/concurrency.md.\n";

static void
kv_i64(struct gp_buf *h, const char *k, int64_t v)
{
	gp_buf_printf(h, "\t%s=", k);
	gp_fmt_count(h, v);
}

static void
kv_dbl(struct gp_buf *h, const char *k, double v)
{
	gp_buf_printf(h, "\t%s=", k);
	gp_fmt_num(h, v, 0);
}

/* sum of x[v] over the subgraphs with on[v] (every one if on is NULL); -1 if one is unknown */
static int64_t
sum_i64(const struct gp_dag *d, const int64_t *x, const char *on)
{
	int64_t t = 0;
	int v;

	for (v = 0; v < d->n; v++) {
		if (on && !on[v])
			continue;
		if (x[v] < 0)
			return -1;
		if (__builtin_add_overflow(t, x[v], &t))
			gp_die("%s: a sum of subgraph counts overflows 64 bits", d->src);
	}
	return t;
}

static double
sum_lat(const struct gp_dag *d, const char *on)
{
	double t = 0;
	int v;

	for (v = 0; v < d->n; v++) {
		if (on && !on[v])
			continue;
		if (d->lat[v] < 0)
			return -1;
		t += d->lat[v];
	}
	return t;
}

/* The options that apply to every stream. */
struct copts {
	const char *weight, *order;
	double max_states, units, tpu, budget;
};

/* Analyse one stream; GP_EXIT_BUDGET if its peak does not fit. */
static int
concur(struct gp_stream *s, const struct copts *O)
{
	static const char *const stagecols[] = {
		"id", "width", "subgraphs", "flops", "latency_s", NULL,
	};
	const char *weight;
	struct gp_dag d;
	struct gp_table *st;
	struct gp_buf b = {0}, h = {0};
	int *stage, *order, *width, v, k, nstage, antichain, maxw = 0, ncrit, at = -1, exact = -1;
	int c_stage, c_crit, c_live;
	double *w, *w2;
	char *crit;
	int64_t *live, peak, peak_total = -1, naive = -1, thr_avg, thr_max, batch;
	int status = GP_EXIT_OK;

	gp_dag_build(&d, s);
	batch = d.batch;
	weight = O->weight ? O->weight : "ops";
	if (!strcmp(weight, "time") && !d.lat)
		gp_die("%s: --weight time: the subgraphs have no latency_s column (run gp-roofline first)",
		    s->src);

	stage = gp_xcalloc((size_t)d.n + 1, sizeof *stage);
	order = gp_xcalloc((size_t)d.n + 1, sizeof *order);
	live = gp_xcalloc((size_t)d.n + 1, sizeof *live);
	crit = gp_xcalloc((size_t)d.n + 1, 1);
	w = gp_xcalloc((size_t)d.n + 1, sizeof *w);
	w2 = gp_xcalloc((size_t)d.n + 1, sizeof *w2);

	/* stages and the widest one; the largest antichain */
	nstage = gp_dag_stages(&d, stage);
	width = gp_xcalloc((size_t)nstage + 1, sizeof *width);
	for (v = 0; v < d.n; v++)
		if (++width[stage[v]] > maxw)
			maxw = width[stage[v]];
	antichain = gp_dag_width(&d);

	/* the critical path: unknown weights count as 0 (and make its sums unknown) */
	for (v = 0; v < d.n; v++) {
		double f = d.flops[v] < 0 ? 0 : (double)d.flops[v];

		if (!strcmp(weight, "ops")) {
			w[v] = 1;
			w2[v] = f;
		} else if (!strcmp(weight, "flops")) {
			w[v] = f;
			w2[v] = 1;
		} else if (!strcmp(weight, "bytes")) {
			w[v] = d.bytes[v] < 0 ? 0 : (double)d.bytes[v];
			w2[v] = 1;
		} else {
			w[v] = d.lat[v] < 0 ? 0 : d.lat[v];
			w2[v] = 1;
		}
	}
	ncrit = gp_dag_path(&d, w, w2, crit);

	/* thread- and batch-level parallelism */
	gp_dag_threads(&d, &thr_avg, &thr_max);

	/* peak memory */
	for (v = 0; v < d.n; v++)
		order[v] = v;
	if (!strcmp(O->order, "best"))
		exact = gp_dag_best_order(&d, order, (size_t)O->max_states);
	peak = gp_dag_peak(&d, order, live, &at);
	if (peak < 0)
		for (v = 0; v < d.n; v++)
			live[v] = -1;
	if (peak >= 0 && d.weight_bytes >= 0 && __builtin_add_overflow(peak, d.weight_bytes, &peak_total))
		gp_die("%s: the peak memory overflows 64 bits", s->src);
	if (d.weight_bytes >= 0) {
		int64_t most = 0;

		for (v = 0; v < d.n && most >= 0; v++)
			most = gp_count_max(most, d.io[v]);
		if (most >= 0 && __builtin_add_overflow(most, d.weight_bytes, &naive))
			gp_die("%s: the naive peak memory overflows 64 bits", s->src);
	}

	/* per subgraph columns */
	c_stage = gp_table_addcol(s, d.t, "stage");
	c_crit = gp_table_addcol(s, d.t, "critical");
	c_live = gp_table_addcol(s, d.t, "live_bytes");
	for (v = 0; v < d.n; v++) {
		gp_table_set_count(s, d.t, c_stage, (size_t)v, stage[v]);
		gp_table_set(s, d.t, c_crit, (size_t)v, crit[v] ? "1" : "0");
		gp_table_set_count(s, d.t, c_live, (size_t)v, live[v]);
	}

	/* one record per stage */
	gp_table_drop(s, "stage");
	st = gp_table_new(s, "stage", stagecols);
	{
		/* each stage's subgraphs, in record order: CSR lists */
		int *s0 = gp_xcalloc((size_t)nstage + 2, sizeof *s0), *sv = gp_xcalloc((size_t)d.n + 1, sizeof *sv);
		int64_t *sf = gp_xcalloc((size_t)nstage + 1, sizeof *sf);
		double *sl = gp_xcalloc((size_t)nstage + 1, sizeof *sl);

		for (v = 0; v < d.n; v++)
			s0[stage[v] + 1]++;
		for (k = 1; k <= nstage + 1; k++)
			s0[k] += s0[k - 1];
		for (v = 0; v < d.n; v++) {
			int l = stage[v];

			sv[s0[l]++] = v;        /* s0[l] moves to the start of l + 1 */
			sf[l] = gp_count_add(sf[l], d.flops[v]);
			if (d.lat && sl[l] >= 0)
				sl[l] = d.lat[v] < 0 ? -1 : d.lat[v] > sl[l] ? d.lat[v] : sl[l];
		}
		for (k = 1; k <= nstage; k++) {
			size_t r = gp_table_addrow(s, st);
			int j;

			gp_table_set_count(s, st, 0, r, k);
			gp_table_set_count(s, st, 1, r, width[k]);
			gp_buf_reset(&b);
			for (j = s0[k - 1]; j < s0[k]; j++) {
				if (j > s0[k - 1])
					gp_buf_addc(&b, ',');
				gp_buf_adds(&b, gp_dag_id(&d, sv[j]));
			}
			gp_table_set(s, st, 2, r, b.buf);
			gp_table_set_count(s, st, 3, r, sf[k]);
			gp_buf_reset(&b);
			gp_fmt_num(&b, d.lat ? sl[k] : -1, 0);
			gp_table_set(s, st, 4, r, b.buf);
		}
		free(s0);
		free(sv);
		free(sf);
		free(sl);
	}

	/* the totals */
	{
		int64_t tf = sum_i64(&d, d.flops, NULL), cf = sum_i64(&d, d.flops, crit);

		gp_buf_printf(&h, "subgraphs=%d\tstages=%d\tmax_parallel=%d\tmax_antichain=%d", d.n,
		    nstage, maxw, antichain);
		gp_buf_printf(&h, "\tcritical_weight=%s\tcritical_ops=%d", weight, ncrit);
		kv_i64(&h, "critical_flops", cf);
		kv_dbl(&h, "critical_flops_share", cf >= 0 && tf > 0 ? (double)cf / (double)tf : -1);
		if (d.lat) {
			kv_dbl(&h, "critical_latency_s", sum_lat(&d, crit));
			kv_dbl(&h, "sequential_latency_s", sum_lat(&d, NULL));
		}
		kv_i64(&h, "batch", batch);
		kv_i64(&h, "threads_avg", thr_avg);
		kv_i64(&h, "threads_max", thr_max);
		if (O->units > 0) {
			kv_i64(&h, "units", (int64_t)O->units);
			kv_i64(&h, "threads_per_unit", (int64_t)O->tpu);
			/* the user guide's measure: (ops at once) x batch >= units */
			kv_i64(&h, "batch_to_fill_graph", gp_batch_to_fill_graph(O->units, maxw));
			kv_i64(&h, "batch_to_fill_threads",
			    (int64_t)gp_dag_batch_to_fill(&d, O->units * O->tpu, batch));
		}
		gp_buf_printf(&h, "\torder=%s", O->order);
		if (exact >= 0)
			gp_buf_printf(&h, "\torder_exact=%d", exact);
		kv_i64(&h, "peak_activation_bytes", peak);
		gp_buf_printf(&h, "\tpeak_at=%s", peak >= 0 && at >= 0 ? gp_dag_id(&d, at) : ".");
		kv_i64(&h, "weight_bytes", d.weight_bytes);
		kv_i64(&h, "peak_bytes", peak_total);
		kv_i64(&h, "naive_peak_bytes", naive);
		if (O->budget >= 0) {
			kv_i64(&h, "budget_bytes", (int64_t)O->budget);
			if (peak_total < 0)
				gp_buf_printf(&h, "\tfits=.");
			else
				gp_buf_printf(&h, "\tfits=%s", (double)peak_total <= O->budget ? "yes" : "no");
			if (peak_total < 0)
				gp_die("%s: --budget: the peak memory is not known (a tensor's size is unknown; "
				    "bind symbolic dims with gp-shape -D NAME=VALUE)", s->src);
			if ((double)peak_total > O->budget)
				status = GP_EXIT_BUDGET;
		}
	}
	gp_hdr_set(s, "concur", h.buf);

	free(stage);
	free(order);
	free(live);
	free(crit);
	free(w);
	free(w2);
	free(width);
	gp_buf_release(&b);
	gp_buf_release(&h);
	gp_dag_release(&d);
	if (status != GP_EXIT_OK)
		gp_note("%s: the peak memory (%" PRId64 " bytes) does not fit the budget (%.0f bytes)",
		    s->src, peak_total, O->budget);
	return status;
}

int
main(int argc, char **argv)
{
	static const char *const weights[] = {"ops", "flops", "bytes", "time", NULL};
	static const char *const orders[] = {"topo", "best", NULL};
	static const struct option opts[] = {
		{"weight", required_argument, NULL, 'w'},
		{"order", required_argument, NULL, 'o'},
		{"max-states", required_argument, NULL, 'm'},
		{"units", required_argument, NULL, 'u'},
		{"threads-per-unit", required_argument, NULL, 't'},
		{"budget", required_argument, NULL, 'b'},
		{"hw", required_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "H:", opts};
	struct copts O = {NULL, "topo", 200000, 0, 1, -1};
	const char *hw = NULL;
	struct gp_input in;
	struct gp_stream s;
	int c, status = GP_EXIT_OK, tpu_given = 0;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'w':
			O.weight = weights[gp_opt_enum("--weight", optarg, weights)];
			break;
		case 'o':
			O.order = orders[gp_opt_enum("--order", optarg, orders)];
			break;
		case 'm':
			O.max_states = gp_opt_size("--max-states", optarg, 1, 1e8, NULL);
			break;
		case 'u':
			O.units = floor(gp_opt_size("--units", optarg, 1, 1e9, NULL));
			break;
		case 't':
			O.tpu = floor(gp_opt_size("--threads-per-unit", optarg, 1, 1e9, NULL));
			tpu_given = 1;
			break;
		case 'b':
			O.budget = floor(gp_opt_size("--budget", optarg, 0, 9e18, NULL));
			break;
		case 'H':
			hw = optarg;
			break;
		}
	}
	if (optind != argc || (hw && (O.units > 0 || tpu_given)))
		gp_die_usage(usage);
	if (hw) {
		struct gp_hw h;

		gp_hw_load(&h, hw);
		O.units = h.units;
		O.tpu = h.threads_per_unit;
		gp_hw_release(&h);
	}

	gp_stream_lazy(tables, 1);
	gp_input_init(&in, stdin, "stdin");
	while (gp_stream_next(&in, &s)) {
		if (concur(&s, &O) != GP_EXIT_OK)
			status = GP_EXIT_BUDGET;
		gp_stream_emit(&s, argc, argv, gp_input_more(&in));
		gp_stream_release(&s);
	}
	gp_input_release(&in);
	if (gp_close_stdout() != GP_EXIT_OK)
		return GP_EXIT_FAIL;
	return status;
}
