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

static float
hsum(const float *t, int n)
{
	float s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += t[i];
	return s;
}

/* The portable kernels: SSE2 on x86_64, NEON on arm64, whatever the target
 * has elsewhere. The multiply and the add are separate (C11 mode does not
 * contract them), which is what a CPU without FMA does anyway; the FLOPs are
 * the same. On arm64 the FMA kernel is NEON's fused one. */
#if !defined(__aarch64__)
#define KW 4
#define KNAME(x) x##_vec
#define KTARGET
#define KFMA(a, b, c) ((a) * (b) + (c))
#include "calibrate-simd.h"
#endif

#if defined(__x86_64__)
#define KW 8
#define KNAME(x) x##_avx2
#define KTARGET __attribute__((target("avx2,fma")))
#define KFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#include "calibrate-simd.h"

#define KW 16
#define KNAME(x) x##_avx512
#define KTARGET __attribute__((target("avx512f")))
#define KFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#include "calibrate-simd.h"
#endif

#if defined(__aarch64__)
#define KW 4
#define KNAME(x) x##_neon
#define KTARGET
#define KFMA(a, b, c) ((vf_neon)vfmaq_f32((float32x4_t)(c), (float32x4_t)(a), (float32x4_t)(b)))
#include "calibrate-simd.h"
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
	static const struct kern kneon = {"neon", 4, fma_neon, read_neon};

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
