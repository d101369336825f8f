#!/usr/bin/env bats
# Bad input, for every filter: each damaged stream ends in one line on stderr
# naming the program, exit status 1 and nothing on stdout; a huge but valid
# input succeeds. Nothing crashes or hangs (the suite runs under ASan+UBSan too).

setup() {
	load test_helper
	P=$BATS_TEST_TMPDIR/p.gp
	gp-load "$TDATA/concur-chain.onnx" | gp-partition > "$P"
}

FILTERS="gp-shape gp-partition gp-concur gp-roofline gp-report"
# the filters that read the tensor records, and so check them: gp-shape and
# gp-partition build the graph (and check the node records' references too),
# gp-concur and gp-roofline read the records of the tensors the subgraphs
# pass; gp-report reads records and headers only and relies on them
GRAPH_FILTERS="gp-shape gp-partition gp-concur gp-roofline"
NODE_FILTERS="gp-shape gp-partition"

# each_fails FILE PATTERN: every filter refuses FILE with a line matching PATTERN
each_fails() {
	local f
	for f in $FILTERS; do
		local args=()
		[ "$f" = gp-roofline ] && args=(-H t4)
		run --separate-stderr timeout 20 "$f" "${args[@]}" < "$1"
		fails_cleanly "$f: stdin: $2"
	done
}

# graph_fails FILE PATTERN: each filter that reads the tensor records refuses FILE with
# a line matching PATTERN; gp-report, which does not, reads it without harm
graph_fails() {
	FILTERS=$GRAPH_FILTERS each_fails "$@"
	run --separate-stderr timeout 20 gp-report < "$1"
	assert_success
}

# node_fails FILE PATTERN: each filter that builds the graph refuses FILE with
# a line matching PATTERN; the others, which read no node record's
# references, read it without harm
node_fails() {
	local f
	FILTERS=$NODE_FILTERS each_fails "$@"
	for f in gp-concur gp-roofline gp-report; do
		local args=()
		[ "$f" = gp-roofline ] && args=(-H t4)
		run --separate-stderr timeout 20 "$f" "${args[@]}" < "$1"
		assert_success
	done
}

# damage SED-SCRIPT: the partitioned chain, edited, into $BATS_TEST_TMPDIR/bad.gp
damage() {
	B=$BATS_TEST_TMPDIR/bad.gp
	sed "$1" "$P" > "$B"
}

@test "empty input, not a stream, another version, a truncated stream, a wrong count" {
	: > "$BATS_TEST_TMPDIR/empty"
	each_fails "$BATS_TEST_TMPDIR/empty" "empty input, not a gp stream"
	damage '1s/.*/##gq\t1/'
	each_fails "$B" "not a gp stream \\(the first line is not '##gp<TAB>1'\\)"
	damage '1s/.*/##gp\t2/'
	each_fails "$B" "gp stream version '2' is not supported \\(this gp reads 1\\)"
	head -n -1 "$P" > "$BATS_TEST_TMPDIR/cut"
	each_fails "$BATS_TEST_TMPDIR/cut" ""
	damage 's/^##end\t.*/##end\t99/'
	each_fails "$B" ""
	head -c -30 "$P" > "$BATS_TEST_TMPDIR/mid"
	each_fails "$BATS_TEST_TMPDIR/mid" ""
}

@test "a missing column header, a record before its header, a short record" {
	damage 's/^#tensor\tname\t/#tensor\tnome\t/'
	graph_fails "$B" "the #tensor header has no 'name' column"
	damage '/^#node\t/d'
	each_fails "$B" "line [0-9]+: record type 'node' has no column header"
	damage 's/^\(tensor\ta\tfloat32\)\t\[1,512\]/\1/'
	each_fails "$B" "line [0-9]+: "
}

@test "duplicate tensor names, a reference to no tensor, a cycle" {
	awk '{ print } /^tensor\ta\t/ { print }' "$P" | awk -F'\t' -v OFS='\t' '/^##end/ { $2 = $2 + 1 } { print }' > "$BATS_TEST_TMPDIR/dup"
	graph_fails "$BATS_TEST_TMPDIR/dup" "tensor 'a' appears twice in graph 0"
	damage 's/^node\tb\tRelu\tai.onnx\ta\t/node\tb\tRelu\tai.onnx\tnowhere\t/'
	node_fails "$B" "node 'b': input 'nowhere' has no tensor record"
	damage 's/^node\ta\tMatMul\tai.onnx\tx,w1\t/node\ta\tMatMul\tai.onnx\ty,w1\t/'
	node_fails "$B" "node 'a' reads 'y' before node 'y' makes it \\(not in topological order, or a cycle\\)"
}

@test "negative and overflowing dims (2^62 x 2^62), bad counts in subgraph records" {
	damage 's/^tensor\ta\tfloat32\t\[1,512\]/tensor\ta\tfloat32\t[1,-512]/'
	graph_fails "$B" "tensor 'a': malformed shape '\\[1,-512\\]'"
	# an input of 2^62 x 2^62 elements: the MatMul that reads it, or its byte count, is refused
	damage 's/^tensor\tx\tfloat32\t\[1,256\]/tensor\tx\tfloat32\t[4611686018427387904,4611686018427387904]/'
	for f in gp-shape gp-partition; do
		run --separate-stderr "$f" < "$B"
		fails_cleanly "$f: stdin: node 'a' \\(MatMul\\): inner dims differ: 4611686018427387904 and 256"
	done
	run --separate-stderr gp-concur < "$B"
	fails_cleanly "gp-concur: stdin: tensor 'x': its element count overflows 64 bits"
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "bytes_in") c = i }
		$1 == "subgraph" && $2 == 2 { $c = "12x" } { print }' "$P" > "$BATS_TEST_TMPDIR/cnt"
	for f in gp-concur gp-roofline gp-report; do
		args=()
		[ "$f" = gp-roofline ] && args=(-H t4)
		run --separate-stderr "$f" "${args[@]}" < "$BATS_TEST_TMPDIR/cnt"
		fails_cleanly "$f: stdin: subgraph 2: "
	done
	# counts that overflow when summed
	awk -F'\t' -v OFS='\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == "flops") c = i }
		$1 == "subgraph" { $c = "9223372036854775000" } { print }' "$P" > "$BATS_TEST_TMPDIR/big"
	run --separate-stderr gp-report --summary < "$BATS_TEST_TMPDIR/big"
	fails_cleanly "gp-report: stdin: the sum of the flops column overflows 64 bits"
	run --separate-stderr gp-concur < "$BATS_TEST_TMPDIR/big"
	fails_cleanly "gp-concur: stdin: a sum of subgraph counts overflows 64 bits"
}

@test "a model whose 2.5 GB of external weights exist loads without reading them" {
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/big.onnx" <<'EOF'
import sys
import onnx
from onnx import TensorProto, helper
t = TensorProto()
t.name, t.data_type = "w", TensorProto.FLOAT
t.dims.extend([640 * 1024 * 1024])
t.data_location = TensorProto.EXTERNAL
for k, v in (("location", "big.weights"), ("offset", "0"), ("length", str(640 * 1024 * 1024 * 4))):
    e = t.external_data.add()
    e.key, e.value = k, v
n = helper.make_node("Add", ["x", "w"], ["y"], name="add")
vi = lambda s: helper.make_tensor_value_info(s, TensorProto.FLOAT, [640 * 1024 * 1024])
m = helper.make_model(helper.make_graph([n], "g", [vi("x")], [vi("y")], [t]))
open(sys.argv[1], "wb").write(m.SerializeToString())
EOF
	truncate -s 2684354560 "$BATS_TEST_TMPDIR/big.weights"
	gp-load "$BATS_TEST_TMPDIR/big.onnx" | gp-partition > "$BATS_TEST_TMPDIR/s"
	run -0 gp-report --summary < "$BATS_TEST_TMPDIR/s"
	assert_line "weight_bytes	2684354560"
	assert_line "params	671088640"
	# a 2.5 GB file that is not a model: refused at once, by its first bytes
	run --separate-stderr gp-load "$BATS_TEST_TMPDIR/big.weights"
	fails_cleanly "gp-load: $BATS_TEST_TMPDIR/big.weights: not an ONNX model"
}

@test "a stream of a million nodes (200,000 under ASan) goes through every filter" {
	n=1000000
	case ${GP_TESTBIN:-} in */asan/*) n=200000 ;; esac
	awk -v n=$n 'BEGIN {
		printf "##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n"
		printf "graph\t0\tg\tmain\t.\t.\t.\tt0\tt%d\n", n
		printf "#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n"
		printf "tensor\tt0\tfloat32\t[1,16]\tinput\t64\t.\t0\n"
		for (i = 1; i <= n; i++) printf "tensor\tt%d\t?\t?\t%s\t.\t.\t0\n", i, i == n ? "output" : "intermediate"
		printf "#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n"
		for (i = 1; i <= n; i++) printf "node\tn%d\tRelu\tai.onnx\tt%d\tt%d\t.\t0\n", i, i - 1, i
		printf "##end\t%d\n", 2 * n + 2 }' > "$BATS_TEST_TMPDIR/big.gp"
	gp-shape < "$BATS_TEST_TMPDIR/big.gp" | gp-partition | gp-concur | gp-roofline -H t4 > "$BATS_TEST_TMPDIR/out.gp"
	run -0 gp-report --summary < "$BATS_TEST_TMPDIR/out.gp"
	assert_line "subgraphs	$n"
	assert_line "stages	$n"
	assert_line "flops	$((16 * n))"
	assert_line "peak_activation_bytes	128"
	rm -f "$BATS_TEST_TMPDIR"/*.gp
}

@test "hardware profiles: NaN, infinities, binary junk, a huge file" {
	for v in .nan .NaN .inf -.inf 1e999 0x10 '1 2' '"12"'; do
		sed "s/^units: .*/units: $v/" "$TDATA/hw/test-chip.yaml" > "$BATS_TEST_TMPDIR/h.yaml"
		run --separate-stderr gp-roofline --check "$BATS_TEST_TMPDIR/h.yaml"
		fails_cleanly "gp-roofline: $BATS_TEST_TMPDIR/h.yaml:6:8: 'units': "
	done
	head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/r.yaml"
	run --separate-stderr gp-roofline --check "$BATS_TEST_TMPDIR/r.yaml"
	fails_cleanly "gp-roofline: $BATS_TEST_TMPDIR/r.yaml"
	truncate -s 2M "$BATS_TEST_TMPDIR/z.yaml"
	run --separate-stderr gp-roofline --check "$BATS_TEST_TMPDIR/z.yaml"
	fails_cleanly "gp-roofline: $BATS_TEST_TMPDIR/z.yaml: more than 1 MiB: not a hardware profile"
}

@test "found by fuzzing: absurd pads, strides or kernels are an error, not an overflow" {
	for a in 'pads=[4611686018427387904,1,1,4611686018427387904]' 'pads=[-1,1,1,1]' \
		'pads=[1,1,1,1];strides=[1,2147483649]' 'pads=[1,1,1,1];dilations=[9223372036854775807,1]'; do
		gp-load "$TDATA/cost.onnx" | sed "s/^\\(node	conv	Conv	[^	]*	[^	]*	[^	]*	\\)pads=\\[1,1,1,1\\]/\\1$a/" > "$BATS_TEST_TMPDIR/s"
		grep -qF "$a" "$BATS_TEST_TMPDIR/s"
		for f in gp-shape gp-partition; do
			run --separate-stderr "$f" < "$BATS_TEST_TMPDIR/s"
			fails_cleanly "$f: stdin: node 'conv' \\(Conv\\): bad stride, dilation, kernel or pads"
		done
	done
}

@test "found by fuzzing: a model whose name lists are empty strings loads (no memcpy from NULL)" {
	run -0 sh -c "gp-load '$TDATA/fuzz-empty-list.onnx' | gp-shape 2> /dev/null | tail -n 1"
	assert_output --regexp '^##end	[0-9]+$'
}
