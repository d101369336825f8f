#!/usr/bin/env bats
# gp-shape --batch on exports that fix their batch in shape constants
# (docs/shapes.md, "Batch"): small graphs of each pattern the torchvision and
# transformer exports have (tests/data/make-rebatch.py), exported at batch 1
# and at batch 3, so that --batch 3 on the first can be compared with the
# second tensor by tensor; and the graphs that cannot be re-batched exactly.

setup() {
	load test_helper
}

# tensors FILE [gp-shape args...]: "name dtype shape" of every tensor, sorted
tensors() {
	local f=$1
	shift
	gp-load "$f" | gp-shape "$@" | awk -F'\t' '$1 == "tensor" { print $2, $3, $4 }' | sort
}

# shape_at FILE TENSOR [gp-shape args...]: TENSOR's shape
shape_at() {
	local f=$1 t=$2
	shift 2
	gp-load "$f" | gp-shape "$@" | awk -F'\t' -v t="$t" '$1 == "tensor" && $2 == t { print $4 }'
}

@test "--batch 3 on each pattern exported at batch 1 gives every tensor of its export at batch 3, and back" {
	for m in window shuffle seqfirst token flatten resize symseq state; do
		a=$(tensors "$TDATA/rebatch-$m.onnx" --batch 3)
		b=$(tensors "$TDATA/rebatch-$m-3.onnx")
		[ -n "$b" ]
		assert_equal "$a" "$b"
		# from batch 3 to 1: the constants hold 3 there
		a=$(tensors "$TDATA/rebatch-$m-3.onnx" --batch 1)
		b=$(tensors "$TDATA/rebatch-$m.onnx")
		assert_equal "$a" "$b"
	done
}

@test "--batch: costs of the re-batched graph are those of the export at that batch" {
	for m in seqfirst window token; do
		a=$(gp-load "$TDATA/rebatch-$m.onnx" | gp-shape --batch 3 | gp-partition | grep '^##partition')
		b=$(gp-load "$TDATA/rebatch-$m-3.onnx" | gp-shape | gp-partition | grep '^##partition')
		assert_equal "$a" "$b"
	done
	# and they grow with the batch (seqfirst's MatMuls: 3 times batch 1's)
	a=$(gp-load "$TDATA/rebatch-seqfirst.onnx" | gp-partition | hdr partition macs /dev/stdin)
	b=$(gp-load "$TDATA/rebatch-seqfirst.onnx" | gp-shape --batch 3 | gp-partition | hdr partition macs /dev/stdin)
	[ "$a" -gt 0 ]
	assert_equal "$b" "$((3 * a))"
}

@test "--batch: a Reshape target's 1 takes the batch; a -1 never does (Swin's windows, ShuffleNet)" {
	f=$TDATA/rebatch-window.onnx
	run -0 shape_at "$f" p --batch 8
	assert_output "[8,2,4,2,4,4]"
	# [-1,16,4]: the -1 takes 4 windows of each of the 8 images
	run -0 shape_at "$f" w --batch 8
	assert_output "[32,16,4]"
	# [32,16,4] back to [1,2,2,4,4,4]: the 1 takes the batch, not the 2
	run -0 shape_at "$f" bk --batch 8
	assert_output "[8,2,2,4,4,4]"
	run -0 shape_at "$f" y --batch 8
	assert_output "[8,8,8,4]"
	# [1,-1,3,3]: not [1,32,3,3]
	run -0 shape_at "$TDATA/rebatch-shuffle.onnx" y --batch 8
	assert_output "[8,4,3,3]"
}

@test "--batch: a batch inside a dim goes where the memory order puts it (sequence-first attention)" {
	f=$TDATA/rebatch-seqfirst.onnx
	# [5,B,8] to [5,2,4]: the batch first in B*heads, [5,2B,4]
	run -0 shape_at "$f" h --batch 8
	assert_output "[5,16,4]"
	# [5,2B,4] to [5,8]: seq*B, [5B,8], not the last dim (the weight reads it)
	run -0 shape_at "$f" r --batch 8
	assert_output "[40,8]"
	run -0 shape_at "$f" proj --batch 8
	assert_output "[40,8]"
	# [5B,8] to [5,1,8]: the 1, after the 5 the batch lies inside
	run -0 shape_at "$f" s --batch 8
	assert_output "[5,8,8]"
	run -0 shape_at "$f" y --batch 8
	assert_output "[8,5,8]"
}

@test "--batch: a choice that contradicts later is undone (either side of a boundary)" {
	# [2,B,3] to [2,3]: [2B,3] first, but the Add with Flatten's [2,3B] rules it out
	f=$TDATA/rebatch-flatten.onnx
	run --separate-stderr -0 shape_at "$f" r --batch 8
	assert_equal "$stderr" ""
	assert_output "[2,24]"
	run -0 shape_at "$f" y --batch 8
	assert_output "[2,24]"
}

@test "--batch: Expand, Tile and ConstantOfShape of a shape holding batch 1 (ViT's class token, a mask)" {
	f=$TDATA/rebatch-token.onnx
	run -0 shape_at "$f" ce --batch 8
	assert_output "[8,1,8]"
	run -0 shape_at "$f" tok --batch 8
	assert_output "[8,5,8]"
	run -0 shape_at "$f" mask --batch 8
	assert_output "[8,5]"
	run -0 shape_at "$f" ct --batch 8
	assert_output "[8,1,8]"
	run -0 shape_at "$f" z --batch 8
	assert_output "[8,5,8]"
	# the shape constants themselves are the model's
	gp-load "$f" | gp-shape --batch 8 > "$BATS_TEST_TMPDIR/s"
	run -0 awk -F'\t' '$1 == "tensor" && $2 == "n11" { print $4, $7 }' "$BATS_TEST_TMPDIR/s"
	assert_output "[3] [1,1,1]"
}

@test "--batch: a static batch beside a symbolic sequence: the batch before the symbol" {
	# the target [1,seq,2,4] is made of constants and Shape(x)[1]
	run -0 shape_at "$TDATA/rebatch-symseq.onnx" h --batch 8
	assert_output "[8,seq,2,4]"
	run -0 shape_at "$TDATA/rebatch-symseq.onnx" y --batch 8 -D seq=5
	assert_output "[8,2,5,4]"
}

@test "--batch: a Resize to sizes holding batch 1 (F.interpolate(size=...)) takes the input's batch" {
	run -0 shape_at "$TDATA/rebatch-resize.onnx" up --batch 8
	assert_output "[8,2,8,8]"
	run -0 shape_at "$TDATA/rebatch-resize.onnx" y --batch 8
	assert_output "[8,4,8,8]"
}

@test "--batch on a static export with a state input: its batch dim takes the batch, its other dims stay" {
	f=$TDATA/rebatch-state.onnx
	run -0 shape_at "$f" state --batch 8
	assert_output "[2,8,4]"
	run -0 shape_at "$f" x --batch 8
	assert_output "[8,8]"
	run -0 shape_at "$f" y --batch 8
	assert_output "[2,8,4]"
	# the state's dims are never the batch where they are not the old one
	run -0 shape_at "$f" state --batch 2
	assert_output "[2,2,4]"
	# set with --input, the state is left as given, and broadcasts
	run -0 shape_at "$f" state --input state=2x1x4 --batch 3
	assert_output "[2,1,4]"
	run -0 shape_at "$f" y --input state=2x1x4 --batch 3
	assert_output "[2,3,4]"
	# and a symbolic batch in it (silero legacy's [2,batch,64]) is bound by name
	run -0 shape_at "$DATA/npm/silero-vad-legacy.onnx" h --batch 8
	assert_output "[2,8,64]"
}

@test "--batch: a graph that cannot be re-batched exactly is an error naming the node, never a shape" {
	# no dim of the target can hold the batch
	gp-load "$TDATA/rebatch-nowhere.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr gp-shape --batch 3 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: node 'y' \\(Reshape\\): no dim of 't32' = \\[3,2\\], a constant of the export, can hold the batch of 'xt' \\(\\[2,3,3\\]\\) \\(--batch 3 on a model exported at batch 1: the export fixes its batch in its shape constants, and no place for the new batch in them makes this node consistent; export the model with a dynamic batch axis, or at batch 3\\)$"
	# x[0:1] of the batch: 1 + B rows is not linear in the batch
	gp-load "$TDATA/rebatch-slice.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr gp-shape --batch 3 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: node 'y' \\(Concat\\): 'y' would be \\[4,4\\] at batch 3 but is \\[2,4\\] at batch 1: the batch is not in one of its dims \\(--batch 3"
	# the batch twice in one dim: where it lies inside is not known
	gp-load "$TDATA/rebatch-twice.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr gp-shape --batch 3 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: node 'y' \\(Reshape\\): cannot tell where the batch of 'xx' \\(\\[6,4\\]\\) goes in the target 't124', a constant of the export \\(--batch 3"
	# every place contradicts later: the error as the first choice meets it
	gp-load "$TDATA/rebatch-stuck.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr gp-shape --batch 3 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: node 'y' \\(Add\\): cannot broadcast dim 6 with 2 \\(--batch 3 on a model exported at batch 1"
	# each is the model as it is at its own batch
	for m in nowhere slice twice stuck; do
		run --separate-stderr -0 gp-shape --batch 1 < <(gp-load "$TDATA/rebatch-$m.onnx")
		assert_equal "$stderr" ""
	done
}

@test "--batch on a static export: warnings once, as at the export's batch" {
	run --separate-stderr -0 gp-shape --batch 3 < <(gp-load "$TDATA/contrib-unknown.onnx")
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "no shape inference for op NoSuchOp"
}

@test "--batch on a TFLite model: RESHAPE's new_shape [1,-1,1] keeps the batch first (BlazeFace)" {
	f=$DATA/tflite/face_detection_short_range.tflite
	run -0 shape_at "$f" classificators
	assert_output "[1,896,1]"
	# not [1,7168,1]: the -1 does not take the batch
	run -0 shape_at "$f" classificators --batch 8
	assert_output "[8,896,1]"
	run -0 shape_at "$f" regressors --batch 8
	assert_output "[8,896,16]"
	run -0 shape_at "$f" regressors --batch 3
	assert_output "[3,896,16]"
}

@test "--batch on both ISNet exports (Resize to sizes [1,C,H,W]): every MAC twice at batch 2" {
	for f in isnet-uint8 isnet-fp16; do
		gp-load "$DATA/npm/$f.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p1"
		run --separate-stderr -0 sh -c "gp-load $DATA/npm/$f.onnx | gp-shape --batch 2 | gp-partition > $BATS_TEST_TMPDIR/p2"
		assert_equal "$stderr" ""
		a=$(hdr partition macs "$BATS_TEST_TMPDIR/p1")
		b=$(hdr partition macs "$BATS_TEST_TMPDIR/p2")
		[ "$a" -gt 0 ]
		assert_equal "$b" "$((2 * a))"
	done
}
