/* gp-calibrate - measure this machine and write its hardware profile (YAML)
 *
 * Peak fp32 FMA throughput, DRAM read and STREAM-triad bandwidth, the read
 * and triad bandwidth inside each cache level (and the last level's capacity
 * as its bandwidth shows it), the rate a thread reads what another wrote,
 * and the cost of dispatching a kernel to a pool
 * of threads, on one thread and on all of them; with the CPU's name, clock,
 * cache sizes and memory from /proc and /sys. The profile is what gp-roofline
 * reads from hw/. Every figure is the best of several timed runs; --runs
 * repeats everything and keeps the medians. A busy machine is noticed (the
 * load average, the spread between runs) and said, not written as fact.
 */
#define _GNU_SOURCE             /* sched_getaffinity: the CPUs this process may use */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "calibrate.h"

static const char usage[] = "[--threads N] [--name NAME] [--tdp W] [--runs N] [--quick] [-v] [-o FILE]";

static const char help[] =
    "Measure this machine and write a hardware profile (YAML, the schema of hw/)\n"
    "on standard output: peak fp32 FMA throughput, STREAM-triad memory bandwidth,\n"
    "the read bandwidth of each cache level, the rate a thread reads what another\n"
    "wrote (on N > 1), and the cost of dispatching a kernel to a pool of threads,\n"
    "on one thread and on N. It takes a few seconds; keep\n"
    "the machine otherwise idle.\n\n"
    "  --threads N     use N threads (default: the CPUs this process may run on)\n"
    "  --name NAME     the profile's name (default host)\n"
    "  --tdp W         the chip's thermal design power in watts, for energy\n"
    "                  estimates (without it the profile has no power section)\n"
    "  --runs N        measure everything N times (default 1) and keep the median;\n"
    "                  say how far the figures spread, on standard error and in the\n"
    "                  profile's comments\n"
    "  --quick         shorter, noisier runs (about a second)\n"
    "  -o, --output FILE\n"
    "                  write the profile to FILE instead, atomically (a\n"
    "                  symbolic link: its target); checked before measuring\n"
    "  -v, --verbose   say what is measured, and the result, on standard error\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n\n"
    "FLOPs count 2 per fused multiply-add per SIMD lane. Memory bandwidth counts\n"
    "24 bytes per element of a[i] = b[i] + s*c[i] on doubles, as STREAM does\n"
    "(the write-allocate read of a is not counted). Each cache level is read and\n"
    "triad-ed inside its capacity (a buffer twice the level below it, at most half\n"
    "its own); the last level's capacity is what its read bandwidth shows in most\n"
    "of the --runs, when that is less than the system says (a virtual machine may\n"
    "report the host's), busy or not.\n"
    "Cache sizes come from /sys/devices/system/cpu/cpu0/cache, else sysconf(3).\n"
    "A busy machine (a load average above the idle CPUs) or an unsteady one (figures\n"
    "that spread more than 10% over --runs without such a load) is said on standard\n"
    "error and in the profile.\n";


/* The write bandwidth a triad implies, given the read bandwidth: a triad
 * element reads 16 bytes and writes 8 (STREAM's 24), so 24 / triad = 16 /
 * read + 8 / write; the triad bandwidth itself when that says nothing
 * sensible (reads no faster than the triad, or a write 8x the read). */
static double
write_bw(double triad, double read)
{
	double d = 24 / triad - 16 / read;

	if (!(d > 0) || 8 / d > 8 * read)
		return triad;
	return 8 / d;
}

/* triad arrays of len elements (a multiple of 64), touched by nthr threads */
static void
triad_arrays(struct pool *p, struct job *j, size_t len, int nthr)
{
	j->len = len;
	j->a = gp_pages(len * sizeof(double));
	j->b = gp_pages(len * sizeof(double));
	j->c = gp_pages(len * sizeof(double));
	j->nthr = nthr;
	if (nthr > 1)
		pool_run(p, run_touch, j);
	else
		run_touch(j, 0);
}

static void
triad_free(struct job *j)
{
	gp_pages_free(j->a);
	gp_pages_free(j->b);
	gp_pages_free(j->c);
	j->a = j->b = j->c = NULL;
}

/* Read bandwidth of one thread over a buffer of bytes (a multiple of CHUNK floats). */
static double
read_once(const struct opts *o, struct pool *p, const struct result *r, float *sum, size_t bytes,
    const char *what)
{
	struct job j;
	float *buf[1];
	size_t n = bytes / sizeof(float), k;
	double bw;

	buf[0] = gp_pages(bytes);
	for (k = 0; k < n; k++)
		buf[0][k] = (float)(k % 7) * 0.125f;
	memset(&j, 0, sizeof j);
	j.k = r->k;
	j.buf = buf;
	j.sum = sum;
	j.nfl = n;
	j.nthr = 1;
	bw = measure(o, p, run_read, &j, (double)bytes, what);
	gp_pages_free(buf[0]);
	return bw;
}

/* floats in bytes, in whole CHUNKs, at least one */
static size_t
chunks(double bytes)
{
	size_t n = (size_t)(bytes / sizeof(float)) / CHUNK * CHUNK;

	return n < CHUNK ? CHUNK : n;
}

/* Measure every cache level whose size is known, inside its capacity: a
 * buffer twice the level below it (which a streaming read then misses), at
 * most half its own; read-only on 1 thread and all, triad on all. The last
 * level's capacity is then probed: the largest buffer up to half the size
 * the system says (in steps of 1.5 and 4/3) whose read bandwidth stays above
 * the geometric mean of the level's and DRAM's (a virtual machine may report
 * the host's L3, which it shares with other guests). */
static void
measure_caches(const struct opts *o, struct pool *p, struct info *in, struct result *r, float *sum)
{
	struct job j;
	char what[128];
	double lower1 = 0, lowern = 0;
	size_t n1, nn, k, nbuf;
	float **buf = gp_xcalloc((size_t)r->units, sizeof *buf);
	int i, t, sh, top = -1;

	for (i = 0; i < NLEVEL; i++) {
		struct cache *c = &in->c[i];
		double cap1, capn;

		if (c->size <= 0)
			continue;
		top = i;
		sh = c->shared > 1 && r->units > 1 ? (c->shared < r->units ? c->shared : r->units) : 1;
		cap1 = (double)c->size;
		capn = i == 2 ? cap1 : cap1 / sh;
		n1 = chunks(lower1 > 0 && 2 * lower1 < cap1 / 2 ? 2 * lower1 : cap1 / 2);
		nn = i == 2 ? n1 : chunks(lowern > 0 && 2 * lowern < capn / 2 ? 2 * lowern : capn / 2);
		lower1 = cap1;
		lowern = capn;
		/* l1, l2: a buffer for each thread; l3 (shared): one for all */
		nbuf = i == 2 ? 1 : (size_t)r->units;
		for (t = 0; t < r->units; t++) {
			if ((size_t)t < nbuf) {
				size_t nf = t == 0 && n1 > nn ? n1 : nn;

				buf[t] = gp_pages(nf * sizeof(float));
				for (k = 0; k < nf; k++)
					buf[t][k] = (float)(k % 7) * 0.125f;
			} else {
				buf[t] = buf[0];
			}
		}
		memset(&j, 0, sizeof j);
		j.k = r->k;
		j.buf = buf;
		j.sum = sum;
		j.nfl = n1;
		j.nthr = 1;
		snprintf(what, sizeof what, "%s read, 1 thread, %zu KiB, bytes/s", level_name[i],
		    n1 * sizeof(float) / 1024);
		c->bw1 = measure(o, p, run_read, &j, (double)(n1 * sizeof(float)), what);
		c->buf1 = n1 * sizeof(float);
		c->bufn = nn * sizeof(float);
		if (r->units > 1) {
			j.nfl = nn;
			j.nthr = r->units;
			snprintf(what, sizeof what, "%s read, %d threads, %zu KiB %s, bytes/s", level_name[i],
			    r->units, nn * sizeof(float) / 1024, nbuf == 1 ? "shared" : "each");
			c->bwn = measure(o, p, run_read, &j, (double)(nn * sizeof(float)) * r->units, what);
		} else {
			c->bwn = c->bw1;
		}
		for (t = 0; (size_t)t < nbuf; t++)
			gp_pages_free(buf[t]);
		/* triad inside the level: the same bytes in three arrays, split over the threads */
		memset(&j, 0, sizeof j);
		j.k = r->k;
		j.sum = sum;
		triad_arrays(p, &j, (size_t)((double)(nn * sizeof(float)) * (double)nbuf / 24) / 64 * 64 + 64,
		    r->units);
		snprintf(what, sizeof what, "%s triad, %d thread%s, %zu KiB, bytes/s", level_name[i], r->units,
		    r->units == 1 ? "" : "s", j.len * 24 / 1024);
		c->triad = measure(o, p, run_triad, &j, 24.0 * (double)j.len, what);
		c->wbw = write_bw(c->triad, c->bwn);
		triad_free(&j);
	}
	free(buf);
	/* the last level's capacity, as its read bandwidth shows it */
	if (top >= 0 && r->dram_read > 0) {
		struct cache *c = &in->c[top];
		double keep = sqrt(c->bw1 * r->dram_read1), size = (double)c->buf1, last = 0, bw;
		double most = (double)c->size / 2;
		int step;

		if (in->memtotal > 0 && most > (double)in->memtotal / 8)
			most = (double)in->memtotal / 8;
		/* in steps of 1.5 and 4/3: 1, 1.5, 2, 3, 4, 6, 8, 12, 16 MiB */
		for (step = 0; size <= most; size *= step++ % 2 ? 4.0 / 3 : 1.5) {
			snprintf(what, sizeof what, "%s capacity probe, 1 thread, %.0f KiB, bytes/s",
			    level_name[top], size / 1024);
			bw = read_once(o, p, r, sum, chunks(size) * sizeof(float), what);
			if (bw < keep)
				break;
			last = size;
		}
		if (size <= most && last > 0)
			c->eff = (long long)last * instances(c, top, r->units);
	}
}

/* Measure DRAM: triad (1 thread and all) and read-only (all) over arrays far
 * larger than the last-level cache. */
static void
measure_dram(const struct opts *o, struct pool *p, const struct info *in, struct result *r, float *sum)
{
	struct job j;
	char what[128];
	long long llc = 0, inst = 0, bytes;
	float **buf = gp_xcalloc((size_t)r->units, sizeof *buf);
	size_t part;
	int i;

	for (i = 0; i < NLEVEL; i++)
		if (in->c[i].size > 0) {
			inst = in->c[i].size;
			llc = inst * instances(&in->c[i], i, in->ncpu);
		}
	/* Four times the last-level cache, and at least so much that each
	 * thread's part of the read (array a, a third of the bytes) is twice
	 * one instance of it: threads a virtual machine puts on instances of
	 * their own, which its /sys does not say, read DRAM, not their cache. */
	bytes = 4 * llc;
	if (bytes < 6 * inst * r->units)
		bytes = 6 * inst * r->units;
	if (in->memtotal > 0 && bytes > in->memtotal / 4)
		bytes = in->memtotal / 4;
	if (bytes < 64LL << 20)
		bytes = 64LL << 20;
	memset(&j, 0, sizeof j);
	j.k = r->k;
	j.sum = sum;
	triad_arrays(p, &j, (size_t)(bytes / 24) / 64 * 64, r->units);
	r->triad_bytes = j.len * 24;
	j.nthr = 1;
	snprintf(what, sizeof what, "triad, 1 thread, %zu MiB, bytes/s", r->triad_bytes >> 20);
	r->triad1 = measure(o, p, run_triad, &j, 24.0 * (double)j.len, what);
	if (r->units > 1) {
		j.nthr = r->units;
		snprintf(what, sizeof what, "triad, %d threads, %zu MiB, bytes/s", r->units, r->triad_bytes >> 20);
		r->triadn = measure(o, p, run_triad, &j, 24.0 * (double)j.len, what);
	} else {
		r->triadn = r->triad1;
	}
	/* read-only: array a as floats, a part for each thread */
	part = j.len * 2 / (size_t)r->units / CHUNK * CHUNK;
	for (i = 0; i < r->units; i++)
		buf[i] = (float *)j.a + (size_t)i * part;
	j.buf = buf;
	j.nfl = part;
	r->read_bytes = part * sizeof(float);
	j.nthr = 1;
	snprintf(what, sizeof what, "read, 1 thread, %zu MiB, bytes/s", part * sizeof(float) >> 20);
	r->dram_read1 = measure(o, p, run_read, &j, (double)(part * sizeof(float)), what);
	if (r->units > 1) {
		j.nthr = r->units;
		snprintf(what, sizeof what, "read, %d threads, %zu MiB, bytes/s", r->units,
		    part * sizeof(float) * (size_t)r->units >> 20);
		r->dram_read = measure(o, p, run_read, &j, (double)(part * sizeof(float)) * r->units, what);
	} else {
		r->dram_read = r->dram_read1;
	}
	r->dram_write = write_bw(r->triadn, r->dram_read);
	free(buf);
	triad_free(&j);
}

/* Measure, on more than one thread, reading what another thread wrote: each
 * writes a buffer of half its L2 (256 KiB where that is not known), then
 * reads the next one's, as a kernel reads the tensor a kernel split over
 * the threads wrote; the sum of the threads' read rates, the best of the
 * runs. On a CPU whose cores share a cache that is that cache's rate; on
 * one whose cores do not (chiplets, a virtual machine's vCPUs on
 * different ones) it is the rate of the way between them. */
static void
measure_cross(const struct opts *o, struct pool *p, const struct info *in, struct result *r, float *sum)
{
	struct job j;
	atomic_long arrive;
	double *rd_s, bw;
	float **buf;
	size_t n = chunks(in->c[1].size > 0 ? (double)in->c[1].size / 2 : 256 * 1024.0);
	int t, rep;

	r->cross = 0;
	r->cross_bytes = n * sizeof(float);
	if (r->units < 2)
		return;
	rd_s = gp_xcalloc((size_t)r->units, sizeof *rd_s);
	buf = gp_xcalloc((size_t)r->units, sizeof *buf);
	for (t = 0; t < r->units; t++)
		buf[t] = gp_pages(n * sizeof(float));
	memset(&j, 0, sizeof j);
	j.k = r->k;
	j.buf = buf;
	j.sum = sum;
	j.nfl = n;
	j.nthr = r->units;
	j.arrive = &arrive;
	j.rd_s = rd_s;
	/* rounds for about o->t seconds at 10 GB/s */
	j.n = (long)(o->t * 1e10 / (2.0 * (double)r->cross_bytes)) + 1;
	for (rep = 0; rep < o->reps; rep++) {
		atomic_store(&arrive, 0);
		pool_run(p, run_handoff, &j);
		for (bw = 0, t = 0; t < r->units; t++)
			bw += rd_s[t] > 0 ? (double)r->cross_bytes * (double)j.n / rd_s[t] : 0;
		if (bw > r->cross)
			r->cross = bw;
	}
	for (t = 0; t < r->units; t++)
		gp_pages_free(buf[t]);
	free(buf);
	free(rd_s);
	if (o->verbose)
		gp_note("read of what another thread wrote, %d threads, %zu KiB each, bytes/s: %.4g", r->units,
		    r->cross_bytes / 1024, r->cross);
}

/* The 1-minute load average; -1 if unreadable. */
static double
loadavg(void)
{
	char buf[128];
	double v;

	if (read_line("/proc/loadavg", buf, sizeof buf) < 0 || sscanf(buf, "%lf", &v) != 1)
		return -1;
	return v;
}

/* One whole measurement into r and in's caches. */
static void
measure_all(const struct opts *o, struct pool *p, struct info *in, struct result *r, float *sum)
{
	struct job j;
	char what[128];
	double t0;

	memset(&j, 0, sizeof j);
	j.k = r->k;
	j.sum = sum;
	/* wake every core up to its working clock first */
	j.nthr = r->units;
	j.n = 10000;
	for (t0 = now(); now() - t0 < o->t * 4;)
		pool_run(p, run_fma, &j);
	j.nthr = 1;
	snprintf(what, sizeof what, "fp32 FMA (%s), 1 thread, FLOP/s", r->k->name);
	r->fma1 = measure(o, p, run_fma, &j, 2.0 * FMA_ACC * r->k->lanes, what);
	if (r->units > 1) {
		j.nthr = r->units;
		snprintf(what, sizeof what, "fp32 FMA (%s), %d threads, FLOP/s", r->k->name, r->units);
		r->fman = measure(o, p, run_fma, &j, 2.0 * FMA_ACC * r->k->lanes * r->units, what);
	} else {
		r->fman = r->fma1;
	}
	/* DRAM first: a cache's capacity is probed against it */
	measure_dram(o, p, in, r, sum);
	measure_caches(o, p, in, r, sum);
	measure_cross(o, p, in, r, sum);
	/* the dispatch is measured from the caller alone: it drives the pool */
	memset(&j, 0, sizeof j);
	j.nthr = 1;
	if (r->units > 1) {
		j.pool = p;
		snprintf(what, sizeof what, "dispatch to %d %s threads, kernels/s", r->units,
		    p->spin_ns > 0 ? "spinning" : "sleeping");
		r->launch = 1 / measure(o, p, run_dispatch, &j, 1, what);
		r->launch_cold = measure_cold(o, p);
	} else {
		r->launch = 1 / measure(o, p, run_call, &j, 1, "empty calls through a pointer, calls/s");
	}
}

/* the figures of a run that --runs takes the median of: offsets in struct result, then in
 * struct cache of each level */
static const struct {
	size_t off;
	const char *name;
} rfig[] = {
	{offsetof(struct result, fma1), "fp32 peak, 1 thread"},
	{offsetof(struct result, fman), "fp32 peak"},
	{offsetof(struct result, triad1), "DRAM triad, 1 thread"},
	{offsetof(struct result, triadn), "DRAM triad"},
	{offsetof(struct result, dram_read), "DRAM read"},
	{offsetof(struct result, dram_read1), "DRAM read, 1 thread"},
	{offsetof(struct result, dram_write), "DRAM write"},
	{offsetof(struct result, cross), "cross-core read"},
	{offsetof(struct result, launch), "dispatch"},
	{offsetof(struct result, launch_cold), "dispatch from sleep"},
}, cfig[] = {
	{offsetof(struct cache, bw1), "read, 1 thread"},
	{offsetof(struct cache, bwn), "read"},
	{offsetof(struct cache, triad), "triad"},
	{offsetof(struct cache, wbw), "write"},
};

#define FIG(base, off) (*(double *)((char *)(base) + (off)))

/* the median of n values at stride apart; *spread their (max - min) / median */
static double
median(double *v, int n, double *spread)
{
	double m;

	qsort(v, (size_t)n, sizeof *v, cmp_double);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*spread = m > 0 ? (v[n - 1] - v[0]) / m : 0;
	return m;
}

/* --runs: measure everything r->runs times; keep each figure's median, and
 * the largest spread of a figure over the runs (with its name) */
static void
measure_runs(const struct opts *o, struct pool *p, struct info *in, struct result *r, float *sum)
{
	struct result *rr = gp_xcalloc((size_t)r->runs, sizeof *rr);
	struct info *ii = gp_xcalloc((size_t)r->runs, sizeof *ii);
	double *v = gp_xcalloc((size_t)r->runs, sizeof *v), sp, full, x;
	size_t f;
	int k, lv;

	for (k = 0; k < r->runs; k++) {
		rr[k] = *r;
		ii[k] = *in;
		measure_all(o, p, &ii[k], &rr[k], sum);
		if (o->verbose && r->runs > 1)
			gp_note("run %d of %d done", k + 1, r->runs);
	}
	*r = rr[0];
	*in = ii[0];
	r->spread = 0;
	r->spread_of = "";
	for (f = 0; f < sizeof rfig / sizeof rfig[0]; f++) {
		for (k = 0; k < r->runs; k++)
			v[k] = FIG(&rr[k], rfig[f].off);
		FIG(r, rfig[f].off) = median(v, r->runs, &sp);
		if (sp > r->spread && rfig[f].off != offsetof(struct result, launch_cold)) {
			r->spread = sp;
			r->spread_of = rfig[f].name;
		}
	}
	for (lv = 0; lv < NLEVEL; lv++) {
		for (f = 0; f < sizeof cfig / sizeof cfig[0]; f++) {
			for (k = 0; k < r->runs; k++)
				v[k] = FIG(&ii[k].c[lv], cfig[f].off);
			FIG(&in->c[lv], cfig[f].off) = median(v, r->runs, &sp);
			if (in->c[lv].size > 0 && sp > r->spread) {
				static char what[NLEVEL][64];

				r->spread = sp;
				snprintf(what[lv], sizeof what[lv], "%s %s", level_name[lv], cfig[f].name);
				r->spread_of = what[lv];
			}
		}
		/* a probed capacity: the median of the runs, one whose probe saw no fall counting
		 * as the size the system says, so that most runs must see it, busy or not (a
		 * guest's share of a shared L3 is what its programs get, neighbours and all) */
		full = (double)in->c[lv].size * (double)instances(&in->c[lv], lv, r->units);
		for (k = 0; k < r->runs; k++)
			v[k] = ii[k].c[lv].eff > 0 ? (double)ii[k].c[lv].eff : full;
		x = median(v, r->runs, &sp);
		in->c[lv].eff = in->c[lv].size > 0 && x < full ? (long long)x : 0;
	}
	free(rr);
	free(ii);
	free(v);
}

static int
runs_arg(const char *s)
{
	return (int)gp_opt_pcount("--runs", s, 100, "a number of runs");
}

static int
threads_arg(const char *s)
{
	return (int)gp_opt_pcount("--threads", s, MAXTHREADS, "a number of threads");
}

/* A profile name: letters, digits, '.', '_' and '-', as in a file name. */
static const char *
name_arg(const char *s)
{
	const char *p;

	for (p = s; *p && (strchr("._-", *p) || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= 'a' && *p <= 'z')); p++)
		;
	if (*p || !*s || p - s > 64 || *s == '.' || *s == '-') {
		gp_die_optval("--name", s, "a profile name (letters, digits, . _ -)");
	}
	return s;
}

static double
tdp_arg(const char *s)
{
	return gp_opt_real("--tdp", s, DBL_TRUE_MIN, 1e5, "a power in watts");
}

/* gp-calibrate takes its measurements, then writes the profile in one go, so
 * that a failure leaves nothing behind. */
int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"threads", required_argument, NULL, 't'},
		{"name", required_argument, NULL, 'n'},
		{"tdp", required_argument, NULL, 'p'},
		{"quick", no_argument, NULL, 'q'},
		{"runs", required_argument, NULL, 'r'},
		{"output", required_argument, NULL, 'o'},
		{"verbose", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "o:v", lo};
	struct opts o = {0.03, 9, 0};
	struct info in;
	struct result r;
	struct pool pool;
	struct gp_buf b = {0};
	struct gp_arena arena = {0};
	const char *name = "host", *out = NULL;
	double tdp = 0;
	float *sum;
	int c, threads = 0, runs = 1;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 't':
			threads = threads_arg(optarg);
			break;
		case 'n':
			name = name_arg(optarg);
			break;
		case 'p':
			tdp = tdp_arg(optarg);
			break;
		case 'q':
			o.t = 0.004;
			o.reps = 5;
			break;
		case 'r':
			runs = runs_arg(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		}
	}
	if (optind != argc)
		gp_die_usage(usage);
	if (out && !*out)
		gp_die_usage(usage);
	/* a file that cannot be written is said before the measurement, not after */
	if (out)
		gp_outfile_check(out);

	read_info(&in);
	if (!(in.clock_hz > 0))
		gp_die("no clock rate: neither /proc/cpuinfo (cpu MHz) nor /sys/devices/system/cpu/cpu0/cpufreq has one");
	if (in.memtotal <= 0)
		gp_die("/proc/meminfo: no MemTotal");
	memset(&r, 0, sizeof r);
	r.units = threads ? threads : in.ncpu;
	r.reps = o.reps;
	r.k = pick_kern();
	if (r.units > in.ncpu)
		gp_warn("%d threads on %d CPUs: the threads share CPUs and the figures suffer", r.units, in.ncpu);
	if (tdp <= 0)
		gp_warn("no --tdp W given: energy estimates need power.tdp_w; add it by hand");
	/* spinning workers on shared CPUs would steal the time of the working ones */
	r.spin = r.units <= in.ncpu;
	pool_init(&pool, r.units, r.spin ? 200000 : 0);
	sum = gp_xcalloc((size_t)r.units, sizeof *sum);

	r.runs = runs;
	r.load0 = loadavg();
	measure_runs(&o, &pool, &in, &r, sum);
	r.load1 = loadavg();
	/* a busy machine: others' load above the CPUs this run left idle; an
	 * unsteady one: a spread between runs that its own noise does not make,
	 * with no such load (a neighbour on the host, a vCPU moved, the clock) */
	if (r.load0 > in.ncpu - r.units + 0.5 || r.load1 > in.ncpu + 0.5) {
		r.busy = 1;
		gp_warn("the machine was busy (load average %.2f before, %.2f after, on %d CPU%s%s%s): "
		    "the figures are lower bounds, not this machine's", r.load0, r.load1, in.ncpu,
		    in.ncpu == 1 ? "" : "s", r.runs > 1 ? "; figures spread " : "",
		    r.runs > 1 ? gp_arena_printf(&arena, "%.0f%% (%s) over %d runs", 100 * r.spread,
		    r.spread_of, r.runs) : "");
	} else if (r.spread > 0.10) {
		r.busy = 2;
		gp_warn("the machine was unsteady: the figures spread %.0f%% (%s) over %d runs while the load "
		    "average stayed at %.2f before and %.2f after, on %d CPU%s (something it does not count: "
		    "a neighbour on the host, a moved vCPU, the clock): the figures are lower bounds, not "
		    "this machine's", 100 * r.spread, r.spread_of, r.runs, r.load0, r.load1, in.ncpu,
		    in.ncpu == 1 ? "" : "s");
	}
	pool_release(&pool);
	free(sum);

	profile(&b, name, tdp, &in, &r);
	if (out)
		gp_outfile_save(out, b.buf, b.len);
	else
		fwrite(b.buf, 1, b.len, stdout);
	gp_buf_release(&b);
	gp_arena_release(&arena);
	return gp_close_stdout();
}
