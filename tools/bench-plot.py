#!/usr/bin/python3
"""tools/bench-plot.py - PNG plots for bench/COMPARE.md.

    tools/bench-plot.py SUMMARY.json OUTDIR

SUMMARY.json is written by tools/bench-compare.sh. Writes
compare-latency.png (per-request latency CDF at a fixed rate, per setup),
compare-detection.png (true-positive rate per family, false-positive
rate), compare-ttb.png (time to block) and compare-scaling.png (collector
CPU per rate). Needs Debian's
python3-matplotlib; installs it with apt-get when it is missing.
"""
import json
import os
import subprocess
import sys

try:
    import matplotlib
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "-q", "python3-matplotlib"],
                   check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                   stdout=subprocess.DEVNULL, timeout=600)
    import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

J = json.load(open(sys.argv[1]))
out = sys.argv[2]
NAMES = {"bare": "bare nginx", "sidewatch": "nginx + sidewatch",
         "waf": "nginx + ModSecurity/CRS PL1", "pl1": "CRS PL1", "pl2": "CRS PL2"}
tag = " (quick smoke run)" if J.get("quick") else ""


def save(fig, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=90)
    plt.close(fig)


# latency CDF: quantiles 0..99.5% in 0.5% steps, then 99.9% and max
fig, ax = plt.subplots(figsize=(7, 4))
qs = [q / 10 for q in range(0, 1000, 5)] + [99.9, 100]
for s, v in J["cdf"].items():
    if v and any(v):
        ax.plot([x / 1000 for x in v], qs, label=NAMES[s])
ax.set_xscale("log")
ax.set_xlabel("per-request latency (ms, log)")
ax.set_ylabel("percentile")
ax.set_title("HTTP/1.1 at 800 req/s: latency CDF" + tag)
ax.grid(True, which="both", alpha=0.3)
ax.legend()
save(fig, "compare-latency.png")

# detection: TP per family and overall, FP on benign
fams = ["sqli", "xss", "trav", "cmdi", "ssti", "all", "benign"]
fig, ax = plt.subplots(figsize=(8, 4))
w = 0.27
for i, s in enumerate(("sidewatch", "pl1", "pl2")):
    d = J["det"][s]
    ys = [100.0 * d[f][0] / d[f][1] if d[f][1] else 0 for f in fams]
    bars = ax.bar([x + (i - 1) * w for x in range(len(fams))], ys, w, label=NAMES.get(s, s))
    for b, y in zip(bars, ys):
        ax.text(b.get_x() + b.get_width() / 2, y + 1, "%.0f" % y, ha="center", fontsize=7)
ax.set_xticks(range(len(fams)))
ax.set_xticklabels(["SQLi", "XSS", "traversal", "cmd inj.", "SSTI", "all attacks", "benign (FP)"])
ax.set_ylabel("% flagged")
ax.set_ylim(0, 110)
ax.set_title("Detection on the same requests" + tag)
ax.legend(loc="center right")
save(fig, "compare-detection.png")

# time to block, log scale in ms
fig, ax = plt.subplots(figsize=(6, 3.5))
data = [[x / 1000 for x in J["tb"]["sidewatch_us"]] or [0], J["tb"]["crowdsec_ms"] or [0]]
ax.boxplot(data, vert=False, labels=["sidewatch\n(verdict)", "CrowdSec\n(LAPI decision)"])
ax.set_xscale("log")
ax.set_xlabel("ms (log)")
ax.set_title("Time to block an SQLi attacker" + tag)
ax.grid(True, which="both", axis="x", alpha=0.3)
save(fig, "compare-ttb.png")

# scaling
fig, a1 = plt.subplots(1, 1, figsize=(5, 3.5))
sc = J["scale"]
if sc:
    a1.plot([r[1] for r in sc], [r[2] * 100 for r in sc], "o-")
    for r in sc:
        if r[4]:
            a1.annotate("drops: %d" % r[4], (r[1], r[2] * 100))
a1.set_xlabel("achieved req/s")
a1.set_ylabel("collector CPU (% of a core)")
a1.set_title("Collector CPU vs rate")
a1.grid(True, alpha=0.3)
fig.suptitle("Scaling" + tag)
save(fig, "compare-scaling.png")
print("plots written to", out)
