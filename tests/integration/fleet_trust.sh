#!/usr/bin/env bash
# tests/integration/fleet_trust.sh - a collector speaks only for itself,
# against a real correlator and PostgreSQL over CURVE:
#   - h1's key sends batches claiming to be h2 and h3, each with five failed
#     logins from 10.213.99.9: refused and counted (forged), nothing of them
#     stored or fed to the fleet detectors, no incident, no block; h1's own
#     five are stored;
#   - the genuine h2 and h3 then send theirs: one incident naming h1, h2, h3
#     with 15 events (the forged ten are not among them), and a block;
#   - a batch of 1,000,000 empty events (2 MB on the wire) is refused as
#     oversized without the correlator's memory growing by more than 64 MiB,
#     and the correlator goes on storing;
#   - rows per second per host (--host-rows-per-s 2000, burst 4000): h1
#     floods 12,000 events; its batches over budget are refused and counted
#     (throttled, per host) and not acked, so they stay in its spool and
#     arrive later, every one exactly once; h2's 20 events sent during the
#     flood are acked within 3 s and h2 is never throttled;
#   - a new host enrolls: a real collector with collector_key_create makes
#     its own key pair at first start; the correlator refuses it until the
#     operator puts NAME.pub in its keys directory, then takes its events
#     (real curl -> nginx requests, held in the spool meanwhile).
# Everything on 127.0.0.1: PostgreSQL 55477, correlator 57496/57497.
source "$(dirname "$0")/lib.sh"
require_kernel

PGPORT=${SW_TEST_PGPORT:-55477}
EVPORT=${SW_TEST_EVPORT:-57496}
EP=tcp://127.0.0.1:$EVPORT
CORR=
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
sql() { psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "$1"; }
for b in sidewatch-correlator sw-emit; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/stats.json" "$1" 2>/dev/null || echo -1; }
stat_ge() { [ "$(stat_of "$1")" -ge "$2" ]; }
sql_true() { [ "$(sql "$1")" = t ]; }
# emit_as KEY HOST sw-emit-args... : send as HOST with KEY's credentials
emit_as() {
	local k=$1 h=$2
	shift 2
	"$BUILD/sw-emit" --connect "$EP" --host "$h" --spool "$T/spool-$k-$h" \
		--key "$T/keys/collectors/$k.key" --server-key "$T/keys/server.pub" \
		--count 0 "$@" >>"$T/emit-$k-$h.log" 2>&1
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

start_pg "$PGPORT"
on_exit kill_pid_in CORR # at exit the correlator goes first, then PostgreSQL
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for h in h1 h2 h3; do "$BUILD/swctl" keygen "$T/keys/collectors" "$h" >/dev/null; done
"$BUILD/sidewatch-correlator" --listen "$EP" --blocks "tcp://127.0.0.1:$((EVPORT + 1))" \
	--keys "$T/keys/collectors" --server-key "$T/keys/server.key" \
	--sql "$ROOT/sql" --stats "$T/stats.json" --host-rows-per-s "${SW_TEST_HOST_ROWS:-2000}" \
	>>"$T/corr.log" 2>&1 &
CORR=$!
SW_PIDS+=("$CORR")
wait_for 15 grep -q '"db_up":true' "$T/stats.json" || { cat "$T/corr.log" >&2; die "correlator did not start"; }

rc=0; "$BUILD/sidewatch-correlator" --fleet bf_min_hosts=1 --listen "tcp://127.0.0.1:$((EVPORT + 5))" \
	--plain --pg "$SIDEWATCH_PG" >"$T/corr-one.out" 2>&1 || rc=$?
expect_eq "a correlator told that one host's word may block (bf_min_hosts=1) refuses to start" "$rc" 2
check "and says why" grep -q "min_hosts setting is at least 2" "$T/corr-one.out"

# --- one key posing as other hosts --------------------------------------------
rc2=0; emit_as h1 h2 --script auth --src 10.213.99.9 --per 5 --timeout 4 || rc2=$?
rc3=0; emit_as h1 h3 --script auth --src 10.213.99.9 --per 5 --timeout 4 || rc3=$?
expect_eq "h1's key posing as h2 and h3: neither batch acked (sw-emit exit codes)" "$rc2 $rc3" "1 1"
check "the correlator counted them forged" wait_for 10 stat_ge forged 2
check "its log says who sent what: h1 named host 'h2' and 'h3'" \
	bash -c "grep -q \"refused batch from h1 .*names host 'h2'\" '$T/corr.log' && grep -q \"refused batch from h1 .*names host 'h3'\" '$T/corr.log'"
emit_as h1 h1 --script auth --src 10.213.99.9 --per 5 --timeout 20 || bad "h1's own batch not acked"
check "h1's own five are stored and observed by the fleet detectors" wait_for 10 stat_ge fleet_observed 5
expect_eq "the fleet detectors observed h1's five and nothing of the forged batches" "$(stat_of fleet_observed)" 5
expect_eq "events stored per host: h1 only" \
	"$(sql "SELECT string_agg(host || ':' || n, ',') FROM (SELECT host, count(*) n FROM events WHERE src_ip = '10.213.99.9' GROUP BY host ORDER BY host) x")" "h1:5"
expect_eq "no incident and no block for 10.213.99.9 from one host's word" \
	"$(sql "SELECT (SELECT count(*) FROM incidents WHERE src_ip = '10.213.99.9') + (SELECT count(*) FROM blocks WHERE addr = '10.213.99.9/32')")" 0

# --- the genuine hosts still get it blocked -------------------------------------
for h in h2 h3; do
	emit_as "$h" "$h" --script auth --src 10.213.99.9 --per 5 --timeout 20 || bad "genuine $h not acked"
done
check "genuine h2 and h3: a brute-force incident for 10.213.99.9" wait_for 10 sql_true \
	"SELECT count(*) = 1 FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.99.9'"
expect_eq "it names h1, h2, h3 with 15 events (the forged ten not among them)" \
	"$(sql "SELECT array_to_string(hosts, ','), event_count FROM incidents WHERE rule = 'fleet.bruteforce.source' AND src_ip = '10.213.99.9'")" "h1,h2,h3|15"
check "and 10.213.99.9 is blocked" wait_for 5 sql_true \
	"SELECT count(*) = 1 FROM blocks WHERE addr = '10.213.99.9/32' AND removed_at IS NULL"

# --- millions of empty events in one message ------------------------------------
rss0=$(kb "$CORR" VmRSS)
emit_as h2 h2 --oversize 1000000 --timeout 2 || true
check "a batch of 1,000,000 empty events is refused as oversized" wait_for 20 stat_ge oversized 1
hwm=$(kb "$CORR" VmHWM)
check "the correlator's peak memory grew by less than 64 MiB ($rss0 kB -> peak $hwm kB)" \
	test $((hwm - rss0)) -lt 65536
before=$(stat_of events)
emit_as h3 h3 --count 20 --timeout 20 || bad "h3's batch after the oversized one not acked"
check "and goes on storing (20 more events)" wait_for 10 stat_ge events $((before + 20))

# --- rows per second per host -------------------------------------------------------
# h1 sends 12,000 events as fast as its uplink goes (batches of 128, 32 in
# flight); the correlator takes 2000 rows/s of it (4000 at once), refuses
# the rest unacked; h1's collector resends them after its ack timeout.
throttled_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["throttled_hosts"].get(sys.argv[2], {}).get("batches", 0))' "$T/stats.json" "$1" 2>/dev/null || echo -1; }
t_flood=$(date +%s)
emit_as h1 h1 --count 12000 --timeout 60 & flood=$!
SW_PIDS+=("$flood")
check "h1 over its rows per second: batches refused and counted (throttled_batches)" \
	wait_for 20 stat_ge throttled_batches 1
t0=$(date +%s%N)
emit_as h2 h2 --count 20 --timeout 3 || bad "h2's 20 events during h1's flood: not acked within 3 s"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "h2's 20 events acked within 3 s during the flood (${ms} ms), h1 still throttled meanwhile" \
	kill -0 "$flood"
rc=0; wait "$flood" || rc=$?
expect_eq "h1's flood: every batch acked in the end (sw-emit exit 0, $(( $(date +%s) - t_flood )) s)" "$rc" 0
expect_eq "h1's 12,000 events all stored, each once" \
	"$(sql "SELECT count(*), count(DISTINCT path) FROM events WHERE host = 'h1' AND path LIKE '/e/%'")" "12000|12000"
check "the refusals are counted for h1 ($(throttled_of h1) batches), none for h2" \
	bash -c "[ $(throttled_of h1) -ge 1 ] && [ $(throttled_of h2) -eq 0 ]"
echo "     throttle: $(grep -o '"throttled[^}]*}' "$T/stats.json"); h1: $(grep -ho 'resent=[0-9]* acked=[0-9]* timeouts=[0-9]*' "$T/emit-h1-h1.log" | tail -1)"

# --- a new host enrolls -----------------------------------------------------------
PORT=$(free_port 10500 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
mkdir -p "$T/nodekeys"
denied0=$(stat_of zap_denied)
SIDEWATCH_COLLECTOR_KEY_CREATE=true start_collector n1 --netns self --no-tls \
	--metrics-listen off --correlator "$EP" --key "$T/nodekeys/n1.key" \
	--server-key "$T/keys/server.pub" --spool "$T/spool-n1"
expect_eq "first start made the node's key pair: secret 0600, public 0644" \
	"$(stat -c '%a' "$T/nodekeys/n1.key" "$T/nodekeys/n1.pub" | tr '\n' ' ')" "600 644 "
check "and logged how to admit it" bash -c 'grep -q "made this host.s key pair" "$1" && grep -qF "n1.pub holding $(tr -d "\n" <"$2")" "$1"' _ "$T/n1.err" "$T/nodekeys/n1.pub"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
for i in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:$PORT/enroll-$i"; done
check "the collector decoded the three requests" \
	wait_for 10 bash -c "[ \$(grep -c '\"path\":\"/enroll-' '$T/n1.out') -eq 3 ]"
check "the correlator refuses the unadmitted key (CURVE handshakes denied)" \
	wait_for 10 stat_ge zap_denied $((denied0 + 1))
expect_eq "nothing of n1 is stored before it is admitted" \
	"$(sql "SELECT count(*) FROM events WHERE host = 'n1'")" 0
cp "$T/nodekeys/n1.pub" "$T/keys/collectors/n1.pub"
check "admitted (n1.pub in the keys directory): its three requests are stored, no restart" \
	wait_for 30 sql_true "SELECT count(*) = 3 FROM events WHERE host = 'n1' AND path LIKE '/enroll-%'"
check "and its heartbeat names the new socket it opened (uplink.reopens >= 1)" \
	wait_for 15 sql_true "SELECT (counters->>'uplink.reopens')::int >= 1 FROM hosts WHERE host = 'n1'"
check "its block list joined too: it holds the head version (the 10.213.99.9 block)" \
	wait_for 20 sql_true "SELECT coalesce(nullif(blocklist_version, 0), (counters->>'blocklist_version')::bigint) = (SELECT version FROM block_list_head) AND (SELECT version FROM block_list_head) > 0 FROM hosts WHERE host = 'n1'"
stop_collector n1
finish
