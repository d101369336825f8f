#!/usr/bin/env bats
# The mapping of kernels onto a CPU with a runtime (lib/mapping.c,
# docs/roofline.md): a depthwise convolution on the vector unit at the rate
# the runtime's vector kernels reach, a dense one at its matrix rate, on
# kernels worked out by hand.

setup() {
	load test_helper
}

# A made-up core with round numbers: 100 GFLOP/s of fp32 FMAs, a 1 MiB L2 at
# 100 GB/s inside a DRAM of 20 GB/s, no launch cost; and a runtime whose
# dense kernels reach 0.8 of the peak and its vector kernels 0.25, with no
# dispatch or run cost.
cpu_core() {
	P=$BATS_TEST_TMPDIR/core.yaml
	R=$BATS_TEST_TMPDIR/rt.yaml
	cp "$BATS_TEST_DIRNAME/data/hw/round-core.yaml" "$P"
	# the round runtime without its memory rate (the levels' full bandwidth)
	sed '/^  memory: /d' "$BATS_TEST_DIRNAME/data/hw/round-runtime.yaml" > "$R"
}

# map [RUNTIME] KERNEL...: t-mapping on the core, one kernel a line:
# FLOPS RD WR WT THREADS ELEM RESIDENT GEMM
map() {
	local rt=
	if [ "$1" = -R ]; then
		rt=$R
		shift
	fi
	# shellcheck disable=SC2086
	printf '%s\n' "$@" | "$GP_TESTBIN/t-mapping" "$P" fp32 $rt
}

@test "cpu mapping: a depthwise convolution runs on the vector unit at the runtime's vector rate (by hand)" {
	cpu_core
	# 3x3 depthwise over 64 channels of 32 x 32: 64 products of 1024 x 1 x 9, 1,179,648
	# FLOPs. With the runtime: 100 GFLOP/s x 0.25 = 25 GFLOP/s, 47.19 us, on the vector unit.
	run -0 map -R "1179648 0 0 0 65536 4 0 64x1024x1x9"
	assert_output "$(printf '4.71859e-05\t0\t4.71859e-05\tvector\t0\t1\t1\t0x0x0\tvector unit')"
	# Without it: the chip's own vector rate, its peak (no vector_ops given): 11.80 us
	run -0 map "1179648 0 0 0 65536 4 0 64x1024x1x9"
	assert_output "$(printf '1.17965e-05\t0\t1.17965e-05\tvector\t0\t1\t1\t0x0x0\tvector unit')"
}

@test "cpu mapping: a dense convolution runs at the runtime's matrix rate; one grouped into 4-channel groups too (by hand)" {
	cpu_core
	# a 3x3 conv of 64 -> 64 channels over 32 x 32: 1 x 1024 x 64 x 576, 75,497,472 FLOPs
	# at 100 GFLOP/s x 0.8: 943.7 us
	run -0 map -R "75497472 0 0 0 65536 4 0 1x1024x64x576"
	assert_output "$(printf '0.000943718\t0\t0.000943718\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit')"
	# 16 groups of 4 channels (4 outputs per product, not 1): still the matrix rate
	run -0 map -R "4718592 0 0 0 65536 4 0 16x1024x4x36"
	assert_output "$(printf '5.89824e-05\t0\t5.89824e-05\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit')"
}

@test "cpu mapping: a memory-bound depthwise convolution stays memory-bound (by hand)" {
	cpu_core
	# the same depthwise over 64 channels of 128 x 128: 18,874,368 FLOPs (755 us at
	# 25 GFLOP/s), reading and writing 4 MiB each: a working set of 8 MiB, one eighth from
	# the L2: 8 MiB x (1/8 / 100 GB/s + 7/8 / 20 GB/s) = 377.5 us; compute bounds it
	run -0 map -R "18874368 4194304 4194304 0 1048576 4 0 64x16384x1x9"
	assert_output "$(printf '0.000754975\t0.000377487\t0.000754975\tvector\t0\t1\t1\t0x0x0\tvector unit')"
	# at a tenth of the FLOPs (a 1-tap depthwise, 1 x 1): memory-bound, from DRAM
	run -0 map -R "2097152 4194304 4194304 0 1048576 4 0 64x16384x1x1"
	assert_output "$(printf '8.38861e-05\t0.000377487\t0.000377487\tvector\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

# The same core with the register block gp-calibrate writes for AVX2 (BLIS's
# 6 x 16 sgemm micro-kernel) and 2 threads (units): 200 GFLOP/s in all.
tile_core() {
	cpu_core
	sed -i 's/^units: 1$/units: 2/; s/^  fp32: 100G$/  fp32: 200G\nmatrix:\n  fp32: [6x16x1]/; s/covers: \[units,/covers: [matrix, units,/' "$P"
}

@test "cpu mapping: register-block tiles: edge rows, a GEMM too small to split, a depthwise conv (by hand)" {
	tile_core
	# 16 x 128 x 128 (a small transformer's linear layer): ceil(16/6) x 128/16 = 3 x 8 = 24
	# tiles of 128 one-step (6 x 16 x 1 = 96 MACs) steps; a step at 100 GFLOP/s a core x 0.8
	# = 40 G MAC/s takes 2.4 ns, a tile 307.2 ns; 12 waves on 2 cores: 3.6864 us, of which
	# 16 of every 18 rows are useful (fill 0.889). No split-K, no L2 operand limit on a CPU.
	run -0 map -R "4194304 0 0 0 2048 4 0 1x16x128x128"
	assert_output "$(printf '3.6864e-06\t0\t3.6864e-06\tmatrix\t24\t1\t0.888889\t6x16x1\tmatrix unit')"
	# 1 x 16 x 128 (one row, one tile): on the matrix path one core works, the other waits,
	# and 5/6 of the rows are padding: 307.2 ns. On the vector unit: 4,096 FLOPs over 16
	# outputs, one unit-load of 16 on one of the 2 cores (occupancy 0.5), at 200 GFLOP/s x
	# 0.25 x 0.5: 163.84 ns. The faster one counts: the vector unit.
	run -0 map -R "4096 0 0 0 16 4 0 1x1x16x128"
	assert_output "$(printf '1.6384e-07\t0\t1.6384e-07\tvector\t0\t1\t1\t0x0x0\tvector unit')"
	# 6 x 16 x 128, one whole tile: 307.2 ns on one of the 2 cores, against 24,576 FLOPs at
	# 200 GFLOP/s x 0.25 on the vector unit (96 outputs, 6 unit-loads, 3 a core): 491.5 ns
	run -0 map -R "24576 0 0 0 96 4 0 1x6x16x128"
	assert_output "$(printf '3.072e-07\t0\t3.072e-07\tmatrix\t1\t1\t1\t6x16x1\ttiles 1/2 core')"
	# the depthwise conv of the first test: 64 x ceil(1024/6) = 10,944 tiles of 9 steps of
	# which 1 of 16 columns is useful: 246.2 us on the matrix path; on the vector unit,
	# 200 GFLOP/s x 0.25: 23.59 us
	run -0 map -R "1179648 0 0 0 65536 4 0 64x1024x1x9"
	assert_output "$(printf '2.3593e-05\t0\t2.3593e-05\tvector\t0\t1\t1\t0x0x0\tvector unit')"
}
