#!/usr/bin/python3
"""stripweights.py - make a model small enough to commit as a gp fixture, keeping what gp reads.

ONNX: every initializer and every Constant tensor (subgraphs included) of
more than STRIP_THRESHOLD elements becomes external data in a file that is
never written: dims and dtypes stay, the values go, so shapes, parameter
counts, memory and FLOPs can be worked out but the weights cannot.

TFLite: a file of more than 1 MiB has the bytes of every buffer over 4 KiB
zeroed, its size kept, so that the file compresses and every shape, dtype and
byte count stays; gp's ##graph_sha256 leaves those buffers out, so it is the
same as the original's.

export-zoo.py and fetch-npm.py import it; fetch-tflite.sh runs it:

    /usr/bin/python3 data/stripweights.py onnx SRC DST     # weight-strip SRC into DST
    /usr/bin/python3 data/stripweights.py tflite SRC DST   # zero SRC's large buffers into DST

Needs Debian's python3-onnx.
"""

import os
import struct
import sys

import onnx
from onnx import TensorProto

STRIP_THRESHOLD = 64  # tensors with more elements than this are stripped
EXTERNAL_ALIGN = 64  # byte alignment of the (fictitious) external offsets
TFLITE_MIN_FILE = 1 << 20  # a TFLite file this large or smaller is kept as it is
TFLITE_MIN_BUFFER = 4096  # the buffers of more bytes than this are zeroed

# bytes per element of each data type a stripped tensor may have
ELEM_SIZE = {
    TensorProto.FLOAT: 4, TensorProto.UINT8: 1, TensorProto.INT8: 1,
    TensorProto.UINT16: 2, TensorProto.INT16: 2, TensorProto.INT32: 4,
    TensorProto.INT64: 8, TensorProto.BOOL: 1, TensorProto.FLOAT16: 2,
    TensorProto.DOUBLE: 8, TensorProto.UINT32: 4, TensorProto.UINT64: 8,
    TensorProto.COMPLEX64: 8, TensorProto.COMPLEX128: 16,
    TensorProto.BFLOAT16: 2,
}
DATA_FIELDS = ("raw_data", "float_data", "int32_data", "string_data",
               "int64_data", "double_data", "uint64_data")


def iter_graphs(graph):
    """graph and every subgraph in it (If, Loop, Scan bodies), depth first."""
    yield graph
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from iter_graphs(attr.g)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for g in attr.graphs:
                    yield from iter_graphs(g)


def iter_weight_tensors(graph):
    """Initializers and Constant-node tensor attributes, subgraphs included."""
    for g in iter_graphs(graph):
        yield from g.initializer
        for node in g.node:
            if node.op_type != "Constant" or node.domain not in ("", "ai.onnx"):
                continue
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.TENSOR:
                    yield attr.t
                elif attr.type == onnx.AttributeProto.TENSORS:
                    yield from attr.tensors


def numel(t):
    n = 1
    for d in t.dims:
        n *= d
    return n


def strip(model, location):
    """Turn every tensor of model with more than STRIP_THRESHOLD elements into
    an external-data reference to location (never written), at offsets
    aligned to EXTERNAL_ALIGN. Returns (tensors stripped, bytes they take);
    raises RuntimeError on a tensor whose element size is not known."""
    offset = count = 0
    for t in iter_weight_tensors(model.graph):
        n = numel(t)
        if n <= STRIP_THRESHOLD:
            continue
        if t.data_type not in ELEM_SIZE:
            raise RuntimeError("cannot strip tensor %r of data_type %d" % (t.name, t.data_type))
        length = n * ELEM_SIZE[t.data_type]
        for f in DATA_FIELDS:
            t.ClearField(f)
        del t.external_data[:]
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", location), ("offset", str(offset)), ("length", str(length))):
            e = t.external_data.add()
            e.key, e.value = k, v
        offset += (length + EXTERNAL_ALIGN - 1) // EXTERNAL_ALIGN * EXTERNAL_ALIGN
        count += 1
    return count, offset


def has_external(model):
    """Whether a weight tensor of model refers to external data."""
    return any(t.data_location == TensorProto.EXTERNAL
               for t in iter_weight_tensors(model.graph))


def write_bytes(path, data):
    """data into path, whole or not at all (through path.tmp)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def save(model, path):
    """Serialise model into path as it is: onnx.save would handle external data."""
    data = model.SerializeToString(deterministic=True)
    write_bytes(path, data)
    return len(data)


def zero_tflite(b):
    """Zero, in the TFLite model b (a bytearray), the data of every buffer of
    more than TFLITE_MIN_BUFFER bytes if b is over TFLITE_MIN_FILE bytes.
    Returns how many bytes it zeroed; raises ValueError if b is not TFLite."""
    if b[4:8] != b"TFL3":
        raise ValueError("not a TFLite model")

    def u32(p):
        return struct.unpack_from("<I", b, p)[0]

    def table(p):
        vt = p - struct.unpack_from("<i", b, p)[0]
        return p, vt, struct.unpack_from("<H", b, vt)[0]

    def field(t, i):
        p, vt, vl = t
        if 4 + 2 * i + 2 > vl:
            return None
        o = struct.unpack_from("<H", b, vt + 4 + 2 * i)[0]
        return p + o if o else None

    def ref(p):
        return p + u32(p)

    zeroed = 0
    if len(b) <= TFLITE_MIN_FILE:
        return 0
    f = field(table(u32(0)), 4)                 # Model.buffers
    if f is None:
        return 0
    v = ref(f)
    for k in range(u32(v)):
        d = field(table(ref(v + 4 + 4 * k)), 0)     # Buffer.data
        if d is None:
            continue
        d = ref(d)
        n = u32(d)
        if n > TFLITE_MIN_BUFFER:
            b[d + 4:d + 4 + n] = bytes(n)
            zeroed += n
    return zeroed


def main(argv):
    if len(argv) != 4 or argv[1] not in ("onnx", "tflite"):
        sys.exit("usage: stripweights.py onnx|tflite SRC DST")
    kind, src, dst = argv[1:]
    if kind == "tflite":
        with open(src, "rb") as f:
            b = bytearray(f.read())
        try:
            zeroed = zero_tflite(b)
        except ValueError as e:
            sys.exit("%s: %s" % (src, e))
        write_bytes(dst, b)
        print("%s: %d bytes, %d zeroed" % (dst, len(b), zeroed))
    else:
        m = onnx.load(src)
        stripped, nbytes = strip(m, os.path.basename(dst)[:-len(".onnx")] + ".weights")
        save(m, dst)
        print("%s: %d tensors stripped (%d bytes)" % (dst, stripped, nbytes))


if __name__ == "__main__":
    main(sys.argv)
