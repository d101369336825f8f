#!/usr/bin/env bats
# A runtime's NCHWc layout reorders (lib/partition-nchwc.c, docs/roofline.md
# "Layout reorders"): onnxruntime's NCHWc transformer keeps tensors in blocks
# of channels between the kernels that read them so, and runs a ReorderInput
# or ReorderOutput, kernels of its own, at each edge. gp-partition
# --fuse=RUNTIME (a runtime with nchwc_block) counts them beside the kernel
# each runs for (reorders, reorder_bytes_in, reorder_bytes_out), and
# gp-roofline maps them as data movement kernels (reorder_s). Worked by hand
# on a squeeze-and-excitation block, whose scale Mul the layout refuses; and
# the activation onnxruntime 1.30 fuses into a Conv and not a Gemm (HardSwish).

setup() {
	load test_helper
}

# x float32 [1, 16, 8, 8] through c1 (Conv 16 -> 16, 3 x 3), a
# squeeze-and-excitation block (GlobalAveragePool, s1 Conv 16 -> 8, s2 Conv
# 8 -> 16 and its Sigmoid, Mul of c1's output by that [1, 16, 1, 1] scale),
# then c3 (Conv 16 -> 12, 1 x 1), the graph's output
se_stream() {
	cat <<'EOF'
##gp	1
##source	hand
#graph	id	name	kind	parent	attr	domain	inputs	outputs
graph	0	g	main	.	.	.	x	y
#tensor	name	dtype	shape	kind	bytes	data	graph
tensor	x	float32	[1,16,8,8]	input	4096	.	0
tensor	w1	float32	[16,16,3,3]	initializer	9216	.	0
tensor	ws1	float32	[8,16,1,1]	initializer	512	.	0
tensor	ws2	float32	[16,8,1,1]	initializer	512	.	0
tensor	w3	float32	[12,16,1,1]	initializer	768	.	0
tensor	a	float32	[1,16,8,8]	.	4096	.	0
tensor	g	float32	[1,16,1,1]	.	64	.	0
tensor	s1	float32	[1,8,1,1]	.	32	.	0
tensor	s2	float32	[1,16,1,1]	.	64	.	0
tensor	sg	float32	[1,16,1,1]	.	64	.	0
tensor	m	float32	[1,16,8,8]	.	4096	.	0
tensor	y	float32	[1,12,8,8]	output	3072	.	0
#node	name	op	domain	inputs	outputs	attrs	graph
node	c1	Conv	ai.onnx	x,w1	a	group=1;kernel_shape=[3,3];pads=[1,1,1,1]	0
node	gap	GlobalAveragePool	ai.onnx	a	g	.	0
node	cs1	Conv	ai.onnx	g,ws1	s1	group=1;kernel_shape=[1,1]	0
node	cs2	Conv	ai.onnx	s1,ws2	s2	group=1;kernel_shape=[1,1]	0
node	sig	Sigmoid	ai.onnx	s2	sg	.	0
node	mul	Mul	ai.onnx	a,sg	m	.	0
node	c3	Conv	ai.onnx	m,w3	y	group=1;kernel_shape=[1,1]	0
##end	20
EOF
}

# reorders [RUNTIME]: each subgraph's name, reorders and their bytes in and
# out, partitioned for RUNTIME (else unfused); its name and "none" without them
reorders() {
	se_stream | gp-partition ${1:+--fuse="$1"} |
		awk -F'\t' '$1 == "#subgraph" { for (i = 1; i <= NF; i++) c[$i] = i }
			$1 == "subgraph" { print $(c["name"]) (("reorders" in c) ? "\t" $(c["reorders"]) "\t" \
				$(c["reorder_bytes_in"]) "\t" $(c["reorder_bytes_out"]) : " none") }'
}

@test "NCHWc reorders: a squeeze-and-excitation block's, by hand, with blocks of 8 and of 16" {
	# Blocks of 8: x is read in blocks by c1 (a ReorderInput, 4096 bytes each way); c1's
	# output a goes on in blocks to the pool, but the Mul of a [1,16,8,8] by a [1,16,1,1]
	# is not NCHWc (unequal shapes): a ReorderOutput of a (c1's) and of the scale
	# (cs2+Sigmoid's, 64 bytes), a ReorderInput of m before c3, and c3's output, a graph
	# output, back to NCHW: 16 channels in blocks (padded from 12, 4096 bytes) to 12 (3072)
	run -0 reorders onnxruntime-cpu
	assert_output "$(printf '%s\n' 'c1	2	8192	8192' 'gap	0	0	0' 'cs1	0	0	0' 'cs2	1	64	64' \
		'mul	0	0	0' 'c3	2	8192	7168')"
	# Blocks of 16: cs2 has 8 input channels, fewer than a block, and reads NCHW as it
	# is, so cs1's output goes back to NCHW too (8 channels padded to 16: 64 bytes in, 32 out)
	sed 's/^nchwc_block: 8$/nchwc_block: 16/' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt16.yaml"
	run -0 reorders "$BATS_TEST_TMPDIR/rt16.yaml"
	assert_line --index 2 'cs1	1	64	32'
	assert_line --index 5 'c3	2	8192	7168'
}

@test "NCHWc reorders: none without a runtime's NCHWc layout, nor in a model it keeps in blocks" {
	sed '/^nchwc_block: /d' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt0.yaml"
	run -0 reorders "$BATS_TEST_TMPDIR/rt0.yaml"
	assert_line --index 0 'c1 none'
	refute_output --partial $'\t'
	run -0 reorders
	assert_line --index 0 'c1 none'
	refute_output --partial $'\t'
	# ResNet-18 stays in blocks from its first Conv to its pool: one ReorderOutput,
	# before the classifier's Flatten (512 channels of 1 x 1, 2048 bytes each way)
	run -0 sh -c "gp-load '$DATA/resnet18.onnx' | gp-shape | gp-partition --fuse=onnxruntime-cpu |
		gp-table subgraph name reorders reorder_bytes_in reorder_bytes_out | awk -F'\t' 'NR > 1 && \$2 != 0'"
	assert_output "$(printf '%s\t1\t2048\t2048' /avgpool/GlobalAveragePool)"
}

@test "NCHWc layout: a global pool of blocks has no rows; one in NCHW, a row a channel" {
	# c1 writes a in blocks, which the pool reduces a block of channels at a
	# time (MlasNchwcPool): no loop a row, so no rows (and no row costs):
	# no kernel has any, and the stream no rows column
	se_stream | gp-partition --fuse=onnxruntime-cpu > "$S"
	run -1 grep -c $'^#subgraph\t.*\trows' "$S"
	assert_output 0
	# without the layout (unfused, or a runtime with no nchwc_block) it reads
	# NCHW: a row of 64 a channel (MlasPoolGlobalKernel)
	se_stream | gp-partition > "$S"
	run -0 col gap rows
	assert_output 16
	sed '/^nchwc_block: /d' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt0.yaml"
	se_stream | gp-partition --fuse="$BATS_TEST_TMPDIR/rt0.yaml" > "$S"
	run -0 col gap rows
	assert_output 16
}

@test "NCHWc reorders: gp-roofline maps them as data movement kernels beside the kernel, by hand" {
	# One core of 1 GB/s, 1 us a kernel: c1's two reorders move 16,384 bytes (16.384 us)
	# and take two dispatches; cs2's one, 128 bytes and one; c3's, 15,360 bytes and two
	round_profiles round-core1 round-dispatch
	printf 'nchwc_block: 8\n' >> "$R"
	se_stream | gp-partition --fuse=onnxruntime-cpu > "$BATS_TEST_TMPDIR/p.gp"
	gp-roofline -H "$P" -R "$R" < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r.gp"
	run -0 gp-table subgraph name reorder_s < "$BATS_TEST_TMPDIR/r.gp"
	assert_line --index 1 "$(printf 'c1\t1.8384e-05')"
	assert_line --index 4 "$(printf 'cs2\t1.128e-06')"
	assert_line --index 6 "$(printf 'c3\t1.736e-05')"
	# each kernel's latency is what it was without them, and their reorder_s
	gp-roofline -H "$P" -R "$R0" < "$BATS_TEST_TMPDIR/p.gp" > "$BATS_TEST_TMPDIR/r0.gp"
	run -0 sh -c "gp-table subgraph latency_s reorder_s < '$BATS_TEST_TMPDIR/r.gp' | tail -n +2 > '$BATS_TEST_TMPDIR/a'
		gp-table subgraph latency_s < '$BATS_TEST_TMPDIR/r0.gp' | tail -n +2 > '$BATS_TEST_TMPDIR/b'
		paste '$BATS_TEST_TMPDIR/a' '$BATS_TEST_TMPDIR/b' |
			awk -F'\t' '{ d = \$1 - \$2 - \$3; if (d > 1e-15 || d < -1e-15) print NR, \$0 }'"
	assert_output ""
	# (the comparison saw all six kernels, each with both latencies)
	run -0 sh -c "paste '$BATS_TEST_TMPDIR/a' '$BATS_TEST_TMPDIR/b' | awk -F'\t' 'NF == 3 && \$1 != \"\" && \$3 != \"\"' | wc -l"
	assert_output 6
	# the run's latency holds them too
	run -0 sh -c "gp-report --summary < '$BATS_TEST_TMPDIR/r.gp' | awk -F'\t' '\$1 == \"latency_s\" { print \$2 }'"
	l1=$output
	run -0 sh -c "gp-report --summary < '$BATS_TEST_TMPDIR/r0.gp' | awk -F'\t' '\$1 == \"latency_s\" { print \$2 }'"
	run -0 awk -v a="$l1" -v b="$output" 'BEGIN { d = a - b - (1.8384e-05 + 1.128e-06 + 1.736e-05); print (d < 1e-12 && d > -1e-12) ? "same" : d }'
	assert_output same
}

@test "NCHWc reorders: a tensor of unknown shape or rank has reorders of unknown bytes, and no crash" {
	# a Conv whose output's shape is not known ('?', ##shape says inference ran)
	printf '##gp\t1\n##shape\tunknown=1\tdynamic=0\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\ngraph\t0\tg\tmain\t.\t.\t.\tx\ty\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\ntensor\tx\tfloat32\t[1,16,8,8]\tinput\t4096\t.\t0\ntensor\tw\tfloat32\t[16,16,1,1]\tinitializer\t1024\t.\t0\ntensor\ty\tfloat32\t%s\toutput\t.\t.\t0\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\nnode\tc\tConv\tai.onnx\tx,w\ty\tgroup=1;kernel_shape=[1,1]\t0\n##end\t5\n' '?' > "$BATS_TEST_TMPDIR/h.gp"
	run -0 sh -c "gp-partition --fuse=onnxruntime-cpu < '$BATS_TEST_TMPDIR/h.gp' 2>/dev/null |
		awk -F'\t' '\$1 == \"#subgraph\" { for (i = 1; i <= NF; i++) c[\$i] = i }
			\$1 == \"subgraph\" { print \$(c[\"reorders\"]), \$(c[\"reorder_bytes_in\"]), \$(c[\"reorder_bytes_out\"]) }'"
	assert_output '2 . .'
	# and of rank 0: one element, written back by the ReorderOutput (4 bytes), its
	# blocked side unknown (no channels)
	sed 's/\t?\toutput/\t[]\toutput/' "$BATS_TEST_TMPDIR/h.gp" > "$BATS_TEST_TMPDIR/h0.gp"
	run -0 sh -c "gp-partition --fuse=onnxruntime-cpu < '$BATS_TEST_TMPDIR/h0.gp' 2>/dev/null |
		awk -F'\t' '\$1 == \"#subgraph\" { for (i = 1; i <= NF; i++) c[\$i] = i }
			\$1 == \"subgraph\" { print \$(c[\"reorders\"]), \$(c[\"reorder_bytes_in\"]), \$(c[\"reorder_bytes_out\"]) }'"
	assert_output '2 . 4100'
}

@test "--fuse=onnxruntime-cpu: a HardSwish joins the Conv before it, not a Gemm" {
	# onnxruntime 1.30 runs MobileNet-V3's HardSwish after a Conv inside the NCHWc Conv
	# (its activation) and the classifier's after the Gemm as a HardSigmoid and a Mul
	printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\ngraph\t0\tg\tmain\t.\t.\t.\tx\ty\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\ntensor\tx\tfloat32\t[1,16,8,8]\tinput\t4096\t.\t0\ntensor\tw\tfloat32\t[16,16,1,1]\tinitializer\t1024\t.\t0\ntensor\twg\tfloat32\t[10,16]\tinitializer\t640\t.\t0\ntensor\tc\tfloat32\t?\t.\t.\t.\t0\ntensor\th\tfloat32\t?\t.\t.\t.\t0\ntensor\tg\tfloat32\t?\t.\t.\t.\t0\ntensor\tf\tfloat32\t?\t.\t.\t.\t0\ntensor\tm\tfloat32\t?\t.\t.\t.\t0\ntensor\ty\tfloat32\t?\toutput\t.\t.\t0\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\nnode\tconv\tConv\tai.onnx\tx,w\tc\tkernel_shape=[1,1]\t0\nnode\ths1\tHardSwish\tai.onnx\tc\th\t.\t0\nnode\tgap\tGlobalAveragePool\tai.onnx\th\tg\t.\t0\nnode\tflat\tFlatten\tai.onnx\tg\tf\t.\t0\nnode\tfc\tGemm\tai.onnx\tf,wg\tm\ttransB=1\t0\nnode\ths2\tHardSwish\tai.onnx\tm\ty\t.\t0\n##end\t16\n' > "$BATS_TEST_TMPDIR/hs.gp"
	run -0 sh -c "gp-partition --fuse=onnxruntime-cpu < '$BATS_TEST_TMPDIR/hs.gp' | gp-table subgraph name ops | tail -n +2"
	assert_output "$(printf '%s\n' 'conv	Conv+HardSwish' 'gap	GlobalAveragePool' 'fc	Gemm' 'hs2	HardSwish')"
}
