#!/usr/bin/env bash
# websocket: python3-websockets server and client exchange text and binary
# messages of many sizes (up to 1 MiB), a ping, a fragmented message and a
# close with code 4001; the collector reports one open and one close event
# whose counts equal exactly what the peers sent.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 16000 2500)
start_collector col --netns self
bg wssrv /usr/bin/python3 "$ROOT/tests/integration/ws_peer.py" server "$PORT"
wait_for 10 grep -q serving "$T/wssrv.out" || die "WebSocket server did not start"
/usr/bin/python3 "$ROOT/tests/integration/ws_peer.py" client "$PORT" >"$T/expected.jsonl" &
GOOD=$!
# Misbehaving clients on their own connections while the good one runs.
for m in huge-length fragment-storm after-close unmasked foreign-origin; do
	/usr/bin/python3 "$ROOT/tests/integration/wsattack.py" 127.0.0.1 "$PORT" "$m"
done
wait "$GOOD"
sleep 1
check "collector survived the bad frames" kill -0 "$PID_col"
stop_collector col

echo "-- bad frames: counted on their own connections"
for a in ws.oversize_frame ws.fragment_storm ws.data_after_close ws.unmasked_client ws.foreign_origin; do
	n=$(counter col websocket "$a")
	check "$a counted ($n)" test "$n" -ge 1
done

grep '"kind":"session"' "$T/col.out" | grep "\"proto\":\"websocket\".*\"dst\":\"127.0.0.1:$PORT\"" >"$T/ws.jsonl" || true
cat "$T/ws.jsonl" | cut -c1-400
# the good client's connection: the one whose close code is 4001
grep '"phase":"close"' "$T/ws.jsonl" | grep '"close_code":4001' >"$T/ws-close.jsonl" || true
check "the close event counts messages and bytes exactly, with the close code" \
	python3 "$ROOT/tests/integration/check_events.py" "$T/expected.jsonl" "$T/ws-close.jsonl" \
	--fields proto,phase,path,client_msgs,server_msgs,client_bytes,server_bytes,close_code
expect_eq "one open event per connection" "$(grep -c '"phase":"open"' "$T/ws.jsonl")" 6
check "open event has path, query-free, and origin" \
	grep -q "\"phase\":\"open\".*\"path\":\"/chat\",\"origin\":\"http://127.0.0.1:$PORT\"" "$T/ws.jsonl"
# The 1 MiB message is larger than the kernel's per-call copy budget
# (SW_MAX_CHUNKS x SW_CHUNK): its tail is a counted gap, not an anomaly of
# the peers, so ws.gap is the only name allowed here.
check "no protocol anomaly on the well-behaved connection" python3 - "$T/ws-close.jsonl" <<'PY'
import json, sys
bad = [k for l in open(sys.argv[1]) for k in json.loads(l).get("anomalies", {}) if k != "ws.gap"]
print("  anomalies:", bad) if bad else None
sys.exit(1 if bad else 0)
PY
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
finish
