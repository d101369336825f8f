/* roofline-kernel.c - what the subgraph records give each kernel, for gp-roofline's mapping (struct gp_kernel) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "roofline.h"

/* the three counts of a float_elems or float_bytes field; -1 if malformed */
static int
triple(const char *f, double *v)
{
	char part[32];
	int64_t x;
	int i;

	for (i = 0; i < 3; i++) {
		size_t n = strcspn(f, ",");

		if (n == 0 || n >= sizeof part || (i < 2) != (f[n] == ','))
			return -1;
		memcpy(part, f, n);
		part[n] = 0;
		if (gp_parse_i64(part, &x) < 0 || x < 0)
			return -1;
		v[i] = (double)x;
		f += n + (i < 2);
	}
	return 0;
}

int
kernel_at(struct kcols *K, size_t r, struct gp_kernel *k, struct gp_gemm *gm)
{
	const struct gp_dag *d = K->d;
	const struct gp_table *t = d->t;
	const char *src = d->src;
	double v[3] = {(double)d->bin[r], (double)d->bout[r], (double)d->bw[r]}, fe[3], fb[3];
	int i;

	memset(k, 0, sizeof *k);
	k->rd_split = -1;
	if (!(d->flops[r] >= 0 && d->bin[r] >= 0 && d->bout[r] >= 0 && d->bw[r] >= 0))
		return 0;
	if (K->scale) {
		if (!strcmp(gp_val(t, K->c_fe, r), ".") || !strcmp(gp_val(t, K->c_fb, r), "."))
			return 0;
		if (triple(gp_val(t, K->c_fe, r), fe) < 0 || triple(gp_val(t, K->c_fb, r), fb) < 0)
			gp_die("%s: subgraph %s: float_elems '%s' or float_bytes '%s' is not IN,OUT,WEIGHT",
			    src, gp_dag_id(d, (int)r), gp_val(t, K->c_fe, r), gp_val(t, K->c_fb, r));
		for (i = 0; i < 3; i++) {
			if (fb[i] > v[i])
				gp_die("%s: subgraph %s: float_bytes '%s' exceed its bytes", src,
				    gp_dag_id(d, (int)r), gp_val(t, K->c_fb, r));
			v[i] = v[i] - fb[i] + ceil(fe[i] * K->bits / 8);
		}
	}
	k->flops = (double)d->flops[r];
	k->rd = v[0];
	k->wr = v[1];
	k->wt = v[2];
	/* of what it reads, the graph's inputs' share (scaled as the rest) */
	if (K->bi && K->bi[r] > d->bin[r])
		gp_die("%s: subgraph %s: bytes_input %lld exceed its bytes_in %lld", src, gp_dag_id(d, (int)r),
		    (long long)K->bi[r], (long long)d->bin[r]);
	if (K->bi && K->bi[r] > 0)
		k->inp = k->rd * (double)K->bi[r] / (double)d->bin[r];
	k->threads = (double)d->threads[r];
	k->elem = K->bits / 8;
	/* its class (gp-partition's), for a runtime's per-class memory efficiency */
	if (K->classify && K->c_class >= 0) {
		const char *name = gp_val(t, K->c_class, r);

		if (name != K->cname) {
			K->cls = gp_kclass_from_name(name);
			K->cname = name;
		}
		k->cls = K->cls;
	}
	if (K->c_ops >= 0) {
		int64_t b = K->bt ? K->bt[r] : -1, x = k->cls == GP_KC_ROW ? (K->sp ? K->sp[r] : -1) :
		    (K->ch ? K->ch[r] : -1);

		k->ops = gp_val(t, K->c_ops, r);
		/* a LayerNorm or Softmax gp-partition found written out runs as the
		 * one op a runtime's fusion makes of it */
		if (K->c_kind >= 0 && !strcmp(gp_val(t, K->c_kind, r), "layernorm"))
			k->ops = "LayerNormalization";
		else if (K->c_kind >= 0 && !strcmp(gp_val(t, K->c_kind, r), "softmax"))
			k->ops = "Softmax";
		k->items = b > 0 && x > 0 ? (double)b * (double)x : -1;
		/* a row kernel's rows, where gp-partition wrote them: its pieces too */
		if (K->rw && K->rw[r] > 0) {
			k->rows = (double)K->rw[r];
			if (k->cls == GP_KC_ROW)
				k->items = k->rows;
		}
	}
	/* what its Concat, Split or Transpose copies, where the runtime splits
	 * copies by their size */
	if (K->cp && K->cr && K->cp[r] > 0) {
		k->copy = (double)K->cp[r];
		k->copy_run = K->cr[r] > 0 ? (double)K->cr[r] : 0;
	}
	k->ngemm = K->c_gemm >= 0 ? gp_gemm_parse(gp_val(t, K->c_gemm, r), gm, GP_GEMM_MAX) : -1;
	if (k->ngemm > 0)
		k->gemm = gm;
	if (K->c_gemm >= 0 && k->ngemm < 0 && strcmp(gp_val(t, K->c_gemm, r), "."))
		gp_die("%s: subgraph %s: gemm '%s' is not a list of BxMxNxK", src, gp_dag_id(d, (int)r),
		    gp_val(t, K->c_gemm, r));
	/* its control nodes' bodies, when the runtime runs them node by node */
	if (K->bodies && K->bk && K->br) {
		if (K->bk[r] < 0 || K->br[r] < 0)
			return 0;
		k->body_kernels = (double)K->bk[r];
		k->body_runs = (double)K->br[r];
	}
	/* its 1-D Conv calls, when the runtime costs them */
	if (K->cc && K->cg) {
		if (K->cc[r] < 0 || K->cg[r] < 0)
			return 0;
		k->conv_calls = (double)K->cc[r];
		k->conv_groups = (double)K->cg[r];
		k->conv_im2col = K->cx && K->cx[r] > 0 ? (double)K->cx[r] : 0;
		k->conv_im2col_rows = K->cw && K->cw[r] > 0 ? (double)K->cw[r] : 0;
		k->conv_im2col_strided = K->cs && K->cs[r] > 0 ? (double)K->cs[r] : 0;
	}
	/* the NCHWc reorders beside it (float32 tensors: at the precision's size) */
	if (K->ro && K->ri && K->rx && K->ro[r] > 0) {
		if (K->ri[r] < 0 || K->rx[r] < 0)
			return 0;
		k->reorders = (double)K->ro[r];
		k->reorder_rd = (double)K->ri[r] * (K->scale ? K->bits / 32 : 1);
		k->reorder_wr = (double)K->rx[r] * (K->scale ? K->bits / 32 : 1);
	}
	/* its generic Convs' products, for the runtime's conv_columns */
	if (K->c_cm >= 0) {
		const char *v = gp_val(t, K->c_cm, r), *p;
		int n = 1;

		for (p = v; *p; p++)
			n += *p == ';';
		if (n > K->ncm) {
			K->cm = gp_xreallocarray(K->cm, (size_t)n, sizeof *K->cm);
			K->ncm = n;
		}
		n = gp_gemm_parse(v, K->cm, n);
		if (n < 0 && strcmp(v, "."))
			gp_die("%s: subgraph %s: conv_gemm '%s' is not a list of BxMxNxK", src,
			    gp_dag_id(d, (int)r), v);
		if (n > 0) {
			k->conv_gemm = K->cm;
			k->nconv_gemm = n;
		}
	}
	/* a matrix kernel whose products gp-partition could not tell: no tile model */
	if (k->ngemm == 0 && K->macs && K->macs[r] > 0)
		k->ngemm = -1;
	return 1;
}

void
kcols_open(struct kcols *K, const struct gp_dag *d, const struct gp_hw *h, int scale, double bits)
{
	memset(K, 0, sizeof *K);
	K->d = d;
	K->macs = gp_dag_counts(d, "macs");
	K->bi = gp_dag_counts(d, "bytes_input");
	K->bodies = h->rt && h->rt->bodies;
	K->bk = K->bodies ? gp_dag_counts(d, "body_kernels") : NULL;
	K->br = K->bodies ? gp_dag_counts(d, "body_runs") : NULL;
	{
		/* a runtime that says anything of its generic Conv moves its im2col */
		int conv = h->rt && (h->rt->conv_call_s > 0 || h->rt->conv_group_s > 0 || h->rt->conv_row_s > 0 ||
		    h->rt->conv_gather_s > 0 || h->rt->conv_columns > 0);

		K->cc = conv ? gp_dag_counts(d, "conv_calls") : NULL;
		K->cg = conv ? gp_dag_counts(d, "conv_groups") : NULL;
		K->cx = conv ? gp_dag_counts(d, "conv_im2col") : NULL;
		K->cw = conv && h->rt->conv_row_s > 0 ? gp_dag_counts(d, "conv_im2col_rows") : NULL;
		K->cs = conv && h->rt->conv_gather_s > 0 ? gp_dag_counts(d, "conv_im2col_strided") : NULL;
		K->c_cm = h->rt && h->rt->conv_columns > 0 ? gp_table_col(d->t, "conv_gemm") : -1;
	}
	K->ro = h->rt && h->rt->nchwc_block > 0 ? gp_dag_counts(d, "reorders") : NULL;
	K->ri = K->ro ? gp_dag_counts(d, "reorder_bytes_in") : NULL;
	K->rx = K->ro ? gp_dag_counts(d, "reorder_bytes_out") : NULL;
	K->scale = scale;
	K->c_fe = gp_table_col(d->t, "float_elems");
	K->c_fb = gp_table_col(d->t, "float_bytes");
	K->c_gemm = gp_table_col(d->t, "gemm");
	K->c_class = gp_table_col(d->t, "class");
	K->bits = bits;
	K->c_ops = h->rt && (h->rt->split_always || h->rt->split_never || h->rt->op_s.n > 0 ||
	    h->rt->row_s.n > 0 || h->rt->row_elem_s.n > 0 || h->rt->act_s.n > 0 ||
	    h->rt->elem_s.n > 0) ?
	    gp_table_col(d->t, "ops") : -1;
	K->c_kind = K->c_ops >= 0 ? gp_table_col(d->t, "kind") : -1;
	K->bt = K->c_ops >= 0 ? gp_dag_counts(d, "batch") : NULL;
	K->ch = K->c_ops >= 0 ? gp_dag_counts(d, "channels") : NULL;
	K->sp = K->c_ops >= 0 ? gp_dag_counts(d, "spatial") : NULL;
	K->rw = K->c_ops >= 0 ? gp_dag_counts(d, "rows") : NULL;
	K->cp = h->rt && h->rt->split_copy ? gp_dag_counts(d, "copy_elems") : NULL;
	K->cr = K->cp ? gp_dag_counts(d, "copy_run") : NULL;
}

void
kcols_close(struct kcols *K)
{
	int64_t *const v[] = {K->macs, K->bi, K->bk, K->br, K->cc, K->cg, K->cx, K->cw, K->cs, K->ro, K->ri,
	    K->rx, K->bt, K->ch, K->sp, K->rw, K->cp, K->cr};
	size_t i;

	for (i = 0; i < sizeof v / sizeof *v; i++)
		free(v[i]);
	free(K->cm);
	memset(K, 0, sizeof *K);
}
