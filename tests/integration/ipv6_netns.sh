#!/usr/bin/env bash
# ipv6_netns: IPv6 between network-namespace hosts, captured and enforced.
# nginx listens only on [fd00:10:213::1]:80 in host srv (a ULA prefix that
# exists only on this test's veth pairs); its collector runs there in
# enforce mode (--netns self), xss made a 30 s block.
#  - capture: three curl requests from ben [fd00:10:213::2] are three
#    session events with those exact addresses and the sizes curl measured;
#  - kill over IPv6: an SQL injection from atk [fd00:10:213::3] on a
#    connection it keeps open is a kill verdict naming that address, the
#    client sees ECONNRESET, and srv holds no connection to atk after;
#  - block over IPv6: an XSS from atk2 [fd00:10:213::4] is a block verdict;
#    sw_block holds the 128-bit key of exactly that address (looked up in
#    the collector's map, as enforce.bpf.c looks up a packet); atk2's next
#    connection times out (curl exit 28) with the kernel's drop counter
#    grown, while ben [fd00:10:213::2] - same /64 - is still served.
#  - ipv6_prefix: 64 (a second collector): an XSS from atk's
#    [fd00:10:215::13] is a block of its /64 (verdict client
#    "ip:fd00:10:215::/64"): [fd00:10:215::3], which never sent a byte,
#    times out too, while atk's address in srv's own /64 is served; an XSS
#    from atk2 inside srv's /64 is narrowed to atk2's address (the /64
#    holds srv's own), and ben is still served.
# SW_BREAK=monitor (no kill, no block), SW_BREAK=elsewhere (the collector
# in ben's namespace: sees nothing of srv) and SW_BREAK=prefix128 (the
# second collector counts each address alone) make the checks fail.
source "$(dirname "$0")/lib.sh"
require_kernel
PFX=fd00:10:213
SRV6=$PFX::1

net_host srv 10.213.33.1
net_host ben 10.213.33.2
net_host atk 10.213.33.3
net_host atk2 10.213.33.4
i=1
for h in srv ben atk atk2; do
	# nodad: usable at once, not "tentative" for a second
	in_host "$h" ip -6 addr add "$PFX::$i/64" dev eth0 nodad
	i=$((i + 1))
done
make_www "$T/www"
nginx_conf "$T/nginx.conf" "[$SRV6]:80" "$T/www"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host ben curl -sfg -o /dev/null "http://[$SRV6]/api/echo?warm=1" ||
	die "nginx on [$SRV6]:80 not reachable from ben"

python3 - "$ROOT/deploy/rules.yaml" >"$T/rules.yaml" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r"(\n  xss: +\{[^}]*action: )kill", r"\1block, block_ttl: 30s", t)
print(t, end="")
PY
grep -q 'action: block, block_ttl: 30s' "$T/rules.yaml" || die "test rules: could not make xss a block"
MODE=enforce
[ "${SW_BREAK:-}" = monitor ] && MODE=monitor
CNS=$NS_srv
[ "${SW_BREAK:-}" = elsewhere ] && CNS=$NS_ben
bg col ip netns exec "$CNS" "$COLLECTOR" --stdout --name col --netns self --no-tls --mode "$MODE" \
	--rules "$T/rules.yaml" --metrics-listen off
wait_for 90 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

# sess / verd : session and verdict events, one JSON per line
sess() { grep '"kind":"session"' "$T/col.out" | grep -v 'warm=1' || true; }
verd() { grep '"kind":"verdict"' "$T/col.out" || true; }

echo "-- capture: curl from ben [$PFX::2] to nginx [$SRV6]:80"
: >"$T/ben.txt"
for n in 1 2 3; do
	in_host ben curl -sfg -o /dev/null -w '%{size_request} %{size_header} %{size_download}\n' \
		"http://[$SRV6]/api/echo?v6=$n" >>"$T/ben.txt" || true
done
nsess() { [ "$(sess | grep -c '"query":"v6=')" -ge 3 ]; }
wait_for 10 nsess || true
sess | grep '"query":"v6=' >"$T/ben.json" || true
expect_eq "three exchanges, three session events" "$(wc -l <"$T/ben.json")" 3
check "events carry [$PFX::2] -> [$SRV6]:80, GET /api/echo 200 and the sizes curl measured" \
	python3 - "$T/ben.json" "$T/ben.txt" "$PFX" <<'PY'
import json, sys
ev = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda e: e["query"])
cu = [list(map(int, l.split())) for l in open(sys.argv[2])]
pfx = sys.argv[3]
ok = len(ev) == 3 == len(cu)
for i, (e, (req, hdr, body)) in enumerate(zip(ev, cu), 1):
    good = (e["src"].startswith("[%s::2]:" % pfx) and e["dst"] == "[%s::1]:80" % pfx
            and e["method"] == "GET" and e["path"] == "/api/echo" and e["query"] == "v6=%d" % i
            and e["status"] == 200 and e["req_bytes"] == req and e["resp_bytes"] == hdr + body)
    if not good:
        print("   mismatch:", e.get("src"), e.get("dst"), e.get("query"), e.get("req_bytes"),
              e.get("resp_bytes"), "curl", req, hdr + body)
    ok = ok and good
sys.exit(0 if ok else 1)
PY

# the attack on a connection kept open after its request (a kill needs a
# connection to cut); prints how it ended
cat >"$T/atk.py" <<'PY'
import errno, socket, sys
s = socket.create_connection((sys.argv[1], 80), timeout=float(sys.argv[3]))
print("from", s.getsockname()[0], s.getsockname()[1], flush=True)
s.sendall(b"GET /api/users/7?%s HTTP/1.1\r\nHost: t\r\n\r\n" % sys.argv[2].encode())
got = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            print("eof after", len(got)); break
        got += d
except socket.timeout:
    print("open after", len(got))
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno), "after", len(got))
PY

echo "-- kill over IPv6: SQL injection from atk [$PFX::3]"
# atk waits up to 6 s for the end of its connection: srv's sockets are
# listed while it would still be open had the kill not happened
bg atk ip netns exec "$NS_atk" python3 "$T/atk.py" "$SRV6" "id=1%27%20OR%201=1--" 6
hasv() { verd | grep -q "\"rule\":\"$1\""; }
wait_for 5 hasv sqli || true
sleep 0.2
in_host srv ss -Htan >"$T/ss.txt" || true
wait "$PID_atk" 2>/dev/null || true
echo "   atk: $(tr '\n' ' ' <"$T/atk.out")"
APORT=$(awk '/^from/ {print $3}' "$T/atk.out")
check "the attacker's connection was cut (ECONNRESET)" grep -q '^ECONNRESET after' "$T/atk.out"
check "a kill verdict for sqli from [$PFX::3]:$APORT to [$SRV6]:80" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"kind\":\"verdict\"" in l]
want = "[%s::3]:%s" % (sys.argv[2], sys.argv[3])
ok = [e for e in v if e["rule"] == "sqli" and e["action"] == "kill" and e["src"] == want
      and e["dst"] == "[%s::1]:80" % sys.argv[2]]
sys.exit(0 if len(ok) == 1 else 1)' "$T/col.out" "$PFX" "$APORT"
check "ss in srv lists nginx's listener [$SRV6]:80 (the listing below is real)" \
	awk -v a="[$SRV6]:80" '$1 == "LISTEN" && $4 == a {f = 1} END {exit !f}' "$T/ss.txt"
expect_eq "srv held no socket whose peer is atk [$PFX::3] right after the verdict" \
	"$(awk -v p="[$PFX::3]:" 'index($5, p) == 1' "$T/ss.txt" | wc -l)" 0

echo "-- block over IPv6: XSS from atk2 [$PFX::4]"
ENF_MAP=$(bpf_map_of "$PID_col" sw_enf_counters) || ENF_MAP=
dropped() { # SW_ENF_DROPPED (bpf/abi.h: 1), over all CPUs; -1 without the map
	[ -n "$ENF_MAP" ] || { echo -1; return 0; }
	bpftool -j map lookup id "$ENF_MAP" key 1 0 0 0 | python3 -c '
import json, sys
d = json.load(sys.stdin)
n = lambda v: v if isinstance(v, int) else int.from_bytes(bytes(int(b, 16) for b in v), "little")
print(sum(n(v["value"]) for v in d["values"]))'
}
in_host atk2 python3 "$T/atk.py" "$SRV6" "q=%3Cscript%3Ealert(1)%3C/script%3E" 3 >"$T/atk2.txt" 2>&1 || true
echo "   atk2: $(tr '\n' ' ' <"$T/atk2.txt")"
wait_for 5 hasv xss || true
A2PORT=$(awk '/^from/ {print $3}' "$T/atk2.txt")
check "a block verdict for xss from [$PFX::4]:$A2PORT" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"kind\":\"verdict\"" in l]
want = "[%s::4]:%s" % (sys.argv[2], sys.argv[3])
sys.exit(0 if [e for e in v if e["rule"] == "xss" and e["action"] == "block" and e["src"] == want] else 1)' \
	"$T/col.out" "$PFX" "$A2PORT"
BLK_MAP=$(bpf_map_of "$PID_col" sw_block) || BLK_MAP=none
# struct sw_block_key: __u32 prefixlen 128 (little endian), then the address
key6() { python3 -c '
import ipaddress, sys
print(" ".join("%02x" % b for b in (128).to_bytes(4, "little") + ipaddress.IPv6Address(sys.argv[1]).packed))' "$1"; }
# shellcheck disable=SC2046
check "sw_block holds [$PFX::4] (LPM lookup of its 128-bit key)" \
	bash -c "bpftool map lookup id '$BLK_MAP' key hex $(key6 "$PFX::4") >'$T/blk.json' 2>&1"
check "sw_block does not cover ben [$PFX::2], same /64" \
	bash -c "[ '$BLK_MAP' != none ] && ! bpftool map lookup id '$BLK_MAP' key hex $(key6 "$PFX::2") >/dev/null 2>&1"
D0=$(dropped)
rc=0
in_host atk2 curl -sg -o /dev/null --connect-timeout 2 --max-time 3 "http://[$SRV6]/api/echo?again=1" || rc=$?
expect_eq "atk2's next connection times out (curl exit 28): its packets are dropped" "$rc" 28
D1=$(dropped)
check "the kernel's drop counter grew during atk2's attempt ($D0 -> $D1)" [ "$D1" -gt "$D0" ]
check "ben [$PFX::2] is still served" in_host ben curl -sfg -m 3 -o /dev/null "http://[$SRV6]/api/echo?after=1"
stop_collector col
expect_eq "exit counters: enforce.kills" "$(counter col enforce kills 2>/dev/null || echo none)" 1
expect_eq "exit counters: enforce.blocks" "$(counter col enforce blocks 2>/dev/null || echo none)" 1

echo "-- ipv6_prefix: 64 - an attacker's whole /64 blocked, never the server's own"
# atk also holds two addresses of another /64, fd00:10:215::/64 (on the
# same link: srv reaches it by an on-link route)
in_host atk ip -6 addr add "fd00:10:215::3/64" dev eth0 nodad
in_host atk ip -6 addr add "fd00:10:215::13/64" dev eth0 nodad
in_host srv ip -6 route add fd00:10:215::/64 dev eth0
P64=64
[ "${SW_BREAK:-}" = prefix128 ] && P64=128
{ cat "$T/rules.yaml"; echo "ipv6_prefix: $P64"; } >"$T/rules64.yaml"
bg col64 ip netns exec "$CNS" "$COLLECTOR" --stdout --name col64 --netns self --no-tls --mode "$MODE" \
	--rules "$T/rules64.yaml" --metrics-listen off
wait_for 90 grep -q '^ready$' "$T/col64.err" || { cat "$T/col64.err" >&2; die "collector did not start"; }
cat >"$T/from.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.settimeout(3)
s.bind((sys.argv[1], 0))
s.connect((sys.argv[2], 80))
s.sendall(b"GET /api/users/7?%s HTTP/1.1\r\nHost: t\r\n\r\n" % sys.argv[3].encode())
try:
    print("got", len(s.recv(4096)))
except OSError as e:
    print("error", e)
PY
in_host atk python3 "$T/from.py" fd00:10:215::13 "$SRV6" "q=%3Cscript%3Ealert(64)%3C/script%3E" \
	>"$T/atk64.txt" 2>&1 || true
v64() { grep '"kind":"verdict"' "$T/col64.out" | grep -q "$1"; }
wait_for 5 v64 '"src":"\[fd00:10:215::13\]' || true
check "a block verdict for xss from [fd00:10:215::13] keyed by its /64" \
	v64 '"src":"\[fd00:10:215::13\]:.*"rule":"xss".*"action":"block".*"client":"ip:fd00:10:215::/64"'
BLK64=$(bpf_map_of "$PID_col64" sw_block) || BLK64=none
# shellcheck disable=SC2046
check "sw_block covers [fd00:10:215::3], which never sent a byte (same /64)" \
	bash -c "bpftool map lookup id '$BLK64' key hex $(key6 fd00:10:215::3) >/dev/null 2>&1"
rc=0
in_host atk curl -sg -o /dev/null --interface fd00:10:215::3 --connect-timeout 2 --max-time 3 \
	"http://[$SRV6]/api/echo?sibling=1" || rc=$?
expect_eq "a connection from [fd00:10:215::3] times out (curl exit 28)" "$rc" 28
check "atk's address in srv's /64 [$PFX::3] is still served" \
	in_host atk curl -sfg -m 3 -o /dev/null --interface "$PFX::3" "http://[$SRV6]/api/echo?other64=1"
# an attacker inside the server's own /64: the /64 holds srv's address,
# so the block is narrowed to the attacker's address
in_host atk2 python3 "$T/atk.py" "$SRV6" "q=%3Cscript%3Ealert(2)%3C/script%3E" 3 >"$T/atk2b.txt" 2>&1 || true
wait_for 5 v64 '"src":"\[fd00:10:213::4\]' || true
# shellcheck disable=SC2046
check "atk2 [$PFX::4] in srv's own /64: blocked as one address" \
	bash -c "bpftool map lookup id '$BLK64' key hex $(key6 "$PFX::4") >/dev/null 2>&1"
check "ben [$PFX::2] (srv's /64) is still served" in_host ben curl -sfg -m 3 -o /dev/null "http://[$SRV6]/api/echo?after64=1"
stop_collector col64
expect_eq "exit counters: enforce.blocks_prefix" "$(counter col64 enforce blocks_prefix 2>/dev/null || echo none)" 1
expect_eq "exit counters: enforce.prefix_narrowed" "$(counter col64 enforce prefix_narrowed 2>/dev/null || echo none)" 1
finish
