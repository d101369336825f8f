#!/usr/bin/python3
"""make-models.py - write the small hand-built ONNX models the tests use.

Needs Debian's python3-onnx (not torch). The outputs are committed, so the
tests never run this; rerun it after changing a model here:

    /usr/bin/python3 tests/data/make-models.py

Besides the .onnx files it writes nasty.names: the hex of every tensor and
node name of nasty.onnx, in the order gp-load writes them, so a test can check
that names survive the stream byte for byte.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(m, name, check=False):
    if check:
        onnx.checker.check_model(m)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(m.SerializeToString())


def model(nodes, inputs, outputs, inits=(), opset=13, name="g", **kw):
    g = helper.make_graph(nodes, name, inputs, outputs, list(inits), **kw)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="make-models.py")


def vi(name, dims, dt=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dt, dims)


def external(name, dims, dt=TensorProto.FLOAT, location="absent.weights"):
    t = TensorProto()
    t.name = name
    t.data_type = dt
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", location
    return t


# A chain with every kind of tensor: input, initializer (inline, external),
# Constant, intermediate, output; nodes out of order in the file.
x = vi("x", ["batch", 3, 8, 8])
w = external("w", [4, 3, 3, 3])
b = numpy_helper.from_array(np.array([0.5, -1.25, 3.0, 1e-7], dtype=np.float32), "b")
shp = numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "shape")
nodes = [
    helper.make_node("Reshape", ["r", "shape"], ["y"], name="flatten"),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1],
                     kernel_shape=[3, 3], strides=[1, 1]),
    helper.make_node("Constant", [], ["k"], name="k",
                     value=helper.make_tensor("kv", TensorProto.INT64, [2], [1, 2])),
    helper.make_node("Shape", ["y"], ["s"], name="shape_of_y"),
    helper.make_node("Add", ["s", "k"], ["z"], name="add"),
]
m = model(nodes, [x], [vi("y", ["batch", 256]), vi("z", [2], TensorProto.INT64)], [w, b, shp],
          value_info=[vi("c", ["batch", 4, 8, 8])])
save(m, "chain.onnx")

# Every dtype's data, typed fields and raw_data, and every attribute type.
ts = [
    helper.make_tensor("f16", TensorProto.FLOAT16, [3],
                       np.array([1.0, -2.5, 65504], dtype=np.float16).tobytes(), raw=True),
    helper.make_tensor("bf16", TensorProto.BFLOAT16, [2], [1.0, -2.0]),
    helper.make_tensor("f64", TensorProto.DOUBLE, [2], [0.1, -1e300]),
    helper.make_tensor("i8", TensorProto.INT8, [3], [-128, 0, 127]),
    helper.make_tensor("u8", TensorProto.UINT8, [2], b"\x00\xff", raw=True),
    helper.make_tensor("i64", TensorProto.INT64, [3], [-(2**63), 0, 2**63 - 1]),
    helper.make_tensor("u64", TensorProto.UINT64, [1], [2**64 - 1]),
    helper.make_tensor("bool", TensorProto.BOOL, [2], [True, False]),
    helper.make_tensor("str", TensorProto.STRING, [2], [b"a,b", b"tab\there"]),
    helper.make_tensor("c64", TensorProto.COMPLEX64, [1], [complex(1.5, -2.0)]),
    helper.make_tensor("scalar", TensorProto.FLOAT, [], [float("inf")]),
    helper.make_tensor("empty", TensorProto.FLOAT, [0, 3], []),
    helper.make_tensor("big", TensorProto.FLOAT, [20], list(range(20))),
]
attrs = helper.make_node(
    "Custom", ["f16"], ["o"], name="attrs", domain="com.example",
    f=0.25, i=-3, s="SAME_UPPER", fs=[1.0, 2.5], ss=["a b", "c=d"],
    t=helper.make_tensor("tv", TensorProto.INT32, [2], [7, 8]),
    tp=helper.make_tensor_type_proto(TensorProto.FLOAT, [2, "n"]))
attrs.attribute.add(name="is", type=onnx.AttributeProto.INTS)   # an empty INTS list
m = model([attrs], [], [vi("o", None)], ts)
m.opset_import.append(helper.make_opsetid("com.example", 1))
save(m, "dtypes.onnx", check=False)

# Names that need escaping everywhere; an unnamed node and two nodes with one name.
nasty = ["tab\there", "new\nline", "cr\rhere", "per%cent", "com,ma", "semi;colon",
         "eq=ual", "[br]", 'qu"ote', ".", "?", "sp ace", "ünï©ødé", "-lead", "7up"]
x = vi(nasty[0], ["dim,with,commas", "2x", None])
nodes, prev = [], nasty[0]
for i, n in enumerate(nasty[1:]):
    nodes.append(helper.make_node("Relu", [prev], [n], name=nasty[-1 - i] if i % 3 else ""))
    prev = n
nodes[1].name = nodes[2].name = "twin"
m = model(nodes, [x], [vi(prev, None)], name="nasty\tgraph")
save(m, "nasty.onnx", check=False)

# If with branches that read a tensor of the outer graph, produced after the
# If in file order: the loader must order by that hidden dependency.
cond = vi("cond", [], TensorProto.BOOL)
xo = vi("x", [2])
then_g = helper.make_graph([helper.make_node("Relu", ["outer"], ["t_out"], name="then_relu")],
                           "then", [], [vi("t_out", [2])])
else_g = helper.make_graph([helper.make_node("Neg", ["outer"], ["e_out"], name="else_neg")],
                           "else", [], [vi("e_out", [2])])
nodes = [helper.make_node("If", ["cond"], ["y"], name="if", then_branch=then_g, else_branch=else_g),
         helper.make_node("Abs", ["x"], ["outer"], name="abs")]
m = model(nodes, [cond, xo], [vi("y", [2])])
save(m, "if.onnx", check=False)

# A model-local function, and a contrib-domain node at an old opset.
fn = helper.make_function("local", "Twice", ["a"], ["b"],
                          [helper.make_node("Add", ["a", "a"], ["b"])],
                          [helper.make_opsetid("", 7)])
nodes = [helper.make_node("Twice", ["x"], ["t"], name="call", domain="local"),
         helper.make_node("FusedGemm", ["t", "t"], ["y"], name="fused", domain="com.microsoft",
                          alpha=1.0)]
m = model(nodes, [vi("x", [4, 4])], [vi("y", [4, 4])], opset=7)
m.opset_import.extend([helper.make_opsetid("local", 1), helper.make_opsetid("com.microsoft", 1)])
m.functions.append(fn)
save(m, "function.onnx", check=False)

# Bad models: each must be refused with one clear line.
r = lambda i, o, n: helper.make_node("Relu", [i], [o], name=n)
save(model([r("x", "a", "n1"), helper.make_node("Add", ["a", "c"], ["b"], name="n2"),
            r("b", "c", "n3")], [vi("x", [1])], [vi("c", [1])]), "bad-cycle.onnx", check=False)
save(model([r("nowhere", "y", "n1")], [vi("x", [1])], [vi("y", [1])]), "bad-dangling.onnx",
     check=False)
save(model([r("x", "y", "n1"), r("x", "y", "n2")], [vi("x", [1])], [vi("y", [1])]),
     "bad-twice.onnx", check=False)
save(model([helper.make_node("Add", ["x", "w"], ["y"], name="n1")], [vi("x", [1])],
           [vi("y", [1])], [external("w", [2**62, 2**62])]), "bad-absurd-dim.onnx", check=False)
m = model([r("x", "y", "n1")], [vi("x", [1])], [vi("y", [1])])
m.graph.input[0].type.tensor_type.shape.dim[0].dim_value = -3
save(m, "bad-negative-dim.onnx", check=False)
t = numpy_helper.from_array(np.zeros(8, dtype=np.float32), "w")
t.raw_data = t.raw_data[:20]
save(model([helper.make_node("Add", ["x", "w"], ["y"], name="n1")], [vi("x", [8])],
           [vi("y", [8])], [t]), "bad-raw-size.onnx", check=False)
m = model([r("x", "y", "n1")], [vi("x", [1])], [vi("y", [1])])
m.graph.output[0].name = "missing"
save(m, "bad-output.onnx", check=False)

# The names of nasty.onnx as gp-load writes them: tensors (graph input, node
# outputs in order), then nodes (an unnamed node is OP_INDEX; a second "twin" is "twin~2").
names = list(nasty)
for i, n in enumerate(nodes_ := onnx.load(os.path.join(HERE, "nasty.onnx")).graph.node):
    pass
nn, seen = [], set()
for i, n in enumerate(nodes_):
    base = n.name if n.name else "%s_%d" % (n.op_type, i)
    nm, k = base, 2
    while nm in seen:
        nm, k = "%s~%d" % (base, k), k + 1
    seen.add(nm)
    nn.append(nm)
with open(os.path.join(HERE, "nasty.names"), "w") as f:
    for n in names + nn:
        f.write(n.encode().hex() + "\n")

# Shape contradictions and declared shapes that disagree, for gp-shape.
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [vi("x", [2, 3])],
           [vi("y", None)], [external("w", [4, 5])]), "bad-matmul.onnx")
save(model([helper.make_node("Relu", ["x"], ["y"], name="relu")], [vi("x", [2, 3])],
           [vi("y", [2, 4])]), "declared-wrong.onnx")
save(model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="rs")], [vi("x", [2, 3])],
           [vi("y", None)], [numpy_helper.from_array(np.array([4, 2], dtype=np.int64), "shape")]),
     "bad-reshape.onnx")

# Two models that differ only in the values of a 2000-element weight (8 KB,
# inline): their graph_sha256 must be equal, their file hashes not.
for tag, seed in (("a", 1), ("b", 2)):
    w = numpy_helper.from_array(np.random.default_rng(seed).random(2000).astype(np.float32), "w")
    save(model([helper.make_node("Add", ["x", "w"], ["y"], name="add")], [vi("x", [2000])],
               [vi("y", [2000])], [w]), "weights-%s.onnx" % tag)

# Costs with known answers (tests/0004-gp-partition.bats works them out).
x = vi("x", [1, 3, 8, 8])
inits = [
    numpy_helper.from_array(np.ones([4, 3, 3, 3], np.float32), "w1"),
    numpy_helper.from_array(np.zeros([4], np.float32), "b1"),
    numpy_helper.from_array(np.ones([4, 1, 3, 3], np.float32), "w2"),
    numpy_helper.from_array(np.ones([10, 4], np.float32), "w3"),
    numpy_helper.from_array(np.zeros([10], np.float32), "b3"),
]
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Conv", ["c1", "w2"], ["c2"], name="dw", pads=[1, 1, 1, 1], group=4),
    helper.make_node("Relu", ["c2"], ["r"], name="relu"),
    helper.make_node("GlobalAveragePool", ["r"], ["p"], name="gap"),
    helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["g"], name="fc", transB=1),
    helper.make_node("Softmax", ["g"], ["y"], name="softmax", axis=1),
]
save(model(nodes, [x], [vi("y", [1, 10])], inits), "cost.onnx", check=True)

# Fusion: Conv+BN+Relu with a residual Add+Relu, then a squeeze-excite whose
# Mul must stay apart (joining the conv would make a cycle).
x = vi("x", [1, 4, 8, 8])
inits = [numpy_helper.from_array(np.ones([4, 4, 3, 3], np.float32), "w")]
inits += [numpy_helper.from_array(np.ones([4], np.float32), n) for n in ("s", "bb", "mean", "var")]
nodes = [
    helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("BatchNormalization", ["c", "s", "bb", "mean", "var"], ["b"], name="bn"),
    helper.make_node("Relu", ["b"], ["r1"], name="relu1"),
    helper.make_node("Add", ["r1", "x"], ["a"], name="add"),
    helper.make_node("Relu", ["a"], ["r2"], name="relu2"),
    helper.make_node("GlobalAveragePool", ["r2"], ["p"], name="gap"),
    helper.make_node("Sigmoid", ["p"], ["q"], name="sigmoid"),
    helper.make_node("Mul", ["r2", "q"], ["y"], name="scale"),
]
save(model(nodes, [x], [vi("y", [1, 4, 8, 8])], inits), "fuse.onnx", check=True)

# Control flow: an If whose branches cost differently, a Loop of 3 trips.
a = vi("a", [2, 2])
cond = vi("cond", [], TensorProto.BOOL)
w = numpy_helper.from_array(np.ones([2, 2], np.float32), "w")
three = numpy_helper.from_array(np.array(3, np.int64), "three")
yes = numpy_helper.from_array(np.array(True), "yes")
then_g = helper.make_graph([helper.make_node("MatMul", ["a", "w"], ["t"], name="then_mm")],
                           "then", [], [vi("t", [2, 2])])
else_g = helper.make_graph([helper.make_node("Relu", ["a"], ["e"], name="else_relu")],
                           "else", [], [vi("e", [2, 2])])
body = helper.make_graph(
    [helper.make_node("Identity", ["c_in"], ["c_out"], name="body_cond"),
     helper.make_node("MatMul", ["x_in", "w"], ["x_out"], name="body_mm")],
    "body", [vi("i", [], TensorProto.INT64), vi("c_in", [], TensorProto.BOOL), vi("x_in", [2, 2])],
    [vi("c_out", [], TensorProto.BOOL), vi("x_out", [2, 2])])
nodes = [
    helper.make_node("If", ["cond"], ["i_out"], name="if", then_branch=then_g, else_branch=else_g),
    helper.make_node("Loop", ["three", "yes", "i_out"], ["l_out"], name="loop", body=body),
]
save(model(nodes, [cond, a], [vi("l_out", [2, 2])], [w, three, yes]), "control.onnx", check=True)

# An embedding lookup: the Gather reads the 4 rows it looks up, not the table.
ids = vi("ids", [4], TensorProto.INT64)
table = external("table", [1000, 16])
nodes = [helper.make_node("Gather", ["table", "ids"], ["y"], name="embed", axis=0)]
save(model(nodes, [ids], [vi("y", [4, 16])], [table]), "gather.onnx", check=False)

# A MatMul of two weights is folded before the model runs: 2 x 3 x 4 MACs, once.
inits = [numpy_helper.from_array(np.ones([2, 3], np.float32), "p"),
         numpy_helper.from_array(np.ones([3, 4], np.float32), "q")]
nodes = [helper.make_node("MatMul", ["p", "q"], ["pq"], name="fold"),
         helper.make_node("Add", ["x", "pq"], ["y"], name="add")]
save(model(nodes, [vi("x", [2, 4])], [vi("y", [2, 4])], inits), "folded.onnx", check=True)

# Small DAGs whose stages, width, critical path and peak memory are worked out
# by hand in tests/0005-gp-concur.bats. Every activation is float32; the sizes
# are chosen so that each step of the memory simulation is distinct.
def mm(a, w, y):
    return helper.make_node("MatMul", [a, w], [y], name=y)


def relu(a, y):
    return helper.make_node("Relu", [a], [y], name=y)


# a chain: x [1,256] -> MatMul -> a [1,512] -> Relu -> b -> MatMul -> y [1,128]
nodes = [mm("x", "w1", "a"), relu("a", "b"), mm("b", "w2", "y")]
save(model(nodes, [vi("x", [1, 256])], [vi("y", [1, 128])],
           [external("w1", [256, 512]), external("w2", [512, 128])]), "concur-chain.onnx")

# a diamond: x -> Relu -> a [1,256]; a -> MatMul -> b [1,512]; a -> MatMul ->
# c [1,1024]; Concat(b, c) -> y [1,1536]
nodes = [relu("x", "a"), mm("a", "wb", "b"), mm("a", "wc", "c"),
         helper.make_node("Concat", ["b", "c"], ["y"], name="y", axis=1)]
save(model(nodes, [vi("x", [1, 256])], [vi("y", [1, 1536])],
           [external("wb", [256, 512]), external("wc", [256, 1024])]), "concur-diamond.onnx")

# a residual block with a downsample branch: x -> mm1 -> relu -> mm2 -> add <- ds <- x
nodes = [mm("x", "w1", "a"), mm("x", "wd", "d"), relu("a", "b"), mm("b", "w2", "c"),
         helper.make_node("Add", ["c", "d"], ["y"], name="y")]
save(model(nodes, [vi("x", [1, 256])], [vi("y", [1, 128])],
           [external("w1", [256, 256]), external("wd", [256, 128]),
            external("w2", [256, 128])]), "concur-residual.onnx")

# two parallel branches, each blowing up then shrinking: in file order the
# big tensors t1 and t2 are live together; run branch by branch, never
nodes = [mm("x", "wa1", "t1"), mm("x", "wb1", "t2"), mm("t1", "wa2", "s1"), mm("t2", "wb2", "s2"),
         helper.make_node("Add", ["s1", "s2"], ["y"], name="y")]
save(model(nodes, [vi("x", [1, 256])], [vi("y", [1, 256])],
           [external("wa1", [256, 2048]), external("wb1", [256, 2048]),
            external("wa2", [2048, 256]), external("wb2", [2048, 256])]), "concur-branches.onnx")

# a DAG whose largest antichain {y, x4, z} is wider than its widest ASAP stage (2):
# x -> x1 -> x2 -> x3 -> x4, y = relu(x1), z = relu(x3); outputs x4, y, z
nodes = [relu("x", "x1"), relu("x1", "x2"), relu("x1", "y"), relu("x2", "x3"), relu("x3", "x4"),
         relu("x3", "z")]
save(model(nodes, [vi("x", [1, 256])], [vi("x4", [1, 256]), vi("y", [1, 256]), vi("z", [1, 256])]),
     "concur-antichain.onnx", check=True)

# Three kernels for the roofline tests (tests/data/hw/test-chip.yaml): a big
# GEMM (compute-bound), a big ReLU (memory-bound), a tiny ReLU (launch-bound).
nodes = [mm("a", "w", "g"), relu("b", "r"), relu("c", "t")]
save(model(nodes, [vi("a", [1024, 1024]), vi("b", [1, 4194304]), vi("c", [1, 16])],
           [vi("g", [1024, 1024]), vi("r", [1, 4194304]), vi("t", [1, 16])],
           [external("w", [1024, 1024])]), "roof.onnx")

# onnxruntime's contrib ops (domain com.microsoft) and the quantized ops, with
# costs worked out by hand in tests/0012-contrib-ops.bats. Weights are external
# (absent.weights need not exist): only their dims and dtypes matter.
MS = "com.microsoft"


def msmodel(nodes, inputs, outputs, inits=(), **kw):
    m = model(nodes, inputs, outputs, inits, opset=17, **kw)
    m.opset_import.append(helper.make_opsetid(MS, 1))
    return m


def msnode(op, ins, outs, name, **attrs):
    return helper.make_node(op, ins, outs, name=name, domain=MS, **attrs)


def scalar(name, value, dt):
    return numpy_helper.from_array(np.array(value, dtype=dt), name)


# Attention with a KV cache: x [2,4,64], 4 heads of 16, past [2,2,4,past,16];
# the projection [64,192] and its bias, a mask of lengths [2]
nodes = [msnode("Attention", ["x", "w", "b", "mask", "past"], ["y", "present"], "attn",
                num_heads=4)]
save(msmodel(nodes, [vi("x", [2, 4, 64]), vi("mask", [2], TensorProto.INT32),
                     vi("past", [2, 2, 4, "past", 16])],
             [vi("y", None), vi("present", None)],
             [external("w", [64, 192]), external("b", [192])]), "contrib-attention.onnx")

# MultiHeadAttention: separate Q, K, V [1,8,32] of 2 heads with a bias and a
# cache of 6, causal; and one with Q, K, V packed [1,8,2,3,16]
nodes = [msnode("MultiHeadAttention", ["q", "k", "v", "qkv_bias", "", "", "past_k", "past_v"],
                ["o", "present_k", "present_v"], "mha", num_heads=2, unidirectional=1),
         msnode("MultiHeadAttention", ["packed"], ["o2"], "mha_packed", num_heads=2)]
save(msmodel(nodes, [vi("q", [1, 8, 32]), vi("k", [1, 8, 32]), vi("v", [1, 8, 32]),
                     vi("past_k", [1, 2, 6, 16]), vi("past_v", [1, 2, 6, 16]),
                     vi("packed", [1, 8, 2, 3, 16])],
             [vi("o", None), vi("present_k", None), vi("present_v", None), vi("o2", None)],
             [external("qkv_bias", [96])]), "contrib-mha.onnx")

# GroupQueryAttention: 4 query heads of 16 over 2 key/value heads, a cache of
# past tokens and a total length computed at run time (unknown); and one with
# Q, K, V packed [1,4,128], a 64-token cache buffer shared with present, a
# constant total length of 32 and rotary embedding
i32 = TensorProto.INT32
nodes = [msnode("GroupQueryAttention", ["q", "k", "v", "past_k", "past_v", "seqlens", "total"],
                ["o", "present_k", "present_v"], "gqa", num_heads=4, kv_num_heads=2),
         msnode("GroupQueryAttention", ["packed", "", "", "buf_k", "buf_v", "seqlens", "total32",
                                        "cos", "sin"],
                ["o2", "buf_k_out", "buf_v_out"], "gqa_packed", num_heads=4, kv_num_heads=2,
                do_rotary=1)]
save(msmodel(nodes, [vi("q", [1, 4, 64]), vi("k", [1, 4, 32]), vi("v", [1, 4, 32]),
                     vi("past_k", [1, 2, "past", 16]), vi("past_v", [1, 2, "past", 16]),
                     vi("seqlens", [1], i32), vi("total", [], i32), vi("packed", [1, 4, 128]),
                     vi("buf_k", [1, 2, 64, 16]), vi("buf_v", [1, 2, 64, 16])],
             [vi("o", None), vi("present_k", None), vi("present_v", None), vi("o2", None),
              vi("buf_k_out", None), vi("buf_v_out", None)],
             [scalar("total32", 32, np.int32), external("cos", [64, 8]), external("sin", [64, 8])]),
     "contrib-gqa.onnx")

# The normalizations: SkipLayerNormalization with every input and output,
# SkipSimplifiedLayerNormalization without a bias, SimplifiedLayerNormalization
# in both domains, and BERT's EmbedLayerNormalization
nodes = [msnode("SkipLayerNormalization", ["x", "skip", "gamma", "beta", "bias"],
                ["sln", "mean", "inv_std", "sum"], "sln", epsilon=1e-5),
         msnode("SkipSimplifiedLayerNormalization", ["sln", "skip", "gamma"],
                ["ssln", "", "", "sum2"], "ssln"),
         msnode("SimplifiedLayerNormalization", ["ssln", "gamma"], ["rms"], "rms_ms", axis=-1),
         helper.make_node("SimplifiedLayerNormalization", ["rms", "gamma"], ["rms2", "inv_rms"],
                          name="rms_onnx", axis=-1),
         msnode("EmbedLayerNormalization", ["ids", "segs", "word", "pos", "seg", "gamma", "beta",
                                            "ids_mask"],
                ["emb", "mask_index"], "embed")]
save(msmodel(nodes, [vi("x", [2, 8, 32]), vi("skip", [2, 8, 32]), vi("ids", [2, 8], i32),
                     vi("segs", [2, 8], i32), vi("ids_mask", [2, 8], i32)],
             [vi("mean", None), vi("inv_std", None), vi("sum", None), vi("sum2", None),
              vi("rms2", None), vi("inv_rms", None), vi("emb", None), vi("mask_index", None)],
             [external(n, [32]) for n in ("gamma", "beta", "bias")] +
             [external("word", [100, 32]), external("pos", [64, 32]), external("seg", [2, 32])]),
     "contrib-norm.onnx")

# Element-wise contrib ops on [2,4,32], and RotaryEmbedding on [2,4,32] (2 heads
# of 16, 8 of each rotated) and on [2,2,4,16] (all rotated)
nodes = [msnode("BiasGelu", ["x", "bias"], ["bg"], "biasgelu"),
         msnode("FastGelu", ["bg", "bias"], ["fg"], "fastgelu_bias"),
         msnode("FastGelu", ["fg"], ["fg2"], "fastgelu"),
         msnode("Gelu", ["fg2"], ["ge"], "gelu"),
         msnode("QuickGelu", ["ge"], ["qg"], "quickgelu", alpha=1.702),
         msnode("BiasAdd", ["qg", "bias", "x"], ["ba"], "biasadd"),
         msnode("RotaryEmbedding", ["ba", "pos_ids", "cos", "sin"], ["rot"], "rotary3d",
                num_heads=2, rotary_embedding_dim=8),
         msnode("RotaryEmbedding", ["x4", "pos_ids", "cos", "sin"], ["rot4"], "rotary4d")]
save(msmodel(nodes, [vi("x", [2, 4, 32]), vi("x4", [2, 2, 4, 16]),
                     vi("pos_ids", [2, 4], TensorProto.INT64)],
             [vi("rot", None), vi("rot4", None)],
             [external("bias", [32]), external("cos", [16, 8]), external("sin", [16, 8])]),
     "contrib-elem.onnx")

# MatMulNBits as an int4 LLM layer: K = N = 4096 in blocks of 32, 8 tokens; and
# a small one with a bias and no zero points
u8 = TensorProto.UINT8
nodes = [msnode("MatMulNBits", ["a", "B", "scales", "zp"], ["y"], "nbits", K=4096, N=4096, bits=4,
                block_size=32)]
save(msmodel(nodes, [vi("a", [1, 8, 4096])], [vi("y", None)],
             [external("B", [4096, 128, 16], u8), external("scales", [4096, 128]),
              external("zp", [4096, 64], u8)]), "contrib-nbits.onnx")

# Quantized ops: dynamic quantization feeding MatMulIntegerToFloat,
# DynamicQuantizeMatMul, FusedMatMul (also as onnxruntime fuses attention's
# transposes: [S,N,h] operands, transBatch), MatMulInteger and QLinearMatMul on int8
# weights, the QLinear element-wise ops, pools and concat on uint8 [1,8,4,4],
# Quantize/DequantizeLinear of com.microsoft, a blocked int4 DequantizeLinear,
# and the small MatMulNBits
i8 = TensorProto.INT8
s_, z_ = ["s", "zp"], ["s", "zp"]
nodes = [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"], name="dql"),
         msnode("MatMulIntegerToFloat", ["xq", "W", "xs", "ws", "xz", "wz", "wb"], ["mi2f"], "mi2f"),
         msnode("DynamicQuantizeMatMul", ["x", "W2", "ws"], ["dqmm"], "dqmm"),
         msnode("FusedMatMul", ["x", "bt"], ["fmm"], "fmm", transB=1, alpha=0.125),
         msnode("FusedMatMul", ["tq", "tk"], ["scores"], "fmm_qk", transA=0, transB=1, transBatchA=1,
                transBatchB=1, alpha=0.5),
         helper.make_node("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
         msnode("FusedMatMul", ["probs", "tv"], ["ctx"], "fmm_av", transBatchB=1),
         helper.make_node("MatMulInteger", ["xq", "W"], ["mmi"], name="mmi"),
         helper.make_node("QLinearMatMul", ["xq", "xs", "xz", "W", "s", "wz1", "s", "zp"], ["qmm"],
                          name="qmm"),
         msnode("QLinearAdd", ["img"] + s_ + ["chan"] + s_ + s_, ["qa"], "qadd"),
         msnode("QLinearMul", ["qa"] + s_ + ["img"] + s_ + s_, ["qm"], "qmul"),
         msnode("QLinearSigmoid", ["qm"] + s_ + s_, ["qs"], "qsigmoid"),
         msnode("QLinearLeakyRelu", ["qs"] + s_ + s_, ["ql"], "qleaky", alpha=0.1),
         msnode("QLinearGlobalAveragePool", ["ql"] + s_ + s_, ["qp"], "qgap"),
         msnode("QLinearGlobalAveragePool", ["nhwc"] + s_ + s_, ["qp2"], "qgap_nhwc",
                channels_last=1),
         msnode("QLinearConcat", ["s", "zp", "ql", "s", "zp", "img", "s", "zp"], ["qc"], "qconcat",
                axis=1),
         msnode("DequantizeLinear", ["qp", "s", "zp"], ["dq"], "dq_ms"),
         msnode("QuantizeLinear", ["x", "s", "zp"], ["q"], "q_ms"),
         helper.make_node("DequantizeLinear", ["w4", "w4s"], ["w4f"], name="dq_int4", axis=1,
                          block_size=16),
         msnode("MatMulNBits", ["a", "B", "scales", "", "", "nb"], ["nbo"], "nbits_bias", K=64, N=16,
                bits=4, block_size=16)]
save(msmodel(nodes, [vi("x", [4, 64]), vi("bt", [32, 64]), vi("img", [1, 8, 4, 4], u8),
                     vi("chan", [8, 1, 1], u8), vi("nhwc", [1, 4, 4, 8], u8), vi("w4", [64, 32], 22),
                     vi("w4s", [64, 2]), vi("a", [3, 64]), vi("tq", [8, 2, 4]), vi("tk", [8, 2, 4]),
                     vi("tv", [8, 2, 4])],
             [vi(n, None) for n in ("mi2f", "dqmm", "fmm", "mmi", "qmm", "qp2", "qc", "dq", "q",
                                    "w4f", "nbo", "ctx")],
             [external("W", [64, 32], i8), external("W2", [64, 32], i8), external("ws", [32]),
              external("wz", [32], i8), external("wb", [32]), scalar("wz1", 0, np.int8),
              scalar("s", 0.05, np.float32), scalar("zp", 128, np.uint8),
              external("B", [16, 4, 8], u8), external("scales", [16, 4]), external("nb", [16])]),
     "contrib-quant.onnx")

# A contrib op gp does not know: reported, never counted as zero
nodes = [msnode("NoSuchOp", ["x"], ["t"], "mystery"), helper.make_node("Relu", ["t"], ["y"], name="relu")]
save(msmodel(nodes, [vi("x", [4, 4])], [vi("y", [4, 4])]), "contrib-unknown.onnx")
