/* onnx.c - load an ONNX model into a gp stream without touching its weights
 *
 * The file is mapped (or, from a pipe, read), copied without its tensor
 * payloads by gp_wire_prune(), unpacked by protobuf-c, checked, and written
 * into the stream's tensor, node and graph tables. Every graph (the main graph,
 * If/Loop/Scan bodies, model-local functions) has its nodes sorted
 * topologically; a cycle, a dangling name or an impossible tensor is fatal.
 *
 * Names may hold any byte, NUL too. protobuf-c gives a string field as a C
 * string, but its allocator here records each block's size, so encode() can
 * percent-encode every name at its full length right after unpacking; from
 * there on the loader handles only encoded names, which are C strings.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gp.h"
#include "onnx.pb-c.h"

#define KEEP_PAYLOAD 4096       /* payloads up to this many bytes stay in the copy */
#define ELEM_BYTES 24           /* more than one element's data can take (complex128 as two
                                 * unpacked doubles: 18): with --data-limit N, payloads of
                                 * N * ELEM_BYTES stay, so N values of any number type do */

/* A scope: the names a graph defines, and the graph around it. */
struct scope {
	struct gp_map names;
	struct scope *up;
	struct scope *next;     /* every scope, for release */
};

/* A graph waiting to be loaded: a subgraph is loaded after its parent. */
struct pending {
	Onnx__GraphProto *g;
	Onnx__FunctionProto *fn;
	int id;
	struct scope *up;
};

struct ld {
	struct gp_stream *s;
	const char *path;
	int data_limit, hash_file;
	struct gp_buf pr, h;            /* the pruned copy; scratch */
	size_t nbytes;                  /* of the file */
	char src_hex[65], graph_hex[65];
	Onnx__ModelProto *m;
	struct gp_table *tt, *nt, *gt;
	int t_name, t_dtype, t_shape, t_kind, t_bytes, t_data, t_graph;
	int n_name, n_op, n_domain, n_in, n_out, n_attrs, n_graph;
	int g_id, g_name, g_kind, g_parent, g_attr, g_domain, g_in, g_out;
	struct gp_map nodenames;        /* every node name given out */
	struct pending *q;
	int nq, capq, ngraph;
	struct scope *scopes;
};

#define LDIE(L, ...) do { \
	char m_[512]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: %s", (L)->path, m_); } while (0)

/* ---- protobuf-c's memory, and names of any bytes ---- */

/* pb_alloc gives protobuf-c blocks led by their size, so that pb_len can tell
 * a string field's length: protobuf-c allocates length + 1 bytes for one. */
static void *
pb_alloc(void *data, size_t n)
{
	size_t *p;

	(void)data;
	if (n > SIZE_MAX - 16)
		gp_die("%s: out of memory (%zu bytes)", gp_err_src, n);
	p = gp_xmalloc(n + 16);
	p[0] = n;
	return (char *)p + 16;
}

static void
pb_free(void *data, void *p)
{
	(void)data;
	if (p)
		free((char *)p - 16);
}

static ProtobufCAllocator pb_mem = {pb_alloc, pb_free, NULL};

/* pb_len is the length of string s of the unpacked model, NUL bytes in it
 * included; strlen if its block is not shaped like one protobuf-c fills. */
static size_t
pb_len(const char *s)
{
	size_t n = *(const size_t *)(const void *)(s - 16);

	if (n == 0 || s[n - 1] != '\0')
		return strlen(s);
	return n - 1;
}

/* pb_is reports whether string s of the unpacked model is exactly lit. */
static int
pb_is(const char *s, const char *lit)
{
	return s && pb_len(s) == strlen(lit) && memcmp(s, lit, strlen(lit)) == 0;
}

/* enc replaces string *s of the unpacked model by its percent-encoding
 * (gp_esc, or gp_esc_sym for a symbolic dim), in a block of the same kind. */
static void
enc(struct gp_buf *b, char **s, int sym)
{
	size_t n;
	char *e;

	if (!*s)
		return;
	n = pb_len(*s);
	gp_buf_reset(b);
	(sym ? gp_esc_sym : gp_esc)(b, *s, n);
	if (b->len == n)
		return;                 /* nothing to encode */
	e = pb_alloc(NULL, b->len + 1);
	memcpy(e, b->buf, b->len + 1);
	pb_free(NULL, *s);
	*s = e;
}

static void
enc_list(struct gp_buf *b, char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		enc(b, &v[i], 0);
}

static void
enc_type(struct gp_buf *b, Onnx__TypeProto *t)
{
	Onnx__TensorShapeProto *sh = NULL;
	size_t i;

	if (!t)
		return;
	switch (t->value_case) {
	case ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE:
		sh = t->tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE:
		sh = t->sparse_tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE:
		enc_type(b, t->sequence_type->elem_type);
		break;
	case ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE:
		enc_type(b, t->optional_type->elem_type);
		break;
	case ONNX__TYPE_PROTO__VALUE_MAP_TYPE:
		enc_type(b, t->map_type->value_type);
		break;
	default:
		break;
	}
	for (i = 0; sh && i < sh->n_dim; i++)
		if (sh->dim[i]->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM)
			enc(b, &sh->dim[i]->dim_param, 1);
}

static void
enc_sparse(struct gp_buf *b, Onnx__SparseTensorProto *sp)
{
	if (sp->values)
		enc(b, &sp->values->name, 0);
	if (sp->indices)
		enc(b, &sp->indices->name, 0);
}

static void enc_graph(struct gp_buf *b, Onnx__GraphProto *g);

static void
enc_attr(struct gp_buf *b, Onnx__AttributeProto *a)
{
	size_t i;

	enc(b, &a->name, 0);
	enc(b, &a->ref_attr_name, 0);
	if (a->t)
		enc(b, &a->t->name, 0);
	if (a->g)
		enc_graph(b, a->g);
	if (a->sparse_tensor)
		enc_sparse(b, a->sparse_tensor);
	enc_type(b, a->tp);
	for (i = 0; i < a->n_tensors; i++)
		enc(b, &a->tensors[i]->name, 0);
	for (i = 0; i < a->n_graphs; i++)
		enc_graph(b, a->graphs[i]);
	for (i = 0; i < a->n_sparse_tensors; i++)
		enc_sparse(b, a->sparse_tensors[i]);
	for (i = 0; i < a->n_type_protos; i++)
		enc_type(b, a->type_protos[i]);
}

static void
enc_node(struct gp_buf *b, Onnx__NodeProto *n)
{
	size_t i;

	enc_list(b, n->input, n->n_input);
	enc_list(b, n->output, n->n_output);
	enc(b, &n->name, 0);
	enc(b, &n->op_type, 0);
	enc(b, &n->domain, 0);
	for (i = 0; i < n->n_attribute; i++)
		enc_attr(b, n->attribute[i]);
}

static void
enc_graph(struct gp_buf *b, Onnx__GraphProto *g)
{
	size_t i;

	enc(b, &g->name, 0);
	for (i = 0; i < g->n_node; i++)
		enc_node(b, g->node[i]);
	for (i = 0; i < g->n_initializer; i++)
		enc(b, &g->initializer[i]->name, 0);
	for (i = 0; i < g->n_sparse_initializer; i++)
		enc_sparse(b, g->sparse_initializer[i]);
	for (i = 0; i < g->n_input; i++) {
		enc(b, &g->input[i]->name, 0);
		enc_type(b, g->input[i]->type);
	}
	for (i = 0; i < g->n_output; i++) {
		enc(b, &g->output[i]->name, 0);
		enc_type(b, g->output[i]->type);
	}
	for (i = 0; i < g->n_value_info; i++) {
		enc(b, &g->value_info[i]->name, 0);
		enc_type(b, g->value_info[i]->type);
	}
}

/* encode percent-encodes every name and string of model m that the loader
 * writes into the stream, so that none is cut at a NUL byte; external_data
 * entries stay as they are (they are compared with pb_is, never written). */
static void
encode(Onnx__ModelProto *m)
{
	struct gp_buf b = {0};
	size_t i, j;

	enc(&b, &m->producer_name, 0);
	enc(&b, &m->producer_version, 0);
	enc(&b, &m->domain, 0);
	for (i = 0; i < m->n_metadata_props; i++) {
		enc(&b, &m->metadata_props[i]->key, 0);
		enc(&b, &m->metadata_props[i]->value, 0);
	}
	for (i = 0; i < m->n_opset_import; i++)
		enc(&b, &m->opset_import[i]->domain, 0);
	if (m->graph)
		enc_graph(&b, m->graph);
	for (i = 0; i < m->n_functions; i++) {
		Onnx__FunctionProto *f = m->functions[i];

		enc(&b, &f->name, 0);
		enc(&b, &f->domain, 0);
		enc_list(&b, f->input, f->n_input);
		enc_list(&b, f->output, f->n_output);
		for (j = 0; j < f->n_node; j++)
			enc_node(&b, f->node[j]);
	}
	gp_buf_release(&b);
}

/* fld is an encoded name as a field: the empty name is written "". */
static const char *
fld(const char *s)
{
	return *s ? s : "\"\"";
}

static const char *
dtname(struct ld *L, const char *what, int dt)
{
	const char *n = gp_dtype_name(dt);

	if (!n || dt == 0)
		LDIE(L, "%s: unknown data type %d", what, dt);
	return n;
}

/* ---- types and shapes ---- */

static void
type_text(struct ld *L, const char *what, const Onnx__TypeProto *t, struct gp_buf *dt, struct gp_buf *sh)
{
	const Onnx__TensorShapeProto *shape = NULL;
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
		gp_buf_adds(dt, elem ? dtname(L, what, elem) : "?");
		shape = t->tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE:
		elem = t->sparse_tensor_type->has_elem_type ? t->sparse_tensor_type->elem_type : 0;
		gp_buf_printf(dt, "sparse(%s)", elem ? dtname(L, what, elem) : "?");
		shape = t->sparse_tensor_type->shape;
		break;
	case ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE: {
		struct gp_buf d2 = {0}, s2 = {0};

		type_text(L, what, t->sequence_type->elem_type, &d2, &s2);
		gp_buf_printf(dt, "seq(%s)", d2.buf);
		gp_buf_release(&d2);
		gp_buf_release(&s2);
		break;
	}
	case ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE: {
		struct gp_buf d2 = {0}, s2 = {0};

		type_text(L, what, t->optional_type->elem_type, &d2, &s2);
		gp_buf_printf(dt, "optional(%s)", d2.buf);
		gp_buf_release(&d2);
		gp_buf_release(&s2);
		break;
	}
	case ONNX__TYPE_PROTO__VALUE_MAP_TYPE: {
		struct gp_buf d2 = {0}, s2 = {0};
		int k = t->map_type->has_key_type ? t->map_type->key_type : 0;

		type_text(L, what, t->map_type->value_type, &d2, &s2);
		gp_buf_printf(dt, "map(%s:%s)", k ? dtname(L, what, k) : "?", d2.buf);
		gp_buf_release(&d2);
		gp_buf_release(&s2);
		break;
	}
	default:
		gp_buf_adds(dt, "?");
		break;
	}
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
			gp_buf_adds(sh, d->dim_param);         /* encoded by encode() */
		} else {
			gp_buf_addc(sh, '?');
		}
	}
	gp_buf_addc(sh, ']');
}

/* ---- tensor values ---- */

static float
half_to_float(uint16_t h)
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

static float
bf16_to_float(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float f;

	memcpy(&f, &u, 4);
	return f;
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

static uint64_t
le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* element i of a tensor's raw or typed data, as raw bits of its dtype */
static uint64_t
bits_at(const Onnx__TensorProto *t, int dt, int64_t i)
{
	int eb = gp_dtype_bits(dt);

	if (t->has_raw_data) {
		if (eb < 8)     /* packed: 8 / eb to a byte, the first in the low bits */
			return t->raw_data.data[i * eb / 8] >> (eb * (i % (8 / eb))) & ((1u << eb) - 1);
		return le(t->raw_data.data + i * (eb / 8), eb / 8);
	}
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

static void
fmt_value(struct gp_buf *b, const Onnx__TensorProto *t, int dt, int64_t i)
{
	uint64_t u;
	float f;
	double d;

	switch (dt) {
	case 1:
		u = bits_at(t, dt, i);
		{
			uint32_t w = (uint32_t)u;

			memcpy(&f, &w, 4);
		}
		gp_fmt_float(b, f);
		return;
	case 11:
		u = bits_at(t, dt, i);
		memcpy(&d, &u, 8);
		gp_fmt_double(b, d);
		return;
	case 10: gp_fmt_float(b, half_to_float((uint16_t)bits_at(t, dt, i))); return;
	case 16: gp_fmt_float(b, bf16_to_float((uint16_t)bits_at(t, dt, i))); return;
	case 17: gp_fmt_float(b, minifloat((unsigned)bits_at(t, dt, i) & 255, 4, 3, 7, 1)); return;
	case 18: gp_fmt_float(b, minifloat((unsigned)bits_at(t, dt, i) & 255, 4, 3, 8, 2)); return;
	case 19: gp_fmt_float(b, minifloat((unsigned)bits_at(t, dt, i) & 255, 5, 2, 15, 0)); return;
	case 20: gp_fmt_float(b, minifloat((unsigned)bits_at(t, dt, i) & 255, 5, 2, 16, 2)); return;
	case 23: gp_fmt_float(b, minifloat((unsigned)bits_at(t, dt, i), 2, 1, 1, 3)); return;
	case 24: {      /* E8M0: 2^(e - 127), 255 is NaN */
		unsigned e = (unsigned)bits_at(t, dt, i) & 255;

		gp_fmt_float(b, e == 255 ? NAN : ldexpf(1.0f, (int)e - 127));
		return;
	}
	case 2: gp_buf_printf(b, "%u", (unsigned)(uint8_t)bits_at(t, dt, i)); return;
	case 3: gp_buf_printf(b, "%d", (int)(int8_t)bits_at(t, dt, i)); return;
	case 4: gp_buf_printf(b, "%u", (unsigned)(uint16_t)bits_at(t, dt, i)); return;
	case 5: gp_buf_printf(b, "%d", (int)(int16_t)bits_at(t, dt, i)); return;
	case 6: gp_buf_printf(b, "%d", (int)(int32_t)bits_at(t, dt, i)); return;
	case 7: gp_buf_printf(b, "%lld", (long long)(int64_t)bits_at(t, dt, i)); return;
	case 9: gp_buf_addc(b, bits_at(t, dt, i) ? '1' : '0'); return;
	case 12: gp_buf_printf(b, "%u", (unsigned)(uint32_t)bits_at(t, dt, i)); return;
	case 13: gp_buf_printf(b, "%llu", (unsigned long long)bits_at(t, dt, i)); return;
	case 21: case 25: gp_buf_printf(b, "%u", (unsigned)bits_at(t, dt, i)); return;
	case 26: {
		int v = (int)bits_at(t, dt, i);

		gp_buf_printf(b, "%d", v >= 2 ? v - 4 : v);
		return;
	}
	case 22: {
		int v = (int)bits_at(t, dt, i);

		gp_buf_printf(b, "%d", v >= 8 ? v - 16 : v);
		return;
	}
	case 8:
		gp_buf_addc(b, '"');
		gp_esc(b, (const char *)t->string_data[i].data, t->string_data[i].len);
		gp_buf_addc(b, '"');
		return;
	case 14: case 15: {
		double re, im;

		if (dt == 14) {
			float r2, i2;

			if (t->has_raw_data) {
				memcpy(&r2, t->raw_data.data + 8 * i, 4);
				memcpy(&i2, t->raw_data.data + 8 * i + 4, 4);
			} else {
				r2 = t->float_data[2 * i];
				i2 = t->float_data[2 * i + 1];
			}
			gp_fmt_float(b, r2);
			if (!signbit(i2))
				gp_buf_addc(b, '+');
			gp_fmt_float(b, i2);
		} else {
			if (t->has_raw_data) {
				memcpy(&re, t->raw_data.data + 16 * i, 8);
				memcpy(&im, t->raw_data.data + 16 * i + 8, 8);
			} else {
				re = t->double_data[2 * i];
				im = t->double_data[2 * i + 1];
			}
			gp_fmt_double(b, re);
			if (!signbit(im))
				gp_buf_addc(b, '+');
			gp_fmt_double(b, im);
		}
		gp_buf_addc(b, 'i');
		return;
	}
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
static void
tensor_payload(struct ld *L, const char *what, const Onnx__TensorProto *t, int dt, int64_t numel,
    int64_t bytes, struct gp_buf *b)
{
	size_t k, have, want;
	const char *stripped = NULL;
	int64_t i;

	gp_buf_reset(b);
	for (k = 0; k < t->n_external_data; k++)
		if (pb_is(t->external_data[k]->key, GP_STRIPPED_KEY))
			stripped = t->external_data[k]->value;
	if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
		for (k = 0; k < t->n_external_data; k++)
			if (pb_is(t->external_data[k]->key, "location"))
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

/* ---- records ---- */

static size_t
add_tensor(struct ld *L, int graph, const char *name, const char *dtype, const char *shape,
    const char *kind, const char *data)
{
	struct gp_stream *s = L->s;
	struct gp_shape sh;
	int64_t numel, bytes = -1;
	size_t r = gp_table_addrow(s, L->tt);
	int dt = gp_dtype_from_name(dtype);

	gp_table_set(s, L->tt, L->t_name, r, fld(name));
	gp_table_set(s, L->tt, L->t_dtype, r, dtype);
	gp_table_set(s, L->tt, L->t_shape, r, shape);
	gp_table_set(s, L->tt, L->t_kind, r, kind);
	if (dt >= 0 && gp_shape_parse(&s->arena, shape, &sh) == 0) {
		numel = gp_shape_numel(&sh);
		bytes = gp_tensor_bytes(dt, numel);
		if (numel == -2 || bytes == -2)
			LDIE(L, "tensor '%s': size %s overflows 64 bits", name, shape);
	}
	if (bytes >= 0)
		gp_table_set(s, L->tt, L->t_bytes, r, gp_arena_printf(&s->arena, "%lld", (long long)bytes));
	if (data && *data)
		gp_table_set(s, L->tt, L->t_data, r, data);
	gp_table_set(s, L->tt, L->t_graph, r, gp_arena_printf(&s->arena, "%d", graph));
	return r;
}

/* tensor_record writes a TensorProto (an initializer or an attribute's value)
 * as a tensor record. */
static void
tensor_record(struct ld *L, int graph, const char *name, const Onnx__TensorProto *t, const char *kind)
{
	struct gp_buf sh = {0}, data = {0};
	char what[300];
	const char *dt;
	int64_t numel = 1, bytes;
	size_t i;

	snprintf(what, sizeof what, "tensor '%.200s'", name);
	if (!t->has_data_type || t->data_type == 0)
		LDIE(L, "%s: no data type", what);
	dt = dtname(L, what, t->data_type);
	gp_buf_addc(&sh, '[');
	for (i = 0; i < t->n_dims; i++) {
		if (t->dims[i] < 0)
			LDIE(L, "%s: negative dim %lld", what, (long long)t->dims[i]);
		if (__builtin_mul_overflow(numel, t->dims[i], &numel))
			LDIE(L, "%s: size overflows 64 bits", what);
		gp_buf_printf(&sh, "%s%lld", i ? "," : "", (long long)t->dims[i]);
	}
	gp_buf_addc(&sh, ']');
	bytes = gp_tensor_bytes(t->data_type, numel);
	if (bytes == -2)
		LDIE(L, "%s: size overflows 64 bits", what);
	if (t->segment)
		LDIE(L, "%s: segmented tensors are not supported", what);
	tensor_payload(L, what, t, t->data_type, numel, bytes, &data);
	add_tensor(L, graph, name, dt, sh.buf, kind, data.len ? data.buf : NULL);
	gp_buf_release(&sh);
	gp_buf_release(&data);
}

/* ---- attributes ---- */

static int enqueue(struct ld *L, Onnx__GraphProto *g, Onnx__FunctionProto *fn, struct scope *up,
    const char *parent, const char *attr);

/* attr_tensor_name gives a tensor held in an attribute a name unique in its
 * graph: the tensor's own, or NODE:ATTR[:i]. */
static const char *
attr_tensor_name(struct ld *L, struct scope *sc, const char *node, const char *attr, int idx,
    const Onnx__TensorProto *t)
{
	const char *base;
	char *n;
	int k;

	if (t && t->name && *t->name && !gp_map_get(&sc->names, t->name))
		base = t->name;
	else if (idx < 0)
		base = gp_arena_printf(&L->s->arena, "%s:%s", node, attr);
	else
		base = gp_arena_printf(&L->s->arena, "%s:%s:%d", node, attr, idx);
	n = gp_arena_strdup(&L->s->arena, base);
	for (k = 2; gp_map_get(&sc->names, n); k++)
		n = gp_arena_printf(&L->s->arena, "%s~%d", base, k);
	gp_map_put(&sc->names, n, -1);
	return n;
}

static void
sparse_record(struct ld *L, int graph, const char *name, const Onnx__SparseTensorProto *sp)
{
	struct gp_buf sh = {0};
	size_t i;
	int dt;
	int64_t bytes = 0, nv = 1, b;

	if (!sp->values || !sp->values->has_data_type)
		LDIE(L, "sparse tensor '%s': no values", name);
	dt = sp->values->data_type;
	gp_buf_addc(&sh, '[');
	for (i = 0; i < sp->n_dims; i++) {
		if (sp->dims[i] < 0)
			LDIE(L, "sparse tensor '%s': negative dim", name);
		gp_buf_printf(&sh, "%s%lld", i ? "," : "", (long long)sp->dims[i]);
	}
	gp_buf_addc(&sh, ']');
	for (i = 0; i < sp->values->n_dims; i++)
		if (sp->values->dims[i] < 0 || __builtin_mul_overflow(nv, sp->values->dims[i], &nv))
			LDIE(L, "sparse tensor '%s': bad values dims", name);
	b = gp_tensor_bytes(dt, nv);
	bytes += b > 0 ? b : 0;
	if (sp->indices) {
		int64_t ni = 1;

		for (i = 0; i < sp->indices->n_dims; i++)
			if (sp->indices->dims[i] < 0 || __builtin_mul_overflow(ni, sp->indices->dims[i], &ni))
				LDIE(L, "sparse tensor '%s': bad indices dims", name);
		b = gp_tensor_bytes(sp->indices->has_data_type ? sp->indices->data_type : 7, ni);
		bytes += b > 0 ? b : 0;
	}
	{
		size_t r = add_tensor(L, graph, name, gp_arena_printf(&L->s->arena, "sparse(%s)",
		    dtname(L, name, dt)), sh.buf, "initializer", NULL);

		gp_table_set(L->s, L->tt, L->t_bytes, r, gp_arena_printf(&L->s->arena, "%lld", (long long)bytes));
	}
	gp_buf_release(&sh);
}

static void
attr_value(struct ld *L, struct gp_buf *b, struct scope *sc, int graph, const char *node,
    const Onnx__NodeProto *n, const Onnx__AttributeProto *a)
{
	int type = a->has_type ? (int)a->type : 0;
	size_t i;

	if (a->ref_attr_name && *a->ref_attr_name) {
		gp_buf_adds(b, "R:");
		gp_buf_adds(b, a->ref_attr_name);
		return;
	}
	if (!type) {   /* IR version 1: no type field, find the value */
		type = a->has_f ? 1 : a->has_i ? 2 : a->has_s ? 3 : a->t ? 4 : a->g ? 5 :
		    a->n_floats ? 6 : a->n_ints ? 7 : a->n_strings ? 8 : a->n_tensors ? 9 :
		    a->n_graphs ? 10 : 0;
		if (!type)
			LDIE(L, "node '%s': attribute '%s' has no type and no value", node, a->name);
	}
	switch (type) {
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
		gp_fmt_float(b, a->f);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
		gp_buf_printf(b, "%lld", (long long)a->i);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
		gp_buf_addc(b, '"');
		gp_esc(b, (const char *)a->s.data, a->s.len);
		gp_buf_addc(b, '"');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: {
		const char *tn;

		if (!a->t)
			LDIE(L, "node '%s': tensor attribute '%s' has no tensor", node, a->name);
		/* a Constant's value is its output tensor */
		if (strcmp(n->op_type, "Constant") == 0 && n->n_output >= 1 && *n->output[0])
			tn = n->output[0];
		else
			tn = attr_tensor_name(L, sc, node, a->name, -1, a->t);
		tensor_record(L, graph, tn, a->t, "constant");
		gp_buf_adds(b, "T:");
		gp_buf_adds(b, tn);
		break;
	}
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH:
		if (!a->g)
			LDIE(L, "node '%s': graph attribute '%s' has no graph", node, a->name);
		gp_buf_printf(b, "G:%d", enqueue(L, a->g, NULL, sc, node, a->name));
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__SPARSE_TENSOR: {
		const char *tn = attr_tensor_name(L, sc, node, a->name, -1, NULL);

		if (!a->sparse_tensor)
			LDIE(L, "node '%s': attribute '%s' has no sparse tensor", node, a->name);
		sparse_record(L, graph, tn, a->sparse_tensor);
		gp_buf_adds(b, "S:");
		gp_buf_adds(b, tn);
		break;
	}
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TYPE_PROTO: {
		struct gp_buf d = {0}, s = {0};

		type_text(L, node, a->tp, &d, &s);
		gp_buf_adds(b, "Y:");
		gp_esc(b, d.buf, d.len);
		gp_esc(b, s.buf, s.len);
		gp_buf_release(&d);
		gp_buf_release(&s);
		break;
	}
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_floats; i++) {
			if (i)
				gp_buf_addc(b, ',');
			gp_fmt_float(b, a->floats[i]);
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_ints; i++)
			gp_buf_printf(b, "%s%lld", i ? "," : "", (long long)a->ints[i]);
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_strings; i++) {
			gp_buf_adds(b, i ? ",\"" : "\"");
			gp_esc(b, (const char *)a->strings[i].data, a->strings[i].len);
			gp_buf_addc(b, '"');
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSORS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_tensors; i++) {
			const char *tn = attr_tensor_name(L, sc, node, a->name, (int)i, a->tensors[i]);

			tensor_record(L, graph, tn, a->tensors[i], "constant");
			gp_buf_adds(b, i ? ",T:" : "T:");
			gp_buf_adds(b, tn);
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPHS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_graphs; i++)
			gp_buf_printf(b, "%sG:%d", i ? "," : "", enqueue(L, a->graphs[i], NULL, sc, node, a->name));
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__SPARSE_TENSORS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_sparse_tensors; i++) {
			const char *tn = attr_tensor_name(L, sc, node, a->name, (int)i, NULL);

			sparse_record(L, graph, tn, a->sparse_tensors[i]);
			gp_buf_adds(b, i ? ",S:" : "S:");
			gp_buf_adds(b, tn);
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TYPE_PROTOS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_type_protos; i++) {
			struct gp_buf d = {0}, s = {0};

			type_text(L, node, a->type_protos[i], &d, &s);
			gp_buf_adds(b, i ? ",Y:" : "Y:");
			gp_esc(b, d.buf, d.len);
			gp_esc(b, s.buf, s.len);
			gp_buf_release(&d);
			gp_buf_release(&s);
		}
		gp_buf_addc(b, ']');
		break;
	default:
		LDIE(L, "node '%s': attribute '%s' has unknown type %d", node, a->name, type);
	}
}

static int
has_attr(const Onnx__NodeProto *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->n_attribute; i++)
		if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
			return 1;
	return 0;
}

/* Constant's value_* attributes: the output tensor's dtype, shape and data. */
static int
constant_value(struct ld *L, const Onnx__NodeProto *n, int graph, const char *out)
{
	size_t i, k;
	struct gp_buf d = {0};
	const char *dt = NULL, *sh = "[]";

	for (i = 0; i < n->n_attribute; i++) {
		const Onnx__AttributeProto *a = n->attribute[i];

		if (!a->name)
			continue;
		if (strcmp(a->name, "value_float") == 0) {
			dt = "float32";
			gp_buf_addc(&d, '[');
			gp_fmt_float(&d, a->f);
			gp_buf_addc(&d, ']');
		} else if (strcmp(a->name, "value_int") == 0) {
			dt = "int64";
			gp_buf_printf(&d, "[%lld]", (long long)a->i);
		} else if (strcmp(a->name, "value_string") == 0) {
			dt = "string";
			gp_buf_adds(&d, "[\"");
			gp_esc(&d, (const char *)a->s.data, a->s.len);
			gp_buf_adds(&d, "\"]");
		} else if (strcmp(a->name, "value_floats") == 0) {
			dt = "float32";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_floats);
			gp_buf_addc(&d, '[');
			for (k = 0; k < a->n_floats; k++) {
				if (k)
					gp_buf_addc(&d, ',');
				gp_fmt_float(&d, a->floats[k]);
			}
			gp_buf_addc(&d, ']');
		} else if (strcmp(a->name, "value_ints") == 0) {
			dt = "int64";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_ints);
			gp_buf_addc(&d, '[');
			for (k = 0; k < a->n_ints; k++)
				gp_buf_printf(&d, "%s%lld", k ? "," : "", (long long)a->ints[k]);
			gp_buf_addc(&d, ']');
		} else if (strcmp(a->name, "value_strings") == 0) {
			dt = "string";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_strings);
			gp_buf_addc(&d, '[');
			for (k = 0; k < a->n_strings; k++) {
				gp_buf_adds(&d, k ? ",\"" : "\"");
				gp_esc(&d, (const char *)a->strings[k].data, a->strings[k].len);
				gp_buf_addc(&d, '"');
			}
			gp_buf_addc(&d, ']');
		} else {
			continue;
		}
		break;
	}
	if (!dt)
		return -1;
	if (strcmp(sh, "[]") != 0 && strtoll(sh + 1, NULL, 10) > L->data_limit)
		gp_buf_reset(&d);       /* a large value_floats is a weight: keep its size only */
	add_tensor(L, graph, out, dt, sh, "constant", d.len ? d.buf : NULL);
	gp_buf_release(&d);
	return 1;
}

/* ---- graphs ---- */

static int
enqueue(struct ld *L, Onnx__GraphProto *g, Onnx__FunctionProto *fn, struct scope *up,
    const char *parent, const char *attr)
{
	struct gp_stream *s = L->s;
	size_t r;
	int id = L->ngraph++;

	if (L->nq == L->capq) {
		L->capq = L->capq ? 2 * L->capq : 8;
		L->q = gp_xreallocarray(L->q, (size_t)L->capq, sizeof *L->q);
	}
	L->q[L->nq].g = g;
	L->q[L->nq].fn = fn;
	L->q[L->nq].id = id;
	L->q[L->nq].up = up;
	L->nq++;
	r = gp_table_addrow(s, L->gt);
	gp_table_set(s, L->gt, L->g_id, r, gp_arena_printf(&s->arena, "%d", id));
	gp_table_set(s, L->gt, L->g_kind, r, fn ? "function" : up ? "subgraph" : "main");
	if (g && g->name && *g->name)
		gp_table_set(s, L->gt, L->g_name, r, g->name);
	if (fn && fn->name && *fn->name)
		gp_table_set(s, L->gt, L->g_name, r, fn->name);
	if (fn)
		gp_table_set(s, L->gt, L->g_domain, r, fn->domain && *fn->domain ? fn->domain : "ai.onnx");
	if (parent)
		gp_table_set(s, L->gt, L->g_parent, r, fld(parent));
	if (attr)
		gp_table_set(s, L->gt, L->g_attr, r, fld(attr));
	return id;
}

/* uses adds to m every name read anywhere inside graph g, nested graphs too. */
static void
uses(const Onnx__GraphProto *g, struct gp_map *m)
{
	size_t i, j, k;

	for (i = 0; i < g->n_node; i++) {
		const Onnx__NodeProto *n = g->node[i];

		for (j = 0; j < n->n_input; j++)
			gp_map_put(m, n->input[j], 0);
		for (j = 0; j < n->n_attribute; j++) {
			const Onnx__AttributeProto *a = n->attribute[j];

			if (a->g)
				uses(a->g, m);
			for (k = 0; k < a->n_graphs; k++)
				uses(a->graphs[k], m);
		}
	}
	for (i = 0; i < g->n_output; i++)
		if (g->output[i]->name)
			gp_map_put(m, g->output[i]->name, 0);
}

static int
in_scope(const struct scope *sc, const char *name)
{
	for (; sc; sc = sc->up)
		if (gp_map_get(&sc->names, name))
			return 1;
	return 0;
}

static const char *
list_text(struct ld *L, char **v, size_t n, int drop_trailing_empty)
{
	struct gp_buf b = {0};
	const char *r;
	size_t i;

	while (drop_trailing_empty && n > 0 && !*v[n - 1])
		n--;
	for (i = 0; i < n; i++) {
		if (i)
			gp_buf_addc(&b, ',');
		gp_buf_adds(&b, v[i]);
	}
	r = n ? gp_arena_strndup(&L->s->arena, b.buf, b.len) : ".";
	gp_buf_release(&b);
	return r;
}

/* node_name gives a node a name unique in the model: its own, or OP_INDEX
 * when it has none, with "~K" added on a clash. */
static const char *
node_name(struct ld *L, const Onnx__NodeProto *n, size_t idx)
{
	const char *base = n->name && *n->name ? n->name :
	    gp_arena_printf(&L->s->arena, "%s_%zu", n->op_type, idx);
	char *nm = gp_arena_strdup(&L->s->arena, base);
	int k;

	for (k = 2; gp_map_get(&L->nodenames, nm); k++)
		nm = gp_arena_printf(&L->s->arena, "%s~%d", base, k);
	gp_map_put(&L->nodenames, nm, 0);
	return nm;
}

/* heap of node indices, smallest first: the ready nodes of a topological sort */
static void
heap_push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++, p;

	h[i] = v;
	while (i > 0 && h[p = (i - 1) / 2] > h[i]) {
		size_t t = h[p];

		h[p] = h[i];
		h[i] = t;
		i = p;
	}
}

static size_t
heap_pop(size_t *h, size_t *n)
{
	size_t top = h[0], i = 0, c;

	h[0] = h[--*n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[i] <= h[c])
			break;
		{
			size_t t = h[c];

			h[c] = h[i];
			h[i] = t;
		}
		i = c;
	}
	return top;
}

/* toposort orders the nodes: a node comes after the producers of its inputs
 * and of every outer name its subgraphs read; among ready nodes, file order
 * wins. Dies on a cycle or a name defined nowhere. */
static size_t *
toposort(struct ld *L, Onnx__NodeProto **nodes, size_t nn, struct scope *sc, const char *gname)
{
	struct gp_map prod = {0};
	size_t *order = gp_xcalloc(nn ? nn : 1, sizeof *order), *heap, nh = 0, no = 0;
	size_t *indeg = gp_xcalloc(nn ? nn : 1, sizeof *indeg);
	size_t *estart = gp_xcalloc(nn + 1, sizeof *estart), *edges = NULL, ne = 0, cape = 0;
	size_t *cnt, i, j, k;
	int64_t *p;

	for (i = 0; i < nn; i++) {
		for (j = 0; j < nodes[i]->n_output; j++) {
			const char *o = nodes[i]->output[j];

			if (!*o)
				continue;
			if (!gp_map_put(&prod, o, (int64_t)i)) {
				p = gp_map_get(&prod, o);
				LDIE(L, "graph '%s': tensor '%s' is the output of two nodes (%s and %s)",
				    gname, o, nodes[*p]->op_type, nodes[i]->op_type);
			}
			if (gp_map_get(&sc->names, o))
				LDIE(L, "graph '%s': node output '%s' redefines a graph input or initializer",
				    gname, o);
		}
	}
	/* edges producer -> consumer, as (consumer, producer) pairs grouped by producer below */
	cnt = gp_xcalloc(nn + 1, sizeof *cnt);
	for (i = 0; i < nn; i++) {
		struct gp_map deps = {0};
		const Onnx__NodeProto *n = nodes[i];

		for (j = 0; j < n->n_input; j++) {
			const char *in = n->input[j];

			if (!*in)
				continue;
			if (!gp_map_get(&prod, in) && !in_scope(sc, in))
				LDIE(L, "graph '%s': node '%s' (%s) reads '%s', which is no graph input, "
				    "initializer or node output", gname, n->name && *n->name ? n->name : "",
				    n->op_type, in);
			gp_map_put(&deps, in, 0);
		}
		for (j = 0; j < n->n_attribute; j++) {
			if (n->attribute[j]->g)
				uses(n->attribute[j]->g, &deps);
			for (k = 0; k < n->attribute[j]->n_graphs; k++)
				uses(n->attribute[j]->graphs[k], &deps);
		}
		for (k = 0; k < deps.cap; k++) {
			if (!deps.e[k].k || !(p = gp_map_get(&prod, deps.e[k].k)))
				continue;
			if (ne == cape) {
				cape = cape ? 2 * cape : 256;
				edges = gp_xreallocarray(edges, cape, 2 * sizeof *edges);
			}
			edges[2 * ne] = (size_t)*p;
			edges[2 * ne + 1] = i;
			ne++;
			indeg[i]++;
			cnt[*p]++;
		}
		gp_map_release(&deps);
	}
	/* adjacency by producer */
	for (i = 0; i < nn; i++)
		estart[i + 1] = estart[i] + cnt[i];
	{
		size_t *adj = gp_xcalloc(ne ? ne : 1, sizeof *adj), *fill = gp_xcalloc(nn ? nn : 1, sizeof *fill);

		for (k = 0; k < ne; k++) {
			i = edges[2 * k];
			adj[estart[i] + fill[i]++] = edges[2 * k + 1];
		}
		heap = gp_xcalloc(nn ? nn : 1, sizeof *heap);
		for (i = 0; i < nn; i++)
			if (indeg[i] == 0)
				heap_push(heap, &nh, i);
		while (nh) {
			i = heap_pop(heap, &nh);
			order[no++] = i;
			for (k = estart[i]; k < estart[i + 1]; k++)
				if (--indeg[adj[k]] == 0)
					heap_push(heap, &nh, adj[k]);
		}
		free(adj);
		free(fill);
		free(heap);
	}
	if (no < nn) {
		for (i = 0; i < nn && indeg[i] == 0; i++)
			;
		LDIE(L, "graph '%s' has a cycle (through node '%s', %s)", gname,
		    nodes[i]->name && *nodes[i]->name ? nodes[i]->name : "", nodes[i]->op_type);
	}
	free(edges);
	free(cnt);
	free(indeg);
	free(estart);
	gp_map_release(&prod);
	return order;
}

static const Onnx__TypeProto *
vi_type(struct gp_map *vi, Onnx__ValueInfoProto **all, const char *name)
{
	int64_t *p = gp_map_get(vi, name);

	return p ? all[*p]->type : NULL;
}

static void
load_graph(struct ld *L, const struct pending *pg)
{
	struct gp_stream *s = L->s;
	const Onnx__GraphProto *g = pg->g;
	const Onnx__FunctionProto *fn = pg->fn;
	struct scope *sc = gp_xcalloc(1, sizeof *sc);
	struct gp_map vi = {0}, outs = {0};
	Onnx__ValueInfoProto **all = NULL;
	Onnx__NodeProto **nodes = g ? g->node : fn->node;
	size_t nn = g ? g->n_node : fn->n_node, nall = 0, i, j, *order, r;
	const char *gname = g ? (g->name && *g->name ? g->name : "?") : fn->name ? fn->name : "?";
	const char **nname;
	struct gp_buf dt = {0}, sh = {0}, ab = {0};
	char **names;
	int id = pg->id;

	sc->up = pg->up;
	sc->next = L->scopes;
	L->scopes = sc;
	if (g) {
		nall = g->n_input + g->n_output + g->n_value_info;
		all = gp_xcalloc(nall ? nall : 1, sizeof *all);
		for (i = 0; i < g->n_input; i++)
			all[i] = g->input[i];
		for (i = 0; i < g->n_output; i++)
			all[g->n_input + i] = g->output[i];
		for (i = 0; i < g->n_value_info; i++)
			all[g->n_input + g->n_output + i] = g->value_info[i];
		for (i = 0; i < nall; i++) {
			if (!all[i]->name || !*all[i]->name)
				LDIE(L, "graph '%s': a value with no name", gname);
			gp_map_put(&vi, all[i]->name, (int64_t)i);
		}
		for (i = 0; i < g->n_output; i++)
			gp_map_put(&outs, g->output[i]->name, 0);
		/* initializers first, so that an input with a default value is one */
		for (i = 0; i < g->n_initializer; i++) {
			const char *nm = g->initializer[i]->name;

			if (!nm || !*nm)
				LDIE(L, "graph '%s': an initializer with no name", gname);
			if (!gp_map_put(&sc->names, nm, 1))
				LDIE(L, "graph '%s': initializer '%s' is defined twice", gname, nm);
		}
		for (i = 0; i < g->n_sparse_initializer; i++) {
			const Onnx__SparseTensorProto *sp = g->sparse_initializer[i];
			const char *nm = sp->values && sp->values->name ? sp->values->name : "";

			if (!*nm)
				LDIE(L, "graph '%s': a sparse initializer with no name", gname);
			if (!gp_map_put(&sc->names, nm, 1))
				LDIE(L, "graph '%s': initializer '%s' is defined twice", gname, nm);
		}
		names = gp_xcalloc(g->n_input + 1, sizeof *names);
		for (i = j = 0; i < g->n_input; i++) {
			const char *nm = g->input[i]->name;
			int64_t *p = gp_map_get(&sc->names, nm);

			if (p && *p == 2)
				LDIE(L, "graph '%s': input '%s' is listed twice", gname, nm);
			if (p)
				continue;       /* an initializer: a weight, not an input */
			gp_map_put(&sc->names, nm, 2);
			names[j++] = (char *)nm;
			type_text(L, nm, g->input[i]->type, &dt, &sh);
			add_tensor(L, id, nm, dt.buf, sh.buf, "input", NULL);
		}
		gp_table_set(s, L->gt, L->g_in, (size_t)id, list_text(L, names, j, 0));
		free(names);
		for (i = 0; i < g->n_initializer; i++)
			tensor_record(L, id, g->initializer[i]->name, g->initializer[i], "initializer");
		for (i = 0; i < g->n_sparse_initializer; i++)
			sparse_record(L, id, g->sparse_initializer[i]->values->name, g->sparse_initializer[i]);
	} else {
		for (i = 0; i < fn->n_input; i++) {
			if (!gp_map_put(&sc->names, fn->input[i], 2))
				LDIE(L, "function '%s': input '%s' is listed twice", gname, fn->input[i]);
			add_tensor(L, id, fn->input[i], "?", "?", "input", NULL);
		}
		for (i = 0; i < fn->n_output; i++)
			gp_map_put(&outs, fn->output[i], 0);
		gp_table_set(s, L->gt, L->g_in, (size_t)id, list_text(L, fn->input, fn->n_input, 0));
	}
	for (i = 0; i < nn; i++) {
		if (!nodes[i]->op_type || !*nodes[i]->op_type)
			LDIE(L, "graph '%s': node %zu has no op_type", gname, i);
	}
	order = toposort(L, nodes, nn, sc, gname);
	/* names are given in file order, so they do not depend on the sort */
	nname = gp_xcalloc(nn ? nn : 1, sizeof *nname);
	for (i = 0; i < nn; i++)
		nname[i] = node_name(L, nodes[i], i);
	for (j = 0; j < nn; j++) {
		const Onnx__NodeProto *n = nodes[order[j]];
		const char *nm = nname[order[j]];
		int is_const = strcmp(n->op_type, "Constant") == 0 &&
		    (!n->domain || !*n->domain || strcmp(n->domain, "ai.onnx") == 0);

		for (i = 0; i < n->n_output; i++) {
			const char *o = n->output[i];

			if (!*o)
				continue;
			gp_map_put(&sc->names, o, 3);
			if (is_const && i == 0) {
				/* value= is written with the attributes; value_* here */
				if (!has_attr(n, "value") && constant_value(L, n, id, o) < 0)
					add_tensor(L, id, o, "?", "?", "constant", NULL);
				continue;
			}
			type_text(L, o, vi_type(&vi, all, o), &dt, &sh);
			add_tensor(L, id, o, dt.buf, sh.buf, gp_map_get(&outs, o) ? "output" : "intermediate", NULL);
		}
		r = gp_table_addrow(s, L->nt);
		gp_table_set(s, L->nt, L->n_name, r, fld(nm));
		gp_table_set(s, L->nt, L->n_op, r, n->op_type);
		gp_table_set(s, L->nt, L->n_domain, r, n->domain && *n->domain ? n->domain : "ai.onnx");
		gp_table_set(s, L->nt, L->n_in, r, list_text(L, n->input, n->n_input, 1));
		gp_table_set(s, L->nt, L->n_out, r, list_text(L, n->output, n->n_output, 1));
		gp_table_set(s, L->nt, L->n_graph, r, gp_arena_printf(&s->arena, "%d", id));
		gp_buf_reset(&ab);
		for (i = 0; i < n->n_attribute; i++) {
			const Onnx__AttributeProto *a = n->attribute[i];

			if (!a->name || !*a->name)
				LDIE(L, "node '%s': an attribute with no name", nm);
			if (i)
				gp_buf_addc(&ab, ';');
			gp_buf_adds(&ab, a->name);
			gp_buf_addc(&ab, '=');
			attr_value(L, &ab, sc, id, nm, n, a);
		}
		if (ab.len)
			gp_table_set(s, L->nt, L->n_attrs, r, ab.buf);
	}
	/* outputs: every one must be defined here or outside */
	{
		char **on = gp_xcalloc((g ? g->n_output : fn->n_output) + 1, sizeof *on);
		size_t no = g ? g->n_output : fn->n_output;

		for (i = 0; i < no; i++) {
			on[i] = g ? g->output[i]->name : fn->output[i];
			if (!on[i] || !in_scope(sc, on[i]))
				LDIE(L, "graph '%s': output '%s' is not produced by any node", gname,
				    on[i] ? on[i] : "");
		}
		gp_table_set(s, L->gt, L->g_out, (size_t)id, list_text(L, on, no, 0));
		free(on);
	}
	free(order);
	free(nname);
	free(all);
	gp_map_release(&vi);
	gp_map_release(&outs);
	gp_buf_release(&dt);
	gp_buf_release(&sh);
	gp_buf_release(&ab);
}

/* ---- input ---- */

const char *
gp_model_head(void *arg, const uint8_t *p, size_t n)
{
	struct gp_model_head *h = arg;
	const char *err;
	size_t at;

	/* a TFLite file's first 4 bytes are an offset, not a protobuf tag */
	if (n <= 4 || gp_is_tflite(p, n) || (n < 8 && !memcmp(p + 4, "TFL3", n - 4)))
		return NULL;
	if (!(err = gp_wire_head(p, n, &h->pos, &at)))
		return NULL;
	snprintf(h->msg, sizeof h->msg, "not an ONNX model: malformed protobuf at byte %zu: %s", at, err);
	return h->msg;
}

/* What a load holds while it runs, so that gp_die can free it: a program
 * exits anyway, but a fuzz harness that longjmps out would leak it all. */
static struct ld *live;

static void
release(void)
{
	struct ld *L = live;

	if (L) {
		while (L->scopes) {
			struct scope *n = L->scopes->next;

			gp_map_release(&L->scopes->names);
			free(L->scopes);
			L->scopes = n;
		}
		free(L->q);
		L->q = NULL;
		gp_map_release(&L->nodenames);
		gp_buf_release(&L->h);
		gp_buf_release(&L->pr);
		if (L->m)
			onnx__model_proto__free_unpacked(L->m, &pb_mem);
		L->m = NULL;
	}
	live = NULL;
	gp_die_cleanup = NULL;
}

static void
begin(struct ld *L, struct gp_stream *s, const char *path, const struct gp_load_opts *o)
{
	memset(L, 0, sizeof *L);
	L->s = s;
	L->path = path;
	L->data_limit = o->data_limit;
	L->hash_file = o->hash_file;
	live = L;
	gp_die_cleanup = release;
	gp_err_src = path;
}

/* prune reads the model's bytes p[0..n), the only step that does: it checks
 * them, copies them without their large payloads into L->pr and hashes them. */
static void
prune(struct ld *L, const uint8_t *p, size_t n)
{
	size_t keep = (size_t)L->data_limit * ELEM_BYTES + 64, at, pos = 0;
	const char *err;

	if (n == 0)
		gp_die("%s: empty file, not an ONNX model", L->path);
	L->nbytes = n;
	if (keep < KEEP_PAYLOAD)
		keep = KEEP_PAYLOAD;
	err = gp_wire_head(p, n, &pos, &at);
	if (!err)
		err = gp_wire_prune(p, n, keep, &L->pr, &at);
	if (err == gp_wire_deep)
		gp_die("%s: messages nested more than %d deep at byte %zu (gp's nesting limit)",
		    L->path, GP_NEST_MAX, at);
	if (err)
		gp_die("%s: not an ONNX model: malformed protobuf at byte %zu: %s", L->path, at, err);
	if (L->hash_file)
		gp_sha256_hex(p, n, L->src_hex);
	if (keep > KEEP_PAYLOAD) {
		/* graph_sha256 is of the copy without payloads over 4 KiB, whatever --data-limit */
		if (gp_wire_prune(p, n, KEEP_PAYLOAD, &L->h, &at))
			gp_die("%s: not an ONNX model: malformed protobuf at byte %zu", L->path, at);
		gp_sha256_hex(L->h.buf, L->h.len, L->graph_hex);
		gp_buf_release(&L->h);
	} else {
		gp_sha256_hex(L->pr.buf, L->pr.len, L->graph_hex);
	}
}

static void build(struct ld *L);

void
gp_load_onnx_buf(struct gp_stream *s, const char *path, const uint8_t *data, size_t size,
    const struct gp_load_opts *o)
{
	struct ld L;

	begin(&L, s, path, o);
	prune(&L, data, size);
	build(&L);
}

/* build unpacks the pruned copy and writes the model into the stream. */
static void
build(struct ld *L)
{
	static const char *tcols[] = {"name", "dtype", "shape", "kind", "bytes", "data", "graph", NULL};
	static const char *ncols[] = {"name", "op", "domain", "inputs", "outputs", "attrs", "graph", NULL};
	static const char *gcols[] = {"id", "name", "kind", "parent", "attr", "domain", "inputs", "outputs", NULL};
	struct gp_stream *s = L->s;
	const char *path = L->path;
	struct gp_buf *h = &L->h;
	Onnx__ModelProto *m;
	size_t i;
	int k;

	m = L->m = onnx__model_proto__unpack(&pb_mem, L->pr.len, (const uint8_t *)L->pr.buf);
	if (!m)
		gp_die("%s: not an ONNX model: protobuf-c cannot unpack it as a ModelProto", path);
	gp_buf_release(&L->pr);
	if (!m->has_ir_version || m->ir_version <= 0)
		gp_die("%s: not an ONNX model: no ir_version", path);
	if (!m->graph)
		gp_die("%s: not an ONNX model: no graph", path);
	if (m->ir_version >= 3 && m->n_opset_import == 0)
		gp_die("%s: not an ONNX model: no opset_import", path);
	encode(m);

	gp_buf_reset(h);
	gp_esc(h, path, strlen(path));
	gp_hdr_add(s, "source", h->buf);
	gp_buf_reset(h);
	gp_buf_printf(h, "%zu", L->nbytes);
	gp_hdr_add(s, "source_bytes", h->buf);
	if (L->hash_file)
		gp_hdr_add(s, "source_sha256", L->src_hex);
	gp_hdr_add(s, "graph_sha256", L->graph_hex);
	gp_buf_reset(h);
	gp_buf_printf(h, "%lld", (long long)m->ir_version);
	gp_hdr_add(s, "ir_version", h->buf);
	for (i = 0; i < m->n_opset_import; i++) {
		const Onnx__OperatorSetIdProto *op = m->opset_import[i];
		const char *d = op->domain && *op->domain ? op->domain : "ai.onnx";

		gp_buf_reset(h);
		gp_buf_adds(h, d);
		gp_buf_printf(h, "\t%lld", (long long)(op->has_version ? op->version : 0));
		gp_hdr_add(s, "opset", h->buf);
	}
	gp_buf_reset(h);
	gp_buf_adds(h, m->producer_name && *m->producer_name ? m->producer_name : ".");
	gp_buf_addc(h, '\t');
	gp_buf_adds(h, m->producer_version && *m->producer_version ? m->producer_version : ".");
	gp_hdr_add(s, "producer", h->buf);
	if (m->domain && *m->domain)
		gp_hdr_add(s, "model_domain", m->domain);
	if (m->has_model_version) {
		gp_buf_reset(h);
		gp_buf_printf(h, "%lld", (long long)m->model_version);
		gp_hdr_add(s, "model_version", h->buf);
	}
	for (i = 0; i < m->n_metadata_props; i++) {
		const Onnx__StringStringEntryProto *e = m->metadata_props[i];

		gp_buf_reset(h);
		gp_buf_adds(h, e->key && *e->key ? e->key : ".");
		gp_buf_addc(h, '\t');
		gp_buf_adds(h, e->value && *e->value ? e->value : ".");
		gp_hdr_add(s, "metadata", h->buf);
	}
	if (m->n_training_info)
		gp_warn("%s: %zu training_info graphs are not loaded (inference only)", path,
		    m->n_training_info);

	L->gt = gp_table_new(s, "graph", gcols);
	L->tt = gp_table_new(s, "tensor", tcols);
	L->nt = gp_table_new(s, "node", ncols);
	L->t_name = 0; L->t_dtype = 1; L->t_shape = 2; L->t_kind = 3; L->t_bytes = 4; L->t_data = 5; L->t_graph = 6;
	L->n_name = 0; L->n_op = 1; L->n_domain = 2; L->n_in = 3; L->n_out = 4; L->n_attrs = 5; L->n_graph = 6;
	L->g_id = 0; L->g_name = 1; L->g_kind = 2; L->g_parent = 3; L->g_attr = 4; L->g_domain = 5;
	L->g_in = 6; L->g_out = 7;

	enqueue(L, m->graph, NULL, NULL, NULL, NULL);
	for (i = 0; i < m->n_functions; i++)
		enqueue(L, NULL, m->functions[i], NULL, NULL, NULL);
	for (k = 0; k < L->nq; k++)
		load_graph(L, &L->q[k]);

	release();
}
