#!/usr/bin/env bats
# The layout issue 20 asks for, checked: lib/ files use one another without
# a cycle (tests/lib-cycles, from the objects of the build under test), and
# no C source or header is over 800 lines.

setup() {
	load test_helper
}

@test "no import cycle between lib/ files" {
	run -0 "$BATS_TEST_DIRNAME/lib-cycles" "$GP_TESTBIN/../lib"
	assert_output ""
}

@test "lib-cycles finds a cycle when there is one" {
	d=$BATS_TEST_TMPDIR/o
	mkdir "$d"
	printf 'int b(void);\nint a(void) { return b(); }\n' > "$d/a.c"
	printf 'int a(void);\nint b(void) { return a(); }\n' > "$d/b.c"
	cc -c -o "$d/a.o" "$d/a.c"
	cc -c -o "$d/b.o" "$d/b.c"
	# the script reads the objects of lib/*.c: give it a tree of its own
	mkdir -p "$BATS_TEST_TMPDIR/t/lib" "$BATS_TEST_TMPDIR/t/tests"
	cp "$BATS_TEST_DIRNAME/lib-cycles" "$BATS_TEST_TMPDIR/t/tests/"
	cp "$d/a.c" "$d/b.c" "$BATS_TEST_TMPDIR/t/lib/"
	run -1 "$BATS_TEST_TMPDIR/t/tests/lib-cycles" "$d"
	assert_output "a.c b.c"
}

@test "no C source or header in lib/ or filters/ is over 800 lines" {
	run -0 awk 'FNR == 801 { print FILENAME }' "$BATS_TEST_DIRNAME"/../lib/*.[ch] "$BATS_TEST_DIRNAME"/../filters/*.[ch]
	assert_output ""
}
