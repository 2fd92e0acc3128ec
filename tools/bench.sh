#!/usr/bin/env bash
# tools/bench.sh - live-path cost of the collector: wrk against nginx with
# the collector off and on, interleaved repetitions, medians, in one run.
# Writes bench/RESULTS.md. BENCH_QUICK=1 for a short smoke run;
# BENCH_REPS / BENCH_SECS override the repetitions and seconds per run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/integration/lib.sh"
require_kernel

REPS=${BENCH_REPS:-5}
SECS=${BENCH_SECS:-8}
CONNS=${BENCH_CONNS:-32}
if [ -n "${BENCH_QUICK:-}" ]; then REPS=2; SECS=2; fi
PORT=$((45000 + $$ % 5000))
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}

make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
WRK_CMD="wrk -t1 -c$CONNS -d${SECS}s --latency http://127.0.0.1:$PORT/api/users/42"

# to_us "1.23ms" -> 1230
to_us() {
	python3 -c 'import sys,re
v=sys.argv[1]; m=re.match(r"([0-9.]+)(us|ms|s)$",v)
f={"us":1,"ms":1000,"s":1000000}[m.group(2)]
print(round(float(m.group(1))*f,1))' "$1"
}

run_wrk() { # LABEL REP
	local f="$T/wrk-$1-$2.txt"
	$WRK_CMD >"$f"
	local rps p50 p99
	rps=$(awk '/Requests\/sec/ {print $2}' "$f")
	p50=$(to_us "$(awk '$1=="50%" {print $2}' "$f")")
	p99=$(to_us "$(awk '$1=="99%" {print $2}' "$f")")
	echo "$1 $2 $rps $p50 $p99" >>"$T/samples.txt"
	echo "  $1 rep $2: $rps req/s, p50 ${p50}us, p99 ${p99}us"
}

: >"$T/samples.txt"
wrk -t1 -c$CONNS -d1s "http://127.0.0.1:$PORT/api/users/42" >/dev/null # warm-up
for rep in $(seq 1 "$REPS"); do
	run_wrk off "$rep"
	bg "col$rep" "$COLLECTOR" --name bench --netns self
	wait_for 30 grep -q '^ready$' "$T/col$rep.err" || die "collector did not start"
	run_wrk on "$rep"
	stop_pid "$(eval echo \$PID_col$rep)"
	cp "$T/col$rep.err" "$T/col$rep.keep"
done
drops=$(cat "$T"/col*.keep | grep '"kind":"counters"' | python3 -c '
import json,sys; print(sum(json.loads(l)["kernel"]["ringbuf_full"] for l in sys.stdin))')
events=$(cat "$T"/col*.keep | grep '"kind":"counters"' | python3 -c '
import json,sys; print(sum(json.loads(l)["events_emitted"] for l in sys.stdin))')

python3 - "$T/samples.txt" "$OUT" "$WRK_CMD" "$REPS" "$drops" "$events" <<'PY'
import datetime, os, platform, statistics, subprocess, sys
samples, out, cmd, reps, drops, events = sys.argv[1:]
rows = [l.split() for l in open(samples)]
def med(label, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == label)
def spread(label, col):
    v = [float(r[col]) for r in rows if r[0] == label]
    return f"{min(v):.0f}–{max(v):.0f}"
off_rps, on_rps = med("off", 2), med("on", 2)
off50, on50 = med("off", 3), med("on", 3)
off99, on99 = med("off", 4), med("on", 4)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
def ver(c):
    try:
        return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
section = f"""## HTTP/1.1: nginx under wrk, collector off vs on

- date: {now}
- machine: {os.cpu_count()} CPUs ({cpu}), {round(os.sysconf('SC_PAGE_SIZE')*os.sysconf('SC_PHYS_PAGES')/2**30)} GiB, kernel {platform.release()}
- versions: {ver('nginx -v 2>&1')}, {ver('wrk -v 2>&1')}
- command: `{cmd}` — {reps} interleaved repetitions per side (off, on, off, on, …); medians, range in brackets
- collector: `sidewatch-collector --netns self` decoding every exchange (no stdout)

| | req/s | p50 latency (µs) | p99 latency (µs) |
|---|---|---|---|
| bare nginx | {off_rps:.0f} [{spread('off', 2)}] | {off50:.0f} [{spread('off', 3)}] | {off99:.0f} [{spread('off', 4)}] |
| with collector | {on_rps:.0f} [{spread('on', 2)}] | {on50:.0f} [{spread('on', 3)}] | {on99:.0f} [{spread('on', 4)}] |
| ratio (on / off) | {on_rps/off_rps:.3f} | {on50/off50:.3f} | {on99/off99:.3f} |

Throughput loss {100*(1-on_rps/off_rps):.1f}%, added p50 {100*(on50/off50-1):.1f}%, added p99 {100*(on99/off99-1):.1f}%.
Session events decoded while on: {events}; ring buffer records lost: {drops}.
Note: 2 cores shared by nginx (1 worker), wrk (1 thread) and the collector, so
the collector's CPU is taken from the same cores the server and load use.
"""
head = "# sidewatch benchmarks\n\nProduced by `make bench` (tools/bench.sh). Noisy shared machines: compare the ratios within one run.\n\n"
text = head + section
with open(out, "w") as f:
    f.write(text)
print(section)
PY
