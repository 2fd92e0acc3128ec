#!/usr/bin/env bash
# h2_attack: a raw-frame attacker performs HTTP/2 rapid reset (CVE-2023-44487)
# and a CONTINUATION flood against nghttpd; the collector counts both on the
# attacker's connection while a benign h2load client's requests are all
# reported clean. A client that sends the HTTP/2 preface's first bytes on
# their own (the connection's first read looks like HTTP/1) is still
# decoded as HTTP/2.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 18500 2500)
mkdir -p "$T/www"
printf 'ok\n' >"$T/www/index.html"
start_collector col --netns self
bg nghttpd nghttpd --no-tls -d "$T/www" "$PORT"
wait_for 10 h2_up "http://127.0.0.1:$PORT/index.html" || die "nghttpd did not start"

# nginx speaks HTTP/2 on a cleartext port only after the client's whole
# preface: its first read on the split-preface connection is "PRI" alone
NPORT=$(free_port $((PORT + 1)) 5000)
nginx_skeleton "$T/nginx.conf" "127.0.0.1:$NPORT http2" "$T/www" ""
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$NPORT/index.html" ||
	die "nginx did not start"

h2load -n 100 -c 2 -m 4 "http://127.0.0.1:$PORT/index.html" >"$T/h2load.txt" &
BENIGN=$!
/usr/bin/python3 "$ROOT/tests/integration/h2attack.py" rapid-reset 127.0.0.1 "$PORT" 500
/usr/bin/python3 "$ROOT/tests/integration/h2attack.py" continuation-flood 127.0.0.1 "$PORT" 300
/usr/bin/python3 "$ROOT/tests/integration/h2attack.py" split-preface 127.0.0.1 "$NPORT" 20
wait "$BENIGN"
sleep 1
stop_collector col

rr=$(counter col http2 h2.rapid_reset)
cf=$(counter col http2 h2.continuation_flood)
# every one of the attacker's 500 streams is opened and reset at once: each
# the server did not answer first must be counted (the attacker alone resets
# streams on this host). nghttpd answers a HEADERS as soon as it reads it: a
# stream whose RST_STREAM came in the server's next read was answered (200)
# and is no rapid reset (seen: 1 of 500).
attack=$(python3 - "$T/col.out" "$PORT" <<'PY'
import collections, json, sys
by = collections.defaultdict(lambda: [0, 0])
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("kind") == "session" and e.get("dst") == "127.0.0.1:" + sys.argv[2] and \
            e.get("path") == "/":
        by[e["src"]][0 if e.get("status") == 0 else 1] += 1
reset, answered = max(by.values(), key=sum) if by else (0, 0)
print(reset + answered, reset, answered)
PY
)
read -r att_n att_reset att_answered <<<"$attack"
expect_eq "the attacker's connection: 500 streams reported" "$att_n" 500
check "at most 5 of them answered before their reset ($att_answered)" test "$att_answered" -le 5
expect_eq "rapid reset counted on each of the attacker's unanswered streams" "$rr" "$att_reset"
check "CONTINUATION flood counted ($cf)" test "$cf" -ge 1
check "anomalies travel in the attacker's events" grep -q '"h2.rapid_reset"' "$T/col.out"
check "benign h2load requests all succeeded" grep -q '100 succeeded' "$T/h2load.txt"
# The benign requests are the ones to nghttpd's port for /index.html: the
# start-up probe (one curl request) and h2load's 100. The attackers ask
# for "/" on that port, the split preface for /index.html?split= on nginx's.
benign=$(python3 - "$T/col.out" "$PORT" <<'PY'
import json, sys
n = dirty = 0
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("kind") == "session" and e.get("dst") == "127.0.0.1:" + sys.argv[2] and \
            e.get("path") == "/index.html" and e.get("query") == "":
        n += 1
        dirty += 1 if e.get("anomalies") or e.get("status") != 200 else 0
print(n, dirty)
PY
)
# a miss here was seen once under load (100 of 101): say where bytes went
[ "$benign" = "101 0" ] ||
	grep '"kind":"counters"' "$T/col.err" | tail -1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("kernel", "conn", "http2"):
    print("  counters", k, {n: v for n, v in d[k].items() if v})'
expect_eq "benign requests to nghttpd: exactly 101 events (probe + h2load), none with an anomaly or a non-200" \
	"$benign" "101 0"
split=$(python3 - "$T/col.out" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("proto") == "http2" and e.get("comm") == "nginx" and \
            e.get("path") == "/index.html" and \
            e.get("query", "").startswith("split=") and e.get("status") == 200:
        n += 1
print(n)
PY
)
check "a preface sent in pieces: its 20 requests decoded as HTTP/2 ($split)" test "$split" -eq 20
finish
