#!/usr/bin/env bash
# grpc_late: a gRPC call's messages past the first 4 KiB are judged (the
# review's bypass: a 4103-byte first message, then an SQL injection, drew
# no verdict and no alert, plain or compressed). python3-grpcio client
# streaming two messages per call, loopback, alert mode. Checked:
#   1. the server read both messages of both calls;
#   2. the plain call (LatePlain): its second message, in the h2 windows
#      past the kept prefix, draws an sqli verdict naming its method;
#   3. the gzip channel (Late: the random first message goes plain, the
#      second compressed, past the prefix): collected and decoded at its
#      end, an sqli verdict (before: only the evasion alert
#      grpc.coded_unjudged);
#   4. LateZip (gzip channel, one message: 6000 bytes of text then the
#      SQL injection, kept whole compressed, decoded past the 4 KiB):
#      an sqli verdict naming its method.
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
PEER="$ROOT/tests/integration/grpc_late_peer.py"
GPORT=$(free_port 14000 2500)
bg grpcsrv $PY "$PEER" server "$GPORT"
wait_for 10 grep -q serving "$T/grpcsrv.out" || die "gRPC server did not start"
start_collector col --netns self
$PY "$PEER" client "$GPORT" >"$T/calls.jsonl"
sleep 1
check "collector alive" kill -0 "$PID_col"
stop_collector col
cat "$T/calls.jsonl"
expect_eq "the server read both messages of both calls" \
	"$(grep -c '"got": "ok:4103,188"' "$T/calls.jsonl")" 2
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$GPORT\"" >"$T/v.jsonl" || true
cut -c1-300 "$T/v.jsonl"
rules_of() {
	python3 -c '
import json, sys
print(" ".join(sorted({e["rule"] for e in map(json.loads, open(sys.argv[1])) if e.get("path") == sys.argv[2]})))' "$T/v.jsonl" "$1"
}
expect_eq "LatePlain: the late SQL injection judged" "$(rules_of /demo.Search/LatePlain)" sqli
expect_eq "Late: the late compressed message (not kept) collected, decoded and judged" \
	"$(rules_of /demo.Search/Late)" sqli
expect_eq "LateZip: the server read the message" "$(grep -c '"got": "ok:6062"' "$T/calls.jsonl")" 1
expect_eq "LateZip: the SQL injection past 4 KiB of text judged" \
	"$(rules_of /demo.Search/LateZip)" sqli
finish
