/* tflite.c - load a TFLite model into a gp stream without touching its weights
 *
 * A .tflite file is a FlatBuffer (flatbuf.c) whose root is a Model, as
 * TensorFlow's schema.fbs (tensorflow/compiler/mlir/lite/schema/schema.fbs,
 * file_identifier "TFL3") defines it. The field ids read here, each the
 * declaration order of the field in its table there (a union takes two ids,
 * its type then its value; deprecated fields keep theirs):
 *
 *   Model:          0 version, 1 operator_codes, 2 subgraphs, 3 description,
 *                   4 buffers, 5 metadata_buffer (not read), 6 metadata, 7 signature_defs
 *   OperatorCode:   0 deprecated_builtin_code (byte), 1 custom_code, 2 version,
 *                   3 builtin_code (int); the op is the larger of 0 and 3
 *   SubGraph:       0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name
 *   Tensor:         0 shape, 1 type, 2 buffer, 3 name, 4 quantization,
 *                   5 is_variable, 6 sparsity, 7 shape_signature, 8 has_rank
 *   QuantizationParameters: 0 min, 1 max, 2 scale, 3 zero_point,
 *                   4 details_type, 5 details, 6 quantized_dimension
 *   SparsityParameters: 0 traversal_order, 1 block_map, 2 dim_metadata;
 *                   DimensionMetadata: 0 format, 1 dense_size
 *   Operator:       0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type,
 *                   4 builtin_options, 5 custom_options, 6 custom_options_format,
 *                   9 large_custom_options_offset, 10 large_custom_options_size,
 *                   11 builtin_options_2_type, 12 builtin_options_2
 *   Buffer:         0 data, 1 offset, 2 size (data outside the FlatBuffer when offset > 1)
 *   Metadata:       0 name, 1 buffer
 *   SignatureDef:   0 inputs, 1 outputs, 2 signature_key, 4 subgraph_index
 *   TensorMap:      0 name, 1 tensor_index
 *
 * The builtin options tables (the BuiltinOptions and BuiltinOptions2 unions,
 * in union order) are described field by field in opts[] and opts2[] below,
 * in the same way. The BuiltinOperator and TensorType enums are tflite_ops[]
 * and the switch in dtype_of().
 *
 * Every subgraph becomes a graph record (0 the main one, the others
 * "function"s called by index: WHILE, IF, CALL_ONCE name them in their
 * options), every tensor a tensor record, every operator a node record of
 * domain "tflite" (builtin ops, by their BuiltinOperator name) or
 * "tflite.custom" (custom ops, by their custom_code), its builtin options
 * as attributes. Buffers are described by their sizes and never read, but for
 * the values of tensors of at most data_limit elements. Memory does not grow
 * with the weights: the file is mapped, and only tables are visited.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <sha2.h>

#include "gp.h"

#define KEEP_PAYLOAD 4096       /* graph_sha256 hashes buffers up to this size; larger by size only */
#define MAX_RANK 64             /* a tensor of more dims is refused */
#define TEXT_META 256           /* metadata buffers up to this size are written as text */

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
#define OP_CUSTOM 32

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

/* dtype_of maps a TensorType to an ONNX dtype number; 0 for RESOURCE and
 * VARIANT (no element type), -1 for a number schema.fbs does not define */
static int
dtype_of(int64_t tt)
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

/* A loaded buffer: where its bytes are, if anywhere. */
struct buf {
	size_t pos;             /* in the file */
	uint64_t len;
	int present;            /* holds data (a constant) */
};

struct sub {
	int ntens;
	const char **tname;     /* tensor index -> its (unique) name, decoded */
};

struct tl {
	struct gp_stream *s;
	const char *path;
	struct gp_fb f;
	int data_limit;
	struct gp_table *tt, *nt, *gt, *st;
	struct buf *bufs;
	uint32_t nbuf;
	const char **opname, **opdomain;   /* by opcode index */
	uint32_t ncode;
	struct sub *subs;
	uint32_t nsub;
	uint64_t work, limit;   /* vector elements visited, and the most allowed */
	struct gp_map nodenames;
	struct gp_buf b;        /* scratch */
};

#define LDIE(L, ...) do { \
	char m_[512]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	gp_die("%s: %s", (L)->path, m_); } while (0)

/* what a load holds on the heap, for gp_die to free (a fuzz harness goes on) */
static struct tl *live;

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

int
gp_is_tflite(const uint8_t *p, size_t n)
{
	return n >= 8 && memcmp(p + 4, "TFL3", 4) == 0;
}

/* check dies if the FlatBuffer reader has found anything malformed */
static void
check(struct tl *L)
{
	if (L->f.err)
		LDIE(L, "not a valid TFLite model: at byte %zu: %s", L->f.at, L->f.err);
}

/* visit counts n vector elements (or string bytes) about to be read or
 * written: a file can point many tables at one long vector or string, and
 * this bounds the work (and the output) to a multiple of the file's size */
static void
visit(struct tl *L, uint64_t n)
{
	L->work += n;
	if (L->work > L->limit)
		LDIE(L, "not a valid TFLite model: its tables refer to more data than the file holds "
		    "(vectors shared many times)");
}

/* text: the bytes s[0..n) up to any NUL, in arena memory */
static const char *
text(struct tl *L, const char *s, size_t n)
{
	const char *z = s ? memchr(s, 0, n) : NULL;

	visit(L, n);
	if (z)
		n = (size_t)(z - s);
	return gp_arena_strndup(&L->s->arena, s ? s : "", s ? n : 0);
}

static const char *
esc(struct tl *L, const char *s)
{
	gp_buf_reset(&L->b);
	gp_esc(&L->b, s, strlen(s));
	return gp_arena_strndup(&L->s->arena, L->b.buf ? L->b.buf : "", L->b.len);
}

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

/* ---- values ---- */

static float
half(uint16_t h)
{
	int e = h >> 10 & 31, m = h & 1023;
	float v = e == 0 ? ldexpf((float)m, -24) : e == 31 ? (m ? NAN : INFINITY) :
	    ldexpf((float)(m + 1024), e - 25);

	return h & 0x8000 ? -v : v;
}

static uint64_t
le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

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
		uint64_t u;
		float f;
		double d;

		if (i)
			gp_buf_addc(b, ',');
		switch (dt) {
		case 1:
			u = le(p + 4 * i, 4);
			{
				uint32_t w = (uint32_t)u;

				memcpy(&f, &w, 4);
			}
			gp_fmt_float(b, f);
			break;
		case 11:
			u = le(p + 8 * i, 8);
			memcpy(&d, &u, 8);
			gp_fmt_double(b, d);
			break;
		case 10: gp_fmt_float(b, half((uint16_t)le(p + 2 * i, 2))); break;
		case 16: {
			uint32_t w = (uint32_t)le(p + 2 * i, 2) << 16;

			memcpy(&f, &w, 4);
			gp_fmt_float(b, f);
			break;
		}
		case 2: gp_buf_printf(b, "%u", (unsigned)p[i]); break;
		case 3: gp_buf_printf(b, "%d", (int)(int8_t)p[i]); break;
		case 9: gp_buf_addc(b, p[i] ? '1' : '0'); break;
		case 4: gp_buf_printf(b, "%u", (unsigned)le(p + 2 * i, 2)); break;
		case 5: gp_buf_printf(b, "%d", (int)(int16_t)le(p + 2 * i, 2)); break;
		case 6: gp_buf_printf(b, "%d", (int)(int32_t)le(p + 4 * i, 4)); break;
		case 12: gp_buf_printf(b, "%u", (unsigned)le(p + 4 * i, 4)); break;
		case 7: gp_buf_printf(b, "%lld", (long long)(int64_t)le(p + 8 * i, 8)); break;
		case 13: gp_buf_printf(b, "%llu", (unsigned long long)le(p + 8 * i, 8)); break;
		case 22: {
			int v = p[i / 2] >> (4 * (i % 2)) & 15;

			gp_buf_printf(b, "%d", v >= 8 ? v - 16 : v);
			break;
		}
		default:
			return -1;
		}
	}
	gp_buf_addc(b, ']');
	return 0;
}

/* ---- options ---- */

/* vec_text writes vector field id of t, of elements of type c, as "[...]" */
static void
vec_text(struct tl *L, struct gp_buf *b, const struct gp_fbt *t, int id, int c)
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
			vec_text(L, b, t, fid, c);
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
			int dt = dtype_of(v);

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

/* ---- tensors ---- */

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
	vec_text(L, b, sp, 0, 'I');
	if (gp_fb_has(&L->f, sp, 1)) {
		gp_buf_adds(b, ";block_map=");
		vec_text(L, b, sp, 1, 'I');
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

/* ---- loading ---- */

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
			L->opname[i] = op >= 0 && (uint64_t)op < NTFLITE_OPS ? tflite_ops[op] :
			    gp_arena_printf(&L->s->arena, "BUILTIN_%lld", (long long)op);
			L->opdomain[i] = "tflite";
		}
	}
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

/* heap of operator indices, smallest first: the ready operators of a topological sort */
static void
hpush(uint32_t *h, uint32_t *n, uint32_t v)
{
	uint32_t i = (*n)++;

	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static uint32_t
hpop(uint32_t *h, uint32_t *n)
{
	uint32_t top = h[0], v = h[--*n], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

/* order: the operators in a topological order, file order among the ready
 * ones (so a file in execution order keeps it); dies on a cycle */
static uint32_t *
order(struct tl *L, const struct op *ops, uint32_t nop, const int *prod, const char *gname)
{
	struct gp_arena *A = &L->s->arena;
	uint32_t *deg = gp_arena_alloc(A, ((size_t)nop + 1) * sizeof *deg);
	uint32_t *e0 = gp_arena_alloc(A, ((size_t)nop + 2) * sizeof *e0), *adj, *fill;
	uint32_t *heap = gp_arena_alloc(A, ((size_t)nop + 1) * sizeof *heap), nh = 0, no = 0;
	uint32_t *out = gp_arena_alloc(A, ((size_t)nop + 1) * sizeof *out), i, j, ne = 0;
	int pass;

	memset(e0, 0, ((size_t)nop + 2) * sizeof *e0);
	memset(deg, 0, ((size_t)nop + 1) * sizeof *deg);
	adj = fill = NULL;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nop; i++) {
			for (j = 0; j < ops[i].in.len; j++) {
				int64_t t = gp_fb_vint(&L->f, &ops[i].in, j);
				int p = t >= 0 ? prod[t] : -1;

				if (p < 0)
					continue;
				if (pass) {
					adj[fill[p]++] = i;
					deg[i]++;
				} else {
					e0[p + 1]++;
					ne++;
				}
			}
		}
		if (!pass) {
			for (i = 0; i < nop; i++)
				e0[i + 1] += e0[i];
			adj = gp_arena_alloc(A, ((size_t)ne + 1) * sizeof *adj);
			fill = gp_arena_alloc(A, ((size_t)nop + 1) * sizeof *fill);
			for (i = 0; i < nop; i++)
				fill[i] = e0[i];
		}
	}
	for (i = 0; i < nop; i++)
		if (deg[i] == 0)
			hpush(heap, &nh, i);
	while (nh > 0) {
		i = hpop(heap, &nh);
		out[no++] = i;
		for (j = e0[i]; j < e0[i + 1]; j++)
			if (--deg[adj[j]] == 0)
				hpush(heap, &nh, adj[j]);
	}
	if (no < nop) {
		for (i = 0; i < nop && deg[i] == 0; i++)
			;
		LDIE(L, "subgraph '%s' has a cycle (through operator %u, %s)", gname, i,
		    L->opname[ops[i].code]);
	}
	return out;
}

/* load_subgraph writes subgraph k: its graph record, its tensor records in
 * file order, its node records in a topological order. Dies on a tensor or
 * opcode index out of range, an input listed twice, a tensor written twice
 * or written while it is an input or a constant, an unknown tensor type, a
 * dim below -1, a rank over MAX_RANK, a buffer that does not exist or does
 * not hold what its tensor's shape and type need, and a cycle. */
static void
load_subgraph(struct tl *L, int k, const struct gp_fbt *sg)
{
	struct gp_stream *s = L->s;
	struct gp_arena *A = &s->arena;
	struct gp_fbv tv, iv, ov, opv;
	struct gp_map seen = {0};
	struct gp_buf q = {0}, sp = {0}, d = {0};
	const char *gname, *sn;
	size_t n;
	int ntens, *prod, *inpos, i, j;
	char *role;
	struct op *ops;
	uint32_t nop, *ord, u;
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

	/* tensor records, in the file's order */
	for (i = 0; i < ntens; i++) {
		struct gp_fbt t, qt, spt;
		struct gp_fbv shp, sig;
		int64_t type, bi, numel = 1;
		int dt, rank, c, unknown = 0, constant;
		const char *nm = L->subs[k].tname[i];
		struct buf *bf = NULL;
		struct gp_buf sh = {0};

		gp_fb_vtable(&L->f, &tv, (size_t)i, &t);
		type = gp_fb_int(&L->f, &t, 1, 1, 0);
		bi = (int64_t)gp_fb_uint(&L->f, &t, 2, 4, 0);
		gp_fb_vector(&L->f, &t, 0, 4, &shp);
		gp_fb_vector(&L->f, &t, 7, 4, &sig);
		check(L);
		if ((dt = dtype_of(type)) < 0)
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

	/* node records, in a topological order */
	ord = order(L, ops, nop, prod, gname);
	for (u = 0; u < nop; u++) {
		struct op *o = &ops[ord[u]];
		struct gp_buf ab = {0}, lb = {0};
		int64_t ty;
		struct gp_fbt ot;

		visit(L, 2 * strlen(L->opname[o->code]));
		r = gp_table_addrow(s, L->nt);
		gp_table_set(s, L->nt, 0, r, esc(L, uniq(L, &L->nodenames,
		    gp_arena_printf(A, "%s_%u", L->opname[o->code], ord[u]))));
		gp_table_set(s, L->nt, 1, r, esc(L, L->opname[o->code]));
		gp_table_set(s, L->nt, 2, r, L->opdomain[o->code]);
		for (j = 0; j < 2; j++) {
			struct gp_fbv *v = j ? &o->out : &o->in;
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
			options(L, &ab, (uint64_t)ty < NOPTS ? opts[ty] : "", &ot);
		ty = (int64_t)gp_fb_uint(&L->f, &o->t, 11, 1, 0);
		if (ty > 0 && gp_fb_table(&L->f, &o->t, 12, &ot))
			options(L, &ab, (uint64_t)ty < NOPTS2 ? opts2[ty] : "", &ot);
		check(L);
		if (!strcmp(L->opdomain[o->code], "tflite.custom")) {
			struct gp_fbv cv;
			uint64_t big = gp_fb_uint(&L->f, &o->t, 10, 8, 0);

			if (gp_fb_vector(&L->f, &o->t, 5, 1, &cv) && cv.len > 0) {
				if (cv.len <= 64) {
					visit(L, cv.len);
					gp_buf_printf(&ab, "%scustom_options=", ab.len ? ";" : "");
					vec_text(L, &ab, &o->t, 5, 'B');
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

/* signature records: for each signature, one record per input and output */
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

/* ##metadata lines: a short text buffer as its text, anything else by its size */
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
		load_subgraph(&L, (int)k, &sg);
	}
	load_signatures(&L, &model);
	release();
}
