#!/usr/bin/env bats
# A CPU runtime on more than one thread (parallel_min_s, parallel_s;
# lib/mapping.c, docs/roofline.md "Threads"): onnxruntime keeps a kernel
# whose work is small on the calling thread and splits a larger one over as
# many threads as its cost model gives, each split paying parallel_s. Kernels
# worked out by hand on a made-up two-core CPU, and a runtime without the
# keys, or a one-core profile, giving today's figures.

setup() {
	load test_helper
}

# A made-up CPU with round numbers: 2 cores, 200 GFLOP/s of fp32 in all, a
# 2 MiB L2 at 200 GB/s inside a DRAM of 40 GB/s, no launch cost. Runtimes
# with no dispatch or run cost, dense kernels at 0.8 of the peak, vector ones
# at 0.25, memory at 0.5: $R0 without the thread keys, $R with them (a kernel
# splits from 20 us of one thread's time on, a split costs 1 us).
thread_core() {
	round_profiles round-core2 round-runtime
	printf 'parallel_min_s: 20u\nparallel_s: 1u\n' >> "$R"
}

# map PROFILE RUNTIME KERNEL...: t-mapping, one kernel a line:
# FLOPS RD WR WT THREADS ELEM RESIDENT GEMM [CLASS]
map() {
	local p=$1 rt=$2
	shift 2
	printf '%s\n' "$@" | "$GP_TESTBIN/t-mapping" "$p" fp32 "$rt"
}

@test "cpu threads: the runtime profile with the keys is valid; bad values are refused" {
	thread_core
	run -0 gp-roofline --check-runtime "$R" "$R0"
	assert_line --index 0 --regexp "rt\.yaml	ok	rt$"
	sed 's/^parallel_s: 1u$/parallel_s: -1u/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "parallel_s"
	sed 's/^parallel_min_s: 20u$/parallel_min_s: lots/' "$R" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "parallel_min_s"
}

@test "cpu threads: a small Mul runs on one thread, at one core's share (by hand)" {
	thread_core
	# 1,024 floats times a scalar: 4,096 B read and written, in the L2: 8,192 B / (200 GB/s x
	# 0.5) = 81.92 ns on both cores; 1,024 FLOPs at 200 G x 0.25 = 20.48 ns. One thread's
	# time, 163.84 ns, is far below 20 us: one core, half the rates: 163.84 ns and 40.96 ns,
	# and no split cost
	run -0 map "$P" "$R" "1024 4096 4096 0 1024 4 0 . elementwise"
	assert_output "$(printf '4.096e-08\t1.6384e-07\t1.6384e-07\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
	# without the keys: both cores, as before
	run -0 map "$P" "$R0" "1024 4096 4096 0 1024 4 0 . elementwise"
	assert_output "$(printf '2.048e-08\t8.192e-08\t8.192e-08\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth')"
}

@test "cpu threads: a large Mul splits over both cores and pays parallel_s (by hand)" {
	thread_core
	# 4 MiB read and 4 MiB written: 2 MiB of the 8 MiB set from the L2 (2,097,152 B / 100 GB/s
	# = 20.97152 us), 6 MiB from DRAM (6,291,456 B / 20 GB/s = 314.5728 us): 335.54432 us;
	# one thread's 671 us is past 20 us: two threads, plus the 1 us of the split
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . elementwise"
	assert_output "$(printf '0\t0.000335544\t0.000336544\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	run -0 map "$P" "$R0" "0 4194304 4194304 0 1048576 4 0 . elementwise"
	assert_output "$(printf '0\t0.000335544\t0.000335544\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

@test "cpu threads: the threshold is one thread's time, parallel_min_s (by hand)" {
	thread_core
	# 990,000 B in the L2 at 100 GB/s: 9.9 us on two cores, 19.8 us on one: below 20 us, one
	# thread (19.8 us). 1,010,000 B: 10.1 us, one thread's 20.2 us: split, 10.1 + 1 us
	run -0 map "$P" "$R" "0 495000 495000 0 123750 4 0 . elementwise" \
		"0 505000 505000 0 126250 4 0 . elementwise"
	assert_line --index 0 "$(printf '0\t1.98e-05\t1.98e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
	assert_line --index 1 "$(printf '0\t1.01e-05\t1.11e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
}

@test "cpu threads: on 8 cores a kernel gets the threads its work pays for (by hand)" {
	thread_core
	sed 's/^units: 2$/units: 8/; s/^name: core2$/name: core8/' "$P" > "$BATS_TEST_TMPDIR/core8.yaml"
	# 500,000 B in the L2 at 100 GB/s: 5 us on 8 cores, 40 us on one; onnxruntime's cost
	# model gives floor(2.1 x 40 / 20 - 0.1) = 4 threads: 5 x 8 / 4 = 10 us, + 1 us
	run -0 map "$BATS_TEST_TMPDIR/core8.yaml" "$R" "0 250000 250000 0 62500 4 0 . elementwise"
	assert_output "$(printf '0\t1e-05\t1.1e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 4 threads')"
	# 2,000,000 B: 20 us on 8 cores, 160 us on one: floor(16.7) = 16 threads, all 8: 20 + 1 us
	run -0 map "$BATS_TEST_TMPDIR/core8.yaml" "$R" "0 1000000 1000000 0 250000 4 0 . elementwise"
	assert_output "$(printf '0\t2e-05\t2.1e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
}

@test "cpu threads: a small GEMM stays on one thread too (by hand)" {
	thread_core
	# 16 x 128 x 128: 524,288 FLOPs at 200 G x 0.8 (no tile model, 2,048 outputs fill both
	# cores) = 3.2768 us; one thread's 6.5536 us is below 20 us: 6.5536 us. Its 81,920 B
	# from the L2 at the chip's rate (0.4096 us, 0.8192 us on one core) do not bound it
	run -0 map "$P" "$R" "524288 8192 8192 65536 2048 4 0 1x16x128x128 other"
	assert_output "$(printf '6.5536e-06\t8.192e-07\t6.5536e-06\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit on 1 thread')"
	run -0 map "$P" "$R0" "524288 8192 8192 65536 2048 4 0 1x16x128x128 other"
	assert_output "$(printf '3.2768e-06\t4.096e-07\t3.2768e-06\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit')"
}

@test "cpu threads: on one core the keys change nothing; on two they change only the small kernels" {
	thread_core
	sed 's/^units: 2$/units: 1/; s/^name: core2$/name: core1/' "$P" > "$BATS_TEST_TMPDIR/core1.yaml"
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	gp-roofline -H "$BATS_TEST_TMPDIR/core1.yaml" -R "$R0" -p fp32 < "$BATS_TEST_TMPDIR/p" |
		grep '^subgraph' > "$BATS_TEST_TMPDIR/a"
	gp-roofline -H "$BATS_TEST_TMPDIR/core1.yaml" -R "$R" -p fp32 < "$BATS_TEST_TMPDIR/p" |
		grep '^subgraph' > "$BATS_TEST_TMPDIR/b"
	[ -s "$BATS_TEST_TMPDIR/a" ]
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# two cores: some kernels run on one thread, and none is faster than without the keys
	gp-roofline -H "$P" -R "$R0" -p fp32 < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/a"
	gp-roofline -H "$P" -R "$R" -p fp32 < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/b"
	run -0 grep -c ' on 1 thread' "$BATS_TEST_TMPDIR/b"
	[ "$output" -gt 0 ]
	run -1 grep -c ' on 1 thread' "$BATS_TEST_TMPDIR/a"
	run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" { l = $(c["latency_s"]); if (FNR == NR) a[$2] = l; else if (l + 1e-12 < a[$2]) bad++ }
		END { print bad + 0 }' "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_output 0
}
