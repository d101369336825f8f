#!/usr/bin/env bats
# gp-roofline and the hardware profiles: the model on kernels worked out by
# hand (tests/data/hw/test-chip.yaml), every profile in hw/ valid, and every
# way a profile can be wrong named with its file, line and field.

setup() {
	load test_helper
	CHIP=$TDATA/hw/test-chip.yaml
}

# roof MODEL [ARGS...]: gp-load MODEL | gp-partition | gp-roofline ARGS into $S
roof() {
	gp-load "$1" | gp-partition | gp-roofline "${@:2}" > "$S"
}

key() {
	hdr roofline "$1" "$S"
}

# profile FIELD-EDIT: the test chip edited by a sed script, into $P
profile() {
	P=$BATS_TEST_TMPDIR/test-chip.yaml
	sed "$1" "$CHIP" > "$P"
}

@test "usage errors" {
	run --separate-stderr -2 gp-roofline
	assert_regex "$stderr" "^usage: gp-roofline"
	run --separate-stderr -2 gp-roofline -H h100-sxm -p fp12
	assert_equal "$stderr" "gp-roofline: -p: 'fp12' is not fp64, fp32, tf32, fp16, bf16, fp8, int8 or int4"
	run --separate-stderr -2 gp-roofline -H h100-sxm extra
	run --separate-stderr -2 gp-roofline --check
}

@test "every profile in hw/ is valid, and --list shows each once, sorted by name" {
	run -0 gp-roofline --check hw/*.yaml
	assert_equal "${#lines[@]}" "$(ls hw/*.yaml | wc -l)"
	for l in "${lines[@]}"; do
		[[ $l =~ ^hw/([a-z0-9-]+)\.yaml$'\t'ok$'\t'([a-z0-9-]+)$ ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	done
	run -0 gp-roofline --list
	names=$(printf '%s\n' "${lines[@]}" | cut -f1)
	assert_equal "$names" "$(ls hw/*.yaml | xargs -n1 basename | sed 's/\.yaml$//' | sort)"
	for p in h100-sxm a100-sxm v100 t4 l4 a10 jetson-orin-agx jetson-orin-agx-30w tpu-v4 \
		coral-edgetpu i7-12700k epyc-9654 apple-m2 rpi5; do
		assert_line --regexp "^$p	(gpu|cpu|tpu|npu|dsp)	"
	done
	# GP_HW_PATH comes first
	mkdir "$BATS_TEST_TMPDIR/hw"
	cp "$CHIP" "$BATS_TEST_TMPDIR/hw/"
	GP_HW_PATH=$BATS_TEST_TMPDIR/hw run -0 gp-roofline --list
	assert_line --regexp "^test-chip	gpu	Test chip"
}

@test "a big GEMM is compute-bound, a big ReLU memory-bound, a tiny ReLU launch-bound (by hand)" {
	roof "$TDATA/roof.onnx" -H "$CHIP"
	# GEMM 1024^3: 2^31 FLOPs on 1 TFLOP/s x occupancy 10486/10490 (1M threads in waves of
	# 10 units x 100; the test chip has no tiles). Every kernel reads a graph input, which
	# lives between runs as the weights do. The output, 4 MiB, from its working set of 8
	# MiB: the 2 MiB SRAM serves a quarter, DRAM the rest: 4 MiB x (0.75 / 100 GB/s +
	# 0.25 / 1 TB/s) = 32.5059 us. Its input and weights, 8 MiB, live where the model's
	# resident set (4 MiB of weights + the 20 MiB and 64 bytes of inputs + the 20 MiB and
	# 64 bytes the kernels write, 44 MiB and 128 bytes) does: 2/44 from SRAM, the rest
	# from DRAM: 8 MiB x 9.59091 ps = 80.4544 us.
	# Energy 2.1483 ms x (20 W + 80 W x 0.9996)
	run -0 every name compute_s memory_s latency_s bound_hw util energy_j limit
	assert_line --index 0 "$(printf 'g\t0.0021483\t0.00011296\t0.0021483\tcompute\t0.999619\t0.214765\tmatrix unit')"
	# on a TPU the compiler places the weights (and the inputs) in its on-chip memory beside
	# the largest activation set only (the ReLU's 32 MiB), not beside all the run writes:
	# 2 MiB of 56 MiB and 64 bytes from SRAM, the rest from DRAM: 8 MiB x 9.67858 ps =
	# 81.1898 us, and 32.5059 us of the output
	profile 's/^kind: gpu/kind: tpu/'
	gp-load "$TDATA/roof.onnx" | gp-partition | gp-roofline -H "$P" > "$BATS_TEST_TMPDIR/tpu.gp"
	run -0 cols "$BATS_TEST_TMPDIR/tpu.gp" name memory_s
	assert_line --index 0 "$(printf 'g\t0.000113696')"
	run -0 every name compute_s memory_s latency_s bound_hw util energy_j limit
	# ReLU of 4Mi floats: its output, 16 MiB of a working set of 32 MiB, 2 of them from
	# SRAM: 16 MiB x (15/16 / 100 GB/s + 1/16 / 1 TB/s) = 158.335 us; its input, 16 MiB,
	# where the resident set lives: 16 MiB x 9.59091 ps = 160.909 us
	assert_line --index 1 "$(printf 'r\t4.1949e-06\t0.000319244\t0.000319244\tmemory\t0.0131382\t0.0319244\tdram bandwidth')"
	# ReLU of 16 floats: its output, 64 bytes, from SRAM at 1 TB/s, and its input, 64
	# bytes, at 9.59091 ps a byte; the 10 us launch dominates
	assert_line --index 2 "$(printf 't\t1.6e-10\t6.77818e-10\t1e-05\tlaunch\t1.6e-06\t0.000200054\tlaunch')"
	# gp-partition's own bound (by fixed AI thresholds) is left as it was
	run -0 every name bound
	assert_line --index 1 "$(printf 'r\tmemory')"
	run -0 key latency_s
	assert_output 0.00247755
	run -0 key energy_model
	assert_output tdp
	run -0 key precision
	assert_output fp32
	run -0 key hw
	assert_output test-chip
	# the chip's ridge point: 1 TFLOP/s over 100 GB/s
	run -0 key ridge_ai
	assert_output 10
	# the roofs gp-report draws: no vector peak given (the chip's), and the two levels
	run -0 key vector_ops
	assert_output 1e+12
	run -0 key roof_levels
	assert_output dram,sram
	run -0 key roof_bandwidths
	assert_output 1e+11,1e+12
}

@test "-p fp16: twice the peak, half the bytes, from gp-partition's floating elements" {
	roof "$TDATA/roof.onnx" -H "$CHIP" -p fp16
	# compute 2^31 / (2 TFLOP/s x 10486/10490); the output, 2 MiB of a working set of
	# 4 MiB, half from SRAM: 2 MiB x (0.5 / 100 GB/s + 0.5 / 1 TB/s) = 11.5343 us; the
	# input and the weights, 4 MiB of a resident 22 MiB (and 64 bytes): 4 MiB x (20/22 /
	# 100 GB/s + 2/22 / 1 TB/s) = 38.5113 us
	run -0 every name compute_s memory_s bytes_hw
	assert_line --index 0 "$(printf 'g\t0.00107415\t5.00457e-05\t6.29146e+06')"
	run -0 key precision
	assert_output fp16
	run --separate-stderr -1 gp-roofline -H "$CHIP" -p int8 < "$S"
	assert_equal "$stderr" "gp-roofline: $CHIP: test-chip has no int8 peak (it has fp32, fp16): choose one with -p"
	# without the floating elements, bytes cannot be counted at another size
	gp-load "$TDATA/roof.onnx" | gp-partition | awk -F'\t' -v OFS='\t' '
		$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "float_elems") $i = "x_elems" } { print }' > "$S"
	run --separate-stderr -1 gp-roofline -H "$CHIP" -p fp16 < "$S"
	fails_cleanly "gp-roofline: stdin: the #subgraph header has no float_elems and float_bytes, which counting bytes at fp16 needs"
	run -0 gp-roofline -H "$CHIP" -p fp32 < "$S"
}

@test "running what can run at once: a stage takes its slowest kernel, or all its work on the whole chip" {
	# gp-roofline takes the stages gp-concur wrote; without them, the concurrent latency is unknown
	gp-load "$TDATA/roof.onnx" | gp-partition | gp-roofline -H "$CHIP" > "$BATS_TEST_TMPDIR/s"
	S=$BATS_TEST_TMPDIR/s
	run -0 key latency_concurrent_s
	assert_output .
	gp-load "$TDATA/roof.onnx" | gp-partition | gp-concur | gp-roofline -H "$CHIP" > "$BATS_TEST_TMPDIR/s"
	# the three kernels are independent (one stage): 2^31/1e12 + 319.244 us + 6.78e-10
	run -0 key latency_concurrent_s
	assert_output 0.00246673
	run -0 key latency_s
	assert_output 0.00247755
	# a stage that is no stage is refused
	gp-load "$TDATA/roof.onnx" | gp-partition | gp-concur | awk -F'\t' -v OFS='\t' '
		$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "stage") c = i }
		$1 == "subgraph" && $2 == 2 { $c = 99 } { print }' > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr -1 gp-roofline -H "$CHIP" < "$BATS_TEST_TMPDIR/bad"
	fails_cleanly "gp-roofline: stdin: subgraph 2: stage '99' is not a stage of 3 subgraphs"
	# and gp-concur --weight time after gp-roofline weighs the critical path by time
	gp-concur --weight time < "$S" > "$BATS_TEST_TMPDIR/t"
	run -0 grep -o 'critical_weight=time	critical_ops=1	.*critical_latency_s=0.0021483	' "$BATS_TEST_TMPDIR/t"
}

@test "the widest stage is gp-concur's where it has run, and counted from the DAG where not" {
	# three independent kernels on 10 units: ceil(10 / 3) = 4 batches fill the chip, both ways
	roof "$TDATA/roof.onnx" -H "$CHIP"
	run -0 key batch_to_fill_graph
	assert_output 4
	gp-load "$TDATA/roof.onnx" | gp-partition | gp-concur > "$BATS_TEST_TMPDIR/c"
	gp-roofline -H "$CHIP" < "$BATS_TEST_TMPDIR/c" > "$S"
	run -0 key batch_to_fill_graph
	assert_output 4
	# gp-roofline takes gp-concur's max_parallel, not its own count: 2 makes it 5, and more
	# than the subgraphs is refused
	sed 's/max_parallel=3/max_parallel=5/' "$BATS_TEST_TMPDIR/c" > "$BATS_TEST_TMPDIR/five"
	run --separate-stderr -1 gp-roofline -H "$CHIP" < "$BATS_TEST_TMPDIR/five"
	fails_cleanly "gp-roofline: stdin: the ##concur header's max_parallel '5' is not a count of its 3 subgraphs"
	sed 's/max_parallel=3/max_parallel=2/' "$BATS_TEST_TMPDIR/c" | gp-roofline -H "$CHIP" > "$S"
	run -0 key batch_to_fill_graph
	assert_output 5
	# and a header of other subgraphs than the stream's
	sed '/^##concur/s/subgraphs=3/subgraphs=4/' "$BATS_TEST_TMPDIR/c" > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr -1 gp-roofline -H "$CHIP" < "$BATS_TEST_TMPDIR/bad"
	fails_cleanly "gp-roofline: stdin: the ##concur header counts 4 subgraphs, the stream has 3 \(run gp-concur again\)$"
	for v in 0 x -1 ''; do
		sed "s/max_parallel=3/max_parallel=$v/" "$BATS_TEST_TMPDIR/c" > "$BATS_TEST_TMPDIR/bad"
		run --separate-stderr -1 gp-roofline -H "$CHIP" < "$BATS_TEST_TMPDIR/bad"
		fails_cleanly "gp-roofline: stdin: the ##concur header's max_parallel '$v' is not a count of its 3 subgraphs \(run gp-concur again\)$"
	done
}

@test "per-op energies replace the TDP model; launch_per model pays the launch once, run_s every run" {
	profile 's/^launch_s: 10u/launch_s: 10u\nlaunch_per: model\npj_per_flop:\n  fp32: 2/; s/covers: \[units/covers: [pj_per_flop, units/'
	roof "$TDATA/roof.onnx" -H "$P"
	run -0 key energy_model
	assert_output per-op
	# 2 pJ per FLOP + 20 W idle x latency (no pj_per_byte given)
	run -0 every name energy_j
	assert_line --index 0 "$(printf 'g\t%s' "$(awk 'BEGIN { printf "%.6g", 2147483648 * 2e-12 + 20 * 0.0021483 }')")"
	# the tiny ReLU: 0.678 ns of memory (its input where the resident set lives) against
	# 0.16 ns of compute
	run -0 every name bound_hw latency_s
	assert_line --index 2 "$(printf 't\tmemory\t6.77818e-10')"
	# 2.1483 ms + 319.244 us + 0.68 ns + one 10 us launch
	run -0 key latency_s
	assert_output 0.00247755
	# a fixed 1 ms per run on top (the runtime's call)
	profile 's/^launch_s: 10u/launch_s: 10u\nrun_s: 1m/; s/covers: \[units/covers: [run_s, units/'
	roof "$TDATA/roof.onnx" -H "$P"
	run -0 key latency_s
	assert_output 0.00347755
	# the tiny ReLU's 10 us launch and the 1 ms run, of 3.47755 ms
	run -0 key launch_bound_share
	assert_output 0.290435
}

@test "a profile without power estimates no energy; without a source, nothing" {
	profile '/^power:/,/idle_w/d'
	roof "$TDATA/roof.onnx" -H "$P"
	run -0 key energy_model
	assert_output none
	run -0 key energy_j
	assert_output .
}

@test "bad profiles: one line naming the file, line and field" {
	check() {  # check SED-SCRIPT EXPECTED-ERROR
		profile "$1"
		run --separate-stderr -1 gp-roofline --check "$P"
		assert_equal "$output" ""
		assert_equal "${#stderr_lines[@]}" 1
		assert_equal "$stderr" "gp-roofline: $P$2"
	}
	check 's/^units: 10/units: ten/' ":6:8: 'units': 'ten' is not a number (a plain number, or one with a suffix k M G T, Ki Mi Gi, m u n)"
	check 's/^units: 10/units: .nan/' ":6:8: 'units': '.nan' is not a number (a plain number, or one with a suffix k M G T, Ki Mi Gi, m u n)"
	check 's/fp32: 1T/fp32: 1e400/' ":11:9: 'peak_ops.fp32': '1e400' is not a number (a plain number, or one with a suffix k M G T, Ki Mi Gi, m u n)"
	check 's/fp32: 1T/fp32: -1T/' ":11:9: 'peak_ops.fp32': -1T is out of range (1 to 1e+21)"
	check 's/fp32: 1T/fp33: 1T/' ":11:3: unknown field 'peak_ops.fp33': it takes fp64, fp32, tf32, fp16, bf16, fp8, int8 and int4"
	check 's/^unit: unit/unit: unit\nunits: 4/' ":8:1: field 'units' appears twice"
	check '/^clock_hz/d' ": the required field 'clock_hz' is missing (docs/hardware.md)"
	check 's/^kind: gpu/kind: fpga/' ":5:7: 'kind': 'fpga' is not gpu, cpu, npu, tpu or dsp"
	check 's/    bandwidth: 100G/    bandwith: 100G/' ":16:5: unknown field 'memory[0].bandwith': it takes level, capacity, bandwidth, pj_per_byte, read_bandwidth and write_bandwidth"
	check 's/    capacity: 2Mi/    capacity: 2Gi/' ":17:5: memory level 'sram' is larger than 'dram' before it: list levels outermost (largest) first"
	check 's/launch_s\]/]/' ":23: 'launch_s' has no source: add it to the 'covers' of the source it comes from"
	check 's/^  - cite: made up.*/  - url: x/' ":25:5: source 1 needs both 'cite' and 'covers'"
	check 's/^peak_ops:/peak_ops: [1, 2]\nx:/' ":10:11: 'peak_ops' must be a mapping of 'key: value' lines"
	check 's/^name: test-chip/name: [test/' ":3:6: not YAML: did not find expected ',' or ']' while parsing a flow sequence"
	check 's/^  tdp_w: 100/  tdp_w: .inf/' ":21:10: 'power.tdp_w': '.inf' is not a number (a plain number, or one with a suffix k M G T, Ki Mi Gi, m u n)"
	: > "$P"
	run --separate-stderr -1 gp-roofline --check "$P"
	assert_equal "$stderr" "gp-roofline: $P: empty file, not a hardware profile"
	run --separate-stderr -1 gp-roofline --check no-such-chip
	assert_regex "$stderr" "^gp-roofline: no hardware profile 'no-such-chip' \\(gp-roofline --list"
	run --separate-stderr -1 gp-roofline --check ../etc/passwd
	assert_regex "$stderr" "^gp-roofline: ../etc/passwd: "
	# a profile found by name must be that profile
	mkdir "$BATS_TEST_TMPDIR/hw"
	sed 's/^name: test-chip/name: other/' "$CHIP" > "$BATS_TEST_TMPDIR/hw/test-chip.yaml"
	GP_HW_PATH=$BATS_TEST_TMPDIR/hw run --separate-stderr -1 gp-roofline --check test-chip
	assert_equal "$stderr" "gp-roofline: $BATS_TEST_TMPDIR/hw/test-chip.yaml: the profile is named 'other', not 'test-chip'"
}

@test "unknown costs make the totals '.', and bad streams are refused whole" {
	gp-load "$DATA/tiny-encoder.onnx" | gp-partition 2> /dev/null | gp-roofline -H "$CHIP" > "$BATS_TEST_TMPDIR/s"
	S=$BATS_TEST_TMPDIR/s
	run -0 key latency_s
	assert_output .
	run -0 key unknown
	assert_regex "$output" '^[1-9][0-9]*$'
	run --separate-stderr -1 gp-roofline -H "$CHIP" < <(gp-load "$TDATA/roof.onnx")
	fails_cleanly "gp-roofline: stdin: no subgraph records or ##partition header: run gp-partition first"
	gp-load "$TDATA/roof.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -1 gp-roofline -H "$CHIP" < <(head -n -1 "$BATS_TEST_TMPDIR/p")
	fails_cleanly "gp-roofline: stdin: "
}

@test "the fixture CNNs on real profiles: batch-1 latency, throughput and bounds are all there" {
	for hw in h100-sxm a100-sxm t4 jetson-orin-agx i7-12700k rpi5; do
		roof "$DATA/resnet18.onnx" -H "$hw"
		run -0 key latency_s
		assert_regex "$output" '^[0-9.e+-]+$'
		run -0 key throughput_per_s
		assert_regex "$output" '^[0-9.e+-]+$'
		run -0 every bound
		refute_output --partial "."
	done
	# an int8-only chip needs -p int8; with it, the model is memory-bound over USB
	run --separate-stderr -1 gp-roofline -H coral-edgetpu < "$S"
	assert_regex "$stderr" "coral-edgetpu has no fp32 peak \\(it has int8\\): choose one with -p$"
	roof "$DATA/resnet18.onnx" -H coral-edgetpu -p int8
	run -0 key memory_bound_share
	assert_regex "$output" '^0\.9'
}

@test "the ##roofline example of docs/format.md is what gp-roofline writes" {
	want=$(grep '^##roofline	' docs/format.md)
	run -0 sh -c 'gp-load data/resnet18.onnx | gp-partition --fuse | gp-concur | gp-roofline -H t4 -p fp16 | grep "^##roofline	"'
	assert_output "$want"
}
