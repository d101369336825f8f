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
