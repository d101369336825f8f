/* onnx.c - load an ONNX model into a gp stream without touching its weights
 *
 * The file is mapped (or, from a pipe, read), copied without its tensor
 * payloads by gp_wire_prune(), unpacked by protobuf-c, its names
 * percent-encoded (onnx-names.c), checked, and written into the stream's
 * tensor, node and graph tables: the headers here, each graph by
 * onnx-graph.c, in the order onnx-record.c queues them (onnx.h says which
 * file does what).
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "onnx.h"

#define KEEP_PAYLOAD 4096       /* payloads up to this many bytes stay in the copy */
#define ELEM_BYTES 24           /* more than one element's data can take (complex128 as two
                                 * unpacked doubles: 18): with --data-limit N, payloads of
                                 * N * ELEM_BYTES stay, so N values of any number type do */

/* gp_model_head: see gp.h */
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

/* release frees what the load holds: its scopes, queue, copies and model */
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
			onnx__model_proto__free_unpacked(L->m, &gp_onnx_pb);
		L->m = NULL;
	}
	live = NULL;
	gp_die_cleanup = NULL;
}

/* begin starts load L of path into s, for gp_die to release */
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

/* gp_load_onnx_buf: see gp.h */
void
gp_load_onnx_buf(struct gp_stream *s, const char *path, const uint8_t *data, size_t size,
    const struct gp_load_opts *o)
{
	struct ld L;

	begin(&L, s, path, o);
	prune(&L, data, size);
	build(&L);
}

/* build unpacks the pruned copy and writes the model into the stream: the
 * headers, then every graph. Dies on what protobuf-c cannot unpack, a model
 * with no ir_version, no graph or (IR 3 on) no opset_import, and on anything
 * a graph holds that cannot be. */
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

	m = L->m = onnx__model_proto__unpack(&gp_onnx_pb, L->pr.len, (const uint8_t *)L->pr.buf);
	if (!m)
		gp_die("%s: not an ONNX model: protobuf-c cannot unpack it as a ModelProto", path);
	gp_buf_release(&L->pr);
	if (!m->has_ir_version || m->ir_version <= 0)
		gp_die("%s: not an ONNX model: no ir_version", path);
	if (!m->graph)
		gp_die("%s: not an ONNX model: no graph", path);
	if (m->ir_version >= 3 && m->n_opset_import == 0)
		gp_die("%s: not an ONNX model: no opset_import", path);
	gp_onnx_encode(m);

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

	gp_onnx_enqueue(L, m->graph, NULL, NULL, NULL, NULL);
	for (i = 0; i < m->n_functions; i++)
		gp_onnx_enqueue(L, NULL, m->functions[i], NULL, NULL, NULL);
	for (k = 0; k < L->nq; k++)
		gp_onnx_load_graph(L, &L->q[k]);

	release();
}
