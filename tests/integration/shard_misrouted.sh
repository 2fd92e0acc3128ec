#!/usr/bin/env bash
# tests/integration/shard_misrouted.sh - a sharded correlator (--ring
# --shard, issue 25's first slice) against a real PostgreSQL:
#   - one collector's 3000 events from up to 60000 client addresses (some
#     235 /24s) reach shard a of a three-shard ring: every event is stored
#     (none refused or lost);
#   - the correlator's misrouted count equals the events ring-owner says
#     belong to b or c, computed from the stored rows' client addresses
#     (identities are stored too and must not change the owner); one log
#     line names the first;
#   - restarted without --ring it counts nothing.
# Everything on 127.0.0.1, plain ZeroMQ (no kernel needed).
source "$(dirname "$0")/lib.sh"
for b in sidewatch-correlator sw-emit ring-owner; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 15500 1000 3) || die "no free ports"
PGPORT=$P EVPORT=$((P + 1)) BLPORT=$((P + 2))
EP=tcp://127.0.0.1:$EVPORT
CORR=
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/stats.json" "$1" 2>/dev/null || echo -1; }
stat_ge() { [ "$(stat_of "$1")" -ge "$2" ]; }
emit() { "$BUILD/sw-emit" --plain --connect "$EP" --spool "$T/spool-$1" --host "$@" >>"$T/emit.log" 2>&1; }
start_corr() {
	rm -f "$T/stats.json"
	"$BUILD/sidewatch-correlator" --plain --listen "$EP" --blocks "tcp://127.0.0.1:$BLPORT" \
		--sql "$ROOT/sql" --stats "$T/stats.json" --host-rows-per-s 0 "$@" >>"$T/corr.log" 2>&1 &
	CORR=$!
	SW_PIDS+=("$CORR")
	corr_up "" "$CORR" "$T/stats.json" "$T/corr.log"
}
cat >"$T/ring.txt" <<'RING'
# three shards; this correlator is a
version 4
a tcp://127.0.0.1:1 1
b tcp://127.0.0.1:2 1
c tcp://127.0.0.1:3 1
RING

start_pg "$PGPORT"
on_exit kill_pid_in CORR # at exit the correlator goes first, then PostgreSQL
start_corr --ring "$T/ring.txt" --shard a

echo "-- shard a of three: 3000 events from 60000 clients"
emit s1 --count 3000 --clients 60000 --timeout 30 || bad "the 3000 events not acked"
check "all 3000 events stored" wait_for 10 stat_ge events 3000
psql "$SIDEWATCH_PG" -X -At -F ' ' -c \
	"SELECT host(src_ip), coalesce(identity, '') FROM events WHERE host = 's1'" >"$T/rows"
expect_eq "3000 rows in PostgreSQL" "$(wc -l <"$T/rows")" 3000
"$BUILD/ring-owner" "$T/ring.txt" - <"$T/rows" | sort | uniq -c >"$T/owners"
echo "     owners by ring-owner: $(tr -s ' \n' ' ' <"$T/owners")"
want=$(awk '$2 != "a" { n += $1 } END { print n + 0 }' "$T/owners")
check "some events belong to b or c ($want)" test "$want" -gt 0
expect_eq "misrouted = the events ring-owner gives to b or c" "$(stat_of misrouted)" "$want"
check "one log line names the first" \
	test "$(grep -c "misrouted: batch s1/" "$T/corr.log")" = 1
grep "misrouted:" "$T/corr.log" | sed 's/^/     /'

echo "-- restarted without a ring: nothing counted"
kill -TERM "$CORR"; wait "$CORR" 2>/dev/null; CORR=
start_corr
emit s2 --count 500 --clients 100 --timeout 30 || bad "the 500 events not acked"
check "500 more events stored" wait_for 10 stat_ge events 500
expect_eq "misrouted without --ring" "$(stat_of misrouted)" 0
finish
