/* onnx.h - what the files of the ONNX loader share: the load under way and the
 * functions one file gives another. Private to lib/.
 *
 * The loader runs in one direction, each file needing only those below it:
 *   onnx.c         the entry: prune the file (wire.c), unpack it, write the
 *                  headers, then load the graphs in the queue
 *   onnx-graph.c   one graph: its scope, its nodes sorted topologically
 *   onnx-record.c  tensor records, attributes as text, and the subgraphs
 *                  they hold queued as graph records
 *   onnx-value.c   a type as dtype and shape text, a tensor's values
 *   onnx-names.c   protobuf-c's memory, and every name percent-encoded
 * Each dies (gp_die, naming the file) on anything impossible in the model.
 */
#ifndef GP_ONNX_H
#define GP_ONNX_H

#include "onnx.pb-c.h"

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

/* A load under way. */
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

/* LDIE dies with a message about the model L loads, naming its file. */
#define LDIE(L, ...) do { \
	char m_[512]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: %s", (L)->path, m_); } while (0)

/* fld is an encoded name as a field: the empty name is written "". */
static inline const char *
fld(const char *s)
{
	return *s ? s : "\"\"";
}

/* ---- onnx-names.c ---- */
extern ProtobufCAllocator gp_onnx_pb;       /* blocks that know their size */
int gp_onnx_pb_is(const char *s, const char *lit);  /* string s of the model is exactly lit */
void gp_onnx_encode(Onnx__ModelProto *m);   /* percent-encode every name the loader writes */

/* ---- onnx-value.c ---- */
const char *gp_onnx_dtname(struct ld *L, const char *what, int dt);
void gp_onnx_type_text(struct ld *L, const char *what, const Onnx__TypeProto *t, struct gp_buf *dt,
    struct gp_buf *sh);
void gp_onnx_tensor_payload(struct ld *L, const char *what, const Onnx__TensorProto *t, int dt,
    int64_t numel, int64_t bytes, struct gp_buf *b);

/* ---- onnx-record.c ---- */
size_t gp_onnx_add_tensor(struct ld *L, int graph, const char *name, const char *dtype, const char *shape,
    const char *kind, const char *data);
void gp_onnx_tensor_record(struct ld *L, int graph, const char *name, const Onnx__TensorProto *t,
    const char *kind);
void gp_onnx_sparse_record(struct ld *L, int graph, const char *name, const Onnx__SparseTensorProto *sp);
void gp_onnx_attr_value(struct ld *L, struct gp_buf *b, struct scope *sc, int graph, const char *node,
    const Onnx__NodeProto *n, const Onnx__AttributeProto *a);
int gp_onnx_has_attr(const Onnx__NodeProto *n, const char *name);
int gp_onnx_constant_value(struct ld *L, const Onnx__NodeProto *n, int graph, const char *out);
int gp_onnx_enqueue(struct ld *L, Onnx__GraphProto *g, Onnx__FunctionProto *fn, struct scope *up,
    const char *parent, const char *attr);

/* ---- onnx-graph.c ---- */
void gp_onnx_load_graph(struct ld *L, const struct pending *pg);

#endif
