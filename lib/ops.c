/* ops.c - the op registry: for every ONNX op gp knows (and every contrib op
 * of onnxruntime's com.microsoft domain, in a second table) its shape
 * function, cost function, class, FLOPs per element and flags
 *
 * The functions live with their op family (op.h): op-elem.c, op-shape.c,
 * op-fill.c, op-window.c, op-dense.c, op-control.c, op-ms.c, and
 * tflite-ops.c for the tflite domains; the arithmetic they share in dims.c.
 * gp_op_find looks a node's op up; gp_op_cost counts a node with it.
 */
#include <string.h>

#include "gp.h"
#include "op.h"

static const struct gp_op ops[] = {
	/* keep sorted by name: found by binary search. Columns: op, domain, shape
	 * function, cost function (op-*.c), class, FLOPs per element (docs/counting.md),
	 * flags (GP_OP_TRANS: an exponential or its kin, which a runtime may run
	 * at its own rate) */
	{"Abs", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Acos", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Acosh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Add", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"And", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"ArgMax", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ArgMin", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"Asin", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Asinh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Atan", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Atanh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"AveragePool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 1, 0},
	{"BatchNormalization", NULL, gp_opshape_norm, gp_cost_norm, GP_C_ELEM, 2, 0},
	{"BitShift", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Cast", NULL, gp_opshape_cast, gp_cost_elem, GP_C_ELEM, 0, 0},
	{"CastLike", NULL, gp_opshape_cast, gp_cost_elem, GP_C_ELEM, 0, 0},
	{"Ceil", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Celu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 4, GP_OP_TRANS},
	{"Clip", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Concat", NULL, gp_opshape_concat, gp_cost_concat, GP_C_MOVE, 0, 0},
	{"Constant", NULL, gp_opshape_constant, gp_cost_none, GP_C_FREE, 0, 0},
	{"ConstantOfShape", NULL, gp_opshape_constofshape, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Conv", NULL, gp_opshape_conv, gp_cost_conv, GP_C_DENSE, 0, 0},
	{"ConvInteger", NULL, gp_opshape_conv, gp_cost_conv, GP_C_DENSE, 0, 0},
	{"ConvTranspose", NULL, gp_opshape_convtranspose, gp_cost_convtranspose, GP_C_DENSE, 0, 0},
	{"Cos", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Cosh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"CumSum", NULL, gp_opshape_same, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"DepthToSpace", NULL, gp_opshape_depthspace, gp_cost_move, GP_C_MOVE, 0, 0},
	{"DequantizeLinear", NULL, gp_opshape_quant, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Div", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Dropout", NULL, gp_opshape_dropout, gp_cost_none, GP_C_FREE, 0, 0},
	{"DynamicQuantizeLinear", NULL, gp_opshape_dynquant, gp_cost_reduce, GP_C_ROW, 5, 0},
	{"Einsum", NULL, gp_opshape_einsum, gp_cost_einsum, GP_C_DENSE, 0, 0},
	{"Elu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 3, GP_OP_TRANS},
	{"Equal", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Erf", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Exp", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Expand", NULL, gp_opshape_expand, gp_cost_move, GP_C_MOVE, 0, 0},
	{"EyeLike", NULL, gp_opshape_same, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Flatten", NULL, gp_opshape_flatten, gp_cost_none, GP_C_VIEW, 0, 0},
	{"Floor", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"GRU", NULL, gp_opshape_rnn, gp_cost_rnn, GP_C_DENSE, 0, 0},
	{"Gather", NULL, gp_opshape_gather, gp_cost_move, GP_C_MOVE, 0, 0},
	{"GatherElements", NULL, gp_opshape_gatherel, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Gelu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 5, GP_OP_TRANS},
	{"Gemm", NULL, gp_opshape_gemm, gp_cost_gemm, GP_C_DENSE, 0, 0},
	{"GlobalAveragePool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 1, 0},
	{"GlobalLpPool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 2, 0},
	{"GlobalMaxPool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 1, 0},
	{"Greater", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"GreaterOrEqual", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"HardSigmoid", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 3, 0},
	{"HardSwish", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 5, 0},
	{"Hardmax", NULL, gp_opshape_same, gp_cost_softmax, GP_C_ROW, 1, 0},
	{"Identity", NULL, gp_opshape_same, gp_cost_none, GP_C_FREE, 0, 0},
	{"If", NULL, gp_opshape_if, gp_cost_control, GP_C_CONTROL, 0, 0},
	{"InstanceNormalization", NULL, gp_opshape_norm, gp_cost_norm, GP_C_ROW, 7, 0},
	{"IsInf", NULL, gp_opshape_bool1, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"IsNaN", NULL, gp_opshape_bool1, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"LRN", NULL, gp_opshape_same, gp_cost_lrn, GP_C_ROW, 0, 0},
	{"LSTM", NULL, gp_opshape_rnn, gp_cost_rnn, GP_C_DENSE, 0, 0},
	{"LayerNormalization", NULL, gp_opshape_norm, gp_cost_norm, GP_C_ROW, 7, 0},
	{"LeakyRelu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Less", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"LessOrEqual", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Log", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"LogSoftmax", NULL, gp_opshape_same, gp_cost_softmax, GP_C_ROW, 5, 0},
	{"Loop", NULL, gp_opshape_loop, gp_cost_control, GP_C_CONTROL, 0, 0},
	{"LpNormalization", NULL, gp_opshape_same, gp_cost_norm, GP_C_ROW, 3, 0},
	{"LpPool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 2, 0},
	{"MatMul", NULL, gp_opshape_matmul, gp_cost_matmul, GP_C_DENSE, 0, 0},
	{"MatMulInteger", NULL, gp_opshape_matmul, gp_cost_matmul, GP_C_DENSE, 0, 0},
	{"Max", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, -1, 0},
	{"MaxPool", NULL, gp_opshape_pool, gp_cost_pool, GP_C_POOL, 1, 0},
	{"Mean", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, -2, 0},
	{"MeanVarianceNormalization", NULL, gp_opshape_same, gp_cost_norm, GP_C_ROW, 5, 0},
	{"Min", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, -1, 0},
	{"Mish", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 5, GP_OP_TRANS},
	{"Mod", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Mul", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Neg", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"NonZero", NULL, gp_opshape_nonzero, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"Not", NULL, gp_opshape_bool1, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Or", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"PRelu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Pad", NULL, gp_opshape_pad, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Pow", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"QLinearConv", NULL, gp_opshape_conv, gp_cost_conv, GP_C_DENSE, 0, 0},
	{"QLinearMatMul", NULL, gp_opshape_matmul, gp_cost_matmul, GP_C_DENSE, 0, 0},
	{"QuantizeLinear", NULL, gp_opshape_quant, gp_cost_elem, GP_C_ELEM, 3, 0},
	{"RNN", NULL, gp_opshape_rnn, gp_cost_rnn, GP_C_DENSE, 0, 0},
	{"Range", NULL, gp_opshape_range, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Reciprocal", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"ReduceL1", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 2, 0},
	{"ReduceL2", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 2, 0},
	{"ReduceLogSum", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 2, 0},
	{"ReduceLogSumExp", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 2, 0},
	{"ReduceMax", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ReduceMean", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ReduceMin", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ReduceProd", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ReduceSum", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 1, 0},
	{"ReduceSumSquare", NULL, gp_opshape_reduce, gp_cost_reduce, GP_C_ROW, 2, 0},
	{"Relu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Reshape", NULL, gp_opshape_reshape, gp_cost_none, GP_C_VIEW, 0, 0},
	{"Resize", NULL, gp_opshape_resize, gp_cost_resize, GP_C_MOVE, 0, 0},
	{"Round", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Scan", NULL, gp_opshape_loop, gp_cost_control, GP_C_CONTROL, 0, 0},
	{"Scatter", NULL, gp_opshape_same, gp_cost_move, GP_C_MOVE, 0, 0},
	{"ScatterElements", NULL, gp_opshape_same, gp_cost_move, GP_C_MOVE, 0, 0},
	{"ScatterND", NULL, gp_opshape_same, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Selu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 4, GP_OP_TRANS},
	{"Shape", NULL, gp_opshape_shape, gp_cost_none, GP_C_FREE, 0, 0},
	{"Shrink", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Sigmoid", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 4, GP_OP_TRANS},
	{"Sign", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	/* RMSNorm: onnxruntime's, which it defines in this domain */
	{"SimplifiedLayerNormalization", NULL, gp_opshape_norm, gp_cost_norm, GP_C_ROW, 4, 0},
	{"Sin", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Sinh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Size", NULL, gp_opshape_size, gp_cost_none, GP_C_FREE, 0, 0},
	{"Slice", NULL, gp_opshape_slice, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Softmax", NULL, gp_opshape_same, gp_cost_softmax, GP_C_ROW, 5, 0},
	{"Softplus", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 3, GP_OP_TRANS},
	{"Softsign", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 3, GP_OP_TRANS},
	{"SpaceToDepth", NULL, gp_opshape_depthspace, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Split", NULL, gp_opshape_split, gp_cost_split, GP_C_MOVE, 0, 0},
	{"Sqrt", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Squeeze", NULL, gp_opshape_squeeze, gp_cost_none, GP_C_VIEW, 0, 0},
	{"Sub", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Sum", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, -1, 0},
	{"Tan", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"Tanh", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"ThresholdedRelu", NULL, gp_opshape_same, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"Tile", NULL, gp_opshape_tile, gp_cost_move, GP_C_MOVE, 0, 0},
	{"TopK", NULL, gp_opshape_topk, gp_cost_topk, GP_C_ROW, 0, 0},
	{"Transpose", NULL, gp_opshape_transpose, gp_cost_transpose, GP_C_MOVE, 0, 0},
	{"Trilu", NULL, gp_opshape_same, gp_cost_move, GP_C_MOVE, 0, 0},
	{"Unsqueeze", NULL, gp_opshape_unsqueeze, gp_cost_none, GP_C_VIEW, 0, 0},
	{"Upsample", NULL, gp_opshape_resize, gp_cost_resize, GP_C_MOVE, 0, 0},
	{"Where", NULL, gp_opshape_where, gp_cost_elem, GP_C_ELEM, 1, 0},
	{"Xor", NULL, gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 1, 0},
};

/* The contrib ops of onnxruntime (docs/ContribOperators.md there), as
 * optimized and quantized exports carry them. Same columns, same order. */
static const struct gp_op msops[] = {
	{"Attention", "com.microsoft", gp_opshape_attention, gp_cost_attention, GP_C_DENSE, 6, 0},
	{"BiasAdd", "com.microsoft", gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"BiasGelu", "com.microsoft", gp_opshape_binary, gp_cost_elem, GP_C_ELEM, 6, GP_OP_TRANS},
	{"DequantizeLinear", "com.microsoft", gp_opshape_quant, gp_cost_elem, GP_C_ELEM, 2, 0},
	{"DynamicQuantizeMatMul", "com.microsoft", gp_opshape_matmul, gp_cost_qmatmul, GP_C_DENSE, 5, 0},
	{"EmbedLayerNormalization", "com.microsoft", gp_opshape_embedln, gp_cost_embedln, GP_C_ROW, 8, 0},
	{"FastGelu", "com.microsoft", gp_opshape_binary, gp_cost_biaselem, GP_C_ELEM, 9, GP_OP_TRANS},
	{"FusedMatMul", "com.microsoft", gp_opshape_fusedmatmul, gp_cost_fusedmatmul, GP_C_DENSE, 0, 0},
	{"Gelu", "com.microsoft", gp_opshape_same, gp_cost_elem, GP_C_ELEM, 5, GP_OP_TRANS},
	{"GroupQueryAttention", "com.microsoft", gp_opshape_attention, gp_cost_attention, GP_C_DENSE, 6, 0},
	{"MatMulIntegerToFloat", "com.microsoft", gp_opshape_matmul, gp_cost_qmatmul, GP_C_DENSE, 0, 0},
	{"MatMulNBits", "com.microsoft", gp_opshape_matmulnbits, gp_cost_matmulnbits, GP_C_DENSE, 2, 0},
	{"MultiHeadAttention", "com.microsoft", gp_opshape_attention, gp_cost_attention, GP_C_DENSE, 6, 0},
	{"QLinearAdd", "com.microsoft", gp_opshape_qbinary, gp_cost_elem, GP_C_ELEM, 8, 0},
	{"QLinearConcat", "com.microsoft", gp_opshape_qconcat, gp_cost_move, GP_C_MOVE, 0, 0},
	{"QLinearGlobalAveragePool", "com.microsoft", gp_opshape_qgap, gp_cost_pool, GP_C_POOL, 3, 0},
	{"QLinearLeakyRelu", "com.microsoft", gp_opshape_same, gp_cost_elem, GP_C_ELEM, 7, 0},
	{"QLinearMul", "com.microsoft", gp_opshape_qbinary, gp_cost_elem, GP_C_ELEM, 8, 0},
	{"QLinearSigmoid", "com.microsoft", gp_opshape_same, gp_cost_elem, GP_C_ELEM, 9, GP_OP_TRANS},
	{"QuantizeLinear", "com.microsoft", gp_opshape_quant, gp_cost_elem, GP_C_ELEM, 3, 0},
	{"QuickGelu", "com.microsoft", gp_opshape_same, gp_cost_elem, GP_C_ELEM, 6, GP_OP_TRANS},
	{"RotaryEmbedding", "com.microsoft", gp_opshape_same, gp_cost_rotary, GP_C_ELEM, 3, 0},
	{"SimplifiedLayerNormalization", "com.microsoft", gp_opshape_norm, gp_cost_norm, GP_C_ROW, 4, 0},
	{"SkipLayerNormalization", "com.microsoft", gp_opshape_skipnorm, gp_cost_skipnorm, GP_C_ROW, 8, 0},
	{"SkipSimplifiedLayerNormalization", "com.microsoft", gp_opshape_skipnorm, gp_cost_skipnorm, GP_C_ROW, 5, 0},
};

#define NOPS (sizeof ops / sizeof ops[0])
#define NMSOPS (sizeof msops / sizeof msops[0])

/* gp_op_at: the default domain's ops, then tflite's, tflite.custom's
 * (tflite-ops.c) and com.microsoft's */
const struct gp_op *
gp_op_at(size_t i)
{
	if (i < NOPS)
		return &ops[i];
	if ((i -= NOPS) < gp_tflite_nops)
		return &gp_tflite_ops[i];
	if ((i -= gp_tflite_nops) < gp_tflite_ncustom)
		return &gp_tflite_custom_ops[i];
	i -= gp_tflite_ncustom;
	return i < NMSOPS ? &msops[i] : NULL;
}

size_t
gp_op_index(const struct gp_op *op)
{
	/* (addresses compared as integers: the four tables are separate arrays) */
	uintptr_t a = (uintptr_t)op;
	size_t base = 0;

	if (a >= (uintptr_t)ops && a < (uintptr_t)(ops + NOPS))
		return (size_t)(op - ops);
	base += NOPS;
	if (a >= (uintptr_t)gp_tflite_ops && a < (uintptr_t)(gp_tflite_ops + gp_tflite_nops))
		return base + (size_t)(op - gp_tflite_ops);
	base += gp_tflite_nops;
	if (a >= (uintptr_t)gp_tflite_custom_ops && a < (uintptr_t)(gp_tflite_custom_ops + gp_tflite_ncustom))
		return base + (size_t)(op - gp_tflite_custom_ops);
	return base + gp_tflite_ncustom + (size_t)(op - msops);
}

/* gp_op_find: op in the table of its domain (none, "" and "ai.onnx" are the
 * default one; "com.microsoft"; "tflite", "tflite.custom"), by binary search;
 * NULL if gp does not know it. The ops found last are remembered by the first
 * bytes of their name, since a partition asks for every node's op several times. */
const struct gp_op *
gp_op_find(const char *domain, const char *op)
{
	static const struct gp_op *seen[64];
	static char seen_ms[64];                /* found in msops */
	const struct gp_op *t = ops, **hit;
	size_t lo = 0, hi = NOPS, mid;
	unsigned h;
	int c;

	if (domain && *domain && strcmp(domain, "ai.onnx") != 0) {
		if (strcmp(domain, "com.microsoft") == 0) {
			t = msops;
			hi = NMSOPS;
		} else if (strcmp(domain, "tflite") == 0) {
			t = gp_tflite_ops;
			hi = gp_tflite_nops;
		} else if (strcmp(domain, "tflite.custom") == 0) {
			t = gp_tflite_custom_ops;
			hi = gp_tflite_ncustom;
		} else {
			return NULL;
		}
	}
	h = op[0] ? (unsigned char)op[0] * 31u + (unsigned char)op[1] * 7u + (unsigned)(t == msops) : 0;
	hit = &seen[h & 63];
	if (*hit && seen_ms[h & 63] == (t == msops) && strcmp(op, (*hit)->name) == 0)
		return *hit;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(op, t[mid].name);
		if (c == 0) {
			seen_ms[h & 63] = t == msops;
			return *hit = &t[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
gp_op_passes_on(const char *domain, const char *name)
{
	const struct gp_op *op = gp_op_find(domain, name);

	return op && (op->cls == GP_C_VIEW || !strcmp(name, "Identity") || !strcmp(name, "Dropout"));
}

int
gp_op_passes(const struct gp_node *n)
{
	return gp_op_passes_on(n->domain, n->op);
}

int
gp_tensor_root(const struct gp_graph *g, int t)
{
	size_t hops = 0;

	while (t >= 0 && g->t[t].producer >= 0 && hops++ <= g->nn) {
		const struct gp_node *n = &g->n[g->t[t].producer];

		if (!gp_op_passes(n) || n->nout < 1 || n->out[0] != t || n->nin < 1 || n->in[0] < 0)
			break;
		t = n->in[0];
	}
	return t;
}

/* lower: the name of node n's op in lower case, the kind of a node whose
 * cost function names none. A known op's (op) is made once into a slot of
 * its own, kept as long as the program (as its table entry is: every cost
 * holding it may still be read); one whose slot another op holds, or an
 * unknown one, is copied into g's arena. */
static const char *
lower(struct gp_graph *g, const struct gp_op *op, const struct gp_node *n)
{
	static struct {
		const struct gp_op *op;
		char kind[32];
	} seen[64];
	size_t k = op ? ((uintptr_t)op / sizeof *op) & 63 : 0;
	char *s, *p;

	if (op && seen[k].op == op)
		return seen[k].kind;
	if (op && !seen[k].op && strlen(n->op) < sizeof seen[k].kind) {
		seen[k].op = op;
		s = strcpy(seen[k].kind, n->op);
	} else {
		s = gp_arena_strdup(A, n->op);
	}
	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* The parallelism of a node's main output, where its cost function did not
 * say: rank >= 4 is read N, C, spatial...; rank 3 as batch, sequence,
 * features; rank 2 as batch, features. */
static void
parallelism(struct gp_graph *g, struct gp_node *n, struct gp_cost *c)
{
	struct gp_tensor *y = gp_node_out(g, n, 0);
	int64_t t = 0, v;
	int i, r;

	for (i = 0; i < n->nout; i++) {
		int64_t e = numel(c, gp_node_out(g, n, i));

		if (e > 0)
			t = add(c, t, e);
	}
	if (!c->threads)
		c->threads = t;
	if (!c->groups)
		c->groups = 1;
	if (c->batch || !y || (r = y->shape.rank) < 0)
		return;
	c->batch = c->channels = c->spatial = 1;
	for (i = 0; i < r; i++) {
		if (dimv(y, i, &v) < 0) {
			c->batch = c->channels = c->spatial = -1;     /* not known: '.' */
			return;
		}
	}
	if (r == 1) {
		dimv(y, 0, &c->channels);
	} else if (r == 2) {
		dimv(y, 0, &c->batch);
		dimv(y, 1, &c->channels);
	} else if (r >= 2) {
		int ch = r >= 4 ? 1 : r - 1;

		dimv(y, 0, &c->batch);
		dimv(y, ch, &c->channels);
		for (i = 1; i < r; i++)
			if (i != ch && dimv(y, i, &v) == 0)
				c->spatial = mul(c, c->spatial, v);
	}
}

const char *const gp_kclass_names[GP_KC_N + 1] = {
	"other", "elementwise", "transcendental", "row", "pool", "move", "gemv", NULL,
};

int
gp_kclass_from_name(const char *name)
{
	int c;

	for (c = 1; name && c < GP_KC_N; c++)
		if (!strcmp(gp_kclass_names[c], name))
			return c;
	return GP_KC_OTHER;
}

int
gp_op_cost(struct gp_graph *g, struct gp_node *n, struct gp_cost *c)
{
	const struct gp_op *op = gp_op_find(n->domain, n->op);
	int rc;

	memset(c, 0, sizeof *c);
	c->read0 = -1;
	g->op_find = gp_op_find;
	g->op_cost = gp_op_cost;
	gp_op_err[0] = '\0';
	rc = op && op->cost ? op->cost(g, n, c, op->fpe) : -1;
	if (rc == -2)
		gp_die("%s: node '%s' (%s): %s", g->s->src, n->name, n->op, gp_op_err);
	if (!c->kind)
		c->kind = lower(g, op, n);
	parallelism(g, n, c);
	return rc;
}
