#!/usr/bin/python3
"""fleet_propagation.py COMMITS SUBSCRIBER_OUT... - fleet.sh: how long block
decisions took from commit to applied. COMMITS holds swctl block add --json
lines (version, committed_us); each SUBSCRIBER_OUT is a sw-blocksub's
output, whose "version" events say when (applied_us) it applied each list
version. A decision counts as applied at the first version at or after its
own. Prints n, p50, p99 and max in ms per subscriber; exit 1 when one of
them did not apply every decision."""
import json, sys

commits = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for path in sys.argv[2:]:
    applied = {}
    for l in open(path):
        d = json.loads(l)
        if d.get("event") == "version":
            applied.setdefault(d["version"], d["applied_us"])
    lat = []
    for c in commits:
        v = c["version"]
        ts = [t for ver, t in applied.items() if ver >= v]
        if ts:
            lat.append((min(ts) - c["committed_us"]) / 1000.0)
    lat.sort()
    if len(lat) != len(commits):
        print("     %s: only %d of %d applied" % (path.split('/')[-1], len(lat), len(commits)))
        sys.exit(1)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print("     propagation %s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms (goal p99 < 20 ms)"
          % (path.split('/')[-1].split('.')[0], len(lat), p(0.5), p(0.99), lat[-1]))
