#!/usr/bin/env bash
# tools/bench-shards.sh OUT.md - correlator shards, measured (issue 25);
# appends a "## Correlator shards" markdown section to OUT.md.
#
# For 1, 2 and 3 shards (each its own correlator and its own PostgreSQL
# cluster, as a sharded deployment runs them; CURVE on), EMIT sw-emit hosts
# with --ring send ROWS events from 4096 client addresses as fast as the
# shards acknowledge them. Per run: rows/s (first event pushed to last
# batch acknowledged, every emitter acked), and CPU per row of the
# correlators, of the PostgreSQL clusters (live processes plus reaped
# backends) and of the emitters. REPS repetitions, the shard counts
# interleaved, medians. Then a model, from the measured CPU per row, of
# the cores and shards 1 M events/s needs.
#
# This machine has 2 cores: three shards share them with the emitters, so
# rows/s cannot grow with shards here; CPU per row is what carries over to
# a machine per shard, and the model says so.
# BENCH_QUICK=1: 1 repetition, 20 000 rows. BENCH_REPS, BENCH_ROWS,
# BENCH_EMIT (emitters, default 4) override. Timed parts hold $BENCH_LOCK.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTMD=${1:-}
[ -n "$OUTMD" ] || { echo "usage: tools/bench-shards.sh OUT.md" >&2; exit 2; }
case $OUTMD in /*) ;; *) OUTMD=$PWD/$OUTMD ;; esac
source "$ROOT/tests/integration/lib.sh"
for b in sidewatch-correlator sw-emit swctl; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done
command -v psql >/dev/null || die "psql is not installed"

REPS=${BENCH_REPS:-3}
ROWS=${BENCH_ROWS:-200000}
EMIT=${BENCH_EMIT:-4}
if [ -n "${BENCH_QUICK:-}" ]; then REPS=1; ROWS=20000; fi
LOCK=${BENCH_LOCK:-/tmp/sidewatch-bench.lock}
P=$(free_port 17000 1000 10) || die "no free ports"
HZ=$(getconf CLK_TCK)
T_START=$(date +%s)
declare -A PGP EVP BLP CPID
for s in 1 2 3; do
	PGP[$s]=$((P + s - 1)) EVP[$s]=$((P + 2 + 2 * s)) BLP[$s]=$((P + 3 + 2 * s))
done

LOCKED=
exec 9>>"$LOCK"
bs_cleanup() {
	local rc=$? s
	set +e
	[ -n "$LOCKED" ] && flock -u 9
	for s in 1 2 3; do
		[ -n "${CPID[$s]:-}" ] && kill -KILL "${CPID[$s]}" 2>/dev/null
	done
	for s in 1 2 3; do
		"$ROOT/tools/pg.sh" stop "$T/pg$s" >/dev/null 2>&1
	done
	(exit $rc)
	sw_cleanup
}
trap bs_cleanup EXIT

for s in 1 2 3; do
	mkdir -p "$T/pg$s" && chmod 755 "$T/pg$s"
	"$ROOT/tools/pg.sh" start "$T/pg$s" "${PGP[$s]}" >/dev/null ||
		{ tail -20 "$T/pg$s/pgdata/server.log" >&2; die "PostgreSQL $s did not start"; }
done
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for i in $(seq 1 "$EMIT"); do "$BUILD/swctl" keygen "$T/keys/collectors" "e$i" >/dev/null; done

# The postmaster and its children, and what it reaped (cutime + cstime).
pg_ticks() { # SHARD
	local pm
	pm=$(head -1 "$T/pg$1/pgdata/postmaster.pid")
	echo $(($(proc_ticks "$pm" $(pgrep -P "$pm")) +
		$(sed 's/^.*) //' "/proc/$pm/stat" | awk '{print $14 + $15}')))
}
ring_of() { # N: the ring of shards 1..N
	echo "version 1"
	for s in $(seq 1 "$1"); do echo "s$s tcp://127.0.0.1:${EVP[$s]} 1"; done
}
start_shards() { # N RUN: a fresh database per shard and run
	local n=$1 run=$2 s
	ring_of "$n" >"$T/ring-$run.txt"
	for s in $(seq 1 "$n"); do
		psql "postgresql://postgres@127.0.0.1:${PGP[$s]}/postgres" -X -q \
			-c "CREATE DATABASE r$run" || die "CREATE DATABASE r$run on shard $s"
		rm -f "$T/stats-$s.json"
		"$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:${EVP[$s]}" \
			--blocks "tcp://127.0.0.1:${BLP[$s]}" --keys "$T/keys/collectors" \
			--server-key "$T/keys/server.key" --sql "$ROOT/sql" \
			--pg "postgresql://postgres@127.0.0.1:${PGP[$s]}/r$run" \
			--stats "$T/stats-$s.json" --metrics-listen off --host-rows-per-s 0 \
			--ring "$T/ring-$run.txt" --shard "s$s" >>"$T/corr-$s.log" 2>&1 &
		CPID[$s]=$!
		SW_PIDS+=("${CPID[$s]}")
	done
	for s in $(seq 1 "$n"); do
		wait_for 30 grep -q '"db_up":true' "$T/stats-$s.json" ||
			{ tail -5 "$T/corr-$s.log" >&2; die "correlator $s did not start"; }
	done
}
stop_shards() { # N
	local s
	for s in $(seq 1 "$1"); do
		kill -TERM "${CPID[$s]}" 2>/dev/null || true
		wait "${CPID[$s]}" 2>/dev/null || true
		CPID[$s]=
	done
}
rows_stored() { # N RUN
	local s sum=0
	for s in $(seq 1 "$1"); do
		sum=$((sum + $(psql "postgresql://postgres@127.0.0.1:${PGP[$s]}/r$2" -X -At \
			-c "SELECT count(*) FROM events")))
	done
	echo "$sum"
}

# one measurement: N shards; appends "N rows/s corr_us pg_us emit_us" to
# $T/runs.txt
RUN=0
measure() { # N
	local n=$1 s i per c0 c1 p0 p1 e0 t0 t1 pids=() fails=0 stored
	RUN=$((RUN + 1))
	start_shards "$n" "$RUN"
	per=$((ROWS / EMIT))
	flock -w 1800 9 || die "could not get $LOCK within 30 min"
	LOCKED=1
	c0=$(proc_ticks $(for s in $(seq 1 "$n"); do echo "${CPID[$s]}"; done))
	p0=0
	for s in $(seq 1 "$n"); do p0=$((p0 + $(pg_ticks "$s"))); done
	t0=$(date +%s%N)
	for i in $(seq 1 "$EMIT"); do
		rm -rf "$T/spool-$i"
		"$BUILD/sw-emit" --ring "$T/ring-$RUN.txt" --host "e$i" --spool "$T/spool-$i" \
			--key "$T/keys/collectors/e$i.key" --server-key "$T/keys/server.pub" \
			--count "$per" --clients 4096 --client-base $((i * 4096 % 60000)) \
			--timeout 300 >"$T/emit-$RUN-$i.log" 2>&1 &
		pids+=($!)
		SW_PIDS+=($!)
	done
	e0=0
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	t1=$(date +%s%N)
	c1=$(proc_ticks $(for s in $(seq 1 "$n"); do echo "${CPID[$s]}"; done))
	p1=0
	for s in $(seq 1 "$n"); do p1=$((p1 + $(pg_ticks "$s"))); done
	flock -u 9
	LOCKED=
	[ "$fails" -eq 0 ] || { tail -3 "$T"/emit-"$RUN"-*.log >&2; die "$fails emitters not acked"; }
	stored=$(rows_stored "$n" "$RUN")
	[ "$stored" -eq $((per * EMIT)) ] || die "$n shards: $stored rows stored, $((per * EMIT)) sent"
	e0=$(sed -n 's/.* cpu_us=\([0-9]*\) .*/\1/p' "$T"/emit-"$RUN"-*.log | awk '{s += $1} END {print s + 0}')
	python3 - "$n" "$stored" "$t0" "$t1" "$((c1 - c0))" "$((p1 - p0))" "$e0" "$HZ" >>"$T/runs.txt" <<'EOF'
import sys
n, rows, t0, t1, c, p, e, hz = (int(x) for x in sys.argv[1:])
secs = (t1 - t0) / 1e9
print(n, round(rows / secs), round(c / hz * 1e6 / rows, 2), round(p / hz * 1e6 / rows, 2),
      round(e / rows, 2))
EOF
	echo "  $n shard(s): $(tail -1 "$T/runs.txt")" >&2
	stop_shards "$n"
}

echo "bench-shards: $ROWS rows from $EMIT emitters per run, $REPS repetitions of 1, 2, 3 shards" >&2
: >"$T/runs.txt"
for r in $(seq 1 "$REPS"); do
	for n in 1 2 3; do measure "$n"; done
done

python3 - "$T/runs.txt" "$ROWS" "$EMIT" "$REPS" "$(nproc)" "$(date -u +%Y-%m-%d)" \
	"$(($(date +%s) - T_START))" >>"$OUTMD" <<'EOF'
import sys, statistics as st
path, rows, emit, reps, cores, day, took = sys.argv[1:]
runs = [l.split() for l in open(path) if l.strip()]
by = {}
for r in runs:
    by.setdefault(int(r[0]), []).append([float(x) for x in r[1:]])
print("\n## Correlator shards (issue 25)\n")
print(f"{day}, {cores} cores, `tools/bench-shards.sh` ({took} s): {rows} events from {emit} "
      f"`sw-emit --ring` hosts (4096 client addresses, CURVE) as fast as the shards "
      f"acknowledge, each shard its own correlator and PostgreSQL cluster; "
      f"medians of {reps} interleaved runs.\n")
print("| shards | rows/s | correlator CPU µs/row | PostgreSQL CPU µs/row | emitters CPU µs/row |")
print("|---|---|---|---|---|")
med = {}
for n in sorted(by):
    cols = list(zip(*by[n]))
    med[n] = [st.median(c) for c in cols]
    m = med[n]
    print(f"| {n} | {m[0]:,.0f} | {m[1]:.2f} | {m[2]:.2f} | {m[3]:.2f} |")
m = med[max(med)]
corr, pg = m[1], m[2]
target = 1_000_000
cores_corr = target * corr / 1e6
cores_pg = target * pg / 1e6
# a shard: one correlator process (its ingest is one thread plus libzmq's
# I/O thread) and one PostgreSQL; say a correlator gets 1 core and its
# database what it needs beside it
per_shard = 1e6 / corr
shards = -(-target // int(per_shard))
print(f"\nModel for 1 M events/s, from the CPU per row at {max(med)} shards: the "
      f"correlators need {cores_corr:.1f} cores and PostgreSQL {cores_pg:.1f} cores "
      f"({cores_corr + cores_pg:.1f} in all, collectors' uplinks not counted). A "
      f"correlator whose ingest gets one core takes ~{per_shard:,.0f} rows/s, so "
      f"≥ {shards} shards, each with ~{pg / corr:.1f} cores of PostgreSQL beside "
      f"its correlator. On this machine the shards share {cores} cores with the "
      f"emitters, so rows/s does not grow with shards here: the CPU per row is "
      f"what carries over to one machine per shard.")
EOF
echo "bench-shards: done in $(($(date +%s) - T_START)) s" >&2
