#!/usr/bin/env bash
# ws_h2_open: attacks that hide on a connection kept open are judged as
# they arrive, not when the connection ends (issue 23, item 4). In enforce
# mode with the default rules, on loopback (a kill of the connection):
#  - WebSocket (python3-websockets, both ends): a benign text message, then
#    an SQL injection (5 clients) or an XSS (1), then a benign message every
#    50 ms on a connection the client never closes: each attacker is cut
#    within a bound after its attack message; a benign client on the same
#    server is never cut and draws no verdict.
#  - HTTP/2 against nginx (a proxied location that waits for the request
#    body): an SQL injection in the query of HEADERS without END_STREAM,
#    and in a DATA frame of a POST that never ends, are judged on what
#    arrived; 200 POST streams left open past nginx's 128 concurrent
#    streams draw h2_flood (h2.streams_over_max).
# Prints the time from each attack to its cut (client clock) and the
# collector's detect latency (kernel time of the offending bytes -> verdict).
source "$(dirname "$0")/lib.sh"
require_kernel

WPORT=$(free_port 16500 2500)
NPORT=$(free_port $((WPORT + 1)) 5000)
mkdir -p "$T/www"
printf 'ok\n' >"$T/www/index.html"
# /up waits for the whole request body before it would proxy anywhere (its
# upstream is a closed port: no request here ever completes)
nginx_skeleton "$T/nginx.conf" "127.0.0.1:$NPORT http2" "$T/www" \
	"location = /up/warm { return 200 \"ok\\n\"; }
	location /up/ { proxy_pass http://127.0.0.1:9; client_body_timeout 30s; }"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$NPORT/index.html" ||
	die "nginx did not start"
bg wssrv /usr/bin/python3 "$ROOT/tests/integration/ws_peer.py" server "$WPORT"
wait_for 10 grep -q serving "$T/wssrv.out" || die "WebSocket server did not start"
start_collector col --netns self --mode enforce

: >"$T/ws.jsonl"
/usr/bin/python3 "$ROOT/tests/integration/ws_msg_attack.py" "$WPORT" benign 6 >"$T/benign.jsonl" &
BENIGN=$!
for k in sqli sqli sqli sqli sqli xss; do
	/usr/bin/python3 "$ROOT/tests/integration/ws_msg_attack.py" "$WPORT" "$k" 4 >>"$T/ws.jsonl"
done
wait "$BENIGN"
: >"$T/h2.jsonl"
H2A="$ROOT/tests/integration/h2attack.py"
/usr/bin/python3 "$H2A" open-query 127.0.0.1 "$NPORT" 4 >>"$T/h2.jsonl"
/usr/bin/python3 "$H2A" open-body 127.0.0.1 "$NPORT" 4 >>"$T/h2.jsonl"
/usr/bin/python3 "$H2A" open-flood 127.0.0.1 "$NPORT" 200 >>"$T/h2.jsonl"
sleep 0.5
check "collector alive" kill -0 "$PID_col"
stop_collector col
cat "$T/ws.jsonl" "$T/benign.jsonl" "$T/h2.jsonl"

# cut_within FILE SECONDS : every line's connection was cut at most SECONDS
# after its attack; prints the times and their median
cut_within() {
	python3 - "$1" "$2" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
d = [r["cut_at"] - r["attack_at"] if r["cut_at"] and r["attack_at"] else None for r in rows]
print("  attack -> cut (s):", ["%.3f" % x if x is not None else "never" for x in d])
ok = [x for x in d if x is not None]
if ok:
    print("  median %.3f s over %d" % (statistics.median(ok), len(ok)))
sys.exit(0 if rows and all(x is not None and x <= float(sys.argv[2]) for x in d) else 1)
PY
}
echo "-- WebSocket: each attack message cut its connection"
check "5 SQL injection + 1 XSS attackers each cut within 1 s of the message" cut_within "$T/ws.jsonl" 1.0
check "the benign client was never cut" python3 -c '
import json, sys; r = json.loads(open(sys.argv[1]).read()); sys.exit(0 if r["cut_at"] is None and r["after"] > 50 else 1)' "$T/benign.jsonl"
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$WPORT\"" >"$T/wsv.jsonl" || true
expect_eq "verdicts against the WebSocket server (rule action proto)" \
	"$(python3 -c '
import json, sys, collections
c = collections.Counter("%s %s %s" % (e["rule"], e["action"], e["proto"]) for e in map(json.loads, open(sys.argv[1])))
print(";".join("%d %s" % (n, k) for k, n in sorted(c.items())))' "$T/wsv.jsonl")" \
	"5 sqli kill websocket;1 xss kill websocket"
check "detect latency of each WebSocket verdict under 200 ms" python3 -c '
import json, statistics, sys
l = [json.loads(x)["detect_latency_us"] for x in open(sys.argv[1])]
print("  detect latency (us):", l, "median", statistics.median(l) if l else None)
sys.exit(0 if l and max(l) < 200000 else 1)' "$T/wsv.jsonl"

echo "-- HTTP/2: open streams judged on what arrived"
head -2 "$T/h2.jsonl" >"$T/h2-attacks.jsonl"
check "SQL injection in an open stream's HEADERS, and in a DATA frame, cut within 2 s" \
	cut_within "$T/h2-attacks.jsonl" 2.0
tail -1 "$T/h2.jsonl" >"$T/h2-flood.jsonl"
check "the open-stream flood was cut within 2 s" cut_within "$T/h2-flood.jsonl" 2.0
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$NPORT\"" >"$T/h2v.jsonl" || true
cut -c1-300 "$T/h2v.jsonl"
check "sqli verdict on the open query stream" grep -q '"path":"/up/item".*"rule":"sqli"' "$T/h2v.jsonl"
check "sqli verdict on the open body stream" grep -q '"path":"/up/form".*"rule":"sqli"' "$T/h2v.jsonl"
check "h2_flood verdict for streams over nginx's limit" \
	grep -q '"h2.streams_over_max".*"rule":"h2_flood"' "$T/h2v.jsonl"
finish
