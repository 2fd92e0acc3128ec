# mk/tpfloor.mk - sw-tp-floor (tools/sw-tp-floor.c, bpf/floor_tp.bpf.c):
# empty programs on the collector's socket tracepoints, the floor row of
# tools/bench-progcost.sh. The object and skeleton come from the top-level
# Makefile's pattern rules.
# Included by the top-level Makefile; uses its BUILD, CC, CFLAGS, Q, msg and
# LDLIBS.

all: $(BUILD)/sw-tp-floor

$(BUILD)/tools/sw-tp-floor.o: $(BUILD)/floor_tp.skel.h
$(BUILD)/sw-tp-floor: $(BUILD)/tools/sw-tp-floor.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)
