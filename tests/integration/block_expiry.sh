#!/usr/bin/env bash
# block_expiry: "a block is an LPM entry with an expiry checked in the
# kernel". The real collector in enforce mode blocks an SQL-injecting client
# for TTL seconds; then it is frozen with SIGSTOP, so no user space of ours
# runs. While it stays frozen: the attacker's new connections are dropped,
# a benign client is served, and after the TTL the attacker connects again
# - judged by the kernel alone (the collector printed nothing meanwhile and
# is still stopped when the attacker is first served again).
# SW_BREAK=ttl (the rule's TTL 30 s, the test still expects TTL) makes the
# "flows again after the TTL" check fail; SW_BREAK=monitor (--mode monitor)
# makes the "dropped while stopped" checks fail.
source "$(dirname "$0")/lib.sh"
require_kernel

TTL=4
net_host srv 10.213.28.1
net_host atk 10.213.28.2
net_host ben 10.213.28.3
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.28.1:80" "$T/www"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host ben curl -sf -o /dev/null http://10.213.28.1/api/echo || die "nginx not reachable"

RULE_TTL=$TTL
[ "${SW_BREAK:-}" = ttl ] && RULE_TTL=30
python3 - "$ROOT/deploy/rules.yaml" "$RULE_TTL" >"$T/rules.yaml" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = re.sub(r"(\n  sqli: +\{[^}]*action: )kill", r"\1block, block_ttl: %ss" % sys.argv[2], t)
print(t, end="")
PY
grep -q "action: block, block_ttl: ${RULE_TTL}s" "$T/rules.yaml" || die "test rules: could not make sqli a ${RULE_TTL}s block"
MODE=enforce
[ "${SW_BREAK:-}" = monitor ] && MODE=monitor
start_collector col --mode "$MODE" --netns all --no-tls --rules "$T/rules.yaml" --metrics-listen off
CPID=$PID_col
on_exit cont_pid "$CPID" # resumed before lib.sh stops it

# get HOST [SECS] : one request to nginx; curl's exit code (0 served, 28 timeout)
get() {
	local rc=0
	in_host "$1" curl -s -f -m "${2:-1}" -o /dev/null http://10.213.28.1/api/echo || rc=$?
	return $rc
}
check "the attacker is served before the attack" get atk 2

# T0 is before the attack and T1 after its verdict was seen, so the block
# was written between them: "not before the TTL" is measured from T0 and
# "within 2 s of the TTL" from T1 (a verdict slowed by a loaded machine does
# not count against the expiry).
T0=$EPOCHREALTIME
in_host atk curl -s -m 2 -o /dev/null "http://10.213.28.1/api/users?id=1%27%20OR%201=1--" || true
wait_for 10 grep -q '"kind":"verdict".*"rule":"sqli"' "$T/col.out" || true
T1=$EPOCHREALTIME
grep '"kind":"verdict".*"rule":"sqli"' "$T/col.out" | head -1 | cut -c1-200
check "the collector blocked the attacker (verdict sqli, action block)" \
	grep -q '"kind":"verdict".*"src":"10.213.28.2:.*"rule":"sqli".*"action":"block"' "$T/col.out"

kill -STOP "$CPID"
# SIGSTOP reaches every thread a moment after kill returns (the CI
# pre-check of 2026-12-07 found it not yet stopped once, on a loaded
# machine)
check "the collector is stopped" wait_for 3 grep -q '^State:.*T' /proc/"$CPID"/status
OUT0=$(stat -c %s "$T/col.out")
rc=0; get atk 1 || rc=$?
expect_eq "while the collector is stopped, the attacker's new connection is dropped (curl timeout)" "$rc" 28
check "while the collector is stopped, the benign client is served" get ben 2
# probe until served, bounded: at most TTL + 6 s
served=
for _ in $(seq 1 $(( (TTL + 6) * 4 ))); do
	if get atk 0.25; then served=1; break; fi
	(( ${EPOCHREALTIME/./} - ${T1/./} < (TTL + 6) * 1000000 )) || break # no process: quick under load
done
TS=$EPOCHREALTIME
AT=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$T0" "$TS")
AV=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$T1" "$TS")
check "the attacker is served again ${AT} s after the attack, ${AV} s after its verdict was seen, TTL ${TTL} s" test -n "$served"
check "not before the TTL: ${AT} s after the attack >= $TTL s" python3 -c "import sys; sys.exit(0 if float('$AT') >= $TTL else 1)"
check "within 2 s of the TTL: ${AV} s after the verdict <= $((TTL + 2)) s" python3 -c "import sys; sys.exit(0 if float('$AV') <= $TTL + 2 else 1)"
check "the collector was still stopped when the attacker was served again" grep -q '^State:.*T' /proc/"$CPID"/status
expect_eq "the stopped collector printed nothing meanwhile (stdout bytes)" "$(stat -c %s "$T/col.out")" "$OUT0"
kill -CONT "$CPID"
check "the benign client is served after the collector resumes" get ben 2
stop_collector col
B=$(counter col enforce blocks 2>/dev/null || echo "none (no enforce counters)")
expect_eq "the collector placed exactly one block" "$B" 1
finish
