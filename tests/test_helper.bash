# test_helper.bash - loaded by every test file: libraries, paths, helpers

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

export LC_ALL=C
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
DATA=$TOP/data
TDATA=$TOP/tests/data
GOLDEN=$TOP/tests/golden
cd "$TOP" || exit 1
# the profiles of this tree, whichever build's programs run (build/asan/bin has no hw/ beside it)
export GP_HW_PATH=$TOP/hw

# fails_cleanly PROG-OUTPUT-FILE: the last `run --separate-stderr` exited 1,
# wrote nothing on stdout and exactly one line on stderr starting with $1.
fails_cleanly() {
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^$1"
}

# a stream on stdin for the reader tests: header, one table, end marker
stream() {
	printf '##gp\t1\n#t\ta\tb\n'
	printf 't\t1\t2\n'
	printf '##end\t1\n'
}
