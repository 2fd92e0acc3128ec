#!/usr/bin/env bash
# http1_badinput: garbage, malformed requests, a 1 MiB header and a client
# dribbling one byte at a time hit nginx while a benign client works; the
# bad connections are counted, the benign exchanges are all reported intact,
# and the collector keeps running.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 40000 10000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"

# Benign client: 40 requests on one keep-alive connection, in the background.
( for i in $(seq 1 40); do echo "url = \"http://127.0.0.1:$PORT/api/users/$i\""; echo "output = /dev/null"; done >"$T/curl.cfg"
  for _ in 1; do curl -s --config "$T/curl.cfg"; done ) &
BENIGN=$!

python3 - "$PORT" <<'PY'
import os, socket, sys, time
port = int(sys.argv[1])

def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s

def drain(s, secs=2.0):
    s.settimeout(secs)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()

# 1. a request line, then binary garbage
s = conn(); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + os.urandom(4096)); drain(s)
# 2. binary garbage from the first byte (the kernel never classifies it)
s = conn(); s.sendall(os.urandom(8192)); drain(s)
# 3. malformed request line / header
s = conn(); s.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"); drain(s)
# 4. a 1 MiB header
s = conn()
try:
    s.sendall(b"GET /huge HTTP/1.1\r\nHost: x\r\nX-Big: " + b"A" * (1 << 20) + b"\r\n\r\n")
except OSError:
    pass
drain(s)
# 5. a request dribbled one byte at a time (0.05 s apart), then answered
s = conn()
for b in b"GET /api/users/dribble HTTP/1.1\r\nHost: x\r\n\r\n":
    s.sendall(bytes([b])); time.sleep(0.05)
drain(s)
# 6. slowloris: a few header bytes, one per second, then gone
s = conn()
for b in b"GET /slow":
    s.sendall(bytes([b])); time.sleep(0.5)
s.close()
PY
wait "$BENIGN"
sleep 1
check "collector survived the bad input" kill -0 "$PID_col"
stop_collector col

check "all 40 benign exchanges are reported intact" python3 - "$T/col.out" "$PORT" <<'PY'
import json, sys
ids = set()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("dst", "").endswith(":" + sys.argv[2]) and e["path"].startswith("/api/users/") \
            and e["status"] == 200 and e["method"] == "GET":
        ids.add(e["path"].rsplit("/", 1)[1])
missing = {str(i) for i in range(1, 41)} - ids
print("  missing:", sorted(missing)) if missing else None
sys.exit(0 if not missing else 1)
PY
check "the dribbled request is one correct event" \
	grep -q '"path":"/api/users/dribble","query":"","status":200' "$T/col.out"
pe=$(counter col http1 h1.parse_error)
check "parse errors were counted ($pe)" test "$pe" -ge 2
hs=$(counter col http1 h1.hdr_oversize)
check "the 1 MiB header was counted as oversize ($hs)" test "$hs" -ge 1
ig=$(counter col kernel ignored_bytes)
check "garbage from the first byte was never copied ($ig bytes ignored)" test "$ig" -ge 1024
finish
