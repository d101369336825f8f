/* calibrate-simd.h - gp-calibrate's FMA and read kernels, written once for
 * every SIMD width: calibrate-kernels.c includes this file once per width
 * (as a template; it has no include guard), having defined
 *
 *   KW               the vector width in floats
 *   KNAME(x)         the name of kernel x at this width (fma_avx2, ...)
 *   KTARGET          the function attribute that enables the width's ISA
 *   KFMA(a, b, c)    a * b + c for vectors of KW floats, one fused
 *                    instruction where the ISA has one
 *
 * The vectors are GCC's vector extensions, which the ISA's intrinsics take. */

typedef float KNAME(vf) __attribute__((vector_size(4 * KW)));

/* n steps of FMA_ACC independent vector FMAs; returns their sum, so nothing is dead */
KTARGET static float
KNAME(fma)(long n)
{
	KNAME(vf) a[FMA_ACC], b, c, s;
	float t[KW];
	long k;
	int i;

	for (i = 0; i < KW; i++) {
		b[i] = 0.999999f;
		c[i] = 1e-6f;
		s[i] = 0;
	}
	for (i = 0; i < FMA_ACC; i++)
		a[i] = b * 0 + (float)(i + 1) * 0.01f;
	for (k = 0; k < n; k++) {
#define STEP(i) a[i] = KFMA(a[i], b, c);
		REP12(STEP)
#undef STEP
	}
	for (i = 0; i < FMA_ACC; i++)
		s += a[i];
	memcpy(t, &s, sizeof t);
	return hsum(t, KW);
}

/* passes sums of p[0..n), READ_ACC vectors a step */
KTARGET static float
KNAME(read)(const float *p, size_t n, long passes)
{
	KNAME(vf) s[READ_ACC], v;
	float t[KW];
	size_t i;
	long k;
	int j;

	memset(s, 0, sizeof s);
	for (k = 0; k < passes; k++) {
		for (i = 0; i < n; i += KW * READ_ACC) {
#define STEP(j) memcpy(&v, p + i + KW * (j), sizeof v); s[j] += v;
			REP8(STEP)
#undef STEP
		}
	}
	for (j = 1; j < READ_ACC; j++)
		s[0] += s[j];
	memcpy(t, &s[0], sizeof t);
	return hsum(t, KW);
}

#undef KW
#undef KNAME
#undef KTARGET
#undef KFMA
