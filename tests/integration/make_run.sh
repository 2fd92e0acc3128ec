#!/usr/bin/env bash
# make_run: `make run` as the README tells a new user to run it. It starts
# PostgreSQL, the correlator and this host's collector; real curl requests
# to a real nginx show up as JSON lines on its stdout, in PostgreSQL
# (`swctl events`), and the host in `swctl hosts` with its counters; the
# commands it prints to look with work as printed (no SIDEWATCH_PG prefix
# for the embedded instance); Ctrl-C stops all of it.
# State goes to a temporary SIDEWATCH_VAR, not the user's var/. The
# embedded ports are fixed (25432, 7450, 7451, 9464): a `make run` already
# running on this machine is refused, not disturbed.
source "$(dirname "$0")/lib.sh"
require_kernel

for p in 25432 7450 7451 9464; do
	[ -z "$(ss -Htln "( sport = :$p )")" ] ||
		die "port $p is in use (a make run already running here?): stop it first"
done
unset SIDEWATCH_PG SIDEWATCH_NAME SIDEWATCH_COLLECTOR_CONFIG SIDEWATCH_METRICS_LISTEN
HOST=$(hostname)
mkdir -p "$T/var"
chmod 755 "$T/var"

# its own process group, so the Ctrl-C below reaches make, run.sh and the
# collector as a terminal's would
SIDEWATCH_VAR=$T/var setsid make -C "$ROOT" --no-print-directory run >"$T/run.out" 2>"$T/run.err" &
RUN_PID=$!
SW_PIDS+=("$RUN_PID")
stop_run() {
	kill -INT -- "-$RUN_PID" 2>/dev/null || return 0
	for _ in $(seq 1 100); do kill -0 "$RUN_PID" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL -- "-$RUN_PID" 2>/dev/null
}
wait_for 120 grep -q '^ready$' "$T/run.err" || {
	tail -20 "$T/run.err" >&2
	stop_run
	die "make run did not get to a ready collector"
}

check "make run prints how to look: swctl events, incidents, hosts and the metrics URL" \
	bash -c 'grep -q "^    build/swctl events" "$1" && grep -q "^    build/swctl incidents" "$1" &&
		grep -q "^    build/swctl hosts" "$1" && grep -q "curl -s http://127.0.0.1:9464/metrics" "$1"' _ "$T/run.err"
check "make run's hints carry no SIDEWATCH_PG prefix with the embedded PostgreSQL" \
	bash -c '! grep "build/swctl" "$1" | grep -q SIDEWATCH_PG' _ "$T/run.err"
check "make run prints the hints before the events start" \
	bash -c '[ "$(grep -n "build/swctl hosts" "$1" | cut -d: -f1)" -lt "$(grep -n "^ready$" "$1" | cut -d: -f1)" ]' _ "$T/run.err"

PORT=$(free_port 10500 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 bash -c "ss -Htln '( sport = :$PORT )' | grep -q ." || die "nginx did not start"

P=/make-run-$SW_ID
codes=""
for i in 1 2 3 4 5; do
	codes+=$(curl -s -o /dev/null -w '%{http_code} ' "http://127.0.0.1:$PORT$P/$i")
done
expect_eq "nginx answered the five requests" "$codes" "404 404 404 404 404 "

n_out() { grep -c "\"path\":\"$P/" "$T/run.out" || true; }
wait_for 15 bash -c "[ \$(grep -c '\"path\":\"$P/' '$T/run.out') -ge 5 ]" || true
expect_eq "make run printed one JSON event per request" "$(n_out)" 5

n_pg() { "$BUILD/swctl" events --json --limit 200 2>/dev/null | grep -c "\"path\":\"$P/" || true; }
wait_for 20 bash -c "[ \$('$BUILD/swctl' events --json --limit 200 | grep -c '\"path\":\"$P/') -ge 5 ]" || true
expect_eq "swctl events (embedded default, no SIDEWATCH_PG) holds the five" "$(n_pg)" 5

# the heartbeat comes every 5 s; the host row carries the collector's counters
host_events() {
	"$BUILD/swctl" hosts | python3 -c '
import re,sys; lines=sys.stdin.read().splitlines(); h=lines[0]
cols=[(m.start(), m.group()) for m in re.finditer(r"\S+", h)]
edges=[p for p, _ in cols] + [10**6]
for l in lines[1:]:
    row={c: l[edges[i]:edges[i+1]].strip() for i, (_, c) in enumerate(cols)}
    if row.get("host") == sys.argv[1]:
        print(row["events"], row["ring_drops"], row["spool_pending"], row["blocklist_behind"])' "$HOST"
}
wait_for 20 bash -c "[ -n \"\$(\"$BUILD/swctl\" hosts --json | grep '\"host\":\"$HOST\"' | grep '\"capture.ringbuf_full\"')\" ]" || true
read -r ev drops spool behind < <(host_events; echo) || true
check "swctl hosts shows $HOST with its events ($ev) and counters (ring drops $drops, spool $spool, behind $behind)" \
	bash -c '[ "${1:-0}" -ge 5 ] && [ "$2" = 0 ] && [[ "$3" =~ ^[0-9]+$ ]] && [[ "$4" =~ ^[0-9]+$ ]]' _ "${ev:-}" "${drops:-}" "${spool:-}" "${behind:-}"

# the API inventory the collector learned reaches PostgreSQL through the
# uplink (pushed every 10 s): the five requests under one template
api_calls() {
	"$BUILD/swctl" apis --json --host "$HOST" 2>/dev/null | python3 -c '
import json, sys
t = sys.stdin.read().strip()
try:
    rows = json.loads(t) if t else []
except ValueError:
    rows = [json.loads(l) for l in t.splitlines() if l.strip()]
if isinstance(rows, dict):
    rows = [rows]
print(sum(int(r["calls"]) for r in rows if r["template"].startswith(sys.argv[1])))' "$P/"
}
for _ in $(seq 1 30); do [ "$(api_calls)" = 5 ] && break; sleep 1; done
expect_eq "swctl apis --host $HOST: the five requests' endpoint, pushed by the collector" "$(api_calls)" 5

check "the printed metrics URL answers with the collector's counters" \
	bash -c "curl -s --max-time 5 http://127.0.0.1:9464/metrics | grep -q '^sidewatch_events_emitted_total'"

stop_run
wait "$RUN_PID" 2>/dev/null || true
check "Ctrl-C stops make run: it says so" grep -q "sidewatch: stopped" "$T/run.err"
check "Ctrl-C stops make run: the correlator, PostgreSQL and metrics ports are free" \
	bash -c '[ -z "$(ss -Htln "( sport = :7450 or sport = :7451 or sport = :25432 or sport = :9464 )")" ]'
finish
