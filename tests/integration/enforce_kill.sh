#!/usr/bin/env bash
# enforce_kill: one keep-alive connection is cut in the kernel (iter/tcp +
# bpf_sock_destroy, from a thread that entered the server's namespace) while
# a second client on the same server keeps being served and the listening
# socket keeps accepting; then the same on loopback in our own namespace,
# and kill latency over 200 kills in a namespace and on loopback.
source "$(dirname "$0")/enforce_lib.sh"

bg cli in_host cli python3 "$KA" 10.213.2.1 80 6
bg ben in_host ben python3 "$KA" 10.213.2.1 80 4
wait_for 5 grep -q '^conn' "$T/cli.out" || die "cli did not connect"
wait_for 5 grep -q '^conn' "$T/ben.out" || die "ben did not connect"
sleep 0.5
CLIPORT=$(awk '/^conn/ {print $2}' "$T/cli.out")
SRVNS=/run/netns/$NS_srv

# the server's socket: local 10.213.2.1:80, remote cli
res=$(drv kill "$SRVNS" 0 4 10.213.2.1 80 10.213.2.2 "$CLIPORT")
echo "  $res"
check "kill by tuple in srv's namespace destroyed exactly one socket" \
	grep -q 'kill rc=0 killed=1 ' <<<"$res"
wait_for 3 grep -q '^error' "$T/cli.out" || true
check "cli's connection was reset (ECONNRESET)" grep -q '^error ECONNRESET' "$T/cli.out"
wait "$PID_ben" 2>/dev/null || true
check "ben, on the same server, was served throughout with zero errors" \
	grep -q '^done [1-9]' "$T/ben.out"
check "the nginx listening socket still accepts (cli reconnects)" \
	in_host cli curl -s -f -m 2 -o /dev/null http://10.213.2.1/api/echo
res=$(drv kill "$SRVNS" 0 4 10.213.2.1 80 10.213.2.2 "$CLIPORT")
check "killing the same connection again finds nothing (-ENOENT)" \
	grep -q 'kill rc=-2 killed=0' <<<"$res"
res=$(drv kill "$SRVNS" 0 4 10.213.2.1 80 0.0.0.0 0)
check "the listener's own tuple never matches (-ENOENT)" \
	grep -q 'kill rc=-2 killed=0' <<<"$res"
check "and nginx still serves after that" \
	in_host ben curl -s -f -m 2 -o /dev/null http://10.213.2.1/api/echo

# by cookie, from the client's side: ben's socket seen in ben's namespace
bg ben2 in_host ben python3 "$KA" 10.213.2.1 80 5
wait_for 5 grep -q '^conn' "$T/ben2.out" || die "ben2 did not connect"
COOKIE=$(awk '/^conn/ {print $3}' "$T/ben2.out")
res=$(drv kill "/run/netns/$NS_ben" "$COOKIE")
echo "  $res"
check "kill by cookie in ben's namespace destroyed its socket" grep -q 'kill rc=0 killed=1 ' <<<"$res"
wait_for 3 grep -q '^error' "$T/ben2.out" || true
check "the destroyed client end sees ECONNABORTED" grep -q '^error ECONNABORTED' "$T/ben2.out"

# --- loopback in our own namespace ---------------------------------------------
bg losrv python3 "$ROOT/tests/integration/loopback_echo.py"
wait_for 5 grep -q '^port' "$T/losrv.out" || die "loopback server did not start"
LOPORT=$(awk '/^port/ {print $2}' "$T/losrv.out")
bg locli python3 "$KA" 127.0.0.1 "$LOPORT" 6
bg loben python3 "$KA" 127.0.0.1 "$LOPORT" 3
wait_for 5 grep -q '^conn' "$T/locli.out" || die "loopback client did not connect"
sleep 0.3
LOCPORT=$(awk '/^conn/ {print $2}' "$T/locli.out")
res=$(drv kill 0 0 4 127.0.0.1 "$LOPORT" 127.0.0.1 "$LOCPORT")
echo "  $res"
check "loopback kill by the server's tuple in our namespace" grep -q 'kill rc=0 killed=[12] ' <<<"$res"
wait_for 3 grep -q '^error' "$T/locli.out" || true
check "the loopback client's connection was cut" grep -Eq '^error (ECONNRESET|ECONNABORTED)' "$T/locli.out"
wait "$PID_loben" 2>/dev/null || true
check "the other loopback client was served with zero errors" grep -q '^done [1-9]' "$T/loben.out"
bg locli2 python3 "$KA" 127.0.0.1 "$LOPORT" 0.3
wait "$PID_locli2" 2>/dev/null || true
check "the loopback listener still accepts" grep -q '^done [1-9]' "$T/locli2.out"

# --- latency (reported, not timed) -------------------------------------------------
res=$(drv bench-kill 200 "$SRVNS"); echo "  netns  $res"
check "200 kills in srv's namespace all succeeded" grep -q 'bench-kill fails=0 ' <<<"$res"
res=$(drv bench-kill 200 0); echo "  lo     $res"
check "200 loopback kills in our namespace all succeeded" grep -q 'bench-kill fails=0 ' <<<"$res"
finish
