#!/usr/bin/env bash
# failopen: "a crash or slowdown of sidewatch never slows or breaks the app".
# nginx on host srv, a benign wrk client on host cli, the real collector in
# srv's namespace (--netns self) with /metrics on srv's loopback.
#  - baseline: wrk against nginx with no collector, before and after the
#    rest (bracketing drift);
#  - in each of 3 rounds, interleaved so drift hits all alike: wrk with the
#    collector running; then frozen with SIGSTOP, wrk while its ring buffer
#    fills ("filling"), then with its 32 MiB ring buffer filled by uncached
#    large responses (sendfile off, so every byte is copied), wrk again
#    ("stopped"); then running but throttled to 1% of a CPU (cgroup cpu
#    quota) under the same large responses, wrk again ("throttled");
#  - filling, stopped and throttled: zero errors; the best run's p50 latency
#    and req/s within stated ratios of the healthy app's (the worse of the
#    running collector's best and no collector's) and of no collector's
#    (failopen_compare.py says why the best, not the median);
#    the kernel counted every record it could not queue (ringbuf_full, read
#    from the collector's own BPF map while it is stopped, grows by at least
#    one record per request served while stopped, and grows while throttled);
#  - after SIGCONT and the throttle lifted, the collector still decodes: a
#    sentinel request each round yields its event, /metrics answers and
#    reports the losses, and every request that has no event is covered by a lost
#    record (missing events <= ringbuf_full).
# Seen 2026-12-04 on this VM before the fix: "filling" failed (p50 x1.96-2.0,
# req/s x0.66-0.69 of the running collector's): the capture programs forced
# a ring buffer wakeup on every record while more than SW_WAKE_BYTES waited,
# i.e. on every record the app produced while the collector was stopped.
# Now only the record that crosses SW_WAKE_BYTES wakes it (bpf/maps.h).
# SW_BREAK=hog (two busy loops beside nginx during the stopped and throttled
# runs) shows the latency checks fail when the app is slowed; SW_BREAK=nofill
# skips filling the ring, and the ringbuf_full checks fail.
source "$(dirname "$0")/lib.sh"
require_kernel

# Stated slack. The kernel programs keep copying (or counting) while user
# space is stopped: that is the capture's own cost (benchmarked, x1.3 p50),
# the same whether the collector runs or not. So a stopped or overloaded
# collector is compared with the app as it is healthy, the worse of the
# running collector's runs and no collector's (nothing added: x1.5, this
# shared 2-core VM's run-to-run noise of wrk's p50 is up to ~30%;
# failopen_compare.py says why the worse of the two), and with no collector
# at all (x2.0: the capture's cost plus the noise).
LAT_OK=1.5      # p50 <= the healthy app's p50 x 1.5
RPS_OK=0.67     # req/s >= the healthy app's req/s x 0.67
LAT_BASE=2.0    # p50 <= no collector's p50 x 2.0
RPS_BASE=0.5    # req/s >= no collector's req/s x 0.5
ROUNDS=3
SECS=2

net_host srv 10.213.27.1
net_host cli 10.213.27.2
make_www "$T/www"
nginx_conf "$T/nginx.conf" "10.213.27.1:80" "$T/www" "location = /nosf/big.txt { alias $T/www/big.txt; sendfile off; }"
bg nginx in_host srv nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 in_host cli curl -sf -o /dev/null http://10.213.27.1/api/echo || die "nginx not reachable"
BIGN=$(in_host cli curl -sf http://10.213.27.1/nosf/big.txt | wc -c)
expect_eq "the uncached large response is 100000 bytes" "$BIGN" 100000

# wrk_run LABEL URL : one benign run; appends "label p50_us rps errors reqs"
wrk_run() {
	local label=$1 url=${2:-http://10.213.27.1/api/echo}
	in_host cli wrk -t1 -c4 -d"${SECS}s" --latency "$url" >"$T/wrk.txt" 2>&1 || true
	python3 "$ROOT/tests/integration/wrk_result.py" "$label" "$T/wrk.txt" >>"$T/runs.txt"
	tail -1 "$T/runs.txt" | sed 's/^/   wrk /'
}

# the collector's own kernel counters (BPF map sw_counters, per-CPU, summed)
# read with bpftool, which works while the collector is stopped
KCNT_MAP=
kcount() { # kcount INDEX
	bpftool -j map dump id "$KCNT_MAP" | python3 -c '
import json, sys
i = int(sys.argv[1])
for e in json.load(sys.stdin):
    k = e.get("key")
    k = k if isinstance(k, int) else int.from_bytes(bytes(int(b, 16) for b in k), "little")
    if k == i:
        print(sum(v["value"] if isinstance(v["value"], int) else
                  int.from_bytes(bytes(int(b, 16) for b in v["value"]), "little")
                  for v in e["values"]))' "$1"
}
RB_FULL=3  # SW_CNT_RB_FULL in bpf/abi.h

# fill_ring : uncached 100 kB responses until the kernel counts lost records
# (bounded: at most 20 one-second rounds; 32 MiB is ~330 responses)
fill_ring() {
	local before
	before=$(kcount $RB_FULL)
	[ "${SW_BREAK:-}" = nofill ] && return 0
	for _ in $(seq 1 20); do
		in_host cli wrk -t1 -c2 -d1s http://10.213.27.1/nosf/big.txt >"$T/fill.txt" 2>&1 || true
		echo "fill -1 -1 0 $(awk '/ requests in / {n = $1} END {print n + 0}' "$T/fill.txt")" >>"$T/runs.txt"
		[ "$(kcount $RB_FULL)" -gt "$before" ] && return 0
	done
	return 0
}

HOGS=()
hog_on() {
	[ "${SW_BREAK:-}" = hog ] || return 0
	for _ in 1 2; do
		in_host srv nice -n -5 sh -c 'end=$(($(date +%s) + 30)); while [ "$(date +%s)" -lt "$end" ]; do :; done' &
		HOGS+=($!)
		SW_PIDS+=($!)
	done
}
hog_off() {
	local p
	for p in "${HOGS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	HOGS=()
}

: >"$T/runs.txt"
echo "-- baseline (no collector)"
for i in $(seq 1 $ROUNDS); do wrk_run base; done

MPORT=$(free_port_in srv 12000 1000) || die "no free port"
bg col ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --no-tls \
	--mode monitor --metrics-listen "127.0.0.1:$MPORT"
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }
CPID=$PID_col
on_exit cont_pid "$CPID" # resumed before lib.sh stops it
# looked for again until found (once, in a full run on a loaded machine,
# one look right after "ready" found nothing)
find_kcnt() {
	local id
	for id in $(awk '/^map_id:/ {print $2}' /proc/"$CPID"/fdinfo/* 2>/dev/null | sort -un); do
		if bpftool map show id "$id" 2>/dev/null | grep -q ' name sw_counters '; then KCNT_MAP=$id; fi
	done
	[ -n "$KCNT_MAP" ]
}
wait_for 15 find_kcnt ||
	die "the collector's sw_counters map not found among its file descriptors: $(ls /proc/"$CPID"/fd 2>&1 | wc -l) fds, alive: $(kill -0 "$CPID" 2>&1 && echo yes)"
ok "the collector's kernel counters are map $KCNT_MAP"
expect_eq "nothing lost before the test (ringbuf_full)" "$(kcount $RB_FULL)" 0
echo "-- collector running"
wrk_run on
wait_for 10 grep -q '"path":"/api/echo"' "$T/col.out" || true
check "the running collector decodes the benign traffic" grep -q '"path":"/api/echo"' "$T/col.out"
sed -i '$s/^on /warm /' "$T/runs.txt"  # a warm-up run: its requests count, its numbers do not

CG=/sys/fs/cgroup/cpu/sw-failopen-$$
unthrottle() {
	local p
	[ -d "$CG" ] || return 0
	for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do echo "$p" >/sys/fs/cgroup/cpu/cgroup.procs; done
	rmdir "$CG" 2>/dev/null || true
}
on_exit unthrottle
# Rounds interleave the three states, so that drift on this shared machine
# hits them alike: running; stopped with the ring full; running throttled
# to 1% of a CPU (cgroup cpu quota) with the ring full; then the throttle
# is lifted and a sentinel request shows the collector caught up.
SREQS=0 SLOST=0 TGREW=0 SENT=0 STOPPED=0 THR=0
for i in $(seq 1 $ROUNDS); do
	echo "-- round $i: running"
	wrk_run on
	echo "-- round $i: stopped (SIGSTOP), ring buffer filling"
	kill -STOP "$CPID"
	# the stop reaches every thread a moment after kill returns
	wait_for 3 grep -q '^State:.*T' /proc/"$CPID"/status && STOPPED=$((STOPPED + 1))
	hog_on
	wrk_run filling
	hog_off
	echo "-- round $i: stopped, ring buffer full"
	fill_ring
	a=$(kcount $RB_FULL)
	[ "$i" = 1 ] && check "the ring buffer filled: lost records counted in the kernel ($a)" test "$a" -gt 0
	hog_on
	wrk_run stopped
	hog_off
	b=$(kcount $RB_FULL)
	SREQS=$((SREQS + $(tail -1 "$T/runs.txt" | awk '{print $5}')))
	SLOST=$((SLOST + b - a))
	grep -q '^State:.*T' /proc/"$CPID"/status && STOPPED=$((STOPPED + 1))
	kill -CONT "$CPID"
	echo "-- round $i: running, throttled to 1% of a CPU"
	mkdir "$CG" && echo 100000 >"$CG/cpu.cfs_period_us" && echo 1000 >"$CG/cpu.cfs_quota_us" &&
		echo "$CPID" >"$CG/cgroup.procs" && THR=$((THR + 1))
	a=$(kcount $RB_FULL)
	fill_ring
	hog_on
	wrk_run throttled
	hog_off
	b=$(kcount $RB_FULL)
	[ "$b" -gt "$a" ] && TGREW=$((TGREW + 1))
	kill -0 "$CPID" || bad "the throttled collector died"
	unthrottle
	in_host cli curl -sf -o /dev/null "http://10.213.27.1/api/echo?sentinel=$i" || bad "sentinel request $i failed"
	echo "sentinel -1 -1 0 1" >>"$T/runs.txt"
	wait_for 60 grep -q "\"query\":\"sentinel=$i\"" "$T/col.out" && SENT=$((SENT + 1))
done
expect_eq "the collector was stopped during every stopped run (before and after it)" "$STOPPED" $((2 * ROUNDS))
check "with the ring full every request served lost at least its record: ringbuf_full grew by $SLOST >= $SREQS requests" \
	test "$SLOST" -ge "$SREQS"
expect_eq "the collector was moved into a 1% CPU quota cgroup in every round" "$THR" "$ROUNDS"
expect_eq "the running but overloaded collector's ring filled (ringbuf_full grew) in every round" "$TGREW" "$ROUNDS"
expect_eq "after each stop and overload the collector caught up: sentinel events" "$SENT" "$ROUNDS"
check "the sentinel events are decoded exchanges" grep -q '"query":"sentinel=1".*"status":200' "$T/col.out"
RB3=$(kcount $RB_FULL)
sleep 0.5
check "the collector answers /metrics after the stop" in_host srv curl -sf --max-time 5 "http://127.0.0.1:$MPORT/metrics" -o "$T/m.prom"
MRB=$(sed -n 's/^sidewatch_kernel_total{counter="ringbuf_full"} //p' "$T/m.prom")
RBEND=$(kcount $RB_FULL)
check "/metrics reports the losses: ringbuf_full $MRB, between $RB3 and the map's $RBEND" \
	test -n "$MRB" -a "${MRB:-0}" -ge "$RB3" -a "${MRB:-0}" -le "$RBEND"

echo "-- baseline again (no collector)"
stop_collector col
for i in $(seq 1 $ROUNDS); do wrk_run base; done

# every request served while the collector ran (wrk's counts, the fills and
# the sentinel) that has no event must be covered by a lost record
EVENTS=$(grep -c '"kind":"session".*"dst":"10.213.27.1:80"' "$T/col.out" || true)
ALL=$(awk '$1 != "base" {n += $5} END {print n + 0}' "$T/runs.txt")
echo "   $EVENTS session events printed for $ALL requests served, ringbuf_full $RBEND"
check "events fewer than requests: the losses are real ($EVENTS < $ALL)" test "$EVENTS" -lt "$ALL"
check "every request without an event is counted as lost: $((ALL - EVENTS)) <= ringbuf_full $RBEND" \
	test "$((ALL - EVENTS))" -le "$RBEND"

echo "-- the app, compared (best of $ROUNDS runs each; no collector: $((2 * ROUNDS)), before and after)"
python3 "$ROOT/tests/integration/failopen_compare.py" "$T/runs.txt" >"$T/verdict.txt"
while read -r lab ref lr rr err n p q rp rq; do
	echo "   $lab vs $ref: p50 $p us vs $rp us (x$lr), $q req/s vs $rq (x$rr)"
	if [ "$ref" = healthy ]; then
		expect_eq "$lab: the benign client saw zero errors in $n requests" "$err" 0
		L=$LAT_OK R=$RPS_OK
	else
		L=$LAT_BASE R=$RPS_BASE
	fi
	check "$lab: best p50 latency x$lr <= x$L of the $ref runs'" \
		python3 -c "import sys; sys.exit(0 if float('$lr') <= float('$L') else 1)"
	check "$lab: best req/s x$rr >= x$R of the $ref runs'" \
		python3 -c "import sys; sys.exit(0 if float('$rr') >= float('$R') else 1)"
done <"$T/verdict.txt"
expect_eq "the runs without collector and with it running saw zero errors" \
	"$(awk '$1 == "base" || $1 == "on" {n += $4} END {print n + 0}' "$T/runs.txt")" 0
finish
