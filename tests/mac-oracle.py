#!/usr/bin/python3
"""mac-oracle.py - count a model's MACs with python3-onnx, independently of gp.

    /usr/bin/python3 tests/mac-oracle.py MODEL.onnx [NAME=VALUE]...

Binds the named symbolic dims of the graph inputs, runs onnx's own shape
inference (data_prop=True), and counts the multiply-accumulates of every
MatMul, Gemm and Conv (and ConvInteger) of the main graph from the shapes
onnx inferred: MatMul: elements of the output x the inner dim; Gemm: M x N x
K; Conv: output elements x (C_in / group) x kernel size. Prints the total; exits 1 if
a shape it needs is unknown. Needs python3-onnx only.
"""
import sys

import onnx
from onnx import shape_inference


def main():
    path, binds = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
    m = onnx.load(path, load_external_data=False)
    for vi in m.graph.input:
        for d in vi.type.tensor_type.shape.dim:
            if d.dim_param in binds:
                v = int(binds[d.dim_param])
                d.ClearField("dim_param")
                d.dim_value = v
    m = shape_inference.infer_shapes(m, data_prop=True)
    shapes = {}
    for vi in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
        dims = [d.dim_value if d.HasField("dim_value") else None for d in vi.type.tensor_type.shape.dim]
        shapes[vi.name] = dims
    for t in m.graph.initializer:
        shapes[t.name] = list(t.dims)

    def shape(name):
        s = shapes.get(name)
        if not s or any(d is None for d in s):
            sys.exit(f"mac-oracle: {name}: shape unknown")
        return s

    def numel(s):
        n = 1
        for d in s:
            n *= d
        return n

    macs = 0
    for n in m.graph.node:
        if n.op_type == "MatMul":
            macs += numel(shape(n.output[0])) * shape(n.input[0])[-1]
        elif n.op_type == "Gemm":
            a = shape(n.input[0])
            ta = next((x.i for x in n.attribute if x.name == "transA"), 0)
            macs += numel(shape(n.output[0])) * (a[0] if ta else a[1])
        elif n.op_type in ("Conv", "ConvInteger"):
            w = shape(n.input[1])
            macs += numel(shape(n.output[0])) * numel(w[1:])
    print(macs)


if __name__ == "__main__":
    main()
