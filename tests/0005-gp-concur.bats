#!/usr/bin/env bats
# gp-concur: stages, width, critical path and peak memory, worked out by hand
# on small DAGs (tests/data/make-models.py), checked with networkx on the
# fixture models, and on a generated graph of 10,000 subgraphs.

setup() {
	load test_helper
}

# concur MODEL [ARGS...]: gp-load MODEL | gp-partition | gp-concur ARGS into $S
concur() {
	gp-load "$1" | gp-partition | gp-concur "${@:2}" > "$S"
}

# key KEY: a key of the ##concur header
key() {
	hdr concur "$1" "$S"
}

@test "usage errors" {
	run --separate-stderr -2 gp-concur --weight heat
	assert_equal "$stderr" "gp-concur: --weight: 'heat' is not ops, flops, bytes or time"
	run --separate-stderr -2 gp-concur --order random
	assert_equal "$stderr" "gp-concur: --order: 'random' is not topo or best"
	run --separate-stderr -2 gp-concur --budget lots
	assert_equal "$output" ""
	run --separate-stderr -2 gp-concur --units 0
	run --separate-stderr -2 gp-concur extra-arg
}

@test "a chain: one stage per subgraph, all critical; peak memory by hand" {
	concur "$TDATA/concur-chain.onnx"
	run -0 every name stage critical live_bytes
	# x 1 KiB; a 2 KiB: 1+2; then x is freed and b (2 KiB) joins a: 2+2; then b + y (512)
	assert_output "$(printf 'a\t1\t1\t3072\nb\t2\t1\t4096\ny\t3\t1\t2560')"
	run -0 key stages
	assert_output 3
	run -0 key max_parallel
	assert_output 1
	run -0 key max_antichain
	assert_output 1
	run -0 key critical_ops
	assert_output 3
	run -0 key critical_flops_share
	assert_output 1.0
	run -0 key peak_activation_bytes
	assert_output 4096
	run -0 key peak_at
	assert_output 2
	# weights: 256x512 + 512x128 floats
	run -0 key weight_bytes
	assert_output $(((256 * 512 + 512 * 128) * 4))
	run -0 key peak_bytes
	assert_output $((4096 + (256 * 512 + 512 * 128) * 4))
}

@test "a diamond: two in the middle stage; the critical path takes the heavier branch" {
	concur "$TDATA/concur-diamond.onnx"
	run -0 every name stage critical live_bytes
	# a (1 KiB) stays live until c has read it; the Concat holds b, c and y (2+4+6 KiB)
	assert_output "$(printf 'a\t1\t1\t2048\nb\t2\t0\t3072\nc\t2\t1\t7168\ny\t3\t1\t12288')"
	run -0 key max_parallel
	assert_output 2
	run -0 key max_antichain
	assert_output 2
	run -0 key critical_ops
	assert_output 3
	# a relu (256) + c (2 x 256 x 1024) + a concat (0), of all FLOPs
	run -0 key critical_flops
	assert_output $((256 + 2 * 256 * 1024))
	run -0 key peak_activation_bytes
	assert_output 12288
	# the naive figure (weights + the largest subgraph's inputs and outputs) is the same here
	run -0 key naive_peak_bytes
	assert_output $(((256 * 512 + 256 * 1024) * 4 + 12288))
}

@test "a residual block with a downsample branch" {
	concur "$TDATA/concur-residual.onnx"
	run -0 every name stage critical live_bytes
	# x stays live until the downsample has read it; d (512) until the Add
	assert_output "$(printf 'a\t1\t1\t2048\nd\t1\t0\t2560\nb\t2\t1\t2560\nc\t3\t1\t2048\ny\t4\t1\t1536')"
	run -0 key stages
	assert_output 4
	run -0 key max_parallel
	assert_output 2
}

@test "parallel branches: in record order the two big tensors meet; --order best runs branch by branch" {
	concur "$TDATA/concur-branches.onnx"
	run -0 every name stage live_bytes
	# t1 and t2 are 8 KiB each: x + t1 + t2 = 17 KiB
	assert_output "$(printf 't1\t1\t9216\nt2\t1\t17408\ns1\t2\t17408\ns2\t2\t10240\ny\t3\t3072')"
	run -0 key peak_activation_bytes
	assert_output 17408
	concur "$TDATA/concur-branches.onnx" --order best
	run -0 key order_exact
	assert_output 1
	# t1, s1 (t1 freed), t2, s2: x + t2 + s1 = 10 KiB at most
	run -0 key peak_activation_bytes
	assert_output 10240
	run -0 every name live_bytes
	assert_output "$(printf 't1\t9216\nt2\t10240\ns1\t10240\ns2\t10240\ny\t3072')"
	# the stream is the same otherwise: stages do not depend on the order
	run -0 every name stage
	assert_output "$(printf 't1\t1\nt2\t1\ns1\t2\ns2\t2\ny\t3')"
}

@test "the largest antichain is wider than the widest stage" {
	concur "$TDATA/concur-antichain.onnx"
	run -0 key max_parallel
	assert_output 2
	# {y, x4, z}: none depends on another
	run -0 key max_antichain
	assert_output 3
	run -0 every name stage critical
	assert_output "$(printf 'x1\t1\t1\nx2\t2\t1\ny\t2\t0\nx3\t3\t1\nx4\t4\t1\nz\t4\t0')"
	run -0 key peak_activation_bytes
	assert_output 4096
}

@test "stage records list each stage's subgraphs, width and FLOPs" {
	concur "$TDATA/concur-diamond.onnx"
	run -0 grep -E '^#?stage' "$S"
	assert_output "$(printf '#stage\tid\twidth\tsubgraphs\tflops\tlatency_s\nstage\t1\t1\t1\t256\t.\nstage\t2\t2\t2,3\t%d\t.\nstage\t3\t1\t4\t0\t.' $((2 * 256 * 512 + 2 * 256 * 1024)))"
}

@test "--weight flops and bytes pick the heaviest path by that measure" {
	concur "$TDATA/concur-diamond.onnx" --weight flops
	run -0 key critical_weight
	assert_output flops
	run -0 every name critical
	assert_output "$(printf 'a\t1\nb\t0\nc\t1\ny\t1')"
	run --separate-stderr -1 gp-concur --weight time < "$S"
	assert_equal "$stderr" "gp-concur: stdin: --weight time: the subgraphs have no latency_s column (run gp-roofline first)"
	assert_equal "$output" ""
}

@test "--weight time: a slow subgraph moves the path; the default stays ops with latencies" {
	concur "$TDATA/concur-diamond.onnx"
	# give b (subgraph 2) a long latency by hand: the path now goes through b
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { print $0, "latency_s"; next }
		$1 == "subgraph" { print $0, ($2 == 2 ? "0.5" : "0.001"); next } { print }' "$S" > "$BATS_TEST_TMPDIR/lat"
	# what the stream holds never changes the weight: only --weight does
	gp-concur < "$BATS_TEST_TMPDIR/lat" > "$BATS_TEST_TMPDIR/t"
	S=$BATS_TEST_TMPDIR/t
	run -0 key critical_weight
	assert_output ops
	gp-concur --weight time < "$BATS_TEST_TMPDIR/lat" > "$BATS_TEST_TMPDIR/t"
	run -0 key critical_weight
	assert_output time
	run -0 every name critical
	assert_output "$(printf 'a\t1\nb\t1\nc\t0\ny\t1')"
	run -0 key critical_latency_s
	assert_output 0.502
	run -0 key sequential_latency_s
	assert_output 0.503
	run -0 grep -c '^stage	2	2	2,3	.*	0.5$' "$S"
	assert_output 1
}

@test "--units: the batch that fills the units, as the user guide counts it and by threads" {
	concur "$DATA/resnet18.onnx" --units 132 --threads-per-unit 2048
	run -0 key batch
	assert_output 1
	# two subgraphs at once at most: 132 / 2
	run -0 key batch_to_fill_graph
	assert_output 66
	# most of ResNet-18's FLOPs are in convolutions of 100k+ outputs per sample: 3 x 100k > 132 x 2048
	run -0 key batch_to_fill_threads
	assert_output 3
	run -0 key threads_max
	assert_output 802816
	# the same from a hardware profile
	gp-load "$DATA/resnet18.onnx" | gp-partition | gp-concur -H h100-sxm > "$BATS_TEST_TMPDIR/h"
	run -0 grep -o 'units=132	threads_per_unit=2048	batch_to_fill_graph=66	' "$BATS_TEST_TMPDIR/h"
	run --separate-stderr -2 gp-concur -H h100-sxm --units 4
	run --separate-stderr -2 gp-concur -H h100-sxm --threads-per-unit 4
}

@test "--budget: the exit status says whether weights and peak activations fit" {
	concur "$TDATA/concur-chain.onnx" --budget 1Mi
	run -0 key fits
	assert_output yes
	run -0 key budget_bytes
	assert_output 1048576
	gp-load "$TDATA/concur-chain.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -3 gp-concur --budget 700k < "$BATS_TEST_TMPDIR/p"
	assert_equal "$stderr" "gp-concur: stdin: the peak memory (790528 bytes) does not fit the budget (700000 bytes)"
	# the stream is whole all the same
	assert_line --index 0 "##gp	1"
	assert_regex "${lines[-1]}" '^##end	[0-9]+$'
	assert_line --partial "fits=no"
}

@test "unknown sizes: peak memory is '.', and --budget cannot answer" {
	gp-load "$DATA/tiny-encoder.onnx" | gp-partition 2> /dev/null > "$BATS_TEST_TMPDIR/p"
	run -0 gp-concur < "$BATS_TEST_TMPDIR/p"
	assert_line --regexp '^##concur	.*	peak_activation_bytes=\.	'
	run --separate-stderr -1 gp-concur --budget 1G < "$BATS_TEST_TMPDIR/p"
	assert_equal "$output" ""
	assert_regex "$stderr" "^gp-concur: stdin: --budget: the peak memory is not known"
}

@test "peak memory is never below the largest subgraph's inputs and outputs, nor is the best order's" {
	for m in "$DATA"/resnet18.onnx "$DATA"/mobilenet_v2.onnx "$DATA"/efficientnet_b0.onnx \
		"$TDATA"/concur-*.onnx; do
		for o in topo best; do
			concur "$m" --order "$o"
			peak=$(key peak_activation_bytes)
			most=$(every bytes_in bytes_out | awk '{ s = $1 + $2; if (s > m) m = s } END { print m }')
			[ "$peak" -ge "$most" ] || { echo "$m $o: $peak < $most"; false; }
		done
	done
}

@test "networkx agrees on stages, width, antichain, critical path and peak on every fixture" {
	for m in "$DATA"/*.onnx "$TDATA"/concur-*.onnx; do
		for f in "" --fuse; do
			gp-load "$m" | gp-shape -D batch=1 -D seq=16 -D past=16 2> /dev/null |
				gp-partition $f 2> /dev/null | gp-concur > "$BATS_TEST_TMPDIR/s"
			run -0 /usr/bin/python3 tests/concur-oracle.py < "$BATS_TEST_TMPDIR/s"
			assert_output --regexp '^agree: [0-9]+ subgraphs$'
		done
	done
}

@test "a generated graph of 10,000 subgraphs: 10 chains of 1,000, summed" {
	/usr/bin/python3 "$TDATA/gen-dag.py" 10 1000 "$BATS_TEST_TMPDIR/dag.onnx"
	concur "$BATS_TEST_TMPDIR/dag.onnx"
	run -0 key subgraphs
	assert_output 10001
	run -0 key stages
	assert_output 1001
	run -0 key max_parallel
	assert_output 10
	run -0 key max_antichain
	assert_output 10
	run -0 key critical_ops
	assert_output 1001
	# chain by chain: x, 8 finished chain ends, the 9th chain's two tensors: 11 KiB
	run -0 key peak_activation_bytes
	assert_output 11264
	run -0 /usr/bin/python3 tests/concur-oracle.py < "$S"
	assert_output "agree: 10001 subgraphs"
}

@test "unknown columns and records pass through; a second run gives the same stream" {
	concur "$TDATA/concur-diamond.onnx"
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { print $0, "mine"; next }
		$1 == "subgraph" { print $0, "x" $2; next }
		$1 == "##end" { print "#extra\ta"; print "extra\t1"; $2 = $2 + 1 } { print }' "$S" > "$BATS_TEST_TMPDIR/in"
	gp-concur < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out"
	run -0 grep -c $'^extra\t1$' "$BATS_TEST_TMPDIR/out"
	assert_output 1
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "mine") c = i } $1 == "subgraph" { print $c }' "$BATS_TEST_TMPDIR/out"
	assert_output "$(printf 'x1\nx2\nx3\nx4')"
	grep -v '^##prog' "$S" > "$BATS_TEST_TMPDIR/a"
	gp-concur < "$S" | grep -v '^##prog' > "$BATS_TEST_TMPDIR/b"
	diff -u "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "bad input: no subgraphs, a truncated stream, records out of order, a bad count" {
	run --separate-stderr -1 gp-concur < <(gp-load "$TDATA/concur-chain.onnx")
	fails_cleanly "gp-concur: stdin: no subgraph records or ##partition header: run gp-partition first"
	gp-load "$TDATA/concur-chain.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -1 gp-concur < <(head -n -1 "$BATS_TEST_TMPDIR/p")
	fails_cleanly "gp-concur: stdin: "
	# swap the records of subgraphs 1 and 2, keeping the ids in order: b now reads a first
	awk -F'\t' -v OFS='\t' '$1 == "subgraph" && $2 == 1 { $2 = 2; held = $0; next }
		$1 == "subgraph" && $2 == 2 { $2 = 1; print; print held; next } { print }' \
		"$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/q"
	run --separate-stderr -1 gp-concur < "$BATS_TEST_TMPDIR/q"
	fails_cleanly "gp-concur: stdin: subgraph 1 reads 'a' before subgraph 2 writes it"
	# ids out of order
	sed 's/^subgraph	1	/subgraph	7	/' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/q"
	run --separate-stderr -1 gp-concur < "$BATS_TEST_TMPDIR/q"
	fails_cleanly "gp-concur: stdin: subgraph record 1 has id '7'"
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "flops") c = i }
		$1 == "subgraph" && $2 == 2 { $c = -5 } { print }' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/q"
	run --separate-stderr -1 gp-concur < "$BATS_TEST_TMPDIR/q"
	fails_cleanly "gp-concur: stdin: subgraph 2: flops '-5' is not a count"
}

@test "the ##concur example of docs/format.md is what gp-concur writes" {
	want=$(grep '^##concur	' docs/format.md)
	run -0 sh -c 'gp-load data/resnet18.onnx | gp-partition | gp-concur | grep "^##concur	"'
	assert_output "$want"
}

@test "a graph output reached through a view (Reshape) lives to the end, found from the records alone" {
	# y = Reshape(a): the subgraph r1 writes a, which nothing reads; because
	# y is a graph output, a is kept: at subgraph 3 (r3) a, b and c are live
	gp-partition < tests/data/view-output.gp | gp-concur > "$BATS_TEST_TMPDIR/c"
	S="$BATS_TEST_TMPDIR/c"
	run -0 every live_bytes
	assert_output $'8000\n12000\n12000'
	# with c the only output, a is freed as soon as r1 has written it
	sed 's/^tensor	y	float32	\[1,1000\]	output/tensor	y	float32	[1,1000]	intermediate/;
	     s/^graph	0	v	main	.	.	.	x	y,c/graph	0	v	main	.	.	.	x	c/' \
		tests/data/view-output.gp | gp-partition | gp-concur > "$BATS_TEST_TMPDIR/d"
	S="$BATS_TEST_TMPDIR/d"
	run -0 every live_bytes
	assert_output $'8000\n8000\n8000'
}
