/* tflite-ops.c - the op tables of the "tflite" domain (TFLite's builtin ops)
 * and of "tflite.custom" (the custom ops gp knows): each op's shape and cost
 * functions, whose families are the tflite-op-*.c files (tflite-op.h)
 */
#include <stdio.h>
#include <string.h>

#include "gp.h"
#include "op.h"
#include "tflite-op.h"

/* Keep sorted by name (strcmp): found by binary search. Columns as ops.c's:
 * op, domain, shape function, cost function, class, FLOPs per element, flags. */
const struct gp_op gp_tflite_ops[] = {
	{"ABS", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"ADD", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"ADD_N", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, -1, 0},
	{"ARG_MAX", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"ARG_MIN", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"ATAN2", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"AVERAGE_POOL_2D", "tflite", gp_tfl_sh_pool, gp_tfl_c_pool, GP_C_POOL, 1, 0},
	{"BATCH_MATMUL", "tflite", gp_tfl_sh_bmm, gp_tfl_c_bmm, GP_C_DENSE, 0, 0},
	{"BATCH_TO_SPACE_ND", "tflite", NULL, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"BROADCAST_TO", "tflite", gp_tfl_sh_tile, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"CAST", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 0, 0},
	{"CEIL", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"CONCATENATION", "tflite", gp_tfl_sh_concat, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"CONV_2D", "tflite", gp_tfl_sh_conv, gp_tfl_c_conv, GP_C_DENSE, 0, 0},
	{"COS", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"CUMSUM", "tflite", gp_tfl_sh_same, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"DENSIFY", "tflite", gp_tfl_sh_same, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"DEPTHWISE_CONV_2D", "tflite", gp_tfl_sh_conv, gp_tfl_c_conv, GP_C_DENSE, 0, 0},
	{"DEPTH_TO_SPACE", "tflite", gp_tfl_sh_depthspace, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"DEQUANTIZE", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"DIV", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"ELU", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 3, GP_OP_TRANS},
	{"EQUAL", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"EXP", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"EXPAND_DIMS", "tflite", gp_tfl_sh_expand, gp_tfl_c_none, GP_C_VIEW, 0, 0},
	{"FILL", "tflite", gp_tfl_sh_tile, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"FLOOR", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"FLOOR_DIV", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"FLOOR_MOD", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"FULLY_CONNECTED", "tflite", gp_tfl_sh_fc, gp_tfl_c_fc, GP_C_DENSE, 0, 0},
	{"GATHER", "tflite", gp_tfl_sh_gather, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"GATHER_ND", "tflite", NULL, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"GELU", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 5, GP_OP_TRANS},
	{"GREATER", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"GREATER_EQUAL", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"HARD_SWISH", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 5, 0},
	{"IF", "tflite", gp_tfl_sh_if, gp_tfl_c_if, GP_C_CONTROL, 0, 0},
	{"L2_NORMALIZATION", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ROW, 3, 0},
	{"L2_POOL_2D", "tflite", gp_tfl_sh_pool, gp_tfl_c_pool, GP_C_POOL, 2, 0},
	{"LEAKY_RELU", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"LESS", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"LESS_EQUAL", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"LOCAL_RESPONSE_NORMALIZATION", "tflite", gp_tfl_sh_same, gp_tfl_c_lrn, GP_C_ROW, 0, 0},
	{"LOG", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"LOGICAL_AND", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"LOGICAL_NOT", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"LOGICAL_OR", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"LOGISTIC", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 4, GP_OP_TRANS},
	{"LOG_SOFTMAX", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ROW, 5, 0},
	{"MAXIMUM", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"MAX_POOL_2D", "tflite", gp_tfl_sh_pool, gp_tfl_c_pool, GP_C_POOL, 1, 0},
	{"MEAN", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"MINIMUM", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"MIRROR_PAD", "tflite", gp_tfl_sh_pad, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"MUL", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"NEG", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"NOT_EQUAL", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"PACK", "tflite", gp_tfl_sh_pack, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"PAD", "tflite", gp_tfl_sh_pad, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"PADV2", "tflite", gp_tfl_sh_pad, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"POW", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"PRELU", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"QUANTIZE", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 3, 0},
	{"RANK", "tflite", NULL, gp_tfl_c_none, GP_C_FREE, 0, 0},
	{"REDUCE_ALL", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"REDUCE_ANY", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"REDUCE_MAX", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"REDUCE_MIN", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"REDUCE_PROD", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"RELU", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"RELU6", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"RELU_0_TO_1", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"RELU_N1_TO_1", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"RESHAPE", "tflite", gp_tfl_sh_reshape, gp_tfl_c_none, GP_C_VIEW, 0, 0},
	{"RESIZE_BILINEAR", "tflite", gp_tfl_sh_resize, gp_tfl_c_resize, GP_C_MOVE, 0, 0},
	{"RESIZE_NEAREST_NEIGHBOR", "tflite", gp_tfl_sh_resize, gp_tfl_c_resize, GP_C_MOVE, 0, 0},
	{"REVERSE_V2", "tflite", gp_tfl_sh_same, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"ROUND", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"RSQRT", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"SELECT", "tflite", gp_tfl_sh_select, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SELECT_V2", "tflite", gp_tfl_sh_select, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SHAPE", "tflite", gp_tfl_sh_shape, gp_tfl_c_none, GP_C_FREE, 0, 0},
	{"SIGN", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SIN", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"SLICE", "tflite", gp_tfl_sh_slice, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SOFTMAX", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ROW, 5, 0},
	{"SPACE_TO_BATCH_ND", "tflite", NULL, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SPACE_TO_DEPTH", "tflite", gp_tfl_sh_depthspace, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SPLIT", "tflite", gp_tfl_sh_split, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SPLIT_V", "tflite", gp_tfl_sh_split, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SQRT", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SQUARE", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SQUARED_DIFFERENCE", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 2, 0},
	{"SQUEEZE", "tflite", gp_tfl_sh_squeeze, gp_tfl_c_none, GP_C_VIEW, 0, 0},
	{"STRIDED_SLICE", "tflite", gp_tfl_sh_slice, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"SUB", "tflite", gp_tfl_sh_binary, gp_tfl_c_elem, GP_C_ELEM, 1, 0},
	{"SUM", "tflite", gp_tfl_sh_reduce, gp_tfl_c_reduce, GP_C_ROW, 1, 0},
	{"TANH", "tflite", gp_tfl_sh_same, gp_tfl_c_elem, GP_C_ELEM, 1, GP_OP_TRANS},
	{"TILE", "tflite", gp_tfl_sh_tile, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"TOPK_V2", "tflite", gp_tfl_sh_topk, gp_tfl_c_topk, GP_C_ROW, 0, 0},
	{"TRANSPOSE", "tflite", gp_tfl_sh_transpose, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"TRANSPOSE_CONV", "tflite", gp_tfl_sh_tconv, gp_tfl_c_tconv, GP_C_DENSE, 0, 0},
	{"UNPACK", "tflite", gp_tfl_sh_pack, gp_tfl_c_move, GP_C_MOVE, 0, 0},
	{"WHILE", "tflite", NULL, gp_tfl_c_unknown, GP_C_CONTROL, 0, 0},
	{"ZEROS_LIKE", "tflite", gp_tfl_sh_same, gp_tfl_c_move, GP_C_MOVE, 0, 0},
};
const size_t gp_tflite_nops = sizeof gp_tflite_ops / sizeof gp_tflite_ops[0];

/* The custom ops of MediaPipe's models gp knows (by their custom_code). */
const struct gp_op gp_tflite_custom_ops[] = {
	{"Convolution2DTransposeBias", "tflite.custom", gp_tfl_sh_tconv, gp_tfl_c_tconv, GP_C_DENSE, 0, 0},
};
const size_t gp_tflite_ncustom = sizeof gp_tflite_custom_ops / sizeof gp_tflite_custom_ops[0];

/* gp_tflite_op_doc: what op costs in FLOPs, as docs/counting.md's table says */
const char *
gp_tflite_op_doc(const struct gp_op *op)
{
	static char b[96];
	int (*f)(struct gp_graph *, struct gp_node *, struct gp_cost *, int) = op->cost;

	if (f == gp_tfl_c_elem && op->fpe == -1)
		snprintf(b, sizeof b, "n-1 per output element (n inputs)");
	else if (f == gp_tfl_c_elem)
		snprintf(b, sizeof b, "%d per output element", op->fpe);
	else if (f == gp_tfl_c_reduce)
		snprintf(b, sizeof b, "%d per input element", op->fpe);
	else if (f == gp_tfl_c_pool)
		snprintf(b, sizeof b, "%d per window element per output", op->fpe);
	else if (f == gp_tfl_c_conv || f == gp_tfl_c_tconv || f == gp_tfl_c_fc)
		snprintf(b, sizeof b, "2 per MAC; + 1 per output for a bias");
	else if (f == gp_tfl_c_bmm)
		snprintf(b, sizeof b, "2 per MAC");
	else if (f == gp_tfl_c_resize && !strcmp(op->name, "RESIZE_BILINEAR"))
		snprintf(b, sizeof b, "3 (2^k - 1) per output element, k resized axes");
	else if (f == gp_tfl_c_lrn)
		snprintf(b, sizeof b, "2 (2 radius + 1) + 3 per element");
	else if (f == gp_tfl_c_topk)
		snprintf(b, sizeof b, "log2(K), rounded up, at least 1, per input element");
	else if (f == gp_tfl_c_if)
		snprintf(b, sizeof b, "the costlier subgraph");
	else if (f == gp_tfl_c_unknown)
		snprintf(b, sizeof b, "unknown (trip count)");
	else
		snprintf(b, sizeof b, "0");
	return b;
}
