#!/usr/bin/env bash
# demo: `make demo` in its short mode. The scripted multi-stage attack must
# be detected and acted on where it happened, the spread credential
# stuffing must become one fleet incident and block, the benign clients
# must see no errors, and the report must come from SQL.
source "$(dirname "$0")/lib.sh"
require_kernel

DEMO_SHORT=1 timeout 280 bash "$ROOT/tools/demo.sh" >"$T/demo.txt" 2>&1 || { tail -30 "$T/demo.txt"; die "demo failed"; }
sed 's/\x1b\[[0-9;]*m//g' "$T/demo.txt" >"$T/demo.plain"
cat "$T/demo.plain"
check "scan detected and blocked on h1" grep -qE '\[h1\] scanning +block +from 10.213.6.11' "$T/demo.plain"
check "SQL injection killed on h2" grep -qE '\[h2\] sqli +kill +from 10.213.6.12' "$T/demo.plain"
check "the injector's connection was reset" grep -q '"after": "ConnectionResetError"' "$T/demo.plain"
check "credential stuffer dropped on h3" grep -q "stuffer's next connection to h3: {\"probe\": \"timeout\"}" "$T/demo.plain"
check "HTTP/2 rapid reset blocked on h3" grep -qE '\[h3\] h2_rapid_reset +block +from 10.213.6.14' "$T/demo.plain"
check "WebSocket flood cut on h3" grep -qE '\[h3\] ws_abuse +kill +from 10.213.6.15' "$T/demo.plain"
check "one fleet incident naming h1,h2,h3" grep -qE 'fleet.bruteforce.source \| high +\| open +\| h1,h2,h3 \| 10.213.6.13' "$T/demo.plain"
check "the fleet block is in the report" grep -qE '10.213.6.13/32 \| correlator' "$T/demo.plain"
for i in 1 2 3; do
	check "benign client on h$i saw no errors" grep -qE "h$i: \{\"ok\": [0-9]+, \"errors\": 0\}" "$T/demo.plain"
done
finish
