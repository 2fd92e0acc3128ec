#!/usr/bin/env bash
# tools/demo.sh - `make demo`: a fleet in one machine under a scripted
# multi-stage attack. Three network-namespace hosts each run nginx (plus
# nghttpd and a WebSocket server on h3) and their own collector in enforce
# mode; the correlator and a private PostgreSQL run on a fourth. A benign
# client works against every host throughout while attackers scan, inject
# SQL, spread credential stuffing across hosts, rapid-reset HTTP/2 and flood
# a WebSocket. The demo prints what was detected, where, how fast and what
# was blocked, and ends with the incident report from SQL. It cleans up
# after itself. DEMO_SHORT=1: the same stages, shorter pauses (CI).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/integration/lib.sh"
require_kernel

PAUSE=${DEMO_SHORT:+0.5}
PAUSE=${PAUSE:-2}
CLIENT="/usr/bin/python3 $ROOT/tests/integration/client.py"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

net_host corr 10.213.6.100
for i in 1 2 3; do net_host "h$i" "10.213.6.$i"; done
for a in scan sqli stuff h2 ws; do :; done
net_host scanner 10.213.6.11
net_host injector 10.213.6.12
net_host stuffer 10.213.6.13
net_host resetter 10.213.6.14
net_host flooder 10.213.6.15
net_host ben 10.213.6.77
PGPORT=55498
EP=tcp://10.213.6.100:7450
PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch

mkdir -p "$T/pg" "$T/keys/collectors"
pg_stop() { in_host corr "$ROOT/tools/pg.sh" stop "$T/pg" >/dev/null 2>&1 || true; }
trap 'rc=$?; pg_stop; (exit $rc); sw_cleanup' EXIT

say "starting: PostgreSQL and the correlator on corr (10.213.6.100)"
in_host corr "$ROOT/tools/pg.sh" start "$T/pg" "$PGPORT" >/dev/null
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for i in 1 2 3; do "$BUILD/swctl" keygen "$T/keys/collectors" "h$i" >/dev/null; done
bg corr ip netns exec "$(ns_of corr)" "$BUILD/sidewatch-correlator" --listen "$EP" \
	--blocks tcp://10.213.6.100:7451 --pg "$PG" --keys "$T/keys/collectors" \
	--server-key "$T/keys/server.key" --sql "$ROOT/sql" --stats "$T/corr.stats" --metrics-listen off
wait_for 20 grep -q '"db_up":true' "$T/corr.stats" || die "correlator did not start"

say "starting: hosts h1 h2 h3 with nginx and a collector each (enforce mode)"
make_www "$T/www"
for i in 1 2 3; do
	nginx_conf "$T/nginx-h$i.conf" "10.213.6.$i:80" "$T/www" "location /scan/ { return 404; }"
	bg "nginx$i" in_host "h$i" nginx -c "$T/nginx-h$i.conf" -p "$T"
	bg "h$i" ip netns exec "$(ns_of "h$i")" "$COLLECTOR" --stdout --name "h$i" --netns self \
		--mode enforce --no-tls --metrics-listen off --correlator "$EP" \
		--key "$T/keys/collectors/h$i.key" --server-key "$T/keys/server.pub" --spool "$T/spool-h$i"
done
bg nghttpd ip netns exec "$(ns_of h3)" nghttpd --no-tls -d "$T/www" 8080
bg wssrv ip netns exec "$(ns_of h3)" /usr/bin/python3 "$ROOT/tests/integration/ws_peer.py" server 8081 10.213.6.3
for i in 1 2 3; do
	wait_for 30 grep -q '^ready$' "$T/h$i.err" || die "collector h$i did not start"
	wait_for 10 in_host ben curl -s -o /dev/null "http://10.213.6.$i/" || die "nginx on h$i not reachable"
done
wait_for 10 grep -q serving "$T/wssrv.out" || die "WebSocket server did not start"

# report: print verdicts the collectors wrote since the last call
declare -A SEEN
report() {
	for i in 1 2 3; do
		local n=${SEEN[h$i]:-0}
		python3 - "$T/h$i.out" "$n" "h$i" <<'PY'
import json, sys
path, skip, host = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for k, l in enumerate(open(path)):
    if k < skip:
        continue
    try:
        e = json.loads(l)
    except ValueError:
        continue
    if e.get("kind") != "verdict":
        continue
    print("  [%s] %-16s %-9s from %-15s %s %s  (detect %.2f ms, enforce %.2f ms)" % (
        host, e["rule"], e["action"], e["src"].rsplit(":", 1)[0],
        e.get("method", ""), (e.get("path") or "")[:40],
        e["detect_latency_us"] / 1000.0, e["enforce_latency_us"] / 1000.0))
PY
		SEEN[h$i]=$(wc -l <"$T/h$i.out")
	done
}

say "benign traffic: one client on every host, 10 requests/s each, for the whole demo"
for i in 1 2 3; do
	bg "ben$i" ip netns exec "$(ns_of ben)" $CLIENT benign "10.213.6.$i" 80 30 0.1
done
sleep "$PAUSE"

say "stage 1: scanner 10.213.6.11 probes h1 for admin pages"
in_host scanner $CLIENT burst 10.213.6.1 80 scan 26 >/dev/null
sleep "$PAUSE"; report

say "stage 2: injector 10.213.6.12 sends SQL injection and XSS to h2"
in_host injector $CLIENT sqli 10.213.6.2 80 >"$T/sqli.json"
echo "  attacker saw: $(cat "$T/sqli.json")"
in_host injector curl -s -m 2 -o /dev/null "http://10.213.6.2/api/q?x=%3Cscript%3Ealert(1)%3C/script%3E" || true
sleep "$PAUSE"; report

say "stage 3: stuffer 10.213.6.13 spreads credential stuffing over h1, h2, h3 (below each host's threshold)"
for i in 1 2 3; do in_host stuffer $CLIENT burst "10.213.6.$i" 80 login 5 noprobe >/dev/null; done
for _ in $(seq 1 50); do
	r=$(in_host stuffer $CLIENT probe 10.213.6.3 80)
	grep -q timeout <<<"$r" && break
	sleep 0.1
done
echo "  stuffer's next connection to h3: $r"
report

say "stage 4: resetter 10.213.6.14 rapid-resets HTTP/2 streams on h3 (CVE-2023-44487)"
in_host resetter /usr/bin/python3 "$ROOT/tests/integration/h2attack.py" rapid-reset 10.213.6.3 8080 400 || true
sleep "$PAUSE"; report

say "stage 5: flooder 10.213.6.15 floods a WebSocket on h3 with an endless fragment chain"
in_host flooder /usr/bin/python3 "$ROOT/tests/integration/wsattack.py" 10.213.6.3 8081 fragment-storm || true
sleep "$PAUSE"; report

say "benign clients"
for i in 1 2 3; do
	stop_pid "$(eval echo \$PID_ben$i)"
	wait_for 5 grep -q ok "$T/ben$i.out" || true
done
sleep "$PAUSE"
for i in 1 2 3; do
	echo "  h$i: $(cat "$T/ben$i.out" 2>/dev/null || echo 'no report')"
done

for i in 1 2 3; do stop_pid "$(eval echo \$PID_h$i)"; done
sleep 1

say "incident report (PostgreSQL on corr)"
in_host corr psql "$PG" -X -P pager=off -c "
SELECT id, rule, severity, state, array_to_string(hosts, ',') AS hosts,
       array_to_string(sources, ',') AS sources, first_seen::time(0) AS first, last_seen::time(0) AS last
FROM incidents ORDER BY id"
in_host corr psql "$PG" -X -P pager=off -c "
SELECT host, rule, action, count(*) AS verdicts
FROM events WHERE kind = 'verdict' GROUP BY host, rule, action ORDER BY host, rule"
in_host corr psql "$PG" -X -P pager=off -c "
SELECT addr, origin, reason FROM blocks WHERE removed_at IS NULL ORDER BY id" 2>/dev/null || true
say "done"
