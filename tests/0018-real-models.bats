#!/usr/bin/env bats
# Real models as users have them: the recurrent ops (LSTM, GRU, RNN) counted
# by hand (docs/counting.md, "Recurrent ops") on tests/data/rnn*.onnx
# (tests/data/make-rnn.py), If and Loop around them, gp-shape --input and
# --batch on inputs that carry state.

setup() {
	load test_helper
	NPM=$DATA/npm
}

# part FILE [gp-shape args...]: FILE through gp-shape and gp-partition into $S
part() {
	gp-load "$1" | gp-shape "${@:2}" | gp-partition > "$S"
}

@test "LSTM, GRU, RNN: every output's shape, as onnx infers it (layout 0 and 1, one and two directions)" {
	gp-load "$TDATA/rnn.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s"
	run -0 /usr/bin/python3 tests/shape-oracle.py "$TDATA/rnn.onnx" "$BATS_TEST_TMPDIR/s"
	assert_output --regexp ", 0 disagree;"
	# Y [seq, dirs, batch, hidden]; layout 1: [batch, seq, dirs, hidden]
	assert_equal "$(shape_of y1)" "float32 [5,1,3,8]"
	assert_equal "$(shape_of yh1)" "float32 [1,3,8]"
	assert_equal "$(shape_of yc1)" "float32 [1,3,8]"
	assert_equal "$(shape_of yh2)" "float32 [3,2,8]"
	assert_equal "$(shape_of y3)" "float32 [5,2,3,8]"
	assert_equal "$(shape_of yh3)" "float32 [2,3,8]"
	# no hidden_size: read from R [1, 8, 8] (onnx leaves it unknown)
	assert_equal "$(shape_of y4)" "float32 [3,5,1,8]"
	assert_equal "$(shape_of yh4)" "float32 [3,1,8]"
}

@test "LSTM, GRU, RNN: MACs and FLOPs counted by hand" {
	part "$TDATA/rnn.onnx"
	L=5 B=3 I=10 H=8
	# LSTM, forward: 4 gates; per gate value 1 (the two products) + 2 (Wb, Rb);
	# Sigmoid 4 on i, f, o, Tanh 1 on c and on C; clip 3: 2 per activation (5);
	# peepholes 2 per gate (3); C = f*C' + i*c 3, H = o*h(C) 1
	macs=$((L * B * 4 * H * (I + H)))
	e=$((4 * 3 + 3 * 4 + 1 + 1 + 2 * 5 + 2 * 3 + 3 + 1))
	run -0 col lstm macs flops kind
	assert_output "$(printf '%d\t%d\tlstm' $macs $((2 * macs + L * B * H * e)))"
	assert_equal "$macs" 8640
	# bidirectional, layout 1, input_forget, no bias; sequence_lens [5, 2, 4]: 11 steps
	# forward HardSigmoid 3 on f and o, i = 1 - f: 1, Tanh, Tanh; reverse Sigmoid, Relu, Relu
	steps=$((5 + 2 + 4))
	macs=$((2 * steps * 4 * H * (I + H)))
	ef=$((4 * 1 + 2 * 3 + 1 + 1 + 1 + 3 + 1))
	er=$((4 * 1 + 2 * 4 + 1 + 1 + 1 + 3 + 1))
	run -0 col lstm_bi macs flops
	assert_output "$(printf '%d\t%d' $macs $((2 * macs + steps * H * (ef + er))))"
	# GRU, bidirectional, linear_before_reset, bias: 3 gates of 1 + 2; Sigmoid on
	# z and r, Tanh on h; r times (H' R + Rb) 1; H = (1 - z) h + z H' 4
	macs=$((2 * L * B * 3 * H * (I + H)))
	e=$((3 * 3 + 2 * 4 + 1 + 1 + 4))
	run -0 col gru macs flops kind
	assert_output "$(printf '%d\t%d\tgru' $macs $((2 * macs + 2 * L * B * H * e)))"
	# RNN, reverse, Relu, clip 1, no bias
	macs=$((L * B * H * (I + H)))
	run -0 col rnn macs flops kind
	assert_output "$(printf '%d\t%d\trnn' $macs $((2 * macs + L * B * H * (1 + 1 + 2))))"
	# the weights: W, R, B, P (and sequence_lens) as stored
	run -0 col lstm bytes_weight weights
	assert_output "$(printf '%d\tlstm_W,lstm_R,lstm_B,lstm_P' $(((32 * 10 + 32 * 8 + 64 + 24) * 4)))"
	run -0 col lstm_bi bytes_weight
	assert_output $(((2 * 32 * 10 + 2 * 32 * 8) * 4 + 3 * 4))
	# the outputs that are there: lstm_bi has no Y and no Y_c
	run -0 col lstm_bi outputs bytes_out
	assert_output "$(printf 'yh2\t%d' $((3 * 2 * 8 * 4)))"
}

@test "LSTM, GRU, RNN: their products (the gemm column), by hand" {
	part "$TDATA/rnn.onnx"
	L=5 B=3 I=10 H=8
	# per direction: the input's product for every step at once, L x B rows of I by
	# I x (gates x H), then the hidden state's, L steps one after another, each B
	# rows of H by H x (gates x H); their MACs are the node's
	run -0 col lstm gemm macs
	assert_output "$(printf '1x%dx%dx%d;%dx%dx%dx%d	8640' $((L * B)) $((4 * H)) $I $L $B $((4 * H)) $H)"
	run -0 col gru gemm
	g="1x$((L * B))x$((3 * H))x$I;${L}x${B}x$((3 * H))x$H"
	assert_output "$g;$g"
	run -0 col rnn gemm
	assert_output "1x$((L * B))x${H}x$I;${L}x${B}x${H}x$H"
	# sequence_lens [5, 2, 4] on a batch of 3: each row runs steps of its own, not
	# products of the batch: none given
	run -0 col lstm_bi gemm
	assert_output "."
	# a batch of one with its length known runs that many steps: 2 of 5
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/one.onnx" <<'EOF'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
w = numpy_helper.from_array(np.zeros((1, 32, 10), np.float32), "w")
r = numpy_helper.from_array(np.zeros((1, 32, 8), np.float32), "r")
sl = numpy_helper.from_array(np.array([2], np.int32), "sl")
g = helper.make_graph([helper.make_node("LSTM", ["x", "w", "r", "", "sl"], ["y"], name="one", hidden_size=8)],
                      "one", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, 1, 10])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=[w, r, sl])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), sys.argv[1])
EOF
	part "$BATS_TEST_TMPDIR/one.onnx"
	run -0 col one gemm macs
	assert_output "$(printf '1x2x32x10;2x1x32x8	%d' $((2 * 32 * (10 + 8))))"
}

@test "recurrent ops: dims that contradict each other or an attribute ONNX does not allow are errors" {
	gp-load "$TDATA/rnn.onnx" > "$BATS_TEST_TMPDIR/g"
	# EDIT|WHAT: the stream edited by sed EDIT is refused with "gp-shape: stdin: WHAT"
	while IFS='|' read -r edit what; do
		sed "$edit" "$BATS_TEST_TMPDIR/g" > "$BATS_TEST_TMPDIR/h"
		run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/h"
		fails_cleanly "gp-shape: stdin: $what$"
	done <<'EOF'
s/clip=3.0;hidden_size=8/clip=3.0;hidden_size=7/|node 'lstm' \(LSTM\): dim 1 of W is 32, but the gates times hidden_size is 28
s/direction="reverse"/direction="sideways"/|node 'rnn' \(RNN\): direction 'sideways' is not forward, reverse or bidirectional
s/activations=\["Relu"\]/activations=["Swish"]/|node 'rnn' \(RNN\): 'Swish' is not an activation ONNX defines
s/"Relu","Relu"\]/"Relu"]/|node 'lstm_bi' \(LSTM\): 5 activations for 2 directions of LSTM: want 6
EOF
}

@test "If: a known condition takes its branch; an unknown one counts the larger, in branch records" {
	part "$TDATA/rnn-control.onnx"
	# if_open: the condition is an input. then: LSTM of hidden 5 on x [4, 2, 6]
	# with a bias; else a GRU of hidden 3, no bias (and a Pad)
	lstm=$((8 * 4 * 5 * (6 + 5)))
	gru=$((8 * 3 * 3 * (6 + 3)))
	lstmf=$((2 * lstm + 8 * 5 * (4 * 3 + 14 + 4)))
	gruf=$((2 * gru + 8 * 3 * (3 + 9 + 1 + 4)))
	run -0 col if_open macs flops
	assert_output "$(printf '%d\t%d' $lstm $lstmf)"
	# its weights are the then branch's own initializers, not the else branch's
	run -0 col if_open weights bytes_weight
	assert_output "$(printf 't_W,t_R,t_B\t%d' $(((20 * 6 + 20 * 5 + 40) * 4)))"
	# if_known: Shape(x)[0] == 4 is true: the then RNN counts, not the larger else
	run -0 col if_known macs flops
	assert_output "$(printf '%d\t%d' $((8 * 4 * 10)) $((2 * 8 * 4 * 10 + 8 * 4 * 2)))"
	run -0 awk -F'\t' '$1 == "branch" { print $2, $3, $4, $5, $6, $7 }' "$S"
	assert_output "$(printf 'if_open 1 then larger %d %d\nif_known 2 then condition %d .' \
		$lstmf $gruf $((2 * 8 * 4 * 10 + 8 * 4 * 2)))"
	# a Loop of 3 trips around an RNN of hidden 4 and an Add
	run -0 col loop macs flops
	assert_output "$(printf '%d\t%d' $((3 * 320)) $((3 * (704 + 8))))"
	# the If outputs are the taken branch's
	gp-load "$TDATA/rnn-control.onnx" | gp-shape > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of known_h)" "float32 [1,2,4]"
	assert_equal "$(shape_of open_h)" "float32 [1,2,5]"
}

@test "gp-report names the Ifs counted at their larger branch" {
	gp-load "$TDATA/rnn-control.onnx" | gp-partition | gp-report > "$BATS_TEST_TMPDIR/r"
	run -0 grep -c "if_open" "$BATS_TEST_TMPDIR/r"
	run -0 grep "larger branch" "$BATS_TEST_TMPDIR/r"
	assert_output --partial "if_open (then: 4720 FLOPs, else 1704)"
	refute_output --partial "if_known"
}

# ---- real models from npm (data/npm/, data/fetch-npm.py, data/README.md) ----

@test "the npm models are committed small and stripped: no weight data, dims and dtypes kept" {
	for f in silero-vad-legacy silero-vad-v5 isnet-uint8 isnet-fp16; do
		run -0 stat -c %s "$NPM/$f.onnx"
		[ "$output" -lt 400000 ]
	done
	run -0 /usr/bin/python3 -c '
import sys, onnx
sys.path.insert(0, "data")
import stripweights
for f in sys.argv[1:]:
    m = onnx.load(f, load_external_data=False)
    big = [t for t in stripweights.iter_weight_tensors(m.graph) if len(t.raw_data) > 64 * 8 or len(t.float_data) > 64]
    print(f.split("/")[-1], len(big))' "$NPM"/silero-vad-legacy.onnx "$NPM"/silero-vad-v5.onnx "$NPM"/isnet-uint8.onnx "$NPM"/isnet-fp16.onnx
	assert_output "$(printf 'silero-vad-legacy.onnx 0\nsilero-vad-v5.onnx 0\nisnet-uint8.onnx 0\nisnet-fp16.onnx 0')"
}

@test "the npm models: every graph's nodes as onnx lists them, in an order where every name is defined first" {
	for f in "$NPM"/*.onnx; do
		gp-load "$f" > "$BATS_TEST_TMPDIR/s"
		# graphs and ops, every graph (If branches at any depth), as python3-onnx sees them
		/usr/bin/python3 -c '
import collections, sys, onnx
sys.path.insert(0, "data")
import stripweights
m = onnx.load(sys.argv[1], load_external_data=False)
gs = list(stripweights.iter_graphs(m.graph))
print("graphs", len(gs))
for op, k in sorted(collections.Counter(n.op_type for g in gs for n in g.node).items()):
    print(op, k)' "$f" > "$BATS_TEST_TMPDIR/want"
		awk -F'\t' '$1 == "graph" { g++ } $1 == "node" { n[$3]++ }
			END { print "graphs", g; for (op in n) print op, n[op] | "sort" }' "$BATS_TEST_TMPDIR/s" \
			> "$BATS_TEST_TMPDIR/got"
		diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
		# a name a node reads is defined before it: in its graph or in one enclosing it
		awk -F'\t' '
		    $1 == "graph" { holder[$2] = $5 }
		    $1 == "tensor" && ($5 == "input" || $5 == "initializer") { def[$8 "/" $2] = 1 }
		    $1 == "node" {
			ng[$2] = $8
			n = split($5, in_, ",")
			for (i = 1; i <= n; i++) {
				if (in_[i] == "" || in_[i] == ".")
					continue
				for (g = $8; g != ""; g = holder[g] == "." ? "" : ng[holder[g]])
					if (def[g "/" in_[i]])
						break
				if (g == "") { print "not yet defined: " in_[i] " in " $2; bad = 1 }
			}
			n = split($6, out, ",")
			for (i = 1; i <= n; i++) def[$8 "/" out[i]] = 1
		    }
		    END { exit bad }' "$BATS_TEST_TMPDIR/s"
	done
}

@test "the npm models: gp-shape agrees with onnx's shape inference on every main-graph tensor" {
	for f in "$NPM"/*.onnx; do
		gp-load "$f" | gp-shape 2> /dev/null > "$BATS_TEST_TMPDIR/s"
		run -0 /usr/bin/python3 tests/shape-oracle.py "$f" "$BATS_TEST_TMPDIR/s"
		assert_output --regexp ", 0 disagree;"
	done
	gp-load "$NPM/silero-vad-legacy.onnx" | gp-shape -D batch=1 -D sequence=512 > "$BATS_TEST_TMPDIR/s"
	run -0 /usr/bin/python3 tests/shape-oracle.py "$NPM/silero-vad-legacy.onnx" "$BATS_TEST_TMPDIR/s" \
		-D batch=1 -D sequence=512
	assert_output --regexp ", 0 disagree;"
}

@test "the npm models: networkx agrees on stages, width, antichain, critical path and peak" {
	for m in silero-vad-legacy:"-D batch=1 -D sequence=512" \
		silero-vad-v5:"--input input=1x576 --input state=2x1x128" isnet-uint8: isnet-fp16:; do
		for f in "" --fuse; do
			gp-load "$NPM/${m%%:*}.onnx" | gp-shape ${m#*:} 2> /dev/null | gp-partition $f |
				gp-concur > "$BATS_TEST_TMPDIR/s"
			run -0 /usr/bin/python3 tests/concur-oracle.py < "$BATS_TEST_TMPDIR/s"
			assert_output --regexp '^agree: [0-9]+ subgraphs$'
		done
	done
}

@test "silero VAD legacy: fully costed, MACs by hand; the If on sr counts its larger branch" {
	gp-load "$NPM/silero-vad-legacy.onnx" | gp-shape -D batch=1 -D sequence=512 > "$BATS_TEST_TMPDIR/shaped"
	run --separate-stderr -0 gp-partition < "$BATS_TEST_TMPDIR/shaped"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" > "$S"
	run -0 hdr partition unknown "$S"
	assert_output 0
	# sr is an input: both models are costed, the 8 kHz one (else) is larger at
	# 512 samples (8 STFT frames where the 16 kHz model has 4)
	run -0 awk -F'\t' '$1 == "branch" && $2 == "If_25" { print $4, $5 }' "$S"
	assert_output "else larger"
	# by hand, the 8 kHz model at 512 samples (reflect-padded to 704): STFT Conv
	# 258 x 8 frames x 256 taps; adaptive normalization 8 x 7; first block:
	# depthwise 258 x 8 x 5, pointwise and projection 16 x 8 x 258 twice;
	# encoder: 16 x 4 x 16 (stride 2), 16 x 4 x 5, 32 x 4 x 16 twice; 32 x 2 x 32
	# (stride 2), 32 x 2 x 5, 32 x 2 x 32 twice; 32 x 2 x 5, 64 x 2 x 32 twice,
	# 64 x 2 x 64; two LSTM layers of 64 over 2 steps (the state is given:
	# h's dim 0 is 2, the nested If takes then): 2 x 4·64 x (64 + 64) each;
	# the decoder Conv 1 x 2 x 64
	convs=$((258 * 8 * 256 + 8 * 7 + 258 * 8 * 5 + 2 * 16 * 8 * 258 + 16 * 4 * 16 + 16 * 4 * 5 +
		2 * 32 * 4 * 16 + 32 * 2 * 32 + 32 * 2 * 5 + 2 * 32 * 2 * 32 + 32 * 2 * 5 + 2 * 64 * 2 * 32 +
		64 * 2 * 64 + 2 * 64))
	lstm=$((2 * 2 * 4 * 64 * (64 + 64)))
	run -0 hdr partition macs "$S"
	assert_output $((convs + lstm))
	assert_equal "$output" 764616
	# the If reads the 8 kHz model's weights only, not both models'
	run -0 col If_25 bytes_weight
	[ "$output" -lt $((1779792 * 6 / 10)) ]
	# --input gives the same: input [batch, sequence] binds both
	part "$NPM/silero-vad-legacy.onnx" --input input=1x512
	run -0 hdr partition macs "$S"
	assert_output 764616
}

@test "--batch on silero legacy binds the batch of the state inputs, not their layer count" {
	gp-load "$NPM/silero-vad-legacy.onnx" | gp-shape --batch 8 > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of h)" "float32 [2,8,64]"
	assert_equal "$(shape_of c)" "float32 [2,8,64]"
	assert_equal "$(shape_of input)" "float32 [8,sequence]"
	assert_equal "$(shape_of sr)" "int64 []"
	assert_equal "$(shape_of hn)" "float32 [2,8,64]"
	assert_equal "$(shape_of output)" "float32 [8,1]"
}

@test "silero VAD v5: --input on its anonymous dims; fully costed, MACs by hand" {
	gp-load "$NPM/silero-vad-v5.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr -0 gp-shape --input input=1x512 < "$BATS_TEST_TMPDIR/g"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of input)" "float32 [1,512]"
	assert_equal "$(shape_of output)" "float32 [1,1]"
	assert_equal "$(shape_of stateN)" "float32 [2,1,128]"
	# the 8 kHz branch cannot run on these samples: sr must be 16000
	assert_regex "$stderr" "the else branch of If 'If_0' cannot run at these shapes, so its condition 'Equal_0_C' must be true"
	# 512 samples and the 64 of context the caller prepends; the state's batch
	run --separate-stderr -0 sh -c "gp-shape --input input=1x576 --input state=2x1x128 < '$BATS_TEST_TMPDIR/g' | gp-partition"
	refute_regex "$stderr" "gp-partition"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/p"
	run -0 hdr partition unknown "$BATS_TEST_TMPDIR/p"
	assert_output 0
	# by hand, the 16 kHz model at 576 samples (reflect-padded to 640): STFT
	# Conv 258 x 4 frames x 256 taps; encoder 128 x 4 x 129·3, 64 x 2 x 128·3
	# (stride 2), 64 x 1 x 64·3 (stride 2), 128 x 1 x 64·3; the LSTM cell of
	# 128, one step: 4·128 x (128 + 128); the decoder Conv 1 x 128
	run -0 hdr partition macs "$BATS_TEST_TMPDIR/p"
	assert_output $((258 * 4 * 256 + 128 * 4 * 129 * 3 + 64 * 2 * 128 * 3 + 64 * 64 * 3 + 128 * 64 * 3 +
		4 * 128 * 256 + 128))
	run -0 awk -F'\t' '$1 == "branch" && $2 == "If_0" { print $4, $5 }' "$BATS_TEST_TMPDIR/p"
	assert_output "then condition"
}

@test "silero VAD v5: --batch cannot tell the state's batch: an error naming it; --input settles it" {
	gp-load "$NPM/silero-vad-v5.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr gp-shape --batch 8 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: --batch 8: cannot tell which dim of input 'state' \\(\\[2,\\?,128\\]\\) is the batch: set its shape with --input state=DIMS$"
	run --separate-stderr -0 gp-shape --input state=2x8x128 --batch 8 < "$BATS_TEST_TMPDIR/g"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of state)" "float32 [2,8,128]"
	assert_equal "$(shape_of input)" "float32 [8,?]"
	# a dim the model fixes cannot be contradicted
	run --separate-stderr gp-shape --input state=3x1x128 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: --input state=3x1x128: dim 0 of 'state' is 2 in the model, not 3$"
	run --separate-stderr gp-shape --input state=2x1 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: --input state=2x1: 'state' has rank 3 in the model \\(\\[2,\\?,128\\]\\), not 2$"
	run --separate-stderr gp-shape --input nosuch=1 < "$BATS_TEST_TMPDIR/g"
	fails_cleanly "gp-shape: stdin: --input nosuch=1: the model has no input 'nosuch'$"
	run --separate-stderr -2 gp-shape --input state=2xx1 < "$BATS_TEST_TMPDIR/g"
	assert_regex "$stderr" "^gp-shape: --input: 'state=2xx1' is not NAME=DIMS"
}

@test "--input: names keep a dim symbolic, '?' keeps the model's, commas for names with an x" {
	gp-load "$NPM/silero-vad-v5.onnx" | gp-shape --input 'input=nx?' --input 'state=[2,nx,128]' > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of input)" "float32 [n,?]"
	assert_equal "$(shape_of state)" "float32 [2,nx,128]"
	# a name for a model's symbol renames it everywhere
	gp-load "$NPM/silero-vad-legacy.onnx" | gp-shape --input input=Bx512 > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of input)" "float32 [B,512]"
	assert_equal "$(shape_of h)" "float32 [2,B,64]"
	# and --batch then finds it by its name
	gp-load "$NPM/silero-vad-legacy.onnx" | gp-shape --input input=Bx512 | gp-shape --batch 4 > "$BATS_TEST_TMPDIR/s"
	assert_equal "$(shape_of c)" "float32 [2,4,64]"
}

@test "ISNet, int8 and fp16: the same MACs, as onnx's shapes give them; bytes in the real dtypes" {
	for f in isnet-uint8 isnet-fp16; do
		want=$(/usr/bin/python3 tests/mac-oracle.py "$NPM/$f.onnx")
		part "$NPM/$f.onnx"
		run -0 hdr partition macs "$S"
		assert_output "$want"
		assert_equal "$want" 159673614336
		run -0 hdr partition unknown "$S"
		assert_output 0
		cp "$S" "$BATS_TEST_TMPDIR/$f"
	done
	# the first conv: 64 x 512 x 512 outputs of 3 x 3 x 3; ConvInteger reads the
	# uint8 input and weights (and their zero points) and writes int32
	cp "$BATS_TEST_TMPDIR/isnet-uint8" "$S"
	run -0 col /conv_in/Conv_quant kind macs bytes_in bytes_weight bytes_out
	assert_output "$(printf 'conv2d\t%d\t%d\t%d\t%d' $((64 * 512 * 512 * 27)) $((3 * 1024 * 1024 + 1)) \
		$((64 * 27 + 1)) $((64 * 512 * 512 * 4)))"
	cp "$BATS_TEST_TMPDIR/isnet-fp16" "$S"
	run -0 col /conv_in/Conv macs bytes_in bytes_weight bytes_out
	assert_output "$(printf '%d\t%d\t%d\t%d' $((64 * 512 * 512 * 27)) $((3 * 1024 * 1024 * 2)) \
		$(((64 * 27 + 64) * 2)) $((64 * 512 * 512 * 2)))"
}

@test "gp-roofline: the int8 peak for int8 weights, fp16 for fp16, without -p; a -p against the weights is said" {
	for f in isnet-uint8:int8 isnet-fp16:fp16; do
		gp-load "$NPM/${f%%:*}.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
		run --separate-stderr -0 gp-roofline -H a100-sxm < "$BATS_TEST_TMPDIR/p"
		assert_equal "$stderr" ""
		printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/r"
		run -0 hdr roofline precision "$BATS_TEST_TMPDIR/r"
		assert_output "${f##*:}"
		# bytes as the model has them: the same as gp-partition's
		assert_equal "$(hdr roofline bytes "$BATS_TEST_TMPDIR/r")" \
			"$(printf '%.6g' "$(hdr partition bytes "$BATS_TEST_TMPDIR/p")")"
		# -p naming the weights' precision changes nothing
		run --separate-stderr -0 gp-roofline -H a100-sxm -p "${f##*:}" < "$BATS_TEST_TMPDIR/p"
		assert_equal "$stderr" ""
		assert_equal "$(printf '%s\n' "$output" | grep '^##roofline')" "$(grep '^##roofline' "$BATS_TEST_TMPDIR/r")"
	done
	gp-load "$NPM/isnet-uint8.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -0 gp-roofline -H a100-sxm -p fp16 < "$BATS_TEST_TMPDIR/p"
	assert_equal "$stderr" "gp-roofline: warning: stdin: -p fp16, but the model's weights are int8: counted at fp16, as asked"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/r"
	run -0 hdr roofline precision "$BATS_TEST_TMPDIR/r"
	assert_output fp16
	# an fp32 model asked about at fp16 is the usual question: no warning
	run --separate-stderr -0 sh -c "gp-load $DATA/resnet18.onnx | gp-partition | gp-roofline -H a100-sxm -p fp16 >/dev/null"
	assert_equal "$stderr" ""
}

@test "--batch on a static export: a shape constant holding batch 1 takes the new batch, never the wrong dim" {
	# a Reshape to [1, -1]: the -1 must not take the new batch (docs/shapes.md, "Batch")
	gp-load "$TDATA/static-batch.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr -0 gp-shape --batch 8 < "$BATS_TEST_TMPDIR/g"
	assert_equal "$stderr" ""
	assert_line --regexp $'^tensor\ty\tfloat32\t\\[8,128\\]\t'
	assert_line --regexp $'^tensor\tf\tfloat32\t\\[8,128\\]\t'
	# at the export's own batch it is the model as it is
	run -0 gp-shape --batch 1 < "$BATS_TEST_TMPDIR/g"
	assert_line --regexp $'^tensor\ty\tfloat32\t\\[1,128\\]\t'
	assert_line --regexp $'^tensor\tf\tfloat32\t\\[1,128\\]\t'
	# a target without -1: its 1 is the batch
	gp-load "$TDATA/static-batch2.onnx" > "$BATS_TEST_TMPDIR/g"
	run --separate-stderr -0 gp-shape --batch 8 < "$BATS_TEST_TMPDIR/g"
	assert_line --regexp $'^tensor\ty\tfloat32\t\\[8,8,16\\]\t'
}
