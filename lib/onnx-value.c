/* onnx-value.c - an ONNX type as dtype and shape text, and a tensor's values
 * as the stream writes them, checked against its dims
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "onnx.h"

/* gp_onnx_dtname is the name of dtype dt; dies on 0 or a number gp does not know. */
const char *
gp_onnx_dtname(struct ld *L, const char *what, int dt)
{
	const char *n = gp_dtype_name(dt);

	if (!n || dt == 0)
		LDIE(L, "%s: unknown data type %d", what, dt);
	return n;
}

/* ---- types and shapes ---- */

static void elem_text(struct ld *L, const char *what, const Onnx__TypeProto *t, struct gp_buf *e);

/* gp_onnx_type_text writes type t of the value what as the stream's dtype
 * ("float32", "seq(int64)", "?" when not given) to dt and shape ("[1,N,3]",
 * "?") to sh; dies on an unknown element type or a negative dim. */
void
gp_onnx_type_text(struct ld *L, const char *what, const Onnx__TypeProto *t, struct gp_buf *dt,
    struct gp_buf *sh)
{
	const Onnx__TensorShapeProto *shape = NULL;
	struct gp_buf e = {0};
	int elem = 0, i;

	gp_buf_reset(dt);
	gp_buf_reset(sh);
	if (!t) {
		gp_buf_adds(dt, "?");
		gp_buf_adds(sh, "?");
		return;
	}
	switch (t->value_case) {
	case ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE:
		elem = t->tensor_type->has_elem_type ? t->tensor_type->elem_type : 0;
		gp_buf_adds(dt, elem ? gp_onnx_dtname(L, what, elem) : "?");
		shape = t->tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE:
		elem = t->sparse_tensor_type->has_elem_type ? t->sparse_tensor_type->elem_type : 0;
		gp_buf_printf(dt, "sparse(%s)", elem ? gp_onnx_dtname(L, what, elem) : "?");
		shape = t->sparse_tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE:
		elem_text(L, what, t->sequence_type->elem_type, &e);
		gp_buf_printf(dt, "seq(%s)", e.buf);
		break;
	case ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE:
		elem_text(L, what, t->optional_type->elem_type, &e);
		gp_buf_printf(dt, "optional(%s)", e.buf);
		break;
	case ONNX__TYPE_PROTO__VALUE_MAP_TYPE: {
		int k = t->map_type->has_key_type ? t->map_type->key_type : 0;

		elem_text(L, what, t->map_type->value_type, &e);
		gp_buf_printf(dt, "map(%s:%s)", k ? gp_onnx_dtname(L, what, k) : "?", e.buf);
		break;
	}
	default:
		gp_buf_adds(dt, "?");
		break;
	}
	gp_buf_release(&e);
	if (!shape) {
		gp_buf_adds(sh, "?");
		return;
	}
	gp_buf_addc(sh, '[');
	for (i = 0; i < (int)shape->n_dim; i++) {
		const Onnx__TensorShapeProto__Dimension *d = shape->dim[i];

		if (i)
			gp_buf_addc(sh, ',');
		if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE) {
			if (d->dim_value < 0)
				LDIE(L, "%s: negative dim %lld", what, (long long)d->dim_value);
			gp_buf_printf(sh, "%lld", (long long)d->dim_value);
		} else if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
		    d->dim_param && *d->dim_param) {
			gp_buf_adds(sh, d->dim_param);         /* encoded by gp_onnx_encode() */
		} else {
			gp_buf_addc(sh, '?');
		}
	}
	gp_buf_addc(sh, ']');
}

/* elem_text writes the dtype of element type t (of a sequence, an optional
 * or a map) to e */
static void
elem_text(struct ld *L, const char *what, const Onnx__TypeProto *t, struct gp_buf *e)
{
	struct gp_buf sh = {0};

	gp_onnx_type_text(L, what, t, e, &sh);
	gp_buf_release(&sh);
}

/* ---- tensor values ---- */

/* element i of a tensor's raw or typed data, as raw bits of its dtype */
static uint64_t
bits_at(const Onnx__TensorProto *t, int dt, int64_t i)
{
	if (t->has_raw_data)
		return gp_value_at(t->raw_data.data, dt, i);
	switch (dt) {
	case 1: {
		uint32_t u;

		memcpy(&u, &t->float_data[i], 4);
		return u;
	}
	case 11: {
		uint64_t u;

		memcpy(&u, &t->double_data[i], 8);
		return u;
	}
	case 7:
		return (uint64_t)t->int64_data[i];
	case 12: case 13:
		return t->uint64_data[i];
	case 21: case 22: case 23:
		return (uint32_t)t->int32_data[i / 2] >> (4 * (i % 2)) & 15;
	case 25: case 26:
		return (uint32_t)t->int32_data[i / 4] >> (2 * (i % 4)) & 3;
	default:
		return (uint32_t)t->int32_data[i];
	}
}

/* complex_part is component j of a complex tensor t of dtype dt: element i's
 * real part is 2 i, its imaginary part 2 i + 1 */
static double
complex_part(const Onnx__TensorProto *t, int dt, int64_t j)
{
	float f;
	double d;

	if (dt == 14 && t->has_raw_data) {
		memcpy(&f, t->raw_data.data + 4 * j, 4);
		return f;
	}
	if (dt == 14)
		return t->float_data[j];
	if (t->has_raw_data) {
		memcpy(&d, t->raw_data.data + 8 * j, 8);
		return d;
	}
	return t->double_data[j];
}

/* fmt_value appends element i of tensor t, of dtype dt, to b: a string
 * quoted, a complex number as RE+IMi, any other through gp_value_fmt */
static void
fmt_value(struct gp_buf *b, const Onnx__TensorProto *t, int dt, int64_t i)
{
	switch (dt) {
	case 8:
		gp_buf_addc(b, '"');
		gp_esc(b, (const char *)t->string_data[i].data, t->string_data[i].len);
		gp_buf_addc(b, '"');
		return;
	case 14: case 15: {
		int k;

		for (k = 0; k < 2; k++) {
			double v = complex_part(t, dt, 2 * i + k);

			if (k && !signbit(v))
				gp_buf_addc(b, '+');
			if (dt == 14)
				gp_fmt_float(b, (float)v);
			else
				gp_fmt_double(b, v);
		}
		gp_buf_addc(b, 'i');
		return;
	}
	default:
		gp_value_fmt(b, dt, bits_at(t, dt, i));
	}
}

/* typed_count is how many typed-field elements tensor t has for dtype dt. */
static size_t
typed_count(const Onnx__TensorProto *t, int dt)
{
	switch (dt) {
	case 1: case 14: return t->n_float_data;
	case 11: case 15: return t->n_double_data;
	case 7: return t->n_int64_data;
	case 12: case 13: return t->n_uint64_data;
	case 8: return t->n_string_data;
	default: return t->n_int32_data;
	}
}

/* tensor_payload checks tensor t's payload against its dims and, for a small
 * tensor with its data in the file, writes the values "[v,...]" to b (else
 * leaves b empty). External data is never read. */
void
gp_onnx_tensor_payload(struct ld *L, const char *what, const Onnx__TensorProto *t, int dt, int64_t numel,
    int64_t bytes, struct gp_buf *b)
{
	size_t k, have, want;
	const char *stripped = NULL;
	int64_t i;

	gp_buf_reset(b);
	for (k = 0; k < t->n_external_data; k++)
		if (gp_onnx_pb_is(t->external_data[k]->key, GP_STRIPPED_KEY))
			stripped = t->external_data[k]->value;
	if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
		for (k = 0; k < t->n_external_data; k++)
			if (gp_onnx_pb_is(t->external_data[k]->key, "location"))
				return;
		LDIE(L, "%s: external data with no location", what);
	}
	want = (size_t)numel * (dt == 14 || dt == 15 ? 2 : 1);
	if (stripped) {
		/* written by gp_wire_prune, which drops any the file holds */
		unsigned long long n;
		char *e;

		if (strncmp(stripped, "raw_data=", 9) != 0 && strncmp(stripped, "elements=", 9) != 0)
			LDIE(L, "%s: malformed %s entry", what, GP_STRIPPED_KEY);
		errno = 0;
		n = strtoull(stripped + 9, &e, 10);
		if (errno || e == stripped + 9 || *e)
			LDIE(L, "%s: malformed %s entry", what, GP_STRIPPED_KEY);
		if (strncmp(stripped, "raw_data=", 9) == 0) {
			if (dt == 8)
				LDIE(L, "%s: a string tensor cannot have raw_data", what);
			if (n != (unsigned long long)bytes)
				LDIE(L, "%s: raw_data has %llu bytes, but its dims and dtype need %lld",
				    what, n, (long long)bytes);
		} else if (n != (gp_dtype_bits(dt) == 4 ? (want + 1) / 2 : gp_dtype_bits(dt) == 2 ? (want + 3) / 4 :
		    want)) {
			LDIE(L, "%s: has %llu values, but its dims need %lld", what, n, (long long)numel);
		}
		return;
	}
	if (t->has_raw_data) {
		if (dt == 8)
			LDIE(L, "%s: a string tensor cannot have raw_data", what);
		if ((int64_t)t->raw_data.len != bytes)
			LDIE(L, "%s: raw_data has %zu bytes, but its dims and dtype need %lld",
			    what, t->raw_data.len, (long long)bytes);
	} else {
		have = typed_count(t, dt);
		if (gp_dtype_bits(dt) == 4)
			want = (want + 1) / 2;
		else if (gp_dtype_bits(dt) == 2)
			want = (want + 3) / 4;
		if (have != want)
			LDIE(L, "%s: has %zu values, but its dims need %lld", what, have, (long long)numel);
	}
	if (numel > L->data_limit)
		return;
	gp_buf_addc(b, '[');
	for (i = 0; i < numel; i++) {
		if (i)
			gp_buf_addc(b, ',');
		fmt_value(b, t, dt, i);
	}
	gp_buf_addc(b, ']');
}
