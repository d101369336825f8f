/* tflite-op-elem.c - the element-wise ops of the "tflite" domain, with ONNX's
 * arithmetic, and the fused activation every TFLite op's cost ends with
 */
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* onnx: shape function sh of ONNX's op of the same arithmetic (Relu's for a
 * unary op, Add's for a broadcasting one, Where's for SELECT), the outputs
 * keeping the dtypes the file declares */
static int
onnx(struct gp_graph *g, struct gp_node *n, int (*sh)(struct gp_graph *, struct gp_node *))
{
	int dt[4], i, rc;

	for (i = 0; i < 4; i++)
		dt[i] = gp_node_out(g, n, i) ? gp_node_out(g, n, i)->dtype : 0;
	rc = sh(g, n);
	for (i = 0; i < 4; i++) {
		struct gp_tensor *t = gp_node_out(g, n, i);

		if (t && dt[i] > 0 && t->dtype != dt[i]) {
			t->dtype = dt[i];
			t->dirty = 1;
		}
	}
	return rc;
}

int gp_tfl_sh_same(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, gp_opshape_same); }
int gp_tfl_sh_binary(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, gp_opshape_binary); }
int gp_tfl_sh_select(struct gp_graph *g, struct gp_node *n) { return onnx(g, n, gp_opshape_where); }

/* act: FLOPs per output element of the fused activation (docs/counting.md:
 * RELU and TANH 1, RELU6 and RELU_N1_TO_1 a clip, 2; SIGN_BIT 1) */
static int
act(struct gp_graph *g, const struct gp_node *n)
{
	const char *a = attr_s(g, n, "fused_activation_function", "NONE");

	return !strcmp(a, "RELU") || !strcmp(a, "TANH") || !strcmp(a, "SIGN_BIT") ? 1 :
	    !strcmp(a, "RELU6") || !strcmp(a, "RELU_N1_TO_1") ? 2 : 0;
}

/* epilogue finishes a cost: the fused activation's FLOPs on every output
 * element, and the parallelism of a channels-last output (N, spatial..., C) */
int
gp_tfl_epilogue(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int rc)
{
	struct gp_tensor *y = gp_node_out(g, n, 0);
	int64_t e = numel(c, y), v;
	int k, r = rank(y);

	if (rc < 0)
		return rc;
	if (act(g, n)) {
		if (e < 0)
			return -1;
		c->flops = add(c, c->flops, mul(c, e, act(g, n)));
	}
	if (r >= 3 && !c->batch) {
		c->batch = dimval(y, 0);
		c->channels = dimval(y, r - 1);
		c->spatial = 1;
		for (k = 1; k < r - 1; k++)
			c->spatial = (v = dimval(y, k)) >= 0 && c->spatial >= 0 ? mul(c, c->spatial, v) : -1;
		if (c->batch < 0 || c->channels < 0 || c->spatial < 0)
			c->batch = c->channels = c->spatial = -1;
	}
	return 0;
}

/* element-wise: ONNX's arithmetic, fpe FLOPs per output element, then the epilogue */
int
gp_tfl_c_elem(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe)
{
	if (!strcmp(n->op, "GELU") && attr_i(n, "approximate", 0))
		fpe = 9;        /* the tanh approximation, as ONNX's Gelu */
	return gp_tfl_epilogue(g, n, c, gp_cost_elem(g, n, c, fpe));
}
