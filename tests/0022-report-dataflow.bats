#!/usr/bin/env bats
# Data flows one way: gp-shape finds the KV cache from the graph and writes it
# into the tensor records; gp-partition writes the batch, gp-concur and
# gp-roofline the batch that fills a chip; gp-report reads records and
# headers only and recomputes none of it. And the one formatter of numbers
# for people, and the one reader of whole files, as gp-report and
# gp-roofline use them.

setup() {
	load test_helper
	T=$BATS_TEST_TMPDIR
}

# sum FILE KEY: the value of KEY in gp-report --summary of FILE (first block)
sum() {
	gp-report --summary < "$1" | awk -F'\t' -v k="$2" '$1 == k { print $2; exit }'
}

# roles FILE: name, role and seq_axis of every tensor record with a role
roles() {
	awk -F'\t' '$1 == "#tensor" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "tensor" && c["role"] && $c["role"] != "." { print $c["name"], $c["role"], $c["seq_axis"] }' "$1"
}

# no_graph FILE: FILE without its graph and node records (each ##end count kept right)
no_graph() {
	awk -F'\t' '$1 == "##gp" { n = 0 } $1 ~ /^#?(graph|node)$/ { next }
		$1 == "##end" { print "##end\t" n; next }
		$1 !~ /^#/ { n++ } { print }' "$1"
}

@test "the KV cache's roles come from the graph: gpt-tiny's four pairs, whatever they are called" {
	gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=1 -D seq=1 -D past=15 > "$T/s"
	run -0 roles "$T/s"
	assert_output "$(for l in 0 1; do for kv in key value; do echo "past_${kv}_$l kv_past 2"; done; done
		for l in 0 1; do for kv in key value; do echo "present_${kv}_$l kv_present 2"; done; done)"
	# the same model with names that say nothing: the same roles, the same report
	gp-load "$DATA/gpt-tiny.onnx" | sed 's/past_key_/kc/g; s/past_value_/vc/g; s/present_key_/kn/g; s/present_value_/vn/g' |
		gp-shape -D batch=1 -D seq=1 -D past=15 > "$T/r"
	# no name says past or present (the role column does, and the dim called past)
	run -1 sh -c "awk -F'\t' '\$1 == \"tensor\" || \$1 == \"node\" { print \$2 }' '$T/r' | grep -c 'past\\|present'"
	assert_output 0
	run -0 roles "$T/r"
	assert_output "$(printf 'kc0 kv_past 2\nvc0 kv_past 2\nkc1 kv_past 2\nvc1 kv_past 2\nkn0 kv_present 2\nvn0 kv_present 2\nkn1 kv_present 2\nvn1 kv_present 2')"
	for f in s r; do
		gp-partition --fuse < "$T/$f" | gp-roofline -H t4 -p fp16 | gp-report --summary > "$T/$f.sum"
	done
	diff -u "$T/s.sum" "$T/r.sum"
	run -0 grep -E '^(phase|tokens|context|kv_cache_bytes|kv_bytes_per_token)	' "$T/r.sum"
	# 2 layers x K and V x 4 heads x 32 dims x 2 bytes (fp16) per token, 16 tokens of context
	assert_output "$(printf 'phase\tdecode\ntokens\t1\ncontext\t16\nkv_cache_bytes\t16384\nkv_bytes_per_token\t1024')"
	# LLaMA-7B's 32 layers: 64 pairs, the cache grows along axis 2
	run -0 sh -c "gp-load '$TDATA/llama-7b-shape.onnx' | gp-shape | awk -F'\t' '\$1 == \"#tensor\" { for (i = 2; i <= NF; i++) c[\$i] = i }
		\$1 == \"tensor\" && \$c[\"role\"] != \".\" { print \$c[\"role\"], \$c[\"seq_axis\"] }' | sort | uniq -c"
	assert_output "$(printf '     64 kv_past 2\n     64 kv_present 2')"
}

@test "names alone make no cache: past/present tensors that no Concat joins, or a Concat of a fixed size" {
	# past_k -> Relu -> present_k: named like a cache, not one
	{ printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n'
	  printf 'graph\t0\tg\tmain\t.\t.\t.\tpast_k\tpresent_k\n'
	  printf '#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n'
	  printf 'tensor\tpast_k\tfloat32\t[1,4,past,32]\tinput\t.\t.\t0\n'
	  printf 'tensor\tpresent_k\tfloat32\t?\toutput\t.\t.\t0\n'
	  printf '#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n'
	  printf 'node\tr\tRelu\tai.onnx\tpast_k\tpresent_k\t.\t0\n'
	  printf '##end\t4\n'; } > "$T/relu"
	gp-shape -D past=8 < "$T/relu" > "$T/s"
	run -0 grep '^#tensor' "$T/s"
	refute_output --partial role
	run -0 sh -c "gp-partition < '$T/s' | gp-report --summary"
	refute_line --regexp '^(phase|tokens|kv_cache_bytes)'
	# a Concat of an input whose dim along the axis is a number is features, not a cache
	{ printf '##gp\t1\n#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs\n'
	  printf 'graph\t0\tg\tmain\t.\t.\t.\tx\ty\n'
	  printf '#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph\n'
	  printf 'tensor\tx\tfloat32\t[1,4,8,32]\tinput\t.\t.\t0\n'
	  printf 'tensor\tr\tfloat32\t?\tintermediate\t.\t.\t0\n'
	  printf 'tensor\ty\tfloat32\t?\toutput\t.\t.\t0\n'
	  printf '#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph\n'
	  printf 'node\trelu\tRelu\tai.onnx\tx\tr\t.\t0\n'
	  printf 'node\tcat\tConcat\tai.onnx\tx,r\ty\taxis=2\t0\n'
	  printf '##end\t6\n'; } > "$T/cat"
	run -0 sh -c "gp-shape < '$T/cat' | grep '^#tensor'"
	refute_output --partial role
	# the same with the axis symbolic is a cache: the rule is the structure, not the name
	sed 's/\[1,4,8,32\]/[1,4,n,32]/' "$T/cat" | gp-shape > "$T/s"
	run -0 roles "$T/s"
	assert_output "$(printf 'x kv_past 2\ny kv_present 2')"
	# gp-partition finds them when gp-shape has not run; a role column already there is kept
	run -0 sh -c "sed 's/\[1,4,8,32\]/[1,4,n,32]/' '$T/cat' | gp-partition | awk -F'\t' '\$1 == \"#tensor\"'"
	assert_output --regexp $'\trole\tseq_axis$'
	run -0 sh -c "gp-shape < '$T/s' | gp-shape -D n=3 | grep -c 'kv_p'"
	assert_output 2
}

@test "gp-report reads records and headers only: without the graph and node records, the same report" {
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse | gp-concur | gp-roofline -H t4 -p fp16 > "$T/full"
	no_graph "$T/full" > "$T/bare"
	run -0 grep -c '^tensor	' "$T/bare"
	refute grep -q '^node	' "$T/bare"
	for o in "" --summary "--format md" "--top 4 --by bytes"; do
		gp-report $o < "$T/full" > "$T/a"
		gp-report $o < "$T/bare" > "$T/b"
		diff -u "$T/a" "$T/b"
	done
	gp-report --dot "$T/a.dot" < "$T/full" > /dev/null
	gp-report --dot "$T/b.dot" < "$T/bare" > /dev/null
	diff -u "$T/a.dot" "$T/b.dot"
	# a decode step: its prefill and decode facts from the tensor records' roles
	gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=1 --sweep seq=16,1 --sweep past=0,16 |
		gp-partition --fuse | gp-roofline -H a100-sxm -p fp16 > "$T/dec"
	gp-report < "$T/dec" > "$T/a"
	no_graph "$T/dec" | gp-report > "$T/b"
	diff -u "$T/a" "$T/b"
	run -0 grep -c '^Decode: one token at context 17$' "$T/b"
	assert_output 1
}

@test "the batch comes from a header: gp-partition's, then gp-concur's and gp-roofline's" {
	gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=2 -D seq=1 -D past=15 | gp-partition > "$T/p"
	run -0 hdr partition batch "$T/p"
	assert_output 2
	# at batch 2 the cache is twice as large, the same per token and sequence:
	# 2 layers x K and V x 4 heads x 32 dims x 4 bytes (float32)
	run -0 sum "$T/p" kv_bytes_per_token
	assert_output 2048
	run -0 sum "$T/p" kv_cache_bytes
	assert_output $((2048 * 2 * 16))
	# the report believes the header, and says nothing when it cannot know
	sed 's/^\(##partition\t.*\tbatch=\)2\t/\14\t/' "$T/p" > "$T/q"
	run -0 sum "$T/q" kv_bytes_per_token
	assert_output 1024
	sed 's/^\(##partition\t.*\tbatch=\)2\t/\1.\t/' "$T/p" > "$T/q"
	run -0 sum "$T/q" phase
	assert_output ""
	run -0 sh -c "gp-load '$DATA/gpt-tiny.onnx' | gp-partition 2> /dev/null | grep -o '	batch=[^	]*'"
	assert_output $'\tbatch=.'
}

@test "the batch that fills a chip is counted once, by gp-concur or gp-roofline, and read by gp-report" {
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse > "$T/p"
	gp-concur -H h100-sxm < "$T/p" > "$T/c"
	gp-roofline -H h100-sxm < "$T/p" > "$T/r"
	# gp-roofline counts for its chip what gp-concur -H counts for the same chip
	for k in units threads_per_unit batch_to_fill_graph batch_to_fill_threads; do
		run -0 hdr roofline "$k" "$T/r"
		assert_output "$(hdr concur "$k" "$T/c")"
		[ -n "$output" ]
	done
	run -0 hdr roofline batch_to_fill_graph "$T/r"
	assert_output 66
	# gp-report says what the header says, whatever it says
	sed 's/^\(##roofline\t.*\tbatch_to_fill_threads=\)[0-9]*/\177/' "$T/r" > "$T/x"
	run -0 sum "$T/x" batch_to_fill_threads
	assert_output 77
	run -0 gp-report < "$T/x"
	assert_line --regexp '^  batch to fill 132 units +77 \(subgraphs with half the FLOPs reach 132 x 2048 threads\)$'
	assert_line --regexp '^ +66 \(the user guide.s measure: widest stage x batch >= units\)$'
	# gp-concur's, when it was told the chip, comes first
	gp-concur --units 10 < "$T/r" > "$T/cr"
	run -0 sum "$T/cr" units
	assert_output 10
	run -0 sum "$T/cr" batch_to_fill_graph
	assert_output 5
}

@test "numbers for people: one formatter, rounding that never writes an exponent" {
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$T/p"
	# weights of 1000 KiB were "1e+03 KiB"; of 1023.7 KiB, 1 MiB
	for w in 1024000:'1000 KiB' 1048300:'1 MiB' 46738848:'44.6 MiB' 1000:'1000 B'; do
		sed "s/^\(##partition\t.*\tweight_bytes=\)[0-9]*/\1${w%%:*}/" "$T/p" > "$T/q"
		run -0 gp-report < "$T/q"
		assert_line --regexp "^  weights +${w#*:}\$"
	done
	# gp-roofline --list: four digits, no space before the prefix
	run -0 gp-roofline --list
	assert_line --regexp $'^a100-sxm\tgpu\t.*fp16=312T .*int4=1\\.248P mem=2\\.039TB/s$'
}

@test "a profile is read as every whole file is (file.c): from a pipe, never more than 1 MiB, not a directory" {
	run -0 sh -c "gp-roofline --check /dev/stdin < '$TOP/hw/t4.yaml'"
	assert_output $'/dev/stdin\tok\tt4'
	run --separate-stderr -1 gp-roofline --check /dev/zero
	fails_cleanly "gp-roofline: /dev/zero: more than 1 MiB: not a hardware profile$"
	head -c 1100000 /dev/zero | tr '\0' '#' > "$T/big.yaml"
	run --separate-stderr -1 gp-roofline --check "$T/big.yaml"
	fails_cleanly "gp-roofline: $T/big.yaml: more than 1 MiB: not a hardware profile$"
	mkdir "$T/d.yaml"
	run --separate-stderr -1 gp-roofline --check "$T/d.yaml"
	fails_cleanly "gp-roofline: $T/d.yaml: is a directory$"
	run --separate-stderr -1 gp-roofline --check "$T/none.yaml"
	fails_cleanly "gp-roofline: $T/none.yaml: cannot open: No such file or directory$"
}
