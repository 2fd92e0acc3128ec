#!/usr/bin/env bash
# tests/integration/fleet.sh - cross-host detection and fleet block lists,
# end to end over CURVE with a private PostgreSQL:
#   3 sw-emit hosts each send 5 auth failures from 10.213.9.9 (below the
#   local threshold of 10) -> one incident naming the 3 hosts, and the
#   block reaches the list of a 4th host that sent nothing (sw-blocksub: a
#   subscriber without a kernel; fleet_e2e.sh looks the blocks up in real
#   collectors' BPF maps); an
#   enumeration run likewise; a scan spread over one /24 (each address below
#   the per-source rules) blocks the /24; an allowlisted source doing the same is never
#   blocked; repeat offenders (local blocks on 2 hosts) are blocked fleet-
#   wide; a subscriber that was down catches up on reconnect; a correlator
#   restart keeps incidents and blocks and continues the incident; an
#   expired block leaves every subscriber; swctl block/allow round-trip;
#   propagation commit -> applied p50/p99 over 200 decisions is printed.
# Everything on 127.0.0.1: PostgreSQL 55473, correlator 57480/57481 (away
# from make run and pipeline.sh). Every wait is bounded.
source "$(dirname "$0")/lib.sh"

PGPORT=${SW_TEST_PGPORT:-55473}
EVPORT=${SW_TEST_EVPORT:-57480}
BLPORT=$((EVPORT + 1))
EP=tcp://127.0.0.1:$EVPORT
BEP=tcp://127.0.0.1:$BLPORT
CORR=

export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
sql() { psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "$1"; }
for b in sidewatch-correlator sw-emit swctl sw-blocksub; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

# rows per second per host off: the crowd below sends 90,000 events a host
# as fast as the uplink goes, and a batch over the default 20,000 rows/s is
# resent by design (fleet_trust.sh tests that); here no resend is expected
start_corr() {
	rm -f "$T/stats.json"
	"$BUILD/sidewatch-correlator" --listen "$EP" --blocks "$BEP" \
		--keys "$T/keys/collectors" --server-key "$T/keys/server.key" \
		--sql "$ROOT/sql" --stats "$T/stats.json" --host-rows-per-s 0 \
		--metrics-listen "127.0.0.1:$MPORT" >>"$T/corr.log" 2>&1 &
	CORR=$!
	SW_PIDS+=("$CORR")
	wait_for 15 grep -q '"db_up":true' "$T/stats.json"
}
MPORT=$(free_port 10500 5000)
# corr_metric NAME VALUE : the correlator's /metrics has NAME at VALUE
corr_metric() { curl -s -m 3 "http://127.0.0.1:$MPORT/metrics" | grep -qx "$1 $2"; }

emit() { # emit HOST sw-emit-args...
	local h=$1
	shift
	"$BUILD/sw-emit" --connect "$EP" --host "$h" --spool "$T/spool-$h" \
		--key "$T/keys/collectors/$h.key" --server-key "$T/keys/server.pub" \
		--count 0 --timeout 20 "$@" >>"$T/emit-$h.log" 2>&1
}

enum_walk() { # enum_walk SRC PER OFFSET : SRC walks PER missing ids on h1, h2, h3 in turn
	local h off=$3
	for h in h1 h2 h3; do
		emit "$h" --script enum --src "$1" --per "$2" --offset "$off" || bad "emitter $h acked"
		off=$((off + $2))
	done
}

sub_start() { # sub_start NAME : a subscriber with heartbeats as host NAME
	local h=$1
	"$BUILD/sw-blocksub" --connect "$BEP" --req "$EP" \
		--key "$T/keys/collectors/$h.key" --server-key "$T/keys/server.pub" \
		--state "$T/$h.state" --host "$h" --spool "$T/spool-$h" \
		>>"$T/$h.out" 2>>"$T/$h.err" &
	SW_PIDS+=($!)
	eval "SUB_$h=$!"
}

has() { grep -qx -e "$2" "$T/$1.state" 2>/dev/null; }
lacks() { [ -f "$T/$1.state" ] && ! grep -qx -e "$2" "$T/$1.state"; }
same_state() { cmp -s "$T/h4.state" "$T/h5.state"; }
sql_true() { [ "$(sql "$1")" = t ]; } # for wait_for: re-queried each try
head_version() { sql "SELECT version FROM block_list_head"; }

# --- setup -------------------------------------------------------------------
start_pg "$PGPORT"
on_exit kill_pid_in CORR # at exit the correlator goes first, then PostgreSQL
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for h in h1 h2 h3 h4 h5; do "$BUILD/swctl" keygen "$T/keys/collectors" "$h" >/dev/null; done
check "correlator starts and migrates 002_fleet" start_corr
expect_eq "schema_version has 002" "$(sql 'SELECT count(*) FROM schema_version WHERE version = 2')" 1
sub_start h4
sub_start h5
check "subscribers joined (snapshot at version 0)" \
	wait_for 10 grep -q '"event":"version","version":0' "$T/h5.out"

# --- distributed credential stuffing ------------------------------------------
for h in h1 h2 h3; do
	emit "$h" --script auth --src 10.213.9.9 --per 5 || bad "emitter $h acked"
done
check "3 x 5 auth failures: an incident appears" wait_for 10 sql_true \
	"SELECT count(*) >= 1 FROM incidents WHERE rule = 'fleet.bruteforce.source'"
# every one of the 15 events reached the detector before "exactly one" counts
check "the incident holds all 15 events" wait_for 5 sql_true \
	"SELECT coalesce(sum(event_count), 0) = 15 FROM incidents WHERE rule = 'fleet.bruteforce.source'"
expect_eq "exactly one brute-force incident" \
	"$(sql "SELECT count(*) FROM incidents WHERE rule = 'fleet.bruteforce.source'")" 1
expect_eq "the incident names all 3 hosts and the source" \
	"$(sql "SELECT array_to_string(hosts, ','), host(src_ip), array_to_string(sources, ',') FROM incidents WHERE rule = 'fleet.bruteforce.source'")" \
	"h1,h2,h3|10.213.9.9|10.213.9.9"
expect_eq "incident: 15 events, open, evidence sampled, first/last seen" \
	"$(sql "SELECT event_count, state, cardinality(evidence) >= 12, last_seen >= first_seen FROM incidents WHERE rule = 'fleet.bruteforce.source'")" \
	"15|open|t|t"
expect_eq "block committed with origin correlator and the incident" \
	"$(sql "SELECT origin, rule, incident_id = (SELECT id FROM incidents WHERE rule = 'fleet.bruteforce.source'), expires_at > now() FROM blocks WHERE addr = '10.213.9.9/32' AND removed_at IS NULL")" \
	"correlator|fleet.bruteforce.source|t|t"
check "4th host (sent nothing) holds the block of 10.213.9.9 in its list" \
	wait_for 5 has h4 "10.213.9.9/32 -"

# --- distributed enumeration -------------------------------------------------
enum_walk 10.213.9.10 10 0
check "enumeration over 3 hosts: incident" wait_for 10 sql_true \
	"SELECT count(*) >= 1 FROM incidents WHERE rule IN ('fleet.scan.source', 'fleet.enum.source') AND array_to_string(hosts, ',') = 'h1,h2,h3'"
check "enumerating source blocked on the 4th host" wait_for 5 has h4 "10.213.9.10/32 -"

# --- a scan spread over one /24 ----------------------------------------------------
# Four addresses of 10.213.77.0/24, each on one host only and each probing 12
# missing paths: below every per-source rule (20 paths, 2 hosts), but 48
# distinct paths from the /24 over 2 hosts crosses the /24 rule (40).
off=1000
for src in 10.213.77.1:h1 10.213.77.2:h1 10.213.77.3:h2 10.213.77.4:h2; do
	emit "${src#*:}" --script enum --src "${src%:*}" --per 12 --offset $off || bad "emitter ${src#*:} acked"
	off=$((off + 12))
done
check "scan over one /24 from 4 addresses: a fleet.scan.net24 incident naming them" wait_for 10 sql_true \
	"SELECT count(*) = 1 FROM incidents WHERE rule = 'fleet.scan.net24' AND summary LIKE '10.213.77.0/24 probed % distinct missing paths on 2 hosts%' AND array_to_string(hosts, ',') = 'h1,h2' AND sources @> '{10.213.77.1,10.213.77.2,10.213.77.3,10.213.77.4}'"
check "the /24 is blocked on the 4th host" wait_for 5 has h4 "10.213.77.0/24 -"
expect_eq "no per-source incident for those addresses" \
	"$(sql "SELECT count(*) FROM incidents WHERE rule <> 'fleet.scan.net24' AND '10.213.77.1' = ANY (sources)")" 0

# --- allowlisted source --------------------------------------------------------
"$BUILD/swctl" allow add 10.213.9.11 --note "scanner we run" >/dev/null &&
	ok "swctl allow add" || bad "swctl allow add"
for h in h1 h2 h3; do
	emit "$h" --script auth --src 10.213.9.11 --per 5 || bad "emitter $h acked"
	emit "$h" --script enum --src 10.213.9.11 --per 10 --offset $((off += 10)) || true
done
# The detector did judge the allowlisted source's 15 failures: its incident
# notes that the block was refused for the allow list. Only then do the
# absences below mean something; and h4 must hold the head version.
check "allowlisted source: its brute-force incident, 15 events, block refused as allowlisted" wait_for 10 sql_true \
	"SELECT count(*) = 1 FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.9.11' AND event_count = 15 AND details->>'allowlisted' = 'true'"
h4_version() { sed -n 's/^{"event":"version","version":\([0-9]*\),.*/\1/p' "$T/h4.out" | tail -1; }
h4_current() { [ "$(h4_version)" = "$(head_version)" ]; }
check "the 4th host holds the head version of the list" wait_for 5 h4_current
expect_eq "allowlisted source: never a block row" \
	"$(sql "SELECT count(*) FROM blocks WHERE addr = '10.213.9.11/32'")" 0
check "allowlisted source absent from the 4th host's list" lacks h4 "10.213.9.11/32 -"
# 10.213.9.10 and .11 together scanned enough of 10.213.9.0/24 for the /24
# rule; a block of the /24 would block the allowlisted address too
check "their /24 crossed the /24 scan rule (incident)" wait_for 10 sql_true \
	"SELECT count(*) = 1 FROM incidents WHERE rule = 'fleet.scan.net24' AND summary LIKE '10.213.9.0/24 probed %'"
check "its /24 (scanned by it and 10.213.9.10) is not blocked either" lacks h4 "10.213.9.0/24 -"
expect_eq "no block row for that /24" "$(sql "SELECT count(*) FROM blocks WHERE addr = '10.213.9.0/24'")" 0
rc=0
"$BUILD/swctl" block add 10.213.9.0/24 >/dev/null 2>&1 || rc=$?
expect_eq "an operator block overlapping the allow list is refused (exit 3)" "$rc" 3

# --- repeat offender --------------------------------------------------------------
emit h1 --script verdict --src 10.213.9.12 --per 1 || bad "emitter h1 acked"
emit h2 --script verdict --src 10.213.9.12 --per 1 || bad "emitter h2 acked"
check "blocked locally on 2 hosts -> fleet-wide block" wait_for 5 has h4 "10.213.9.12/32 -"
expect_eq "repeat-offender incident names h1,h2" \
	"$(sql "SELECT array_to_string(hosts, ',') FROM incidents WHERE rule = 'fleet.repeat_offender'")" "h1,h2"

# --- a subscriber that was down while blocks changed --------------------------------
stop_pid "$SUB_h5"
"$BUILD/swctl" block add 10.213.50.1 --reason "while h5 was down" >/dev/null || bad "block add"
"$BUILD/swctl" block rm 10.213.9.10/32 >/dev/null || bad "block rm"
check "h4 saw both changes" wait_for 5 bash -c "grep -qx '10.213.50.1/32 -' $T/h4.state && ! grep -q '10.213.9.10/' $T/h4.state"
sub_start h5
check "h5 reconnects and holds the current list" wait_for 5 same_state

# --- correlator restart ----------------------------------------------------------------
inc0=$(sql "SELECT string_agg(id || ':' || rule, ',' ORDER BY id) FROM incidents")
blk0=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM blocks WHERE removed_at IS NULL")
ev0=$(sql "SELECT event_count FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.9.9'")
stop_pid "$CORR"
wait "$CORR" 2>/dev/null || true
check "correlator restarts" start_corr
expect_eq "incidents kept over the restart" "$(sql "SELECT string_agg(id || ':' || rule, ',' ORDER BY id) FROM incidents")" "$inc0"
expect_eq "blocks kept over the restart" "$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM blocks WHERE removed_at IS NULL")" "$blk0"
emit h1 --script auth --src 10.213.9.9 --per 3 || bad "emitter h1 acked"
check "after the restart the same incident is extended by the 3 new events" wait_for 5 sql_true \
	"SELECT coalesce(sum(event_count), 0) = $ev0 + 3 FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.9.9'"
echo "     event_count: $ev0 before the restart, $(sql "SELECT event_count FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.9.9'") after 3 more events"
expect_eq "still one brute-force incident for 10.213.9.9" \
	"$(sql "SELECT count(*) FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.9.9'")" 1
"$BUILD/swctl" block add 10.213.51.1 >/dev/null || bad "block add after restart"
check "subscribers follow the restarted correlator" wait_for 5 \
	bash -c "grep -qx '10.213.51.1/32 -' $T/h4.state && grep -qx '10.213.51.1/32 -' $T/h5.state"

# --- expiry ------------------------------------------------------------------------------
"$BUILD/swctl" block add 10.213.60.1 --ttl 2s >/dev/null || bad "block add --ttl 2s"
check "short block reaches both subscribers" wait_for 3 \
	bash -c "grep -qx '10.213.60.1/32 -' $T/h4.state && grep -qx '10.213.60.1/32 -' $T/h5.state"
check "expired block leaves every subscriber" wait_for 5 \
	bash -c "! grep -q '10.213.60.1/' $T/h4.state && ! grep -q '10.213.60.1/' $T/h5.state"
check "sweeper marked it expired" wait_for 3 sql_true \
	"SELECT removed_reason = 'expired' FROM blocks WHERE addr = '10.213.60.1/32'"

# --- swctl round trips -----------------------------------------------------------------------
"$BUILD/swctl" block add 10.213.70.0/24 --reason "manual" --ttl 1h >/dev/null || bad "block add /24"
check "swctl block ls shows the operator block" \
	bash -c "'$BUILD/swctl' block ls --json | grep -q '\"addr\":\"10.213.70.0/24\",\"identity\":null,\"origin\":\"operator\"'"
"$BUILD/swctl" block add --identity stolen-key-1 >/dev/null || bad "identity block add"
check "identity block reaches the subscriber" wait_for 3 has h4 "- stolen-key-1"
"$BUILD/swctl" block rm --identity stolen-key-1 >/dev/null || bad "identity block rm"
"$BUILD/swctl" block rm 10.213.70.0/24 >/dev/null || bad "block rm /24"
check "swctl block ls no longer shows them" \
	bash -c "! '$BUILD/swctl' block ls | grep -Eq '10.213.70.0/24|stolen-key-1'"
check "removals reach the subscriber" wait_for 3 \
	bash -c "! grep -Eq '10.213.70.0/24|stolen-key-1' $T/h4.state"
"$BUILD/swctl" allow add --identity partner-key --note partner >/dev/null || bad "allow add identity"
check "swctl allow ls shows both entries" \
	bash -c "[ \"\$('$BUILD/swctl' allow ls --json | grep -c -E '10.213.9.11/32|partner-key')\" = 2 ]"
"$BUILD/swctl" allow rm 10.213.9.11 >/dev/null || bad "allow rm"
check "swctl allow ls after rm" \
	bash -c "! '$BUILD/swctl' allow ls | grep -q 10.213.9.11"
"$BUILD/swctl" block add 10.213.9.11 --ttl 10m >/dev/null || bad "block add after allow rm"
check "no longer allowlisted: can be blocked" wait_for 3 has h4 "10.213.9.11/32 -"
"$BUILD/swctl" allow add 10.213.9.11 >/dev/null || bad "allow add again"
check "allowing it again lifts the block everywhere" wait_for 3 lacks h4 "10.213.9.11/32 -"

# --- propagation: commit -> applied ---------------------------------------------------------
: >"$T/commits"
for i in $(seq 1 200); do
	"$BUILD/swctl" block add "10.213.$((100 + i / 250)).$((i % 250 + 1))" --ttl 10m --json >>"$T/commits"
done
applied200() { [ "$(grep -c '"op":"add","addr":"10.213.10[01]\.' "$T/h4.out")" -eq 200 ]; }
check "all 200 decisions in h4's list" wait_for 5 applied200
python3 "$ROOT/tests/integration/fleet_propagation.py" "$T/commits" "$T/h4.out" "$T/h5.out" ||
	bad "propagation measured"

# --- a crowd: 1500 addresses at once ---------------------------------------------------------
# Each address walks object ids on 2 hosts (sw-emit --clients), so 1500
# detections and blocks fall due together. The detectors' database work runs
# on the thread that acks batches: it is bounded per pass and the blocks are
# committed in groups, so no collector waits for an ack past its timeout
# (2 s, which one statement per detection used to exceed), and every address
# still reaches the 4th host.
rm -f "$T/emit-h1.log" "$T/emit-h2.log"
emit h1 --clients 1500 --count 90000 & crowd=$!
SW_PIDS+=("$crowd")
emit h2 --clients 1500 --count 90000 || bad "crowd: emitter h2 acked"
wait "$crowd" || bad "crowd: emitter h1 acked"
expect_eq "crowd: no ack timed out, nothing resent (h1, h2)" \
	"$(grep -ho 'resent=[0-9]* acked=[0-9]* timeouts=[0-9]*' "$T/emit-h1.log" "$T/emit-h2.log" | sed 's/acked=[0-9]* //' | sort -u)" \
	"resent=0 timeouts=0"
check "crowd: an enumeration incident for each of the 1500 addresses" wait_for 60 sql_true \
	"SELECT count(DISTINCT src_ip) = 1500 FROM incidents WHERE rule = 'fleet.enum.source' AND src_ip << '10.213.0.0/21'"
expect_eq "crowd: 1500 active blocks, each naming its incident" \
	"$(sql "SELECT count(*), count(incident_id) FROM blocks WHERE removed_at IS NULL AND rule = 'fleet.enum.source' AND addr << '10.213.0.0/21'")" \
	"1500|1500"
check "crowd: all 1500 blocks in the 4th host's list" wait_for 30 \
	bash -c "[ \$(grep -c '^10\.213\.[0-7]\.[0-9]*/32 -\$' '$T/h4.state') -eq 1500 ]"
echo "     crowd: $(grep -o '"fleet_detections[^}]*' "$T/stats.json")"

# --- a full window table -------------------------------------------------------------------
# 5000 ordinary clients (4 paths each: no detector fires) fill the 4096
# detector windows with live ones; an enumerator starting after them must
# still get a window (the least recently observed is evicted) and be blocked.
emit h1 --clients 5000 --paths 4 --count 20000 & crowd=$!
SW_PIDS+=("$crowd")
emit h2 --clients 5000 --paths 4 --count 20000 || bad "full table: emitter h2 acked"
wait "$crowd" || bad "full table: emitter h1 acked"
check "full table: windows were evicted for new ones" wait_for 5 \
	bash -c "grep -q '\"fleet_window_evictions\":[1-9]' '$T/stats.json'"
enum_walk 10.213.9.30 12 5000
check "full table: an enumerator arriving after the crowd is blocked" wait_for 10 sql_true \
	"SELECT count(*) = 1 FROM blocks WHERE addr = '10.213.9.30/32' AND removed_at IS NULL"
check "full table: ... on the 4th host" wait_for 10 has h4 "10.213.9.30/32 -"
echo "     full table: $(grep -o '"fleet_window[^}]*' "$T/stats.json")"

# --- a block PostgreSQL refuses, inside a group -------------------------------------------
# Decisions that fall due together are committed in one transaction. When
# PostgreSQL refuses one of them (here a constraint the test adds: no block
# inside 10.213.32.0/28), the rest of the group must still be committed
# (each is tried alone), and the refusals counted and logged.
sql "ALTER TABLE blocks ADD CONSTRAINT sw_test_refuse CHECK (addr IS NULL OR NOT addr <<= '10.213.32.0/28')" >/dev/null
emit h1 --clients 32 --client-base 8192 --count 6400 & crowd=$!
SW_PIDS+=("$crowd")
emit h2 --clients 32 --client-base 8192 --count 6400 || bad "refused: emitter h2 acked"
wait "$crowd" || bad "refused: emitter h1 acked"
check "refused: an enumeration incident for each of the 32 addresses" wait_for 20 sql_true \
	"SELECT count(DISTINCT src_ip) = 32 FROM incidents WHERE rule = 'fleet.enum.source' AND src_ip << '10.213.32.0/24'"
check "refused: the correlator counted 16 refusals" wait_for 5 \
	grep -q '"fleet_block_errors":16,' "$T/stats.json"
check "refused: /metrics says so too (sidewatch_correlator_fleet_block_errors_total 16)" \
	wait_for 5 corr_metric sidewatch_correlator_fleet_block_errors_total 16
check "refused: the 16 outside 10.213.32.0/28 are blocked, none inside" wait_for 10 sql_true \
	"SELECT count(*) FILTER (WHERE NOT addr <<= '10.213.32.0/28') = 16 AND count(*) FILTER (WHERE addr <<= '10.213.32.0/28') = 0 FROM blocks WHERE removed_at IS NULL AND addr << '10.213.32.0/24'"
check "refused: a group was refused and its decisions tried one by one" \
	grep -q '"block_groups_split":[1-9]' "$T/stats.json"
check "refused: the refusal is logged with PostgreSQL's reason" \
	grep -q 'PostgreSQL refused .*sw_test_refuse' "$T/corr.log"
check "refused: the 16 blocks reach the 4th host's list" wait_for 10 \
	bash -c "[ \$(grep -c '^10\.213\.32\.[0-9]*/32 -\$' '$T/h4.state') -eq 16 ]"
sql "ALTER TABLE blocks DROP CONSTRAINT sw_test_refuse" >/dev/null

# --- who is behind -------------------------------------------------------------------------
h4_row() { "$BUILD/swctl" hosts --json | grep '"host":"h4"'; }
h4_at_head() { h4_row | grep -q "\"blocklist_version\":$(head_version),\"blocklist_behind\":0"; }
if wait_for 10 h4_at_head; then
	ok "swctl hosts: h4 reports the head version (behind 0)"
else
	bad "swctl hosts: h4 reports the head version (behind 0): head $(head_version), h4: $(h4_row)"
fi

stop_pid "$SUB_h4"
stop_pid "$SUB_h5"
echo "     h4: $(tail -1 "$T/h4.err")"
echo "     correlator: $(grep -o '"blocklist_version[^}]*' "$T/stats.json")"
finish
