#!/usr/bin/env bash
# tests/integration/shard_keys.sh - each correlator shard its own CURVE key
# pair, named in the ring (common/ring.h "key="): a collector holds every
# shard to its own key, so the secret of one shard cannot pose as another.
# Two shards a and b, each with its own database, sw-emit hosts with --ring
# and CURVE keys (no --server-key: the ring gives each shard's key):
#   1. a correlator given b's secret key as shard a refuses to start and
#      says why (exit 2);
#   2. four emitters x 400 events: all acked, every row on the shard
#      ring-owner names, rows per shard = what the emitters routed there;
#   3. b killed; an impostor holding a's secret key (a compromised shard)
#      listens on b's endpoint as "b" with an unkeyed ring of its own: the
#      emitters' events for b never reach it (0 rows, b's part unacked)
#      while a's part is acked; the impostor goes, the real b comes back,
#      and every event is stored once, on its owner.
#   4. one block-list subscriber (sw-blockfan) on the ring: a block on a
#      and one on b arrive; an impostor with a's secret publishing on b's
#      block-list endpoint does not get its block through, the real b's
#      next one does.
# SW_BREAK=samekey gives a and b one key pair and the ring no keys (the
# design before): the impostor then takes b's events and check 3 fails.
# Everything on 127.0.0.1 (no kernel needed).
source "$(dirname "$0")/lib.sh"
for b in sidewatch-correlator sw-emit ring-owner swctl; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 17000 1000 5) || die "no free ports"
PGPORT=$P
declare -A EVP BLP PID
# a shard's block list PUB is its ring port + 1 (blocklist_sub_fan.h)
EVP[a]=$((P + 1)) BLP[a]=$((P + 2))
EVP[b]=$((P + 3)) BLP[b]=$((P + 4))
K=$T/keys

db_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/sw_$1"; }
# start_corr NAME SHARD SECRET RING DB: a correlator in the background
start_corr() {
	rm -f "$T/stats-$1.json"
	"$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:${EVP[$2]}" \
		--blocks "tcp://127.0.0.1:${BLP[$2]}" --pg "$(db_url "$5")" \
		--keys "$K/collectors" --server-key "$3" \
		--sql "$ROOT/sql" --stats "$T/stats-$1.json" --host-rows-per-s 0 \
		--ring "$4" --shard "$2" >>"$T/corr-$1.log" 2>&1 &
	PID[$1]=$!
	SW_PIDS+=("${PID[$1]}")
	corr_up "$1" "${PID[$1]}" "$T/stats-$1.json" "$T/corr-$1.log"
}
stop_corr() { kill -KILL "${PID[$1]}" 2>/dev/null; wait "${PID[$1]}" 2>/dev/null || true; PID[$1]=; }
stop_all() { local s; for s in "${!PID[@]}"; do [ -n "${PID[$s]}" ] && kill -KILL "${PID[$s]}" 2>/dev/null; done; }
nrows() { psql "$(db_url "$1")" -X -At -c "SELECT count(*) FROM events WHERE host LIKE '$2-%'"; }
# emit PHASE K COUNT TIMEOUT: emitter PHASE-K in the background, pid in EPIDS
EPIDS=()
SRVKEY=()
[ "${SW_BREAK:-}" = samekey ] && SRVKEY=(--server-key "$K/a.pub") # one pair
emit() {
	"$BUILD/sw-emit" --ring "$T/ring.txt" --key "$K/collectors/$1-$2.key" "${SRVKEY[@]}" \
		--spool "$T/spool-$1-$2" --host "$1-$2" --count "$3" --rate 0 \
		--clients 4000 --client-base $(($2 * 1500)) --timeout "$4" \
		>"$T/emit-$1-$2.out" 2>&1 &
	EPIDS+=($!)
}
routed() { # PHASE SHARD: events the phase's emitters routed to SHARD
	cat "$T"/emit-"$1"-*.out | awk -v s="shard=$2" '$3 == s { sub("events=", "", $5); n += $5 } END { print n + 0 }'
}
acked_of() { # PHASE SHARD: batches acked by SHARD, over the phase's emitters
	cat "$T"/emit-"$1"-*.out | awk -v s="shard=$2" '$3 == s { sub("acked=", "", $7); n += $7 } END { print n + 0 }'
}

mkdir -p "$K/collectors"
"$BUILD/swctl" keygen "$K" a >/dev/null && "$BUILD/swctl" keygen "$K" b >/dev/null ||
	die "swctl keygen"
if [ "${SW_BREAK:-}" = samekey ]; then
	cp "$K/a.key" "$K/b.key"
	cp "$K/a.pub" "$K/b.pub"
fi
for ph in p2 p3; do for k in 1 2 3 4; do
	"$BUILD/swctl" keygen "$K/collectors" "$ph-$k" >/dev/null || die "swctl keygen"
done; done
{
	echo "version 1"
	for s in a b; do
		if [ "${SW_BREAK:-}" = samekey ]; then
			echo "$s tcp://127.0.0.1:${EVP[$s]} 1"
		else
			echo "$s tcp://127.0.0.1:${EVP[$s]} 1 key=$(cat "$K/$s.pub")"
		fi
	done
} >"$T/ring.txt"
# the impostor's own ring: the same shards, no keys
sed 's/ key=.*//' "$T/ring.txt" >"$T/ring-nokeys.txt"
cat "$T/ring.txt" | sed 's/^/     /'

start_pg "$PGPORT"
on_exit stop_all # the correlators go first, then PostgreSQL
for s in a b x; do
	psql "$PG_URL" -X -q -c "CREATE DATABASE sw_$s" || die "CREATE DATABASE sw_$s"
done

echo "-- 1. a correlator with another shard's secret key refuses to start"
if [ "${SW_BREAK:-}" = samekey ]; then
	bad "SW_BREAK=samekey: one key pair for both shards"
else
	rc=0
	timeout 10 "$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:${EVP[a]}" \
		--blocks "tcp://127.0.0.1:${BLP[a]}" --pg "$(db_url a)" --keys "$K/collectors" \
		--server-key "$K/b.key" --sql "$ROOT/sql" --ring "$T/ring.txt" --shard a \
		>"$T/wrongkey.log" 2>&1 || rc=$?
	sed 's/^/     /' "$T/wrongkey.log" | head -3
	expect_eq "shard a with b's secret key: exit 2" "$rc" 2
	check "and it says the key is not shard a's in the ring" \
		grep -q "is not shard 'a''s key in the ring" "$T/wrongkey.log"
fi

start_corr a a "$K/a.key" "$T/ring.txt" a
start_corr b b "$K/b.key" "$T/ring.txt" b

echo "-- 2. four emitters x 400 events, each shard under its own key"
EPIDS=()
for k in 1 2 3 4; do emit p2 "$k" 400 30; done
rc=0
for p in "${EPIDS[@]}"; do wait "$p" || rc=$((rc + 1)); done
expect_eq "phase 2: every emitter all acked" "$rc" 0
for s in a b; do
	n=$(nrows "$s" p2)
	echo "     shard $s: $n rows"
	expect_eq "phase 2: rows on $s = events the emitters routed to $s" "$n" "$(routed p2 "$s")"
	own=$(psql "$(db_url "$s")" -X -At -c "SELECT host(src_ip) FROM events WHERE host LIKE 'p2-%'" |
		"$BUILD/ring-owner" "$T/ring.txt" - | grep -cx "$s" || true)
	expect_eq "phase 2: every row on $s is one ring-owner gives to $s" "$own" "$n"
	check "phase 2: shard $s got rows" test "$n" -gt 0
done
expect_eq "phase 2: rows on both = 1600" "$(( $(nrows a p2) + $(nrows b p2) ))" 1600

echo "-- 3. b down; an impostor with a's secret key on b's endpoint"
stop_corr b
start_corr x b "$K/a.key" "$T/ring-nokeys.txt" x
EPIDS=()
for k in 1 2 3 4; do emit p3 "$k" 300 40; done
sleep 6
ximp=$(nrows x p3)
expect_eq "the impostor stored none of b's events" "$ximp" 0
check "a stored its part meanwhile" test "$(nrows a p3)" -gt 0
stop_corr x
start_corr b b "$K/b.key" "$T/ring.txt" b
rc=0
for p in "${EPIDS[@]}"; do wait "$p" || rc=$((rc + 1)); done
expect_eq "phase 3: every emitter all acked once the real b was back" "$rc" 0
for s in a b; do
	expect_eq "phase 3: rows on $s = events routed to $s" "$(nrows "$s" p3)" "$(routed p3 "$s")"
done
expect_eq "phase 3: rows on both = 1200" "$(( $(nrows a p3) + $(nrows b p3) ))" 1200
expect_eq "phase 3: the impostor's database still empty" "$(nrows x p3)" 0
echo "     emitters' batches acked by b: $(acked_of p3 b), by a: $(acked_of p3 a)"

echo "-- 4. block lists: one subscriber to both shards, each under its own key"
swctl_on() { local s=$1; shift; SIDEWATCH_PG=$(db_url "$s") timeout 10 "$BUILD/swctl" "$@" >>"$T/swctl.out"; }
holds() { grep -qx "$1 -" "$T/fan.state" 2>/dev/null; }
"$BUILD/sw-blockfan" --ring "$T/ring.txt" --key "$K/collectors/p2-1.key" "${SRVKEY[@]}" \
	--state "$T/fan.state" --duration 60 >"$T/fan.out" 2>"$T/fan.err" &
FAN=$!
SW_PIDS+=("$FAN")
check "shard a: swctl block add 10.213.77.1" swctl_on a block add 10.213.77.1 --ttl 10m --reason a --json
check "shard b: swctl block add 10.213.78.1" swctl_on b block add 10.213.78.1 --ttl 10m --reason b --json
check "the subscriber holds a's block" wait_for 15 holds 10.213.77.1/32
check "and b's" wait_for 15 holds 10.213.78.1/32
# b's block list PUB goes to an impostor holding a's secret: its list (a
# block of 10.213.79.1 in its own database) must not reach the subscriber
stop_corr b
psql "$(db_url x)" -X -q -c "DELETE FROM blocks" 2>/dev/null || true
start_corr x b "$K/a.key" "$T/ring-nokeys.txt" x
check "impostor: swctl block add 10.213.79.1" swctl_on x block add 10.213.79.1 --ttl 10m --reason x --json
sleep 5
if holds 10.213.79.1/32; then bad "the impostor's block reached the subscriber"
else ok "the impostor's block did not reach the subscriber (5 s)"; fi
check "b's block is still held (b's entries stay while b is away)" holds 10.213.78.1/32
stop_corr x
start_corr b b "$K/b.key" "$T/ring.txt" b
check "shard b back: swctl block add 10.213.80.1" swctl_on b block add 10.213.80.1 --ttl 10m --reason b2 --json
check "the subscriber holds b's new block" wait_for 15 holds 10.213.80.1/32
if holds 10.213.79.1/32; then bad "the impostor's block is held"; else ok "the impostor's block is not held"; fi
kill "$FAN" 2>/dev/null; wait "$FAN" 2>/dev/null || true
finish
