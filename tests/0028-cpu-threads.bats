#!/usr/bin/env bats
# A CPU runtime on more than one thread (parallel_min_s, parallel_s,
# split_always, split_never; lib/mapping.c, docs/roofline.md "Threads"):
# onnxruntime keeps a kernel whose work is small on the calling thread and
# splits a larger one over as many threads as its cost model gives, each
# split paying parallel_s; the kernels of some ops split whatever their size,
# others never. Kernels
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
	runtime_refused "$R" 's/^parallel_s: 1u$/parallel_s: -1u/' "parallel_s"
	runtime_refused "$R" 's/^parallel_min_s: 20u$/parallel_min_s: lots/' "parallel_min_s"
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

# The same runtime, saying which ops split whatever their size and which never
# do (split_always, split_never): the kernel's first op type decides
split_core() {
	thread_core
	printf 'split_always: [MaxPool, LayerNormalization]\nsplit_never: [Slice]\n' >> "$R"
}

@test "cpu threads: split_always and split_never are lists of op types; anything else is refused" {
	split_core
	run -0 gp-roofline --check-runtime "$R"
	runtime_refused "$R" 's/^split_never: \[Slice\]$/split_never: [Sl-ice]/' "'split_never': 'Sl-ice' is not an op type"
	runtime_refused "$R" 's/^split_always: .*$/split_always: MaxPool/' "'split_always' must be a list of op types"
}

@test "cpu threads: a small kernel of split_always splits, and pays parallel_s (by hand)" {
	split_core
	# the small Mul's bytes as a MaxPool over 64 channels: 4,096 B read and written, in the
	# L2: 8,192 B / (200 GB/s x 0.5) = 81.92 ns on both cores, where its cost alone would keep
	# it on one thread (163.84 ns, far below 20 us); plus the 1 us of the split, which is
	# most of its time: bound by what it costs to start, which a runtime calls dispatch
	run -0 map "$P" "$R" "0 4096 4096 0 1024 4 0 . pool MaxPool 64"
	assert_output "$(printf '0\t8.192e-08\t1.08192e-06\tnone\t0\t1\t1\t0x0x0\tdispatch')"
	# a Mul of the same bytes keeps to its cost: one thread, no split
	run -0 map "$P" "$R" "0 4096 4096 0 1024 4 0 . elementwise Mul 64"
	assert_output "$(printf '0\t1.6384e-07\t1.6384e-07\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
	# a LayerNorm of one row has one piece: one thread, whatever the list says
	run -0 map "$P" "$R" "0 4096 4096 0 1024 4 0 . row LayerNormalization+Relu 1"
	assert_output "$(printf '0\t1.6384e-07\t1.6384e-07\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
}

@test "cpu threads: a large kernel of split_never stays on one thread (by hand)" {
	split_core
	# the large Mul's bytes as a Slice: 335.54432 us on both cores (above), twice that on
	# one, and no split cost
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . move Slice 1"
	assert_output "$(printf '0\t0.000671089\t0.000671089\tnone\t0\t1\t1\t0x0x0\tdram bandwidth on 1 thread')"
	# a Concat of them follows its cost: both cores
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . move Concat 1"
	assert_output "$(printf '0\t0.000335544\t0.000336544\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

@test "cpu threads: a LayerNorm written out splits as the LayerNormalization a runtime runs it as" {
	split_core
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 |
		gp-partition --fuse=onnxruntime-cpu > "$BATS_TEST_TMPDIR/p"
	# its 4 layer norms: ReduceMean+Sub+...+Add, kind layernorm, 8 rows each
	lim() {
		gp-roofline -H "$P" -R "$1" -p fp32 < "$BATS_TEST_TMPDIR/p" |
			awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
				$1 == "subgraph" && $(c["kind"]) == "layernorm" { print $(c["ops"]) "\t" $(c["spatial"]) "\t" $(c["limit"]) }' |
			sort | uniq -c | sed 's/^ *//'
	}
	run -0 lim "$R"
	assert_output "4 ReduceMean+Sub+Pow+ReduceMean+Add+Sqrt+Div+Mul+Add	8	dispatch"
	# without the lists, their cost keeps them on one thread
	thread_core
	run -0 lim "$R"
	assert_output "4 ReduceMean+Sub+Pow+ReduceMean+Add+Sqrt+Div+Mul+Add	8	vector unit on 1 thread"
}

@test "cpu threads: with split_gemm_macs a matrix kernel splits as MLAS's GEMM does (by hand)" {
	thread_core
	# without the key, its cost keeps a 16 x 64 x 64 product on one thread (1.6384 us of
	# compute on one core, below 20 us)
	run -0 map "$P" "$R" "131072 4096 4096 16384 1024 4 0 1x16x64x64 other MatMul 16"
	assert_output "$(printf '1.6384e-06\t2.4576e-07\t1.6384e-06\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit on 1 thread')"
	printf 'split_gemm_macs: 65536\n' >> "$R"
	# 16 x 64 x 64 = 65,536 multiply-adds: floor(65536 / 65536) + 1 = 2 pieces, both cores:
	# 131,072 FLOPs at 200 G x 0.8 = 0.8192 us (its 24,576 B from the L2 at the chip's 200
	# GB/s, 0.12288 us, do not bound it), plus the 1 us of the split (most of it: dispatch)
	run -0 map "$P" "$R" "131072 4096 4096 16384 1024 4 0 1x16x64x64 other MatMul 16"
	assert_output "$(printf '8.192e-07\t1.2288e-07\t1.8192e-06\tmatrix\t0\t1\t1\t0x0x0\tdispatch')"
	# 8 x 64 x 64: 32,768 multiply-adds, 1 piece: one core, 65,536 FLOPs at 100 G x 0.8 =
	# 0.8192 us; 20,480 B at 100 GB/s = 0.2048 us
	run -0 map "$P" "$R" "65536 2048 2048 16384 512 4 0 1x8x64x64 other MatMul 8"
	assert_output "$(printf '8.192e-07\t2.048e-07\t8.192e-07\tmatrix\t0\t1\t1\t0x0x0\tmatrix unit on 1 thread')"
	# a batch of 4 of them: at least a piece each, 4, of which 2 cores take 2
	run -0 map "$P" "$R" "262144 8192 8192 16384 2048 4 0 4x8x64x64 other MatMul 32"
	assert_line --regexp "	matrix unit$|	dispatch$"
	refute_output --partial "on 1 thread"
}

# The same runtime, splitting its copies by their size as onnxruntime does
# (split_copy: Eigen's cost model, the cycles of the largest piece)
copy_core() {
	thread_core
	printf 'split_copy: {byte_cycles: 0.34375, element_cycles: 1, startup_cycles: 100000, thread_cycles: 100000}\n' >> "$R"
}

@test "cpu threads: split_copy takes four numbers of cycles; anything else is refused" {
	copy_core
	run -0 gp-roofline --check-runtime "$R"
	runtime_refused "$R" 's/thread_cycles: 100000}/thread_cycles: 0}/' "must be above 0"
	runtime_refused "$R" 's/, thread_cycles: 100000}/}/' "needs thread_cycles"
	runtime_refused "$R" 's/byte_cycles:/bytes:/' "unknown field 'split_copy.bytes'"
}

@test "cpu threads: a copy splits by the cycles of its largest piece, not by its time (by hand)" {
	copy_core
	# a Concat writing 200,000 floats: 1.6 MB read and written, in the L2 at 100 GB/s: 16 us on
	# two cores, 32 us on one, past 20 us: the time rule splits it (16 + 1 us). By its pieces:
	# 88,421 floats cost 88,421 x (1 + 4 x 0.34375) = 209,999.9 cycles, floor(1.09999 + 0.9) = 1
	# thread (32 us); 88,422 cost 210,002.3, 2 threads (16 + 1 us)
	run -0 map "$P" "$R" "0 800000 800000 0 200000 4 0 . move Concat -1 88421 0" \
		"0 800000 800000 0 200000 4 0 . move Concat -1 88422 0"
	assert_line --index 0 "$(printf '0\t3.2e-05\t3.2e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
	assert_line --index 1 "$(printf '0\t1.6e-05\t1.7e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	# a byte costs cycles too: 400,000 uint8 (a byte each: written bytes over elements), 8 us
	# on two cores, 16 us on one, below 20 us, yet a piece of 156,280 costs 210,001.3 cycles:
	# 2 threads (8 + 1 us); of 156,279, 209,999.9: one (16 us)
	run -0 map "$P" "$R" "0 400000 400000 0 400000 4 0 . move Concat -1 156280 0" \
		"0 400000 400000 0 400000 4 0 . move Concat -1 156279 0"
	assert_line --index 0 "$(printf '0\t8e-06\t9e-06\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth')"
	assert_line --index 1 "$(printf '0\t1.6e-05\t1.6e-05\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
}

@test "cpu threads: a Transpose of one run stays on one thread, one of single elements splits (by hand)" {
	copy_core
	# 4 MiB read and written (above: 335.5 us on two cores): a Transpose that moves only axes
	# of size 1 is one run, a plain copy: one thread, 671.1 us, no split cost
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . move Transpose -1 1048576 1048576"
	assert_output "$(printf '0\t0.000671089\t0.000671089\tnone\t0\t1\t1\t0x0x0\tdram bandwidth on 1 thread')"
	# 1,024 floats whose innermost axis moves (runs of one element): both cores, 81.92 ns,
	# and the 1 us of the split; in runs of 32, its 2,432 cycles keep it on one (163.84 ns)
	run -0 map "$P" "$R" "0 4096 4096 0 1024 4 0 . move Transpose -1 1024 1" \
		"0 4096 4096 0 1024 4 0 . move Transpose -1 1024 32"
	assert_line --index 0 "$(printf '0\t8.192e-08\t1.08192e-06\tnone\t0\t1\t1\t0x0x0\tdispatch')"
	assert_line --index 1 "$(printf '0\t1.6384e-07\t1.6384e-07\tnone\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
}

# Concat, Split and Transpose nodes, for what gp-partition writes of their copies
copy_stream() {
	cat <<'EOF2'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x,a,b,w	t1,t2,s1,s2,q,r
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,2,58,28,28]	input	363776	.	0
tensor	a	float32	[1,256,14,14]	input	200704	.	0
tensor	b	float32	[1,32,14,14]	input	25088	.	0
tensor	w	float32	[1,1,7,1,7,8]	input	1568	.	0
tensor	t1	float32	[1,58,2,28,28]	output	363776	.	0
tensor	t2	float32	[1,2,58,28,28]	output	363776	.	0
tensor	c	float32	[1,288,14,14]	.	225792	.	0
tensor	s1	float32	[1,144,14,14]	output	112896	.	0
tensor	s2	float32	[1,144,14,14]	output	112896	.	0
tensor	q	float32	[1,1,1,7,7,8]	output	1568	.	0
tensor	r	float32	[1,2,58,28,28]	output	363776	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	shuffle	Transpose	ai.onnx	x	t1	perm=[0,2,1,3,4]	0
node	inner	Transpose	ai.onnx	x	t2	perm=[0,1,2,4,3]	0
node	cat	Concat	ai.onnx	a,b	c	axis=1	0
node	halves	Split	ai.onnx	c	s1,s2	axis=1	0
node	ones	Transpose	ai.onnx	w	q	perm=[0,1,3,2,4,5]	0
node	relu	Relu	ai.onnx	x	r	.	0
##end	18
EOF2
}

@test "cpu threads: gp-partition writes each copy's largest piece and a Transpose's run (by hand)" {
	copy_stream | gp-shape | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	run -0 cols "$BATS_TEST_TMPDIR/p.gp" name copy_elems copy_run
	# the shuffle: 90,944 floats, its runs the 28 x 28 that stay innermost; the one that swaps
	# the innermost two: runs of one; the Concat: its larger input, 256 x 14 x 14; the Split:
	# an output, 144 x 14 x 14; a Transpose of axes of size 1: one run, all 392; no copy: 0
	assert_output "$(printf 'shuffle\t90944\t784\ninner\t90944\t1\ncat\t50176\t0\nhalves\t28224\t0\nones\t392\t392\nrelu\t0\t0')"
}

# cross_core_bandwidth (lib/mapping.c, docs/roofline.md "Threads"): what one
# core reads of what another wrote comes at the rate between them. On the
# two-core CPU with 20 GB/s between its cores (10 GB/s at the runtime's 0.5):
# t-mapping's last field, RD_SPLIT, is the bytes of RD a kernel split over
# the cores wrote (-1 not known).
cross_core() {
	thread_core
	printf 'cross_core_bandwidth: 20G\n' >> "$P"
	sed -i 's/covers: \[units,/covers: [cross_core_bandwidth, units,/' "$P"
}

@test "cpu threads: cross_core_bandwidth is a rate with a source; anything else is refused" {
	cross_core
	run -0 gp-roofline --check "$P"
	sed 's/^cross_core_bandwidth: 20G$/cross_core_bandwidth: -5/' "$P" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "'cross_core_bandwidth': -5 is out of range"
	sed 's/^cross_core_bandwidth: 20G$/cross_core_bandwidth: lots/' "$P" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "'cross_core_bandwidth': 'lots' is not a number"
	sed 's/covers: \[cross_core_bandwidth, /covers: [/' "$P" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "'cross_core_bandwidth' has no source"
}

@test "cpu threads: a kernel on one core reads half of what a split kernel wrote from the other (by hand)" {
	cross_core
	# the small Mul above, its 4,096 B input written by a kernel split over both cores:
	# 2,048 B of it from the other core at 10 GB/s, 204.8 ns; the other 2,048 B and the
	# 4,096 B written from the L2 at 100 GB/s, 61.44 ns: 266.24 ns on both cores, on
	# one (its 163.84 ns of one thread's time is below 20 us) 532.48 ns
	run -0 map "$P" "$R" "1024 4096 4096 0 1024 4 0 . elementwise . -1 0 0 4096"
	assert_output "$(printf '4.096e-08\t5.3248e-07\t5.3248e-07\tvector\t0\t1\t1\t0x0x0\tcross-core bandwidth on 1 thread')"
	# its input written on one core, and it on one core: nothing from the other
	run -0 map "$P" "$R" "1024 4096 4096 0 1024 4 0 . elementwise . -1 0 0 0"
	assert_output "$(printf '4.096e-08\t1.6384e-07\t1.6384e-07\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
	# not known (-1), or no cross_core_bandwidth in the profile: as before
	run -0 map "$P" "$R" "1024 4096 4096 0 1024 4 0 . elementwise . -1 0 0 -1"
	assert_output "$(printf '4.096e-08\t1.6384e-07\t1.6384e-07\tvector\t0\t1\t1\t0x0x0\tl2 bandwidth on 1 thread')"
}

@test "cpu threads: a split kernel reads half of what one core wrote from the other (by hand)" {
	cross_core
	# the large Mul above, its 4 MiB input written on one core: the other core reads its half,
	# 2,097,152 B at 10 GB/s, 209.7152 us, slower than its share of the levels (83.88608 us);
	# the rest, 2 MiB read and 4 MiB written, a quarter from the L2 at 100 GB/s and three
	# quarters from DRAM at 20 GB/s: 15.72864 + 235.9296 us; 461.37344 us, + 1 us the split
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . elementwise . -1 0 0 0"
	assert_output "$(printf '0\t0.000461373\t0.000462373\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
	# between the cores as fast as the L2: each byte at the slower of its level's rate and
	# that, which is its level's: as without the key
	sed -i 's/^cross_core_bandwidth: 20G$/cross_core_bandwidth: 200G/' "$P"
	run -0 map "$P" "$R" "0 4194304 4194304 0 1048576 4 0 . elementwise . -1 0 0 0"
	assert_output "$(printf '0\t0.000335544\t0.000336544\tnone\t0\t1\t1\t0x0x0\tdram bandwidth')"
}

@test "cpu threads: gp-roofline finds which inputs a split kernel wrote (by hand)" {
	cross_core
	# two Relu over 4 MiB, one after the other: each splits over both cores (as the large Mul
	# above). The second reads the first's output, which both cores wrote: half of it from
	# the other core, 462.373 us; without cross_core_bandwidth, 336.544 us. The first reads
	# the graph's input, which lives between runs where the weights do, beside them and all
	# the run writes (0 + 4 + 8 MiB): 1/6 from the L2 at 100 GB/s, 5/6 from DRAM at 20 GB/s,
	# 181.753 us, none from the other core; and writes 4 MiB of a working set of 8, a
	# quarter to the L2, 167.772 us: 350.525 us with the split's 1 us, either way
	cat > "$BATS_TEST_TMPDIR/m.gp" <<'EOF2'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	z
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1048576]	input	4194304	.	0
tensor	y	float32	[1048576]	.	4194304	.	0
tensor	z	float32	[1048576]	output	4194304	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	first	Relu	ai.onnx	x	y	.	0
node	second	Relu	ai.onnx	y	z	.	0
##end	6
EOF2
	gp-shape < "$BATS_TEST_TMPDIR/m.gp" | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	gp-roofline -H "$P" -R "$R" -p fp32 < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r.gp"
	run -0 cols "$BATS_TEST_TMPDIR/r.gp" name latency_s limit
	assert_output "$(printf 'first\t0.000350525\tdram bandwidth\nsecond\t0.000462373\tdram bandwidth')"
	# the same after gp-concur, whose records leave the edges out
	gp-concur < "$BATS_TEST_TMPDIR/p.gp" | gp-roofline -H "$P" -R "$R" -p fp32 > "$BATS_TEST_TMPDIR/r.gp"
	run -0 cols "$BATS_TEST_TMPDIR/r.gp" name latency_s
	assert_output "$(printf 'first\t0.000350525\nsecond\t0.000462373')"
	sed -i '/^cross_core_bandwidth:/d; s/covers: \[cross_core_bandwidth, /covers: [/' "$P"
	gp-roofline -H "$P" -R "$R" -p fp32 < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r.gp"
	run -0 cols "$BATS_TEST_TMPDIR/r.gp" name latency_s
	assert_output "$(printf 'first\t0.000350525\nsecond\t0.000336544')"
}
