#!/usr/bin/python3
"""loopback_latency.py EXPECTED SIZED - http1_loopback.sh: each sized
exchange's latency_us (SIZED: loopback_sized.py's output) is above 0 and
no more than the client_us curl measured for it (EXPECTED), and every
expected exchange has its event. Exit 0 when so, 1 otherwise (the first
exchange out of bounds is printed)."""
import json, sys

want = {(x["method"], x["path"], x["query"]): x["client_us"] for x in map(json.loads, open(sys.argv[1]))}
n = 0
for line in open(sys.argv[2]):
    e = json.loads(line)
    k = (e["method"], e["path"], e["query"])
    if not 0 < e["latency_us"] <= want[k]:
        print("  %s %s: latency_us %d, curl measured %d us" % (k[0], k[1], e["latency_us"], want[k]))
        sys.exit(1)
    n += 1
sys.exit(0 if n == len(want) else 1)
