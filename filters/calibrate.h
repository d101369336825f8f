/* calibrate.h - what the files of gp-calibrate share: the kernels, the pool
 * of threads and the jobs it runs, what the system says, what was measured
 *
 *   gp-calibrate.c        the command line and the measurement plan
 *   calibrate-kernels.c   the FMA and bandwidth kernels, one set per SIMD width
 *   calibrate-simd.h      those kernels written once, included per width
 *   calibrate-pool.c      the pool of threads, the jobs it runs, timing them
 *   calibrate-sysinfo.c   /proc/cpuinfo, /proc/meminfo, the caches in /sys
 *   calibrate-profile.c   writing the hardware profile (YAML)
 */
#ifndef CALIBRATE_H
#define CALIBRATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "gp.h"

enum {
	FMA_ACC = 12,           /* independent FMA chains: latency x pipes, with room */
	READ_ACC = 8,           /* independent sums in the read kernel */
	CHUNK = 128,            /* floats per read-kernel step: 8 x 16 lanes, 512 bytes */
	MAXTHREADS = 4096,
	NLEVEL = 3,             /* l1, l2, l3 */
};

/* A compute kernel set for one SIMD width. */
struct kern {
	const char *name;
	int lanes;              /* fp32 lanes of a vector */
	/* n steps of FMA_ACC vector FMAs; returns their sum, so nothing is dead */
	float (*fma)(long n);
	/* passes sums of p[0..n), n a multiple of CHUNK, p 64-byte aligned */
	float (*read)(const float *p, size_t n, long passes);
};

/* ---- calibrate-kernels.c ---- */

/* The widest kernels this CPU runs. */
const struct kern *pick_kern(void);
/* a[i] = b[i] + s*c[i] over [lo, hi), passes times; lo and hi multiples of 4. */
double triad(double *restrict a, const double *restrict b, const double *restrict c, size_t lo,
    size_t hi, long passes);

/* ---- calibrate-pool.c ---- */

/* Workers spin for spin_ns after a kernel waiting for the next one (as
 * OpenMP and ONNX Runtime do), then sleep on a condition variable. The
 * caller is thread 0 and runs its share too. */
struct pool {
	int n;                          /* threads, the caller included */
	long spin_ns;
	pthread_t *tid;
	struct worker *w;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	atomic_uint gen;                /* bumped for each kernel */
	atomic_int left;                /* workers still running it */
	void (*fn)(void *, int);
	void *arg;
	int quit;
};

struct worker {
	struct pool *p;
	int i;
};

/* One measurement's work; n is what a run repeats (FMA steps, passes, dispatches). */
struct job {
	const struct kern *k;
	long n;
	int nthr;                       /* threads sharing the work */
	float **buf;                    /* read: each thread's buffer */
	size_t nfl;                     /* read: floats in each */
	double *a, *b, *c;              /* triad: the arrays */
	size_t len;                     /* triad: their elements, a multiple of 4 */
	struct pool *pool;              /* dispatch */
	float *sum;                     /* each thread's result, kept */
	atomic_long *arrive;            /* handoff: threads at its barriers so far */
	double *rd_s;                   /* handoff: each thread's seconds reading */
};

struct opts {
	double t;                       /* seconds a run should last */
	int reps;                       /* runs; the best counts */
	int verbose;
};

double now(void);
void pool_init(struct pool *p, int n, long spin_ns);
void pool_run(struct pool *p, void (*fn)(void *, int), void *arg);
void pool_release(struct pool *p);

/* the jobs: fn(job, thread) for pool_run and measure */
void run_fma(void *arg, int i);
void run_read(void *arg, int i);
void run_triad(void *arg, int i);
void run_touch(void *arg, int i);
void run_dispatch(void *arg, int i);
void run_call(void *arg, int i);
void run_handoff(void *arg, int i);

double measure(const struct opts *o, struct pool *p, void (*fn)(void *, int), struct job *j,
    double units_per_n, const char *what);
double measure_cold(const struct opts *o, struct pool *p);
int cmp_double(const void *a, const void *b);

/* ---- calibrate-sysinfo.c ---- */

struct cache {
	long long size;                 /* bytes of one instance; 0: unknown */
	int shared;                     /* CPUs sharing an instance; 0: unknown */
	int from_sys;                   /* size read from /sys, not sysconf */
	double bw1, bwn;                /* measured read bandwidth, 1 thread and all */
	double triad, wbw;              /* triad bandwidth inside it, all threads; the write
	                                 * bandwidth it implies (bytes/s) */
	size_t buf1, bufn;              /* bytes each thread read */
	long long eff;                  /* capacity the read bandwidth says it has (all
	                                 * instances); 0: not probed */
};

struct info {
	char model[256], vendor[64];
	double clock_hz;
	const char *clock_src;
	long long memtotal;             /* bytes; 0: unknown */
	struct cache c[NLEVEL];
	int ncpu;                       /* CPUs this process may use */
};

int read_line(const char *path, char *buf, size_t size);
void read_info(struct info *in);
long long instances(const struct cache *c, int level, int nthr);

/* ---- calibrate-profile.c ---- */

struct result {
	const struct kern *k;
	int units, reps;
	int spin;                       /* the workers spin between kernels */
	double fma1, fman, triad1, triadn, launch, launch_cold;
	double dram_read, dram_write;   /* read-only bandwidth, and the write one triad implies */
	double dram_read1;              /* read-only, 1 thread */
	double cross;                   /* reading what another thread wrote, all threads; 0 on 1 */
	size_t cross_bytes;             /* the buffer each thread wrote and another read */
	size_t triad_bytes;
	size_t read_bytes;              /* DRAM read: each thread's bytes */
	int runs;                       /* --runs: whole measurements, the median kept */
	double spread;                  /* the largest (max - min) / median of a figure over them */
	const char *spread_of;          /* that figure */
	double load0, load1;            /* the 1-minute load average before and after */
	int busy;                       /* 1: the machine was busy, 2: unsteady; the figures are lower bounds */
};

extern const char *const level_name[NLEVEL];
int probed(const struct info *in, const struct result *r, int i);
void profile(struct gp_buf *b, const char *name, double tdp, const struct info *in,
    const struct result *r);

#endif
