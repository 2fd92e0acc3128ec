# sidewatch - top-level build.  `make` builds, `make test` tests, `make run`
# runs this host's sidewatch.  V=1 shows full commands.
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:

BUILD    := build
CC       ?= gcc
CLANG    ?= clang
BPFTOOL  ?= bpftool
NANOPB   ?= nanopb_generator.py
ARCH     := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

LLHTTP_DIR := /usr/share/llhttp
LLHTTP_INC := /usr/share/include/llhttp

WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
# Includes name their folder from the top ("collector/decode/h1.h",
# "common/log.h", "bpf/abi.h"); generated files come from $(BUILD).
CFLAGS   += -std=gnu11 -D_GNU_SOURCE $(WARN) -I. -I$(BUILD) \
	    -I$(LLHTTP_INC) -I/usr/include/nanopb -I/usr/include/postgresql -MMD -MP
LDLIBS   := -lbpf -lelf -lz -lnghttp2 -lzmq -lyaml -lpthread -lm
MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
NANOPB_LIB := /usr/lib/$(MULTIARCH)/libprotobuf-nanopb.a
BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf \
	    -mcpu=v3 -Wall -Wno-unused-function

# --- sources ---------------------------------------------------------------
BPF_SRCS := \
	bpf/capture.bpf.c \
	bpf/enforce.bpf.c \
	bpf/floor.bpf.c \
	bpf/tls.bpf.c
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS    := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

PROTOS    := $(wildcard proto/*.proto)
PB_SRCS   := $(patsubst proto/%.proto,$(BUILD)/%.pb.c,$(PROTOS))
PB_OBJS   := $(patsubst $(BUILD)/%.pb.c,$(BUILD)/proto/%.pb.o,$(PB_SRCS))

LLHTTP_OBJS := \
	$(BUILD)/llhttp/llhttp.o \
	$(BUILD)/llhttp/api.o \
	$(BUILD)/llhttp/http.o

# common/ (logger, JSON, text escaping, clock, metrics, block-list wire
# codec, ...) and the generated protobuf code are one archive every program
# links. Every collector/**.c but main.c goes into the collector's archive
# (with llhttp), so a new module needs no Makefile change.
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(COMMON_SRCS)) $(PB_OBJS)
COMMON_LIB  := $(BUILD)/libcommon.a

COLLECTOR_SRCS := $(filter-out collector/main.c,$(wildcard collector/*.c collector/*/*.c))
COLLECTOR_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(COLLECTOR_SRCS))
COLLECTOR_LIB  := $(BUILD)/libcollector.a

# the correlator's modules (all but main.c) are an archive too, for its
# unit tests
CORR_SRCS     := $(wildcard correlator/*.c)
CORR_LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out correlator/main.c,$(CORR_SRCS)))
CORR_LIB      := $(BUILD)/libcorrelator.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

BINS := \
	$(BUILD)/sidewatch-collector

.PHONY: all deps test unit integration run bench demo demo-fleet clean fs FORCE
all: $(BINS) $(UNIT_BINS)

# --- Debian packages, before anything else is decided ----------------------
# make remakes every makefile it includes before it builds anything, and
# starts again from the top when one of them changed. tools/deps.sh rewrites
# build/deps.mk only when it installed a package (or the file is missing), so
# a fresh machine gets its packages and then a make that sees their files
# (/usr/share/llhttp, nanopb_generator.py, ...). On a machine that has them
# the file keeps its time and make goes on without a restart. Every target a
# user runs goes through here; `make deps` does nothing else. NO_DEPS=1
# skips it where the packages come from elsewhere (deploy/Dockerfile).
# Not for `make -n`/`-q` (they must change nothing), nor `make clean`,
# nor after a restart (deps.sh just ran; a package that never reads back
# as installed must not make make start again for ever).
SW_DRY := $(findstring n,$(firstword -$(MAKEFLAGS)))$(findstring q,$(firstword -$(MAKEFLAGS)))
ifeq ($(NO_DEPS)$(SW_DRY)$(MAKE_RESTARTS)$(filter clean,$(MAKECMDGOALS)),)
include $(BUILD)/deps.mk
endif
$(BUILD)/deps.mk: FORCE
	$(Q)bash tools/deps.sh --stamp $@
FORCE:

deps:
	@:

# --- BPF -------------------------------------------------------------------
$(BUILD)/vmlinux.h: | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/abi.h bpf/classify.h bpf/maps.h bpf/skip.h $(BUILD)/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# --- nanopb ----------------------------------------------------------------
$(BUILD)/%.pb.c $(BUILD)/%.pb.h: proto/%.proto $(wildcard proto/*.options) | $(BUILD)
	$(call msg,NANOPB,$<)
	$(Q)cd proto && $(NANOPB) -q -D ../$(BUILD) $*.proto

# --- llhttp from Debian's node-llhttp sources -------------------------------
$(BUILD)/llhttp/%.o: $(LLHTTP_DIR)/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -g -w -I$(LLHTTP_INC) -c $< -o $@

# --- common, collector, correlator, tools: one rule for every source ---------
$(BUILD)/%.o: %.c | $(BUILD) $(PB_SRCS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/proto/%.o: $(BUILD)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(COLLECTOR_LIB): $(COLLECTOR_OBJS) $(LLHTTP_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# the loaders include the generated skeletons
$(BUILD)/collector/capture/capture.o: $(SKELS)
$(patsubst %.c,$(BUILD)/%.o,$(wildcard collector/enforce/enforce*.c)): $(SKELS)
$(BUILD)/collector/capture/tls.o: $(SKELS)

$(BUILD)/sidewatch-collector: $(BUILD)/collector/main.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS)

# --- tests -------------------------------------------------------------------
# The unit tests and the code they test are built a second time with
# AddressSanitizer and UBSan (build/asan/), so "no crash" in a unit test
# means no memory error either; the first error ends the test binary.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
SAN_DIR   := $(BUILD)/asan
SAN_OBJS  := $(patsubst $(BUILD)/%,$(SAN_DIR)/%,$(COLLECTOR_OBJS) $(LLHTTP_OBJS) \
	$(CORR_LIB_OBJS) $(COMMON_OBJS))
SAN_LIB   := $(SAN_DIR)/libtested.a

$(SAN_DIR)/%.o: %.c | $(BUILD) $(PB_SRCS) $(SKELS)
	@mkdir -p $(@D)
	$(call msg,ASAN-CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(SAN_DIR)/llhttp/%.o: $(LLHTTP_DIR)/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(call msg,ASAN-CC,$@)
	$(Q)$(CC) -O1 -g -w $(SAN_FLAGS) -I$(LLHTTP_INC) -c $< -o $@

$(SAN_DIR)/proto/%.o: $(BUILD)/%.c
	@mkdir -p $(@D)
	$(call msg,ASAN-CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(SAN_LIB): $(SAN_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(SAN_LIB)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $< -o $@ $(SAN_LIB) \
		$(NANOPB_LIB) $(LDLIBS) -lpq -lcmocka

unit: $(UNIT_BINS)
	$(Q)bash tests/run-unit.sh $(UNIT_BINS)

# The container images are built first, outside the suite's 600 s per
# test: the first build on a machine takes minutes (cached after that).
integration: all fs
	$(Q)bash tests/integration/containers/images.sh all
	$(Q)bash tests/run-integration.sh

test: unit fuzz-smoke integration

fs:
	$(Q)bash tools/mount-fs.sh

run: all fs
	$(Q)bash tools/run.sh

# The payload detectors' CPU per request (tools/bench-payload.sh) and what
# they say about every value of some files (a refactoring's safety net):
# built with `make`, so an API change that breaks them shows.
all: $(BUILD)/payload-bench $(BUILD)/payload-dump $(BUILD)/payload-worst
$(BUILD)/payload-bench $(BUILD)/payload-dump $(BUILD)/payload-worst: $(BUILD)/%: $(BUILD)/tools/%.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ -lz

# bench/RESULTS.md (collector off/on, verdict to cut, the payload
# detectors' CPU per request) and bench/COMPARE.md (beside ModSecurity +
# CRS and CrowdSec, with plots)
bench: all fs
	$(Q)bash tools/bench.sh
	$(Q)bash tools/bench-ingest.sh bench/RESULTS.md
	$(Q)bash tools/bench-progcost.sh >>bench/RESULTS.md
	$(Q)bash tools/bench-fleet.sh build/bench-fleet.md
	$(Q)cat build/bench-fleet.md >>bench/RESULTS.md
	$(Q)cat build/bench-fanout.md >>bench/RESULTS.md
	$(Q)bash tools/bench-shards.sh bench/RESULTS.md
	$(Q)bash tools/bench-payload.sh >>bench/RESULTS.md
	$(Q)build/payload-worst >>bench/RESULTS.md
	$(Q)bash tools/bench-compare.sh

demo: all fs
	$(Q)bash tools/demo.sh

# three correlator shards, three PostgreSQL clusters, a query database and
# a few hundred synthetic collectors (no kernel needed)
demo-fleet: all
	$(Q)bash tools/demo-fleet.sh

$(BUILD):
	$(Q)mkdir -p $@

clean:
	rm -rf $(BUILD)

# Fragments for further programs (correlator, swctl) live beside this file.
-include $(wildcard mk/*.mk)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
