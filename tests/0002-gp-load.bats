#!/usr/bin/env bats
# gp-load: ONNX to gp stream.

setup() {
	load test_helper
}

# nodes NAME: "op<TAB>name" of every node of the stream on stdin, sorted
nodes() {
	awk -F'\t' '$1 == "#node" { for (i = 2; i <= NF; i++) c[$i] = i }
	    $1 == "node" { print $(c["op"]) "\t" $(c["name"]) }' | sort
}

@test "usage errors" {
	run --separate-stderr -2 gp-load
	assert_equal "$stderr" "usage: gp-load [--hash] [--data-limit N] FILE.onnx | -"
	run --separate-stderr -2 gp-load --bogus x.onnx
	run --separate-stderr -2 gp-load a.onnx b.onnx
	run --separate-stderr -2 gp-load --data-limit -1 x.onnx
}

@test "golden: the stream of a small model" {
	run -0 gp-load tests/data/chain.onnx
	assert_output "$(cat "$GOLDEN/chain.gp")"
}

@test "golden: the stream of resnet18" {
	run -0 gp-load data/resnet18.onnx
	assert_output "$(cat "$GOLDEN/resnet18.gp")"
}

@test "every fixture lists every node, initializer, input and output of its ONNX file" {
	for f in "$DATA"/*.onnx; do
		n=$(basename "$f" .onnx)
		gp-load "$f" > "$BATS_TEST_TMPDIR/s"
		nodes < "$BATS_TEST_TMPDIR/s" > "$BATS_TEST_TMPDIR/got"
		grep '^node' "$TDATA/census/$n.tsv" | cut -f2,3 | sort > "$BATS_TEST_TMPDIR/want"
		diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
		awk -F'\t' '$1 == "tensor" && $5 != "intermediate" && $5 != "constant" { print $5 "\t" $2 }' \
			"$BATS_TEST_TMPDIR/s" | sort > "$BATS_TEST_TMPDIR/got"
		grep '^tensor' "$TDATA/census/$n.tsv" | cut -f2,3 | sort > "$BATS_TEST_TMPDIR/want"
		diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	done
}

@test "output is deterministic, and the same from a file, a pipe or stdin" {
	gp-load data/mobilenet_v2.onnx > "$BATS_TEST_TMPDIR/a"
	gp-load data/mobilenet_v2.onnx > "$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	cat data/mobilenet_v2.onnx | gp-load - | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/c"
	gp-load - < data/mobilenet_v2.onnx | grep -v '^##source	\|^##prog' > "$BATS_TEST_TMPDIR/d"
	grep -v '^##source	\|^##prog' "$BATS_TEST_TMPDIR/a" > "$BATS_TEST_TMPDIR/e"
	cmp "$BATS_TEST_TMPDIR/c" "$BATS_TEST_TMPDIR/e"
	cmp "$BATS_TEST_TMPDIR/d" "$BATS_TEST_TMPDIR/e"
}

@test "output does not depend on the locale" {
	a=$(LC_ALL=C gp-load tests/data/dtypes.onnx)
	for l in C.UTF-8 de_DE.UTF-8 fr_FR; do
		b=$(LC_ALL=$l LC_NUMERIC=$l gp-load tests/data/dtypes.onnx 2>/dev/null)
		assert_equal "$b" "$a"
	done
}

@test "external data is described, never read: the weights file is absent" {
	[ ! -e tests/data/absent.weights ]
	run -0 gp-load tests/data/chain.onnx
	assert_line $'tensor\tw\tfloat32\t[4,3,3,3]\tinitializer\t432\t.\t0'
	for f in "$DATA"/*.onnx; do
		grep -q '"location"\|location' "$f"
		gp-load "$f" > /dev/null
	done
}

@test "nodes come out in topological order" {
	for f in "$DATA"/*.onnx tests/data/chain.onnx tests/data/if.onnx; do
		gp-load "$f" | awk -F'\t' '
		    $1 == "#node" { for (i = 2; i <= NF; i++) c[$i] = i }
		    $1 == "tensor" && ($5 == "input" || $5 == "initializer") { def[$8 "/" $2] = 1 }
		    $1 == "node" {
			n = split($(c["inputs"]), in_, ",")
			for (i = 1; i <= n; i++)
				if (in_[i] != "" && in_[i] != "." && !def[$(c["graph"]) "/" in_[i]] && !def["0/" in_[i]]) {
					print "not yet defined: " in_[i] " in " $(c["name"]); bad = 1 }
			n = split($(c["outputs"]), out, ",")
			for (i = 1; i <= n; i++) def[$(c["graph"]) "/" out[i]] = 1
		    }
		    END { exit bad }'
	done
}

@test "If bodies are loaded as graphs tied to their node, ordered by what they read" {
	run -0 gp-load tests/data/if.onnx
	assert_line $'graph\t1\telse\tsubgraph\tif\telse_branch\t.\t.\te_out'
	assert_line $'graph\t2\tthen\tsubgraph\tif\tthen_branch\t.\t.\tt_out'
	assert_line $'node\tif\tIf\tai.onnx\tcond\ty\telse_branch=G:1;then_branch=G:2\t0'
	assert_line $'node\tthen_relu\tRelu\tai.onnx\touter\tt_out\t.\t2'
	# abs produces "outer", read only inside the branches: it must come first
	run -0 bash -c "gp-load tests/data/if.onnx | grep '^node' | cut -f2 | head -2 | paste -sd' '"
	assert_output "abs if"
}

@test "functions, contrib domains and old opsets load" {
	run -0 gp-load tests/data/function.onnx
	assert_line $'##opset\tai.onnx\t7'
	assert_line $'##opset\tcom.microsoft\t1'
	assert_line $'graph\t1\tTwice\tfunction\t.\t.\tlocal\ta\tb'
	assert_line $'node\tfused\tFusedGemm\tcom.microsoft\tt,t\ty\talpha=1.0\t0'
	assert_line $'node\tAdd_0\tAdd\tai.onnx\ta,a\tb\t.\t1'
}

@test "values of small tensors of every dtype, and every attribute type" {
	run -0 gp-load tests/data/dtypes.onnx
	assert_line $'tensor\tf16\tfloat16\t[3]\tinitializer\t6\t[1.0,-2.5,65504.0]\t0'
	assert_line $'tensor\tbf16\tbfloat16\t[2]\tinitializer\t4\t[1.0,-2.0]\t0'
	assert_line $'tensor\tf64\tfloat64\t[2]\tinitializer\t16\t[0.1,-1e+300]\t0'
	assert_line $'tensor\ti64\tint64\t[3]\tinitializer\t24\t[-9223372036854775808,0,9223372036854775807]\t0'
	assert_line $'tensor\tu64\tuint64\t[1]\tinitializer\t8\t[18446744073709551615]\t0'
	assert_line $'tensor\tbool\tbool\t[2]\tinitializer\t2\t[1,0]\t0'
	assert_line $'tensor\tstr\tstring\t[2]\tinitializer\t.\t["a%2Cb","tab%09here"]\t0'
	assert_line $'tensor\tc64\tcomplex64\t[1]\tinitializer\t8\t[1.5-2.0i]\t0'
	assert_line $'tensor\tscalar\tfloat32\t[]\tinitializer\t4\t[inf]\t0'
	assert_line $'tensor\tempty\tfloat32\t[0,3]\tinitializer\t0\t[]\t0'
	assert_line $'tensor\tbig\tfloat32\t[20]\tinitializer\t80\t.\t0'
	assert_line $'tensor\ttv\tint32\t[2]\tconstant\t8\t[7,8]\t0'
	assert_line $'node\tattrs\tCustom\tcom.example\tf16\to\tf=0.25;fs=[1.0,2.5];i=-3;s="SAME_UPPER";ss=["a b","c%3Dd"];t=T:tv;tp=Y:float32%5B2%2Cn%5D;is=[]\t0'
}

@test "--data-limit sets which tensors carry their values" {
	run -0 gp-load --data-limit 20 tests/data/dtypes.onnx
	assert_line --partial $'tensor\tbig\tfloat32\t[20]\tinitializer\t80\t[0.0,1.0,2.0,'
	run -0 gp-load --data-limit 0 tests/data/chain.onnx
	assert_line $'tensor\tshape\tint64\t[2]\tinitializer\t16\t.\t0'
}

@test "--hash adds the SHA-256 of the whole file" {
	run -0 gp-load --hash data/resnet18.onnx
	assert_line "##source_sha256	$(sha256sum data/resnet18.onnx | cut -d' ' -f1)"
}

@test "the graph hash ignores the weight bytes; --hash does not" {
	a=$(gp-load --hash tests/data/weights-a.onnx | grep '^##graph_sha256')
	b=$(gp-load --hash tests/data/weights-b.onnx | grep '^##graph_sha256')
	assert_equal "$a" "$b"
	[ ${#a} -eq $((15 + 64)) ]
	a=$(gp-load --hash tests/data/weights-a.onnx | grep '^##source_sha256')
	b=$(gp-load --hash tests/data/weights-b.onnx | grep '^##source_sha256')
	[ "$a" != "$b" ]
}

@test "bad input: a missing file, a directory, an empty file" {
	run --separate-stderr gp-load nonexistent.onnx
	fails_cleanly "gp-load: nonexistent.onnx: cannot open: No such file or directory$"
	run --separate-stderr gp-load tests
	fails_cleanly "gp-load: tests: is a directory$"
	run --separate-stderr gp-load /dev/null
	fails_cleanly "gp-load: /dev/null: empty file, not an ONNX model$"
	run --separate-stderr gp-load - < /dev/null
	fails_cleanly "gp-load: -: empty file"
}

@test "bad input: random bytes and a protobuf that is not ONNX" {
	head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/r.onnx"
	run --separate-stderr gp-load "$BATS_TEST_TMPDIR/r.onnx"
	fails_cleanly "gp-load: $BATS_TEST_TMPDIR/r.onnx: not an ONNX model"
	printf '\x08\x01\x12\x03abc' > "$BATS_TEST_TMPDIR/p.onnx"
	run --separate-stderr gp-load "$BATS_TEST_TMPDIR/p.onnx"
	fails_cleanly "gp-load: $BATS_TEST_TMPDIR/p.onnx: not an ONNX model: no graph$"
	printf 'hello, world\n' > "$BATS_TEST_TMPDIR/t.onnx"
	run --separate-stderr gp-load "$BATS_TEST_TMPDIR/t.onnx"
	fails_cleanly "gp-load: $BATS_TEST_TMPDIR/t.onnx: not an ONNX model"
}

@test "bad input: a model truncated anywhere is refused, never half loaded" {
	size=$(stat -c %s data/resnet18.onnx)
	for cut in 1 2 10 100 1000 5000 9000 12000 $((size - 100)) $((size - 1)); do
		head -c "$cut" data/resnet18.onnx > "$BATS_TEST_TMPDIR/t.onnx"
		run --separate-stderr gp-load "$BATS_TEST_TMPDIR/t.onnx"
		fails_cleanly "gp-load: $BATS_TEST_TMPDIR/t.onnx: "
	done
}

@test "bad input: a cycle" {
	run --separate-stderr gp-load tests/data/bad-cycle.onnx
	fails_cleanly "gp-load: tests/data/bad-cycle.onnx: graph 'g' has a cycle \\(through node 'n2', Add\\)$"
}

@test "bad input: a dangling input, an output nobody makes, a tensor made twice" {
	run --separate-stderr gp-load tests/data/bad-dangling.onnx
	fails_cleanly "gp-load: tests/data/bad-dangling.onnx: graph 'g': node 'n1' \\(Relu\\) reads 'nowhere'"
	run --separate-stderr gp-load tests/data/bad-output.onnx
	fails_cleanly "gp-load: tests/data/bad-output.onnx: graph 'g': output 'missing' is not produced"
	run --separate-stderr gp-load tests/data/bad-twice.onnx
	fails_cleanly "gp-load: tests/data/bad-twice.onnx: graph 'g': tensor 'y' is the output of two nodes"
}

@test "bad input: absurd and negative dims, a payload that does not fit its dims" {
	run --separate-stderr gp-load tests/data/bad-absurd-dim.onnx
	fails_cleanly "gp-load: tests/data/bad-absurd-dim.onnx: tensor 'w': size overflows 64 bits$"
	run --separate-stderr gp-load tests/data/bad-negative-dim.onnx
	fails_cleanly "gp-load: tests/data/bad-negative-dim.onnx: x: negative dim -3$"
	run --separate-stderr gp-load tests/data/bad-raw-size.onnx
	fails_cleanly "gp-load: tests/data/bad-raw-size.onnx: tensor 'w': raw_data has 20 bytes, but its dims and dtype need 32$"
}
