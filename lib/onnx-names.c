/* onnx-names.c - protobuf-c's memory for the ONNX loader, and every name it
 * unpacks percent-encoded
 *
 * Names may hold any byte, NUL too. protobuf-c gives a string field as a C
 * string, but its allocator here records each block's size, so
 * gp_onnx_encode() can percent-encode every name at its full length right
 * after unpacking; from there on the loader handles only encoded names, which
 * are C strings.
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "onnx.h"

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

ProtobufCAllocator gp_onnx_pb = {pb_alloc, pb_free, NULL};

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
int
gp_onnx_pb_is(const char *s, const char *lit)
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

/* enc_type encodes the symbolic dims of type t and of the types it holds */
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

/* enc_attr encodes attribute a: its names, its tensors', graphs' and types' */
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

/* enc_graph encodes graph g: its name, nodes, initializers and values */
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
 * entries stay as they are (they are compared with gp_onnx_pb_is, never written). */
void
gp_onnx_encode(Onnx__ModelProto *m)
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
