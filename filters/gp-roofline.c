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
#include "roofline.h"

/* the tables it reads: the others pass through as their lines (gp_stream_lazy) */
static const char *const tables[] = {"subgraph", "tensor", NULL};

static const char usage[] =
    "-H PROFILE [-R RUNTIME] [-p PRECISION] < STREAM\n"
    "       gp-roofline --list | --list-runtimes\n"
    "       gp-roofline --check PROFILE... | --check-runtime RUNTIME...";

static const char help[] =
    "Read a gp stream that gp-partition has split into subgraphs and add, for the\n"
    "chip a hardware profile describes, each subgraph's compute time, memory time,\n"
    "latency, what bounds it (compute, memory or launch) and what limits it (tiles\n"
    "on too few units, a memory level, the dispatch), its utilization and its\n"
    "energy; a ##roofline header holds the totals: latency, throughput, energy,\n"
    "power, and the share of time that is compute-, memory- and launch-bound.\n\n"
    "  -H, --hw PROFILE    a profile name (gp-roofline --list) or a .yaml file\n"
    "  -R, --runtime RT    the runtime that runs the model (gp-roofline --list-runtimes,\n"
    "                      or a .yaml file): its dispatch cost per kernel and per run,\n"
    "                      its copies and its kernels' efficiency\n"
    "  -p, --precision P   fp64 fp32 tf32 fp16 bf16 fp8 int8 int4: the peak used and\n"
    "                      the element size bytes are counted at (default: the\n"
    "                      dtype of the weights its multiply-accumulates read,\n"
    "                      bytes as they are)\n"
    "      --list          list the profiles there are, one line each\n"
    "      --list-runtimes list the runtime profiles there are, one line each\n"
    "      --check         validate the profiles named, print one line each\n"
    "      --check-runtime validate the runtime profiles named, print one line each\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n\n"
    "Profiles are looked up in $GP_HW_PATH, then hw/ beside the programs, then the\n"
    "installed share/gp/hw. The model: docs/roofline.md; the schema: docs/hardware.md.\n";

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

static void
list_runtimes(void)
{
	char **paths;
	int n = gp_hw_list_runtimes(&paths), i;

	for (i = 0; i < n; i++) {
		struct gp_hw h;

		memset(&h, 0, sizeof h);
		gp_hw_load_runtime(&h, paths[i]);
		printf("%s\t%s\t%s\n", h.rt->name, h.rt->runs_on, h.rt->title);
		gp_hw_release(&h);
		free(paths[i]);
	}
	free(paths);
}

/* ---- the model ---- */

struct est {
	struct gp_mapped m;
	double util, energy_j, ai;
	double bytes, wbytes;       /* moved, and of weights, at the precision */
	int known;
};

struct ctx {
	const struct gp_hw *h;
	int prec;
	int energy;                 /* 2: per-op energies, 1: from TDP, 0: none */
};

/* put kernel k on the chip: gp_map_kernel (lib/mapping.c), then utilization and energy */
static void
estimate(const struct ctx *C, const struct gp_kernel *k, struct est *e)
{
	const struct gp_hw *h = C->h;
	const struct gp_mapped *m = &e->m;

	gp_map_kernel(h, C->prec, k, &e->m);
	e->bytes = k->rd + k->wr + k->wt;
	e->wbytes = k->wt;
	e->ai = e->bytes > 0 ? k->flops / e->bytes : -1;
	e->util = m->latency_s > 0 ? k->flops / (m->latency_s * h->peak[C->prec]) : 0;
	if (C->energy == 2) {
		e->energy_j = k->flops * h->pj_per_flop[C->prec] * 1e-12 +
		    (k->rd - k->inp + k->wr) * fmax(h->mem[m->act_level].pj_per_byte, 0) * 1e-12 +
		    (k->wt + k->inp) * fmax(h->mem[m->wt_level].pj_per_byte, 0) * 1e-12 +
		    fmax(h->idle_w, 0) * m->latency_s;
	} else if (C->energy == 1) {
		/* static power all the time, the rest in proportion to how busy the
		 * busier of the compute units and the memory are */
		double idle = fmax(h->idle_w, 0), busy = 0;

		if (m->latency_s > 0)
			busy = fmin(1, fmax(k->flops / (h->peak[C->prec] * m->latency_s),
			    m->memory_s * h->eff_memory / m->latency_s));
		e->energy_j = m->latency_s * (idle + (h->tdp_w - idle) * busy);
	} else {
		e->energy_j = -1;
	}
}

/* ---- the stream ---- */

static void
setd(struct gp_stream *s, struct gp_table *t, int c, size_t r, double v)
{
	gp_table_set_g(s, t, c, r, v, 6);
}

static void
kvd(struct gp_buf *h, const char *k, double v)
{
	gp_buf_printf(h, "\t%s=", k);
	gp_fmt_num(h, v, 6);
}

/* hdr_nodes: a count of nodes in gp-partition's header (shape_nodes,
 * view_nodes); 0 when it has none */
static double
hdr_nodes(struct gp_stream *s, const char *key)
{
	const char *v = gp_hdr_field(s, "partition", key);
	int64_t n = 0;

	return v && gp_parse_i64(v, &n) == 0 && n > 0 ? (double)n : 0;
}

/* What gp-roofline needs of the main graph's tensor records, read in one
 * pass: the model's own dtype, and its inputs' and outputs' sizes. */
struct gio {
	int first[4];               /* the first float input's, float weight's, any input's, any weight's dtype */
	int64_t *fe[2];             /* the element counts of the float inputs [0] and outputs [1] */
	size_t nfe[2], cap[2];
	double other[2];            /* the bytes of the others, in their own dtypes */
	double own[2];              /* the float ones' bytes in their own dtypes */
	int n[2];                   /* how many inputs and outputs, of any dtype */
};

static void
graph_io(struct gp_stream *s, struct gio *io)
{
	struct gp_trec tr;
	int k;

	memset(io, 0, sizeof *io);
	gp_trec_init(&tr, s);
	while (gp_trec_next(&tr)) {
		int out = tr.kind == GP_K_OUTPUT;
		int64_t e;

		for (k = 0; k < 4; k++)
			if (!io->first[k] && tr.kind == (k % 2 ? GP_K_INIT : GP_K_INPUT) &&
			    (k >= 2 || gp_dtype_isfloat(tr.dtype)) && gp_prec_of_dtype(tr.dtype) >= 0)
				io->first[k] = tr.dtype;
		if (tr.kind != GP_K_INPUT && !out)
			continue;
		io->n[out]++;
		if ((e = gp_trec_numel(&tr)) <= 0)
			continue;
		if (!gp_dtype_isfloat(tr.dtype)) {
			if (gp_dtype_bits(tr.dtype) > 0)
				io->other[out] += ceil((double)e * gp_dtype_bits(tr.dtype) / 8);
			continue;
		}
		if (io->nfe[out] == io->cap[out]) {
			io->cap[out] = io->cap[out] ? 2 * io->cap[out] : 16;
			io->fe[out] = gp_xreallocarray(io->fe[out], io->cap[out], sizeof *io->fe[out]);
		}
		io->fe[out][io->nfe[out]++] = e;
		io->own[out] += ceil((double)e * gp_dtype_bits(tr.dtype) / 8);
	}
	gp_trec_release(&tr);
}

/* the model's own floating dtype: its first floating input's, else weight's;
 * in a model with neither (fully quantized), its first 8- or 4-bit input's or
 * weight's; fp32 if none */
static int
model_dtype(const struct gio *io)
{
	int k;

	for (k = 0; k < 4; k++)
		if (io->first[k])
			return io->first[k];
	return 1;
}

/* bytes of the main graph's inputs (out 0) or outputs (1): what a runtime
 * copies each run; the float ones at the precision when the kernels' bytes
 * are scaled to it (scale), else in their own dtypes (a quantized model's
 * fp32 outputs stay 4 bytes at its int8 peak) */
static double
io_bytes(const struct gio *io, int out, int prec, int scale)
{
	double b = io->other[out], bits = gp_dtype_bits(gp_prec_dtype(prec));
	size_t i;

	if (!scale)
		return b + io->own[out];
	for (i = 0; bits > 0 && i < io->nfe[out]; i++)
		b += ceil((double)io->fe[out][i] * bits / 8);
	return b;
}

/* widest: the most subgraphs in one stage, gp-concur's max_parallel where it
 * has run on these subgraphs (concur: a count of them, or it dies), else
 * counted from the DAG. */
static int
widest(struct gp_stream *s, const struct gp_dag *d, int concur)
{
	const char *v;
	int64_t n;

	if (!concur)
		return gp_dag_widest(d);
	if (!(v = gp_hdr_field(s, "concur", "subgraphs")) || gp_parse_i64(v, &n) < 0 || n != d->n)
		gp_die("%s: the ##concur header counts %s subgraphs, the stream has %d (run gp-concur "
		    "again)", s->src, v ? v : "no", d->n);
	if (!(v = gp_hdr_field(s, "concur", "max_parallel")) || gp_parse_i64(v, &n) < 0 || n < 0 ||
	    n > d->n || (n == 0 && d->n > 0))
		gp_die("%s: the ##concur header's max_parallel '%s' is not a count of its %d subgraphs "
		    "(run gp-concur again)", s->src, v ? v : "", d->n);
	return (int)n;
}

/* Of subgraph v's input bytes (bytes_in), the share that kernels which ran
 * on more than one unit (split[p]) wrote; -1 when a size is not known. Such
 * a tensor's size is its record's, else its writer's bytes_out over its
 * outputs. */
static double
split_share(const struct gp_dag *d, int v, const char *split)
{
	double sp = 0;
	int i, t, p;

	if (d->bin[v] <= 0)
		return d->bin[v] == 0 ? 0 : -1;
	for (i = d->i0[v]; i < d->i0[v + 1]; i++) {
		t = d->in[i];
		if ((p = d->tprod[t]) < 0 || !split[p])
			continue;
		if (d->tbytes && d->tbytes[t] >= 0)
			sp += (double)d->tbytes[t];
		else if (d->bout[p] >= 0 && d->o0[p + 1] > d->o0[p])
			sp += (double)d->bout[p] / (d->o0[p + 1] - d->o0[p]);
		else
			return -1;
	}
	return fmin(1, sp / (double)d->bin[v]);
}

/* Put one stream on the chip h. */
static void
roofline(struct gp_stream *s, const struct gp_hw *h, int prec)
{
	struct gp_dag d;
	struct gp_table *t;
	struct gp_buf b = {0}, hd = {0};
	struct ctx C;
	struct est e;
	double *elat, *ework;
	struct gp_kernel k;
	struct kcols K;
	struct gio io;
	struct gp_gemm gm[GP_GEMM_MAX];
	int counted, wprec, i, scale;
	int c_lat, c_by, c_ai, c_cs, c_ms, c_bound, c_limit, c_util, c_en, c_ro;
	size_t r;
	double lat = 0, en = 0, flops = 0, tb[3] = {0, 0, 0}, conc = 0, bytes = 0, wbytes = 0, bits;
	double resident, wt = 0, most = 0, wrote = 0, once, copy_s = 0, shape_s = 0, view_s = 0, io_s = 0, inb;
	int64_t batch, *stage = NULL;
	int unknown = 0, concur, cross;
	char *split = NULL;

	/* what the subgraph records say is all gp-roofline reads of them; the
	 * DAG between them, checked and measured, is gp-concur's (its ##concur
	 * header), and is built here only where gp-concur has not run */
	if ((concur = gp_hdr_get(s, "concur") != NULL))
		gp_dag_records(&d, s);
	else
		gp_dag_build(&d, s);
	t = d.t;

	memset(&C, 0, sizeof C);
	C.h = h;
	/* the dtype bytes were counted at: gp-partition's --dtype, else the
	 * model's; the precision: -p, else that --dtype, else the weights' */
	graph_io(s, &io);
	counted = d.dtype > 0 ? d.dtype : model_dtype(&io);
	wprec = d.dtype > 0 ? -1 : d.weights_prec;
	C.prec = prec >= 0 ? prec : d.dtype > 0 || wprec < 0 ? gp_prec_of_dtype(counted) : wprec;
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
	/* a float model may be asked about at a lower float precision; anything
	 * else -p asks that its weights are not is said */
	if (prec >= 0 && wprec >= 0 && C.prec != wprec && !((wprec == GP_PREC_FP32 || wprec == GP_PREC_FP64) &&
	    C.prec != GP_PREC_INT8 && C.prec != GP_PREC_INT4))
		gp_warn("%s: -p %s, but the model's weights are %s: counted at %s, as asked", s->src,
		    gp_prec_name(prec), gp_prec_name(wprec), gp_prec_name(prec));
	gp_table_need(s, t, "name");
	if (gp_table_col(t, "flops") < 0 || gp_table_col(t, "bytes_in") < 0 ||
	    gp_table_col(t, "bytes_out") < 0 || gp_table_col(t, "bytes_weight") < 0)
		gp_die("%s: the #subgraph header lacks flops, bytes_in, bytes_out or bytes_weight", s->src);
	/* bytes at the precision's element size: the floating elements gp-partition counted, scaled */
	bits = gp_dtype_bits(gp_prec_dtype(C.prec));
	/* only when -p asks for another precision than the weights': a quantized
	 * model at its int8 peak keeps the bytes its dtypes have */
	scale = prec >= 0 && C.prec != wprec && bits != gp_dtype_bits(counted);
	if (scale && (gp_table_col(t, "float_elems") < 0 || gp_table_col(t, "float_bytes") < 0))
		gp_die("%s: the #subgraph header has no float_elems and float_bytes, which counting bytes "
		    "at %s needs (gp-partition writes them)", s->src, gp_prec_name(C.prec));

	C.energy = h->pj_per_flop[C.prec] >= 0 ? 2 : h->tdp_w > 0 ? 1 : 0;
	batch = d.batch;
	/* the graph's inputs, which live between runs beside the weights */
	inb = io_bytes(&io, 0, C.prec, scale);
	if (h->rt && h->host_link > 0)
		copy_s = ((h->rt->copy_inputs ? inb : 0) +
		    (h->rt->copy_outputs ? io_bytes(&io, 1, C.prec, scale) : 0)) / h->host_link;
	/* and the runtime's binding of each input and output past the first of each,
	 * which its run_s holds */
	if (h->rt)
		io_s = (io.n[0] > 1 ? io.n[0] - 1 : 0) * h->rt->input_s +
		    (io.n[1] > 1 ? io.n[1] - 1 : 0) * h->rt->output_s;
	free(io.fe[0]);
	free(io.fe[1]);

	/* on a CPU runtime's several threads, what a kernel reads of what a kernel
	 * split over them wrote (lib/mapping.c): the edges, where gp-concur's
	 * records left them out */
	cross = h->rt && h->units > 1 && h->cross_bw > 0 && !strcmp(h->kind, "cpu");
	if (cross) {
		if (concur)
			gp_dag_edges(&d);
		split = gp_xcalloc(t->nrow + 1, 1);
	}
	kcols_open(&K, &d, h, scale, bits);
	elat = gp_xcalloc(t->nrow + 1, sizeof *elat);
	ework = gp_xcalloc(t->nrow + 1, sizeof *ework);
	/* a first pass for what every kernel's mapping needs of the others */
	for (r = 0; r < t->nrow; r++) {
		if (!kernel_at(&K, r, &k, gm))
			continue;
		wt += k.wt;
		most = fmax(most, k.rd + k.wr);
		wrote += k.wr;
	}
	/* where weights and the graph's inputs live between runs (lib/mapping.c) */
	resident = gp_map_resident(h, wt + inb, wrote, most);
	/* each subgraph's estimate, into its columns as it is made */
	c_by = gp_table_addcol(s, t, "bytes_hw");
	c_ai = gp_table_addcol(s, t, "ai_hw");
	c_cs = gp_table_addcol(s, t, "compute_s");
	c_ms = gp_table_addcol(s, t, "memory_s");
	c_lat = gp_table_addcol(s, t, "latency_s");
	c_bound = gp_table_addcol(s, t, "bound_hw");
	c_limit = gp_table_addcol(s, t, "limit");
	c_util = gp_table_addcol(s, t, "util");
	c_en = gp_table_addcol(s, t, "energy_j");
	/* of latency_s, the NCHWc reorders' beside it, where there are any */
	c_ro = K.ro ? gp_table_addcol(s, t, "reorder_s") : -1;
	K.classify = 1;
	for (r = 0; r < t->nrow; r++) {
		if (!kernel_at(&K, r, &k, gm)) {
			const int hw[] = {c_by, c_ai, c_cs, c_ms, c_lat, c_bound, c_limit, c_util, c_en};

			unknown++;
			for (i = 0; i < 9; i++)
				gp_table_set(s, t, hw[i], r, ".");
			if (c_ro >= 0)
				gp_table_set(s, t, c_ro, r, ".");
			continue;
		}
		k.resident = resident;
		if (cross) {
			double f = split_share(&d, (int)r, split);

			k.rd_split = f >= 0 ? f * k.rd : -1;
		}
		memset(&e, 0, sizeof e);
		estimate(&C, &k, &e);
		if (cross)
			split[r] = e.m.threads > 1;
		lat += e.m.latency_s;
		en += e.energy_j;
		bytes += e.bytes;
		wbytes += e.wbytes;
		flops += k.flops;
		tb[!strcmp(e.m.bound, "compute") ? 0 : !strcmp(e.m.bound, "memory") ? 1 : 2] += e.m.latency_s;
		elat[r] = e.m.latency_s;
		ework[r] = e.m.work_s;
		setd(s, t, c_by, r, e.bytes);
		gp_table_set_g(s, t, c_ai, r, e.ai, 4);         /* as gp-partition's ai */
		setd(s, t, c_cs, r, e.m.compute_s);
		setd(s, t, c_ms, r, e.m.memory_s);
		setd(s, t, c_lat, r, e.m.latency_s);
		gp_table_set(s, t, c_bound, r, e.m.bound);
		gp_buf_reset(&b);
		gp_esc(&b, e.m.limit, strlen(e.m.limit));
		gp_table_set(s, t, c_limit, r, b.buf);
		setd(s, t, c_util, r, e.util);
		setd(s, t, c_en, r, e.energy_j);
		if (c_ro >= 0)
			setd(s, t, c_ro, r, e.m.reorder_s);
	}
	kcols_close(&K);
	free(split);
	/* what every run pays once: the runtime's call, or the one launch of a
	 * whole-model program; and the copies of inputs and outputs over the host link */
	/* a runtime that does not know the shapes runs the shape computations gp folded */
	if (h->rt && h->rt->shape_nodes)
		shape_s = hdr_nodes(s, "shape_nodes") * gp_map_dispatch(h);
	/* and one that runs the views gp finds free (a Reshape) as nodes, each one dispatch */
	if (h->rt && h->rt->view_nodes)
		view_s = hdr_nodes(s, "view_nodes") * gp_map_dispatch(h);
	once = (h->rt ? h->rt->run_s : h->run_s) + (h->launch_per_model ? h->launch_s : 0) + copy_s + io_s + shape_s + view_s;
	lat += once;
	tb[2] += once;
	/* running what can run at once: stage by stage (gp-concur's stages, ASAP
	 * levels), a stage as long as its slowest subgraph, and at least as long
	 * as all its subgraphs' work on the whole chip; without gp-concur's
	 * column, not known (gp-concur runs before gp-roofline: docs/roofline.md) */
	conc = -1;
	if (!unknown && (stage = gp_dag_counts(&d, "stage"))) {
		int64_t ns = 0, st;
		double *mx, *sum;

		for (r = 0; r < t->nrow; r++) {
			if (stage[r] < 1 || stage[r] > (int64_t)t->nrow)
				gp_die("%s: subgraph %s: stage '%s' is not a stage of %zu subgraphs (run gp-concur "
				    "again)", s->src, gp_dag_id(&d, r), gp_val(t, gp_table_col(t, "stage"), r), t->nrow);
			ns = stage[r] > ns ? stage[r] : ns;
		}
		mx = gp_xcalloc((size_t)ns + 1, sizeof *mx);
		sum = gp_xcalloc((size_t)ns + 1, sizeof *sum);
		for (r = 0; r < t->nrow; r++) {
			mx[stage[r]] = fmax(mx[stage[r]], elat[r]);
			sum[stage[r]] += ework[r];
		}
		conc = once;
		for (st = 1; st <= ns; st++)
			conc += fmax(mx[st], sum[st]);
		free(mx);
		free(sum);
	}
	free(stage);
	free(elat);
	free(ework);

	gp_buf_printf(&hd, "hw=%s\tprecision=%s", h->name, gp_prec_name(C.prec));
	if (h->rt) {
		gp_buf_adds(&hd, "\truntime=");
		gp_esc(&hd, h->rt->name, strlen(h->rt->name));
	}
	if (batch > 0)
		gp_buf_printf(&hd, "\tbatch=%" PRId64, batch);
	else
		gp_buf_adds(&hd, "\tbatch=.");
	if (unknown) {
		gp_buf_printf(&hd, "\tlatency_s=.\tthroughput_per_s=.\tenergy_j=.\tunknown=%d", unknown);
	} else {
		kvd(&hd, "latency_s", lat);
		kvd(&hd, "latency_concurrent_s", conc);
		/* back to back, a runtime copies one batch while it computes the previous one */
		kvd(&hd, "throughput_per_s", batch > 0 && lat > 0 ? (double)batch / fmax(lat - copy_s, copy_s) : -1);
		kvd(&hd, "energy_j", C.energy ? en : -1);
		kvd(&hd, "energy_per_inference_j", C.energy && batch > 0 ? en / (double)batch : -1);
		kvd(&hd, "power_w", C.energy && lat > 0 ? en / lat : -1);
		kvd(&hd, "util", lat > 0 ? flops / (lat * h->peak[C.prec]) : -1);
		kvd(&hd, "bytes", bytes);
		kvd(&hd, "weight_bytes", wbytes);
		kvd(&hd, "compute_bound_share", lat > 0 ? tb[0] / lat : -1);
		kvd(&hd, "memory_bound_share", lat > 0 ? tb[1] / lat : -1);
		kvd(&hd, "launch_bound_share", lat > 0 ? tb[2] / lat : -1);
		if (h->rt) {
			kvd(&hd, "run_s", h->rt->run_s);
			kvd(&hd, "copy_s", copy_s);
			kvd(&hd, "io_s", io_s);
			kvd(&hd, "shape_s", shape_s);
			kvd(&hd, "view_s", view_s);
		}
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
		int64_t by_graph = gp_batch_to_fill_graph(h->units, widest(s, &d, concur));
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
	/* the roofs each kernel class can reach, for gp-report's chart: the
	 * vector unit's peak, and every memory level's read bandwidth, outermost
	 * first (names percent-encoded, so a ',' in one cannot split the list) */
	kvd(&hd, "vector_ops", h->vpeak[C.prec] > 0 ? h->vpeak[C.prec] : h->peak[C.prec]);
	gp_buf_adds(&hd, "\troof_levels=");
	for (i = 0; i < h->nmem; i++) {
		if (i)
			gp_buf_adds(&hd, ",");
		gp_esc(&hd, h->mem[i].level, strlen(h->mem[i].level));
	}
	gp_buf_adds(&hd, "\troof_bandwidths=");
	for (i = 0; i < h->nmem; i++) {
		if (i)
			gp_buf_adds(&hd, ",");
		gp_fmt_num(&hd, h->mem[i].read_bw, 6);
	}
	/* and the runtime's kernel classes that stream slower than its memory
	 * rate: their roof from the outermost level (only when it gives them) */
	for (i = 1, r = 0; h->rt && i < GP_KC_N; i++)
		r += h->rt->eff_class[i] > 0;
	if (r) {
		gp_buf_adds(&hd, "\troof_classes=");
		for (i = 1, r = 0; i < GP_KC_N; i++)
			if (h->rt->eff_class[i] > 0)
				gp_buf_printf(&hd, "%s%s", r++ ? "," : "", gp_kclass_names[i]);
		gp_buf_adds(&hd, "\troof_class_bandwidths=");
		for (i = 1, r = 0; i < GP_KC_N; i++) {
			if (h->rt->eff_class[i] <= 0)
				continue;
			if (r++)
				gp_buf_adds(&hd, ",");
			gp_fmt_num(&hd, h->mem[0].read_bw * h->eff_memory * h->rt->eff_class[i], 6);
		}
	}
	/* and what a GEMV's products reach, when the runtime says (efficiency.gemv_compute) */
	if (h->rt && h->rt->eff_gemv_compute > 0)
		kvd(&hd, "roof_gemv_ops", h->peak[C.prec] * h->eff_compute * h->rt->eff_gemv_compute);
	gp_buf_printf(&hd, "\tenergy_model=%s", C.energy == 2 ? "per-op" : C.energy == 1 ? "tdp" : "none");
	gp_hdr_set(s, "roofline", hd.buf);

	gp_buf_release(&b);
	gp_buf_release(&hd);
	gp_dag_release(&d);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"hw", required_argument, NULL, 'H'},
		{"runtime", required_argument, NULL, 'R'},
		{"list-runtimes", no_argument, NULL, 'L'},
		{"check-runtime", no_argument, NULL, 'C'},
		{"precision", required_argument, NULL, 'p'},
		{"list", no_argument, NULL, 'l'},
		{"check", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "H:R:p:", opts};
	const char *hwname = NULL, *rtname = NULL;
	struct gp_input in;
	struct gp_stream s;
	struct gp_hw h;
	int c, check = 0, i, prec = -1;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'H':
			hwname = optarg;
			break;
		case 'R':
			rtname = optarg;
			break;
		case 'L':
			list_runtimes();
			return gp_close_stdout();
		case 'C':
			check = 2;
			break;
		case 'p':
			prec = gp_prec_arg("-p", optarg);
			break;
		case 'l':
			list();
			return gp_close_stdout();
		case 'c':
			check = 1;
			break;
		}
	}
	if (check) {
		if (optind == argc)
			gp_die_usage(usage);
		for (i = optind; i < argc; i++) {
			if (check == 2) {
				memset(&h, 0, sizeof h);
				gp_hw_load_runtime(&h, argv[i]);
				printf("%s\tok\t%s\n", h.rt->path, h.rt->name);
			} else {
				gp_hw_load(&h, argv[i]);
				printf("%s\tok\t%s\n", h.path, h.name);
			}
			gp_hw_release(&h);
		}
		return gp_close_stdout();
	}
	if (optind != argc || !hwname)
		gp_die_usage(usage);
	gp_hw_load(&h, hwname);
	if (rtname)
		gp_hw_load_runtime(&h, rtname);

	gp_stream_lazy(tables, 1);
	gp_input_init(&in, stdin, "stdin");
	while (gp_stream_next(&in, &s)) {
		roofline(&s, &h, prec);
		gp_stream_emit(&s, argc, argv, gp_input_more(&in));
		gp_stream_release(&s);
	}
	gp_input_release(&in);
	gp_hw_release(&h);
	return gp_close_stdout();
}
