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

@test "reader and writer: fields about a word long, control bytes, types that share a prefix, lines across windows" {
	# The reader reads a record a word at a time and compares a field with
	# the one above it a word at a time, in a window of 128 KiB; the writer
	# copies a word at a time. Every length from 1 to 20 bytes, equal to the
	# field above and not (a last byte that differs, one byte more or less),
	# control bytes that end no field, record types one a prefix of another
	# (node, nodes; subgraph, subgraphx) in turn, and a field of 300,000
	# bytes: all come out byte for byte, each table's records together.
	awk -v inf="$BATS_TEST_TMPDIR/in" -v want="$BATS_TEST_TMPDIR/want" '
	function rec(k, line) { printf "%s\n", line > inf; r[k] = r[k] line "\n"; nrec++ }
	BEGIN {
		split("node subgraph nodes subgraphx", type, " ")
		hdr["node"] = "#node\ta\tb\tc"; hdr["subgraph"] = "#subgraph\ta\tb"
		hdr["nodes"] = "#nodes\ta"; hdr["subgraphx"] = "#subgraphx\ta"
		printf "##gp\t1\n" > inf
		for (k = 1; k <= 4; k++) printf "%s\n", hdr[type[k]] > inf
		s = "abcdefghijklmnopqrstu"
		for (i = 1; i <= 3000; i++) {
			n = i % 20 + 1; v = substr(s, 1, n)
			w = (i % 3 == 0) ? substr(s, 1, n - 1) "Z" : (i % 3 == 1) ? v "x" : v
			rec("node", "node\t" v "\t" w "\t" ((i % 7 == 0) ? "." : "c\001\013\014\016\037" n))
			rec("node", "node\t" v "\t" v "\t.")
			rec("nodes", "nodes\t" w)
			rec("subgraph", "subgraph\t" v "\t" i)
			rec("subgraphx", "subgraphx\t" v)
		}
		big = "y"; while (length(big) < 300000) big = big big
		rec("node", "node\t" big "\t" big "\tz")
		rec("node", "node\tq\t" big "\tz")
		printf "##end\t%d\n", nrec > inf
		printf "##gp\t1\n" > want
		for (k = 1; k <= 4; k++) printf "%s\n%s", hdr[type[k]], r[type[k]] > want
		printf "##end\t%d\n", nrec > want }'
	t-stream < "$BATS_TEST_TMPDIR/in" | grep -v '^##prog	t-stream' > "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out"
	# a carriage return inside a field is still refused, wherever it is
	run --separate-stderr t-stream < <(printf '##gp\t1\n#t\ta\tb\nt\t1\t2\nt\tabcdefghij\tx\ry\n##end\t2\n')
	fails_cleanly "t-stream: stdin: line 4: carriage return in line"
}
