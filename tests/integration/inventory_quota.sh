#!/usr/bin/env bash
# inventory_quota: the per-authority endpoint quota and the retention of
# sql/005_inventory_quota.sql, through the real correlator and collectors'
# uplinks (tools/sw-emit --inventory), in a private namespace host with its
# own PostgreSQL.
#  - hR pushes 5 endpoints of api.real; with endpoints_per_authority = 20,
#    hS sprays 30 endpoints of api.spray: exactly 20 kept, 10 refused and
#    counted (api_inventory_refusals), api.real's 5 untouched;
#  - variants of the sprayed authority (upper case, trailing dot, default
#    port) are the same authority: refused too, not new authorities;
#  - retention: 2 of api.real's endpoints and 3 of api.spray's backdated
#    past retention_days are deleted by sw_api_retain, the 20 fresh ones
#    stay, and the quota counters follow (api.spray may grow by 3 again).
#  - a scanner's never-answered paths (404) fill api.real up to the quota;
#    a new endpoint that answered 2xx still gets in, in place of the least
#    recently seen never-answered one (counted, evicted_unanswered);
#    answered endpoints are never evicted, a never-answered one never
#    evicts.
# SW_BREAK=quota lifts the authority quota: the kept and refused counts fail.
source "$(dirname "$0")/lib.sh"
require_kernel
for b in sidewatch-correlator swctl sw-emit; do [ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"; done

net_host h 10.213.37.1
P=$(free_port_in h 14000 1000 5) || die "no free ports"
PGPORT=$((P + 1)) EVPORT=$((P + 2)) BLPORT=$((P + 3)) CMPORT=$((P + 4))
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
CORR=
start_pg "$PGPORT" h
on_exit kill_pid_in CORR
sql() { in_host h psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 "$@"; }
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for h in hR hS hV; do "$BUILD/swctl" keygen "$T/keys/collectors" $h >/dev/null; done

ip netns exec "$NS_h" "$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:$EVPORT" \
	--blocks "tcp://127.0.0.1:$BLPORT" --keys "$T/keys/collectors" \
	--server-key "$T/keys/server.key" --sql "$ROOT/sql" --stats "$T/stats.json" \
	--metrics-listen "127.0.0.1:$CMPORT" >"$T/corr.log" 2>&1 &
CORR=$!
wait_for 30 grep -q '"db_up":true' "$T/stats.json" || { tail -5 "$T/corr.log" >&2; die "correlator did not come up"; }

emit() { # emit HOST
	in_host h "$BUILD/sw-emit" --host "$1" --count 0 --spool "$T/spool-$1" \
		--connect "tcp://127.0.0.1:$EVPORT" --key "$T/keys/collectors/$1.key" \
		--server-key "$T/keys/server.pub" --inventory "$T/$1.tsv" --passes 1 \
		--timeout 30 >>"$T/emit.log" 2>&1
}
# eps AUTHORITY FIRST LAST : one GET endpoint per number, one call each
eps() { local i; for i in $(seq "$2" "$3"); do printf '1\tGET\t%s\t/r%s\t/r%s\t-\t200\t10\t-\t-\n' "$1" "$i" "$i"; done; }
count() { sql -c "SELECT count(*) FROM api_endpoints WHERE authority = '$1'"; }

sql -c "UPDATE api_inventory_limits SET endpoints_per_authority = 20" >/dev/null
[ "${SW_BREAK:-}" = quota ] && sql -c "UPDATE api_inventory_limits SET endpoints_per_authority = 100000" >/dev/null

echo "-- the per-authority quota"
eps api.real 1 5 >"$T/hR.tsv"
check "hR pushes 5 endpoints of api.real, acked" emit hR
eps api.spray 1 30 >"$T/hS.tsv"
check "hS sprays 30 endpoints of api.spray, acked" emit hS
expect_eq "api.spray holds exactly the quota" "$(count api.spray)" 20
expect_eq "the 10 over it refused and counted" \
	"$(sql -c "SELECT string_agg(host || ':' || reason || '=' || count, ',') FROM api_inventory_refusals")" \
	"hS:endpoints_per_authority=10"
expect_eq "api.real's 5 endpoints untouched (calls 1 each)" \
	"$(sql -c "SELECT count(*) || ' ' || sum(calls) FROM api_endpoints WHERE authority = 'api.real'")" "5 5"
merged() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['api_merged'], d['api_refused'], d['api_rejected'])" "$T/stats.json"; }
wait_for 10 bash -c "[ \"\$(python3 -c \"import json; d=json.load(open('$T/stats.json')); print(d['api_merged'] + d['api_refused'])\")\" = 35 ]" || true
expect_eq "the correlator's stats: 25 summaries merged, 10 refused by the quota, none rejected as malformed" "$(merged)" "25 10 0"

echo "-- variants of an authority are the same authority"
{
	printf '1\tGET\tAPI.SPRAY\t/v1\t/v1\t-\t200\t10\t-\t-\n'
	printf '1\tGET\tapi.spray.\t/v2\t/v2\t-\t200\t10\t-\t-\n'
	printf '1\tGET\tapi.spray:80\t/v3\t/v3\t-\t200\t10\t-\t-\n'
	printf '1\tGET\tApi.Spray.:443\t/v4\t/v4\t-\t200\t10\t-\t-\n'
	printf '1\tGET\tAPI.REAL\t/r1\t/r1\t-\t200\t10\t-\t-\n'
} >"$T/hV.tsv"
check "hV pushes 5 variant summaries, acked" emit hV
expect_eq "no new authority appears" \
	"$(sql -c "SELECT string_agg(DISTINCT authority, ',' ORDER BY authority) FROM api_endpoints")" "api.real,api.spray"
expect_eq "the 4 sprayed variants refused by the quota" \
	"$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hV' AND reason = 'endpoints_per_authority'")" 4
expect_eq "API.REAL /r1 merged into api.real's /r1" \
	"$(sql -c "SELECT calls FROM api_endpoints WHERE authority = 'api.real' AND template = '/r1'")|$(count api.real)" "2|5"

echo "-- retention (retention_days = 30)"
sql -c "UPDATE api_endpoints SET last_seen = now() - interval '31 days' WHERE (authority = 'api.real' AND template IN ('/r4', '/r5')) OR id IN (SELECT id FROM api_endpoints WHERE authority = 'api.spray' ORDER BY id LIMIT 3)" >/dev/null
sql -c "UPDATE api_endpoints SET last_seen = now() - interval '29 days' WHERE authority = 'api.real' AND template = '/r3'" >/dev/null
expect_eq "sw_api_retain deletes the 5 endpoints unseen for 31 days" "$(sql -c "SELECT sw_api_retain(1000)")" 5
expect_eq "the fresh ones stay (29 days old included)" "$(count api.real) $(count api.spray)" "3 17"
expect_eq "their per-host rows went with them" \
	"$(sql -c "SELECT count(*) FROM api_endpoint_hosts h LEFT JOIN api_endpoints a ON a.id = h.endpoint_id WHERE a.id IS NULL")|$(sql -c "SELECT count(*) FROM api_endpoint_hosts")" "0|21"
expect_eq "the quota counter follows" "$(sql -c "SELECT endpoints FROM api_authority_counts WHERE authority = 'api.spray'")" 17
expect_eq "a second run deletes nothing" "$(sql -c "SELECT sw_api_retain(1000)")" 0
eps api.spray 31 40 >"$T/hS.tsv"
check "hS pushes 10 new endpoints of api.spray, acked" emit hS
expect_eq "3 of them fit the freed room, up to the quota" "$(count api.spray)" 20
expect_eq "7 more refused" \
	"$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hS' AND reason = 'endpoints_per_authority'")" 17

echo "-- a spray of paths that were never answered cannot keep real endpoints out"
# eps4 AUTHORITY FIRST LAST : as eps, answered 404 (a scanner's guesses)
eps4() { local i; for i in $(seq "$2" "$3"); do printf '1\tGET\t%s\t/x%s\t/x%s\t-\t404\t10\t-\t-\n' "$1" "$i" "$i"; done; }
for h in hX hY; do "$BUILD/swctl" keygen "$T/keys/collectors" $h >/dev/null; done
eps4 api.real 1 22 >"$T/hX.tsv"
check "hX pushes 22 never-answered paths of api.real, acked" emit hX
expect_eq "17 of them fill api.real up to the quota, 5 refused" \
	"$(count api.real)|$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hX' AND reason = 'endpoints_per_authority'")" "20|5"
old3=$(sql -c "SELECT string_agg(template, ',' ORDER BY template) FROM (SELECT template FROM api_endpoints WHERE authority = 'api.real' AND ok = 0 ORDER BY id DESC LIMIT 3) x")
sql -c "UPDATE api_endpoints SET last_seen = now() - interval '1 hour' WHERE authority = 'api.real' AND template = ANY(string_to_array('$old3', ','))" >/dev/null
eps api.real 6 8 >"$T/hY.tsv"
check "hY pushes 3 new answered (200) endpoints of api.real, acked" emit hY
expect_eq "all 3 kept, api.real still at the quota" \
	"$(sql -c "SELECT count(*) FROM api_endpoints WHERE authority = 'api.real' AND template IN ('/r6', '/r7', '/r8')")|$(count api.real)" "3|20"
expect_eq "the 3 least recently seen never-answered paths made room" \
	"$(sql -c "SELECT count(*) FROM api_endpoints WHERE authority = 'api.real' AND template = ANY(string_to_array('$old3', ','))")|$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hY' AND reason = 'evicted_unanswered'")" "0|3"
expect_eq "api.real's answered endpoints all stay" \
	"$(sql -c "SELECT count(*) FROM api_endpoints WHERE authority = 'api.real' AND ok > 0")" 6
expect_eq "the counters follow the eviction (authority 20, hX's endpoints 14)" \
	"$(sql -c "SELECT endpoints FROM api_authority_counts WHERE authority = 'api.real'")|$(sql -c "SELECT endpoints FROM api_host_counts WHERE host = 'hX'")" "20|14"
eps4 api.real 23 24 >"$T/hX.tsv"
check "hX pushes 2 more never-answered paths, acked" emit hX
expect_eq "a never-answered path evicts nothing: both refused" \
	"$(count api.real)|$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hX' AND reason = 'endpoints_per_authority'")" "20|7"
finish
