#!/usr/bin/env bash
# http1_badinput: garbage, malformed requests, a 1 MiB header and a client
# dribbling one byte at a time hit nginx while a benign client works; the
# bad connections are counted exactly, the connection that sends garbage
# from its first byte is judged on its own (its bytes never decoded, an
# evasion verdict naming its port), the benign exchanges are all reported
# intact, and the collector keeps running.
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

python3 - "$PORT" "$T/garbage.port" <<'PY'
import random, socket, sys, time
port = int(sys.argv[1])
rnd = random.Random(23)  # the same bytes every run: counts are exact

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
s = conn(); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + rnd.randbytes(4096)); drain(s)
# 2. binary garbage from the first byte (never decoded as HTTP; nginx
#    reads 1 KiB, client_header_buffer_size, and answers 400): 0xde first,
#    neither CR/LF, a method letter nor TLS. No more than nginx reads, so
#    its lingering close has nothing left to read
s = conn()
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
s.sendall(b"\xde" + rnd.randbytes(1023)); drain(s)
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
# Request-side parse errors, exactly: the garbage after request 1 and the
# header line without a colon of request 3 (the 1 MiB header parses, the
# garbage connection is never decoded).
pe=$(counter col http1 h1.parse_error)
expect_eq "parse errors were counted" "$pe" 2
ru=$(counter col http1 h1.req_unparsed)
expect_eq "both were requests we could not parse" "$ru" 2
hs=$(counter col http1 h1.hdr_oversize)
expect_eq "the 1 MiB header was counted as oversize" "$hs" 1
# The garbage connection alone, by its client port: one event carrying
# conn.garbage with the bytes the kernel looked at (the 1 KiB nginx read
# before answering 400), an evasion verdict, and no request decoded.
check "the garbage connection was judged on its own, never decoded" \
	python3 - "$T/col.out" "$PORT" "$(cat "$T/garbage.port")" <<'PY'
import json, sys
out, port, gport = sys.argv[1], sys.argv[2], sys.argv[3]
mine = [e for e in map(json.loads, open(out))
        if e.get("src", "").endswith(":" + gport) and e.get("dst", "").endswith(":" + port)]
garb = [e for e in mine if e["kind"] == "session" and "conn.garbage" in e.get("anomalies", {})]
verd = [e for e in mine if e["kind"] == "verdict" and e["rule"] == "evasion"]
reqs = [e for e in mine if e["kind"] == "session" and e.get("method")]
looked = garb[0]["req_bytes"] if garb else -1
print("  port %s: %d garbage events (%d bytes looked at), %d evasion verdicts, %d requests decoded"
      % (gport, len(garb), looked, len(verd), len(reqs)))
sys.exit(0 if len(garb) == 1 and looked == 1024 and len(verd) == 1 and not reqs else 1)
PY
finish
