#!/usr/bin/env bash
# tests/integration/corr_memory.sh - the correlator gives memory back after
# a peak, against a real PostgreSQL:
#   - a baseline of honest batches (sw-emit, 128 events each);
#   - three hosts each send 8 of the largest batches an 8 MiB message holds
#     (2048 events with 1900-byte paths and queries, 7.8 MB each) at once:
#     the correlator's pooled buffers (each received batch's rows, the COPY
#     stream of a transaction, the fleet detectors' staging) grow to hold
#     them; every row is stored;
#   - within 10 s of the last commit its resident memory is back within
#     48 MiB of the baseline (before, it kept the peak for good), and it
#     goes on storing.
# Everything on 127.0.0.1, plain ZeroMQ (no kernel needed).
source "$(dirname "$0")/lib.sh"
for b in sidewatch-correlator sw-emit; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 30000 2000 3) || die "no free ports"
PGPORT=$P EVPORT=$((P + 1)) BLPORT=$((P + 2))
EP=tcp://127.0.0.1:$EVPORT
CORR=
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/stats.json" "$1" 2>/dev/null || echo -1; }
stat_ge() { [ "$(stat_of "$1")" -ge "$2" ]; }
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
emit() { "$BUILD/sw-emit" --plain --connect "$EP" --spool "$T/spool-$1" --host "$@" >>"$T/emit.log" 2>&1; }

start_pg "$PGPORT"
on_exit kill_pid_in CORR # at exit the correlator goes first, then PostgreSQL
"$BUILD/sidewatch-correlator" --plain --listen "$EP" --blocks "tcp://127.0.0.1:$BLPORT" \
	--sql "$ROOT/sql" --stats "$T/stats.json" --host-rows-per-s 0 >>"$T/corr.log" 2>&1 &
CORR=$!
SW_PIDS+=("$CORR")
wait_for 15 grep -q '"db_up":true' "$T/stats.json" || { cat "$T/corr.log" >&2; die "correlator did not start"; }

echo "-- baseline: honest batches"
emit base --count 2000 --timeout 30 || bad "the baseline's 2000 events not acked"
check "the baseline's 2000 events stored" wait_for 10 stat_ge events 2000
sleep 2
rss0=$(kb "$CORR" VmRSS)
echo "     baseline RSS ${rss0} kB"

echo "-- a peak: 3 hosts x 8 batches of 7.8 MB at once"
N=$((2000 + 3 * 8 * 2048))
for h in p1 p2 p3; do
	emit "$h" --heavy 8 --count 0 --timeout 60 &
	SW_PIDS+=("$!")
done
check "all 49,152 rows of the peak stored" wait_for 90 stat_ge events "$N"
expect_eq "stored once each (events in PostgreSQL from p1, p2, p3)" \
	"$(psql "$SIDEWATCH_PG" -X -At -c "SELECT count(*) FROM events WHERE host IN ('p1','p2','p3')")" $((3 * 8 * 2048))
hwm=$(kb "$CORR" VmHWM)
check "the peak was real: the correlator grew by more than 128 MiB ($rss0 kB -> peak $hwm kB)" \
	test $((hwm - rss0)) -gt 131072
back() { [ "$(kb "$CORR" VmRSS)" -lt $((rss0 + 49152)) ]; }
t0=$(date +%s%N)
if wait_for 10 back; then
	ok "its memory is given back: RSS $(kb "$CORR" VmRSS) kB, within 48 MiB of the baseline ${rss0} kB, $(( ($(date +%s%N) - t0) / 1000000 )) ms after the last commit"
else
	bad "its memory is not given back: RSS $(kb "$CORR" VmRSS) kB 10 s after the peak (baseline ${rss0} kB, peak $hwm kB)"
fi
echo "     memory: $(grep -o '"mem_[a-z_]*":[0-9]*' "$T/stats.json" | tr '\n' ' ')"

echo "-- and goes on"
emit after --count 500 --timeout 30 || bad "500 events after the peak not acked"
check "500 more events stored after the peak" wait_for 10 stat_ge events $((N + 500))
check "and the memory stays given back" back
finish
