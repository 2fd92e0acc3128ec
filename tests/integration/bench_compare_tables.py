#!/usr/bin/python3
"""bench_compare_tables.py COMPARE_MD - bench_quick.sh: the tables of
tools/bench-compare.sh's COMPARE.md hold numbers. Prints one line per check,
"ok WHAT" or "bad WHAT" (15 lines): live-path rows of three setups, their
ratios to bare nginx, TP rates of six families, false positives, CrowdSec's
and sidewatch's time to decide, every attached run decoding its requests,
the scaling rows."""
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
