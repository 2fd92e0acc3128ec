#!/usr/bin/env bash
# tools/bench-payload.sh - the payload detectors' CPU per request (issue
# 20): build/payload-bench (tools/payload-bench.c) over its two corpora,
# tests/data/benign.txt (look-alikes of attacks, the worst case) and
# bench/api-values.txt (ordinary API values), at requests of 200 B, 2 KiB
# and 64 KiB, PB_RUNS runs per cell; each run's median and p99 come from
# the thread's CPU clock around the scan calls of every request, so other
# work on the machine moves them less than wall-clock time would. The
# cache of findings by value is off (every value is scanned; the
# collector runs with it on). Prints a markdown section on stdout (`make
# bench` appends it to bench/RESULTS.md); progress goes to stderr.
#   PB_RUNS  runs per cell (default 5): the table shows the median of the
#            runs' medians and the median of their p99s
#   PB_N     requests per run at 200 B and 2 KiB (default 3000); 64 KiB
#            runs PB_N / 15 (200)
#   PB_BIN   the payload-bench binary (default build/payload-bench)
#   PB_BASE  a second binary (a saved build of another commit), run
#            alternately with PB_BIN in the same loop: a row for each
# Bounded: every run under `timeout 60`; the defaults take ~30 s here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

RUNS=${PB_RUNS:-5}
N=${PB_N:-3000}
BIN=${PB_BIN:-build/payload-bench}
BASE=${PB_BASE:-}
SIZES="200 2048 65536"
CORPORA="tests/data/benign.txt bench/api-values.txt"

die() { echo "bench-payload: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not built (make build/payload-bench)"
[ -z "$BASE" ] || [ -x "$BASE" ] || die "PB_BASE $BASE is not an executable"
for c in $CORPORA; do [ -r "$c" ] || die "corpus $c missing"; done

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

sides="this"
[ -z "$BASE" ] || sides="base this"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
# one line per run: side corpus size median p99
for r in $(seq 1 "$RUNS"); do
	for c in $CORPORA; do
		for s in $SIZES; do
			n=$N
			[ "$s" -le 4096 ] || n=$((N / 15))
			for side in $sides; do
				b=$BIN
				[ "$side" = this ] || b=$BASE
				line=$(timeout 60 "$b" "$s" "$n" 0 "$c") || die "$b $s $n 0 $c failed"
				# "size 2048 B cache off: median 46.10 us, p99 118.00 us (...)"
				set -- $(echo "$line" | sed -n 's/.*median \([0-9.]*\) us, p99 \([0-9.]*\) us.*/\1 \2/p')
				[ $# -eq 2 ] || die "unexpected output: $line"
				echo "$side $c $s $1 $2" >>"$OUT/runs.txt"
			done
		done
	done
	echo "  bench-payload: run $r of $RUNS done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
secs=$(($(date +%s) - start))

python3 - "$OUT/runs.txt" "$RUNS" "$N" "$BIN" "$BASE" "$load_before" "$load_after" "$secs" <<'PY'
import datetime, os, platform, statistics, sys
runs_file, runs, n, binp, base, lb, la, secs = sys.argv[1:9]
rows = [l.split() for l in open(runs_file) if l.strip()]
cells = {}
for side, corpus, size, med, p99 in rows:
    cells.setdefault((side, corpus, int(size)), []).append((float(med), float(p99)))
cpu = "?"
for l in open("/proc/cpuinfo"):
    if l.startswith("model name"):
        cpu = l.split(":", 1)[1].strip()
        break
sizes = [200, 2048, 65536]
label = {200: "200 B", 2048: "2 KiB", 65536: "64 KiB"}
corpora = ["tests/data/benign.txt", "bench/api-values.txt"]
what = {"tests/data/benign.txt": "look-alikes of attacks, the worst case",
        "bench/api-values.txt": "ordinary API values"}
sides = ["base", "this"] if base else ["this"]
name = {"this": binp, "base": base}
print("## The payload detectors' CPU per request (make bench)\n")
print(f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {platform.node()}, {cpu}, "
      f"{os.cpu_count()} CPUs, kernel {platform.release()}; load average {lb} before, {la} after "
      f"({secs} s). `tools/bench-payload.sh`: `{binp} SIZE {n} 0 CORPUS` "
      f"({int(n) // 15} requests at 64 KiB), {runs} runs per cell"
      + (f", alternating with `{base}` in the same loop" if base else "") + ".\n")
print("**The cache of findings by value is off**: every value of every request is decoded and "
      "scanned, as for values never seen before. The collector runs with it on, so repeated "
      "values (a client's User-Agent, common paths) cost less there. Each request: a path, a "
      "query, three scanned headers (User-Agent, Referer, X-Forwarded-For), a cookie, four other "
      "headers (`payload_scan_any_header`) and a JSON body filled with "
      "the corpus's values to the size; CPU time of the scanning thread around the scan calls "
      "(`CLOCK_THREAD_CPUTIME_ID`), per request. Each cell: median of the runs' medians "
      "(median of the runs' p99s), µs.\n")
print("| corpus | " + ("binary | " if base else "") + " | ".join(label[s] for s in sizes) + " |")
print("|---|" + ("---|" if base else "") + "---:|" * len(sizes))
for c in corpora:
    for side in sides:
        out = []
        for s in sizes:
            v = cells.get((side, c, s), [])
            out.append(f"{statistics.median(m for m, _ in v):.1f} ({statistics.median(p for _, p in v):.0f})"
                       if v else "–")
        print(f"| {c} ({what[c]}) | " + (f"`{name[side]}` | " if base else "") + " | ".join(out) + " |")
print("\nIssue 20 asks for under ~5 µs median at 2 KiB on this machine.\n")
PY
