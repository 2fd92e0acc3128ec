#!/usr/bin/env bash
# grpc_gzip: gRPC messages a python3-grpcio client compresses (the channel's
# compression=grpc.Compression.Gzip, and Deflate) are judged on their text
# (issue 20, item 6). Loopback, alert mode. Checked:
#   1. the server read every call (grpcio decodes them itself);
#   2. the gzip'd SQL injection and XSS, and the deflate'd SQL injection,
#      draw sqli, xss and sqli verdicts naming their method;
#   3. the gzip'd benign message (SQL words, an apostrophe) draws none;
#   4. no compressed message went undecoded (no grpc.coded_unjudged).
# SW_COLLECTOR=PATH runs another build (main's before this change fails
# check 2: the compressed bytes were never read).
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
PEER="$ROOT/tests/integration/grpc_gzip_peer.py"
GPORT=$(free_port 14000 2500)
bg grpcsrv $PY "$PEER" server "$GPORT"
wait_for 10 grep -q serving "$T/grpcsrv.out" || die "gRPC server did not start"
start_collector col --netns self
$PY "$PEER" client "$GPORT" >"$T/calls.jsonl"
sleep 1
check "collector alive" kill -0 "$PID_col"
stop_collector col
cat "$T/calls.jsonl"

check "the server read all 4 compressed calls" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if len(rows) == 4 and all(r["read"] for r in rows) else 1)' "$T/calls.jsonl"
grep '"kind":"verdict"' "$T/col.out" | grep "\"dst\":\"127.0.0.1:$GPORT\"" >"$T/v.jsonl" || true
cut -c1-400 "$T/v.jsonl"
expect_eq "verdicts against the gRPC server (path rule)" "$(python3 -c '
import json, sys
print(";".join(sorted("%s %s" % (e.get("path"), e["rule"]) for e in map(json.loads, open(sys.argv[1])))))' "$T/v.jsonl")" \
	"/demo.Search/Find sqli;/demo.Search/Lookup sqli;/demo.Search/Render xss"
check "no compressed message went undecoded" bash -c "! grep -q grpc.coded_unjudged '$T/col.out'"
finish
