#!/usr/bin/env bash
# tests/integration/shard_query.sh - one query database over three shards
# (issue 25, item 2). Three PostgreSQL instances, each written by its own
# correlator, and a fourth, the query database, set up by
# tools/fleet-query (postgres_fdw: one foreign server per shard, each
# fleet table an inheritance parent of the shards' foreign tables):
#   - bad input is refused with a clear message (a shard name with a quote,
#     a duplicate name, a conninfo libpq cannot parse), and so are shards
#     whose ids overlap (before fleet-query --ids gave each its range);
#   - sw-emit hosts send known counts to each correlator directly (no ring):
#     per shard and in total the query database counts exactly what each
#     shard holds and what was sent, and a checksum over (host, seq, idx)
#     equals the sum of the shards';
#   - every sql/queries/*.sql runs; incidents_by_rule, top_offenders,
#     api_cards_without_auth and api_endpoints_by_host return rows of
#     several shards (exact values); ids do not collide across shards;
#   - swctl hosts, incidents, incident show, apis, events read the query
#     database and show rows of every shard;
#   - a WHERE on host is pushed down to each shard (EXPLAIN VERBOSE);
#   - running the setup again changes nothing; a table a migration adds
#     appears after a re-run;
#   - a shard's PostgreSQL stopped: the query database's error names it,
#     and the other shards stay readable through their own schemas.
# SW_BREAK=shard sets the query database up without shard c: the per-shard
# and total checks fail. Everything on 127.0.0.1, plain ZeroMQ.
source "$(dirname "$0")/lib.sh"
for b in sidewatch-correlator sw-emit swctl fleet-query; do
	[ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"
done

P=$(free_port 15500 1000 10) || die "no free ports"
QPORT=$P
declare -A PGP EVP CORRPID
i=1
for s in a b c; do
	PGP[$s]=$((P + i)) EVP[$s]=$((P + 3 + i))
	i=$((i + 1))
done
BLBASE=$((P + 7))
url() { echo "postgresql://postgres@127.0.0.1:$1/sidewatch"; }
Q=$(url "$QPORT")
sq() { psql "$Q" -X -At -v ON_ERROR_STOP=1 "$@"; }         # the query database
sh_sql() { local s=$1; shift; psql "$(url "${PGP[$s]}")" -X -At -v ON_ERROR_STOP=1 "$@"; }
# polled by wait_for (a $(...) argument would be read once)
merged_on() { [ "$(sh_sql "$1" -c "SELECT count(*) FROM api_endpoints")" = 1 ]; }

pg_up() { # pg_up NAME PORT : a private cluster under $T/pg-NAME
	mkdir -p "$T/pg-$1"
	chmod 755 "$T/pg-$1"
	on_exit "$ROOT/tools/pg.sh" stop "$T/pg-$1"
	"$ROOT/tools/pg.sh" start "$T/pg-$1" "$2" >/dev/null ||
		{ tail -5 "$T/pg-$1/pgdata/server.log" >&2; die "PostgreSQL $1 did not start"; }
}
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/stats-$1.json" "$2" 2>/dev/null || echo -1; }
stat_ge() { [ "$(stat_of "$1" "$2")" -ge "$3" ]; }
corr_stop() { local s p; for s in a b c; do p=${CORRPID[$s]:-}; [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done; return 0; }

# --- three shards and the query database ----------------------------------------
pg_up q "$QPORT"
for s in a b c; do pg_up "$s" "${PGP[$s]}"; done
on_exit corr_stop # the correlators go first, then the clusters
i=0
for s in a b c; do
	SIDEWATCH_PG=$(url "${PGP[$s]}") "$BUILD/sidewatch-correlator" --plain \
		--listen "tcp://127.0.0.1:${EVP[$s]}" --blocks "tcp://127.0.0.1:$((BLBASE + i))" \
		--sql "$ROOT/sql" --stats "$T/stats-$s.json" --host-rows-per-s 0 \
		>>"$T/corr-$s.log" 2>&1 &
	CORRPID[$s]=$!
	SW_PIDS+=("$!")
	disown "$!" # stopped by corr_stop / lib.sh, no job notices
	i=$((i + 1))
done
for s in a b c; do
	corr_up "$s" "${CORRPID[$s]}" "$T/stats-$s.json" "$T/corr-$s.log"
done

shards() { # the NAME=CONNINFO arguments for fleet-query: b's a URI, a's
	local s  # with a quoted value holding a quote and a space
	for s in "$@"; do
		case $s in
		a) echo "a=host=127.0.0.1 port=${PGP[a]} dbname=sidewatch user=postgres application_name='fleet o\\'brien'" ;;
		b) echo "b=$(url "${PGP[b]}")" ;;
		*) echo "$s=host=127.0.0.1 port=${PGP[$s]} dbname=sidewatch user=postgres" ;;
		esac
	done
}
fq() { "$BUILD/fleet-query" --db "$Q" --sql "$ROOT/sql" "$@" 2>"$T/fq.err" >"$T/fq.out"; }
ids() { "$BUILD/fleet-query" --ids "$1" "$(url "${PGP[$2]}")" --sql "$ROOT/sql" >>"$T/ids.out"; } # ids N SHARD
mapfile -t ALL < <(shards a b c)

echo "-- bad input is refused"
rc=0; fq "a'b=host=127.0.0.1 port=${PGP[a]}" || rc=$?
expect_eq "a shard name with a quote: exit 2" "$rc" 2
check "  ... and the message says which name" grep -q "shard name \"a'b\"" "$T/fq.err"
rc=0; fq "${ALL[0]}" "${ALL[0]}" || rc=$?
check "a shard named twice: refused ($rc)" grep -q 'shard "a" given twice' "$T/fq.err"
rc=0; fq "a=host=127.0.0.1 port='${PGP[a]}" || rc=$?
check "an unparsable conninfo: refused ($rc)" grep -q 'shard "a": bad conninfo' "$T/fq.err"
rc=0; fq "${ALL[@]}" || rc=$?
check "shards sharing an id range: refused ($rc)" grep -q 'draw ids of .* from the same range' "$T/fq.err"
sed 's/^/     /' "$T/fq.err" | tail -1
expect_eq "nothing was created in the query database" \
	"$(sq -c "SELECT count(*) FROM pg_foreign_server")" 0

echo "-- each shard its own id range; the query database set up"
i=0
for s in a b c; do
	check "fleet-query --ids $i on shard $s" ids "$i" "$s"
	i=$((i + 1))
done
check "fleet-query --ids again is a no-op" ids 1 b
rc=0; ids x b 2>"$T/ids.err" || rc=$?
expect_eq "fleet-query --ids x: exit 2" "$rc" 2
rc=0; "$BUILD/fleet-query" --db "$(url "${PGP[c]}")" --sql "$ROOT/sql" "${ALL[@]}" 2>"$T/fq.err" >/dev/null || rc=$?
check "a shard as the query database: refused ($rc)" grep -q 'has a table allow of its own (is it a shard?)' "$T/fq.err"
expect_eq "  ... and shard c is left as it was (no sw_fleet, no server)" \
	"$(sh_sql c -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'sw_fleet'") $(sh_sql c -c "SELECT count(*) FROM pg_foreign_server")" "0 0"
if [ "${SW_BREAK:-}" = shard ]; then
	check "set up (SW_BREAK=shard: without c)" fq "${ALL[0]}" "${ALL[1]}"
else
	check "set up over a, b, c" fq "${ALL[@]}"
fi
cat "$T/fq.err" >&2
expect_eq "server options from libpq's parse, values quoted (a: key=value, b: URI)" \
	"$(sq -c "SELECT string_agg(srvname || ' ' || array_to_string(srvoptions, ' '), ' / ' ORDER BY srvname) FROM pg_foreign_server WHERE srvname IN ('sw_shard_a', 'sw_shard_b')")" \
	"sw_shard_a dbname=sidewatch host=127.0.0.1 port=${PGP[a]} application_name=fleet o'brien fetch_size=10000 async_capable=true / sw_shard_b dbname=sidewatch host=127.0.0.1 port=${PGP[b]} fetch_size=10000 async_capable=true"
expect_eq "user mappings: user postgres on each" \
	"$(sq -c "SELECT string_agg(srvname || ' ' || array_to_string(umoptions, ' '), ' / ' ORDER BY srvname) FROM pg_user_mappings")" \
	"sw_shard_a user=postgres / sw_shard_b user=postgres / sw_shard_c user=postgres"

# --- known traffic to each shard --------------------------------------------------
emit() { # emit SHARD HOST sw-emit-args...
	local s=$1 h=$2
	shift 2
	"$BUILD/sw-emit" --plain --connect "tcp://127.0.0.1:${EVP[$s]}" --host "$h" \
		--spool "$T/spool-$h" --timeout 30 "$@" >>"$T/emit-$h.log" 2>&1
}
LIST='{"customers":[{"id":1,"email":"ann@example.com","card":"4111111111111111"}]}'
printf '5\tGET\tapi.shop\t/customers\t/customers\t-\t200\t800\t-\t-\t%s\n' "$LIST" >"$T/inv-a.tsv"
printf '3\tGET\tapi.shop\t/customers\t/customers\t-\t200\t800\t-\t-\t%s\n' "$LIST" >"$T/inv-b.tsv"
printf '2\tGET\tapi.other\t/health\t/health\t-\t200\t50\t-\t-\n' >"$T/inv-c.tsv"
declare -A SENT=([a]="300 200" [b]="400 150" [c]="250 100")
k=0
for s in a b c; do
	k=$((k + 1))
	set -- ${SENT[$s]}
	# 5 paths a client: ordinary traffic, no enumeration incident
	emit "$s" "${s}1" --count "$1" --paths 5 || bad "${s}1: $1 events not acked"
	emit "$s" "${s}2" --count "$2" --paths 5 || bad "${s}2: $2 events not acked"
	for h in 1 2 3; do # 3 hosts x 5 auth failures from one source: one incident
		emit "$s" "$s$h" --count 0 --script auth --src "10.213.9.$k" --per 5 || bad "$s$h auth not acked"
	done
	emit "$s" "${s}1" --count 0 --script verdict --src "10.213.8.$k" --per 1 || bad "${s}1 verdict not acked"
	emit "$s" "${s}2" --count 0 --script verdict --src "10.213.8.$k" --per 1 || bad "${s}2 verdict not acked"
	emit "$s" "${s}1" --count 0 --inventory "$T/inv-$s.tsv" || bad "${s}1 inventory not acked"
done
for s in a b c; do
	check "shard $s: the brute-force and the repeat-offender incidents opened" wait_for 15 \
		test "$(sh_sql "$s" -c "SELECT string_agg(rule, ' ' ORDER BY rule) FROM incidents")" = \
		"fleet.bruteforce.source fleet.repeat_offender"
	check "shard $s: the inventory merged" wait_for 15 merged_on "$s"
done

# --- counts and checksums ----------------------------------------------------------
echo "-- counts and checksums: query database = shards = sent"
SHARD_OF="sw_fleet.shard_of(tableoid)"
expect_eq "emitted events per shard through the query database" \
	"$(sq -c "SELECT string_agg(s || '=' || n, ' ' ORDER BY s) FROM (SELECT $SHARD_OF s, count(*) n FROM events WHERE kind = 'session' AND path LIKE '/e/%' GROUP BY 1) z")" \
	"a=500 b=550 c=350"
expect_eq "emitted events in total through the query database" \
	"$(sq -c "SELECT count(*) FROM events WHERE kind = 'session' AND path LIKE '/e/%'")" 1400
direct_n=0 direct_sum=0
for s in a b c; do
	n=$(sh_sql "$s" -c "SELECT count(*) FROM events")
	cs=$(sh_sql "$s" -c "SELECT coalesce(sum(hashtextextended(host || '/' || seq || '/' || idx, 0)::numeric), 0) FROM events")
	expect_eq "shard $s: rows through the query database = rows on the shard" \
		"$(sq -c "SELECT count(*) FROM sw_shard_$s.events")" "$n"
	direct_n=$((direct_n + n))
	direct_sum=$(python3 -c "print($direct_sum + $cs)")
done
expect_eq "all rows: query database = the sum of the shards'" "$(sq -c "SELECT count(*) FROM events")" "$direct_n"
expect_eq "checksum over (host, seq, idx): query database = the sum of the shards'" \
	"$(sq -c "SELECT sum(hashtextextended(host || '/' || seq || '/' || idx, 0)::numeric) FROM events")" "$direct_sum"
expect_eq "batches per shard (host, seq) through the query database" \
	"$(sq -c "SELECT string_agg(s || '=' || n, ' ' ORDER BY s) FROM (SELECT $SHARD_OF s, count(DISTINCT (host, seq)) n FROM batches GROUP BY 1) z")" \
	"$(for s in a b c; do printf '%s=%s ' "$s" "$(sh_sql "$s" -c "SELECT count(*) FROM batches")"; done | sed 's/ $//')"
expect_eq "ids: each shard's incidents and endpoints in its own range" \
	"$(sq -c "SELECT string_agg(DISTINCT $SHARD_OF || ':' || (id >> 48), ' ') FROM (SELECT tableoid, id FROM incidents UNION ALL SELECT tableoid, id FROM api_endpoints) z")" "a:0 b:1 c:2"

echo "-- Citus readiness: sql/fleet/citus_check.sql on shard a"
sh_sql a -F ': ' -f "$ROOT/sql/fleet/citus_check.sql" >"$T/citus.txt"
sed 's/^/     /' "$T/citus.txt"
expect_eq "no obstacle left (010_citus_ready.sql)" "$(wc -l <"$T/citus.txt")" 0
# the check still finds one: a table no placing names
sh_sql a -c "CREATE TABLE citus_probe (id bigserial PRIMARY KEY)" >/dev/null
expect_eq "a table the placing does not name is an obstacle" \
	"$(sh_sql a -F ': ' -f "$ROOT/sql/fleet/citus_check.sql")" \
	"citus_probe: not placed: neither distributed nor reference"
sh_sql a -c "DROP TABLE citus_probe" >/dev/null

# --- the operators' queries ----------------------------------------------------------
echo "-- sql/queries/ over the fleet"
for f in "$ROOT"/sql/queries/*.sql; do
	n=$(basename "$f" .sql)
	check "$n runs" sq -v addr="'10.213.8.2'" -v ident="''" -f "$f" -o "$T/q-$n.out"
done
expect_eq "incidents_by_rule: 2 rules, 3 incidents each (one per shard), widest hosts, events" \
	"$(cut -d'|' -f1,2,3,5,6 "$T/q-incidents_by_rule.out" | sort | tr '\n' ' ')" \
	"fleet.bruteforce.source|3|3|3|45 fleet.repeat_offender|3|3|2|6 "
expect_eq "top_offenders: one source per shard, 2 verdicts, 2 hosts each" \
	"$(cut -d'|' -f1,2,4 "$T/q-top_offenders.out" | sort | tr '\n' ' ')" \
	"10.213.8.1|2|2 10.213.8.2|2|2 10.213.8.3|2|2 "
expect_eq "api_cards_without_auth: the endpoint on shards a and b, 5 and 3 cards" \
	"$(cut -d'|' -f2,3 "$T/q-api_cards_without_auth.out" | tr '\n' ' ')" \
	"GET api.shop/customers|5 GET api.shop/customers|3 "
expect_eq "api_endpoints_by_host: a1, b1, c1 with their calls" \
	"$(cut -d'|' -f1,3,6,7 "$T/q-api_endpoints_by_host.out" | tr '\n' ' ')" \
	"a1|GET api.shop/customers|5|5 b1|GET api.shop/customers|3|3 c1|GET api.other/health|2|2 "
expect_eq "attacker_timeline for 10.213.8.2: shard b's 2 verdicts" \
	"$(cut -d'|' -f2,3,9 "$T/q-attacker_timeline.out" | sort | tr '\n' ' ')" \
	"b1|verdict|local.test b2|verdict|local.test "

echo "-- swctl over the fleet"
swq() { SIDEWATCH_PG=$Q "$BUILD/swctl" "$@"; }
swq hosts --json >"$T/hosts.json" 2>"$T/swctl.err" || bad "swctl hosts: $(cat "$T/swctl.err")"
# jl FILE EXPR : EXPR over the rows of swctl's JSON lines (r: one row;
# arr(v): a PostgreSQL array's text as a list)
jl() { python3 -c 'import json,sys
arr = lambda v: v if isinstance(v, list) else v.strip("{}").split(",")
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(" ".join(sorted(set(eval(sys.argv[2]) for r in rows))))' "$@"; }
expect_eq "swctl hosts: the 9 hosts of 3 shards" "$(jl "$T/hosts.json" 'r["host"]')" \
	"a1 a2 a3 b1 b2 b3 c1 c2 c3"
swq incidents --json >"$T/inc.json" 2>"$T/swctl.err" || bad "swctl incidents: $(cat "$T/swctl.err")"
expect_eq "swctl incidents: two per shard, naming its hosts" \
	"$(jl "$T/inc.json" '",".join(arr(r["hosts"]))')" "a1,a2 a1,a2,a3 b1,b2 b1,b2,b3 c1,c2 c1,c2,c3"
cid=$(sq -c "SELECT id FROM sw_shard_c.incidents WHERE rule = 'fleet.bruteforce.source'") || cid=0
swq incident show "$cid" --json >"$T/show.json" 2>"$T/swctl.err" || bad "swctl incident show $cid: $(cat "$T/swctl.err")"
expect_eq "swctl incident show $cid (shard c's): its 15 auth failures from c1, c2, c3" \
	"$(grep -c '"record":"event".*"path":"/api/login"' "$T/show.json") $(jl "$T/show.json" 'r.get("host", "-")')" "15 - c1 c2 c3"
swq apis --json >"$T/apis.json" 2>"$T/swctl.err" || bad "swctl apis: $(cat "$T/swctl.err")"
expect_eq "swctl apis: the endpoints of every shard with their hosts" \
	"$(jl "$T/apis.json" 'r["authority"] + ":" + ",".join(arr(r["hosts"]))')" "api.other:c1 api.shop:a1 api.shop:b1"
eid=$(sq -c "SELECT id FROM sw_shard_b.api_endpoints") || eid=0
swq api show "$eid" --json >"$T/api.json" 2>"$T/swctl.err" || bad "swctl api show $eid: $(cat "$T/swctl.err")"
expect_eq "swctl api show $eid (shard b's): host b1, its 3 calls, nothing of shard a's 5" \
	"$(jl "$T/api.json" 'r.get("record", "param") + "=" + str(r.get("host", r.get("count", r.get("calls"))))')" \
	"auth=3 data=3 endpoint=3 host=b1"
swq events --limit 5000 --json >"$T/events.json" 2>"$T/swctl.err" || bad "swctl events: $(cat "$T/swctl.err")"
expect_eq "swctl events: hosts of every shard" "$(jl "$T/events.json" 'r["host"]')" \
	"a1 a2 a3 b1 b2 b3 c1 c2 c3"

echo "-- push-down"
sq -c "EXPLAIN VERBOSE SELECT * FROM events WHERE host = 'b1'" >"$T/explain.txt"
expect_eq "WHERE host = 'b1' is sent to every shard" \
	"$(grep -c "Remote SQL: .* WHERE ((host = 'b1'))" "$T/explain.txt")" 3
# postgres_fdw ships only immutable expressions: now() is stable, so a
# bound like top_offenders' "ts > now() - interval" is checked here, after
# the shard sent every row of the rest of the WHERE
sq -c "EXPLAIN VERBOSE SELECT * FROM events WHERE kind = 'verdict' AND ts > now() - interval '24 hours'" >"$T/explain2.txt"
expect_eq "kind = 'verdict' is sent to every shard, the now() bound is not" \
	"$(grep -c "Remote SQL: .* WHERE ((kind = 'verdict'))\$" "$T/explain2.txt") $(grep -c 'Remote SQL: .*ts >' "$T/explain2.txt")" "3 0"
grep -m1 'Filter: ' "$T/explain2.txt" | sed 's/^ */     /'
sq -c "EXPLAIN VERBOSE SELECT * FROM events WHERE ts > '2026-01-01 00:00:00+00'" >"$T/explain3.txt"
expect_eq "a literal time bound is sent to every shard" \
	"$(grep -c "Remote SQL: .* WHERE ((ts > '2026-01-01 00:00:00+00'))$" "$T/explain3.txt")" 3
rc=0; sq -c "INSERT INTO allow (id, created_at, identity, note) VALUES (1, now(), 'x', 'meant for a shard')" >/dev/null 2>"$T/ins.err" || rc=$?
check "a row written to a fleet table is refused ($rc)" grep -q 'sw_fleet_no_rows' "$T/ins.err"

echo "-- idempotent; a new table after a migration"
before=$(sq -c "SELECT count(*) FROM events")
check "set up again" fq "${ALL[@]}"
expect_eq "the same rows after a second setup" "$(sq -c "SELECT count(*) FROM events")" "$before"
for s in a b c; do
	sh_sql "$s" -c "CREATE TABLE zz_later (id bigserial PRIMARY KEY, note text NOT NULL)" >/dev/null
done
rc=0; fq "${ALL[@]}" || rc=$?
check "a new serial table without ranges: refused ($rc)" grep -q 'draw ids of zz_later.id' "$T/fq.err"
i=0
for s in a b c; do ids "$i" "$s" >/dev/null || bad "--ids $i on $s"; i=$((i + 1)); done
for s in a b c; do sh_sql "$s" -c "INSERT INTO zz_later (note) VALUES ('$s')" >/dev/null; done
check "set up after the migration" fq "${ALL[@]}"
expect_eq "the new table, fleet-wide, ids in each shard's range" \
	"$(sq -c "SELECT string_agg($SHARD_OF || '=' || note || ':' || (id >> 48), ' ' ORDER BY note) FROM zz_later")" "a=a:0 b=b:1 c=c:2"

sh_sql c -c "ALTER TABLE zz_later DROP COLUMN note" >/dev/null
rc=0; fq "${ALL[@]}" || rc=$?
check "a shard whose table lacks a column: refused, naming it ($rc)" \
	grep -q 'shard c: table zz_later does not match the first shard.s: child table is missing column "note"' "$T/fq.err"
expect_eq "  ... and the last setup stays (events of all 3 shards)" "$(sq -c "SELECT count(*) FROM events")" "$before"

echo "-- a shard down"
"$ROOT/tools/pg.sh" stop "$T/pg-b"
rc=0; sq -c "SELECT count(*) FROM events" >/dev/null 2>"$T/down.err" || rc=$?
check "a fleet-wide read fails" test "$rc" -ne 0
sed 's/^/     /' "$T/down.err" | head -2
check "the error names shard b's server (sw_shard_b)" grep -q 'sw_shard_b' "$T/down.err"
rc=0; fq "${ALL[@]}" || rc=$?
check "setting up with shard b down: refused, naming it ($rc)" grep -q '^fleet-query: shard b: connection to server' "$T/fq.err"
expect_eq "shard a still readable through its schema" \
	"$(sq -c "SELECT count(*) FROM sw_shard_a.events WHERE kind = 'session' AND path LIKE '/e/%'")" 500
finish
