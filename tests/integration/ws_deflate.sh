#!/usr/bin/env bash
# ws_deflate: WebSocket messages compressed with permessage-deflate (RFC
# 7692), as python3-websockets does by default, are judged on their text
# (issue 20, item 6). Both ends are python3-websockets with default
# compression (the server agrees client_max_window_bits=12, context
# takeover on); loopback, alert mode. Checked:
#   1. the peers agreed permessage-deflate and every message was echoed;
#   2. a client whose second message is an SQL injection (its words also
#      in the first message: the compressor refers back to it) draws an
#      sqli verdict, an XSS one an xss verdict;
#   3. a benign client (SQL words and an apostrophe in prose) draws none;
#   4. no compressed message went undecoded, but for a raw client's RSV1
#      frame that is no DEFLATE stream: ws.coded_unjudged once, and the
#      evasion rule's alert for it.
# SW_COLLECTOR=PATH runs another build (main's before this change: checks
# 2 and 4 fail, the compressed messages were never read).
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
PEER="$ROOT/tests/integration/ws_deflate_peer.py"
PORT=$(free_port 17000 2500)
bg wssrv $PY "$PEER" server "$PORT"
wait_for 10 grep -q serving "$T/wssrv.out" || die "WebSocket server did not start"
start_collector col --netns self

: >"$T/clients.jsonl"
for k in benign sqli xss benign; do
	$PY "$PEER" client "$PORT" "$k" >>"$T/clients.jsonl"
done
$PY "$PEER" client "$PORT" junk >"$T/junk.jsonl"
sleep 1
check "collector alive" kill -0 "$PID_col"
stop_collector col
cat "$T/clients.jsonl" "$T/junk.jsonl"

echo "-- the peers compressed"
check "every client agreed permessage-deflate and got its 3 echoes" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if len(rows) == 4 and all("permessage-deflate" in (r["extensions"] or "") and
         r["echoes"] == 3 for r in rows) else 1)' "$T/clients.jsonl"

echo "-- verdicts"
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$PORT\"" >"$T/v.jsonl" || true
cut -c1-400 "$T/v.jsonl"
expect_eq "verdicts against the WebSocket server (rule proto)" "$(python3 -c '
import json, sys, collections
c = collections.Counter("%s %s" % (e["rule"], e["proto"]) for e in map(json.loads, open(sys.argv[1])))
print(";".join("%d %s" % (n, k) for k, n in sorted(c.items())))' "$T/v.jsonl")" \
	"1 evasion websocket;1 sqli websocket;1 xss websocket"
check "the evasion alert names ws.coded_unjudged" grep -q 'ws.coded_unjudged.*"rule":"evasion"\|"rule":"evasion".*ws.coded_unjudged' "$T/v.jsonl"
expect_eq "compressed messages not decoded (the junk frame only)" \
	"$(counter col websocket ws.coded_unjudged)" 1
expect_eq "no message went unjudged for budget" "$(counter col websocket ws.message_unjudged)" 0
finish
