#!/usr/bin/env bats
# Hostile input to the tools around the filters (an adversarial review): hardware
# profiles that are several documents, aliases, deep nesting or 1 MB of keys;
# pictures and profiles written into missing directories, through symbolic
# links, by a drawing program that dies, or interrupted; gp-diff tables that
# say one thing twice; sweep cells whose programs crash; two sweeps at once.

setup() {
	load test_helper
	T=$BATS_TEST_TMPDIR
	H=$TDATA/hostile-tools
	CHIP=$TDATA/hw/test-chip.yaml
}

# chain N: a gp-load stream of N Relu nodes one after another
chain() {
	awk -v n="$1" 'BEGIN {
		print "##gp\t1"
		print "#graph\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs"
		printf "graph\t0\tg\tmain\t.\t.\t.\tt0\tt%d\n", n
		print "#tensor\tname\tdtype\tshape\tkind\tbytes\tdata\tgraph"
		for (i = 0; i <= n; i++)
			printf "tensor\tt%d\tfloat32\t[1,16]\t%s\t64\t.\t0\n", i, i == 0 ? "input" : i == n ? "output" : "intermediate"
		print "#node\tname\top\tdomain\tinputs\toutputs\tattrs\tgraph"
		for (i = 1; i <= n; i++)
			printf "node\tn%d\tRelu\tai.onnx\tt%d\tt%d\t.\t0\n", i, i - 1, i
		printf "##end\t%d\n", 2 * n + 2
	}'
}

# the test chip without its sources, for a test to add its own
chip_body() {
	sed '/^sources:/,$d' "$CHIP"
}

# refused FILE WHAT [SECONDS]: gp-roofline --check FILE fails cleanly, within
# SECONDS (20), with "gp-roofline: FILE:WHAT" (WHAT a regular expression)
refused() {
	run --separate-stderr -1 timeout "${3:-20}" gp-roofline --check "$1"
	fails_cleanly "gp-roofline: $1:$2"
}

# stub DIR NAME BODY: an executable sh script DIR/NAME doing BODY
stub() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "$3" > "$1/$2"
	chmod +x "$1/$2"
}

@test "a second YAML document in a profile, even a broken one, is refused at its line" {
	refused "$H/two-docs.yaml" "27:1: a second YAML document: a hardware profile is one document"
	# a whole second profile, valid on its own
	{ cat "$CHIP"; echo ---; cat "$CHIP"; } > "$T/end.yaml"
	refused "$T/end.yaml" "27:1: a second YAML document"
	# one document, with its markers, is a profile
	{ echo ---; cat "$CHIP"; echo ...; } > "$T/one.yaml"
	run -0 gp-roofline --check "$T/one.yaml"
}

@test "anchors and aliases are refused: a list of 2000 covers aliased by 2000 sources is not expanded" {
	{
		chip_body
		echo "sources:"
		echo "  - cite: made up"
		printf '    covers: &c [units, clock_hz, threads_per_unit, peak_ops, memory, power, launch_s'
		awk 'BEGIN { for (i = 0; i < 2000; i++) printf ", a%d", i }'
		echo "]"
		awk 'BEGIN { for (i = 0; i < 2000; i++) printf "  - cite: x\n    covers: *c\n" }'
	} > "$T/laughs.yaml"
	refused "$T/laughs.yaml" "26:13: an anchor \(&c\): a hardware profile has no anchors or aliases"
	# an alias alone (of a key defined in a flow) and an anchor alone
	sed 's/^units: 10$/units: *u/' "$CHIP" > "$T/alias.yaml"
	refused "$T/alias.yaml" "6:8: an alias \(\*u\)"
	sed 's/^units: 10$/units: \&u 10/' "$CHIP" > "$T/anchor.yaml"
	refused "$T/anchor.yaml" "6:8: an anchor \(&u\)"
}

@test "nesting deeper than 8 levels is refused as it is read: 200,000 levels at once, not in minutes" {
	awk '$0 == "units: 10" { printf "units: "; for (i = 0; i < 200000; i++) printf "["
		for (i = 0; i < 200000; i++) printf "]"; print ""; next } { print }' "$CHIP" > "$T/seq.yaml"
	refused "$T/seq.yaml" "6:15: nested more than 8 levels deep: not a hardware profile" 10
	{ cat "$CHIP"; printf 'per_thread: '
	  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; printf "1"; for (i = 0; i < 100000; i++) printf "}"; print "" }'; } > "$T/map.yaml"
	refused "$T/map.yaml" "27:41: nested more than 8 levels deep" 10
	# block style: indentation
	{ cat "$CHIP"; awk 'BEGIN { for (i = 0; i < 12; i++) { printf "%*sx%d:\n", 2 * i, "", i } printf "%*s1\n", 24, "" }'; } > "$T/block.yaml"
	refused "$T/block.yaml" "35:17: nested more than 8 levels deep"
	# 8 levels are read, and the schema says what is wrong with them
	sed 's/^units: 10$/units: [[[[[[[1]]]]]]]/' "$CHIP" > "$T/eight.yaml"
	refused "$T/eight.yaml" "6:8: 'units' must be a single value"
	sed 's/^units: 10$/units: [[[[[[[[1]]]]]]]]/' "$CHIP" > "$T/nine.yaml"
	refused "$T/nine.yaml" "6:15: nested more than 8 levels deep"
}

@test "1 MB of per_thread keys or of covers entries is checked in n log n: seconds, not half a minute" {
	# 80,000 per_thread numbers (the old duplicate check compared every pair)
	{ chip_body; echo "per_thread:"; awk 'BEGIN { for (i = 0; i < 80000; i++) printf "  k%d: 1\n", i }'
	  echo "sources:"; echo "  - cite: made up"
	  echo "    covers: [units, clock_hz, threads_per_unit, peak_ops, memory, power, launch_s, per_thread]"; } > "$T/pt.yaml"
	run -0 timeout 10 gp-roofline --check "$T/pt.yaml"
	assert_output "$T/pt.yaml	ok	test-chip"
	# 20,000 numbers, each looked for in 60,000 covers (the old check compared every pair)
	{ chip_body; echo "per_thread:"; awk 'BEGIN { for (i = 0; i < 20000; i++) printf "  k%d: 1\n", i }'
	  echo "sources:"; echo "  - cite: made up"
	  printf '    covers: ['; awk 'BEGIN { for (i = 0; i < 60000; i++) printf "zz, " }'
	  echo "units, clock_hz, threads_per_unit, peak_ops, memory, power, launch_s, per_thread]"; } > "$T/covers.yaml"
	run -0 timeout 10 gp-roofline --check "$T/covers.yaml"
	# the same errors as before, at the same places: the first key twice, the first number not covered
	{ cat "$T/pt.yaml"; } | sed 's/^  k79990:/  k17:/; s/^  k79995:/  k3:/' > "$T/dup.yaml"
	refused "$T/dup.yaml" "80015:3: field 'per_thread.k17' appears twice" 10
	sed 's/launch_s, per_thread\]/launch_s, per_thread.k1, per_thread.k10, per_thread.k2]/' "$T/covers.yaml" |
		sed 's/^    covers: \[zz/    covers: [per_thread.k0, per_thread.k, per_thread.k100x, zz/' > "$T/unc.yaml"
	refused "$T/unc.yaml" "28: 'per_thread.k3' has no source" 10
	# a cover names a field or a section of it, never a prefix of a name
	sed 's/    covers: \[units,/    covers: [units, unit, units.x, peak_ops.fp3, peak_ops.fp32x, peak_, peak_ops.fp16, peak_ops.fp32,/; s/, peak_ops, memory,/, memory.dram, memory.sram.capacity, memory.sram.bandwidth,/' "$CHIP" > "$T/prefix.yaml"
	run -0 gp-roofline --check "$T/prefix.yaml"
	sed 's/\[units, /[unit, units.x, /' "$CHIP" > "$T/prefix2.yaml"
	refused "$T/prefix2.yaml" "6: 'units' has no source"
	sed 's/, memory,/, memory.dram, memory.sra,/' "$CHIP" > "$T/prefix3.yaml"
	refused "$T/prefix3.yaml" "18: 'memory.sram.capacity' has no source"
}

@test "gp-report: a picture that cannot be written is said first, naming it and why, before the stream is read" {
	# the stream is not even a gp stream: the destination is checked before it is read
	run --separate-stderr -1 gp-report --dot "$T/nodir/g.svg" <<< "junk"
	fails_cleanly "gp-report: $T/nodir/g.svg: cannot write: No such file or directory$"
	run --separate-stderr -1 gp-report --roofline "$T/nodir/r.svg" <<< "junk"
	fails_cleanly "gp-report: $T/nodir/r.svg: cannot write: No such file or directory$"
	touch "$T/file"
	run --separate-stderr -1 gp-report --dot "$T/file/g.dot" <<< "junk"
	fails_cleanly "gp-report: $T/file/g.dot: cannot write: Not a directory$"
	mkdir "$T/g.svg"
	run --separate-stderr -1 gp-report --dot "$T/g.svg" <<< "junk"
	fails_cleanly "gp-report: $T/g.svg: cannot write: Is a directory$"
	if [ "$(id -u)" != 0 ]; then
		mkdir "$T/ro" && chmod a-w "$T/ro"
		run --separate-stderr -1 gp-report --roofline "$T/ro/r.svg" <<< "junk"
		fails_cleanly "gp-report: $T/ro/r.svg: cannot write: Permission denied$"
	fi
	# a link to /dev/null is written in place: the device stays a device
	ln -s /dev/null "$T/null.dot"
	chain 3 | gp-partition > "$T/c.gp"
	run -0 gp-report --dot "$T/null.dot" < "$T/c.gp"
	[ -c /dev/null ] && [ -L "$T/null.dot" ]
	run -0 find "$T" -name '*.tmp*'
	assert_output ""
}

@test "gp-report: a drawing program that stops reading or crashes is an error naming the picture, never a SIGPIPE" {
	chain 1500 | gp-partition | gp-concur | gp-roofline -H t4 > "$T/c.gp"
	# 1500 boxes are more DOT than a pipe holds: a dot that exits at once used to kill gp-report (141)
	stub "$T/stub" dot 'exit 3'
	run --separate-stderr -1 env PATH="$T/stub:$PATH" gp-report --dot "$T/g.svg" < "$T/c.gp"
	fails_cleanly "gp-report: $T/g.svg: dot failed drawing the graph \(exit status 3\)$"
	stub "$T/stub" gnuplot 'kill -SEGV $$'
	gp-load "$DATA/resnet18.onnx" | gp-partition | gp-concur | gp-roofline -H t4 > "$T/r.gp"
	run --separate-stderr -1 env PATH="$T/stub:$PATH" gp-report --roofline "$T/r.png" < "$T/r.gp"
	fails_cleanly "gp-report: $T/r.png: gnuplot was killed by signal 11 \(Segmentation fault\) drawing the roofline chart$"
	run -0 ls "$T"
	refute_output --partial ".tmp"
	refute_output --regexp '^(g\.svg|r\.png)$'
}

@test "gp-report: SIGTERM, SIGHUP or SIGINT while dot draws removes the temporary and stops dot" {
	chain 300 | gp-partition > "$T/c.gp"
	# a dot that reads everything, then takes its time
	stub "$T/stub" dot 'cat > /dev/null; exec sleep 47.25'
	for sig in TERM HUP INT; do
		# a background job ignores SIGINT: python restores the default, as a terminal has it
		PATH="$T/stub:$PATH" python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
			gp-report --dot "$T/g.svg" < "$T/c.gp" > /dev/null 2>&1 &
		pid=$!
		for i in $(seq 100); do
			ls "$T" | grep -q '^g\.svg\.tmp\.' && pgrep -f 'sleep 47.25' > /dev/null && break
			sleep 0.1
		done
		run -0 sh -c "ls '$T' | grep -c '^g\.svg\.tmp\.'"
		kill -s "$sig" "$pid"
		# waited for here, not under run: run's subshell is not gp-report's parent,
		# and its wait answers 255 for a job this shell has not reaped yet (a
		# slow exit, as the sanitizer build's, lost that race 4 times in 15)
		st=0
		wait "$pid" || st=$?
		assert_equal "$st" $((128 + $(kill -l "$sig")))
		run -0 ls "$T"
		refute_output --partial "g.svg"
		for i in $(seq 50); do
			pgrep -f 'sleep 47.25' > /dev/null || break
			sleep 0.1
		done
		run -1 pgrep -f 'sleep 47.25'
	done
}

@test "gp-report --dot shows at most the 2000 heaviest subgraphs, and says so; --dot-limit changes that" {
	chain 5000 | gp-partition | gp-concur > "$T/c.gp"
	run --separate-stderr -0 gp-report --dot "$T/g.dot" < "$T/c.gp"
	assert_equal "$stderr" "gp-report: warning: $T/g.dot: 5000 subgraphs are too many to draw: showing the 2000 heaviest (by FLOPs); --dot-limit 0 shows all"
	run -0 grep -c '^	s[0-9]* \[label=' "$T/g.dot"
	assert_output 2000
	run -0 grep -c 'the 2000 heaviest of 5000 subgraphs (by FLOPs), arrows only between them' "$T/g.dot"
	# equal FLOPs: the first 2000, and the 1999 arrows between them
	run -0 grep -c ' -> ' "$T/g.dot"
	assert_output 1999
	run --separate-stderr -0 gp-report --dot "$T/all.dot" --dot-limit 0 < "$T/c.gp"
	assert_equal "$stderr" ""
	run -0 grep -c '^	s[0-9]* \[label=' "$T/all.dot"
	assert_output 5000
	# on a chip, the heaviest by time: the same subgraphs as --top --by time
	gp-load "$DATA/resnet18.onnx" | gp-partition | gp-concur | gp-roofline -H t4 > "$T/r.gp"
	gp-report --dot "$T/r.dot" --dot-limit 5 < "$T/r.gp" > /dev/null 2>&1
	run -0 sh -c "grep -o '^	s[0-9]* ' '$T/r.dot' | tr -d '\ts ' | sort -n | tr '\n' ' '"
	want=$(gp-report --top 5 --by time < "$T/r.gp" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' | sort -n | tr '\n' ' ')
	assert_output "$want"
	run -2 gp-report --dot "$T/r.dot" --dot-limit -1 < "$T/r.gp"
}

@test "gp-calibrate -o: checked before measuring, errors name the file and why" {
	run --separate-stderr -1 gp-calibrate -v --quick --threads 1 -o "$T/nodir/p.yaml"
	fails_cleanly "gp-calibrate: $T/nodir/p.yaml: cannot write: No such file or directory$"
	touch "$T/file"
	run --separate-stderr -1 gp-calibrate -v --quick --threads 1 -o "$T/file/p.yaml"
	fails_cleanly "gp-calibrate: $T/file/p.yaml: cannot write: Not a directory$"
	ln -s loop2 "$T/loop1" && ln -s loop1 "$T/loop2"
	run --separate-stderr -1 gp-calibrate -v --quick --threads 1 -o "$T/loop1"
	fails_cleanly "gp-calibrate: $T/loop1: cannot write: Too many levels of symbolic links$"
}

@test "gp-calibrate -o LINK writes the link's target, keeping the link and the target's permissions" {
	mkdir "$T/real"
	echo old > "$T/real/p.yaml"
	chmod 640 "$T/real/p.yaml"
	ln -s real/p.yaml "$T/link.yaml"
	ln -s new.yaml "$T/dangling.yaml"
	run -0 gp-calibrate --quick --threads 1 --tdp 1 -o "$T/link.yaml"
	[ -L "$T/link.yaml" ]
	run -0 readlink "$T/link.yaml"
	assert_output real/p.yaml
	run -0 gp-roofline --check "$T/real/p.yaml"
	run -0 stat -c %a "$T/real/p.yaml"
	assert_output 640
	run -0 gp-calibrate --quick --threads 1 --tdp 1 -o "$T/dangling.yaml"
	[ -L "$T/dangling.yaml" ] && [ -f "$T/new.yaml" ]
	run -0 find "$T" -name '*.tmp*'
	assert_output ""
}

@test "gp-diff: a row or column twice is an error naming it; --tol takes plain numbers only" {
	G=$TOP/pipelines/golden/summary.tsv
	head -n 4 "$G" > "$T/old.tsv"
	# the third row twice: once as it was, once with a changed latency
	{ head -n 4 "$G"; sed -n 4p "$G" | awk -F'\t' -v OFS='\t' '{ $19 = 999; print }'; } > "$T/new.tsv"
	run --separate-stderr -2 "$TOP/pipelines/gp-diff" "$T/old.tsv" "$T/new.tsv"
	row=$(sed -n 4p "$G" | cut -f1-4 | awk -F'\t' '{ print $1 " " $2 " batch " $3 " " $4 }')
	assert_equal "$stderr" "gp-diff: $T/new.tsv:5: the row $row appears twice"
	run --separate-stderr -2 "$TOP/pipelines/gp-diff" "$T/new.tsv" "$T/old.tsv"
	assert_equal "$stderr" "gp-diff: $T/new.tsv:5: the row $row appears twice"
	awk -F'\t' -v OFS='\t' 'NR == 1 { $6 = "macs" } { print }' "$T/old.tsv" > "$T/col.tsv"
	run --separate-stderr -2 "$TOP/pipelines/gp-diff" "$T/old.tsv" "$T/col.tsv"
	assert_equal "$stderr" "gp-diff: $T/col.tsv:1: the column macs appears twice"
	for t in . - 1e +.e -1 '1 ' 0x1 inf nan '' 1e+ ..1; do
		run --separate-stderr -2 "$TOP/pipelines/gp-diff" --tol "$t" "$T/old.tsv" "$T/old.tsv"
		assert_equal "$stderr" "gp-diff: --tol: '$t' is not a number"
	done
	for t in 0 0.01 .5 5. 1e-3 2E+2; do
		run -0 "$TOP/pipelines/gp-diff" --tol "$t" "$T/old.tsv" "$T/old.tsv"
	done
}

@test "a sweep cell names the program that crashed and its signal, or that failed and its status" {
	BIN=$(dirname "$(command -v gp-load)")
	S=$T/bin
	mkdir "$S"
	for p in gp-load gp-shape gp-partition gp-concur gp-roofline gp-report; do ln -s "$BIN/$p" "$S/$p"; done
	rm "$S/gp-partition"
	stub "$S" gp-partition 'kill -SEGV $$'
	run -1 env GP_BIN="$S" GP_HW_PATH="$TOP/hw" "$TOP/pipelines/cell" "$DATA/resnet18.onnx" t4 1 model "$T/out/c"
	assert_line --index 0 "cell resnet18 t4 batch 1 model failed: gp-partition was killed by signal 11 (SIGSEGV)"
	stub "$S" gp-partition 'cat > /dev/null; exit 7'
	run -1 env GP_BIN="$S" GP_HW_PATH="$TOP/hw" "$TOP/pipelines/cell" "$DATA/resnet18.onnx" t4 1 model "$T/out/c"
	assert_line --index 0 "cell resnet18 t4 batch 1 model failed: gp-partition failed (exit status 7)"
	rm "$S/gp-partition" && ln -s "$BIN/gp-partition" "$S/gp-partition"
	rm "$S/gp-report"
	stub "$S" gp-report 'kill -ABRT $$'
	run -1 env GP_BIN="$S" GP_HW_PATH="$TOP/hw" "$TOP/pipelines/cell" "$DATA/resnet18.onnx" t4 1 model "$T/out/c"
	assert_line --index 0 "cell resnet18 t4 batch 1 model failed: gp-report was killed by signal 6 (SIGABRT)"
	# the program that failed first, not the ones that then read nothing
	run -1 env GP_BIN="$BIN" GP_HW_PATH="$TOP/hw" "$TOP/pipelines/cell" "$TDATA/bad-matmul.onnx" t4 1 model "$T/out/c"
	assert_line --index 0 "cell bad-matmul t4 batch 1 model failed: gp-shape failed (exit status 1)"
	run -0 ls "$T/out"
	assert_output ""
}

@test "two sweeps into one RESULTS at once both succeed; a stale summary.tsv.tmp is no obstacle" {
	BIN=$(dirname "$(command -v gp-load)")
	R=$T/results
	# the T4's profile, which each round makes newer, so that both sweeps redo its cells
	mkdir "$T/hw" && cp "$TOP/hw/t4.yaml" "$T/hw/"
	sweep() { make -s -C "$TOP/pipelines" sweep BIN="$BIN" RESULTS="$R" JOBS=2 HW_PATH="$T/hw" "$@" 2>&1; }
	mkdir -p "$R/summary.tsv.tmp"
	run -0 sweep MODELS='data/resnet18.onnx data/mobilenet_v2.onnx' HW='t4 a100-sxm' BATCH='1 8'
	assert_line "sweep: 8 cells in $R/summary.tsv"
	rmdir "$R/summary.tsv.tmp"
	for i in 1 2 3; do
		sleep 1
		touch "$T/hw/t4.yaml"
		sweep MODELS='data/resnet18.onnx data/mobilenet_v2.onnx' HW='t4 a100-sxm' BATCH='1 8' > "$T/a" &
		a=$!
		sweep MODELS=data/resnet18.onnx HW=t4 BATCH=1 > "$T/b" &
		b=$!
		wait "$a" || { cat "$T/a"; false; }
		wait "$b" || { cat "$T/b"; false; }
		run -0 cat "$T/a" "$T/b"
		assert_line "sweep: 8 cells in $R/summary.tsv"
		assert_line "sweep: 1 cells in $R/summary.tsv"
	done
	run -0 find "$R" -name '*.tmp*'
	assert_output ""
}
