#!/usr/bin/env bash
# inventory_fleet: the API inventory, fleet-wide. In a private namespace
# host: PostgreSQL (empty database), the real correlator (CURVE), and two
# collectors' uplinks (tools/sw-emit --inventory: the collector's own
# learner, endpoint_observe, fed a scenario of exchanges, and its own
# uplink_inventory_push) for hosts hA and hB.
#  - the correlator's first start on the empty database logs no missing
#    relation (it used to read block_list_head before the migrations ran);
#  - hA learns and pushes twice in one run (cumulative summaries of one
#    incarnation: merged, not added), then starts again (a new incarnation:
#    added); hB pushes once; the merged calls are exact;
#  - per-host presence (first/last seen, calls per host), parameters and
#    types, credentials, data classes, risk;
#  - swctl apis (table, --json, --host/--authority/--data-class), api show,
#    sql/queries/, and apis export --openapi: valid OpenAPI 3.1 for an npm
#    validator (@seriousme/openapi-schema-validator, pinned, installed by
#    this test into $SW_NPM_CACHE, default build/npm) and its paths the
#    stored templates;
#  - a crafted path with quotes and control bytes (ESC, BEL) and invalid
#    UTF-8: stored as valid text, '?' in tables (no ESC reaches the
#    terminal), exact after JSON decoding, escaped in the OpenAPI file.
# SW_BREAK=export drops info.version from the exported document: the
# validator check fails. SW_BREAK=twice plays hB's scenario three times:
# the exact merged counts fail. SW_BREAK=quota lifts the authorities-per-host
# quota before the flood: the cap and refusal checks fail. SW_BREAK=fold
# folds incarnations again down to one: the kept-rows count fails.
source "$(dirname "$0")/lib.sh"
require_kernel
for b in sidewatch-correlator swctl sw-emit; do [ -x "$BUILD/$b" ] || die "build $BUILD/$b first (make)"; done
command -v npm >/dev/null && command -v node >/dev/null || die "needs node and npm (apt-get install nodejs npm)"

VALIDATOR=@seriousme/openapi-schema-validator@2.11.0
NPM=${SW_NPM_CACHE:-$BUILD/npm}
VCLI=$NPM/node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js
if ! grep -qs '"version": "2.11.0"' "$NPM/node_modules/@seriousme/openapi-schema-validator/package.json"; then
	mkdir -p "$NPM"
	timeout 300 npm install --no-audit --no-fund --silent --prefix "$NPM" "$VALIDATOR" >"$T/npm.log" 2>&1 ||
		{ tail -5 "$T/npm.log" >&2; die "npm install $VALIDATOR failed"; }
fi
[ -f "$VCLI" ] || die "validator not found at $VCLI"

net_host h 10.213.36.1
P=$(free_port_in h 14000 1000 5) || die "no free ports"
PGPORT=$((P + 1)) EVPORT=$((P + 2)) BLPORT=$((P + 3)) CMPORT=$((P + 4))
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
CORR=
start_pg "$PGPORT" h
on_exit kill_pid_in CORR
sql() { in_host h psql "$SIDEWATCH_PG" -X -At -v ON_ERROR_STOP=1 "$@"; }
swctl() { in_host h env SIDEWATCH_PG="$SIDEWATCH_PG" "$BUILD/swctl" "$@"; }
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
"$BUILD/swctl" keygen "$T/keys/collectors" hA >/dev/null
"$BUILD/swctl" keygen "$T/keys/collectors" hB >/dev/null
for h in hC hD; do "$BUILD/swctl" keygen "$T/keys/collectors" $h >/dev/null; done

ip netns exec "$NS_h" "$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:$EVPORT" \
	--blocks "tcp://127.0.0.1:$BLPORT" --keys "$T/keys/collectors" \
	--server-key "$T/keys/server.key" --sql "$ROOT/sql" --stats "$T/stats.json" \
	--metrics-listen "127.0.0.1:$CMPORT" >"$T/corr.log" 2>&1 &
CORR=$!
wait_for 30 grep -q '"db_up":true' "$T/stats.json" || { tail -5 "$T/corr.log" >&2; die "correlator did not come up"; }
sleep 1.5 # the block list and the detectors connect after the writers (1 s tick)

echo "-- first start on an empty database"
check "the correlator logged no missing relation" \
	bash -c "! grep -E 'does not exist|relation' '$T/corr.log'"
check "block list and detectors connected (blocklist_version in stats)" \
	grep -q '"blocklist_version":0' "$T/stats.json"

# N METHOD AUTHORITY PATH TEMPLATE QUERY STATUS LATENCY_US HEADER BODY [RESP]
LIST='{"customers":[{"id":1,"email":"ann@example.com","card":"4111111111111111"}]}'
JWT='eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiZXhwIjo5OTk5OTk5OTk5fQ.c2ln'
{
	printf '5\tGET\tapi.shop\t/customers\t/customers\tpage=2\t200\t800\t-\t-\t%s\n' "$LIST"
	printf '3\tPOST\tapi.shop\t/customers\t/customers\t-\t201\t3000\tcontent-type: application/json\t{"name":"Ann","email":"ann@example.com","card":"4111111111111111"}\n'
	printf '4\tGET\tapi.shop\t/users/17\t/users/{id}\t-\t200\t500\tauthorization: Bearer %s\t-\n' "$JWT"
	printf '2\tGET\tapi.shop\t/x"%s\\x1b[31m\\x07\t/x"%s\\x1b[31m\\x07\t-\t404\t100\t-\t-\n' "'" "'"
} >"$T/hA.tsv"
{
	printf '5\tGET\tapi.shop\t/customers\t/customers\tpage=9\t200\t900\t-\t-\t%s\n' "$LIST"
	printf '1\tGET\tapi.other\t/health\t/health\t-\t200\t50\t-\t-\n'
	printf '1\tGET\tapi.other\t/bad\\xff\\xfe\t/bad\\xff\\xfe\t-\t200\t50\t-\t-\n'
} >"$T/hB.tsv"

emit() { # emit HOST PASSES
	in_host h "$BUILD/sw-emit" --host "$1" --count 0 --spool "$T/spool-$1" \
		--connect "tcp://127.0.0.1:$EVPORT" --key "$T/keys/collectors/$1.key" \
		--server-key "$T/keys/server.pub" --inventory "$T/$1.tsv" --passes "$2" \
		--timeout 30 >>"$T/emit.log" 2>&1
}
echo "-- hA pushes twice (one incarnation), starts again; hB pushes once"
check "hA, first run, all acked" emit hA 2
sleep 0.01
check "hA, second run (a restart), all acked" emit hA 1
check "hB, all acked" emit hB "$([ "${SW_BREAK:-}" = twice ] && echo 3 || echo 1)"
grep 'endpoint summaries' "$T/emit.log" | sed 's/^/   /'

ep() { sql -c "SELECT $2 FROM api_endpoints WHERE method || ' ' || authority || template = '$1'"; }
expect_eq "GET /customers: 10 (hA run 1, two pushes) + 5 (hA run 2) + 5 (hB)" "$(ep 'GET api.shop/customers' calls)" 20
expect_eq "POST /customers: 6 + 3" "$(ep 'POST api.shop/customers' calls)" 9
expect_eq "/users/{id} with its JWT" "$(ep 'GET api.shop/users/{id}' "calls || ' ' || array_to_string(auth_kinds, ',')")" "12 jwt"
expect_eq "status classes of GET /customers" "$(ep 'GET api.shop/customers' status)" "{0,0,20,0,0,0}"
expect_eq "p50 / p99 of POST /customers (3 ms: the 4095 µs bucket)" "$(ep 'POST api.shop/customers' "p50_us || '/' || p99_us")" "4095/4095"
expect_eq "2xx without credentials, share" "$(ep 'POST api.shop/customers' "ok_no_auth || ' ' || ok_no_auth_share")" "9 1"
expect_eq "incarnations kept for GET /customers (hA twice, hB once)" \
	"$(sql -c "SELECT string_agg(host, ',' ORDER BY host, gen_us) FROM api_endpoint_gens g JOIN api_endpoints a ON a.id = g.endpoint_id WHERE a.method = 'GET' AND a.template = '/customers'")" "hA,hA,hB"
expect_eq "per-host calls of GET /customers" \
	"$(sql -c "SELECT string_agg(h.host || '=' || h.calls, ',' ORDER BY h.host) FROM api_endpoint_hosts h JOIN api_endpoints a ON a.id = h.endpoint_id WHERE a.method = 'GET' AND a.template = '/customers'")" "hA=15,hB=5"
expect_eq "hA served GET /customers first" \
	"$(sql -c "SELECT bool_and(a.first_seen = ha.first_seen AND ha.first_seen < hb.first_seen AND ha.last_seen < hb.last_seen) FROM api_endpoints a JOIN api_endpoint_hosts ha ON ha.endpoint_id = a.id AND ha.host = 'hA' JOIN api_endpoint_hosts hb ON hb.endpoint_id = a.id AND hb.host = 'hB' WHERE a.method = 'GET' AND a.template = '/customers'")" t
expect_eq "POST /customers only on hA" \
	"$(sql -c "SELECT string_agg(host, ',') FROM api_endpoint_hosts h JOIN api_endpoints a ON a.id = h.endpoint_id WHERE a.method = 'POST'")" hA
expect_eq "parameters of POST /customers (types as PARAM_T_* bits)" \
	"$(sql -c "SELECT string_agg(p.location || ':' || p.name || ':' || p.types || ':' || p.seen, ' ' ORDER BY p.name) FROM api_params p JOIN api_endpoints a ON a.id = p.endpoint_id WHERE a.method = 'POST'")" \
	'json:$.card:64:9 json:$.email:16:9 json:$.name:64:9'
expect_eq "query parameter page, integer, in all 20 calls" \
	"$(sql -c "SELECT p.types || ':' || p.seen FROM api_params p JOIN api_endpoints a ON a.id = p.endpoint_id WHERE a.method = 'GET' AND a.template = '/customers' AND p.name = 'page'")" "1:20"
expect_eq "data classes of POST /customers" \
	"$(sql -c "SELECT string_agg(class || '=' || count, ',' ORDER BY class) FROM api_data_classes d JOIN api_endpoints a ON a.id = d.endpoint_id WHERE a.method = 'POST' AND d.path = '*'")" "card=9,email=9"
expect_eq "where they sat in POST /customers requests" \
	"$(sql -c "SELECT string_agg(direction || ':' || path || '=' || count, ',' ORDER BY path) FROM api_data_classes d JOIN api_endpoints a ON a.id = d.endpoint_id WHERE a.method = 'POST' AND d.path <> '*'")" 'request:$.card=9,request:$.email=9'
expect_eq "data classes GET /customers returned (20 calls, over 3 incarnations)" \
	"$(sql -c "SELECT string_agg(direction || ':' || class || ':' || path || '=' || count, ',' ORDER BY class, path) FROM api_data_classes d JOIN api_endpoints a ON a.id = d.endpoint_id WHERE a.method = 'GET' AND a.template = '/customers'")" \
	'response:card:$.customers[].card=20,response:card:*=20,response:email:$.customers[].email=20,response:email:*=20'
expect_eq "GET /customers: 20 bodies read, all 20 without credentials, types" \
	"$(ep 'GET api.shop/customers' "resp_scans || ' ' || unauth_data || ' ' || bulk || ' ' || bulk_max || ' ' || array_to_string(resp_types, ',')")" "20 20 0 1 application/json"
expect_eq "the catalogue of data classes, from the correlator" \
	"$(sql -c "SELECT count(*) || ' ' || string_agg(class, ',' ORDER BY class) FILTER (WHERE NOT sensitive) FROM api_data_class_kinds")" "14 bearer,jwt"
expect_eq "the JWT's algorithm and exp" \
	"$(sql -c "SELECT array_to_string(jwt_algs, ',') || ' ' || jwt_exp || ' ' || jwt_no_exp FROM api_auth WHERE kind = 'jwt'")" "HS256 12 0"
expect_eq "the crafted path is stored byte for byte" \
	"$(sql -c "SELECT count(*) FROM api_endpoints WHERE template = E'/x\"''\\x1b[31m\\x07'")" 1
expect_eq "invalid UTF-8 is stored as U+FFFD" \
	"$(sql -c "SELECT count(*) FROM api_endpoints WHERE template = E'/bad\\uFFFD\\uFFFD'")" 1
expect_eq "summaries merged, none rejected" \
	"$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['api_merged'] > 0, d['api_rejected'])" "$T/stats.json")" "True 0"

echo "-- swctl apis"
swctl apis >"$T/apis.txt"
sed 's/^/   /' "$T/apis.txt" | tr -d '\033\007'
check "no ESC or BEL reaches the terminal" bash -c "! grep -q \$'[\\x1b\\x07]' '$T/apis.txt'"
check "the crafted path shows with '?'" grep -qF "GET api.shop/x\"'?[31m?" "$T/apis.txt"
check "POST /customers: hA, none, card+email taken (not returned): medium" \
	grep -qE "POST api.shop/customers +http1 +hA +[0-9.]+ +none +card,email +medium" "$T/apis.txt"
check "GET /customers returns them without credentials: high" \
	grep -qE "GET api.shop/customers +http1 +hA,hB +[0-9.]+ +none +card,email +high" "$T/apis.txt"
check "GET /customers on both hosts" grep -qE "GET api.shop/customers +http1 +hA,hB " "$T/apis.txt"
swctl apis --json >"$T/apis.json"
expect_eq "--json: one object per endpoint, exact strings after decoding" "$(python3 - "$T/apis.json" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["method"], r["authority"], r["template"]): r for r in rows}
ok = (len(rows) == 6
      and by[("GET", "api.shop", "/x\"'\x1b[31m\x07")]["calls"] == 6
      and by[("POST", "api.shop", "/customers")]["data_classes"] == ["card", "email"]
      and by[("POST", "api.shop", "/customers")]["risk"] == "medium"
      and by[("GET", "api.shop", "/customers")]["risk"] == "high"
      and by[("GET", "api.shop", "/customers")]["data_classes"] == ["card", "email"]
      and by[("GET", "api.shop", "/customers")]["hosts"] == ["hA", "hB"]
      and by[("GET", "api.other", "/bad\ufffd\ufffd")]["hosts"] == ["hB"])
print(ok)
EOF
)" True
check "--json has no raw control byte" bash -c "! grep -q \$'[\\x01-\\x1f]' '$T/apis.json'"
expect_eq "--host hB" "$(swctl apis --json --host hB | wc -l)" 3
expect_eq "--authority api.other" "$(swctl apis --json --authority api.other | wc -l)" 2
expect_eq "--data-class card" "$(swctl apis --json --data-class card | python3 -c 'import json,sys; print(sorted(json.loads(l)["method"] + json.loads(l)["template"] for l in sys.stdin))')" "['GET/customers', 'POST/customers']"

echo "-- swctl api show"
ID=$(ep 'GET api.shop/customers' id)
swctl api show "$ID" >"$T/show.txt"
sed 's/^/   /' "$T/show.txt"
check "api show: per-host calls" bash -c "grep -qE '^host +hA .* 15$' '$T/show.txt' && grep -qE '^host +hB .* 5$' '$T/show.txt'"
check "api show: page is an integer seen 20 times" grep -qE '^query +page +integer +20 ' "$T/show.txt"
check "api show: no credentials on its 2xx" grep -qE '^auth +none +20 ' "$T/show.txt"
expect_eq "api show --json: records" \
	"$(swctl api show "$ID" --json | python3 -c 'import json,sys; print(" ".join(sorted(set(json.loads(l)["record"] for l in sys.stdin))))')" \
	"auth data endpoint host param"
check "api show of an unknown id fails" bash -c "! env SIDEWATCH_PG='$SIDEWATCH_PG' ip netns exec '$NS_h' '$BUILD/swctl' api show 999999 2>/dev/null"

echo "-- sql/queries"
expect_eq "cards returned without auth" "$(sql -f "$ROOT/sql/queries/api_cards_without_auth.sql" | cut -d'|' -f2)" "GET api.shop/customers"
expect_eq "new endpoints in 24 h" "$(sql -f "$ROOT/sql/queries/api_new_endpoints.sql" | wc -l)" 6
expect_eq "endpoints of host hB" "$(sql -v host=hB -f "$ROOT/sql/queries/api_endpoints_by_host.sql" | wc -l)" 3

echo "-- swctl apis export --openapi"
swctl apis export --openapi --authority api.shop >"$T/shop.json"
swctl apis export --openapi >"$T/all.json"
if [ "${SW_BREAK:-}" = export ]; then
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); del d['info']['version']; json.dump(d, open(sys.argv[1], 'w'))" "$T/shop.json"
fi
for f in shop all; do
	check "$f.json is valid OpenAPI 3.1 ($VALIDATOR)" \
		bash -c "node '$VCLI' '$T/$f.json' >'$T/$f.valid' 2>&1 || { cat '$T/$f.valid' >&2; false; }"
done
expect_eq "its paths are the stored templates of api.shop" "$(python3 - "$T/shop.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(sorted(d["paths"]) == sorted(["/customers", "/users/{id}", "/x\"'\x1b[31m\x07"])
      and d["servers"] == [{"url": "//api.shop"}]
      and d["paths"]["/customers"]["post"]["x-sidewatch-calls"] == 9
      and d["paths"]["/customers"]["post"]["x-sidewatch-data-classes"] == {"card": 9, "email": 9}
      and d["paths"]["/customers"]["get"]["x-sidewatch-response-data-classes"] == {"card": 20, "email": 20}
      and {"in": "response", "class": "card", "path": "$.customers[].card", "count": 20}
          in d["paths"]["/customers"]["get"]["x-sidewatch-data-paths"]
      and d["paths"]["/customers"]["get"]["responses"]["2XX"]["content"] == {"application/json": {}}
      and d["paths"]["/users/{id}"]["get"]["security"] == [{"bearerJWT": []}]
      and d["paths"]["/users/{id}"]["get"]["parameters"][0]["schema"] == {"type": "integer"})
EOF
)" True
check "the OpenAPI file has no raw control byte" bash -c "! grep -q \$'[\\x01-\\x1f]' '$T/shop.json'"
check "the crafted path is escaped in it" grep -qF '"/x\"'"'"'\u001b[31m\u0007"' "$T/shop.json"
echo "-- quotas, folding, retention (sql/005_inventory_quota.sql)"
sql -c "UPDATE api_inventory_limits SET authorities_per_host = 50, params_per_endpoint = 2, gens_per_host = 2" >/dev/null
[ "${SW_BREAK:-}" = quota ] && sql -c "UPDATE api_inventory_limits SET authorities_per_host = 100000" >/dev/null
for i in $(seq 1 2000); do printf '1\tGET\tr%s-%s.example\t/p\t/p\t-\t200\t10\t-\t-\n' "$i" "$RANDOM"; done >"$T/hC.tsv"
t0=$(date +%s.%N)
check "hC pushes 2000 random authorities, all acked" emit hC 1
echo "   2000 summaries pushed and merged in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
expect_eq "hC holds 50 authorities (the quota)" \
	"$(sql -c "SELECT count(DISTINCT a.authority) FROM api_endpoints a JOIN api_endpoint_hosts h ON h.endpoint_id = a.id WHERE h.host = 'hC'")" 50
expect_eq "the 1950 others refused and counted" \
	"$(sql -c "SELECT reason || '=' || count FROM api_inventory_refusals WHERE host = 'hC'")" "authorities_per_host=1950"
expect_eq "the quota counters agree with the tables" \
	"$(sql -c "SELECT authorities || ' ' || endpoints FROM api_host_counts WHERE host = 'hC'")" "50 50"
printf '1\tGET\tapi.shop\t/orders\t/orders\ta=1&b=2&c=3&d=4\t200\t10\t-\t-\n' >"$T/hA.tsv"
check "hA pushes a genuine endpoint afterwards" emit hA 1
expect_eq "it lands, with 2 of its 4 parameters (the quota)" \
	"$(sql -c "SELECT a.calls || ' ' || string_agg(p.name, ',' ORDER BY p.name) FROM api_endpoints a JOIN api_params p ON p.endpoint_id = a.id WHERE a.template = '/orders' GROUP BY a.calls")" "1 a,b"
expect_eq "the 2 others refused and counted" \
	"$(sql -c "SELECT count FROM api_inventory_refusals WHERE host = 'hA' AND reason = 'params_per_endpoint'")" 2
printf '2\tGET\tapi.fold\t/f\t/f\t-\t200\t10\t-\t-\n' >"$T/hD.tsv"
for i in 1 2 3 4 5; do emit hD 1 || true; sleep 0.01; done
[ "${SW_BREAK:-}" = fold ] && sql -c "SELECT sw_api_fold(id, 'hD', 1), sw_api_fold(id, 'hD', 1) FROM api_endpoints WHERE authority = 'api.fold'" >/dev/null
expect_eq "5 incarnations of hD: 2 kept + 1 folded row, calls exact" \
	"$(sql -c "SELECT count(*) || ' ' || sum(g.calls) || ' ' || max(a.calls) FROM api_endpoint_gens g JOIN api_endpoints a ON a.id = g.endpoint_id WHERE a.authority = 'api.fold'")" "3 10 10"
GEN=$(sql -c "SELECT upto FROM api_endpoint_folds f JOIN api_endpoints a ON a.id = f.endpoint_id WHERE a.authority = 'api.fold' AND f.host = 'hD'")
expect_eq "a summary of a folded incarnation is refused" \
	"$(sql -c "SELECT sw_api_merge_q('hD', $GEN, 'api.fold', 'GET', '/f', 'http1', now(), now(), 99, '{}', '{}', '{}', '{}', '{}', '{}', 0, 0, '{}', 0, 0, 0, 0, 0, '{}', '{}', '{}', 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}') IS NULL")|$(sql -c "SELECT calls FROM api_endpoints WHERE authority = 'api.fold'")" "t|10"
for i in $(seq 1 26); do printf '1\tGET\tapi.evict\t/e%s\t/e%s\t-\t200\t10\t-\t-\n' "$i" "$i"; done >"$T/hE.tsv"
"$BUILD/swctl" keygen "$T/keys/collectors" hE >/dev/null
printf '1\tGET\tapi.bidi\t/a\xe2\x80\xaeb\xe2\x81\xa6c\t/a\xe2\x80\xaeb\xe2\x81\xa6c\t-\t200\t10\t-\t-\n' >"$T/hA.tsv"
emit hA 1 || true
swctl apis --authority api.bidi >"$T/bidi.txt"
[ "${SW_BREAK:-}" = bidi ] && printf '\xe2\x80\xae\n' >>"$T/bidi.txt"
check "a path with bidi controls (U+202E, U+2066) shows them as '?'" \
	bash -c "grep -qF 'GET api.bidi/a?b?c' '$T/bidi.txt' && ! grep -q \$'\\xe2\\x80\\xae\\|\\xe2\\x81\\xa6' '$T/bidi.txt'"
export SW_EMIT_INV_MAX=16
check "hE, a 16-entry table, learns 26 endpoints and pushes once" emit hE 1
unset SW_EMIT_INV_MAX
expect_eq "all 26 stored: the 10 evicted before the push went with it" \
	"$(sql -c "SELECT count(*) || ' ' || sum(calls) FROM api_endpoints WHERE authority = 'api.evict'")" "26 26"
sql -c "UPDATE api_endpoints SET last_seen = now() - interval '40 days' WHERE authority = 'api.fold' OR id = (SELECT min(endpoint_id) FROM api_endpoint_hosts WHERE host = 'hC')" >/dev/null
expect_eq "retention deletes the 2 endpoints unseen for 30 days" "$(sql -c "SELECT sw_api_retain(1000)")" 2
expect_eq "and the counters follow" \
	"$(sql -c "SELECT (SELECT authorities FROM api_host_counts WHERE host = 'hC') || ' ' || (SELECT count(*) FROM api_host_counts WHERE host = 'hD')")" "49 0"
finish
