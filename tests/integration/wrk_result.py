#!/usr/bin/python3
"""wrk_result.py LABEL FILE - one line "LABEL P50_US REQ_PER_S ERRORS
REQUESTS" from wrk's --latency output in FILE (failopen.sh). Errors are
wrk's socket errors plus non-2xx/3xx answers; a run wrk printed no result
for counts 1000000 errors, so it can never pass."""
import re, sys

t = open(sys.argv[2]).read()


def us(v, u):
    return float(v) * {"us": 1, "ms": 1000, "s": 1e6}[u]


m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)$", t, re.M)
p50 = us(*m.groups()) if m else -1
m = re.search(r"^Requests/sec:\s+([\d.]+)", t, re.M)
rps = float(m.group(1)) if m else -1
m = re.search(r"^\s+(\d+) requests in", t, re.M)
reqs = int(m.group(1)) if m else -1
err = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
if m:
    err += sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if m:
    err += int(m.group(1))
if p50 < 0 or rps < 0 or reqs < 0:
    err += 1000000  # wrk printed no result: a failure, never a pass
print(sys.argv[1], p50, rps, err, reqs)
