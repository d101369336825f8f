#!/usr/bin/env bats
# Real models as users have them: the recurrent ops (LSTM, GRU, RNN) counted
# by hand (docs/counting.md, "Recurrent ops") on tests/data/rnn*.onnx
# (tests/data/make-rnn.py), If and Loop around them, gp-shape --input and
# --batch on inputs that carry state.

setup() {
	load test_helper
}

# part FILE [gp-shape args...]: FILE through gp-shape and gp-partition into $BATS_TEST_TMPDIR/p
part() {
	local f=$1
	shift
	gp-load "$f" | gp-shape "$@" | gp-partition > "$BATS_TEST_TMPDIR/p"
}

# col NAME COLUMN...: those columns of the subgraph named NAME
col() {
	local name=$1
	shift
	cols "$BATS_TEST_TMPDIR/p" name "$@" | awk -F'\t' -v n="$name" '$1 == n { sub(/^[^\t]*\t/, ""); print }'
}

# shape_of NAME: dtype and shape of tensor NAME in $BATS_TEST_TMPDIR/s
shape_of() {
	awk -F'\t' -v n="$1" '$1 == "#tensor" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "tensor" && $c["name"] == n { print $c["dtype"], $c["shape"] }' "$BATS_TEST_TMPDIR/s"
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
	S=5 B=3 I=10 H=8
	# LSTM, forward: 4 gates; per gate value 1 (the two products) + 2 (Wb, Rb);
	# Sigmoid 4 on i, f, o, Tanh 1 on c and on C; clip 3: 2 per activation (5);
	# peepholes 2 per gate (3); C = f*C' + i*c 3, H = o*h(C) 1
	macs=$((S * B * 4 * H * (I + H)))
	e=$((4 * 3 + 3 * 4 + 1 + 1 + 2 * 5 + 2 * 3 + 3 + 1))
	run -0 col lstm macs flops kind
	assert_output "$(printf '%d\t%d\tlstm' $macs $((2 * macs + S * B * H * e)))"
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
	macs=$((2 * S * B * 3 * H * (I + H)))
	e=$((3 * 3 + 2 * 4 + 1 + 1 + 4))
	run -0 col gru macs flops kind
	assert_output "$(printf '%d\t%d\tgru' $macs $((2 * macs + 2 * S * B * H * e)))"
	# RNN, reverse, Relu, clip 1, no bias
	macs=$((S * B * H * (I + H)))
	run -0 col rnn macs flops kind
	assert_output "$(printf '%d\t%d\trnn' $macs $((2 * macs + S * B * H * (1 + 1 + 2))))"
	# the weights: W, R, B, P (and sequence_lens) as stored
	run -0 col lstm bytes_weight weights
	assert_output "$(printf '%d\tlstm_W,lstm_R,lstm_B,lstm_P' $(((32 * 10 + 32 * 8 + 64 + 24) * 4)))"
	run -0 col lstm_bi bytes_weight
	assert_output $(((2 * 32 * 10 + 2 * 32 * 8) * 4 + 3 * 4))
	# the outputs that are there: lstm_bi has no Y and no Y_c
	run -0 col lstm_bi outputs bytes_out
	assert_output "$(printf 'yh2\t%d' $((3 * 2 * 8 * 4)))"
}

@test "recurrent ops: dims that contradict each other or an attribute ONNX does not allow are errors" {
	gp-load "$TDATA/rnn.onnx" > "$BATS_TEST_TMPDIR/g"
	sed 's/clip=3.0;hidden_size=8/clip=3.0;hidden_size=7/' "$BATS_TEST_TMPDIR/g" > "$BATS_TEST_TMPDIR/h"
	run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/h"
	fails_cleanly "gp-shape: stdin: node 'lstm' \\(LSTM\\): dim 1 of W is 32, but the gates times hidden_size is 28$"
	sed 's/direction="reverse"/direction="sideways"/' "$BATS_TEST_TMPDIR/g" > "$BATS_TEST_TMPDIR/h"
	run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/h"
	fails_cleanly "gp-shape: stdin: node 'rnn' \\(RNN\\): direction 'sideways' is not forward, reverse or bidirectional$"
	sed 's/activations=\["Relu"\]/activations=["Swish"]/' "$BATS_TEST_TMPDIR/g" > "$BATS_TEST_TMPDIR/h"
	run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/h"
	fails_cleanly "gp-shape: stdin: node 'rnn' \\(RNN\\): 'Swish' is not an activation ONNX defines$"
	sed 's/"Relu","Relu"\]/"Relu"]/' "$BATS_TEST_TMPDIR/g" > "$BATS_TEST_TMPDIR/h"
	run --separate-stderr gp-shape < "$BATS_TEST_TMPDIR/h"
	fails_cleanly "gp-shape: stdin: node 'lstm_bi' \\(LSTM\\): 5 activations for 2 directions of LSTM: want 6$"
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
	run -0 awk -F'\t' '$1 == "branch" { print $2, $3, $4, $5, $6, $7 }' "$BATS_TEST_TMPDIR/p"
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
