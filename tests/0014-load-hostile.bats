#!/usr/bin/env bats
# Hostile input for the loader (and the stream reader's first bytes): models
# nested thousands deep, names with NUL bytes, a forged gp:stripped entry, a
# file that shrinks while it is read, endless input, memory running out and
# messages megabytes long. Each ends in one clean line on stderr and exit 1,
# or loads as it should; nothing crashes or eats all memory.

setup() {
	load test_helper
	H=$TDATA/hostile
	GEN="python3 $H/gen.py"
	T=$BATS_TEST_TMPDIR
}

# asan: the programs on PATH are the sanitizer build
asan() {
	ldd "$(command -v gp-load)" | grep -q libasan
}

# dtype_of FILE NAME: the dtype column of tensor NAME in stream FILE
dtype_of() {
	awk -F'\t' -v n="$2" '$1 == "tensor" && $2 == n { print $3 }' "$1"
}

@test "a graph input's type nested 6,000 deep (sequence, optional, an attribute) hits gp's nesting limit, not the stack" {
	for k in seq opt attr; do
		$GEN nesttype 6000 $k "$T/t.onnx"
		run --separate-stderr gp-load "$T/t.onnx"
		fails_cleanly "gp-load: $T/t.onnx: messages nested more than 1000 deep at byte [0-9]+ \\(gp's nesting limit\\)$"
	done
	# the limit is exact: 496 sequences (1000 messages) load, 497 do not
	$GEN nesttype 496 seq "$T/t.onnx"
	run -0 gp-load "$T/t.onnx"
	$GEN nesttype 497 seq "$T/t.onnx"
	run --separate-stderr gp-load "$T/t.onnx"
	fails_cleanly "gp-load: $T/t.onnx: messages nested more than 1000 deep"
}

@test "the deepest type gp takes loads with a quarter of the usual stack, and keeps its type" {
	$GEN nesttype 496 seq "$T/t.onnx"
	run -0 bash -c "ulimit -s 2048 && gp-load '$T/t.onnx' > '$T/t.gp'"
	want=$(python3 -c 'print("seq(" * 496 + "float32" + ")" * 496)')
	assert_equal "$(dtype_of "$T/t.gp" x)" "$want"
}

@test "20 nested Ifs load, and so do 332 through every filter; 333 hit gp's nesting limit, said plainly" {
	$GEN nestif 20 "$T/if.onnx"
	run -0 gp-load "$T/if.onnx"
	assert_equal "$(grep -c '^node.*	If	' <<< "$output")" 20
	$GEN nestif 332 "$T/if.onnx"
	run -0 bash -c "ulimit -s 2048 && gp-load '$T/if.onnx' | gp-shape | gp-partition | gp-concur |
	    gp-roofline -H t4 | gp-report --summary > '$T/r.txt'"
	grep -q '^subgraphs	1$' "$T/r.txt"
	$GEN nestif 333 "$T/if.onnx"
	run --separate-stderr gp-load "$T/if.onnx"
	fails_cleanly "gp-load: $T/if.onnx: messages nested more than 1000 deep at byte [0-9]+ \\(gp's nesting limit\\)$"
}

@test "an external_data entry gp:stripped in the file is gp's own key: ignored, whatever its value" {
	# the reviewed file: raw_data and {gp:stripped: junk}; onnx.checker accepts it
	run -0 gp-load "$H/stripped-noeq.onnx"
	assert_line --partial "tensor	w	float32	[1,4]	initializer	16	[0.0,0.0,0.0,0.0]	0"
	for v in - "" junk raw_data= raw_data=5 elements=4 elements=99999999999999999999; do
		$GEN forged "$v" "$T/f.onnx"
		run -0 gp-load "$T/f.onnx"
		assert_line "tensor	w	float32	[1,4]	initializer	16	[0.0,0.0,0.0,0.0]	0"
	done
}

@test "a model file that shrinks while it is read is an error, not SIGBUS" {
	$GEN big 128000000 "$T/big.onnx"
	changed=0
	for try in 1 2 3 4 5; do
		cp "$T/big.onnx" "$T/shrink.onnx"
		gp-load --hash "$T/shrink.onnx" > "$T/out" 2> "$T/err" &
		p=$!
		# truncate as soon as the file is mapped; hashing 128 MB takes far longer
		for i in $(seq 1000); do
			grep -q shrink.onnx "/proc/$p/maps" 2> /dev/null && break
			kill -0 $p 2> /dev/null || break
			sleep 0.005
		done
		truncate -s 1000000 "$T/shrink.onnx"
		rc=0
		wait $p || rc=$?
		# it may have finished first; it must never die of a signal
		[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
		if [ "$rc" -eq 1 ]; then
			assert_equal "$(wc -l < "$T/err")" 1
			[ ! -s "$T/out" ]
		fi
		if grep -qx "gp-load: $T/shrink.onnx: file changed while being read" "$T/err"; then
			changed=1
			break
		fi
	done
	assert_equal "$changed" 1
}

@test "names with NUL bytes keep every byte, written %00: two names differing after a NUL stay two" {
	# n2 reads "t\0two", which nothing makes: n1 makes "t\0one"
	run --separate-stderr gp-load "$H/nul-collide.onnx"
	fails_cleanly "gp-load: $H/nul-collide.onnx: graph 'g': node 'n2' \\(Relu\\) reads 't%00two', which is no graph input"
	run -0 gp-load "$H/nul-nodenames.onnx"
	assert_line "node	n%00a	Relu	ai.onnx	x	t	.	0"
	assert_line "node	n%00b	Relu	ai.onnx	t	y	.	0"
}

@test "endless input is refused from its first bytes, not read until memory runs out" {
	# input that never ends: each program must decide before reading more
	run --separate-stderr timeout 10 gp-load - < <(printf 'GIF89a'; exec sleep 15 2> /dev/null)
	fails_cleanly "gp-load: -: not an ONNX model: malformed protobuf at byte 0: unsupported wire type"
	run --separate-stderr timeout 10 gp-shape < <(printf 'junk\n'; exec sleep 15 2> /dev/null)
	fails_cleanly "gp-shape: stdin: not a gp stream \\(the first line is not '##gp<TAB>1'\\)"
	run --separate-stderr timeout 10 gp-shape < <(printf '##gp\t7\n'; exec sleep 15 2> /dev/null)
	fails_cleanly "gp-shape: stdin: gp stream version '7' is not supported \\(this gp reads 1\\)"
	# the reviewed cases: /dev/zero and yes
	run --separate-stderr timeout 10 gp-load /dev/zero
	fails_cleanly "gp-load: /dev/zero: not an ONNX model: malformed protobuf at byte 0: field number 0"
	run --separate-stderr timeout 10 gp-shape < /dev/zero
	fails_cleanly "gp-shape: stdin: not a gp stream"
	run --separate-stderr timeout 10 bash -c 'yes | gp-load -'
	fails_cleanly "gp-load: -: not an ONNX model: malformed protobuf at byte 9: ModelProto field 1 \\(ir_version\\) with wire type 2"
	run --separate-stderr timeout 10 bash -c 'yes | gp-shape'
	fails_cleanly "gp-shape: stdin: not a gp stream"
}

@test "--data-limit works over its whole range: 1,024 inline floats, and 1,048,576 values" {
	run -0 gp-load --data-limit 1024 "$H/data1024.onnx"
	assert_equal "$(awk -F'\t' '$1 == "tensor" && $2 == "w" { print gsub(/,/, ",", $7) + 1 }' <<< "$output")" 1024
	run -0 gp-load --data-limit 1023 "$H/data1024.onnx"
	assert_line --regexp '^tensor	w	float32	\[1024\]	initializer	4096	\.	0$'
	$GEN big 1048576 "$T/m.onnx"
	gp-load --data-limit 1048576 "$T/m.onnx" > "$T/all.gp"
	assert_equal "$(awk -F'\t' '$1 == "tensor" && $2 == "w" { print gsub(/0/, "0", $7) }' "$T/all.gp")" 1048576
	gp-load --data-limit 1048575 "$T/m.onnx" > "$T/none.gp"
	grep -q '^tensor	w	uint8	\[1048576\]	initializer	1048576	\.	0$' "$T/none.gp"
	# the graph hash leaves out payloads over 4 KiB whatever the limit
	assert_equal "$(grep '^##graph_sha256' "$T/all.gp")" "$(grep '^##graph_sha256' "$T/none.gp")"
}

# oom CMD...: run CMD with memory limited to about 300 MB: an address-space
# limit, or (under ASan, which needs a huge address space) its allocation
# limit, without the warning ASan adds when an allocation fails
oom() {
	if asan; then
		ASAN_OPTIONS=$ASAN_OPTIONS:max_allocation_size_mb=300:allocator_may_return_null=1 \
		    run --separate-stderr bash -c "$* 2> >(grep -v 'WARNING: AddressSanitizer failed to allocate' >&2)"
	else
		run --separate-stderr bash -c "ulimit -v 400000 && $*"
	fi
}

@test "running out of memory names the program and the input" {
	# a graph field of 1 GiB, read from a pipe
	oom "{ printf '\\x3a\\x80\\x80\\x80\\x80\\x04'; head -c 600000000 /dev/zero; } | gp-load -"
	fails_cleanly "gp-load: -: out of memory \\([0-9]+ bytes\\)$"
	# a header line of 600 MB (not NUL bytes: the reader refuses those as it meets them)
	oom "{ printf '##gp\\t1\\n##x\\t'; head -c 600000000 /dev/zero | tr '\\0' a; } | gp-shape"
	fails_cleanly "gp-shape: stdin: out of memory \\([0-9]+ bytes\\)$"
}

@test "a message megabytes long is cut to one readable line that says how long it was" {
	# a shape of 100,000 dims in a warning
	$GEN dims 100000 "$T/d.onnx"
	gp-load "$T/d.onnx" > "$T/d.gp"
	run --separate-stderr gp-shape < "$T/d.gp"
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" "^gp-shape: warning: stdin: node 'a' \\(Add\\): 'y' is declared \\[1,4\\] but is \\[1,1,1,.*,1\\.\\.\\. \\(a message of 200053 bytes, cut\\)$"
	[ "${#stderr}" -lt 4200 ]
}
