# mk/blockfan.mk - sw-blockfan (tools/sw-blockfan.c: the fleet block list
# from every shard of a ring, with the collector's kernel enforcement) and
# the fan-out propagation benchmark (tools/bench-fanout.sh), which
# `make bench` runs first (build/bench-fanout.md).
# Included by the top-level Makefile; uses its BUILD, CC, CFLAGS, Q, msg,
# COLLECTOR_LIB, COMMON_LIB, NANOPB_LIB and LDLIBS.

all: $(BUILD)/sw-blockfan

$(BUILD)/sw-blockfan: $(BUILD)/tools/sw-blockfan.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS)

.PHONY: bench-fanout
bench: bench-fanout
bench-fanout: all
	$(Q)bash tools/bench-fanout.sh build/bench-fanout.md
