#!/usr/bin/env bats
# Transformers: MACs equal the hand count of docs/counting.md, attention fuses
# into one kernel whose score matrix costs no bytes, the KV cache is bytes.

setup() {
	load test_helper
}

# macs MODEL SEQ PAST: the model's MACs at batch 1
macs() {
	gp-load "$DATA/$1.onnx" | gp-shape -D batch=1 -D seq="$2" -D past="$3" 2> /dev/null |
		gp-partition | gp-report --summary | awk -F'\t' '$1 == "macs" { print $2 }'
}

@test "bert-tiny's MACs are L (12 d^2 S + 2 d S^2), by hand, at several lengths" {
	for s in 1 7 128 512; do
		run -0 macs bert-tiny "$s" 0
		assert_output "$((2 * (12 * 128 * 128 * s + 2 * 128 * s * s)))"
	done
	run -0 macs bert-tiny 128 0
	assert_output 58720256
}

@test "gpt-tiny's MACs: the projections, attention over past + S, the LM head" {
	for a in "128 0" "1 2047" "64 64" "1 0" "16 4096"; do
		set -- $a
		run -0 macs gpt-tiny "$1" "$2"
		assert_output "$((2 * (12 * 128 * 128 * $1 + 2 * 128 * $1 * ($2 + $1)) + $1 * 128 * 1000))"
	done
	run -0 macs gpt-tiny 1 2047
	assert_output 1569792
}

@test "--fuse makes MatMul-scale-mask-Softmax-MatMul one attention kernel; the scores cost no bytes" {
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=128 | gp-partition --fuse > "$BATS_TEST_TMPDIR/s"
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" && $c["kind"] == "attention" { print $c["ops"], $c["bytes_in"], $c["bytes_out"], $c["flops"] }' "$BATS_TEST_TMPDIR/s"
	# Q, K^T, V: 2 heads x 128 x 64 floats each; the mask [1,1,1,128]; out: the context.
	# FLOPs: 2 x (2 x 128 x 128 x 64) x 2 MatMuls, + scale, mask and 5 per score for Softmax
	assert_output "$(printf 'MatMul+Div+Add+Softmax+MatMul %d %d %d\n' $((3 * 2 * 128 * 64 * 4 + 128 * 4)) $((2 * 128 * 64 * 4)) \
		$((4 * 2 * 128 * 128 * 64 + 7 * 2 * 128 * 128)) | sed 'p')"
	# unfused, the 2 x 128 x 128 scores go out and back in four times per layer
	run -0 grep -o 'bytes_saved=[0-9]*' "$BATS_TEST_TMPDIR/s"
	saved=${output#bytes_saved=}
	[ "$saved" -gt $((2 * 4 * 2 * 128 * 128 * 4)) ]
	for m in gpt-tiny tiny-encoder; do
		gp-load "$DATA/$m.onnx" | gp-shape -D batch=1 -D seq=32 -D past=96 2> /dev/null | gp-partition --fuse > "$BATS_TEST_TMPDIR/s"
		run -0 sh -c "grep -c '^subgraph	[0-9]*	[^	]*	attention	' '$BATS_TEST_TMPDIR/s'"
		assert_output 2
	done
}

@test "the KV cache is bytes like any other: a decode step reads all of it" {
	for p in 0 1024; do
		gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=1 -D seq=1 -D past=$p | gp-partition --fuse > "$BATS_TEST_TMPDIR/s$p"
	done
	# 2 layers x K and V x 4 heads x 1024 x 32 floats more to read
	b0=$(grep -o '	bytes=[0-9]*' "$BATS_TEST_TMPDIR/s0" | cut -d= -f2)
	b1=$(grep -o '	bytes=[0-9]*' "$BATS_TEST_TMPDIR/s1024" | cut -d= -f2)
	[ $((b1 - b0)) -ge $((2 * 2 * 4 * 1024 * 32 * 4)) ]
}
