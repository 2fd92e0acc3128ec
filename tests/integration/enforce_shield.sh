#!/usr/bin/env bash
# enforce_shield: addresses the collector never blocks. A real nginx on
# host srv; a proxy host prx that the operator lists in never_block (as an
# ingress or load balancer would be) and an attacker host atk each send the
# same SQL injection, which the test rules answer with a block. The
# attacker's connection is cut and its address dropped; the proxy's
# offending connection is cut too, but its address is never dropped, so
# every other client behind it is still served. The collector counts the
# downgrade, and a never_block item it cannot read stops it with exit 2.
# One identity scanning from two hosts (each below the per-address
# threshold, together above it) draws a verdict keyed by the identity: it
# cuts the connection but blocks no address - the address that crossed the
# line may belong to the identity's owner.
source "$(dirname "$0")/lib.sh"
require_kernel

CLIENT="/usr/bin/python3 $ROOT/tests/integration/client.py"
net_host srv 10.213.12.1
net_host prx 10.213.12.9
net_host atk 10.213.12.10
net_host id1 10.213.12.21
net_host id2 10.213.12.22
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.12.1:80" "$T/www"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host prx curl -s -o /dev/null http://10.213.12.1/ || die "nginx not reachable"

python3 - "$ROOT/deploy/rules.yaml" >"$T/rules.yaml" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r"(\n  sqli: +\{[^}]*action: )kill", r"\1block, block_ttl: 30s", t)
print(t, end="")
PY
grep -q "action: block, block_ttl: 30s" "$T/rules.yaml" || die "test rules: could not make sqli block"

rc=0; SIDEWATCH_NEVER_BLOCK="10.213.12.9, not-an-address" timeout 20 "$COLLECTOR" --stdout \
	--mode enforce --rules "$T/rules.yaml" >/dev/null 2>"$T/bad.err" || rc=$?
expect_eq "a never_block item it cannot read: exit 2" "$rc" 2
check "and the message names it" grep -q "'not-an-address' is not an address" "$T/bad.err"

SIDEWATCH_NEVER_BLOCK="10.213.12.9" start_collector col --mode enforce --rules "$T/rules.yaml"
check "the collector says what it never blocks" grep -q "are never blocked" "$T/col.err"

in_host prx $CLIENT sqli 10.213.12.1 80 >"$T/prx.json"
in_host atk $CLIENT sqli 10.213.12.1 80 >"$T/atk.json"
cat "$T/prx.json" "$T/atk.json"
check "proxy: its offending connection is cut" \
	python3 -c "import json,sys; d=json.load(open('$T/prx.json')); sys.exit(0 if d['first']==200 and d['after'] in ('ConnectionResetError','ConnectionError','BrokenPipeError','ConnectionAbortedError') else 1)"
check "proxy: its next connection is served (the address is never dropped)" \
	python3 -c "import json,sys; d=json.load(open('$T/prx.json')); sys.exit(0 if d['new']=='served:200' else 1)"
check "attacker: cut and then dropped (the same rule, an unprotected address)" \
	python3 -c "import json,sys; d=json.load(open('$T/atk.json')); sys.exit(0 if d['first']==200 and d['new']=='timeout' else 1)"
codes=""
for i in 1 2 3; do codes+=$(in_host prx curl -s -o /dev/null -m 3 -w '%{http_code} ' "http://10.213.12.1/api/echo?i=$i"); done
expect_eq "clients behind the proxy keep being served" "$codes" "200 200 200 "

echo "-- one identity over two addresses"
b64u() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
TOK="$(b64u '{"alg":"none","typ":"JWT"}').$(b64u '{"sub":"mallory"}').c2ln"
for h in id1 id2; do
	for i in $(seq 1 12); do
		in_host "$h" curl -s -o /dev/null -m 3 -H "Authorization: Bearer $TOK" "http://10.213.12.1/scan/$h/$i" || true
	done
done
sleep 0.5
expect_eq "the address that crossed the identity's threshold is still served" \
	"$(in_host id2 curl -s -o /dev/null -m 3 -w '%{http_code}' http://10.213.12.1/api/echo || true)" 200
check "its verdict is keyed by the identity and kept to a kill" python3 -c '
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if "\"verdict\"" in l]
v = [d for d in v if d["src"].startswith("10.213.12.2") and d["rule"] == "scanning"]
sys.exit(0 if len(v) == 1 and v[0]["client"].startswith("id:") and v[0]["action"] == "kill" and v[0].get("wanted") == "block" and v[0]["src"].startswith("10.213.12.22:") else 1)' "$T/col.out"

stop_collector col
expect_eq "exactly one block verdict kept to a kill (shielded)" "$(counter col enforce shielded)" 1
expect_eq "exactly one identity-counted block kept to a kill" "$(counter col enforce identity_not_blocked)" 1
expect_eq "its verdicts: the proxy's block kept to a kill, the attacker's a block" \
	"$(python3 -c '
import json, sys
out = []
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("kind") == "verdict" and d["src"].split(":")[0] in ("10.213.12.9", "10.213.12.10"):
        out.append("%s:%s:%s" % (d["src"].split(":")[0], d["action"], d.get("wanted", "-")))
print(" ".join(sorted(out)))' "$T/col.out")" "10.213.12.10:block:- 10.213.12.9:kill:block"
finish
