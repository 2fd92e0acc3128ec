#!/usr/bin/env bash
# enforce_loopback: a block verdict against a loopback client (127.0.0.1)
# is kept to a kill of the offending connection: dropping 127.0.0.1 at
# ingress would cut every local client of the host (health checks,
# sidecars). The attacker's request gets no answer, the verdict says
# "kill", the downgrade is counted, and the next local request is served.
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 15500 2500)
python3 "$ROOT/tools/rules-off.py" >"$T/rules.yaml" || die "rules"
# sqli asks for a block (kill + drop) in these rules
sed -i -E "s/(^  sqli: +\{[^}]*action: )kill/\1block, block_ttl: 60s/" "$T/rules.yaml"
grep -Eq '^  sqli: +\{[^}]*action: block' "$T/rules.yaml" || die "could not make sqli a block rule"
bg api /usr/bin/python3 "$ROOT/tools/bench-verdict.py" server "$PORT"
wait_for 10 grep -q serving "$T/api.out" || die "API did not start"
start_collector col --netns self --mode enforce --rules "$T/rules.yaml"

# code PATH : curl's HTTP status and exit code. A cut connection is exit 56
# (reset while receiving), not 28 (a timeout: the answer never came, as
# for a dropped packet) nor 7 (refused)
code() {
	local rc=0 st
	st=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$PORT$1") || rc=$?
	echo "$st $rc"
}
expect_eq "a local client is served (status, curl exit)" "$(code /api/users/1)" "200 0"
expect_eq "the SQL injection gets no answer: its connection is reset (curl exit 56)" \
	"$(code "/api/users?id=1%27%20UNION%20SELECT%20password%20FROM%20users--")" "000 56"
sleep 0.5
expect_eq "127.0.0.1 is not dropped: the next local request is served" "$(code /api/users/2)" "200 0"
stop_collector col
expect_eq "one verdict against the API, a kill of the SQL injection, not a block" \
	"$(grep '"kind":"verdict"' "$T/col.out" | grep '"dst":"127.0.0.1:'"$PORT"'"' |
		sed -n 's/.*"path":"\([^"]*\)".*"rule":"\([^"]*\)".*"action":"\([^"]*\)".*/\1 \2 \3/p' | sort | uniq -c | sed 's/^ *//')" \
	"1 /api/users sqli kill"
# the only block verdict on this host in this run is ours
expect_eq "the downgrade is counted once" "$(counter col enforce loopback_not_blocked)" 1
finish
