#!/usr/bin/python3
"""make-static.py - write static-batch.onnx: a model exported at batch 1
whose shape constants hold that batch, as torch's exporter writes them for
x.view(1, -1) and x.view(1, 8, 16): gp-shape --batch must give their 1 the
new batch, never let the -1 take it. tests/0018-real-models.bats uses it. Rerun after changing it:

    /usr/bin/python3 tests/data/make-static.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def vi(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def save(nodes, inits, name, out):
    g = helper.make_graph(nodes, "g", [vi("x", [1, 8, 4, 4])], [vi(out, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)],
                          producer_name="make-static.py")
    onnx.shape_inference.infer_shapes(m, strict_mode=True)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(m.SerializeToString())


# static-batch.onnx: Relu, then Flatten (re-batches: [N, 128]), then a
# Reshape to the constant [1, -1] (at batch 8 the -1 must not take the batch)
save([helper.make_node("Relu", ["x"], ["r"], name="relu"),
      helper.make_node("Flatten", ["r"], ["f"], name="flatten", axis=1),
      helper.make_node("Reshape", ["r", "flat"], ["y"], name="view")],
     [numpy_helper.from_array(np.array([1, -1], np.int64), "flat")], "static-batch.onnx", "y")
# static-batch2.onnx: a Reshape to the constant [1, 8, 16]: at batch 8 it
# contradicts itself unless its 1 takes the batch
save([helper.make_node("Reshape", ["x", "rows"], ["y"], name="view")],
     [numpy_helper.from_array(np.array([1, 8, 16], np.int64), "rows")], "static-batch2.onnx", "y")
