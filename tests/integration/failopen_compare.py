#!/usr/bin/python3
"""failopen_compare.py RUNS - failopen.sh's comparison. RUNS holds one line
per wrk run, "LABEL P50_US REQ_PER_S ERRORS REQUESTS" (wrk_result.py). For
each of the states filling, stopped and throttled, against each reference
(on: the collector running; base: no collector), prints one line:
  STATE REF P50_RATIO RPS_RATIO ERRORS REQUESTS P50 RPS REF_P50 REF_RPS
with the ratios of the medians over the runs of each label, and the errors
and requests summed over the state's runs."""
import statistics as st, sys

runs = {}
for l in open(sys.argv[1]):
    lab, p50, rps, err, reqs = l.split()
    runs.setdefault(lab, []).append((float(p50), float(rps), int(err), int(reqs)))
med = {lab: (st.median(r[0] for r in v), st.median(r[1] for r in v)) for lab, v in runs.items()}
for lab in ("filling", "stopped", "throttled"):
    e = sum(r[2] for r in runs[lab])
    n = sum(r[3] for r in runs[lab])
    for ref in ("on", "base"):
        print(lab, ref, "%.2f" % (med[lab][0] / med[ref][0]), "%.2f" % (med[lab][1] / med[ref][1]),
              e, n, "%.0f" % med[lab][0], "%.0f" % med[lab][1], "%.0f" % med[ref][0], "%.0f" % med[ref][1])
