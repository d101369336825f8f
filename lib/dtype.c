/* dtype.c - element types: names and sizes, indexed by ONNX's DataType number
 *
 * The numbers are onnx.proto's TensorProto.DataType: 1 FLOAT ... 16 BFLOAT16
 * (ONNX 1.0-1.6), 17-20 FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2,
 * FLOAT8E5M2FNUZ (1.14), 21 UINT4 and 22 INT4 (1.16), 23 FLOAT4E2M1 (1.18),
 * 24 FLOAT8E8M0 (1.18), 25 UINT2 and 26 INT2 (1.20). A number past these is
 * no dtype gp knows: gp_dtype_name says NULL, and callers refuse it.
 *
 * The precisions of hardware profiles (fp16, int8, ...) live here too, with
 * the one table of names gp-partition --dtype and gp-roofline -p read.
 */
#include <string.h>

#include "gp.h"

static const struct {
	const char *name;
	int bits;
} dtypes[GP_DTYPE_MAX + 1] = {
	[0] = {"?", 0},
	[1] = {"float32", 32},
	[2] = {"uint8", 8},
	[3] = {"int8", 8},
	[4] = {"uint16", 16},
	[5] = {"int16", 16},
	[6] = {"int32", 32},
	[7] = {"int64", 64},
	[8] = {"string", 0},
	[9] = {"bool", 8},
	[10] = {"float16", 16},
	[11] = {"float64", 64},
	[12] = {"uint32", 32},
	[13] = {"uint64", 64},
	[14] = {"complex64", 64},
	[15] = {"complex128", 128},
	[16] = {"bfloat16", 16},
	[17] = {"float8e4m3fn", 8},
	[18] = {"float8e4m3fnuz", 8},
	[19] = {"float8e5m2", 8},
	[20] = {"float8e5m2fnuz", 8},
	[21] = {"uint4", 4},
	[22] = {"int4", 4},
	[23] = {"float4e2m1", 4},
	[24] = {"float8e8m0", 8},
	[25] = {"uint2", 2},
	[26] = {"int2", 2},
};

const char *
gp_dtype_name(int dt)
{
	if (dt < 0 || dt > GP_DTYPE_MAX)
		return NULL;
	return dtypes[dt].name;
}

int
gp_dtype_from_name(const char *name)
{
	int i;

	for (i = 0; i <= GP_DTYPE_MAX; i++)
		if (strcmp(dtypes[i].name, name) == 0)
			return i;
	return -1;
}

int
gp_dtype_bits(int dt)
{
	if (dt < 0 || dt > GP_DTYPE_MAX)
		return 0;
	return dtypes[dt].bits;
}

int
gp_dtype_isfloat(int dt)
{
	return dt == 1 || dt == 10 || dt == 11 || dt == 16 || (dt >= 17 && dt <= 20) || dt == 23 ||
	    dt == 24;
}

int
gp_dtype_isint(int dt)
{
	return dt == 2 || dt == 3 || dt == 4 || dt == 5 || dt == 6 || dt == 7 || dt == 9 ||
	    dt == 12 || dt == 13 || dt == 21 || dt == 22 || dt == 25 || dt == 26;
}

int
gp_dtype_as(int dt, int as)
{
	return as > 0 && gp_dtype_isfloat(dt) ? as : dt;
}

/* ---- precisions ---- */

const char *const gp_prec_names[GP_PREC_N + 1] = {
	"fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", NULL,
};
/* the dtype a tensor is counted at for each precision (tf32 is stored as fp32) */
static const int precdt[GP_PREC_N] = {11, 1, 1, 10, 16, 17, 3, 22};

/* Names for a precision beyond gp_prec_names and the ONNX dtype names. */
static const struct {
	const char *name;
	int prec;
} precalias[] = {
	{"half", GP_PREC_FP16}, {"float", GP_PREC_FP32}, {"double", GP_PREC_FP64},
};

const char *
gp_prec_name(int p)
{
	return p >= 0 && p < GP_PREC_N ? gp_prec_names[p] : NULL;
}

int
gp_prec_from_name(const char *s)
{
	int p;

	for (p = 0; p < GP_PREC_N; p++)
		if (!strcmp(s, gp_prec_names[p]))
			return p;
	return -1;
}

int
gp_prec_dtype(int p)
{
	return p >= 0 && p < GP_PREC_N ? precdt[p] : 0;
}

int
gp_prec_of_dtype(int dt)
{
	switch (dt) {
	case 11: return GP_PREC_FP64;
	case 1: return GP_PREC_FP32;
	case 10: return GP_PREC_FP16;
	case 16: return GP_PREC_BF16;
	case 17: case 18: case 19: case 20: return GP_PREC_FP8;
	case 2: case 3: return GP_PREC_INT8;
	case 21: case 22: return GP_PREC_INT4;
	}
	return -1;
}

int
gp_prec_parse(const char *s, int *prec, int *dtype)
{
	size_t i;
	int p = gp_prec_from_name(s), dt;

	for (i = 0; p < 0 && i < sizeof precalias / sizeof precalias[0]; i++)
		if (!strcmp(s, precalias[i].name))
			p = precalias[i].prec;
	if (p >= 0) {
		dt = precdt[p];
	} else {
		dt = gp_dtype_from_name(s);
		if (dt <= 0 || gp_dtype_bits(dt) == 0)
			return -1;
		p = gp_prec_of_dtype(dt);
	}
	*prec = p;
	*dtype = dt;
	return 0;
}

int
gp_prec_arg(const char *opt, const char *s)
{
	int p, dt;

	if (gp_prec_parse(s, &p, &dt) < 0 || p < 0)
		gp_opt_enum(opt, s, gp_prec_names);     /* it is none of them: dies */
	return p;
}

int
gp_dtype_arg(const char *opt, const char *s)
{
	int p, dt;

	if (gp_prec_parse(s, &p, &dt) < 0)
		gp_die_optval(opt, s, "a numeric dtype (fp32, fp16, bf16, fp8, int8, ...)");
	return dt;
}
