# tests/integration/enforce_lib.sh - shared set-up of enforce_kill.sh and
# enforce_block.sh: builds and starts the sw-enforce-test driver (commands on
# a fifo, one result line each), a keep-alive client script, and hosts srv
# (nginx), cli and ben. Source it after naming the test in the header.
source "$(dirname "$0")/lib.sh"
require_kernel

DRV=$T/sw-enforce-test
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$ROOT" -I"$BUILD" \
	"$ROOT/tools/sw-enforce-test.c" "$BUILD/libcollector.a" "$BUILD/libcommon.a" \
	-lbpf -lelf -lz -lpthread -o "$DRV" || die "cannot build the driver"

# keep-alive client (one connection, a request every 100 ms, bounded by
# time; prints "conn LPORT COOKIE", then "done N" or "error ERRNO N", exit 3)
KA=$ROOT/tests/integration/keepalive.py

# the driver reads commands from a fifo; one result line per command
# (opened read-write first so that neither open blocks)
mkfifo "$T/drv.in"
exec 7<>"$T/drv.in"
# (an asynchronous command's stdin is /dev/null unless redirected on itself)
bg drv bash -c 'exec "$0" <"$1"' "$DRV" "$T/drv.in"
wait_for 10 grep -q '^ready$' "$T/drv.out" || { cat "$T/drv.err" >&2; die "driver did not start"; }
# drv CMD... : send one command, wait (bounded) for its result line, print it
drv_lines_gt() { [ "$(wc -l <"$T/drv.out")" -gt "$1" ]; }
drv() {
	local before
	before=$(wc -l <"$T/drv.out")
	echo "$*" >&7
	wait_for 60 drv_lines_gt "$before" || die "driver did not answer: $*"
	tail -n 1 "$T/drv.out"
}

net_host srv 10.213.2.1
net_host cli 10.213.2.2
net_host ben 10.213.2.3
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.2.1:80" "$T/www"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host cli curl -s -o /dev/null http://10.213.2.1/api/echo || die "nginx in srv not reachable"
