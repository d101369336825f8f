#!/usr/bin/python3
"""calib-conv.py - a chain of convolutions, element-wise, row, pool, data
movement or GEMV kernels, to measure the rate onnxruntime's kernels reach on
this machine (tests/validate/measure, predict):

    /usr/bin/python3 tests/validate/calib-conv.py KIND C HW L OUT.onnx

L kernels of one KIND over float32 tensors, one after another (each reading
the one before) or, where a chain cannot keep its shape or onnxruntime would
merge it (its common-subexpression elimination, its transpose optimizer),
L kernels side by side on inputs of their own, each input through a Relu
first and each output into a MatMul by a column of ones: a model's kernel
reads what the kernel before it wrote and writes what the next one reads,
not an input the host handed in or an output handed back (predict fits a
class on the class's kernels only, not on these Relus and MatMuls):

    depthwise   depthwise 3x3 convolutions (group C, padding 1) over [1, C, HW, HW]
    dense       1x1 convolutions C -> C over [1, C, HW, HW]
    denserelu, denseclip, denseleaky, densesigmoid, densetanh, densehardsigmoid,
    densehardswish
                the same, each followed by a Relu, a Clip to [0, 6] (ReLU6), a
                LeakyRelu (alpha 0.1), a Sigmoid, a Tanh, a HardSigmoid or a
                HardSwish (opset 14), which
                onnxruntime fuses into the convolution: MLAS runs a Relu inside
                its kernel and the others after it, over the output (predict:
                the runtime profile's act_s)
    mul         products with a scalar, over [1, C, HW, HW]
    bcastmul    products of [1, C, HW, HW] by a [1, C, 1, 1] weight (broadcast)
    sigmoid     Sigmoid over [1, C, HW, HW] (a transcendental element-wise kernel)
    softmax     Softmax over the rows (last axis) of [1, C, HW, HW]
    layernorm   LayerNormalization over the rows of [1, HW, C] (C wide, with scale and bias)
    maxpool     MaxPool 3x3, stride 2, padding 1 (the models' pools halve the size) of L
                inputs [1, C, HW, HW], side by side
    gap         GlobalAveragePool of L inputs [1, C, HW, HW], side by side
    reducemean  ReduceMean over the last two axes (keepdims, a global average as
                torch's x.mean([2, 3]) exports it: C rows of HW^2) of L inputs
                [1, C, HW, HW], side by side, each output the graph's
    transpose   Transpose [1, C, HW, HW] -> [1, HW, C, HW] (the last axis stays, as in
                the models' transposes: attention heads, windows, channel shuffles)
                of L inputs, side by side
    gelu        GELU as torch exports it (Div by sqrt 2, Erf, Add 1, Mul by x, Mul
                by 0.5; onnxruntime fuses the five into one Gelu) of L inputs
                [1, C, HW, HW], side by side
    concat      Concat on channels of inputs j and j + 1 of L + 1 inputs [1, C, HW, HW]
    gemv        Gemm [1, C] x [C, C]^T + bias (a classifier's GEMV, weights as
                torch stores them), one after another; HW must be 1
    conv1d      1-D convolutions C -> C, kernel 3, padding 1, over [1, C, HW]: what
                onnxruntime's generic Conv costs a call (L = 1 and L = 200 give
                the runtime profile's conv_call_s, tests/validate/predict)
    dwconv1d    the same, depthwise (group C): C groups a call, each an im2col and
                a GEMM of its own (conv_group_s)
    gconv       grouped 3x3 convolutions C -> C, 4 channels a group, padding 1, over
                [1, C, HW, HW]: a generic Conv on every NCHWc block (4 is no
                multiple of 8 or 16), whose im2col copies 36 x HW rows a group,
                each a loop of its own (conv_row_s)
    sgconv      the same with stride 2, L of them side by side on one input [1, C,
                2 HW, 2 HW], their outputs summed by one Sum: its im2col copies a
                float at a time (conv_gather_s)
    add, sub    the Add (Sub) of a [HW] vector to [1, C, HW] (a bias, broadcast)
    div         quotients by a scalar, over [1, C, HW]
    slice       Slices of [1, C, HW + L] that each drop the last element of the
                last axis (L of them leave [1, C, HW])
    matmul      MatMuls [1, C, 2, HW] x [HW, HW]
    tmatmul     L pairs of a Transpose of the middle axes ([1, C, 2, HW] ->
                [1, 2, C, HW], as attention's heads) and a MatMul by [HW, HW],
                which onnxruntime neither fuses nor moves (its MatMul takes a
                Transpose of the last two axes, its transpose optimizer moves none
                past a MatMul): with the matmul chain, a Transpose's cost
    lstm        LSTMs of hidden size C (4 gates) over HW steps of [HW, 1, C], each
                Y's direction axis squeezed away for the next (a view): what an
                LSTM costs a call beyond its products (predict: op_s)
    resize      Resizes, linear (half_pixel, as torch exports a bilinear upsampling),
                alternately up by 2 from [1, C, HW, HW] and down by 2 back to it:
                onnxruntime computes each output on its own, four inputs gathered
                through index tables (predict: the runtime profile's elem_s)
    inputs      the Sum of L inputs [1, C, HW, HW] into one output
    outputs     L Relus of one input [1, C, HW, HW], each output the graph's: with
                inputs, what the runtime's call costs each input and output
                beyond the first (the runtime profile's input_s and output_s:
                L = 200 against L = 1; docs/hardware.md)
    The last seven before resize, at a few hundred floats, give what a kernel of each op
    costs beyond a Relu's dispatch (predict: the runtime profile's op_s),
    with mul, layernorm and softmax at the same size, and lstm at a hidden
    size of 16.

Weights and biases are seeded random values, embedded. FLOPs per
convolution: 2 x C x HW^2 x 9 (depthwise), 2 x C^2 x HW^2 (dense). None of
the validation models is made this way: they are a calibration, not a test.
Needs python3-onnx and numpy.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

KINDS = ("depthwise", "dense", "denserelu", "denseclip", "denseleaky", "densesigmoid", "densetanh",
         "densehardsigmoid", "densehardswish", "mul", "bcastmul", "sigmoid", "softmax", "layernorm", "maxpool",
         "gap", "reducemean", "transpose", "concat", "gelu", "gemv",
         "conv1d", "dwconv1d", "gconv", "sgconv", "add", "sub", "div", "slice", "matmul", "tmatmul", "lstm", "resize",
         "inputs", "outputs")
if len(sys.argv) != 6:
    sys.exit("usage: calib-conv.py KIND C HW L OUT.onnx")
kind, c, hw, n, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
if kind not in KINDS:
    sys.exit("calib-conv.py: KIND must be one of " + ", ".join(KINDS))
if c < 1 or hw < 1 or n < 1:
    sys.exit("calib-conv.py: C, HW and L must be positive")
if kind == "gemv" and hw != 1:
    sys.exit("calib-conv.py: gemv: HW must be 1")
if kind in ("gconv", "sgconv") and c % 4:
    sys.exit("calib-conv.py: " + kind + ": C must be a multiple of 4")
rng = np.random.default_rng(0)
nodes, inits = [], []
shape = [1, c, hw, hw]
ins, outs = [], []


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def weight(name, a):
    inits.append(numpy_helper.from_array(a.astype(np.float32), name))
    return name


if kind == "sgconv":
    # side by side on one input: a stride-2 chain cannot keep its shape
    ins = [tensor("x", [1, c, 2 * hw, 2 * hw])]
    for j in range(n):
        w = rng.standard_normal((c, 4, 3, 3)).astype(np.float32) / 6
        nodes.append(helper.make_node("Conv", ["x", weight(f"w{j}", w)], [f"y{j}"], name=f"conv{j}",
                                      group=c // 4, kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]))
    nodes.append(helper.make_node("Sum", [f"y{j}" for j in range(n)], ["y"], name="sum"))
    outs = [tensor("y", shape)]
elif kind == "inputs":
    ins = [tensor(f"x{j}", shape) for j in range(n)]
    nodes.append(helper.make_node("Sum", [f"x{j}" for j in range(n)], ["y"], name="sum"))
    outs = [tensor("y", shape)]
elif kind == "outputs":
    ins = [tensor("x", shape)]
    nodes.extend(helper.make_node("Relu", ["x"], [f"y{j}"], name=f"relu{j}") for j in range(n))
    outs = [tensor(f"y{j}", shape) for j in range(n)]
elif kind in ("gap", "reducemean", "transpose", "concat", "gelu", "maxpool"):
    # side by side: inputs of their own, an output each
    nin = n + 1 if kind == "concat" else n
    ins = [tensor(f"i{j}", shape) for j in range(nin)]

    def relu(j):
        """x_j = Relu(i_j): each input written by a kernel of the run, just
        before the kernel that reads it (onnxruntime runs independent nodes in
        the order they are listed)"""
        nodes.append(helper.make_node("Relu", [f"i{j}"], [f"x{j}"], name=f"relu{j}"))

    def reduce(j, dims):
        """z_j = y_j x v, a product with a column of ones over the last axis,
        the graph's output: the kernel writes an intermediate tensor, as a
        model's kernels do, which onnxruntime's memory plan reuses run after
        run; a graph output it allocates anew each run, and writing that
        costs more (a Concat of two [1, 64, 56, 56] took 48 us writing an
        intermediate, 138 us writing a graph output). A MatMul, because its
        transpose optimizer pushes a Transpose through a reduction, and the
        Transposes would be gone"""
        last = dims[-1]
        if f"ones{last}" not in [t.name for t in inits]:
            weight(f"ones{last}", np.ones((last, 1)))
        nodes.append(helper.make_node("MatMul", [f"y{j}", f"ones{last}"], [f"z{j}"], name=f"reduce{j}"))
        outs.append(tensor(f"z{j}", dims[:-1] + [1]))

    relu(0)
    if kind == "gelu":
        for name, v in (("sqrt2", np.sqrt(2)), ("one", 1.0), ("half", 0.5)):
            weight(name, np.array(v))
    for j in range(n):
        if j + 1 < nin:
            relu(j + 1)
        if kind == "gap":
            nodes.append(helper.make_node("GlobalAveragePool", [f"x{j}"], [f"y{j}"], name=f"gap{j}"))
            reduce(j, [1, c, 1, 1])
        elif kind == "reducemean":
            # its output is the graph's: a MatMul by a column of ones would be
            # one of C rows, whose cost grows with C as the ReduceMean's does
            nodes.append(helper.make_node("ReduceMean", [f"x{j}"], [f"y{j}"], name=f"reducemean{j}",
                                          axes=[2, 3], keepdims=1))
            outs.append(tensor(f"y{j}", [1, c, 1, 1]))
        elif kind == "maxpool":
            nodes.append(helper.make_node("MaxPool", [f"x{j}"], [f"y{j}"], name=f"maxpool{j}",
                                          kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
            reduce(j, [1, c, (hw - 1) // 2 + 1, (hw - 1) // 2 + 1])
        elif kind == "transpose":
            nodes.append(helper.make_node("Transpose", [f"x{j}"], [f"y{j}"], name=f"transpose{j}",
                                          perm=[0, 2, 1, 3]))
            reduce(j, [1, hw, c, hw])
        elif kind == "gelu":
            nodes += [helper.make_node("Div", [f"x{j}", "sqrt2"], [f"d{j}"], name=f"div{j}"),
                      helper.make_node("Erf", [f"d{j}"], [f"e{j}"], name=f"erf{j}"),
                      helper.make_node("Add", [f"e{j}", "one"], [f"a{j}"], name=f"add{j}"),
                      helper.make_node("Mul", [f"x{j}", f"a{j}"], [f"m{j}"], name=f"mul{j}"),
                      helper.make_node("Mul", [f"m{j}", "half"], [f"y{j}"], name=f"half{j}")]
            reduce(j, shape)
        else:
            nodes.append(helper.make_node("Concat", [f"x{j}", f"x{j + 1}"], [f"y{j}"], name=f"concat{j}",
                                          axis=1))
            reduce(j, [1, 2 * c, hw, hw])
else:
    if kind == "layernorm":
        shape = [1, hw, c]
    elif kind == "gemv":
        shape = [1, c]
    elif kind in ("conv1d", "dwconv1d", "add", "sub", "div"):
        shape = [1, c, hw]
    elif kind == "slice":
        shape = [1, c, hw + n]
        for name, v in (("starts", 0), ("ends", -1), ("axes", 2)):
            inits.append(numpy_helper.from_array(np.array([v], np.int64), name))
    elif kind in ("matmul", "tmatmul"):
        shape = [1, c, 2, hw]
    elif kind == "lstm":
        shape = [hw, 1, c]
        inits.append(numpy_helper.from_array(np.array([1], np.int64), "diraxis"))
    elif kind == "resize":
        for name, v in (("up", 2.0), ("down", 0.5)):
            weight(name, np.array([1, 1, v, v]))
    prev = "x"
    oshape = [1, c, hw] if kind == "slice" else [1, 2, c, hw] if kind == "tmatmul" and n % 2 else shape
    if kind == "resize" and n % 2:
        oshape = [1, c, 2 * hw, 2 * hw]
    for j in range(n):
        name = "y" if j == n - 1 else f"t{j}"
        if kind == "mul":
            nodes.append(helper.make_node("Mul", [prev, weight(f"s{j}", np.array([1.0001]))], [name],
                                          name=f"mul{j}"))
        elif kind in ("add", "sub"):
            op = kind.capitalize()
            v = weight(f"v{j}", rng.standard_normal(hw) / 1000)
            nodes.append(helper.make_node(op, [prev, v], [name], name=f"{kind}{j}"))
        elif kind == "div":
            nodes.append(helper.make_node("Div", [prev, weight(f"s{j}", np.array([1.0001]))], [name],
                                          name=f"div{j}"))
        elif kind == "slice":
            nodes.append(helper.make_node("Slice", [prev, "starts", "ends", "axes"], [name], name=f"slice{j}"))
        elif kind in ("matmul", "tmatmul"):
            a = prev
            if kind == "tmatmul":
                nodes.append(helper.make_node("Transpose", [prev], [f"p{j}"], name=f"transpose{j}",
                                              perm=[0, 2, 1, 3]))
                a = f"p{j}"
            w = weight(f"w{j}", rng.standard_normal((hw, hw)) / np.sqrt(hw))
            nodes.append(helper.make_node("MatMul", [a, w], [name], name=f"matmul{j}"))
        elif kind == "lstm":
            w = weight(f"w{j}", rng.standard_normal((1, 4 * c, c)) / np.sqrt(c))
            r = weight(f"r{j}", rng.standard_normal((1, 4 * c, c)) / np.sqrt(c))
            b = weight(f"b{j}", rng.standard_normal((1, 8 * c)) / 10)
            nodes.append(helper.make_node("LSTM", [prev, w, r, b], [f"h{j}"], name=f"lstm{j}", hidden_size=c))
            nodes.append(helper.make_node("Squeeze", [f"h{j}", "diraxis"], [name], name=f"squeeze{j}"))
        elif kind == "resize":
            nodes.append(helper.make_node("Resize", [prev, "", "down" if j % 2 else "up"], [name],
                                          name=f"resize{j}", mode="linear",
                                          coordinate_transformation_mode="half_pixel"))
        elif kind == "bcastmul":
            s = 1 + rng.standard_normal((1, c, 1, 1)) / 1000
            nodes.append(helper.make_node("Mul", [prev, weight(f"s{j}", s)], [name], name=f"mul{j}"))
        elif kind == "sigmoid":
            nodes.append(helper.make_node("Sigmoid", [prev], [name], name=f"sigmoid{j}"))
        elif kind == "softmax":
            nodes.append(helper.make_node("Softmax", [prev], [name], name=f"softmax{j}", axis=-1))
        elif kind == "layernorm":
            g = weight(f"g{j}", 1 + rng.standard_normal(c) / 10)
            b = weight(f"b{j}", rng.standard_normal(c) / 10)
            nodes.append(helper.make_node("LayerNormalization", [prev, g, b], [name], name=f"layernorm{j}",
                                          axis=-1, epsilon=1e-5))
        elif kind == "gemv":
            w = weight(f"w{j}", rng.standard_normal((c, c)) / np.sqrt(c))
            b = weight(f"b{j}", rng.standard_normal(c) / 10)
            nodes.append(helper.make_node("Gemm", [prev, w, b], [name], name=f"gemm{j}", transB=1))
        elif kind in ("conv1d", "dwconv1d"):
            grp = c if kind == "dwconv1d" else 1
            w = rng.standard_normal((c, c // grp, 3)).astype(np.float32) / np.sqrt(3 * c // grp)
            b = rng.standard_normal(c).astype(np.float32) / 10
            nodes.append(helper.make_node("Conv", [prev, weight(f"w{j}", w), weight(f"b{j}", b)], [name],
                                          name=f"conv{j}", group=grp, kernel_shape=[3], pads=[1, 1]))
        else:
            if kind == "depthwise":
                w = rng.standard_normal((c, 1, 3, 3)).astype(np.float32) / 3
                attrs = dict(group=c, kernel_shape=[3, 3], pads=[1, 1, 1, 1])
            elif kind == "gconv":
                w = rng.standard_normal((c, 4, 3, 3)).astype(np.float32) / 6
                attrs = dict(group=c // 4, kernel_shape=[3, 3], pads=[1, 1, 1, 1])
            else:
                w = rng.standard_normal((c, c, 1, 1)).astype(np.float32) / np.sqrt(c)
                attrs = dict(kernel_shape=[1, 1])
            b = rng.standard_normal(c).astype(np.float32) / 10
            y = f"c{j}" if kind.startswith("dense") and kind not in ("dense", "densepool") else name
            nodes.append(helper.make_node("Conv", [prev, weight(f"w{j}", w), weight(f"b{j}", b)], [y],
                                          name=f"conv{j}", **attrs))
            if kind == "denserelu":
                nodes.append(helper.make_node("Relu", [y], [name], name=f"relu{j}"))
            elif kind == "denseclip":
                nodes.append(helper.make_node("Clip", [y, weight(f"lo{j}", np.array(0.0)),
                                                       weight(f"hi{j}", np.array(6.0))], [name], name=f"clip{j}"))
            elif kind == "denseleaky":
                nodes.append(helper.make_node("LeakyRelu", [y], [name], name=f"leaky{j}", alpha=0.1))
            elif kind in ("densesigmoid", "densetanh", "densehardsigmoid", "densehardswish"):
                op = {"densesigmoid": "Sigmoid", "densetanh": "Tanh", "densehardsigmoid": "HardSigmoid",
                      "densehardswish": "HardSwish"}[kind]
                nodes.append(helper.make_node(op, [y], [name], name=f"{kind[5:]}{j}"))
        prev = name
    ins, outs = [tensor("x", shape)], [tensor("y", oshape)]
g = helper.make_graph(nodes, f"calib_{kind}", ins, outs, initializer=inits)
opset = 17 if kind == "layernorm" else 14 if kind == "densehardswish" else 13
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="calib-conv.py")
onnx.checker.check_model(m)
with open(out, "wb") as f:
    f.write(m.SerializeToString())
