# mk/shard-route.mk - tests kept out of `make test` until a known fault is
# fixed (README, Shards): run them by hand.
.PHONY: shard-route
shard-route: all
	$(Q)bash tests/integration/pending/shard_route.sh
