#!/usr/bin/env bash
# enforce_shield_refresh: the never-block set follows the host's addresses
# while the collector runs. A collector in enforce mode inside host srv
# (--netns self, so srv's addresses are the host's own) starts with srv's
# address, never_block 10.213.14.9 and allow 10.213.14.50 in the kernel's
# allow trie. srv then gains 10.213.14.77: within the refresh period it
# joins the trie, a block of it that is already in the kernel (written as
# a fleet block would be) drops none of its traffic, and a SQL injection
# from it (a block rule) is kept to a kill of that connection. The address
# is removed: it leaves the trie, the operator's and the allow list's
# entries stay, and so does 10.213.14.78, an address srv had at start and
# loses at the same time, that the operator lists in trusted_proxies. The
# exit counters say one added, one removed.
source "$(dirname "$0")/lib.sh"
require_kernel

SRV_IP=10.213.14.1
NEW=10.213.14.77
PROXY=10.213.14.78
net_host srv "$SRV_IP"
SRV=$(ns_of srv)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "$SRV_IP:80" "$T/www"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host srv curl -s -o /dev/null "http://$SRV_IP/" || die "nginx not reachable"

python3 - "$ROOT/deploy/rules.yaml" >"$T/rules.yaml" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r"(\n  sqli: +\{[^}]*action: )kill", r"\1block, block_ttl: 30s", t)
t = re.sub(r"\nallow: \[\]", "\nallow: [10.213.14.50/32]", t)
print(t, end="")
PY
grep -q "action: block, block_ttl: 30s" "$T/rules.yaml" || die "test rules: could not make sqli block"
grep -q "^allow: \[10.213.14.50/32\]" "$T/rules.yaml" || die "test rules: could not set the allow list"

ip -n "$SRV" addr add "$PROXY/32" dev eth0
SIDEWATCH_NEVER_BLOCK=10.213.14.9 SIDEWATCH_TRUSTED_PROXIES=$PROXY bg col ip netns exec "$SRV" "$COLLECTOR" --stdout --name col \
	--netns self --no-tls --metrics-listen off --mode enforce --rules "$T/rules.yaml"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

# from ADDR PATH : curl's HTTP status and exit code for a request from
# srv's address ADDR (over srv's loopback, where the drop program runs
# too); 28 = no answer (dropped)
from() {
	local rc=0 st
	st=$(in_host srv curl -s -o /dev/null -m 3 --interface "$1" -w '%{http_code}' \
		"http://$SRV_IP$2") || rc=$?
	echo "$st $rc"
}
# trie : which of the addresses the allow trie covers
trie() {
	local a out=""
	for a in "$SRV_IP" 10.213.14.9 10.213.14.50 "$PROXY" "$NEW" 127.0.0.1; do
		bpf_allowed "$PID_col" "$a" >/dev/null && out+="$a "
	done
	echo "$out"
}

expect_eq "at start the trie holds srv's address, never_block, allow, the proxy and loopback" \
	"$(trie)" "$SRV_IP 10.213.14.9 10.213.14.50 $PROXY 127.0.0.1 "

# A block of the new address already in the kernel, never expiring, as a
# fleet block placed before the host had the address (struct
# sw_block_key: prefixlen 128, ::ffff:a.b.c.d; sw_block_val: expires 0,
# rule 0, prefixlen 128, flags 0)
M=$(bpf_map_of "$PID_col" sw_block) || die "no sw_block map"
bpftool map update id "$M" key hex 80 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff \
	$(printf '%02x ' ${NEW//./ }) value hex 00 00 00 00 00 00 00 00 00 00 00 00 80 00 00 00 ||
	die "cannot write the block"

held() { bpf_allowed "$PID_col" "$NEW" >/dev/null; }
gone() { ! held; }
ip -n "$SRV" addr add "$NEW/32" dev eth0
t0=$(date +%s%N)
if wait_for 8 held; then
	echo "  the new address reached the allow trie in $((($(date +%s%N) - t0) / 1000000)) ms"
	ok "a new address of the host joins the allow trie within the refresh period"
else
	bad "a new address of the host joins the allow trie within the refresh period"
fi
check "the block of it is still in the kernel" bpf_blocked "$PID_col" "$NEW"
expect_eq "the new address is served despite the block (status, curl exit)" \
	"$(from "$NEW" /api/echo)" "200 0"
in_host srv env SW_CLIENT_SRC="$NEW" /usr/bin/python3 "$ROOT/tests/integration/client.py" \
	sqli "$SRV_IP" 80 >"$T/new.json" || true # a dropped address: no connection at all
cat "$T/new.json"
check "its SQL injection (a block rule): that connection is cut" \
	python3 -c "import json,sys; d=json.load(open('$T/new.json')); sys.exit(0 if d['first']==200 and d['after'] in ('ConnectionResetError','ConnectionError','BrokenPipeError','ConnectionAbortedError') else 1)"
check "and its next connection is served (the address is not dropped)" \
	python3 -c "import json,sys; d=json.load(open('$T/new.json')); sys.exit(0 if d['new']=='served:200' else 1)"
expect_eq "and a request after it too" "$(from "$NEW" /api/users/2)" "200 0"
check "the collector says the host's addresses changed" \
	grep -q "host addresses or ring shards changed: 1 never-block entries added, 0 removed" "$T/col.err"

ip -n "$SRV" addr del "$NEW/32" dev eth0
ip -n "$SRV" addr del "$PROXY/32" dev eth0
t0=$(date +%s%N)
if wait_for 8 gone; then
	echo "  the address left the allow trie in $((($(date +%s%N) - t0) / 1000000)) ms"
	ok "a removed address leaves the allow trie"
else
	bad "a removed address leaves the allow trie"
fi
expect_eq "never_block, allow, the trusted proxy srv no longer has, srv's address and loopback stay" \
	"$(trie)" "$SRV_IP 10.213.14.9 10.213.14.50 $PROXY 127.0.0.1 "

stop_collector col
expect_eq "one verdict from the new address, a block kept to a kill" \
	"$(python3 -c '
import json, sys
out = []
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("kind") == "verdict" and d["src"].split(":")[0] == sys.argv[2]:
        out.append("%s:%s:%s" % (d["rule"], d["action"], d.get("wanted", "-")))
print(" ".join(out))' "$T/col.out" "$NEW")" "sqli:kill:block"
expect_eq "counters: one host entry added" "$(counter col enforce shield_added)" 1
expect_eq "counters: one host entry removed" "$(counter col enforce shield_removed)" 1
expect_eq "counters: one block kept to a kill (shielded)" "$(counter col enforce shielded)" 1
expect_eq "counters: no enforcement errors" "$(counter col enforce errors)" 0
check "counters: the addresses were re-read at least twice" \
	test "$(counter col enforce shield_refreshes)" -ge 2
finish
