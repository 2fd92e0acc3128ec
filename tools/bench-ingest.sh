#!/usr/bin/env bash
# tools/bench-ingest.sh OUT.md - correlator ingest, measured; appends a
# "## Correlator ingest" markdown section to OUT.md:
#   (a) rows/s into PostgreSQL with 1, 2 and 4 sw-emit emitters (fake
#       collectors, CURVE, as fast as the correlator acks), REPS
#       repetitions interleaved, medians;
#   (c) the same with many clients: 4096 ordinary ones (8 paths), and a
#       wave of CROWD addresses each walking object ids on every host, so
#       each is a fleet.enum.source detection and block: rows/s, CPU per
#       row, acks that timed out, how long until every address was blocked;
#   (b) collector-to-row latency p50/p99: a real sidewatch-collector
#       watching a real nginx under a fixed-rate h2load --h1 load, read from
#       the correlator's sidewatch_correlator_event_to_row_seconds histogram
#       (collector end of exchange -> row committed).
# Starts its own PostgreSQL (tools/pg.sh), correlator, nginx and collector
# in a temp dir; all are stopped on every exit path. Every timed
# measurement holds $BENCH_LOCK (default /tmp/sidewatch-bench.lock) and only while
# measuring. Needs root (the collector loads eBPF) and `make`.
# BENCH_QUICK=1: a < 1 min smoke run (1 repetition, small counts, 3 s load).
# BENCH_REPS, BENCH_ROWS (rows per ingest measurement), BENCH_RATES (h2load
# req/s, space separated), BENCH_SECS (load seconds), BENCH_PG_WRITERS
# (the correlator's --pg-writers; default its own, 2), BENCH_CROWD (client
# addresses in (c), default 1024; (c) sends 400 rows per address, so each
# walks ~100 ids on every host) override.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTMD=${1:-}
[ -n "$OUTMD" ] || { echo "usage: tools/bench-ingest.sh OUT.md" >&2; exit 2; }
case $OUTMD in /*) ;; *) OUTMD=$PWD/$OUTMD ;; esac
source "$ROOT/tests/integration/lib.sh"
require_kernel
for b in sidewatch-correlator sw-emit swctl sidewatch-collector; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done
for t in h2load nginx curl psql flock; do
	command -v "$t" >/dev/null || die "$t is not installed"
done

REPS=${BENCH_REPS:-3}
ROWS=${BENCH_ROWS:-200000}
RATES=${BENCH_RATES:-500 5000}
SECS=${BENCH_SECS:-10}
CROWD=${BENCH_CROWD:-1024}
if [ -n "${BENCH_QUICK:-}" ]; then REPS=1; ROWS=20000; RATES=1000; SECS=3; CROWD=128; fi
LOCK=${BENCH_LOCK:-/tmp/sidewatch-bench.lock}
PGPORT=$(free_port 28500 250)
EVPORT=$(free_port 29500 500 2)
MPORT=$(free_port 30250 200)
WPORT=$(free_port 24000 500)
T_START=$(date +%s)

PG_STARTED=
LOCKED=
exec 9>>"$LOCK"
bi_cleanup() {
	local rc=$?
	set +e
	[ -n "$LOCKED" ] && flock -u 9
	[ -n "$PG_STARTED" ] && "$ROOT/tools/pg.sh" stop "$T/pg" >/dev/null 2>&1
	(exit $rc)
	sw_cleanup
}
trap bi_cleanup EXIT

lock() { flock -w 1800 9 || die "could not get $LOCK within 30 min"; LOCKED=1; }
unlock() { flock -u 9; LOCKED=; }

"$ROOT/tools/pg.sh" start "$T/pg" "$PGPORT" >/dev/null ||
	{ tail -20 "$T/pg/pgdata/server.log" >&2; die "PostgreSQL did not start on port $PGPORT"; }
PG_STARTED=1
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
sql() { psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 -c "$1"; }

mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for i in 1 2 3 4 lat; do "$BUILD/swctl" keygen "$T/keys/collectors" "e$i" >/dev/null; done
CORR_CMD=("$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:$EVPORT"
	--blocks "tcp://127.0.0.1:$((EVPORT + 1))" --keys "$T/keys/collectors"
	--server-key "$T/keys/server.key" --sql "$ROOT/sql" --stats "$T/stats.json"
	--metrics-listen "127.0.0.1:$MPORT" ${BENCH_PG_WRITERS:+--pg-writers "$BENCH_PG_WRITERS"})
bg corr "${CORR_CMD[@]}"
wait_for 30 grep -q '"db_up":true' "$T/stats.json" || { tail -5 "$T/corr.err" >&2; die "correlator did not come up"; }

# --- (a) ingest rows/s ------------------------------------------------------------
EMIT_CMD="sw-emit --connect tcp://127.0.0.1:$EVPORT --host eI --spool DIR --key eI.key --server-key server.pub --count ROWS/N --timeout 120"
: >"$T/ingest.txt"
# PostgreSQL's processes: the postmaster and its children (backends of the
# correlator's writers, WAL writer, checkpointer, ...).
pg_pids() {
	local pm
	pm=$(head -1 "$T/pg/pgdata/postmaster.pid")
	echo "$pm" $(pgrep -P "$pm")
}
HZ=$(getconf CLK_TCK)
# Emitters e1..eN started together, PER rows each (and sw-emit ARGS), logs
# LOG-I.log; returns once all have exited, with FAILS = how many were not
# acked.
run_emitters() { # N PER LOG [sw-emit args...]
	local n=$1 per=$2 log=$3 i p pids=()
	shift 3
	for i in $(seq 1 "$n"); do
		rm -rf "$T/spool-$i"
		"$BUILD/sw-emit" --connect "tcp://127.0.0.1:$EVPORT" --host "e$i" --spool "$T/spool-$i" \
			--key "$T/keys/collectors/e$i.key" --server-key "$T/keys/server.pub" \
			--count "$per" --timeout 120 "$@" >"$log-$i.log" 2>&1 &
		pids+=($!)
		SW_PIDS+=($!)
	done
	FAILS=0
	for p in "${pids[@]}"; do wait "$p" || FAILS=$((FAILS + 1)); done
}
# The sum of counter NAME over the emitters' logs LOG-*.log.
emitted() { # NAME LOG
	sed -n "s/.* $1=\([0-9]*\) .*/\1/p" "$2"-*.log | awk '{s += $1} END {print s + 0}'
}
# --- PostgreSQL alone ------------------------------------------------------------------
# The rows of the sample just taken, loaded again by PostgreSQL alone: two
# sessions (the correlator's two writers) COPY them in from files at once,
# with no correlator and no emitter running - its ceiling on this machine
# for these rows, with the same indexes and durability. Its CPU: its live
# processes plus the backends the postmaster reaped meanwhile.
: >"$T/pgalone.txt"
pg_cpu_ticks() {
	local pm
	pm=$(head -1 "$T/pg/pgdata/postmaster.pid")
	echo $(($(proc_ticks $(pg_pids)) + $(sed 's/^.*) //' "/proc/$pm/stat" | awk '{print $14 + $15}')))
}
pg_alone() { # LABEL REP
	local got s0 s1 c0 c1 p pids=()
	mkdir -p "$T/copy"
	chmod 777 "$T/copy"
	for p in 0 1; do
		sql "COPY (SELECT * FROM events WHERE idx % 2 = $p) TO '$T/copy/ev$p.bin' WITH (FORMAT binary)" >/dev/null
	done
	got=$(sql "SELECT count(*) FROM events")
	sql "TRUNCATE events, batches; CHECKPOINT" >/dev/null
	lock
	c0=$(pg_cpu_ticks)
	s0=$(date +%s.%N)
	for p in 0 1; do
		sql "COPY events FROM '$T/copy/ev$p.bin' WITH (FORMAT binary)" >/dev/null &
		pids+=($!)
	done
	FAILS=0
	for p in "${pids[@]}"; do wait "$p" || FAILS=$((FAILS + 1)); done
	s1=$(date +%s.%N)
	c1=$(pg_cpu_ticks)
	unlock
	[ "$FAILS" -eq 0 ] || die "PostgreSQL alone: $FAILS COPY sessions failed"
	[ "$(sql "SELECT count(*) FROM events")" -eq "$got" ] || die "PostgreSQL alone: not $got rows"
	rm -f "$T/copy"/ev*.bin
	echo "$1 $2 $got $(python3 -c "print('%.3f' % ($s1 - $s0))") $(((c1 - c0) * 1000000 / HZ))" >>"$T/pgalone.txt"
	tail -1 "$T/pgalone.txt" | awk '{printf "  rep %d, PostgreSQL alone (%s): %d rows in %.2f s = %.0f rows/s\n", $2, $1, $3, $4, $3 / $4}'
}

echo "bench-ingest: ingest, $REPS rep(s) x 1/2/4 emitters, $ROWS rows each"
for rep in $(seq 1 "$REPS"); do
	for n in 1 2 4; do
		per=$((ROWS / n))
		# an empty table each time, checkpointed, so every sample starts alike
		sql "TRUNCATE events, batches; CHECKPOINT" >/dev/null
		lock
		pgp=$(pg_pids)
		pg0=$(proc_ticks $pgp)
		co0=$(proc_ticks "$PID_corr")
		s0=$(date +%s.%N)
		run_emitters "$n" "$per" "$T/emit-$rep-$n"
		s1=$(date +%s.%N)
		pg1=$(proc_ticks $pgp)
		co1=$(proc_ticks "$PID_corr")
		unlock
		[ "$FAILS" -eq 0 ] || die "$FAILS of $n emitters were not acked (see $T/emit-$rep-$n-*.log)"
		got=$(sql "SELECT count(*) FROM events")
		[ "$got" -eq $((per * n)) ] || die "$n emitters: $got rows, want $((per * n))"
		emit_us=$(emitted cpu_us "$T/emit-$rep-$n")
		echo "$n $rep $got $(python3 -c "print('%.3f' % ($s1 - $s0))") \
$(((pg1 - pg0) * 1000000 / HZ)) $(((co1 - co0) * 1000000 / HZ)) $emit_us" >>"$T/ingest.txt"
		tail -1 "$T/ingest.txt" | awk '{printf "  rep %d, %d emitter(s): %d rows in %.2f s = %.0f rows/s\n", $2, $1, $3, $4, $3 / $4}'
		if [ "$n" -eq 4 ]; then pg_alone one "$rep"; fi
	done
done
sql "TRUNCATE events, batches; CHECKPOINT" >/dev/null

# --- (c) many clients; a wave of detections ------------------------------------------
# One sample: 4 emitters, events from CLIENTS addresses. KIND "ordinary":
# 8 paths (no detector fires: the cost of many clients alone); "wave":
# every address walks object ids, so every one is detected and blocked.
CROWD_Q="SELECT count(*) FROM blocks WHERE removed_at IS NULL AND rule = 'fleet.enum.source'"
crowd_done() { [ "$(sql "$CROWD_Q")" -ge "$CROWD" ]; }
crowd_sample() { # KIND REP CLIENTS ROWS [sw-emit args...]
	local kind=$1 rep=$2 clients=$3 rows=$4 per got b1 s0 s1 s2 pg0 pg1 co0 co1 pgp
	shift 4
	# a fresh correlator and no incident or block of an earlier sample
	stop_pid "$PID_corr"
	sql "TRUNCATE events, batches, block_versions, blocks, incidents; CHECKPOINT" >/dev/null
	rm -f "$T/stats.json"
	bg corr "${CORR_CMD[@]}"
	wait_for 30 grep -q '"db_up":true' "$T/stats.json" || die "correlator did not come back"
	per=$((rows / 4))
	lock
	pgp=$(pg_pids)
	pg0=$(proc_ticks $pgp)
	co0=$(proc_ticks "$PID_corr")
	s0=$(date +%s.%N)
	run_emitters 4 "$per" "$T/$kind-$rep" --clients "$clients" "$@"
	s1=$(date +%s.%N)
	pg1=$(proc_ticks $pgp)
	co1=$(proc_ticks "$PID_corr")
	b1=$(sql "$CROWD_Q")
	[ "$kind" = wave ] && { wait_for 120 crowd_done || true; } # bounded; a shortfall is reported
	s2=$(date +%s.%N)
	unlock
	[ "$FAILS" -eq 0 ] || die "$kind: $FAILS emitters were not acked (see $T/$kind-$rep-*.log)"
	got=$(sql "SELECT count(*) FROM events")
	[ "$got" -eq $((per * 4)) ] || die "$kind: $got rows, want $((per * 4))"
	echo "$kind $rep $clients $got $(python3 -c "print('%.3f %.3f' % ($s1 - $s0, $s2 - $s0))") \
$(((pg1 - pg0) * 1000000 / HZ)) $(((co1 - co0) * 1000000 / HZ)) \
$(emitted resent "$T/$kind-$rep") $(emitted timeouts "$T/$kind-$rep") \
$b1 $(sql "$CROWD_Q")" >>"$T/crowd.txt"
	tail -1 "$T/crowd.txt" | awk '{printf "  rep %d, %s, %d clients: %d rows in %.2f s = %.0f rows/s; %d blocked then, %d after %.1f s\n", $2, $1, $3, $4, $5, $4 / $5, $11, $12, $6}'
}
: >"$T/crowd.txt"
CROWD_ROWS=$((CROWD * 400))
echo "bench-ingest: $REPS rep(s) x 4 emitters: 4096 ordinary clients ($ROWS rows), a wave of $CROWD ($CROWD_ROWS rows)"
for rep in $(seq 1 "$REPS"); do
	crowd_sample ordinary "$rep" 4096 "$ROWS" --paths 8
	pg_alone many "$rep"
	crowd_sample wave "$rep" "$CROWD" "$CROWD_ROWS"
done
sql "TRUNCATE events, batches; CHECKPOINT" >/dev/null

# --- (b) collector -> row latency --------------------------------------------------
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$WPORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$WPORT/" || die "nginx did not start"
python3 "$ROOT/tools/rules-off.py" rate >"$T/rules.yaml" || die "could not write rules"
bg col "$COLLECTOR" --name elat --netns self --mode monitor --no-tls \
	--correlator "tcp://127.0.0.1:$EVPORT" --key "$T/keys/collectors/elat.key" \
	--server-key "$T/keys/server.pub" --spool "$T/spool-col" --metrics-listen off \
	--rules "$T/rules.yaml"
wait_for 30 grep -q '^ready$' "$T/col.err" || { tail -5 "$T/col.err" >&2; die "collector did not start"; }
scrape() { curl -s --max-time 5 "http://127.0.0.1:$MPORT/metrics" | grep '^sidewatch_correlator_event_to_row_seconds' || true; }
URL="http://127.0.0.1:$WPORT/api/users/42"
# wait (bounded) until the collector's rows arrive: warm-up, not measured
curl -s -o /dev/null "$URL"
col_rows() { [ "$(sql "SELECT count(*) FROM events WHERE host = 'elat'")" -gt 0 ]; }
wait_for 10 col_rows ||
	die "the collector's events do not reach the correlator"
: >"$T/lat.txt"
for rate in $RATES; do
	echo "bench-ingest: latency, h2load --h1 --rps $rate for $SECS s"
	scrape >"$T/h0-$rate.txt"
	r0=$(sql "SELECT count(*) FROM events WHERE host = 'elat'")
	lock
	h2load --h1 -c 8 --rps "$((rate / 8))" -D "$SECS" "$URL" >"$T/h2load-$rate.txt" 2>&1 ||
		{ unlock; tail -5 "$T/h2load-$rate.txt" >&2; die "h2load failed"; }
	# the last batch leaves the collector within its flush interval
	sleep 1.5
	unlock
	scrape >"$T/h1-$rate.txt"
	r1=$(sql "SELECT count(*) FROM events WHERE host = 'elat'")
	done_req=$(sed -n 's/.* \([0-9]*\) done,.*/\1/p' "$T/h2load-$rate.txt" | head -1)
	echo "$rate $((r1 - r0)) ${done_req:-0} $T/h0-$rate.txt $T/h1-$rate.txt" >>"$T/lat.txt"
done
stop_collector col

# --- report --------------------------------------------------------------------------
BATCH_MS=$(sed -n 's/.*cfg\.batch_ms = \([0-9]*\);.*/\1/p' "$ROOT/collector/uplink/uplink.c" | head -1)
BATCH_EV=$(sed -n 's/^#define WIRE_MAX_BATCH \([0-9]*\).*/\1/p' "$ROOT/common/wire.h")
python3 - "$T" "$OUTMD" "$REPS" "$ROWS" "$SECS" "$EMIT_CMD" "${BATCH_MS:-?}" "${BATCH_EV:-?}" \
	"$(( $(date +%s) - T_START ))" "${BENCH_QUICK:-}" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
	"$CROWD" "$CROWD_ROWS" <<'PY'
import os, statistics, sys, datetime, platform
T, out, reps, rows, secs, emit_cmd, batch_ms, batch_ev, elapsed, quick, rev, crowd, crowd_rows = sys.argv[1:]
ing, cpu_row = {}, {}
for l in open(os.path.join(T, "ingest.txt")):
    n, rep, got, s, pg_us, co_us, em_us = l.split()
    ing.setdefault(int(n), []).append(int(got) / float(s))
    # µs of CPU per row, and the share of the machine's cores over the sample
    c = cpu_row.setdefault(int(n), {"pg": [], "corr": [], "emit": [], "idle": []})
    ncpu, wall = os.cpu_count(), float(s)
    for k, v in (("pg", pg_us), ("corr", co_us), ("emit", em_us)):
        c[k].append(int(v) / int(got))
    c["idle"].append(max(0.0, 1 - (int(pg_us) + int(co_us) + int(em_us)) / 1e6 / (ncpu * wall)))

def hist(path):
    b, cnt = {}, 0
    for l in open(path):
        name, val = l.rsplit(" ", 1)
        if name.startswith("sidewatch_correlator_event_to_row_seconds_bucket"):
            le = name.split('le="', 1)[1].split('"', 1)[0]
            b[float("inf") if le == "+Inf" else float(le)] = float(val)
        elif name.startswith("sidewatch_correlator_event_to_row_seconds_count"):
            cnt = float(val)
    return b, cnt

def quantile(d, total, q):
    # linear interpolation inside the bucket holding the q-th observation
    if total <= 0:
        return float("nan")
    want, prev_le, prev_c = q * total, 0.0, 0.0
    for le in sorted(d):
        c = d[le]
        if c >= want:
            if le == float("inf"):
                return prev_le
            frac = (want - prev_c) / (c - prev_c) if c > prev_c else 1.0
            return prev_le + (le - prev_le) * frac
        prev_le, prev_c = le, c
    return prev_le

lat = []
for l in open(os.path.join(T, "lat.txt")):
    rate, nrows, done, h0, h1 = l.split()
    b0, c0 = hist(h0)
    b1, c1 = hist(h1)
    d = {le: b1.get(le, 0) - b0.get(le, 0) for le in b1}
    tot = c1 - c0
    lat.append((int(rate), int(nrows), int(done), int(tot),
                quantile(d, tot, 0.5) * 1000, quantile(d, tot, 0.99) * 1000))

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
md = ["## Correlator ingest", ""]
md.append(f"Produced by `tools/bench-ingest.sh` (commit {rev}) on {now} in {int(elapsed)} s; "
          f"{os.cpu_count()} CPUs ({cpu}), kernel {platform.release()}, shared by the emitters, "
          "the correlator and PostgreSQL 15 (tools/pg.sh: fsync and synchronous_commit on, every "
          "batch acked only after its COMMIT)."
          + (" **QUICK smoke run: few rows, one repetition; do not quote these numbers.**" if quick else ""))
md += ["", "### Ingest rows/s (sw-emit, CURVE, as fast as acks come)", "",
       f"Each sample: an empty `events` table (TRUNCATE + CHECKPOINT, outside the timing), "
       f"{rows} rows split over N emitters started together, timed from their start until every "
       f"emitter has all its batches acked (so it includes emitter start-up); rows counted in "
       f"PostgreSQL afterwards. {reps} repetition(s), interleaved; median, range in brackets.", "",
       "| emitters | rows/s (median) | range | samples |", "|---:|---:|---|---:|"]
for n in sorted(ing):
    v = ing[n]
    md.append(f"| {n} | {statistics.median(v):,.0f} | {min(v):,.0f} – {max(v):,.0f} | {len(v)} |")
md += ["", "### CPU per row (medians over the same samples)", "",
       "CPU time (user + system) over each sample: PostgreSQL's processes from /proc "
       "(the postmaster and its children), the correlator's from /proc (all threads), the "
       "emitters' from their own getrusage at exit (printed as `cpu_us`; an emitter is the "
       "collectors' uplink code: event to protobuf, spool file, CURVE, ZeroMQ, plus making "
       "its synthetic events). Idle = the share of the machine's cores none of them used "
       "(the kernel's own work for them is "
       "counted in their system time).", "",
       "| emitters | PostgreSQL µs/row | correlator µs/row | emitters µs/row | idle |",
       "|---:|---:|---:|---:|---:|"]
for n in sorted(cpu_row):
    c = {k: statistics.median(v) for k, v in cpu_row[n].items()}
    md.append(f"| {n} | {c['pg']:.2f} | {c['corr']:.2f} | {c['emit']:.2f} | {100 * c['idle']:.0f}% |")
if cpu_row:
    top = max(cpu_row)
    pg = statistics.median(cpu_row[top]["pg"])
    co = statistics.median(cpu_row[top]["corr"])
    em = statistics.median(cpu_row[top]["emit"])
    md += ["", f"At {pg:.2f} µs of PostgreSQL CPU per row ({top} emitters), 250,000 rows/s "
           f"would need {pg * 250000 / 1e6:.1f} cores for PostgreSQL alone; this machine has "
           f"{os.cpu_count()}, shared with the emitters and the correlator. PostgreSQL, the "
           f"correlator and the emitters together spend {pg + co + em:.2f} µs per row: with "
           f"every core busy, {os.cpu_count() * 1e6 / (pg + co + em):,.0f} rows/s at most."]
alone = {}
for l in open(os.path.join(T, "pgalone.txt")):
    label, rep, got, s, pg_us = l.split()
    a = alone.setdefault(label, {"rps": [], "pg": []})
    a["rps"].append(int(got) / float(s))
    a["pg"].append(int(pg_us) / int(got))
if alone:
    md += ["", "### PostgreSQL alone: its ceiling on this machine", "",
           "After a 4-emitter sample (*one client address*) and after each sample of 4096 "
           "ordinary clients below (*4096 addresses*), the rows just stored are written to two "
           "files (`COPY ... TO ... (FORMAT binary)`), the table emptied and checkpointed, and "
           "two sessions load them again at once (`COPY events FROM file (FORMAT binary)`): "
           "the same rows, indexes, partitions and durability, with both cores left to "
           "PostgreSQL (no correlator work, no emitter running). Timed from the start of both "
           "to the end of the slower; CPU: its processes and the backends it reaped.", "",
           "| rows | rows/s (median) | range | PostgreSQL µs/row | samples |",
           "|---|---:|---|---:|---:|"]
    for label, text in (("one", "one client address"), ("many", "4096 addresses")):
        if label not in alone:
            continue
        v = alone[label]["rps"]
        md.append(f"| {text} | {statistics.median(v):,.0f} | {min(v):,.0f} – {max(v):,.0f} "
                  f"| {statistics.median(alone[label]['pg']):.2f} | {len(v)} |")
    md += ["", "Between this ceiling and the rows/s above is the CPU the correlator and the "
           f"emitters take from the same {os.cpu_count()} CPUs; deployed, the emitters' share (the "
           "collectors' uplink) is on the collectors' own hosts."]
md += ["", "Commands (N = 1, 2, 4; I = 1..N):", "", "```",
       "sidewatch-correlator --listen tcp://127.0.0.1:PORT --keys KEYS --server-key server.key --sql sql ...",
       emit_cmd, "```", ""]
cr = [l.split() for l in open(os.path.join(T, "crowd.txt"))]
if cr:
    def row(kind):
        rs = [r for r in cr if r[0] == kind]
        if not rs:
            return None
        med = lambda f: statistics.median(f(r) for r in rs)
        return rs, med
    md += ["### Many clients, and a wave of detections", "",
           "The same 4 emitters, with events from many client addresses (`--clients N`; a fresh "
           "correlator and no incident or block left from the sample before; "
           f"{reps} sample(s) each, medians). *Ordinary*: 4096 addresses over 8 paths, {rows} rows: "
           "no detector fires, the cost of many clients alone (random inserts into the "
           "per-address index, a window per address). *Wave*: "
           f"{crowd} addresses, {crowd_rows} rows, each walking ~100 object ids on each of the 4 "
           "hosts, so each becomes a `fleet.enum.source` incident and a fleet-wide block while "
           "the rows keep coming; *blocked* = active blocks of that rule.", "",
           "| clients | rows/s | PostgreSQL µs/row | correlator µs/row | acks timed out / batches resent "
           "| blocked when the last row was acked | all blocked after (s from the start) |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, label in (("ordinary", "4096 ordinary"), ("wave", f"{crowd} enumerating")):
        x = row(kind)
        if not x:
            continue
        rs, med = x
        last = "–"
        if kind == "wave":
            short = [int(r[11]) for r in rs if int(r[11]) < int(crowd)]
            last = f"{med(lambda r: float(r[5])):.1f}" + (
                f" (not all: {min(short)} at the 120 s limit)" if short else "")
        md.append(f"| {label} | {med(lambda r: int(r[3]) / float(r[4])):,.0f} "
                  f"| {med(lambda r: int(r[6]) / int(r[3])):.2f} "
                  f"| {med(lambda r: int(r[7]) / int(r[3])):.2f} "
                  f"| {sum(int(r[9]) for r in rs)} / {sum(int(r[8]) for r in rs)} "
                  f"| {(str(int(med(lambda r: int(r[10])))) + ' of ' + crowd) if kind == 'wave' else '–'} "
                  f"| {last} |")
    md += ["",
           "The detectors' database work runs on the thread that receives and acks batches: it "
           "is bounded per pass (20 ms, and 250 ms a second), blocks are committed 64 at a time "
           "and an open incident is updated at most once a second (correlator/fleet.h's "
           "configured limits, not measured here). Before "
           "that (commit 652a900, one synchronous statement per detection and update; measured "
           "once, 2026-11-25, outside this script), 4096 such addresses over 800k rows took "
           "ingest down to 13k rows/s, with batches resent after ack timeouts.", ""]
md += ["### Collector-to-row latency (real collector, fixed-rate HTTP load)", "",
       "A real `sidewatch-collector` (eBPF, `--netns self`, uplink over CURVE) watches nginx "
       f"while `h2load --h1 -c 8 --rps R/8 -D {secs} http://127.0.0.1:PORT/api/users/42` runs. "
       "Latency = correlator wall clock right after the COMMIT of the event's row minus the "
       "collector's wall-clock time of the exchange's last byte (`end_us`, from the kernel "
       "timestamp), one observation per event, histogram "
       "`sidewatch_correlator_event_to_row_seconds` (buckets 0.5 ms … 10 s) read before and "
       "after the load; p50/p99 are **interpolated linearly within their bucket**, so they are "
       "as fine as the bucket edges around them (… 50, 75, 100, 150, 200, 250, 300, 400, 500 ms …).", "",
       "| load (req/s) | rows stored | requests done | observations | p50 (ms) | p99 (ms) |",
       "|---:|---:|---:|---:|---:|---:|"]
for rate, nrows, done, tot, p50, p99 in lat:
    md.append(f"| {rate} | {nrows} | {done} | {tot} | {p50:.1f} | {p99:.1f} |")
md += ["", f"What dominates it: the collector's uplink batching. A batch is closed at "
       f"{batch_ev} events or {batch_ms} ms after its first event (collector/uplink/uplink.c, "
       "`batch_ms` default), whichever comes first, so below "
       f"{int(batch_ev) * 1000 // max(int(batch_ms), 1) if batch_ms.isdigit() and batch_ev.isdigit() else '?'} "
       "events/s an event waits up to the flush interval (about half of it on average) before it "
       "leaves the host; then ZeroMQ, the correlator's decode and one COPY + COMMIT group "
       "(sidewatch_correlator_pg_write_seconds) follow.", ""]
with open(out, "a") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
PY
echo "bench-ingest: appended to $OUTMD"
