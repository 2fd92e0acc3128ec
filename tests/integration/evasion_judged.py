#!/usr/bin/python3
"""evasion_judged.py SENT EVENTS PORT - http1_evasion.sh: every evasion case
evasion.py sent (SENT, one JSON line each) that nginx served on PORT has a
sqli verdict for its path among the collector's EVENTS, and nginx served
every case except those it refuses itself (obs_fold, space_before_colon,
space_in_name: 400 and close). Prints the counts and the cases missed;
exit 0 when so, 1 otherwise."""
import json, sys

sent = [json.loads(l) for l in open(sys.argv[1])]
port = sys.argv[3]
judged = {}
for line in open(sys.argv[2]):
    e = json.loads(line)
    if e.get("kind") == "verdict" and e.get("dst", "").endswith(":" + port):
        judged.setdefault(e.get("path"), set()).add(e["rule"])
served = [s for s in sent if s["status"] == 200]
missed = [s["case"] for s in served if "sqli" not in judged.get(s["path"], ())]
refused = [s["case"] + ":" + str(s["status"]) for s in sent if s["status"] != 200]
print("  %d cases sent, %d served by nginx, %d without a sqli verdict%s" %
      (len(sent), len(served), len(missed), (": " + " ".join(missed)) if missed else ""))
if refused:
    print("  not served by nginx (no verdict required):", " ".join(refused))
# nginx refuses these itself (400, and closes): nothing follows to judge
refuses = ("obs_fold", "space_before_colon", "space_in_name")
must = [s for s in sent if not s["case"].startswith(refuses)]
unserved = [s["case"] for s in must if s["status"] != 200]
if unserved:
    print("  nginx did not serve cases it serves (the test proves nothing of them):",
          " ".join(unserved))
sys.exit(1 if missed or unserved else 0)
