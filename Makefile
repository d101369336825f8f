# gp - the graph partitioner. See README.md.
#
#   make              build lib/libgp.a and every filter into bin/
#   make check        install missing Debian packages, build, run every test
#   make demo         install missing Debian packages, build, run the pipeline on data/
#   make asan         the same build with AddressSanitizer and UBSan, in build/asan/
#   make fuzz         run the libFuzzer targets for FUZZ_SECONDS each (needs clang)
#   make bench        time and memory of the filters on a large model
#   make zoo-check    gp-shape against onnx on the whole torchvision zoo (needs python3-torch)
#   make validate     predicted latency against onnxruntime and MLPerf: docs/validation.md
#   make validate-accel  only the accelerators: MLPerf and Coral's table (needs no measurement)
#   make install      PREFIX=/usr/local DESTDIR=: programs, profiles, docs, man pages, bash completion
#   make deb          a Debian package in build/deb/ (docs/debian/), checked by lintian

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/gp
DOCDIR ?= $(PREFIX)/share/doc/gp
MANDIR ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
ONNX_PROTO ?= /usr/include/onnx/onnx.proto
PROTOC_C ?= protoc-c

# Users may add flags (CPPFLAGS, CFLAGS, LDFLAGS, as dpkg-buildflags gives
# them); the warnings and the standard stay.
override CPPFLAGS := -D_POSIX_C_SOURCE=200809L $(CPPFLAGS)
override CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g $(CFLAGS)
LDLIBS = -lprotobuf-c -lyaml -lmd -lm

ifeq ($(SANITIZE),fuzz)
O = build/fuzz
CC = clang
override CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
BIN = $(O)/bin
else ifeq ($(SANITIZE),1)
O ?= build/asan
override CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
BIN = $(O)/bin
else
O ?= build
BIN = bin
endif

FILTERS = gp-load gp-shape gp-partition gp-concur gp-roofline gp-report gp-calibrate gp-table
LIBSRC = $(wildcard lib/*.c)
LIBHDR = $(wildcard lib/*.h)     # gp.h and gp-model.h, the API; the others private to lib/ (op.h, onnx.h, ...)
LIBOBJ = $(LIBSRC:lib/%.c=$(O)/lib/%.o) $(O)/onnx.pb-c.o
LIB = $(if $(SANITIZE),$(O)/libgp.a,lib/libgp.a)
PROGS = $(FILTERS:%=$(BIN)/%)
TESTPROGS = $(O)/tests/t-stream $(O)/tests/t-bench $(O)/tests/t-ops $(O)/tests/t-mapping

# Debian packages: to build, and to test and run the pipelines.
DEPS = gcc make libc6-dev libyaml-dev libprotobuf-c-dev protobuf-c-compiler libonnx-dev libmd-dev gnuplot-nox graphviz
TESTDEPS = bats bats-assert bats-support parallel python3-onnx python3-networkx file valgrind \
	mandoc python3-pandas miller bash-completion
# and to build the Debian package (make deb, which make check runs)
DEBDEPS = debhelper dpkg-dev lintian

all: $(PROGS) $(TESTPROGS)

$(O)/onnx.pb-c.c $(O)/onnx.pb-c.h &: $(ONNX_PROTO)
	@mkdir -p $(O)
	$(PROTOC_C) --proto_path=$(dir $(ONNX_PROTO)) --c_out=$(O) $(ONNX_PROTO)

$(O)/onnx.pb-c.o: $(O)/onnx.pb-c.c $(O)/onnx.pb-c.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-unused-parameter -c -o $@ $<

$(O)/lib/%.o: lib/%.c $(LIBHDR) $(O)/onnx.pb-c.h
	@mkdir -p $(O)/lib
	$(CC) $(CPPFLAGS) $(CFLAGS) -DGP_SHAREDIR='"$(SHAREDIR)"' -Ilib -I$(O) -c -o $@ $<

$(O)/filters/%.o: filters/%.c lib/gp.h lib/gp-model.h
	@mkdir -p $(O)/filters
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -c -o $@ $<

# a program of several files: its main's object, and these (as mblaze's mshow)
REPORT_OBJ = $(O)/filters/report-facts.o $(O)/filters/report-text.o $(O)/filters/report-sweep.o \
	$(O)/filters/report-draw.o
$(BIN)/gp-report: $(REPORT_OBJ)
$(REPORT_OBJ) $(O)/filters/gp-report.o: filters/report.h

# gp-roofline: what the subgraph records give each kernel
ROOF_OBJ = $(O)/filters/roofline-kernel.o
$(BIN)/gp-roofline: $(ROOF_OBJ)
$(ROOF_OBJ) $(O)/filters/gp-roofline.o: filters/roofline.h

# gp-calibrate measures with threads; its kernels, pool, system facts and profile writer
CALIB_OBJ = $(O)/filters/calibrate-kernels.o $(O)/filters/calibrate-pool.o $(O)/filters/calibrate-sysinfo.o \
	$(O)/filters/calibrate-profile.o
$(BIN)/gp-calibrate: $(CALIB_OBJ)
$(CALIB_OBJ) $(O)/filters/gp-calibrate.o: filters/calibrate.h
$(O)/filters/calibrate-kernels.o: filters/calibrate-simd.h
$(CALIB_OBJ) $(O)/filters/gp-calibrate.o: override CFLAGS += -pthread
$(BIN)/gp-calibrate: override LDFLAGS += -pthread

$(LIB): $(LIBOBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/%: $(O)/filters/%.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

$(O)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(O)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Ilib -o $@ $< $(LIB) $(LDLIBS)

asan:
	$(MAKE) SANITIZE=1

# make fuzz: each libFuzzer target (tests/fuzz/) for FUZZ_SECONDS, seeded from
# data/ and tests/; crashes land in build/fuzz/ as crash-* files.
FUZZERS = fuzz-load fuzz-stream fuzz-concur fuzz-hw fuzz-tflite
FUZZ_SECONDS ?= 60
$(O)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(O)/fuzz
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -Ilib -o $@ $< $(LIB) $(LDLIBS)

fuzzers: $(FUZZERS:%=$(O)/fuzz/%)

fuzz:
	$(MAKE) deps EXTRADEPS=clang
	$(MAKE) SANITIZE=fuzz fuzzers
	tests/fuzz/run $(FUZZ_SECONDS)

# deps installs the Debian packages that are missing, with sudo when not root.
deps:
	@missing=$$(for p in $(DEPS) $(TESTDEPS) $(EXTRADEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

check: deps
	$(MAKE) all
	$(MAKE) asan
	$(MAKE) deb
	tests/run bin:build/tests build/asan/bin:build/asan/tests

demo: deps
	$(MAKE) all
	@mkdir -p build/demo
	@echo '$$ bin/gp-load data/resnet18.onnx | bin/gp-partition --fuse | bin/gp-concur | bin/gp-roofline -H t4 -p fp16 > build/demo/resnet18-t4.gp'
	@bin/gp-load data/resnet18.onnx | bin/gp-partition --fuse | bin/gp-concur | bin/gp-roofline -H t4 -p fp16 > build/demo/resnet18-t4.gp
	@echo '$$ bin/gp-report --roofline build/demo/resnet18-roofline.svg --dot build/demo/resnet18-graph.svg < build/demo/resnet18-t4.gp'
	@bin/gp-report --roofline build/demo/resnet18-roofline.svg --dot build/demo/resnet18-graph.svg < build/demo/resnet18-t4.gp
	@for m in mobilenet_v2 efficientnet_b0 googlenet; do for hw in t4 a100-sxm; do \
		bin/gp-load data/$$m.onnx | bin/gp-partition --fuse | bin/gp-concur | bin/gp-roofline -H $$hw -p fp16 > build/demo/$$m-$$hw.gp; \
	done; done
	@bin/gp-load data/resnet18.onnx | bin/gp-partition --fuse | bin/gp-concur | bin/gp-roofline -H a100-sxm -p fp16 > build/demo/resnet18-a100-sxm.gp
	@echo; echo '$$ bin/gp-report --compare build/demo/*.gp'
	@bin/gp-report --compare build/demo/*.gp
	@echo; echo '$$ bin/gp-load tests/data/llama-7b-shape.onnx | bin/gp-shape -D batch=1 --sweep seq=2048,1 --sweep past=0,2048 | bin/gp-partition --fuse | bin/gp-roofline -H a100-sxm -p fp16 | bin/gp-report | head -11'
	@bin/gp-load tests/data/llama-7b-shape.onnx | bin/gp-shape -D batch=1 --sweep seq=2048,1 --sweep past=0,2048 | \
		bin/gp-partition --fuse | bin/gp-roofline -H a100-sxm -p fp16 | bin/gp-report | head -11
	@echo; echo '$$ bin/gp-load data/tflite/selfie_segmentation.tflite | bin/gp-partition --fuse | bin/gp-concur | bin/gp-roofline -H rpi5   # and -H coral-edgetpu -p int8'
	@mkdir -p build/demo/tflite
	@for hw in rpi5 coral-edgetpu; do bin/gp-load data/tflite/selfie_segmentation.tflite | bin/gp-partition --fuse | \
		bin/gp-concur | bin/gp-roofline -H $$hw $$([ $$hw = coral-edgetpu ] && echo -p int8) > build/demo/tflite/selfie-$$hw.gp; done
	@bin/gp-report --compare build/demo/tflite/*.gp
	@echo; echo "pictures: build/demo/resnet18-roofline.svg (roofline chart), build/demo/resnet18-graph.svg (the subgraph DAG)"

bench: all
	tests/bench

zoo-check: all
	tests/zoo-check

# make validate: gp-roofline's predictions against onnxruntime on this machine's
# CPU and against published GPU results, written to docs/validation.md
VALIDATE_PASSES ?= 3
validate: all
	@command -v node >/dev/null && command -v npm >/dev/null || $(MAKE) deps EXTRADEPS="nodejs npm"
	$(MAKE) deps EXTRADEPS="python3-torch python3-torchvision"
	GP_VALIDATE_PASSES=$(VALIDATE_PASSES) GP_VALIDATE_GROUP_NICE=-20 tests/validate/measure
	tests/validate/predict

# make validate-accel: only the accelerators against MLPerf and Coral's Edge TPU table (no CPU
# measurement; a minute, plus the first export of Coral's models with torch)
validate-accel: all
	$(MAKE) deps EXTRADEPS="python3-torch python3-torchvision"
	GP_VALIDATE_SKIP_CPU=1 tests/validate/predict

fixtures:
	/usr/bin/python3 data/export-zoo.py

# install: the programs and gp-diff, the profiles, the docs, the man pages
# (docs/man/), and the bash completion under every program's name
MANPAGES = $(wildcard docs/man/*.[0-9])
install: $(PROGS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/hw $(DESTDIR)$(DOCDIR) $(DESTDIR)$(COMPDIR) \
		$(sort $(foreach m,$(MANPAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))))
	cp $(PROGS) pipelines/gp-diff $(DESTDIR)$(BINDIR)/
	cp docs/*.md README.md $(DESTDIR)$(DOCDIR)/
	if ls hw/*.yaml >/dev/null 2>&1; then cp hw/*.yaml $(DESTDIR)$(SHAREDIR)/hw/; fi
	mkdir -p $(DESTDIR)$(SHAREDIR)/hw/runtime && cp hw/runtime/*.yaml $(DESTDIR)$(SHAREDIR)/hw/runtime/
	for m in $(MANPAGES); do cp $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/; done
	cp docs/gp.bash-completion $(DESTDIR)$(COMPDIR)/gp-load
	for p in $(filter-out gp-load,$(FILTERS)) gp-diff; do ln -sf gp-load $(DESTDIR)$(COMPDIR)/$$p; done

# make deb: build/deb/gp_VERSION_ARCH.deb, built by dpkg-buildpackage from a
# copy of the tree in build/deb/gp-VERSION/ with docs/debian/ as debian/,
# then lintian (build/deb/lintian.log); redone only when a file it holds changed
VERSION = $(shell sed -n 's/^#define GP_VERSION "\(.*\)"$$/\1/p' lib/gp.h)
DEBFILES = Makefile README.md $(LIBHDR) $(LIBSRC) $(wildcard filters/*.[ch]) $(wildcard hw/*.yaml hw/runtime/*.yaml) \
	$(wildcard docs/*.md) $(MANPAGES) docs/gp.bash-completion pipelines/gp-diff $(wildcard docs/debian/* docs/debian/*/*)
deb:
	$(MAKE) deps TESTDEPS= EXTRADEPS="$(DEBDEPS)"
	$(MAKE) build/deb/stamp

build/deb/stamp: $(DEBFILES)
	rm -rf build/deb
	mkdir -p build/deb/gp-$(VERSION)
	tar -c --exclude=./build --exclude=./bin --exclude=./.git --exclude=./lib/libgp.a \
		--exclude=./pipelines/results . | tar -x -C build/deb/gp-$(VERSION)
	cp -R docs/debian build/deb/gp-$(VERSION)/debian
	cd build/deb/gp-$(VERSION) && dpkg-buildpackage -us -uc -b > ../build.log 2>&1 || { tail -n 30 ../build.log; exit 1; }
	lintian --fail-on error build/deb/gp_$(VERSION)_*.deb > build/deb/lintian.log 2>&1 || { cat build/deb/lintian.log; exit 1; }
	@echo "build/deb/$$(cd build/deb && ls gp_$(VERSION)_*.deb): $$(grep -c '^[EW]:' build/deb/lintian.log) lintian errors and warnings"
	touch $@

clean:
	rm -rf build bin lib/libgp.a

.PHONY: all asan fuzz fuzzers deps check demo bench zoo-check validate validate-accel fixtures install deb clean
.SECONDARY:
