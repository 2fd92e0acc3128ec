#!/usr/bin/env bash
# tools/bench-progcost.sh - "where the added CPU per request goes": the
# kernel's own run-time accounting of every BPF program the collector
# loaded (kernel.bpf_stats_enabled: run_time_ns, run_cnt), over a fixed
# number of requests per load shape, divided per request. Unlike wall-clock
# CPU sampling this counts only the programs' own CPU, so it holds on a
# machine shared with other work. Prints a markdown section on stdout.
#   shapes: h1busy  HTTP/1.1 keep-alive, 4 busy connections (h2load --h1 -n)
#           h1quiet HTTP/1.1 keep-alive, 200 quiet connections (--rps 5 each)
#           h2      HTTP/2, 4 connections x 8 streams (h2load -n, nghttpd)
#           h1body  HTTP/1.1, 16 KiB JSON-like body written by the server
#                   (no sendfile: the bytes cross a send call)
#           h1big   HTTP/1.1, 1 MiB body written by the server in 64 KiB
#                   writes (no sendfile): what the response skip saves
#           h2big   HTTP/2, a 1 MiB file (nghttpd, 16 KiB DATA frames):
#                   the response bytes an HTTP/2 download copies
# Three sides, in this order: "off" (nothing attached), "floor" (sw-tp-floor:
# programs that do nothing on the same three tracepoints, bpf/floor_tp.bpf.c)
# and "on" (the collector). For floor and on, the programs' run time per
# request (bpf_stats); for every side, the server's own CPU per request
# under a fixed-rate load (its threads' run time from /proc/PID/task/*/
# schedstat, in ns), which also holds the tracepoint dispatch around each
# run (the raw tracepoint entry and exit, the indirect call) that
# bpf_stats does not count. Before them: the server's socket calls per
# request (perf counting the two tracepoints in its processes) and the
# floor's CPU per socket call measured directly (sw-tp-floor --cost).
# PROG_N (requests per shape), PROG_SHAPES override; PROG_COLLECTOR runs
# another collector binary (a saved build, for before/after comparisons);
# PROG_RATE_S seconds of each fixed-rate load (0: none); PROG_FLOOR=0 leaves
# the floor side out; PROG_COST_N send/recv pairs in each of --cost's 41 rounds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/integration/lib.sh"
require_kernel
COLLECTOR=${PROG_COLLECTOR:-$COLLECTOR}

N=${PROG_N:-20000}
SHAPES=${PROG_SHAPES:-h1busy h1quiet h2 h1body}
PORT=$(free_port 24000 1500 3)
H2PORT=$((PORT + 1))
BPORT=$((PORT + 2))

make_www "$T/www"
head -c 16384 /dev/zero | tr '\0' 'j' >"$T/www/body.json"
head -c 1048576 /dev/zero | tr '\0' 'j' >"$T/www/big.json"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
# the same files without sendfile: a 16 KiB body written from user memory
nginx_skeleton "$T/nginx-body.conf" "127.0.0.1:$BPORT" "$T/www" "" "" "sendfile off; output_buffers 1 64k;"
sed -i 's/sendfile on;//' "$T/nginx-body.conf"
bg nginxb nginx -c "$T/nginx-body.conf" -p "$T"
printf 'hello h2\n' >"$T/www/h2.txt"
bg nghttpd nghttpd --no-tls -n 1 -d "$T/www" "$H2PORT"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$BPORT/body.json" || die "nginx (body) did not start"
wait_for 10 nghttp -n "http://127.0.0.1:$H2PORT/h2.txt" || die "nghttpd did not start"

RATE_S=${PROG_RATE_S:-5}
FLOOR=$BUILD/sw-tp-floor
[ "${PROG_FLOOR:-1}" = 0 ] || [ -x "$FLOOR" ] || die "sw-tp-floor not built: run make"

old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
restore_stats() { echo "$old_stats" >/proc/sys/kernel/bpf_stats_enabled; }
on_exit restore_stats
echo 1 >/proc/sys/kernel/bpf_stats_enabled

# ids: the programs loaded now, so snap sees only the side's own
ids() {
	bpftool -j prog show | python3 -c 'import json, sys
for p in json.load(sys.stdin): print(p["id"])' >"$T/before-ids.txt"
}

# snap FILE: "id name run_time_ns run_cnt" of the side's programs (the
# ones loaded after before-ids.txt was taken; the kernel lock keeps others'
# tests from loading any meanwhile), then "bytes COPIED SKIPPED": the
# collector's kernel counters (sw_counters, 0 0 without a collector)
snap() {
	bpftool -j prog show | python3 -c '
import json, sys
old = set(open(sys.argv[1]).read().split())
for p in json.load(sys.stdin):
    if str(p["id"]) not in old:
        print(p["id"], p.get("name", "?"), p.get("run_time_ns", 0), p.get("run_cnt", 0))' "$T/before-ids.txt" >"$1"
	local m=""
	[ -z "${PID_col:-}" ] || m=$(bpf_map_of "$PID_col" sw_counters) || m=""
	if [ -n "$m" ]; then
		bpftool -j map dump id "$m" | python3 -c '
import json, re, sys
names = re.findall(r"^\s*(SW_CNT_[A-Z0-9_]+)", open(sys.argv[1]).read(), re.M)
names = [n for n in names if n != "SW_CNT__MAX"]
tot = {}
for e in json.load(sys.stdin):
    e = e.get("formatted", e)
    tot[int(e["key"])] = sum(int(v["value"]) for v in e["values"])
print("bytes", tot.get(names.index("SW_CNT_BYTES_COPIED"), 0),
      tot.get(names.index("SW_CNT_SKIPPED_BYTES"), 0))' "$ROOT/bpf/abi.h" >>"$1"
	else
		echo "bytes 0 0" >>"$1"
	fi
}

# load SHAPE: run it, print the number of requests that succeeded
load() {
	local out="$T/load-$1.txt"
	case $1 in
	h1busy) h2load --h1 -n "$N" -c 4 "http://127.0.0.1:$PORT/api/users/42" >"$out" ;;
	h1quiet) h2load --h1 -c 200 --rps 5 -D $((N / 1000)) "http://127.0.0.1:$PORT/api/users/42" >"$out" ;;
	h2) h2load -n "$N" -c 4 -m 8 "http://127.0.0.1:$H2PORT/h2.txt" >"$out" ;;
	h1body) h2load --h1 -n $((N / 4)) -c 4 "http://127.0.0.1:$BPORT/body.json" >"$out" ;;
	h1big) h2load --h1 -n $((N / 40)) -c 4 "http://127.0.0.1:$BPORT/big.json" >"$out" ;;
	h2big) h2load -n $((N / 40)) -c 4 -m 1 "http://127.0.0.1:$H2PORT/big.json" >"$out" ;;
	esac
	sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$out"
}

# server_pids SHAPE: the server process and its children (nginx's worker)
server_pids() {
	local m
	case $1 in
	h1busy|h1quiet) m=$PID_nginx ;;
	h2|h2big) m=$PID_nghttpd ;;
	*) m=$PID_nginxb ;;
	esac
	echo "$m" $(pgrep -P "$m")
}

# run_ns PID...: ns the processes' threads have run so far (schedstat)
run_ns() {
	local p
	for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done |
		awk '{s += $1} END {printf "%d\n", s}'
}

# rate SIDE SHAPE [SECS]: SECS (default RATE_S) seconds of a fixed-rate load
# of SHAPE's kind; appends "side shape requests server-ns" to rate.txt.
# Side "calls": instead, perf counts the server's socket calls (the two
# tracepoints' hits in its processes) and "calls shape requests calls" is
# appended; perf's own tracepoint cost makes that pass's CPU meaningless.
rate() {
	local side=$1 s=$2 secs=${3:-$RATE_S} out="$T/rate-$1-$2.txt" sp a b n pp=""
	sp=$(server_pids "$s")
	if [ "$side" = calls ]; then
		perf stat -x, -e sock:sock_send_length,sock:sock_recv_length \
			-p "$(echo $sp | tr ' ' ,)" -o "$T/perf-$s.txt" &
		pp=$!
		sleep 0.5
	fi
	a=$(run_ns $sp)
	case $s in
	h1busy) h2load --h1 -c 4 --rps 500 -D "$secs" "http://127.0.0.1:$PORT/api/users/42" >"$out" ;;
	h1quiet) h2load --h1 -c 200 --rps 5 -D "$secs" "http://127.0.0.1:$PORT/api/users/42" >"$out" ;;
	h2) h2load -c 4 -m 8 --rps 500 -D "$secs" "http://127.0.0.1:$H2PORT/h2.txt" >"$out" ;;
	h1body) h2load --h1 -c 4 --rps 100 -D "$secs" "http://127.0.0.1:$BPORT/body.json" >"$out" ;;
	h1big) h2load --h1 -c 4 --rps 5 -D "$secs" "http://127.0.0.1:$BPORT/big.json" >"$out" ;;
	h2big) h2load -c 4 -m 1 --rps 5 -D "$secs" "http://127.0.0.1:$H2PORT/big.json" >"$out" ;;
	esac
	b=$(run_ns $sp)
	n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$out")
	[ "${n:-0}" -gt 0 ] || die "rate $side $s: no request succeeded"
	if [ -n "$pp" ]; then
		kill -INT "$pp"
		wait "$pp" 2>/dev/null || true
		a=$(awk -F, '/sock_(send|recv)_length/ {s += $1} END {print s + 0}' "$T/perf-$s.txt")
		echo "calls $s $n $a" >>"$T/rate.txt"
		echo "  progcost calls $s: $n requests, $a server socket calls" >&2
		return 0
	fi
	echo "$side $s $n $((b - a))" >>"$T/rate.txt"
	echo "  progcost rate $side $s: $n requests, server $(((b - a) / n)) ns/request" >&2
}

# shapes SIDE: every shape's fixed-count load with bpf_stats snapshots
# around it (files a-SIDE-SHAPE, b-SIDE-SHAPE; rows-SIDE.txt)
shapes() {
	local side=$1 s n
	: >"$T/rows-$side.txt"
	for s in $SHAPES; do
		snap "$T/a.txt"
		n=$(load "$s")
		snap "$T/b.txt"
		[ "${n:-0}" -gt 0 ] || die "$side $s: no request succeeded"
		echo "$s $n" >>"$T/rows-$side.txt"
		cp "$T/a.txt" "$T/a-$side-$s.txt"
		cp "$T/b.txt" "$T/b-$side-$s.txt"
		echo "  progcost $side $s: $n requests" >&2
	done
}
# rates SIDE: every shape at a fixed rate, bpf_stats off (its clock reads
# per run are not part of what a program costs in production)
rates() {
	local s
	[ "$RATE_S" -gt 0 ] || return 0
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
	for s in $SHAPES; do rate "$1" "$s"; done
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
}

: >"$T/rate.txt"
# the server's socket calls per request (perf counting the tracepoints),
# then the floor's CPU per socket call, measured directly: one-byte
# send/recv on a TCP connection over 127.0.0.1 (the servers' path) with the
# empty programs detached and attached in turn, bpf_stats off
if [ "$RATE_S" -gt 0 ] && command -v perf >/dev/null; then
	for s in $SHAPES; do rate calls "$s" 2; done
fi
if [ "${PROG_FLOOR:-1}" != 0 ]; then
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
	"$FLOOR" --cost "${PROG_COST_N:-10000}" 41 tcp >"$T/cost.txt" || die "sw-tp-floor --cost failed"
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	sed 's/^/  progcost floor cost: /' "$T/cost.txt" >&2
else
	: >"$T/cost.txt"
fi
rates off

if [ "${PROG_FLOOR:-1}" != 0 ]; then
	ids
	bg tpfloor "$FLOOR"
	wait_for 10 grep -q '^ready' "$T/tpfloor.out" || die "sw-tp-floor did not attach: $(cat "$T/tpfloor.err")"
	shapes floor
	rates floor
	stop_pid "$PID_tpfloor"
	wait "$PID_tpfloor" 2>/dev/null || true
fi

ids
bg col "$COLLECTOR" --name progcost --netns self --metrics-listen off
wait_for 30 grep -q '^ready$' "$T/col.err" || die "collector did not start: $(tail -3 "$T/col.err")"

# Warm-up: write the 32 MiB ring buffer round twice first. Its pages are
# allocated but not yet touched when the collector starts; in a VM each
# first write to a page is a fault in the hypervisor (~10 us a page here),
# which is a one-off cost, not the steady state measured below. The
# collector now writes every page itself before it attaches (warm_ring in
# bpf/capture.bpf.c); this warm-up stays for PROG_COLLECTOR builds older
# than that. PROG_COLD=1 skips it: a fresh collector's first requests.
[ -n "${PROG_COLD:-}" ] || h2load --h1 -n 4500 -c 4 "http://127.0.0.1:$BPORT/body.json" >/dev/null
shapes on
rates on
stop_pid "$PID_col"
wait "$PID_col" 2>/dev/null || true
drops=$(grep '"kind":"counters"' "$T/col.err" | tail -1 |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["kernel"]["ringbuf_full"])')
# the ring's bytes over all shapes (and the warm-up), copied and skipped
ringbytes=$(grep '"kind":"counters"' "$T/col.err" | tail -1 |
	python3 -c 'import json, sys; k = json.load(sys.stdin)["kernel"]
print("%d copied, %d skipped" % (k["bytes_copied"], k.get("bytes_skipped", 0)))')
echo "  progcost ring bytes: $ringbytes" >&2

python3 - "$T" "$N" "$drops" "$ringbytes" "$RATE_S" <<'PY'
import datetime, os, platform, sys
t, n, drops, ringbytes, rate_s = sys.argv[1:6]
def rows(side):
    f = f"{t}/rows-{side}.txt"
    if not os.path.exists(f):
        return []
    return [l.split() for l in open(f) if l.strip()]
def read(f):
    d, b = {}, (0, 0)
    for l in open(f):
        x = l.split()
        if x[0] == "bytes":
            b = (int(x[1]), int(x[2]))
        else:
            d[x[0]] = (x[1], int(x[2]), int(x[3]))
    return d, b
# per[side][(shape, name)] = [ns, runs]; byt[side][shape] = (copied, skipped)
per, byt, names = {}, {}, []
for side in ("floor", "on"):
    for shape, req in rows(side):
        (a, ba), (b, bb) = read(f"{t}/a-{side}-{shape}.txt"), read(f"{t}/b-{side}-{shape}.txt")
        byt.setdefault(side, {})[shape] = (bb[0] - ba[0], bb[1] - ba[1])
        for i, (name, ns, cnt) in b.items():
            ns0, cnt0 = a.get(i, (name, 0, 0))[1:]
            if cnt - cnt0 == 0:
                continue
            if side == "on" and name not in names:
                names.append(name)
            x = per.setdefault(side, {}).setdefault((shape, name), [0, 0])
            x[0] += ns - ns0
            x[1] += cnt - cnt0
on = rows("on")
shapes = [r[0] for r in on]
reqs = {r[0]: int(r[1]) for r in on}
freqs = {r[0]: int(r[1]) for r in rows("floor")}
print("## Where the added CPU per request goes (BPF run time)\n")
print(f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {platform.node()}, kernel {platform.release()}, "
      f"`make bench` (tools/bench-progcost.sh, PROG_N={n}). The kernel's own accounting of each program the "
      "collector loaded (`kernel.bpf_stats_enabled=1`, run_time_ns / run_cnt from `bpftool prog show`), "
      "divided by the requests that succeeded: the programs' own CPU, not wall-clock, so it holds on a "
      "shared machine. Each cell: ns per request (runs per request). Stats accounting itself adds ~20-40 ns "
      "per run that is not in these numbers. The floor row is the same loads with programs that do "
      "nothing on the same three tracepoints (`sw-tp-floor`, bpf/floor_tp.bpf.c) and no collector. "
      "Every program runs for every socket call on the host, so other traffic during a load adds runs: "
      "a runs-per-request count above the usual says so.\n")
desc = {"h1busy": "HTTP/1.1 keep-alive, 4 busy conns",
        "h1quiet": "HTTP/1.1 keep-alive, 200 quiet conns (5 req/s each)",
        "h2": "HTTP/2, 4 conns x 8 streams",
        "h1body": "HTTP/1.1, 16 KiB body written (no sendfile)",
        "h1big": "HTTP/1.1, 1 MiB body written in 64 KiB writes (no sendfile)",
        "h2big": "HTTP/2, 1 MiB file (nghttpd), 4 conns x 1 stream"}
print("| program | " + " | ".join(f"{s}" for s in shapes) + " |")
print("|---|" + "---:|" * len(shapes))
tot = {s: 0.0 for s in shapes}
for name in names:
    cells = []
    for s in shapes:
        ns, cnt = per["on"].get((s, name), [0, 0])
        tot[s] += ns / reqs[s]
        cells.append(f"{ns / reqs[s]:.0f} ({cnt / reqs[s]:.2f})" if cnt else "–")
    print(f"| {name} | " + " | ".join(cells) + " |")
print("| **total ns/request** | " + " | ".join(f"**{tot[s]:.0f}**" for s in shapes) + " |")
if "floor" in per:
    ftot, fcnt = {}, {}
    for s in shapes:
        xs = [v for (sh, _), v in per["floor"].items() if sh == s]
        if s in freqs:
            ftot[s] = sum(v[0] for v in xs) / freqs[s]
            fcnt[s] = sum(v[1] for v in xs) / freqs[s]
    print("| floor: empty programs | " + " | ".join(
        f"{ftot[s]:.0f} ({fcnt[s]:.2f})" if s in ftot else "–" for s in shapes) + " |")
    print("| ours above the floor | " + " | ".join(
        f"{tot[s] - ftot[s]:.0f}" if s in ftot else "–" for s in shapes) + " |")
if "on" in byt:
    print("| payload bytes copied / skipped per request | " + " | ".join(
        f"{byt['on'][s][0] / reqs[s]:.0f} / {byt['on'][s][1] / reqs[s]:.0f}" for s in shapes) + " |")
print("\nShapes: " + "; ".join(f"{s} = {desc.get(s, s)} ({reqs[s]} requests)" for s in shapes) +
      f". Ring-buffer drops during these loads: {drops}; payload bytes over all of them: {ringbytes}.\n")

rt = [l.split() for l in open(f"{t}/rate.txt") if l.strip()]
calls = {s: int(c) / int(req) for side, s, req, c in rt if side == "calls"}
cost = {l.split()[0]: {k: float(v) for k, v in (x.split("=") for x in l.split()[1:])}
        for l in open(f"{t}/cost.txt") if l.startswith(("median", "least"))}
if cost:
    c, m = cost["median"], cost["least"]
    print("### The floor per socket call, measured directly\n")
    print(f"`sw-tp-floor --cost N 41 tcp`: one-byte send and recv on a TCP connection over 127.0.0.1, this process's CPU "
          f"time per call, the three empty programs detached and attached in turn, 41 rounds, bpf_stats off: "
          f"**{c['detached']:.0f} ns detached, {c['attached']:.0f} ns attached: {c['added']:.0f} ns added "
          f"per socket call** (median of the rounds' differences; the least round of each side: "
          f"{m['detached']:.0f} and {m['attached']:.0f}, {m['added']:.0f} ns added).")
    if calls:
        print(" The server's socket calls per request (perf counting the two tracepoints in its "
              "processes at the fixed rate below) times that: " + "; ".join(
                  f"{s} {calls[s]:.2f} calls, **{calls[s] * c['added'] / 1000:.2f} µs**"
                  for s in shapes if s in calls) + " of floor per request on the server.")
    print()
if rt:
    cpu = {}
    for side, s, req, ns in rt:
        if side != "calls":
            cpu[(side, s)] = int(ns) / int(req) / 1000.0
    sides = [x for x in ("off", "floor", "on") if any((x, s) in cpu for s in shapes)]
    label = {"off": "nothing attached", "floor": "floor: empty programs", "on": "sidewatch"}
    print("### Server CPU per request at a fixed rate (wall-clock)\n")
    print(f"The same servers under a fixed-rate load of {rate_s} s per shape and side "
          "(h1busy 4 x 500 req/s, h1quiet 200 x 5, h2 4 x 500, h1body 4 x 100, h1big and h2big 4 x 5), "
          "the server's threads' run time (`/proc/PID/task/*/schedstat`, ns) divided by the requests: "
          "unlike the table above it holds the tracepoint dispatch around each program run, and it moves with "
          "everything else the shared machine does. µs per request.\n")
    print("| side | " + " | ".join(shapes) + " |")
    print("|---|" + "---:|" * len(shapes))
    for x in sides:
        print(f"| {label[x]} | " + " | ".join(
            f"{cpu[(x, s)]:.2f}" if (x, s) in cpu else "–" for s in shapes) + " |")
    for x in sides[1:]:
        print(f"| added: {label[x]} | " + " | ".join(
            f"{cpu[(x, s)] - cpu[('off', s)]:+.2f}" if (x, s) in cpu and ('off', s) in cpu else "–"
            for s in shapes) + " |")
    print()
PY
