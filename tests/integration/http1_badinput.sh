#!/usr/bin/env bash
# http1_badinput: garbage, malformed requests, a 1 MiB header and a client
# dribbling one byte at a time hit nginx while a benign client works; the
# bad connections are counted exactly, the connection that sends garbage
# from its first byte is judged on its own (its bytes never decoded, an
# evasion verdict naming its port), the benign exchanges are all reported
# intact, and the collector keeps running.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 20500 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"

# Benign client: 40 requests on one keep-alive connection, in the background.
( for i in $(seq 1 40); do echo "url = \"http://127.0.0.1:$PORT/api/users/$i\""; echo "output = /dev/null"; done >"$T/curl.cfg"
  for _ in 1; do curl -s --config "$T/curl.cfg"; done ) &
BENIGN=$!

python3 "$ROOT/tests/integration/badinput_client.py" "$PORT" "$T/garbage.port"
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
	python3 "$ROOT/tests/integration/badinput_garbage_judged.py" "$T/col.out" "$PORT" "$(cat "$T/garbage.port")"
finish
