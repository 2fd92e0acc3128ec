#!/usr/bin/env bash
# resp_skip: a large response is counted, not copied, past what the decoders
# need (its head and a 4 KiB body prefix), and decoding stays exact (issue
# 22). resp_skip_peer.py serves 1 MiB JSON exports on keep-alive
# connections in 16 KiB writes; the collector tells the kernel how many
# response bytes of each to skip (its Content-Length).
#   A: /export, /item?<sqli>, /export, /small: each export is one event with
#      status 200 and resp_bytes exactly head + 1 MiB; the sqli after the
#      first export is judged; the inventory finds the emails and cards in
#      the export's first KiB; the ring carries far fewer bytes than the
#      exports answered (the test failed on this before the skip existed:
#      every byte was copied).
#   B: /lie declares 300000 bytes and sends 100: the decoder takes what
#      follows as its body, as the client's own parser would; the skip the
#      collector asked for ends where that body ends, in the middle of the
#      next export, and what follows is decoded again: /after1 and /after2
#      (both sqli) are judged, /after2's answer is decoded exactly.
#   C: /nocontent is a 204 declaring Content-Length: 300000: no body, as
#      the client's parser knows; the export after it is one exact event
#      and /after3 (sqli) is judged. Before, the decoder took the 204's
#      length for a body and named the export to the kernel to skip.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 43000 5000)
MPORT=$(free_port 48000 1000)
PEER="$ROOT/tests/integration/resp_skip_peer.py"
bg col env SIDEWATCH_INVENTORY=on "$COLLECTOR" --stdout --name col --netns self --no-tls \
	--metrics-listen "127.0.0.1:$MPORT"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
bg srv python3 "$PEER" server "$PORT"
wait_for 10 grep -q serving "$T/srv.out" || die "the peer did not start"

python3 "$PEER" client "$PORT" >"$T/sent.jsonl" || die "the client failed"
expect_eq "answers read by the client" "$(wc -l <"$T/sent.jsonl")" 11
sleep 3 # the inventory's tick
curl -sf --max-time 10 "http://127.0.0.1:$MPORT/inventory.json" -o "$T/inv.json" || true
check "collector survived" kill -0 "$PID_col"
stop_collector col

python3 - "$T/sent.jsonl" "$T/col.out" "$PORT" >"$T/check.txt" 2>&1 <<'PY' || true
import json, sys
sent = [json.loads(l) for l in open(sys.argv[1])]
port = sys.argv[3]
ex, verdicts = [], set()
for line in open(sys.argv[2]):
    e = json.loads(line)
    if not e.get("dst", "").endswith(":" + port):
        continue
    if e.get("kind") == "verdict":
        if e.get("rule") == "sqli":
            verdicts.add(e.get("path"))
    elif e.get("kind") == "session" and e.get("path"):
        ex.append(e)
want = {s["path"]: s["head"] + s["body"] for s in sent if s["conn"] == "A"}
srca = {e["src"] for e in ex if e["path"] == "/small"}
exports = [e for e in ex if e["path"] == "/export" and e.get("status") == 200
           and e.get("resp_bytes") == want["/export"] and e["src"] in srca]
print("exports_exact", len(exports))
small = [e for e in ex if e["path"] == "/small"]
print("small", small and small[0].get("status"), small and small[0].get("resp_bytes") == want["/small"])
# B: the decoder trusts the lie's Content-Length, as the client's own
# parser would: /after1's answer, /export's head and the start of its body
# are the lie's body; the framing is lost where the declared length ends
# (mid-export) and found again at /after2's answer, which the FIFO pairs
# with the oldest request still waiting (/export; /after1 and /after2 end
# unanswered). Skipping must leave this view exactly as it is without it.
lie = [s for s in sent if s["path"] == "/lie"][0]
a2 = [s for s in sent if s["path"] == "/after2"][0]
wantb = [("/lie", 200, lie["head"] + 300000), ("/after1", 0, 0),
         ("/export", 200, a2["head"] + a2["body"]), ("/after2", 0, 0)]
srcb = [e["src"] for e in ex if e["path"] == "/lie"]
gotb = [(e["path"], e.get("status"), e.get("resp_bytes")) for e in ex if e["src"] in srcb]
print("connb", "as-declared" if gotb == wantb else "got %s want %s" % (gotb, wantb))
nc = [s for s in sent if s["conn"] == "C"]
srcc = [e["src"] for e in ex if e["path"] == "/nocontent"]
gotc = [(e["path"], e.get("status"), e.get("resp_bytes")) for e in ex if e["src"] in srcc]
wantc = [(s["path"], 204 if s["path"] == "/nocontent" else 200, s["head"] + s["body"]) for s in nc]
print("connc", "exact" if gotc == wantc else "got %s want %s" % (gotc, wantc))
print("requests", " ".join(sorted({e["path"] for e in ex})))
for e in ex:
    print("event", e["path"], e.get("status"), e.get("resp_bytes"), e.get("src"))
print("judged", " ".join(sorted(verdicts)))
PY
sed 's/^/   /' "$T/check.txt"
l() { grep -F -- "$1 " "$T/check.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "A: both 1 MiB exports are events with status 200 and exact resp_bytes" "$(l exports_exact)" 2
expect_eq "A: the answer after them is decoded exactly" "$(l small)" "200 True"
expect_eq "B: the lie's declared length is followed, and the framing found again at /after2's answer" "$(l connb)" "as-declared"
expect_eq "C: a 204's Content-Length frames no body; the export after it is exact" "$(l connc)" "exact"
expect_eq "every request is an event" "$(l requests)" "/after1 /after2 /after3 /export /item /lie /nocontent /small"
expect_eq "the sqli after a skipped export and those after the lie are judged" "$(l judged)" "/after1 /after2 /after3 /item"
check "the inventory found emails and cards in the export's prefix" python3 - "$T/inv.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
e = [i for i in inv["items"] if i["template"] == "/export"][0]
print("   /export response data classes:", e["response_data_classes"])
sys.exit(0 if {"email", "card"} <= set(e["response_data_classes"]) else 1)
PY
COPIED=$(counter col kernel bytes_copied)
SKIPPED=$(counter col kernel bytes_skipped 2>/dev/null || echo 0)
echo "   kernel: bytes_copied $COPIED, bytes_skipped $SKIPPED"
# 4 MiB of exports were answered: without the skip all of it is copied.
# B's export is copied after the lie's declared end (the decoder lost the
# framing there), A's two are skipped past their first writes.
check "far fewer bytes copied than the 4 MiB answered (< 1.25 MiB)" test "$COPIED" -lt $((1280 * 1024))
check "the skipped bytes are counted (>= 1.5 MiB)" test "$SKIPPED" -ge $((1536 * 1024))
expect_eq "the decoders were handed every skipped byte as a skip" "$(counter col conn skipped_bytes)" "$SKIPPED"
expect_eq "no skipped byte was taken for a loss" "$(counter col conn gap_bytes)" 0
expect_eq "no byte was lost in the kernel" "$(counter col kernel bytes_gap)" 0
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
finish
