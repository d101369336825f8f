/* tflite.h - what the files of the TFLite loader share: the load under way,
 * the schema's field ids, and the functions one file gives another. Private
 * to lib/.
 *
 * The loader runs in one direction, each file needing only those below it:
 *   tflite.c         the entry: buffers, operator codes, headers, metadata,
 *                    signatures, then every subgraph
 *   tflite-graph.c   one subgraph: what its operators read and write, its
 *                    graph record, its node records in a topological order
 *   tflite-tensor.c  a subgraph's tensor records: shape, kind, size, values,
 *                    quantization, sparsity
 *   tflite-schema.c  schema.fbs as tables: op names, tensor types, enums, and
 *                    the builtin options written as attributes
 * Each dies (gp_die, naming the file) on anything malformed or impossible.
 *
 * A .tflite file is a FlatBuffer (flatbuf.c) whose root is a Model, as
 * TensorFlow's schema.fbs (tensorflow/compiler/mlir/lite/schema/schema.fbs,
 * file_identifier "TFL3") defines it. The field ids read here, each the
 * declaration order of the field in its table there (a union takes two ids,
 * its type then its value; deprecated fields keep theirs):
 *
 *   Model:          0 version, 1 operator_codes, 2 subgraphs, 3 description,
 *                   4 buffers, 5 metadata_buffer (not read), 6 metadata, 7 signature_defs
 *   OperatorCode:   0 deprecated_builtin_code (byte), 1 custom_code, 2 version,
 *                   3 builtin_code (int); the op is the larger of 0 and 3
 *   SubGraph:       0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name
 *   Tensor:         0 shape, 1 type, 2 buffer, 3 name, 4 quantization,
 *                   5 is_variable, 6 sparsity, 7 shape_signature, 8 has_rank
 *   QuantizationParameters: 0 min, 1 max, 2 scale, 3 zero_point,
 *                   4 details_type, 5 details, 6 quantized_dimension
 *   SparsityParameters: 0 traversal_order, 1 block_map, 2 dim_metadata;
 *                   DimensionMetadata: 0 format, 1 dense_size
 *   Operator:       0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type,
 *                   4 builtin_options, 5 custom_options, 6 custom_options_format,
 *                   9 large_custom_options_offset, 10 large_custom_options_size,
 *                   11 builtin_options_2_type, 12 builtin_options_2
 *   Buffer:         0 data, 1 offset, 2 size (data outside the FlatBuffer when offset > 1)
 *   Metadata:       0 name, 1 buffer
 *   SignatureDef:   0 inputs, 1 outputs, 2 signature_key, 4 subgraph_index
 *   TensorMap:      0 name, 1 tensor_index
 *
 * The builtin options tables are described field by field in tflite-schema.c.
 */
#ifndef GP_TFLITE_H
#define GP_TFLITE_H

#include <string.h>

#define MAX_RANK 64             /* a tensor of more dims is refused */
#define OP_CUSTOM 32            /* BuiltinOperator CUSTOM: named by its custom_code */

/* A loaded buffer: where its bytes are, if anywhere. */
struct buf {
	size_t pos;             /* in the file */
	uint64_t len;
	int present;            /* holds data (a constant) */
};

struct sub {
	int ntens;
	const char **tname;     /* tensor index -> its (unique) name, decoded */
};

/* A load under way. */
struct tl {
	struct gp_stream *s;
	const char *path;
	struct gp_fb f;
	int data_limit;
	struct gp_table *tt, *nt, *gt, *st;
	struct buf *bufs;
	uint32_t nbuf;
	const char **opname, **opdomain;   /* by opcode index */
	uint32_t ncode;
	struct sub *subs;
	uint32_t nsub;
	uint64_t work, limit;   /* vector elements visited, and the most allowed */
	struct gp_map nodenames;
	struct gp_buf b;        /* scratch */
};

/* LDIE dies with a message about the model L loads, naming its file. */
#define LDIE(L, ...) do { \
	char m_[512]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: %s", (L)->path, m_); } while (0)

/* check dies if the FlatBuffer reader has found anything malformed */
static inline void
check(struct tl *L)
{
	if (L->f.err)
		LDIE(L, "not a valid TFLite model: at byte %zu: %s", L->f.at, L->f.err);
}

/* visit counts n vector elements (or string bytes) about to be read or
 * written: a file can point many tables at one long vector or string, and
 * this bounds the work (and the output) to a multiple of the file's size */
static inline void
visit(struct tl *L, uint64_t n)
{
	L->work += n;
	if (L->work > L->limit)
		LDIE(L, "not a valid TFLite model: its tables refer to more data than the file holds "
		    "(vectors shared many times)");
}

/* text: the bytes s[0..n) up to any NUL, in arena memory */
static inline const char *
text(struct tl *L, const char *s, size_t n)
{
	const char *z = s ? memchr(s, 0, n) : NULL;

	visit(L, n);
	if (z)
		n = (size_t)(z - s);
	return gp_arena_strndup(&L->s->arena, s ? s : "", s ? n : 0);
}

/* esc: s percent-encoded, in arena memory */
static inline const char *
esc(struct tl *L, const char *s)
{
	gp_buf_reset(&L->b);
	gp_esc(&L->b, s, strlen(s));
	return gp_arena_strndup(&L->s->arena, L->b.buf ? L->b.buf : "", L->b.len);
}

/* ---- tflite-schema.c ---- */
const char *gp_tfl_builtin(int64_t op);     /* BuiltinOperator op's name, or NULL */
int gp_tfl_dtype(int64_t tt);               /* TensorType -> ONNX dtype; 0 none, -1 unknown */
void gp_tfl_vec_text(struct tl *L, struct gp_buf *b, const struct gp_fbt *t, int id, int c);
void gp_tfl_options(struct tl *L, struct gp_buf *b, int two, int64_t type, const struct gp_fbt *t);

/* ---- tflite-tensor.c ---- */
void gp_tfl_tensors(struct tl *L, int k, const struct gp_fbv *tv, const char *role, const int *inpos);

/* ---- tflite-graph.c ---- */
void gp_tfl_subgraph(struct tl *L, int k, const struct gp_fbt *sg);

#endif
