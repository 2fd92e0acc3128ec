#!/usr/bin/env bash
# tools/bench-fleet-query.sh [OUT.md] - reads through the fleet query
# database (tools/fleet-query, postgres_fdw) against the same reads on one
# shard. Not run by tests or make bench; writes a markdown section
# "## Fleet query database" to OUT.md (default: stdout only).
#
# Three PostgreSQL shards, schema applied by a correlator each (started,
# then stopped), each loaded with ROWS events (50 hosts, one verdict in
# 100, the last 12 hours) and 1000 incidents directly with INSERT ...
# SELECT; a fourth instance is the query database over the three. Each
# query runs under pgbench (-n, one client, TX transactions) on shard a
# and on the query database; the table gives pgbench's average latency.
# The query database reads 3 x ROWS events where shard a reads ROWS.
# BENCH_QUICK=1: ROWS 100000, TX 5. Overrides: BENCH_FQ_ROWS, BENCH_FQ_TX.
# The timed part runs under `flock $BENCH_LOCK` (default
# /tmp/sidewatch-bench.lock). No kernel, no root needed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-}
case $OUT in "" | /*) ;; *) OUT=$PWD/$OUT ;; esac
source "$ROOT/tests/integration/lib.sh"
TEST_NAME=bench-fleet-query

ROWS=${BENCH_FQ_ROWS:-1000000}
TX=${BENCH_FQ_TX:-10}
if [ -n "${BENCH_QUICK:-}" ]; then ROWS=${BENCH_FQ_ROWS:-100000}; TX=${BENCH_FQ_TX:-5}; fi
[[ $ROWS =~ ^[0-9]+$ ]] && [ "$ROWS" -ge 1000 ] && [ "$ROWS" -le 50000000 ] || die "BENCH_FQ_ROWS must be 1000..50000000"
[[ $TX =~ ^[0-9]+$ ]] && [ "$TX" -ge 1 ] && [ "$TX" -le 1000 ] || die "BENCH_FQ_TX must be 1..1000"
LOCK=${BENCH_LOCK:-/tmp/sidewatch-bench.lock}
PGBENCH=${PGBIN:-/usr/lib/postgresql/15/bin}/pgbench
[ -x "$PGBENCH" ] || die "pgbench not found at $PGBENCH"
for b in sidewatch-correlator fleet-query; do [ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"; done

P=$(free_port 20500 1000 6) || die "no free ports"
declare -A PORT=([q]=$P [a]=$((P + 1)) [b]=$((P + 2)) [c]=$((P + 3)))
url() { echo "postgresql://postgres@127.0.0.1:${PORT[$1]}/sidewatch"; }
for s in q a b c; do
	mkdir -p "$T/pg-$s"
	chmod 755 "$T/pg-$s"
	on_exit "$ROOT/tools/pg.sh" stop "$T/pg-$s"
	"$ROOT/tools/pg.sh" start "$T/pg-$s" "${PORT[$s]}" >/dev/null || die "PostgreSQL $s did not start"
done

echo "bench-fleet-query: 3 shards x $ROWS events, $TX runs a query"
i=0
for s in a b c; do
	SIDEWATCH_PG=$(url "$s") "$BUILD/sidewatch-correlator" --plain --listen "tcp://127.0.0.1:$((P + 4))" \
		--blocks "tcp://127.0.0.1:$((P + 5))" --sql "$ROOT/sql" --stats "$T/stats-$s.json" >"$T/corr-$s.log" 2>&1 &
	pid=$!
	wait_for 20 grep -q '"db_up":true' "$T/stats-$s.json" || die "correlator on shard $s did not start"
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null || true
	"$BUILD/fleet-query" --ids "$i" "$(url "$s")" --sql "$ROOT/sql" >/dev/null
	psql "$(url "$s")" -X -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO events (host, seq, idx, ts, recv_ts, kind, proto, src_ip, method, path, status, rule, action)
SELECT 'h' || (g % 50), g / 100, g % 100, t, t,
       CASE WHEN g % 100 = 0 THEN 'verdict' ELSE 'session' END, 'http1',
       ('10.1.' || (g / 250 % 250) || '.' || (g % 250))::inet, 'GET', '/p/' || (g % 1000), 200,
       CASE WHEN g % 100 = 0 THEN 'sqli.union' END, CASE WHEN g % 100 = 0 THEN 'alert' END
FROM generate_series(1, $ROWS) g, LATERAL (SELECT now() - (g % 43200) * interval '1 second' AS t) x;
INSERT INTO incidents (rule, severity, src_ip, hosts, event_count, opened_at)
SELECT 'fleet.rule' || (g % 5), 'high', ('10.2.0.' || (g % 250))::inet, ARRAY['h' || (g % 50)], g % 40,
       now() - (g % 100) * interval '1 hour'
FROM generate_series(1, 1000) g;
ANALYZE;
SQL
	i=$((i + 1))
done
"$BUILD/fleet-query" --db "$(url q)" --sql "$ROOT/sql" \
	"a=$(url a)" "b=$(url b)" "c=$(url c)" >/dev/null

cat >"$T/count.sql" <<'SQL'
SELECT count(*) FROM events;
SQL
# the same count as each shard's own (pushed down: one aggregate a shard)
cat >"$T/count_shards.sql" <<'SQL'
SELECT (SELECT count(*) FROM sw_shard_a.events) + (SELECT count(*) FROM sw_shard_b.events)
     + (SELECT count(*) FROM sw_shard_c.events);
SQL
cat >"$T/host.sql" <<'SQL'
SELECT count(*) FROM events WHERE host = 'h17' AND status = 200;
SQL
cat >"$T/timeline.sql" <<'SQL'
SELECT ts, host, kind, path FROM events WHERE src_ip = '10.1.7.7' ORDER BY ts LIMIT 1000;
SQL
lat() { # lat DB FILE : pgbench's average latency in ms
	"$PGBENCH" -n -c 1 -t "$TX" -f "$2" "$(url "$1")" 2>/dev/null |
		awk '/^latency average/ { print $4 }'
}
row() { # row NAME FILE
	printf '| %s | %s | %s |\n' "$1" "$(lat a "$2")" "$(lat q "$2")"
}
exec 9>"$LOCK"
flock 9
{
	echo "## Fleet query database"
	echo
	echo "Average latency (ms, pgbench, $TX runs) on one shard ($ROWS events) and through the query"
	echo "database over three ($((3 * ROWS)) events; postgres_fdw, async foreign scans, fetch_size 10000)."
	echo
	echo "| query | shard a | query database |"
	echo "|---|---|---|"
	row "count(*) FROM events" "$T/count.sql"
	printf '| count(*) per shard schema, summed (aggregate pushed down) | - | %s |\n' "$(lat q "$T/count_shards.sql")"
	row "count(*) WHERE host = 'h17' (pushed down)" "$T/host.sql"
	row "one source's timeline (attacker_timeline, src_ip pushed down)" "$T/timeline.sql"
	row "sql/queries/incidents_by_rule.sql (now() bound local)" "$ROOT/sql/queries/incidents_by_rule.sql"
	row "sql/queries/top_offenders.sql (now() bound local)" "$ROOT/sql/queries/top_offenders.sql"
} >"$T/out.md"
flock -u 9
cat "$T/out.md"
[ -z "$OUT" ] || cat "$T/out.md" >>"$OUT"
