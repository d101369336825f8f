#!/usr/bin/env bats
# An int8 model on an accelerator with a runtime, the way TensorRT runs
# RetinaNet (tests/validate/mlperf-models.py): int8 convolutions, one of
# them dequantized to fp32 for what reads it, at the int8 peak; worked out by
# hand on a made-up chip with round numbers.

setup() {
	load test_helper
}

# int8_head FILE: input int8[1,8,8,8]; a 3x3 QLinearConv to 16 channels
# (int8 weights, int32 bias), dequantized to fp32 [1,16,8,8]; the best 4 of
# its 1024 values (TopK), fp32 scores and int64 labels the outputs
int8_head() {
	/usr/bin/python3 - "$1" <<'EOF'
import sys
import onnx
from onnx import TensorProto as T, helper as h


def absent(name, dt, dims):
    t = onnx.TensorProto()
    t.name, t.data_type = name, dt
    t.dims.extend(dims)
    t.data_location = T.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "absent.weights"
    return t


inits = [h.make_tensor("s", T.FLOAT, [], [0.05]), h.make_tensor("z", T.INT8, [], [0]),
         absent("w", T.INT8, [16, 8, 3, 3]), absent("b", T.INT32, [16]),
         h.make_tensor("flat", T.INT64, [2], [0, -1]), h.make_tensor("k", T.INT64, [1], [4])]
nodes = [h.make_node("QLinearConv", ["x", "s", "z", "w", "s", "z", "s", "z", "b"], ["y"],
                     name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         h.make_node("DequantizeLinear", ["y", "s", "z"], ["f"], name="dq"),
         h.make_node("Reshape", ["f", "flat"], ["r"], name="flatten"),
         h.make_node("TopK", ["r", "k"], ["scores", "labels"], name="topk", axis=-1)]
g = h.make_graph(nodes, "int8-head", [h.make_tensor_value_info("x", T.INT8, [1, 8, 8, 8])],
                 [h.make_tensor_value_info("scores", T.FLOAT, [1, 4]),
                  h.make_tensor_value_info("labels", T.INT64, [1, 4])], inits)
m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
m.ir_version = 8
onnx.save(m, sys.argv[1])
EOF
}

# tests/data/hw/test-chip.yaml with an int8 peak of 4 TOPS and a 1 GB/s host
# link, and a runtime that copies inputs and outputs, fuses epilogues, and
# costs nothing per kernel or run
chip_rt() {
	P=$BATS_TEST_TMPDIR/chip.yaml
	R=$BATS_TEST_TMPDIR/rt.yaml
	sed -e 's/^  fp16: 2T$/  fp16: 2T\n  int8: 4T/' -e 's/^launch_s: 10u$/launch_s: 10u\nhost_link: 1G/' \
	    -e 's/power, launch_s\]$/power, launch_s, host_link]/' "$TDATA/hw/test-chip.yaml" > "$P"
	cat > "$R" <<'YAML'
name: rt
title: A runtime (round numbers)
runs_on: gpu
kernel_s: 0
run_s: 0
copy: [inputs, outputs]
fuse: [conv-bn, epilogue]
sources:
  - cite: made up for tests/0030-accel-mapping.bats
    covers: [kernel_s, run_s, copy, fuse]
YAML
}

@test "accel mapping: an int8 convolution dequantized to fp32 writes 4 bytes an element at the int8 peak (by hand)" {
	local m=$BATS_TEST_TMPDIR/m.onnx
	int8_head "$m"
	chip_rt
	gp-load "$m" | gp-shape | gp-partition --fuse="$R" > "$BATS_TEST_TMPDIR/p"
	S=$BATS_TEST_TMPDIR/p
	# the runtime fuses the dequantization into the convolution: it reads 8 x 64 int8
	# (512 bytes) and writes 16 x 64 fp32 (4096 bytes); the TopK reads those 4096
	run -0 col conv ops bytes_in bytes_out gemm
	assert_output "$(printf 'QLinearConv+DequantizeLinear\t512\t4096\t1x64x16x72')"
	run -0 col topk bytes_in
	assert_output 4096
	# -p int8 is the model's own precision: no warning, and no byte is rescaled
	run --separate-stderr gp-roofline -H "$P" -R "$R" -p int8 < "$S"
	assert_equal "$status" 0
	assert_equal "$stderr" ""
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/r"
	S=$BATS_TEST_TMPDIR/r
	# weights: w 16 x 72 = 1152 int8, b 16 int32 = 64, s 4 and z 1 = 1221 bytes;
	# 512 + 4096 + 1221 = 5829
	run -0 col conv bytes_hw
	assert_output 5829
	run -0 col topk bytes_hw
	assert_output 4152
	# the copies: the input's 512 int8 bytes, and the outputs at their own dtypes:
	# 4 fp32 scores (16 bytes) and 4 int64 labels (32 bytes), 560 bytes at 1 GB/s: 0.56 us
	run -0 hdr roofline copy_s "$S"
	assert_output 5.6e-07
}

@test "accel mapping: the same graph in fp32 at -p int8 counts every float at 1 byte, its copies too (by hand)" {
	local m=$BATS_TEST_TMPDIR/f.onnx
	chip_rt
	# the fp32 model the int8 one stands for: a Conv over fp32 (external weights)
	/usr/bin/python3 - "$m" <<'EOF'
import sys
import onnx
from onnx import TensorProto as T, helper as h

w = onnx.TensorProto()
w.name, w.data_type = "w", T.FLOAT
w.dims.extend([16, 8, 3, 3])
w.data_location = T.EXTERNAL
e = w.external_data.add()
e.key, e.value = "location", "absent.weights"
inits = [w, h.make_tensor("flat", T.INT64, [2], [0, -1]), h.make_tensor("k", T.INT64, [1], [4])]
nodes = [h.make_node("Conv", ["x", "w"], ["f"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         h.make_node("Reshape", ["f", "flat"], ["r"], name="flatten"),
         h.make_node("TopK", ["r", "k"], ["scores", "labels"], name="topk", axis=-1)]
g = h.make_graph(nodes, "fp32-head", [h.make_tensor_value_info("x", T.FLOAT, [1, 8, 8, 8])],
                 [h.make_tensor_value_info("scores", T.FLOAT, [1, 4]),
                  h.make_tensor_value_info("labels", T.INT64, [1, 4])], inits)
mm = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
mm.ir_version = 8
onnx.save(mm, sys.argv[1])
EOF
	gp-load "$m" | gp-shape | gp-partition --fuse="$R" | gp-roofline -H "$P" -R "$R" -p int8 \
	    > "$BATS_TEST_TMPDIR/r" 2> /dev/null
	S=$BATS_TEST_TMPDIR/r
	# the conv's output: 1024 floats at 1 byte; in 512, weights 1152: 2688 bytes
	run -0 col conv bytes_hw
	assert_output 2688
	# copies: 512 input floats and 4 output floats at 1 byte, 4 int64 labels at 8: 548 bytes
	run -0 hdr roofline copy_s "$S"
	assert_output 5.48e-07
}

# ssd_counts MODEL: tests/validate/mlperf-models.py's MODEL: its MACs, then
# the shape of the Concat of its boxes (the only Concat of an SSD's graph)
ssd_counts() {
	/usr/bin/python3 tests/validate/mlperf-models.py "$BATS_TEST_TMPDIR" 2>/dev/null || return 1
	gp-load "$BATS_TEST_TMPDIR/$1.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s" || return 1
	gp-partition < "$BATS_TEST_TMPDIR/s" | gp-report --summary | awk -F'\t' '$1 == "macs" { print $2 }'
	awk -F'\t' '$1 == "node" && $3 == "Concat" { c = $6 } $1 == "tensor" { s[$2] = $4 } END { print s[c] }' \
		"$BATS_TEST_TMPDIR/s"
}

@test "accel mapping: SSD-ResNet34 as tests/validate/mlperf-models.py writes it has the MACs and boxes a hand count gives" {
	# by hand, sum of cout x cin x k x k x out^2: ResNet-34 at 1200 to layer3
	# (layer3 at stride 1: 150 square), the five extra blocks (75, 38, 19, 9, 7)
	# and the six merged heads at stride 3 (50, 25, 13, 7, 3, 3 square, 4 or 6
	# boxes of 85 values): 216,415,931,904; the boxes: 4 x 2500 + 6 x 625 + 6 x
	# 169 + 6 x 49 + 4 x 9 + 4 x 9 = 15,130
	run -0 ssd_counts ssd-resnet34
	assert_output "216415931904
[1,15130,85]"
}

@test "accel mapping: SSD-MobileNet as tests/validate/mlperf-models.py writes it has the MACs and boxes a hand count gives" {
	# by hand, with TensorFlow's SAME padding (out = ceil(in / stride)): the first
	# convolution 32 x 3 x 9 x 150^2; each block a depthwise c x 9 x out^2 and a
	# pointwise cout x c x out^2 (150, 75, 75, 38, 38, 19 x 6, 10, 10); the extra
	# blocks' 1x1 on the map before and 3x3 on the map after (10 -> 5 -> 3 -> 2 ->
	# 1); the six merged heads, anchors x 95 x c x out^2: 1,237,129,408; the
	# boxes: 3 x 361 + 6 x 100 + 6 x 25 + 6 x 9 + 6 x 4 + 6 x 1 = 1,917
	run -0 ssd_counts ssd-mobilenet
	assert_output "1237129408
[1,1917,95]"
}
