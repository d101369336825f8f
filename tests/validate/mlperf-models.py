#!/usr/bin/python3
"""mlperf-models.py - the MLPerf Inference models' graphs, for gp's predictions.

Writes, into the directory given (default build/validate/mlperf):

- resnet50.onnx: ResNet-50 v1.5 (the MLPerf Inference image classifier:
  the stride-2 3x3 convolution in each downsampling bottleneck, as
  torchvision's resnet50), input f32[1,3,224,224], BatchNorm folded into
  the convolutions (as TensorRT builds it), 1000 classes. 4.089 G MACs,
  torchvision's published figure.
- retinanet.onnx: RetinaNet (the MLPerf Inference object detector since
  v2.1) as NVIDIA's TensorRT engine runs it (inference_results_v3.0,
  closed/NVIDIA/code/retinanet/tensorrt/: Retinanet.py,
  retinanet_graphsurgeon.py): a ResNeXt-50 32x4d backbone, an FPN of 256
  channels over P3-P7 (P6 and P7 from P5 by stride-2 convolutions, as
  torchvision's LastLevelP6P7), and the two heads torchvision's RetinaNet
  shares across the levels (four 3x3 convolutions of 256 and a last one to 9
  anchors x 264 OpenImages classes, or x 4 box deltas), BatchNorm folded.
  In int8 (the engine's precision, its calibration cache covering every
  tensor): input int8[1,3,800,800] (input_dtype int8, linear; NVIDIA's
  preprocess_data.py resizes every image to 800x800), every convolution a
  QLinearConv, the residual adds, ReLUs, pool and upsampling on int8
  tensors. Each level's last head convolution writes fp32 (DequantizeLinear):
  the NMS_OPT_TRT plugin the engine ends in takes fp32 NCHW tensors, one per
  level (code/plugin/NMSOptPlugin/src/nmsPluginOpt.cpp), so there is no
  torchvision reshape, transpose or concatenation of the heads. The plugin's
  work that does not depend on the image follows: each level's class scores
  transposed in fp32 into one [anchors, classes] array (its top-k step's
  batched_transpose_pf_kernel, one launch a level, before its segmented
  sort: every score read and written), then every score read once more by a
  kernel parallel over them (its fused transpose-sigmoid-threshold kernel,
  which writes only the scores above the threshold; here a TopK of the best
  of each position's 9 x 264 scores, one thread a position), the image's
  best 1000 of those, and their boxes gathered. Which scores pass the
  threshold, the segmented sort and the suppression of them depend on the
  scores, and are left out. The outputs are the engine's size (1000
  detections), not the heads' 120,087 anchors x 268 values.
- ssd-resnet34.onnx: SSD-ResNet34 (SSD-Large, the MLPerf Inference object
  detector until v2.0) as NVIDIA's TensorRT engine runs it
  (inference_results_v1.1, closed/NVIDIA/code/ssd-resnet34/tensorrt/
  SSDResNet34.py; the reference: mlcommons/inference,
  vision/classification_and_detection/python/models/ssd_r34.py and
  base_model_r34.py): torchvision's ResNet-34 through layer3, layer3's
  first block at stride 1 (256 x 150 x 150 from 1200 x 1200); five extra
  blocks of a 1x1 and a 3x3 convolution, each with a bias and a ReLU
  (256 -> 256 -> 512, 512 -> 256 -> 512, 512 -> 128 -> 256 at stride 2 with
  padding 1; 256 -> 128 -> 256 at stride 2 and 128 -> 256 at stride 1, no
  padding: 75, 38, 19, 9 and 7 square); on each of the six maps (150 and
  those five) one 3x3 convolution at stride 3, padding 1 (the reference's
  loc and conf heads both take strides[0] and strides[1], 3 and 3), which
  NVIDIA's engine merges into one of 4 x 85 or 6 x 85 outputs (4 box
  values and 81 class scores per default box; add_conv_merge), maps of 50,
  25, 13, 7, 3 and 3: 15,130 boxes. In int8 as the engine builds it (input
  int8[1,3,1200,1200], linear; preprocess_data.py), each merged head
  writing fp32 NCHW for the NMS_OPT_TRT plugin (confSoftmax 1, 81 classes,
  keepTopK 200). The plugin's work that does not depend on the image, as
  for RetinaNet: each level transposed into one [boxes, 85] array (every
  value read and written), a softmax over each box's values (the 81
  scores; the 4 box values ride along, 5% more), every score read once
  more (the best per box), the best 200 kept and their boxes gathered.
- ssd-mobilenet.onnx: SSD-MobileNet (SSD-Small, the MLPerf Inference edge
  detector until v2.0) as NVIDIA's TensorRT engine runs it
  (inference_results_v1.1, closed/NVIDIA/code/ssd-mobilenet/tensorrt/
  SSDMobileNet.py, from TensorFlow's ssd_mobilenet_v1_coco; the reference:
  mlcommons/inference, vision/classification_and_detection/python/models/
  ssd_mobilenet_v1.py): MobileNet-V1 at 300 x 300 with TensorFlow's SAME
  padding (a 3x3 convolution 3 -> 32 at stride 2, 13 blocks of a depthwise
  3x3 and a pointwise 1x1), the maps of blocks 11 and 13 (512 x 19 x 19,
  1024 x 10 x 10), four extra blocks of a 1x1 and a 3x3 at stride 2 (1024
  -> 256 -> 512, 512 -> 128 -> 256, 256 -> 128 -> 256, 256 -> 64 -> 128: 5, 3,
  2 and 1 square); on each of the six maps the box and class 1x1
  convolutions merged into one (mergeLocConfConv) of 3 or 6 anchors x (4 +
  91) outputs: 1,917 boxes (the engine's prior box constant, 2 x 7,668).
  1,237,129,408 MACs. In int8 (input int8[1,3,300,300]), each merged head
  writing fp32 NCHW for the NMS_OPT_TRT plugin (confSigmoid 1, 91 classes,
  keepTopK 100). The plugin's work that does not depend on the image, as
  for SSD-ResNet34 but with no softmax (its sigmoid is in its threshold
  kernel, as RetinaNet's): each level transposed into one [boxes, 95] array,
  every score read once more (the best per box), the best 100 kept and
  their boxes gathered.
- bert-large.onnx: BERT-Large (the MLPerf Inference SQuAD model): 24
  layers of width 1024, 16 heads of 64, feed-forward 4096, vocabulary
  30522, input_ids i64[batch,seq], the SQuAD span head (2 logits per token).
  LayerNormalization and Gelu ops (opset 20), so that gp-partition --fuse
  sees what TensorRT's fused kernels compute.

Built with python3-onnx's helper (no torch needed); every weight is an
external tensor whose file is never written, so the files are small and
gp counts their parameters from the dims (onnx.checker would look for
the absent file; gp-load and gp-shape check the graphs instead). Nothing is
downloaded.

    /usr/bin/python3 tests/validate/mlperf-models.py [DIR]
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, base):
        self.n += 1
        return "%s_%d" % (base, self.n)

    def weight(self, base, dims, dtype=TensorProto.FLOAT):
        t = onnx.TensorProto()
        t.name, t.data_type = self.name(base), dtype
        t.dims.extend(dims)
        t.data_location = TensorProto.EXTERNAL
        e = t.external_data.add()
        e.key, e.value = "location", "absent.weights"
        self.inits.append(t)
        return t.name

    def const(self, base, values):
        t = helper.make_tensor(self.name(base), TensorProto.INT64, [len(values)], values)
        self.inits.append(t)
        return t.name

    def op(self, op, inputs, base=None, **attrs):
        out = self.name(base or op)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def qconv(self, x, cin, cout, k, stride=1, relu=True, groups=1, w=None, b=None,
              out_f32=False, pad=None):
        # an int8 convolution (QLinearConv: int8 input, weights and output, int32 bias), as
        # TensorRT builds it from the calibration cache; out_f32: its output dequantized to
        # fp32, as the NMS plugin takes it. One quantization (scale, zero point) for every
        # int8 tensor, made at the first: gp counts bytes, not values
        if not hasattr(self, "qs"):
            self.qs, self.qz = self.scalar("scale", TensorProto.FLOAT, 0.05), \
                self.scalar("zero", TensorProto.INT8, 0)
        qs, qz = self.qs, self.qz
        w = w or self.weight("w", [cout, cin // groups, k, k], TensorProto.INT8)
        b = b or self.weight("b", [cout], TensorProto.INT32)
        # pad: k // 2 on every side by default; "same": TensorFlow's SAME (SAME_UPPER: the
        # output ceil(in / stride), the odd pixel of padding after)
        p = k // 2 if pad is None else pad
        padding = {"auto_pad": "SAME_UPPER"} if p == "same" else {"pads": [p, p, p, p]}
        y = self.op("QLinearConv", [x, qs, qz, w, qs, qz, qs, qz, b], "conv", kernel_shape=[k, k],
                    strides=[stride, stride], group=groups, **padding)
        if out_f32:
            return self.op("DequantizeLinear", [y, qs, qz])
        return self.op("Relu", [y]) if relu else y

    def scalar(self, base, dtype, value):
        t = helper.make_tensor(self.name(base), dtype, [], [value])
        self.inits.append(t)
        return t.name


def resnet50():
    g = Graph()

    def conv(x, cin, cout, k, stride=1, relu=True):
        w = g.weight("w", [cout, cin, k, k])
        b = g.weight("b", [cout])
        p = k // 2
        y = g.op("Conv", [x, w, b], "conv", kernel_shape=[k, k], strides=[stride, stride],
                 pads=[p, p, p, p])
        return g.op("Relu", [y]) if relu else y

    x = conv("input", 3, 64, 7, 2)
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for width, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for i in range(blocks):
            s = stride if i == 0 else 1
            y = conv(x, cin, width, 1)
            y = conv(y, width, width, 3, s)          # v1.5: the stride is in the 3x3
            y = conv(y, width, width * 4, 1, relu=False)
            short = conv(x, cin, width * 4, 1, s, relu=False) if i == 0 else x
            x = g.op("Relu", [g.op("Add", [y, short])])
            cin = width * 4
    x = g.op("GlobalAveragePool", [x])
    x = g.op("Flatten", [x], axis=1)
    x = g.op("Gemm", [x, g.weight("fc_w", [1000, 2048]), g.weight("fc_b", [1000])], "fc", transB=1)
    g.nodes[-1].output[0] = "output"
    graph = helper.make_graph(
        g.nodes, "resnet50_v1.5",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1000])], g.inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             producer_name="mlperf-models.py")


def detector(g, name, side, keep):
    # a detector's model: int8 image input [1,3,side,side], its best `keep` scores, their
    # labels and boxes out
    graph = helper.make_graph(
        g.nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.INT8, [1, 3, side, side])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, keep]),
         helper.make_tensor_value_info("labels", TensorProto.INT64, [1, keep]),
         helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, keep])],
        g.inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             producer_name="mlperf-models.py")


def best_boxes(g, scores, allb, values, keep):
    # an SSD's NMS plugin, what does not depend on the image: every score of [1, boxes, values]
    # read once more (the best per box), the best `keep` kept (outputs scores and labels), and
    # their boxes gathered from allb, flattened (values in all) into the output boxes
    t = g.name("TopK")
    g.nodes.append(helper.make_node("TopK", [scores, g.const("k", [1])], [t, t + "_i"], name=t,
                                    axis=2))
    flat = g.const("flat", [0, -1])
    cand = g.op("Reshape", [t, flat])
    t = g.name("TopK")
    g.nodes.append(helper.make_node("TopK", [cand, g.const("k", [keep])], ["scores", "labels"],
                                    name=t, axis=-1))
    pick = g.op("Mod", ["labels", g.const("nbox", [values])])
    g.nodes.append(helper.make_node("GatherElements", [g.op("Reshape", [allb, flat]), pick],
                                    ["boxes"], name="boxes", axis=1))


def retinanet():
    A, C = 9, 264
    g = Graph()
    i8 = TensorProto.INT8

    conv = g.qconv

    # ResNeXt-50 32x4d: bottleneck width 2 x planes in 32 groups, the stride in the 3x3
    x = conv("input", 3, 64, 7, 2)
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin, feats = 64, []
    for planes, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        width = planes * 2
        for i in range(blocks):
            s = stride if i == 0 else 1
            y = conv(x, cin, width, 1)
            y = conv(y, width, width, 3, s, groups=32)
            y = conv(y, width, planes * 4, 1, relu=False)
            short = conv(x, cin, planes * 4, 1, s, relu=False) if i == 0 else x
            x = g.op("Relu", [g.op("Add", [y, short])])
            cin = planes * 4
        feats.append((x, cin))
    # FPN over C3-C5, top-down with nearest 2x upsampling; P6, P7 from P5
    inner = [conv(f, c, 256, 1, relu=False) for f, c in feats[1:]]
    scales = g.name("scales")
    g.inits.append(helper.make_tensor(scales, TensorProto.FLOAT, [4], [1, 1, 2, 2]))
    lat = inner[2]
    outs = [conv(lat, 256, 256, 3, relu=False)]
    for j in (1, 0):
        up = g.op("Resize", [lat, "", scales], mode="nearest")
        lat = g.op("Add", [inner[j], up])
        outs.insert(0, conv(lat, 256, 256, 3, relu=False))
    p6 = conv(outs[2], 256, 256, 3, 2, relu=False)
    p7 = conv(g.op("Relu", [p6]), 256, 256, 3, 2, relu=False)
    levels = outs + [p6, p7]
    # the two heads, their weights shared by the five levels; each level's last convolution
    # writes fp32 (the NMS plugin takes fp32 NCHW: nmsPluginOpt.cpp)
    heads = []
    for n_out in (A * C, A * 4):
        tower = [(g.weight("w", [256, 256, 3, 3], i8), g.weight("b", [256], TensorProto.INT32))
                 for _ in range(4)]
        last = (g.weight("w", [n_out, 256, 3, 3], i8), g.weight("b", [n_out], TensorProto.INT32))
        heads.append((tower, last))
    flat = g.const("flat", [0, -1])
    per_level = []
    for head, (tower, last) in enumerate(heads):
        parts = []
        for p in levels:
            y = p
            for w, b in tower:
                y = conv(y, 256, 256, 3, w=w, b=b)
            y = conv(y, 256, 0, 3, w=last[0], b=last[1], out_f32=True)
            # the class scores as they are, the box deltas flattened for the gather
            parts.append(y if head == 0 else g.op("Reshape", [y, flat]))
        per_level.append(parts)
    # NMS_OPT_TRT's work that does not depend on the image: each level's class scores
    # transposed, fp32, into one [anchors, classes] array (its top-k step's
    # batched_transpose_pf_kernel, one launch a level: every score read and written), then
    # every score read once more by a kernel parallel over them (its fused
    # transpose-sigmoid-threshold kernel, which writes only the scores above the threshold;
    # here the best of each position's 9 x 264 scores), the image's best 1000 of those kept,
    # and their boxes gathered. Which scores pass the threshold, and the segmented sort and
    # suppression of them, depend on the scores, and are left out.
    rows = g.const("rows", [0, -1, A * C])
    best = []
    for y in per_level[0]:
        t = g.name("TopK")
        y = g.op("Transpose", [y], perm=[0, 2, 3, 1])
        g.nodes.append(helper.make_node("TopK", [g.op("Reshape", [y, rows]), g.const("k", [1])],
                                        [t, t + "_i"], name=t, axis=2))
        best.append(t)
    cand = g.op("Reshape", [g.op("Concat", best, axis=1), flat])
    t = g.name("TopK")
    g.nodes.append(helper.make_node("TopK", [cand, g.const("k", [1000])], ["scores", "labels"],
                                    name=t, axis=-1))
    boxes = g.op("Concat", per_level[1], axis=1)
    nbox = g.const("nbox", [120087 * 4])
    pick = g.op("Mod", ["labels", nbox])
    g.nodes.append(helper.make_node("GatherElements", [boxes, pick], ["boxes"], name="boxes", axis=1))
    return detector(g, "retinanet_resnext50_32x4d_fpn_int8", 800, 1000)


def ssd_resnet34():
    g = Graph()
    conv = g.qconv

    # ResNet-34 through layer3: basic blocks, layer3's first at stride 1
    x = conv("input", 3, 64, 7, 2)
    x = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for width, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 1)):
        for i in range(blocks):
            s = stride if i == 0 else 1
            y = conv(conv(x, cin, width, 3, s), width, width, 3, relu=False)
            short = conv(x, cin, width, 1, s, relu=False) if cin != width or s != 1 else x
            x = g.op("Relu", [g.op("Add", [y, short])])
            cin = width
    feats = [(x, 256)]
    for mid, out, stride, pad in ((256, 512, 2, 1), (256, 512, 2, 1), (128, 256, 2, 1),
                                  (128, 256, 2, 0), (128, 256, 1, 0)):
        x = conv(conv(x, cin, mid, 1), mid, out, 3, stride, pad=pad)
        feats.append((x, out))
        cin = out
    # the merged heads, stride 3, fp32 for the plugin; each level transposed into [boxes, 85]
    rows = g.const("rows", [0, -1, 85])
    levels = []
    for (f, c), nd in zip(feats, (4, 6, 6, 6, 4, 4)):
        y = conv(f, c, nd * 85, 3, 3, out_f32=True)
        levels.append(g.op("Reshape", [g.op("Transpose", [y], perm=[0, 2, 3, 1]), rows]))
    allb = g.op("Concat", levels, axis=1)
    best_boxes(g, g.op("Softmax", [allb], axis=-1), allb, 15130 * 85, 200)
    return detector(g, "ssd_resnet34_1200_int8", 1200, 200)


def ssd_mobilenet():
    g = Graph()
    conv = g.qconv

    # MobileNet-V1 at 300 x 300, TensorFlow's SAME padding: a 3x3 convolution 3 -> 32 at
    # stride 2, then 13 blocks of a depthwise 3x3 and a pointwise 1x1; the maps of block 11
    # (512 x 19 x 19) and block 13 (1024 x 10 x 10) feed the heads. Each ReLU6 is a Relu here:
    # TensorRT fuses either into its convolution
    x = conv("input", 3, 32, 3, 2, pad="same")
    cin, feats = 32, []
    for i, (cout, s) in enumerate(((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
                                   (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2),
                                   (1024, 1)), 1):
        x = conv(conv(x, cin, cin, 3, s, groups=cin, pad="same"), cin, cout, 1)
        cin = cout
        if i in (11, 13):
            feats.append((x, cin))
    # four extra blocks of a 1x1 and a 3x3 at stride 2 (5, 3, 2 and 1 square)
    for mid, out in ((256, 512), (128, 256), (128, 256), (64, 128)):
        x = conv(conv(x, cin, mid, 1), mid, out, 3, 2, pad="same")
        feats.append((x, out))
        cin = out
    # each level's box and class 1x1 convolutions merged into one (mergeLocConfConv) of
    # anchors x (4 + 91) outputs, fp32 for the plugin; each level transposed into [boxes, 95]
    rows = g.const("rows", [0, -1, 95])
    levels = []
    for (f, c), anchors in zip(feats, (3, 6, 6, 6, 6, 6)):
        y = conv(f, c, anchors * 95, 1, out_f32=True)
        levels.append(g.op("Reshape", [g.op("Transpose", [y], perm=[0, 2, 3, 1]), rows]))
    allb = g.op("Concat", levels, axis=1)
    # the plugin's sigmoid is in its threshold kernel: the scores as the heads wrote them
    best_boxes(g, allb, allb, 1917 * 95, 100)
    return detector(g, "ssd_mobilenet_v1_300_int8", 300, 100)


def bert_large():
    L, D, H, FF, V = 24, 1024, 16, 4096, 30522
    g = Graph()
    ids = "input_ids"
    x = g.op("Gather", [g.weight("tok_emb", [V, D]), ids], "tok", axis=0)
    x = g.op("Add", [x, g.weight("pos_emb", [1, 1, D])])
    x = g.op("LayerNormalization", [x, g.weight("ln_g", [D]), g.weight("ln_b", [D])], axis=-1)
    heads = g.const("heads", [0, 0, H, D // H])
    merged = g.const("merged", [0, 0, D])
    for _ in range(L):
        def proj(inp, n_in, n_out):
            y = g.op("MatMul", [inp, g.weight("w", [n_in, n_out])])
            return g.op("Add", [y, g.weight("b", [n_out])])

        def split(t, perm):
            return g.op("Transpose", [g.op("Reshape", [t, heads])], perm=perm)

        q = split(proj(x, D, D), [0, 2, 1, 3])
        k = split(proj(x, D, D), [0, 2, 3, 1])
        v = split(proj(x, D, D), [0, 2, 1, 3])
        s = g.op("MatMul", [q, k])
        s = g.op("Mul", [s, g.weight("scale", [1])])
        p = g.op("Softmax", [s], axis=-1)
        c = g.op("MatMul", [p, v])
        c = g.op("Reshape", [g.op("Transpose", [c], perm=[0, 2, 1, 3]), merged])
        x = g.op("LayerNormalization", [g.op("Add", [proj(c, D, D), x]), g.weight("ln_g", [D]),
                                        g.weight("ln_b", [D])], axis=-1)
        f = g.op("Gelu", [proj(x, D, FF)])
        x = g.op("LayerNormalization", [g.op("Add", [proj(f, FF, D), x]), g.weight("ln_g", [D]),
                                        g.weight("ln_b", [D])], axis=-1)
    y = g.op("MatMul", [x, g.weight("squad_w", [D, 2])])
    y = g.op("Add", [y, g.weight("squad_b", [2])])
    g.nodes[-1].output[0] = "logits"
    graph = helper.make_graph(
        g.nodes, "bert_large",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", 2])], g.inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)],
                             producer_name="mlperf-models.py")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/validate/mlperf"
    os.makedirs(out, exist_ok=True)
    for name, make in (("resnet50", resnet50), ("retinanet", retinanet), ("ssd-resnet34", ssd_resnet34),
                       ("ssd-mobilenet", ssd_mobilenet),
                       ("bert-large", bert_large)):
        m = make()
        m.ir_version = 8
        path = os.path.join(out, name + ".onnx")
        onnx.save(m, path)
        print("%s: %d nodes, %d weights" % (path, len(m.graph.node), len(m.graph.initializer)),
              file=sys.stderr)


if __name__ == "__main__":
    main()
