#!/usr/bin/env bash
# tests/integration/corr_memory.sh - the correlator gives memory back after
# a peak, against a real PostgreSQL:
#   - a baseline of honest batches (sw-emit, 128 events each);
#   - three hosts each send 40 of the largest batches a 2 MiB message holds
#     (500 events with 1900-byte paths and queries, 1.9 MB each) at once,
#     without waiting for acks: the correlator's pooled buffers (each
#     received batch's rows, the COPY stream of a transaction, the fleet
#     detectors' staging) grow to hold them; every row is stored;
#   - within 10 s of the last commit its resident memory is back within
#     48 MiB of the baseline (before, it kept the peak for good);
#   - PostgreSQL frozen (SIGSTOP), two hosts each push 150 such batches
#     (285 MB each) and never get an ack: the correlator holds at most
#     64 MiB of decoded rows and 32 messages per connection, so it grows by
#     less than 256 MiB (before: all 570 MB); thawed, it drains what it
#     took, gives the memory back and goes on storing.
# Everything on 127.0.0.1, plain ZeroMQ (no kernel needed).
source "$(dirname "$0")/lib.sh"
for b in sidewatch-correlator sw-emit; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 15500 1000 3) || die "no free ports"
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

echo "-- a peak: 3 hosts x 40 batches of 1.9 MB at once"
N=$((2000 + 3 * 40 * 500))
for h in p1 p2 p3; do
	emit "$h" --heavy 40 --count 0 --timeout 60 &
	SW_PIDS+=("$!")
done
check "all 60,000 rows of the peak stored" wait_for 90 stat_ge events "$N"
expect_eq "stored once each (events in PostgreSQL from p1, p2, p3)" \
	"$(psql "$SIDEWATCH_PG" -X -At -c "SELECT count(*) FROM events WHERE host IN ('p1','p2','p3')")" $((3 * 40 * 500))
hwm=$(kb "$CORR" VmHWM)
check "the peak was real: the correlator grew by more than 96 MiB ($rss0 kB -> peak $hwm kB)" \
	test $((hwm - rss0)) -gt 98304
back() { [ "$(kb "$CORR" VmRSS)" -lt $((rss0 + 49152)) ]; }
t0=$(date +%s%N)
if wait_for 10 back; then
	ok "its memory is given back: RSS $(kb "$CORR" VmRSS) kB, within 48 MiB of the baseline ${rss0} kB, $(( ($(date +%s%N) - t0) / 1000000 )) ms after the last commit"
else
	bad "its memory is not given back: RSS $(kb "$CORR" VmRSS) kB 10 s after the peak (baseline ${rss0} kB, peak $hwm kB)"
fi
echo "     memory: $(grep -o '"mem_[a-z_]*":[0-9]*' "$T/stats.json" | tr '\n' ' ')"

echo "-- PostgreSQL frozen: two hosts push 150 batches each, never acked"
PGPIDS="$(head -1 "$T/pg/pgdata/postmaster.pid") $(pgrep -d ' ' -P "$(head -1 "$T/pg/pgdata/postmaster.pid")")"
thaw() { kill -CONT $PGPIDS 2>/dev/null || true; }
on_exit thaw
[ "${SW_BREAK:-}" = nofreeze ] || kill -STOP $PGPIDS
rss1=$(kb "$CORR" VmRSS)
FL=()
for h in f1 f2; do
	timeout 30 "$BUILD/sw-emit" --plain --connect "$EP" --spool "$T/spool-$h" --host "$h" \
		--heavy 150 --count 0 --timeout 1 >>"$T/emit.log" 2>&1 &
	FL+=("$!")
	SW_PIDS+=("$!")
done
# the senders are held back once the correlator stops taking: 8 s is long
# enough for loopback to carry all 570 MB if nothing held them
sleep 8
rss2=$(kb "$CORR" VmRSS)
check "the frozen correlator grew by less than 256 MiB ($rss1 kB -> $rss2 kB) while 570 MB were pushed at it" \
	test $((rss2 - rss1)) -lt 262144
check "it stopped receiving at its hold budget (hold_full $(stat_of hold_full), held_peak_bytes $(stat_of held_peak_bytes))" \
	bash -c "[ $(stat_of hold_full) -ge 1 ] && [ $(stat_of held_peak_bytes) -le $(( (64 + 2) << 20 )) ]"
kill -KILL "${FL[@]}" 2>/dev/null || true
thaw
stored() { [ "$(stat_of events)" -ge "$N" ] && [ "$(stat_of held_bytes)" = 0 ]; }
check "thawed, it writes what it held" wait_for 60 stored
check "and gives the memory back" wait_for 10 back

echo "-- and goes on"
N=$(stat_of events)
emit after --count 500 --timeout 30 || bad "500 events after the peak not acked"
check "500 more events stored after the peak" wait_for 10 stat_ge events $((N + 500))
check "and the memory stays given back" back
finish
