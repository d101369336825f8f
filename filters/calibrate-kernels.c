/* calibrate-kernels.c - gp-calibrate's FMA and bandwidth kernels, one set per SIMD width */
#define _GNU_SOURCE             /* as gp-calibrate.c: the same declarations in every file */
#include <string.h>

#include "calibrate.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

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
const struct kern *
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
double
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
