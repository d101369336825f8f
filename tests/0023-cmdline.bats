#!/usr/bin/env bats
# The command line every program shares: -h/--help, -V/--version, usage
# errors (exit 2), and the build flags the Makefile takes from its caller.

setup() {
	load test_helper
	VERSION=$(sed -n 's/^#define GP_VERSION "\(.*\)"$/\1/p' lib/gp.h)
}

# filters: every program built from filters/gp-*.c
filters() {
	for f in "$TOP"/filters/gp-*.c; do f=${f##*/}; echo "${f%.c}"; done
}

@test "every program: -h is --help, -V is --version, both exit 0 with nothing on stderr" {
	[ -n "$VERSION" ]
	for p in $(filters); do
		run --separate-stderr -0 "$p" --help
		assert_equal "$stderr" ""
		assert_line --index 0 --regexp "^usage: $p "
		help=$output
		[[ $help == *"-h, --help"* ]] || fail "$p --help does not name -h, --help"
		[[ $help == *"-V, --version"* ]] || fail "$p --help does not name -V, --version"
		run --separate-stderr -0 "$p" -h
		assert_equal "$output" "$help"
		run --separate-stderr -0 "$p" --version
		assert_equal "$output" "$p $VERSION"
		assert_equal "$stderr" ""
		run --separate-stderr -0 "$p" -V
		assert_equal "$output" "$p $VERSION"
		# a unique prefix of a long option is the option (getopt_long)
		run --separate-stderr -0 "$p" --vers
		assert_equal "$output" "$p $VERSION"
	done
	run -0 pipelines/gp-diff --version
	assert_output "gp-diff $VERSION"
	run -0 pipelines/gp-diff -V
	assert_output "gp-diff $VERSION"
}

@test "every program: an unknown option or one without its value is getopt's line and the usage, exit 2, nothing on stdout" {
	for p in $(filters); do
		run --separate-stderr -2 "$p" --no-such-option < /dev/null
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "$p: unrecognized option '--no-such-option'"
		assert_regex "${stderr_lines[1]}" "^usage: $p "
		usage=${stderr_lines[*]:1}
		# the usage line is --help's first
		assert_equal "$("$p" --help | sed -n 1p)" "${stderr_lines[1]}"
		run --separate-stderr -2 "$p" -y < /dev/null
		assert_equal "${stderr_lines[0]}" "$p: invalid option -- 'y'"
		assert_equal "${stderr_lines[*]:1}" "$usage"
		# --help takes no value
		run --separate-stderr -2 "$p" --help=x < /dev/null
		assert_equal "${stderr_lines[0]}" "$p: option '--help' doesn't allow an argument"
	done
	for p in gp-concur gp-roofline; do
		run --separate-stderr -2 "$p" -H < /dev/null
		assert_equal "${stderr_lines[0]}" "$p: option requires an argument -- 'H'"
		assert_regex "${stderr_lines[1]}" "^usage: $p "
	done
	run --separate-stderr -2 gp-report --top < /dev/null
	assert_equal "${stderr_lines[0]}" "gp-report: option '--top' requires an argument"
	# a short option that is only long is unknown
	run --separate-stderr -2 gp-load -d 3 x.onnx
	assert_equal "${stderr_lines[0]}" "gp-load: invalid option -- 'd'"
	run --separate-stderr -2 gp-shape --input bad
	assert_equal "$stderr" "gp-shape: --input: 'bad' is not NAME=DIMS (DIMS like 1x512, 2x?x128 or [batch,512])"
}

@test "make: CPPFLAGS reach every compile, LDFLAGS every link, CFLAGS both, after gp's own" {
	T=$BATS_TEST_TMPDIR
	make -n -B O="$T/o" BIN="$T/bin" CPPFLAGS=-DGP_CPP_PROBE CFLAGS=-fgp-cflags-probe \
		LDFLAGS=-Wl,--gp-ld-probe all > "$T/log"
	grep -E '^(cc|gcc|clang) ' "$T/log" > "$T/cc"
	[ "$(grep -c ' -c ' "$T/cc")" -gt 20 ] || fail "too few compile lines: $(cat "$T/log")"
	run -0 grep ' -c ' "$T/cc"
	for l in "${lines[@]}"; do
		[[ $l == *" -D_POSIX_C_SOURCE=200809L -DGP_CPP_PROBE "* ]] || fail "no CPPFLAGS after gp's: $l"
		[[ $l == *" -O2 -g -fgp-cflags-probe "* ]] || fail "no CFLAGS after gp's: $l"
	done
	run -0 grep -v ' -c ' "$T/cc"
	[ "${#lines[@]}" -ge 8 ] || fail "too few link lines"
	for l in "${lines[@]}"; do
		[[ $l == *" -Wl,--gp-ld-probe "* ]] || fail "no LDFLAGS: $l"
	done
	# the sanitizer build keeps its flags and the caller's
	make -n -B SANITIZE=1 O="$T/a" BIN="$T/abin" CPPFLAGS=-DGP_CPP_PROBE LDFLAGS=-Wl,--gp-ld-probe all > "$T/alog"
	run -0 grep -E '^(cc|gcc|clang) .* -c ' "$T/alog"
	for l in "${lines[@]}"; do
		[[ $l == *" -DGP_CPP_PROBE "*"-fsanitize=address,undefined"* ]] || fail "asan compile: $l"
	done
	run -0 grep -E '^(cc|gcc|clang) ' "$T/alog"
	run -0 grep -v ' -c ' <<< "$output"
	for l in "${lines[@]}"; do
		[[ $l == *"-Wl,--gp-ld-probe"*"-fsanitize=address,undefined"* ]] || fail "asan link: $l"
	done
}
