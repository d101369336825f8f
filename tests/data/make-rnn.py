#!/usr/bin/python3
"""make-rnn.py - write the recurrent test models: LSTM, GRU and RNN with
every attribute, in the main graph and inside If and Loop bodies.

Built with python3-onnx's helper (no torch); the weights are external and
absent, so only their dims and dtypes are in the files. tests/0018-real-models.bats
counts their MACs and FLOPs by hand (docs/counting.md, "Recurrent ops") and
checks their shapes against onnx's own shape inference. The outputs are
committed; rerun after changing a model here:

    /usr/bin/python3 tests/data/make-rnn.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(m, name):
    # (the checker wants a shape on every output; these leave them to inference)
    onnx.shape_inference.infer_shapes(m, strict_mode=True)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(m.SerializeToString())


def vi(name, dims, dt=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dt, dims)


def external(name, dims, dt=TensorProto.FLOAT):
    t = onnx.TensorProto()
    t.name, t.data_type = name, dt
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "absent.weights"
    return t


def model(nodes, inputs, outputs, inits, opset=14):
    g = helper.make_graph(nodes, "g", inputs, outputs, inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="make-rnn.py")


# rnn.onnx: one node of each op and form. seq 5, batch 3, input 10, hidden 8.
#   lstm     forward, layout 0: bias, initial_h, initial_c, peepholes, clip 3
#   lstm_bi  bidirectional, layout 1, input_forget, six activations (HardSigmoid,
#            Tanh, Tanh forward; Sigmoid, Relu, Relu reverse) with alpha/beta,
#            sequence_lens [5, 2, 4] known, no Y and no Y_c
#   gru      bidirectional, linear_before_reset, bias
#   rnn      reverse, layout 1, Relu, clip 1, no hidden_size attribute
inits = [
    external("lstm_W", [1, 32, 10]), external("lstm_R", [1, 32, 8]), external("lstm_B", [1, 64]),
    external("lstm_P", [1, 24]),
    external("bi_W", [2, 32, 10]), external("bi_R", [2, 32, 8]),
    numpy_helper.from_array(np.array([5, 2, 4], np.int32), "lens"),
    external("gru_W", [2, 24, 10]), external("gru_R", [2, 24, 8]), external("gru_B", [2, 48]),
    external("rnn_W", [1, 8, 10]), external("rnn_R", [1, 8, 8]),
]
nodes = [
    helper.make_node("LSTM", ["x1", "lstm_W", "lstm_R", "lstm_B", "", "h0", "c0", "lstm_P"],
                     ["y1", "yh1", "yc1"], name="lstm", hidden_size=8, clip=3.0),
    helper.make_node("LSTM", ["x2", "bi_W", "bi_R", "", "lens"], ["", "yh2"], name="lstm_bi",
                     hidden_size=8, layout=1, direction="bidirectional", input_forget=1,
                     activations=["HardSigmoid", "Tanh", "Tanh", "Sigmoid", "Relu", "Relu"],
                     activation_alpha=[0.2, 1.0, 1.0, 1.0, 1.0, 1.0],
                     activation_beta=[0.5, 0.0, 0.0, 0.0, 0.0, 0.0]),
    helper.make_node("GRU", ["x1", "gru_W", "gru_R", "gru_B"], ["y3", "yh3"], name="gru",
                     hidden_size=8, direction="bidirectional", linear_before_reset=1),
    helper.make_node("RNN", ["x2", "rnn_W", "rnn_R"], ["y4", "yh4"], name="rnn", layout=1,
                     direction="reverse", activations=["Relu"], clip=1.0),
]
inputs = [vi("x1", [5, 3, 10]), vi("x2", [3, 5, 10]), vi("h0", [1, 3, 8]), vi("c0", [1, 3, 8])]
outputs = [vi(n, None) for n in ("y1", "yh1", "yc1", "yh2", "y3", "yh3", "y4", "yh4")]
save(model(nodes, inputs, outputs, inits), "rnn.onnx")

# rnn-control.onnx: recurrent ops in bodies. x [4, 2, 6] (seq, batch, input).
#   if_open   condition an input: then an LSTM of hidden 5 (weights local to
#             the branch), else a GRU of hidden 3 (weights of the main graph);
#             the larger, then, counts
#   if_known  condition Shape(x)[0] == 4, true: then an RNN of hidden 4, else
#             an LSTM of hidden 16 that would cost more; then counts
#   loop      3 trips of a body holding an RNN of hidden 4 on x
then_open = helper.make_graph(
    [helper.make_node("LSTM", ["x", "t_W", "t_R", "t_B"], ["", "t_h"], name="open_lstm",
                      hidden_size=5)],
    "then_open", [], [vi("t_h", [1, 2, 5])],
    [external("t_W", [1, 20, 6]), external("t_R", [1, 20, 5]), external("t_B", [1, 40])])
else_open = helper.make_graph(
    [helper.make_node("GRU", ["x", "e_W", "e_R"], ["", "e_h3"], name="open_gru", hidden_size=3),
     helper.make_node("Pad", ["e_h3", "pads"], ["e_h"], name="open_pad")],
    "else_open", [], [vi("e_h", [1, 2, 5])])
then_known = helper.make_graph(
    [helper.make_node("RNN", ["x", "k_W", "k_R"], ["", "k_h"], name="known_rnn", hidden_size=4)],
    "then_known", [], [vi("k_h", [1, 2, 4])])
else_known = helper.make_graph(
    [helper.make_node("LSTM", ["x", "big_W", "big_R"], ["", "big_h"], name="known_lstm",
                      hidden_size=16),
     helper.make_node("Slice", ["big_h", "zero", "four", "two"], ["k_e"], name="known_slice")],
    "else_known", [], [vi("k_e", [1, 2, 4])])
body = helper.make_graph(
    [helper.make_node("Identity", ["c_in"], ["c_out"], name="body_cond"),
     helper.make_node("RNN", ["x", "k_W", "k_R"], ["", "l_h"], name="body_rnn", hidden_size=4),
     helper.make_node("Add", ["acc_in", "l_h"], ["acc_out"], name="body_add")],
    "body", [vi("i", [], TensorProto.INT64), vi("c_in", [], TensorProto.BOOL), vi("acc_in", [1, 2, 4])],
    [vi("c_out", [], TensorProto.BOOL), vi("acc_out", [1, 2, 4])])
inits = [
    external("e_W", [1, 9, 6]), external("e_R", [1, 9, 3]),
    numpy_helper.from_array(np.array([0, 0, 0, 0, 0, 2], np.int64), "pads"),
    external("k_W", [1, 4, 6]), external("k_R", [1, 4, 4]),
    external("big_W", [1, 64, 6]), external("big_R", [1, 64, 16]),
    numpy_helper.from_array(np.array([0], np.int64), "zero"),
    numpy_helper.from_array(np.array([4], np.int64), "four"),
    numpy_helper.from_array(np.array([2], np.int64), "two"),
    numpy_helper.from_array(np.array([0], np.int64), "first"),
    numpy_helper.from_array(np.array([4], np.int64), "seq4"),
    numpy_helper.from_array(np.array(3, np.int64), "three"),
    numpy_helper.from_array(np.array(True), "yes"),
    numpy_helper.from_array(np.zeros([1, 2, 4], np.float32), "acc0"),
]
nodes = [
    helper.make_node("If", ["cond"], ["open_h"], name="if_open", then_branch=then_open,
                     else_branch=else_open),
    helper.make_node("Shape", ["x"], ["xs"], name="shape"),
    helper.make_node("Gather", ["xs", "first"], ["xs0"], name="seq_len", axis=0),
    helper.make_node("Equal", ["xs0", "seq4"], ["is4v"], name="is4"),
    helper.make_node("Squeeze", ["is4v", "first"], ["is4"], name="is4_scalar"),
    helper.make_node("If", ["is4"], ["known_h"], name="if_known", then_branch=then_known,
                     else_branch=else_known),
    helper.make_node("Loop", ["three", "yes", "acc0"], ["loop_h"], name="loop", body=body),
]
inputs = [vi("cond", [], TensorProto.BOOL), vi("x", [4, 2, 6])]
outputs = [vi("open_h", None), vi("known_h", None), vi("loop_h", None)]
save(model(nodes, inputs, outputs, inits), "rnn-control.onnx")
