#!/usr/bin/env bash
# tools/bench-fanout.sh OUT.md - fleet block list propagation through the
# shard fan-out (issue 25, item 3). Writes a markdown section to OUT.md.
#
# Three correlator shards (--ring --shard, one database each in one
# private PostgreSQL, block list PUB on the event port + 1) and one
# subscriber to all of them, build/sw-blockfan --enforce: one
# blocklist_sub per shard merged by blocklist_sub_merge and applied into
# the collector's kernel LPM map (blocklist_apply.h), as a collector with a
# ring does. N operator decisions (`swctl block add ADDR --ttl 10m --json`
# on the deciding shard's database, one commit each, shards in turn, at
# most one per PACE_MS); for each: committed (swctl's CLOCK_REALTIME once
# COMMIT returned) -> applied (sw-blockfan's CLOCK_REALTIME after the
# merged entry went into the kernel map). p50/p99/max per shard and
# pooled. One clock throughout. The timed part runs under
# `flock $BENCH_LOCK` (default /tmp/sidewatch-bench.lock).
# BENCH_QUICK=1: 60 decisions. Overrides: BENCH_FANOUT_N (3..3000),
# BENCH_FANOUT_PACE_MS. Needs root (BPF maps).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: tools/bench-fanout.sh OUT.md}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
source "$ROOT/tests/integration/lib.sh"
TEST_NAME=bench-fanout
require_kernel

N=${BENCH_FANOUT_N:-300}
PACE_MS=${BENCH_FANOUT_PACE_MS:-20}
LOCK=${BENCH_LOCK:-/tmp/sidewatch-bench.lock}
[ -n "${BENCH_QUICK:-}" ] && N=${BENCH_FANOUT_N:-60}
[ "$N" -ge 3 ] && [ "$N" -le 3000 ] || die "BENCH_FANOUT_N must be 3..3000"
for b in sidewatch-correlator swctl sw-blockfan; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 18000 1000 7) || die "no free ports"
PGPORT=$P
declare -A EVP PID
EVP[a]=$((P + 1)) EVP[b]=$((P + 3)) EVP[c]=$((P + 5))
SHARDS="a b c"
db_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/sw_$1"; }
{
	echo "version 1"
	for s in $SHARDS; do echo "$s tcp://127.0.0.1:${EVP[$s]} 1"; done
} >"$T/ring.txt"
stop_all() { local s; for s in $SHARDS; do [ -n "${PID[$s]:-}" ] && kill -KILL "${PID[$s]}" 2>/dev/null; done; return 0; }

start_pg "$PGPORT"
on_exit stop_all
for s in $SHARDS; do
	psql "$PG_URL" -X -q -c "CREATE DATABASE sw_$s" || die "CREATE DATABASE sw_$s"
	"$BUILD/sidewatch-correlator" --plain --listen "tcp://127.0.0.1:${EVP[$s]}" \
		--blocks "tcp://127.0.0.1:$((EVP[$s] + 1))" --pg "$(db_url "$s")" \
		--sql "$ROOT/sql" --stats "$T/stats-$s.json" --metrics-listen off \
		--ring "$T/ring.txt" --shard "$s" >>"$T/corr-$s.log" 2>&1 &
	PID[$s]=$!
	SW_PIDS+=("${PID[$s]}")
done
for s in $SHARDS; do
	wait_for 30 grep -q '"db_up":true' "$T/stats-$s.json" || die "correlator $s did not start"
done
"$BUILD/sw-blockfan" --ring "$T/ring.txt" --plain --enforce >"$T/fan.out" 2>"$T/fan.err" &
FAN=$!
SW_PIDS+=("$FAN")
for s in $SHARDS; do
	wait_for 30 grep -q "\"event\":\"version\",\"shard\":\"$s\"" "$T/fan.out" ||
		die "the subscriber got no snapshot from $s"
done

START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
: >"$T/commits"
exec 9>"$LOCK"
flock -w "${BENCH_LOCK_WAIT:-1800}" 9 || die "bench lock $LOCK busy"
for i in $(seq 0 $((N - 1))); do
	s=$(echo $SHARDS | cut -d' ' -f$((i % 3 + 1)))
	a="10.213.$((100 + i / 250)).$((i % 250 + 1))"
	printf '%s %s ' "$s" "$a" >>"$T/commits"
	SIDEWATCH_PG=$(db_url "$s") timeout 10 "$BUILD/swctl" block add "$a" --ttl 10m --json \
		>>"$T/commits" || die "swctl block add $a on $s failed"
	sleep "$(printf '0.%03d' "$PACE_MS")"
done
last=$(tail -1 "$T/commits" | cut -d' ' -f2)
wait_for 20 grep -q "\"addr\":\"$last/32\"" "$T/fan.out" || echo "bench-fanout: the last block never arrived" >&2
sleep 1
flock -u 9
kill -TERM "$FAN"
wait "$FAN" 2>/dev/null || true

python3 - "$OUT" "$T" "$N" "$PACE_MS" "$START_DATE" <<'PY'
import json, os, sys
out, T, n, pace, date = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
applied = {}
for l in open(os.path.join(T, "fan.out")):
    r = json.loads(l)
    if r.get("op") == "add" and r["addr"] not in applied:
        applied[r["addr"]] = int(r["applied_us"])
lat, missing = {}, 0
for l in open(os.path.join(T, "commits")):
    shard, addr, js = l.split(" ", 2)
    c = json.loads(js)
    a = applied.get(addr + "/32")
    if a is None:
        missing += 1
        continue
    lat.setdefault(shard, []).append((a - int(c["committed_us"])) / 1000.0)
def pq(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")
def row(name, v):
    return f"| {name} | {len(v)} | {pq(v, .5):.2f} | {pq(v, .99):.2f} | {max(v) if v else float('nan'):.2f} |"
pooled = [x for v in lat.values() for x in v]
text = f"""
## Fleet block list fan-out (3 shards → one subscriber)

{date}. Three correlator shards (one database each in one PostgreSQL), one
subscriber to all three (`build/sw-blockfan --enforce`: a blocklist_sub per
shard, merged, applied into the kernel LPM map as the collector does).
{n} decisions, `swctl block add ADDR --ttl 10m --json` on the deciding
shard's database, shards in turn, one per {pace} ms at most. *committed*:
swctl's CLOCK_REALTIME once COMMIT returned; *applied*: the subscriber's
CLOCK_REALTIME after the merged entry was in the kernel map
(`tools/bench-fanout.sh`).

| committed → applied, ms | n | p50 | p99 | max |
|---|---|---|---|---|
""" + "\n".join(row(f"decided on shard {s}", lat[s]) for s in sorted(lat)) + "\n" + \
    row("**every shard pooled**", pooled) + f"""

Decisions never applied: {missing}.
"""
open(out, "w").write(text)
print(text)
PY
