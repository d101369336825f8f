/* gp-calibrate - measure this machine and write its hardware profile (YAML)
 *
 * Peak fp32 FMA throughput, DRAM read and STREAM-triad bandwidth, the read
 * and triad bandwidth inside each cache level (and the last level's capacity
 * as its bandwidth shows it) and the cost of dispatching a kernel to a pool
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

#include "gp.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

static const char usage[] = "[--threads N] [--name NAME] [--tdp W] [--runs N] [--quick] [-v] [-o FILE]";

static void
help(void)
{
	printf("usage: %s %s\n\n"
	    "Measure this machine and write a hardware profile (YAML, the schema of hw/)\n"
	    "on standard output: peak fp32 FMA throughput, STREAM-triad memory bandwidth,\n"
	    "the read bandwidth of each cache level, and the cost of dispatching a kernel\n"
	    "to a pool of threads, on one thread and on N. It takes a few seconds; keep\n"
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
	    "its own); the last level's capacity is what its read bandwidth shows, when\n"
	    "that is less than the system says (a virtual machine may report the host's).\n"
	    "Cache sizes come from /sys/devices/system/cpu/cpu0/cache, else sysconf(3).\n"
	    "A busy machine (a load average above the idle CPUs, or figures that spread\n"
	    "more than 10%% over --runs) is said on standard error and in the profile.\n",
	    gp_prog, usage);
}

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

/* ---- the kernels ---- */

#define REP8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define REP12(X) REP8(X) X(8) X(9) X(10) X(11)

/* The portable kernels, in GCC vector extensions: SSE2 on x86_64, NEON on
 * arm64, whatever the target has elsewhere. The multiply and the add are
 * separate (C11 mode does not contract them), which is what a CPU without FMA
 * does anyway; the FLOPs are the same. */
typedef float vf4 __attribute__((vector_size(16)));

static float
hsum(const float *t, int n)
{
	float s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += t[i];
	return s;
}

#if !defined(__aarch64__)
static float
fma_vec(long n)
{
	vf4 a[FMA_ACC], b = {0.999999f, 0.999999f, 0.999999f, 0.999999f}, c = {1e-6f, 1e-6f, 1e-6f, 1e-6f}, s = {0};
	float t[4];
	long k;
	int i;

	for (i = 0; i < FMA_ACC; i++)
		a[i] = (vf4){1, 1, 1, 1} * (float)(i + 1) * 0.01f;
	for (k = 0; k < n; k++) {
#define STEP(i) a[i] = a[i] * b + c;
		REP12(STEP)
#undef STEP
	}
	for (i = 0; i < FMA_ACC; i++)
		s += a[i];
	memcpy(t, &s, sizeof t);
	return hsum(t, 4);
}
#endif

static float
read_vec(const float *p, size_t n, long passes)
{
	vf4 s[READ_ACC], v;
	float t[4];
	size_t i;
	long k;
	int j;

	for (j = 0; j < READ_ACC; j++)
		s[j] = (vf4){0, 0, 0, 0};
	for (k = 0; k < passes; k++) {
		for (i = 0; i < n; i += 4 * READ_ACC) {
#define STEP(j) memcpy(&v, p + i + 4 * (j), sizeof v); s[j] += v;
			REP8(STEP)
#undef STEP
		}
	}
	for (j = 1; j < READ_ACC; j++)
		s[0] += s[j];
	memcpy(t, &s[0], sizeof t);
	return hsum(t, 4);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static float
fma_avx2(long n)
{
	__m256 a[FMA_ACC], b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f), s = _mm256_setzero_ps();
	float t[8];
	long k;
	int i;

	for (i = 0; i < FMA_ACC; i++)
		a[i] = _mm256_set1_ps((float)(i + 1) * 0.01f);
	for (k = 0; k < n; k++) {
#define STEP(i) a[i] = _mm256_fmadd_ps(a[i], b, c);
		REP12(STEP)
#undef STEP
	}
	for (i = 0; i < FMA_ACC; i++)
		s = _mm256_add_ps(s, a[i]);
	_mm256_storeu_ps(t, s);
	return hsum(t, 8);
}

__attribute__((target("avx2,fma")))
static float
read_avx2(const float *p, size_t n, long passes)
{
	__m256 s[READ_ACC];
	float t[8];
	size_t i;
	long k;
	int j;

	for (j = 0; j < READ_ACC; j++)
		s[j] = _mm256_setzero_ps();
	for (k = 0; k < passes; k++) {
		for (i = 0; i < n; i += 8 * READ_ACC) {
#define STEP(j) s[j] = _mm256_add_ps(s[j], _mm256_load_ps(p + i + 8 * (j)));
			REP8(STEP)
#undef STEP
		}
	}
	for (j = 1; j < READ_ACC; j++)
		s[0] = _mm256_add_ps(s[0], s[j]);
	_mm256_storeu_ps(t, s[0]);
	return hsum(t, 8);
}

__attribute__((target("avx512f")))
static float
fma_avx512(long n)
{
	__m512 a[FMA_ACC], b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-6f), s = _mm512_setzero_ps();
	float t[16];
	long k;
	int i;

	for (i = 0; i < FMA_ACC; i++)
		a[i] = _mm512_set1_ps((float)(i + 1) * 0.01f);
	for (k = 0; k < n; k++) {
#define STEP(i) a[i] = _mm512_fmadd_ps(a[i], b, c);
		REP12(STEP)
#undef STEP
	}
	for (i = 0; i < FMA_ACC; i++)
		s = _mm512_add_ps(s, a[i]);
	_mm512_storeu_ps(t, s);
	return hsum(t, 16);
}

__attribute__((target("avx512f")))
static float
read_avx512(const float *p, size_t n, long passes)
{
	__m512 s[READ_ACC];
	float t[16];
	size_t i;
	long k;
	int j;

	for (j = 0; j < READ_ACC; j++)
		s[j] = _mm512_setzero_ps();
	for (k = 0; k < passes; k++) {
		for (i = 0; i < n; i += 16 * READ_ACC) {
#define STEP(j) s[j] = _mm512_add_ps(s[j], _mm512_load_ps(p + i + 16 * (j)));
			REP8(STEP)
#undef STEP
		}
	}
	for (j = 1; j < READ_ACC; j++)
		s[0] = _mm512_add_ps(s[0], s[j]);
	_mm512_storeu_ps(t, s[0]);
	return hsum(t, 16);
}
#endif

#if defined(__aarch64__)
static float
fma_neon(long n)
{
	float32x4_t a[FMA_ACC], b = vdupq_n_f32(0.999999f), c = vdupq_n_f32(1e-6f), s = vdupq_n_f32(0);
	long k;
	int i;

	for (i = 0; i < FMA_ACC; i++)
		a[i] = vdupq_n_f32((float)(i + 1) * 0.01f);
	for (k = 0; k < n; k++) {
#define STEP(i) a[i] = vfmaq_f32(c, a[i], b);
		REP12(STEP)
#undef STEP
	}
	for (i = 0; i < FMA_ACC; i++)
		s = vaddq_f32(s, a[i]);
	return vaddvq_f32(s);
}
#endif

/* The widest kernels this CPU runs. */
static const struct kern *
pick_kern(void)
{
#if defined(__x86_64__)
	static const struct kern k512 = {"avx512f", 16, fma_avx512, read_avx512};
	static const struct kern k256 = {"avx2+fma", 8, fma_avx2, read_avx2};
	static const struct kern k128 = {"sse2", 4, fma_vec, read_vec};

	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return &k512;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return &k256;
	return &k128;
#elif defined(__aarch64__)
	static const struct kern kneon = {"neon", 4, fma_neon, read_vec};

	return &kneon;
#else
	static const struct kern kgen = {"generic", 4, fma_vec, read_vec};

	return &kgen;
#endif
}

/* a[i] = b[i] + s*c[i] over [lo, hi), passes times; lo and hi multiples of 4. */
static double
triad(double *restrict a, const double *restrict b, const double *restrict c, size_t lo, size_t hi,
    long passes)
{
	typedef double vd4 __attribute__((vector_size(32)));
	const vd4 s = {3, 3, 3, 3};
	vd4 x, y;
	size_t i;
	long k;

	for (k = 0; k < passes; k++) {
		for (i = lo; i < hi; i += 4) {
			memcpy(&x, b + i, sizeof x);
			memcpy(&y, c + i, sizeof y);
			x += s * y;
			memcpy(a + i, &x, sizeof x);
		}
	}
	return lo < hi ? a[lo] : 0;
}

/* ---- a pool of threads, as an inference runtime keeps one ---- */

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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static void
check(int err, const char *what)
{
	if (err)
		gp_die("%s: %s", what, strerror(err));
}

/* Wait until gen differs from seen: spin, then sleep. */
static unsigned
wait_gen(struct pool *p, unsigned seen)
{
	double until = now() + (double)p->spin_ns * 1e-9;
	unsigned g;
	long k;

	for (k = 1; p->spin_ns > 0; k++) {
		if ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) != seen)
			return g;
		if (k % 64 == 0 && now() > until)
			break;
		relax();
	}
	check(pthread_mutex_lock(&p->mu), "pthread_mutex_lock");
	while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen)
		check(pthread_cond_wait(&p->go, &p->mu), "pthread_cond_wait");
	check(pthread_mutex_unlock(&p->mu), "pthread_mutex_unlock");
	return g;
}

/* Wait until every worker has finished the kernel. */
static void
wait_done(struct pool *p)
{
	double until = now() + (double)p->spin_ns * 1e-9;
	long k;

	for (k = 1; p->spin_ns > 0; k++) {
		if (atomic_load_explicit(&p->left, memory_order_acquire) == 0)
			return;
		if (k % 64 == 0 && now() > until)
			break;
		relax();
	}
	check(pthread_mutex_lock(&p->mu), "pthread_mutex_lock");
	while (atomic_load_explicit(&p->left, memory_order_acquire) != 0)
		check(pthread_cond_wait(&p->done, &p->mu), "pthread_cond_wait");
	check(pthread_mutex_unlock(&p->mu), "pthread_mutex_unlock");
}

static void *
worker(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	unsigned seen = 0;

	for (;;) {
		seen = wait_gen(p, seen);
		if (p->quit)
			break;
		p->fn(p->arg, w->i);
		if (atomic_fetch_sub_explicit(&p->left, 1, memory_order_acq_rel) == 1) {
			check(pthread_mutex_lock(&p->mu), "pthread_mutex_lock");
			check(pthread_cond_signal(&p->done), "pthread_cond_signal");
			check(pthread_mutex_unlock(&p->mu), "pthread_mutex_unlock");
		}
	}
	return NULL;
}

/* Start a new generation: the workers wake and look at fn, arg and quit. */
static void
pool_wake(struct pool *p)
{
	atomic_store_explicit(&p->left, p->n - 1, memory_order_relaxed);
	check(pthread_mutex_lock(&p->mu), "pthread_mutex_lock");
	atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
	check(pthread_cond_broadcast(&p->go), "pthread_cond_broadcast");
	check(pthread_mutex_unlock(&p->mu), "pthread_mutex_unlock");
}

/* Run fn(arg, i) on every thread i of the pool and return when all are done. */
static void
pool_run(struct pool *p, void (*fn)(void *, int), void *arg)
{
	p->fn = fn;
	p->arg = arg;
	pool_wake(p);
	fn(arg, 0);
	wait_done(p);
}

static void
pool_init(struct pool *p, int n, long spin_ns)
{
	int i;

	memset(p, 0, sizeof *p);
	p->n = n;
	p->spin_ns = spin_ns;
	check(pthread_mutex_init(&p->mu, NULL), "pthread_mutex_init");
	check(pthread_cond_init(&p->go, NULL), "pthread_cond_init");
	check(pthread_cond_init(&p->done, NULL), "pthread_cond_init");
	atomic_init(&p->gen, 0);
	atomic_init(&p->left, 0);
	p->tid = gp_xcalloc((size_t)n, sizeof *p->tid);
	p->w = gp_xcalloc((size_t)n, sizeof *p->w);
	for (i = 1; i < n; i++) {
		p->w[i].p = p;
		p->w[i].i = i;
		check(pthread_create(&p->tid[i], NULL, worker, &p->w[i]), "cannot start a thread");
	}
}

static void
nothing(void *arg, int i)
{
	(void)arg;
	(void)i;
}

static void
pool_release(struct pool *p)
{
	int i;

	p->quit = 1;
	pool_wake(p);                   /* the workers see quit and return */
	for (i = 1; i < p->n; i++)
		check(pthread_join(p->tid[i], NULL), "pthread_join");
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->go);
	pthread_mutex_destroy(&p->mu);
	free(p->tid);
	free(p->w);
}

/* ---- the measurements ---- */

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
};

static volatile float sink;

static void
run_fma(void *arg, int i)
{
	struct job *j = arg;

	j->sum[i] = j->k->fma(j->n);
}

static void
run_read(void *arg, int i)
{
	struct job *j = arg;

	j->sum[i] = j->k->read(j->buf[i], j->nfl, j->n);
}

static void
run_triad(void *arg, int i)
{
	struct job *j = arg;
	size_t q = j->len / 4;

	j->sum[i] = (float)triad(j->a, j->b, j->c, q * (size_t)i / (size_t)j->nthr * 4,
	    q * (size_t)(i + 1) / (size_t)j->nthr * 4, j->n);
}

/* Fill the thread's part of the triad arrays: its pages become its own. */
static void
run_touch(void *arg, int i)
{
	struct job *j = arg;
	size_t q = j->len / 4, k, lo = q * (size_t)i / (size_t)j->nthr * 4,
	    hi = q * (size_t)(i + 1) / (size_t)j->nthr * 4;

	for (k = lo; k < hi; k++) {
		j->a[k] = 0;
		j->b[k] = 1;
		j->c[k] = 2;
	}
}

static void
run_dispatch(void *arg, int i)
{
	struct job *j = arg;
	long k;

	for (k = 0; k < j->n; k++)
		pool_run(j->pool, nothing, NULL);
	(void)i;
}

static void
empty(void)
{
}

static void (*volatile empty_fp)(void) = empty;

static void
run_call(void *arg, int i)
{
	struct job *j = arg;
	long k;

	for (k = 0; k < j->n; k++)
		empty_fp();
	(void)i;
}

struct opts {
	double t;                       /* seconds a run should last */
	int reps;                       /* runs; the best counts */
	int verbose;
};

/* Run fn on nthr threads (the caller alone, or the whole pool) with j->n
 * sized so that a run lasts about o->t, o->reps times; return the best rate
 * in units per second, where one run does units_per_n * n. The size is found
 * on the caller alone (thread 0's share of the work): waking the pool can
 * take longer than a small run, and would pass for work. */
static double
measure(const struct opts *o, struct pool *p, void (*fn)(void *, int), struct job *j,
    double units_per_n, const char *what)
{
	double best = 0, dt, t0, f;
	int r, i;

	j->n = 1;
	for (;;) {
		t0 = now();
		fn(j, 0);
		dt = now() - t0;
		if (dt >= o->t / 10 || j->n > LONG_MAX / 128)
			break;
		f = dt > 0 ? o->t / 5 / dt : 100;
		j->n = (long)((double)j->n * (f < 2 ? 2 : f > 100 ? 100 : f));
	}
	f = o->t / dt * (double)j->n;
	j->n = f < 1 ? 1 : f > (double)(LONG_MAX / 2) ? LONG_MAX / 2 : (long)f;
	for (r = 0; r < o->reps; r++) {
		t0 = now();
		if (j->nthr > 1)
			pool_run(p, fn, j);
		else
			fn(j, 0);
		dt = now() - t0;
		if (dt > 0 && units_per_n * (double)j->n / dt > best)
			best = units_per_n * (double)j->n / dt;
	}
	if (j->sum)
		for (i = 0; i < j->nthr; i++)
			sink += j->sum[i];
	if (!isfinite(best) || best <= 0)
		gp_die("the %s measurement gave %g: no usable timing", what, best);
	if (o->verbose)
		gp_note("%s: %.4g", what, best);
	return best;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median time to wake the pool's workers from sleep and join them. */
static double
measure_cold(const struct opts *o, struct pool *p)
{
	struct timespec gap = {0, 0};
	double t[15], t0;
	int i, n = o->reps < 5 ? 5 : 15;

	gap.tv_nsec = p->spin_ns + 2000000;
	for (i = 0; i < n; i++) {
		nanosleep(&gap, NULL);
		t0 = now();
		pool_run(p, nothing, NULL);
		t[i] = now() - t0;
	}
	qsort(t, (size_t)n, sizeof t[0], cmp_double);
	if (o->verbose)
		gp_note("dispatch to sleeping workers, %d threads, s: %.4g", p->n, t[n / 2]);
	return t[n / 2];
}

/* ---- what the system says ---- */

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

/* The first line of a file, without its newline; 0, or -1 if unreadable. */
static int
read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Copy s to out (size bytes) with runs of white space made one space and trimmed. */
static void
squeeze(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
		} else if ((unsigned char)*s >= 0x20 && *s != 0x7f) {
			out[n++] = *s;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Read cpu0's block of /proc/cpuinfo: model name, vendor, clock. */
static void
read_cpuinfo(struct info *in)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *line = NULL, *colon;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[0] == '\n')
			break;                  /* the end of cpu0's block */
		if (!(colon = strchr(line, ':')))
			continue;
		*colon = '\0';
		squeeze(line, (size_t)len + 1, line);
		if (!strcmp(line, "model name") && !in->model[0])
			squeeze(in->model, sizeof in->model, colon + 1);
		else if (!strcmp(line, "vendor_id") && !in->vendor[0])
			squeeze(in->vendor, sizeof in->vendor, colon + 1);
		else if (!strcmp(line, "cpu MHz") && in->clock_hz <= 0) {
			char *e;
			double v = strtod(colon + 1, &e);

			if (e != colon + 1 && isfinite(v) && v > 0)
				in->clock_hz = v * 1e6;
		}
	}
	free(line);
	fclose(f);
}

/* The CPUs in a list such as "0-3,8-11"; 0 if it is not one. */
static int
count_cpus(const char *s)
{
	long a, b;
	char *e;
	int n = 0;

	while (*s) {
		a = strtol(s, &e, 10);
		if (e == s || a < 0)
			return 0;
		b = a;
		if (*e == '-') {
			s = e + 1;
			b = strtol(s, &e, 10);
			if (e == s || b < a)
				return 0;
		}
		n += (int)(b - a + 1);
		if (*e == ',')
			e++;
		else if (*e)
			return 0;
		s = e;
	}
	return n;
}

/* Cache sizes from /sys (the kernel's reading of the CPU), else sysconf. */
static void
read_caches(struct info *in)
{
	static const int sc[NLEVEL] = {_SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE};
	char path[128], buf[256], *e;
	int i, lvl;
	long long v;
	long s;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		if (read_line(path, buf, sizeof buf) < 0)
			break;
		lvl = atoi(buf);
		if (lvl < 1 || lvl > NLEVEL)
			continue;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		if (read_line(path, buf, sizeof buf) < 0 || !strcmp(buf, "Instruction"))
			continue;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		if (read_line(path, buf, sizeof buf) < 0)
			continue;
		v = strtoll(buf, &e, 10);
		if (e == buf || v <= 0)
			continue;
		if (*e == 'K')
			v <<= 10;
		else if (*e == 'M')
			v <<= 20;
		else if (*e == 'G')
			v <<= 30;
		in->c[lvl - 1].size = v;
		in->c[lvl - 1].from_sys = 1;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/shared_cpu_list", i);
		if (read_line(path, buf, sizeof buf) == 0)
			in->c[lvl - 1].shared = count_cpus(buf);
	}
	for (i = 0; i < NLEVEL; i++)
		if (in->c[i].size <= 0 && (s = sysconf(sc[i])) > 0)
			in->c[i].size = s;
}

static void
read_info(struct info *in)
{
	char buf[256], *e;
	FILE *f;
	cpu_set_t set;
	long n;
	double v;

	memset(in, 0, sizeof *in);
	read_cpuinfo(in);
	in->clock_src = "/proc/cpuinfo \"cpu MHz\" of cpu0";
	/* intel_pstate knows the nominal clock; "cpu MHz" is the current one there */
	if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/base_frequency", buf, sizeof buf) == 0 &&
	    (v = strtod(buf, &e)) > 0 && e != buf) {
		in->clock_hz = v * 1e3;
		in->clock_src = "/sys/devices/system/cpu/cpu0/cpufreq/base_frequency";
	} else if (in->clock_hz <= 0 &&
	    read_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", buf, sizeof buf) == 0 &&
	    (v = strtod(buf, &e)) > 0 && e != buf) {
		in->clock_hz = v * 1e3;
		in->clock_src = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
	}
	if ((f = fopen("/proc/meminfo", "r"))) {
		while (fgets(buf, sizeof buf, f))
			if (!strncmp(buf, "MemTotal:", 9)) {
				in->memtotal = strtoll(buf + 9, &e, 10) * 1024;
				break;
			}
		fclose(f);
	}
	read_caches(in);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	in->ncpu = n > 0 ? (int)n : 1;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 && CPU_COUNT(&set) < in->ncpu)
		in->ncpu = CPU_COUNT(&set);
}

/* Instances of cache level i that nthr threads spread over the CPUs use. */
static long long
instances(const struct cache *c, int level, int nthr)
{
	if (c->shared > 0)
		return (nthr + c->shared - 1) / c->shared;
	return level < 2 ? nthr : 1;
}

/* ---- the profile ---- */

/* A number as YAML 1.1 reads a float: %.4g, with a '.' before any exponent. */
static void
num(struct gp_buf *b, double v)
{
	char t[64], *e;

	snprintf(t, sizeof t, "%.4g", v);
	if (!strchr(t, '.') && (e = strchr(t, 'e'))) {
		gp_buf_add(b, t, (size_t)(e - t));
		gp_buf_adds(b, ".0");
		gp_buf_adds(b, e);
	} else {
		gp_buf_adds(b, t);
	}
}

/* A string as a YAML scalar: plain when that is safe, else double-quoted. */
static void
str(struct gp_buf *b, const char *s)
{
	static const char *const special[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", NULL};
	const char *p;
	int plain = ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) && s[strlen(s) - 1] != ' ';
	int i;

	for (p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._()+,/@-", *p) != NULL;
	for (i = 0; special[i] && plain; i++)
		plain = strcasecmp(s, special[i]) != 0;
	if (plain) {
		gp_buf_adds(b, s);
		return;
	}
	gp_buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			gp_buf_printf(b, "\\%c", *p);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			gp_buf_printf(b, "\\x%02x", (unsigned char)*p);
		else
			gp_buf_addc(b, *p);
	}
	gp_buf_addc(b, '"');
}

/* End a line, with a comment at column 32 if there is one. */
static void
eol(struct gp_buf *b, size_t start, const char *comment)
{
	if (comment) {
		do
			gp_buf_addc(b, ' ');
		while (b->len - start < 32);
		gp_buf_adds(b, "# ");
		gp_buf_adds(b, comment);
	}
	gp_buf_addc(b, '\n');
}

static void
kv_num(struct gp_buf *b, const char *key, double v, const char *comment)
{
	size_t start = b->len;

	gp_buf_printf(b, "%s: ", key);
	num(b, v);
	eol(b, start, comment);
}

static void
cite(struct gp_buf *b, const char *text)
{
	gp_buf_adds(b, "  - cite: ");
	str(b, text);
	gp_buf_addc(b, '\n');
}

static const char *const level_name[NLEVEL] = {"l1", "l2", "l3"};

/* bytes as every gp program shows them (human.c), to 6 digits, into t */
static const char *
hbytes(char *t, size_t size, double bytes)
{
	struct gp_buf b = {0};

	gp_human_bytes(&b, bytes, 6);
	snprintf(t, size, "%s", b.buf);
	gp_buf_release(&b);
	return t;
}

struct result {
	const struct kern *k;
	int units, reps;
	int spin;                       /* the workers spin between kernels */
	double fma1, fman, triad1, triadn, launch, launch_cold;
	double dram_read, dram_write;   /* read-only bandwidth, and the write one triad implies */
	double dram_read1;              /* read-only, 1 thread */
	size_t triad_bytes;
	int runs;                       /* --runs: whole measurements, the median kept */
	double spread;                  /* the largest (max - min) / median of a figure over them */
	const char *spread_of;          /* that figure */
	double load0, load1;            /* the 1-minute load average before and after */
	int busy;                       /* the machine was busy: the figures are lower bounds */
};

/* is level i's capacity the probed one: smaller than the system says, on an idle machine */
static int
probed(const struct info *in, const struct result *r, int i)
{
	const struct cache *c = &in->c[i];

	return !r->busy && c->eff > 0 && c->eff < c->size * instances(c, i, r->units);
}

static void
profile(struct gp_buf *b, const char *name, double tdp, const struct info *in, const struct result *r)
{
	char c1[512], t1[64], t2[64];
	size_t start;
	int i;

	gp_buf_printf(b, "# %s.yaml - measured by %s %s\n", name, gp_prog, GP_VERSION);
	gp_buf_printf(b, "# kernels: %s, %d fp32 lanes; best of %d runs each\n", r->k->name, r->k->lanes,
	    r->reps);
	gp_buf_printf(b, "# one thread did %.3g fp32 FLOPs per cycle of clock_hz (turbo raises it)\n",
	    r->fma1 / in->clock_hz);
	if (r->runs > 1)
		gp_buf_printf(b, "# the median of %d runs; the figures spread at most %.1f%% (%s)\n", r->runs,
		    100 * r->spread, r->spread_of);
	if (r->busy)
		gp_buf_printf(b, "# warning: measured on a busy machine (load average %.2f before, %.2f after, on %d "
		    "CPUs%s): every figure is a lower bound, not this machine's; measure it again idle\n",
		    r->load0, r->load1, in->ncpu, r->runs > 1 && r->spread > 0.10 ? ", figures spreading over 10%" : "");
	gp_buf_adds(b, "name: ");
	str(b, name);
	snprintf(c1, sizeof c1, "%s, %d thread%s", in->model[0] ? in->model : "this machine", r->units,
	    r->units == 1 ? "" : "s");
	gp_buf_adds(b, "\ntitle: ");
	str(b, c1);
	gp_buf_adds(b, "\nvendor: ");
	str(b, in->vendor[0] ? in->vendor : "unknown");
	gp_buf_adds(b, "\nkind: cpu\n");
	start = b->len;
	gp_buf_printf(b, "units: %d", r->units);
	eol(b, start, "the threads measured");
	gp_buf_adds(b, "unit: core\n");
	kv_num(b, "clock_hz", in->clock_hz, in->clock_src);
	start = b->len;
	gp_buf_printf(b, "threads_per_unit: %d", r->k->lanes * 2);
	snprintf(c1, sizeof c1, "fp32 lanes of the %s kernel (%d) x 2 FMA pipes, assumed", r->k->name,
	    r->k->lanes);
	eol(b, start, c1);
	gp_buf_adds(b, "peak_ops:\n");
	snprintf(c1, sizeof c1, "FLOP/s: %d independent FMA chains on %d thread%s, 2 FLOPs per lane",
	    FMA_ACC, r->units, r->units == 1 ? "" : "s");
	kv_num(b, "  fp32", r->fman, c1);
	gp_buf_adds(b, "memory:\n");
	gp_buf_adds(b, "  - level: dram\n");
	start = b->len;
	gp_buf_printf(b, "    capacity: %lld", in->memtotal);
	eol(b, start, "MemTotal of /proc/meminfo");
	snprintf(c1, sizeof c1, "bytes/s: triad on %d thread%s, 24 bytes per element, arrays of %s",
	    r->units, r->units == 1 ? "" : "s", hbytes(t1, sizeof t1, (double)r->triad_bytes));
	kv_num(b, "    bandwidth", r->triadn, c1);
	snprintf(c1, sizeof c1, "bytes/s: reading the same arrays on %d thread%s", r->units,
	    r->units == 1 ? "" : "s");
	kv_num(b, "    read_bandwidth", r->dram_read, c1);
	kv_num(b, "    write_bandwidth", r->dram_write, "bytes/s: what the triad implies: 24 / triad = 16 / read + 8 / write");
	for (i = NLEVEL - 1; i >= 0; i--) {
		const struct cache *c = &in->c[i];
		long long ni = instances(c, i, r->units);

		if (c->size <= 0)
			continue;
		gp_buf_printf(b, "  - level: %s\n", level_name[i]);
		start = b->len;
		if (probed(in, r, i)) {
			gp_buf_printf(b, "    capacity: %lld", c->eff);
			snprintf(c1, sizeof c1, "measured: read bandwidth falls to DRAM's past %s (the system says %lld x %s)",
			    hbytes(t1, sizeof t1, (double)c->eff / ni), ni, hbytes(t2, sizeof t2, (double)c->size));
		} else if (c->eff > 0 && c->eff < c->size * ni) {
			gp_buf_printf(b, "    capacity: %lld", c->size * ni);
			snprintf(c1, sizeof c1, "%lld x %s (busy: a probe saw DRAM's bandwidth past %s, not used)", ni,
			    hbytes(t1, sizeof t1, (double)c->size), hbytes(t2, sizeof t2, (double)c->eff / ni));
		} else {
			gp_buf_printf(b, "    capacity: %lld", c->size * ni);
			snprintf(c1, sizeof c1, "%lld x %s", ni, hbytes(t1, sizeof t1, (double)c->size));
		}
		eol(b, start, c1);
		if (i == 2 && r->units > 1)
			snprintf(c1, sizeof c1, "bytes/s read, %d threads all reading one buffer of %s; 1 thread: %.4g",
			    r->units, hbytes(t1, sizeof t1, (double)c->bufn), c->bw1);
		else if (r->units > 1)
			snprintf(c1, sizeof c1, "bytes/s read, %d threads each reading its own %s; 1 thread (%s): %.4g",
			    r->units, hbytes(t1, sizeof t1, (double)c->bufn), hbytes(t2, sizeof t2, (double)c->buf1), c->bw1);
		else
			snprintf(c1, sizeof c1, "bytes/s read, 1 thread reading %s", hbytes(t1, sizeof t1, (double)c->buf1));
		kv_num(b, "    bandwidth", c->bwn, c1);
		kv_num(b, "    read_bandwidth", c->bwn, "bytes/s: the read above");
		snprintf(c1, sizeof c1, "bytes/s: triad inside the level on %d thread%s, %.4g, implies", r->units,
		    r->units == 1 ? "" : "s", c->triad);
		kv_num(b, "    write_bandwidth", c->wbw, c1);
	}
	if (tdp > 0) {
		gp_buf_adds(b, "power:\n");
		kv_num(b, "  tdp_w", tdp, "given with --tdp");
	}
	if (r->units > 1) {
		snprintf(c1, sizeof c1, "wake %d %s worker%s, empty kernel, join; from sleep: %.4g",
		    r->units - 1, r->spin ? "spinning" : "sleeping", r->units == 2 ? "" : "s", r->launch_cold);
		kv_num(b, "launch_s", r->launch, c1);
	} else {
		kv_num(b, "launch_s", r->launch, "one thread: an empty call through a pointer");
	}
	gp_buf_adds(b, "per_thread:\n");
	kv_num(b, "  fp32", r->fma1, "FLOP/s on 1 thread");
	kv_num(b, "  dram_bandwidth", r->triad1, "bytes/s, triad on 1 thread");
	gp_buf_adds(b, "sources:\n");
	snprintf(c1, sizeof c1, "measured by %s %s on this machine (%d thread%s, best of %d runs%s)",
	    gp_prog, GP_VERSION, r->units, r->units == 1 ? "" : "s", r->reps,
	    r->busy ? "; busy: lower bounds" : "");
	cite(b, c1);
	gp_buf_adds(b, "    covers: [peak_ops, memory.dram.bandwidth, memory.dram.read_bandwidth, "
	    "memory.dram.write_bandwidth");
	for (i = NLEVEL - 1; i >= 0; i--) {
		if (in->c[i].size <= 0)
			continue;
		gp_buf_printf(b, ", memory.%s.bandwidth, memory.%s.read_bandwidth, memory.%s.write_bandwidth",
		    level_name[i], level_name[i], level_name[i]);
		if (probed(in, r, i))
			gp_buf_printf(b, ", memory.%s.capacity", level_name[i]);
	}
	gp_buf_adds(b, ", launch_s, per_thread]\n");
	snprintf(c1, sizeof c1, "/proc/cpuinfo, /proc/meminfo and the cache sizes of %s",
	    in->c[0].from_sys || in->c[1].from_sys || in->c[2].from_sys ?
	    "/sys/devices/system/cpu/cpu0/cache" : "sysconf(3)");
	cite(b, c1);
	gp_buf_adds(b, "    covers: [title, vendor, clock_hz, memory.dram.capacity");
	for (i = NLEVEL - 1; i >= 0; i--)
		if (in->c[i].size > 0 && !probed(in, r, i))
			gp_buf_printf(b, ", memory.%s.capacity", level_name[i]);
	gp_buf_adds(b, "]\n");
	snprintf(c1, sizeof c1, "%s's choices: the threads it ran and its kernels' SIMD width", gp_prog);
	cite(b, c1);
	gp_buf_adds(b, "    covers: [units, threads_per_unit]\n");
	if (tdp > 0) {
		cite(b, "given with --tdp");
		gp_buf_adds(b, "    covers: [power.tdp_w]\n");
	}
}

static void *
xaligned(size_t align, size_t n)
{
	void *p;

	n = (n + align - 1) / align * align;
	if (!(p = aligned_alloc(align, n)))
		gp_die("out of memory (%zu bytes)", n);
	return p;
}

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
	j->a = xaligned(4096, len * sizeof(double));
	j->b = xaligned(4096, len * sizeof(double));
	j->c = xaligned(4096, len * sizeof(double));
	j->nthr = nthr;
	if (nthr > 1)
		pool_run(p, run_touch, j);
	else
		run_touch(j, 0);
}

static void
triad_free(struct job *j)
{
	free(j->a);
	free(j->b);
	free(j->c);
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

	buf[0] = xaligned(64, bytes);
	for (k = 0; k < n; k++)
		buf[0][k] = (float)(k % 7) * 0.125f;
	memset(&j, 0, sizeof j);
	j.k = r->k;
	j.buf = buf;
	j.sum = sum;
	j.nfl = n;
	j.nthr = 1;
	bw = measure(o, p, run_read, &j, (double)bytes, what);
	free(buf[0]);
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
 * the system says whose read bandwidth stays above the geometric mean of
 * the level's and DRAM's (a virtual machine may report the host's L3). */
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

				buf[t] = xaligned(64, nf * sizeof(float));
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
			free(buf[t]);
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

		if (in->memtotal > 0 && most > (double)in->memtotal / 8)
			most = (double)in->memtotal / 8;
		for (; size <= most; size *= 2) {
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
	long long llc = 0, bytes;
	float **buf = gp_xcalloc((size_t)r->units, sizeof *buf);
	size_t part;
	int i;

	for (i = 0; i < NLEVEL; i++)
		if (in->c[i].size > 0)
			llc = in->c[i].size * instances(&in->c[i], i, in->ncpu);
	bytes = 4 * llc;
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
	double *v = gp_xcalloc((size_t)r->runs, sizeof *v), sp;
	size_t f;
	int k, i, lv;

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
		/* a probed capacity: the smallest of the runs (the cache held at least that each time) */
		for (k = 0, i = 0; k < r->runs; k++)
			if (ii[k].c[lv].eff > 0 && (!i++ || ii[k].c[lv].eff < in->c[lv].eff))
				in->c[lv].eff = ii[k].c[lv].eff;
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
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
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
	while ((c = getopt_long(argc, argv, "o:vhV", lo, NULL)) != -1) {
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
	/* a busy machine: others' load above the CPUs this run left idle, or a
	 * spread between runs that its own noise does not make */
	if (r.load0 > in.ncpu - r.units + 0.5 || r.load1 > in.ncpu + 0.5 || r.spread > 0.10) {
		r.busy = 1;
		gp_warn("the machine was busy (load average %.2f before, %.2f after, on %d CPU%s%s%s): "
		    "the figures are lower bounds, not this machine's", r.load0, r.load1, in.ncpu,
		    in.ncpu == 1 ? "" : "s", r.runs > 1 ? "; figures spread " : "",
		    r.runs > 1 ? gp_arena_printf(&arena, "%.0f%% (%s) over %d runs", 100 * r.spread,
		    r.spread_of, r.runs) : "");
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
