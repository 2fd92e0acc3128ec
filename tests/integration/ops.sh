#!/usr/bin/env bash
# ops: operators' experience.
#  - the collector's /metrics (config key metrics_listen on a free loopback
#    port) is valid Prometheus text and its request counters equal the
#    nginx + curl traffic sent (and the events printed);
#  - bad config files (unknown key, bad value, YAML syntax error) stop the
#    collector and the correlator with exit code 2 and name the line;
#  - against a real correlator + PostgreSQL (pipeline.sh's pattern, sw-emit
#    as collector): the correlator's /metrics counts the ingest and the
#    PostgreSQL write latency; swctl status / hosts / events / incident show
#    / events tail with --json parsed; swctl status exits 0 with all up, 1
#    degraded (no collector reported), 2 with PostgreSQL stopped or the
#    correlator gone;
#  - tools/docker-build-steps.sh --check and tools/lint-manifests.py pass.
source "$(dirname "$0")/lib.sh"
require_kernel
for b in sidewatch-correlator sw-emit swctl; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

# scrape ADDR OUT : GET /metrics, body to OUT
scrape() { curl -sf --max-time 5 "http://$1/metrics" -o "$2"; }

# the exposition-format parser: validates every line, prints the samples
# as JSON {"name{labels}": value}; exits 1 on a malformed line
PROM=$ROOT/tests/integration/promtext.py
# metric FILE.json KEY : one sample's value as an integer
metric() { python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$1" "$2"; }

echo "-- collector /metrics against real traffic"
# A private network-namespace host: the collector (--netns self), nginx and
# curl all live there, so other traffic on this machine cannot be counted.
net_host ops "10.213.$(( ($$ >> 8) % 200 + 20 )).$(( $$ % 200 + 20 ))"
MPORT=$(free_port 12000 1000) || die "no free port"
PORT=$((20000 + $$ % 10000))
cat >"$T/col.yaml" <<YAML
# ops test
log_level: info
metrics_listen: 127.0.0.1:$MPORT
YAML
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg col ip netns exec "$NS_ops" "$COLLECTOR" --stdout --name col --netns self --config "$T/col.yaml"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
bg nginx in_host ops nginx -c "$T/nginx.conf" -p "$T"
H="in_host ops curl -s"
wait_for 10 $H -o /dev/null "http://127.0.0.1:$PORT/health-probe" || die "nginx did not start"
N=1
for i in $(seq 1 12); do $H -o /dev/null "http://127.0.0.1:$PORT/api/echo?i=$i"; N=$((N + 1)); done
for i in 1 2 3; do $H -o /dev/null -d "x=$i" "http://127.0.0.1:$PORT/api/create"; N=$((N + 1)); done
$H -o /dev/null -o /dev/null "http://127.0.0.1:$PORT/index.html" "http://127.0.0.1:$PORT/missing"; N=$((N + 2))
sleep 2 # counters reach the registry once a second
check "collector answers GET /metrics on the configured port" in_host ops curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/col1.prom"
check "collector exposition parses (HELP/TYPE before samples, labels, values)" \
	sh -c "python3 '$PROM' '$T/col1.prom' >'$T/col1.json'"
expect_eq "events_emitted_total{proto=http1} equals the requests curl made" \
	"$(metric "$T/col1.json" 'sidewatch_events_emitted_total{proto="http1"}')" "$N"
expect_eq "no http2 events counted" "$(metric "$T/col1.json" 'sidewatch_events_emitted_total{proto="http2"}')" 0
expect_eq "kernel ring buffer lost nothing (ringbuf_full)" \
	"$(metric "$T/col1.json" 'sidewatch_kernel_total{counter="ringbuf_full"}')" 0
[ "$(metric "$T/col1.json" 'sidewatch_kernel_total{counter="events"}')" -gt 0 ] &&
	ok "ring buffer records counted" || bad "kernel events counter is 0"
expect_eq "no HTTP/1 parse errors on clean traffic" \
	"$(metric "$T/col1.json" 'sidewatch_anomalies_total{proto="http1",anomaly="h1.parse_error"}')" 0
$H -o /dev/null "http://127.0.0.1:$PORT/api/echo?after=1"; N=$((N + 1))
sleep 1.5
in_host ops curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/col2.prom" &&
	python3 "$PROM" "$T/col2.prom" >"$T/col2.json"
expect_eq "counter follows new traffic (scrapes themselves are not counted)" \
	"$(metric "$T/col2.json" 'sidewatch_events_emitted_total{proto="http1"}')" "$N"
expect_eq "scrapes counted" "$(metric "$T/col2.json" 'sidewatch_metrics_scrapes_total')" 2
code=$($H -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/other")
expect_eq "other paths get 404" "$code" 404
stop_collector col
expect_eq "events printed equal the metric" \
	"$(grep -c "\"dst\":\"127.0.0.1:$PORT\"" "$T/col.out")" "$N"

echo "-- bad config files: exit 2, the line named"
printf 'mode: monitor\nnetns: self\nbogus_key: 1\n' >"$T/unknown.yaml"
printf 'mode: monitor\n\nmax_conns: lots\n' >"$T/badval.yaml"
printf 'mode: monitor\nname: [unclosed\n' >"$T/syntax.yaml"
printf 'metrics_listen: localhost\n' >"$T/badmetrics.yaml"
# cfg_case PROGRAM FILE WANT-REGEX
cfg_case() {
	local prog=$1 file=$2 want=$3 rc=0
	shift 3
	"$prog" --config "$file" "$@" >"$T/cfg.out" 2>"$T/cfg.err" || rc=$?
	if [ "$rc" = 2 ] && grep -Eq "$want" "$T/cfg.err"; then
		ok "$(basename "$prog") $(basename "$file"): exit 2, '$(head -1 "$T/cfg.err" | cut -c1-110)'"
	else
		bad "$(basename "$prog") $(basename "$file"): exit $rc, stderr: $(head -2 "$T/cfg.err")"
	fi
}
cfg_case "$COLLECTOR" "$T/unknown.yaml" "unknown.yaml line 3: unknown key 'bogus_key' \(known: .*metrics_listen"
cfg_case "$COLLECTOR" "$T/badval.yaml" "badval.yaml line 3: max_conns must be a whole number"
cfg_case "$COLLECTOR" "$T/syntax.yaml" "syntax.yaml line [23]: (YAML error|'name' takes a single value)"
cfg_case "$COLLECTOR" "$T/badmetrics.yaml" "badmetrics.yaml line 1: metrics_listen must be HOST:PORT"
printf 'identity_key: %s\n' "$T/no-such.key" >"$T/idkey-missing.yaml"
printf 'not hex at all\n' >"$T/bad.key"
printf 'identity_key: %s\n' "$T/bad.key" >"$T/idkey-bad.yaml"
cfg_case "$COLLECTOR" "$T/idkey-missing.yaml" "identity_key .*no-such.key: No such file"
cfg_case "$COLLECTOR" "$T/idkey-bad.yaml" "identity_key .*bad.key must hold 32 hex digits"
printf 'listen: tcp://127.0.0.1:7450\nbogus: 1\n' >"$T/c-unknown.yaml"
printf '# retention in days\nretention: forever\n' >"$T/c-badval.yaml"
printf 'pg: postgresql://x\n  sql: sql\n' >"$T/c-syntax.yaml"
printf 'plain: "yes\n' >"$T/c-quote.yaml"
CORRBIN=$BUILD/sidewatch-correlator
cfg_case "$CORRBIN" "$T/c-unknown.yaml" "c-unknown.yaml line 2: unknown key 'bogus' \(known: listen"
cfg_case "$CORRBIN" "$T/c-badval.yaml" "c-badval.yaml line 2: retention must be a whole number of days"
cfg_case "$CORRBIN" "$T/c-syntax.yaml" "c-syntax.yaml line 2: YAML error: expected 'key: value'"
cfg_case "$CORRBIN" "$T/c-quote.yaml" "c-quote.yaml line 1: YAML error: unterminated"
rc=0; "$CORRBIN" --config "$ROOT/deploy/correlator.yaml" --help >/dev/null 2>&1 || rc=$?
expect_eq "deploy/correlator.yaml itself is accepted" "$rc" 0

echo "-- swctl against a real correlator + PostgreSQL"
PGPORT=$(free_port 24000 1000 4) || die "no free ports"
EVPORT=$((PGPORT + 1)) BLPORT=$((PGPORT + 2)) CMPORT=$((PGPORT + 3))
EP=tcp://127.0.0.1:$EVPORT
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
export SIDEWATCH_CORRELATOR_METRICS=127.0.0.1:$CMPORT
start_pg "$PGPORT"
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for h in opa opb opw; do "$BUILD/swctl" keygen "$T/keys/collectors" "$h" >/dev/null; done
cat >"$T/corr.yaml" <<YAML
listen: tcp://127.0.0.1:$EVPORT
blocks: "tcp://127.0.0.1:$BLPORT"   # quoted, with a comment
keys: $T/keys/collectors
server_key: '$T/keys/server.key'
sql: $ROOT/sql
stats: $T/stats.json
metrics_listen: 127.0.0.1:$CMPORT
YAML
bg corr "$CORRBIN" --config "$T/corr.yaml"
wait_for 20 grep -q '"db_up":true' "$T/stats.json" || { cat "$T/corr.err" >&2; die "correlator did not come up"; }
ok "correlator runs from --config and connects"
emit() { # emit NAME [sw-emit args...]
	local name=$1; shift
	"$BUILD/sw-emit" --connect "$EP" --host "$name" --spool "$T/spool-$name" \
		--key "$T/keys/collectors/$name.key" --server-key "$T/keys/server.pub" "$@"
}
emit opa --count 100 --timeout 30 >"$T/emit-opa.log" 2>&1 && ok "100 events acked" || bad "emitter opa not acked"
sleep 1.5
check "correlator /metrics parses" sh -c "scrape 127.0.0.1:$CMPORT '$T/corr.prom' 2>/dev/null || curl -sf http://127.0.0.1:$CMPORT/metrics -o '$T/corr.prom'; python3 '$PROM' '$T/corr.prom' >'$T/corr.json'"
expect_eq "correlator events_total counts the committed rows" \
	"$(metric "$T/corr.json" sidewatch_correlator_events_total)" 100
expect_eq "correlator db_up gauge" "$(metric "$T/corr.json" sidewatch_correlator_db_up)" 1
expect_eq "the fleet detectors observed every committed event" \
	"$(metric "$T/corr.json" 'sidewatch_correlator_fleet_events_total{result="observed"}')" 100
expect_eq "no event went unobserved (fleet staging full)" \
	"$(metric "$T/corr.json" 'sidewatch_correlator_fleet_events_total{result="unobserved"}')" 0
n=$(metric "$T/corr.json" sidewatch_correlator_pg_write_seconds_count)
inf=$(metric "$T/corr.json" 'sidewatch_correlator_pg_write_seconds_bucket{le="+Inf"}')
[ "$n" -gt 0 ] && [ "$n" = "$inf" ] && ok "PostgreSQL write latency histogram ($n writes, +Inf bucket = count)" ||
	bad "write latency histogram: count $n, +Inf $inf"

rc=0; "$BUILD/swctl" status --json >"$T/status.json" || rc=$?
expect_eq "swctl status exits 0 with everything up" "$rc" 0
check "swctl status --json: ok, 100 events and 1 host in the last minute" python3 - "$T/status.json" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).read())
sys.exit(0 if (d["status"], d["correlator"], d["postgresql"], d["correlator_db_up"],
               d["hosts_last_minute"], d["events_last_minute"], d["open_incidents"],
               d["correlator_events_total"]) == ("ok", True, True, True, 1, 100, 0, 100) else 1)
PY
"$BUILD/swctl" status >"$T/status.txt"
check "swctl status table names the state" grep -q '^status  *ok$' "$T/status.txt"
"$BUILD/swctl" hosts --json >"$T/hosts.json"
check "swctl hosts --json lists opa with 100 events" python3 -c '
import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if [(x["host"], x["events_total"]) for x in r] == [("opa", 100)] else 1)' "$T/hosts.json"
"$BUILD/swctl" --json hosts >"$T/hosts2.json"
check "swctl --json hosts: the same rows as swctl hosts --json" python3 -c '
import json,sys; a=[json.loads(l) for l in open(sys.argv[1])]; b=[json.loads(l) for l in open(sys.argv[2])]
k=lambda r: [(x["host"], x["events_total"], sorted(x)) for x in r]
sys.exit(0 if k(a) == k(b) and len(a) == 1 else 1)' "$T/hosts.json" "$T/hosts2.json"
"$BUILD/swctl" hosts >"$T/hosts.txt"
check "swctl hosts table: opa with 100 events and the operator's counters as aligned columns" python3 -c '
import re,sys; lines=open(sys.argv[1]).read().splitlines(); h=lines[0]
cols=[(m.start(), m.group()) for m in re.finditer(r"\S+", h)]
want=["host","events","ring_drops","gap_bytes","spool_pending","spool_dropped","blocklist_behind"]
names=[c for _, c in cols]
if len(lines) != 2 or "counters" in names or not all(c in names for c in want): sys.exit(1)
edges=[p for p, _ in cols] + [10**6]
row={c: lines[1][edges[i]:edges[i+1]].strip() for i, c in enumerate(names)}
sys.exit(0 if row["host"] == "opa" and row["events"] == "100" and row["ring_drops"] != "" else 1)' "$T/hosts.txt"
rc=0; "$BUILD/swctl" hosts --ttl 5m >/dev/null 2>"$T/usage.txt" || rc=$?
expect_eq "swctl hosts --ttl: refused with exit 2" "$rc" 2
check "swctl hosts --ttl: the message names the option" grep -q -- "--ttl does not apply to 'hosts'" "$T/usage.txt"
"$BUILD/swctl" events --json --limit 7 >"$T/events.json"
check "swctl events --json --limit 7: 7 valid rows of opa" python3 -c '
import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if len(r) == 7 and all(x["host"] == "opa" and x["path"].startswith("/e/") for x in r) else 1)' "$T/events.json"

# an incident as the cross-host detectors will write them
psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "INSERT INTO incidents (opened_at, rule, severity, src_ip, hosts, event_count, summary)
	VALUES (now() - interval '1 minute', 'scan.cross_host', 'high', '10.213.0.9', '{opa,opb}', 100, 'test incident')" >/dev/null
ID=$(psql "$SIDEWATCH_PG" -X -At -c "SELECT max(id) FROM incidents")
emit opb --count 20 --timeout 30 >"$T/emit-opb.log" 2>&1 || bad "emitter opb not acked"
"$BUILD/swctl" incident show "$ID" --json >"$T/inc.json"
check "swctl incident show: the incident, then its timeline across hosts oldest first" python3 - "$T/inc.json" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
inc, ev = r[0], r[1:]
ok = inc["record"] == "incident" and inc["rule"] == "scan.cross_host" and inc["hosts"] == "opa,opb"
ok &= len(ev) == 120 and all(e["record"] == "event" for e in ev)
ok &= {e["host"] for e in ev} == {"opa", "opb"}
ok &= [e["ts"] for e in ev] == sorted(e["ts"] for e in ev)
sys.exit(0 if ok else 1)
PY
"$BUILD/swctl" incident show "$ID" >"$T/inc.txt"
check "swctl incident show table has the timeline" grep -q '^timeline$' "$T/inc.txt"
rc=0; "$BUILD/swctl" incident show 999999 >/dev/null 2>&1 || rc=$?
expect_eq "swctl incident show of an unknown ID exits 1" "$rc" 1
rc=0; "$BUILD/swctl" incident show abc >/dev/null 2>&1 || rc=$?
expect_eq "swctl incident show of a non-number exits 2" "$rc" 2
rc=0; "$BUILD/swctl" frobnicate >/dev/null 2>&1 || rc=$?
expect_eq "unknown command exits 2" "$rc" 2
check "swctl --help documents the exit codes" sh -c "'$BUILD/swctl' --help | grep -q '^exit codes:'"

# events tail: only rows that arrive after it starts, bounded by --count
bg tail "$BUILD/swctl" events tail --json --count 30 --for 60
sleep 1
emit opb --count 40 --timeout 30 >"$T/emit-opb2.log" 2>&1 || bad "emitter opb (tail) not acked"
wait_for 10 sh -c "! kill -0 $PID_tail" && ok "events tail stops after --count rows" || bad "events tail still running"
check "events tail printed exactly 30 new rows in arrival order, none older" python3 - "$T/tail.out" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
idx = [int(x["path"][3:]) for x in r]
sys.exit(0 if len(r) == 30 and all(x["host"] == "opb" for x in r) and idx == list(range(30)) else 1)
PY
# events tail while two collectors send at once: the correlator's writers
# COPY side by side but COMMIT in receive order, so a row committed by a
# slower writer is never behind the tail's cursor
bg tailc "$BUILD/swctl" events tail --json --count 6000 --for 90
sleep 1
emit opa --count 3000 --rate 3000 --timeout 60 >"$T/emit-c1.log" 2>&1 &
E1=$!
SW_PIDS+=("$E1")
emit opb --count 3000 --rate 3000 --timeout 60 >"$T/emit-c2.log" 2>&1 || bad "emitter opb (concurrent tail) not acked"
wait "$E1" || bad "emitter opa (concurrent tail) not acked"
wait_for 30 sh -c "! kill -0 $PID_tailc" && ok "events tail stops after 6000 rows" || bad "events tail (concurrent) still running"
check "events tail printed every row of two concurrent emitters exactly once" python3 - "$T/tailc.out" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
keys = {(x["host"], x["path"]) for x in r}
want = {(h, "/e/%d" % i) for h in ("opa", "opb") for i in range(3000)}
print("     tail: %d rows, %d distinct, %d missing" % (len(r), len(keys), len(want - keys)))
sys.exit(0 if len(r) == 6000 and keys == want else 1)
PY
# the ordering itself, from PostgreSQL's commit timestamps (tools/pg.sh
# turns them on): batches sorted by receive time were committed in that order
out=$(psql "$SIDEWATCH_PG" -X -At -c "
	WITH b AS (SELECT DISTINCT ON (host, seq) host, seq, recv_ts,
	           pg_xact_commit_timestamp(xmin) AS c FROM events WHERE host IN ('opa', 'opb')
	           AND recv_ts > now() - interval '10 minutes' ORDER BY host, seq),
	     o AS (SELECT c, lag(c) OVER (ORDER BY recv_ts, host, seq) AS pc FROM b)
	SELECT count(*), count(*) FILTER (WHERE c < pc), count(DISTINCT c) FROM o")
IFS='|' read -r nb inv ncommits <<<"$out"
echo "     $nb batches in $ncommits transactions, $inv committed before an earlier-received one"
check "writers commit in receive order ($ncommits transactions)" test "${nb:-0}" -gt 0 -a "${inv:-1}" -eq 0 -a "${ncommits:-0}" -gt 1
s0=$(date +%s)
"$BUILD/swctl" events tail --for 2 >"$T/tail2.out"
s1=$(date +%s)
[ $((s1 - s0)) -ge 2 ] && [ $((s1 - s0)) -le 4 ] && ok "events tail --for 2 ends after ~2 s ($((s1 - s0)) s)" || bad "events tail --for 2 took $((s1 - s0)) s"
expect_eq "events tail with no new rows prints nothing" "$(wc -l <"$T/tail2.out")" 0

# five failed logins from one source: rows a restarted correlator warms
# its windows from (below)
emit opw --script auth --src 10.213.9.9 --per 5 --timeout 30 >"$T/emit-opw.log" 2>&1 || bad "emitter opw (failed logins) not acked"

# degraded: everything reachable, but no collector reported in the last minute
psql "$SIDEWATCH_PG" -X -At -c "UPDATE hosts SET last_seen = now() - interval '1 hour', last_heartbeat = now() - interval '1 hour'" >/dev/null
rc=0; "$BUILD/swctl" status --json >"$T/status-deg.json" || rc=$?
expect_eq "swctl status exits 1 when no collector reported (degraded)" "$rc" 1
check "status --json says degraded" grep -q '"status":"degraded"' "$T/status-deg.json"

# down: PostgreSQL stopped
stop_pg
rc=0; "$BUILD/swctl" status --json >"$T/status-down.json" || rc=$?
expect_eq "swctl status exits 2 with PostgreSQL stopped" "$rc" 2
check "status --json: down, postgresql false, correlator still reachable" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if (d["status"], d["postgresql"], d["correlator"]) == ("down", False, True) else 1)' "$T/status-down.json"
rc=0; "$BUILD/swctl" events --json >/dev/null 2>&1 || rc=$?
expect_eq "swctl events exits 1 when PostgreSQL is unreachable" "$rc" 1
start_pg "$PGPORT"
stop_pid "$PID_corr"
rc=0; "$BUILD/swctl" status --json >"$T/status-nocorr.json" || rc=$?
expect_eq "swctl status exits 2 with the correlator gone" "$rc" 2
# restarted, it warms its detector windows from its own recent rows: the
# count reaches /metrics as the stats file has it
rm -f "$T/stats.json"
bg corr2 "$CORRBIN" --config "$T/corr.yaml"
wait_for 20 grep -q '"db_up":true' "$T/stats.json" || { cat "$T/corr2.err" >&2; die "correlator did not come back"; }
warm_ok() {
	scrape 127.0.0.1:$CMPORT "$T/corr2.prom" && python3 "$PROM" "$T/corr2.prom" >"$T/corr2.json" &&
		[ "$(metric "$T/corr2.json" 'sidewatch_correlator_fleet_warmed_total{source="events"}')" -ge 5 ]
}
wait_for 10 warm_ok || true
w=$(metric "$T/corr2.json" 'sidewatch_correlator_fleet_warmed_total{source="events"}' 2>/dev/null || echo none)
ws=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fleet_warmed_rows"])' "$T/stats.json" 2>/dev/null || echo none)
echo "     restarted correlator warmed $w own rows (stats file: $ws)"
check "restarted correlator: warmed rows in /metrics ($w) >= the 5 failed logins and = the stats file's ($ws)" \
	test "$w" != none -a "$w" = "$ws" -a "${w:-0}" -ge 5 2>/dev/null
expect_eq "restarted correlator: no projections warmed (no ring)" \
	"$(metric "$T/corr2.json" 'sidewatch_correlator_fleet_warmed_total{source="projections"}' 2>/dev/null)" 0
stop_pid "$PID_corr2"
stop_pg

echo "-- deployment files"
check "tools/docker-build-steps.sh --check" sh -c "'$ROOT/tools/docker-build-steps.sh' --check >'$T/dbs.out' 2>&1 || { cat '$T/dbs.out'; exit 1; }"
check "tools/lint-manifests.py" sh -c "python3 '$ROOT/tools/lint-manifests.py' >'$T/lint.out' 2>&1 || { cat '$T/lint.out'; exit 1; }"
cp -r "$ROOT/deploy" "$T/deploy-bad"
sed -i '/hostNetwork/d' "$T/deploy-bad/k8s/collector-daemonset.yaml"
rc=0; SW_DEPLOY_DIR=$T/deploy-bad python3 "$ROOT/tools/lint-manifests.py" >"$T/lint-bad.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'hostNetwork' "$T/lint-bad.out" && ok "lint-manifests catches a collector without hostNetwork" ||
	bad "lint-manifests missed hostNetwork removal (rc $rc)"
cp -r "$ROOT/deploy" "$T/deploy-shared"
sed -i 's|/var/lib/sidewatch/keys/$(SIDEWATCH_NAME).key|/etc/sidewatch/keys/collector.key|' "$T/deploy-shared/k8s/collector-daemonset.yaml"
rc=0; SW_DEPLOY_DIR=$T/deploy-shared python3 "$ROOT/tools/lint-manifests.py" >"$T/lint-shared.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'is not per node' "$T/lint-shared.out" && ok "lint-manifests catches one key shared by every node" ||
	bad "lint-manifests missed a shared collector key (rc $rc)"
finish
