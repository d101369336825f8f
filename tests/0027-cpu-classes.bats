#!/usr/bin/env bats
# A runtime's memory efficiency per kernel class (efficiency.elementwise,
# .transcendental, .row, .pool, .move, .gemv; lib/mapping.c, docs/roofline.md
# "Kernel classes"): a Softmax, a MaxPool, a Transpose and a GEMV worked out
# by hand on a made-up core, each at its class's rate, and a runtime without
# the keys giving today's figures.

setup() {
	load test_helper
}

# A made-up core with round numbers (as tests/0025): 100 GFLOP/s of fp32
# FMAs, a 1 MiB L2 at 100 GB/s inside a DRAM of 20 GB/s, no launch cost. Two
# runtimes with no dispatch or run cost, dense kernels at 0.8 of the peak,
# vector kernels at 0.25 and memory at 0.5 of the bandwidths: $R0 without
# class keys, $R with a rate for every class.
class_core() {
	round_profiles round-core round-runtime
	sed -i 's/^  memory: 0.5$/&\n  elementwise: 0.4\n  transcendental: 0.3\n  row: 0.25\n  pool: 0.2\n  move: 0.1\n  gemv: 0.4/' "$R"
}

# map RUNTIME KERNEL...: t-mapping on the core, one kernel a line:
# FLOPS RD WR WT THREADS ELEM RESIDENT GEMM [CLASS] (CLASS as gp-partition writes it)
map() {
	local rt=$1
	shift
	printf '%s\n' "$@" | "$GP_TESTBIN/t-mapping" "$P" fp32 "$rt"
}

@test "cpu classes: the runtime profile with class keys is valid; without them it is as before" {
	class_core
	run -0 gp-roofline --check-runtime "$R" "$R0"
	assert_line --index 0 --regexp "rt\.yaml	ok	rt$"
	assert_line --index 1 --regexp "rt0\.yaml	ok	rt0$"
}

@test "cpu classes: a Softmax gets the row rate, and is compute-bound without it (by hand)" {
	class_core
	# softmax over 64 rows of 1024 floats: reads and writes 256 KiB (a 512 KiB working set,
	# all in the L2); 5 FLOPs an element, 327,680 FLOPs on the vector unit at 100 G x 0.25:
	# 13.1072 us. Memory at the row rate: 524,288 B / (100 GB/s x 0.25) = 20.9715 us, which
	# bounds it; at the runtime's memory rate (0.5): 10.4858 us, and compute bounds it
	run -0 map "$R" "327680 262144 262144 0 65536 4 0 . row"
	assert_output "$(printf '1.31072e-05\t2.09715e-05\t2.09715e-05\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	run -0 map "$R0" "327680 262144 262144 0 65536 4 0 . row"
	assert_output "$(printf '1.31072e-05\t1.04858e-05\t1.31072e-05\tvector\t0\t1\t1\t0x0x0\tvector unit')"
	# without FLOPs, at the row rate all the same
	run -0 map "$R" "0 262144 262144 0 65536 4 0 . row"
	assert_output --partial "$(printf '\t2.09715e-05\t2.09715e-05\t')"
}

@test "cpu classes: a MaxPool gets the pool rate (by hand)" {
	class_core
	# 3x3 stride-2 max pool of 64 x 112 x 112 into 64 x 56 x 56: reads 3,211,264 B, writes
	# 802,816 B, a working set of 4,014,080 B: 1 MiB of it from the L2, the rest (2,965,504 B)
	# from DRAM: 10.48576 us + 148.2752 us = 158.76096 us at full bandwidth. At the pool rate
	# (0.2): 793.805 us; at the runtime's memory rate (0.5): 317.522 us. Its 1,806,336
	# FLOPs at 25 GFLOP/s (72.2534 us) do not bound it
	run -0 map "$R" "1806336 3211264 802816 0 200704 4 0 . pool"
	assert_output "$(printf '7.22534e-05\t0.000793805\t0.000793805\tvector\t0\t1\t1\t0x0x0\tdram bandwidth')"
	run -0 map "$R0" "1806336 3211264 802816 0 200704 4 0 . pool"
	assert_output "$(printf '7.22534e-05\t0.000317522\t0.000317522\tvector\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# every pool: average, global
	run -0 map "$R" "1806336 3211264 802816 0 200704 4 0 . pool" \
		"1806336 3211264 802816 0 200704 4 0 . pool"
	assert_line --index 0 --partial "$(printf '\t0.000793805\t0.000793805\t')"
	assert_line --index 1 --partial "$(printf '\t0.000793805\t0.000793805\t')"
}

@test "cpu classes: a Transpose gets the data-movement rate, and so do Concat, Cast and Resize (by hand)" {
	class_core
	# NCHW -> NHWC of 1 x 96 x 56 x 56 floats: 1,204,224 B each way, a working set of
	# 2,408,448 B: 1 MiB from the L2 (10.48576 us), 1,359,872 B from DRAM (67.9936 us):
	# 78.47936 us at full bandwidth; at the move rate (0.1) 784.794 us, at 0.5 156.959 us
	run -0 map "$R" "0 1204224 1204224 0 301056 4 0 . move"
	assert_output "$(printf '0\t0.000784794\t0.000784794\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	run -0 map "$R0" "0 1204224 1204224 0 301056 4 0 . move"
	assert_output "$(printf '0\t0.000156959\t0.000156959\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# the other movers; a Cast that dequantizes (Cast+Mul+Add+Relu) is one of them, by its kind
	run -0 map "$R" "0 1204224 1204224 0 301056 4 0 . move" \
		"0 1204224 1204224 0 301056 4 0 . move" \
		"0 1204224 1204224 0 301056 4 0 . move"
	assert_line --index 0 --partial "$(printf '\t0.000784794\t0.000784794\t')"
	assert_line --index 1 --partial "$(printf '\t0.000784794\t0.000784794\t')"
	assert_line --index 2 --partial "$(printf '\t0.000784794\t0.000784794\t')"
}

@test "cpu classes: a GEMV (one row) streams its weights at the gemv rate; two rows, and no key, at the chip's (by hand)" {
	class_core
	# a classifier, 1 x 512 by 512 x 1000 plus a bias: 2,052,000 B of weights, alone in
	# the model (resident 0): 1 MiB from the L2 (10.48576 us), 1,003,424 B from DRAM
	# (50.1712 us); its 6,048 B of activations from the L2 (0.06048 us): 60.71744 us at full
	# bandwidth. At the gemv rate (0.4): 151.794 us. 1,025,000 FLOPs at 100 G x 0.8 over
	# 1000 outputs (63 unit-loads of 16, full occupancy on one core): 12.8125 us
	run -0 map "$R" "1025000 2048 4000 2052000 1000 4 0 1x1x1000x512 other"
	assert_output "$(printf '1.28125e-05\t0.000151794\t0.000151794\tmatrix\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# without the key: a matrix kernel's operands at the chip's own rate (1), not the
	# runtime's memory rate: 60.7174 us, as before
	run -0 map "$R0" "1025000 2048 4000 2052000 1000 4 0 1x1x1000x512 other"
	assert_output "$(printf '1.28125e-05\t6.07174e-05\t6.07174e-05\tmatrix\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# two rows are a GEMM: the chip's rate with the key too (2,050,000 FLOPs: 25.625 us;
	# 4,096 + 8,000 B of activations from the L2: 0.12096 us more)
	run -0 map "$R" "2050000 4096 8000 2052000 2000 4 0 1x2x1000x512 other"
	assert_output "$(printf '2.5625e-05\t6.07779e-05\t6.07779e-05\tmatrix\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# one row per head (a decoder's attention at batch 1) is a GEMV too, whatever its kind
	run -0 map "$R" "1025000 2048 4000 2052000 1000 4 0 1x1x1000x512 other"
	assert_output "$(printf '1.28125e-05\t0.000151794\t0.000151794\tmatrix\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

@test "cpu classes: a GEMV's FLOPs at efficiency.gemv_compute; two rows, and no key, at efficiency.matrix (by hand)" {
	class_core
	sed -i 's/^  matrix: 0.8$/&\n  gemv_compute: 0.1/' "$R"
	# 1 x 256 by 256 x 256 plus a bias: 131,328 FLOPs; 263,168 B of weights from the
	# L2 and 2,048 B of activations, at the gemv rate (100 GB/s x 0.4): 6.6304 us.
	# With the key, the FLOPs at 100 G x 0.1: 13.1328 us, compute-bound, "(one row)"
	run -0 map "$R" "131328 1024 1024 263168 256 4 0 1x1x256x256 other"
	assert_output "$(printf '1.31328e-05\t6.6304e-06\t1.31328e-05\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit (one row)')"
	# without it, at efficiency.matrix (0.8): 1.6416 us, memory-bound
	sed '/^  gemv_compute: /d' "$R" > "$BATS_TEST_TMPDIR/nokey.yaml"
	run -0 map "$BATS_TEST_TMPDIR/nokey.yaml" "131328 1024 1024 263168 256 4 0 1x1x256x256 other"
	assert_output "$(printf '1.6416e-06\t6.6304e-06\t6.6304e-06\tmatrix\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	# two rows are a GEMM: 262,656 FLOPs at 100 G x 0.8 = 3.2832 us with the key too
	# (263,168 B of weights and 4,096 B of activations at the chip's rate, 100 GB/s: 2.67264 us)
	run -0 map "$R" "262656 2048 2048 263168 512 4 0 1x2x256x256 other"
	assert_output "$(printf '3.2832e-06\t2.67264e-06\t3.2832e-06\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit')"
	# a core with a register block of 6 x 16 (tiles): the key maps the GEMV all the same,
	# where without it one row of six fills the tiles (about 9.8 us) and the vector unit,
	# at 100 G x 0.25, is faster (5.25312 us)
	sed -i 's/^  fp32: 100G$/&\nmatrix:\n  fp32: [6x16x1]/; s/covers: \[units,/covers: [matrix, units,/' "$P"
	run -0 map "$R" "131328 1024 1024 263168 256 4 0 1x1x256x256 other"
	assert_output "$(printf '1.31328e-05\t6.6304e-06\t1.31328e-05\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit (one row)')"
	run -0 map "$BATS_TEST_TMPDIR/nokey.yaml" "131328 1024 1024 263168 256 4 0 1x1x256x256 other"
	assert_output "$(printf '5.25312e-06\t6.6304e-06\t6.6304e-06\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth')"
}

@test "cpu classes: element-wise and transcendental kernels at their rates (by hand)" {
	class_core
	# 1 MiB read and 1 MiB written, in the L2 and DRAM: 1 MiB / 100 GB/s + 1 MiB / 20 GB/s
	# = 62.91456 us at full bandwidth; at 0.4 (elementwise) 157.286 us, at 0.3
	# (transcendental) 209.715 us
	run -0 map "$R" "0 1048576 1048576 0 262144 4 0 . elementwise" \
		"0 1048576 1048576 0 262144 4 0 . transcendental"
	assert_line --index 0 --partial "$(printf '\t0.000157286\t')"
	assert_line --index 1 --partial "$(printf '\t0.000209715\t')"
}

@test "cpu classes: a kernel of class other, of none, or of one it does not know keeps the runtime's memory rate" {
	class_core
	# the same 62.91456 us at 0.5: 125.829 us, with the class keys or without; gemv is
	# told by a kernel's products, so a kernel without any is no GEMV whatever its class
	run -0 map "$R" "0 1048576 1048576 0 262144 4 0 ." \
		"0 1048576 1048576 0 262144 4 0 . other" \
		"0 1048576 1048576 0 262144 4 0 . gemv" \
		"0 1048576 1048576 0 262144 4 0 . no-such-class"
	for i in 0 1 2 3; do
		assert_line --index "$i" --partial "$(printf '\t0.000125829\t')"
	done
	# and every class without the keys: the runtime's memory rate, 125.829 us
	run -0 map "$R0" "0 1048576 1048576 0 262144 4 0 . row" \
		"0 1048576 1048576 0 262144 4 0 . pool" \
		"0 1048576 1048576 0 262144 4 0 . move" \
		"0 1048576 1048576 0 262144 4 0 . elementwise" \
		"0 1048576 1048576 0 262144 4 0 . transcendental"
	for i in 0 1 2 3 4; do
		assert_line --index "$i" --partial "$(printf '\t0.000125829\t')"
	done
	# a dense convolution is no class: its operands at the chip's rate, as before (512 KiB
	# of activations and 36,864 B of weights from the L2: 5.24288 + 0.36864 us)
	run -0 map "$R" "75497472 262144 262144 36864 65536 4 0 1x1024x64x576 other"
	assert_output "$(printf '0.000943718\t5.61152e-06\t0.000943718\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit')"
}

@test "cpu classes: gp-roofline gives resnet18's MaxPool and classifier their class rates, and nothing else moves" {
	class_core
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	gp-roofline -H i7-12700k -R "$R0" -p fp32 < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/a"
	gp-roofline -H i7-12700k -R "$R" -p fp32 < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/b"
	# per subgraph: memory_s with the class keys over memory_s without them. The MaxPool:
	# 0.5 / 0.2 = 2.5; the classifier (1 x 1 x 1000 x 512): 1 / 0.4 = 2.5 (the chip's rate
	# without the key); the element-wise Adds (0.5 / 0.4 = 1.25), Relus, GlobalAveragePool
	# (2.5); convolutions and their epilogues: unchanged
	run -0 awk -F'\t' 'FNR == 1 { f++ } $1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i; next }
		$1 == "subgraph" { if (f == 1) m[$c["id"]] = $c["memory_s"]
			else printf "%s\t%s\t%.4f\n", $c["kind"], $c["ops"], $c["memory_s"] / m[$c["id"]] }' \
		"$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_line "$(printf 'maxpool\tMaxPool\t2.5000')"
	assert_line "$(printf 'linear\tGemm\t2.5000')"
	assert_line "$(printf 'globalavgpool\tGlobalAveragePool\t2.5000')"
	assert_line "$(printf 'add\tAdd\t1.2500')"
	assert_line "$(printf 'relu\tRelu\t1.2500')"
	assert_line "$(printf 'conv2d\tConv\t1.0000')"
	refute_line --regexp "^conv2d.*	(0|[02-9]|1\.[0-9]*[1-9])"
}

@test "cpu classes: a wrong efficiency key or value is a clear error" {
	class_core
	sed 's/^  row: 0.25$/  softmax: 0.25/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	fails_cleanly "gp-roofline: .*bad.yaml:[0-9]+:[0-9]+: unknown field 'efficiency.softmax': it takes matrix, vector, gemv_compute, memory, elementwise, transcendental, row, pool, move and gemv"
	sed 's/^  pool: 0.2$/  pool: 1.5/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	fails_cleanly "gp-roofline: .*bad.yaml:[0-9]+:[0-9]+: 'efficiency.pool': 1.5 is out of range"
	sed 's/^  gemv: 0.4$/  gemv: fast/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	fails_cleanly "gp-roofline: .*bad.yaml:[0-9]+:[0-9]+: 'efficiency.gemv'"
	sed 's/^  move: 0.1$/  move: 0.1\n  move: 0.2/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	fails_cleanly "gp-roofline: .*bad.yaml:[0-9]+:[0-9]+: field 'efficiency.move' appears twice"
}

@test "the roofline chart draws the roof of each kernel class the runtime gives, none without" {
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse=onnxruntime-cpu | gp-concur |
		gp-roofline -H epyc-9654 -R onnxruntime-cpu > "$BATS_TEST_TMPDIR/r.gp"
	run -0 hdr roofline roof_classes "$BATS_TEST_TMPDIR/r.gp"
	assert_output "elementwise,transcendental,row,pool,move,gemv"
	# each at the outermost level's bandwidth (DDR5, 460.8 GB/s) times its efficiency
	e=$(awk '$1 == "elementwise:" { printf "%.6g", 460.8e9 * $2 }' hw/runtime/onnxruntime-cpu.yaml)
	run -0 hdr roofline roof_class_bandwidths "$BATS_TEST_TMPDIR/r.gp"
	[ "${output%%,*}" = "$e" ]
	run -0 gp-report --roofline "$BATS_TEST_TMPDIR/r.svg" < "$BATS_TEST_TMPDIR/r.gp"
	run -0 grep -c 'row kernels (onnxruntime-cpu): ' "$BATS_TEST_TMPDIR/r.svg"
	run -0 grep -c 'gemv kernels (onnxruntime-cpu): ' "$BATS_TEST_TMPDIR/r.svg"
	# where the GEMV roof flattens: the peak at efficiency.gemv_compute
	g=$(awk -v p="$(hdr roofline peak_ops "$BATS_TEST_TMPDIR/r.gp")" '$1 == "gemv_compute:" { printf "%.6g", p * $2 }' \
		hw/runtime/onnxruntime-cpu.yaml)
	run -0 hdr roofline roof_gemv_ops "$BATS_TEST_TMPDIR/r.gp"
	assert_output "$g"
	# a runtime without class keys, or none: no such roofs
	gp-load "$DATA/resnet18.onnx" | gp-partition | gp-concur | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/t.gp"
	run -1 grep -c 'roof_classes\|roof_gemv_ops' "$BATS_TEST_TMPDIR/t.gp"
	run -0 gp-report --roofline "$BATS_TEST_TMPDIR/t.svg" < "$BATS_TEST_TMPDIR/t.gp"
	run -1 grep -c 'kernels (' "$BATS_TEST_TMPDIR/t.svg"
}
