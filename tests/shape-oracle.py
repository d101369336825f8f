#!/usr/bin/python3
"""shape-oracle.py - compare gp-shape with ONNX's own shape inference.

    shape-oracle.py MODEL.onnx STREAM [-D NAME=VALUE ...] [--batch N]

STREAM is gp-shape's output for MODEL. The oracle is Debian's python3-onnx:
onnx.shape_inference.infer_shapes(model, data_prop=True), on the model with
the same -D bindings applied to its inputs (and with --batch, every input's
leading dim set to N and the declared shapes of everything else dropped: the
model as if exported at that batch). For every tensor the oracle gives a
type to, gp must give the same dtype and rank, and the same dim wherever the
oracle's dim is a number or the name of a dim of a graph input (batch, seq);
where the oracle has no answer (a name it invented, unk__N, or one the exporter
wrote on an output it could not infer, Gemmoutput_dim_0), gp may know more. Prints one line per disagreement and a
summary; exits 1 on any disagreement.
"""
import sys
import urllib.parse

import onnx
from onnx import shape_inference

DT = {1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64",
      8: "string", 9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64",
      14: "complex64", 15: "complex128", 16: "bfloat16"}


def gp_tensors(path):
    cols, out = None, {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            fld = line.rstrip("\n").split("\t")
            if fld[0] == "#tensor":
                cols = {c: i + 1 for i, c in enumerate(fld[1:])}
            elif fld[0] == "tensor" and fld[cols["graph"]] == "0":
                name = urllib.parse.unquote(fld[cols["name"]])
                shape = fld[cols["shape"]]
                dims = None if shape == "?" else \
                    [urllib.parse.unquote(d) for d in shape[1:-1].split(",")] if shape != "[]" else []
                out[name] = (fld[cols["dtype"]], dims)
    return out


def main():
    model, stream = sys.argv[1], sys.argv[2]
    binds, batch, args = {}, None, sys.argv[3:]
    while args:
        if args[0] == "-D":
            k, v = args[1].split("=", 1)
            binds[k] = v
        elif args[0] == "--batch":
            batch = int(args[1])
        args = args[2:]
    m = onnx.load(model, load_external_data=False)
    inits = {t.name for t in m.graph.initializer}
    for vi in m.graph.input:
        dims = vi.type.tensor_type.shape.dim
        if batch is not None and vi.name not in inits and len(dims) > 0:
            if dims[0].dim_param:
                binds[dims[0].dim_param] = str(batch)
            dims[0].dim_value = batch
        for d in dims:
            if d.dim_param in binds:
                d.dim_value = int(binds[d.dim_param])
    if batch is not None:
        del m.graph.value_info[:]
        for vi in m.graph.output:
            vi.type.tensor_type.ClearField("shape")
    # the symbols of the inputs: other names on outputs are placeholders
    syms = {d.dim_param for vi in m.graph.input for d in vi.type.tensor_type.shape.dim
            if d.dim_param}
    # declared activation shapes are re-derived, as gp-shape does
    inf = shape_inference.infer_shapes(m, data_prop=True)
    ora = {}
    for vi in list(inf.graph.input) + list(inf.graph.value_info) + list(inf.graph.output):
        tt = vi.type.tensor_type
        if not tt.elem_type:
            continue
        dims = None
        if tt.HasField("shape"):
            dims = []
            for d in tt.shape.dim:
                if d.HasField("dim_value"):
                    dims.append(str(d.dim_value))
                elif d.dim_param in syms:
                    dims.append(binds.get(d.dim_param, d.dim_param))
                else:
                    dims.append(None)
        ora[vi.name] = (DT.get(tt.elem_type, "?"), dims)
    for t in inf.graph.initializer:
        ora[t.name] = (DT.get(t.data_type, "?"), [str(d) for d in t.dims])
    gp = gp_tensors(stream)
    bad = equal = more = 0
    for name, (dt, dims) in sorted(ora.items()):
        if name not in gp:
            print("%s: missing from the stream" % name)
            bad += 1
            continue
        gdt, gdims = gp[name]
        why = None
        if gdt != dt:
            why = "dtype %s, onnx says %s" % (gdt, dt)
        elif dims is not None:
            if gdims is None or len(gdims) != len(dims):
                why = "shape %s, onnx says %s" % (gdims, dims)
            elif any(o is not None and o != g for o, g in zip(dims, gdims)):
                why = "shape [%s], onnx says [%s]" % (",".join(gdims), ",".join(o or "?" for o in dims))
        if why:
            print("%s: %s" % (name, why))
            bad += 1
        else:
            equal += 1
            if dims is None or None in dims:
                more += gdims is not None and "?" not in gdims
    for name, (gdt, gdims) in gp.items():
        if name not in ora and gdims is not None and "?" not in gdims:
            more += 1
    print("%s: %d tensors agree with onnx, %d disagree; gp resolves %d that onnx leaves unknown"
          % (model, equal, bad, more))
    sys.exit(1 if bad else 0)


main()
