/* tflite-schema.c - TFLite's schema.fbs as tables: the BuiltinOperator
 * names, the TensorType numbers, the builtin options tables field by field
 * and their enums, and an options table written as attributes
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "tflite.h"

static const char *const tflite_ops[] = {
	"ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
	"DEPTH_TO_SPACE", "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED",
	"HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION",
	"LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1",
	"RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF",
	"TANH", "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE",
	"PAD", "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND",
	"SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE",
	"UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP",
	"TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST",
	"PRELU", "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER",
	"GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV",
	"SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT",
	"RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK",
	"LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN",
	"FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE",
	"RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS",
	"SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK",
	"ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND",
	"HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5",
	"SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL",
	"PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D",
	"CONV_3D", "IMAG", "REAL", "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND",
	"HASHTABLE_IMPORT", "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE",
	"READ_VARIABLE", "ASSIGN_VARIABLE", "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL",
	"BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL", "GELU", "DYNAMIC_UPDATE_SLICE",
	"RELU_0_TO_1", "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM",
	"ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT",
	"STABLEHLO_LOGISTIC", "STABLEHLO_ADD", "STABLEHLO_DIVIDE", "STABLEHLO_MULTIPLY",
	"STABLEHLO_MAXIMUM", "STABLEHLO_RESHAPE", "STABLEHLO_CLAMP", "STABLEHLO_CONCATENATE",
	"STABLEHLO_BROADCAST_IN_DIM", "STABLEHLO_CONVOLUTION", "STABLEHLO_SLICE",
	"STABLEHLO_CUSTOM_CALL", "STABLEHLO_REDUCE", "STABLEHLO_ABS", "STABLEHLO_AND",
	"STABLEHLO_COSINE", "STABLEHLO_EXPONENTIAL", "STABLEHLO_FLOOR", "STABLEHLO_LOG",
	"STABLEHLO_MINIMUM", "STABLEHLO_NEGATE", "STABLEHLO_OR", "STABLEHLO_POWER",
	"STABLEHLO_REMAINDER", "STABLEHLO_RSQRT", "STABLEHLO_SELECT", "STABLEHLO_SUBTRACT",
	"STABLEHLO_TANH", "STABLEHLO_SCATTER", "STABLEHLO_COMPARE", "STABLEHLO_CONVERT",
	"STABLEHLO_DYNAMIC_SLICE", "STABLEHLO_DYNAMIC_UPDATE_SLICE", "STABLEHLO_PAD",
	"STABLEHLO_IOTA", "STABLEHLO_DOT_GENERAL", "STABLEHLO_REDUCE_WINDOW", "STABLEHLO_SORT",
	"STABLEHLO_WHILE", "STABLEHLO_GATHER", "STABLEHLO_TRANSPOSE", "DILATE",
	"STABLEHLO_RNG_BIT_GENERATOR", "REDUCE_WINDOW", "STABLEHLO_COMPOSITE", "COMPLEX",
};
#define NTFLITE_OPS (sizeof tflite_ops / sizeof tflite_ops[0])


/* The options tables, by their union type (1, 2, ...): "field:T ..." in
 * field-id order. T is b bool, c byte, i int, u uint, l long, f float, s
 * string, x a deprecated field (skipped, its id kept); an enum P Padding, A
 * ActivationFunctionType, T TensorType, M MirrorPadMode, K LSTMKernelType, C
 * CombinerType, W FullyConnectedOptionsWeightsFormat, L LSHProjectionType, R
 * RngAlgorithm (bytes), Q ReduceWindowFunction (int); a vector I [int], J
 * [long], F [float], B [bool] or [ubyte], U [uint]. "=V" is the default when
 * it is not 0; a trailing "?" leaves the field out when it has its default. */
static const char *const opts[] = {
	NULL,
	"padding:P stride_w:i stride_h:i fused_activation_function:A dilation_w_factor:i=1 "
	    "dilation_h_factor:i=1 quantized_bias_type:T?",                 /* 1 Conv2DOptions */
	"padding:P stride_w:i stride_h:i depth_multiplier:i fused_activation_function:A "
	    "dilation_w_factor:i=1 dilation_h_factor:i=1",                  /* 2 DepthwiseConv2DOptions */
	"num_channels:i num_columns_per_channel:I embedding_dim_per_channel:I",
	"type:L",                                                           /* 4 LSHProjectionOptions */
	"padding:P stride_w:i stride_h:i filter_width:i filter_height:i fused_activation_function:A",
	"rank:i fused_activation_function:A asymmetric_quantize_inputs:b?", /* 6 SVDFOptions */
	"fused_activation_function:A asymmetric_quantize_inputs:b?",        /* 7 RNNOptions */
	"fused_activation_function:A weights_format:W keep_num_dims:b asymmetric_quantize_inputs:b? "
	    "quantized_bias_type:T?",                                       /* 8 FullyConnectedOptions */
	"beta:f",                                                           /* 9 SoftmaxOptions */
	"axis:i fused_activation_function:A",                               /* 10 ConcatenationOptions */
	"fused_activation_function:A pot_scale_int16:b=1?",                 /* 11 AddOptions */
	"fused_activation_function:A",                                      /* 12 L2NormOptions */
	"radius:i bias:f alpha:f beta:f",                   /* 13 LocalResponseNormalizationOptions */
	"fused_activation_function:A cell_clip:f proj_clip:f kernel_type:K "
	    "asymmetric_quantize_inputs:b?",                                /* 14 LSTMOptions */
	"new_height:x new_width:x align_corners:b half_pixel_centers:b",   /* 15 ResizeBilinearOptions */
	"subgraph:u",                                                       /* 16 CallOptions */
	"new_shape:I",                                                      /* 17 ReshapeOptions */
	"ngram_size:i max_skip_size:i include_all_ngrams:b",                /* 18 SkipGramOptions */
	"block_size:i",                                                     /* 19 SpaceToDepthOptions */
	"combiner:C",                                           /* 20 EmbeddingLookupSparseOptions */
	"fused_activation_function:A",                                      /* 21 MulOptions */
	/* 22 Pad, 23 Gather, 24 BatchToSpaceND, 25 SpaceToBatchND, 26 Transpose */
	"", "axis:i batch_dims:i", "", "", "",
	"keep_dims:b",                                                      /* 27 ReducerOptions */
	"fused_activation_function:A pot_scale_int16:b=1?",                 /* 28 SubOptions */
	"fused_activation_function:A",                                      /* 29 DivOptions */
	"squeeze_dims:I",                                                   /* 30 SqueezeOptions */
	"time_major:b fused_activation_function:A asymmetric_quantize_inputs:b?",   /* 31 SequenceRNN */
	"begin_mask:i end_mask:i ellipsis_mask:i new_axis_mask:i shrink_axis_mask:i offset:b", /* 32 */
	"", "",                                                             /* 33 Exp 34 TopKV2 */
	"num_splits:i",                                                     /* 35 SplitOptions */
	"",                                                                 /* 36 LogSoftmax */
	"in_data_type:T out_data_type:T",                                   /* 37 CastOptions */
	"", "",                                                 /* 38 Dequantize 39 MaximumMinimum */
	"output_type:T",                                                    /* 40 ArgMaxOptions */
	/* 41 Less, 42 Neg, 43 PadV2, 44 Greater, 45 GreaterEqual, 46 LessEqual, 47 Select, 48 Slice */
	"", "", "", "", "", "", "", "",
	"padding:P stride_w:i stride_h:i fused_activation_function:A quantized_bias_type:T?", /* 49 */
	"validate_indices:b",                                   /* 50 SparseToDenseOptions */
	"", "", "", "",                     /* 51 Tile 52 ExpandDims 53 Equal 54 NotEqual */
	"out_type:T",                                                       /* 55 ShapeOptions */
	"",                                                                 /* 56 Pow */
	"output_type:T",                                                    /* 57 ArgMinOptions */
	"min:f max:f num_bits:i narrow_range:b",                            /* 58 FakeQuantOptions */
	"values_count:i axis:i",                                            /* 59 PackOptions */
	"",                                                                 /* 60 LogicalOr */
	"axis:i",                                                           /* 61 OneHotOptions */
	"", "",                                                 /* 62 LogicalAnd 63 LogicalNot */
	"num:i axis:i",                                                     /* 64 UnpackOptions */
	"", "", "", "",                     /* 65 FloorDiv 66 Square 67 ZerosLike 68 Fill */
	"fused_activation_function:A cell_clip:f proj_clip:f merge_outputs:b time_major:b=1 "
	    "asymmetric_quantize_inputs:b?",                    /* 69 BidirectionalSequenceLSTMOptions */
	"time_major:b fused_activation_function:A merge_outputs:b asymmetric_quantize_inputs:b?",
	"fused_activation_function:A cell_clip:f proj_clip:f time_major:b "
	    "asymmetric_quantize_inputs:b? diagonal_recurrent_tensors:b?",  /* 71 UnidirectionalSequenceLSTM */
	"", "",                                                 /* 72 FloorMod 73 Range */
	"align_corners:b half_pixel_centers:b",                 /* 74 ResizeNearestNeighborOptions */
	"alpha:f",                                                          /* 75 LeakyReluOptions */
	"",                                                                 /* 76 SquaredDifference */
	"mode:M",                                                           /* 77 MirrorPadOptions */
	"",                                                                 /* 78 Abs */
	"num_splits:i",                                                     /* 79 SplitVOptions */
	"idx_out_type:T=2",                                                 /* 80 UniqueOptions */
	"", "", "", "", "", "",             /* 81 ReverseV2 82 AddN 83 GatherNd 84 Cos 85 Where 86 Rank */
	"seq_dim:i batch_dim:i",                                /* 87 ReverseSequenceOptions */
	"", "", "", "",                     /* 88 MatrixDiag 89 Quantize 90 MatrixSetDiag 91 HardSwish */
	"then_subgraph_index:i else_subgraph_index:i",                      /* 92 IfOptions */
	"cond_subgraph_index:i body_subgraph_index:i",                      /* 93 WhileOptions */
	"block_size:i",                                                     /* 94 DepthToSpaceOptions */
	/* 95 NonMaxSuppressionV4, 96 V5, 97 ScatterNd, 98 SelectV2, 99 Densify, 100 SegmentSum */
	"", "", "", "", "", "",
	"adj_x:b adj_y:b asymmetric_quantize_inputs:b?",                    /* 101 BatchMatMulOptions */
	"exclusive:b reverse:b",                                            /* 102 CumsumOptions */
	"init_subgraph_index:i",                                            /* 103 CallOnceOptions */
	"", "",                                                 /* 104 BroadcastTo 105 Rfft2d */
	"padding:P stride_d:i stride_w:i stride_h:i fused_activation_function:A "
	    "dilation_d_factor:i=1 dilation_w_factor:i=1 dilation_h_factor:i=1",    /* 106 Conv3DOptions */
	"table_id:i key_dtype:T value_dtype:T",                             /* 107 HashtableOptions */
	"", "", "",                         /* 108 HashtableFind 109 HashtableImport 110 HashtableSize */
	"container:s shared_name:s",                                        /* 111 VarHandleOptions */
	"", "",                                                 /* 112 ReadVariable 113 AssignVariable */
	"seed:l seed2:l",                                                   /* 114 RandomOptions */
	"boundaries:F",                                                     /* 115 BucketizeOptions */
	"approximate:b",                                                    /* 116 GeluOptions */
	"", "", "", "", "", "", "", "", "", "", "",
	/* 117 DynamicUpdateSlice 118 UnsortedSegmentProd 119 UnsortedSegmentMax 120 UnsortedSegmentMin
	 * 121 UnsortedSegmentSum 122 ATan2 123 Sign 124 Bitcast 125 BitwiseXor 126 RightShift, and one spare */
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *const opts2[] = {
	NULL,
	"dimension:l",                                          /* 1 StablehloConcatenateOptions */
	"broadcast_dimensions:J",                               /* 2 StablehloBroadcastInDimOptions */
	"start_indices:J limit_indices:J strides:J",            /* 3 StablehloSliceOptions */
	"window_strides:J padding:J lhs_dilation:J rhs_dilation:J window_reversal:B "
	    "input_batch_dimension:l input_feature_dimension:l input_spatial_dimensions:J "
	    "kernel_input_feature_dimension:l kernel_output_feature_dimension:l "
	    "kernel_spatial_dimensions:J output_batch_dimension:l output_feature_dimension:l "
	    "output_spatial_dimensions:J feature_group_count:l batch_group_count:l precision_config:U",
	"call_target_name:s has_side_effect:b backend_config:s api_version:i called_computations:I "
	    "custom_attributes:B",                              /* 5 StablehloCustomCallOptions */
	"dimensions:J body_subgraph_index:i",                   /* 6 StablehloReduceOptions */
	"indices_are_sorted:b update_window_dims:J inserted_window_dims:J "
	    "scatter_dims_to_operand_dims:J index_vector_dim:l unique_indices:b "
	    "update_computation_subgraph_index:i",              /* 7 StablehloScatterOptions */
	"comparison_direction:u compare_type:u",                /* 8 StablehloCompareOptions */
	"slice_sizes:J",                                        /* 9 StablehloDynamicSliceOptions */
	"edge_padding_low:J edge_padding_high:J interior_padding:J",    /* 10 StablehloPadOptions */
	"iota_dimension:l",                                     /* 11 StablehloIotaOptions */
	"lhs_batching_dimensions:J rhs_batching_dimensions:J lhs_contracting_dimensions:J "
	    "rhs_contracting_dimensions:J precision_config:U",  /* 12 StablehloDotGeneralOptions */
	"window_dimensions:J window_strides:J base_dilations:J window_dilations:J padding:J "
	    "body_subgraph_index:i",                            /* 13 StablehloReduceWindowOptions */
	"dimension:l is_stable:b comparator_subgraph_index:i",  /* 14 StablehloSortOptions */
	"cond_subgraph_index:i body_subgraph_index:i",          /* 15 StablehloWhileOptions */
	"offset_dims:J collapsed_slice_dims:J start_index_map:J index_vector_dim:l slice_sizes:J "
	    "indices_are_sorted:b",                             /* 16 StablehloGatherOptions */
	"permutation:J",                                        /* 17 StablehloTransposeOptions */
	"",                                                     /* 18 DilateOptions */
	"algorithm:R",                                          /* 19 StablehloRngBitGeneratorOptions */
	"reduce_function:Q",                                    /* 20 ReduceWindowOptions */
	"name:s decomposition_subgraph_index:i composite_attributes:B composite_attributes_format:c "
	    "version:i",                                        /* 21 StableHLOCompositeOptions */
};
#define NOPTS2 (sizeof opts2 / sizeof opts2[0])

/* enum value names, by the letter opts[] gives them */
static const char *
enum_name(int letter, int64_t v)
{
	static const char *const pad[] = {"SAME", "VALID"};
	static const char *const act[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};
	static const char *const mirror[] = {"REFLECT", "SYMMETRIC"};
	static const char *const lstm[] = {"FULL", "BASIC"};
	static const char *const comb[] = {"SUM", "MEAN", "SQRTN"};
	static const char *const wfmt[] = {"DEFAULT", "SHUFFLED4x16INT8"};
	static const char *const lsh[] = {"UNKNOWN", "SPARSE", "DENSE"};
	static const char *const rng[] = {"DEFAULT", "PHILOX", "THREEFRY"};
	static const char *const redw[] = {"UNSUPPORTED", "ADD", "MUL", "MINIMUM", "MAXIMUM", "ALL", "ANY"};
	const char *const *t;
	int64_t n;

	switch (letter) {
	case 'P': t = pad; n = 2; break;
	case 'A': t = act; n = 6; break;
	case 'M': t = mirror; n = 2; break;
	case 'K': t = lstm; n = 2; break;
	case 'C': t = comb; n = 3; break;
	case 'W': t = wfmt; n = 2; break;
	case 'L': t = lsh; n = 3; break;
	case 'R': t = rng; n = 3; break;
	case 'Q': t = redw; n = 7; break;
	default: return NULL;
	}
	return v >= 0 && v < n ? t[v] : NULL;
}

/* gp_tfl_dtype maps a TensorType to an ONNX dtype number; 0 for RESOURCE and
 * VARIANT (no element type), -1 for a number schema.fbs does not define */
int
gp_tfl_dtype(int64_t tt)
{
	switch (tt) {
	case 0: return 1;       /* FLOAT32 */
	case 1: return 10;      /* FLOAT16 */
	case 2: return 6;       /* INT32 */
	case 3: return 2;       /* UINT8 */
	case 4: return 7;       /* INT64 */
	case 5: return 8;       /* STRING */
	case 6: return 9;       /* BOOL */
	case 7: return 5;       /* INT16 */
	case 8: return 14;      /* COMPLEX64 */
	case 9: return 3;       /* INT8 */
	case 10: return 11;     /* FLOAT64 */
	case 11: return 15;     /* COMPLEX128 */
	case 12: return 13;     /* UINT64 */
	case 13: case 14: return 0;     /* RESOURCE, VARIANT */
	case 15: return 12;     /* UINT32 */
	case 16: return 4;      /* UINT16 */
	case 17: return 22;     /* INT4 */
	case 18: return 16;     /* BFLOAT16 */
	}
	return -1;
}


/* gp_tfl_vec_text writes vector field id of t, of elements of type c, as "[...]" */
void
gp_tfl_vec_text(struct tl *L, struct gp_buf *b, const struct gp_fbt *t, int id, int c)
{
	size_t es = c == 'J' ? 8 : c == 'B' ? 1 : 4, i;
	struct gp_fbv v;

	gp_buf_addc(b, '[');
	if (gp_fb_vector(&L->f, t, id, es, &v)) {
		visit(L, v.len);
		for (i = 0; i < v.len; i++) {
			if (i)
				gp_buf_addc(b, ',');
			if (c == 'F')
				gp_fmt_float(b, gp_fb_vfloat(&L->f, &v, i));
			else if (c == 'U' || c == 'B')
				gp_buf_printf(b, "%llu", (unsigned long long)gp_fb_vuint(&L->f, &v, i));
			else
				gp_buf_printf(b, "%lld", (long long)gp_fb_vint(&L->f, &v, i));
		}
	}
	gp_buf_addc(b, ']');
}

/* options writes the fields of options table t, as spec describes them, to
 * b as attributes "key=value;..." */
static void
options(struct tl *L, struct gp_buf *b, const char *spec, const struct gp_fbt *t)
{
	const char *p = spec;
	char name[64];
	int id = 0;

	while (*p) {
		size_t nl = strcspn(p, ":");
		int c = p[nl + 1], omit = 0, fid = id++;
		int64_t def = 0, v;
		const char *e;

		if (nl >= sizeof name)
			nl = sizeof name - 1;
		memcpy(name, p, nl);
		name[nl] = '\0';
		p += strcspn(p, ":") + 2;
		if (*p == '=') {
			def = strtoll(p + 1, (char **)&e, 10);
			p = e;
		}
		if (*p == '?') {
			omit = 1;
			p++;
		}
		while (*p == ' ')
			p++;
		if (c == 'x')
			continue;
		if (omit && !gp_fb_has(&L->f, t, fid))
			continue;
		if (strchr("IJFBU", c)) {
			if (b->len)
				gp_buf_addc(b, ';');
			gp_buf_printf(b, "%s=", name);
			gp_tfl_vec_text(L, b, t, fid, c);
			continue;
		}
		if (c == 's') {
			size_t n;
			const char *s = gp_fb_string(&L->f, t, fid, &n);

			if (b->len)
				gp_buf_addc(b, ';');
			gp_buf_printf(b, "%s=\"", name);
			gp_esc(b, s ? s : "", s ? n : 0);
			gp_buf_addc(b, '"');
			continue;
		}
		if (c == 'f') {
			if (b->len)
				gp_buf_addc(b, ';');
			gp_buf_printf(b, "%s=", name);
			gp_fmt_float(b, gp_fb_float(&L->f, t, fid, (float)def));
			continue;
		}
		v = c == 'i' || c == 'Q' ? gp_fb_int(&L->f, t, fid, 4, def) :
		    c == 'u' ? (int64_t)gp_fb_uint(&L->f, t, fid, 4, (uint64_t)def) :
		    c == 'l' ? gp_fb_int(&L->f, t, fid, 8, def) :
		    c == 'b' ? (int64_t)gp_fb_uint(&L->f, t, fid, 1, (uint64_t)def) :
		    gp_fb_int(&L->f, t, fid, 1, def);
		if (omit && v == def)
			continue;
		if (b->len)
			gp_buf_addc(b, ';');
		if (c == 'T') {
			int dt = gp_tfl_dtype(v);

			if (dt > 0)
				gp_buf_printf(b, "%s=\"%s\"", name, gp_dtype_name(dt));
			else
				gp_buf_printf(b, "%s=%lld", name, (long long)v);
		} else if ((e = enum_name(c, v))) {
			gp_buf_printf(b, "%s=\"%s\"", name, e);
		} else {
			gp_buf_printf(b, "%s=%lld", name, (long long)v);
		}
	}
}

/* gp_tfl_builtin: the name of BuiltinOperator op, NULL for a number gp does not know */
const char *
gp_tfl_builtin(int64_t op)
{
	return op >= 0 && (uint64_t)op < NTFLITE_OPS ? tflite_ops[op] : NULL;
}

/* gp_tfl_options writes options table t, of type type of the BuiltinOptions
 * union (two: of BuiltinOptions2), to b as attributes; a type gp does not
 * know has none written */
void
gp_tfl_options(struct tl *L, struct gp_buf *b, int two, int64_t type, const struct gp_fbt *t)
{
	if (two)
		options(L, b, (uint64_t)type < NOPTS2 ? opts2[type] : "", t);
	else
		options(L, b, (uint64_t)type < NOPTS ? opts[type] : "", t);
}
