#!/usr/bin/env bats
# ONNX Runtime's contrib ops (domain com.microsoft) and the quantized ops:
# their shapes, and their costs worked out by hand here (docs/counting.md,
# "Contrib and quantized ops"). The models are made by tests/data/make-models.py.

setup() {
	load test_helper
}

# part MODEL [GP-SHAPE ARGS...]: gp-load MODEL | gp-shape ARGS | gp-partition into $S
part() {
	gp-load "$1" | gp-shape "${@:2}" | gp-partition > "$S"
}

# shape MODEL [GP-SHAPE ARGS...]: gp-load MODEL | gp-shape ARGS into $S
shape() {
	gp-load "$1" | gp-shape "${@:2}" > "$S"
}

@test "the op table: com.microsoft's ops follow the default domain's, each domain sorted for the binary search" {
	t-ops > "$BATS_TEST_TMPDIR/t"
	run -0 sh -c "grep -c '^| com\.microsoft\.' '$BATS_TEST_TMPDIR/t'"
	assert_output 25
	# the default domain's first, then com.microsoft's: no default op after the first contrib one
	run -0 awk -F' [|] ' '/^[|] com\.microsoft\./ { ms = 1; next } ms { print "late: " $1 }' "$BATS_TEST_TMPDIR/t"
	assert_output ""
	grep -v '^| com\.microsoft\.' "$BATS_TEST_TMPDIR/t" | cut -d' ' -f2 > "$BATS_TEST_TMPDIR/onnx"
	grep '^| com\.microsoft\.' "$BATS_TEST_TMPDIR/t" | cut -d' ' -f2 > "$BATS_TEST_TMPDIR/ms"
	run -0 sort -c "$BATS_TEST_TMPDIR/onnx"
	run -0 sort -c "$BATS_TEST_TMPDIR/ms"
	# onnxruntime defines SimplifiedLayerNormalization in the default domain: it is in both
	run -0 grep -c 'SimplifiedLayerNormalization | row | 4 per element |$' "$BATS_TEST_TMPDIR/t"
	assert_output 2
}

@test "Attention with a KV cache: shapes, and the MACs of QK^T and AV grow with past + S" {
	shape "$TDATA/contrib-attention.onnx" -D past=12
	# x [2,4,64], 4 heads of 64 / 4 = 16, past [2,2,4,12,16]: output [B,S,Dv], present [2,B,N,12+4,16]
	assert_equal "$(shape_of y)" "float32 [2,4,64]"
	assert_equal "$(shape_of present)" "float32 [2,2,4,16,16]"
	part "$TDATA/contrib-attention.onnx" -D past=12
	# projection: B·S·Hin·(3·64) = 2·4·64·192 = 98304 MACs; T = 12 + 4 = 16 keys,
	# scores B·N·S·T = 2·4·4·16 = 512, QK^T 512·16 = 8192 and AV 8192 MACs:
	# 98304 + 16384 = 114688. FLOPs: 2·114688 + 512 scores · 7 (scale, Softmax's
	# 5, the mask) + the bias on Q, K, V, 2·4·192 = 1536: 229376 + 3584 + 1536.
	# Bytes in: x 2·4·64·4 = 2048, mask int32 2·4 = 8, past 2·2·4·12·16·4 = 12288;
	# out: y 2048, present 2·2·4·16·16·4 = 16384; weights (64·192 + 192)·4
	run -0 col attn kind flops macs bytes_in bytes_out bytes_weight
	assert_output "$(printf 'attention\t%d\t114688\t14344\t18432\t49920' $((229376 + 3584 + 1536)))"
	run -0 total params
	assert_output $((64 * 192 + 192))
	# a decode step against 1020 cached tokens: T = 1024, QK^T and AV 2·4·4·1024·16 MACs each
	part "$TDATA/contrib-attention.onnx" -D past=1020
	run -0 col attn macs
	assert_output $((98304 + 2 * 2 * 4 * 4 * 1024 * 16))
	assert_equal "$(shape_of present)" "float32 [2,2,4,1024,16]"
}

@test "Attention: an unbound past keeps present's other dims, and the cost is '.' with a warning" {
	shape "$TDATA/contrib-attention.onnx"
	assert_equal "$(shape_of y)" "float32 [2,4,64]"
	assert_equal "$(shape_of present)" "float32 [2,2,4,?,16]"
	run --separate-stderr -0 sh -c "gp-load $TDATA/contrib-attention.onnx | gp-shape | gp-partition"
	assert_regex "$stderr" "node 'attn', Attention"
	assert_regex "$output" $'\tflops=\\.\t'
}

@test "MultiHeadAttention: Q, K, V with a bias and a causal cache; Q, K, V packed" {
	shape "$TDATA/contrib-mha.onnx"
	# q, k, v [1,8,32], 2 heads of 16, past_key [1,2,6,16]: T = 6 + 8 = 14
	assert_equal "$(shape_of o)" "float32 [1,8,32]"
	assert_equal "$(shape_of present_k)" "float32 [1,2,14,16]"
	assert_equal "$(shape_of present_v)" "float32 [1,2,14,16]"
	# packed [1,8,2,3,16]: S = L = 8, 2 heads of 16
	assert_equal "$(shape_of o2)" "float32 [1,8,32]"
	part "$TDATA/contrib-mha.onnx"
	# scores 1·2·8·14 = 224; MACs 224·(16 + 16) = 7168; FLOPs 2·7168 + 224·7
	# (unidirectional: masked) + the bias on q, k, v: 8·32·3 = 768
	# in: q, k, v 3·1024, past 2·2·6·16·4 = 1536; out: o 1024, presents 2·2·14·16·4 = 3584
	run -0 col mha kind flops macs bytes_in bytes_out bytes_weight
	assert_output "$(printf 'attention\t%d\t7168\t4608\t4608\t384' $((14336 + 1568 + 768)))"
	# packed: scores 1·2·8·8 = 128, MACs 128·32 = 4096; FLOPs 8192 + 128·6 (no mask)
	run -0 col mha_packed flops macs bytes_in
	assert_output "$(printf '%d\t4096\t3072' $((8192 + 768)))"
}

@test "GroupQueryAttention: 4 query heads over 2 KV heads; total length P + S unless known; a shared buffer; rotary" {
	shape "$TDATA/contrib-gqa.onnx" -D past=28
	# q [1,4,64] with a key: head 64 / 4 = 16; past [1,2,28,16]; total_sequence_length
	# is a graph input (value unknown): T = 28 + 4 = 32
	assert_equal "$(shape_of o)" "float32 [1,4,64]"
	assert_equal "$(shape_of present_k)" "float32 [1,2,32,16]"
	# packed [1,4,128]: head 128 / (4 + 2·2) = 16; total 32 (a constant) in a 64-token buffer
	assert_equal "$(shape_of o2)" "float32 [1,4,64]"
	assert_equal "$(shape_of buf_k_out)" "float32 [1,2,64,16]"
	part "$TDATA/contrib-gqa.onnx" -D past=28
	# scores 1·4·4·32 = 512 (4 query heads); MACs 512·(16 + 16) = 16384;
	# FLOPs 2·16384 + 512·7 (GroupQueryAttention always masks)
	# in: q 1024, k and v 512 each, past 2·2·28·16·4 = 7168, seqlens and total 4 each
	run -0 col gqa kind flops macs bytes_in bytes_out
	assert_output "$(printf 'attention\t%d\t16384\t%d\t%d' $((32768 + 3584)) $((1024 + 1024 + 7168 + 8)) $((1024 + 2 * 2 * 32 * 16 * 4)))"
	# packed: T = 32 from the constant (not 64 + 4); rotary on Q (4 heads) and K
	# (2 heads) of 4 tokens, 16 rotated each (cos_cache [64,8]): 3·16·(4·4 + 4·2) = 1152
	run -0 col gqa_packed flops macs bytes_weight
	assert_output "$(printf '%d\t16384\t%d' $((32768 + 3584 + 1152)) $((4 + 2 * 64 * 8 * 4)))"
	# a longer past: the total follows
	part "$TDATA/contrib-gqa.onnx" -D past=1020
	run -0 col gqa macs
	assert_output $((4 * 4 * 1024 * 32))
}

@test "normalizations: SkipLayerNormalization, the RMS norms, EmbedLayerNormalization" {
	shape "$TDATA/contrib-norm.onnx"
	assert_equal "$(shape_of sln)" "float32 [2,8,32]"
	# mean and inverse deviation: one float per row
	assert_equal "$(shape_of mean)" "float32 [2,8,1]"
	assert_equal "$(shape_of inv_std)" "float32 [2,8,1]"
	assert_equal "$(shape_of sum)" "float32 [2,8,32]"
	assert_equal "$(shape_of sum2)" "float32 [2,8,32]"
	assert_equal "$(shape_of inv_rms)" "float32 [2,8,1]"
	# input_ids [2,8] in word_embedding [100,32]: [2,8,32], mask_index [2] int32
	assert_equal "$(shape_of emb)" "float32 [2,8,32]"
	assert_equal "$(shape_of mask_index)" "int32 [2]"
	part "$TDATA/contrib-norm.onnx"
	# 2·8·32 = 512 elements. SkipLayerNormalization with beta and bias: 7 + 1 + 1
	# per element; out: sln 2048 (read by ssln), mean and inv_std 64 each, sum 2048
	run -0 col sln kind flops bytes_in bytes_out bytes_weight
	assert_output "$(printf 'layernorm\t%d\t4096\t4224\t384' $((512 * 9)))"
	# SkipSimplified without a bias: 4 + 1; SimplifiedLayerNormalization 4, in
	# com.microsoft and in the default domain
	run -0 col ssln kind flops
	assert_output "$(printf 'rmsnorm\t%d' $((512 * 5)))"
	run -0 col rms_ms kind flops
	assert_output "$(printf 'rmsnorm\t%d' $((512 * 4)))"
	run -0 col rms_onnx kind flops bytes_out
	assert_output "$(printf 'rmsnorm\t%d\t%d' $((512 * 4)) $((2048 + 64)))"
	# embeddings: word + position + segment (2 adds) and the layer norm's 7 per
	# element, 1 per mask element (16); the tables count whole:
	# (100 + 64 + 2)·32·4 + gamma and beta 2·128 = 21504
	run -0 col embed flops bytes_in bytes_out bytes_weight
	assert_output "$(printf '%d\t192\t2056\t21504' $((512 * 9 + 16)))"
}

@test "element-wise contrib ops: the GELUs, BiasAdd, RotaryEmbedding" {
	shape "$TDATA/contrib-elem.onnx"
	assert_equal "$(shape_of ba)" "float32 [2,4,32]"
	assert_equal "$(shape_of rot)" "float32 [2,4,32]"
	assert_equal "$(shape_of rot4)" "float32 [2,2,4,16]"
	part "$TDATA/contrib-elem.onnx"
	# 2·4·32 = 256 elements: BiasGelu 5 + 1; FastGelu (tanh) 9, + 1 with a bias;
	# Gelu 5; QuickGelu 4 (sigmoid) + 2; BiasAdd x + bias + skip, 2
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" { printf "%s ", $c["kind"] }' "$S"
	assert_output "biasgelu fastgelu fastgelu gelu quickgelu biasadd rotaryembedding rotaryembedding "
	for a in "biasgelu 6" "fastgelu_bias 10" "fastgelu 9" "gelu 5" "quickgelu 6" "biasadd 2"; do
		set -- $a
		run -0 col "$1" flops macs
		assert_output "$(printf '%d\t0' $((256 * $2)))"
	done
	# RotaryEmbedding [2,4,32] as 2 heads of 16 with rotary_embedding_dim 8:
	# 256 / 16 · 8 = 128 elements rotate, 3 FLOPs each; [2,2,4,16]: all 256 rotate
	run -0 col rotary3d flops
	assert_output $((128 * 3))
	run -0 col rotary4d flops bytes_in bytes_weight
	# in: x4 1024, position_ids int64 2·4·8 = 64; weights cos and sin [16,8] 512 each
	assert_output "$(printf '%d\t1088\t1024' $((256 * 3)))"
}

@test "MatMulNBits: an int4 4096 x 4096 layer in blocks of 32; bytes are the packed ones, params the stored elements" {
	shape "$TDATA/contrib-nbits.onnx"
	assert_equal "$(shape_of y)" "float32 [1,8,4096]"
	assert_equal "$(shape_of B)" "uint8 [4096,128,16]"
	part "$TDATA/contrib-nbits.onnx"
	# MACs: M·N·K = 8·4096·4096 = 134217728; FLOPs 2 per MAC + 2 per weight to
	# dequantize, 2·4096·4096 = 33554432. Weights as stored: B 4096·128·16 bytes
	# (16 = 32 weights of 4 bits) = 8 MiB, scales 4096·128 float32 = 2 MiB, zero
	# points 4096·(128·4 / 8) = 256 KiB. In and out: 8·4096 float32 each.
	run -0 col nbits kind flops macs bytes_in bytes_out bytes_weight
	assert_output "$(printf 'linear\t%d\t134217728\t131072\t131072\t%d' $((268435456 + 33554432)) \
		$((8388608 + 2097152 + 262144)))"
	run -0 total weight_bytes
	assert_output $((8388608 + 2097152 + 262144))
	# params are the elements stored (a uint8 holds 2 weights), not the 16777216 logical ones
	run -0 total params
	assert_output $((8388608 + 524288 + 262144))
	# the logical count, as docs/counting.md gets it from the node's attributes
	run -0 sh -c "gp-load $TDATA/contrib-nbits.onnx | $(sed -n '/^    gp-load m.onnx | awk/,/END { print s + 0 }/p' docs/counting.md | sed 's/^    gp-load m.onnx | //')"
	assert_output 16777216
	# A whose width is not K is refused
	run --separate-stderr sh -c "gp-load $TDATA/contrib-nbits.onnx | sed 's/\[1,8,4096\]/[1,8,4095]/' | gp-shape"
	fails_cleanly "gp-shape: stdin: node 'nbits' \(MatMulNBits\): A has 4095 columns, K is 4096"
}

@test "quantized MatMuls: DynamicQuantizeLinear, MatMulIntegerToFloat, DynamicQuantizeMatMul, FusedMatMul; int8 at 1 byte" {
	shape "$TDATA/contrib-quant.onnx"
	assert_equal "$(shape_of xq)" "uint8 [4,64]"
	assert_equal "$(shape_of xs)" "float32 []"
	assert_equal "$(shape_of xz)" "uint8 []"
	assert_equal "$(shape_of mi2f)" "float32 [4,32]"
	assert_equal "$(shape_of dqmm)" "float32 [4,32]"
	# x [4,64] times bt [32,64] transposed
	assert_equal "$(shape_of fmm)" "float32 [4,32]"
	assert_equal "$(shape_of mmi)" "int32 [4,32]"
	assert_equal "$(shape_of qmm)" "uint8 [4,32]"
	part "$TDATA/contrib-quant.onnx"
	# DynamicQuantizeLinear of [4,64]: 256 · (2 min/max + 3 quantize); out 256 + 4 + 1 bytes
	run -0 col dql kind flops bytes_in bytes_out
	assert_output "$(printf 'dynamicquantizelinear\t1280\t1024\t261')"
	# [4,64] x [64,32]: 4·32·64 = 8192 MACs. MatMulIntegerToFloat: + 128 to scale,
	# + 128 for the bias; reads xq 256 + its scale 4 and zero point 1; weights
	# int8 [64,32] at 1 byte = 2048, scales 32·4, zero points 32, bias 32·4
	run -0 col mi2f kind flops macs bytes_in bytes_weight
	assert_output "$(printf 'linear\t%d\t8192\t261\t%d' $((16384 + 256)) $((2048 + 128 + 32 + 128)))"
	# DynamicQuantizeMatMul: + 128 to scale, + 5 per element of A (256) to quantize it
	run -0 col dqmm flops macs bytes_in bytes_weight
	assert_output "$(printf '%d\t8192\t1024\t%d' $((16384 + 128 + 1280)) $((2048 + 128)))"
	# FusedMatMul, alpha 0.125: + 1 per output; two activations: matmul
	run -0 col fmm kind flops macs bytes_in
	assert_output "$(printf 'matmul\t%d\t8192\t%d' $((16384 + 128)) $((1024 + 8192)))"
	# MatMulInteger and QLinearMatMul read int8 and uint8 at 1 byte an element
	run -0 col mmi flops bytes_in bytes_out bytes_weight
	assert_output "$(printf '16384\t256\t512\t2048')"
	# QLinearMatMul: weights W 2048, its scale 4, zero points 1 + 1; out uint8 4·32
	run -0 col qmm flops bytes_in bytes_out bytes_weight
	assert_output "$(printf '16384\t261\t128\t2054')"
	# the small MatMulNBits: 3·16·64 = 3072 MACs, 2 per weight 64·16, the bias 3·16;
	# B 16·4·8 + scales 16·4·4 + bias 16·4
	run -0 col nbits_bias flops macs bytes_weight
	assert_output "$(printf '%d\t3072\t%d' $((6144 + 2048 + 48)) $((512 + 256 + 64)))"
}

@test "FusedMatMul as onnxruntime writes attention: transBatch operands [S,N,h]; --fuse makes one attention kernel" {
	shape "$TDATA/contrib-quant.onnx"
	# tq, tk [8,2,4] with transBatch: [2,8,4] (dim 0 moved before the last);
	# tk also transposed: [2,4,8]; scores [2,8,8]; times tv as [2,8,4]
	assert_equal "$(shape_of scores)" "float32 [2,8,8]"
	assert_equal "$(shape_of ctx)" "float32 [2,8,4]"
	part "$TDATA/contrib-quant.onnx"
	# Q·K^T: 2·8·8 outputs of K = 4: 512 MACs, + 128 for alpha 0.5; ·V: 2·8·4 outputs
	# of K = 8: 512 MACs; Softmax 5 per score
	run -0 col fmm_qk kind flops macs
	assert_output "$(printf 'matmul\t%d\t512' $((1024 + 128)))"
	run -0 col fmm_av flops macs
	assert_output "$(printf '1024\t512')"
	gp-load "$TDATA/contrib-quant.onnx" | gp-shape | gp-partition --fuse > "$S"
	# one kernel: reads tq, tk, tv (8·2·4·4 bytes each), writes ctx; the scores stay on chip
	run -0 col fmm_qk ops kind flops macs bytes_in bytes_out
	assert_output "$(printf 'FusedMatMul+Softmax+FusedMatMul\tattention\t%d\t1024\t768\t256' $((1152 + 640 + 1024)))"
}

@test "QLinear element-wise ops, pools and concat; Quantize/DequantizeLinear of com.microsoft" {
	shape "$TDATA/contrib-quant.onnx"
	# img [1,8,4,4] and chan [8,1,1] broadcast
	assert_equal "$(shape_of qa)" "uint8 [1,8,4,4]"
	assert_equal "$(shape_of qp)" "uint8 [1,8,1,1]"
	# channels last: [1,4,4,8] pools to [1,1,1,8]
	assert_equal "$(shape_of qp2)" "uint8 [1,1,1,8]"
	assert_equal "$(shape_of qc)" "uint8 [1,16,4,4]"
	assert_equal "$(shape_of dq)" "float32 [1,8,1,1]"
	assert_equal "$(shape_of q)" "uint8 [4,64]"
	part "$TDATA/contrib-quant.onnx"
	# 128 elements: dequantize 2 per operand, the op, requantize 3
	for a in "qadd 8" "qmul 8" "qsigmoid 9" "qleaky 7"; do
		set -- $a
		run -0 col "$1" flops
		assert_output $((128 * $2))
	done
	# in: img 128 + chan 8; weights: the scale (float32 scalar) and zero point (uint8)
	run -0 col qadd bytes_in bytes_out bytes_weight
	assert_output "$(printf '136\t128\t5')"
	# global pool: 3 per input element; channels last the same
	run -0 col qgap kind flops bytes_out
	assert_output "$(printf 'globalavgpool\t384\t8')"
	run -0 col qgap_nhwc flops channels spatial
	assert_output "$(printf '384\t8\t1')"
	run -0 col qconcat flops bytes_in bytes_out
	assert_output "$(printf '0\t256\t256')"
	# DequantizeLinear 2, QuantizeLinear 3 per element
	run -0 col dq_ms flops
	assert_output 16
	run -0 col q_ms flops bytes_out
	assert_output "$(printf '768\t256')"
}

@test "DequantizeLinear of a blocked int4 tensor: x's shape at the scale's dtype, half a byte an element in" {
	shape "$TDATA/contrib-quant.onnx"
	assert_equal "$(shape_of w4)" "int4 [64,32]"
	assert_equal "$(shape_of w4f)" "float32 [64,32]"
	part "$TDATA/contrib-quant.onnx"
	# 2048 elements, 2 FLOPs each; in: 2048 / 2 bytes of int4 + scales [64,2] float32
	run -0 col dq_int4 flops bytes_in bytes_out
	assert_output "$(printf '4096\t%d\t8192' $((1024 + 512)))"
	# blocks of 16 on axis 1 need 32 / 16 = 2 scales per row, not 3
	run --separate-stderr sh -c "gp-load $TDATA/contrib-quant.onnx | sed 's/^\(tensor	w4s	float32	\)\[64,2\]/\1[64,3]/' | gp-shape"
	fails_cleanly "gp-shape: stdin: node 'dq_int4' \(DequantizeLinear\): 3 scales on axis 1 for 32 elements in blocks of 16"
}

@test "a contrib op gp does not know is reported by name and never counted as zero; --strict refuses it" {
	run --separate-stderr -0 sh -c "gp-load $TDATA/contrib-unknown.onnx | gp-shape > /dev/null"
	assert_regex "$stderr" "no shape inference for op NoSuchOp \(domain com\.microsoft, first node 'mystery'\)"
	run --separate-stderr -0 sh -c "gp-load $TDATA/contrib-unknown.onnx | gp-partition"
	assert_regex "$stderr" "no cost function for op NoSuchOp \(domain com\.microsoft, first node 'mystery'\)"
	assert_line --regexp $'^subgraph\t1\tmystery\tnosuchop\t'
	assert_regex "$output" $'\tflops=\\.\t'
	assert_regex "$output" $'\tunknown=2'
	S=$BATS_TEST_TMPDIR/s
	printf '%s\n' "$output" > "$S"
	run -0 col mystery flops macs
	assert_output "$(printf '.\t.')"
	run --separate-stderr -1 sh -c "gp-load $TDATA/contrib-unknown.onnx | gp-partition --strict"
	assert_regex "$stderr" "node 'mystery': no cost function for op NoSuchOp \(domain com\.microsoft\)"
}

@test "--fuse: contrib element-wise ops chain into one kernel, an RMS norm joins its skip norm" {
	gp-load "$TDATA/contrib-elem.onnx" | gp-shape | gp-partition --fuse > "$BATS_TEST_TMPDIR/s"
	S=$BATS_TEST_TMPDIR/s
	run -0 col biasgelu ops flops
	assert_output "$(printf 'BiasGelu+FastGelu+FastGelu+Gelu+QuickGelu+BiasAdd+RotaryEmbedding\t%d' \
		$((256 * (6 + 10 + 9 + 5 + 6 + 2) + 128 * 3)))"
	gp-load "$TDATA/contrib-norm.onnx" | gp-shape | gp-partition --fuse > "$S"
	run -0 col ssln ops kind
	assert_output "$(printf 'SkipSimplifiedLayerNormalization+SimplifiedLayerNormalization\trmsnorm')"
}
