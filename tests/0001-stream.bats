#!/usr/bin/env bats
# The stream reader and writer (lib/stream.c), through the t-stream driver.

setup() {
	load test_helper
}

@test "a stream passes through unchanged but for one ##prog line" {
	stream > "$BATS_TEST_TMPDIR/in"
	run -0 t-stream < "$BATS_TEST_TMPDIR/in"
	expected=$(printf '##gp\t1\n##prog\tt-stream\t0.1.0\t.\n#t\ta\tb\nt\t1\t2\n##end\t1')
	assert_output "$expected"
}

@test "every fixture's stream round-trips byte for byte" {
	for f in "$DATA"/*.onnx "$TDATA"/chain.onnx "$TDATA"/nasty.onnx "$TDATA"/dtypes.onnx \
	    "$TDATA"/if.onnx "$TDATA"/function.onnx; do
		gp-load "$f" > "$BATS_TEST_TMPDIR/a"
		t-stream < "$BATS_TEST_TMPDIR/a" | grep -v '^##prog	t-stream' > "$BATS_TEST_TMPDIR/b"
		diff -u "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	done
}

@test "names with tabs, newlines, separators and UTF-8 survive the stream" {
	gp-load "$TDATA/nasty.onnx" > "$BATS_TEST_TMPDIR/s"
	run -0 t-stream --names < "$BATS_TEST_TMPDIR/s"
	assert_output "$(cat "$TDATA/nasty.names")"
}

@test "unknown record types and columns pass through" {
	{ printf '##gp\t1\n##mine\tx\ty\n#zzz\tq\n#t\ta\tb\textra\n'
	  printf 'zzz\tkeep%%20me\nt\t1\t2\t3\n##end\t2\n'; } > "$BATS_TEST_TMPDIR/in"
	run -0 t-stream < "$BATS_TEST_TMPDIR/in"
	assert_line --index 1 $'##mine\tx\ty'
	assert_line $'zzz\tkeep%20me'
	assert_line $'t\t1\t2\t3'
	assert_line $'##end\t2'
}

@test "reader: empty input" {
	run --separate-stderr t-stream < /dev/null
	fails_cleanly "t-stream: stdin: empty input"
}

@test "reader: not a gp stream" {
	run --separate-stderr t-stream <<< "hello"
	fails_cleanly "t-stream: stdin: not a gp stream"
}

@test "reader: a version it does not know" {
	run --separate-stderr t-stream < <(printf '##gp\t2\n##end\t0\n')
	fails_cleanly "t-stream: stdin: gp stream version '2' is not supported"
}

@test "reader: a truncated stream (no ##end) is refused" {
	run --separate-stderr t-stream < <(stream | head -n 3)
	fails_cleanly "t-stream: stdin: truncated stream: no ##end line"
}

@test "reader: a stream cut mid-line is refused" {
	run --separate-stderr t-stream < <(stream | head -c 18)
	fails_cleanly "t-stream: stdin: line 3: truncated stream"
}

@test "reader: a record count that disagrees with ##end" {
	run --separate-stderr t-stream < <(stream | sed 's/^##end.*/##end\t5/')
	fails_cleanly "t-stream: stdin: line 4: stream has 1 records but its ##end line says 5"
}

@test "reader: a record with no column header" {
	run --separate-stderr t-stream < <(printf '##gp\t1\nt\t1\n##end\t1\n')
	fails_cleanly "t-stream: stdin: line 2: record type 't' has no column header"
}

@test "reader: a record with the wrong number of fields" {
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\tb\nt\t1\n##end\t1\n')
	fails_cleanly "t-stream: stdin: line 3: 1 fields, but the column header of 't' has 2"
}

@test "reader: an empty field" {
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\tb\nt\t\t2\n##end\t1\n')
	fails_cleanly "t-stream: stdin: line 3: empty field in column 'a'"
}

@test "reader: a header line after records" {
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\nt\t1\n##k\tv\n##end\t1\n')
	fails_cleanly "t-stream: stdin: line 4: header line after records"
}

@test "reader: two column headers for one type, and a repeated column" {
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\n#t\ta\n##end\t0\n')
	fails_cleanly "t-stream: stdin: line 3: second column header for record type 't'"
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\ta\n##end\t0\n')
	fails_cleanly "t-stream: stdin: line 2: column 'a' named twice"
}

@test "reader: CRLF line endings, NUL bytes, text after the end" {
	run --separate-stderr t-stream < <(stream | sed 's/$/\r/')
	fails_cleanly "t-stream: stdin: "
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\nt\t\0\n##end\t1\n')
	fails_cleanly "t-stream: stdin: NUL byte"
	run --separate-stderr t-stream < <(stream; echo junk)
	fails_cleanly "t-stream: stdin: line 5: text after the ##end line"
	# a second stream is not junk, but t-stream reads one (the filters read them all)
	run --separate-stderr t-stream < <(stream; stream)
	fails_cleanly "t-stream: stdin: line 5: a second stream follows \\(t-stream reads one\\)"
}

@test "writer: a write error is an error, not a silent truncation" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr t-stream < <(stream) > /dev/full
	run bash -c 't-stream > /dev/full < <(printf "##gp\t1\n#t\ta\nt\t1\n##end\t1\n")'
	assert_failure 1
	assert_output --partial "t-stream: write error on stdout"
}
