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
	assert_regex "$stderr" ' roofline\.hw '
	# a field two header lines have must be named by its header
	run --separate-stderr gp-table stage batch < "$S"
	fails_cleanly "gp-table: stdin: column 'batch' is in several header lines; name one: concur.batch roofline.batch$"
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
