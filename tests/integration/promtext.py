#!/usr/bin/python3
"""promtext.py FILE - a small parser of the Prometheus text exposition
format (ops.sh). Validates every line of FILE: HELP and TYPE comments, each
sample after the TYPE line of its family (histograms' _bucket, _sum and
_count included), label syntax and escapes, a number as the value. Prints
the samples as one JSON object {"name{labels}": value}; on a malformed line
prints the first ten line numbers to stderr and exits 1."""
import json, re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LBL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{(?:{LBL}(?:,{LBL})*)?\}})? (\S+)$")
types, out, bad = {}, {}, []
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if line.startswith("# HELP "):
        if not re.match(rf"^# HELP {NAME} ", line + " "):
            bad.append(n)
        continue
    if line.startswith("# TYPE "):
        m = re.match(rf"^# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)$", line)
        if not m:
            bad.append(n)
        else:
            types[m.group(1)] = m.group(2)
        continue
    m = SAMPLE.match(line)
    if not m:
        bad.append(n)
        continue
    name, labels, val = m.group(1), m.group(2) or "", m.group(3)
    base = re.sub(r"_(bucket|sum|count)$", "", name)
    if name not in types and base not in types:
        bad.append(n)  # a sample before its TYPE line
    try:
        float(val)
    except ValueError:
        bad.append(n)
    out[name + labels] = float(val)
if bad:
    print("malformed lines: %s" % bad[:10], file=sys.stderr)
    sys.exit(1)
json.dump(out, sys.stdout)
