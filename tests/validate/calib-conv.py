#!/usr/bin/python3
"""calib-conv.py - a chain of convolutions or element-wise products, to
measure the rate onnxruntime's kernels reach on this machine
(tests/validate/measure, predict):

    /usr/bin/python3 tests/validate/calib-conv.py KIND C HW L OUT.onnx

KIND depthwise: L depthwise 3x3 convolutions (group C, padding 1) over
float32 [1, C, HW, HW], one after another; KIND dense: L 1x1 convolutions
C -> C; KIND mul: L products with a scalar (an element-wise kernel that reads
and writes C x HW^2 floats). Weights and biases are seeded random values, embedded. FLOPs per
convolution: 2 x C x HW^2 x 9 (depthwise), 2 x C^2 x HW^2 (dense). None of
the validation models is made this way: they are a calibration, not a test.
Needs python3-onnx and numpy.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

kind, c, hw, n, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
if kind not in ("depthwise", "dense", "mul"):
    sys.exit("calib-conv.py: KIND must be depthwise, dense or mul")
rng = np.random.default_rng(0)
nodes, inits = [], []
prev = "x"
for j in range(n):
    name = "y" if j == n - 1 else f"t{j}"
    if kind == "mul":
        inits.append(numpy_helper.from_array(np.array([1.0001], dtype=np.float32), f"s{j}"))
        nodes.append(helper.make_node("Mul", [prev, f"s{j}"], [name], name=f"mul{j}"))
        prev = name
        continue
    if kind == "depthwise":
        w = rng.standard_normal((c, 1, 3, 3)).astype(np.float32) / 3
        attrs = dict(group=c, kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    else:
        w = rng.standard_normal((c, c, 1, 1)).astype(np.float32) / np.sqrt(c)
        attrs = dict(kernel_shape=[1, 1])
    b = rng.standard_normal(c).astype(np.float32) / 10
    inits += [numpy_helper.from_array(w, f"w{j}"), numpy_helper.from_array(b, f"b{j}")]
    nodes.append(helper.make_node("Conv", [prev, f"w{j}", f"b{j}"], [name], name=f"conv{j}", **attrs))
    prev = name
vi = [helper.make_tensor_value_info(t, TensorProto.FLOAT, [1, c, hw, hw]) for t in ("x", "y")]
g = helper.make_graph(nodes, f"calib_{kind}", [vi[0]], [vi[1]], initializer=inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="calib-conv.py")
with open(out, "wb") as f:
    f.write(m.SerializeToString())
