#!/usr/bin/python3
"""make-llm.py - write llama-7b-shape.onnx: a decoder with LLaMA-7B's dims.

A test model, not a fixture: 32 pre-norm blocks of width 4096, 32 heads of
128, a gated SiLU feed-forward of 11008, a vocabulary of 32000, with a KV
cache (past_key_i / past_value_i in, present_key_i / present_value_i out) and
symbolic dims batch, seq and past. Built with python3-onnx's helper (no
torch: a 7B model cannot be instantiated here), every weight external and
absent, so the file is small and has LLaMA-7B's 6.74 G parameters in its
dims. LayerNormalization stands in for RMSNorm (it is one more FLOP per
element). gp uses it to check the decode rule of thumb: at batch 1 a decode
step is memory-bound and takes about (weights + KV cache) / bandwidth.

    /usr/bin/python3 tests/data/make-llm.py
"""
import os

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
L, D, H, HD, FF, V = 32, 4096, 32, 128, 11008, 32000

inits, nodes = [], []


def external(name, dims):
    t = onnx.TensorProto()
    t.name, t.data_type = name, TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "absent.weights"
    inits.append(t)
    return name


def const(name, values):
    inits.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
    return name


def node(op, ins, outs, name, **attrs):
    nodes.append(helper.make_node(op, ins, outs, name=name, **attrs))
    return outs[0]


heads = const("heads_shape", [0, 0, H, HD])
flat = const("flat_shape", [0, 0, D])
x = node("Gather", [external("embed", [V, D]), "input_ids"], ["h0"], "embed", axis=0)
inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"])]
outputs = []
for i in range(L):
    p = f"l{i}"
    n1 = node("LayerNormalization", [x, external(f"{p}.ln1.w", [D]), external(f"{p}.ln1.b", [D])],
              [f"{p}.n1"], f"{p}.ln1", axis=-1)
    qkv = {}
    for k in ("q", "k", "v"):
        m = node("MatMul", [n1, external(f"{p}.w{k}", [D, D])], [f"{p}.{k}"], f"{p}.{k}")
        r = node("Reshape", [m, heads], [f"{p}.{k}r"], f"{p}.{k}r")
        qkv[k] = node("Transpose", [r], [f"{p}.{k}t"], f"{p}.{k}t", perm=[0, 2, 1, 3])
    for k in ("key", "value"):
        inputs.append(helper.make_tensor_value_info(f"past_{k}_{i}", TensorProto.FLOAT,
                                                    ["batch", H, "past", HD]))
        outputs.append(helper.make_tensor_value_info(f"present_{k}_{i}", TensorProto.FLOAT,
                                                     ["batch", H, "past+seq", HD]))
        node("Concat", [f"past_{k}_{i}", qkv[k[0]]], [f"present_{k}_{i}"], f"{p}.cat_{k}", axis=2)
    kt = node("Transpose", [f"present_key_{i}"], [f"{p}.kT"], f"{p}.kT", perm=[0, 1, 3, 2])
    s = node("MatMul", [qkv["q"], kt], [f"{p}.scores"], f"{p}.scores")
    s = node("Div", [s, external(f"{p}.scale", [1])], [f"{p}.scaled"], f"{p}.scale")
    s = node("Softmax", [s], [f"{p}.probs"], f"{p}.softmax", axis=-1)
    a = node("MatMul", [s, f"present_value_{i}"], [f"{p}.ctx"], f"{p}.ctx")
    a = node("Transpose", [a], [f"{p}.ctxt"], f"{p}.ctxt", perm=[0, 2, 1, 3])
    a = node("Reshape", [a, flat], [f"{p}.ctxr"], f"{p}.ctxr")
    a = node("MatMul", [a, external(f"{p}.wo", [D, D])], [f"{p}.o"], f"{p}.o")
    x = node("Add", [x, a], [f"{p}.res1"], f"{p}.res1")
    n2 = node("LayerNormalization", [x, external(f"{p}.ln2.w", [D]), external(f"{p}.ln2.b", [D])],
              [f"{p}.n2"], f"{p}.ln2", axis=-1)
    g = node("MatMul", [n2, external(f"{p}.wg", [D, FF])], [f"{p}.gate"], f"{p}.gate")
    g = node("Mul", [g, node("Sigmoid", [g], [f"{p}.sig"], f"{p}.sig")], [f"{p}.silu"], f"{p}.silu")
    u = node("MatMul", [n2, external(f"{p}.wu", [D, FF])], [f"{p}.up"], f"{p}.up")
    m = node("Mul", [g, u], [f"{p}.gated"], f"{p}.gated")
    m = node("MatMul", [m, external(f"{p}.wd", [FF, D])], [f"{p}.down"], f"{p}.down")
    x = node("Add", [x, m], [f"{p}.res2"], f"{p}.res2")
x = node("LayerNormalization", [x, external("lnf.w", [D]), external("lnf.b", [D])], ["hf"], "lnf", axis=-1)
node("MatMul", [x, external("lm_head", [D, V])], ["logits"], "lm_head")
outputs.insert(0, helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", V]))
g = helper.make_graph(nodes, "llama-7b-shape", inputs, outputs, inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="make-llm.py")
with open(os.path.join(HERE, "llama-7b-shape.onnx"), "wb") as f:
    f.write(m.SerializeToString())
