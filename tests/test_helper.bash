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

# hdr HEADER KEY FILE: the value of KEY in FILE's "##HEADER<TAB>k=v<TAB>..." line
hdr() {
	awk -F'\t' -v h="##$1" -v k="$2" '$1 == h { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$3"
}

# cols FILE COLUMN...: those columns of every subgraph record of FILE, tab-separated
cols() {
	local f=$1
	shift
	awk -F'\t' -v want="$*" '
		$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i; next }
		$1 == "subgraph" {
			k = split(want, w, " ")
			for (i = 1; i <= k; i++) printf "%s%s", $c[w[i]], i < k ? "\t" : "\n"
		}' "$f"
}

# The stream the helpers below read, unless a test points S elsewhere.
S=$BATS_TEST_TMPDIR/s

# col NAME COLUMN...: those columns of the subgraph called NAME in $S, tab-separated
col() {
	awk -F'\t' -v n="$1" -v want="${*:2}" '
		$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i; next }
		$1 == "subgraph" && $c["name"] == n {
			k = split(want, w, " ")
			for (i = 1; i <= k; i++) printf "%s%s", $c[w[i]], i < k ? "\t" : "\n"
		}' "$S"
}

# every COLUMN...: those columns of every subgraph in $S, tab-separated, one line each
every() {
	cols "$S" "$@"
}

# total KEY: a key of the ##partition header of $S
total() {
	hdr partition "$1" "$S"
}

# shape_of NAME: "dtype shape" of tensor NAME in $S
shape_of() {
	awk -F'\t' -v n="$1" '$1 == "#tensor" { for (i = 2; i <= NF; i++) c[$i] = i; next }
		$1 == "tensor" && $c["name"] == n { print $c["dtype"], $c["shape"] }' "$S"
}

# runtime_refused FILE SED MESSAGE: the runtime profile FILE edited by the
# sed script SED is one gp-roofline --check-runtime refuses, saying MESSAGE
runtime_refused() {
	sed "$2" "$1" > "$BATS_TEST_TMPDIR/bad.yaml"
	run -1 gp-roofline --check-runtime "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "$3"
}

# round_profiles CORE RUNTIME: the made-up chip tests/data/hw/CORE.yaml as $P,
# the made-up runtime tests/data/hw/RUNTIME.yaml as $R0, and a copy of it named
# rt as $R, for a test to add the keys it is about to
round_profiles() {
	P=$BATS_TEST_TMPDIR/$1.yaml
	R0=$BATS_TEST_TMPDIR/rt0.yaml
	R=$BATS_TEST_TMPDIR/rt.yaml
	cp "$BATS_TEST_DIRNAME/data/hw/$1.yaml" "$P"
	cp "$BATS_TEST_DIRNAME/data/hw/$2.yaml" "$R0"
	sed 's/^name: rt0$/name: rt/' "$R0" > "$R"
}
