#!/usr/bin/env bash
# tools/demo-fleet.sh - `make demo-fleet`: a sharded fleet on one machine
# (issue 25). Three correlator shards, each with its own PostgreSQL
# cluster, a ring every collector and correlator reads, and a query
# database (build/fleet-query, postgres_fdw) that sees all three; a few
# hundred synthetic collectors (sw-emit --ring, CURVE, one key each) send
# ordinary traffic split by shard owner; then a distributed credential
# stuffing whose sources were picked so that each shard owns two of them
# hits hosts all over the fleet. Each source is detected by the shard that
# owns it and nowhere else, and the report at the end is SQL over the query
# database: rows per shard, incidents by rule and shard, the offenders.
# DEMO_HOSTS (default 300) collectors, DEMO_EVENTS (default 30) ordinary
# events each. Everything on 127.0.0.1; cleans up after itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/integration/lib.sh"
for b in sidewatch-correlator sw-emit swctl fleet-query ring-owner; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

HOSTS=${DEMO_HOSTS:-300}
EVENTS=${DEMO_EVENTS:-30}
SHARDS="a b c"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
P=$(free_port 18500 1000 10) || die "no free ports"
declare -A PGP EVP BLP CPID
i=0
for s in $SHARDS; do
	PGP[$s]=$((P + i)) EVP[$s]=$((P + 3 + 2 * i)) BLP[$s]=$((P + 4 + 2 * i))
	i=$((i + 1))
done
url() { echo "postgresql://postgres@127.0.0.1:${PGP[$1]}/sidewatch"; }
Q="postgresql://postgres@127.0.0.1:${PGP[a]}/fleet"

df_cleanup() {
	local rc=$? s
	set +e
	for s in $SHARDS; do
		[ -n "${CPID[$s]:-}" ] && kill -TERM "${CPID[$s]}" 2>/dev/null
	done
	sleep 0.5
	for s in $SHARDS; do "$ROOT/tools/pg.sh" stop "$T/pg-$s" >/dev/null 2>&1; done
	(exit $rc)
	sw_cleanup
}
trap df_cleanup EXIT

say "three shards: a PostgreSQL cluster and a correlator each"
{
	echo "version 1"
	for s in $SHARDS; do echo "$s tcp://127.0.0.1:${EVP[$s]} 1"; done
} >"$T/ring.txt"
cat "$T/ring.txt"
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
for h in $(seq 1 "$HOSTS"); do "$BUILD/swctl" keygen "$T/keys/collectors" "host$h" >/dev/null; done
for a in $(seq 1 18); do "$BUILD/swctl" keygen "$T/keys/collectors" "edge$a" >/dev/null; done
n=0
for s in $SHARDS; do
	mkdir -p "$T/pg-$s" && chmod 755 "$T/pg-$s"
	"$ROOT/tools/pg.sh" start "$T/pg-$s" "${PGP[$s]}" >/dev/null ||
		die "PostgreSQL of shard $s did not start"
	"$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:${EVP[$s]}" \
		--blocks "tcp://127.0.0.1:${BLP[$s]}" --keys "$T/keys/collectors" \
		--server-key "$T/keys/server.key" --sql "$ROOT/sql" --pg "$(url "$s")" \
		--stats "$T/stats-$s.json" --metrics-listen off \
		--ring "$T/ring.txt" --shard "$s" >"$T/corr-$s.log" 2>&1 &
	CPID[$s]=$!
	SW_PIDS+=("${CPID[$s]}")
done
for s in $SHARDS; do
	wait_for 30 grep -q '"db_up":true' "$T/stats-$s.json" ||
		{ tail -5 "$T/corr-$s.log" >&2; die "correlator $s did not start"; }
	# each shard's ids in a range of its own, so the query database's joins
	# never mix two shards' rows
	"$BUILD/fleet-query" --ids "$n" "$(url "$s")" --sql "$ROOT/sql" >/dev/null ||
		die "fleet-query --ids on shard $s"
	echo "shard $s: correlator on tcp://127.0.0.1:${EVP[$s]}, PostgreSQL on port ${PGP[$s]}, ids from $n << 48"
	n=$((n + 1))
done
psql "postgresql://postgres@127.0.0.1:${PGP[a]}/postgres" -X -q -c "CREATE DATABASE fleet" ||
	die "CREATE DATABASE fleet"
"$BUILD/fleet-query" --db "$Q" --sql "$ROOT/sql" \
	a="$(url a)" b="$(url b)" c="$(url c)" >/dev/null || die "fleet-query setup failed"
echo "query database: $Q (postgres_fdw over the three shards)"
q() { psql "$Q" -X -v ON_ERROR_STOP=1 "$@"; }

say "$HOSTS collectors send $EVENTS ordinary events each, split by shard owner"
emit() { # HOST KEY ARGS...
	local h=$1 k=$2
	shift 2
	"$BUILD/sw-emit" --ring "$T/ring.txt" --host "$h" --spool "$T/spool-$h" \
		--key "$T/keys/collectors/$k.key" --server-key "$T/keys/server.pub" \
		--timeout 120 "$@" >"$T/emit-$h.log" 2>&1
}
t0=$(date +%s%N)
fails=0
for wave in $(seq 0 60 $((HOSTS - 1))); do
	pids=()
	for h in $(seq $((wave + 1)) $((wave + 60 > HOSTS ? HOSTS : wave + 60))); do
		emit "host$h" "host$h" --count "$EVENTS" --rate 50 --clients 4096 \
			--client-base $((h * 97 % 60000)) --paths 8 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	echo "  hosts $((wave + 1))..$((wave + ${#pids[@]})) acked"
done
[ "$fails" -eq 0 ] || die "$fails collectors not acked"
echo "  $((HOSTS * EVENTS)) events in $((($(date +%s%N) - t0) / 1000000)) ms"

say "a distributed credential stuffing: two sources owned by each shard"
# pick sources: the first two addresses of 10.213.200.0/22 each shard owns
declare -A SRC
srcs=()
for x in $(seq 0 1023); do
	ip="10.213.$((200 + x / 256)).$((x % 256))"
	o=$(echo "$ip" | "$BUILD/ring-owner" "$T/ring.txt" -)
	[ -n "${SRC[$o]:-}" ] && [ "$(echo "${SRC[$o]}" | wc -w)" -ge 2 ] && continue
	SRC[$o]="${SRC[$o]:-} $ip"
	srcs+=("$ip")
	[ ${#srcs[@]} -ge 6 ] && break
done
for s in $SHARDS; do echo "  shard $s owns:${SRC[$s]}"; done
# every source fails to log in 5 times on each of 3 edge hosts of its own
# (18 in all), all at once
pids=()
for k in "${!srcs[@]}"; do
	for e in 1 2 3; do
		h=$((k * 3 + e))
		emit "edge$h" "edge$h" --count 0 --script auth --src "${srcs[$k]}" --per 5 &
		pids+=($!)
	done
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
[ "$fails" -eq 0 ] || { tail -3 "$T"/emit-edge*.log >&2; die "$fails attack emitters not acked"; }
want=${#srcs[@]}
ok=0
for _ in $(seq 1 40); do
	got=$(q -At -c "SELECT count(DISTINCT src_ip) FROM incidents WHERE rule = 'fleet.bruteforce.source'")
	[ "$got" -ge "$want" ] && { ok=1; break; }
	sleep 0.5
done
[ "$ok" = 1 ] || die "only $got of $want sources detected"
# each on the shard that owns it, once
sleep 1
for s in $SHARDS; do
	got=$(psql "$(url "$s")" -X -At -c "SELECT string_agg(host(src_ip), ' ' ORDER BY src_ip)
		FROM incidents WHERE rule = 'fleet.bruteforce.source'")
	[ " $got" = "${SRC[$s]}" ] || die "shard $s detected '$got', owns '${SRC[$s]}'"
done
echo "  all $want sources detected, each once, by the shard that owns it"
sent=$((HOSTS * EVENTS + want * 3 * 5))
got=$(q -At -c "SELECT count(*) FROM events")
[ "$got" -eq "$sent" ] || die "$got rows over the shards, $sent events sent"
echo "  $got rows over the three shards = events sent"

say "the report: SQL over the query database"
q -c "SELECT s.shard, count(*) AS events
      FROM (SELECT 'a' AS shard FROM sw_shard_a.events UNION ALL
            SELECT 'b' FROM sw_shard_b.events UNION ALL
            SELECT 'c' FROM sw_shard_c.events) s GROUP BY 1 ORDER BY 1"
q -c "SELECT s.shard, s.src_ip, s.rule, s.hosts, s.event_count
      FROM (SELECT 'a' AS shard, * FROM sw_shard_a.incidents UNION ALL
            SELECT 'b', * FROM sw_shard_b.incidents UNION ALL
            SELECT 'c', * FROM sw_shard_c.incidents) s
      WHERE s.rule = 'fleet.bruteforce.source' ORDER BY 1, 2"
echo "sql/queries/incidents_by_rule.sql, unchanged, over all shards:"
q -f "$ROOT/sql/queries/incidents_by_rule.sql"
echo "the blocks every shard decided (each shard's ids in its own range):"
q -c "SELECT id >> 48 AS shard_no, addr, rule, expires_at FROM blocks
      WHERE removed_at IS NULL ORDER BY addr"
