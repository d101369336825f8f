#!/usr/bin/python3
"""tflite-macs.py < STREAM - count a TFLite model's MACs by hand from gp-load's
stream: its tensor records (the shapes the file declares) and its node
records, with no gp code involved. Prints "macs N" and "layers K".

Per node of the main graph, by TFLite's layouts (schema.fbs, and the
TFLite kernels' own shape checks):
  CONV_2D            output elements x KH x KW x filter's Cin   (filter OHWI)
  DEPTHWISE_CONV_2D  output elements x KH x KW                  (filter [1, KH, KW, C*m])
  TRANSPOSE_CONV, Convolution2DTransposeBias
                     input elements x KH x KW x Cout            (filter [Cout, KH, KW, Cin])
  FULLY_CONNECTED    output elements x K                        (weight [O, K])
  BATCH_MATMUL       output elements x the first operand's K
"""
import sys


def unesc(s):
    out, i = bytearray(), 0
    b = s.encode()
    while i < len(b):
        if b[i:i + 1] == b"%":
            out.append(int(b[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(b[i])
            i += 1
    return out.decode("utf-8", "replace")


def main():
    cols, shape, nodes = {}, {}, []
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if f[0].startswith("#") and not f[0].startswith("##"):
            cols[f[0][1:]] = {c: i for i, c in enumerate(f)}
        elif f[0] == "tensor":
            c = cols["tensor"]
            s = f[c["shape"]]
            dims = [] if s == "[]" else s[1:-1].split(",")
            if any(not d.isdigit() for d in dims):
                sys.exit("tensor %s: shape %s is not static" % (f[c["name"]], s))
            shape[(f[c["graph"]], unesc(f[c["name"]]))] = [int(d) for d in dims]
        elif f[0] == "node":
            c = cols["node"]
            nodes.append((f[c["op"]], [unesc(x) for x in f[c["inputs"]].split(",")],
                          [unesc(x) for x in f[c["outputs"]].split(",")], f[c["graph"]]))

    def numel(d):
        n = 1
        for x in d:
            n *= x
        return n

    macs = layers = 0
    for op, ins, outs, g in nodes:
        if g != "0":
            continue
        sh = lambda name: shape[(g, name)]
        if op == "CONV_2D":
            w = sh(ins[1])
            macs += numel(sh(outs[0])) * w[1] * w[2] * w[3]
        elif op == "DEPTHWISE_CONV_2D":
            w = sh(ins[1])
            macs += numel(sh(outs[0])) * w[1] * w[2]
        elif op in ("TRANSPOSE_CONV", "Convolution2DTransposeBias"):
            x = ins[2] if op == "TRANSPOSE_CONV" else ins[0]
            w = sh(ins[1])
            macs += numel(sh(x)) * w[0] * w[1] * w[2]
        elif op == "FULLY_CONNECTED":
            macs += numel(sh(outs[0])) * sh(ins[1])[1]
        elif op == "BATCH_MATMUL":
            macs += numel(sh(outs[0])) * sh(ins[0])[-1]
        else:
            continue
        layers += 1
    print("macs", macs)
    print("layers", layers)


main()
