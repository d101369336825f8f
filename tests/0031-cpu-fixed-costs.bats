#!/usr/bin/env bats
# A CPU runtime's generic Conv (conv_call_s, conv_group_s, conv_row_s; lib/mapping.c,
# docs/roofline.md "Runtimes"): onnxruntime runs a 1-D convolution, which no
# NCHWc rewrite takes, through Conv<float>::Compute, MlasConvPrepare then
# MlasConv, which loops over the groups, an im2col and a GEMM each. gp-partition
# writes per subgraph its 1-D Conv calls and their groups (conv_calls,
# conv_groups; its control nodes' bodies' per run), and gp-roofline charges
# each call conv_call_s and each group conv_group_s, and moves its im2col
# (conv_im2col floats written and read back, in conv_im2col_rows rows of
# conv_row_s each); and, with conv_columns,
# the columns its GEMM (MLAS's, Cout / g rows by output positions, conv_gemm)
# pads to a multiple of it, at its matrix rate. Worked by hand on a tiny
# stream; a runtime without the keys maps as before. Then what a kernel of
# an op costs beyond its dispatch (op_s), what a row of a normalization,
# softmax or reduction costs (row_s), and what an output element of an
# activation fused into a Conv costs where the runtime runs it after the
# Conv's kernel (act_s), and what an output element of an interpolating
# Resize costs where the runtime computes one at a time (elem_s), each shared
# among the threads a split kernel runs on.

setup() {
	load test_helper
}

# A made-up one-core CPU with round numbers (1 GFLOP/s, 1 GB/s) and two
# runtimes, kernel_s 1 us and run_s 10 us: $R0 without the keys, $R with
# conv_call_s 2 us and conv_group_s 0.5 us.
conv_core() {
	round_profiles round-core1 round-dispatch
	printf 'conv_call_s: 2u\nconv_group_s: 500n\n' >> "$R"
}

# free_calls: $BATS_TEST_TMPDIR/p.gp mapped into $S on $R with no dispatch
# cost and a call and a group of 1 ns (conv_core's runtime, as r-free.yaml)
free_calls() {
	sed 's/^kernel_s: 1u$/kernel_s: 0/; s/^conv_call_s: 2u$/conv_call_s: 1n/; s/^conv_group_s: 500n$/conv_group_s: 1n/' \
		"$R" > "$BATS_TEST_TMPDIR/r-free.yaml"
	gp-roofline -H "$P" -R "$BATS_TEST_TMPDIR/r-free.yaml" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
}

# x float32 [1, 4, 8]: a depthwise 1-D Conv (group 4, kernel 3, padding 1),
# then a pointwise one 4 -> 4 (kernel 1), then a 2-D Conv 4 -> 4 over
# [1, 4, 1, 8] after a Reshape (not a generic one: NCHWc takes it)
conv_stream() {
	cat <<'EOF'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,4,8]	input	128	.	0
tensor	wd	float32	[4,1,3]	initializer	48	.	0
tensor	wp	float32	[4,4,1]	initializer	64	.	0
tensor	w2	float32	[4,4,1,1]	initializer	64	.	0
tensor	s4	int64	[4]	initializer	32	[1,4,1,8]	0
tensor	d	float32	[1,4,8]	.	128	.	0
tensor	p	float32	[1,4,8]	.	128	.	0
tensor	p4	float32	[1,4,1,8]	.	128	.	0
tensor	y	float32	[1,4,1,8]	output	128	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	dw	Conv	ai.onnx	x,wd	d	group=4;kernel_shape=[3];pads=[1,1]	0
node	pw	Conv	ai.onnx	d,wp	p	group=1;kernel_shape=[1]	0
node	re	Reshape	ai.onnx	p,s4	p4	.	0
node	c2	Conv	ai.onnx	p4,w2	y	group=1;kernel_shape=[1,1]	0
##end	14
EOF
}

@test "fixed Conv costs: the runtime profile with the keys is valid; a bad value is refused" {
	conv_core
	run -0 gp-roofline --check-runtime "$R" "$R0"
	assert_line --index 0 --regexp "rt\.yaml	ok	rt$"
	runtime_refused "$R" 's/^conv_group_s: 500n$/conv_group_s: -1u/' "conv_group_s"
}

@test "fixed Conv costs: gp-partition counts 1-D Conv calls and groups; none on a model without them" {
	conv_stream | gp-partition > "$S"
	run -0 col dw kind conv_calls conv_groups
	assert_output $'conv1d_depthwise\t1\t4'
	run -0 col pw kind conv_calls conv_groups
	assert_output $'conv1d_pointwise\t1\t1'
	run -0 col c2 kind conv_calls conv_groups
	assert_output $'conv2d_pointwise\t0\t0'
	# their GEMMs as MLAS runs them, per image and group: Cout / g rows,
	# output positions columns, Cin / g x kernel deep; b = images x groups
	run -0 col dw conv_gemm
	assert_output 4x1x8x3
	run -0 col pw conv_gemm
	assert_output 1x4x8x4
	run -0 col c2 conv_gemm
	assert_output .
	# and what their im2col writes: dw 4 groups x 3 x 8 floats; pw, pointwise
	# (kernel 1, stride 1, no padding), none: MLAS multiplies its input as it is
	run -0 col dw conv_im2col
	assert_output 96
	run -0 col pw conv_im2col
	assert_output 0
	# a model without 1-D convolutions has no such columns
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$S"
	run -1 grep -c 'conv_calls' "$S"
	assert_output 0
}

@test "fixed Conv costs: each kernel's latency by hand, with and without the keys" {
	conv_core
	conv_stream | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	S=$BATS_TEST_TMPDIR/r0.gp
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	a=$(col dw latency_s) b=$(col pw latency_s) c=$(col c2 latency_s)
	t0=$(hdr roofline latency_s "$S")
	S=$BATS_TEST_TMPDIR/r.gp
	gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	# The depthwise Conv: one call (2 us) and 4 groups (4 x 0.5 us): 4 us more,
	# and its im2col, 96 floats written and read back, 768 B at 1 GB/s: 0.768 us.
	# The pointwise one: one call and one group, 2.5 us more. The 2-D Conv: none.
	# The run: 4.768 + 2.5 = 7.268 us more.
	run -0 awk -v a="$a" -v b="$b" -v c="$c" -v t="$t0" -v A="$(col dw latency_s)" -v B="$(col pw latency_s)" \
		-v C="$(col c2 latency_s)" -v T="$(hdr roofline latency_s "$S")" \
		'BEGIN { printf "%.4g %.4g %.4g %.4g\n", (A - a) * 1e6, (B - b) * 1e6, (C - c) * 1e6, (T - t) * 1e6 }'
	assert_output "4.768 2.5 0 7.268"
	# and the dw kernel in full: it reads x (128 B) and wd (48 B) and writes d
	# (128 B): 304 B at 1 GB/s, 0.304 us; 4 x 8 x 3 = 96 MACs, 192 FLOPs, at
	# 1 GFLOP/s 0.192 us (32 outputs fill the core's 16 threads): 0.304 us,
	# and its im2col, a pass before its GEMM that nothing overlaps, 0.768 us
	# more, its dispatch 1 us, and 4 us of call and groups: 6.072 us, bound
	# by its dispatch and calls
	run -0 col dw memory_s latency_s bound_hw limit
	assert_output $'3.04e-07\t6.072e-06\tlaunch\tdispatch'
	# a runtime whose dispatch costs nothing and a call and a group 1 ns:
	# 0.304 + 0.768 + 0.005 us, and what limits the kernel is the im2col
	free_calls
	run -0 col dw latency_s bound_hw limit
	assert_output $'1.077e-06\tmemory\tim2col from dram'
}

@test "fixed Conv costs: conv_columns pads the GEMM's columns, by hand" {
	conv_core
	Rc=$BATS_TEST_TMPDIR/rtc.yaml
	sed 's/^name: rt0$/name: rtc/' "$R0" > "$Rc"
	printf 'conv_columns: 16\n' >> "$Rc"
	conv_stream | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	S=$BATS_TEST_TMPDIR/r0.gp
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	a=$(col dw compute_s) b=$(col pw compute_s)
	S=$BATS_TEST_TMPDIR/rc.gp
	gp-roofline -H "$P" -R "$Rc" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	# pw: 4 rows x 8 columns x 4 deep, the columns padded to 16: 2 x 4 x 4 x 8
	# = 256 FLOPs more at 1 GFLOP/s, 0.256 us; dw: one row a group (a vector
	# product), none
	run -0 awk -v a="$a" -v b="$b" -v A="$(col dw compute_s)" -v B="$(col pw compute_s)" \
		'BEGIN { printf "%.4g %.4g\n", (A - a) * 1e6, (B - b) * 1e6 }'
	assert_output "0 0.256"
	# a malformed list is refused
	sed 's/\t1x4x8x4\t/\t1x4x8\t/' "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/bad.gp"
	run --separate-stderr gp-roofline -H "$P" -R "$Rc" < "$BATS_TEST_TMPDIR/bad.gp"
	fails_cleanly "gp-roofline: stdin: subgraph 2: conv_gemm '1x4x8' is not a list of BxMxNxK"
}

@test "fixed Conv costs: a runtime without the keys maps the stream as it did without the columns" {
	conv_core
	conv_stream | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/new.gp"
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) if ($i == "conv_calls") k = i }
		$1 == "#subgraph" || $1 == "subgraph" { NF = k - 1 } { print }' "$BATS_TEST_TMPDIR/p.gp" |
		gp-roofline -H "$P" -R "$R0" > "$BATS_TEST_TMPDIR/old.gp"
	run -0 cols "$BATS_TEST_TMPDIR/new.gp" name compute_s memory_s latency_s bound_hw
	new=$output
	run -0 cols "$BATS_TEST_TMPDIR/old.gp" name compute_s memory_s latency_s bound_hw
	assert_output "$new"
	run -0 hdr roofline latency_s "$BATS_TEST_TMPDIR/old.gp"
	assert_output "$(hdr roofline latency_s "$BATS_TEST_TMPDIR/new.gp")"
}

@test "fixed Conv costs: the 1-D Convs of an If's branch count on the If, per run" {
	conv_core
	cat > "$BATS_TEST_TMPDIR/if.gp" <<'EOF'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	c,x	y
graph	1	then	subgraph	if	then_branch	.	.	t
graph	2	else	subgraph	if	else_branch	.	.	e
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	c	bool	[]	input	1	.	0
tensor	x	float32	[1,4,8]	input	128	.	0
tensor	wd	float32	[4,1,3]	initializer	48	.	0
tensor	y	float32	[1,4,8]	output	128	.	0
tensor	t	float32	[1,4,8]	output	128	.	1
tensor	e	float32	[1,4,8]	output	128	.	2
#node	name	op	domain	inputs	outputs	attrs	graph
node	if	If	ai.onnx	c	y	then_branch=G:1;else_branch=G:2	0
node	dw	Conv	ai.onnx	x,wd	t	group=4;kernel_shape=[3];pads=[1,1]	1
node	erelu	Relu	ai.onnx	x	e	.	2
##end	12
EOF
	# the then branch counts (the Conv's 192 FLOPs against the Relu's 32)
	gp-partition < "$BATS_TEST_TMPDIR/if.gp" > "$S"
	run -0 col if body_kernels body_runs conv_calls conv_groups conv_gemm
	assert_output $'1\t1\t1\t4\t4x1x8x3'
}

@test "fixed Conv costs: a 2-D Conv whose channels the NCHWc layout refuses is a generic one (nchwc_block)" {
	# onnxruntime's NCHWc transformer takes an ungrouped 2-D Conv of fewer input channels
	# than its block (8 with AVX2) or a multiple of 4: EfficientNet-B0's two squeeze-and-
	# excitation expansions of 10 input channels (features.3.1 and 4.0) are neither, and
	# run as its generic Conv, one call and one group each (its profile: 2 of 81 Convs
	# without the _nchwc suffix); with a block of 16 (AVX-512), 10 is below it: none
	count() {
		gp-load "$DATA/efficientnet_b0.onnx" | gp-shape | gp-partition --fuse="$1" |
			awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
				$1 == "subgraph" && ("conv_calls" in c) && $(c["conv_calls"]) > 0 {
					print $(c["name"]) "\t" $(c["conv_calls"]) "\t" $(c["conv_groups"]) }'
	}
	run -0 count onnxruntime-cpu
	assert_output "$(printf '%s\t1\t1\n%s\t1\t1' /features/features.3/features.3.1/block/block.2/fc2/Conv \
		/features/features.4/features.4.0/block/block.2/fc2/Conv)"
	sed 's/^nchwc_block: 8$/nchwc_block: 16/' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt16.yaml"
	run -0 count "$BATS_TEST_TMPDIR/rt16.yaml"
	assert_output ""
	sed '/^nchwc_block: /d' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt0.yaml"
	run -0 count "$BATS_TEST_TMPDIR/rt0.yaml"
	assert_output ""
	runtime_refused "$TOP/hw/runtime/onnxruntime-cpu.yaml" 's/^nchwc_block: 8$/nchwc_block: 8.5/' "'nchwc_block' must be a whole number of channels"
}

# x float32 [1, 8, 20, 20] through a grouped 3 x 3 Conv 8 -> 8 (2 groups of 4,
# padding 1), and through the same with stride 2: generic under a block of 8
# (4 channels a group are no multiple of it); and z [1, 32, 4] through a 1-D
# Conv 32 -> 32 (kernel 3, padding 1)
rows_stream() {
	cat <<'EOF2'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x,z	y,u,v
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,8,20,20]	input	12800	.	0
tensor	z	float32	[1,32,4]	input	512	.	0
tensor	wg	float32	[8,4,3,3]	initializer	1152	.	0
tensor	ws	float32	[8,4,3,3]	initializer	1152	.	0
tensor	wz	float32	[32,32,3]	initializer	12288	.	0
tensor	y	float32	[1,8,20,20]	output	12800	.	0
tensor	u	float32	[1,8,10,10]	output	3200	.	0
tensor	v	float32	[1,32,4]	output	512	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	gc	Conv	ai.onnx	x,wg	y	group=2;kernel_shape=[3,3];pads=[1,1,1,1]	0
node	sc	Conv	ai.onnx	x,ws	u	group=2;kernel_shape=[3,3];pads=[1,1,1,1];strides=[2,2]	0
node	nc	Conv	ai.onnx	z,wz	v	group=1;kernel_shape=[3];pads=[1,1]	0
##end	12
EOF2
}

@test "im2col rows: gp-partition counts the rows a generic Conv's im2col copies, as MLAS slices it" {
	# dw: 4 groups x K = 3 rows x one output row; pw: pointwise, no im2col
	conv_stream | gp-partition > "$S"
	run -0 col dw conv_im2col_rows
	assert_output 12
	run -0 col pw conv_im2col_rows
	assert_output 0
	# gc: 400 positions, K = 4 x 9 = 36. MlasConvOperation's slices: StrideN
	# 128 doubles to 256 while K fits in half of StrideK (128 -> 64), so
	# positions 0-255 (output rows 0-12: 13) and 256-399 (rows 12-19: 8),
	# 21 rows of the 20-wide output: 2 groups x 36 x 21 = 1512
	rows_stream | gp-partition --fuse="$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$S"
	run -0 col gc conv_calls conv_groups conv_im2col conv_im2col_rows conv_im2col_strided
	assert_output $'1\t2\t28800\t1512\t0'
	# sc: 100 positions in one slice (StrideN 256), its 10 output rows: 2 x
	# 36 x 10 = 720 rows; its stride copies all 7200 floats one at a time
	run -0 col sc conv_im2col conv_im2col_rows conv_im2col_strided
	assert_output $'7200\t720\t7200'
	# nc: 32 filters over 4 positions, more filters than positions: MLAS
	# expands all positions at once (ExpandThenGemm), K = 96 rows of 1
	run -0 col nc conv_im2col_rows
	assert_output 96
}

@test "im2col rows: each costs conv_row_s, by hand; a bad value is refused" {
	conv_core
	printf 'conv_row_s: 100n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	runtime_refused "$R" 's/^conv_row_s: 100n$/conv_row_s: -1u/' "conv_row_s"
	conv_stream | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	S=$BATS_TEST_TMPDIR/r.gp
	gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
	# dw as above (6.072 us), and its 12 rows at 0.1 us: 7.272 us
	run -0 col dw latency_s
	assert_output 7.272e-06
	# a runtime whose dispatch costs nothing, a call and a group 1 ns: 0.304 +
	# 0.768 + 1.2 + 0.005 us; the im2col's rows take longer than its bytes:
	# its loops bound it, its compute
	free_calls
	run -0 col dw latency_s bound_hw limit
	assert_output $'2.277e-06\tcompute\tim2col rows'
}

@test "im2col rows: a float copied one at a time costs conv_gather_s, by hand" {
	conv_core
	printf 'nchwc_block: 8\nconv_row_s: 1n\n' >> "$R"
	R0=$BATS_TEST_TMPDIR/rt-rows.yaml
	cp "$R" "$R0"
	printf 'conv_gather_s: 1n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	runtime_refused "$R" 's/^conv_gather_s: 1n$/conv_gather_s: x/' "conv_gather_s"
	# sc's 7200 floats at 1 ns; gc, stride 1, and nc none
	run -0 latency_diff rows_stream --fuse="$R0"
	assert_output "$(printf 'gc 0\nsc 7.2\nnc 0')"
}

@test "im2col rows: on two cores a Conv split over both shares its rows" {
	two_cores Conv 'conv_row_s: 1u\n'
	# dw's 12 rows at 1 us over 2 threads, and its im2col's 768 B, which only
	# a runtime that charges generic Convs moves (0.015 us here); pw, pointwise,
	# has no im2col
	run -0 latency_diff conv_stream
	assert_output "$(printf 'dw 6.015\npw 0\nc2 0')"
}

# x [1, 4, 8] through a Relu, a Transpose, a Sigmoid, a Mul by a [4] vector
# and a Transpose back (the Sigmoid and the Mul one kernel with --fuse)
op_stream() {
	cat <<'EOF2'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,4,8]	input	128	.	0
tensor	b	float32	[4]	initializer	16	.	0
tensor	r	float32	[1,4,8]	.	128	.	0
tensor	t	float32	[1,8,4]	.	128	.	0
tensor	u	float32	[1,8,4]	.	128	.	0
tensor	v	float32	[1,8,4]	.	128	.	0
tensor	y	float32	[1,4,8]	output	128	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	re	Relu	ai.onnx	x	r	.	0
node	tr	Transpose	ai.onnx	r	t	perm=[0,2,1]	0
node	sg	Sigmoid	ai.onnx	t	u	.	0
node	mu	Mul	ai.onnx	u,b	v	.	0
node	tb	Transpose	ai.onnx	v	y	perm=[0,2,1]	0
##end	13
EOF2
}

@test "op costs: a kernel costs what op_s gives its first op beyond kernel_s, by hand" {
	conv_core
	printf 'op_s:\n  Transpose: 3u\n  Sigmoid: 2u\n  Mul: 500n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	for f in "" --fuse; do
		op_stream | gp-partition $f > "$BATS_TEST_TMPDIR/p.gp"
		S=$BATS_TEST_TMPDIR/r0.gp
		gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
		a=$(cols "$S" name latency_s) t0=$(hdr roofline latency_s "$S")
		S=$BATS_TEST_TMPDIR/r.gp
		gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$S"
		b=$(cols "$S" name latency_s) t=$(hdr roofline latency_s "$S")
		# per kernel, the difference in us; then the run's
		paste <(echo "$a") <(echo "$b") |
			awk -F'\t' '{ printf "%s %.4g\n", $1, ($4 - $2) * 1e6 }' > "$BATS_TEST_TMPDIR/d$f"
		awk -v a="$t0" -v b="$t" 'BEGIN { printf "run %.4g\n", (b - a) * 1e6 }' >> "$BATS_TEST_TMPDIR/d$f"
	done
	# unfused: the Relu none, each Transpose 3 us, the Sigmoid 2, the Mul 0.5
	run -0 cat "$BATS_TEST_TMPDIR/d"
	assert_output "$(printf 're 0\ntr 3\nsg 2\nmu 0.5\ntb 3\nrun 8.5')"
	# fused: the Sigmoid+Mul kernel is its first op's, 2 us
	run -0 cat "$BATS_TEST_TMPDIR/d--fuse"
	assert_output "$(printf 're 0\ntr 3\nsg 2\ntb 3\nrun 8')"
}

@test "op costs: op_s must map op types to seconds" {
	conv_core
	printf 'op_s:\n  Transpose: 3u\n' >> "$R"
	runtime_refused "$R" 's/^  Transpose: 3u$/  Transpose: -1u/' "op_s.Transpose"
	runtime_refused "$R" 's/^  Transpose: 3u$/  Trans-pose: 3u/' "'Trans-pose' is not an op type"
	runtime_refused "$R" 's/^  Transpose: 3u$/  - Transpose/' "'op_s' must be a mapping"
}

# x float32 [2, 3, 4]: LayerNormalizations over the last axis (6 rows of 4)
# and from axis 1 (2 rows of 12), a Softmax over the last axis (6 rows), a
# ReduceMean over axis 1 (8 rows: its outputs), a Relu (none); OPSET is the
# stream's (a Softmax before opset 13 goes over the dims from axis 1: 2 rows)
row_stream() {
	cat <<EOF2
##gp	1
##opset	ai.onnx	${1:-17}
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	a,b,c,d,e
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[2,3,4]	input	96	.	0
tensor	g4	float32	[4]	initializer	16	.	0
tensor	g12	float32	[3,4]	initializer	48	.	0
tensor	a	float32	[2,3,4]	output	96	.	0
tensor	b	float32	[2,3,4]	output	96	.	0
tensor	c	float32	[2,3,4]	output	96	.	0
tensor	d	float32	[2,1,4]	output	32	.	0
tensor	e	float32	[2,3,4]	output	96	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	ln	LayerNormalization	ai.onnx	x,g4	a	axis=-1	0
node	ln1	LayerNormalization	ai.onnx	x,g12	b	axis=1	0
node	sm	Softmax	ai.onnx	x	c	.	0
node	rm	ReduceMean	ai.onnx	x	d	axes=[1];keepdims=1	0
node	re	Relu	ai.onnx	x	e	.	0
##end	14
EOF2
}

# two_cores OP KEYS: the made-up two-core chip as $P, and two runtimes that
# split every kernel of OP over both cores: $R0, and $R with KEYS (printf's
# format) more
two_cores() {
	round_profiles round-core2 round-runtime
	printf "split_always: [%s]\n$2" "$1" >> "$R"
	sed -i 's/^split_always:.*//' "$R0"
	printf 'split_always: [%s]\n' "$1" >> "$R0"
	run -0 gp-roofline --check-runtime "$R" "$R0"
}

# latency_diff STREAM [FUSE]: the stream the function STREAM writes, through
# gp-partition [FUSE], each kernel's latency on $R less on $R0 in us, one
# "name us" a line (the streams in $BATS_TEST_TMPDIR/r0.gp and r.gp)
latency_diff() {
	"$1" | gp-partition ${2:+"$2"} > "$BATS_TEST_TMPDIR/p.gp"
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r0.gp"
	gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r.gp"
	paste <(cols "$BATS_TEST_TMPDIR/r0.gp" name latency_s) <(cols "$BATS_TEST_TMPDIR/r.gp" name latency_s) |
		awk -F'\t' '{ printf "%s %.4g\n", $1, ($4 - $2) * 1e6 }'
}

@test "row costs: gp-partition counts each kernel's rows; a model without row ops has no column" {
	row_stream | gp-partition > "$S"
	run -0 every name rows
	assert_output "$(printf 'ln\t6\nln1\t2\nsm\t6\nrm\t8\nre\t0')"
	row_stream 11 | gp-partition > "$S"
	run -0 col sm rows
	assert_output 2
	conv_stream | gp-partition > "$S"
	run -1 grep -c $'^#subgraph\t.*\trows' "$S"
	assert_output 0
}

@test "row costs: a LayerNormalization or Softmax whose axis is not one of its input's is refused" {
	row_stream | sed 's/	sm	Softmax	ai.onnx	x	c	\.	0$/	sm	Softmax	ai.onnx	x	c	axis=3	0/' > "$BATS_TEST_TMPDIR/bad.gp"
	run --separate-stderr gp-partition < "$BATS_TEST_TMPDIR/bad.gp"
	fails_cleanly "gp-partition: stdin: node 'sm' \\(Softmax\\): axis 3 of a rank 3 input"
	row_stream | sed 's/axis=1	0$/axis=-4	0/' > "$BATS_TEST_TMPDIR/bad.gp"
	run --separate-stderr gp-partition < "$BATS_TEST_TMPDIR/bad.gp"
	fails_cleanly "gp-partition: stdin: node 'ln1' \\(LayerNormalization\\): axis -4 of a rank 3 input"
}

@test "row costs: each row costs what row_s gives its kernel's first op, by hand" {
	conv_core
	printf 'row_s:\n  LayerNormalization: 1u\n  Softmax: 500n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	# 6 and 2 LayerNorm rows at 1 us, 6 Softmax rows at 0.5 us; the
	# ReduceMean's op has none given, the Relu no rows
	run -0 latency_diff row_stream
	assert_output "$(printf 'ln 6\nln1 2\nsm 3\nrm 0\nre 0')"
	S=$BATS_TEST_TMPDIR/r.gp
	# rows that cost more than the kernel's dispatch and work are what limits it
	run -0 col ln bound_hw limit
	assert_output $'compute\t6 rows'
	run -0 col re bound_hw limit
	assert_output $'launch\tdispatch'
}

@test "row costs: on two cores a kernel split over both shares its rows" {
	two_cores LayerNormalization 'row_s:\n  LayerNormalization: 1u\n'
	# ln's 6 rows at 1 us over 2 threads, ln1's 2; the others are no LayerNormalization
	run -0 latency_diff row_stream
	assert_output "$(printf 'ln 3\nln1 1\nsm 0\nrm 0\nre 0')"
}

@test "row costs: row_s and row_elem_s must map op types to seconds" {
	conv_core
	cp "$R" "$BATS_TEST_TMPDIR/base.yaml"
	for key in row_s row_elem_s; do
		cp "$BATS_TEST_TMPDIR/base.yaml" "$R"
		printf '%s:\n  Softmax: 3n\n' "$key" >> "$R"
		runtime_refused "$R" 's/^  Softmax: 3n$/  Softmax: -1n/' "$key.Softmax"
		runtime_refused "$R" 's/^  Softmax: 3n$/  Soft max: 3n/' "'Soft max' is not an op type"
		runtime_refused "$R" 's/^  Softmax: 3n$/  - Softmax/' "'$key' must be a mapping"
	done
}

# x float32 [1, 4, 2, 2] reduced over its 2 x 2 positions by a
# GlobalAveragePool and by a ReduceMean (4 rows of 4 each)
pool_stream() {
	cat <<'STREAM'
##gp	1
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	a,b
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,4,2,2]	input	64	.	0
tensor	a	float32	[1,4,1,1]	output	16	.	0
tensor	b	float32	[1,4,1,1]	output	16	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	gap	GlobalAveragePool	ai.onnx	x	a	.	0
node	rm	ReduceMean	ai.onnx	x	b	axes=[2,3];keepdims=1	0
##end	6
STREAM
}

@test "row costs: a global pool's rows are its channels; each element they read costs row_elem_s, by hand" {
	pool_stream | gp-partition > "$S"
	run -0 every name rows
	assert_output "$(printf 'gap\t4\nrm\t4')"
	conv_core
	printf 'row_s:\n  GlobalAveragePool: 1u\nrow_elem_s:\n  GlobalAveragePool: 100n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	# 4 rows at 1 us and the 16 elements they read at 0.1 us; the
	# ReduceMean's op has neither
	run -0 latency_diff pool_stream
	assert_output "$(printf 'gap 5.6\nrm 0')"
	# its row loops are what limits it
	S=$BATS_TEST_TMPDIR/r.gp
	run -0 col gap bound_hw limit
	assert_output $'compute\t4 rows'
}

@test "row costs: on two cores a global pool split over both shares what its rows read" {
	two_cores GlobalAveragePool 'row_elem_s:\n  GlobalAveragePool: 100n\n'
	run -0 latency_diff pool_stream
	assert_output "$(printf 'gap 0.8\nrm 0')"
}

# x float32 [1, 2, 4, 4] through three 1x1 Convs 2 -> 2 (32 outputs each),
# one followed by a Clip, one by a LeakyRelu and one by a Relu
act_stream() {
	cat <<'STREAM'
##gp	1
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y1,y2,y3
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,2,4,4]	input	128	.	0
tensor	w	float32	[2,2,1,1]	initializer	16	.	0
tensor	c1	float32	[1,2,4,4]	.	128	.	0
tensor	c2	float32	[1,2,4,4]	.	128	.	0
tensor	c3	float32	[1,2,4,4]	.	128	.	0
tensor	y1	float32	[1,2,4,4]	output	128	.	0
tensor	y2	float32	[1,2,4,4]	output	128	.	0
tensor	y3	float32	[1,2,4,4]	output	128	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	cv1	Conv	ai.onnx	x,w	c1	kernel_shape=[1,1]	0
node	cl	Clip	ai.onnx	c1	y1	.	0
node	cv2	Conv	ai.onnx	x,w	c2	kernel_shape=[1,1]	0
node	lk	LeakyRelu	ai.onnx	c2	y2	alpha=0.1	0
node	cv3	Conv	ai.onnx	x,w	c3	kernel_shape=[1,1]	0
node	re	Relu	ai.onnx	c3	y3	.	0
##end	15
STREAM
}

@test "activation costs: a Conv's fused activation costs what act_s gives it an output element, by hand" {
	conv_core
	printf 'act_s:\n  Clip: 1u\n  LeakyRelu: 500n\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	# fused into the Convs: 32 outputs at 1 us (the Clip) and 0.5 us (the
	# LeakyRelu); a Relu, which act_s does not name, nothing
	run -0 latency_diff act_stream --fuse=onnxruntime-cpu
	assert_output "$(printf 'cv1 32\ncv2 16\ncv3 0')"
	# not fused: an activation of its own is a kernel like any other
	run -0 latency_diff act_stream
	assert_output "$(printf 'cv1 0\ncl 0\ncv2 0\nlk 0\ncv3 0\nre 0')"
}

@test "activation costs: on two cores a Conv split over both shares its outputs" {
	two_cores Conv 'act_s:\n  Clip: 1u\n'
	# 32 outputs at 1 us over 2 threads
	run -0 latency_diff act_stream --fuse=onnxruntime-cpu
	assert_output "$(printf 'cv1 16\ncv2 0\ncv3 0')"
}

@test "activation costs: act_s must map op types to seconds" {
	conv_core
	printf 'act_s:\n  Clip: 3n\n' >> "$R"
	runtime_refused "$R" 's/^  Clip: 3n$/  Clip: -1n/' "act_s.Clip"
	runtime_refused "$R" 's/^  Clip: 3n$/  Cl ip: 3n/' "'Cl ip' is not an op type"
	runtime_refused "$R" 's/^  Clip: 3n$/  - Clip/' "'act_s' must be a mapping"
}

# x float32 [1, 2, 4, 4] resized to [1, 2, 8, 8] (128 outputs) twice: by
# linear interpolation (FLOPs: 3 a lerp, 3 lerps an output) and by the
# nearest input (a copy, no FLOPs)
resize_stream() {
	cat <<'STREAM'
##gp	1
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y1,y2
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,2,4,4]	input	128	.	0
tensor	sc	float32	[4]	initializer	16	[1,1,2,2]	0
tensor	y1	float32	[1,2,8,8]	output	512	.	0
tensor	y2	float32	[1,2,8,8]	output	512	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	lin	Resize	ai.onnx	x,,sc	y1	mode="linear"	0
node	nn	Resize	ai.onnx	x,,sc	y2	mode="nearest"	0
##end	7
STREAM
}

@test "element costs: an interpolating Resize costs what elem_s gives it an output element, by hand" {
	conv_core
	printf 'elem_s:\n  Resize: 1u\n' >> "$R"
	run -0 gp-roofline --check-runtime "$R"
	# 128 outputs at 1 us; the nearest one copies (no FLOPs): nothing
	run -0 latency_diff resize_stream
	assert_output "$(printf 'lin 128\nnn 0')"
	# its loop is what limits it
	S=$BATS_TEST_TMPDIR/r.gp
	run -0 col lin bound_hw limit
	assert_output $'compute\telement loop'
	# and an op elem_s does not name pays nothing
	sed -i 's/^  Resize: 1u$/  Relu: 1u/' "$R"
	run -0 latency_diff resize_stream
	assert_output "$(printf 'lin 0\nnn 0')"
}

@test "element costs: on two cores a Resize split over both shares its outputs" {
	two_cores Resize 'elem_s:\n  Resize: 1u\n'
	run -0 latency_diff resize_stream
	assert_output "$(printf 'lin 64\nnn 0')"
}

@test "element costs: elem_s must map op types to seconds" {
	conv_core
	printf 'elem_s:\n  Resize: 3n\n' >> "$R"
	runtime_refused "$R" 's/^  Resize: 3n$/  Resize: -1n/' "elem_s.Resize"
	runtime_refused "$R" 's/^  Resize: 3n$/  Re size: 3n/' "'Re size' is not an op type"
	runtime_refused "$R" 's/^  Resize: 3n$/  - Resize/' "'elem_s' must be a mapping"
}
