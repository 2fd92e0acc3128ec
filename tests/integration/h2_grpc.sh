#!/usr/bin/env bash
# h2_grpc: HTTP/2 from nghttpd with h2load and nghttp, and gRPC from
# python3-grpcio (unary, server/client streaming, bidi, a failing call):
# each request or call is exactly one event with the right fields.
source "$(dirname "$0")/lib.sh"
require_kernel

H2PORT=$(free_port 11000 2500)
GPORT=$(free_port 13500 2500)
mkdir -p "$T/h2www"
printf 'hello h2\n' >"$T/h2www/index.html"
head -c 70000 /dev/zero | tr '\0' 'z' >"$T/h2www/big.txt"
bg nghttpd nghttpd --no-tls -d "$T/h2www" "$H2PORT"
wait_for 10 h2_up "http://127.0.0.1:$H2PORT/index.html" || die "nghttpd did not start"
# An HTTP/2 connection that is already open when the collector starts.
bg mid /usr/bin/python3 "$ROOT/tests/integration/h2_midstream.py" 127.0.0.1 "$H2PORT" "$T/go"
sleep 1
start_collector col --netns self
touch "$T/go"
wait_for 15 grep -q ok "$T/mid.out" || die "mid-stream client did not finish"
bg grpcsrv /usr/bin/python3 "$ROOT/tests/integration/grpc_peer.py" server "$GPORT"
wait_for 10 grep -q serving "$T/grpcsrv.out" || die "gRPC server did not start"
wait_for 10 h2_up "http://127.0.0.1:$H2PORT/index.html" || die "nghttpd did not start"

echo "-- HTTP/2"
h2load -n 200 -c 4 -m 10 "http://127.0.0.1:$H2PORT/index.html" >"$T/h2load.txt"
grep -E '^requests:' "$T/h2load.txt"
# -v: every frame nghttp received, with its length; the stream's response
# on the wire is those frames, headers (9 bytes) included
nghttp -nv "http://127.0.0.1:$H2PORT/big.txt?v=2&q=a%20b" >"$T/nghttp-big.txt"
BIGWIRE=$(sed -n 's/.* recv [A-Z_]* frame <length=\([0-9]*\), flags=0x[0-9a-f]*, stream_id=[1-9][0-9]*>$/\1/p' "$T/nghttp-big.txt" |
	awk '{n += 9 + $1} END {print n + 0}')
nghttp -n "http://127.0.0.1:$H2PORT/missing"
/usr/bin/python3 "$ROOT/tests/integration/grpc_peer.py" client "$GPORT" >"$T/grpc-expected.jsonl"
sleep 1
stop_collector col

n=$(grep '"kind":"session"' "$T/col.out" | grep -c "\"proto\":\"http2\".*\"dst\":\"127.0.0.1:$H2PORT\".*\"path\":\"/index.html\",\"query\":\"\",\"status\":200" || true)
# one probe request before h2load, 200 by h2load
expect_eq "one http2 event per h2load request" "$n" 201
check "h2load streams carry distinct stream ids per connection" python3 - "$T/col.out" "$H2PORT" <<'PY'
import json, sys
seen = set()
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["kind"] == "session" and e.get("proto") == "http2" and e["dst"].endswith(":" + sys.argv[2]):
        k = (e["conn"], e["stream_id"])
        if k in seen or e["stream_id"] % 2 != 1:
            sys.exit(1)
        seen.add(k)
sys.exit(0)
PY
check "big.txt with its query, sized as the frames nghttp received on its stream ($BIGWIRE bytes)" \
	python3 - "$T/col.out" "$BIGWIRE" <<'PY'
import json, sys
want = int(sys.argv[2])
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("path") == "/big.txt":
        print("  big.txt: resp_bytes %d, nghttp received %d" % (e["resp_bytes"], want))
        ok = e["query"] == "v=2&q=a%20b" and e["status"] == 200 and e["resp_bytes"] == want
        sys.exit(0 if ok and want > 70000 else 1)
sys.exit(1)
PY
check "404 over HTTP/2" grep -q "\"proto\":\"http2\".*\"path\":\"/missing\",\"query\":\"\",\"status\":404" "$T/col.out"

if [ -s "$T/mid.err" ]; then sed 's/^/  mid-stream client: /' "$T/mid.err"; fi
check "joined mid-connection: later requests reported, marked partial" python3 - "$T/col.out" <<'PY'
import json, sys
got = set()
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["kind"] == "session" and e.get("query", "").startswith("after="):
        if e["proto"] == "http2" and e["path"] == "/index.html" and e.get("partial") and e["status"] == 200:
            got.add(e["query"])
print("  mid-stream events:", sorted(got))
sys.exit(0 if got == {"after=0", "after=1", "after=2"} else 1)
PY

echo "-- gRPC"
grep "\"dst\":\"127.0.0.1:$GPORT\"" "$T/col.out" >"$T/grpc-events.jsonl" || true
check "each gRPC call is one event with service, rpc, status and message counts" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/grpc-expected.jsonl" "$T/grpc-events.jsonl" \
	--fields proto,service,rpc,grpc_status,req_msgs,resp_msgs
check "the failing call carries its grpc-message" \
	grep -q '"rpc":"Fail","grpc_status":5,"grpc_message":"no such user"' "$T/grpc-events.jsonl"
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
finish
