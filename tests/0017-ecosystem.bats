#!/usr/bin/env bats
# Around the programs: gp-table against pandas and Miller, the man pages, the
# bash completion, and the Debian package.

setup() {
	load test_helper
}

# demo FILE: the README's demo stream of ResNet-18 on a T4
demo() {
	gp-load "$DATA/resnet18.onnx" | gp-partition --fuse | gp-concur | gp-roofline -H t4 -p fp16 > "$1"
}

# sweep FILE: two streams of a decoder, prefill and decode
sweep() {
	gp-load "$DATA/gpt-tiny.onnx" | gp-shape -D batch=1 --sweep seq=16,1 --sweep past=0,16 |
		gp-partition --fuse | gp-roofline -H a100-sxm -p fp16 > "$1"
}

# table_oracle STREAM FORMAT TABLE TYPE [COLUMN...]: read TABLE (gp-table's
# output) with pandas (tsv, csv) or json (json) and check it cell by cell
# against STREAM, parsed and percent-decoded here independently: the header
# row, the row count and every value, numbers as the stream's exact text.
# COLUMNs are record columns, `stream', plain header keys or HEADER.FIELD; none:
# the records' own columns. NA is the empty string.
table_oracle() {
	/usr/bin/python3 - "$@" <<'PY'
import csv, json, re, sys
import pandas as pd

path, fmt, table, typ, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]

def unesc(s):
    b, out, i = s.encode(), bytearray(), 0
    while i < len(b):
        if b[i] == 0x25:
            out.append(int(b[i + 1:i + 3], 16)); i += 3
        else:
            out.append(b[i]); i += 1
    return bytes(out)

streams = []
for line in open(path, encoding="utf-8").read().split("\n")[:-1]:
    f = line.split("\t")
    if f[0] == "##gp":
        cur = {"hdr": {}, "cols": {}, "rows": {}}
        streams.append(cur)
    elif f[0] == "##end":
        pass
    elif f[0].startswith("##"):
        cur["hdr"].setdefault(f[0][2:], f[1:])
    elif f[0].startswith("#"):
        cur["cols"][f[0][1:]] = f[1:]
        cur["rows"][f[0][1:]] = []
    else:
        cur["rows"][f[0]].append(dict(zip(cur["cols"][f[0]], f[1:])))

if not want:
    for s in streams:
        for c in s["cols"].get(typ, []):
            if c not in want:
                want.append(c)

def raw(i, s, row, c):
    """the stream's text of column c for a row of stream i"""
    if c in s["cols"][typ]:
        return row[c]
    if c == "stream":
        return str(i + 1)
    if c in s["hdr"]:
        v = s["hdr"][c]
        return v[0] if len(v) == 1 and "=" not in v[0] else "."
    key, _, field = c.partition(".")
    for kv in s["hdr"].get(key, []):
        if kv.startswith(field + "="):
            return kv[len(field) + 1:]
    return "."

expect = [[raw(i, s, row, c) for c in want]
          for i, s in enumerate(streams) if typ in s["rows"] for row in s["rows"][typ]]

def tsv(r):
    if r == ".":
        return ""
    d = unesc(r)
    if "%" not in r:
        d = r.encode()
    out = bytearray()
    for k, b in enumerate(d):
        if b < 0x20 or b == 0x7f or (b == 0x25 and "%" in r) or (k == 0 and b == 0x22):
            out += b"%%%02X" % b
        else:
            out.append(b)
    return out.decode()

jsonnum = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")
bad = 0
def check(where, got, exp):
    global bad
    if got != exp and bad < 10:
        print(f"{where}: got {got!r}, expected {exp!r}")
    bad += got != exp

if fmt == "json":
    lines = open(table, encoding="utf-8").read().split("\n")[:-1]
    check("rows", len(lines), len(expect))
    for n, (line, exp) in enumerate(zip(lines, expect)):
        obj = json.loads(line, parse_int=lambda t: ("num", t), parse_float=lambda t: ("num", t))
        check(f"row {n + 1} keys", list(obj), want)
        for c, e in zip(want, exp):
            want_v = None if e == "." else ("num", e) if jsonnum.match(e) else unesc(e).decode()
            check(f"row {n + 1} {c}", obj.get(c), want_v)
else:
    df = pd.read_csv(table, sep="\t" if fmt == "tsv" else ",", dtype=str, keep_default_na=False)
    check("header", list(df.columns), want)
    check("rows", len(df), len(expect))
    for n, (got, exp) in enumerate(zip(df.itertuples(index=False), expect)):
        for c, g, e in zip(want, got, exp):
            check(f"row {n + 1} {c}", g, tsv(e) if fmt == "tsv" else "" if e == "." else unesc(e).decode())
    # and as pandas reads it by default: numbers as numbers, equal to the stream's
    if fmt == "tsv":
        df = pd.read_csv(table, sep="\t", float_precision="round_trip")
        for n, (got, exp) in enumerate(zip(df.itertuples(index=False), expect)):
            for c, g, e in zip(want, got, exp):
                if isinstance(g, float) and g != g:
                    check(f"row {n + 1} {c} (NaN)", e, ".")
                elif not isinstance(g, str):
                    check(f"row {n + 1} {c} (number)", float(g), float(e))
print(f"{len(expect)} rows x {len(want)} columns, {bad} differences")
sys.exit(bad != 0)
PY
}

@test "gp-table: every record type of the demo stream round-trips through pandas (tsv, csv) and json" {
	S=$BATS_TEST_TMPDIR/demo.gp T=$BATS_TEST_TMPDIR/t
	demo "$S"
	for type in graph tensor node subgraph stage; do
		n=$(grep -c "^$type	" "$S")
		for fmt in tsv csv json; do
			gp-table --format "$fmt" "$type" < "$S" > "$T"
			run -0 table_oracle "$S" "$fmt" "$T" "$type"
			assert_output "$n rows x $(grep "^#$type	" "$S" | awk -F'\t' '{ print NF - 1 }') columns, 0 differences"
		done
	done
}

@test "gp-table: header fields and the stream's number, over a sweep and a concatenation" {
	S=$BATS_TEST_TMPDIR/all.gp T=$BATS_TEST_TMPDIR/t
	demo "$BATS_TEST_TMPDIR/demo.gp"
	sweep "$BATS_TEST_TMPDIR/sweep.gp"
	cat "$BATS_TEST_TMPDIR/demo.gp" "$BATS_TEST_TMPDIR/sweep.gp" > "$S"
	for fmt in tsv csv json; do
		gp-table --format "$fmt" subgraph stream source sweep.seq sweep.past roofline.hw roofline.batch \
			partition.mode flops latency_s < "$S" > "$T"
		run -0 table_oracle "$S" "$fmt" "$T" subgraph stream source sweep.seq sweep.past roofline.hw \
			roofline.batch partition.mode flops latency_s
		assert_output --partial "rows x 9 columns, 0 differences"
	done
	# the bare names say the same as the qualified ones
	diff <(gp-table subgraph seq past hw < "$S" | tail -n +2) \
		<(gp-table subgraph sweep.seq sweep.past roofline.hw < "$S" | tail -n +2)
	# 23 ResNet-18 subgraphs on a T4, then prefill and decode of the decoder on an A100
	run -0 sh -c "gp-table subgraph stream hw seq < '$S' | sort | uniq -c | sort -k2n"
	assert_line --index 0 $'      1 stream\thw\tseq'
	assert_line --index 1 --regexp $'^ +23 1\tt4\t$'
	assert_line --index 2 --regexp $'^ +[0-9]+ 2\ta100-sxm\t16$'
	assert_line --index 3 --regexp $'^ +[0-9]+ 3\ta100-sxm\t1$'
	# several streams, no COLUMN: the stream and its sweep fields first
	run -0 sh -c "gp-table graph < '$BATS_TEST_TMPDIR/sweep.gp' | head -n 1"
	assert_output $'stream\tseq\tpast\tid\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs'
	run -0 sh -c "gp-table graph < '$BATS_TEST_TMPDIR/demo.gp' | head -n 1"
	assert_output $'id\tname\tkind\tparent\tattr\tdomain\tinputs\toutputs'
}

@test "gp-table: names with tabs, newlines, quotes, percent signs and UTF-8 decode exactly" {
	S=$BATS_TEST_TMPDIR/nasty.gp T=$BATS_TEST_TMPDIR/t
	gp-load "$TDATA/nasty.onnx" > "$S"
	for type in graph tensor node; do
		for fmt in tsv csv json; do
			gp-table --format "$fmt" "$type" < "$S" > "$T"
			run -0 table_oracle "$S" "$fmt" "$T" "$type"
			assert_output --partial " 0 differences"
		done
	done
	# decoded names are the model's names (tests/data/nasty.names holds them in hex)
	gp-table --format json tensor name < "$S" | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    print(json.loads(line)["name"].encode().hex())' > "$T"
	run -0 grep -cxFf "$TDATA/nasty.names" "$T"
	assert_output 15
	# TSV keeps what it cannot hold encoded; --raw keeps everything as the stream has it
	run -0 gp-table tensor name < "$S"
	assert_line 'tab%09here'
	assert_line 'per%25cent'
	assert_line 'qu"ote'
	assert_line 'com,ma'
	run -0 gp-table --raw tensor name < "$S"
	assert_line 'com%2Cma'
	assert_line '%2E'
	diff <(gp-table --raw tensor name shape < "$S" | tail -n +2) \
		<(awk -F'\t' '$1 == "tensor" { print $2 "\t" $4 }' "$S")
}

@test "gp-table: numbers exactly as in the stream; unknown as --na, as null in JSON" {
	S=$BATS_TEST_TMPDIR/demo.gp
	demo "$S"
	diff <(gp-table subgraph id flops ai latency_s util energy_j < "$S" | tail -n +2) \
		<(cols "$S" id flops ai latency_s util energy_j)
	run -0 sh -c "gp-table --format json subgraph id ai latency_s < '$S' | head -n 1"
	assert_output "{\"id\":1,\"ai\":$(cols "$S" ai | head -n 1),\"latency_s\":$(cols "$S" latency_s | head -n 1)}"
	# the stage records' latency_s is '.': gp-concur ran before gp-roofline
	run -0 sh -c "gp-table stage id latency_s < '$S' | sed -n 2p"
	assert_output $'1\t'
	run -0 sh -c "gp-table --na . stage id latency_s < '$S' | sed -n 2p"
	assert_output $'1\t.'
	run -0 sh -c "gp-table --na NA --format csv stage id latency_s < '$S' | sed -n 2p"
	assert_output '1,NA'
	run -0 sh -c "gp-table --format json stage id latency_s < '$S' | sed -n 1p"
	assert_output '{"id":1,"latency_s":null}'
	# a value that is not a JSON number is a string: a list, a name, nan
	run -0 sh -c "gp-table --format json subgraph nodes precision < '$S' | sed -n 1p"
	assert_output '{"nodes":"/conv1/Conv,/relu/Relu","precision":"fp16"}'
}

@test "gp-table: Miller reads the TSV and CSV as gp-table wrote them" {
	S=$BATS_TEST_TMPDIR/demo.gp T=$BATS_TEST_TMPDIR/t
	demo "$S"
	for type in graph tensor node subgraph stage; do
		gp-table "$type" < "$S" > "$T.tsv"
		gp-table --format csv "$type" < "$S" > "$T.csv"
		gp-table --format json "$type" < "$S" > "$T.json"
		# Miller keeps a number's text as it read it: its JSON is ours
		diff <(mlr --itsv --ojsonl cat "$T.tsv" | sed 's/: /:/g; s/, "/,"/g; s/:""/:null/g') \
			<(sed 's/: /:/g' "$T.json")
		diff <(mlr --icsv --otsv cat "$T.csv") "$T.tsv"
	done
	# a Miller query: FLOPs per op family, the same as awk over the stream
	diff <(gp-table subgraph kind flops < "$S" | mlr --itsv --otsv stats1 -a sum -f flops -g kind then sort -f kind) \
		<(printf 'kind\tflops_sum\n'; cols "$S" kind flops |
			awk -F'\t' '{ s[$1] += $2 } END { for (k in s) printf "%s\t%.0f\n", k, s[k] }' | sort)
}

@test "gp-table: an unknown type or column is an error naming it and what there is" {
	S=$BATS_TEST_TMPDIR/demo.gp
	demo "$S"
	run --separate-stderr gp-table nosuch < "$S"
	fails_cleanly "gp-table: stdin: no 'nosuch' records; the record types are: graph tensor node subgraph stage$"
	run --separate-stderr gp-table subgraph id nosuch < "$S"
	fails_cleanly "gp-table: stdin: no column 'nosuch' in the subgraph records or the header lines; there are: id name kind "
	assert_regex "$stderr" ' partition\.mode '
	# a field two header lines have must be named by its header
	run --separate-stderr gp-table stage batch < "$S"
	fails_cleanly "gp-table: stdin: column 'batch' is in several header lines; name one: partition.batch concur.batch roofline.batch$"
	run -0 gp-table stage concur.batch < "$S"
	# the record's own column comes first: subgraph records have a batch column
	run -0 gp-table subgraph batch < "$S"
	# a damaged stream, and a malformed escape
	run --separate-stderr gp-table subgraph < <(head -n 20 "$S")
	fails_cleanly "gp-table: stdin: truncated stream"
	run --separate-stderr gp-table t a < <(printf '##gp\t1\n#t\ta\nt\tx%%zz\n##end\t1\n')
	fails_cleanly "gp-table: stdin: t record 1, column a: 'x%zz' is not percent-encoded text$"
	# usage errors
	run --separate-stderr gp-table < "$S"
	assert_equal "$status" 2
	run --separate-stderr gp-table --format xml subgraph < "$S"
	assert_equal "$status" 2
	assert_equal "$stderr" "gp-table: --format: 'xml' is not tsv, csv or json"
	run --separate-stderr gp-table subgraph id id < "$S"
	assert_equal "$status" 2
	run -0 gp-table --version
	assert_output "gp-table 0.1.0"
}

@test "gp-table --list: the record types with their rows, and the columns of one" {
	S=$BATS_TEST_TMPDIR/demo.gp
	demo "$S"
	run -0 gp-table --list < "$S"
	assert_output "$(awk -F'\t' '$1 !~ /^#/ { n[$1]++ } END { print "graph\t" n["graph"]; print "tensor\t" n["tensor"]
		print "node\t" n["node"]; print "subgraph\t" n["subgraph"]; print "stage\t" n["stage"] }' "$S")"
	run -0 gp-table --list subgraph < "$S"
	assert_line --index 0 id
	assert_line stream
	assert_line source
	assert_line hw
	assert_line roofline.hw
	assert_line concur.batch
	refute_line opset
	refute_line prog
	# every name it lists is one gp-table takes
	gp-table --list subgraph < "$S" | while read -r c; do
		gp-table subgraph "$c" < "$S" > /dev/null || { echo "$c"; return 1; }
	done
}

@test "gp-table: JSON numbers, bytes that are not UTF-8, CSV quoting, header lines, --na that a value equals" {
	S=$BATS_TEST_TMPDIR/s
	{ printf '##gp\t1\n##plain\tp%%2Cq\n##kv\ta=1\tb=x%%3Dy\n##mixed\ta=1\tnokey\n##pos\tone\ttwo\n'
	  printf '#t\tv\n'
	  for v in 0 -0 01 1. .5 1e5 1E+5 -1.5e-07 nan inf +1 0x1F 1e 12abc %2E 'a,b' 'q"q' $'\xff%FF'; do
		printf 't\t%s\n' "$v"
	  done
	  printf '##end\t18\n'; } > "$S"
	run -0 gp-table --format json t v < "$S"
	assert_equal "$(printf '%s\n' "$output" | tr '\n' ' ')" \
		'{"v":0} {"v":-0} {"v":"01"} {"v":"1."} {"v":".5"} {"v":1e5} {"v":1E+5} {"v":-1.5e-07} {"v":"nan"} {"v":"inf"} {"v":"+1"} {"v":"0x1F"} {"v":"1e"} {"v":"12abc"} {"v":"."} {"v":"a,b"} {"v":"q\"q"} {"v":"%FF%FF"} '
	# CSV quotes what needs it; TSV encodes a leading quote only
	run -0 gp-table --format csv t v < "$S"
	assert_line --index 16 '"a,b"'
	assert_line --index 17 '"q""q"'
	run -0 gp-table t v < "$S"
	assert_line --index 17 'q"q'
	# a value that would read as the --na text stays as the stream has it
	run -0 gp-table --na . t v < "$S"
	assert_line --index 15 '%2E'
	run -0 gp-table t v < "$S"
	assert_line --index 15 '.'
	# header lines: one plain value, all KEY=VALUE; not a mixed or a positional one
	run -0 gp-table --list t < "$S"
	assert_output $'v\nstream\nplain\na\nkv.a\nb\nkv.b'
	run -0 gp-table --format csv t plain kv.a b stream < "$S"
	assert_line --index 0 'plain,kv.a,b,stream'
	assert_line --index 1 '"p,q",1,x=y,1'
	run --separate-stderr gp-table t nokey < "$S"
	fails_cleanly "gp-table: stdin: no column 'nokey'"
	run --separate-stderr gp-table t mixed.a < "$S"
	fails_cleanly "gp-table: stdin: no column 'mixed.a'"
	# a type with a header and no records: the header row alone; JSON nothing
	run -0 gp-table e < <(printf '##gp\t1\n#e\tx\ty\n##end\t0\n')
	assert_output $'x\ty'
	run -0 gp-table --format json e < <(printf '##gp\t1\n#e\tx\ty\n##end\t0\n')
	assert_output ''
}

@test "gp-table under valgrind: no memory error, no leak, in every format and on its error paths" {
	case ${GP_TESTBIN:-} in */asan/*) skip "valgrind does not run AddressSanitizer builds" ;; esac
	V=(valgrind -q --error-exitcode=3 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all)
	S=$BATS_TEST_TMPDIR/all.gp
	demo "$BATS_TEST_TMPDIR/demo.gp"
	gp-load "$TDATA/nasty.onnx" | cat "$BATS_TEST_TMPDIR/demo.gp" - > "$S"
	for fmt in tsv csv json; do
		"${V[@]}" gp-table --format "$fmt" tensor < "$S" > /dev/null
		"${V[@]}" gp-table --format "$fmt" subgraph stream hw roofline.batch source flops < "$S" > /dev/null
	done
	"${V[@]}" gp-table --list < "$S" > /dev/null
	"${V[@]}" gp-table --list subgraph < "$S" > /dev/null
	E=(valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite)
	run -1 "${E[@]}" gp-table subgraph nosuch < "$S"
	run -1 "${E[@]}" gp-table stage batch < "$S"
	run -1 "${E[@]}" gp-table nosuch < "$S"
}

# programs: every program there is a man page and a completion for
programs() {
	for f in "$TOP"/filters/gp-*.c; do f=${f##*/}; echo "${f%.c}"; done
	echo gp-diff
}

# help_opts PROG...: the options PROG's --help names, one per line
help_opts() {
	"$@" --help | grep -oE '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[][ ,|(]//' | sort -u
}

# prog_cmd PROG: how to run PROG here
prog_cmd() {
	if [ "$1" = gp-diff ]; then echo "$TOP/pipelines/gp-diff"; else echo "$1"; fi
}

@test "man pages: one per program, lint-free, with the usual sections, and every option of --help" {
	command -v mandoc > /dev/null || fail "mandoc is not installed (Debian package mandoc; make check installs it)"
	# mandoc -Tlint: nothing but references it cannot look up outside an installation
	run -0 sh -c "mandoc -Tlint -W style docs/man/* 2>&1 | grep -v -e 'referenced manual not found' -e 'mandoc.db' || true"
	assert_output ""
	# every gp page another one refers to exists
	for x in $(grep -ho '^\.Xr gp[-a-z]* [0-9]' docs/man/* | awk '{ print $2 "." $3 }' | sort -u); do
		[ -f "docs/man/$x" ] || fail "a page refers to $x, which is not in docs/man/"
	done
	for p in $(programs); do
		page=docs/man/$p.1
		[ -f "$page" ] || fail "$p has no man page $page"
		text=$(mandoc -Tascii "$page" | sed 's/.\x08//g')
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
			grep -qx "$s" <<< "$text" || fail "$page has no $s section"
		done
		n=0
		for o in $(help_opts $(prog_cmd "$p")); do
			grep -qwe "$o" <<< "$text" || fail "$p --help names $o, which $page does not"
			n=$((n + 1))
		done
		[ "$n" -ge 1 ] || fail "found no option in $p --help"
	done
	for page in docs/man/gp.7 docs/man/gp-hw.5; do
		text=$(mandoc -Tascii "$page" | sed 's/.\x08//g')
		for s in NAME DESCRIPTION EXAMPLES 'SEE ALSO'; do
			grep -qx "$s" <<< "$text" || fail "$page has no $s section"
		done
	done
	# gp-hw(5)'s example is a profile gp-roofline accepts
	sed -n '/^# h100-sxm.yaml/,/covers: \[launch_s\]/p' docs/man/gp-hw.5 > "$BATS_TEST_TMPDIR/h100-sxm.yaml"
	run -0 gp-roofline --check "$BATS_TEST_TMPDIR/h100-sxm.yaml"
}

# complete WORD...: the completions bash offers for the last WORD of the
# command line WORD..., sorted, one per line (COMP_CWORD=N before the words
# completes word N instead)
complete_words() {
	local cword=$(($# - 1))
	if [[ $1 == COMP_CWORD=* ]]; then cword=${1#*=}; shift; fi
	bash -c 'source docs/gp.bash-completion
		COMP_WORDS=("${@:2}"); COMP_CWORD=$1; COMPREPLY=()
		_gp
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$cword" "$@"
}

@test "bash completion: every program, its options, profiles, values, gp-table's types and columns" {
	S=$BATS_TEST_TMPDIR/demo.gp
	demo "$S"
	for p in $(programs); do
		run -0 bash -c "source docs/gp.bash-completion; complete -p $p"
		assert_output "complete -F _gp $p"
		# every option --help names is offered
		complete_words "$p" - > "$BATS_TEST_TMPDIR/offered"
		help_opts $(prog_cmd "$p") | grep -v '^--list$' > "$BATS_TEST_TMPDIR/help" || true
		[ "$p" != gp-roofline ] || echo --list >> "$BATS_TEST_TMPDIR/help"
		run -0 comm -23 <(sort -u "$BATS_TEST_TMPDIR/help") "$BATS_TEST_TMPDIR/offered"
		assert_output ""
	done
	# -H completes the profiles gp-roofline --list names (and .yaml files, directories)
	run -0 comm -23 <(gp-roofline --list | cut -f 1) <(complete_words gp-roofline -H "")
	assert_output ""
	run -0 complete_words gp-roofline -H hw/t
	assert_output $'hw/t4.yaml\nhw/tpu-v4.yaml'
	run -0 complete_words gp-concur --hw a1
	assert_output $'a10\na100-sxm'
	run -0 complete_words gp-roofline -p fp1
	assert_output fp16
	run -0 complete_words gp-concur --order ""
	assert_output $'best\ntopo'
	run -0 complete_words gp-report --by t
	assert_output time
	run -0 complete_words gp-table --format = j
	assert_output json
	run -0 complete_words gp-partition --fu
	assert_output --fuse
	# gp-load: .onnx files
	run -0 complete_words gp-load data/resnet18
	assert_output $'data/resnet18-bn.onnx\ndata/resnet18.onnx'
	# gp-table: the record types and columns of the file after '<', wherever it is
	run -0 complete_words gp-table '<' "$S" s
	assert_output $'stage\nsubgraph'
	run -0 complete_words gp-table '<' "$S" stage wi
	assert_output width
	run -0 complete_words COMP_CWORD=2 gp-table subgraph roofline.l '<' "$S"
	assert_output $'roofline.latency_concurrent_s\nroofline.latency_s\nroofline.launch_bound_share'
	run -0 complete_words COMP_CWORD=4 gp-table --format csv subgraph ener '<' "$S"
	assert_output --partial energy_
	# and without a file, the record types gp writes
	run -0 complete_words gp-table ""
	assert_output $'graph\nnode\nstage\nsubgraph\ntensor'
}

@test "bash completion: make install puts it where bash-completion loads it, for every program" {
	[ -f /usr/share/bash-completion/bash_completion ] ||
		fail "bash-completion is not installed (Debian package bash-completion; make check installs it)"
	D=$BATS_TEST_TMPDIR/inst
	make -s install DESTDIR="$D" PREFIX=/usr > /dev/null
	for p in $(programs); do
		run -0 env BASH_COMPLETION_USER_DIR="$D/usr/share/bash-completion" bash -c '
			source /usr/share/bash-completion/bash_completion
			__load_completion "$1" && complete -p "$1"' _ "$p"
		assert_output "complete -F _gp $p"
	done
}

@test "make install: programs, gp-diff, profiles, docs, man pages and completion" {
	D=$BATS_TEST_TMPDIR/inst
	make -s install DESTDIR="$D" PREFIX=/opt/gp > /dev/null
	for p in $(programs); do
		[ -x "$D/opt/gp/bin/$p" ] || fail "no $p in bin"
		[ -f "$D/opt/gp/share/man/man1/$p.1" ] || fail "no man page of $p"
		[ -e "$D/opt/gp/share/bash-completion/completions/$p" ] || fail "no completion of $p"
	done
	[ -f "$D/opt/gp/share/man/man7/gp.7" ]
	[ -f "$D/opt/gp/share/man/man5/gp-hw.5" ]
	[ -f "$D/opt/gp/share/doc/gp/format.md" ]
	assert_equal "$(cd "$D/opt/gp/share/gp/hw" && ls *.yaml | wc -l)" "$(ls hw/*.yaml | wc -l)"
	assert_equal "$(cd "$D/opt/gp/share/gp/hw/runtime" && ls *.yaml | wc -l)" "$(ls hw/runtime/*.yaml | wc -l)"
	# MANDIR moves the pages alone
	make -s install DESTDIR="$D" PREFIX=/opt/gp MANDIR=/opt/man > /dev/null
	[ -f "$D/opt/man/man1/gp-table.1" ]
}

@test "make deb: the package holds what make install installs, lintian finds no error, it runs from where dpkg puts it" {
	command -v dpkg-buildpackage > /dev/null ||
		skip "dpkg-buildpackage is not installed (Debian package dpkg-dev; make check installs it)"
	T=$BATS_TEST_TMPDIR
	# built once by make check; again only if a file it holds changed
	make -s build/deb/stamp > "$T/log" 2>&1 || { cat "$T/log"; fail "make deb failed"; }
	v=$(sed -n 's/^#define GP_VERSION "\(.*\)"$/\1/p' lib/gp.h)
	deb=build/deb/gp_${v}_$(dpkg --print-architecture).deb
	[ -f "$deb" ] || fail "no $deb"
	assert_equal "$(dpkg-deb -f "$deb" Package Version | tr '\n' ' ')" "Package: gp Version: $v "
	run -0 dpkg-deb -f "$deb" Depends Recommends
	assert_line --regexp '^Depends: .*libyaml-0-2.*'
	assert_line --regexp '^Depends: .*libprotobuf-c1.*'
	assert_line 'Recommends: gnuplot-nox, graphviz, parallel'
	run -1 grep '^E:' build/deb/lintian.log
	# what make install puts in /usr, the package holds (dh_compress gzips man pages and docs)
	make -s install DESTDIR="$T/inst" PREFIX=/usr > /dev/null
	(cd "$T/inst" && find . ! -type d | sort) > "$T/install"
	dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's/\.gz$//' | sort > "$T/deb"
	run -0 comm -3 "$T/install" "$T/deb"
	assert_output $'\t./usr/share/doc/gp/changelog\n\t./usr/share/doc/gp/copyright'
	[ "$(wc -l < "$T/install")" -gt 50 ]
	# unpacked anywhere, the programs find their profiles beside them and run
	dpkg -x "$deb" "$T/root"
	B=$T/root/usr/bin
	run -0 env -u GP_HW_PATH "$B/gp-roofline" --list
	assert_equal "${#lines[@]}" "$(ls hw/*.yaml | wc -l)"
	run -0 env -u GP_HW_PATH sh -c "'$B/gp-load' '$DATA/resnet18.onnx' | '$B/gp-partition' --fuse | '$B/gp-concur' |
		'$B/gp-roofline' -H t4 -p fp16 | '$B/gp-table' --format csv stage hw id width | sed -n 2p"
	assert_output 't4,1,1'
	run -0 "$B/gp-table" --version
	assert_output "gp-table $v"
	run -0 zcat "$T/root/usr/share/man/man1/gp-table.1.gz"
	assert_line '.Nm gp-table'
}
