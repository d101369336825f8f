/* op-ms.c - the contrib ops of onnxruntime's com.microsoft domain that are not
 * quantized or fused forms of an ONNX op: attention, MatMulNBits, the QLinear
 * element-wise ops, SkipLayerNormalization, EmbedLayerNormalization, ...;
 * their shape and cost functions
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "op.h"

/* dimof: dim k of t (k < 0 counts from the end), unknown if t has none */
static struct gp_dim
dimof(const struct gp_tensor *t, int k)
{
	int r = rank(t);

	if (k < 0)
		k += r;
	return r < 0 || k < 0 || k >= r ? unk : t->shape.d[k];
}

/* dadd, dmul: a + b, a * b; a symbol survives adding 0 or multiplying by 1,
 * anything else not known (or overflowing) is unknown */
static struct gp_dim
dadd(struct gp_dim a, struct gp_dim b)
{
	int64_t r;

	if (known(a) && known(b))
		return __builtin_add_overflow(a.v, b.v, &r) ? unk : dk(r);
	if (known(a) && a.v == 0)
		return b;
	if (known(b) && b.v == 0)
		return a;
	return unk;
}

static struct gp_dim
dmul(struct gp_dim a, struct gp_dim b)
{
	int64_t r;

	if (known(a) && known(b))
		return __builtin_mul_overflow(a.v, b.v, &r) ? unk : dk(r);
	if (known(a) && a.v == 1)
		return b;
	if (known(b) && b.v == 1)
		return a;
	return unk;
}

/* ddiv: a / b when b divides a (or b is 1), else unknown */
static struct gp_dim
ddiv(struct gp_dim a, int64_t b)
{
	if (b == 1)
		return a;
	return known(a) && b > 0 && a.v % b == 0 ? dk(a.v / b) : unk;
}

/* scalar_dim: the value of a one-element integer tensor, as a dim */
static struct gp_dim
scalar_dim(const struct gp_tensor *t)
{
	return t && t->nval == 1 && t->iv ? ival_dim(t->iv[0]) : unk;
}

/* gp_attn_geom: see op.h. Attention's inputs: input [B,S,Hin], weights
 * [Hin, Dq+Dk+Dv], bias, mask_index, past [2,B,N,P,h], attention_bias,
 * past_sequence_length. MultiHeadAttention's: query [B,S,Dq] (or packed QKV
 * [B,S,N,3,h]), key [B,L,Dk] (or packed KV [B,L,N,2,h], or cached keys
 * [B,N,L,h]), value, bias, key_padding_mask, attention_bias, past_key,
 * past_value [B,N,P,h], past_sequence_length. GroupQueryAttention's: query
 * [B,S,N·h] (or packed QKV [B,S,(N+2·Nkv)·h] without key), key, value
 * [B,S,Nkv·h], past_key, past_value [B,Nkv,P,h], seqlens_k,
 * total_sequence_length, cos_cache, sin_cache, ... */
int
gp_attn_geom(struct gp_graph *g, struct gp_node *n, struct gp_attn *a)
{
	struct gp_tensor *q = gp_node_in(g, n, 0), *k = gp_node_in(g, n, 1), *v = gp_node_in(g, n, 2);
	struct gp_tensor *past = NULL;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	int share = 0, cross = 0, nq, pd = 2;
	int64_t *qkv;

	memset(a, 0, sizeof *a);
	a->b = a->s = a->l = a->p = a->t = a->cache = a->hin = unk;
	a->dq = a->dk = a->dv = a->dout = a->head = a->vhead = unk;
	a->heads = attr_i(n, "num_heads", 0);
	a->kvheads = gqa ? attr_i(n, "kv_num_heads", 0) : a->heads;
	a->dtype = q ? q->dtype : 0;
	if (rank(q) < 0)
		return -1;
	if (a->heads <= 0 || a->kvheads <= 0 || a->heads > ((int64_t)1 << 30) ||
	    a->kvheads > ((int64_t)1 << 30))
		return gp_op_fail("needs num_heads%s > 0", gqa ? " and kv_num_heads" : "");
	a->b = dimof(q, 0);
	a->s = dimof(q, 1);
	if (att) {
		if (rank(q) != 3)
			return gp_op_fail("input of rank %d, not 3", rank(q));
		if (rank(k) >= 0 && rank(k) != 2)
			return gp_op_fail("weights of rank %d, not 2", rank(k));
		a->qkv = 1;
		a->hin = dimof(q, 2);
		if (known(a->hin) && known(dimof(k, 0)) && a->hin.v != dimof(k, 0).v)
			return gp_op_fail("input width %lld, weights for %lld", (long long)a->hin.v,
			    (long long)dimof(k, 0).v);
		a->l = a->s;
		nq = gp_attr_ints(A, n, "qkv_hidden_sizes", &qkv);
		if (nq >= 0 && nq != 3)
			return gp_op_fail("qkv_hidden_sizes has %d values, not 3", nq);
		if (nq == 3) {
			if (qkv[0] < 0 || qkv[1] < 0 || qkv[2] < 0)
				return gp_op_fail("negative qkv_hidden_sizes");
			a->dq = dk(qkv[0]);
			a->dk = dk(qkv[1]);
			a->dv = dk(qkv[2]);
		} else {
			a->dq = a->dk = a->dv = ddiv(dimof(k, 1), 3);
		}
		a->head = ddiv(a->dq, a->heads);
		a->vhead = ddiv(a->dv, a->heads);
		a->dout = a->dv;
		past = gp_node_in(g, n, 4);
		pd = 3;
		if (past && rank(past) >= 0 && rank(past) != 5)
			return gp_op_fail("past of rank %d, not 5", rank(past));
		share = past && attr_i(n, "past_present_share_buffer", 0);
		if (share)
			a->p = scalar_dim(gp_node_in(g, n, 6));
	} else if (!gqa) {
		if (rank(q) == 5) {             /* packed QKV */
			a->l = a->s;
			a->head = a->vhead = dimof(q, 4);
			a->dq = a->dk = a->dv = dmul(dk(a->heads), a->head);
		} else if (rank(q) == 3) {
			a->dq = dimof(q, 2);
			a->head = ddiv(a->dq, a->heads);
			if (!k)
				return gp_op_fail("a query of rank 3 needs a key");
			switch (rank(k)) {
			case 5:                 /* packed KV */
				a->l = dimof(k, 1);
				a->dk = a->dq;
				a->vhead = dimof(k, 4);
				a->dv = dmul(dk(a->heads), a->vhead);
				break;
			case 4:                 /* keys and values already split into heads */
				cross = 1;
				a->l = dimof(k, 2);
				a->dk = dmul(dk(a->heads), dimof(k, 3));
				a->vhead = dimof(v, 3);
				a->dv = dmul(dk(a->heads), a->vhead);
				break;
			case 3:
				a->l = dimof(k, 1);
				a->dk = dimof(k, 2);
				a->dv = dimof(v, 2);
				a->vhead = ddiv(a->dv, a->heads);
				break;
			case -1:
				return -1;
			default:
				return gp_op_fail("key of rank %d", rank(k));
			}
		} else {
			return gp_op_fail("query of rank %d", rank(q));
		}
		a->dout = a->dv;
		past = cross ? NULL : gp_node_in(g, n, 6);
		if (past && rank(past) >= 0 && rank(past) != 4)
			return gp_op_fail("past_key of rank %d, not 4", rank(past));
		share = past && gp_node_in(g, n, 8);
		if (share)
			a->p = scalar_dim(gp_node_in(g, n, 8));
	} else {
		if (rank(q) != 3)
			return gp_op_fail("query of rank %d, not 3", rank(q));
		if (k) {
			a->head = ddiv(dimof(q, 2), a->heads);
			a->l = dimof(k, 1);
		} else {                        /* packed QKV */
			a->head = ddiv(dimof(q, 2), a->heads + 2 * a->kvheads);
			a->l = a->s;
		}
		a->vhead = a->head;
		a->dq = a->dout = dmul(dk(a->heads), a->head);
		a->dk = a->dv = dmul(dk(a->kvheads), a->head);
		past = gp_node_in(g, n, 3);
		if (past && rank(past) >= 0 && rank(past) != 4)
			return gp_op_fail("past_key of rank %d, not 4", rank(past));
		a->t = scalar_dim(gp_node_in(g, n, 6));
	}
	if (!past)
		a->p = dk(0);
	else if (!share)
		a->p = dimof(past, pd);
	if (!gqa || !known(a->t))
		a->t = dadd(a->p, a->l);
	a->cache = share ? dimof(past, pd) : a->t;
	if (gqa && past && known(a->t) && known(dimof(past, pd)) && dimof(past, pd).v > a->t.v)
		a->cache = dimof(past, pd);     /* a buffer shared with present */
	return 0;
}

/* Attention, MultiHeadAttention, GroupQueryAttention: output [B,S,Dout];
 * Attention's present [2,B,N,T,h], the others' present_key and present_value
 * [B,N,T,h] (N the key heads of GroupQueryAttention), and the scores [B,N,S,T]
 * as output 3; presents keep a quantized cache's dtype */
int
gp_opshape_attention(struct gp_graph *g, struct gp_node *n)
{
	struct gp_attn a;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	struct gp_tensor *past = gp_node_in(g, n, att ? 4 : gqa ? 3 : 6);
	int rc = gp_attn_geom(g, n, &a), pdt = past && past->dtype > 0 ? past->dtype : a.dtype, i;
	struct gp_dim d[5];

	if (rc < 0) {
		for (i = 0; rc == -1 && i < n->nout; i++)
			gp_set_out(g, n, i, i == 0 || i == 3 ? a.dtype : pdt, -1, NULL);
		return rc;
	}
	d[0] = a.b;
	d[1] = a.s;
	d[2] = a.dout;
	gp_set_out(g, n, 0, a.dtype, 3, d);
	if (att) {
		d[0] = dk(2);
		d[1] = a.b;
		d[2] = dk(a.heads);
		d[3] = a.cache;
		d[4] = a.head;
		gp_set_out(g, n, 1, pdt, 5, d);
		return 0;
	}
	d[0] = a.b;
	d[1] = dk(a.kvheads);
	d[2] = a.cache;
	d[3] = a.head;
	gp_set_out(g, n, 1, pdt, 4, d);
	d[3] = a.vhead;
	gp_set_out(g, n, 2, pdt, 4, d);
	d[1] = dk(a.heads);
	d[2] = a.s;
	d[3] = a.t;
	gp_set_out(g, n, 3, a.dtype, 4, d);
	return 0;
}

/* MatMulNBits: A [..., K] times the K x N weights its attributes describe
 * (stored packed in B): [..., N], of A's dtype */
int
gp_opshape_matmulnbits(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t k = attr_i(n, "K", -1), nn = attr_i(n, "N", -1);
	int r = rank(x);
	struct gp_dim *d;

	if (k <= 0 || nn <= 0)
		return gp_op_fail("needs attributes K and N");
	if (r < 0) {
		gp_set_out(g, n, 0, x ? x->dtype : 0, -1, NULL);
		return -1;
	}
	if (r == 0)
		return gp_op_fail("A is a scalar");
	if (known(x->shape.d[r - 1]) && x->shape.d[r - 1].v != k)
		return gp_op_fail("A has %lld columns, K is %lld", (long long)x->shape.d[r - 1].v, (long long)k);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[r - 1] = dk(nn);
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* QLinearAdd, QLinearMul: A (input 0) and B (input 3) broadcast */
int
gp_opshape_qbinary(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *ts[2];
	struct gp_dim *d;
	int r;

	ts[0] = gp_node_in(g, n, 0);
	ts[1] = gp_node_in(g, n, 3);
	if (!ts[0] || !ts[1])
		return -1;
	if ((r = gp_bcast(g, ts, 2, &d)) < 0) {
		if (r == -1)
			gp_set_out(g, n, 0, ts[0]->dtype, -1, NULL);
		return r;
	}
	gp_set_out(g, n, 0, ts[0]->dtype, r, d);
	return 0;
}

/* QLinearGlobalAveragePool: N and C kept, every spatial dim 1; C last with
 * channels_last */
int
gp_opshape_qgap(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), cl = attr_i(n, "channels_last", 0) != 0, k;
	struct gp_dim *d;

	if (r < 3)
		return r < 0 ? -1 : gp_op_fail("input of rank %d", r);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	for (k = 0; k < r; k++)
		d[k] = k == 0 || k == (cl ? r - 1 : 1) ? x->shape.d[k] : dk(1);
	gp_set_out(g, n, 0, x->dtype, r, d);
	return 0;
}

/* QLinearConcat: Y_scale, Y_zero_point, then (tensor, scale, zero point) per
 * input; the tensors concatenate on axis, into the zero point's dtype */
int
gp_opshape_qconcat(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor **ts, *zp = gp_node_in(g, n, 1);
	struct gp_dim *d = NULL;
	int nt = 0, i, r = -1, rc;

	ts = gp_arena_alloc(A, (size_t)(n->nin / 3 + 1) * sizeof *ts);
	for (i = 2; i < n->nin; i += 3)
		ts[nt++] = gp_node_in(g, n, i);
	if (nt == 0 || !ts[0])
		return nt == 0 ? gp_op_fail("no inputs to concatenate") : -1;
	if ((rc = gp_concat_dims(g, n, ts, nt, &d, &r)) < 0)
		return rc;
	gp_set_out(g, n, 0, zp && zp->dtype > 0 ? zp->dtype : ts[0]->dtype, r, d);
	return 0;
}

/* SkipLayerNormalization, SkipSimplifiedLayerNormalization: output and the sum
 * input + skip (+ bias) (output 3) have the input's shape; the mean and
 * inverse deviation are float, one per row */
int
gp_opshape_skipnorm(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int r = rank(x), i;
	struct gp_dim *d;

	if (r < 1) {
		for (i = 0; r < 0 && x && i < n->nout; i++)
			gp_set_out(g, n, i, i == 1 || i == 2 ? 1 : x->dtype, -1, NULL);
		return r < 0 ? -1 : gp_op_fail("a scalar input");
	}
	gp_set_out(g, n, 0, x->dtype, r, x->shape.d);
	gp_set_out(g, n, 3, x->dtype, r, x->shape.d);
	d = gp_arena_alloc(A, (size_t)(r + 1) * sizeof *d);
	memcpy(d, x->shape.d, (size_t)r * sizeof *d);
	d[r - 1] = dk(1);
	gp_set_out(g, n, 1, 1, r, d);
	gp_set_out(g, n, 2, 1, r, d);
	return 0;
}

/* EmbedLayerNormalization: input_ids [B,S] looked up in word_embedding [V,H]
 * (input 2): output and embedding_sum [B,S,H] of the embedding's dtype,
 * mask_index [B] int32 */
int
gp_opshape_embedln(struct gp_graph *g, struct gp_node *n)
{
	struct gp_tensor *ids = gp_node_in(g, n, 0), *w = gp_node_in(g, n, 2);
	int dt = w ? w->dtype : 0;
	struct gp_dim d[3];

	if (rank(ids) != 2) {
		gp_set_out(g, n, 0, dt, -1, NULL);
		gp_set_out(g, n, 1, 6, -1, NULL);
		gp_set_out(g, n, 2, dt, -1, NULL);
		return rank(ids) < 0 ? -1 : gp_op_fail("input_ids of rank %d, not 2", rank(ids));
	}
	d[0] = ids->shape.d[0];
	d[1] = ids->shape.d[1];
	d[2] = dimof(w, 1);
	gp_set_out(g, n, 0, dt, 3, d);
	gp_set_out(g, n, 2, dt, 3, d);
	gp_set_out(g, n, 1, 6, 1, d);
	return 0;
}

/* Element-wise with an optional bias (input 1) added first: fpe per output
 * element, one more with the bias (FastGelu, the tanh GELU: 9 or 10). */
int
gp_cost_biaselem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));

	if (e < 0)
		return -1;
	c->flops = mul(c, e, gp_node_in(g, n, 1) ? fpe + 1 : fpe);
	return 0;
}

/* RotaryEmbedding: x·cos ± x_rotated·sin, fpe (3) FLOPs per rotated element;
 * with rotary_embedding_dim r, r of every head's h elements rotate (h the
 * last dim of a [B,N,S,h] input, hidden / num_heads of a [B,S,hidden] one),
 * the rest is copied. */
int
gp_cost_rotary(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_tensor *x = gp_node_in(g, n, 0);
	int64_t e = numel(c, gp_node_out(g, n, 0)), rot = 0, nh = 0, h;

	if (e < 0 || !x)
		return -1;
	gp_attr_int(n, "rotary_embedding_dim", &rot);
	gp_attr_int(n, "num_heads", &nh);
	if (rot > 0) {
		if (x->shape.rank == 4) {
			if (dimv(x, 3, &h) < 0)
				return -1;
		} else if (nh > 0 && dimv(x, x->shape.rank - 1, &h) == 0) {
			h /= nh;
		} else {
			return -1;
		}
		if (h <= 0 || rot > h)
			return -1;
		e = mul(c, e / h, rot);
	}
	c->flops = mul(c, e, fpe);
	return 0;
}

/* SkipLayerNormalization (fpe 8: LayerNormalization's 7 and the skip add),
 * SkipSimplifiedLayerNormalization (fpe 5: RMS normalization's 4 and the skip
 * add): fpe per element, one more with a bias, one less for a
 * SkipLayerNormalization without beta. */
int
gp_cost_skipnorm(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0));
	int simple = !strcmp(n->op, "SkipSimplifiedLayerNormalization");

	if (e < 0)
		return -1;
	if (gp_node_in(g, n, simple ? 3 : 4))
		fpe++;
	if (!simple && !gp_node_in(g, n, 3))
		fpe--;
	c->flops = mul(c, e, fpe);
	c->kind = simple ? "rmsnorm" : "layernorm";
	/* its rows: the hidden dim (the last) is one each */
	{
		struct gp_tensor *x = gp_node_in(g, n, 0);
		int r = x ? x->shape.rank : -1;
		int64_t h;

		if (r < 1 || dimv(x, r - 1, &h) < 0 || h <= 0)
			return -1;
		c->rows = e / h;
	}
	return 0;
}

/* EmbedLayerNormalization: the word and position embeddings gathered (moved)
 * and added, then layer-normalized: fpe (8) per output element, one more with
 * a segment embedding; the mask index is one FLOP per mask element. */
int
gp_cost_embedln(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t e = numel(c, gp_node_out(g, n, 0)), m = 0;
	struct gp_tensor *mask = gp_node_in(g, n, 7);

	if (e < 0 || (mask && (m = numel(c, mask)) < 0))
		return -1;
	if (gp_node_in(g, n, 4))
		fpe++;
	c->flops = add(c, mul(c, e, fpe), m);
	return 0;
}

/* MatMulNBits: the K x N weights its attributes give, stored packed in
 * 2..8-bit blocks, dequantized once per run (fpe, 2 per weight: subtract the
 * zero point, scale) and multiplied, K MACs per output element; a bias adds
 * one per output. The weights' bytes are the packed ones, as stored. */
int
gp_cost_matmulnbits(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	int64_t ey = numel(c, gp_node_out(g, n, 0)), k = -1, nn = -1, extra;

	c->kind = "linear";
	gp_attr_int(n, "K", &k);
	gp_attr_int(n, "N", &nn);
	if (ey < 0 || k <= 0 || nn <= 0)
		return -1;
	extra = mul(c, mul(c, k, nn), fpe);
	if (gp_node_in(g, n, 5))
		extra = add(c, extra, ey);
	dense(c, mul(c, ey, k), extra);
	return 0;
}

/* a dim of an attention geometry, if known */
static int
adim(struct gp_dim d, int64_t *v)
{
	if (d.sym || d.v < 0)
		return -1;
	*v = d.v;
	return 0;
}

/* Attention, MultiHeadAttention, GroupQueryAttention: Q·Kᵀ and the
 * probabilities times V are MACs for every query, head and key attended to
 * (cached and new): B·N·S·T·(h + hv); Attention adds its QKV projection,
 * B·S·Hin·(Dq + Dk + Dv). Each of the B·N·S·T scores takes fpe (6: the scale
 * and Softmax's 5) FLOPs, one more when they are masked or biased (a mask or
 * attention_bias input, unidirectional; GroupQueryAttention always masks).
 * A bias on Q, K, V adds one per element of each; do_rotary three per rotated
 * element of Q and of the new K. */
int
gp_cost_attention(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	struct gp_attn a;
	int att = !strcmp(n->op, "Attention"), gqa = !strcmp(n->op, "GroupQueryAttention");
	int64_t b, s, l, t, h, hv, scores, macs, extra, dq, dk, dv, hin, rot = 0, uni = 0;
	struct gp_tensor *cos;

	c->kind = "attention";
	if (gp_attn_geom(g, n, &a) < 0 || adim(a.b, &b) < 0 || adim(a.s, &s) < 0 || adim(a.l, &l) < 0 ||
	    adim(a.t, &t) < 0 || adim(a.head, &h) < 0 || adim(a.vhead, &hv) < 0)
		return -1;
	scores = mul(c, mul(c, mul(c, b, a.heads), s), t);
	macs = mul(c, scores, add(c, h, hv));
	gp_attr_int(n, "unidirectional", &uni);
	if (gqa || uni || gp_node_in(g, n, 5) || gp_node_in(g, n, att ? 3 : 4))
		fpe++;
	extra = mul(c, scores, fpe);
	if (att || (!gqa && gp_node_in(g, n, 3))) {
		/* the projection's or the input bias's widths */
		if (adim(a.dq, &dq) < 0 || adim(a.dk, &dk) < 0 || adim(a.dv, &dv) < 0)
			return -1;
		if (att) {
			if (adim(a.hin, &hin) < 0)
				return -1;
			macs = add(c, macs, mul(c, mul(c, b, s), mul(c, hin, add(c, add(c, dq, dk), dv))));
			if (gp_node_in(g, n, 2))
				extra = add(c, extra, mul(c, mul(c, b, s), add(c, add(c, dq, dk), dv)));
		} else {
			extra = add(c, extra, mul(c, b, add(c, mul(c, s, dq), mul(c, l, add(c, dk, dv)))));
		}
	}
	if ((att || gqa) && gp_attr_int(n, "do_rotary", &rot) == 0 && rot) {
		rot = h;
		if (att)
			gp_attr_int(n, "rotary_embedding_dim", &rot);
		else if ((cos = gp_node_in(g, n, 7)) && dimv(cos, 1, &rot) == 0)
			rot *= 2;
		if (rot <= 0 || rot > h)
			rot = h;
		extra = add(c, extra, mul(c, mul(c, 3, mul(c, b, rot)),
		    add(c, mul(c, s, a.heads), mul(c, l, a.kvheads))));
	}
	dense(c, macs, extra);
	return 0;
}
