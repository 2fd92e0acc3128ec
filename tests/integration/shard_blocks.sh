#!/usr/bin/env bash
# tests/integration/shard_blocks.sh - block lists fan out from every
# correlator shard (issue 25, item 3). Three shards a, b, c (--ring
# --shard, one database each in one PostgreSQL, block list PUB on the
# event port + 1) and one subscriber to all of them (build/sw-blockfan:
# collector/uplink/blocklist_sub_fan.h with the collector's kernel
# enforcement, heartbeats through shardup):
#   1. each shard decides its own block of a source it owns: a and b by
#      operator (swctl block add on the shard's database), c by its
#      detector (3 sw-emit hosts x 5 failed logins from c's source, below
#      every local threshold): all three in the merged list and in the
#      subscriber's kernel map (sw_block LPM lookup);
#   2. overlap: a /24 blocked by a and b; a removes it: still blocked (b
#      holds it); b removes it: gone from the list and the kernel;
#   3. heartbeats carry every shard's version: each shard's hosts row holds
#      the version of ITS list; through the fleet query database
#      (fleet-query) `swctl hosts` shows one row per shard, behind 0; with
#      the subscriber stopped (SIGSTOP) a block on b makes it behind 1 on
#      b only;
#   4. shard a killed with -9: its entries stay; b goes on; a restarted:
#      snapshot again, a new block of a arrives.
# SW_BREAK=one gives the subscriber a ring of shard a alone: the checks of
# b's and c's blocks fail. Needs root (BPF maps); 127.0.0.1, plain ZeroMQ.
source "$(dirname "$0")/lib.sh"
require_kernel
for b in sidewatch-correlator sw-emit swctl sw-blockfan ring-owner fleet-query; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 17000 1000 8) || die "no free ports"
PGPORT=$P
declare -A EVP PID SRC
EVP[a]=$((P + 1)) EVP[b]=$((P + 3)) EVP[c]=$((P + 5)) # block list PUB: + 1
SHARDS="a b c"
db_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/sw_$1"; }
sql_on() { local s=$1; shift; psql "$(db_url "$s")" -X -At -v ON_ERROR_STOP=1 -c "$*"; }
swctl_on() { local s=$1; shift; SIDEWATCH_PG=$(db_url "$s") timeout 10 "$BUILD/swctl" "$@" >>"$T/swctl.out"; }
head_of() { sql_on "$1" "SELECT version FROM block_list_head"; }

{
	echo "version 1"
	for s in $SHARDS; do echo "$s tcp://127.0.0.1:${EVP[$s]} 1"; done
} >"$T/ring.txt"

start_corr() { # SHARD
	rm -f "$T/stats-$1.json"
	"$BUILD/sidewatch-correlator" --plain --listen "tcp://127.0.0.1:${EVP[$1]}" \
		--blocks "tcp://127.0.0.1:$((EVP[$1] + 1))" --pg "$(db_url "$1")" \
		--sql "$ROOT/sql" --stats "$T/stats-$1.json" --host-rows-per-s 0 \
		--metrics-listen off --ring "$T/ring.txt" --shard "$1" >>"$T/corr-$1.log" 2>&1 &
	PID[$1]=$!
	SW_PIDS+=("${PID[$1]}")
	corr_up "$1" "${PID[$1]}" "$T/stats-$1.json" "$T/corr-$1.log"
}
stop_all() { local s; for s in $SHARDS; do [ -n "${PID[$s]:-}" ] && kill -KILL "${PID[$s]}" 2>/dev/null; done; return 0; }

start_pg "$PGPORT"
on_exit stop_all # the correlators go first, then PostgreSQL
for d in a b c q; do
	psql "$PG_URL" -X -q -c "CREATE DATABASE sw_$d" || die "CREATE DATABASE sw_$d"
done
for s in $SHARDS; do start_corr "$s"; done
# each shard its own id range before it stores a row (the query database
# of part 3 refuses shards whose ids overlap)
i=0
for s in $SHARDS; do
	"$BUILD/fleet-query" --ids "$i" "$(db_url "$s")" --sql "$ROOT/sql" >>"$T/ids.out" ||
		die "fleet-query --ids $i on $s"
	i=$((i + 1))
done

# a source each shard owns, each in a /24 of its own
for i in $(seq 60 120); do echo "10.213.$i.7"; done >"$T/cands"
"$BUILD/ring-owner" "$T/ring.txt" - <"$T/cands" >"$T/owners"
for s in $SHARDS; do
	SRC[$s]=$(paste -d' ' "$T/cands" "$T/owners" | awk -v s="$s" '$2 == s { print $1; exit }')
	[ -n "${SRC[$s]}" ] || die "no candidate source owned by $s"
done
echo "   sources: a ${SRC[a]}, b ${SRC[b]}, c ${SRC[c]}"

FAN_RING=$T/ring.txt
if [ "${SW_BREAK:-}" = one ]; then
	printf 'version 1\na tcp://127.0.0.1:%s 1\n' "${EVP[a]}" >"$T/ring-one.txt"
	FAN_RING=$T/ring-one.txt
fi
"$BUILD/sw-blockfan" --ring "$FAN_RING" --plain --enforce --host h1 --spool "$T/spool-fan" \
	--state "$T/state" >"$T/fan.out" 2>"$T/fan.err" &
FAN=$!
SW_PIDS+=("$FAN")
fan_has_version() { grep -q "\"event\":\"version\",\"shard\":\"$1\"" "$T/fan.out"; }
for s in $SHARDS; do
	check "subscriber holds shard $s's list (snapshot)" wait_for 20 fan_has_version "$s"
done
in_state() { grep -qx "$1 -" "$T/state" 2>/dev/null; }
not_in_state() { ! grep -qx "$1 -" "$T/state" 2>/dev/null; }
# the sw_block map of the subscriber holds / does not hold an address
# (bpftool's output, and what the map held on a miss, go to $T/bpf.log)
in_kernel() { bpf_blocked "$FAN" "$1" >>"$T/bpf.log" 2>&1; }
not_in_kernel() { ! in_kernel "$1"; }

echo "-- 1. each shard blocks a source of its own"
for s in a b; do
	check "shard $s: swctl block add ${SRC[$s]}" swctl_on "$s" block add "${SRC[$s]}" --ttl 10m --reason "shard $s" --json
done
emit() { # HOST
	"$BUILD/sw-emit" --plain --connect "tcp://127.0.0.1:${EVP[c]}" --host "$1" \
		--spool "$T/spool-$1" --timeout 30 --script auth --src "${SRC[c]}" --per 5 \
		>>"$T/emit-$1.log" 2>&1
}
for h in e1 e2 e3; do check "emitter $h (5 failed logins from ${SRC[c]}) acked by c" emit "$h"; done
c_blocked() { [ "$(sql_on c "SELECT count(*) FROM blocks WHERE addr = '${SRC[c]}/32' AND origin = 'correlator' AND removed_at IS NULL")" = 1 ]; }
check "shard c's detector blocked ${SRC[c]}" wait_for 20 c_blocked
for s in $SHARDS; do
	check "merged list holds ${SRC[$s]}/32 (decided by $s)" wait_for 10 in_state "${SRC[$s]}/32"
	check "  ... and the kernel map does" in_kernel "${SRC[$s]}"
done
for s in $SHARDS; do
	echo "     shard $s holds: $(sql_on "$s" "SELECT string_agg(coalesce(addr::text, '') || '|' || coalesce(identity, '') || ' ' || rule, ', ' ORDER BY id) FROM blocks WHERE removed_at IS NULL")"
	expect_eq "shard $s holds its own source's block and no other's" \
		"$(sql_on "$s" "SELECT string_agg(host(addr), ' ' ORDER BY addr) FROM blocks WHERE removed_at IS NULL AND addr IN ('${SRC[a]}/32', '${SRC[b]}/32', '${SRC[c]}/32')")" "${SRC[$s]}"
done

echo "-- 2. one /24 blocked by a and b; removed by a, then by b"
OV=10.213.199.0/24
for s in a b; do check "shard $s: block $OV" swctl_on "$s" block add "$OV" --ttl 10m --json; done
check "merged list holds $OV" wait_for 10 in_state "$OV"
va=$(head_of a)
check "shard a: block rm $OV" swctl_on a block rm "$OV" --json
fan_at() { grep -q "\"event\":\"version\",\"shard\":\"$1\",\"version\":$2," "$T/fan.out"; }
check "subscriber took a's removal (a's version $((va + 1)))" wait_for 10 fan_at a $((va + 1))
check "  ... $OV still in the merged list (b holds it)" in_state "$OV"
check "  ... and in the kernel map" in_kernel 10.213.199.5
check "shard b: block rm $OV" swctl_on b block rm "$OV" --json
check "$OV gone from the merged list" wait_for 10 not_in_state "$OV"
check "  ... and from the kernel map" not_in_kernel 10.213.199.5
check "shard b: block an identity holding a space and a newline" \
	swctl_on b block add --identity $'evil id\nx' --ttl 10m --json
check "  ... on one line of the state file, escaped" \
	wait_for 10 grep -qxF -- '- evil\x20id\x0ax' "$T/state"
check "  ... while ${SRC[b]} stays" in_kernel "${SRC[b]}"

echo "-- 3. heartbeats: each shard records the version of its own list"
host_v() { sql_on "$1" "SELECT blocklist_version FROM hosts WHERE host = 'h1'"; }
at_head() { [ "$(host_v "$1")" = "$(head_of "$1")" ]; } # polled by wait_for
for s in $SHARDS; do
	check "shard $s: h1 at shard $s's head ($(head_of "$s"))" wait_for 10 at_head "$s"
done
echo "     heads: a $(head_of a), b $(head_of b), c $(head_of c)"
fq() { "$BUILD/fleet-query" "$@" >>"$T/fq.out" 2>&1; }
check "query database set up over a, b, c" fq --db "$(db_url q)" --sql "$ROOT/sql" \
	"a=$(db_url a)" "b=$(db_url b)" "c=$(db_url c)"
hosts_line() { # SHARD: "version behind" of h1's row for that shard
	SIDEWATCH_PG=$(db_url q) "$BUILD/swctl" hosts --json | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["host"] == "h1" and r["shard"] == sys.argv[1]:
        print(r["blocklist_version"], r["blocklist_behind"])' "$1"
}
for s in $SHARDS; do
	expect_eq "swctl hosts (query database): h1 on shard $s" "$(hosts_line "$s")" "$(head_of "$s") 0"
done
SIDEWATCH_PG=$(db_url q) "$BUILD/swctl" hosts | cut -c1-60 | sed 's/^/     /'
kill -STOP "$FAN"
check "shard b: block 10.213.198.1 while h1 is stopped" swctl_on b block add 10.213.198.1 --ttl 10m --json
expect_eq "swctl hosts: h1 behind 1 on b" "$(hosts_line b)" "$(($(head_of b) - 1)) 1"
expect_eq "  ... and 0 on a" "$(hosts_line a | cut -d' ' -f2)" 0
expect_eq "  ... and 0 on c" "$(hosts_line c | cut -d' ' -f2)" 0
kill -CONT "$FAN"
# polled: the line is read again at each try (a $(...) here would be read
# once, just after SIGCONT, before h1's next heartbeat)
caught_up_on() { [ "$(hosts_line "$1" | cut -d' ' -f2)" = 0 ]; }
check "h1 catches up on b" wait_for 15 caught_up_on b

echo "-- 4. shard a killed with -9, restarted"
kill -KILL "${PID[a]}"
wait "${PID[a]}" 2>/dev/null || true
check "shard b: block 10.213.197.1 while a is down" swctl_on b block add 10.213.197.1 --ttl 10m --json
check "  ... reaches the merged list" wait_for 10 in_state 10.213.197.1/32
sleep 2
check "a's block ${SRC[a]} stays while a is down" in_kernel "${SRC[a]}"
start_corr a
check "shard a: block 10.213.196.1 after the restart" swctl_on a block add 10.213.196.1 --ttl 10m --json
check "  ... reaches the merged list" wait_for 15 in_state 10.213.196.1/32
check "  ... and the kernel map" in_kernel 10.213.196.1
check "  ... with a's first block still there" in_kernel "${SRC[a]}"
for s in $SHARDS; do
	check "correlator $s still running" sw_alive "${PID[$s]}"
done
kill -TERM "$FAN"
wait "$FAN" 2>/dev/null || true
sed 's/^/     /' "$T/fan.err"
check "subscriber: no apply errors, nothing refused" grep -q "full=0 refused=0 protected_refused=0 apply_errors=0" "$T/fan.err"
finish
