#!/usr/bin/python3
"""calib-control.py - an If or a Loop whose body is a chain of Relu nodes, to
measure what onnxruntime pays to run a control node's body (tests/validate/measure,
predict):

    /usr/bin/python3 tests/validate/calib-control.py KIND L OUT.onnx

    if       If on a bool input c (a run-time value: onnxruntime cannot fold
             it): then_branch a chain of L Relu over the outer x, float32
             [1, 256]; else_branch an Identity of x
    ifdyn    the same, x float32 [1, len] (a symbolic dim: its shapes are known
             only at run time, as in a model whose branch gp binds and
             onnxruntime does not; run with --dim len=256)
    loop     a Loop of L trips (M a constant, no condition) whose body is a
             chain of 8 Relu over the loop-carried x [1, 256]

Each Relu is onnxruntime's cheapest kernel (1 KiB in, 1 KiB out), as in
tests/data/gen-dag.py's chains of 1 and 1,000 Relu on the main graph, whose
difference is onnxruntime's dispatch per node (kernel_s): the difference
between two chains of one KIND is the cost of a node in a body (if, ifdyn)
or of a trip (loop), and what a chain costs beyond its nodes is the cost of
running a body (predict: subgraph_s). None of the validation models is
made this way: they are a calibration, not a test. Needs python3-onnx.
"""
import sys

import onnx
from onnx import TensorProto, helper

KINDS = ("if", "ifdyn", "loop")
LOOP_BODY = 8
if len(sys.argv) != 4:
    sys.exit("usage: calib-control.py KIND L OUT.onnx")
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind not in KINDS:
    sys.exit("calib-control.py: KIND must be one of " + ", ".join(KINDS))
if n < 1:
    sys.exit("calib-control.py: L must be positive")
dims = [1, "len"] if kind == "ifdyn" else [1, 256]


def tensor(name, shape, dt=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dt, shape)


def chain(src, length, prefix):
    """length Relu nodes from src; the nodes and the last tensor's name"""
    nodes, prev = [], src
    for j in range(length):
        name = f"{prefix}{j}"
        nodes.append(helper.make_node("Relu", [prev], [name], name=name))
        prev = name
    return nodes, prev


if kind in ("if", "ifdyn"):
    body, last = chain("x", n, "relu")
    then_g = helper.make_graph(body, "then", [], [tensor(last, dims)])
    else_g = helper.make_graph([helper.make_node("Identity", ["x"], ["x_else"], name="identity")],
                               "else", [], [tensor("x_else", dims)])
    nodes = [helper.make_node("If", ["c"], ["y"], name="if", then_branch=then_g, else_branch=else_g)]
    ins = [tensor("c", [], TensorProto.BOOL), tensor("x", dims)]
    inits = []
else:
    body, last = chain("v_in", LOOP_BODY, "relu")
    body.append(helper.make_node("Identity", ["cond_in"], ["cond_out"], name="cond"))
    body_g = helper.make_graph(body, "body",
                               [tensor("iter", [], TensorProto.INT64), tensor("cond_in", [], TensorProto.BOOL),
                                tensor("v_in", dims)],
                               [tensor("cond_out", [], TensorProto.BOOL), tensor(last, dims)])
    nodes = [helper.make_node("Loop", ["M", "", "x"], ["y"], name="loop", body=body_g)]
    ins = [tensor("x", dims)]
    inits = [helper.make_tensor("M", TensorProto.INT64, [], [n])]
g = helper.make_graph(nodes, f"calib_{kind}", ins, [tensor("y", dims)], initializer=inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="calib-control.py")
onnx.checker.check_model(m)
with open(out, "wb") as f:
    f.write(m.SerializeToString())
