#!/usr/bin/env bats
# gp-shape: shapes and dtypes of every tensor, checked against python3-onnx.

setup() {
	load test_helper
}

# oracle MODEL [ARGS...]: gp-load | gp-shape ARGS, then compare with onnx's
# infer_shapes(data_prop=True) under the same bindings
oracle() {
	local m=$1
	shift
	gp-load "$m" | gp-shape "$@" > "$BATS_TEST_TMPDIR/s"
	/usr/bin/python3 tests/shape-oracle.py "$m" "$BATS_TEST_TMPDIR/s" "$@"
}


@test "usage errors" {
	run --separate-stderr -2 gp-shape -D batch
	assert_equal "$stderr" "gp-shape: -D: 'batch' is not NAME=VALUE"
	run --separate-stderr -2 gp-shape --batch -3
	run --separate-stderr -2 gp-shape extra-arg
}

@test "every fixture: each tensor's dtype and shape equal onnx's shape inference" {
	for f in "$DATA"/*.onnx; do
		run -0 oracle "$f"
		assert_output --regexp ", 0 disagree;"
	done
}

@test "every tensor of the CNN fixtures gets a complete shape" {
	for f in resnet18 resnet18-bn mobilenet_v2 efficientnet_b0; do
		gp-load "$DATA/$f.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s"
		run awk -F'\t' '$1 == "tensor" && ($3 == "?" || $4 ~ /\?/)' "$BATS_TEST_TMPDIR/s"
		assert_output ""
	done
}

@test "symbolic dims propagate: tiny-encoder keeps [batch,seq,...]" {
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of output)" "float32 [batch,seq,32]"
	assert_equal "$(shape_of /head/MatMul_output_0)" "float32 [batch,seq,32]"
}

@test "-D binds symbolic dims, and the result still agrees with onnx" {
	run -0 oracle "$DATA/tiny-encoder.onnx" -D batch=8 -D seq=512
	assert_output --regexp ", 0 disagree;"
	assert_equal "$(shape_of output)" "float32 [8,512,32]"
	assert_equal "$(shape_of input)" "float32 [8,512,64]"
}

@test "-D with a name no dim has is a warning" {
	run --separate-stderr -0 bash -c 'gp-load data/resnet18.onnx | gp-shape -D nosuch=3'
	assert_equal "$stderr" "gp-shape: warning: stdin: -D nosuch=3: no dim is named 'nosuch'"
}

@test "--batch re-derives every shape at that batch, as onnx does on the re-batched model" {
	for f in resnet18 mobilenet_v2 tiny-encoder; do
		run -0 oracle "$DATA/$f.onnx" --batch 16
		assert_output --regexp ", 0 disagree;"
	done
	gp-load "$DATA/resnet18.onnx" | gp-shape --batch 16 > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of output)" "float32 [16,1000]"
	assert_equal "$(shape_of /conv1/Conv_output_0)" "float32 [16,64,112,112]"
}

@test "bytes follow the inferred shapes" {
	gp-load "$DATA/resnet18.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s"
	run awk -F'\t' '$1 == "tensor" && $2 == "/conv1/Conv_output_0" { print $6 }' "$BATS_TEST_TMPDIR/s"
	assert_output "$((64 * 112 * 112 * 4))"
}

@test "shape computations are evaluated: Shape -> Gather -> Concat -> Reshape" {
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=2 -D seq=5 > "$BATS_TEST_TMPDIR/s"
	run awk -F'\t' '$1 == "tensor" && $2 == "/encoder/layers.0/self_attn/Shape_output_0" { print $7 }' \
		"$BATS_TEST_TMPDIR/s"
	assert_output "[5,2,64]"
}

@test "an op without shape inference: one warning per op type; --strict makes it an error" {
	run --separate-stderr -0 bash -c 'gp-load tests/data/function.onnx | gp-shape'
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "gp-shape: warning: stdin: no shape inference for op Twice (domain local, first node 'call'): its outputs keep their declared shapes"
	run --separate-stderr bash -c 'gp-load tests/data/function.onnx | gp-shape --strict'
	fails_cleanly "gp-shape: stdin: node 'call': no shape inference for op Twice"
}

@test "contradictory shapes are an error naming the node" {
	run --separate-stderr bash -c 'gp-load tests/data/bad-matmul.onnx | gp-shape'
	fails_cleanly "gp-shape: stdin: node 'mm' \\(MatMul\\): inner dims differ: 3 and 4$"
}

@test "a declared shape that disagrees is reported" {
	run --separate-stderr -0 bash -c 'gp-load tests/data/declared-wrong.onnx | gp-shape'
	assert_equal "$stderr" "gp-shape: warning: stdin: node 'relu' (Relu): 'y' is declared [2,4] but is [2,3]"
	assert_line $'tensor\ty\tfloat32\t[2,3]\toutput\t24\t.\t0'
}

@test "a second pass changes nothing, and unknown columns pass through" {
	gp-load "$DATA/mobilenet_v2.onnx" | gp-shape > "$BATS_TEST_TMPDIR/a"
	gp-shape < "$BATS_TEST_TMPDIR/a" | grep -v '^##prog' > "$BATS_TEST_TMPDIR/b"
	grep -v '^##prog' "$BATS_TEST_TMPDIR/a" | diff - "$BATS_TEST_TMPDIR/b"
	sed 's/^#tensor\t\(.*\)$/#tensor\t\1\tmine/; s/^tensor\t\(.*\)$/tensor\t\1\tx%20y/' "$BATS_TEST_TMPDIR/a" \
		| gp-shape | grep -c $'\tx%20y$' > "$BATS_TEST_TMPDIR/n"
	[ "$(cat "$BATS_TEST_TMPDIR/n")" -gt 100 ]
}

@test "bad input: a truncated stream, not a stream, a stream without tensors" {
	gp-load "$DATA/resnet18.onnx" | head -n 50 > "$BATS_TEST_TMPDIR/t"
	run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/t"
	fails_cleanly "gp-shape: stdin: truncated stream: no ##end line$"
	run --separate-stderr gp-shape < "$DATA/resnet18.onnx"
	fails_cleanly "gp-shape: stdin: "
	run --separate-stderr gp-shape < <(stream)
	fails_cleanly "gp-shape: stdin: no graph, tensor or node records"
}

@test "a Reshape to another element count is an error naming the node" {
	run --separate-stderr bash -c 'gp-load tests/data/bad-reshape.onnx | gp-shape'
	fails_cleanly "gp-shape: stdin: node 'rs' \\(Reshape\\): cannot reshape 6 elements into 8$"
}
