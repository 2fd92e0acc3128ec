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

# keep-alive client: one connection, a request every 100 ms, bounded by time;
# prints "conn LPORT COOKIE", then "done N" or "error ERRNO N" (exit 3)
cat >"$T/ka.py" <<'PY'
import errno, socket, sys, time
host, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection((host, port), timeout=2)
ck = int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 57, 8), "little")  # SO_COOKIE
print("conn", s.getsockname()[1], ck, flush=True)
n, end = 0, time.time() + secs
try:
    while time.time() < end:
        s.sendall(b"GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n")
        buf = b""
        while not buf.endswith(b"echo\n"):
            d = s.recv(4096)
            if not d:
                raise OSError(errno.EPIPE, "eof")
            buf += d
        n += 1
        time.sleep(0.1)
except socket.timeout:
    print("error timeout", n, flush=True); sys.exit(3)
except OSError as e:
    print("error", errno.errorcode.get(e.errno, str(e.errno)), n, flush=True); sys.exit(3)
print("done", n, flush=True)
PY

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
