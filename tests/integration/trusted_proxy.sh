#!/usr/bin/env bash
# trusted_proxy: clients behind a reverse proxy, judged by the address the
# proxy forwards. A real nginx on host prx proxies to the API (nginx on
# srv) with X-Forwarded-For $proxy_add_x_forwarded_for, and the collector
# has trusted_proxies set to prx. A scanner behind the proxy crosses the
# scanning threshold: the verdict names its forwarded address, its
# connection is cut (never the proxy's address), and its later requests are
# cut on sight (the proxy answers 502), while the proxy itself and a benign
# client behind it keep being served. A client NOT behind the proxy sending
# X-Forwarded-For naming the benign client is judged by its real address
# (and dropped), and the benign client keeps working. An API key scanning
# from two addresses gets an identity block (its requests cut on sight,
# neither address dropped); an unsigned JWT sub doing the same gets none.
# A SQL injector behind the proxy is killed three times, then blocked: by
# its forwarded address on the proxy's hop (local strikes), and, as its own
# connection to the proxy is direct, in the kernel by payload escalation
# (the 3rd payload verdict in 60 s; counted on its own hop only, not on
# the forwarded copy, so each request is one strike).
# The collector watches the proxy's host too, so requests are seen on both
# hops: the client's own connection to the proxy is judged by its address.
source "$(dirname "$0")/lib.sh"
require_kernel

SRV=10.213.24.1 PRX=10.213.24.9 ATK=10.213.24.10 BEN=10.213.24.11 FRG=10.213.24.12
net_host srv $SRV
net_host prx $PRX
net_host atk $ATK
net_host ben $BEN
net_host frg $FRG
net_host inj 10.213.24.13
net_host id1 10.213.24.21
net_host id2 10.213.24.22
net_host id3 10.213.24.23
net_host id4 10.213.24.24
make_www "$T/www"
nginx_conf "$T/nginx.conf" "$SRV:80" "$T/www"
nginx_skeleton "$T/proxy.conf" "$PRX:80" "$T/www" \
	'location / { proxy_pass http://10.213.24.1; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }
	 location /slow/ { proxy_pass http://10.213.24.1:8020/; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
	                   proxy_ignore_client_abort on; }'
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
# proxy_ignore_client_abort: the injector's own connection is cut as soon as
# its request is read; without it nginx may drop the request before it is
# forwarded, and the forwarded hop (where strikes are counted) never sees it
# an API that answers after 200 ms: a cut on sight lands before its answer
bg api in_host srv /usr/bin/python3 "$ROOT/tests/integration/slow_api.py" $SRV 8020 200
bg proxy in_host prx nginx -c "$T/proxy.conf" -p "$T"
wait_for 10 in_host ben curl -sf -o /dev/null "http://$PRX/slow/x" || die "proxy or api not reachable"

rc=0; SIDEWATCH_TRUSTED_PROXIES="$PRX, nginx.local" timeout 20 "$COLLECTOR" --stdout \
	--mode enforce >/dev/null 2>"$T/bad.err" || rc=$?
expect_eq "a trusted_proxies item it cannot read: exit 2" "$rc" 2
check "and the message names it" grep -q "trusted_proxies: 'nginx.local' is not an address" "$T/bad.err"

MPORT=$(free_port 10320 100) || die "no free port"
SIDEWATCH_TRUSTED_PROXIES="$PRX" start_collector col --mode enforce --metrics-listen "127.0.0.1:$MPORT"
# codes HOST N URL-PREFIX [curl args] : N requests, their status codes
codes() {
	local h=$1 n=$2 url=$3 out=""; shift 3
	for i in $(seq 1 "$n"); do
		out+=$(in_host "$h" curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$url$i" || true)" "
	done
	echo "$out"
}
ALL404="$(printf '404 %.0s' $(seq 1 20))"

echo "-- a scanner behind the proxy"
expect_eq "scanner: 20 distinct 404s through the proxy" "$(codes atk 20 "http://$PRX/scan/")" "$ALL404"
sleep 1
expect_eq "scanner: then cut on sight (the proxy answers 502)" \
	"$(codes atk 5 "http://$PRX/slow/s")" "502 502 502 502 502 "
expect_eq "a benign client behind the proxy is served" \
	"$(codes ben 5 "http://$PRX/slow/b")" "200 200 200 200 200 "
expect_eq "the proxy itself is served" \
	"$(codes prx 3 "http://$SRV/api/echo?p=")" "200 200 200 "

echo "-- a repeated injector behind the proxy: three kills, then a block"
# the collector sees both hops: the injection is cut on the injector's own
# connection to the proxy (000) and on the proxy's to the API (a strike on
# the forwarded address)
expect_eq "injector: each SQL injection cut" \
	"$(codes inj 3 "http://$PRX/slow/users?id=1%27%20OR%201=1--&n=")" "000 000 000 "
sleep 1
expect_eq "injector: then dropped in the kernel (its 3rd injection escalated)" \
	"$(codes inj 2 "http://$PRX/slow/ok")" "000 000 "
expect_eq "the benign client behind the proxy is still served" \
	"$(codes ben 2 "http://$PRX/slow/d")" "200 200 "

echo "-- a forged X-Forwarded-For from outside the proxy"
expect_eq "forger: 20 distinct 404s naming the benign client" \
	"$(codes frg 20 "http://$SRV/scan/" -H "X-Forwarded-For: $BEN")" "$ALL404"
sleep 1
expect_eq "forger: judged by its own address (dropped)" "$(codes frg 1 "http://$SRV/api/echo?f=")" "000 "
expect_eq "the benign client it named is still served" \
	"$(codes ben 3 "http://$PRX/api/echo?c=")" "200 200 200 "

echo "-- identities"
KEY="X-Api-Key: k-7f3a9c1e55d04b2e"
b64u() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
TOK="$(b64u '{"alg":"none","typ":"JWT"}').$(b64u '{"sub":"alice"}').c2ln"
codes id1 12 "http://$SRV/key/a" -H "$KEY" >/dev/null
codes id2 8 "http://$SRV/key/b" -H "$KEY" >/dev/null
sleep 1
expect_eq "an API key over its threshold: cut on sight from either address" \
	"$(codes id1 2 "http://$SRV:8020/k" -H "$KEY")$(codes id2 1 "http://$SRV:8020/k" -H "$KEY")" "000 000 000 "
expect_eq "and neither address is dropped" \
	"$(codes id1 1 "http://$SRV/api/echo?n=")$(codes id2 1 "http://$SRV/api/echo?n=")" "200 200 "
codes id3 12 "http://$SRV/jwt/a" -H "Authorization: Bearer $TOK" >/dev/null
codes id4 8 "http://$SRV/jwt/b" -H "Authorization: Bearer $TOK" >/dev/null
sleep 1
expect_eq "an unsigned JWT sub over its threshold blocks no one" \
	"$(codes id3 2 "http://$SRV:8020/j" -H "Authorization: Bearer $TOK")" "200 200 "

curl -s -m 3 "http://127.0.0.1:$MPORT/metrics" >"$T/metrics.txt" || true
stop_collector col
check "/metrics: 9 requests cut on sight, 1 live local block per subject (3)" \
	grep -qzE 'sidewatch_local_block_total\{counter="cut_on_sight"\} 9\b.*sidewatch_local_blocks 3\b' "$T/metrics.txt"
check "/metrics: 20 forwarding headers from an untrusted peer ignored" \
	grep -q 'sidewatch_proxy_requests_total{counter="untrusted_ignored"} 20$' "$T/metrics.txt"
check "the scanner's verdict names it and the proxy it came through" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
s = [d for d in v if d["rule"] == "scanning" and d.get("via", "").startswith(sys.argv[2] + ":")]
sys.exit(0 if len(s) == 1 and s[0]["client"] == "ip:" + sys.argv[3] and s[0]["fwd_client"] == sys.argv[3]
         and s[0]["action"] == "kill" and s[0]["wanted"] == "block" else 1)' "$T/col.out" $PRX $ATK
check "its later requests: local.forwarded_block verdicts" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
n = sum(1 for d in v if d["rule"] == "local.forwarded_block" and d["fwd_client"] == sys.argv[2])
sys.exit(0 if n == 5 else 1)' "$T/col.out" $ATK
check "the forger: its verdict names its own address, no forwarded client" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
s = [d for d in v if d["rule"] == "scanning" and d["src"].startswith(sys.argv[2] + ":")]
sys.exit(0 if len(s) == 1 and s[0]["client"] == "ip:" + sys.argv[2] and "fwd_client" not in s[0]
         and s[0]["action"] == "block" else 1)' "$T/col.out" $FRG
expect_eq "kernel blocks: the forger and the injector's own address" "$(counter col enforce blocks)" 2
expect_eq "block verdicts on a forwarded client kept to a kill" "$(counter col enforce proxied_not_blocked)" 1
expect_eq "local blocks: the scanner's and the injector's forwarded addresses, the API key" "$(counter col local_block blocks)" 3
expect_eq "strikes: the injector's three kills" "$(counter col local_block strikes)" 3
# 5 scanner, 3 API key, and the injector's third injection: its complete
# exchange arrives after the block its own kill made (its later requests
# are dropped in the kernel before they reach the proxy)
expect_eq "requests cut on sight" "$(counter col local_block cut_on_sight)" 9
expect_eq "the unsigned JWT's verdict made no identity block" "$(counter col local_block claimed_not_blocked)" 1
expect_eq "forwarding headers from an untrusted peer ignored" "$(counter col proxy untrusted_ignored)" 20
expect_eq "no malformed forwarding header" "$(counter col proxy malformed)" 0
finish
