#!/usr/bin/env python3
"""gen.py - write the hostile ONNX models of tests/0014-load-hostile.bats that
are too big, or too many, to keep as files: protobuf written by hand, no onnx.

  gen.py big BYTES OUT        a valid model with one uint8 initializer of BYTES
  gen.py nestif N OUT         N Ifs, each in the then_branch of the one before
  gen.py nesttype N KIND OUT  a graph input whose type nests N deep:
                              KIND seq (sequence), opt (optional) or attr (a
                              TYPE_PROTO attribute of sequences)
  gen.py dims N OUT           an external initializer of N dims of 1, added to [1,4]
  gen.py forged VALUE OUT     an initializer of 4 floats in the file with an
                              external_data entry "gp:stripped" = VALUE (- for
                              none): gp's own key, which the file cannot set
"""
import sys


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def key(f, wt):
    return varint(f << 3 | wt)


def ld(f, b):
    if isinstance(b, str):
        b = b.encode()
    return key(f, 2) + varint(len(b)) + b


def vi(f, v):
    return key(f, 0) + varint(v)


def tensor_type(elem, dims):
    return ld(1, vi(1, elem) + ld(2, b''.join(ld(1, vi(1, d)) for d in dims)))


def valueinfo(name, typ=None):
    return ld(1, name) + (ld(2, typ) if typ is not None else b'')


def node(op, ins, outs, name, attrs=(), domain=None):
    b = b''.join(ld(1, i) for i in ins) + b''.join(ld(2, o) for o in outs)
    b += ld(3, name) + ld(4, op)
    if domain is not None:
        b += ld(7, domain)
    return b + b''.join(ld(5, a) for a in attrs)


def graph(nodes, name, inputs=(), outputs=(), inits=()):
    b = b''.join(ld(1, n) for n in nodes) + ld(2, name)
    b += b''.join(ld(5, t) for t in inits)
    return b + b''.join(ld(11, v) for v in inputs) + b''.join(ld(12, v) for v in outputs)


def opset(ver, domain=None):
    return ld(8, (ld(1, domain) if domain else b'') + vi(2, ver))


def model(g, opsets=(13,)):
    return vi(1, 8) + b''.join(opset(*o) if isinstance(o, tuple) else opset(o) for o in opsets) + ld(7, g)


def attr_graph(name, g):
    return ld(1, name) + vi(20, 5) + ld(6, g)


T = tensor_type(1, [1, 4])


def big(n):
    """the bytes of the model up to its payload, which is last: n zero bytes"""
    t = vi(1, n) + vi(2, 2) + ld(8, "w") + key(9, 2) + varint(n)
    g = node("Identity", ["w"], ["y"], "id")
    g = ld(1, g) + ld(2, "g") + ld(12, valueinfo("y")) + key(5, 2) + varint(len(t) + n) + t
    return vi(1, 8) + opset(13) + key(7, 2) + varint(len(g) + n) + g


def nestif(n):
    leaf = graph([node("Identity", ["x"], ["leafo"], "leafid")], "leaf", (), [valueinfo("leafo")])
    g = graph([node("Identity", ["x"], ["o%d" % n], "id%d" % n)], "g%d" % n, (), [valueinfo("o%d" % n)])
    for k in range(n - 1, 0, -1):
        ifn = node("If", ["c"], ["o%d" % k], "if%d" % k,
                   [attr_graph("then_branch", g), attr_graph("else_branch", leaf)])
        g = graph([ifn], "g%d" % k, (), [valueinfo("o%d" % k)])
    top = node("If", ["c"], ["y"], "top", [attr_graph("then_branch", g), attr_graph("else_branch", leaf)])
    return model(graph([top], "main", [valueinfo("c", tensor_type(9, [])), valueinfo("x", T)],
                       [valueinfo("y", T)]))


def nesttype(n, kind):
    t = T
    f = 9 if kind == "opt" else 4          # TypeProto.optional_type, .sequence_type
    for _ in range(n):
        t = ld(f, ld(1, t))
    if kind == "attr":
        a = ld(1, "tp") + vi(20, 13) + ld(14, t)
        g = graph([node("Custom", ["x"], ["y"], "c", [a], "com.x")], "g", [valueinfo("x", T)], [valueinfo("y")])
        return model(g, (13, (1, "com.x")))
    g = graph([node("Identity", ["x"], ["y"], "id")], "g", [valueinfo("x", t)], [valueinfo("y")])
    return model(g)


def dims(n):
    w = b''.join(vi(1, 1) for _ in range(n)) + vi(2, 1) + ld(8, "w")
    w += ld(13, ld(1, "location") + ld(2, "w.bin")) + vi(14, 1)
    g = graph([node("Add", ["x", "w"], ["y"], "a")], "g", [valueinfo("x", T)], [valueinfo("y", T)], [w])
    return model(g)


def forged(value):
    e = ld(1, "gp:stripped") + (ld(2, value) if value != "-" else b'')
    w = vi(1, 1) + vi(1, 4) + vi(2, 1) + ld(8, "w") + ld(9, bytes(16)) + ld(13, e)
    g = graph([node("Add", ["x", "w"], ["y"], "a")], "g", [valueinfo("x", T)], [valueinfo("y", T)], [w])
    return model(g)


def main():
    a = sys.argv[1:]
    if a[0] == "big":
        n = int(a[1])
        with open(a[2], "wb") as f:
            f.write(big(n))
            zeros = bytes(1 << 20)
            while n > 0:
                f.write(zeros[:min(n, len(zeros))])
                n -= len(zeros)
        return
    if a[0] == "nestif":
        out = nestif(int(a[1]))
    elif a[0] == "nesttype":
        out = nesttype(int(a[1]), a[2])
    elif a[0] == "dims":
        out = dims(int(a[1]))
    else:
        out = forged(a[1])
    with open(a[-1], "wb") as f:
        f.write(out)


main()
