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

@test "tables: fields set through the library, in runs and not, on rows old and new, come out as set" {
	# A column's rows are held in blocks of 1,024: a block of one repeated
	# value holds it once, until another value, a gap or a change to an old
	# row makes it hold a value a row. Random changes (seeded) through
	# gp_table_set, gp_table_set_count and gp_table_addrow, on a table of
	# 3,000 rows and on one that grows from 3 rows to 2,503, against awk's
	# own copy of the tables.
	awk -v inf="$BATS_TEST_TMPDIR/in" -v ops="$BATS_TEST_TMPDIR/ops" -v want="$BATS_TEST_TMPDIR/want" '
	function col(T, c) { if (!((T, c) in at)) { at[T, c] = ++nc[T]; name[T, nc[T]] = c } return at[T, c] }
	function set(T, c, r, v) { printf "set %s %s %d %s\n", T, c, r, v > ops; f[T, col(T, c), r] = v }
	function cnt(T, c, r, v) { printf "count %s %s %d %d\n", T, c, r, v > ops; f[T, col(T, c), r] = v < 0 ? "." : v }
	function row(T) { printf "row %s\n", T > ops; n[T]++ }
	BEGIN {
		srand(7)
		long = "abcdefghijklmnopqrstuvwxyz0123456789"
		split("k z . k k " long, vals, " ")
		printf "##gp\t1\n#t\ta\tb\n#u\tp\n" > inf
		col("t", "a"); col("t", "b"); col("u", "p")
		for (i = 0; i < 3000; i++) {
			a = i < 1500 ? "k" : i < 2100 ? "." : "m"; b = i % 5 ? "w" : "v" i
			printf "t\t%s\t%s\n", a, b > inf; f["t", 1, i] = a; f["t", 2, i] = b
		}
		split("1 1 2", u0, " ")
		for (i = 0; i < 3; i++) { printf "u\t%s\n", u0[i + 1] > inf; f["u", 1, i] = u0[i + 1] }
		printf "##end\t3003\n" > inf
		n["t"] = 3000; n["u"] = 3
		for (step = 0; step < 2500; step++) {
			row("u"); r = n["u"] - 1
			if (rand() < 0.9) set("u", "p", r, rand() < 0.97 ? "c" : "d")
			if (rand() < 0.05) set("u", "q", int(rand() * n["u"]), "e" step)
			x = rand()
			if (x < 0.6) set("t", substr("abcd", 1 + int(rand() * 4), 1), int(rand() * n["t"]), vals[1 + int(rand() * 6)])
			else if (x < 0.8) cnt("t", "e", int(rand() * n["t"]), rand() < 0.3 ? -1 : rand() < 0.5 ? 7 : 123456789)
			else if (x < 0.81) { s = int(rand() * n["t"]); for (j = s; j < n["t"] && j < s + 1500; j++) set("t", "c", j, "r") }
			else if (x < 0.83) row("t")
		}
		printf "##gp\t1\n" > want
		split("t u", types, " ")
		for (k = 1; k <= 2; k++) {
			T = types[k]; line = "#" T
			for (c = 1; c <= nc[T]; c++) line = line "\t" name[T, c]
			print line > want
			for (r = 0; r < n[T]; r++) {
				line = T
				for (c = 1; c <= nc[T]; c++) line = line "\t" ((T, c, r) in f ? f[T, c, r] : ".")
				print line > want
			}
			tot += n[T]
		}
		printf "##end\t%d\n", tot > want }'
	t-stream --ops "$BATS_TEST_TMPDIR/ops" < "$BATS_TEST_TMPDIR/in" | grep -v '^##prog	t-stream' > "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out"
	# the changes did change something in every way named
	for w in 'row u' 'row t' 'set t c' 'count t e' 'set u q'; do
		grep -q "^$w" "$BATS_TEST_TMPDIR/ops"
	done
}

@test "tables kept as lines: every flaw is found where a table cut into fields finds it, with the same message" {
	# gp-concur cuts only its subgraph and tensor records into fields and
	# keeps the others as their lines, checked a word at a time (valid in
	# lib/stream-read.c); gp-table tensor checks and counts them only;
	# t-stream cuts every table. Node records with
	# fields of 1 to 20 bytes, one record of each stream with a flaw (a
	# field missing, one too many, an empty one first, inside or last, a
	# carriage return) or none, after records of the fast path: the two say
	# the same of every stream (seeded).
	awk -v dir="$BATS_TEST_TMPDIR" '
	function f() { return substr("abcdefghij%.xyzabcdefghij", 1 + int(rand() * 5), 1 + int(rand() * 20)) }
	BEGIN {
		srand(11)
		for (k = 0; k < 120; k++) {
			file = dir "/s" k
			printf "##gp\t1\n#node\ta\tb\tc\n" > file
			n = 3 + int(rand() * 30); bad = int(rand() * n); kind = k % 8
			for (i = 0; i < n; i++) {
				a = f(); b = f(); c = f()
				if (i == bad) {
					if (kind == 1) line = "node\t" a "\t" b
					else if (kind == 2) line = "node\t" a "\t" b "\t" c "\t" f()
					else if (kind == 3) line = "node\t\t" b "\t" c
					else if (kind == 4) line = "node\t" a "\t\t" c
					else if (kind == 5) line = "node\t" a "\t" b "\t"
					else if (kind == 6) line = "node\t" a "\t" b "\r" c "\t" c
					else line = "node\t" a "\t" b "\t" c
				} else line = "node\t" a "\t" b "\t" c
				print line > file
			}
			printf "##end\t%d\n", n > file
			close(file)
		}
	}'
	for k in $(seq 0 119); do
		run --separate-stderr t-stream < "$BATS_TEST_TMPDIR/s$k"
		want=$(printf '%s\n' "$stderr" | sed -n 's/^t-stream: //p')
		for p in gp-concur "gp-table tensor"; do
			run --separate-stderr $p < "$BATS_TEST_TMPDIR/s$k"
			got=$(printf '%s\n' "$stderr" | sed -n "s/^${p%% *}: //p")
			if [[ $want == *"line "* ]]; then
				[ "$got" = "$want" ] || { echo "stream $k: t-stream: $want; $p: $got"; false; }
			else
				[[ $got != *"line "* ]] || { echo "stream $k: t-stream read it; $p: $got"; false; }
			fi
		done
	done
}
