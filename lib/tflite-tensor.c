/* tflite-tensor.c - a TFLite subgraph's tensor records: name, dtype, shape
 * (a dynamic dim of an input as a symbol), kind, size, the values of a small
 * constant, its quantization and sparsity
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "tflite.h"

/* fmt_values writes "[v,...]" for the numel elements of dtype dt at p; 0, or
 * -1 for a dtype whose values are not written (strings, complex) */
static int
fmt_values(struct gp_buf *b, const uint8_t *p, int dt, int64_t numel)
{
	int64_t i;

	if (dt == 8 || dt == 14 || dt == 15 || dt <= 0)
		return -1;
	gp_buf_addc(b, '[');
	for (i = 0; i < numel; i++) {
		if (i)
			gp_buf_addc(b, ',');
		if (gp_value_fmt(b, dt, gp_value_at(p, dt, i)) < 0)
			return -1;
	}
	gp_buf_addc(b, ']');
	return 0;
}

/* quant_text writes a tensor's quantization to b: "." when it has none;
 * per tensor, its scale and zero point; per channel, the axis and how many
 * scales and zero points */
static void
quant_text(struct tl *L, struct gp_buf *b, const struct gp_fbt *q)
{
	struct gp_fbv sc, zp, mn, mx;
	int hs = gp_fb_vector(&L->f, q, 2, 4, &sc) && sc.len > 0;
	int hz = gp_fb_vector(&L->f, q, 3, 8, &zp) && zp.len > 0;
	int hmn = gp_fb_vector(&L->f, q, 0, 4, &mn) && mn.len > 0;
	int hmx = gp_fb_vector(&L->f, q, 1, 4, &mx) && mx.len > 0;
	int64_t dtype = (int64_t)gp_fb_uint(&L->f, q, 4, 1, 0);

	gp_buf_reset(b);
	if (hs && sc.len == 1 && (!hz || zp.len == 1)) {
		gp_buf_adds(b, "scale=");
		gp_fmt_float(b, gp_fb_vfloat(&L->f, &sc, 0));
		if (hz)
			gp_buf_printf(b, ";zero_point=%lld", (long long)gp_fb_vint(&L->f, &zp, 0));
	} else if (hs || hz) {
		gp_buf_printf(b, "axis=%lld", (long long)gp_fb_int(&L->f, q, 6, 4, 0));
		if (hs)
			gp_buf_printf(b, ";scales=%u", sc.len);
		if (hz)
			gp_buf_printf(b, ";zero_points=%u", zp.len);
	}
	if (hmn && hmx && mn.len == 1 && mx.len == 1) {
		gp_buf_adds(b, b->len ? ";min=" : "min=");
		gp_fmt_float(b, gp_fb_vfloat(&L->f, &mn, 0));
		gp_buf_adds(b, ";max=");
		gp_fmt_float(b, gp_fb_vfloat(&L->f, &mx, 0));
	} else if (hmn || hmx) {
		gp_buf_printf(b, "%sranges=%u", b->len ? ";" : "", hmn ? mn.len : mx.len);
	}
	if (dtype)
		gp_buf_printf(b, "%scustom=%lld", b->len ? ";" : "", (long long)dtype);
	if (!b->len)
		gp_buf_addc(b, '.');
}

/* sparsity_text writes a sparse tensor's layout to b: traversal_order, block_map
 * and each dimension's format, dense or sparse_csr */
static void
sparsity_text(struct tl *L, struct gp_buf *b, const struct gp_fbt *sp)
{
	struct gp_fbv dm;
	uint32_t i;

	gp_buf_reset(b);
	gp_buf_adds(b, "traversal_order=");
	gp_tfl_vec_text(L, b, sp, 0, 'I');
	if (gp_fb_has(&L->f, sp, 1)) {
		gp_buf_adds(b, ";block_map=");
		gp_tfl_vec_text(L, b, sp, 1, 'I');
	}
	gp_buf_adds(b, ";formats=[");
	if (gp_fb_vector(&L->f, sp, 2, 4, &dm)) {
		visit(L, dm.len);
		for (i = 0; i < dm.len; i++) {
			struct gp_fbt d;
			int64_t fmt = 0;

			if (gp_fb_vtable(&L->f, &dm, i, &d))
				fmt = gp_fb_int(&L->f, &d, 0, 1, 0);
			gp_buf_printf(b, "%s%s", i ? "," : "", fmt == 0 ? "\"dense\"" : fmt == 1 ?
			    "\"sparse_csr\"" : "\"?\"");
		}
	}
	gp_buf_addc(b, ']');
}

/* gp_tfl_tensors writes the tensor records of subgraph k, whose tensors are
 * tv, in the file's order; role[i] says whether tensor i is an input (1) or
 * an output (2), inpos[i] an input's place. Dies on an unknown tensor type, a
 * buffer that does not exist or does not hold what its tensor's shape and
 * type need, a rank over MAX_RANK or one its shape_signature contradicts, a
 * dim below -1, and a size that overflows 64 bits. */
void
gp_tfl_tensors(struct tl *L, int k, const struct gp_fbv *tv, const char *role, const int *inpos)
{
	struct gp_stream *s = L->s;
	struct gp_arena *A = &s->arena;
	struct gp_buf q = {0}, sp = {0}, d = {0};
	int ntens = (int)tv->len, i;
	size_t r;

	for (i = 0; i < ntens; i++) {
		struct gp_fbt t, qt, spt;
		struct gp_fbv shp, sig;
		int64_t type, bi, numel = 1;
		int dt, rank, c, unknown = 0, constant;
		const char *nm = L->subs[k].tname[i];
		struct buf *bf = NULL;
		struct gp_buf sh = {0};

		gp_fb_vtable(&L->f, tv, (size_t)i, &t);
		type = gp_fb_int(&L->f, &t, 1, 1, 0);
		bi = (int64_t)gp_fb_uint(&L->f, &t, 2, 4, 0);
		gp_fb_vector(&L->f, &t, 0, 4, &shp);
		gp_fb_vector(&L->f, &t, 7, 4, &sig);
		check(L);
		if ((dt = gp_tfl_dtype(type)) < 0)
			LDIE(L, "tensor '%s': unknown tensor type %lld", nm, (long long)type);
		if ((uint64_t)bi >= L->nbuf && bi != 0)
			LDIE(L, "tensor '%s': buffer %lld does not exist (the model has %u)", nm,
			    (long long)bi, L->nbuf);
		if (bi > 0)
			bf = &L->bufs[bi];
		constant = bf && bf->present;
		rank = (int)shp.len;
		if (sig.len && shp.len == 0 && !constant)
			rank = (int)sig.len;    /* a converter may give only the signature */
		if (rank > MAX_RANK)
			LDIE(L, "tensor '%s': rank %d, more than %d", nm, rank, MAX_RANK);
		if (sig.len && (int)sig.len != rank)
			LDIE(L, "tensor '%s': shape_signature has rank %u, shape %d", nm, sig.len, rank);
		visit(L, (uint64_t)shp.len + sig.len);
		gp_buf_addc(&sh, '[');
		for (c = 0; c < rank; c++) {
			int64_t v = c < (int)shp.len ? gp_fb_vint(&L->f, &shp, (size_t)c) : -1;
			int64_t g = sig.len ? gp_fb_vint(&L->f, &sig, (size_t)c) : v;

			if (c)
				gp_buf_addc(&sh, ',');
			if (v < -1 || g < -1)
				LDIE(L, "tensor '%s': dim %d is %lld", nm, c, (long long)(v < -1 ? v : g));
			if (g == -1 || v == -1) {
				/* a dynamic dim: a subgraph input's is a symbol (the batch
				 * first, the others by input and position); another
				 * tensor's is unknown until gp-shape infers it from them */
				if (!(role[i] & 1))
					gp_buf_addc(&sh, '?');
				else if (c == 0)
					gp_buf_adds(&sh, "batch");
				else if (inpos[i] == 0)
					gp_buf_printf(&sh, "dim%d", c);
				else
					gp_buf_printf(&sh, "in%d_dim%d", inpos[i], c);
				unknown = 1;
			} else {
				gp_buf_printf(&sh, "%lld", (long long)v);
				if (numel >= 0 && __builtin_mul_overflow(numel, v, &numel))
					LDIE(L, "tensor '%s': its size overflows 64 bits", nm);
			}
		}
		gp_buf_addc(&sh, ']');
		r = gp_table_addrow(s, L->tt);
		gp_table_set(s, L->tt, 0, r, esc(L, nm));
		gp_table_set(s, L->tt, 1, r, dt > 0 ? gp_dtype_name(dt) : "?");
		gp_table_set(s, L->tt, 2, r, sh.buf);
		gp_buf_release(&sh);
		gp_table_set(s, L->tt, 3, r, role[i] & 1 ? "input" : constant ? "initializer" :
		    role[i] & 2 ? "output" : "intermediate");
		if (!unknown && dt > 0 && dt != 8) {
			int64_t bytes = gp_tensor_bytes(dt, numel);

			if (bytes < 0)
				LDIE(L, "tensor '%s': its size overflows 64 bits", nm);
			gp_table_set(s, L->tt, 4, r, gp_arena_printf(A, "%lld", (long long)bytes));
			gp_fb_table(&L->f, &t, 6, &spt);
			check(L);
			if (constant && !spt.pos && (uint64_t)bytes != bf->len)
				LDIE(L, "tensor '%s': buffer %lld has %llu bytes, but its shape and type need "
				    "%lld", nm, (long long)bi, (unsigned long long)bf->len, (long long)bytes);
			if (constant && !spt.pos && numel <= L->data_limit) {
				visit(L, (uint64_t)numel);
				gp_buf_reset(&d);
				if (fmt_values(&d, L->f.p + bf->pos, dt, numel) == 0)
					gp_table_set(s, L->tt, 5, r, d.buf);
			}
		}
		gp_table_set(s, L->tt, 6, r, gp_arena_printf(A, "%d", k));
		if (gp_fb_table(&L->f, &t, 4, &qt)) {
			quant_text(L, &q, &qt);
			gp_table_set(s, L->tt, 7, r, q.buf);
		}
		if (constant)
			gp_table_set(s, L->tt, 8, r, gp_arena_printf(A, "%llu", (unsigned long long)bf->len));
		if (gp_fb_table(&L->f, &t, 6, &spt)) {
			sparsity_text(L, &sp, &spt);
			gp_table_set(s, L->tt, 9, r, sp.buf);
		}
		check(L);
	}
	gp_buf_release(&q);
	gp_buf_release(&sp);
	gp_buf_release(&d);
}
