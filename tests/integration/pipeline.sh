#!/usr/bin/env bash
# tests/integration/pipeline.sh - collector uplink -> correlator ->
# PostgreSQL, end to end, with failures injected:
#   3 sw-emit hosts x 20000 events over CURVE; the correlator is frozen
#   (SIGSTOP), killed with SIGKILL and restarted; PostgreSQL is restarted;
#   each fault is shown to land mid-stream (emitters running, rows between
#   the last fault's count and the total) and to be seen (acks resume, db_up
#   goes false, db_connects moves); then exactly 60000 rows, each (host,
#   event index) once.
#   A collector with an unknown key is refused (counted, no rows); garbage
#   and a host-less batch are counted as malformed, others unaffected;
#   hostile strings are stored faithfully or cut by rule. Ingest rows/s is
#   measured and printed, not asserted.
# Everything lives in $T (lib.sh), on 127.0.0.1, ports 55433+ and
# 57450+ (away from `make run`); every loop is bounded.
source "$(dirname "$0")/lib.sh"
[ "${KEEP:-0}" = 1 ] && SW_KEEP=1 # KEEP=1 (or SW_KEEP=1) keeps $T

B=$BUILD
# ports from the pid, so parallel runs (and `make run`) do not collide
PGPORT=${SW_TEST_PGPORT:-$((55433 + $$ % 500))}
EVPORT=${SW_TEST_EVPORT:-$((57450 + 2 * ($$ % 500)))}
BLPORT=$((EVPORT + 1))
EP=tcp://127.0.0.1:$EVPORT
N=20000

PIDS=() # emitters running in the background
CORR=
# exit hook: SIGKILL the emitters (and the programs under their subshells)
kill_emitters() {
	local p q
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] || continue
		for q in $(sw_tree "$p"); do kill -9 "$q" 2>/dev/null; done
	done
	return 0
}
on_exit kill_emitters

# want NAME EXPECTED ACTUAL : one assertion
want() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (want '$2', got '$3')"; fi
}

export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
sql() { psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "$1"; }
stat_of() { # stat_of NAME: a counter from the correlator's stats file
	sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$T/stats.json" 2>/dev/null || true
}

start_corr() {
	rm -f "$T/stats.json"
	"$B/sidewatch-correlator" --listen "$EP" --blocks tcp://127.0.0.1:$BLPORT \
		--keys "$T/keys/collectors" --server-key "$T/keys/server.key" \
		--sql "$ROOT/sql" --stats "$T/stats.json" >>"$T/corr.log" 2>&1 &
	CORR=$!
	local i
	for i in $(seq 1 100); do
		grep -q '"db_up":true' "$T/stats.json" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "correlator did not come up:" >&2
	tail -5 "$T/corr.log" >&2
	return 1
}

emit() { # emit NAME KEYDIR [sw-emit args...]
	local name=$1 kd=$2
	shift 2
	"$B/sw-emit" --connect "$EP" --host "$name" --spool "$T/spool-$name" \
		--key "$kd/$name.key" --server-key "$T/keys/server.pub" "$@"
}

# --- setup ---------------------------------------------------------------
for b in sidewatch-correlator sw-emit swctl; do
	[ -x "$B/$b" ] || { echo "build $B/$b first (make)" >&2; exit 1; }
done
start_pg "$PGPORT"
on_exit kill_pid_in CORR # at exit the correlator goes first, then PostgreSQL
mkdir -p "$T/keys/collectors" "$T/rogue"
"$B/swctl" keygen "$T/keys" server >/dev/null
for h in h1 h2 h3 hx hb hd; do "$B/swctl" keygen "$T/keys/collectors" "$h" >/dev/null; done
"$B/swctl" keygen "$T/rogue" h9 >/dev/null
start_corr && ok "correlator starts, migrates, connects" || bad "correlator start"
want "schema_version has 001" 1 "$(sql 'SELECT count(*) FROM schema_version WHERE version = 1')"

# --- 3 hosts x 20000 events, with failures mid-stream ---------------------
t0=$(date +%s.%N)
for h in h1 h2 h3; do
	emit "$h" "$T/keys/collectors" --count $N --rate 2000 --timeout 120 \
		>"$T/emit-$h.log" 2>&1 &
	PIDS+=($!)
done
# Each fault must land mid-stream: every emitter still running and the
# rows committed so far between the last fault's count and the total.
rows3() { sql "SELECT count(*) FROM events WHERE host IN ('h1','h2','h3')"; }
alive3() { local p; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || return 1; done; }
midstream() { # midstream WHAT LOW : emitters alive, LOW < rows < 60000
	local r
	r=$(rows3)
	if alive3 && [ "$r" -gt "$2" ] && [ "$r" -lt 60000 ]; then
		ok "$1 lands mid-stream: 3 emitters running, $r rows committed (> $2, < 60000)"
	else
		bad "$1 not mid-stream: emitters alive: $(alive3 && echo yes || echo no), rows $r (want > $2, < 60000)"
	fi
	ROWS=$r
}
ROWS=0
sleep 0.7
# frozen correlator: acks stop, emitters time out and resend what may
# already be committed, so the (host, seq) dedupe is exercised
midstream "SIGSTOP of the correlator" 0
acks0=$(stat_of acks)
kill -STOP "$CORR"
sleep 2.5
kill -CONT "$CORR"
echo "     froze the correlator for 2.5 s (SIGSTOP/SIGCONT) at ~0.7 s"
sleep 0.5
dups=$(stat_of duplicates)
sleep 0.6 # the stats file is rewritten every second
acks1=$(stat_of acks)
want "after SIGCONT the correlator acks again (acks moved)" yes "$([ "${acks1:-0}" -gt "${acks0:-0}" ] && echo yes || echo "no: $acks0 -> $acks1")"
midstream "SIGKILL of the correlator" "$ROWS"
{ kill -9 "$CORR"; wait "$CORR"; } 2>/dev/null || true
CORR=
echo "     killed the correlator (SIGKILL) at ~4.3 s"
sleep 0.5
start_corr && ok "correlator restarts after SIGKILL" || bad "correlator restart"
# PostgreSQL goes as soon as the restarted correlator commits again (up
# to 10 s: on a loaded machine the emitters' resend backoff and the
# restart's warm-up took over 5 s once, with the emitters still running)
grown() { [ "$(rows3)" -gt "$ROWS" ]; }
for _ in $(seq 1 100); do grown && break; sleep 0.1; done
midstream "PostgreSQL stop" "$ROWS"
conn0=$(stat_of db_connects)
"$ROOT/tools/pg.sh" stop "$T/pg"
echo "     stopped PostgreSQL at ~5 s"
# the correlator saw the database go: db_up false in its stats
db_down() { grep -q '"db_up":false' "$T/stats.json" 2>/dev/null; }
for _ in $(seq 1 30); do db_down && break; sleep 0.1; done
want "the correlator saw PostgreSQL go (db_up false)" yes "$(db_down && echo yes || echo no)"
sleep 1
want "emitters still running while PostgreSQL is down" yes "$(alive3 && echo yes || echo no)"
"$ROOT/tools/pg.sh" start "$T/pg" "$PGPORT"
echo "     started PostgreSQL again"
reconnected() { [ "$(stat_of db_connects)" -gt "${conn0:-0}" ] 2>/dev/null; }
for _ in $(seq 1 100); do reconnected && break; sleep 0.1; done
want "the correlator reconnected to PostgreSQL (db_connects ${conn0:-?} -> $(stat_of db_connects))" yes \
	"$(reconnected && echo yes || echo no)"
rcs=0
for p in "${PIDS[@]}"; do wait "$p" || rcs=$((rcs + 1)); done
PIDS=()
t1=$(date +%s.%N)
want "every emitter saw all its batches acked" 0 "$rcs"
cat "$T"/emit-h[123].log | sed 's/^/     /'

want "exactly 60000 rows from h1..h3" 60000 \
	"$(sql "SELECT count(*) FROM events WHERE host IN ('h1','h2','h3')")"
want "each (host, event index) exactly once" 60000 \
	"$(sql "SELECT count(*) FROM (SELECT host, path FROM events WHERE host IN ('h1','h2','h3') GROUP BY 1, 2 HAVING count(*) = 1) x")"
want "every index 0..19999 present per host" "h1|20000|0|19999 h2|20000|0|19999 h3|20000|0|19999" \
	"$(sql "SELECT host, count(DISTINCT n), min(n), max(n) FROM (SELECT host, substr(path, 4)::int AS n FROM events WHERE host IN ('h1','h2','h3')) x GROUP BY host ORDER BY host" | tr '\n' ' ' | sed 's/ $//')"
want "hosts table counts the committed events" 60000 \
	"$(sql "SELECT sum(events_total) FROM hosts WHERE host IN ('h1','h2','h3')")"
[ "$(sql "SELECT count(*) FROM hosts WHERE host IN ('h1','h2','h3') AND last_heartbeat IS NOT NULL")" = 3 ] &&
	ok "heartbeats recorded for 3 hosts" || bad "heartbeats recorded"
tmo=$(cat "$T"/emit-h[123].log | sed -n 's/.* timeouts=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
[ "${tmo:-0}" -gt 0 ] && ok "emitters resent after ack timeouts ($tmo)" || bad "no ack timeout was exercised"
echo "     duplicates the frozen correlator dropped before SIGKILL: ${dups:-?}"
echo "     mid-stream run: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s incl. failures"

# --- unknown CURVE key -----------------------------------------------------
denied0=$(stat_of zap_denied)
if emit h9 "$T/rogue" --count 50 --timeout 3 >"$T/emit-h9.log" 2>&1; then
	bad "unknown key refused (its emitter got acks)"
else
	ok "unknown key refused (emitter got no acks)"
fi
sleep 1.2 # stats are written every second
denied1=$(stat_of zap_denied)
[ "${denied1:-0}" -gt "${denied0:-0}" ] && ok "refused handshakes counted (zap_denied=$denied1)" ||
	bad "zap_denied did not grow ($denied0 -> $denied1)"
want "no rows from the unknown key" 0 "$(sql "SELECT count(*) FROM events WHERE host = 'h9'")"

# --- malformed batches + hostile strings ----------------------------------
mal0=$(stat_of malformed)
emit hx "$T/keys/collectors" --count 10 --garbage 5 --attack --timeout 20 \
	>"$T/emit-hx.log" 2>&1 && ok "emitter after garbage still acked" ||
	bad "emitter after garbage not acked"
sleep 1.2
mal1=$(stat_of malformed)
want "garbage + host-less batch counted as malformed" 6 "$(( ${mal1:-0} - ${mal0:-0} ))"
want "rows of the garbage-sending host unaffected" 15 "$(sql "SELECT count(*) FROM events WHERE host = 'hx'")"
want "quotes, backslashes, tab, CR, LF stored faithfully" t \
	"$(sql "SELECT path = E'/a/0/''\"\\\\\t\n\r;DROP TABLE events;--\\\\N' FROM events WHERE host = 'hx' AND path LIKE '/a/0/%'")"
want "invalid UTF-8 replaced by U+FFFD and flagged" \
	"/a/1/$(printf '\xef\xbf\xbd%.0s' 1 2 3 4)ok$(printf '\xef\xbf\xbd%.0s' 1 2 3)|t" \
	"$(sql "SELECT path, sanitized FROM events WHERE host = 'hx' AND path LIKE '/a/1/%'")"
want "embedded NUL ends the value (sess.h rule)" "/a/2/before|f" \
	"$(sql "SELECT path, sanitized FROM events WHERE host = 'hx' AND path LIKE '/a/2/%'")"
want "1 MiB path cut to 2047 bytes, trunc bit set" "2047|4" \
	"$(sql "SELECT octet_length(path), trunc & 4 FROM events WHERE host = 'hx' AND path LIKE '/a/3/%'")"
want "COPY markers in values stored as data" "\\N|a=\\.
\\.
" "$(sql "SELECT authority, query FROM events WHERE host = 'hx' AND path = '/a/4/'")
"
want "swctl --json escapes attacker strings" 1 \
	"$("$B/swctl" events --host hx --limit 100 --json | grep -c '"path":"/a/0/'"'"'\\"\\\\\\t\\n\\r;DROP TABLE events;--\\\\N"')"
want "every swctl --json line is valid JSON" 0 \
	"$("$B/swctl" events --host hx --limit 100 --json | python3 -c 'import sys,json
bad=0
for l in sys.stdin:
    try: json.loads(l)
    except Exception: bad+=1
print(bad)')"

# --- the same batches on two sockets at once ------------------------------
# One spool filled with no correlator listening (so nothing is acked),
# copied twice; two emitters with that host name and key then send the
# very same (hd, seq) batches at once, in the same group or in groups that
# the correlator's writer connections (--pg-writers, default 2) commit
# concurrently. Each must be stored once, and acked on both sockets.
"$B/sw-emit" --connect "tcp://127.0.0.1:$((EVPORT + 7))" --host hd --spool "$T/spool-hd" \
	--key "$T/keys/collectors/hd.key" --server-key "$T/keys/server.pub" \
	--count 30000 --timeout 1 >"$T/emit-hd0.log" 2>&1 || true
cp -a "$T/spool-hd" "$T/spool-hd1"
mv "$T/spool-hd" "$T/spool-hd2"
d0=$(stat_of duplicates)
for i in 1 2; do
	"$B/sw-emit" --connect "$EP" --host hd --spool "$T/spool-hd$i" \
		--key "$T/keys/collectors/hd.key" --server-key "$T/keys/server.pub" \
		--count 0 --timeout 60 >"$T/emit-hd$i.log" 2>&1 &
	PIDS+=($!)
done
rcs=0
for p in "${PIDS[@]}"; do wait "$p" || rcs=$((rcs + 1)); done
PIDS=()
want "same batches from two sockets: both emitters acked" 0 "$rcs"
want "same batches from two sockets: stored once" "30000 30000" \
	"$(sql "SELECT count(*), count(DISTINCT path) FROM events WHERE host = 'hd'" | tr '|' ' ')"
want "same batches from two sockets: hosts counts them once" 30000 \
	"$(sql "SELECT events_total FROM hosts WHERE host = 'hd'")"
nb=$(sql "SELECT count(*) FROM batches WHERE host = 'hd' AND events > 0")
sleep 1.2 # the stats file is rewritten every second
d1=$(stat_of duplicates)
if [ "$(( ${d1:-0} - ${d0:-0} ))" -ge "$nb" ]; then
	ok "same batches from two sockets: every second copy a duplicate ($(( ${d1:-0} - ${d0:-0} )) >= $nb)"
else
	bad "same batches from two sockets: duplicates $(( ${d1:-0} - ${d0:-0} )) < batches $nb"
fi

# --- ingest rate (measured, not asserted) ---------------------------------
r0=$(sql "SELECT count(*) FROM events")
s0=$(date +%s.%N)
emit hb "$T/keys/collectors" --count 100000 --timeout 120 >"$T/emit-hb.log" 2>&1 &&
	ok "bulk emitter acked" || bad "bulk emitter not acked"
s1=$(date +%s.%N)
r1=$(sql "SELECT count(*) FROM events")
echo "     ingest: $((r1 - r0)) rows in $(awk -v a="$s0" -v b="$s1" 'BEGIN{printf "%.2f s = %.0f rows/s", b-a, '"$((r1 - r0))"'/(b-a)}')"

kill "$CORR"
wait "$CORR" 2>/dev/null || true
CORR=
echo "     correlator: $(tail -1 "$T/corr.log")"
finish
