#!/usr/bin/env bats
# One vocabulary: option values refused alike (exit 2, "PROG: OPT: 'V' is not
# ..."), one table of precision names for gp-partition --dtype and
# gp-roofline -p, and gp-concur's --budget status from the one exit enum.

setup() {
	load test_helper
	CHIP=h100-sxm
}

@test "gp-roofline -p and gp-partition --dtype read the same precision names" {
	gp-load $TDATA/concur-chain.onnx | gp-partition > "$BATS_TEST_TMPDIR/p"
	for p in fp16:float16 fp16:half fp32:float fp32:float32 fp64:double bf16:bfloat16 int8:int8 fp8:float8e5m2; do
		canon=${p%%:*} alias=${p#*:}
		gp-roofline -H "$CHIP" -p "$canon" < "$BATS_TEST_TMPDIR/p" | grep -v '^##prog' > "$BATS_TEST_TMPDIR/a"
		gp-roofline -H "$CHIP" -p "$alias" < "$BATS_TEST_TMPDIR/p" | grep -v '^##prog' > "$BATS_TEST_TMPDIR/b"
		grep -q "^##roofline.*precision=$canon" "$BATS_TEST_TMPDIR/b"
		diff -u "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		run -0 gp-partition --dtype "$canon" < <(gp-load $TDATA/concur-chain.onnx)
		run -0 gp-partition --dtype "$alias" < <(gp-load $TDATA/concur-chain.onnx)
	done
	# tf32 is counted as float32
	gp-load $TDATA/concur-chain.onnx | gp-partition --dtype tf32 > "$BATS_TEST_TMPDIR/t"
	run hdr partition dtype "$BATS_TEST_TMPDIR/t"
	assert_output float32
	# a dtype with no precision a profile rates is a dtype, not a precision
	run -0 gp-partition --dtype int32 < <(gp-load $TDATA/concur-chain.onnx)
	run --separate-stderr -2 gp-roofline -H "$CHIP" -p int32 < "$BATS_TEST_TMPDIR/p"
	assert_equal "$stderr" "gp-roofline: -p: 'int32' is not fp64, fp32, tf32, fp16, bf16, fp8, int8 or int4"
	run --separate-stderr -2 gp-partition --dtype string < /dev/null
	assert_equal "$stderr" "gp-partition: --dtype: 'string' is not a numeric dtype (fp32, fp16, bf16, fp8, int8, ...)"
}

@test "a bad option value is one line naming the option and the value, exit 2, nothing on stdout" {
	for c in "gp-concur --budget 1x" "gp-concur --units 0" "gp-load --data-limit 1048577 x" \
	    "gp-shape --batch -1" "gp-partition --compute-ai nan" "gp-table --format yaml t" \
	    "gp-calibrate --runs 101" "gp-calibrate --tdp 0"; do
		set -- $c
		run --separate-stderr -2 "$@" < /dev/null
		assert_output ""
		assert_regex "$stderr" "^$1: $2: '$3' is not [^
]+\$"
	done
	run --separate-stderr -2 gp-shape --batch x < /dev/null
	assert_equal "$stderr" "gp-shape: --batch: 'x' is not a dim size (0 to 1099511627776)"
	run --separate-stderr -2 gp-concur --units 0 < /dev/null
	assert_equal "$stderr" "gp-concur: --units: '0' is not a number from 1 to 1e+09"
}

@test "gp-concur exits 3 when the peak does not fit --budget, and the stream still flows" {
	gp-load $TDATA/concur-chain.onnx | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -3 gp-concur --budget 1 < "$BATS_TEST_TMPDIR/p"
	assert_regex "$stderr" "^gp-concur: stdin: the peak memory \\([0-9]+ bytes\\) does not fit the budget \\(1 bytes\\)\$"
	assert_regex "$output" "##concur"
}

@test "a message that ends in ':' gets the system's reason" {
	run --separate-stderr -1 gp-load "$BATS_TEST_TMPDIR/absent.onnx"
	assert_equal "$stderr" "gp-load: $BATS_TEST_TMPDIR/absent.onnx: cannot open: No such file or directory"
}
