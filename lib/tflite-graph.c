/* tflite-graph.c - one TFLite subgraph into the stream: what its operators
 * read and write, its graph record, its tensor records (tflite-tensor.c),
 * and its node records in a topological order
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "tflite.h"

/* uniq: base, or base~2, base~3, ... the first not yet in m; added to m */
static const char *
uniq(struct tl *L, struct gp_map *m, const char *base)
{
	const char *nm = base;
	int k;

	for (k = 2; gp_map_get(m, nm); k++)
		nm = gp_arena_printf(&L->s->arena, "%s~%d", base, k);
	gp_map_put(m, nm, 0);
	return nm;
}

/* tensor_index reads element i of an index vector: -1 (when allowed) or a
 * tensor of the subgraph; dies otherwise */
static int
tensor_index(struct tl *L, const struct gp_fbv *v, uint32_t i, int ntens, int allow_none,
    const char *what)
{
	int64_t k = gp_fb_vint(&L->f, v, i);

	if ((k == -1 && allow_none) || (k >= 0 && k < ntens))
		return (int)k;
	LDIE(L, "%s refers to tensor %lld, but the subgraph has %d", what, (long long)k, ntens);
}

struct op {
	struct gp_fbt t;
	uint32_t code;
	struct gp_fbv in, out;
};

/* order: the operators in a topological order, file order among the ready
 * ones (so a file in execution order keeps it); dies on a cycle */
static size_t *
order(struct tl *L, const struct op *ops, uint32_t nop, const int *prod, const char *gname)
{
	size_t *out = gp_arena_alloc(&L->s->arena, ((size_t)nop + 1) * sizeof *out), *edge, ne = 0, no;
	uint32_t i, j;

	for (i = 0; i < nop; i++)
		ne += ops[i].in.len;
	edge = gp_xcalloc(2 * ne + 1, sizeof *edge);
	for (ne = 0, i = 0; i < nop; i++) {
		for (j = 0; j < ops[i].in.len; j++) {
			int64_t t = gp_fb_vint(&L->f, &ops[i].in, j);

			if (t >= 0 && prod[t] >= 0) {
				edge[2 * ne] = (size_t)prod[t];
				edge[2 * ne + 1] = i;
				ne++;
			}
		}
	}
	no = gp_topo_order(nop, edge, ne, out);
	free(edge);
	if (no < nop)
		LDIE(L, "subgraph '%s' has a cycle (through operator %zu, %s)", gname, out[no],
		    L->opname[ops[out[no]].code]);
	return out;
}

/* node_records writes the node records of subgraph k, its operators ops in
 * the order ord: name, op, domain, what it reads and writes, and its
 * builtin options (or a custom op's options, as bytes) as attributes */
static void
node_records(struct tl *L, int k, const struct op *ops, uint32_t nop, const size_t *ord)
{
	struct gp_stream *s = L->s;
	struct gp_arena *A = &s->arena;
	uint32_t u;
	size_t r;
	int i, j;

	for (u = 0; u < nop; u++) {
		const struct op *o = &ops[ord[u]];
		struct gp_buf ab = {0}, lb = {0};
		int64_t ty;
		struct gp_fbt ot;

		visit(L, 2 * strlen(L->opname[o->code]));
		r = gp_table_addrow(s, L->nt);
		gp_table_set(s, L->nt, 0, r, esc(L, uniq(L, &L->nodenames,
		    gp_arena_printf(A, "%s_%zu", L->opname[o->code], ord[u]))));
		gp_table_set(s, L->nt, 1, r, esc(L, L->opname[o->code]));
		gp_table_set(s, L->nt, 2, r, L->opdomain[o->code]);
		for (j = 0; j < 2; j++) {
			const struct gp_fbv *v = j ? &o->out : &o->in;
			uint32_t len = v->len;

			gp_buf_reset(&lb);
			while (len > 0 && gp_fb_vint(&L->f, v, len - 1) < 0)
				len--;  /* trailing absent inputs are dropped */
			for (i = 0; i < (int)len; i++) {
				int64_t t = gp_fb_vint(&L->f, v, (size_t)i);

				if (i)
					gp_buf_addc(&lb, ',');
				if (t >= 0) {
					visit(L, strlen(L->subs[k].tname[t]));
					gp_esc(&lb, L->subs[k].tname[t], strlen(L->subs[k].tname[t]));
				}
			}
			if (lb.len)
				gp_table_set(s, L->nt, 3 + j, r, lb.buf);
		}
		/* attributes: the builtin options, or a custom op's options as bytes */
		ty = (int64_t)gp_fb_uint(&L->f, &o->t, 3, 1, 0);
		if (ty > 0 && gp_fb_table(&L->f, &o->t, 4, &ot))
			gp_tfl_options(L, &ab, 0, ty, &ot);
		ty = (int64_t)gp_fb_uint(&L->f, &o->t, 11, 1, 0);
		if (ty > 0 && gp_fb_table(&L->f, &o->t, 12, &ot))
			gp_tfl_options(L, &ab, 1, ty, &ot);
		check(L);
		if (!strcmp(L->opdomain[o->code], "tflite.custom")) {
			struct gp_fbv cv;
			uint64_t big = gp_fb_uint(&L->f, &o->t, 10, 8, 0);

			if (gp_fb_vector(&L->f, &o->t, 5, 1, &cv) && cv.len > 0) {
				if (cv.len <= 64) {
					visit(L, cv.len);
					gp_buf_printf(&ab, "%scustom_options=", ab.len ? ";" : "");
					gp_tfl_vec_text(L, &ab, &o->t, 5, 'B');
				} else {
					gp_buf_printf(&ab, "%scustom_options_bytes=%u", ab.len ? ";" : "", cv.len);
				}
			} else if (big > 0) {
				gp_buf_printf(&ab, "%scustom_options_bytes=%llu", ab.len ? ";" : "",
				    (unsigned long long)big);
			}
			check(L);
		}
		if (ab.len)
			gp_table_set(s, L->nt, 5, r, ab.buf);
		gp_table_set(s, L->nt, 6, r, gp_arena_printf(A, "%d", k));
		gp_buf_release(&ab);
		gp_buf_release(&lb);
	}
}

/* gp_tfl_subgraph writes subgraph k: its graph record, its tensor records in
 * file order, its node records in a topological order. Dies on a tensor or
 * opcode index out of range, an input listed twice, a tensor written twice
 * or written while it is an input or a constant, an unknown tensor type, a
 * dim below -1, a rank over MAX_RANK, a buffer that does not exist or does
 * not hold what its tensor's shape and type need, and a cycle. */
void
gp_tfl_subgraph(struct tl *L, int k, const struct gp_fbt *sg)
{
	struct gp_stream *s = L->s;
	struct gp_arena *A = &s->arena;
	struct gp_fbv tv, iv, ov, opv;
	struct gp_map seen = {0};
	const char *gname, *sn;
	size_t n;
	int ntens, *prod, *inpos, i, j;
	char *role;
	struct op *ops;
	uint32_t nop, u;
	size_t r;

	sn = gp_fb_string(&L->f, sg, 4, &n);
	check(L);
	gname = sn && n ? text(L, sn, n) : gp_arena_printf(A, "subgraph %d", k);
	gp_fb_vector(&L->f, sg, 0, 4, &tv);
	check(L);
	if (tv.len > (uint32_t)1 << 30)
		LDIE(L, "subgraph '%s': %u tensors", gname, tv.len);
	visit(L, tv.len);
	ntens = (int)tv.len;
	L->subs[k].ntens = ntens;
	L->subs[k].tname = gp_arena_alloc(A, ((size_t)ntens + 1) * sizeof *L->subs[k].tname);
	prod = gp_arena_alloc(A, ((size_t)ntens + 1) * sizeof *prod);
	inpos = gp_arena_alloc(A, ((size_t)ntens + 1) * sizeof *inpos);
	role = gp_arena_alloc(A, (size_t)ntens + 1);
	memset(role, 0, (size_t)ntens + 1);
	for (i = 0; i < ntens; i++)
		prod[i] = -1;

	/* names first: operators refer to tensors by index */
	for (i = 0; i < ntens; i++) {
		struct gp_fbt t;
		const char *nm;

		gp_fb_vtable(&L->f, &tv, (size_t)i, &t);
		nm = gp_fb_string(&L->f, &t, 3, &n);
		check(L);
		nm = nm && n ? text(L, nm, n) : "";
		L->subs[k].tname[i] = uniq(L, &seen, *nm ? nm : gp_arena_printf(A, "tensor_%d", i));
	}
	gp_map_release(&seen);

	/* the subgraph's inputs (role 1) and outputs (role 2) */
	gp_fb_vector(&L->f, sg, 1, 4, &iv);
	gp_fb_vector(&L->f, sg, 2, 4, &ov);
	check(L);
	visit(L, (uint64_t)iv.len + ov.len);
	for (u = 0; u < iv.len; u++) {
		int t = tensor_index(L, &iv, u, ntens, 0, gp_arena_printf(A, "subgraph '%s': input %u",
		    gname, u));

		if (role[t] & 1)
			LDIE(L, "subgraph '%s': input '%s' is listed twice", gname, L->subs[k].tname[t]);
		role[t] |= 1;
		inpos[t] = (int)u;
	}
	for (u = 0; u < ov.len; u++)
		role[tensor_index(L, &ov, u, ntens, 0, gp_arena_printf(A, "subgraph '%s': output %u",
		    gname, u))] |= 2;

	/* operators: what they read and write */
	gp_fb_vector(&L->f, sg, 3, 4, &opv);
	check(L);
	visit(L, opv.len);
	nop = opv.len;
	ops = gp_arena_alloc(A, ((size_t)nop + 1) * sizeof *ops);
	for (u = 0; u < nop; u++) {
		struct op *o = &ops[u];
		const char *what;

		gp_fb_vtable(&L->f, &opv, u, &o->t);
		check(L);
		o->code = (uint32_t)gp_fb_uint(&L->f, &o->t, 0, 4, 0);
		if (o->code >= L->ncode)
			LDIE(L, "subgraph '%s': operator %u has opcode_index %u, but the model has %u "
			    "operator codes", gname, u, o->code, L->ncode);
		gp_fb_vector(&L->f, &o->t, 1, 4, &o->in);
		gp_fb_vector(&L->f, &o->t, 2, 4, &o->out);
		check(L);
		visit(L, (uint64_t)o->in.len + o->out.len);
		what = gp_arena_printf(A, "subgraph '%s': operator %u (%s)", gname, u, L->opname[o->code]);
		for (j = 0; j < (int)o->in.len; j++)
			tensor_index(L, &o->in, (uint32_t)j, ntens, 1, what);
		for (j = 0; j < (int)o->out.len; j++) {
			int t = tensor_index(L, &o->out, (uint32_t)j, ntens, 1, what);
			struct gp_fbt tt;
			int64_t b;

			if (t < 0)
				continue;
			if (prod[t] >= 0)
				LDIE(L, "subgraph '%s': tensor '%s' is written by operators %d and %u", gname,
				    L->subs[k].tname[t], prod[t], u);
			if (role[t] & 1)
				LDIE(L, "%s writes tensor '%s', a subgraph input", what, L->subs[k].tname[t]);
			gp_fb_vtable(&L->f, &tv, (size_t)t, &tt);
			b = (int64_t)gp_fb_uint(&L->f, &tt, 2, 4, 0);
			check(L);
			if (b > 0 && (uint64_t)b < L->nbuf && L->bufs[b].present)
				LDIE(L, "%s writes tensor '%s', which holds constant data", what,
				    L->subs[k].tname[t]);
			prod[t] = (int)u;
		}
	}

	/* the graph record */
	r = gp_table_addrow(s, L->gt);
	gp_table_set(s, L->gt, 0, r, gp_arena_printf(A, "%d", k));
	if (sn && n)
		gp_table_set(s, L->gt, 1, r, esc(L, gname));
	gp_table_set(s, L->gt, 2, r, k == 0 ? "main" : "function");
	if (k)
		gp_table_set(s, L->gt, 5, r, "tflite");
	for (j = 0; j < 2; j++) {
		struct gp_fbv *v = j ? &ov : &iv;
		struct gp_buf lb = {0};

		for (u = 0; u < v->len; u++) {
			const char *nm = L->subs[k].tname[gp_fb_vint(&L->f, v, u)];

			visit(L, strlen(nm));
			if (u)
				gp_buf_addc(&lb, ',');
			gp_esc(&lb, nm, strlen(nm));
		}
		if (lb.len)
			gp_table_set(s, L->gt, 6 + j, r, lb.buf);
		gp_buf_release(&lb);
	}

	gp_tfl_tensors(L, k, &tv, role, inpos);
	node_records(L, k, ops, nop, order(L, ops, nop, prod, gname));
}
