#!/usr/bin/env bats
# The kernel geometry gp-partition writes (the GEMM view, floating elements)
# and the mapping of kernels onto a chip's tiles, vector units and memory
# levels (lib/mapping.c, docs/roofline.md), on kernels worked out by hand.

setup() {
	load test_helper
}

# part MODEL [GP-PARTITION ARGS...]: the partitioned stream of MODEL at batch 1, seq 8, into $S
part() {
	gp-load "$1" | gp-shape -D batch=1 -D seq=8 2> /dev/null | gp-partition "${@:2}" 2> /dev/null > "$S"
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

# A made-up chip with round numbers: 8 units of 512 fp16 MACs a cycle at 1 GHz (8.192
# TFLOP/s; 512 G MAC/s a unit), one 64x64x32 tile, a vector unit of 512 GFLOP/s, a 1 MiB
# L2 at 1 TB/s inside a DRAM of 100 GB/s, no launch cost.
tile_chip() {
	P=$BATS_TEST_TMPDIR/tile-chip.yaml
	cat > "$P" <<'YAML'
name: tile-chip
title: Tile chip (round numbers)
vendor: gp tests
kind: gpu
units: 8
unit: SM
clock_hz: 1G
threads_per_unit: 128
peak_ops:
  fp16: 8.192T
vector_ops:
  fp16: 512G
matrix:
  fp16: [64x64x32]
memory:
  - level: dram
    bandwidth: 100G
  - level: l2
    capacity: 1Mi
    bandwidth: 1T
launch_s: 0
sources:
  - cite: made up for tests/0020-mapping.bats
    covers: [units, clock_hz, threads_per_unit, peak_ops, vector_ops, matrix, memory, launch_s]
YAML
}

# map KERNEL...: t-mapping on the tile chip, one kernel a line:
# FLOPS RD WR WT THREADS ELEM RESIDENT GEMM
map() {
	printf '%s\n' "$@" | "$GP_TESTBIN/t-mapping" "$P" fp16
}

@test "mapping: a GEMM whose tiles do not fill the chip (by hand)" {
	tile_chip
	# 128 x 128 x 32: 2 x 2 = 4 tiles of one 64x64x32 step (K cannot be split: one step).
	# A step is 131072 MACs at 512 G MAC/s = 256 ns; one wave on 4 of the 8 units: 256 ns,
	# twice the 128 ns the whole chip would take. Operands: 4 steps x (64 + 64) x 32 x 2 B
	# = 32 KiB through the L2, each busy unit getting 1/8 of 1 TB/s: 65.5 ns, not the limit.
	run -0 map "1048576 0 0 0 16384 2 0 1x128x128x32"
	assert_output "$(printf '2.56e-07\t0\t2.56e-07\tmatrix\t4\t1\t1\t64x64x32\ttiles 4/8 SM')"
}

@test "mapping: split-K when one tile would leave 7 units idle (by hand)" {
	tile_chip
	# 64 x 64 x 1024: one tile of 32 steps, 8.192 us on one unit. Split K 8 ways: 8 tiles of
	# 4 steps, one wave: 1.024 us. The partial sums, 8 x 64 x 64 x 4 B written and read back
	# (256 KiB at 1 TB/s, 262 ns), and the operands (8 x 4 x 8 KiB over 8 busy units, 262 ns)
	# take 524 ns through the L2: less than the 1.024 us of the products.
	run -0 map "8388608 0 0 0 4096 2 0 1x64x64x1024"
	assert_output "$(printf '1.024e-06\t0\t1.024e-06\tmatrix\t8\t8\t1\t64x64x32\ttiles 8/8 SM split-k 8')"
}

@test "mapping: a depthwise convolution runs on the vector unit (by hand)" {
	tile_chip
	# 3x3 depthwise over 64 channels of 32 x 32: 64 products of 1024 x 1 x 9. On the matrix
	# unit: 64 x 16 tiles of one step that compute 64 x 64 x 32 MACs for 1024 x 9 useful
	# ones (fill 0.0044): 1024 tiles in 128 waves of 256 ns = 32.8 us. On the vector unit:
	# 1,179,648 FLOPs at 512 GFLOP/s, 65536 outputs filling 512 of 128 threads in whole
	# waves of 8 units: 2.304 us. The vector unit wins.
	run -0 map "1179648 0 0 0 65536 2 0 64x1024x1x9"
	assert_output "$(printf '2.304e-06\t0\t2.304e-06\tvector\t0\t1\t1\t0x0x0\tvector unit')"
}

@test "mapping: a stream across a cache boundary grows smoothly, weights come from where they live (by hand)" {
	tile_chip
	# element-wise, in = out: the working set is in + out. Fitting the 1 MiB L2: 1 MiB at
	# 1 TB/s = 1.04858 us. At 1.25 MiB the L2 serves 0.8 of it, DRAM 0.2: 1.25 MiB x
	# (0.8 / 1 TB/s + 0.2 / 100 GB/s) = 3.67 us (DRAM's share takes the most time, 2.62 us).
	# At 2 MiB: half and half, 11.53 us; at 8 MiB one eighth from the L2, 74.45 us.
	run -0 map "0 524288 524288 0 0 2 0 ." "0 655360 655360 0 0 2 0 ." \
		"0 1048576 1048576 0 0 2 0 ." "0 4194304 4194304 0 0 2 0 ."
	assert_line --index 0 "$(printf '0\t1.04858e-06\t1.04858e-06\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	assert_line --index 1 "$(printf '0\t3.67002e-06\t3.67002e-06\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	assert_line --index 2 "$(printf '0\t1.15343e-05\t1.15343e-05\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	assert_line --index 3 "$(printf '0\t7.44489e-05\t7.44489e-05\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# no cliff: just past the capacity the time per byte rises a little, not 10x
	run -0 map "0 530000 530000 0 0 2 0 ."
	assert_output --regexp "^0	1\\.1[0-9]*e-06	"
	# 1 MiB of weights: a model that keeps 0.5 MiB (less than its weights: the weights are
	# what it keeps) has them in the L2, 1.04858 us; one that keeps 4 MiB has a quarter of
	# them there: 1 MiB x (0.75 / 100 GB/s + 0.25 / 1 TB/s) = 8.13 us
	run -0 map "0 0 0 1048576 0 2 524288 ." "0 0 0 1048576 0 2 4194304 ."
	assert_line --index 0 "$(printf '0\t1.04858e-06\t1.04858e-06\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	assert_line --index 1 "$(printf '0\t8.12646e-06\t8.12646e-06\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

@test "runtime profiles: listed, validated, and refused on the wrong kind of chip or with a bad field" {
	run -0 gp-roofline --list-runtimes
	assert_line --regexp "^onnxruntime-cpu	cpu	"
	assert_line --regexp "^tensorrt	gpu	"
	assert_line --regexp "^tflite-edgetpu	tpu	"
	run -0 gp-roofline --check-runtime hw/runtime/*.yaml
	assert_equal "${#lines[@]}" "$(ls hw/runtime/*.yaml | wc -l)"
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -1 gp-roofline -H t4 -R onnxruntime-cpu < "$BATS_TEST_TMPDIR/p"
	fails_cleanly "gp-roofline: .*onnxruntime-cpu.yaml: onnxruntime-cpu runs on a cpu, and t4 is a gpu"
	run --separate-stderr -1 gp-roofline -H t4 -R no-such-runtime < "$BATS_TEST_TMPDIR/p"
	fails_cleanly "gp-roofline: no runtime profile 'no-such-runtime'"
	R=$BATS_TEST_TMPDIR/rt.yaml
	sed 's/^fuse: .*/fuse: [conv-bn, magic]/' hw/runtime/tensorrt.yaml > "$R"
	run --separate-stderr -1 gp-roofline --check-runtime "$R"
	fails_cleanly "gp-roofline: $R:[0-9]+:[0-9]+: 'fuse': 'magic' is not one of"
	sed 's/^run_s:/run_time:/' hw/runtime/tensorrt.yaml > "$R"
	run --separate-stderr -1 gp-roofline --check-runtime "$R"
	fails_cleanly "gp-roofline: $R:[0-9]+:1: unknown field 'run_time'"
	sed 's/^kernel_cycles: .*/kernel_cycles: 5/; s/covers: \[kernel_cycles, run_s, efficiency\]/covers: [run_s, efficiency]/' hw/runtime/tensorrt.yaml > "$R"
	run --separate-stderr -1 gp-roofline --check-runtime "$R"
	fails_cleanly "gp-roofline: $R:[0-9]+: 'kernel_cycles' has no source"
}

@test "gp-partition --fuse=RUNTIME applies that runtime's fusions only" {
	# onnxruntime's CPU provider fuses an activation into a conv only when the conv's output
	# has no other reader: EfficientNet's 49 SiLUs (the conv's output read by Sigmoid and Mul)
	# keep the conv alone and fuse Sigmoid+Mul (onnxruntime's QuickGelu); its 16
	# squeeze-excitation gates fuse Sigmoid into their conv and leave the Mul that scales;
	# the ideal compiler (--fuse) fuses the whole SiLU into the conv
	gp-load "$DATA/efficientnet_b0.onnx" | gp-partition --fuse=onnxruntime-cpu > "$BATS_TEST_TMPDIR/o"
	gp-load "$DATA/efficientnet_b0.onnx" | gp-partition --fuse > "$BATS_TEST_TMPDIR/f"
	run -0 hdr partition subgraphs "$BATS_TEST_TMPDIR/o"
	assert_output 164
	run -0 hdr partition subgraphs "$BATS_TEST_TMPDIR/f"
	assert_output 115
	run -0 hdr partition runtime "$BATS_TEST_TMPDIR/o"
	assert_output onnxruntime-cpu
	cols "$BATS_TEST_TMPDIR/o" ops | sort | uniq -c | sort -rn > "$BATS_TEST_TMPDIR/ops"
	run -0 cat "$BATS_TEST_TMPDIR/ops"
	assert_line --regexp "^ *49 Sigmoid\\+Mul$"
	assert_line --regexp "^ *16 Conv\\+Sigmoid$"
	assert_line --regexp "^ *16 Mul$"
	# TensorRT fuses what the ideal compiler does
	gp-load "$DATA/efficientnet_b0.onnx" | gp-partition --fuse=tensorrt > "$BATS_TEST_TMPDIR/t"
	run -0 hdr partition subgraphs "$BATS_TEST_TMPDIR/t"
	assert_output 115
	run --separate-stderr -1 gp-partition --fuse=nothing < "$BATS_TEST_TMPDIR/t"
	fails_cleanly "gp-partition: no runtime profile 'nothing'"
}

@test "a runtime's call binds each input and output past the first: input_s and output_s" {
	# silero VAD (legacy) has 4 inputs (input, sr, h, c) and 3 outputs (output, hn, cn);
	# onnxruntime-cpu's run_s holds one of each, and each more costs input_s 1.57 us or
	# output_s 2.13 us: 3 x 1.57 + 2 x 2.13 = 8.97 us
	S=$BATS_TEST_TMPDIR/s
	gp-load "$DATA/npm/silero-vad-legacy.onnx" | gp-shape -D batch=1 --input input=1x512 |
		gp-partition --fuse=onnxruntime-cpu > "$BATS_TEST_TMPDIR/p"
	gp-roofline -H i7-12700k -R onnxruntime-cpu < "$BATS_TEST_TMPDIR/p" > "$S"
	run -0 hdr roofline io_s "$S"
	assert_output 8.97e-06
	run -0 gp-report < "$S"
	assert_line --regexp "^  per run             [0-9.]+ us of it, onnxruntime-cpu's: its call 13.8 us, more inputs and outputs 8.97 us, "
	# a profile without them pays nothing more, and the latency is that much shorter
	grep -v '^input_s:\|^output_s:' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt.yaml"
	gp-roofline -H i7-12700k -R "$BATS_TEST_TMPDIR/rt.yaml" < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/n"
	run -0 hdr roofline io_s "$BATS_TEST_TMPDIR/n"
	assert_output 0
	a=$(hdr roofline latency_s "$S")
	b=$(hdr roofline latency_s "$BATS_TEST_TMPDIR/n")
	run -0 awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4g\n", a - b }'
	assert_output 8.97e-06
	# one input and one output (ResNet-18) pay none
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse=onnxruntime-cpu | gp-roofline -H i7-12700k -R onnxruntime-cpu > "$S"
	run -0 hdr roofline io_s "$S"
	assert_output 0
}

@test "a runtime's costs: per kernel on the device, per run, copies, and the shape computations and views it runs" {
	# TensorRT on an A100: every kernel pays 10197 cycles at 1.41 GHz = 7.2319 us on top of its
	# mapped time; a run pays 4.06 us and copies the 602,112-byte fp32 input and the 4,000-byte
	# output over PCIe 4.0 x16 (31.5 GB/s): 606,112 B / 31.5 GB/s = 19.2417 us
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse=tensorrt | gp-roofline -H a100-sxm -R tensorrt -p fp32 > "$BATS_TEST_TMPDIR/s"
	S=$BATS_TEST_TMPDIR/s
	run -0 hdr roofline copy_s "$S"
	assert_output 1.92417e-05
	run -0 hdr roofline runtime "$S"
	assert_output tensorrt
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" { d = $c["latency_s"] - ($c["compute_s"] > $c["memory_s"] ? $c["compute_s"] : $c["memory_s"])
			if (d < 7.2313e-6 || d > 7.2325e-6) print "kernel", $c["id"], d; n++; sum += $c["latency_s"] }
		$1 == "##roofline" { for (i = 2; i <= NF; i++) { split($i, kv, "="); h[kv[1]] = kv[2] } }
		END { if (sum + 4.06e-6 + 1.92417e-5 - h["latency_s"] > 1e-9 * n || h["latency_s"] - sum - 4.06e-6 - 1.92417e-5 > 1e-9 * n) print "total", sum, h["latency_s"] }' "$S"
	assert_output ""
	# onnxruntime runs the shape nodes of tiny-encoder (Shape, Gather, Concat, Unsqueeze on
	# its dynamic dims) that gp folds, 72 of its 86 once repeats are merged (shape-cse):
	# 72 x 302.8 ns (the profile's kernel_s) = 21.8016 us on top
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 | gp-partition --fuse=onnxruntime-cpu > "$BATS_TEST_TMPDIR/p"
	run -0 hdr partition shape_nodes "$BATS_TEST_TMPDIR/p"
	assert_output 72
	gp-roofline -H i7-12700k -R onnxruntime-cpu < "$BATS_TEST_TMPDIR/p" > "$S"
	run -0 hdr roofline shape_s "$S"
	assert_output 2.18016e-05
	run -0 hdr roofline copy_s "$S"
	assert_output 0
	# and its 10 Reshapes of activations (its profile lists 10 Reshape nodes), each a
	# kernel of onnxruntime's: 10 x 302.8 ns = 3.028 us; its views of shapes (the
	# Unsqueezes after a Gather) are shape nodes, not these
	run -0 hdr partition view_nodes "$BATS_TEST_TMPDIR/p"
	assert_output 10
	run -0 hdr roofline view_s "$S"
	assert_output 3.028e-06
	# gp-report says what of the latency the runtime pays once a run: its call
	# (run_s 13.76 us), the shape nodes and the views
	run -0 gp-report < "$S"
	assert_line "  per run             38.6 us of it, onnxruntime-cpu's: its call 13.8 us, 72 shape nodes 21.8 us, 10 views 3.03 us"
	run -0 gp-report --summary < "$S"
	assert_line "$(printf 'shape_s\t2.18016e-05')"
	assert_line "$(printf 'view_s\t3.028e-06')"
	# ResNet-18's one Flatten; TensorRT runs none
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse=tensorrt > "$BATS_TEST_TMPDIR/p"
	run -0 hdr partition view_nodes "$BATS_TEST_TMPDIR/p"
	assert_output 1
	gp-roofline -H a100-sxm -R tensorrt < "$BATS_TEST_TMPDIR/p" > "$S"
	run -0 hdr roofline view_s "$S"
	assert_output 0
	run -0 gp-report < "$S"
	assert_line --regexp "^  per run             [0-9.]+ us of it, tensorrt's: its call 4.06 us, copies [0-9.]+ us$"
	# without a runtime, no such line
	gp-roofline -H a100-sxm < "$BATS_TEST_TMPDIR/p" | gp-report > "$BATS_TEST_TMPDIR/r.txt"
	run -1 grep -c 'per run' "$BATS_TEST_TMPDIR/r.txt"
	# and a runtime profile says executed or free
	sed 's/^view_nodes: executed$/view_nodes: sometimes/' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt.yaml"
	run -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/rt.yaml"
	assert_output --partial "'view_nodes': 'sometimes' is not executed or free"
}

@test "gp-calibrate: read and write bandwidth inside every level, --runs reports the spread" {
	run --separate-stderr -2 gp-calibrate --runs 0
	assert_regex "$stderr" "--runs: '0' is not a number of runs"
	gp-calibrate --quick --threads 1 --runs 2 -o "$BATS_TEST_TMPDIR/h.yaml" 2> "$BATS_TEST_TMPDIR/err"
	run -0 gp-roofline --check "$BATS_TEST_TMPDIR/h.yaml"
	run -0 cat "$BATS_TEST_TMPDIR/h.yaml"
	assert_line --regexp "^# the median of 2 runs; the figures spread at most [0-9.]+% \\(.+\\)$"
	# every level has a read and a write bandwidth, the write one from a triad inside it
	levels=$(grep -c '^  - level: ' "$BATS_TEST_TMPDIR/h.yaml")
	assert_equal "$(grep -c '^    read_bandwidth: ' "$BATS_TEST_TMPDIR/h.yaml")" "$levels"
	assert_equal "$(grep -c '^    write_bandwidth: ' "$BATS_TEST_TMPDIR/h.yaml")" "$levels"
	assert_line --regexp "^    write_bandwidth: [0-9.e+]+ +# bytes/s: triad inside the level on 1 thread, "
	# a busy or unsteady machine is said on stderr and marked in the profile, never silently
	if grep -q 'was busy' "$BATS_TEST_TMPDIR/err"; then
		assert_line --regexp "^# warning: measured on a busy machine "
	elif grep -q 'was unsteady: the figures spread [0-9]*% (.*) over 2 runs while the load average stayed' \
	    "$BATS_TEST_TMPDIR/err"; then
		assert_line --regexp "^# warning: measured on an unsteady machine "
	else
		refute_line --partial "busy"
		refute_line --partial "unsteady"
	fi
}

@test "the mapping fields of a profile: tiles, vector peaks, per-direction bandwidth, host link, each checked" {
	tile_chip
	run -0 gp-roofline --check "$P"
	check() {  # check SED-SCRIPT EXPECTED-ERROR
		sed "$1" "$P" > "$BATS_TEST_TMPDIR/bad.yaml"
		run --separate-stderr -1 gp-roofline --check "$BATS_TEST_TMPDIR/bad.yaml"
		assert_equal "$output" ""
		assert_equal "$stderr" "gp-roofline: $BATS_TEST_TMPDIR/bad.yaml$2"
	}
	check 's/fp16: \[64x64x32\]/fp16: [64x64]/' ":14:10: 'matrix.fp16': '64x64' is not a tile MxNxK of whole numbers 1 to 65536"
	check 's/fp16: \[64x64x32\]/fp16: [64x0x32]/' ":14:10: 'matrix.fp16': '64x0x32' is not a tile MxNxK of whole numbers 1 to 65536"
	check 's/fp16: \[64x64x32\]/fp16: 64x64x32/' ":14:9: 'matrix.fp16' must be a list of tiles MxNxK, e.g. [128x128x32, 64x64x32]"
	check 's/fp16: \[64x64x32\]/fp12: [64x64x32]/' ":14:3: unknown field 'matrix.fp12': it takes fp64, fp32, tf32, fp16, bf16, fp8, int8 and int4"
	check 's/  fp16: 512G/  fp16: -1/' ":12:9: 'vector_ops.fp16': -1 is out of range (1 to 1e+21)"
	check 's/    bandwidth: 1T/    bandwidth: 1T\n    read_bandwith: 1T/' ":21:5: unknown field 'memory[1].read_bandwith': it takes level, capacity, bandwidth, pj_per_byte, read_bandwidth and write_bandwidth"
	check 's/^launch_s: 0/launch_s: 0\nhost_link: 10G/' ":22: 'host_link' has no source: add it to the 'covers' of the source it comes from"
	check 's/matrix, memory/memory/' ":14: 'matrix.fp16' has no source: add it to the 'covers' of the source it comes from"
	# a write bandwidth of its own: a stream that only writes is timed by it
	sed 's/    bandwidth: 1T/    bandwidth: 1T\n    write_bandwidth: 500G/' "$P" > "$BATS_TEST_TMPDIR/w.yaml"
	run -0 sh -c "printf '0 0 524288 0 0 2 0 .\n' | '$GP_TESTBIN/t-mapping' '$BATS_TEST_TMPDIR/w.yaml' fp16"
	assert_output --regexp "^0	1\\.04858e-06	"
}

@test "a damaged gemm or float column is an error naming the subgraph, not a guess" {
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	sed 's/\t1x49x512x4608\t/\t1x49x512\t/' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr -1 gp-roofline -H t4 -p fp16 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-roofline: stdin: subgraph 38: gemm '1x49x512' is not a list of BxMxNxK"
	sed 's/\t150528,802816,9472\t/\t150528,802816\t/' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/f"
	run --separate-stderr -1 gp-roofline -H t4 -p fp16 < "$BATS_TEST_TMPDIR/f"
	fails_cleanly "gp-roofline: stdin: subgraph 1: float_elems '150528,802816' or float_bytes"
	# more floating bytes than bytes: refused, never negative traffic
	sed 's/\t602112,3211264,37888$/\t602112,3211264,99999999/; s/\t602112,3211264,37888\t/\t602112,3211264,99999999\t/' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr -1 gp-roofline -H t4 -p fp16 < "$BATS_TEST_TMPDIR/b"
	fails_cleanly "gp-roofline: stdin: subgraph 1: float_bytes '602112,3211264,99999999' exceed its bytes"
	# at the counted precision nothing is scaled: the floats are not needed
	run -0 gp-roofline -H t4 -p fp32 < "$BATS_TEST_TMPDIR/f"
}

@test "the graph's inputs come from where the weights live between runs, not from where a kernel left them" {
	# gp-partition counts them apart: ResNet-18's stem reads the image, 1 x 3 x 224 x 224
	# floats, and no other kernel reads a graph input
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" && $c["bytes_input"] > 0 { print $c["name"], $c["bytes_input"], $c["bytes_in"] }
		$1 == "subgraph" { s += $c["bytes_input"] } END { print s }' "$BATS_TEST_TMPDIR/p"
	assert_output "$(printf '/conv1/Conv %d %d\n%d' $((3 * 224 * 224 * 4)) $((3 * 224 * 224 * 4)) $((3 * 224 * 224 * 4)))"
	# a decode step of LLaMA-7B's dims at context 2049: each layer's Concat reads its past
	# keys (1 x 32 x 2048 x 128 floats, 32 MiB) of 32 MiB and 16 KiB; at fp16, 16 MiB that
	# no L2 kept from the step before (the A100's 40 MB holds 16 MiB, but not beside 12.3
	# GiB of weights): from the HBM, 16 MiB / 2.039 TB/s = 8.23 us, where the L2 would
	# serve them in 2.3 us
	gp-load "$TDATA/llama-7b-shape.onnx" | gp-shape -D batch=1 -D seq=1 -D past=2048 | gp-partition --fuse |
		gp-roofline -H a100-sxm -p fp16 > "$BATS_TEST_TMPDIR/d"
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" && $c["name"] == "l0.cat_key" { print $c["bytes_input"], $c["bytes_in"], $c["limit"], ($c["latency_s"] > 16 * 2^20 / 2.039e12) ? "above" : "below" }' "$BATS_TEST_TMPDIR/d"
	assert_output "$((32 * 2048 * 128 * 4)) $((32 * 2048 * 128 * 4 + 32 * 128 * 4)) hbm bandwidth above"
	# more graph input than input is refused
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" && $2 == 1 { $c["bytes_input"] = $c["bytes_in"] + 1 } { print }' "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr -1 gp-roofline -H t4 -p fp16 < "$BATS_TEST_TMPDIR/b"
	fails_cleanly "gp-roofline: stdin: subgraph 1: bytes_input 602113 exceed its bytes_in 602112"
	# a stream from before the column: every input where a kernel left it, as then (the
	# image from the T4's L2, not from its GDDR6 beside the weights)
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) if ($i == "bytes_input") c = i }
		($1 == "#subgraph" || $1 == "subgraph") && c { for (i = c; i < NF; i++) $i = $(i + 1); NF-- } { print }' \
		"$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/old"
	run -0 sh -c "gp-roofline -H t4 -p fp16 < '$BATS_TEST_TMPDIR/old' | awk -F'\t' '\$1 == \"subgraph\" && \$2 == 1 { print \$3 }'"
	assert_output /conv1/Conv
	for f in old p; do
		gp-roofline -H t4 -p fp16 < "$BATS_TEST_TMPDIR/$f" | awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
			$1 == "subgraph" && $2 == 1 { print $c["memory_s"] }' > "$BATS_TEST_TMPDIR/$f.m"
	done
	run -0 awk 'NR == FNR { a = $1; next } { print ($1 > a) ? "slower from where it lives" : "not" }' "$BATS_TEST_TMPDIR/old.m" "$BATS_TEST_TMPDIR/p.m"
	assert_output "slower from where it lives"
}
