#!/usr/bin/env bats
# gp-report: golden reports of the fixture models, the --summary keys, --top,
# --compare, the pictures (gnuplot, Graphviz), and what a terminal gets.

setup() {
	load test_helper
}

# full MODEL HW: the whole pipeline up to gp-report's input, into $S
full() {
	S=$BATS_TEST_TMPDIR/$(basename "$1" .onnx)-$2.gp
	gp-load "$1" | gp-partition --fuse | gp-concur | gp-roofline -H "$2" -p fp16 > "$S"
}

# sum KEY: the value of KEY in gp-report --summary
sum() {
	gp-report --summary < "$S" | awk -F'\t' -v k="$1" '$1 == k { print $2 }'
}

@test "usage errors" {
	run --separate-stderr -2 gp-report --top 0
	assert_equal "$stderr" "gp-report: --top: '0' is not a count from 1 to 1000000"
	run --separate-stderr -2 gp-report --by heat
	assert_equal "$stderr" "gp-report: --by: 'heat' is not flops, bytes or time"
	run --separate-stderr -2 gp-report --format html
	assert_equal "$stderr" "gp-report: --format: 'html' is not text or md"
	run --separate-stderr -2 gp-report --compare
	run --separate-stderr -2 gp-report --summary --top 3
	run --separate-stderr -2 gp-report stray.gp
}

@test "golden reports: the fixture CNNs through the whole pipeline on a T4, text and Markdown" {
	for m in resnet18 mobilenet_v2 efficientnet_b0; do
		full "$DATA/$m.onnx" t4
		gp-report < "$S" > "$BATS_TEST_TMPDIR/got"
		diff -u "$GOLDEN/report/$m-t4.txt" "$BATS_TEST_TMPDIR/got"
	done
	full "$DATA/resnet18.onnx" t4
	gp-report --format md < "$S" > "$BATS_TEST_TMPDIR/got"
	diff -u "$GOLDEN/report/resnet18-t4.md" "$BATS_TEST_TMPDIR/got"
}

@test "sections whose data is not in the stream are left out, not printed as zeros" {
	gp-load "$DATA/mobilenet_v2.onnx" | gp-partition | gp-report > "$BATS_TEST_TMPDIR/got"
	diff -u "$GOLDEN/report/mobilenet_v2-partition.txt" "$BATS_TEST_TMPDIR/got"
	run -0 cat "$BATS_TEST_TMPDIR/got"
	refute_line --partial "stages"
	refute_line --partial "peak activations"
	refute_line --regexp "^On "
	assert_line --regexp "^Depthwise convolutions: 17 of 99 subgraphs$"
	# and no summary key for them either
	gp-load "$DATA/mobilenet_v2.onnx" | gp-partition > "$BATS_TEST_TMPDIR/s"
	run -0 gp-report --summary < "$BATS_TEST_TMPDIR/s"
	refute_line --regexp "^(stages|max_parallel|latency_s|hw)	"
	assert_line "depthwise	17"
}

@test "--summary: exact numbers, macs the exact sum of the subgraphs' macs column" {
	full "$DATA/resnet18.onnx" t4
	sumcol() {
		awk -F'\t' -v k="$1" '$1 == "#subgraph" { for (i = 2; i <= NF; i++) if ($i == k) c = i }
			$1 == "subgraph" { s += $c } END { printf "%.0f\n", s }' "$S"
	}
	run -0 sum macs
	assert_output "$(sumcol macs)"
	assert_output 1814073344
	run -0 sum flops
	assert_output "$(sumcol flops)"
	run -0 sum params
	assert_output 11684712
	for k in model subgraphs flops macs params stages max_parallel critical_ops peak_activation_bytes \
		hw precision latency_s throughput_per_s energy_j; do
		run -0 sum "$k"
		assert_regex "$output" '^[^.]'
	done
	run -0 sum model
	assert_output resnet18
	run -0 sum max_parallel
	assert_output 2
	# every line is KEY<TAB>VALUE, each key once
	run -0 sh -c "gp-report --summary < '$S' | awk -F'\t' 'NF != 2 || seen[\$1]++ { print }'"
	assert_output ""
}

@test "--top N --by flops|bytes|time: the heaviest first" {
	full "$DATA/mobilenet_v2.onnx" t4
	run -0 gp-report --top 4 --by bytes < "$S"
	assert_equal "${#lines[@]}" 5
	assert_line --index 0 --regexp '^ +id +name +kind +FLOPs +share +bytes +AI +bound +latency +limit$'
	# the bound and the limit are gp-roofline's (bound_hw), not gp-partition's thresholds
	assert_line --index 1 --regexp ' (compute|memory|launch) +[0-9.]+ [mun]?s  +[a-z]'
	# the ids, in the order of the column (then the lowest id first), as gp-report lists them
	for by in bytes_hw:bytes latency_s:time flops:flops; do
		want=$(awk -F'\t' -v k="${by%%:*}" '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
			$1 == "subgraph" { print $c[k] "\t" $2 }' "$S" | sort -t '	' -k1,1gr -k2,2n | head -n 6 | cut -f2)
		run -0 sh -c "gp-report --top 6 --by ${by#*:} < '$S' | awk 'NR > 1 { print \$1 }'"
		assert_output "$want"
	done
	heaviest=$(awk -F'\t' '$1 == "#subgraph" { for (i = 2; i <= NF; i++) c[$i] = i }
		$1 == "subgraph" && $c["flops"] > m { m = $c["flops"]; n = $c["name"] } END { print n }' "$S")
	run -0 sh -c "gp-report --top 10 --by flops < '$S' | awk 'NR == 2 { print \$2 }'"
	assert_output "$heaviest"
	gp-load "$DATA/mobilenet_v2.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -1 gp-report --top 3 --by time < "$BATS_TEST_TMPDIR/p"
	fails_cleanly "gp-report: stdin: --by time: the subgraphs have no latency_s \\(run gp-roofline first\\)"
}

@test "--compare: one row per model, a latency column per chip" {
	for m in resnet18 mobilenet_v2; do
		for hw in t4 a100-sxm; do
			full "$DATA/$m.onnx" "$hw"
		done
	done
	run -0 gp-report --compare "$BATS_TEST_TMPDIR"/*.gp
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp '^ +model +batch +FLOPs +MACs +params +AI +max parallel +critical path +peak memory +latency a100-sxm +latency t4$'
	assert_line --index 1 --regexp '^ +mobilenet_v2 +1 +621 M +301 M +3.49 M +9.01 +1 +54 +19 MiB +[0-9.]+ us +[0-9.]+ us$'
	assert_line --index 2 --regexp '^ +resnet18 +1 +3.64 G +1.81 G +11.7 M +50.1 +2 +20 +48.4 MiB '
	run -0 gp-report --compare --format md "$BATS_TEST_TMPDIR"/*.gp
	assert_line --index 2 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	run --separate-stderr -1 gp-report --compare "$BATS_TEST_TMPDIR/none.gp"
	fails_cleanly "gp-report: $BATS_TEST_TMPDIR/none.gp: cannot open: No such file or directory"
}

@test "--roofline draws the chart with gnuplot; --dot the DAG, the critical path in red" {
	full "$DATA/resnet18.onnx" t4
	run -0 gp-report --roofline "$BATS_TEST_TMPDIR/r.svg" --dot "$BATS_TEST_TMPDIR/g.dot" < "$S"
	assert_line --index 0 "gp report: resnet18"
	run -0 grep -c '<svg' "$BATS_TEST_TMPDIR/r.svg"
	run -0 grep -c 'ridge 20' "$BATS_TEST_TMPDIR/r.svg"
	# the T4's CUDA cores (16.2 T OP/s in fp16) and its L2 under the HBM roof
	run -0 grep -c 'vector unit: 16.2 T OP/s' "$BATS_TEST_TMPDIR/r.svg"
	run -0 grep -c 'l2: 1.63 T B/s' "$BATS_TEST_TMPDIR/r.svg"
	# every subgraph a node, every dependency an edge; the path's nodes and links red
	run -0 grep -c '^	s[0-9]* \[label=' "$BATS_TEST_TMPDIR/g.dot"
	assert_output 23
	run -0 grep -c 'label=.*color="#c0392b"' "$BATS_TEST_TMPDIR/g.dot"
	assert_output 20
	run -0 grep -c ' -> .*color="#c0392b"' "$BATS_TEST_TMPDIR/g.dot"
	assert_output 19
	run -0 dot -Tsvg -o "$BATS_TEST_TMPDIR/g.svg" "$BATS_TEST_TMPDIR/g.dot"
	gp-report --dot "$BATS_TEST_TMPDIR/g.png" --roofline "$BATS_TEST_TMPDIR/r.png" < "$S" > /dev/null
	run -0 file -b "$BATS_TEST_TMPDIR/g.png" "$BATS_TEST_TMPDIR/r.png"
	assert_line --index 0 --partial "PNG image data"
	assert_line --index 1 --partial "PNG image data"
	# no roofline data: an error, no file, nothing on stdout
	gp-load "$DATA/resnet18.onnx" | gp-partition > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr -1 gp-report --roofline "$BATS_TEST_TMPDIR/x.svg" < "$BATS_TEST_TMPDIR/p"
	fails_cleanly "gp-report: stdin: --roofline needs gp-roofline's data"
	[ ! -e "$BATS_TEST_TMPDIR/x.svg" ]
	run --separate-stderr -1 gp-report --dot "$BATS_TEST_TMPDIR/x.jpg" < "$S"
	fails_cleanly "gp-report: $BATS_TEST_TMPDIR/x.jpg: --dot writes .dot, or .svg, .png or .pdf drawn with Graphviz"
	run --separate-stderr -1 gp-report --dot "$BATS_TEST_TMPDIR/no/dir/g.dot" < "$S"
	fails_cleanly "gp-report: $BATS_TEST_TMPDIR/no/dir/g.dot: cannot write: No such file or directory"
	run -0 ls "$BATS_TEST_TMPDIR"
	refute_output --partial ".tmp."
}

@test "a terminal gets bold headings and names clipped to its width; NO_COLOR or a pipe gets none" {
	full "$DATA/efficientnet_b0.onnx" t4
	run -0 script -qec "COLUMNS=70 gp-report < '$S'" /dev/null
	assert_output --partial $'\033[1mModel\033[0m'
	assert_output --regexp '  /features/features\.[^ ]*\.\.\.  '
	run -0 sh -c "script -qec \"COLUMNS=100 NO_COLOR=1 gp-report < '$S'\" /dev/null | awk '/^  *id  *name/,/^\r?$/' | awk '{ sub(/\r$/, \"\") } length > 100'"
	assert_output ""
	run -0 script -qec "NO_COLOR=1 COLUMNS=70 gp-report < '$S'" /dev/null
	refute_output --partial $'\033['
	run -0 gp-report < "$S"
	refute_output --partial $'\033['
	refute_output --partial "..."
}

@test "a stream gp-partition has not seen, or a truncated one, is refused" {
	run --separate-stderr -1 gp-report < <(gp-load "$DATA/resnet18.onnx")
	fails_cleanly "gp-report: stdin: no subgraph records or ##partition header: run gp-partition first"
	full "$DATA/resnet18.onnx" t4
	run --separate-stderr -1 gp-report < <(head -n -1 "$S")
	fails_cleanly "gp-report: stdin: "
}

@test "--compare with a latency column per chip for a dozen chips (found in review: more than 16 columns)" {
	mkdir "$BATS_TEST_TMPDIR/hw"
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse > "$BATS_TEST_TMPDIR/p"
	for i in $(seq 1 12); do
		sed "s/^name: test-chip/name: chip$i/; s/^  fp32: 1T/  fp32: ${i}T/" "$TDATA/hw/test-chip.yaml" > "$BATS_TEST_TMPDIR/hw/chip$i.yaml"
		GP_HW_PATH=$BATS_TEST_TMPDIR/hw gp-roofline -H "chip$i" < "$BATS_TEST_TMPDIR/p" > "$BATS_TEST_TMPDIR/r$i.gp"
	done
	run -0 gp-report --compare "$BATS_TEST_TMPDIR"/r*.gp
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp ' latency chip1 .* latency chip12 '
	assert_line --index 1 --regexp '^ +resnet18 +1 +3\.64 G '
}
