#!/usr/bin/env bats
# gp-calibrate: the options, and that the profile it measures is well-formed
# YAML with the keys of the schema and numbers no working machine falls below.

setup() {
	load test_helper
}

# profile FILE UNITS: FILE is a profile of UNITS threads with every required
# key and plausible numbers; prints "ok" or what is wrong. With python3-yaml
# it parses the YAML; without, it checks the lines.
profile() {
	if python3 -c 'import yaml' 2>/dev/null; then
		python3 - "$1" "$2" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
units = int(sys.argv[2])
bad = []
def num(v, lo, what):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= lo:
        bad.append('%s: %r' % (what, v))
for k in ('name', 'title', 'vendor', 'kind', 'units', 'unit', 'clock_hz', 'threads_per_unit',
          'peak_ops', 'memory', 'launch_s', 'per_thread', 'sources'):
    if k not in d:
        bad.append('no ' + k)
if bad:
    sys.exit(print(bad))
if d['kind'] != 'cpu' or d['unit'] != 'core' or d['units'] != units:
    bad.append('kind, unit or units')
if not isinstance(d['title'], str) or not isinstance(d['vendor'], str):
    bad.append('title or vendor')
num(d['clock_hz'], 1e7, 'clock_hz')
num(d['threads_per_unit'], 2, 'threads_per_unit')
if not isinstance(d['threads_per_unit'], int):
    bad.append('threads_per_unit is not an integer')
num(d['peak_ops']['fp32'], 1e9, 'peak_ops.fp32')
num(d['per_thread']['fp32'], 1e9, 'per_thread.fp32')
num(d['per_thread']['dram_bandwidth'], 1e8, 'per_thread.dram_bandwidth')
num(d['launch_s'], 1e-12, 'launch_s')
if d['launch_s'] > 0.1:
    bad.append('launch_s: %r' % d['launch_s'])
levels = [m['level'] for m in d['memory']]
if levels[0] != 'dram' or levels != [l for l in ('dram', 'l3', 'l2', 'l1') if l in levels]:
    bad.append('levels %r' % levels)
for m in d['memory']:
    num(m['capacity'], 1024, m['level'] + '.capacity')
    num(m['bandwidth'], 1e8, m['level'] + '.bandwidth')
    if not isinstance(m['capacity'], int):
        bad.append(m['level'] + '.capacity is not an integer')
for s in d['sources']:
    if not isinstance(s['cite'], str) or not s['covers']:
        bad.append('sources')
print(' '.join(bad) if bad else 'ok')
EOF
	else
		awk -v units="$2" '
			/^(name|title|vendor|kind|units|unit|clock_hz|threads_per_unit|peak_ops|memory|launch_s|per_thread|sources):/ { seen[$1]++ }
			$1 == "units:" && $2 != units { bad = bad " units" }
			$1 == "kind:" && $2 != "cpu" { bad = bad " kind" }
			$1 == "fp32:" && $2 !~ /^\[/ && !($2 + 0 >= 1e9) { bad = bad " fp32=" $2 }
			$1 == "bandwidth:" || $1 == "dram_bandwidth:" { if (!($2 + 0 >= 1e8)) bad = bad " " $1 $2 }
			$1 == "capacity:" || $1 == "clock_hz:" || $1 == "launch_s:" { if (!($2 + 0 > 0)) bad = bad " " $1 $2 }
			$1 == "-" && $2 == "level:" { levels = levels " " $3 }
			END {
				if (length(seen) != 13) bad = bad " keys"
				if (levels !~ /^ dram( l3)?( l2)?( l1)?$/) bad = bad " levels" levels
				print bad == "" ? "ok" : bad
			}' "$1"
	fi
}

@test "--help, --version and usage errors" {
	run -0 gp-calibrate --help
	assert_line --index 0 --partial "usage: gp-calibrate"
	assert_line --partial "--threads N"
	run -0 gp-calibrate --version
	assert_output "gp-calibrate 0.1.0"
	for bad in "--threads 0" "--threads 4097" "--threads x" "--threads -1" "--threads 2x" \
	    "--tdp 0" "--tdp -5" "--tdp watts" "--name a:b" "--name ''" "extra" "--nonsense"; do
		eval "run --separate-stderr -2 gp-calibrate --quick $bad"
		assert_equal "$output" ""
		assert_regex "$stderr" "^gp-calibrate: |^usage: gp-calibrate"
	done
	run --separate-stderr -2 gp-calibrate --threads 0
	assert_equal "$stderr" "gp-calibrate: --threads: '0' is not a number of threads (1 to 4096)"
}

@test "--quick --threads 1: a profile with every key and numbers a working machine reaches" {
	run --separate-stderr -0 gp-calibrate --quick --threads 1
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/p.yaml"
	assert_regex "$stderr" "no --tdp W given"
	assert_line --index 0 "# host.yaml - measured by gp-calibrate 0.1.0"
	assert_line "name: host"
	assert_line "kind: cpu"
	refute_line --partial "power:"
	refute_line --partial "cross_core_bandwidth"
	run -0 profile "$BATS_TEST_TMPDIR/p.yaml" 1
	assert_output ok
	# gp's own profile reader takes it: every number has a source
	run -0 gp-roofline --check "$BATS_TEST_TMPDIR/p.yaml"
	assert_output "$BATS_TEST_TMPDIR/p.yaml	ok	host"
	# one thread's figures are the all-threads figures
	# (the matrix tile, [6x16x1] on AVX2, is not a figure)
	run -0 awk '$1 == "fp32:" && $2 !~ /^\[/ { print $2 }' "$BATS_TEST_TMPDIR/p.yaml"
	assert_equal "${lines[0]}" "${lines[1]}"
}

@test "-o FILE: the profile goes there whole, with no temporary file left; -v says what it measured" {
	mkdir "$BATS_TEST_TMPDIR/o"
	run --separate-stderr -0 gp-calibrate --quick --threads 2 --name test-box --tdp 65 -v -o "$BATS_TEST_TMPDIR/o/p.yaml"
	assert_equal "$output" ""
	assert_regex "$stderr" "fp32 FMA \([a-z0-9+]+\), 2 threads, FLOP/s: [0-9]"
	assert_regex "$stderr" "triad, 1 thread, [0-9]+ MiB, bytes/s: [0-9]"
	# DRAM's read: each thread reads at least twice the largest cache
	# instance /sys names, so a thread on an instance of its own reads DRAM
	read=$(printf '%s\n' "$stderr" | sed -n 's/.*read, 2 threads, \([0-9]*\) MiB, bytes\/s.*/\1/p' | head -1)
	[ -n "$read" ]
	llc=$(cat /sys/devices/system/cpu/cpu0/cache/index*/size 2>/dev/null |
		awk '/K$/ { v = $0 + 0 } /M$/ { v = ($0 + 0) * 1024 } v > m { m = v } END { print m + 0 }')
	[ "$((read * 1024 / 2))" -ge "$((2 * llc))" ]
	run -0 ls "$BATS_TEST_TMPDIR/o"
	assert_output p.yaml
	run -0 profile "$BATS_TEST_TMPDIR/o/p.yaml" 2
	assert_output ok
	run -0 gp-roofline --check "$BATS_TEST_TMPDIR/o/p.yaml"
	run -0 cat "$BATS_TEST_TMPDIR/o/p.yaml"
	assert_line "name: test-box"
	assert_line --regexp "^  tdp_w: 65 +# given with --tdp$"
	assert_line --regexp "^title: .*, 2 threads$"
	assert_line --regexp "^    read_bandwidth: [0-9.e+]+ +# bytes/s: reading the first array on 2 threads, [0-9.]+ [MG]iB each$"
	# on more than one thread, the rate a thread reads what another wrote
	assert_line --regexp "^cross_core_bandwidth: [0-9.e+]+ +# bytes/s: 2 threads each reading the [0-9.]+ [KM]iB the next thread wrote$"
	# a file that cannot be written: one line, status 1, nothing left behind
	run --separate-stderr gp-calibrate --quick --threads 1 --tdp 1 -o "$BATS_TEST_TMPDIR/o/none/p.yaml"
	fails_cleanly "gp-calibrate: $BATS_TEST_TMPDIR/o/none/p.yaml: cannot write: No such file or directory"
	run --separate-stderr gp-calibrate --quick --threads 1 --tdp 1 -o "$BATS_TEST_TMPDIR/o"
	fails_cleanly "gp-calibrate: $BATS_TEST_TMPDIR/o: cannot write: Is a directory"
	run -0 ls "$BATS_TEST_TMPDIR/o"
	assert_output p.yaml
}
