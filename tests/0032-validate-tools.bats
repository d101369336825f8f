#!/usr/bin/env bats
# The tools make validate compares with (tests/validate/): kernel-classes
# sums onnxruntime's profiled kernel times per kernel class beside gp's
# predictions, each node's median run or, with --fastest, its fastest (what
# predict compares, as it compares each model's fastest runs), less the
# profiler's own time per node (--node-overhead), per split one
# (--split-overhead) and per node of a control-flow body outside its event
# (--node-gap). Worked by hand on a made-up
# profile of four nodes, two with no gp kernel: a layout reorder, which is
# data movement, and a Reshape, a view onnxruntime runs (`runtime`). With
# --splits, which kernels onnxruntime split over its threads (its profiler
# lists the thread pool's blocks for them) beside those gp splits; with
# --kernels, how many kernels it ran beside gp's.

setup() {
	load test_helper
	K=$TOP/tests/validate/kernel-classes
	P=$BATS_TEST_TMPDIR/prof.json
	S=$BATS_TEST_TMPDIR/pred.gp
	# conv runs 100, 140, 120 us (median 120, fastest 100); t 30, 20, 50
	# (30, 20); the reorder 7, 5, 9 (7, 5); the Reshape 3, 2, 4 (3, 2)
	{
		printf '['
		sep=
		for e in conv:Conv:100 conv:Conv:140 conv:Conv:120 t:Transpose:30 t:Transpose:20 t:Transpose:50 \
		    ReorderOutput:ReorderOutput:7 ReorderOutput:ReorderOutput:5 ReorderOutput:ReorderOutput:9 \
		    flat:Reshape:3 flat:Reshape:2 flat:Reshape:4; do
			IFS=: read -r n op d <<< "$e"
			printf '%s{"cat": "Node", "name": "%s_kernel_time", "dur": %s, "args": {"op_name": "%s"}}' "$sep" "$n" "$d" "$op"
			sep=', '
		done
		printf ']\n'
	} > "$P"
	# gp's prediction: the conv 100 us, the transpose 10 us
	printf '##gp\t1\n#node\tname\top\tsubgraph\nnode\tconv\tConv\t1\nnode\tt\tTranspose\t2\n' > "$S"
	printf '#subgraph\tid\tkind\tlatency_s\nsubgraph\t1\tconv2d\t1e-4\nsubgraph\t2\ttranspose\t1e-5\n##end\t4\n' >> "$S"
}

@test "kernel-classes: each node's median run, per class, beside gp's kernels; a reorder is data movement" {
	run -0 "$K" "$P" "$S"
	assert_output "$(printf '#class\tkernels\tmeasured_s\tpredicted_s\tratio
conv\t1\t0.00012\t0.0001\t0.83
move\t1\t3.7e-05\t1e-05\t0.27
runtime\t0\t3e-06\t0\t0.00')"
}

@test "kernel-classes --fastest: each node's fastest run; --node-overhead comes off it, not below 0" {
	run -0 "$K" --fastest "$P" "$S"
	assert_output "$(printf '#class\tkernels\tmeasured_s\tpredicted_s\tratio
conv\t1\t0.0001\t0.0001\t1.00
move\t1\t2.5e-05\t1e-05\t0.40
runtime\t0\t2e-06\t0\t0.00')"
	run -0 "$K" --fastest --node-overhead 6e-6 --by-model "$P" "$S"
	assert_output "$(printf '#model\tclass\tkernels\tmeasured_s\tpredicted_s\tratio
prof\tconv\t1\t9.4e-05\t0.0001\t1.06
prof\tmove\t1\t1.4e-05\t1e-05\t0.71
prof\truntime\t0\t0\t0\t.')"
}

@test "kernel-classes: a bad overhead or a stream without latencies is an error" {
	run -1 "$K" --node-overhead -1 "$P" "$S"
	assert_output --partial "negative"
	printf '##gp\t1\n#subgraph\tid\tkind\nsubgraph\t1\tconv2d\n##end\t1\n' > "$BATS_TEST_TMPDIR/bare.gp"
	run -1 "$K" "$P" "$BATS_TEST_TMPDIR/bare.gp"
	assert_output --partial "no latency_s (run gp-roofline first)"
}

@test "kernel-classes --splits: which kernels onnxruntime split (its thread pool's blocks), beside gp's" {
	# three runs each: the conv split in all, the Transpose in one (not most), a MaxPool in
	# two; gp: the conv on every thread, the Transpose on one, the MaxPool bound by its dispatch
	{
		printf '['
		sep=
		for e in conv:Conv:1 conv:Conv:1 conv:Conv:1 t:Transpose:1 t:Transpose:0 t:Transpose:0 \
		    mp:MaxPool:1 mp:MaxPool:1 mp:MaxPool:0 ReorderOutput:ReorderOutput:1; do
			IFS=: read -r n op b <<< "$e"
			blocks=
			[ "$b" = 0 ] || blocks='"block_size": [10, 12]'
			printf '%s{"cat": "Node", "name": "%s_kernel_time", "dur": 5, "args": {"op_name": "%s", "thread_scheduling_stats": {"main_thread": {%s}}}}' \
			    "$sep" "$n" "$op" "$blocks"
			sep=', '
		done
		printf ']\n'
	} > "$P"
	printf '##gp\t1\n#node\tname\top\tsubgraph\nnode\tconv\tConv\t1\nnode\tt\tTranspose\t2\nnode\tmp\tMaxPool\t3\n' > "$S"
	printf '#subgraph\tid\tkind\tlatency_s\tlimit\nsubgraph\t1\tconv2d\t1e-4\tmatrix%%20unit\n' >> "$S"
	printf 'subgraph\t2\ttranspose\t1e-5\tl2%%20bandwidth%%20on%%201%%20thread\nsubgraph\t3\tmaxpool\t1e-6\tdispatch\n##end\t6\n' >> "$S"
	run -0 "$K" --splits "$P" "$S"
	assert_output "$(printf '#op\tnodes\tort_split\tgp_split\tagree\tgp_unknown
Conv\t1\t1\t1\t1\t0
MaxPool\t1\t1\t0\t0\t1
Transpose\t1\t0\t0\t1\t0
all\t3\t2\t1\t2\t1')"
}

@test "kernel-classes --split-overhead: comes off the nodes onnxruntime split in most of their runs, too" {
	# the conv split in its three runs (100, 110, 120 us), the Transpose in one of
	# three (30, 20, 50 us): fastest less 5 us each, and 10 us more the conv
	{
		printf '['
		sep=
		for e in conv:Conv:100:1 conv:Conv:110:1 conv:Conv:120:1 t:Transpose:30:1 t:Transpose:20:0 \
		    t:Transpose:50:0; do
			IFS=: read -r n op d b <<< "$e"
			blocks=
			[ "$b" = 0 ] || blocks='"block_size": [10, 12]'
			printf '%s{"cat": "Node", "name": "%s_kernel_time", "dur": %s, "args": {"op_name": "%s", "thread_scheduling_stats": {"main_thread": {%s}}}}' \
			    "$sep" "$n" "$d" "$op" "$blocks"
			sep=', '
		done
		printf ']\n'
	} > "$P"
	run -0 "$K" --fastest --node-overhead 5e-6 --split-overhead 1e-5 --by-model "$P" "$S"
	assert_output "$(printf '#model\tclass\tkernels\tmeasured_s\tpredicted_s\tratio
prof\tconv\t1\t8.5e-05\t0.0001\t1.18
prof\tmove\t1\t1.5e-05\t1e-05\t0.67')"
	run -1 "$K" --split-overhead -1e-6 "$P" "$S"
	assert_output --partial "--split-overhead -1e-6 is negative"
	run -1 "$K" --split-overhead x "$P" "$S"
	assert_output --partial "--split-overhead wants seconds"
}

@test "kernel-classes --kernels: onnxruntime's kernels a run, less its views, beside gp's; its views beside gp's" {
	# two runs of a conv, a Transpose, a Reshape of a float tensor (a view: not a
	# kernel, but a view of an activation) and an Unsqueeze of an int64 (a view of a
	# shape: a node on shapes); gp has 2 kernels and no view_nodes in its header
	{
		printf '[{"cat": "Session", "name": "model_run", "dur": 9}, {"cat": "Session", "name": "model_run", "dur": 9}'
		for e in conv:Conv:float t:Transpose:float flat:Reshape:float u:Unsqueeze:int64 \
		    conv:Conv:float t:Transpose:float flat:Reshape:float u:Unsqueeze:int64; do
			IFS=: read -r n op ty <<< "$e"
			printf ', {"cat": "Node", "name": "%s_kernel_time", "dur": 1, "args": {"op_name": "%s", "input_type_shape": [{"%s": [1, 4]}]}}' \
				"$n" "$op" "$ty"
		done
		printf ']\n'
	} > "$BATS_TEST_TMPDIR/m.json"
	run -0 "$K" --kernels "$BATS_TEST_TMPDIR/m.json" "$S"
	assert_output "$(printf '#model\tort_kernels\tgp_kernels\tort_generic_convs\tgp_generic_convs\tort_views\tgp_views\tort_shape_nodes\tgp_shape_nodes\nm\t2\t2\t1\t0\t1\t-1\t1\t-1')"
	# gp-partition's counts, from its header
	sed 's/^##gp\t1$/&\n##partition\tmode=fused\tshape_nodes=3\tview_nodes=1/' "$S" > "$BATS_TEST_TMPDIR/v.gp"
	run -0 "$K" --kernels "$BATS_TEST_TMPDIR/m.json" "$BATS_TEST_TMPDIR/v.gp"
	assert_line --index 1 "$(printf 'm\t2\t2\t1\t0\t1\t1\t1\t3')"
}

@test "kernel-classes --overhead, --split-row, --chain-check: the one figures predict asks of profiles" {
	# the profiler's time per node: the median of the nodes' fastest runs (conv 100,
	# t 20, the reorder 5, the Reshape 2 us): 12.5 us
	run -0 "$K" --overhead "$P"
	assert_output "1.250e-05"
	# every node event (12), none listing thread-pool blocks, their median 14.5 us
	run -0 "$K" --split-row mul16 3e-6 "$P"
	assert_output "$(printf 'mul16\t12\t0\t3e-6\t1.4500e-05')"
	# a work directory without class chains
	run -0 "$K" --chain-check "$BATS_TEST_TMPDIR" 1
	assert_output "(not measured)"
}

@test "kernel-classes: an If's event times its branch's nodes too; only its own time counts, its body's in its class (by hand)" {
	# one run: the If from 0 to 100 us; inside it a Relu of 30 and a nested If
	# of 50 (from 40), inside which a Relu of 20; a Relu after them all of 10.
	# Its own time: 100 - 30 - 50 = 20 us; the nested If's 50 - 20 = 30 us.
	# The Relus of another thread inside its time do not come off it. Its
	# body's nodes, the nested If and both its Relus, count where gp counts
	# their work: in the outer If's kernel, class other (20 + 30 + 30 + 20 us,
	# against gp's 10 + 10); the other Relus are element-wise (40 + 10 us).
	Q=$BATS_TEST_TMPDIR/if.json
	cat > "$Q" <<'J'
[{"cat": "Node", "name": "if_kernel_time", "tid": 1, "ts": 0, "dur": 100, "args": {"op_name": "If"}},
 {"cat": "Node", "name": "r1_kernel_time", "tid": 1, "ts": 5, "dur": 30, "args": {"op_name": "Relu"}},
 {"cat": "Node", "name": "inner_kernel_time", "tid": 1, "ts": 40, "dur": 50, "args": {"op_name": "If"}},
 {"cat": "Node", "name": "r2_kernel_time", "tid": 1, "ts": 45, "dur": 20, "args": {"op_name": "Relu"}},
 {"cat": "Node", "name": "r3_kernel_time", "tid": 2, "ts": 10, "dur": 40, "args": {"op_name": "Relu"}},
 {"cat": "Node", "name": "r4_kernel_time", "tid": 1, "ts": 110, "dur": 10, "args": {"op_name": "Relu"}}]
J
	printf '##gp\t1\n#node\tname\top\tsubgraph\nnode\tif\tIf\t1\nnode\tinner\tIf\t2\n' > "$S"
	printf 'node\tr1\tRelu\t3\nnode\tr2\tRelu\t3\nnode\tr3\tRelu\t3\nnode\tr4\tRelu\t3\n' >> "$S"
	printf '#subgraph\tid\tkind\tlatency_s\nsubgraph\t1\tif\t1e-5\nsubgraph\t2\tif\t1e-5\n' >> "$S"
	printf 'subgraph\t3\trelu\t1e-4\n##end\t7\n' >> "$S"
	run -0 "$K" --fastest "$Q" "$S"
	assert_output "$(printf '#class\tkernels\tmeasured_s\tpredicted_s\tratio
other\t2\t0.0001\t2e-05\t0.20
elementwise\t1\t5e-05\t0.0001\t2.00')"
	# the profiler's 5 us a node outside its event comes off the If holding
	# the node: 20 - 2 x 5 = 10 us, the nested If's 30 - 5 = 25 us
	run -0 "$K" --fastest --node-gap 5e-6 "$Q" "$S"
	assert_line --index 1 "$(printf 'other\t2\t8.5e-05\t2e-05\t0.24')"
}

@test "kernel-classes --gap: what the profiler spends on a node outside its event (by hand)" {
	# two runs of a chain of 4 nodes, each event 10 us: the first run 100 us,
	# the second 80; the fastest less its events (40) less the unprofiled run
	# (8 us) over its 4 nodes: 8 us
	Q=$BATS_TEST_TMPDIR/chain.json
	{
		printf '[{"cat": "Session", "name": "model_run", "ts": 0, "dur": 100},\n'
		printf ' {"cat": "Session", "name": "model_run", "ts": 200, "dur": 80}'
		for t in 10 30 50 70 210 230 250 270; do
			printf ',\n {"cat": "Node", "name": "r%d_kernel_time", "ts": %d, "dur": 10, "args": {"op_name": "Relu"}}' "$t" "$t"
		done
		printf ']\n'
	} > "$Q"
	run -0 "$K" --gap 8e-6 "$Q"
	assert_output "8.000e-06"
}
