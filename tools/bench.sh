#!/usr/bin/env bash
# tools/bench.sh - live-path cost of the collector, measured against the same
# real servers with the collector off and on, interleaved repetitions, medians,
# in one run. Writes bench/RESULTS.md.
#   rows: HTTP/1.1 saturated (wrk -> nginx), HTTP/1.1 at a fixed rate
#   (h2load --h1 --rps -> nginx, per-request latencies), HTTP/2 at a fixed
#   rate (h2load -> nghttpd).
# BENCH_QUICK=1: a short smoke run. BENCH_REPS, BENCH_SECS override.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/integration/lib.sh"
require_kernel

COLLECTOR=${BENCH_COLLECTOR:-$COLLECTOR} # a saved build, for before/after
REPS=${BENCH_REPS:-5}
ROWS=${BENCH_ROWS:-h1sat h1rate h2rate h1tls tlssat}
SECS=${BENCH_SECS:-8}
if [ -n "${BENCH_QUICK:-}" ]; then REPS=2; SECS=2; fi
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
PORT=$(free_port 23000 2500 2)
H2PORT=$((PORT + 1))

make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
printf 'hello h2\n' >"$T/www/h2.txt"
bg nghttpd nghttpd --no-tls -n 1 -d "$T/www" "$H2PORT"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"
# HTTPS: the same files behind TLS (self-signed), for the TLS probes' cost
TLSPORT=$((PORT + 3))
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || die "openssl req failed"
nginx_conf "$T/nginx-tls.conf" "127.0.0.1:$TLSPORT ssl" "$T/www" \
	"ssl_certificate $T/cert.pem; ssl_certificate_key $T/key.pem;"
bg nginxtls nginx -c "$T/nginx-tls.conf" -p "$T"
wait_for 10 curl -sk -o /dev/null "https://127.0.0.1:$TLSPORT/" || die "nginx (TLS) did not start"
wait_for 10 nghttp -n "http://127.0.0.1:$H2PORT/h2.txt" || die "nghttpd did not start"

URL1="http://127.0.0.1:$PORT/api/users/42"
URL2="http://127.0.0.1:$H2PORT/h2.txt"
CMD_SAT="wrk -t1 -c32 -d${SECS}s --latency $URL1"
CMD_H1="h2load --h1 -c 16 --rps 1000 -D $SECS $URL1"
CMD_H2="h2load -c 4 -m 8 --rps 2500 -D $SECS $URL2"
CMD_TLS="h2load --h1 -c 8 --rps 500 -D $SECS https://127.0.0.1:$TLSPORT/api/users/42"
CMD_TLSSAT="wrk -t1 -c16 -d${SECS}s --latency https://127.0.0.1:$TLSPORT/api/users/42"

: >"$T/samples.txt"
: >"$T/collector.txt"

COLPID=
COL_TICKS=0
# collector_on REP [idle]: start it; "idle" runs its threads at SCHED_IDLE
# (analyzer_priority: idle), the choice for operators who put the app first
collector_on() { # REP [idle]
	local prio=normal
	[ "${2:-}" = idle ] && prio=idle
	SIDEWATCH_ANALYZER_PRIORITY=$prio bg "col$1" "$COLLECTOR" --name bench --netns self
	wait_for 30 grep -q '^ready$' "$T/col$1.err" || die "collector did not start"
	COLPID=$(eval echo \$PID_col$1)
}
# collector_off REP ROW: stop it; its memory and the events it decoded go to
# collector.txt ("row rep events cpu-ticks-during-the-load peak-rss-kB
# anon-rss-kB bpf-map-rss-kB") with the CPU ticks sample() measured around
# the load. The BPF maps it mmaps (the ring buffer's data pages are mapped
# twice) count in its RSS; its own heap is RssAnon.
collector_off() {
	local hwm anon bpfm events
	hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$COLPID/status" 2>/dev/null)
	anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$COLPID/status" 2>/dev/null)
	bpfm=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {m = ($6 == "anon_inode:bpf-map")}
		m && /^Rss:/ {s += $2} END {print s + 0}' "/proc/$COLPID/smaps" 2>/dev/null)
	stop_pid "$COLPID"
	cp "$T/col$1.err" "$T/counters-$1.txt"
	events=$(grep '"kind":"counters"' "$T/col$1.err" | tail -1 |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["events_emitted"])')
	echo "$2 $1 ${events:-0} $COL_TICKS ${hwm:-0} ${anon:-0} ${bpfm:-0}" >>"$T/collector.txt"
	COLPID=
}

# The HTTPS rows run a third side, "floor": sw-probe-floor attaches programs
# that only count their runs where the collector attaches its TLS probes.
# What it costs is the kernel's uprobe dispatch alone (a breakpoint trap at
# entry, the return trampoline), which any uprobe-based TLS capture pays on
# this kernel whatever its programs do; the rest of "on" is sidewatch's.
LIBSSL=$(grep -o '/[^ ]*/libssl\.so[^ ]*' "/proc/$(pgrep -P "$PID_nginxtls" | head -1)/maps" | head -1)
[ -n "$LIBSSL" ] || die "nginx (TLS) maps no libssl"
floor_on() {
	bg floor "$BUILD/sw-probe-floor" "$LIBSSL"
	wait_for 10 grep -q '^ready' "$T/floor.out" || die "sw-probe-floor did not attach: $(cat "$T/floor.err")"
}
# floor_off: stop it; it must have seen the load's calls
floor_off() {
	local hits
	stop_pid "$PID_floor"
	wait "$PID_floor" 2>/dev/null || true
	hits=$(sed -n 's/^hits enter=\([0-9]*\) .*/\1/p' "$T/floor.out")
	[ "${hits:-0}" -gt 0 ] || die "sw-probe-floor saw no OpenSSL call during the load"
}

# The server behind each row: its processes (master and workers).
server_pids() {
	local m
	case $1 in
	h1sat|h1rate) m=$PID_nginx ;;
	h2rate) m=$PID_nghttpd ;;
	*) m=$PID_nginxtls ;;
	esac
	echo "$m" $(pgrep -P "$m")
}
HZ=$(getconf CLK_TCK)
# client CMD...: run the load generator, its CPU seconds (user + system,
# from getrusage) into $f.cpu - what the probes cost a client on this host.
client() {
	python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.3f\n" % (u.ru_utime + u.ru_stime))
sys.exit(rc)' "$f.cpu" "$@"
}

# sample ROW SIDE REP: run one measurement, append "row side rep rps p50 p99
# p999 server-µs/request client-µs/request"
sample() {
	local row=$1 side=$2 rep=$3 f="$T/$1-$2-$3" sp s0
	sp=$(server_pids "$row")
	s0=$(proc_ticks $sp)
	[ -n "$COLPID" ] && COL_TICKS=$(proc_ticks "$COLPID")
	case $row in
	h1sat|tlssat)
		if [ "$row" = tlssat ]; then client $CMD_TLSSAT >"$f.txt"; else client $CMD_SAT >"$f.txt"; fi
		python3 - "$f.txt" <<'PY' >>"$T/samples.txt"
import re, sys
t = open(sys.argv[1]).read()
def us(v):
    m = re.match(r"([0-9.]+)(us|ms|s)$", v)
    return float(m.group(1)) * {"us": 1, "ms": 1000, "s": 1e6}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", t).group(1))
p = {k: us(v) for k, v in re.findall(r"^\s+(50|99)%\s+(\S+)", t, re.M)}
print(rps, p["50"], p["99"], "nan")
PY
		;;
	h1rate|h2rate|h1tls)
		local cmd=$CMD_H1
		[ "$row" = h2rate ] && cmd=$CMD_H2
		[ "$row" = h1tls ] && cmd=$CMD_TLS
		client $cmd --log-file="$f.log" >"$f.txt"
		python3 - "$f.log" "$f.txt" "$SECS" <<'PY' >>"$T/samples.txt"
import re, sys
lat = sorted(int(l.split()[2]) for l in open(sys.argv[1]) if l.strip())
t = open(sys.argv[2]).read()
failed = int(re.search(r"(\d+) failed", t).group(1))
def pct(q):
    return lat[min(len(lat) - 1, int(q * len(lat)))]
print(len(lat) / float(sys.argv[3]), pct(0.5), pct(0.99), pct(0.999))
if failed:
    sys.exit(1)
PY
		;;
	esac
	# CPU per request (server, client): requests = req/s x seconds of load
	local per_req
	per_req=$(python3 -c "import sys; t, hz, c, rps, secs = map(float, sys.argv[1:]); n = max(1.0, rps * secs); print('%.2f %.2f' % (t / hz * 1e6 / n, c * 1e6 / n))" \
		"$(($(proc_ticks $sp) - s0))" "$HZ" "$(cat "$f.cpu")" \
		"$(tail -1 "$T/samples.txt" | awk '{print $1}')" "$SECS")
	sed -i "\$s/^/$row $side $rep /; \$s/\$/ $per_req/" "$T/samples.txt"
	[ -n "$COLPID" ] && COL_TICKS=$(($(proc_ticks "$COLPID") - COL_TICKS))
	tail -1 "$T/samples.txt" | awk '{printf "  %-7s %-3s rep %s: %8.0f req/s  p50 %6.0fus  p99 %6.0fus  p99.9 %s  server %s us/req  client %s us/req\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
}

$CMD_SAT >/dev/null 2>&1 || true # warm-up
for rep in $(seq 1 "$REPS"); do
	for row in $ROWS; do
		sample "$row" off "$rep"
		if [ "$row" = h1tls ] || [ "$row" = tlssat ]; then
			floor_on
			sample "$row" floor "$rep"
			floor_off
		fi
		collector_on "$rep$row"
		sample "$row" on "$rep"
		collector_off "$rep$row" "$row"
		# the same collector with its threads at SCHED_IDLE, on the HTTP/1.1 rows
		if [ "$row" = h1sat ] || [ "$row" = h1rate ]; then
			collector_on "$rep${row}idle" idle
			chrt -p "$COLPID" | grep -q SCHED_IDLE ||
				die "the idle side's collector is not at SCHED_IDLE: $(chrt -p "$COLPID")"
			sample "$row" idle "$rep"
			collector_off "$rep${row}idle" "$row-idle"
		fi
	done
done
# --- verdict to cut, under a background load --------------------------------
# The collector in enforce mode with SQL injection set to kill; a benign wrk
# load on nginx meanwhile; an API that takes 20 ms to answer receives SQL
# injection requests, each on a new connection. How fast is each one judged
# and cut, and how many answers never reach the attacker?
VPORT=$((PORT + 2))
ATTACKS=${BENCH_ATTACKS:-300}
[ -n "${BENCH_QUICK:-}" ] && ATTACKS=60
bg slowapi /usr/bin/python3 "$ROOT/tools/bench-verdict.py" server "$VPORT"
wait_for 10 grep -q serving "$T/slowapi.out" || die "slow API did not start"
# The background load comes from one address at thousands of requests/s:
# the rate rule would (rightly) block it, so it is off for this row.
python3 "$ROOT/tools/rules-off.py" rate >"$T/rules.yaml" || die "bench rules: could not turn the rate rule off"
BG_CMD="wrk -t1 -c8 -d$((SECS + 20))s http://127.0.0.1:$PORT/api/users/42"
# verdict_run PRIO: one run with the collector's threads at PRIO (normal or
# idle); the verdicts go to colv_PRIO.out, the attacker's tally to
# attack-PRIO.json, the background load's req/s to bg-wrk-PRIO.txt
verdict_run() {
	local prio=$1
	SIDEWATCH_ANALYZER_PRIORITY=$prio bg "colv_$prio" "$COLLECTOR" --stdout --name bench --netns self \
		--mode enforce --no-tls --metrics-listen off --rules "$T/rules.yaml"
	wait_for 30 grep -q '^ready$' "$T/colv_$prio.err" || die "collector ($prio) did not start"
	$BG_CMD >"$T/bg-wrk-$prio.txt" 2>&1 &
	BGPID=$!
	sleep 1
	/usr/bin/python3 "$ROOT/tools/bench-verdict.py" attack "$VPORT" "$ATTACKS" >"$T/attack-$prio.json"
	kill -INT "$BGPID" 2>/dev/null || true # wrk prints its totals on SIGINT
	wait "$BGPID" 2>/dev/null || true
	stop_pid "$(eval echo "\$PID_colv_$prio")"
	cp "$T/colv_$prio.err" "$T/counters-verdict-$prio.txt"
	echo "  attacks ($prio): $(cat "$T/attack-$prio.json")"
}
verdict_run normal
verdict_run idle

ring_lost() { # FILE...: ring-buffer records lost, summed over the collectors' exit counters
	cat "$@" /dev/null | grep '"kind":"counters"' | python3 -c '
import json,sys; print(sum(json.loads(l)["kernel"]["ringbuf_full"] for l in sys.stdin))'
}
drops=$(ring_lost $(ls "$T"/counters-*.txt | grep -v idle))
drops_idle=$(ring_lost $(ls "$T"/counters-*.txt | grep idle))
events=$(cat "$T"/counters-*.txt | grep '"kind":"counters"' | python3 -c '
import json,sys; print(sum(json.loads(l)["events_emitted"] for l in sys.stdin))')

python3 - "$T/samples.txt" "$OUT" "$REPS" "$drops" "$events" "$CMD_SAT" "$CMD_H1" "$CMD_H2" "$CMD_TLS" \
	"$CMD_TLSSAT" "$T" "$drops_idle" "$BG_CMD" "$VPORT" "$T/collector.txt" "$HZ" "$SECS" <<'PY'
import datetime, math, os, platform, statistics, subprocess, sys
samples, out, reps, drops, events, cmd_sat, cmd_h1, cmd_h2, cmd_tls, cmd_tlssat, tdir, drops_idle, bg_cmd, vport, colf, hz, secs = sys.argv[1:]
hz, secs = float(hz), float(secs)
rows = [l.split() for l in open(samples) if l.strip()]
def vals(row, side, col):
    return [float(r[col]) for r in rows if r[0] == row and r[1] == side and r[col] != "nan"]
def med(row, side, col):
    v = vals(row, side, col)
    return statistics.median(v) if v else float("nan")
def rng(row, side, col):
    v = vals(row, side, col)
    return f"{min(v):.0f}–{max(v):.0f}" if v else "–"
def ver(c):
    try:
        return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
names = {"h1sat": f"HTTP/1.1 saturated — `{cmd_sat}`",
         "h1rate": f"HTTP/1.1 at a fixed rate — `{cmd_h1}`",
         "h2rate": f"HTTP/2 at a fixed rate — `{cmd_h2}`",
         "h1tls": f"HTTPS (HTTP/1.1 over TLS, plaintext from the OpenSSL uprobes) at a fixed rate — `{cmd_tls}`",
         "tlssat": f"HTTPS saturated — `{cmd_tlssat}`"}
notes = {"tlssat": """Every SSL_read/SSL_write of every process that maps the probed libssl
enters the kernel twice (the entry breakpoint and the return trampoline), the
load generator's own calls included: wrk on this host pays the same trap cost
per request as nginx. A request here cost nginx 2 reads (one returns
WANT_READ) and 1 write (seen when this note was written; not measured by
this run).

"Uprobes only" attaches, at the same sites, programs that only count their
runs (`sw-probe-floor`, bpf/floor.bpf.c): the cost of the kernel's uprobe
dispatch itself, which no program can avoid on this kernel (no kTLS here, so
the plaintext never crosses a socket). The gap between it and "collector on"
is sidewatch's programs and the collector's own CPU.

"""}
notes["h1tls"] = "\"Uprobes only\": see the saturated HTTPS row below.\n\n"
text = f"""# sidewatch benchmarks

Produced by `make bench` (tools/bench.sh) on {now}.

- machine: {os.cpu_count()} CPUs ({cpu}), {mem} GiB, kernel {platform.release()}
- peers: {ver('nginx -v 2>&1')} (1 worker), nghttpd {ver('nghttpd --version')}, {ver('wrk -v 2>&1 | head -1')}, h2load {ver('h2load --version')}
- method: each row runs the same load with the collector off and on, alternating
  ({reps} repetitions per side, interleaved; the HTTPS rows add a third side,
  uprobes only, between the two), and reports medians with the
  range in brackets. The collector is `sidewatch-collector --netns self`,
  decoding every exchange (events to no sink). Latencies are per request:
  wrk's percentiles for the saturated rows, h2load's per-request log for the
  fixed-rate rows. Server CPU: the server's processes' user + system time
  from /proc over the run, per request served (what the kernel programs and
  probes add to the application's own work); client CPU: the load
  generator's, from getrusage (TLS probes trap in every process that uses
  the probed libssl, the load generator included).
- the machine is shared and noisy: read the ratios within this run, not the
  absolute numbers. All {os.cpu_count()} CPUs are shared by server, load generator and
  collector, so in the saturated rows every cycle the collector and the
  kernel programs use is a cycle the server does not get.

"""
for row in ("h1sat", "h1rate", "h2rate", "h1tls", "tlssat"):
    if not vals(row, "off", 3):
        continue
    sides = ("off", "floor", "on") if vals(row, "floor", 3) else ("off", "on")
    if vals(row, "idle", 3):
        sides += ("idle",)
    r = {s: [med(row, s, c) for c in (3, 4, 5, 6, 7, 8)] for s in sides}
    def ratio(c, side="on"):
        a, b = r["off"][c], r[side][c]
        return "–" if math.isnan(a) or math.isnan(b) or a == 0 else f"{b / a:.3f}"
    floor = ""
    if "floor" in sides:
        floor = f"""| uprobes only (empty programs) | {r['floor'][0]:.0f} [{rng(row,'floor',3)}] | {r['floor'][1]:.0f} [{rng(row,'floor',4)}] | {r['floor'][2]:.0f} [{rng(row,'floor',5)}] | {r['floor'][3]:.0f} | {r['floor'][4]:.1f} | {r['floor'][5]:.1f} |
| ratio uprobes only/off | {ratio(0, 'floor')} | {ratio(1, 'floor')} | {ratio(2, 'floor')} | {ratio(3, 'floor')} | {ratio(4, 'floor')} | {ratio(5, 'floor')} |
"""
    idle = ""
    if "idle" in sides:
        idle = f"""| collector on, threads at SCHED_IDLE | {r['idle'][0]:.0f} [{rng(row,'idle',3)}] | {r['idle'][1]:.0f} [{rng(row,'idle',4)}] | {r['idle'][2]:.0f} [{rng(row,'idle',5)}] | {r['idle'][3]:.0f} | {r['idle'][4]:.1f} | {r['idle'][5]:.1f} |
| ratio idle/off | {ratio(0, 'idle')} | {ratio(1, 'idle')} | {ratio(2, 'idle')} | {ratio(3, 'idle')} | {ratio(4, 'idle')} | {ratio(5, 'idle')} |
"""
    text += f"""## {names[row]}

| | req/s | p50 (µs) | p99 (µs) | p99.9 (µs) | server CPU (µs/request) | client CPU (µs/request) |
|---|---|---|---|---|---|---|
| collector off | {r['off'][0]:.0f} [{rng(row,'off',3)}] | {r['off'][1]:.0f} [{rng(row,'off',4)}] | {r['off'][2]:.0f} [{rng(row,'off',5)}] | {r['off'][3]:.0f} | {r['off'][4]:.1f} | {r['off'][5]:.1f} |
| collector on | {r['on'][0]:.0f} [{rng(row,'on',3)}] | {r['on'][1]:.0f} [{rng(row,'on',4)}] | {r['on'][2]:.0f} [{rng(row,'on',5)}] | {r['on'][3]:.0f} | {r['on'][4]:.1f} | {r['on'][5]:.1f} |
| ratio on/off | {ratio(0)} | {ratio(1)} | {ratio(2)} | {ratio(3)} | {ratio(4)} | {ratio(5)} |
{floor}{idle}
""" + notes.get(row, "")
text += f"""Session events decoded while on (all rows): {events}; ring buffer records lost: {drops} with
the collector at normal priority, {drops_idle} with its threads at SCHED_IDLE
(`analyzer_priority: idle`: it runs only on CPU time the server and the load
generator leave, so under saturation its reader falls behind and the ring
fills; the HTTP/1.1 rows' "idle" side and the idle verdict run below).

"""
# The collector itself: what it decodes per core, and its memory.
col = [l.split() for l in open(colf) if l.strip()]
ctext = ""
for row in ("h1sat", "h1sat-idle", "h1rate", "h1rate-idle", "h2rate", "h1tls", "tlssat"):
    c = [tuple(int(x) for x in r[2:7]) for r in col if r[0] == row]
    if not c:
        continue
    ev_s = statistics.median(x[0] / secs for x in c)
    core = statistics.median(x[1] / hz / secs for x in c)
    busy = [x[0] / (x[1] / hz) for x in c if x[1] > 0]
    per_core = statistics.median(busy) if busy else float("nan")
    mib = [max(x[k] for x in c) / 1024 for k in (2, 3, 4)]
    ctext += (f"| {row} | {ev_s:.0f} | {100 * core:.1f}% | {per_core:.0f} | "
              f"{mib[0]:.1f} | {mib[1]:.1f} | {mib[2]:.1f} |\n")
if ctext:
    text += f"""## The collector: decode throughput per core and memory

Per row with the collector on (medians over the repetitions): session
events it decoded per second of load (`events_emitted` of its exit
counters; the run lasts the load plus start and stop), its CPU over the
load (user + system from /proc, all threads, in % of one core), events per
second of its CPU (decode throughput per core: ring buffer reads, stream
reassembly, decoders, detectors, verdicts), and its memory (largest over
the repetitions): peak RSS (VmHWM), its own heap at the end of the load
(RssAnon), and the BPF maps it has mapped (the 32 MiB ring buffer's data
pages are mapped twice, so they count twice in RSS; the kernel holds them
either way).

| row | events/s | collector CPU | events per core-second | peak RSS (MiB) | own heap (MiB) | BPF maps mapped (MiB) |
|---|---|---|---|---|---|---|
{ctext}
"""
import json, re
def pq(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")
vrows, vtally = "", ""
for prio in ("normal", "idle"):
    det, enf = [], []
    try:
        vlines = open(f"{tdir}/colv_{prio}.out").read().splitlines()
        atk = json.load(open(f"{tdir}/attack-{prio}.json"))
    except (OSError, ValueError):
        continue
    for l in vlines:
        try:
            e = json.loads(l)
        except ValueError:
            continue
        if e.get("kind") == "verdict" and e.get("rule") == "sqli" and e.get("dst", "").endswith(":" + vport):
            det.append(e["detect_latency_us"])
            if e["enforce_latency_us"]:
                enf.append(e["enforce_latency_us"])
    m = re.search(r"Requests/sec:\s+([0-9.]+)", open(f"{tdir}/bg-wrk-{prio}.txt").read())
    bg_rps = f"{float(m.group(1)):.0f}" if m else "?"
    vrows += (f"| {prio} | {pq(det, .5):.0f} | {pq(det, .99):.0f} | {max(det) if det else float('nan'):.0f} "
              f"| {pq(enf, .5):.0f} | {pq(enf, .99):.0f} | {len(det)} of {atk['sent']} | {atk['answered']} "
              f"| {atk['cut']} (**{100.0 * atk['cut'] / max(1, atk['sent']):.1f}%**) | {bg_rps} |\n")
text += f"""## Verdict to cut, under load

An API that takes 20 ms to answer (`tools/bench-verdict.py server`) receives
SQL-injection requests, each on a new connection, while `{bg_cmd}` saturates
nginx on the same 2 CPUs; the collector runs `--mode enforce` with the default
rules (sqli: kill) but the rate rule off (the load generator is one address).
One run with the collector's threads at normal priority (the default), one
at SCHED_IDLE (`analyzer_priority: idle`). Detect latency: last request byte
in the kernel → verdict; enforce latency: verdict → socket destroyed; µs.

| collector threads | detect p50 | detect p99 | detect max | enforce p50 | enforce p99 | attacks judged | answers that reached the attacker | cut before the answer | nginx req/s meanwhile (wrk) |
|---|---|---|---|---|---|---|---|---|---|
{vrows}
"""
with open(out, "w") as f:
    f.write(text)
print(text)
PY
