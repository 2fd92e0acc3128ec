#!/usr/bin/env bash
# fleet_e2e: a fleet in one machine. Four network-namespace hosts each run a
# real nginx and their own sidewatch collector (enforce mode); the
# correlator and a real PostgreSQL run on a fifth. An attacker spreads a
# credential-stuffing run over three hosts, each below its local threshold;
# the correlator raises one incident naming every host it touched and pushes
# a block that every collector applies in its kernel - so the attacker is
# dropped everywhere, including the host it never touched. A benign client
# is served by every host throughout.
source "$(dirname "$0")/lib.sh"
require_kernel
source "$(dirname "$0")/fleet_lib.sh"

CLIENT="/usr/bin/python3 $ROOT/tests/integration/client.py"
net_host corr 10.213.5.100
for i in 1 2 3 4; do net_host "h$i" "10.213.5.$i"; done
net_host atk 10.213.5.66
net_host ben 10.213.5.77
PGPORT=55499
EP=tcp://10.213.5.100:7450

# PostgreSQL and the correlator live on host corr.
mkdir -p "$T/keys/collectors"
start_pg "$PGPORT" corr
PG=$PG_URL
fleet_keys h1 h2 h3 h4
bg corr ip netns exec "$(ns_of corr)" "$BUILD/sidewatch-correlator" --listen "$EP" --blocks tcp://10.213.5.100:7451 \
	--pg "$PG" --keys "$T/keys/collectors" --server-key "$T/keys/server.key" \
	--sql "$ROOT/sql" --stats "$T/corr.stats" --metrics-listen off
wait_for 20 grep -q '"db_up":true' "$T/corr.stats" || { cat "$T/corr.err"; die "correlator did not start"; }

make_www "$T/www"
for i in 1 2 3 4; do
	nginx_conf "$T/nginx-h$i.conf" "10.213.5.$i:80" "$T/www"
	bg "nginx$i" in_host "h$i" nginx -c "$T/nginx-h$i.conf" -p "$T"
	fleet_collector "h$i" "$EP"
done
fleet_wait_ready h1 h2 h3 h4
for i in 1 2 3 4; do
	wait_for 10 in_host ben curl -s -o /dev/null "http://10.213.5.$i/" || die "nginx on h$i not reachable"
done

# The benign client visits every host for the whole run, 10 requests/s each
# (below the default rate rule: 200 per 10 s).
( for i in 1 2 3 4; do in_host ben $CLIENT benign "10.213.5.$i" 80 14 0.1 >"$T/ben-h$i.json" & done; wait ) &
BEN=$!
SW_PIDS+=("$BEN")
sleep 1

echo "-- credential stuffing spread over h1, h2, h3 (5 failures each; local threshold 10)"
START_NS=$(date +%s%N)
for i in 1 2 3; do
	in_host atk $CLIENT burst "10.213.5.$i" 80 login 5 noprobe >"$T/atk-h$i.json"
done
# Wait (bounded) until the block is applied on h4, the host never touched.
blocked_at=""
for _ in $(seq 1 100); do
	if grep -q '"kind":"counters"' "$T/h4.err" 2>/dev/null; then break; fi
	t0=$(date +%s%N)
	r=$(in_host atk $CLIENT probe 10.213.5.4 80)
	# a probe that times out was dropped from its first packet on
	if echo "$r" | grep -q timeout; then blocked_at=$t0; break; fi
	sleep 0.1
done
[ -n "$blocked_at" ] && echo "  attacker's first request -> dropped on h4: $(( (blocked_at - START_NS) / 1000000 )) ms (bounded by 0.1 s probes)"
check "the attacker is dropped on h4, which it never touched" test -n "$blocked_at"
for i in 1 2 3; do
	r=$(in_host atk $CLIENT probe "10.213.5.$i" 80)
	check "the attacker is dropped on h$i ($r)" grep -q timeout <<<"$r"
done
# in each host's kernel: its collector's sw_block map holds the address
for i in 1 2 3 4; do
	pid_var=PID_h$i
	check "h$i's kernel block map holds the fleet block of 10.213.5.66" bpf_blocked "${!pid_var}" 10.213.5.66
done

echo "-- operator blocks of our own addresses (SW_BREAK=protect: the correlator protects none)"
swctl_corr() { in_host corr env SIDEWATCH_PG="$PG" "$BUILD/swctl" "$@"; }
rc=0; swctl_corr block add 10.213.5.100 >"$T/sw-self.out" 2>&1 || rc=$?
expect_eq "swctl block add of the correlator's address is refused (exit 4)" "$rc" 4
check "saying why: $(cat "$T/sw-self.out")" grep -q "refused: 10.213.5.100/32 covers 10.213.5.100, the address of the correlator itself" "$T/sw-self.out"
rc=0; swctl_corr block add 10.213.5.2 >"$T/sw-coll.out" 2>&1 || rc=$?
expect_eq "swctl block add of collector h2's address is refused (exit 4)" "$rc" 4
check "saying why: $(cat "$T/sw-coll.out")" grep -q "covers 10.213.5.2, the address of a connected collector" "$T/sw-coll.out"
rc=0; swctl_corr block add 10.213.0.0/16 >/dev/null 2>&1 || rc=$?
expect_eq "a /16 over them all is refused too (exit 4)" "$rc" 4
rc=0; swctl_corr block add 10.213.5.88 >/dev/null 2>&1 || rc=$?
expect_eq "an ordinary address is still blocked (exit 0)" "$rc" 0
expect_eq "the detector path: sw_block_add of a collector's address with origin correlator is skipped (no id, version 0)" \
	"$(in_host corr psql "$PG" -X -At -c "SELECT o_block_id IS NULL, o_version FROM sw_block_add('10.213.5.3/32', NULL, 'correlator', 'test', NULL, NULL, NULL)")" "t|0"
expect_eq "no active block covers 10.213.5.100 or 10.213.5.2" \
	"$(in_host corr psql "$PG" -X -At -c "SELECT count(*) FROM blocks WHERE removed_at IS NULL AND (addr >>= '10.213.5.100' OR addr >>= '10.213.5.2' OR addr >>= '10.213.5.3')")" 0
wait "$BEN"
# each answer the benign client counted on a host is one session event of
# that host's collector (GET /api/users/42 on its keep-alive connection)
ben_events() {
	grep '"kind":"session"' "$T/h$1.out" |
		grep -c '"src":"10.213.5.77:[0-9]*","dst":"10.213.5.'"$1"':80".*"path":"/api/users/42","query":"fields=name","status":200' || true
}
for i in 1 2 3 4; do
	n=$(ben_events "$i")
	check "benign client on h$i: zero errors, each answer one event ($n events; $(cat "$T/ben-h$i.json"))" \
		python3 -c "import json,sys; d=json.load(open('$T/ben-h$i.json')); sys.exit(0 if d['errors']==0 and d['ok']==$n and d['ok']>0 else 1)"
	check "no verdict on h$i names the benign client" \
		bash -c "! grep '\"kind\":\"verdict\"' '$T/h$i.out' | grep -q '\"src\":\"10.213.5.77:'"
done
for i in 1 2 3; do
	# the collector saw the attacker's 5 failed logins, and judged none
	expect_eq "h$i saw the attacker's 5 failed logins" \
		"$(grep '"kind":"session"' "$T/h$i.out" | grep -c '"src":"10.213.5.66:[0-9]*",.*"method":"POST",.*"path":"/api/login",.*"status":401' || true)" 5
	check "no local verdict on h$i (each host stayed below its threshold)" \
		bash -c "! grep -q '\"kind\":\"verdict\".*\"src\":\"10.213.5.66:' '$T/h$i.out'"
done
echo "-- identity block: one credential blocked fleet-wide, cut on any host"
# An API that takes 20 ms to answer on h3 and h4 (port 8080): the kill
# lands before its answer. (nginx's static answers take ~0.1 ms: the
# verdict comes after them, like any out-of-band verdict.)
for i in 3 4; do
	bg "slow$i" ip netns exec "$(ns_of "h$i")" /usr/bin/python3 "$ROOT/tools/bench-verdict.py" server 8080 "10.213.5.$i"
	wait_for 10 grep -q serving "$T/slow$i.out" || die "slow API on h$i did not start"
done
b64u() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
jwt() { echo "$(b64u '{"alg":"none","typ":"JWT"}').$(b64u "{\"sub\":\"$1\"}").c2lnbmF0dXJl"; }
ALICE=$(jwt alice)
BOB=$(jwt bob)
get_as() { # TOKEN HOST PATH -> curl exit code and HTTP status
	in_host ben curl -s -o /dev/null -m 3 -w '%{http_code}' -H "Authorization: Bearer $1" "http://10.213.5.$2$3" || true
}
# before the block: the same token on two hosts (one identity for the correlator)
expect_eq "alice is served on h1 before the block" "$(get_as "$ALICE" 1 /api/users/1001)" 200
expect_eq "alice is served on h2 before the block" "$(get_as "$ALICE" 2 /api/users/1001)" 200
in_host corr env SIDEWATCH_PG="$PG" "$BUILD/swctl" block add --identity sub:alice --ttl 10m --reason "test: stolen token" >/dev/null ||
	bad "swctl block add --identity failed"
cut=""
for _ in $(seq 1 30); do # bounded: 30 tries, 0.1 s apart
	code=$(get_as "$ALICE" 3:8080 /api/users/1002)
	if [ "$code" = 000 ]; then cut=1; break; fi
	sleep 0.1
done
check "alice's request on h3 is cut (no response) once the identity block arrives" test -n "$cut"
expect_eq "bob, from the same address, is still served on h3" "$(get_as "$BOB" 3:8080 /api/users/1003)" 200
expect_eq "alice is cut on h4 too" "$(get_as "$ALICE" 4:8080 /api/users/1004)" 000
expect_eq "a request without credentials from the same address is served" \
	"$(in_host ben curl -s -o /dev/null -m 3 -w '%{http_code}' http://10.213.5.4/api/users/1005 || true)" 200
check "h3 reported the kill as a fleet.identity_block verdict" \
	grep -q '"kind":"verdict".*"rule":"fleet.identity_block".*"action":"kill"' "$T/h3.out"
echo "-- one token from five addresses over four hosts: credential sharing"
CAROL=$(jwt carol)
for k in 1 2 3 4 5; do
	net_host "s$k" "10.213.5.$((110 + k))"
	in_host "s$k" curl -s -o /dev/null -m 3 -H "Authorization: Bearer $CAROL" \
		"http://10.213.5.$(( (k - 1) % 4 + 1 ))/api/users/2000" || true
done
shared=""
for _ in $(seq 1 50); do # bounded: 5 s
	shared=$(in_host corr psql "$PG" -X -At -c "SELECT identity, array_length(hosts, 1), summary FROM incidents WHERE rule = 'fleet.credential_sharing'")
	[ -n "$shared" ] && break
	sleep 0.1
done
echo "     $shared"
check "one credential-sharing incident for carol's token, over four hosts" \
	python3 -c "import sys; r=[l.split('|') for l in sys.argv[1].splitlines()]; sys.exit(0 if len(r)==1 and r[0][0].startswith('id:') and r[0][1]=='4' and '5 source addresses' in r[0][2] else 1)" "$shared"
for i in 1 2 3 4; do stop_pid "$(eval echo \$PID_h$i)"; done
for i in 1 2 3 4; do wait_for 10 grep -q '"kind":"counters"' "$T/h$i.err" || true; done

echo "-- the incident in SQL"
in_host corr psql "$PG" -X -At -c "SELECT rule, hosts, sources, state FROM incidents ORDER BY id" | tee "$T/incidents.txt"
check "one credential-stuffing incident naming h1, h2 and h3" python3 - "$T/incidents.txt" <<'PY'
import sys
rows = [l.split("|") for l in open(sys.argv[1]) if "10.213.5.66" in l]
ok = [r for r in rows if all(h in r[1] for h in ("h1", "h2", "h3"))]
sys.exit(0 if len(ok) == 1 else 1)
PY
ids=$(in_host corr psql "$PG" -X -At -c "SELECT count(DISTINCT identity), count(DISTINCT host) FROM events WHERE path = '/api/users/1001' AND identity IS NOT NULL")
expect_eq "alice's token on h1 and h2 is one identity in PostgreSQL (distinct identities|hosts)" "$ids" "1|2"
finish
