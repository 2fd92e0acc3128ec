#!/usr/bin/env bash
# http1_loopback: real nginx and curl over loopback; every exchange yields
# exactly one session event with the method, path, query, status and sizes
# curl itself reports.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 10500 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/health-probe" || die "nginx did not start"

URL="http://127.0.0.1:$PORT"
: >"$T/expected.jsonl"
# The probe above is one exchange too.
echo '{"method":"GET","path":"/health-probe","query":"","status":404}' >>"$T/expected.jsonl"

# curl_x METHOD PATH QUERY [curl args...]: one exchange, recorded with the
# byte counts curl measured on its side of the wire.
# curl reports a small body sent with the headers in both size_request and
# size_upload, so exchanges with small bodies are checked without sizes.
curl_x() {
	local method=$1 path=$2 query=$3; shift 3
	local url="$URL$path"
	[ -n "$query" ] && url="$url?$query"
	curl -s -o /dev/null -X "$method" "$@" \
		-w '%{http_code} %{size_request} %{size_upload} %{size_header} %{size_download} %{time_total}\n' \
		"$url" >"$T/w.txt"
	read -r code sreq sup shdr sdown ttotal <"$T/w.txt"
	python3 - "$method" "$path" "$query" "$code" "$((sreq + sup))" "$((shdr + sdown))" "$ttotal" >>"$T/expected.jsonl" <<'PY'
import json, sys
m, p, q, c, rq, rs, tt = sys.argv[1:]
print(json.dumps({"method": m, "path": p, "query": q, "status": int(c),
                  "req_bytes": int(rq), "resp_bytes": int(rs),
                  "client_us": round(float(tt) * 1e6)}))
PY
}

curl_x GET /index.html ""
curl_x GET /api/users/42 "x=1&y=%27quoted%27"
curl_x GET /nothing-here ""
curl_x GET /big.txt ""                        # 100 kB through sendfile
curl_x GET /blob.bin ""                       # 1 MiB through sendfile
curl_x POST /api/create "" --data-binary "@$T/www/big.txt"
curl_x DELETE /api/users/7 ""
curl -s -o /dev/null -X PUT -d 'name=O%27Brien&x=1' "$URL/api/echo"
curl -s -o /dev/null -d 'user=admin&pass=wrong' "$URL/api/login"
printf '%s\n' '{"method":"PUT","path":"/api/echo","query":"","status":200}' \
	'{"method":"POST","path":"/api/login","query":"","status":401}' >>"$T/expected.jsonl"
curl -s -o /dev/null -I "$URL/big.txt"
echo '{"method":"HEAD","path":"/big.txt","query":"","status":200}' >>"$T/expected.jsonl"

# keep-alive: three requests on one connection
curl -s -o /dev/null -o /dev/null -o /dev/null "$URL/index.html" "$URL/api/echo?a=1" "$URL/missing"
printf '%s\n' '{"method":"GET","path":"/index.html","query":"","status":200}' \
	'{"method":"GET","path":"/api/echo","query":"a=1","status":200}' \
	'{"method":"GET","path":"/missing","query":"","status":404}' >>"$T/expected.jsonl"

# chunked request body
head -c 5000 /dev/zero | tr '\0' 'b' | curl -s -o /dev/null -X POST -H 'Transfer-Encoding: chunked' --data-binary @- "$URL/api/echo"
echo '{"method":"POST","path":"/api/echo","query":"","status":200}' >>"$T/expected.jsonl"

# pipelining: three requests in one write, straight onto the socket
python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
req = b"".join(b"GET /api/echo?p=%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(3))
s.sendall(req)
buf = b""
deadline = time.time() + 5
while buf.count(b"echo\n") < 3 and time.time() < deadline:
    buf += s.recv(65536)
s.close()
PY
for i in 0 1 2; do
	echo "{\"method\":\"GET\",\"path\":\"/api/echo\",\"query\":\"p=$i\",\"status\":200}" >>"$T/expected.jsonl"
done

sleep 1
stop_collector col

echo "-- exchanges with sizes"
check "every curl exchange has exactly one event (method, path, query, status)" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected.jsonl" "$T/col.out" \
	--port "$PORT" --fields method,path,query,status
grep '"req_bytes"' "$T/expected.jsonl" >"$T/expected-sizes.jsonl"
python3 "$ROOT/tests/integration/loopback_sized.py" "$T/col.out" "$PORT" >"$T/col-sized.out"
check "request and response sizes equal what curl measured" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected-sizes.jsonl" "$T/col-sized.out"

check "events carry host, pid, comm, tls and timestamps" \
	python3 "$ROOT/tests/integration/loopback_fields.py" "$T/col.out" "$PORT"
# latency_us spans the server's first request byte to its last response
# byte: inside the time curl measured for the whole exchange (time_total,
# from before its connect to the last byte received)
check "latency_us of each sized exchange is above 0 and within curl's own time" \
	python3 "$ROOT/tests/integration/loopback_latency.py" "$T/expected-sizes.jsonl" "$T/col-sized.out"
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
expect_eq "no parse errors on clean traffic" "$(counter col http1 h1.parse_error)" 0
finish
