# mk/correlator.mk - the correlator, swctl, ring-owner, and the sw-emit
# and sw-probe-floor test and benchmark drivers.
# Included by the top-level Makefile; uses its BUILD, CC, CFLAGS, Q, msg,
# CORR_LIB_OBJS, CORR_LIB, COMMON_LIB, COLLECTOR_LIB, NANOPB_LIB and LDLIBS.
# The correlator links common/ and the protobuf code, never the
# collector's archive; swctl takes the inventory's OpenAPI writer from it.

all: $(BUILD)/sidewatch-correlator $(BUILD)/swctl
all: $(BUILD)/sw-emit $(BUILD)/sw-blocksub $(BUILD)/sw-probe-floor
all: $(BUILD)/ring-owner

$(CORR_LIB): $(CORR_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/sidewatch-correlator: $(BUILD)/correlator/main.o $(CORR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) -lpq -lzmq -lz -lpthread

SWCTL_OBJS := \
	$(BUILD)/tools/swctl.o \
	$(BUILD)/tools/swctl_status.o \
	$(BUILD)/tools/swctl_args.o \
	$(BUILD)/tools/swctl_apis.o

# apis export writes OpenAPI with the collector's own writer
# (collector/inventory/openapi.c): the archive gives what it needs
$(BUILD)/swctl: $(SWCTL_OBJS) $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS) -lpq -lzmq

# swctl's command line is tested on its own: no libpq, no archives
$(BUILD)/tests/test_swctl_args: tests/unit/test_swctl_args.c tools/swctl_args.c tools/swctl_args.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(filter %.c,$^) -o $@ -lcmocka

$(BUILD)/sw-emit: $(BUILD)/tools/sw-emit.o $(BUILD)/tools/sw_emit_inv.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS)

$(BUILD)/sw-blocksub: $(BUILD)/tools/sw-blocksub.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS)

# the benchmark's uprobe floor: empty programs at the TLS probe sites
$(BUILD)/tools/sw-probe-floor.o: $(BUILD)/floor.skel.h
$(BUILD)/sw-probe-floor: $(BUILD)/tools/sw-probe-floor.o $(COLLECTOR_LIB) $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(NANOPB_LIB) $(LDLIBS)

# which shard of a ring owns an address (common/ring.h), for operators
# and tests
$(BUILD)/ring-owner: $(BUILD)/tools/ring-owner.o $(COMMON_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@
