#!/usr/bin/python3
"""make-tflite.py DIR [--big] - write small TFLite models for gp's tests into DIR.

A minimal FlatBuffers writer (no flatbuffers package is needed): objects are
laid out forward, each table's vtable right before it and its children after
it, so every offset is positive as the format wants. Field ids are those of
TensorFlow's schema.fbs, as lib/tflite.c lists them.

  int8.tflite     a fully int8-quantized CNN: CONV_2D (per-channel weights,
                  RELU6) -> DEPTHWISE_CONV_2D -> AVERAGE_POOL_2D -> RESHAPE ->
                  FULLY_CONNECTED -> SOFTMAX; int8 input and output, int32
                  biases; metadata and a signature def. MACs by hand: 8x8x8
                  outputs x 27 + 6x6x8 x 9 + 4 x 8 = 16448.
  dynamic.tflite  the batch dim dynamic (shape_signature -1), an unknown
                  custom op "MysteryOp" after a CONV_2D.
  sharedvec.tflite  hostile: 4000 operators sharing one inputs vector of
                  4000 entries (16 M references from a 100 kB file).
  optional.tflite a FULLY_CONNECTED without its bias (input -1 last) and a
                  custom op with an absent input between two others.
  cycle.tflite    hostile: two operators that read each other's output.
  badbuffer.tflite  hostile: a tensor naming a buffer that does not exist.
  version2.tflite   hostile: schema version 2.
  big.tflite      (--big only) a FULLY_CONNECTED with a 1 GiB weight, stored
                  after the FlatBuffer (Buffer.offset and size, as converters
                  write models over 2 GB); a sparse file, no disk used.
"""
import os
import struct
import sys


class Table:
    def __init__(self, *fields):
        # fields: (id, kind, value); kind: b/B byte, h short, i int, I uint,
        # q long, f float, o an object (Table, Vec, Str)
        self.fields = [f for f in fields if f is not None]


class Vec:
    def __init__(self, fmt, items):
        self.fmt, self.items = fmt, list(items)   # fmt: struct code, or 'o' for objects


class Str:
    def __init__(self, s):
        self.s = s.encode() if isinstance(s, str) else s


class Writer:
    def __init__(self):
        self.b = bytearray()
        self.done = {}          # id(obj) -> position: a shared object is written once

    def align(self, n):
        while len(self.b) % n:
            self.b.append(0)

    def put(self, obj):
        if id(obj) in self.done:
            return self.done[id(obj)]
        if isinstance(obj, Str):
            self.align(4)
            p = len(self.b)
            self.b += struct.pack("<I", len(obj.s)) + obj.s + b"\0"
        elif isinstance(obj, Vec):
            size = 4 if obj.fmt == "o" else struct.calcsize("<" + obj.fmt)
            self.align(max(4, size))
            p = len(self.b)
            self.b += struct.pack("<I", len(obj.items))
            if obj.fmt == "o":
                slots = len(self.b)
                self.b += bytes(4 * len(obj.items))
                for k, it in enumerate(obj.items):
                    at = self.put(it)
                    struct.pack_into("<I", self.b, slots + 4 * k, at - (slots + 4 * k))
            else:
                for it in obj.items:
                    self.b += struct.pack("<" + obj.fmt, it)
        else:
            p = self.table(obj)
        self.done[id(obj)] = p
        return p

    def table(self, t):
        fields = sorted(t.fields, key=lambda f: f[0])
        nid = fields[-1][0] + 1 if fields else 0
        # inline layout: soffset, then each field at its natural size
        layout, off = [], 4
        for fid, kind, val in fields:
            size = 4 if kind == "o" else struct.calcsize("<" + kind)
            off = (off + size - 1) // size * size
            layout.append((fid, kind, val, off))
            off += size
        tlen = (off + 3) // 4 * 4
        self.align(4)
        vt = len(self.b)
        vtlen = 4 + 2 * nid
        vtab = [0] * nid
        for fid, kind, val, o in layout:
            vtab[fid] = o
        self.b += struct.pack("<HH", vtlen, tlen) + b"".join(struct.pack("<H", v) for v in vtab)
        self.align(8)
        p = len(self.b)
        self.b += bytes(tlen)
        struct.pack_into("<i", self.b, p, p - vt)
        for fid, kind, val, o in layout:
            if kind == "o":
                at = self.put(val)
                struct.pack_into("<I", self.b, p + o, at - (p + o))
            else:
                struct.pack_into("<" + kind, self.b, p + o, val)
        return p


def model_bytes(model):
    w = Writer()
    w.b += bytes(4) + b"TFL3"
    root = w.put(model)
    struct.pack_into("<I", w.b, 0, root)
    return bytes(w.b)


# ---- schema helpers (field ids of schema.fbs) ----

INT8, INT32, FLOAT32, UINT8 = 9, 2, 0, 3


def buffer(data=None):
    return Table((0, "o", Vec("B", data))) if data is not None else Table()


def quant(scales, zps, axis=0):
    return Table((2, "o", Vec("f", scales)), (3, "o", Vec("q", zps)), (6, "i", axis))


def tensor(name, shape, ttype, buf=0, q=None, sig=None):
    return Table((0, "o", Vec("i", shape)), (1, "b", ttype), (2, "I", buf), (3, "o", Str(name)),
                 (4, "o", q) if q else None, (7, "o", Vec("i", sig)) if sig else None)


def opcode(builtin, custom=None):
    return Table((0, "b", min(builtin, 127)), (3, "i", builtin),
                 (1, "o", Str(custom)) if custom else None)


def op(code, ins, outs, opt_type=0, opts=None, custom=None):
    return Table((0, "I", code), (1, "o", Vec("i", ins)), (2, "o", Vec("i", outs)),
                 (3, "B", opt_type) if opt_type else None, (4, "o", opts) if opts else None,
                 (5, "o", Vec("B", custom)) if custom else None)


def subgraph(tensors, ins, outs, ops, name="main"):
    return Table((0, "o", Vec("o", tensors)), (1, "o", Vec("i", ins)), (2, "o", Vec("i", outs)),
                 (3, "o", Vec("o", ops)), (4, "o", Str(name)))


def model(codes, subgraphs, buffers, version=3, metadata=None, sigs=None):
    return Table((0, "I", version), (1, "o", Vec("o", codes)), (2, "o", Vec("o", subgraphs)),
                 (3, "o", Str("make-tflite.py")), (4, "o", Vec("o", buffers)),
                 (6, "o", Vec("o", metadata)) if metadata else None,
                 (7, "o", Vec("o", sigs)) if sigs else None)


# builtin codes and options union types
CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX = 3, 4, 1, 22, 9, 25
ADD, CUSTOM = 0, 32
OPT_CONV, OPT_DW, OPT_POOL, OPT_FC, OPT_SOFTMAX, OPT_RESHAPE, OPT_ADD = 1, 2, 5, 8, 9, 17, 11
SAME, VALID = 0, 1
NONE, RELU, RELU6 = 0, 1, 3


def conv_opts(pad, s, act):
    return Table((0, "b", pad), (1, "i", s), (2, "i", s), (3, "b", act))


def int8_model():
    bufs = [buffer()]

    def data(n, content=None):
        bufs.append(buffer(content if content is not None else bytes(n)))
        return len(bufs) - 1

    q = quant([0.05], [-3])
    t = [
        tensor("input", [1, 16, 16, 3], INT8, q=q),                                 # 0
        tensor("conv/w", [8, 3, 3, 3], INT8, data(216), quant([0.01] * 8, [0] * 8, 0)),  # 1
        tensor("conv/b", [8], INT32, data(32), quant([0.0005] * 8, [0] * 8, 0)),    # 2
        tensor("conv", [1, 8, 8, 8], INT8, q=quant([0.02], [-128])),                # 3
        tensor("dw/w", [1, 3, 3, 8], INT8, data(72), quant([0.01] * 8, [0] * 8, 3)),  # 4
        tensor("dw/b", [8], INT32, data(32)),                                       # 5
        tensor("dw", [1, 6, 6, 8], INT8, q=quant([0.02], [-128])),                  # 6
        tensor("pool", [1, 1, 1, 8], INT8, q=quant([0.02], [-128])),                # 7
        tensor("shape", [2], INT32, data(8, struct.pack("<ii", 1, 8))),             # 8
        tensor("flat", [1, 8], INT8, q=quant([0.02], [-128])),                      # 9
        tensor("fc/w", [4, 8], INT8, data(32), quant([0.01], [0])),                 # 10
        tensor("fc/b", [4], INT32, data(16)),                                       # 11
        tensor("logits", [1, 4], INT8, q=quant([0.1], [0])),                        # 12
        tensor("probs", [1, 4], INT8, q=quant([1 / 256], [-128])),                  # 13
    ]
    codes = [opcode(CONV_2D), opcode(DEPTHWISE_CONV_2D), opcode(AVERAGE_POOL_2D), opcode(RESHAPE),
             opcode(FULLY_CONNECTED), opcode(SOFTMAX)]
    ops = [
        op(0, [0, 1, 2], [3], OPT_CONV, conv_opts(SAME, 2, RELU6)),
        op(1, [3, 4, 5], [6], OPT_DW, Table((0, "b", VALID), (1, "i", 1), (2, "i", 1), (3, "i", 1))),
        op(2, [6], [7], OPT_POOL, Table((0, "b", VALID), (1, "i", 6), (2, "i", 6), (3, "i", 6),
                                        (4, "i", 6))),
        op(3, [7, 8], [9]),
        op(4, [9, 10, 11], [12], OPT_FC, Table()),
        op(5, [12], [13], OPT_SOFTMAX, Table((0, "f", 1.0))),
    ]
    bufs.append(buffer(b"1.14.0\0"))
    meta = [Table((0, "o", Str("min_runtime_version")), (1, "I", len(bufs) - 1))]
    sig = Table((0, "o", Vec("o", [Table((0, "o", Str("image")), (1, "I", 0))])),
                (1, "o", Vec("o", [Table((0, "o", Str("scores")), (1, "I", 13))])),
                (2, "o", Str("serving_default")), (4, "I", 0))
    return model(codes, [subgraph(t, [0], [13], ops)], bufs, metadata=meta, sigs=[sig])


def dynamic_model():
    bufs = [buffer(), buffer(bytes(4 * 16 * 9 * 3)), buffer(bytes(4 * 16))]
    t = [
        tensor("x", [1, 32, 32, 3], FLOAT32, sig=[-1, 32, 32, 3]),
        tensor("w", [16, 3, 3, 3], FLOAT32, 1),
        tensor("b", [16], FLOAT32, 2),
        tensor("y", [1, 32, 32, 16], FLOAT32, sig=[-1, 32, 32, 16]),
        tensor("z", [1, 32, 32, 16], FLOAT32, sig=[-1, 32, 32, 16]),
    ]
    codes = [opcode(CONV_2D), opcode(CUSTOM, "MysteryOp")]
    ops = [op(0, [0, 1, 2], [3], OPT_CONV, conv_opts(SAME, 1, RELU)),
           op(1, [3], [4], custom=b"\x01\x02")]
    return model(codes, [subgraph(t, [0], [4], ops)], bufs)


def shared_model():
    n = 4000
    t = [tensor("t%d" % k, [1], FLOAT32) for k in range(2)]
    ins = Vec("i", [0] * n)     # one vector, referred to by every operator
    o = Table((0, "I", 0), (1, "o", ins), (2, "o", Vec("i", [])))
    return model([opcode(ADD)], [subgraph(t, [0], [1], [o] * n)], [buffer()])


def optional_model():
    bufs = [buffer(), buffer(bytes(4 * 4 * 8))]
    t = [tensor("x", [1, 8], FLOAT32), tensor("w", [4, 8], FLOAT32, 1), tensor("y", [1, 4], FLOAT32),
         tensor("z", [1, 4], FLOAT32)]
    codes = [opcode(FULLY_CONNECTED), opcode(CUSTOM, "WithHole")]
    ops = [op(0, [0, 1, -1], [2], OPT_FC, Table((0, "b", RELU))), op(1, [2, -1, 0], [3])]
    return model(codes, [subgraph(t, [0], [3], ops)], bufs)


def cycle_model():
    t = [tensor("a", [1], FLOAT32), tensor("b", [1], FLOAT32), tensor("c", [1], FLOAT32)]
    ops = [op(0, [0, 2], [1], OPT_ADD, Table()), op(0, [1, 0], [2], OPT_ADD, Table())]
    return model([opcode(ADD)], [subgraph(t, [0], [2], ops)], [buffer()])


def badbuffer_model():
    t = [tensor("a", [1], FLOAT32), tensor("w", [1], FLOAT32, 7), tensor("c", [1], FLOAT32)]
    ops = [op(0, [0, 1], [2], OPT_ADD, Table())]
    return model([opcode(ADD)], [subgraph(t, [0], [2], ops)], [buffer()])


def version2_model():
    t = [tensor("a", [1], FLOAT32)]
    return model([], [subgraph(t, [0], [0], [])], [buffer()], version=2)


def big_model(at, size):
    buf = Table((1, "q", at), (2, "q", size))
    t = [tensor("x", [1, 16384], FLOAT32), tensor("w", [size // 4 // 16384, 16384], FLOAT32, 1),
         tensor("y", [1, size // 4 // 16384], FLOAT32)]
    ops = [op(0, [0, 1], [2], OPT_FC, Table())]
    return model([opcode(FULLY_CONNECTED)], [subgraph(t, [0], [2], ops)], [buffer(), buf])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    if "--big" in sys.argv[2:]:
        at, size = 1 << 16, 1 << 30
        with open(os.path.join(out, "big.tflite"), "wb") as f:
            f.write(model_bytes(big_model(at, size)))
            f.truncate(at + size)
        return
    for name, m in (("int8", int8_model()), ("dynamic", dynamic_model()),
                    ("sharedvec", shared_model()), ("optional", optional_model()), ("cycle", cycle_model()),
                    ("badbuffer", badbuffer_model()), ("version2", version2_model())):
        with open(os.path.join(out, name + ".tflite"), "wb") as f:
            f.write(model_bytes(m))


if __name__ == "__main__":
    main()
