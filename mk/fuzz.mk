# mk/fuzz.mk - libFuzzer targets (tests/fuzz/fuzz_*.c) over the decoders,
# detectors and parsers, built with clang, AddressSanitizer and UBSan into
# build/fuzz/. Included by the top-level Makefile; uses its BUILD, CLANG,
# COLLECTOR_SRCS, COMMON_SRCS, CORR_SRCS, LLHTTP_DIR, LLHTTP_INC, PB_SRCS,
# SKELS, NANOPB_LIB, Q, msg and LDLIBS.
#   make fuzz          every target for FUZZ_SECS seconds (default 60) on a
#                      corpus kept in build/fuzz/corpus/
#   make fuzz-smoke    every target for FUZZ_RUNS inputs from its seeds,
#                      fixed seed (part of `make test`)

FUZZ_DIR    := $(BUILD)/fuzz
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -w -MMD -MP \
	-I. -I$(BUILD) -I$(LLHTTP_INC) -I/usr/include/nanopb \
	-I/usr/include/postgresql $(FUZZ_SAN)
FUZZ_SRCS   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
# the code under test, instrumented for coverage (objects keep their
# source's folder)
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(COLLECTOR_SRCS) \
	$(COMMON_SRCS) correlator/ingest.c correlator/invcheck.c) \
	$(patsubst %,$(FUZZ_DIR)/obj/llhttp/%.o,llhttp api http) \
	$(patsubst $(BUILD)/%.c,$(FUZZ_DIR)/obj/proto/%.o,$(PB_SRCS))
FUZZ_LIB    := $(FUZZ_DIR)/libfuzzed.a

.PHONY: fuzz fuzz-smoke

$(FUZZ_DIR)/obj/llhttp/%.o: $(LLHTTP_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,FUZZCC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/proto/%.o: $(BUILD)/%.c
	@mkdir -p $(@D)
	$(call msg,FUZZCC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/%.o: %.c $(SKELS) $(PB_SRCS)
	@mkdir -p $(@D)
	$(call msg,FUZZCC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	$(call msg,FUZZLD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< -o $@ $(FUZZ_LIB) \
		$(NANOPB_LIB) $(LDLIBS)

$(FUZZ_DIR)/seeds/.done: tests/fuzz/seeds.py
	$(Q)rm -rf $(@D) && python3 $< $(@D) && touch $@

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.done
	$(Q)bash tests/run-fuzz.sh smoke $(FUZZ_BINS)

fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.done
	$(Q)bash tests/run-fuzz.sh long $(FUZZ_BINS)
