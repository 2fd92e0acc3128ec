#!/usr/bin/env bash
# ws_deflate_fair: one client's idle permessage-deflate connections cannot
# take decoding from another client (issue 20, robustness). A flood of
# 36 x 8 python3-websockets connections, 8 from each of 36 loopback /24s
# (127.0.10.0 ...), each sends one message and idles: more than the 256
# windows the collector keeps (ws_inflate_windows default). Then a client
# from 127.0.0.1 sends an SQL injection compressed; then every flood
# connection sends one more message. Checked:
#   1. every peer agreed permessage-deflate and got its echoes;
#   2. the other client's SQL injection draws an sqli verdict (before: its
#      connection got no window, its messages were only counted);
#   3. the connections whose windows went (the least recently used of the
#      clients holding the most: 32 for the flood past 256, 1 for the
#      other client) are the ones counted ws.coded_unjudged, once each,
#      on their second message.
# SW_COLLECTOR=PATH runs another build.
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
PEER="$ROOT/tests/integration/ws_deflate_peer.py"
PORT=$(free_port 17000 2500)
bg wssrv $PY "$PEER" server "$PORT"
wait_for 10 grep -q serving "$T/wssrv.out" || die "WebSocket server did not start"
start_collector col --netns self

bg flood $PY "$PEER" flood "$PORT" 36 8 "$T/go"
wait_for 60 grep -q '^idle' "$T/flood.out" || die "the flood did not open its connections"
$PY "$PEER" client "$PORT" sqli >"$T/victim.jsonl"
touch "$T/go"
wait_for 60 grep -q '"kind": "flood"' "$T/flood.out" || die "the flood did not finish"
sleep 1
check "collector alive" kill -0 "$PID_col"
stop_collector col
cat "$T/victim.jsonl"; grep flood "$T/flood.out"

check "the other client agreed permessage-deflate and got its 3 echoes" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
sys.exit(0 if "permessage-deflate" in (r["extensions"] or "") and r["echoes"] == 3 else 1)' "$T/victim.jsonl"
expect_eq "the flood's 288 connections echoed" \
	"$(grep -o '"echoes": [0-9]*' "$T/flood.out")" '"echoes": 288'
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$PORT\"" >"$T/v.jsonl" || true
expect_eq "the other client's SQL injection judged" "$(python3 -c '
import json, sys
print(" ".join(sorted({e["rule"] for e in map(json.loads, open(sys.argv[1]))
                       if e["src"].startswith("127.0.0.1:")})))' "$T/v.jsonl")" sqli
expect_eq "the evicted connections counted, once each" \
	"$(counter col websocket ws.coded_unjudged)" 33
grep '"kind":"counters"' "$T/col.err" | tail -1 | python3 -c '
import json, sys; print("   ws_inflate:", json.load(sys.stdin).get("ws_inflate"))'
finish
