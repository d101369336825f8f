/* calibrate-pool.c - gp-calibrate's pool of threads, the jobs it runs, and timing them */
#define _GNU_SOURCE             /* as gp-calibrate.c: the same declarations in every file */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calibrate.h"

/* ---- a pool of threads, as an inference runtime keeps one ---- */

double
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
void
pool_run(struct pool *p, void (*fn)(void *, int), void *arg)
{
	p->fn = fn;
	p->arg = arg;
	pool_wake(p);
	fn(arg, 0);
	wait_done(p);
}

void
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

void
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

static volatile float sink;

void
run_fma(void *arg, int i)
{
	struct job *j = arg;

	j->sum[i] = j->k->fma(j->n);
}

void
run_read(void *arg, int i)
{
	struct job *j = arg;

	j->sum[i] = j->k->read(j->buf[i], j->nfl, j->n);
}

void
run_triad(void *arg, int i)
{
	struct job *j = arg;
	size_t q = j->len / 4;

	j->sum[i] = (float)triad(j->a, j->b, j->c, q * (size_t)i / (size_t)j->nthr * 4,
	    q * (size_t)(i + 1) / (size_t)j->nthr * 4, j->n);
}

/* every thread of the job at barrier k (1, 2, ...): each waits for the others */
static void
barrier(struct job *j, long k)
{
	atomic_fetch_add(j->arrive, 1);
	while (atomic_load(j->arrive) < k * j->nthr)
		relax();
}

/* j->n rounds of: each thread writes its own buffer, then, once every
 * thread has, reads the next thread's once; the seconds it spent reading
 * into j->rd_s[i]. *j->arrive is 0 before it runs. */
void
run_handoff(void *arg, int i)
{
	struct job *j = arg;
	float *mine = j->buf[i], *next = j->buf[(i + 1) % j->nthr];
	double t = 0, t0;
	long r;
	size_t k;

	for (r = 0; r < j->n; r++) {
		for (k = 0; k < j->nfl; k++)
			mine[k] = (float)((k + (size_t)r) % 7) * 0.125f;
		barrier(j, 2 * r + 1);
		t0 = now();
		j->sum[i] += j->k->read(next, j->nfl, 1);
		t += now() - t0;
		barrier(j, 2 * r + 2);
	}
	j->rd_s[i] = t;
}

/* Fill the thread's part of the triad arrays: its pages become its own. */
void
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

void
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

void
run_call(void *arg, int i)
{
	struct job *j = arg;
	long k;

	for (k = 0; k < j->n; k++)
		empty_fp();
	(void)i;
}

/* Run fn on nthr threads (the caller alone, or the whole pool) with j->n
 * sized so that a run lasts about o->t, o->reps times; return the best rate
 * in units per second, where one run does units_per_n * n. The size is found
 * on the caller alone (thread 0's share of the work): waking the pool can
 * take longer than a small run, and would pass for work. */
double
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

int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median time to wake the pool's workers from sleep and join them. */
double
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
