/* tflite.c - load a TFLite model into a gp stream without touching its weights
 *
 * A .tflite file is a FlatBuffer (flatbuf.c) whose root is a Model, as
 * TensorFlow's schema.fbs defines it (tflite.h lists the field ids read).
 * Every subgraph becomes a graph record (0 the main one, the others
 * "function"s called by index: WHILE, IF, CALL_ONCE name them in their
 * options), every tensor a tensor record, every operator a node record of
 * domain "tflite" (builtin ops, by their BuiltinOperator name) or
 * "tflite.custom" (custom ops, by their custom_code), its builtin options
 * as attributes. Buffers are described by their sizes and never read, but for
 * the values of tensors of at most data_limit elements. Memory does not grow
 * with the weights: the file is mapped, and only tables are visited.
 *
 * This file reads the model's tables, writes the headers, the metadata and
 * the signature records, and has tflite-graph.c write each subgraph.
 */
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "gp.h"
#include "tflite.h"

#define KEEP_PAYLOAD 4096       /* graph_sha256 hashes buffers up to this size; larger by size only */
#define TEXT_META 256           /* metadata buffers up to this size are written as text */

/* what a load holds on the heap, for gp_die to free (a fuzz harness goes on) */
static struct tl *live;

/* release frees what load live holds on the heap */
static void
release(void)
{
	if (live) {
		gp_map_release(&live->nodenames);
		gp_buf_release(&live->b);
	}
	live = NULL;
	gp_die_cleanup = NULL;
}

/* gp_is_tflite: see gp.h */
int
gp_is_tflite(const uint8_t *p, size_t n)
{
	return n >= 8 && memcmp(p + 4, "TFL3", 4) == 0;
}

/* load_buffers finds where each buffer's bytes are (a data vector, or
 * offset and size past the FlatBuffer), without reading them; dies when they
 * lie outside the file */
static void
load_buffers(struct tl *L, const struct gp_fbt *model)
{
	struct gp_fbv v;
	uint32_t i;

	if (!gp_fb_vector(&L->f, model, 4, 4, &v)) {
		check(L);
		return;
	}
	visit(L, v.len);
	L->nbuf = v.len;
	L->bufs = gp_arena_alloc(&L->s->arena, ((size_t)v.len + 1) * sizeof *L->bufs);
	for (i = 0; i < v.len; i++) {
		struct gp_fbt b;
		struct gp_fbv d;
		uint64_t off, size;

		memset(&L->bufs[i], 0, sizeof L->bufs[i]);
		if (!gp_fb_vtable(&L->f, &v, i, &b)) {
			check(L);
			continue;
		}
		if (gp_fb_vector(&L->f, &b, 0, 1, &d) && d.len > 0) {
			L->bufs[i].pos = d.pos;
			L->bufs[i].len = d.len;
			L->bufs[i].present = 1;
		}
		off = gp_fb_uint(&L->f, &b, 1, 8, 0);
		size = gp_fb_uint(&L->f, &b, 2, 8, 0);
		if (off > 1) {
			if (off > L->f.n || size > L->f.n - off)
				LDIE(L, "buffer %u: its data (%llu bytes at %llu) lies outside the file", i,
				    (unsigned long long)size, (unsigned long long)off);
			L->bufs[i].pos = (size_t)off;
			L->bufs[i].len = size;
			L->bufs[i].present = size > 0;
		}
		check(L);
	}
}

/* load_codes names each operator code: its BuiltinOperator (BUILTIN_N for a
 * number gp does not know), or a custom op's custom_code; dies on a custom op
 * without one */
static void
load_codes(struct tl *L, const struct gp_fbt *model)
{
	struct gp_fbv v;
	uint32_t i;

	gp_fb_vector(&L->f, model, 1, 4, &v);
	check(L);
	visit(L, v.len);
	L->ncode = v.len;
	L->opname = gp_arena_alloc(&L->s->arena, ((size_t)v.len + 1) * sizeof *L->opname);
	L->opdomain = gp_arena_alloc(&L->s->arena, ((size_t)v.len + 1) * sizeof *L->opdomain);
	for (i = 0; i < v.len; i++) {
		struct gp_fbt c;
		int64_t op;
		size_t n;
		const char *cc;

		gp_fb_vtable(&L->f, &v, i, &c);
		check(L);
		op = gp_fb_int(&L->f, &c, 0, 1, 0);
		if (gp_fb_int(&L->f, &c, 3, 4, 0) > op)
			op = gp_fb_int(&L->f, &c, 3, 4, 0);
		cc = gp_fb_string(&L->f, &c, 1, &n);
		check(L);
		if (op == OP_CUSTOM) {
			const char *nm = text(L, cc, n);

			if (!*nm)
				LDIE(L, "operator code %u: a custom op with no custom_code", i);
			L->opname[i] = nm;
			L->opdomain[i] = "tflite.custom";
		} else {
			L->opname[i] = gp_tfl_builtin(op) ? gp_tfl_builtin(op) :
			    gp_arena_printf(&L->s->arena, "BUILTIN_%lld", (long long)op);
			L->opdomain[i] = "tflite";
		}
	}
}

/* load_signatures writes the signature records: for each SignatureDef, one
 * record per input and output; dies on a subgraph or tensor that does not
 * exist */
static void
load_signatures(struct tl *L, const struct gp_fbt *model)
{
	static const char *cols[] = {"key", "graph", "io", "name", "tensor", NULL};
	struct gp_stream *s = L->s;
	struct gp_fbv v;
	uint32_t i, j;
	int io;

	if (!gp_fb_vector(&L->f, model, 7, 4, &v) || v.len == 0) {
		check(L);
		return;
	}
	visit(L, v.len);
	L->st = gp_table_new(s, "signature", cols);
	for (i = 0; i < v.len; i++) {
		struct gp_fbt sd;
		const char *key;
		size_t n;
		uint64_t sgi;

		gp_fb_vtable(&L->f, &v, i, &sd);
		key = gp_fb_string(&L->f, &sd, 2, &n);
		sgi = gp_fb_uint(&L->f, &sd, 4, 4, 0);
		check(L);
		key = key ? text(L, key, n) : "";
		if (sgi >= L->nsub)
			LDIE(L, "signature '%s': subgraph %llu does not exist (the model has %u)", key,
			    (unsigned long long)sgi, L->nsub);
		for (io = 0; io < 2; io++) {
			struct gp_fbv m;

			gp_fb_vector(&L->f, &sd, io, 4, &m);
			check(L);
			visit(L, m.len);
			for (j = 0; j < m.len; j++) {
				struct gp_fbt tm;
				const char *nm;
				uint64_t ti;
				size_t r;

				gp_fb_vtable(&L->f, &m, j, &tm);
				nm = gp_fb_string(&L->f, &tm, 0, &n);
				ti = gp_fb_uint(&L->f, &tm, 1, 4, 0);
				check(L);
				if (ti >= (uint64_t)L->subs[sgi].ntens)
					LDIE(L, "signature '%s': tensor %llu does not exist in subgraph %llu", key,
					    (unsigned long long)ti, (unsigned long long)sgi);
				nm = nm ? text(L, nm, n) : "";
				visit(L, strlen(key) + strlen(L->subs[sgi].tname[ti]));
				r = gp_table_addrow(s, L->st);
				gp_table_set(s, L->st, 0, r, *key ? esc(L, key) : "\"\"");
				gp_table_set(s, L->st, 1, r, gp_arena_printf(&s->arena, "%llu",
				    (unsigned long long)sgi));
				gp_table_set(s, L->st, 2, r, io ? "output" : "input");
				gp_table_set(s, L->st, 3, r, *nm ? esc(L, nm) : "\"\"");
				gp_table_set(s, L->st, 4, r, esc(L, L->subs[sgi].tname[ti]));
			}
		}
	}
}

/* load_metadata writes the ##metadata lines: a short text buffer as its
 * text, anything else by its size; dies on a buffer that does not exist */
static void
load_metadata(struct tl *L, const struct gp_fbt *model)
{
	struct gp_fbv v;
	uint32_t i;

	if (!gp_fb_vector(&L->f, model, 6, 4, &v)) {
		check(L);
		return;
	}
	visit(L, v.len);
	for (i = 0; i < v.len; i++) {
		struct gp_fbt m;
		const char *nm;
		size_t n, k;
		uint64_t bi;
		struct buf *b;
		int txt;

		gp_fb_vtable(&L->f, &v, i, &m);
		nm = gp_fb_string(&L->f, &m, 0, &n);
		bi = gp_fb_uint(&L->f, &m, 1, 4, 0);
		check(L);
		nm = nm ? text(L, nm, n) : "";
		if (bi >= L->nbuf)
			LDIE(L, "metadata '%s': buffer %llu does not exist (the model has %u)", nm,
			    (unsigned long long)bi, L->nbuf);
		b = &L->bufs[bi];
		gp_buf_reset(&L->b);
		gp_esc(&L->b, *nm ? nm : ".", strlen(*nm ? nm : "."));
		gp_buf_addc(&L->b, '\t');
		n = (size_t)b->len;
		while (n > 0 && L->f.p[b->pos + n - 1] == 0)
			n--;    /* a C string's NULs */
		txt = b->present && n > 0 && n <= TEXT_META;
		if (txt)
			visit(L, n);
		for (k = 0; txt && k < n; k++)
			txt = L->f.p[b->pos + k] >= 0x20 && L->f.p[b->pos + k] != 0x7f;
		if (txt)
			gp_esc(&L->b, (const char *)L->f.p + b->pos, n);
		else
			gp_buf_printf(&L->b, "(%llu bytes)", (unsigned long long)b->len);
		gp_hdr_add(L->s, "metadata", L->b.buf);
	}
}

/* cmp_range orders buffers by where they start */
static int
cmp_range(const void *a, const void *b)
{
	const struct buf *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* graph_sha256: the SHA-256 of the file with every buffer of more than
 * KEEP_PAYLOAD bytes replaced by its length, so that two files that differ
 * only in weight values have the same */
static void
graph_sha256(struct tl *L, char hex[65])
{
	struct buf *big = gp_xcalloc((size_t)L->nbuf + 1, sizeof *big);
	size_t nb = 0, at = 0, i;
	SHA2_CTX c;

	for (i = 0; i < L->nbuf; i++)
		if (L->bufs[i].present && L->bufs[i].len > KEEP_PAYLOAD)
			big[nb++] = L->bufs[i];
	qsort(big, nb, sizeof *big, cmp_range);
	SHA256Init(&c);
	for (i = 0; i < nb; i++) {
		uint8_t len[8];
		int k;

		if (big[i].pos < at)
			continue;       /* overlaps one already left out */
		SHA256Update(&c, L->f.p + at, big[i].pos - at);
		for (k = 0; k < 8; k++)
			len[k] = (uint8_t)(big[i].len >> (8 * k));
		SHA256Update(&c, len, 8);
		at = big[i].pos + (size_t)big[i].len;
	}
	SHA256Update(&c, L->f.p + at, L->f.n - at);
	SHA256End(&c, hex);
	free(big);
}

/* gp_load_tflite_buf: the headers, then every subgraph, then the signature
 * records; see gp.h */
void
gp_load_tflite_buf(struct gp_stream *s, const char *path, const uint8_t *p, size_t n,
    const struct gp_load_opts *o)
{
	static const char *tcols[] = {"name", "dtype", "shape", "kind", "bytes", "data", "graph",
	    "quant", "buffer_bytes", "sparsity", NULL};
	static const char *ncols[] = {"name", "op", "domain", "inputs", "outputs", "attrs", "graph", NULL};
	static const char *gcols[] = {"id", "name", "kind", "parent", "attr", "domain", "inputs",
	    "outputs", NULL};
	struct tl L;
	struct gp_fbt model;
	struct gp_fbv sv;
	uint64_t version;
	const char *desc;
	size_t dn;
	char hex[65];
	uint32_t k;

	memset(&L, 0, sizeof L);
	L.s = s;
	L.path = path;
	L.data_limit = o->data_limit;
	live = &L;
	gp_die_cleanup = release;
	if (n == 0)
		LDIE(&L, "empty file, not a model");
	if (!gp_is_tflite(p, n))
		LDIE(&L, "not a TFLite model: no TFL3 file identifier at bytes 4..7");
	gp_fb_init(&L.f, p, n);
	L.limit = 16 * (uint64_t)n + ((uint64_t)1 << 20);
	gp_fb_root(&L.f, &model);
	check(&L);
	version = gp_fb_uint(&L.f, &model, 0, 4, 0);
	check(&L);
	if (version != 3)
		LDIE(&L, "TFLite schema version %llu; only version 3 is read", (unsigned long long)version);
	load_buffers(&L, &model);
	load_codes(&L, &model);
	gp_fb_vector(&L.f, &model, 2, 4, &sv);
	check(&L);
	if (sv.len == 0)
		LDIE(&L, "not a valid TFLite model: no subgraphs");
	visit(&L, sv.len);
	L.nsub = sv.len;
	L.subs = gp_arena_alloc(&s->arena, ((size_t)sv.len + 1) * sizeof *L.subs);
	memset(L.subs, 0, ((size_t)sv.len + 1) * sizeof *L.subs);

	gp_buf_reset(&L.b);
	gp_esc(&L.b, path, strlen(path));
	gp_hdr_add(s, "source", L.b.buf);
	gp_hdr_add(s, "source_bytes", gp_arena_printf(&s->arena, "%zu", n));
	gp_hdr_add(s, "source_format", "tflite");
	if (o->hash_file) {
		gp_sha256_hex(p, n, hex);
		gp_hdr_add(s, "source_sha256", hex);
	}
	graph_sha256(&L, hex);
	gp_hdr_add(s, "graph_sha256", hex);
	gp_hdr_add(s, "schema_version", "3");
	desc = gp_fb_string(&L.f, &model, 3, &dn);
	check(&L);
	desc = desc ? text(&L, desc, dn) : "";
	gp_hdr_add(s, "producer", gp_arena_printf(&s->arena, "%s\t.", *desc ? esc(&L, desc) : "."));
	load_metadata(&L, &model);

	L.gt = gp_table_new(s, "graph", gcols);
	L.tt = gp_table_new(s, "tensor", tcols);
	L.nt = gp_table_new(s, "node", ncols);
	for (k = 0; k < sv.len; k++) {
		struct gp_fbt sg;

		gp_fb_vtable(&L.f, &sv, k, &sg);
		check(&L);
		gp_tfl_subgraph(&L, (int)k, &sg);
	}
	load_signatures(&L, &model);
	release();
}
