#!/usr/bin/env bats
# Every program under valgrind on a fixture: no memory error, no leak.
# (The ASan build runs the whole suite with LeakSanitizer; this covers the
# optimised build the way users run it. Valgrind cannot run ASan binaries.)

setup() {
	load test_helper
	case ${GP_TESTBIN:-} in */asan/*) skip "valgrind does not run AddressSanitizer builds" ;; esac
	V=(valgrind -q --error-exitcode=3 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all)
}

@test "gp-load, gp-shape, gp-partition, gp-concur, gp-roofline, gp-report: no errors, no leaks" {
	d=$BATS_TEST_TMPDIR
	"${V[@]}" gp-load "$DATA/googlenet.onnx" > "$d/1.gp"
	"${V[@]}" gp-shape --batch 2 < "$d/1.gp" > "$d/2.gp"
	"${V[@]}" gp-partition --fuse < "$d/2.gp" > "$d/3.gp"
	"${V[@]}" gp-concur --order best -H t4 --budget 100M < "$d/3.gp" > "$d/4.gp"
	"${V[@]}" gp-roofline -H t4 -p int8 < "$d/4.gp" > "$d/5.gp"
	"${V[@]}" gp-report --roofline "$d/r.svg" --dot "$d/g.dot" < "$d/5.gp" > "$d/6.txt"
	"${V[@]}" gp-report --compare "$d/5.gp" "$d/4.gp" > /dev/null
	"${V[@]}" gp-roofline --list > /dev/null
	"${V[@]}" gp-calibrate --quick --threads 2 > /dev/null 2>&1
	run -0 grep -c '^On t4 (int8)$' "$d/6.txt"
	# and the error paths: no memory error; they exit through gp_die (_exit), whose
	# memory is the kernel's to free, so only what is lost counts there
	E=(valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite)
	run -1 "${E[@]}" gp-concur < "$d/1.gp"
	run -1 "${E[@]}" gp-roofline --check "$TDATA/hw/test-chip.yaml" /dev/null
}
