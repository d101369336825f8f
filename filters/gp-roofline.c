/* gp-roofline - latency, utilization and energy of every subgraph on a chip
 *
 * Reads a gp stream that gp-partition has split into subgraphs and a
 * hardware profile (hw/NAME.yaml), and adds per subgraph the time its
 * compute and its memory traffic take on that chip, what bounds it, how busy
 * it keeps the chip and the energy it costs; a ##roofline header holds the
 * totals. The model is written down in docs/roofline.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] =
    "-H PROFILE [-p PRECISION] < STREAM\n"
    "       gp-roofline --list\n"
    "       gp-roofline --check PROFILE...";

static void
help(void)
{
	printf("usage: %s %s\n\n"
	    "Read a gp stream that gp-partition has split into subgraphs and add, for the\n"
	    "chip a hardware profile describes, each subgraph's compute time, memory time,\n"
	    "latency, what bounds it (compute, memory or launch), its utilization and its\n"
	    "energy; a ##roofline header holds the totals: latency, throughput, energy,\n"
	    "power, and the share of time that is compute-, memory- and launch-bound.\n\n"
	    "  -H, --hw PROFILE    a profile name (gp-roofline --list) or a .yaml file\n"
	    "  -p, --precision P   fp64 fp32 tf32 fp16 bf16 fp8 int8 int4: the peak used and\n"
	    "                      the element size bytes are counted at (default: the\n"
	    "                      model's dtype)\n"
	    "      --list          list the profiles there are, one line each\n"
	    "      --check         validate the profiles named, print one line each\n"
	    "  -h, --help          show this help\n"
	    "  -V, --version       show the version\n\n"
	    "Profiles are looked up in $GP_HW_PATH, then hw/ beside the programs, then the\n"
	    "installed share/gp/hw. The model: docs/roofline.md; the schema: docs/hardware.md.\n",
	    gp_prog, usage);
}

static void
list(void)
{
	char **paths;
	int n = gp_hw_list(&paths), i, p;

	for (i = 0; i < n; i++) {
		struct gp_hw h;
		struct gp_buf b = {0};

		gp_hw_load(&h, paths[i]);
		gp_buf_printf(&b, "%s\t%s\t%s\t", h.name, h.kind, h.title);
		for (p = 0; p < GP_PREC_N; p++)
			if (h.peak[p] > 0) {
				gp_buf_printf(&b, "%s=", gp_prec_name(p));
				gp_human_si(&b, h.peak[p], 4, "");
				gp_buf_adds(&b, " ");
			}
		gp_buf_adds(&b, "mem=");
		gp_human_si(&b, h.mem[0].bandwidth, 4, "");
		gp_buf_adds(&b, "B/s");
		printf("%s\n", b.buf);
		gp_buf_release(&b);
		gp_hw_release(&h);
		free(paths[i]);
	}
	free(paths);
}

/* ---- the model ---- */

struct est {
	double compute_s, memory_s, launch_s, latency_s, work_s, util, energy_j, ai;
	double bytes, wbytes;       /* moved, and of weights, at the precision */
	const char *bound;
	int known;
};

/* the innermost memory level that holds bytes, else the outermost */
static int
level_for(const struct gp_hw *h, double bytes)
{
	int i;

	for (i = h->nmem - 1; i > 0; i--)
		if (h->mem[i].capacity >= bytes)
			return i;
	return 0;
}

/* the fraction of the compute units a kernel of threads threads keeps busy,
 * in whole waves of units x threads_per_unit */
static double
occupancy(const struct gp_hw *h, double threads)
{
	double blocks, waves;

	if (threads <= 0)
		return 1;
	blocks = ceil(threads / h->threads_per_unit);
	waves = ceil(blocks / h->units);
	return blocks / (waves * h->units);
}

struct ctx {
	const struct gp_hw *h;
	int prec;
	int energy;                 /* 2: per-op energies, 1: from TDP, 0: none */
};

static void
estimate(const struct ctx *C, int64_t flops, int64_t bi, int64_t bo, int64_t bw, int64_t thr,
    struct est *e)
{
	const struct gp_hw *h = C->h;
	double peak = h->peak[C->prec] * h->eff_compute, act, occ;
	int al;

	memset(e, 0, sizeof *e);
	e->bound = ".";
	if (flops < 0 || bi < 0 || bo < 0 || bw < 0)
		return;
	e->known = 1;
	occ = occupancy(h, (double)thr);
	act = (double)bi + (double)bo;
	al = level_for(h, act);
	e->compute_s = (double)flops / (peak * occ);
	e->bytes = act + (double)bw;
	e->wbytes = (double)bw;
	e->ai = e->bytes > 0 ? (double)flops / e->bytes : -1;
	/* weights stream from the outermost level: caches between runs hold
	 * activations and other programs' data too, not a model's weights */
	e->memory_s = act / (h->mem[al].bandwidth * h->eff_memory) +
	    (double)bw / (h->mem[0].bandwidth * h->eff_memory);
	e->launch_s = h->launch_per_model ? 0 : h->launch_s;
	/* a CPU dispatches on the core that then runs the kernel: the overhead
	 * adds; accelerators launch asynchronously: a kernel takes at least it */
	if (!strcmp(h->kind, "cpu"))
		e->latency_s = fmax(e->compute_s, e->memory_s) + e->launch_s;
	else
		e->latency_s = fmax(fmax(e->compute_s, e->memory_s), e->launch_s);
	e->bound = e->launch_s > fmax(e->compute_s, e->memory_s) ? "launch" :
	    e->compute_s >= e->memory_s ? "compute" : "memory";
	/* what the kernel would take with the whole chip to itself, for sharing a stage */
	e->work_s = fmax((double)flops / peak, e->memory_s) + (strcmp(h->kind, "cpu") ? 0 : e->launch_s);
	e->util = e->latency_s > 0 ? (double)flops / (e->latency_s * h->peak[C->prec]) : 0;
	if (C->energy == 2) {
		e->energy_j = (double)flops * h->pj_per_flop[C->prec] * 1e-12 +
		    act * fmax(h->mem[al].pj_per_byte, 0) * 1e-12 +
		    (double)bw * fmax(h->mem[0].pj_per_byte, 0) * 1e-12 +
		    fmax(h->idle_w, 0) * e->latency_s;
	} else if (C->energy == 1) {
		/* static power all the time, the rest in proportion to how busy the
		 * busier of the compute units and the memory are */
		double idle = fmax(h->idle_w, 0), busy = 0;

		if (e->latency_s > 0)
			busy = fmin(1, fmax((double)flops / (h->peak[C->prec] * e->latency_s),
			    e->memory_s * h->eff_memory / e->latency_s));
		e->energy_j = e->latency_s * (idle + (h->tdp_w - idle) * busy);
	} else {
		e->energy_j = -1;
	}
}

/* ---- the stream ---- */

static void
setd(struct gp_stream *s, struct gp_table *t, int c, size_t r, double v, struct gp_buf *b)
{
	gp_buf_reset(b);
	if (v < 0 || !isfinite(v))
		gp_buf_adds(b, ".");
	else
		gp_buf_printf(b, "%.6g", v);
	gp_table_set(s, t, c, r, b->buf);
}

static void
kvd(struct gp_buf *h, const char *k, double v)
{
	if (v < 0 || !isfinite(v))
		gp_buf_printf(h, "\t%s=.", k);
	else
		gp_buf_printf(h, "\t%s=%.6g", k, v);
}

/* the model's own floating dtype: its first floating input's, else weight's;
 * in a model with neither (fully quantized), its first 8- or 4-bit input's or
 * weight's; fp32 if none */
static int
model_dtype(const struct gp_graph *g)
{
	size_t i;
	int k;

	for (k = 0; k < 4; k++)
		for (i = 0; i < g->nt_; i++) {
			const struct gp_tensor *t = &g->t[i];

			if (t->graph == 0 && t->kind == (k % 2 ? GP_K_INIT : GP_K_INPUT) &&
			    (k >= 2 || gp_dtype_isfloat(t->dtype)) && gp_prec_of_dtype(t->dtype) >= 0)
				return t->dtype;
		}
	return 1;
}

/* Put one stream on the chip h and write it. */
static void
roofline(struct gp_stream *s, const struct gp_hw *h, const char *pname, int argc, char **argv)
{
	struct gp_graph g;
	struct gp_dag d;
	struct gp_part re;
	struct gp_table *t;
	struct gp_buf b = {0}, hd = {0};
	struct ctx C;
	struct est *e;
	int repart = 0, counted, i;
	int c_name, c_lat, c_by, c_ai, c_cs, c_ms, c_bound, c_util, c_en;
	size_t r;
	double lat = 0, en = 0, flops = 0, tb[3] = {0, 0, 0}, conc = 0, bytes = 0, wbytes = 0;
	int64_t batch;
	int unknown = 0;

	gp_graph_build(&g, s);
	gp_dag_build(&d, &g);
	t = d.t;

	memset(&C, 0, sizeof C);
	C.h = h;
	/* the dtype bytes were counted at: gp-partition's --dtype, else the model's */
	counted = d.dtype > 0 ? d.dtype : model_dtype(&g);
	C.prec = pname ? gp_prec_from_name(pname) : gp_prec_of_dtype(counted);
	if (C.prec < 0)
		C.prec = GP_PREC_FP32;
	if (h->peak[C.prec] <= 0) {
		struct gp_buf have = {0};

		for (i = 0; i < GP_PREC_N; i++)
			if (h->peak[i] > 0)
				gp_buf_printf(&have, "%s%s", have.len ? ", " : "", gp_prec_name(i));
		gp_die("%s: %s has no %s peak (it has %s): choose one with -p", h->path, h->name,
		    gp_prec_name(C.prec), have.buf);
	}
	/* bytes at the precision's element size: gp-partition again at that dtype */
	if (gp_dtype_bits(gp_prec_dtype(C.prec)) != gp_dtype_bits(counted)) {
		struct gp_part_opts o = {0, gp_prec_dtype(C.prec)};
		const char *mode = gp_hdr_field(s, "partition", "mode");

		o.fuse = mode && !strcmp(mode, "fused");
		gp_partition(&g, &o, &re);
		if ((size_t)re.nsg != t->nrow)
			gp_die("%s: the subgraph records are not what gp-partition makes of this graph "
			    "(%zu records, %d subgraphs): run gp-partition again", s->src, t->nrow, re.nsg);
		repart = 1;
	}
	c_name = gp_table_need(s, t, "name");
	if (gp_table_col(t, "flops") < 0 || gp_table_col(t, "bytes_in") < 0 ||
	    gp_table_col(t, "bytes_out") < 0 || gp_table_col(t, "bytes_weight") < 0)
		gp_die("%s: the #subgraph header lacks flops, bytes_in, bytes_out or bytes_weight", s->src);

	C.energy = h->pj_per_flop[C.prec] >= 0 ? 2 : h->tdp_w > 0 ? 1 : 0;
	batch = gp_graph_batch(&g);

	e = gp_xcalloc(t->nrow + 1, sizeof *e);
	for (r = 0; r < t->nrow; r++) {
		int64_t bi = d.bin[r], bo = d.bout[r], bw = d.bw[r];

		if (repart) {
			const struct gp_sub *sg = &re.sg[r];
			const char *nm = g.n[sg->anchor].name;

			gp_buf_reset(&b);
			gp_esc(&b, nm, strlen(nm));
			if (strcmp(b.buf, t->val[c_name][r]))
				gp_die("%s: subgraph %s is not what gp-partition makes of this graph: run "
				    "gp-partition again", s->src, d.id[r]);
			bi = sg->bytes_in;
			bo = sg->bytes_out;
			bw = sg->bytes_weight;
		}
		estimate(&C, d.flops[r], bi, bo, bw, d.threads[r], &e[r]);
		if (!e[r].known) {
			unknown++;
			continue;
		}
		lat += e[r].latency_s;
		en += e[r].energy_j;
		bytes += e[r].bytes;
		wbytes += e[r].wbytes;
		flops += (double)d.flops[r];
		tb[!strcmp(e[r].bound, "compute") ? 0 : !strcmp(e[r].bound, "memory") ? 1 : 2] += e[r].latency_s;
	}
	/* what every run pays once: the runtime's call, or the one launch of a whole-model program */
	{
		double once = h->run_s + (h->launch_per_model ? h->launch_s : 0);

		lat += once;
		tb[2] += once;
	}
	/* running what can run at once: stage by stage (ASAP levels), a stage
	 * as long as its slowest subgraph, and at least as long as all its
	 * subgraphs' work on the whole chip */
	if (!unknown) {
		int *stage = gp_xcalloc((size_t)d.n + 1, sizeof *stage);
		int ns = gp_dag_stages(&d, stage), st;
		double *mx = gp_xcalloc((size_t)ns + 1, sizeof *mx), *sum = gp_xcalloc((size_t)ns + 1, sizeof *sum);

		for (r = 0; r < t->nrow; r++) {
			mx[stage[r]] = fmax(mx[stage[r]], e[r].latency_s);
			sum[stage[r]] += e[r].work_s;
		}
		for (st = 1; st <= ns; st++)
			conc += fmax(mx[st], sum[st]);
		conc += h->run_s + (h->launch_per_model ? h->launch_s : 0);
		free(stage);
		free(mx);
		free(sum);
	}

	c_by = gp_table_addcol(s, t, "bytes_hw");
	c_ai = gp_table_addcol(s, t, "ai_hw");
	c_cs = gp_table_addcol(s, t, "compute_s");
	c_ms = gp_table_addcol(s, t, "memory_s");
	c_lat = gp_table_addcol(s, t, "latency_s");
	c_bound = gp_table_addcol(s, t, "bound");
	c_util = gp_table_addcol(s, t, "util");
	c_en = gp_table_addcol(s, t, "energy_j");
	for (r = 0; r < t->nrow; r++) {
		int k = e[r].known;

		setd(s, t, c_by, r, k ? e[r].bytes : -1, &b);
		gp_buf_reset(&b);
		if (k && e[r].ai >= 0)
			gp_buf_printf(&b, "%.4g", e[r].ai);     /* as gp-partition's ai */
		else
			gp_buf_adds(&b, ".");
		gp_table_set(s, t, c_ai, r, b.buf);
		setd(s, t, c_cs, r, k ? e[r].compute_s : -1, &b);
		setd(s, t, c_ms, r, k ? e[r].memory_s : -1, &b);
		setd(s, t, c_lat, r, k ? e[r].latency_s : -1, &b);
		gp_table_set(s, t, c_bound, r, e[r].bound);
		setd(s, t, c_util, r, k ? e[r].util : -1, &b);
		setd(s, t, c_en, r, k ? e[r].energy_j : -1, &b);
	}

	gp_buf_printf(&hd, "hw=%s\tprecision=%s", h->name, gp_prec_name(C.prec));
	if (batch > 0)
		gp_buf_printf(&hd, "\tbatch=%" PRId64, batch);
	else
		gp_buf_adds(&hd, "\tbatch=.");
	if (unknown) {
		gp_buf_printf(&hd, "\tlatency_s=.\tthroughput_per_s=.\tenergy_j=.\tunknown=%d", unknown);
	} else {
		kvd(&hd, "latency_s", lat);
		kvd(&hd, "latency_concurrent_s", conc);
		kvd(&hd, "throughput_per_s", batch > 0 && lat > 0 ? (double)batch / lat : -1);
		kvd(&hd, "energy_j", C.energy ? en : -1);
		kvd(&hd, "energy_per_inference_j", C.energy && batch > 0 ? en / (double)batch : -1);
		kvd(&hd, "power_w", C.energy && lat > 0 ? en / lat : -1);
		kvd(&hd, "util", lat > 0 ? flops / (lat * h->peak[C.prec]) : -1);
		kvd(&hd, "bytes", bytes);
		kvd(&hd, "weight_bytes", wbytes);
		kvd(&hd, "compute_bound_share", lat > 0 ? tb[0] / lat : -1);
		kvd(&hd, "memory_bound_share", lat > 0 ? tb[1] / lat : -1);
		kvd(&hd, "launch_bound_share", lat > 0 ? tb[2] / lat : -1);
		gp_buf_adds(&hd, "\tunknown=0");
	}
	/* exactly, for gp-report's batch to fill the chip */
	gp_buf_printf(&hd, "\tunits=%.0f\tthreads_per_unit=", h->units);
	if (h->threads_per_unit == floor(h->threads_per_unit) && h->threads_per_unit < 1e15)
		gp_buf_printf(&hd, "%.0f", h->threads_per_unit);
	else
		gp_fmt_double(&hd, h->threads_per_unit);
	/* the batch that fills this chip, counted as gp-concur --units counts it
	 * (docs/concurrency.md): gp-report takes it from here */
	{
		int64_t by_graph = gp_batch_to_fill_graph(h->units, gp_dag_widest(&d));
		double by_threads = gp_dag_batch_to_fill(&d, h->units * h->threads_per_unit, batch);

		if (by_graph > 0)
			gp_buf_printf(&hd, "\tbatch_to_fill_graph=%" PRId64, by_graph);
		else
			gp_buf_adds(&hd, "\tbatch_to_fill_graph=.");
		if (by_threads > 0 && by_threads < 1e18)
			gp_buf_printf(&hd, "\tbatch_to_fill_threads=%.0f", by_threads);
		else
			gp_buf_adds(&hd, "\tbatch_to_fill_threads=.");
	}
	kvd(&hd, "peak_ops", h->peak[C.prec]);
	kvd(&hd, "bandwidth", h->mem[0].bandwidth);
	kvd(&hd, "ridge_ai", h->peak[C.prec] * h->eff_compute / (h->mem[0].bandwidth * h->eff_memory));
	gp_buf_printf(&hd, "\tenergy_model=%s", C.energy == 2 ? "per-op" : C.energy == 1 ? "tdp" : "none");
	gp_hdr_set(s, "roofline", hd.buf);
	gp_stream_write(s, stdout, argc, argv);

	free(e);
	if (repart)
		gp_part_release(&re);
	gp_buf_release(&b);
	gp_buf_release(&hd);
	gp_dag_release(&d);
	gp_graph_release(&g);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"hw", required_argument, NULL, 'H'},
		{"precision", required_argument, NULL, 'p'},
		{"list", no_argument, NULL, 'l'},
		{"check", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *hwname = NULL, *pname = NULL;
	struct gp_input in;
	struct gp_stream s;
	struct gp_hw h;
	int c, check = 0, i;

	gp_init(argv);
	while ((c = getopt_long(argc, argv, "H:p:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			hwname = optarg;
			break;
		case 'p':
			if (gp_prec_from_name(optarg) < 0) {
				fprintf(stderr, "%s: -p: '%s' is not fp64, fp32, tf32, fp16, bf16, fp8, int8 or int4\n",
				    gp_prog, optarg);
				return GP_EXIT_USAGE;
			}
			pname = optarg;
			break;
		case 'l':
			list();
			return gp_close_stdout();
		case 'c':
			check = 1;
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
	if (check) {
		if (optind == argc)
			gp_die_usage(usage);
		for (i = optind; i < argc; i++) {
			gp_hw_load(&h, argv[i]);
			printf("%s\tok\t%s\n", h.path, h.name);
			gp_hw_release(&h);
		}
		return gp_close_stdout();
	}
	if (optind != argc || !hwname)
		gp_die_usage(usage);
	gp_hw_load(&h, hwname);

	gp_input_init(&in, stdin, "stdin");
	while (gp_stream_next(&in, &s)) {
		roofline(&s, &h, pname, argc, argv);
		gp_stream_release(&s);
	}
	gp_input_release(&in);
	gp_hw_release(&h);
	return gp_close_stdout();
}
