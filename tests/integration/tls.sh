#!/usr/bin/env bash
# tls: HTTPS served by Debian's nginx (libssl.so.3) and by python3 (_ssl,
# the SSL_*_ex calls) inside a mount namespace with its own copy of
# libssl; clients curl (HTTP/1.1 and HTTP/2 by ALPN) and python3; gRPC
# from python3-grpcio, whose OpenSSL runs on memory BIOs. Every
# exchange is exactly one event with "tls":true decoded from the plaintext
# the uprobes copy, and the ciphertext of the same sockets yields nothing
# (a second collector run with --no-tls sees no event from them, while it
# does see the cleartext requests made to a plain port of the same nginx).
source "$(dirname "$0")/lib.sh"
require_kernel
PEER=/usr/bin/python3   # Debian's python: its _ssl links libssl.so.3
LIBSSL=/usr/lib/x86_64-linux-gnu/libssl.so.3
[ -e "$LIBSSL" ] || die "no $LIBSSL: install libssl3"
[ -x "$PEER" ] || die "no /usr/bin/python3"

PORT=$(free_port 15500 5000 5)
PYPORT=$((PORT + 1))
GPORT=$((PORT + 2))
CPORT=$((PORT + 4)) # cleartext, the --no-tls collector's positive control
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || die "openssl req failed"
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT ssl http2" "$T/www" \
	"ssl_certificate $T/cert.pem; ssl_certificate_key $T/key.pem; listen 127.0.0.1:$CPORT;"

start_collector col --netns self --log-level info
start_collector notls --netns self --no-tls
grep -q 'tls: probing OpenSSL in .*libssl.so.3' "$T/col.err" ||
	die "the collector did not probe libssl.so.3: $(cat "$T/col.err")"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
URL="https://127.0.0.1:$PORT"
wait_for 10 curl -sk --http1.1 -o /dev/null "$URL/health-probe" || die "nginx did not start"

: >"$T/expected.jsonl"
# want PROTO METHOD PATH QUERY STATUS : one expected exchange
want() {
	printf '{"proto":"%s","method":"%s","path":"%s","query":"%s","status":%s}\n' \
		"$@" >>"$T/expected.jsonl"
}
want http1 GET /health-probe "" 404

# curl_x METHOD PATH QUERY [curl args...] : one HTTP/1.1 exchange over TLS;
# what curl measured (response head + body received, total time) goes to
# $T/curl-measured.jsonl
curl_x() {
	local method=$1 path=$2 query=$3; shift 3
	local url="$URL$path" code shdr sdown ttotal
	[ -n "$query" ] && url="$url?$query"
	read -r code shdr sdown ttotal < <(curl -sk --http1.1 -o /dev/null \
		-w '%{http_code} %{size_header} %{size_download} %{time_total}\n' -X "$method" "$@" "$url")
	want http1 "$method" "$path" "$query" "$code"
	printf '{"method":"%s","path":"%s","query":"%s","resp_bytes":%d,"client_us":%d}\n' \
		"$method" "$path" "$query" "$((shdr + sdown))" \
		"$(awk -v t="$ttotal" 'BEGIN {printf "%d", t * 1e6 + 0.5}')" >>"$T/curl-measured.jsonl"
}
: >"$T/curl-measured.jsonl"

echo "-- curl, HTTP/1.1 over TLS"
curl_x GET /index.html ""
curl_x GET /api/users/42 "x=1&y=%27quoted%27"
curl_x GET /api/echo "q=select+1&page=2"
curl_x GET /nothing-here ""
curl_x GET /big.txt ""                   # 100 kB: many SSL_write calls
curl_x POST /api/create "" --data-binary "@$T/www/big.txt"
curl_x POST /api/login "" -d 'user=admin&pass=wrong'
curl_x PUT /api/echo "" -d 'name=O%27Brien'
curl_x DELETE /api/users/7 ""
curl_x GET /api/users/9 "a=%00%ff"
# keep-alive: three requests on one TLS connection (later ones are served
# from data OpenSSL already holds or read in the same calls)
curl -sk --http1.1 -o /dev/null -o /dev/null -o /dev/null \
	"$URL/index.html" "$URL/api/echo?a=1" "$URL/missing"
want http1 GET /index.html "" 200
want http1 GET /api/echo a=1 200
want http1 GET /missing "" 404

echo "-- curl, HTTP/2 over TLS (ALPN h2)"
curl -sk --http2 -o /dev/null -o /dev/null -o /dev/null \
	"$URL/api/users/5?v=2" "$URL/api/echo" "$URL/absent"
want http2 GET /api/users/5 v=2 200
want http2 GET /api/echo "" 200
want http2 GET /absent "" 404
# A POST nginx answers (return 201) before reading its body: nginx resets
# the stream and then reads the DATA frame (TLS hands it one record per
# SSL_read). h2.c counts that DATA as h2.frame_on_closed_stream, which RFC
# 9113 8.1 allows: its anomaly-only event is left out of the strict check.
curl -sk --http2 -o /dev/null -d '{"a":1}' "$URL/api/create?h2post=1"
want http2 POST /api/create h2post=1 201

echo "-- python3 client (SSL_read_ex / SSL_write_ex)"
"$PEER" "$ROOT/tests/integration/tls_peer.py" client "$PORT" \
	| sed 's/^{/{"proto":"http1",/' >>"$T/expected.jsonl" || die "python client failed"

echo "-- python3 server in its own mount namespace with its own libssl"
# The copy is a different file, reachable only as /proc/PID/root/...: the
# collector must find it by scanning the new process.
cp "$LIBSSL" "$T/libssl-copy.so.3"
bg pysrv unshare -m --propagation private sh -c \
	"mount --bind '$T/libssl-copy.so.3' '$LIBSSL' && exec '$PEER' '$ROOT/tests/integration/tls_peer.py' server $PYPORT '$T/cert.pem' '$T/key.pem'"
wait_for 10 grep -q listening "$T/pysrv.out" || die "python server did not start: $(cat "$T/pysrv.err")"
wait_for 10 grep -q "tls: probing OpenSSL in /proc/$PID_pysrv/root$LIBSSL" "$T/col.err" ||
	die "the collector did not probe the namespace's libssl: $(grep tls: "$T/col.err")"
ok "new process with its own libssl found and probed"
"$PEER" "$ROOT/tests/integration/tls_peer.py" client "$PYPORT" \
	| sed 's/^{/{"proto":"http1",/' >"$T/expected-py.jsonl" || die "python client failed"

echo "-- gRPC over TLS (python3-grpcio): memory BIOs"
# gRPC core encrypts through memory BIOs: its SSL calls never touch the
# socket. tls.bpf.c ties each SSL object to the socket its thread has just
# read ciphertext from; the plaintext is then decoded like any HTTP/2.
bg grpcsrv sh -c "cd '$ROOT/tests/integration' && exec '$PEER' tls_grpc.py server $GPORT '$T/cert.pem' '$T/key.pem'"
wait_for 10 grep -q serving "$T/grpcsrv.out" || die "gRPC server did not start: $(cat "$T/grpcsrv.err")"
(cd "$ROOT/tests/integration" && "$PEER" tls_grpc.py client "$GPORT" "$T/cert.pem") \
	>"$T/grpc-expected.jsonl" || die "gRPC client failed"
# Four clients at once: four connections whose SSL calls interleave on the
# server's threads; none may borrow another's socket.
GCLIENTS=()
for i in 1 2 3 4; do
	(cd "$ROOT/tests/integration" && exec "$PEER" tls_grpc.py client "$GPORT" "$T/cert.pem") \
		>"$T/grpc-expected-$i.jsonl" &
	GCLIENTS+=($!)
done
for p in "${GCLIENTS[@]}"; do wait "$p" || die "a concurrent gRPC client failed"; done
cat "$T"/grpc-expected-[1-4].jsonl >>"$T/grpc-expected.jsonl"
echo "-- python3 asyncio server (ssl.MemoryBIO): memory BIOs outside gRPC"
APORT=$((PORT + 3))
cat >"$T/aio.py" <<'PY'
import asyncio, ssl, sys
async def handle(r, w):
    while True:
        req = await r.readline()
        if not req:
            break
        while (await r.readline()) not in (b"\r\n", b""):
            pass
        path = req.split()[1].split(b"?")[0]
        code, body = (200, b"ok\n") if path.startswith(b"/api/") else (404, b"no\n")
        w.write(b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n%s" % (code, len(body), body))
        await w.drain()
    w.close()
async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    srv = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), ssl=ctx)
    print("listening", flush=True)
    async with srv:
        await srv.serve_forever()
asyncio.run(main())
PY
bg aiosrv "$PEER" "$T/aio.py" "$APORT" "$T/cert.pem" "$T/key.pem"
wait_for 10 grep -q listening "$T/aiosrv.out" || die "asyncio server did not start: $(cat "$T/aiosrv.err")"
: >"$T/expected-aio.jsonl"
# three keep-alive connections at once, two requests each
ACURLS=()
for i in 1 2 3; do
	curl -sk --http1.1 -o /dev/null -o /dev/null \
		"https://127.0.0.1:$APORT/api/a$i?n=$i" "https://127.0.0.1:$APORT/gone$i" &
	ACURLS+=($!)
	printf '{"proto":"http1","method":"GET","path":"/api/a%s","query":"n=%s","status":200}\n' $i $i >>"$T/expected-aio.jsonl"
	printf '{"proto":"http1","method":"GET","path":"/gone%s","query":"","status":404}\n' $i >>"$T/expected-aio.jsonl"
done
for p in "${ACURLS[@]}"; do wait "$p" || die "an asyncio client failed"; done

echo "-- cleartext requests to nginx's plain port: both collectors must see them"
for i in 1 2 3; do
	curl -s -o /dev/null "http://127.0.0.1:$CPORT/api/echo?cleartext=$i" || die "cleartext request failed"
done

sleep 1.5 # /metrics is refreshed once a second
curl -s -m 5 "http://127.0.0.1:9464/metrics" >"$T/col.prom" || true
stop_collector col
stop_collector notls

echo "-- events"
check "HTTP/2 POST answered before its body: exactly one exchange event" \
	test "$(grep -c '"proto":"http2".*"method":"POST","authority":"[^"]*","path":"/api/create","query":"h2post=1","status":201' "$T/col.out")" -eq 1
grep -v -e '"method":"","authority":"","path":"".*"anomalies":{"h2.frame_on_closed_stream":1}' \
	"$T/col.out" >"$T/col-strict.out" || true
check "nginx: every HTTPS exchange is exactly one event, no duplicate from the ciphertext" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected.jsonl" "$T/col-strict.out" \
	--port "$PORT" --fields proto,method,path,query,status
check "python server in a mount namespace: every exchange is exactly one event" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected-py.jsonl" "$T/col.out" \
	--port "$PYPORT" --fields proto,method,path,query,status
check "events carry tls:true, the server's comm, client and server addresses" \
	python3 - "$T/col.out" "$PORT" "$PYPORT" <<'PY'
import json, sys
out, port, pyport = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
for line in open(out):
    e = json.loads(line)
    dst = e.get("dst", "")
    if dst not in ("127.0.0.1:" + port, "127.0.0.1:" + pyport):
        continue
    n += 1
    comm = "nginx" if dst.endswith(":" + port) else "python3"
    if e["tls"] is not True or e["comm"] != comm or not e["src"].startswith("127.0.0.1:"):
        print("  bad event:", line.strip())
        sys.exit(1)
    if e["pid"] <= 0:
        print("  bad event:", line.strip())
        sys.exit(1)
sys.exit(0 if n > 0 else 1)
PY
# curl's own figures for its exchanges: latency_us (the server's first
# request byte to its last response byte) lies within the time curl took
# for the whole exchange, and the response is the plaintext curl received
check "curl over TLS: each exchange's latency_us is above 0 and within curl's own time" \
	python3 - "$T/col.out" "$PORT" "$T/curl-measured.jsonl" <<'PY'
import json, sys
want = {}
for x in map(json.loads, open(sys.argv[3])):
    want.setdefault((x["method"], x["path"], x["query"]), []).append(x["client_us"])
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    k = (e.get("method"), e.get("path"), e.get("query"))
    if e.get("kind") != "session" or e.get("dst") != "127.0.0.1:" + sys.argv[2] or \
            not want.get(k) or e.get("proto") != "http1":
        continue
    # in order: a later keep-alive request for /index.html is not curl_x's
    client_us = want[k].pop(0)
    n += 1
    if not 0 < e["latency_us"] <= client_us:
        print("  %s %s: latency_us %d, curl measured %d us" % (k[0], k[1], e["latency_us"], client_us))
        sys.exit(1)
print("  %d curl exchanges bounded by curl's time" % n)
sys.exit(0 if n > 0 and not any(want.values()) else 1)
PY
check "sizes of a 100 kB TLS response are the plaintext curl received" \
	python3 - "$T/col.out" "$PORT" "$T/curl-measured.jsonl" <<'PY'
import json, sys
want = [x["resp_bytes"] for x in map(json.loads, open(sys.argv[3])) if x["path"] == "/big.txt"]
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("kind") == "session" and e.get("dst") == "127.0.0.1:" + sys.argv[2] and e.get("path") == "/big.txt":
        print("  big.txt: resp_bytes %d, curl received %s" % (e["resp_bytes"], want))
        sys.exit(0 if [e["resp_bytes"]] == want and want[0] > 100000 else 1)
sys.exit(1)
PY
expect_eq "--no-tls collector, positive control: the 3 cleartext requests are seen" \
	"$(grep -c "\"dst\":\"127.0.0.1:$CPORT\".*\"path\":\"/api/echo\",\"query\":\"cleartext=[123]\",\"status\":200" "$T/notls.out" || true)" 3
expect_eq "--no-tls: the ciphertext of these connections yields no event" \
	"$(grep -c -e "\"dst\":\"127.0.0.1:$PORT\"" -e "\"dst\":\"127.0.0.1:$PYPORT\"" "$T/notls.out" || true)" 0
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
expect_eq "no HTTP/1 parse errors on TLS plaintext" "$(counter col http1 h1.parse_error)" 0
expect_eq "no HTTP/2 protocol errors on TLS plaintext" "$(counter col http2 h2.protocol_error)" 0
check "TLS counters: plaintext calls copied" test "$(counter col tls calls)" -gt 0
check "TLS coverage reported: libssl files probed" test "$(counter col tls libs_probed)" -ge 2
check "TLS coverage reported: processes covered" test "$(counter col tls procs_covered)" -ge 1
prom() { awk -v k="$1" '$1 == k {print $2; f = 1} END {if (!f) print -1}' "$T/col.prom"; }
pcalls=$(prom 'sidewatch_tls_total{counter="calls"}')
check "/metrics: TLS calls counted ($pcalls), no more than at exit ($(counter col tls calls))" \
	test "$pcalls" -gt 0 -a "$pcalls" -le "$(counter col tls calls)"
check "/metrics: TLS processes covered ($(prom 'sidewatch_tls_processes{coverage="covered"}'))" \
	test "$(prom 'sidewatch_tls_processes{coverage="covered"}' | cut -d. -f1)" -ge 1
grep '"kind":"counters"' "$T/col.err" | tail -1 >"$T/col-counters.json"
grep "\"dst\":\"127.0.0.1:$GPORT\"" "$T/col.out" >"$T/grpc-events.jsonl" || true
check "gRPC over TLS: each call is one event with service, rpc, status and message counts" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/grpc-expected.jsonl" "$T/grpc-events.jsonl" \
	--port "$GPORT" --fields proto,service,rpc,grpc_status,req_msgs,resp_msgs
check "gRPC over TLS: the failing call carries its grpc-message" \
	grep -q '"rpc":"Fail","grpc_status":5,"grpc_message":"no such user"' "$T/grpc-events.jsonl"
check "gRPC over TLS: tls:true, the server's pid and comm, one client port per connection" \
	python3 - "$T/grpc-events.jsonl" "$GPORT" "$PID_grpcsrv" <<'PY'
import json, sys
path, port, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
conns = {}
for line in open(path):
    e = json.loads(line)
    if e.get("kind") != "session":
        continue
    src = e["src"]
    if (e["tls"] is not True or e["comm"] != "python3" or e["pid"] != pid or
            e["dst"] != "127.0.0.1:" + port or not src.startswith("127.0.0.1:") or
            src == "127.0.0.1:" + port or e["path"] != "/demo.Echo/" + e["rpc"]):
        print("  bad event:", line.strip())
        sys.exit(1)
    conns.setdefault(e["conn"], set()).add(src)
print("  %d connections: %s" % (len(conns), sorted(min(s) for s in conns.values())))
# five client processes, one channel each; a connection has one client port
ports = [min(s) for s in conns.values()]
sys.exit(0 if len(conns) == 5 and all(len(s) == 1 for s in conns.values())
         and len(set(ports)) == 5 else 1)
PY
expect_eq "--no-tls: no gRPC event from the ciphertext" \
	"$(grep -c "\"dst\":\"127.0.0.1:$GPORT\"" "$T/notls.out" || true)" 0
check "asyncio over TLS (memory BIOs): every exchange is exactly one event" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected-aio.jsonl" "$T/col.out" \
	--port "$APORT" --fields proto,method,path,query,status
check "asyncio over TLS: tls:true and one client port per connection" python3 - "$T/col.out" "$APORT" <<'PY'
import json, sys
conns = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("kind") != "session" or e.get("dst") != "127.0.0.1:" + sys.argv[2]:
        continue
    if e["tls"] is not True or e["comm"] != "python3":
        sys.exit(1)
    # both requests of one curl share a connection and its client port
    conns.setdefault(e["conn"], []).append((e["src"], e["path"][-1]))
sys.exit(0 if len(conns) == 3 and all(len(v) == 2 and len(set(v)) == 1
                                      for v in conns.values()) else 1)
PY
check "gRPC over TLS: memory-BIO SSL objects tied to connections (server and client side)" \
	test "$(counter col tls membio_mapped)" -ge 10
expect_eq "gRPC over TLS: no mapping contradicted" "$(counter col tls membio_conflicts)" 0
expect_eq "gRPC over TLS: no write guess proved wrong" "$(counter col tls membio_guesses_wrong)" 0
expect_eq "gRPC over TLS: no sure mapping disagreed with its thread" "$(counter col tls membio_disagreements)" 0
check "gRPC over TLS: SSL_free forgets the SSL objects" test "$(counter col tls ssl_freed)" -ge 10
check "gRPC over TLS: the server is no longer a blind spot" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["tls"]; sys.exit(1 if "python3" in d["nosock_names"] else 0)' \
	"$T/col-counters.json"
echo "  tls counters: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["tls"]; print({k: v for k, v in d.items() if k.startswith(("membio", "ssl_freed", "nosock"))})' "$T/col-counters.json")"

echo "-- enforcement over TLS: an HTTPS attacker is cut, an HTTPS client is not"
start_collector enf --netns self --mode enforce
/usr/bin/python3 - "$PORT" >"$T/tls-enf.json" <<'PY'
import http.client, json, ssl, sys, time
port = int(sys.argv[1])
ctx = ssl._create_unverified_context()
def conn():
    return http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
def get(c, path):
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status
    except Exception as e:
        return type(e).__name__
atk, ben = conn(), conn()
out = {"atk_first": get(atk, "/api/users/1"), "ben_first": get(ben, "/api/users/2")}
out["atk_attack"] = get(atk, "/api/users?id=1%27%20UNION%20SELECT%20password%20FROM%20users--")
time.sleep(0.3)
out["atk_after"] = get(atk, "/api/users/3")
out["ben_after"] = [get(ben, "/api/users/%d" % i) for i in range(5)]
print(json.dumps(out))
PY
cat "$T/tls-enf.json"
stop_collector enf
check "the HTTPS attacker's connection is cut after its SQL injection" python3 -c "
import json,sys; d=json.load(open('$T/tls-enf.json'))
sys.exit(0 if d['atk_first']==200 and d['atk_after']!=200 else 1)"
check "the benign HTTPS client keeps being served" python3 -c "
import json,sys; d=json.load(open('$T/tls-enf.json'))
sys.exit(0 if d['ben_first']==200 and d['ben_after']==[200]*5 else 1)"
check "the verdict is a kill of a TLS connection, with its latencies" python3 - "$T/enf.out" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["kind"] == "verdict" and e["rule"] == "sqli":
        print("  tls sqli: action %s, detect %d us, enforce %d us" % (e["action"], e["detect_latency_us"], e["enforce_latency_us"]))
        sys.exit(0 if e["tls"] and e["action"] == "kill" and e["enforce_latency_us"] > 0 else 1)
sys.exit(1)
PY

# --- make bench's uprobe floor ----------------------------------------------------
# sw-probe-floor (the benchmark's "uprobes only" side) attaches programs that
# only count their runs where the collector probes OpenSSL: 20 HTTPS requests
# from curl to nginx (each at least a read and a write on both sides) must
# reach them at entry and at return alike.
bg floor "$BUILD/sw-probe-floor" "$LIBSSL"
wait_for 10 grep -q '^ready sites=[1-9]' "$T/floor.out" ||
	die "sw-probe-floor did not attach: $(cat "$T/floor.err")"
for i in $(seq 1 20); do curl -sk --http1.1 -o /dev/null "$URL/api/users/$i"; done
stop_pid "$PID_floor"
wait "$PID_floor" 2>/dev/null || true
check "sw-probe-floor counts the OpenSSL calls of 20 HTTPS requests, entries and returns" \
	python3 - "$T/floor.out" <<'PY'
import re, sys
m = re.search(r"^hits enter=(\d+) leave=(\d+) free=(\d+)$", open(sys.argv[1]).read(), re.M)
e, l, f = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (0, 0, 0)
print("     floor: %d entries, %d returns, %d SSL_free" % (e, l, f))
# each connection: 1 SSL object on either side, freed when it closes
# (another process on this host may be inside a call at attach or stop)
sys.exit(0 if e >= 80 and abs(e - l) <= 2 and f >= 40 else 1)
PY
finish
