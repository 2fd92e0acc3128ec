# mk/fleet-query.mk - tools/fleet-query: the fleet's query database over
# the shards' PostgreSQL (postgres_fdw), issue 25. Only libpq.
all: $(BUILD)/fleet-query

$(BUILD)/fleet-query: $(BUILD)/tools/fleet-query.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ -lpq
