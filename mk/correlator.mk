# mk/correlator.mk - the correlator, swctl, and the sw-emit and
# sw-probe-floor test and benchmark drivers.
# Included by the top-level Makefile; uses its BUILD, CC, CFLAGS, Q, msg,
# COLLECTOR_LIB and LDLIBS.

NANOPB_LIB := /usr/lib/x86_64-linux-gnu/libprotobuf-nanopb.a
CORR_CFLAGS = $(CFLAGS) -Icorrelator -I/usr/include/postgresql

CORR_SRCS := \
	correlator/main.c \
	correlator/blocks.c \
	correlator/ccfg.c \
	correlator/fleet.c \
	correlator/fleet_win.c \
	correlator/ingest.c \
	correlator/store.c \
	correlator/textesc.c \
	correlator/writer.c \
	correlator/zap.c
CORR_OBJS := $(patsubst correlator/%.c,$(BUILD)/correlator/%.o,$(CORR_SRCS))

all: $(BUILD)/sidewatch-correlator $(BUILD)/swctl
all: $(BUILD)/sw-emit $(BUILD)/sw-blocksub $(BUILD)/sw-probe-floor

$(BUILD)/correlator/%.o: correlator/%.c | $(BUILD) $(PB_SRCS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CORR_CFLAGS) -c $< -o $@

$(BUILD)/tools/%.o: tools/%.c | $(BUILD) $(PB_SRCS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CORR_CFLAGS) -c $< -o $@

# the archive brings the nanopb-generated sidewatch.pb objects
$(BUILD)/sidewatch-correlator: $(CORR_OBJS) $(COLLECTOR_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(CORR_OBJS) -o $@ $(COLLECTOR_LIB) $(NANOPB_LIB) \
		-lpq -lzmq -lz -lpthread

SWCTL_OBJS := \
	$(BUILD)/tools/swctl.o \
	$(BUILD)/tools/swctl_status.o \
	$(BUILD)/tools/swctl_args.o \
	$(BUILD)/correlator/textesc.o

$(BUILD)/swctl: $(SWCTL_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ -lpq -lzmq

# swctl's command line is tested on its own: no libpq, no collector archive
$(BUILD)/tests/test_swctl_args: tests/unit/test_swctl_args.c tools/swctl_args.c tools/swctl_args.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -Itools $(filter %.c,$^) -o $@ -lcmocka

$(BUILD)/sw-emit: $(BUILD)/tools/sw-emit.o $(COLLECTOR_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(COLLECTOR_LIB) $(NANOPB_LIB) $(LDLIBS)

$(BUILD)/sw-blocksub: $(BUILD)/tools/sw-blocksub.o $(COLLECTOR_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(COLLECTOR_LIB) $(NANOPB_LIB) $(LDLIBS)

# the benchmark's uprobe floor: empty programs at the TLS probe sites
$(BUILD)/tools/sw-probe-floor.o: $(BUILD)/floor.skel.h
$(BUILD)/sw-probe-floor: $(BUILD)/tools/sw-probe-floor.o $(COLLECTOR_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(COLLECTOR_LIB) $(LDLIBS)
