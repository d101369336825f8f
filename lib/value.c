/* value.c - one tensor element, decoded from its bits, as the stream writes it
 *
 * Both loaders write the values of small constant tensors (the data column):
 * the ONNX loader from raw_data or the typed fields, the TFLite loader from a
 * buffer. Each finds an element's bits; this file says what they mean for
 * every number dtype (dtype.c's numbers): floats of every width, the 8- and
 * 4-bit ones too, as the shortest round trip; integers in decimal; bool as 0
 * or 1.
 */
#include <math.h>
#include <string.h>

#include "gp.h"

/* half decodes an IEEE binary16. */
static float
half(uint16_t h)
{
	int e = (h >> 10) & 31, m = h & 1023;
	float v;

	if (e == 0)
		v = ldexpf((float)m, -24);
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = ldexpf((float)(m | 1024), e - 25);
	return (h & 0x8000) ? -v : v;
}

/* minifloat decodes an 8- or 4-bit float with ebits exponent bits and the
 * given bias. fnuz: 0x80 is the only NaN, no infinities; fn: all-ones
 * exponent and mantissa is NaN, no infinities; otherwise IEEE-like. */
static float
minifloat(unsigned v, int ebits, int mbits, int bias, int kind)
{
	unsigned sign = v >> (ebits + mbits) & 1, e = v >> mbits & ((1u << ebits) - 1),
	    m = v & ((1u << mbits) - 1), emax = (1u << ebits) - 1;
	float f;

	if (kind == 2 && v == 0x80)
		return NAN;                                 /* fnuz */
	if (kind == 1 && e == emax && m == (1u << mbits) - 1)
		return NAN;                                 /* fn */
	if (kind == 0 && e == emax)
		return m ? NAN : sign ? -INFINITY : INFINITY;
	if (e == 0)
		f = ldexpf((float)m, 1 - bias - mbits);
	else
		f = ldexpf((float)(m | 1u << mbits), (int)e - bias - mbits);
	return sign ? -f : f;
}

/* gp_value_at: see gp.h */
uint64_t
gp_value_at(const uint8_t *p, int dt, int64_t i)
{
	int eb = gp_dtype_bits(dt), n = eb / 8;
	uint64_t v = 0;

	if (eb < 8)     /* packed: 8 / eb to a byte, the first in the low bits */
		return p[i * eb / 8] >> (eb * (i % (8 / eb))) & ((1u << eb) - 1);
	p += i * n;
	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* gp_value_fmt: see gp.h */
int
gp_value_fmt(struct gp_buf *b, int dt, uint64_t u)
{
	uint32_t w = (uint32_t)u;
	float f;
	double d;

	switch (dt) {
	case 1:
		memcpy(&f, &w, 4);
		gp_fmt_float(b, f);
		return 0;
	case 11:
		memcpy(&d, &u, 8);
		gp_fmt_double(b, d);
		return 0;
	case 10: gp_fmt_float(b, half((uint16_t)u)); return 0;
	case 16:
		w = (uint32_t)(uint16_t)u << 16;
		memcpy(&f, &w, 4);
		gp_fmt_float(b, f);
		return 0;
	case 17: gp_fmt_float(b, minifloat((unsigned)u & 255, 4, 3, 7, 1)); return 0;
	case 18: gp_fmt_float(b, minifloat((unsigned)u & 255, 4, 3, 8, 2)); return 0;
	case 19: gp_fmt_float(b, minifloat((unsigned)u & 255, 5, 2, 15, 0)); return 0;
	case 20: gp_fmt_float(b, minifloat((unsigned)u & 255, 5, 2, 16, 2)); return 0;
	case 23: gp_fmt_float(b, minifloat((unsigned)u, 2, 1, 1, 3)); return 0;
	case 24:        /* E8M0: 2^(e - 127), 255 is NaN */
		gp_fmt_float(b, (u & 255) == 255 ? NAN : ldexpf(1.0f, (int)(u & 255) - 127));
		return 0;
	case 2: gp_buf_printf(b, "%u", (unsigned)(uint8_t)u); return 0;
	case 3: gp_buf_printf(b, "%d", (int)(int8_t)u); return 0;
	case 4: gp_buf_printf(b, "%u", (unsigned)(uint16_t)u); return 0;
	case 5: gp_buf_printf(b, "%d", (int)(int16_t)u); return 0;
	case 6: gp_buf_printf(b, "%d", (int)(int32_t)u); return 0;
	case 7: gp_buf_printf(b, "%lld", (long long)(int64_t)u); return 0;
	case 9: gp_buf_addc(b, u ? '1' : '0'); return 0;
	case 12: gp_buf_printf(b, "%u", (unsigned)(uint32_t)u); return 0;
	case 13: gp_buf_printf(b, "%llu", (unsigned long long)u); return 0;
	case 21: case 25: gp_buf_printf(b, "%u", (unsigned)u); return 0;
	case 26: gp_buf_printf(b, "%d", (int)u >= 2 ? (int)u - 4 : (int)u); return 0;
	case 22: gp_buf_printf(b, "%d", (int)u >= 8 ? (int)u - 16 : (int)u); return 0;
	}
	return -1;
}
