#!/usr/bin/env bash
# io_uring: a server whose socket bytes move through io_uring is counted,
# never silently missed and never misread. The capture hooks
# (sock:sock_{send,recv}_length) fire for io_uring I/O too, but there is no
# syscall whose registers name the buffer: the bytes are moved by
# io_uring_enter, by an io-wq worker thread, or by task work run when some
# other syscall of the task is interrupted (whose registers name another
# buffer). uring_peer.c (raw io_uring syscalls) serves HTTP/1.1 in a private
# namespace host whose collector (--netns self) sees only this test; curl
# and python are the clients.
#  - sendrecv (IORING_OP_SEND/RECV), readwrite (IORING_OP_READ/WRITE on the
#    socket), async (IOSQE_ASYNC: an io-wq worker): the kernel counters
#    uring_calls / uring_bytes grow by exactly the operations and bytes the
#    server's io_uring completed, which are exactly what curl sent and got;
#  - decoy: the RECV completes in task work while the server blocks in
#    read(2) into a buffer holding a forged request: no event shows the
#    forged request (the capture must not copy read's buffer), and the
#    bytes are counted as io_uring;
#  - /metrics and the exit counters carry the same uring_calls/uring_bytes.
# SW_BREAK=nobytes expects one byte more than the server moved (the byte
# checks fail); SW_BREAK=elsewhere runs the collector in another namespace
# (it sees nothing: every counter check fails).
source "$(dirname "$0")/lib.sh"
require_kernel
[ "$(sysctl -n kernel.io_uring_disabled 2>/dev/null || echo missing)" = 0 ] ||
	die "io_uring is disabled or unknown here (kernel.io_uring_disabled: $(sysctl -n kernel.io_uring_disabled 2>&1))"
OFF=0
[ "${SW_BREAK:-}" = nobytes ] && OFF=1

gcc -O2 -Wall -Wextra -Werror -o "$T/uring_peer" "$ROOT/tests/integration/uring_peer.c" ||
	die "cannot build uring_peer.c"
net_host h 10.213.27.1
net_host other 10.213.27.2
CNS=$NS_h
[ "${SW_BREAK:-}" = elsewhere ] && CNS=$NS_other
P=$(free_port_in h 14000 1000 11) || die "no free ports"
MPORT=$((P + 10))

bg col ip netns exec "$CNS" "$COLLECTOR" --stdout --name col --netns self --no-tls \
	--metrics-listen "127.0.0.1:$MPORT"
wait_for 90 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
KCNT_MAP=$(bpf_map_of "$PID_col" sw_counters) || die "the collector's sw_counters map not found"
# kcount NAME : the collector's kernel counter NAME (index from bpf/abi.h's
# enum sw_counter, named as capture_counter_names names it), over all CPUs
kidx() {
	awk '/^enum sw_counter \{/ {on = 1; i = 0; next} on && /^\};/ {exit}
	     on && match($0, /^[ \t]*SW_CNT_[A-Z_]+/) {
		n = substr($0, RSTART, RLENGTH); gsub(/[ \t]/, "", n)
		if (n == "SW_CNT__MAX") exit
		if (n == want) {print i; exit}
		i++ }' want="$1" "$ROOT/bpf/abi.h"
}
kcount() {
	local i
	i=$(kidx "$1")
	[ -n "$i" ] || { echo -1; return 0; }  # unknown counter: no delta matches
	bpftool -j map dump id "$KCNT_MAP" | python3 -c '
import json, sys
i = int(sys.argv[1])
def n(v):
    return v if isinstance(v, int) else int.from_bytes(bytes(int(b, 16) for b in v), "little")
for e in json.load(sys.stdin):
    if n(e["key"]) == i:
        print(sum(n(v["value"]) for v in e["values"]))' "$i"
}
[ -n "$(kidx SW_CNT_BYTES_GAP)" ] || die "cannot read counter indices from bpf/abi.h"

# events PORT : session events to the server's PORT
events() { grep '"kind":"session"' "$T/col.out" | grep -F "\"dst\":\"10.213.27.1:$1\"" || true; }

# uring_case MODE PORT N : N curl exchanges with uring_peer in MODE
uring_case() {
	local mode=$1 port=$2 n=$3 c0 b0 c1 b1 i line calls bytes sent=0
	c0=$(kcount SW_CNT_URING_CALLS)
	b0=$(kcount SW_CNT_URING_BYTES)
	bg "srv_$mode" ip netns exec "$NS_h" "$T/uring_peer" 4 10.213.27.1 "$port" "$mode" "$n"
	wait_for 10 grep -q listening "$T/srv_$mode.out" || die "uring_peer $mode did not start"
	: >"$T/cli_$mode.txt"
	for i in $(seq 1 "$n"); do
		in_host h curl -sf --max-time 10 -o /dev/null \
			-w '%{http_code} %{size_request} %{size_header} %{size_download}\n' \
			"http://10.213.27.1:$port/uring/$mode/$i" >>"$T/cli_$mode.txt" || true
	done
	local pv="PID_srv_$mode"
	wait "${!pv}" 2>/dev/null || true
	line=$(grep '^uring calls' "$T/srv_$mode.out" || true)
	calls=$(awk '{print $3}' <<<"$line")
	bytes=$(awk '{print $5}' <<<"$line")
	expect_eq "$mode: curl got $n answers 200" "$(grep -c '^200 ' "$T/cli_$mode.txt")" "$n"
	sent=$(awk '{s += $2 + $3 + $4} END {print s + 0}' "$T/cli_$mode.txt")
	expect_eq "$mode: the server's io_uring moved what curl sent and got" "${bytes:-none}" "$sent"
	# the kernel side counts the call when the socket tracepoint fires; the
	# counters are read after the server exited, so all have fired
	c1=$(kcount SW_CNT_URING_CALLS)
	b1=$(kcount SW_CNT_URING_BYTES)
	expect_eq "$mode: kernel uring_calls grew by the server's io_uring socket operations" \
		"$((c1 - c0))" "${calls:-none}"
	expect_eq "$mode: kernel uring_bytes grew by their bytes (+$OFF)" "$((b1 - b0))" "$((${bytes:-0} + OFF))"
	expect_eq "$mode: no session event made up for bytes never copied" "$(events "$port" | wc -l)" 0
}

echo "-- io_uring servers, curl clients"
uring_case sendrecv $((P + 1)) 3
uring_case readwrite $((P + 2)) 2
uring_case async $((P + 3)) 2

echo "-- decoy: an io_uring RECV completed in task work inside read(2)"
DP=$((P + 4))
c0=$(kcount SW_CNT_URING_CALLS)
b0=$(kcount SW_CNT_URING_BYTES)
bg srv_decoy ip netns exec "$NS_h" "$T/uring_peer" 4 10.213.27.1 "$DP" decoy 1
wait_for 10 grep -q listening "$T/srv_decoy.out" || die "uring_peer decoy did not start"
# the client connects, waits until the server blocks in read(2), then sends
in_host h python3 - "$DP" >"$T/cli_decoy.txt" <<'PY'
import socket, sys, time
s = socket.create_connection(("10.213.27.1", int(sys.argv[1])), timeout=10)
time.sleep(0.5)
req = b"GET /uring/decoy/real HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
s.sendall(req)
got = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    got += d
print(len(req), len(got), got.split(b" ", 2)[1].decode() if got.startswith(b"HTTP/1.1 ") else "none")
PY
wait "$PID_srv_decoy" 2>/dev/null || true
read -r dreq dgot dstatus <"$T/cli_decoy.txt" || true
line=$(grep '^uring calls' "$T/srv_decoy.out" || true)
expect_eq "decoy: the client got 200" "${dstatus:-none}" 200
expect_eq "decoy: the server's io_uring moved what the client sent and got" \
	"$(awk '{print $5}' <<<"$line")" "$((dreq + dgot))"
c1=$(kcount SW_CNT_URING_CALLS)
b1=$(kcount SW_CNT_URING_BYTES)
expect_eq "decoy: kernel uring_calls grew by the server's operations" "$((c1 - c0))" "$(awk '{print $3}' <<<"$line")"
expect_eq "decoy: kernel uring_bytes grew by their bytes (+$OFF)" "$((b1 - b0))" "$(($(awk '{print $5}' <<<"$line") + OFF))"
sleep 0.5 # the collector polls its ring every few ms
check "decoy: no event carries the forged request left in read(2)'s buffer" \
	bash -c "! grep -qF '/decoy/forged' '$T/col.out'"
expect_eq "decoy: no session event made up for bytes never copied" "$(events "$DP" | wc -l)" 0

echo "-- /metrics and the exit counters"
URC=$(kcount SW_CNT_URING_CALLS)
URB=$(kcount SW_CNT_URING_BYTES)
sleep 1.5 # /metrics is refreshed once a second
in_host h curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom" ||
	ip netns exec "$CNS" curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom" || true
prom() { awk -v k="$1" '$1 == k {print $2}' "$T/m.prom"; }
expect_eq "/metrics: sidewatch_kernel_total{counter=\"uring_calls\"}" \
	"$(prom 'sidewatch_kernel_total{counter="uring_calls"}')" "$URC"
expect_eq "/metrics: sidewatch_kernel_total{counter=\"uring_bytes\"}" \
	"$(prom 'sidewatch_kernel_total{counter="uring_bytes"}')" "$URB"
check "some io_uring traffic was counted at all ($URC calls, $URB bytes)" [ "${URC:-0}" -gt 0 ]
stop_collector col
expect_eq "exit counters: kernel uring_calls" "$(counter col kernel uring_calls 2>/dev/null || echo none)" "$URC"
expect_eq "exit counters: kernel uring_bytes" "$(counter col kernel uring_bytes 2>/dev/null || echo none)" "$URB"
finish
