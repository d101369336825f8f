#!/usr/bin/python3
"""gen-dag.py - write a large ONNX model of W parallel Relu chains of length L,
summed at the end, for gp-concur's size tests and make bench:

    /usr/bin/python3 tests/data/gen-dag.py W L OUT.onnx

Every tensor is float32 [1,256] (1 KiB). Known answers: W*L + 1 subgraphs,
L + 1 stages, widest stage and largest antichain W, critical path L + 1.
Needs python3-onnx only.
"""
import sys

import onnx
from onnx import TensorProto, helper

w, l, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
nodes, ends = [], []
for c in range(w):
    prev = "x"
    for j in range(l):
        name = f"c{c}_{j}"
        nodes.append(helper.make_node("Relu", [prev], [name], name=name))
        prev = name
    ends.append(prev)
nodes.append(helper.make_node("Sum", ends, ["y"], name="sum"))
vi = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 256]) for n in ("x", "y")]
g = helper.make_graph(nodes, "dag", [vi[0]], [vi[1]])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="gen-dag.py")
with open(out, "wb") as f:
    f.write(m.SerializeToString())
