#!/usr/bin/env bats
# The kernel geometry gp-partition writes (the GEMM view, floating elements)
# and the mapping of kernels onto a chip's tiles, vector units and memory
# levels (lib/mapping.c, docs/roofline.md), on kernels worked out by hand.

setup() {
	load test_helper
}

# part MODEL [GP-PARTITION ARGS...]: the partitioned stream of MODEL at batch 1, seq 8, into $S
part() {
	local m=$1
	shift
	S=$BATS_TEST_TMPDIR/s
	gp-load "$m" | gp-shape -D batch=1 -D seq=8 2> /dev/null | gp-partition "$@" 2> /dev/null > "$S"
}

@test "the GEMM view: a conv is its implicit GEMM, a depthwise conv one product per channel" {
	part "$DATA/resnet18.onnx"
	# the last 3x3 conv: 7 x 7 outputs, 512 channels, 512 x 3 x 3 products each
	run -0 cols "$S" name gemm macs
	assert_line "$(printf '/layer4/layer4.1/conv2/Conv\t1x49x512x4608\t115605504')"
	# the stem: 112 x 112 outputs, 64 channels, 3 x 7 x 7; the classifier a GEMV
	assert_line --index 0 "$(printf '/conv1/Conv\t1x12544x64x147\t118013952')"
	assert_line "$(printf '/fc/Gemm\t1x1x1000x512\t512000')"
	# pools and adds are not matrix kernels
	run -0 cols "$S" kind gemm
	assert_line "$(printf 'maxpool\t.')"
	part "$DATA/mobilenet_v2.onnx" --fuse
	# a depthwise 3x3 over 32 channels of 112 x 112: 32 products of 12544 x 1 x 9
	run -0 cols "$S" kind gemm
	assert_line --index 1 "$(printf 'conv2d_depthwise\t32x12544x1x9')"
	# batch 8: M grows, nothing else
	gp-load "$DATA/mobilenet_v2.onnx" | gp-shape --batch 8 | gp-partition --fuse > "$S"
	run -0 cols "$S" kind gemm
	assert_line --index 1 "$(printf 'conv2d_depthwise\t32x100352x1x9')"
}

@test "the GEMM view: a fused attention lists its two products per head; a linear layer folds the batch into M" {
	part "$DATA/bert-tiny.onnx" --fuse
	# 2 heads of 64 at seq 8: scores 8 x 8 x 64, then the weighted sum 8 x 64 x 8
	run -0 cols "$S" kind gemm macs
	assert_line "$(printf 'attention\t2x8x8x64;2x8x64x8\t16384')"
	# the FFN's first layer: 8 tokens x 512 x 128
	assert_line "$(printf 'linear\t1x8x512x128\t524288')"
	# GroupQueryAttention, packed QKV: batch 1 x 4 heads (tests/0012-contrib-ops.bats)
	part "$TDATA/contrib-gqa.onnx"
	run -0 cols "$S" kind gemm
	assert_line "$(printf 'attention\t4x4x32x16;4x4x16x32')"
}

@test "the GEMM view sums to the MACs of every matrix kernel of every fixture, fused or not" {
	for f in "$DATA"/*.onnx "$TDATA"/cost.onnx "$TDATA"/fuse.onnx "$TDATA"/contrib-*.onnx; do
		for mode in "" --fuse; do
			# shellcheck disable=SC2086
			part "$f" $mode
			run -0 awk -F'\t' -v f="$f" '
				$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i; next }
				$1 != "subgraph" { next }
				$c["gemm"] == "." { if ($c["macs"] != "." && $c["macs"] > 0) print f, $c["name"], "has MACs but no gemm"; next }
				{ n = split($c["gemm"], g, ";"); s = 0
				  for (i = 1; i <= n; i++) { split(g[i], d, "x"); s += d[1] * d[2] * d[3] * d[4] }
				  if (s != $c["macs"]) print f, $c["name"], s, "!=", $c["macs"]; k++ }
				END { if (k == 0 && f ~ /resnet18/) print "no matrix kernel in", f }' "$S"
			assert_output ""
		done
	done
}

@test "floating elements: what a precision change scales, and the integers it does not" {
	part "$DATA/resnet18.onnx"
	# the stem reads 3 x 224 x 224 floats, writes 64 x 112 x 112, weighs 64 x 3 x 7 x 7 + 64
	run -0 cols "$S" float_elems float_bytes bytes_in bytes_out bytes_weight
	assert_line --index 0 "$(printf '150528,802816,9472\t602112,3211264,37888\t602112\t3211264\t37888')"
	part "$DATA/resnet18.onnx" --dtype fp16
	run -0 cols "$S" float_elems float_bytes bytes_in
	assert_line --index 0 "$(printf '150528,802816,9472\t301056,1605632,18944\t301056')"
	# bert-tiny's embedding Gather reads 8 int64 ids (64 bytes, no floats) and the 8 rows
	# of 128 floats it looks up from its table
	part "$DATA/bert-tiny.onnx"
	run -0 cols "$S" kind float_elems bytes_in
	assert_line --index 0 "$(printf 'gather\t0,1024,1024\t64')"
}
