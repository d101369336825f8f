/* onnx-record.c - the records an ONNX graph's values make: tensors
 * (inputs, initializers, constants, sparse tensors), a node's attributes as
 * text, and the graphs they hold, queued as graph records
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "onnx.h"

/* gp_onnx_add_tensor writes a tensor record of graph graph and returns its
 * row; its bytes come from dtype and shape when both are known. Dies when
 * its size overflows 64 bits. */
size_t
gp_onnx_add_tensor(struct ld *L, int graph, const char *name, const char *dtype, const char *shape,
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

/* gp_onnx_tensor_record writes a TensorProto (an initializer or an
 * attribute's value) as a tensor record of kind kind, with its values when it
 * is small; dies on no or an unknown data type, a negative dim, a size over 64
 * bits, a segmented tensor, or a payload its dims do not match. */
void
gp_onnx_tensor_record(struct ld *L, int graph, const char *name, const Onnx__TensorProto *t, const char *kind)
{
	struct gp_buf sh = {0}, data = {0};
	char what[300];
	const char *dt;
	int64_t numel = 1, bytes;
	size_t i;

	snprintf(what, sizeof what, "tensor '%.200s'", name);
	if (!t->has_data_type || t->data_type == 0)
		LDIE(L, "%s: no data type", what);
	dt = gp_onnx_dtname(L, what, t->data_type);
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
	gp_onnx_tensor_payload(L, what, t, t->data_type, numel, bytes, &data);
	gp_onnx_add_tensor(L, graph, name, dt, sh.buf, kind, data.len ? data.buf : NULL);
	gp_buf_release(&sh);
	gp_buf_release(&data);
}

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

/* gp_onnx_sparse_record writes a SparseTensorProto as a tensor record of
 * dtype "sparse(T)", its bytes those of its values and indices; dies on a
 * sparse tensor with no values or with a negative or overflowing dim. */
void
gp_onnx_sparse_record(struct ld *L, int graph, const char *name, const Onnx__SparseTensorProto *sp)
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
		size_t r = gp_onnx_add_tensor(L, graph, name, gp_arena_printf(&L->s->arena, "sparse(%s)",
		    gp_onnx_dtname(L, name, dt)), sh.buf, "initializer", NULL);

		gp_table_set(L->s, L->tt, L->t_bytes, r, gp_arena_printf(&L->s->arena, "%lld", (long long)bytes));
	}
	gp_buf_release(&sh);
}

/* ---- attributes ---- */

static void
floats_text(struct gp_buf *b, const float *v, size_t n)
{
	size_t i;

	gp_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			gp_buf_addc(b, ',');
		gp_fmt_float(b, v[i]);
	}
	gp_buf_addc(b, ']');
}

static void
ints_text(struct gp_buf *b, const int64_t *v, size_t n)
{
	size_t i;

	gp_buf_addc(b, '[');
	for (i = 0; i < n; i++)
		gp_buf_printf(b, "%s%lld", i ? "," : "", (long long)v[i]);
	gp_buf_addc(b, ']');
}

static void
string_text(struct gp_buf *b, const ProtobufCBinaryData *s)
{
	gp_buf_addc(b, '"');
	gp_esc(b, (const char *)s->data, s->len);
	gp_buf_addc(b, '"');
}

static void
strings_text(struct gp_buf *b, const ProtobufCBinaryData *v, size_t n)
{
	size_t i;

	gp_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			gp_buf_addc(b, ',');
		string_text(b, &v[i]);
	}
	gp_buf_addc(b, ']');
}

/* tensor_ref writes tensor t as tensor record tn, and "T:tn" to b */
static void
tensor_ref(struct ld *L, struct gp_buf *b, int graph, const char *tn, const Onnx__TensorProto *t)
{
	gp_onnx_tensor_record(L, graph, tn, t, "constant");
	gp_buf_adds(b, "T:");
	gp_buf_adds(b, tn);
}

/* sparse_ref writes sparse tensor sp as tensor record tn, and "S:tn" to b */
static void
sparse_ref(struct ld *L, struct gp_buf *b, int graph, const char *tn, const Onnx__SparseTensorProto *sp)
{
	gp_onnx_sparse_record(L, graph, tn, sp);
	gp_buf_adds(b, "S:");
	gp_buf_adds(b, tn);
}

/* type_ref writes type tp as "Y:" and its dtype and shape, escaped, to b */
static void
type_ref(struct ld *L, struct gp_buf *b, const char *node, const Onnx__TypeProto *tp)
{
	struct gp_buf d = {0}, s = {0};

	gp_onnx_type_text(L, node, tp, &d, &s);
	gp_buf_adds(b, "Y:");
	gp_esc(b, d.buf, d.len);
	gp_esc(b, s.buf, s.len);
	gp_buf_release(&d);
	gp_buf_release(&s);
}

/* gp_onnx_attr_value writes the value of attribute a of node n (named node)
 * to b as docs/format.md says (R:, T:, S:, G:, Y: for a reference, a tensor,
 * a sparse tensor, a graph, a type); a tensor becomes a tensor record and a
 * graph is queued. Dies on an attribute with no type or value, or of an
 * unknown type. */
void
gp_onnx_attr_value(struct ld *L, struct gp_buf *b, struct scope *sc, int graph, const char *node,
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
		string_text(b, &a->s);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
		if (!a->t)
			LDIE(L, "node '%s': tensor attribute '%s' has no tensor", node, a->name);
		/* a Constant's value is its output tensor */
		tensor_ref(L, b, graph, strcmp(n->op_type, "Constant") == 0 && n->n_output >= 1 && *n->output[0] ?
		    n->output[0] : attr_tensor_name(L, sc, node, a->name, -1, a->t), a->t);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH:
		if (!a->g)
			LDIE(L, "node '%s': graph attribute '%s' has no graph", node, a->name);
		gp_buf_printf(b, "G:%d", gp_onnx_enqueue(L, a->g, NULL, sc, node, a->name));
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__SPARSE_TENSOR: {
		const char *tn = attr_tensor_name(L, sc, node, a->name, -1, NULL);

		if (!a->sparse_tensor)
			LDIE(L, "node '%s': attribute '%s' has no sparse tensor", node, a->name);
		sparse_ref(L, b, graph, tn, a->sparse_tensor);
		break;
	}
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TYPE_PROTO:
		type_ref(L, b, node, a->tp);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
		floats_text(b, a->floats, a->n_floats);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
		ints_text(b, a->ints, a->n_ints);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
		strings_text(b, a->strings, a->n_strings);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSORS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_tensors; i++) {
			const char *tn = attr_tensor_name(L, sc, node, a->name, (int)i, a->tensors[i]);

			if (i)
				gp_buf_addc(b, ',');
			tensor_ref(L, b, graph, tn, a->tensors[i]);
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPHS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_graphs; i++)
			gp_buf_printf(b, "%sG:%d", i ? "," : "", gp_onnx_enqueue(L, a->graphs[i], NULL, sc, node, a->name));
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__SPARSE_TENSORS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_sparse_tensors; i++) {
			const char *tn = attr_tensor_name(L, sc, node, a->name, (int)i, NULL);

			if (i)
				gp_buf_addc(b, ',');
			sparse_ref(L, b, graph, tn, a->sparse_tensors[i]);
		}
		gp_buf_addc(b, ']');
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TYPE_PROTOS:
		gp_buf_addc(b, '[');
		for (i = 0; i < a->n_type_protos; i++) {
			if (i)
				gp_buf_addc(b, ',');
			type_ref(L, b, node, a->type_protos[i]);
		}
		gp_buf_addc(b, ']');
		break;
	default:
		LDIE(L, "node '%s': attribute '%s' has unknown type %d", node, a->name, type);
	}
}

/* gp_onnx_has_attr says whether node n has an attribute name. */
int
gp_onnx_has_attr(const Onnx__NodeProto *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->n_attribute; i++)
		if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
			return 1;
	return 0;
}

/* gp_onnx_constant_value writes the tensor record of Constant n's output out
 * from its value_* attributes (dtype, shape, and data up to the data limit);
 * -1 when it has none. */
int
gp_onnx_constant_value(struct ld *L, const Onnx__NodeProto *n, int graph, const char *out)
{
	size_t i;
	struct gp_buf d = {0};
	const char *dt = NULL, *sh = "[]";

	for (i = 0; i < n->n_attribute; i++) {
		const Onnx__AttributeProto *a = n->attribute[i];

		if (!a->name)
			continue;
		if (strcmp(a->name, "value_float") == 0) {
			dt = "float32";
			floats_text(&d, &a->f, 1);
		} else if (strcmp(a->name, "value_int") == 0) {
			dt = "int64";
			ints_text(&d, &a->i, 1);
		} else if (strcmp(a->name, "value_string") == 0) {
			dt = "string";
			strings_text(&d, &a->s, 1);
		} else if (strcmp(a->name, "value_floats") == 0) {
			dt = "float32";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_floats);
			floats_text(&d, a->floats, a->n_floats);
		} else if (strcmp(a->name, "value_ints") == 0) {
			dt = "int64";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_ints);
			ints_text(&d, a->ints, a->n_ints);
		} else if (strcmp(a->name, "value_strings") == 0) {
			dt = "string";
			sh = gp_arena_printf(&L->s->arena, "[%zu]", a->n_strings);
			strings_text(&d, a->strings, a->n_strings);
		} else {
			continue;
		}
		break;
	}
	if (!dt)
		return -1;
	if (strcmp(sh, "[]") != 0 && strtoll(sh + 1, NULL, 10) > L->data_limit)
		gp_buf_reset(&d);       /* a large value_floats is a weight: keep its size only */
	gp_onnx_add_tensor(L, graph, out, dt, sh, "constant", d.len ? d.buf : NULL);
	gp_buf_release(&d);
	return 1;
}

/* gp_onnx_enqueue queues graph g (or function fn) for loading after the
 * graphs before it, writes its graph record (its parent node and attribute
 * for a subgraph, up its scope's parent) and returns its id. */
int
gp_onnx_enqueue(struct ld *L, Onnx__GraphProto *g, Onnx__FunctionProto *fn, struct scope *up,
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

