#!/usr/bin/env bats
# gp-partition: subgraphs, their costs (worked out by hand here), fusion, and
# the MACs of the fixture models against torchvision's published figures.

setup() {
	load test_helper
}

# part MODEL [ARGS...]: gp-load MODEL | gp-partition ARGS into $S
part() {
	gp-load "$1" | gp-partition "${@:2}" > "$S"
}


@test "usage errors" {
	run --separate-stderr -2 gp-partition --dtype fp7
	assert_equal "$stderr" "gp-partition: --dtype: 'fp7' is not a numeric dtype (fp32, fp16, bf16, fp8, int8, ...)"
	run --separate-stderr -2 gp-partition --compute-ai 5 --memory-ai 10
	assert_equal "$stderr" "gp-partition: --memory-ai 10 is above --compute-ai 5"
	run --separate-stderr -2 gp-partition --memory-ai x
	run --separate-stderr -2 gp-partition extra-arg
}

@test "costs worked out by hand: conv, depthwise conv, relu, pool, gemm, softmax" {
	part "$TDATA/cost.onnx"
	# conv: x [1,3,8,8], w [4,3,3,3] pad 1, bias -> [1,4,8,8]: 256 outputs x 27 MACs;
	# FLOPs 2 x 6912 + 256 bias adds; bytes 3*64*4 in, 256*4 out, (108+4)*4 weights
	run -0 col conv kind flops macs bytes_in bytes_out bytes_weight ai bound threads groups depthwise
	assert_output "$(printf 'conv2d\t14080\t6912\t768\t1024\t448\t6.286\tmemory\t256\t1\t0')"
	# depthwise: 4 groups of one channel, 9 MACs per output, no bias
	run -0 col dw kind flops macs bytes_weight groups depthwise channels spatial
	assert_output "$(printf 'conv2d_depthwise\t4608\t2304\t144\t4\t1\t4\t64')"
	run -0 col relu kind flops macs
	assert_output "$(printf 'relu\t256\t0')"
	# global average pool: one FLOP per input element
	run -0 col gap kind flops bytes_in bytes_out
	assert_output "$(printf 'globalavgpool\t256\t1024\t16')"
	# gemm [1,4] x [4,10] + bias: 40 MACs, 80 + 10 FLOPs
	run -0 col fc kind flops macs bytes_in bytes_out bytes_weight
	assert_output "$(printf 'linear\t90\t40\t16\t40\t200')"
	# softmax: 5 FLOPs per element
	run -0 col softmax flops
	assert_output 50
	run -0 total flops
	assert_output $((14080 + 4608 + 256 + 256 + 90 + 50))
	run -0 total macs
	assert_output $((6912 + 2304 + 40))
	run -0 total params
	assert_output $((108 + 4 + 36 + 40 + 10))
}

@test "views and nodes that compute nothing are not subgraphs; readers read what they view" {
	part "$TDATA/cost.onnx"
	run -0 every name
	refute_line flatten
	# the gemm reads the pool's output through the Flatten view
	run -0 col fc inputs
	assert_output p
	# the node records say which subgraph each node went into
	run -0 awk -F'\t' '$1 == "#node" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "node" { print $c["name"], $c["subgraph"] }' "$S"
	assert_line "conv 1"
	assert_line "flatten ."
	assert_line "fc 5"
}

@test "--fuse: BatchNorm folded, epilogues fused, no cycle made; bytes saved as worked out" {
	part "$TDATA/fuse.onnx"
	run -0 total subgraphs
	assert_output 8
	# unfused bytes: conv 1024+1024+576, bn 2048+64, relu 2048, add 2048+1024,
	# relu 2048, pool 1024+16, sigmoid 32, mul 1024+16+1024
	run -0 total bytes
	assert_output 15040
	run -0 total flops
	assert_output 20240
	part "$TDATA/fuse.onnx" --fuse
	run -0 every ops
	assert_output "$(printf 'Conv+BatchNormalization+Relu+Add+Relu\nGlobalAveragePool+Sigmoid\nMul')"
	# the fused conv reads x (once, also as the residual), writes r2, and
	# reads its weight plus the bias the folded BatchNorm leaves
	run -0 col conv kind inputs outputs bytes_in bytes_out bytes_weight
	assert_output "$(printf 'conv2d\tx\tr2\t1024\t1024\t592')"
	run -0 total bytes
	assert_output $((2640 + 1040 + 2064))
	run -0 total bytes_saved
	assert_output $((15040 - 5744))
	# the BatchNorm's 2 FLOPs per element become one bias add
	run -0 total flops
	assert_output $((20240 - 256))
	run -0 total subgraphs_unfused
	assert_output 8
}

@test "ResNet-18 with BatchNorm: the user guide's structure, and --fuse equals the folded export" {
	part "$DATA/resnet18-bn.onnx"
	run -0 total subgraphs
	assert_output 68
	every kind | sed 's/_pointwise//' | sort | uniq -c | awk '{ print $2, $1 }' > "$BATS_TEST_TMPDIR/k"
	run -0 cat "$BATS_TEST_TMPDIR/k"
	assert_output "$(printf 'add 8\nbatchnorm 20\nconv2d 20\nglobalavgpool 1\nlinear 1\nmaxpool 1\nrelu 17')"
	part "$DATA/resnet18-bn.onnx" --fuse
	run -0 every kind
	refute_line batchnorm
	every ops | sed 's/+BatchNormalization//' > "$BATS_TEST_TMPDIR/a"
	awk -F'\t' '$1 == "subgraph" { print $10, $11, $12, $13, $14 }' "$S" > "$BATS_TEST_TMPDIR/a2"
	part "$DATA/resnet18.onnx" --fuse
	every ops > "$BATS_TEST_TMPDIR/b"
	awk -F'\t' '$1 == "subgraph" { print $10, $11, $12, $13, $14 }' "$S" > "$BATS_TEST_TMPDIR/b2"
	run -0 diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	run -0 diff "$BATS_TEST_TMPDIR/a2" "$BATS_TEST_TMPDIR/b2"
	run -0 total subgraphs
	assert_output 23
}

@test "MACs of the fixture models equal torchvision's published figures, to their precision" {
	for m in resnet18 resnet18-bn mobilenet_v2 efficientnet_b0; do
		part "$DATA/$m.onnx"
		want=$(awk -F'\t' -v n="${m%-bn}" '$1 == n && $5 == 224 { print $3; exit }' tests/torchvision-ops.tsv)
		[ -n "$want" ]
		got=$(total macs)
		digits=$(printf '%s' "${want#*.}" | wc -c)
		run -0 awk -v g="$got" -v d="$digits" 'BEGIN { printf "%.*f\n", d, g / 1e9 }'
		assert_output "$want"
	done
}

@test "parameters are the weight elements of the file; BatchNorm statistics are buffers" {
	want=$(awk -F'\t' '$1 == "resnet18" { print $4; exit }' tests/torchvision-ops.tsv)
	part "$DATA/resnet18-bn.onnx"
	run -0 total params
	assert_output "$want"
	# running mean and variance: 2 x 4800 channels of BatchNorm
	run -0 total buffers
	assert_output 9600
	# folding each BatchNorm into its conv trades scale and shift (2 per
	# channel) for a bias (1 per channel)
	part "$DATA/resnet18.onnx"
	run -0 total params
	assert_output $((want - 4800))
}

@test "If costs its larger branch; Loop its body times the trip count" {
	part "$TDATA/control.onnx"
	# then: [2,2] x [2,2] MatMul, 8 MACs; else: a Relu, 4 FLOPs
	run -0 col if flops macs inputs weights bytes_in
	assert_output "$(printf '16\t8\tcond,a\tw\t17')"
	run -0 col loop flops macs
	assert_output "$(printf '48\t24')"
}

@test "an op with no cost function: a warning, '.' and no totals; --strict: an error" {
	run --separate-stderr -0 sh -c "gp-load $TDATA/function.onnx | gp-partition"
	assert_regex "$stderr" "no cost function for op Twice \(domain local"
	assert_regex "$stderr" "no cost function for op FusedGemm \(domain com.microsoft"
	assert_regex "$output" $'\tflops=\\.\t'
	assert_regex "$output" $'\tunknown=2'
	run --separate-stderr -1 sh -c "gp-load $TDATA/function.onnx | gp-partition --strict"
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^gp-partition: stdin: node 'call': no cost function for op Twice"
}

@test "symbolic dims: costs are '.' with a warning until bound; bound, they are numbers" {
	run --separate-stderr -0 sh -c "gp-load $DATA/tiny-encoder.onnx | gp-partition"
	assert_regex "$stderr" "bind symbolic dims with gp-shape -D"
	assert_regex "$output" $'\tflops=\\.\t'
	run --separate-stderr -0 sh -c "gp-load $DATA/tiny-encoder.onnx | gp-shape -D batch=2 -D seq=16 | gp-partition --fuse"
	assert_equal "$stderr" ""
	assert_regex "$output" $'\tflops=[0-9]+\t'
	assert_regex "$output" $'\tunknown=0'
	# the decomposed LayerNorms are one kernel each
	assert_regex "$output" $'\tlayernorm\tReduceMean\\+Sub\\+Pow\\+ReduceMean\\+Add\\+Sqrt\\+Div\\+Mul\\+Add\t'
}

@test "--dtype fp16 halves the bytes of floating tensors" {
	part "$DATA/resnet18.onnx"
	a=$(total bytes)
	w=$(total weight_bytes)
	part "$DATA/resnet18.onnx" --dtype fp16
	run -0 total bytes
	assert_output $((a / 2))
	run -0 total weight_bytes
	assert_output $((w / 2))
	run -0 total dtype
	assert_output float16
}

@test "the bound follows the thresholds" {
	part "$TDATA/cost.onnx" --compute-ai 5 --memory-ai 1
	run -0 col conv bound
	assert_output compute
	run -0 col dw bound
	assert_output balanced
	run -0 col relu bound
	assert_output memory
}

@test "a count that overflows 64 bits is an error, not a wrapped number" {
	printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\ngraph\t0\tg\tmain\t.\t.\t.\ta,b\ty\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\ntensor\ta\tfloat32\t[2147483648,2147483648]\tinput\t.\t.\t0\ntensor\tb\tfloat32\t[2147483648,2147483648]\tinput\t.\t.\t0\ntensor\ty\tfloat32\t?\toutput\t.\t.\t0\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\nnode\tmm\tMatMul\tai.onnx\ta,b\ty\t.\t0\n##end\t5\n' > "$BATS_TEST_TMPDIR/big"
	run --separate-stderr gp-partition < "$BATS_TEST_TMPDIR/big"
	fails_cleanly "gp-partition: stdin: node 'mm' \(MatMul\): its FLOP count overflows 64 bits"
}

@test "a second pass replaces the subgraphs; unknown records and columns pass through" {
	part "$DATA/resnet18.onnx"
	# add a column to the tensor records and a record type of our own
	awk -F'\t' 'BEGIN { OFS = "\t" }
		/^#tensor\t/ { $0 = $0 "\tmine" } /^tensor\t/ { $0 = $0 "\tv" }
		/^##end\t/ { print "#extra\tx"; print "extra\t1"; $2 = $2 + 1 } { print }' "$S" > "$BATS_TEST_TMPDIR/u"
	run -0 gp-partition < "$BATS_TEST_TMPDIR/u"
	assert_line "$(printf 'extra\t1')"
	assert_line --regexp $'^#tensor\t.*\tmine$'
	assert_line --regexp $'^tensor\tinput\t.*\tv$'
	run -0 grep -c '^#subgraph' <<< "$output"
	assert_output 1
	grep '^subgraph' "$S" > "$BATS_TEST_TMPDIR/first"
	run -0 sh -c "gp-partition < $BATS_TEST_TMPDIR/u | grep '^subgraph' | diff - $BATS_TEST_TMPDIR/first"
}

@test "the output is deterministic" {
	part "$DATA/efficientnet_b0.onnx" --fuse
	cp "$S" "$BATS_TEST_TMPDIR/one"
	part "$DATA/efficientnet_b0.onnx" --fuse
	run -0 cmp "$S" "$BATS_TEST_TMPDIR/one"
}

@test "bad input: a truncated stream is refused, nothing is written" {
	gp-load "$DATA/resnet18.onnx" | head -50 > "$BATS_TEST_TMPDIR/t"
	run --separate-stderr gp-partition < "$BATS_TEST_TMPDIR/t"
	fails_cleanly "gp-partition: stdin: truncated stream"
}

@test "docs/counting.md lists every op of the op table with the cost the code counts" {
	sed -n '/^| op | class | FLOPs |$/,$p' docs/counting.md | tail -n +3 > "$BATS_TEST_TMPDIR/doc"
	t-ops > "$BATS_TEST_TMPDIR/code"
	run -0 diff "$BATS_TEST_TMPDIR/doc" "$BATS_TEST_TMPDIR/code"
	run -0 wc -l < "$BATS_TEST_TMPDIR/code"
	[ "$output" -gt 130 ]
}

@test "a body attribute naming the graph that holds the node is refused, not followed (fuzz)" {
	# found by make fuzz: a Loop whose body is its own graph recursed forever
	printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\ngraph\t0\tg\tmain\t.\t.\t.\tx\ty\ngraph\t1\tb\tsubgraph\tloop\tbody\t.\t.\t.\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\ntensor\tx\tfloat32\t[2]\tinput\t.\t.\t0\ntensor\ty\tfloat32\t[2]\toutput\t.\t.\t0\ntensor\tz\tfloat32\t[2]\tintermediate\t.\t.\t1\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\nnode\tloop\tLoop\tai.onnx\t,,x\ty\tbody=G:0\t0\nnode\tinner\tLoop\tai.onnx\t,,x\tz\tbody=G:1\t1\n##end\t7\n' > "$BATS_TEST_TMPDIR/loop"
	run --separate-stderr -0 gp-partition < "$BATS_TEST_TMPDIR/loop"
	assert_line --regexp $'^subgraph\t1\tloop\tloop\t.*\t\\.\t\\.\t'
	assert_regex "$stderr" "a shape or a trip count it depends on is not known"
	run --separate-stderr -0 gp-shape < "$BATS_TEST_TMPDIR/loop"
	# the fuzzer's input: a Loop naming an If's branch as its body
	run --separate-stderr -0 gp-partition < tests/data/fuzz-loop-body.gp
	assert_line --regexp $'^subgraph\t2\tloop\tloop\t'
}

@test "an embedding Gather reads the rows it looks up, not the whole table" {
	part "$TDATA/gather.onnx"
	# ids: 4 x 8 bytes; rows: 4 x 16 x 4 bytes of a 1000 x 16 table
	run -0 col embed kind flops bytes_in bytes_weight bytes_out
	assert_output "$(printf 'gather\t0\t32\t256\t256')"
	run -0 total weight_bytes
	assert_output 64000
}

@test "nodes computed from weights only are folded: no subgraph, their work counted apart" {
	part "$TDATA/folded.onnx"
	run -0 every name
	assert_output add
	run -0 col add inputs weights
	assert_output "$(printf 'x\tpq')"
	run -0 total macs
	assert_output 0
	run -0 total folded_macs
	assert_output 24
	run -0 total folded_flops
	assert_output 48
}

@test "the ##partition example of docs/format.md is what gp-partition writes" {
	part "$DATA/resnet18.onnx"
	run -0 grep -F "$(grep '^##partition' "$S")" docs/format.md
}

@test "fused subgraphs are numbered in topological order: each reads only what lower ids write" {
	for m in resnet18 efficientnet_b0; do
		part "$DATA/$m.onnx" --fuse
		run -0 awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
			$1 == "subgraph" {
				n = split($c["inputs"], in_, ",")
				for (k = 1; k <= n; k++) if ((in_[k] in by) == 0 && in_[k] != "input") bad = bad " " $c["id"] ":" in_[k]
				n = split($c["outputs"], out_, ",")
				for (k = 1; k <= n; k++) by[out_[k]] = $c["id"]
			}
			END { print bad == "" ? "ok" : bad }' "$S"
		assert_output ok
	done
}

@test "review cases: nested control flow, a while loop, a bad Scan, a byte overflow" {
	# a Loop of 2 trips around an If (then: 8 MACs, else: 4 FLOPs): 2 x 16 FLOPs
	run -0 gp-partition < tests/data/review-nest.gp
	assert_line --regexp $'^subgraph\t1\tloop\t.*\t32\t16\t'
	# 24 nested Loops of one trip around one Relu: 4 FLOPs, at once
	run -0 timeout 10 gp-partition < tests/data/review-deep24.gp
	assert_line --regexp $'^subgraph\t1\tL0\t.*\t4\t0\t'
	# M = INT64_MAX with a dynamic condition (a PyTorch while loop): not a count
	run --separate-stderr -0 gp-partition < tests/data/review-bigm.gp
	assert_line --regexp $'^subgraph\t1\tloop\tloop\tLoop\tloop\t.*\t\\.\t\\.\t'
	# num_scan_inputs larger than the inputs: no read past them
	run --separate-stderr -0 gp-partition < tests/data/review-scan2.gp
	run --separate-stderr -0 gp-shape < tests/data/review-scan2.gp
	# 16 tensors of 2^59 bytes: the sum overflows
	run --separate-stderr gp-partition < tests/data/review-ovf.gp
	fails_cleanly "gp-partition: stdin: subgraph 1: its byte count overflows 64 bits"
}

@test "each kernel's class, from the op table: the runtime's memory-rate classes (docs/format.md)" {
	part "$TDATA/cost.onnx"
	run -0 gp-table subgraph name class < "$S"
	assert_output "$(printf 'name\tclass\nconv\tother\ndw\tother\nrelu\telementwise\ngap\tpool\nfc\tother\nsoftmax\trow')"
	# an element-wise kernel is transcendental when any op it fuses is (QLinearSigmoid);
	# a concatenation moves data; a reduction over the whole tensor is a row kernel
	part "$TDATA/contrib-quant.onnx" --fuse
	run -0 col qadd ops class
	assert_output "$(printf 'QLinearAdd+QLinearMul+QLinearSigmoid+QLinearLeakyRelu\ttranscendental')"
	run -0 col qconcat class
	assert_output move
	run -0 col dql class
	assert_output row
	run -0 col q_ms class
	assert_output elementwise
	# a LayerNorm written out in reductions and element-wise ops is a row kernel; so is
	# one node of it with the Add before it fused; a Cast, which computes nothing, moves
	# data, with what it fuses; a matrix kernel with a GELU epilogue is of no class
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 | gp-partition --fuse > "$S"
	run -0 col /encoder/layers.0/norm2/ReduceMean kind class
	assert_output "$(printf 'layernorm\trow')"
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 | gp-partition --fuse > "$S"
	run -0 col /Add ops class
	assert_output "$(printf 'Add+LayerNormalization\trow')"
	run -0 col /Cast_1 ops class
	assert_output "$(printf 'Cast+Sub+Mul\tmove')"
	run -0 col /layers.0/ffn_in/MatMul ops class
	assert_output "$(printf 'MatMul+Add+Div+Erf+Add+Mul+Mul\tother')"
	run -0 col /layers.0/act/Erf class
	assert_output ""
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 | gp-partition > "$S"
	run -0 col /layers.0/act/Erf class
	assert_output transcendental
}

@test "a Transpose of the last two axes that only MatMuls read is their operand's layout (matmul-transpose)" {
	# GPT's K^T: Transpose_3 (perm [0,1,3,2]) of the present keys, read only by the
	# scores' MatMul. Unfused it is a kernel of its own (24,576 bytes in, as many out);
	# onnxruntime's MatmulTransposeFusion, and the ideal compiler, read the keys as they
	# are: no kernel, the MatMul reads present_key_0, the same 32,768 bytes in all
	gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=1 -D seq=16 -D past=32 > "$BATS_TEST_TMPDIR/shaped"
	gp-partition < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /blocks.0/Transpose_3 ops bytes_in bytes_out
	assert_output "$(printf 'Transpose\t24576\t24576')"
	run -0 col /blocks.0/MatMul inputs bytes_in
	assert_output "$(printf '/blocks.0/Transpose_output_0,/blocks.0/Transpose_3_output_0\t32768')"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /blocks.0/Transpose_3 ops
	assert_output ""
	run -0 col /blocks.0/MatMul inputs bytes_in
	assert_output "$(printf '/blocks.0/Transpose_output_0,present_key_0\t32768')"
	# the ideal compiler (attention in one kernel: the values read too)
	gp-partition --fuse < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /blocks.0/Transpose_3 ops
	assert_output ""
	run -0 col /blocks.0/MatMul inputs
	assert_output "/blocks.0/Transpose_output_0,present_key_0,present_value_0"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	# the other transposes (perm [0,2,1,3], heads apart) stay kernels
	run -0 col /blocks.0/Transpose ops
	assert_output Transpose
	# a runtime without the rule keeps it
	sed 's/, matmul-transpose//' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt.yaml"
	gp-partition --fuse="$BATS_TEST_TMPDIR/rt.yaml" < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /blocks.0/Transpose_3 ops
	assert_output Transpose
}

@test "--fuse=onnxruntime-cpu: a bias Add joins its MatMul, a residual Add neither it nor the LayerNorm after it" {
	# onnxruntime's MatMulAddFusion makes a Gemm of a MatMul and the Add of a constant
	# bias, when the MatMul's first input is a matrix or has a shape the model fixes (it
	# reshapes it to a matrix: matmul_add_fusion.cc); the residual Add (two activations)
	# and the LayerNormalization that reads it stay kernels of their own; the ideal
	# compiler fuses the residual Add. BERT-tiny's inputs are [batch,seq]: dims fixed only
	# at run time (gp-shape's ##shape says dynamic=1), and its MatMuls read [1,32,128]:
	# the bias Adds stay too (its profile: MatMul 14 and FusedMatMul 2, the scores
	# with their scale, below; Add 17, BiasGelu 2, LayerNormalization 5, no Gemm, no
	# SkipLayerNormalization)
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 > "$BATS_TEST_TMPDIR/shaped"
	run -0 grep '^##shape' "$BATS_TEST_TMPDIR/shaped"
	assert_output "$(printf '##shape\tunknown=0\tdynamic=1')"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /layers.0/attn_out/MatMul ops
	assert_output "MatMul"
	run -0 col /layers.0/attn_out/Add ops
	assert_output "Add"
	run -0 awk -F'\t' '$1 == "subgraph" && $5 ~ /^(MatMul|Add)/ { n[$5]++ } END { for (k in n) print k, n[k] }' "$S"
	assert_line "MatMul 14"
	assert_line "MatMul+Div 2"
	assert_line "Add 17"
	run -0 col /layers.0/Add_1 ops
	assert_output "Add"
	run -0 col /layers.0/attn_norm/LayerNormalization ops
	assert_output "LayerNormalization"
	gp-partition --fuse < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /layers.0/attn_out/MatMul ops
	assert_output "MatMul+Add+Add"
	# the same model exported at a fixed [1,32]: dynamic=0, and the bias Adds join
	gp-load "$DATA/bert-tiny.onnx" | sed 's/\[batch,seq\]/[1,32]/' | gp-shape > "$BATS_TEST_TMPDIR/static"
	run -0 grep '^##shape' "$BATS_TEST_TMPDIR/static"
	assert_output "$(printf '##shape\tunknown=0\tdynamic=0')"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/static" > "$S"
	run -0 col /layers.0/attn_out/MatMul ops
	assert_output "MatMul+Add"
	run -0 col /layers.0/Add_1 ops
	assert_output "Add"
	# gp-partition inferring the shapes itself sees the same
	gp-load "$DATA/bert-tiny.onnx" | gp-partition --fuse=onnxruntime-cpu 2>/dev/null > "$S"
	run -0 col /layers.0/attn_out/MatMul ops
	assert_output "MatMul"
	# a LayerNorm written out is still one kernel under the norm rule: its reductions
	# join the kernel that starts with the first of them, not the Add before it
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 | gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col /encoder/layers.0/norm2/ReduceMean ops
	assert_output "ReduceMean+Sub+Pow+ReduceMean+Add+Sqrt+Div+Mul+Add"
	run -0 col /encoder/layers.0/Add_1 ops
	assert_output "Add"
}

@test "--fuse=onnxruntime-cpu fuses element-wise ops only along the activations onnxruntime fuses by name" {
	# the patterns rule: GELU written out (Div, Erf, Add, Mul, Mul: onnxruntime's Gelu)
	# is one kernel; BERT's mask arithmetic (Cast, Sub, Mul) is three, as onnxruntime
	# runs them; the ideal compiler fuses the mask into one
	# after the Add of a bias that did not join its MatMul (dynamic dims, above), it is
	# one kernel with that Add (onnxruntime's BiasGeluFusion: BiasGelu); at fixed dims
	# the Add went into the MatMul's Gemm and the GELU is a kernel of its own
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 > "$BATS_TEST_TMPDIR/shaped"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /layers.0/ffn_in/Add ops
	assert_output "Add+Div+Erf+Add+Mul+Mul"
	gp-load "$DATA/bert-tiny.onnx" | sed 's/\[batch,seq\]/[1,32]/' | gp-shape |
		gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col /layers.0/act/Div ops
	assert_output "Div+Erf+Add+Mul+Mul"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /Cast_1 ops
	assert_output Cast
	run -0 col /Sub ops
	assert_output Sub
	gp-partition --fuse < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /Cast_1 ops
	assert_output "Cast+Sub+Mul"
	# a BatchNormalization takes the Relu after it (onnxruntime's NCHWc transformer makes
	# it a depthwise convolution with the activation fused)
	part "$DATA/densenet121.onnx" --fuse=onnxruntime-cpu
	run -0 col /features/denseblock1/denselayer1/norm1/BatchNormalization ops
	assert_output "BatchNormalization+Relu"
}

@test "--fuse=onnxruntime-cpu: a scale by a constant scalar before or after a MatMul is in its kernel" {
	# onnxruntime's MatMulScaleFusion makes a FusedMatMul of a MatMul and a Mul or Div
	# by a constant scalar of its output (BERT-tiny's scores, divided by sqrt(d): its
	# profile has no Div) or of an input (tiny-encoder's queries, divided before the
	# product); a MatMul that took its bias (a Gemm) keeps a scale after it apart
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 > "$BATS_TEST_TMPDIR/shaped"
	gp-partition --fuse=onnxruntime-cpu < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /layers.0/MatMul ops
	assert_output "MatMul+Div"
	run -0 col /layers.0/MatMul kind
	assert_output "matmul"
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 |
		gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col /encoder/layers.0/self_attn/Div_2 ops
	assert_output "Div+MatMul"
	# without the rule, each is a kernel of its own
	sed 's/, matmul-scale,/,/' "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt.yaml"
	gp-partition --fuse="$BATS_TEST_TMPDIR/rt.yaml" < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 col /layers.0/MatMul ops
	assert_output "MatMul"
	run -0 col /layers.0/Div ops
	assert_output "Div"
}

@test "--fuse=onnxruntime-cpu: a bias Add joins a MatMul only when its second input is a matrix; a Gemm of a more-than-2-D input runs two views" {
	# MatMulAddFusion wants the MatMul's B of 2 dims (a weight): x [1,4,8] times the
	# weight w [8,4] takes its bias; x times an activation y [1,8,4] (attention's
	# scores against their keys) does not, whatever the Add reads
	mk() {  # mk B-TENSOR-RECORD: a MatMul of x and B, then the Add of a bias [4]
		printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n'
		printf 'graph\t0\tg\tmain\t.\t.\t.\tx\tz\n'
		printf '#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n'
		printf 'tensor\tx\tfloat32\t[1,4,8]\tinput\t128\t.\t0\n%s\n' "$1"
		printf 'tensor\tb\tfloat32\t[4]\tinitializer\t16\t.\t0\n'
		printf 'tensor\tm\tfloat32\t[1,4,4]\tintermediate\t64\t.\t0\n'
		printf 'tensor\tz\tfloat32\t[1,4,4]\toutput\t64\t.\t0\n'
		printf '#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n'
		printf 'node\tmm\tMatMul\tai.onnx\tx,%s\tm\t.\t0\n' "$2"
		printf 'node\tadd\tAdd\tai.onnx\tm,b\tz\t.\t0\n##end\t8\n'
	}
	mk "$(printf 'tensor\tw\tfloat32\t[8,4]\tinitializer\t128\t.\t0')" w | gp-shape |
		gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col mm ops
	assert_output "MatMul+Add"
	# its Gemm takes x [1,4,8] reshaped to [4,8], and gives [4,4] reshaped back: two
	# views onnxruntime runs (MatMulAddFusion's gemm_input_reshape, gemm_output_reshape)
	run -0 hdr partition view_nodes "$S"
	assert_output 2
	mk "$(printf 'tensor\ty\tfloat32\t[1,8,4]\tinput\t128\t.\t0')" y | sed 's/^graph\t0\tg\tmain\t.\t.\t.\tx\tz$/graph\t0\tg\tmain\t.\t.\t.\tx,y\tz/' |
		gp-shape | gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col mm ops
	assert_output "MatMul"
	run -0 col add ops
	assert_output "Add"
	run -0 hdr partition view_nodes "$S"
	assert_output 0
	# a matrix x [4,8] needs no reshape
	mk "$(printf 'tensor\tw\tfloat32\t[8,4]\tinitializer\t128\t.\t0')" w |
		sed 's/^tensor\tx\tfloat32\t\[1,4,8\]/tensor\tx\tfloat32\t[4,8]/; s/\[1,4,4\]/[4,4]/g' |
		gp-shape | gp-partition --fuse=onnxruntime-cpu > "$S"
	run -0 col mm ops
	assert_output "MatMul+Add"
	run -0 hdr partition view_nodes "$S"
	assert_output 0
}

# shape_nodes SHAPED [SED]: the shape nodes gp-partition --fuse=onnxruntime-cpu
# counts in the stream SHAPED, the runtime profile edited by the sed script SED
shape_nodes() {
	sed "${2:-}" "$TOP/hw/runtime/onnxruntime-cpu.yaml" > "$BATS_TEST_TMPDIR/rt.yaml"
	gp-partition --fuse="$BATS_TEST_TMPDIR/rt.yaml" < "$1" > "$S"
	hdr partition shape_nodes "$S"
}

@test "--fuse=onnxruntime-cpu: a Reshape's shape made of its input's own dims is a constant (reshape-shape)" {
	# onnxruntime's ReshapeFusion (reshape_fusion.cc) makes a constant of a Reshape's
	# shape when it is a Concat of constants and Unsqueeze(Gather(Shape(x), j)) at
	# element j: BERT's attention reshapes. bert-tiny's 8 Reshapes are all so: of its 61
	# shape nodes, the 56 of those paths go (8 x (2 x 3 + 1)); its profile runs 8 nodes
	# of int64 tensors, 2 of them Unsqueezes of its attention mask (views, not these)
	gp-load "$DATA/bert-tiny.onnx" | gp-shape -D batch=1 -D seq=32 > "$BATS_TEST_TMPDIR/shaped"
	gp-partition < "$BATS_TEST_TMPDIR/shaped" > "$S"
	run -0 hdr partition shape_nodes "$S"
	assert_output 61
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped"
	assert_output 5
	# without it (nor shape-cse), every one counts; with shape-cse alone, 53
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped" 's/, reshape-shape, shape-cse\]/]/'
	assert_output 61
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped" 's/, reshape-shape,/,/'
	assert_output 53
	# tiny-encoder's reshapes take dims it computes (a Mul of two), or its Shape_6 at
	# another element than the dim it is (Reshape_4: its element 2 is dim 1): all stay
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 > "$BATS_TEST_TMPDIR/shaped"
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped" 's/, shape-cse\]/]/'
	assert_output 86
}

@test "--fuse=onnxruntime-cpu: a shape node repeating one before it runs once (shape-cse)" {
	# onnxruntime's CommonSubexpressionElimination merges nodes of the same op and
	# attributes on the same inputs (its ConstantSharing makes equal small constants
	# one): tiny-encoder takes the Shape of its attention's input three times a layer,
	# and gathers the same dims from each; 86 shape nodes, 72 with the rule (its
	# profile runs 66 nodes of int64 tensors)
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D batch=1 -D seq=8 > "$BATS_TEST_TMPDIR/shaped"
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped"
	assert_output 72
	run -0 shape_nodes "$BATS_TEST_TMPDIR/shaped" 's/, shape-cse\]/]/'
	assert_output 86
	# the kernels are what they were
	run -0 hdr partition subgraphs "$S"
	assert_output 50
	# and a model whose dims are all numbers has none that a runtime runs: it
	# knows every shape and folds them (the same graph, said to be static)
	sed 's/^##shape\tunknown=0\tdynamic=1$/##shape\tunknown=0\tdynamic=0/' "$BATS_TEST_TMPDIR/shaped" > "$BATS_TEST_TMPDIR/static"
	run -0 grep -c 'dynamic=0' "$BATS_TEST_TMPDIR/static"
	run -0 shape_nodes "$BATS_TEST_TMPDIR/static"
	assert_output 0
}

@test "a kernel whose op names no kind has its op's name, lower-cased, whatever the other ops" {
	# forty element-wise ops in a chain, each a subgraph of its own whose
	# kind is its op's name in lower case: no op's kind is another's
	# (gp_op_cost makes each once, and keeps it while any cost holds it)
	ops="Abs Neg Floor Ceil Round Sqrt Exp Log Sin Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh Erf
	     Sign Reciprocal Relu Sigmoid Tanh Softplus Softsign Selu Elu Celu LeakyRelu HardSigmoid HardSwish
	     Mish Gelu ThresholdedRelu Not IsNaN IsInf BitwiseNot"
	echo $ops | awk '{
		printf "##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n"
		printf "graph\t0\tg\tmain\t.\t.\t.\tt0\tt%d\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n", NF
		for (i = 0; i <= NF; i++)
			printf "tensor\tt%d\tfloat32\t[1,16]\t%s\t64\t.\t0\n", i, i == 0 ? "input" : i == NF ? "output" : "intermediate"
		printf "#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n"
		for (i = 1; i <= NF; i++)
			printf "node\tn%d\t%s\tai.onnx\tt%d\tt%d\t.\t0\n", i, $i, i - 1, i
		printf "##end\t%d\n", 2 * NF + 2 }' > "$BATS_TEST_TMPDIR/ops.gp"
	gp-shape < "$BATS_TEST_TMPDIR/ops.gp" | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	run -0 gp-table subgraph ops kind < "$BATS_TEST_TMPDIR/p.gp"
	[ "${#lines[@]}" -eq 41 ]
	run -0 awk -F'\t' 'NR > 1 && tolower($1) != $2' <<< "$output"
	assert_output ""
}

@test "partitioning again drops what gp-concur and gp-roofline said of the old subgraphs" {
	gp-load "$DATA/resnet18.onnx" | gp-partition | gp-concur | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/a.gp"
	run -0 grep -c '^##concur	\|^##roofline	\|^stage	' "$BATS_TEST_TMPDIR/a.gp"
	assert_output 47       # the two headers and 45 stages
	gp-partition --fuse < "$BATS_TEST_TMPDIR/a.gp" > "$BATS_TEST_TMPDIR/b.gp"
	run -1 grep '^##concur	\|^##roofline	\|^#stage	\|^stage	' "$BATS_TEST_TMPDIR/b.gp"
	run -0 hdr partition subgraphs "$BATS_TEST_TMPDIR/b.gp"
	assert_output 23
	# what runs after it sees the new subgraphs only, as after a first partition
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse | gp-concur | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/c.gp"
	gp-concur < "$BATS_TEST_TMPDIR/b.gp" | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/d.gp"
	run -0 diff <(grep -v '^##prog' "$BATS_TEST_TMPDIR/c.gp") <(grep -v '^##prog' "$BATS_TEST_TMPDIR/d.gp")
}
