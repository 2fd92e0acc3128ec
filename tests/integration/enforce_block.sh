#!/usr/bin/env bash
# enforce_block: a blocked client (10.213.2.2/32, TTL 3 s) has its open
# connection cut and its new packets dropped by the tcx ingress program in
# every namespace while another client is served; after expiry (judged in
# the kernel) it connects again; an allowlisted address passes under a
# covering block; block latency (map update -> first drop); and after the
# driver is killed -9 nothing stays attached (fail open). Then the same for
# the real sidewatch-collector in enforce mode, blocking a SQL injector:
# killed -9, and crashed by SIGSEGV and by SIGABRT, its programs, tcx links
# and block map are gone and the blocked client is served again.
source "$(dirname "$0")/enforce_lib.sh"
get() { in_host "$1" curl -s -f -m "${2:-1}" -o /dev/null http://10.213.2.1/api/echo; }
fails() { ! get "$@"; }

res=$(drv attach); echo "  $res"
check "attached to interfaces in every namespace" grep -Eq '^attached [1-9][0-9]* total' <<<"$res"
# our driver's own sw_ingress programs (its fds), not other collectors' on this machine
OWN=$(cat /proc/"$PID_drv"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ {print $2}' | sort -u | tr '\n' ' ')
PROGS=$(bpftool prog show name sw_ingress 2>/dev/null | awk -F: '/^[0-9]+:/ {print $1}' |
	grep -xF -f <(tr ' ' '\n' <<<"$OWN" | grep .) | tr '\n' ' ')
check "the driver's ingress program found by its file descriptors" test -n "$PROGS"
# tcx links of our program (bpftool 7.1 predates tcx: it prints "type 11")
tcx_links() {
	bpftool -j link show 2>/dev/null | python3 -c '
import json, sys
ids = {int(x) for x in sys.argv[1].split()}
print(sum(1 for l in json.load(sys.stdin) if l.get("type") in (11, "tcx") and l.get("prog_id") in ids))' "$PROGS"
}
NSRV=$(ip netns exec "$NS_srv" ls /sys/class/net | wc -l)
expect_eq "one tcx link per attachment" "$(tcx_links)" "$(awk '{print $4}' <<<"$res")"
check "the attachments include srv's $NSRV interfaces (lo, eth0)" \
	test "$(awk '{print $4}' <<<"$res")" -ge "$NSRV"

# --- block with TTL: cut, drop, served, expire ------------------------------------
bg cli in_host cli python3 "$KA" 10.213.2.1 80 8
bg ben in_host ben python3 "$KA" 10.213.2.1 80 6
wait_for 5 grep -q '^conn' "$T/cli.out" || die "cli did not connect"
wait_for 5 grep -q '^conn' "$T/ben.out" || die "ben did not connect"
sleep 0.3
T0=$(date +%s.%N)
res=$(drv block 10.213.2.2/32 3000 42); echo "  $res"
check "block cut cli's open connection" grep -Eq '^block rc=0 cut=[1-9]' <<<"$res"
wait_for 3 grep -q '^error' "$T/cli.out" || true
check "cli's keep-alive connection was reset" grep -q '^error ECONNRESET' "$T/cli.out"
check "cli's new connection is dropped" fails cli 1
check "ben is served while cli is blocked" get ben
# expiry is judged in the kernel: no unblock is ever sent
for _ in $(seq 1 40); do
	get cli 0.5 && break
	sleep 0.1
done
EXP=$(python3 -c "import sys,time; print(round(time.time()-float(sys.argv[1]),1))" "$T0")
check "after the 3 s TTL cli connects again (at ${EXP}s)" get cli 2
check "not before the TTL" python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 2.9 else 1)" "$EXP"
wait "$PID_ben" 2>/dev/null || true
check "ben's keep-alive connection ran with zero errors" grep -q '^done [1-9]' "$T/ben.out"

# --- allowlist wins over a covering block ---------------------------------------
check "allow ben" grep -q '^ok' <<<"$(drv allow 10.213.2.3/32)"
bg ben2 in_host ben python3 "$KA" 10.213.2.1 80 3
wait_for 5 grep -q '^conn' "$T/ben2.out" || die "ben2 did not connect"
res=$(drv block 10.213.2.2/31 0 43); echo "  $res"
check "block 10.213.2.2/31 (cli and ben) succeeded" grep -q '^block rc=0' <<<"$res"
check "allowlisted ben is served under the covering block" get ben 2
check "cli, in the same prefix, is dropped" fails cli 1
wait "$PID_ben2" 2>/dev/null || true
check "allowlisted ben's open connection was not cut" grep -q '^done [1-9]' "$T/ben2.out"
res=$(drv counters); echo "  $res"
check "counters saw drops and allowlist passes" python3 - "$res" <<'PY'
import sys
kv = dict(x.split("=") for x in sys.argv[1].split()[1:])
sys.exit(0 if int(kv["dropped"]) > 0 and int(kv["allowed"]) > 0 and int(kv["expired_hit"]) > 0 else 1)
PY
check "unblock" grep -q '^ok' <<<"$(drv unblock 10.213.2.2/31)"
check "cli served after unblock" get cli 2

# --- block latency: a flood from cli, block/unblock rounds ---------------------------
cat >"$T/flood.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + float(sys.argv[1])
while time.time() < end:
    for _ in range(100):
        s.sendto(b"x", ("10.213.2.1", 9))
PY
bg flood in_host cli python3 "$T/flood.py" 15
sleep 0.3
res=$(drv bench-block 50 10.213.2.2/32); echo "  $res"
check "50 block rounds each saw a drop" grep -q '^bench-block misses=0 ' <<<"$res"
stop_pid "$PID_flood"

# --- fail open: the driver dies with a permanent block in place ---------------------
res=$(drv block 10.213.2.2/32 0 44)
check "a block without TTL is in place" fails cli 1
check "our ingress program is loaded (ids $PROGS)" test -n "$PROGS"
kill -KILL "$PID_drv"
wait "$PID_drv" 2>/dev/null || true
gone() {
	for id in $PROGS; do
		bpftool prog show id "$id" >/dev/null 2>&1 && return 1
	done
	return 0
}
check "after kill -9 the program is gone: no attachment survives" wait_for 5 gone
expect_eq "no tcx link of ours remains" "$(tcx_links)" 0
check "no tc filter remains on srv's eth0" \
	test -z "$(ip netns exec "$NS_srv" tc filter show dev eth0 ingress 2>/dev/null)"
check "cli is served again: the block died with the process" get cli 2

# --- fail open: the real collector dies (kill -9, a crash) with a block in place ---
# sqli asks for a block (kill + drop) of 300 s: only the collector's death
# can lift it within the test
python3 "$ROOT/tools/rules-off.py" >"$T/rules.yaml" || die "rules"
sed -i -E "s/(^  sqli: +\{[^}]*action: )kill/\1block, block_ttl: 300s/" "$T/rules.yaml"
grep -Eq '^  sqli: +\{[^}]*action: block, block_ttl: 300s' "$T/rules.yaml" || die "could not make sqli a block rule"
ulimit -c 0 # the crashes below dump no core into the work tree
# fdinfo_ids PID KEY : the BPF object ids (prog_id, link_id, map_id) PID holds
fdinfo_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | awk -v k="$2:" '$1 == k {print $2}' | sort -un | tr '\n' ' '; }
# gone KIND IDS... : no BPF object of that kind with those ids is left
ids_gone() {
	local kind=$1 id; shift
	for id in "$@"; do bpftool "$kind" show id "$id" >/dev/null 2>&1 && return 1; done
	return 0
}
for sig in KILL SEGV ABRT; do
	start_collector "real$sig" --mode enforce --rules "$T/rules.yaml" --no-tls --metrics-listen off
	pid_var=PID_real$sig
	CPID=${!pid_var}
	in_host cli curl -s -o /dev/null -m 2 "http://10.213.2.1/api/users?id=1%27%20OR%20%271%27=%271" || true
	check "$sig: the collector blocked the SQL injector" \
		wait_for 3 grep -q '"kind":"verdict".*"src":"10.213.2.2:.*"rule":"sqli".*"action":"block"' "$T/real$sig.out"
	check "$sig: cli's new connection is dropped" fails cli 1
	check "$sig: ben is served meanwhile" get ben 2
	PROGS=$(fdinfo_ids "$CPID" prog_id)
	LINKS=$(fdinfo_ids "$CPID" link_id)
	NTCX=$(tcx_links)
	blockmap=$(bpf_map_of "$CPID" sw_block || true)
	check "$sig: the collector holds its programs, its tcx links ($NTCX) and its sw_block map ($blockmap)" \
		test -n "$PROGS" -a -n "$LINKS" -a "$NTCX" -ge "$NSRV" -a -n "$blockmap"
	check "$sig: cli's address is in the kernel's block map" bpf_blocked "$CPID" 10.213.2.2
	kill -"$sig" "$CPID"
	rc=0
	wait "$CPID" 2>/dev/null || rc=$?
	expect_eq "$sig: the collector died by the signal (exit status)" "$rc" "$((128 + $(kill -l "$sig")))"
	check "$sig: all of the collector's programs are gone" wait_for 5 ids_gone prog $PROGS
	check "$sig: all of its links are gone" wait_for 5 ids_gone link $LINKS
	check "$sig: its block map is gone" wait_for 5 ids_gone map $blockmap
	expect_eq "$sig: no tcx link of its programs remains" "$(tcx_links)" 0
	check "$sig: no tc filter on srv's eth0" \
		test -z "$(ip netns exec "$NS_srv" tc filter show dev eth0 ingress 2>/dev/null)"
	check "$sig: cli is served again: the block died with the collector" get cli 2
	grep -q '"kind":"counters"' "$T/real$sig.err" &&
		bad "$sig: the collector printed exit counters: it was not killed" || true
done
finish
