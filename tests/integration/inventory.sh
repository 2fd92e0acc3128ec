#!/usr/bin/env bash
# inventory: the collector's API inventory (collector/apis.c) learned from
# real peers, and what it serves and reports.
#
# Host srv runs a small JSON API (inventory_api.py: customers with emails
# and test card numbers, an unauthenticated old version /v1 beside a
# JWT-protected /v2, a JWT route that also takes alg "none", one that takes
# JWTs without exp, a key in the URL, Basic over plain HTTP) and a gRPC
# service (grpc_peer.py, python3-grpcio) on its loopback; host cli calls the
# API with curl. The collector watches srv's namespace with a learning
# period of LEARN seconds. Checked:
#   1. /inventory.json lists exactly the endpoints called (authority,
#      method, template, protocol), with the parameter types, auth kinds,
#      request data classes, and the data classes its responses returned
#      (exact counts, JSON paths, bulk facts) each must have;
#   2. each posture finding fires once (one JSON line on stdout, with its
#      OWASP API Top 10 2023 category) on the endpoint built for it, none
#      fires on the others, none on the benign pass (tests/data/benign.txt
#      sent to the authenticated /v2/search), and a later tick repeats none;
#      new_endpoint fires for the endpoint first called after LEARN;
#   3. /openapi.json passes @seriousme/openapi-schema-validator (npm,
#      pinned, installed by this test into build/npm-inventory) and its
#      paths are exactly the inventory's templates; ?authority= narrows it;
#   4. the sidewatch_inventory_* metrics equal the inventory's counts;
#   5. bounded memory: a second collector with inventory_max_endpoints 64
#      under FLOOD distinct random paths: /items/NAME collapses into
#      /items/{var}, the table stays <= 64 entries, evictions are counted
#      (metrics = inventory.json), the collector's RSS grows less than 32 MiB,
#      all within FLOOD_S seconds.
# SW_BREAK=noinventory (inventory off: the pages 404, nothing learned),
# SW_BREAK=jwtnone (the alg-none request not sent: jwt_alg_none never
# fires), SW_BREAK=badspec (a path removed from the OpenAPI document before
# validation: the round trip fails), SW_BREAK=nobulk (the page of 25
# customers asks for 9: bulk_data_exposure never fires) and SW_BREAK=bigmax (the flood collector
# keeps 4096 endpoints: the bound check fails) make checks fail.
#   6. the flood collector sets inventory_token: its pages answer 401
#      without it or with a wrong one, 200 with it, /metrics stays open; a
#      client polling /inventory.json as fast as it can during the flood is
#      served copies, the document built at most once a second
#      (inventory_page_s 1), and the flood's events are all learned.
source "$(dirname "$0")/lib.sh"
require_kernel

LEARN=25
FLOOD=${FLOOD:-20000}
FLOOD_S=240
SECRET=inventory-test-secret
VALIDATOR=@seriousme/openapi-schema-validator@2.11.0
NPMDIR=$BUILD/npm-inventory
PY=/usr/bin/python3
CLIENT="$ROOT/tests/integration/inventory_client.py"

echo "-- the validator: $VALIDATOR from npm"
if [ ! -x "$NPMDIR/node_modules/.bin/validate-api" ]; then
	mkdir -p "$NPMDIR"
	timeout 180 npm install --no-audit --no-fund --prefix "$NPMDIR" "$VALIDATOR" >"$T/npm.log" 2>&1 ||
		{ cat "$T/npm.log" >&2; die "npm install $VALIDATOR failed"; }
fi
$PY -c 'import grpc' || die "python3-grpcio missing (tools/deps.sh installs it)"

net_host srv 10.213.41.1
net_host cli 10.213.41.2
API=10.213.41.1:8080
GPORT=$(free_port_in srv 12000 1000) || die "no free port"
MPORT=$(free_port_in srv 13000 1000) || die "no free port"
bg api ip netns exec "$NS_srv" $PY "$ROOT/tests/integration/inventory_api.py" 10.213.41.1 8080 "$SECRET"
bg grpcsrv ip netns exec "$NS_srv" $PY "$ROOT/tests/integration/grpc_peer.py" server "$GPORT"
wait_for 10 grep -q serving "$T/api.out" || die "the API did not start"
wait_for 10 grep -q serving "$T/grpcsrv.out" || die "the gRPC server did not start"

# the fleet: PostgreSQL and the correlator on srv's loopback; the
# collector's inventory goes up its uplink (CURVE)
P=$(free_port_in srv 14000 1000 4) || die "no free ports"
PGPORT=$((P + 1)) EVPORT=$((P + 2)) BLPORT=$((P + 3))
export SIDEWATCH_PG=postgresql://postgres@127.0.0.1:$PGPORT/sidewatch
CORR=
start_pg "$PGPORT" srv
on_exit kill_pid_in CORR
mkdir -p "$T/keys/collectors"
"$BUILD/swctl" keygen "$T/keys" server >/dev/null
"$BUILD/swctl" keygen "$T/keys/collectors" col >/dev/null
ip netns exec "$NS_srv" "$BUILD/sidewatch-correlator" --listen "tcp://127.0.0.1:$EVPORT" \
	--blocks "tcp://127.0.0.1:$BLPORT" --keys "$T/keys/collectors" \
	--server-key "$T/keys/server.key" --sql "$ROOT/sql" --stats "$T/stats.json" \
	--metrics-listen off >"$T/corr.log" 2>&1 &
CORR=$!
wait_for 30 grep -q '"db_up":true' "$T/stats.json" || { tail -5 "$T/corr.log" >&2; die "correlator did not come up"; }

INV_ON=on
[ "${SW_BREAK:-}" = noinventory ] && INV_ON=off
bg col env SIDEWATCH_INVENTORY=$INV_ON SIDEWATCH_INVENTORY_LEARNING_S=$LEARN \
	ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --no-tls \
	--metrics-listen "127.0.0.1:$MPORT" --correlator "tcp://127.0.0.1:$EVPORT" \
	--key "$T/keys/collectors/col.key" --server-key "$T/keys/server.pub" \
	--spool "$T/spool-col"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
T0=$(date +%s)

TOK=$($PY "$CLIENT" token "$SECRET")
TOK_NOEXP=$($PY "$CLIENT" token "$SECRET" noexp)
TOK_NONE=$($PY "$CLIENT" token "$SECRET" none)
c() { in_host cli curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "$@"; }
J='Content-Type: application/json'

echo "-- the scenario (curl from cli, gRPC on srv's loopback)"
codes=$(
	for i in 1 2 3 4 5; do
		c "http://$API/health"
		c "http://$API/v1/customers?limit=$i"
		c -H "$J" -d "{\"name\":\"n$i\",\"email\":\"u$i@example.com\",\"card\":\"4111111111111111\",\"age\":3$i,\"vip\":true}" "http://$API/v1/customers"
		c -H "Authorization: Bearer $TOK" "http://$API/v2/customers?limit=$i"
		c -H "Authorization: Bearer $TOK" "http://$API/v2/customers/$((1000 + i))"
		c -H "Authorization: Bearer $TOK" -H "$J" -d "{\"customer_id\":$i,\"amount\":1$i.5,\"express\":false,\"placed\":\"2026-12-04T10:0$i:00Z\",\"items\":[{\"sku\":\"s$i\",\"qty\":$i}]}" "http://$API/v2/orders"
		c -H "Authorization: Bearer $TOK" "http://$API/v2/reports"
		c "http://$API/v2/reports"
		c "http://$API/v1/status?api_key=k3y-$i-9f8e7d6c5b4a"
		c -u "legacy:pw$i" "http://$API/v1/legacy"
	done
	[ "${SW_BREAK:-}" = jwtnone ] || c -H "Authorization: Bearer $TOK_NONE" "http://$API/v2/customers/1006"
	# one page of 25 customers: a bulk of emails and cards in one answer
	c -H "Authorization: Bearer $TOK" "http://$API/v2/customers?limit=$([ "${SW_BREAK:-}" = nobulk ] && echo 9 || echo 25)"
	c -H "Authorization: Bearer $TOK_NOEXP" -H "$J" -d '{"customer_id":6,"amount":2.5,"express":true,"placed":"2026-12-04T11:00:00Z","items":[]}' "http://$API/v2/orders"
)
expect_eq "the API's answers (2xx) to the scenario" "$(echo "$codes" | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "200:42 201:11 "
in_host srv $PY "$ROOT/tests/integration/grpc_peer.py" client "$GPORT" >"$T/grpc.jsonl" || die "gRPC client failed"
expect_eq "gRPC calls made" "$(wc -l <"$T/grpc.jsonl")" 9

echo "-- the benign pass: tests/data/benign.txt to the authenticated /v2/search"
NB=$(wc -l <"$ROOT/tests/data/benign.txt")
GOT=$(in_host cli $PY "$CLIENT" benign 10.213.41.1 8080 "$TOK" "$ROOT/tests/data/benign.txt")
expect_eq "benign values answered 200" "$GOT" "$NB"

NOW=$(date +%s)
[ $((NOW - T0)) -lt $LEARN ] || die "the learning period ($LEARN s) was over before the known traffic ended ($((NOW - T0)) s)"
echo "   known traffic took $((NOW - T0)) s; waiting out the learning period"
sleep $((LEARN - (NOW - T0) + 1))
for i in 1 2 3; do c -H "Authorization: Bearer $TOK" "http://$API/v2/internal/export" >/dev/null; done
sleep 5  # two inventory ticks
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/inventory.json" -o "$T/inv.json" || true
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/openapi.json" -o "$T/openapi.json" || true
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/openapi.json?authority=10.213.41.1%3A8080" -o "$T/openapi-api.json" || true
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom" || true
sleep 4  # two more ticks: nothing may be reported again
stop_collector col
check "GET /inventory.json answered" test -s "$T/inv.json"
check "GET /openapi.json answered" test -s "$T/openapi.json"

echo "-- 1. the endpoints, their parameters, auth and data classes"
$PY - "$T/inv.json" "$GPORT" >"$T/inv-check.txt" 2>&1 <<'PY' || true
import json, sys
inv = json.load(open(sys.argv[1]))
g = "127.0.0.1:%s" % sys.argv[2]
A = "10.213.41.1:8080"
want = {
    (A, "GET", "/health", "http1"), (A, "GET", "/v1/customers", "http1"),
    (A, "POST", "/v1/customers", "http1"), (A, "GET", "/v2/customers", "http1"),
    (A, "GET", "/v2/customers/{id}", "http1"), (A, "POST", "/v2/orders", "http1"),
    (A, "GET", "/v2/reports", "http1"), (A, "GET", "/v1/status", "http1"),
    (A, "GET", "/v1/legacy", "http1"), (A, "POST", "/v2/search", "http1"),
    (A, "GET", "/v2/internal/export", "http1"),
}
for rpc in ("Unary", "ServerStream", "ClientStream", "Bidi", "Fail"):
    want.add((g, "POST", "/demo.Echo/" + rpc, "grpc"))
got = {(e["authority"], e["method"], e["template"], e["proto"]) for e in inv["items"]}
print("endpoints", "exact" if got == want else "missing %s extra %s" % (sorted(want - got), sorted(got - want)))
by = {(e["method"], e["template"]): e for e in inv["items"]}
def ptype(m, t, name):
    e = by.get((m, t))
    for p in (e or {}).get("params", []):
        if p["name"] == name:
            return "%s:%s%s" % (p["in"], p["type"], "/" + p["format"] if p["format"] else "")
    return "absent"
for m, t, n in (("GET", "/v1/customers", "limit"), ("POST", "/v1/customers", "$.email"),
                ("POST", "/v1/customers", "$.age"), ("POST", "/v1/customers", "$.vip"),
                ("POST", "/v1/customers", "$.name"), ("GET", "/v2/customers/{id}", "id"),
                ("POST", "/v2/orders", "$.amount"), ("POST", "/v2/orders", "$.placed"),
                ("POST", "/v2/orders", "$.items[].qty"), ("POST", "/v2/orders", "$.items"),
                ("POST", "/v2/search", "$.q")):
    print("param %s %s %s %s" % (m, t, n, ptype(m, t, n)))
for m, t in sorted(by):
    e = by[(m, t)]
    print("auth %s %s %s" % (m, t, ",".join(sorted(e["auth"]))))
for m, t in (("POST", "/v1/customers"), ("GET", "/v1/customers"), ("GET", "/v2/customers/{id}")):
    print("data %s %s %s" % (m, t, ",".join(sorted(by[(m, t)]["data_classes"])) or "-"))
for m, t in (("POST", "/v1/customers"), ("GET", "/v1/customers"), ("GET", "/v2/customers"),
             ("GET", "/v2/customers/{id}"), ("POST", "/v2/search")):
    e = by[(m, t)]
    print("rdata %s %s %s" % (m, t, ",".join("%s=%d" % kv for kv in sorted(e["response_data_classes"].items())) or "-"))
    print("rpaths %s %s %s" % (m, t, ",".join(sorted("%s:%s:%s" % (d["in"], d["class"], d["path"]) for d in e["data_paths"] if d["in"] == "response")) or "-"))
    print("rfacts %s %s %s/%s %s %s %s" % (m, t, e["responses_read"], e["calls"], ",".join(e["response_types"]),
          e["sensitive_2xx_no_credentials"], "%d:%d:%s" % (e["bulk"]["responses"], e["bulk"]["max_records"], e["bulk"]["class"])))
e = by[("GET", "/v2/customers/{id}")]
print("jwt algs %s" % ",".join(sorted(e["jwt"]["algs"])))
print("jwt claims %s %s" % (",".join(e["jwt"]["iss"]), ",".join(e["jwt"]["aud"])))
print("calls /v2/customers/{id} %d status2xx %d latency_p50>0 %s" % (
    e["calls"], e["status"].get("2xx", 0), e["latency_us"]["p50"] > 0))
PY
cat "$T/inv-check.txt" | sed 's/^/   /'
l() { grep -F -- "$1" "$T/inv-check.txt" | head -1 | cut -d' ' -f"$2"-; }
expect_eq "the endpoints are exactly those called" "$(l 'endpoints' 2)" "exact"
expect_eq "query limit on GET /v1/customers" "$(l 'param GET /v1/customers limit' 5)" "query:integer"
expect_eq "JSON email on POST /v1/customers" "$(l 'param POST /v1/customers $.email' 5)" "json:string/email"
expect_eq "JSON age on POST /v1/customers" "$(l 'param POST /v1/customers $.age' 5)" "json:integer"
expect_eq "JSON vip on POST /v1/customers" "$(l 'param POST /v1/customers $.vip' 5)" "json:boolean"
expect_eq "JSON name on POST /v1/customers" "$(l 'param POST /v1/customers $.name' 5)" "json:string"
expect_eq "path slot id on /v2/customers/{id}" "$(l 'param GET /v2/customers/{id} id' 5)" "path:integer"
expect_eq "JSON amount on POST /v2/orders" "$(l 'param POST /v2/orders $.amount' 5)" "json:number"
expect_eq "JSON placed on POST /v2/orders" "$(l 'param POST /v2/orders $.placed' 5)" "json:string/date-time"
expect_eq "JSON items[].qty on POST /v2/orders" "$(l 'param POST /v2/orders $.items[].qty' 5)" "json:integer"
expect_eq "JSON items on POST /v2/orders" "$(l 'param POST /v2/orders $.items ' 5)" "json:array"
expect_eq "auth on GET /v1/customers" "$(l 'auth GET /v1/customers' 4)" "none"
expect_eq "auth on GET /v2/customers/{id}" "$(l 'auth GET /v2/customers/{id}' 4)" "jwt"
expect_eq "auth on GET /v2/reports" "$(l 'auth GET /v2/reports' 4)" "jwt,none"
expect_eq "auth on GET /v1/status" "$(l 'auth GET /v1/status' 4)" "query_key"
expect_eq "auth on GET /v1/legacy" "$(l 'auth GET /v1/legacy' 4)" "basic"
expect_eq "auth on gRPC Unary" "$(l 'auth POST /demo.Echo/Unary' 4)" "none"
expect_eq "data classes in POST /v1/customers" "$(l 'data POST /v1/customers' 4)" "card,email"
expect_eq "no data classes in GET /v1/customers requests" "$(l 'data GET /v1/customers' 4)" "-"
# 1+2+3+4+5 customers over the five calls of each
expect_eq "GET /v1/customers returned 15 emails and 15 cards" "$(l 'rdata GET /v1/customers' 4)" "card=15,email=15"
expect_eq "... at their JSON paths" "$(l 'rpaths GET /v1/customers' 4)" 'response:card:$.customers[].card,response:email:$.customers[].email'
expect_eq "... every body read, JSON, all five answered without credentials, no bulk" "$(l 'rfacts GET /v1/customers' 4)" "5/5 application/json 5 0:5:email"
expect_eq "GET /v2/customers: 15 + 25 of each, one bulk of 25" "$(l 'rdata GET /v2/customers ' 4)" "card=40,email=40"
expect_eq "... behind a JWT: none without credentials" "$(l 'rfacts GET /v2/customers ' 4)" "6/6 application/json 0 1:25:email"
expect_eq "the sign-up returns no data class" "$(l 'rdata POST /v1/customers' 4)" "-"
expect_eq "the search (benign pass included) returns none" "$(l 'rdata POST /v2/search' 4)" "-"
expect_eq "JWT algorithms on /v2/customers/{id}" "$(l 'jwt algs' 3)" HS256,none
expect_eq "JWT issuer and audience on /v2/customers/{id}" "$(l 'jwt claims' 3)" "inventory-test api"

echo "-- 1b. the same inventory fleet-wide: collector uplink -> correlator -> PostgreSQL -> swctl"
swctl_in() { in_host srv env SIDEWATCH_PG="$SIDEWATCH_PG" "$BUILD/swctl" "$@"; }
NINV=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$T/inv.json" 2>/dev/null || echo 0)
wait_for 30 bash -c "[ \"\$(env SIDEWATCH_PG='$SIDEWATCH_PG' ip netns exec '$NS_srv' '$BUILD/swctl' apis --json --host col 2>/dev/null | wc -l)\" -ge $NINV ]" || true
swctl_in apis --host col >"$T/apis.txt" 2>&1 || true
sed 's/^/   /' "$T/apis.txt"
swctl_in apis --json --host col >"$T/apis.json" 2>/dev/null || true
FLEET=$($PY - "$T/inv.json" "$T/apis.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
want = {(e["authority"], e["method"], e["template"], e["proto"]) for e in inv["items"]}
got = {(r["authority"], r["method"], r["template"], r["protocol"]) for r in rows}
print("endpoints", "exact" if got == want and len(rows) == len(want) else
      "missing %s extra %s" % (sorted(want - got), sorted(got - want)))
by = {(r["method"], r["template"]): r for r in rows}
for m, t in (("GET", "/v1/customers"), ("POST", "/v1/customers"), ("GET", "/v2/customers"),
             ("GET", "/v2/reports"), ("POST", "/v2/search")):
    r = by.get((m, t), {})
    print("fleet %s %s %s %s" % (m, t, ",".join(r.get("data_classes") or []) or "-", r.get("risk")))
PY
)
echo "$FLEET" | sed 's/^/   /'
f() { grep -F -- "$1" <<<"$FLEET" | head -1 | cut -d' ' -f"$2"-; }
expect_eq "swctl apis lists exactly the collector's endpoints" "$(f endpoints 2)" exact
expect_eq "GET /v1/customers: returns cards and emails without credentials, high" "$(f 'fleet GET /v1/customers' 4)" "card,email high"
expect_eq "POST /v1/customers: takes them (a sign-up), medium" "$(f 'fleet POST /v1/customers' 4)" "card,email medium"
expect_eq "GET /v2/customers: a bulk of 25 behind a JWT, high" "$(f 'fleet GET /v2/customers ' 4)" "card,email high"
# the benign corpus holds addresses and tokens in what it sends: request
# classes grade medium at most; only what an endpoint returns grades high
check "POST /v2/search (the benign pass, answered with no data) is not high" \
	bash -c '[ -n "$1" ] && [ "${1##* }" != high ]' _ "$(f 'fleet POST /v2/search' 4)"
expect_eq "where GET /v1/customers' cards sat, fleet-wide" \
	"$(in_host srv psql "$SIDEWATCH_PG" -X -At -c "SELECT d.direction || ':' || d.path || '=' || d.count FROM api_data_classes d JOIN api_endpoints a ON a.id = d.endpoint_id WHERE a.method = 'GET' AND a.template = '/v1/customers' AND d.class = 'card' ORDER BY d.path")" \
	"$(printf 'response:$.customers[].card=15\nresponse:*=15')"
expect_eq "JWT issuer and audience of GET /v2/customers/{id}, fleet-wide" \
	"$(in_host srv psql "$SIDEWATCH_PG" -X -At -c "SELECT jwt_issuers::text || ' ' || jwt_audiences::text FROM api_endpoints WHERE method = 'GET' AND template = '/v2/customers/{id}'")" \
	"{inventory-test} {api}"
expect_eq "cards returned without credentials (sql/queries)" \
	"$(in_host srv psql "$SIDEWATCH_PG" -X -At -f "$ROOT/sql/queries/api_cards_without_auth.sql" | cut -d'|' -f2)" \
	"GET 10.213.41.1:8080/v1/customers"
kill_pid_in CORR

echo "-- 2. posture findings, each once"
grep '"kind":"finding"' "$T/col.out" >"$T/findings.jsonl" || true
FOUND=$($PY - "$T/findings.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join(sorted("%s:%s%s" % (r["method"], r["template"], "=" + r["finding"]) for r in rows)))
PY
)
WANT="GET:/v1/customers=zombie_api_version GET:/v1/legacy=basic_auth_cleartext GET:/v1/status=credentials_in_url"
WANT="$WANT GET:/v2/customers/{id}=jwt_alg_none GET:/v1/customers=unauthenticated_sensitive_data"
WANT="$WANT GET:/v2/customers=bulk_data_exposure"
WANT="$WANT GET:/v2/internal/export=new_endpoint GET:/v2/reports=mixed_authentication POST:/v2/orders=jwt_without_exp"
WANT=$(echo $WANT | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "the findings, each once, on the endpoints built for them (none on the benign pass)" "$FOUND" "$WANT"
OWASP=$($PY - "$T/findings.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(",".join(sorted({r["finding"] + "=" + r["owasp"].split(":")[0] for r in rows})))
PY
)
echo "   $OWASP"
check "zombie and new endpoint are API9, credentials in URL API8, alg none API2, bulk API3" \
	bash -c "grep -q 'zombie_api_version=API9' <<<'$OWASP' && grep -q 'new_endpoint=API9' <<<'$OWASP' && grep -q 'credentials_in_url=API8' <<<'$OWASP' && grep -q 'unauthenticated_sensitive_data=API2' <<<'$OWASP' && grep -q 'bulk_data_exposure=API3' <<<'$OWASP'"
check "every finding line carries a reason" bash -c "! grep -v '\"reason\":\"[a-z]' '$T/findings.jsonl' | grep -q ."

echo "-- 3. OpenAPI 3.1: an existing validator, and the paths round-trip"
if [ "${SW_BREAK:-}" = badspec ]; then
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d["paths"].pop("/health", None); json.dump(d, open(sys.argv[1], "w"))' "$T/openapi.json"
fi
check "the document declares openapi 3.1" grep -q '"openapi":"3.1' "$T/openapi.json"
(cd "$NPMDIR" && timeout 60 node_modules/.bin/validate-api "$T/openapi.json") >"$T/validate.out" 2>&1 || true
sed 's/^/   /' "$T/validate.out" | head -5
check "validate-api ($VALIDATOR) accepts /openapi.json" grep -q '"valid": *true' "$T/validate.out"
RT=$($PY - "$T/inv.json" "$T/openapi.json" "$T/openapi-api.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
sub = json.load(open(sys.argv[3]))
want = {}
for e in inv["items"]:
    want.setdefault(e["template"], set()).add(e["method"].lower())
got = {p: {m for m in v if m in ("get", "post", "put", "delete", "patch")} for p, v in doc["paths"].items()}
diff = sorted(p for p in set(got) | set(want) if got.get(p) != want.get(p))
print("roundtrip", "exact" if not diff else "differ %s" % diff)
http = {e["template"] for e in inv["items"] if e["authority"] == "10.213.41.1:8080"}
print("authority", "exact" if set(sub["paths"]) == http else "differ %s" % sorted(set(sub["paths"]) ^ http))
PY
)
echo "$RT" | sed 's/^/   /'
expect_eq "the OpenAPI paths and methods are the inventory's templates" "$(echo "$RT" | awk '$1 == "roundtrip" {print $2}')" exact
expect_eq "?authority= keeps that authority's paths only" "$(echo "$RT" | awk '$1 == "authority" {print $2}')" exact

echo "-- 4. metrics"
m() { awk -v k="$1" '$1 == k {print $2; f = 1} END {if (!f) print "absent"}' "$T/m.prom"; }
NEP=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["endpoints"], d["created"], d["evicted"])' "$T/inv.json" 2>/dev/null || echo "- - -")
expect_eq "sidewatch_inventory_endpoints = inventory.json's" "$(m sidewatch_inventory_endpoints)" "$(echo "$NEP" | cut -d' ' -f1)"
expect_eq "sidewatch_inventory_endpoints_created_total = inventory.json's" "$(m sidewatch_inventory_endpoints_created_total)" "$(echo "$NEP" | cut -d' ' -f2)"
expect_eq "sidewatch_inventory_evictions_total (none here)" "$(m sidewatch_inventory_evictions_total)" 0
expect_eq "findings counter for jwt_alg_none" "$(m 'sidewatch_inventory_findings_total{kind="jwt_alg_none"}')" 1

echo "-- 5. bounded memory under $FLOOD distinct random paths (max 64 endpoints)"
MAXE=64
[ "${SW_BREAK:-}" = bigmax ] && MAXE=4096
PTOK=page-token-$RANDOM$RANDOM
bg col2 env SIDEWATCH_INVENTORY_MAX_ENDPOINTS=$MAXE SIDEWATCH_INVENTORY_TOKEN=$PTOK \
	SIDEWATCH_INVENTORY_PAGE_S=1 \
	ip netns exec "$NS_srv" "$COLLECTOR" --name col2 --netns self --no-tls \
	--metrics-listen "127.0.0.1:$MPORT"
wait_for 30 grep -q '^ready$' "$T/col2.err" || { cat "$T/col2.err" >&2; die "collector 2 did not start"; }
mc() { in_host srv curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
echo "   (this collector's pages need a bearer token: inventory_token)"
expect_eq "/inventory.json without the token: 401" "$(mc "http://127.0.0.1:$MPORT/inventory.json")" 401
expect_eq "/openapi.json with a wrong token: 401" "$(mc -H "Authorization: Bearer ${PTOK}x" "http://127.0.0.1:$MPORT/openapi.json")" 401
expect_eq "/inventory.json with the token: 200" "$(mc -H "authorization: bearer $PTOK" "http://127.0.0.1:$MPORT/inventory.json")" 200
expect_eq "/metrics needs none: 200" "$(mc "http://127.0.0.1:$MPORT/metrics")" 200
RSS0=$(awk '/VmRSS/ {print $2}' /proc/$PID_col2/status)
# a client polling the page as fast as it can during the flood: each
# document is built at most once a second (inventory_page_s 1)
ip netns exec "$NS_srv" $PY - "$MPORT" "$PTOK" "$T/flood.done" >"$T/poller.out" 2>&1 <<'PY' &
import http.client, os, sys
port, tok, done = int(sys.argv[1]), sys.argv[2], sys.argv[3]
codes = {}
for i in range(200000):
    if os.path.exists(done):
        break
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/inventory.json", headers={"Authorization": "Bearer " + tok})
    r = c.getresponse()
    r.read()
    codes[r.status] = codes.get(r.status, 0) + 1
    c.close()
print(" ".join("%d:%d" % kv for kv in sorted(codes.items())))
PY
POLLER=$!
on_exit kill_pid_in POLLER
FT0=$(date +%s.%N)
FL=$(in_host cli $PY "$CLIENT" flood 10.213.41.1 8080 "$FLOOD" "$FLOOD_S")
FT1=$(date +%s.%N)
touch "$T/flood.done"
wait "$POLLER" 2>/dev/null || true
POLLER=
echo "   sent, seconds: $FL"
sleep 3
RSS1=$(awk '/VmRSS/ {print $2}' /proc/$PID_col2/status)
in_host srv curl -sf --max-time 10 -H "Authorization: Bearer $PTOK" "http://127.0.0.1:$MPORT/inventory.json" -o "$T/inv2.json" || true
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom" || true
stop_collector col2
m() { awk -v k="$1" '$1 == k {print $2; f = 1} END {if (!f) print "absent"}' "$T/m.prom"; }
PB=$(m 'sidewatch_inventory_pages_total{result="built"}')
PC=$(m 'sidewatch_inventory_pages_total{result="cached"}')
FSEC=$(awk -v a="$FT0" -v b="$FT1" 'BEGIN { printf "%d", b - a + 1 }')
echo "   pages during the flood of ${FSEC} s: built $PB, served from the cache $PC; the poller's answers: $(cat "$T/poller.out")"
check "the poller was served many times ($PC > 500)" test "${PC:-0}" -gt 500
check "built at most once a second ($PB <= $FSEC + 4)" test "${PB:-999999}" -le $((FSEC + 4))
expect_eq "all $FLOOD requests sent within $FLOOD_S s" "$(echo "$FL" | cut -d' ' -f1)" "$FLOOD"
F2=$($PY - "$T/inv2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = {e["template"] for e in d["items"]}
print(d["endpoints"], d["created"], d["evicted"], "/items/{var}" in t, len(d["items"]))
PY
)
echo "   endpoints created evicted items_collapsed listed: $F2; RSS ${RSS0} -> ${RSS1} KiB"
read -r E2 C2 V2 COLL L2 <<<"$F2"
check "the table holds at most 64 endpoints ($E2)" test "${E2:-999999}" -le 64
check "evictions counted ($V2 of $C2 created)" test "${V2:-0}" -gt 0
expect_eq "created = held + evicted" "$C2" "$((E2 + V2))"
expect_eq "the /items/NAME paths collapsed into /items/{var}" "$COLL" True
expect_eq "sidewatch_inventory_evictions_total = inventory.json's" "$(m sidewatch_inventory_evictions_total)" "$V2"
check "RSS grew less than 32 MiB ($(( (RSS1 - RSS0) / 1024 )) MiB)" test $((RSS1 - RSS0)) -lt 32768

finish
