#!/usr/bin/python3
"""bench_ingest_fleet_tables.py INGEST_MD FLEET_MD - bench_quick.sh: the
tables of tools/bench-ingest.sh and tools/bench-fleet.sh hold numbers (a
missing file counts as empty). Prints one line per check, "ok WHAT" or
"bad WHAT" (6 lines): ingest rows/s for 1, 2 and 4 emitters, CPU per row,
collector-to-row latency, PostgreSQL alone, fleet propagation, time to a
fleet-wide block."""
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
