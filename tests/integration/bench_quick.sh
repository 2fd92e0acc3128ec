#!/usr/bin/env bash
# bench_quick: tools/bench-compare.sh --quick runs end to end (nginx,
# ModSecurity+CRS, CrowdSec, collector, correlator) and writes a
# COMPARE.md whose tables hold numbers, plus the four plots. Any baseline
# that cannot run makes the driver die with the reason; that fails here.
# Then the ingest and fleet benchmarks of `make bench` (tools/bench-ingest.sh,
# tools/bench-fleet.sh) run short and their tables must hold numbers.
source "$(dirname "$0")/lib.sh"
require_kernel

OUT=$T/compare
mkdir -p "$OUT"
t0=$(date +%s)
if BENCH_COMPARE_OUT=$OUT timeout 300 bash "$ROOT/tools/bench-compare.sh" --quick >"$T/run.log" 2>&1; then
	ok "bench-compare --quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -30 "$T/run.log"
	bad "bench-compare --quick failed"
	finish
	exit 1
fi
check "COMPARE.md written" test -s "$OUT/COMPARE.md"
for p in latency detection ttb scaling; do
	check "compare-$p.png is a PNG" sh -c "head -c 8 '$OUT/compare-$p.png' | od -An -c | grep -q 'P   N   G'"
done

python3 - "$OUT/COMPARE.md" >"$T/checks.txt" <<'PY'
import re, sys
md = open(sys.argv[1]).read()
num = r"[0-9]+(?:\.[0-9]+)?"
def row(prefix):
    m = re.search(r"^\| " + re.escape(prefix) + r"[^\n]*$", md, re.M)
    return m.group(0) if m else ""
def say(ok, what):
    print("ok" if ok else "bad", what)
for s in ("bare nginx", "nginx + sidewatch collector", "nginx + ModSecurity + CRS PL1 (inline)"):
    rows = re.findall(r"^\| " + re.escape(s) + r" \| (" + num + r") \[" + num + "–" + num + r"\] \| (" + num + ")", md, re.M)
    say(len(rows) == 2 and all(float(a) > 0 and float(b) > 0 for a, b in rows),
        "live-path rows for %s have req/s and p50 in both tables" % s)
say(len(re.findall(r"^\| " + re.escape("nginx + sidewatch collector") + r" \|.*\| " + num + ", " + num, md, re.M)) == 2,
    "ratios to bare are numbers")
for fam in ("SQL injection", "XSS", "path traversal", "command injection", "template injection", "**all attacks**"):
    r = row("TP rate, " + fam)
    say(len(re.findall(r"\d+/\d+ = " + num + "%", r)) == 3, "TP rate %s for 3 setups" % fam)
r = row("**false positives on benign**")
say(len(re.findall(r"\d+/[1-9]\d* = " + num + "%", r)) == 3, "false positives on benign for 3 setups")
r = row("CrowdSec (decision in LAPI)")
say(re.search(r"\| [1-9]\d* of \d+ trials decided \| " + num + " ms \| " + num + " ms", r) is not None,
    "CrowdSec decided and its time to block is a number")
r = row("sidewatch (verdict)")
say(re.search(r"\| [1-9]\d* verdicts for \d+ attack requests \| " + num + " µs \| " + num + " µs", r) is not None,
    "sidewatch verdicts and detect latency are numbers")
# a detached collector would give a free x1.0 row: every attached run
# (saturated and fixed rate, each repetition: 2 x 2 in --quick) decoded at
# least half the requests nginx served it (the rest would be counted losses)
m = re.search(r"^Requests decoded / served by nginx in each run with the collector attached: (.*)\.$", md, re.M)
runs = re.findall(r"(sat|rate) (\d+): (\d+)/(\d+)", m.group(1)) if m else []
say(len(runs) == 4 and all(int(d) > 0 and int(s) > 0 and 2 * int(d) >= int(s) for _, _, d, s in runs),
    "every attached run decoded its requests: %s" % (", ".join("%s %s %s/%s" % r for r in runs) or "no runs"))
sc = re.findall(r"^\| (\d+) \| (\d+) \| (" + num + ")% \| (" + num + r")% \| (\d+) \| (\d+) \|$", md, re.M)
say(len(sc) >= 1 and all(int(x[1]) > 0 for x in sc), "scaling rows (%d) with achieved rate, CPU, drops" % len(sc))
PY
while read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else bad "$what"; fi
done <"$T/checks.txt"
# 3 live-path rows, ratios, 6 TP families, false positives, CrowdSec,
# sidewatch verdicts, attached runs decoded, scaling: 15 lines
expect_eq "all table checks ran" "$(wc -l <"$T/checks.txt")" 15

# --- make bench's ingest and fleet sections, short --------------------------------
t0=$(date +%s)
if BENCH_QUICK=1 timeout 300 bash "$ROOT/tools/bench-ingest.sh" "$T/ingest.md" >"$T/ingest.log" 2>&1; then
	ok "bench-ingest quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -20 "$T/ingest.log"
	bad "bench-ingest quick failed"
fi
t0=$(date +%s)
if BENCH_QUICK=1 timeout 300 bash "$ROOT/tools/bench-fleet.sh" "$T/fleet.md" >"$T/fleet.log" 2>&1; then
	ok "bench-fleet quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -20 "$T/fleet.log"
	bad "bench-fleet quick failed"
fi
python3 - "$T/ingest.md" "$T/fleet.md" >"$T/checks2.txt" <<'PY'
import re, sys
def text(p):
    try:
        return open(p).read()
    except OSError:
        return ""
ing, fl = text(sys.argv[1]), text(sys.argv[2])
num = r"[0-9][0-9,]*(?:\.[0-9]+)?"
def say(ok, what):
    print("ok" if ok else "bad", what)
rows = re.findall(r"^\| ([124]) \| (" + num + r") \| " + num + " – " + num + r" \|", ing, re.M)
say([r[0] for r in rows] == ["1", "2", "4"] and all(float(r[1].replace(",", "")) > 0 for r in rows),
    "ingest rows/s for 1, 2, 4 emitters")
cpu = re.findall(r"^\| ([124]) \| (" + num + r") \| (" + num + r") \| (" + num + r") \| (\d+)% \|$", ing, re.M)
say([r[0] for r in cpu] == ["1", "2", "4"] and all(float(x) > 0 for r in cpu for x in r[1:4]),
    "CPU per row of PostgreSQL, the correlator and the emitters, measured")
lat = re.findall(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (" + num + r") \| (" + num + r") \|$", ing, re.M)
say(len(lat) >= 1 and all(int(x[3]) > 0 and 0 < float(x[4]) <= float(x[5]) for x in lat),
    "collector-to-row latency p50 <= p99, from real observations")
alone = re.findall(r"^\| (one client address|4096 addresses) \| (" + num + r") \| " + num + " – " + num + r" \| (" + num + r") \| \d+ \|$", ing, re.M)
say(sorted(a[0] for a in alone) == ["4096 addresses", "one client address"] and
    all(float(a[1].replace(",", "")) > 0 and float(a[2]) > 0 for a in alone),
    "PostgreSQL alone: rows/s and CPU per row, one address and 4096")
m = re.search(r"^\| \*\*committed → applied on every host[^|]*\| (\d+) \| (" + num + r") \| (" + num + r") \|", fl, re.M)
say(m is not None and int(m.group(1)) > 0 and 0 < float(m.group(2)) <= float(m.group(3)),
    "fleet propagation p50 <= p99 over decisions on every host")
m = re.search(r"^\| \*\*block applied on every host\*\* \| (" + num + r") \| (" + num + r") \|", fl, re.M)
say(m is not None and float(m.group(1)) > 0, "first request to fleet-wide block measured")
PY
while read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else bad "$what"; fi
done <"$T/checks2.txt"
expect_eq "all ingest/fleet checks ran" "$(wc -l <"$T/checks2.txt")" 6
finish
