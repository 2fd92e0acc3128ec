#!/usr/bin/python3
"""bench_rows_tables.py RESULTS_MD - bench_quick.sh: the live-path tables of
tools/bench.sh (BENCH_QUICK, the HTTP/1.1 saturated row) hold numbers.
Prints one line per check, "ok WHAT" or "bad WHAT" (4 lines): the off, on
and SCHED_IDLE sides of the saturated row, both ratios, the ring-buffer
losses by priority, and the verdict rows of both priorities."""
import re, sys

try:
    t = open(sys.argv[1]).read()
except OSError:
    t = ""
num = r"[0-9]+(?:\.[0-9]+)?"


def say(ok, what):
    print("ok" if ok else "bad", what)


def side(label):
    m = re.search(r"^\| " + re.escape(label) + r" \| (" + num + r") \[" + num + "–" + num + r"\] \| (" + num + ")", t, re.M)
    return (float(m.group(1)), float(m.group(2))) if m else None


sides = [side(x) for x in ("collector off", "collector on", "collector on, threads at SCHED_IDLE")]
say(all(s is not None and s[0] > 0 and s[1] > 0 for s in sides),
    "saturated row: req/s and p50 measured with the collector off, on, and at SCHED_IDLE")
ratios = re.findall(r"^\| ratio (on|idle)/off \| (" + num + r") \|", t, re.M)
say({"idle", "on"} <= {r[0] for r in ratios} and all(float(r[1]) > 0 for r in ratios),
    "saturated row: on/off and idle/off ratios")
m = re.search(r"ring buffer records lost: (\d+) with\s+the collector at normal priority, (\d+) with its threads at SCHED_IDLE", t)
say(m is not None, "ring-buffer losses reported per priority")
v = re.findall(r"^\| (normal|idle) \| (" + num + r"|nan) \| .* \| (\d+) of (\d+) \| (\d+) \| (\d+) \(\*\*" + num + r"%\*\*\) \| (\d+|\?) \|$", t, re.M)
say([x[0] for x in v] == ["normal", "idle"] and int(v[0][2]) > 0 and
    all(int(x[3]) > 0 and int(x[4]) + int(x[5]) == int(x[3]) for x in v),
    "verdict to cut: a row per priority, attacks judged at normal priority, answered + cut = sent")
