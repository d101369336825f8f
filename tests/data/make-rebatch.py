#!/usr/bin/python3
"""make-rebatch.py - write the small graphs of tests/0024-rebatch.bats: each
as an exporter at a static batch writes it, the batch baked into its shape
constants, once at batch 1 (rebatch-NAME.onnx) and once at batch 3
(rebatch-NAME-3.onnx), so that gp-shape --batch 3 on the first can be
compared with the second tensor by tensor. Each holds one of the patterns
the torchvision and transformer exports have. Rerun after changing it:

    /usr/bin/python3 tests/data/make-rebatch.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def vi(name, dims, dt=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dt, dims)


def ints(name, v):
    return numpy_helper.from_array(np.array(v, np.int64), name)


def floats(name, dims):
    return numpy_helper.from_array(np.ones(dims, np.float32), name)


def node(op, ins, outs, **kw):
    return helper.make_node(op, ins, outs, name=outs[0], **kw)


def save(name, b, nodes, inits, inputs, outputs):
    g = helper.make_graph(nodes, "g", inputs, [vi(o, None) for o in outputs], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)],
                          producer_name="make-rebatch.py")
    m = onnx.shape_inference.infer_shapes(m, strict_mode=True, data_prop=True)
    onnx.checker.check_model(m)
    path = name + (".onnx" if b == 1 else "-%d.onnx" % b)
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(m.SerializeToString())


def window(b):
    """Swin's window partition: [B,8,8,4] to [1,2,4,2,4,4] (the batch is
    the 1), windows [-1,16,4] (4B: -1 takes it), and back through
    [1,2,2,4,4,4] (the 4B windows give B to the 1)."""
    save("rebatch-window", b, [
        node("Reshape", ["x", "part"], ["p"]),
        node("Transpose", ["p"], ["pt"], perm=[0, 1, 3, 2, 4, 5]),
        node("Reshape", ["pt", "win"], ["w"]),
        node("MatMul", ["w", "wq"], ["q"]),
        node("Reshape", ["q", "back"], ["bk"]),
        node("Transpose", ["bk"], ["bt"], perm=[0, 1, 3, 2, 4, 5]),
        node("Reshape", ["bt", "img"], ["y"]),
    ], [ints("part", [b, 2, 4, 2, 4, 4]), ints("win", [-1, 16, 4]),
        floats("wq", [4, 4]), ints("back", [b, 2, 2, 4, 4, 4]), ints("img", [b, 8, 8, 4])],
        [vi("x", [b, 8, 8, 4])], ["y"])


def shuffle(b):
    """ShuffleNet's channel shuffle: [B,4,3,3] to [1,2,2,3,3], then to
    [1,-1,3,3], where -1 would silently take the batch."""
    save("rebatch-shuffle", b, [
        node("Reshape", ["x", "groups"], ["g"]),
        node("Transpose", ["g"], ["gt"], perm=[0, 2, 1, 3, 4]),
        node("Reshape", ["gt", "flat"], ["y"]),
    ], [ints("groups", [b, 2, 2, 3, 3]), ints("flat", [b, -1, 3, 3])],
        [vi("x", [b, 4, 3, 3])], ["y"])


def seqfirst(b):
    """torch's MultiheadAttention, sequence first: [5,B,8] to heads
    [5,2B,4] (the batch first in B*heads), back to [5B,8] (the batch inside
    seq*B: not the last dim, which the weight reads) and [5,1,8] (the 1)."""
    save("rebatch-seqfirst", b, [
        node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
        node("Reshape", ["xt", "heads"], ["h"]),
        node("Transpose", ["h"], ["ht"], perm=[1, 0, 2]),
        node("Transpose", ["h"], ["hk"], perm=[1, 2, 0]),
        node("MatMul", ["ht", "hk"], ["att"]),
        node("Softmax", ["att"], ["sm"], axis=-1),
        node("MatMul", ["sm", "ht"], ["o"]),
        node("Transpose", ["o"], ["ot"], perm=[1, 0, 2]),
        node("Reshape", ["ot", "rows"], ["r"]),
        node("MatMul", ["r", "wo"], ["proj"]),
        node("Reshape", ["proj", "seq"], ["s"]),
        node("Transpose", ["s"], ["y"], perm=[1, 0, 2]),
    ], [ints("heads", [5, 2 * b, 4]), ints("rows", [5 * b, 8]), floats("wo", [8, 8]),
        ints("seq", [5, b, 8])],
        [vi("x", [b, 5, 8])], ["y"])


def token(b):
    """ViT's class token: [1,1,8] expanded to the batch (torch writes
    expand(n, -1, -1) as a shape [n,1,1]) and concatenated with the patches
    [B,4,8]; and a mask of ones for it, ConstantOfShape [B,5], and a Tile."""
    save("rebatch-token", b, [
        node("Expand", ["cls", "n11"], ["ce"]),
        node("Concat", ["ce", "x"], ["tok"], axis=1),
        node("ConstantOfShape", ["bs"], ["mask"],
             value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
        node("Unsqueeze", ["mask", "ax2"], ["m3"]),
        node("Mul", ["tok", "m3"], ["y"]),
        node("Tile", ["cls", "n11"], ["ct"]),
        node("Concat", ["ct", "x"], ["z"], axis=1),
    ], [floats("cls", [1, 1, 8]), ints("n11", [b, 1, 1]), ints("bs", [b, 5]), ints("ax2", [2])],
        [vi("x", [b, 4, 8])], ["y", "z"])


def flatten(b):
    """A constant reshape whose likeliest dim is wrong: [2,B,3] to [2,3]
    could be [2B,3] or [2,3B]; the Add with a Flatten of the same input
    ([2,3B]) says which."""
    save("rebatch-flatten", b, [
        node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
        node("Reshape", ["xt", "two"], ["r"]),
        node("Flatten", ["xt"], ["f"], axis=1),
        node("Add", ["r", "f"], ["y"]),
    ], [ints("two", [2, 3 * b])],
        [vi("x", [b, 2, 3])], ["y"])


def resize(b):
    """F.interpolate(size=...): Resize to the sizes [B,2,8,8], beside one by
    the scales [1,1,2,2] that hold no batch."""
    save("rebatch-resize", b, [
        node("Resize", ["x", "", "", "sizes"], ["up"], mode="nearest"),
        node("Resize", ["x", "", "scales"], ["up2"], mode="nearest"),
        node("Concat", ["up", "up2"], ["y"], axis=1),
    ], [ints("sizes", [b, 2, 8, 8]),
        numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")],
        [vi("x", [b, 2, 4, 4])], ["y"])


def symseq(b):
    """A static batch beside a dynamic sequence: heads [1,seq,2,4] from
    Shape(x)[1] and constants, the batch before the symbol."""
    save("rebatch-symseq", b, [
        node("Shape", ["x"], ["sh"]),
        node("Gather", ["sh", "one"], ["s1"], axis=0),
        node("Unsqueeze", ["s1", "zero"], ["sv"]),
        node("Concat", ["bv", "sv", "heads"], ["target"], axis=0),
        node("Reshape", ["x", "target"], ["h"]),
        node("Transpose", ["h"], ["y"], perm=[0, 2, 1, 3]),
    ], [ints("one", 1), ints("zero", [0]), ints("bv", [b]), ints("heads", [2, 4])],
        [vi("x", [b, "seq", 8])], ["y"])


def state(b):
    """silero VAD's state at a static batch: input [B,8], state [2,B,4]."""
    save("rebatch-state", b, [
        node("Reshape", ["x", "split"], ["xs"]),
        node("Transpose", ["xs"], ["xt"], perm=[1, 0, 2]),
        node("Add", ["xt", "state"], ["y"]),
    ], [ints("split", [b, 2, 4])],
        [vi("x", [b, 8]), vi("state", [2, b, 4])], ["y"])


def refused():
    """Graphs that cannot be re-batched exactly, at batch 1 only."""
    # [2,B,3] to [3,2]: no dim of the target can hold the batch
    save("rebatch-nowhere", 1, [
        node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
        node("Reshape", ["xt", "t32"], ["y"]),
    ], [ints("t32", [3, 2])], [vi("x", [1, 2, 3])], ["y"])
    # x[0:1] of the batch concatenated with it: B+1 rows, not linear in B
    save("rebatch-slice", 1, [
        node("Slice", ["x", "s0", "s1", "s0"], ["first"]),
        node("Concat", ["first", "x"], ["y"], axis=0),
    ], [ints("s0", [0]), ints("s1", [1])], [vi("x", [1, 4])], ["y"])
    # [2,B,3] to [2,3] and added to a [2,3] weight: neither [2B,3] nor
    # [2,3B] broadcasts with it, so every choice contradicts
    save("rebatch-stuck", 1, [
        node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
        node("Reshape", ["xt", "two"], ["r"]),
        node("Add", ["r", "w23"], ["y"]),
    ], [ints("two", [2, 3]), floats("w23", [2, 3])], [vi("x", [1, 2, 3])], ["y"])
    # the batch twice in one dim ([2B,4]): where it lies inside is not known
    save("rebatch-twice", 1, [
        node("Concat", ["x", "x"], ["xx"], axis=0),
        node("Reshape", ["xx", "t124"], ["y"]),
    ], [ints("t124", [1, 2, 4])], [vi("x", [1, 4])], ["y"])


for make in (window, shuffle, seqfirst, token, flatten, resize, symseq, state):
    make(1)
    make(3)
refused()
