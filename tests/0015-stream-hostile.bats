#!/usr/bin/env bats
# Hostile streams (an adversarial review): unknown dtype numbers, absurd
# attributes, duplicated headers, a good stream followed by a bad one, very
# wide record types and very wide graphs. Each is refused with one line on
# stderr and nothing on stdout, or goes through in reasonable time.

setup() {
	load test_helper
	H=$TDATA/hostile-stream
}

FILTERS="gp-shape gp-partition gp-concur gp-roofline gp-report"

@test "Cast to a dtype number gp does not know is an error naming it, not a crash" {
	for f in gp-shape gp-partition; do
		run --separate-stderr "$f" < "$H/cast-99.gp"
		fails_cleanly "$f: stdin: node 'c' \\(Cast\\): 'to' is 99, no ONNX data type gp knows \\(1 to 26\\)$"
		sed 's/to=99/to=2147483647/' "$H/cast-99.gp" > "$BATS_TEST_TMPDIR/s"
		run --separate-stderr "$f" < "$BATS_TEST_TMPDIR/s"
		fails_cleanly "$f: stdin: node 'c' \\(Cast\\): 'to' is 2147483647, no ONNX"
		sed 's/to=99/to=0/' "$H/cast-99.gp" > "$BATS_TEST_TMPDIR/s"
		run --separate-stderr "$f" < "$BATS_TEST_TMPDIR/s"
		fails_cleanly "$f: stdin: node 'c' \\(Cast\\): 'to' is 0, no ONNX"
	done
}

@test "the newer ONNX dtypes have their names and sizes: float8e8m0 (24), uint2 (25), int2 (26)" {
	# onnx.proto's TensorProto.DataType: FLOAT8E8M0 = 24, UINT2 = 25, INT2 = 26
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/m.onnx" <<'EOF'
import sys
from onnx import TensorProto, helper
inits = []
for name, dt, raw in (("e", 24, bytes([127, 128, 126, 255])), ("u", 25, bytes([0xE4])),
                      ("i", 26, bytes([0xE4]))):
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, dt, raw
    t.dims.extend([4])
    inits.append(t)
nodes = [helper.make_node("Cast", ["x"], ["y"], name="c", to=24),
         helper.make_node("Cast", ["x"], ["z"], name="c2", to=26)]
vi = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])
g = helper.make_graph(nodes, "g", [vi], [helper.make_empty_tensor_value_info(n) for n in "yz"], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1], "wb").write(m.SerializeToString())
EOF
	run -0 sh -c "gp-load '$BATS_TEST_TMPDIR/m.onnx' | gp-shape | awk -F'\t' '\$1 == \"tensor\" { print \$2, \$3, \$4, \$6, \$7 }'"
	assert_output - <<'EOF'
x float32 [2,4] 32 .
e float8e8m0 [4] 4 [1.0,2.0,0.5,nan]
u uint2 [4] 1 [0,1,2,3]
i int2 [4] 1 [0,1,-2,-1]
y float8e8m0 [2,4] 8 .
z int2 [2,4] 2 .
EOF
}

@test "Conv's group must be a count >= 1 that divides the channels (2^58+1 wrapped to a 'grouped' conv)" {
	for f in gp-shape gp-partition; do
		run --separate-stderr "$f" < "$H/vgg-grp.gp"
		fails_cleanly "$f: stdin: node '/features/features.5/Conv' \\(Conv\\): group 288230376151711745 does not divide the weight's 128 output channels$"
	done
	# after gp-shape, gp-partition does not infer again: its cost function checks too
	sed 's/group=288230376151711745/group=1/' "$H/vgg-grp.gp" | gp-shape > "$BATS_TEST_TMPDIR/shaped.gp"
	for grp in 0 -1 3 288230376151711745 9223372036854775807 99999999999999999999 x; do
		sed "/^node	\\/features\\/features.5\\/Conv	/s/group=1/group=$grp/" "$BATS_TEST_TMPDIR/shaped.gp" > "$BATS_TEST_TMPDIR/s"
		grep -q "group=$grp;" "$BATS_TEST_TMPDIR/s"
		run --separate-stderr gp-partition < "$BATS_TEST_TMPDIR/s"
		fails_cleanly "gp-partition: stdin: node '/features/features.5/Conv' \\(Conv\\): group "
	done
	# 64 input channels, a weight [128,32,3,3]: group 2 is right
	sed "/^node	\\/features\\/features.5\\/Conv	/s/group=1/group=2/; /^tensor	features.5.weight	/s/\\[128,64,3,3\\]/[128,32,3,3]/" \
		"$BATS_TEST_TMPDIR/shaped.gp" > "$BATS_TEST_TMPDIR/s"
	run -0 sh -c "gp-partition < '$BATS_TEST_TMPDIR/s' | grep '^subgraph	[0-9]*	/features/features.5/Conv	'"
	assert_output --partial "	conv2d_grouped	"
}

# node_stream OP ATTRS X-SHAPE [NAME:DTYPE:SHAPE:DATA]...: a stream of one node OP reading x
# and the given initializers, writing y
node_stream() {
	local op=$1 attrs=$2 xs=$3 ins=x n=2 t
	shift 3
	printf '##gp\t1\n##opset\tai.onnx\t13\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n'
	printf 'graph\t0\tg\tmain\t.\t.\t.\tx\ty\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n'
	printf 'tensor\tx\tfloat32\t%s\tinput\t.\t.\t0\n' "$xs"
	for t in "$@"; do
		IFS=: read -r name dt shape data <<< "$t"
		printf 'tensor\t%s\t%s\t%s\tinitializer\t.\t%s\t0\n' "$name" "$dt" "$shape" "$data"
		ins=$ins,$name
		n=$((n + 1))
	done
	printf 'tensor\ty\t?\t?\toutput\t.\t.\t0\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n'
	printf 'node\tn\t%s\tai.onnx\t%s\ty\t%s\t0\n##end\t%d\n' "$op" "$ins" "$attrs" "$((n + 2))"
}

@test "attributes and shape values whose arithmetic overflows 64 bits are errors, not wrapped dims" {
	big=4611686018427387904
	while IFS='|' read -r op attrs xs ins msg; do
		# shellcheck disable=SC2086
		node_stream "$op" "$attrs" "$xs" $ins > "$BATS_TEST_TMPDIR/s"
		run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/s"
		fails_cleanly "gp-shape: stdin: node 'n' \\($op\\): $msg"
	done <<EOF2
Flatten|axis=2|[$big,4]||the dims' product overflows 64 bits
Flatten|axis=4294967297|[2,4]||bad axis 4294967297
Tile|.|[$big]|r:int64:[1]:[4]|dim $big x 4 repeats overflows 64 bits
Tile|.|[8]|r:int64:[1]:[-1]|repeat -1 is negative
Pad|.|[4]|p:int64:[2]:[9223372036854775807,1]|pads 9223372036854775807 and 1 on a dim of 4
Pad|.|[4]|p:int64:[2]:[-3,-3]|pads -3 and -3 on a dim of 4
Reshape|.|[$big,4]|s:int64:[2]:[-1,2]|the input's dims overflow 64 bits
Reshape|.|[8]|s:int64:[3]:[$big,4,-1]|the shape's dims overflow 64 bits
DepthToSpace|blocksize=4294967296|[1,4,2,2]||needs a 4-D input and a blocksize from 1 to 2\\^31
SpaceToDepth|blocksize=2147483648|[1,$big,2,2]||dim $big and blocksize 2147483648 overflow 64 bits
Resize|mode="nearest"|[1,1,2,2]|r:float32:[0]:[] s:float32:[4]:[1.0,1.0,1e+300,1.0]|scale 1e\\+300 of a dim of 2
ConvTranspose|group=$big|[1,c,4,4]|w:float32:[c,4,3,3]:.|4 x $big groups output channels overflow 64 bits
ConvTranspose|group=0|[1,8,4,4]|w:float32:[8,4,3,3]:.|group 0 is not a positive count
ConvTranspose|group=3|[1,8,4,4]|w:float32:[8,4,3,3]:.|group 3 does not divide the weight's 8 input channels
ConvTranspose|strides=[9223372036854775807,1]|[1,8,4,4]|w:float32:[8,4,3,3]:.|bad stride, dilation, output_padding or pads
EOF2
	# a step of INT64_MIN: one element, not an overflow
	node_stream Slice . '[10]' 'a:int64:[1]:[9]' 'b:int64:[1]:[-9223372036854775808]' \
		'c:int64:[1]:[0]' 'd:int64:[1]:[-9223372036854775808]' > "$BATS_TEST_TMPDIR/s"
	run -0 sh -c "gp-shape < '$BATS_TEST_TMPDIR/s' | grep '^tensor	y	'"
	assert_output "tensor	y	float32	[1]	output	4	.	0"
}

@test "a header that appears once (##roofline, ##partition, ##source ...) twice in a stream is an error naming it" {
	# the writers replaced the first and passed the stale second one on (hw=t4 latency_s=42)
	grep -c '^##roofline	' "$H/duproof.gp" | grep -qx 2
	grep -c '^##partition	' "$H/duphdr2.part" | grep -qx 2
	for f in $FILTERS; do
		local args=()
		[ "$f" = gp-roofline ] && args=(-H a100-sxm)
		run --separate-stderr "$f" "${args[@]}" < "$H/duproof.gp"
		fails_cleanly "$f: stdin: line 15: a second ##roofline header line \\(a stream has one\\)$"
		run --separate-stderr "$f" "${args[@]}" < "$H/duphdr2.part"
		fails_cleanly "$f: stdin: line 11: a second ##partition header line \\(a stream has one\\)$"
	done
	for k in source source_bytes graph_sha256 ir_version producer sweep concur; do
		printf '##gp\t1\n##%s\ta\n##opset\tai.onnx\t13\n##%s\tb\n#t\ta\n##end\t0\n' "$k" "$k" > "$BATS_TEST_TMPDIR/s"
		run --separate-stderr t-stream < "$BATS_TEST_TMPDIR/s"
		fails_cleanly "t-stream: stdin: line 4: a second ##$k header line"
	done
	# the headers that repeat still do, and so do those gp does not know
	printf '##gp\t1\n##opset\tai.onnx\t13\n##opset\tcom.microsoft\t1\n##prog\ta\n##prog\tb\n##metadata\tk\tv\n##metadata\tk2\tv\n##mine\t1\n##mine\t2\n#t\ta\n##end\t0\n' > "$BATS_TEST_TMPDIR/s"
	run -0 t-stream < "$BATS_TEST_TMPDIR/s"
}

@test "a record type of a million columns (200,000 under ASan) passes through in linear time" {
	n=1000000
	case ${GP_TESTBIN:-} in */asan/*) n=200000 ;; esac
	gp-load "$TDATA/concur-chain.onnx" | sed '$d' > "$BATS_TEST_TMPDIR/s"
	records=$(grep -c '^[^#]' "$BATS_TEST_TMPDIR/s")
	awk -v n=$n -v r=$records 'BEGIN {
		printf "#wide"; for (i = 1; i <= n; i++) printf "\tc%d", i; printf "\n"
		printf "wide"; for (i = 1; i <= n; i++) printf "\t%d", i; printf "\n"
		printf "##end\t%d\n", r + 1 }' >> "$BATS_TEST_TMPDIR/s"
	# (it took 28 s for 100,000 columns, checking each name against all before it)
	run -0 sh -c "timeout 20 gp-shape < '$BATS_TEST_TMPDIR/s' | timeout 20 gp-partition | awk -F'\t' '\$1 == \"wide\" { print NF, \$NF }'"
	assert_output "$((n + 1)) $n"
	# a name twice, far apart, is still found
	sed "s/	c$n\$/	c7/" "$BATS_TEST_TMPDIR/s" > "$BATS_TEST_TMPDIR/d"
	run --separate-stderr timeout 20 gp-shape < "$BATS_TEST_TMPDIR/d"
	fails_cleanly "gp-shape: stdin: line [0-9]*: column 'c7' named twice in header of 'wide'$"
	rm -f "$BATS_TEST_TMPDIR"/[sd]
}

# fan N: a stream of x read by N Relus, summed
fan() {
	awk -v n="$1" 'BEGIN {
		printf "##gp\t1\n##opset\tai.onnx\t13\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n"
		printf "graph\t0\tg\tmain\t.\t.\t.\tx\ty\n#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n"
		printf "tensor\tx\tfloat32\t[1,16]\tinput\t64\t.\t0\n"
		for (i = 1; i <= n; i++) printf "tensor\tt%d\tfloat32\t[1,16]\tintermediate\t64\t.\t0\n", i
		printf "tensor\ty\tfloat32\t[1,16]\toutput\t64\t.\t0\n#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n"
		for (i = 1; i <= n; i++) printf "node\tn%d\tRelu\tai.onnx\tx\tt%d\t.\t0\n", i, i
		printf "node\tsum\tSum\tai.onnx\t"
		for (i = 1; i <= n; i++) printf "%st%d", (i > 1 ? "," : ""), i
		printf "\ty\t.\t0\n##end\t%d\n", 2 * n + 4 }'
}

@test "gp-concur --order best on a 100,000-wide fan-out (50,000 under ASan) takes seconds, not minutes" {
	n=100000
	case ${GP_TESTBIN:-} in */asan/*) n=50000 ;; esac
	fan $n | gp-partition > "$BATS_TEST_TMPDIR/p.gp"
	# (the greedy order scored every ready subgraph at every step: 41 s)
	run -0 sh -c "timeout 20 gp-concur --order best < '$BATS_TEST_TMPDIR/p.gp' | grep '^##concur'"
	assert_output --partial "	order=best	order_exact=0	peak_activation_bytes=$((64 * (n + 1)))	"
}

@test "gp-report on a graph of no nodes says '?' where the summary says '.', never nan or a bare -1" {
	printf '##gp\t1\n##opset\tai.onnx\t13\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n%s\n%s\n%s\n%s\n##end\t2\n' \
		'graph	0	g	main	.	.	.	x	x' '#tensor	name	dtype	shape	kind	bytes	data	graph' \
		'tensor	x	float32	[1,4]	input	16	.	0' '#node	name	op	domain	inputs	outputs	attrs	graph' |
		gp-partition | gp-concur | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/e.gp"
	run -0 gp-report < "$BATS_TEST_TMPDIR/e.gp"
	refute_output --partial nan
	refute_output --regexp $'\n *-1 '
	assert_line "  average power       ? W"
	assert_line --regexp "^  batch to fill 40 units +\\? \\(the user guide's measure: widest stage x batch >= units\\)$"
	run -0 gp-report --summary < "$BATS_TEST_TMPDIR/e.gp"
	assert_line "power_w	."
	assert_line "batch_to_fill_graph	."
}

@test "a good stream followed by a bad one: every filter writes nothing on stdout (12-24 KiB of the first, cut mid-line)" {
	for f in $FILTERS; do
		local args=()
		[ "$f" = gp-roofline ] && args=(-H t4)
		[ "$(grep -c '^##end	' "$H/two-bad-$f.gp")" = 1 ]
		[ "$(head -n "$(grep -n -m1 '^##end	' "$H/two-bad-$f.gp" | cut -d: -f1)" "$H/two-bad-$f.gp" | wc -c)" -gt 8192 ]
		run --separate-stderr "$f" "${args[@]}" < "$H/two-bad-$f.gp"
		fails_cleanly "$f: stdin: truncated stream: no ##end line$"
	done
}

@test "a failing --sweep point writes nothing on stdout, the points before it included" {
	run --separate-stderr gp-shape --sweep batch=1,2 < "$H/resh.gp"
	fails_cleanly "gp-shape: stdin: node 'r' \\(Reshape\\): cannot reshape 12 elements into 6$"
	run -0 sh -c "gp-shape --sweep batch=1 < '$H/resh.gp' | wc -c"
	[ "$output" -gt 4096 ]
}

@test "gp-report that fails on a later stream writes nothing on stdout (61 KiB of --top came out)" {
	{ gp-load "$DATA/densenet121.onnx" | gp-partition | gp-roofline -H t4
	  gp-load "$DATA/resnet18.onnx" | gp-partition; } > "$BATS_TEST_TMPDIR/mix.gp"
	# the first stream's table alone is more than stdio's buffer
	run -0 sh -c "sed '/^##end/q' '$BATS_TEST_TMPDIR/mix.gp' | gp-report --top 1000 --by time | wc -c"
	[ "$output" -gt 4096 ]
	run --separate-stderr gp-report --top 1000 --by time < "$BATS_TEST_TMPDIR/mix.gp"
	fails_cleanly "gp-report: stdin: --by time: the subgraphs have no latency_s"
}

@test "streams that are all good still come out whole and in order from every filter" {
	gp-load "$DATA/tiny-encoder.onnx" | gp-shape -D seq=8 --sweep batch=1,2,3 > "$BATS_TEST_TMPDIR/in.gp"
	for f in gp-shape gp-partition gp-concur gp-roofline; do
		local args=()
		[ "$f" = gp-roofline ] && args=(-H t4)
		"$f" "${args[@]}" < "$BATS_TEST_TMPDIR/in.gp" > "$BATS_TEST_TMPDIR/all.gp"
		: > "$BATS_TEST_TMPDIR/each.gp"
		awk -v d="$BATS_TEST_TMPDIR" '{ print > (d "/part" n + 0 ".gp") } /^##end/ { n++ }' "$BATS_TEST_TMPDIR/in.gp"
		for p in 0 1 2; do
			"$f" "${args[@]}" < "$BATS_TEST_TMPDIR/part$p.gp" >> "$BATS_TEST_TMPDIR/each.gp"
		done
		cmp "$BATS_TEST_TMPDIR/each.gp" "$BATS_TEST_TMPDIR/all.gp"
		[ "$(grep -c '^##end' "$BATS_TEST_TMPDIR/all.gp")" = 3 ]
		[ "$f" = gp-shape ] || cp "$BATS_TEST_TMPDIR/all.gp" "$BATS_TEST_TMPDIR/in.gp"
	done
	run -0 gp-report --summary < "$BATS_TEST_TMPDIR/in.gp"
	assert_line "batch	3"
}
