#!/usr/bin/env bash
# tests/integration/demo_fleet.sh - `make demo-fleet` works (tools/demo-
# fleet.sh, smaller): three shards with a query database, 60 collectors, a
# distributed credential stuffing whose six sources fall two on each shard;
# the demo itself checks that each source is detected once, by its owner,
# and that the rows over the shards equal the events sent; here its report
# is checked too. No kernel needed.
source "$(dirname "$0")/lib.sh"
rc=0
DEMO_HOSTS=60 DEMO_EVENTS=20 timeout 600 bash "$ROOT/tools/demo-fleet.sh" >"$T/demo.out" 2>&1 || rc=$?
expect_eq "demo-fleet exits 0" "$rc" 0
check "each source detected once by its owner" \
	grep -q 'all 6 sources detected, each once, by the shard that owns it' "$T/demo.out"
check "rows over the shards = events sent (1290)" \
	grep -q '  1290 rows over the three shards = events sent' "$T/demo.out"
expect_eq "six incidents in the report, two per shard" \
	"$(grep -cE '^ [abc] +\| 10\.213\.[0-9.]+ +\| fleet\.bruteforce\.source' "$T/demo.out")" 6
expect_eq "incidents_by_rule over all shards: 6" \
	"$(grep -E '^ fleet.bruteforce.source +\|' "$T/demo.out" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | head -1)" 6
[ "$rc" -eq 0 ] || tail -20 "$T/demo.out"
finish
