#!/usr/bin/env bash
# http1_reset: a request whose client is gone before the server reads it is
# still judged. The attacker sends an SQL injection and resets the
# connection in the next call (reset_client.py): over loopback the RST is
# processed before nginx's worker wakes, so nginx accepts and reads the
# request from a socket already in TCP_CLOSE (the kernel keeps the queued
# bytes readable) and handles it, side effects and all; and the capture's
# per-socket state was dropped at that close. Also FIN then RST, a
# half-closed client and a split request (a long body is not a case:
# reset_client.py says why). nginx's access log
# must show every case handled (nginx read the whole request and ran its
# location: "200 0", the answer unsent), and the collector must have a
# sqli verdict naming each case's path. SW_BREAK=nolog removes the access
# log (the "handled" checks fail); SW_BREAK=benign sends a plain id=1 (the
# verdict checks fail).
source "$(dirname "$0")/lib.sh"
require_kernel

PORT=$(free_port 21000 2500 1)
make_www "$T/www"
LOG="access_log $T/access.log;"
[ "${SW_BREAK:-}" = nolog ] && LOG=""
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www" "$LOG"
start_collector col --netns self
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
# one plain request first, so the port is known to serve HTTP
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/users/0"

python3 "$ROOT/tests/integration/reset_client.py" "$PORT" >"$T/sent.txt" || die "the reset client failed"
sleep 1
check "collector survived" kill -0 "$PID_col"
stop_collector col
echo "   collector conns: opened $(counter col conn opened), closed $(counter col conn closed), idle_swept $(counter col conn idle_swept)"
expect_eq "four cases sent" "$(wc -l <"$T/sent.txt")" 4

while read -r name path; do
	check "$name: nginx handled $path (its access log)" grep -Eq "\"[A-Z]+ $path[? ]" "$T/access.log"
	check "$name: a sqli verdict names $path" \
		grep -q "\"kind\":\"verdict\".*\"path\":\"$path\".*\"rule\":\"sqli\"" "$T/col.out"
done <"$T/sent.txt"
finish
