#!/usr/bin/env bats
# Control flow on a runtime that runs bodies as graphs of their own
# (subgraph_s; lib/mapping.c, docs/roofline.md "Control flow"): onnxruntime's
# If, Loop and Scan run a body through utils::ExecuteSubgraph, whose executor
# dispatches each node of the body as a kernel. gp-partition writes, per
# subgraph, the kernels of its control nodes' bodies (body_kernels) and how
# many times a body runs (body_runs); gp-roofline charges each of those
# kernels the runtime's kernel_s and each run subgraph_s. A small If worked
# out by hand, a Loop around an If, and a runtime without the key giving
# today's figures.

setup() {
	load test_helper
}

# A made-up one-core CPU with round numbers: 1 GFLOP/s, one memory level of
# 1 GB/s, no launch cost. Runtimes with kernel_s 1 us and run_s 10 us: $R0
# without subgraph_s, $R with subgraph_s 5 us.
ctl_core() {
	round_profiles round-core1 round-dispatch
	printf 'subgraph_s: 5u\n' >> "$R"
}

# An If on a bool input c (its value unknown to gp, so the larger branch
# counts) over x, float32 [1, 256]: then_branch Relu, Relu, Identity (no
# kernel), Shape (folded by gp: a shape node); else_branch one Relu.
if_stream() {
	cat <<'EOF'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	c,x	y
graph	1	then	subgraph	if	then_branch	.	.	t
graph	2	else	subgraph	if	else_branch	.	.	e
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	c	bool	[]	input	1	.	0
tensor	x	float32	[1,256]	input	1024	.	0
tensor	y	float32	[1,256]	output	1024	.	0
tensor	r1	float32	[1,256]	.	1024	.	1
tensor	r2	float32	[1,256]	.	1024	.	1
tensor	t	float32	[1,256]	output	1024	.	1
tensor	sh	int64	[2]	.	16	.	1
tensor	e	float32	[1,256]	output	1024	.	2
#node	name	op	domain	inputs	outputs	attrs	graph
node	if	If	ai.onnx	c	y	then_branch=G:1;else_branch=G:2	0
node	relu1	Relu	ai.onnx	x	r1	.	1
node	relu2	Relu	ai.onnx	r1	r2	.	1
node	same	Identity	ai.onnx	r2	t	.	1
node	shape	Shape	ai.onnx	x	sh	.	1
node	erelu	Relu	ai.onnx	x	e	.	2
##end	17
EOF
}

@test "control flow: the runtime profile with subgraph_s is valid; a bad value is refused" {
	ctl_core
	run -0 gp-roofline --check-runtime "$R" "$R0"
	assert_line --index 0 --regexp "rt\.yaml	ok	rt$"
	runtime_refused "$R" 's/^subgraph_s: 5u$/subgraph_s: -5u/' "subgraph_s"
}

@test "control flow: gp-partition counts the kernels and runs of an If's branch; none without control nodes" {
	if_stream > "$BATS_TEST_TMPDIR/if.gp"
	gp-partition < "$BATS_TEST_TMPDIR/if.gp" > "$S"
	# the then branch counts (512 FLOPs against 256): its two Relu are kernels,
	# the Identity and the Shape are not; it runs once
	run -0 col if flops body_kernels body_runs
	assert_output $'512\t2\t1'
	# a model without control flow has no such columns
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$S"
	run -1 grep -c 'body_kernels' "$S"
	assert_output 0
}

@test "control flow: a Loop of 2 trips around an If: each trip runs the If and its branch" {
	# tests/data/review-nest.gp: Loop (M 2) whose body is an Identity (no kernel)
	# and an If whose then branch (a MatMul, 16 FLOPs) counts. A trip runs the
	# body (1 run) with 1 kernel, the If, which runs its branch (1 run) with 1
	# kernel: 2 kernels and 2 runs a trip, 4 and 4 in all.
	gp-partition < tests/data/review-nest.gp > "$S"
	run -0 col loop flops body_kernels body_runs
	assert_output $'32\t4\t4'
}

@test "control flow: the If's latency by hand, with and without subgraph_s" {
	ctl_core
	if_stream > "$BATS_TEST_TMPDIR/if.gp"
	gp-partition < "$BATS_TEST_TMPDIR/if.gp" > "$BATS_TEST_TMPDIR/p.gp"
	# The If kernel: it reads c (1 byte) and x (1,024) and writes y (1,024):
	# 2,049 bytes at 1 GB/s, 2.049 us; 512 FLOPs at 1 GFLOP/s (256 outputs fill
	# the core's 16 threads), 0.512 us. Memory-bound: 2.049 us.
	# With subgraph_s: its dispatch 1 us, its branch's 2 kernels 2 x 1 us and its
	# 1 run 5 us: 2.049 + 1 + 2 + 5 = 10.049 us; the run 10 us more: 20.049 us.
	S=$BATS_TEST_TMPDIR/r.gp
	gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	run -0 col if memory_s latency_s bound_hw limit
	assert_output $'2.049e-06\t1.0049e-05\tlaunch\tdispatch'
	run -0 hdr roofline latency_s "$S"
	assert_output 2.0049e-05
	# Without it the If is one kernel, as before: 2.049 + 1 us, the run 10 us more
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	run -0 col if latency_s
	assert_output 3.049e-06
	run -0 hdr roofline latency_s "$S"
	assert_output 1.3049e-05
	# and the same stream without gp-partition's new columns maps the same
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) if ($i == "body_kernels") k = i }
		$1 == "#subgraph" || $1 == "subgraph" { NF = k - 1 } { print }' "$BATS_TEST_TMPDIR/p.gp" |
		gp-roofline -H "$P" -R "$R" > "$BATS_TEST_TMPDIR/old.gp"
	S=$BATS_TEST_TMPDIR/old.gp
	run -0 col if latency_s
	assert_output 3.049e-06
}

@test "control flow: an unknown trip count leaves the Loop unknown; a malformed count is refused" {
	ctl_core
	# M = INT64_MAX with a dynamic condition: not a count, and neither are its bodies'
	gp-partition < tests/data/review-bigm.gp 2>/dev/null > "$S"
	run -0 every body_kernels body_runs
	assert_output $'.\t.'
	if_stream | gp-partition | sed 's/^\(subgraph\t1\t.*\)\t2\t1$/\1\t2x\t1/' > "$BATS_TEST_TMPDIR/bad.gp"
	run -0 grep -c $'\t2x\t1$' "$BATS_TEST_TMPDIR/bad.gp"
	assert_output 1
	run --separate-stderr gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/bad.gp"
	fails_cleanly "gp-roofline: stdin: subgraph 1: body_kernels '2x' is not a count"
}
