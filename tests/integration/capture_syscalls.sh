#!/usr/bin/env bash
# capture_syscalls: capture coverage end to end, in a private namespace host
# whose collector (--netns self) sees only this test's traffic.
#  - IPv6: nginx on [::1] answers curl; each exchange is exactly one event
#    with [::1] addresses and the sizes curl measured;
#  - the other socket calls: a python3 server that reads with recvmsg() /
#    readv() into two buffers and answers with sendmsg() / writev() of three
#    (over IPv4 and IPv6), a client that sends with sendmsg() / writev():
#    each exchange one event, method, path, status, req_bytes and resp_bytes
#    exactly as the peers sent them;
#  - splice() and sendfile() bodies have no user buffer: the exchange is
#    still one event with its status, marked (body_gap or truncated
#    "capture"), and the kernel's bytes_gap counter grows by exactly the
#    bodies' bytes, never silently;
#  - the client side (curl's socket, not copied) leaves early, its bytes
#    still counted: ignored_bytes grows by exactly what curl sent and read;
#    a second collector with --capture-client copies it: each IPv6
#    exchange is two events there (nginx's socket and curl's), both exact.
# SW_BREAK=elsewhere runs the collector in another namespace (it sees
# nothing: every event check fails); SW_BREAK=off1 expects one byte more
# than the peers measured (the size checks fail).
source "$(dirname "$0")/lib.sh"
require_kernel
PEER="/usr/bin/python3 $ROOT/tests/integration/syscall_peer.py"
BODY=3000  # syscall_peer.py's body
OFF=0
[ "${SW_BREAK:-}" = off1 ] && OFF=1

net_host h 10.213.29.1
net_host other 10.213.29.2
CNS=$NS_h
[ "${SW_BREAK:-}" = elsewhere ] && CNS=$NS_other
P=$(free_port_in h 14000 1000 1) || die "no free ports"
make_www "$T/www"
nginx_skeleton "$T/nginx.conf" "127.0.0.1:$P" "$T/www" \
	"location = /api/echo { return 200 \"echo\\n\"; }" "" ""
sed -i "s|listen 127.0.0.1:$P;|listen [::1]:$P;|" "$T/nginx.conf"
grep -q "listen \[::1\]:$P;" "$T/nginx.conf" || die "could not make nginx listen on [::1]"

bg col ip netns exec "$CNS" "$COLLECTOR" --stdout --name col --netns self --no-tls --metrics-listen off
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
bg colc ip netns exec "$CNS" "$COLLECTOR" --stdout --name colc --netns self --no-tls --metrics-listen off --capture-client
wait_for 30 grep -q '^ready$' "$T/colc.err" || { cat "$T/colc.err" >&2; die "collector (--capture-client) did not start"; }
KCNT_MAP=
for id in $(awk '/^map_id:/ {print $2}' /proc/"$PID_col"/fdinfo/* 2>/dev/null | sort -un); do
	if bpftool map show id "$id" 2>/dev/null | grep -q ' name sw_counters '; then KCNT_MAP=$id; fi
done
[ -n "$KCNT_MAP" ] || die "the collector's sw_counters map not found"
kcount() { # INDEX: the collector's kernel counter, summed over CPUs
	bpftool -j map dump id "$KCNT_MAP" | python3 -c '
import json, sys
i = int(sys.argv[1])
def n(v):
    return v if isinstance(v, int) else int.from_bytes(bytes(int(b, 16) for b in v), "little")
for e in json.load(sys.stdin):
    if n(e["key"]) == i:
        print(sum(n(v["value"]) for v in e["values"]))' "$1"
}
GAP=2  # SW_CNT_BYTES_GAP in bpf/abi.h
IGN=6  # SW_CNT_IGNORED_BYTES

bg nginx in_host h nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host h curl -sfg -o /dev/null "http://[::1]:$P/api/echo?warm=1" || die "nginx on [::1] not reachable"

# events DST : session events to DST, one JSON per line
events() { grep '"kind":"session"' "$T/col.out" | grep -F "\"dst\":\"$1\"" || true; }
nevents() { [ "$(events "$1" | wc -l)" -ge "$2" ]; }

echo "-- IPv6: nginx on [::1], curl"
: >"$T/v6.txt"
ign0=$(kcount $IGN)
for i in 1 2 3; do
	in_host h curl -sfg -o /dev/null -w '%{size_request} %{size_header} %{size_download}\n' \
		"http://[::1]:$P/api/echo?v6=$i" >>"$T/v6.txt"
done
wait_for 10 nevents "[::1]:$P" 4 || true
# curl's own socket is the client side (not copied): every byte it sent and
# received is still counted, by the early exit that skips it
expect_eq "client side: ignored_bytes grew by exactly curl's bytes (+$OFF)" \
	"$(( $(kcount $IGN) - ign0 + OFF ))" "$(awk '{ n += $1 + $2 + $3 } END { print n }' "$T/v6.txt")"
cevents() { grep '"kind":"session"' "$T/colc.out" | grep -F "\"dst\":\"[::1]:$P\"" | grep -v 'warm=1' || true; }
wait_for 10 eval '[ "$(cevents | wc -l)" -ge 6 ]' || true
cevents >"$T/v6c.json"
check "capture_client: each IPv6 exchange twice (server and client socket), sizes curl measured (+$OFF)" python3 - "$T/v6c.json" "$T/v6.txt" "$OFF" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
cu = [list(map(int, l.split())) for l in open(sys.argv[2])]
off = int(sys.argv[3])
ok = len(ev) == 6 and len(cu) == 3
for i, (req, hdr, body) in enumerate(cu, 1):
    mine = [e for e in ev if e.get("query") == "v6=%d" % i]
    good = len(mine) == 2 and all(e["status"] == 200 and e["req_bytes"] == req + off and
                                  e["resp_bytes"] == hdr + body + off for e in mine)
    if not good:
        print("   mismatch v6=%d:" % i, [(e.get("req_bytes"), e.get("resp_bytes")) for e in mine], "curl", req, hdr + body)
    ok = ok and good
print("   events:", len(ev))
sys.exit(0 if ok else 1)
PY
events "[::1]:$P" | grep -v 'warm=1' >"$T/v6.json" || true
expect_eq "three IPv6 exchanges, three events" "$(wc -l <"$T/v6.json")" 3
check "IPv6 events: [::1] client and server, GET /api/echo 200, sizes curl measured (+$OFF)" python3 - "$T/v6.json" "$T/v6.txt" "$OFF" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
cu = [list(map(int, l.split())) for l in open(sys.argv[2])]
off = int(sys.argv[3])
ev.sort(key=lambda e: e["query"])
ok = len(ev) == 3 == len(cu)
for i, (e, (req, hdr, body)) in enumerate(zip(ev, cu), 1):
    good = (e["src"].startswith("[::1]:") and e["method"] == "GET" and e["path"] == "/api/echo"
            and e["query"] == "v6=%d" % i and e["status"] == 200
            and e["req_bytes"] == req + off and e["resp_bytes"] == hdr + body + off)
    if not good:
        print("   mismatch:", e.get("src"), e.get("query"), e.get("req_bytes"), e.get("resp_bytes"), "curl", req, hdr + body)
    ok = ok and good
sys.exit(0 if ok else 1)
PY

# peer_case MODE FAMILY ADDR PORT N : N exchanges through syscall_peer.py;
# checks one event each with the peers' sizes
peer_case() {
	local mode=$1 fam=$2 addr=$3 port=$4 n=$5 dst i
	dst="$addr:$port"
	[ "$fam" = 6 ] && dst="[$addr]:$port"
	bg "srv_$mode$fam" in_host h $PEER server "$fam" "$addr" "$port" "$mode" "$n"
	local pv="PID_srv_$mode$fam"
	wait_for 10 grep -q listening "$T/srv_$mode$fam.out" || die "peer server $mode did not start"
	: >"$T/cli_$mode$fam.txt"
	for i in $(seq 1 "$n"); do
		in_host h $PEER client "$fam" "$addr" "$port" "$mode" "/peer/$mode/$i" >>"$T/cli_$mode$fam.txt"
	done
	wait "${!pv}" 2>/dev/null || true
	wait_for 10 nevents "$dst" "$n" || true
	events "$dst" >"$T/ev_$mode$fam.json"
	expect_eq "$mode (IPv$fam): $n exchanges, $n events" "$(wc -l <"$T/ev_$mode$fam.json")" "$n"
	python3 - "$T/ev_$mode$fam.json" "$T/cli_$mode$fam.txt" "$mode" "$OFF" "$BODY" >"$T/res_$mode$fam.txt" <<'PY'
import json, sys
ev = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda e: e["path"])
cl = [l.split() for l in open(sys.argv[2])]
mode, off, body = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
gap = mode in ("splice", "sendfile")
for i, (e, c) in enumerate(zip(ev, cl), 1):
    sent, got, status = int(c[1]), int(c[3]), c[4]
    what = "%s %s" % (e.get("method"), e.get("path"))
    print("ok" if status == "200" and e["method"] == "GET" and e["path"] == "/peer/%s/%d" % (mode, i)
          and e["status"] == 200 else "bad", "exchange %d decoded: %s -> %s (client saw %s)" % (i, what, e.get("status"), status))
    print("ok" if e["req_bytes"] == sent + off else "bad",
          "exchange %d req_bytes %s = %d the client sent (+%d)" % (i, e["req_bytes"], sent, off))
    if gap:
        marked = e.get("body_gap") or "capture" in e.get("truncated", [])
        print("ok" if marked else "bad", "exchange %d: the %s body is marked as not copied (%s)" %
              (i, mode, {k: e[k] for k in ("body_gap", "truncated") if k in e}))
    else:
        print("ok" if e["resp_bytes"] == got + off else "bad",
              "exchange %d resp_bytes %s = %d the client received (+%d)" % (i, e["resp_bytes"], got, off))
        print("ok" if not e.get("body_gap") and not e.get("truncated") and not e.get("anomalies") else "bad",
              "exchange %d: complete, no gap, no anomaly" % i)
PY
	while read -r res what; do
		if [ "$res" = ok ]; then ok "$mode (IPv$fam): $what"; else bad "$mode (IPv$fam): $what"; fi
	done <"$T/res_$mode$fam.txt"
}

echo "-- recvmsg/sendmsg, readv/writev"
G0=$(kcount $GAP)
peer_case msg 4 127.0.0.1 $((P + 1)) 2
peer_case vec 6 ::1 $((P + 2)) 2
peer_case msg 6 ::1 $((P + 3)) 1
G1=$(kcount $GAP)
expect_eq "no bytes reported as gaps for msg/vec calls" "$((G1 - G0))" 0

echo "-- splice and sendfile: counted gaps"
peer_case splice 4 127.0.0.1 $((P + 4)) 2
G2=$(kcount $GAP)
expect_eq "splice: bytes_gap grew by exactly the 2 bodies (2 x $BODY, +$OFF)" "$((G2 - G1))" $((2 * BODY + OFF))
peer_case sendfile 4 127.0.0.1 $((P + 5)) 2
G3=$(kcount $GAP)
expect_eq "sendfile: bytes_gap grew by exactly the 2 bodies (2 x $BODY, +$OFF)" "$((G3 - G2))" $((2 * BODY + OFF))
stop_collector col
finish
