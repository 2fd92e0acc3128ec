#!/usr/bin/env bash
# coded_body: compressed bodies are judged, not waved through (issues 20,
# 21). Host srv runs coded_body_app.py, an API that decompresses request
# bodies as a decompressing server hands them to the application and
# gzips its answers for clients that accept it; host cli sends with curl.
# The collector watches srv (enforce mode). Checked:
#   1. a gzip'd JSON SQL injection (curl --data-binary @x.gz -H
#      'Content-Encoding: gzip'), which the app reads, draws an sqli
#      verdict naming its path; so does a zlib "deflate" form body, and
#      the gzip'd SQLi sent over HTTP/2 (h2c) to nghttpd on srv;
#   2. gzip'd benign JSON (with quotes and SQL words) draws no verdict;
#   3. a br body (a valid brotli stream, proven by curl decoding the same
#      bytes) and a zstd one, which the app refuses but another server may
#      not, draw the evasion rule as an alert, naming the coding;
#   4. /inventory.json: the gzip'd export of 30 customers counts 30 emails
#      and 30 card numbers in its responses, none hidden by the coding;
#   5. the exit counters count the coded bodies by outcome.
# SW_BREAK=plainsqli sends check 1's payload gzip'd with a benign value
# instead (check 1 must fail); SW_BREAK=identity asks for the export
# without gzip (check 4's "coded" count must then be 0 and the classes
# the same: it still passes, showing the same numbers either way).
# SW_COLLECTOR=PATH runs another build's collector (an older one fails
# checks 1, 2, 3 and 4).
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
net_host srv 10.213.78.1
net_host cli 10.213.78.2
net_host cli2 10.213.78.3 # HTTP/2: a client of its own (a third payload
                          # verdict within 60 s would block cli)
API=10.213.78.1:8080
MPORT=$(free_port_in srv 12000 1000) || die "no free port"
bg app ip netns exec "$NS_srv" $PY "$ROOT/tests/integration/coded_body_app.py" 10.213.78.1 8080
wait_for 10 grep -q serving "$T/app.out" || die "the API did not start"
make_www "$T/www"
bg nghttpd ip netns exec "$NS_srv" nghttpd --no-tls -d "$T/www" 8081
wait_for 10 in_host cli2 curl -sf --http2-prior-knowledge -o /dev/null "http://10.213.78.1:8081/index.html" ||
	die "nghttpd did not start"
bg col ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --no-tls \
	--mode enforce --metrics-listen "127.0.0.1:$MPORT"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

c() { in_host cli curl -s -o "$T/last.out" -w '%{http_code}' --max-time 5 "$@" || true; }
c2() { in_host cli2 curl -s -o /dev/null -w '%{http_code}' --max-time 5 --http2-prior-knowledge "$@" || true; }
J='Content-Type: application/json'

echo "-- the bodies"
SQLI='{"user":"bob","q":"1'"'"' OR '"'"'1'"'"'='"'"'1'"'"' -- "}'
[ "${SW_BREAK:-}" = plainsqli ] && SQLI='{"user":"bob","q":"pizza"}'
printf '%s' "$SQLI" | gzip -c >"$T/sqli.gz"
printf '%s' '{"user":"O'"'"'Brien","note":"select a seat, then drop by","items":[1,2,3]}' | gzip -c >"$T/benign.gz"
printf '%s' 'q=1+union+select+password+from+users--' |
	$PY -c 'import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))' >"$T/form.zz"
printf '%s' '{"user":"bob","items":[1,2,3]}' |
	$PY -c 'import sys; sys.path.insert(0, sys.argv[1]); from coded_body_app import br_stored; sys.stdout.buffer.write(br_stored(sys.stdin.buffer.read()))' \
	"$ROOT/tests/integration" >"$T/body.br"
printf '%s' '{"user":"bob","items":[1,2,3]}' | zstd -q -c >"$T/body.zst"

expect_eq "curl decodes the app's hand-made br stream" \
	"$(in_host cli curl -s --compressed --max-time 5 "http://$API/api/brcheck")" "brotli stored block ok"
code=$(c -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$T/benign.gz" "http://$API/api/benign")
expect_eq "the app read the gzip'd benign body (200)" "$code" 200
c -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$T/sqli.gz" "http://$API/api/search" >/dev/null
c -H 'Content-Type: application/x-www-form-urlencoded' -H 'Content-Encoding: deflate' \
	--data-binary @"$T/form.zz" "http://$API/api/form" >/dev/null
code=$(c -H "$J" -H 'Content-Encoding: br' --data-binary @"$T/body.br" "http://$API/api/br")
expect_eq "the app refused the br body (415)" "$code" 415
c -H "$J" -H 'Content-Encoding: zstd' --data-binary @"$T/body.zst" "http://$API/api/zstd" >/dev/null
# HTTP/2 (nghttpd answers a POST to a file it lacks with 404: the body
# was sent all the same)
code=$(c2 -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$T/benign.gz" \
	"http://10.213.78.1:8081/api/h2benign")
expect_eq "nghttpd answered the HTTP/2 benign POST (404: no such file)" "$code" 404
c2 -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$T/sqli.gz" \
	"http://10.213.78.1:8081/api/h2search" >/dev/null
ACC=(--compressed)
[ "${SW_BREAK:-}" = identity ] && ACC=()
code=$(c "${ACC[@]}" -D "$T/export.head" "http://$API/api/export")
expect_eq "the export answered 200" "$code" 200
grep -qi '^content-encoding: gzip' "$T/export.head" && echo "   the export came gzip'd ($(grep -i '^content-length' "$T/export.head" | tr -d '\r'))"
sleep 3 # an inventory tick
in_host srv curl -sf --max-time 10 "http://127.0.0.1:$MPORT/inventory.json" -o "$T/inv.json" || true
check "collector survived" kill -0 "$PID_col"
stop_collector col

echo "-- counters at exit"
expect_eq "coded request bodies undecoded (br, zstd)" "$(counter col coded_bodies unknown_coding)" 2
check "coded request bodies decoded whole >= 5 (HTTP/1 gzip, gzip, deflate; HTTP/2 gzip, gzip)" \
	test "$(counter col coded_bodies whole)" -ge 5
expect_eq "malformed streams" "$(counter col coded_bodies malformed)" 0
check "inflate runs ending ok >= 4 (3 requests, 1 response)" \
	test "$($PY -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if "\"kind\":\"counters\"" in l][-1]["coded_bodies"]["inflate"]["ok"])' "$T/col.err")" -ge 4

echo "-- verdicts"
$PY - "$T/col.out" "$T/inv.json" >"$T/check.txt" 2>&1 <<'PY' || true
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
v = [e for e in v if e.get("kind") == "verdict"]
def by(path, rule=None):
    return [e for e in v if e.get("path") == path and (rule is None or e["rule"] == rule)]
def show(name, ok, got):
    print(("ok   " if ok else "FAIL ") + name + " " + json.dumps(got)[:300])
s = by("/api/search", "sqli")
show("1. gzip'd JSON SQLi -> sqli verdict", len(s) >= 1,
     [(e["rule"], e["action"], e["reason"]) for e in s])
f = by("/api/form", "sqli")
show("1. zlib deflate form SQLi -> sqli verdict", len(f) >= 1, [(e["action"], e["reason"]) for e in f])
h = by("/api/h2search", "sqli")
show("1. HTTP/2 gzip'd JSON SQLi -> sqli verdict", len(h) >= 1 and h[0].get("proto") == "http2",
     [(e.get("proto"), e["action"], e["reason"]) for e in h])
b = by("/api/benign") + by("/api/h2benign")
show("2. gzip'd benign JSON (HTTP/1, HTTP/2) -> no verdict", not b, [(e["rule"], e["reason"]) for e in b])
for p, name in (("/api/br", "br"), ("/api/zstd", "zstd")):
    x = by(p)
    show("3. %s body -> evasion alert naming it, nothing else" % name,
         len(x) == 1 and x[0]["rule"] == "evasion" and x[0]["action"] == "alert"
         and ("coded " + name) in x[0]["reason"], [(e["rule"], e["action"], e["reason"]) for e in x])
try:
    inv = json.load(open(sys.argv[2]))
except Exception as ex:
    show("4. inventory.json read", False, str(ex))
    sys.exit(0)
eps = [e for e in inv.get("items", []) if e.get("template") == "/api/export"]
if not eps:
    show("4. /api/export in the inventory", False, [e.get("template") for e in inv.get("items", [])])
    sys.exit(0)
e = eps[0]
rc = e.get("response_data_classes", {})
show("4. gzip'd export: 30 emails, 30 cards read", rc.get("email") == 30 and rc.get("card") == 30,
     {"classes": rc, "read": e.get("responses_read"), "coded": e.get("responses_coded")})
show("4. no response hidden by its coding", e.get("responses_coded") == 0 and e.get("responses_read") == 1,
     {"read": e.get("responses_read"), "coded": e.get("responses_coded")})
PY
cat "$T/check.txt"
PASS=$((PASS + $(grep -c '^ok ' "$T/check.txt" || true)))
FAIL=$((FAIL + $(grep -c '^FAIL ' "$T/check.txt" || true)))
grep -q . "$T/check.txt" || bad "the verdict check printed nothing"
finish
