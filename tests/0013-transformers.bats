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

@test "gp-shape --sweep writes one stream per value; every filter takes them all; gp-report states the growth" {
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 --sweep seq=128,256,512,1024 > "$BATS_TEST_TMPDIR/sw"
	run -0 grep -c '^##gp	1$' "$BATS_TEST_TMPDIR/sw"
	assert_output 4
	run -0 grep '^##sweep' "$BATS_TEST_TMPDIR/sw"
	assert_output "$(printf '##sweep\tseq=128\n##sweep\tseq=256\n##sweep\tseq=512\n##sweep\tseq=1024')"
	gp-partition --fuse < "$BATS_TEST_TMPDIR/sw" | gp-concur | gp-roofline -H a100-sxm -p fp16 > "$BATS_TEST_TMPDIR/r"
	run -0 grep -c '^##roofline	' "$BATS_TEST_TMPDIR/r"
	assert_output 4
	run -0 gp-report < "$BATS_TEST_TMPDIR/r"
	assert_line --index 0 "gp report: bert-tiny, 4 streams"
	assert_line "Sweep: 4 streams over seq"
	# attention's S^2 MACs against the projections' S: quadratic; fused, the bytes are linear
	assert_line --regexp '^  MACs grow with seq +quadratic \(the x\^2 term is [0-9]+% at 1024\)$'
	assert_line --regexp '^  bytes moved grow with seq +linear$'
	assert_line "gp report: bert-tiny (seq=512)"
	# --summary: one block per stream, each with its sweep
	run -0 sh -c "gp-report --summary < '$BATS_TEST_TMPDIR/r' | grep -E '^(sweep|macs)	'"
	assert_output "$(for s in 128 256 512 1024; do printf 'sweep\tseq=%d\nmacs\t%d\n' $s $((2 * (12 * 128 * 128 * s + 2 * 128 * s * s))); done)"
	run --separate-stderr -1 gp-report --roofline "$BATS_TEST_TMPDIR/x.svg" < "$BATS_TEST_TMPDIR/r"
	fails_cleanly "gp-report: stdin: --roofline and --dot draw one stream; this input holds 4"
	run --separate-stderr -2 gp-shape --sweep seq=1,2 --sweep past=0
	assert_equal "$stderr" "gp-shape: --sweep past has 1 values and --sweep seq 2: swept dims go in step"
	run --separate-stderr -2 gp-shape -D seq=4 --sweep seq=1,2
	assert_equal "$stderr" "gp-shape: seq is both bound (-D) and swept"
	run --separate-stderr -2 gp-shape --sweep seq
	run --separate-stderr -2 gp-shape --sweep seq=1,x
	run --separate-stderr -2 gp-shape --sweep seq=,
	assert_equal "$stderr" "gp-shape: --sweep seq: no values"
	# a sweep of a sweep keeps both dims
	run -0 sh -c "gp-load '$DATA/gpt-tiny.onnx' | gp-shape --sweep seq=1,2 | gp-shape --sweep past=0,16 | grep '^##sweep'"
	assert_output "$(printf '##sweep\tseq=1\tpast=0\n##sweep\tseq=1\tpast=16\n##sweep\tseq=2\tpast=0\n##sweep\tseq=2\tpast=16')"
}

@test "a program that reads one stream says so when two come" {
	gp-load "$DATA/resnet18.onnx" > "$BATS_TEST_TMPDIR/one"
	cat "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/one" > "$BATS_TEST_TMPDIR/two"
	run --separate-stderr -1 t-stream < "$BATS_TEST_TMPDIR/two"
	assert_regex "$stderr" "^t-stream: stdin: line [0-9]+: a second stream follows \\(t-stream reads one\\)$"
	# a filter reads both, and a stream cut short before the next one is refused
	run -0 sh -c "gp-shape < '$BATS_TEST_TMPDIR/two' | grep -c '^##end'"
	assert_output 2
	head -n -1 "$BATS_TEST_TMPDIR/one" | cat - "$BATS_TEST_TMPDIR/one" > "$BATS_TEST_TMPDIR/cut"
	run --separate-stderr -1 gp-shape < "$BATS_TEST_TMPDIR/cut"
	assert_regex "$stderr" "^gp-shape: stdin: line [0-9]+: a new stream starts before this one.s ##end line \\(is it truncated\\?\\)$"
}

@test "LLaMA-7B's dims: 6.74 G parameters; a decode step at batch 1 on an A100 is memory-bound, at about (weights + KV cache) / bandwidth" {
	gp-load "$TDATA/llama-7b-shape.onnx" | gp-shape -D batch=1 --sweep seq=2048,1 --sweep past=0,2048 |
		gp-partition --fuse | gp-concur | gp-roofline -H a100-sxm -p fp16 > "$BATS_TEST_TMPDIR/r"
	gp-report --summary < "$BATS_TEST_TMPDIR/r" > "$BATS_TEST_TMPDIR/s"
	# 32 x (4 x 4096^2 + 3 x 4096 x 11008 + 4 x 4096) + 2 x 32000 x 4096 + 2 x 4096, + the 32 scales
	run -0 awk -F'\t' '$1 == "params" { print $2; exit }' "$BATS_TEST_TMPDIR/s"
	assert_output $((32 * (4 * 4096 * 4096 + 3 * 4096 * 11008 + 4 * 4096 + 1) + 2 * 32000 * 4096 + 2 * 4096))
	run -0 awk -F'\t' '$1 == "phase" { print $2 }' "$BATS_TEST_TMPDIR/s"
	assert_output "$(printf 'prefill\ndecode')"
	# the KV cache: 32 layers x K and V x 4096 x 2 bytes (fp16) per token
	run -0 awk -F'\t' '$1 == "kv_bytes_per_token" { print $2 }' "$BATS_TEST_TMPDIR/s"
	assert_output "$(printf '%d\n%d' $((32 * 2 * 4096 * 2)) $((32 * 2 * 4096 * 2)))"
	# decode (the second block): memory-bound; its time per token against the weights
	# (fp16) and the 2049-token cache over the A100's 2.039 TB/s
	run -0 awk -F'\t' -v w=$((2 * 6738681888)) -v kv=$((32 * 2 * 4096 * 2 * 2049)) '
		/^$/ { b++ } b == 1 && $1 == "memory_bound_share" { m = $2 } b == 1 && $1 == "time_per_token_s" { t = $2 }
		END { floor = (w + kv) / 2.039e12; printf "%s %.2f\n", (m > 0.9) ? "memory-bound" : "not", t / floor }' "$BATS_TEST_TMPDIR/s"
	assert_output --regexp '^memory-bound 1\.[0-4][0-9]$'
	# prefill is compute-bound
	run -0 awk -F'\t' '$1 == "compute_bound_share" { print ($2 > 0.9) ? "compute" : "not"; exit }' "$BATS_TEST_TMPDIR/s"
	assert_output compute
	run -0 gp-report < "$BATS_TEST_TMPDIR/r"
	assert_line --regexp '^  decode +1 +2049 +[0-9.]+ ms +[0-9.]+ ms +[0-9]+ +9[0-9.]+%$'
	assert_line "Decode: one token at context 2049"
	assert_line --regexp '^  KV cache +1 GiB \(512 KiB per token, all layers, keys and values\)$'
	assert_line --regexp '^  compute-bound from +no batch: each sequence.s KV cache keeps a step below the ridge$'
	# the sweep's bytes are gp-roofline's, at fp16, beside its latency (not the
	# model's fp32 bytes, 68.8 and 30.6 GiB)
	run -0 awk -F'\t' '/^##roofline/ { split($0, f, "\tbytes="); split(f[2], v, "\t"); printf "%.1f\n", v[1] / 2^30 }' "$BATS_TEST_TMPDIR/r"
	assert_output "$(printf '34.4\n15.3')"
	run -0 gp-report < "$BATS_TEST_TMPDIR/r"
	assert_line --regexp '^   seq  past   FLOPs    MACs  bytes at fp16  peak memory  latency$'
	assert_line --regexp '^  2048 +0 +29.3 T +14.6 T +34.4 GiB +[0-9.]+ GiB +[0-9.]+ ms$'
	assert_line --regexp '^     1 +2048 +14.3 G +7.14 G +15.3 GiB +[0-9.]+ GiB +[0-9.]+ ms$'
	# the memory floor: the weights and the KV cache once over the bandwidth, which
	# the step's time is not below (its other bytes may come from the L2)
	run -0 awk -F'\t' '/^$/ { b++ } b == 1 && $1 == "hw_weight_bytes" { w = $2 } b == 1 && $1 == "kv_cache_bytes" { c = $2 }
		b == 1 && $1 == "latency_s" { t = $2 } END { f = (w + c) / 2.039e12; printf "%.2f ms %s\n", f * 1e3, (t >= f ? "below the time" : "above") }' "$BATS_TEST_TMPDIR/s"
	assert_output "7.01 ms below the time"
	run -0 gp-report < "$BATS_TEST_TMPDIR/r"
	assert_line --regexp '^  memory floor +7.01 ms: the weights \(12.3 GiB\) and the KV cache \(1 GiB\), each moved once at 2.04 TB/s; the step moves 15.3 GiB in all$'
	# counting the weights alone, the rule of thumb: about 2 bytes and 2 FLOPs per parameter,
	# so the ridge itself (312 / 2.039 = 153)
	run -0 awk -F'\t' '/^$/ { b++ } b == 1 && $1 == "batch_compute_bound_weights" { print ($2 >= 140 && $2 <= 170) ? "ok" : $2 }' "$BATS_TEST_TMPDIR/s"
	assert_output ok
}

@test "onnx's own shape inference, counted apart (tests/mac-oracle.py), gives the same MACs" {
	for a in "$DATA/bert-tiny.onnx batch=1 seq=128" "$DATA/bert-tiny.onnx batch=3 seq=77" \
		"$DATA/gpt-tiny.onnx batch=1 seq=128 past=0" "$DATA/gpt-tiny.onnx batch=2 seq=16 past=0" \
		"$TDATA/llama-7b-shape.onnx batch=1 seq=1 past=2047" "$DATA/resnet18.onnx" "$DATA/googlenet.onnx"; do
		set -- $a
		m=$1
		shift
		want=$(/usr/bin/python3 tests/mac-oracle.py "$m" "$@")
		d=
		for b in "$@"; do d="$d -D $b"; done
		run -0 sh -c "gp-load '$m' | gp-shape $d 2> /dev/null | gp-partition | gp-report --summary | awk -F'\t' '\$1 == \"macs\" { print \$2 }'"
		assert_output "$want"
	done
}
