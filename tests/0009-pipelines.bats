#!/usr/bin/env bats
# pipelines/: the fixture sweep against the committed golden results, a
# re-run that does nothing, gp-diff after a deliberate change, a failing cell
# that leaves the others whole. The programs are those on PATH (both builds).

setup() {
	load test_helper
	BIN=$(dirname "$(command -v gp-load)")
	R=$BATS_TEST_TMPDIR/results
}

# sweep ARGS...: make -C pipelines sweep with this build's programs into $R
sweep() {
	make -s -C "$TOP/pipelines" sweep BIN="$BIN" RESULTS="$R" JOBS=2 "$@"
}

@test "the fixture sweep (every fixture x 3 chips x 2 batch sizes) equals pipelines/golden" {
	run -0 sweep MODELS='data/*.onnx' HW='h100-sxm t4 jetson-orin-agx' BATCH='1 8' PREC=fp16
	assert_line "sweep: 54 cells in $R/summary.tsv"
	run -0 "$TOP/pipelines/gp-diff" "$TOP/pipelines/golden" "$R"
	assert_output ""
	# one row per cell, every cell's stream and summary on disk, no temporary files
	run -0 awk 'END { print NR - 1 }' "$R/summary.tsv"
	assert_output 54
	run -0 sh -c "find '$R/cells' -name '*.gp' | wc -l; find '$R' -name '*.tmp*' | wc -l"
	assert_output "$(printf '54\n0')"
}

@test "make -q says the sweep is done; a re-run does nothing; a newer profile redoes its cells" {
	args=(MODELS='data/resnet18.onnx data/mobilenet_v2.onnx' HW='t4 a100-sxm' BATCH='1 8')
	run -0 sweep "${args[@]}"
	assert_line "sweep: 8 cells, 2 jobs"
	run -0 make -q -C "$TOP/pipelines" sweep BIN="$BIN" RESULTS="$R" "${args[@]}"
	run -0 sweep "${args[@]}"
	refute_output --partial "cells,"
	# the same profile, changed: a T4 of 7.1 TFLOP/s fp32, in HW_PATH
	mkdir "$BATS_TEST_TMPDIR/hw"
	sed 's/^  fp32: 8.1T/  fp32: 7.1T/' hw/t4.yaml > "$BATS_TEST_TMPDIR/hw/t4.yaml"
	cp -r "$R" "$BATS_TEST_TMPDIR/old"
	run -0 sweep "${args[@]}" HW_PATH="$BATS_TEST_TMPDIR/hw"
	assert_line "sweep: 4 cells, 2 jobs"
	# gp-diff names the T4 cells, and only them
	run -1 "$TOP/pipelines/gp-diff" --tol 0.001 "$BATS_TEST_TMPDIR/old" "$R"
	refute_output --regexp $'^[^\t]+\ta100-sxm\t'
	assert_line --regexp $'^resnet18\tt4\t1\tfp32\tlatency_s\t[0-9.e+-]+ -> [0-9.e+-]+\t[+][0-9.]+%$'
	# within a 100% tolerance nothing changed
	run -0 "$TOP/pipelines/gp-diff" --tol 1 "$BATS_TEST_TMPDIR/old" "$R"
	assert_output ""
	run -0 make -s -C "$TOP/pipelines" compare BIN="$BIN" RESULTS="$R" "${args[@]}" HW_PATH="$BATS_TEST_TMPDIR/hw"
	assert_line --index 0 --regexp '^\| model \| batch \| precision \| flops \| params \| ai \| max_parallel \| peak_bytes \| latency_s a100-sxm \|'
	run -0 awk -F'\t' 'NR > 1 { print $1, $2 }' "$R/compare.tsv"
	assert_output "$(printf 'mobilenet_v2 1\nmobilenet_v2 8\nresnet18 1\nresnet18 8')"
}

@test "a failing model fails its cell, shows why, and leaves the other cells whole" {
	run -2 sweep MODELS="data/resnet18.onnx tests/data/bad-matmul.onnx" HW=t4 BATCH=1
	assert_output --partial "cell bad-matmul t4 batch 1 model failed:"
	assert_output --partial "gp-shape: stdin: node"
	assert_output --partial "sweep: 1 of 2 cells failed"
	run -0 cut -f1,2 "$R/summary.tsv"
	assert_output "$(printf 'model\thw\nresnet18\tt4')"
	[ ! -e "$R/cells/bad-matmul/t4/b1-model.gp" ]
	# and the next run tries only the failed cell again
	run -2 sweep MODELS="data/resnet18.onnx tests/data/bad-matmul.onnx" HW=t4 BATCH=1
	assert_line "sweep: 1 cells, 2 jobs"
}

@test "SSHLOGINS runs the cells through GNU parallel's --sshlogin (':' is this machine)" {
	run -0 sweep MODELS=data/resnet18.onnx HW=t4 BATCH=1 SSHLOGINS=:
	assert_line "sweep: 1 cells in $R/summary.tsv"
	run -0 grep -c 'pipelines/cell' "$R/joblog"
	assert_output 1
}

@test "bad variables: one clear error" {
	run -2 sweep MODELS='data/nothing-*.onnx'
	assert_output --partial "MODELS='data/nothing-*.onnx' names no file"
	run -2 sweep MODELS=data/resnet18.onnx HW=no-such-chip
	assert_output --partial "no hardware profile 'no-such-chip'"
	run -2 "$TOP/pipelines/gp-diff" --tol x a b
	assert_output "gp-diff: --tol: 'x' is not a number"
	run -2 "$TOP/pipelines/gp-diff" "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR"
	assert_output --partial "cannot read it"
}
