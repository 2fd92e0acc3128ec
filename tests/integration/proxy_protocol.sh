#!/usr/bin/env bash
# proxy_protocol: an API behind a TCP load balancer that speaks the PROXY
# protocol (issue 24 item 4; issue 23: what the server accepts, we see).
# nginx on srv listens with `proxy_protocol`; nginx's stream proxy on lb
# relays clients to it and writes a PROXY v1 header naming each client
# before its bytes. The collector (in srv's namespace, enforce mode) has
# trusted_proxies = lb. Every client connection is a new upstream
# connection whose first read is the header and the request: without
# reading past the header the kernel classifier took them all for garbage
# and no request was ever judged.
#  - a benign client through lb: served, its events carry pp_client;
#  - an SQL injector through lb, one request per connection: each judged
#    by its own address (fwd_client, via lb) and cut; after three kills its
#    address is blocked here (cut on sight), never lb's in the kernel;
#    the benign client keeps being served;
#  - PROXY v2 from lb (a raw client) naming 10.213.41.77: judged by it;
#  - a client outside trusted_proxies sending its own header naming the
#    benign client: judged by its real address, the header counted as
#    untrusted; the benign client keeps being served;
#  - "PROXY UNKNOWN", a bare LF and a decoy request line before the first
#    CRLF (nginx reads the header to that CRLF): the request nginx serves
#    after it is the one judged.
source "$(dirname "$0")/lib.sh"
require_kernel

SRV=10.213.41.1 LB=10.213.41.9 ATK=10.213.41.10 BEN=10.213.41.11 FRG=10.213.41.12
STREAM_MOD=/usr/lib/nginx/modules/ngx_stream_module.so
[ -e "$STREAM_MOD" ] || die "$STREAM_MOD missing (Debian package libnginx-mod-stream; tools/deps.sh installs it)"
net_host srv $SRV
net_host lb $LB
net_host atk $ATK
net_host ben $BEN
net_host frg $FRG
make_www "$T/www"
# /slow/ answers after 200 ms (tests/integration/slow_api.py): a cut lands
# before the answer
nginx_conf "$T/nginx.conf" "$SRV:80 proxy_protocol" "$T/www" \
	"location /slow/ { proxy_pass http://127.0.0.1:8020/; }"
cat >"$T/lb.conf" <<NGX
load_module $STREAM_MOD;
worker_processes 1;
daemon off;
pid $T/lb.pid;
error_log $T/lb.error.log;
events { worker_connections 1024; }
stream {
	server {
		listen $LB:80;
		proxy_pass $SRV:80;
		proxy_protocol on;
	}
}
NGX
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
bg lb in_host lb nginx -c "$T/lb.conf" -p "$T"
bg api in_host srv /usr/bin/python3 "$ROOT/tests/integration/slow_api.py" 127.0.0.1 8020 200
wait_for 10 in_host ben curl -sf -o /dev/null "http://$LB/slow/warm" || die "lb -> srv -> api not reachable"

bg col env SIDEWATCH_TRUSTED_PROXIES=$LB ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col \
	--netns self --no-tls --mode enforce --metrics-listen off
wait_for 90 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

# codes HOST N URL-PREFIX : N requests (a new connection each), their codes
codes() {
	local h=$1 n=$2 url=$3 out=""
	for i in $(seq 1 "$n"); do
		out+=$(in_host "$h" curl -s -o /dev/null -m 2 -w '%{http_code}' "$url$i" || true)" "
	done
	echo "$out"
}
# raw HOST HEADER-KIND NAMED QUERY : one request after a PROXY header we
# write (v1 or v2 naming NAMED), straight to srv; prints the status or 000
cat >"$T/raw.py" <<'PY'
import socket, struct, sys
kind, named, srv, query = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
s = socket.create_connection((srv, 80), timeout=2)
me, port = s.getsockname()
if kind == "v1":
    hdr = ("PROXY TCP4 %s %s 40000 80\r\n" % (named, srv)).encode()
elif kind == "unknown":
    # nginx reads "PROXY UNKNOWN" to the first CRLF: the line after the
    # bare LF is part of the header, the request served is the next one
    hdr = b"PROXY UNKNOWN\nGET /slow/decoy HTTP/1.1\r\n"
else:
    hdr = (b"\r\n\r\n\x00\r\nQUIT\n\x21\x11" + struct.pack(">H", 12) + socket.inet_aton(named)
           + socket.inet_aton(srv) + struct.pack(">HH", 40000, 80))
s.sendall(hdr + b"GET /slow/users?" + query.encode() + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
got = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            break
        got += d
except OSError:
    pass
print(got[9:12].decode() if got.startswith(b"HTTP/1.1 ") else "000")
PY
raw() { in_host "$1" python3 "$T/raw.py" "$2" "$3" $SRV "$4" || echo 000; }
SQLI="id=1%27%20OR%201=1--"

echo "-- through the balancer"
expect_eq "benign: served through lb" "$(codes ben 3 "http://$LB/api/echo?b=")" "200 200 200 "
expect_eq "injector: each SQL injection cut (a new connection each)" \
	"$(codes atk 3 "http://$LB/slow/users?$SQLI&n=")" "000 000 000 "
sleep 1
expect_eq "injector: then its benign requests are cut on sight" \
	"$(codes atk 2 "http://$LB/slow/after")" "000 000 "
expect_eq "the benign client is still served" "$(codes ben 3 "http://$LB/api/echo?still=")" "200 200 200 "

echo "-- PROXY v2 from lb, and a header from outside trusted_proxies"
expect_eq "v2 naming 10.213.41.77 with an SQL injection: cut" "$(raw lb v2 10.213.41.77 "$SQLI")" "000"
expect_eq "a forger's own header naming the benign client, with an SQL injection: cut" \
	"$(raw frg v1 $BEN "$SQLI")" "000"
expect_eq "'PROXY UNKNOWN' then a bare LF, a decoy line and an SQL injection: cut" \
	"$(raw frg unknown - "$SQLI&u=1")" "000"
expect_eq "the benign client is still served" "$(codes ben 2 "http://$LB/api/echo?last=")" "200 200 "
sleep 0.5
stop_collector col

sess() { grep '"kind":"session"' "$T/col.out" || true; }
verd() { grep '"kind":"verdict"' "$T/col.out" || true; }
check "benign events carry pp_client $BEN and come from lb" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if "\"session\"" in l and "b=" in l]
ok = [e for e in ev if e.get("pp_client", "").startswith(sys.argv[2] + ":") and e["src"].startswith(sys.argv[3] + ":")]
sys.exit(0 if len(ok) == 3 else 1)' "$T/col.out" $BEN $LB
check "three sqli verdicts name the injector as fwd_client, via lb" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
s = [d for d in v if d["rule"] == "sqli" and d.get("fwd_client") == sys.argv[2] and d.get("via", "").startswith(sys.argv[3] + ":")]
sys.exit(0 if len(s) == 3 else 1)' "$T/col.out" $ATK $LB
check "its later requests: local.forwarded_block verdicts" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
sys.exit(0 if sum(1 for d in v if d["rule"] == "local.forwarded_block" and d.get("fwd_client") == sys.argv[2]
                  and d["path"].startswith("/slow/after")) == 2 else 1)' "$T/col.out" $ATK
check "the v2 header's client judged: fwd_client 10.213.41.77" \
	bash -c "grep '\"kind\":\"verdict\"' '$T/col.out' | grep -q '\"fwd_client\":\"10.213.41.77\".*\"rule\":\"sqli\"'"
check "the forger judged by its own address, no fwd_client" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
s = [d for d in v if d["rule"] == "sqli" and d["src"].startswith(sys.argv[2] + ":") and "u=1" not in d["query"]]
sys.exit(0 if len(s) == 1 and "fwd_client" not in s[0] else 1)' "$T/col.out" $FRG
check "the request after 'PROXY UNKNOWN' to its first CRLF judged (not the decoy)" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
s = [d for d in v if d["rule"] == "sqli" and d["src"].startswith(sys.argv[2] + ":") and d["path"] == "/slow/users"
     and d["query"].endswith("u=1")]
sys.exit(0 if len(s) == 1 else 1)' "$T/col.out" $FRG
check "no verdict against the benign client" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
sys.exit(1 if [d for d in v if d.get("fwd_client") == sys.argv[2] or d["src"].startswith(sys.argv[2] + ":")] else 0)' \
	"$T/col.out" $BEN
expect_eq "kernel blocks: none (lb is never dropped)" "$(counter col enforce blocks)" 0
expect_eq "PROXY headers judged by (trusted lb): 3 + 3 + 2 + 3 + 2 + 1" \
	"$(counter col proxy proxy_protocol)" 14
expect_eq "PROXY headers from an untrusted peer naming a client" "$(counter col proxy proxy_protocol_untrusted)" 1
check "the kernel read past every header (proxy_header_conns >= 16)" \
	test "$(counter col kernel proxy_header_conns)" -ge 16
expect_eq "no malformed header" "$(counter col conn proxy_headers_bad)" 0
finish
