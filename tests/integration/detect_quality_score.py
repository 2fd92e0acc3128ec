#!/usr/bin/python3
"""detect_quality_score.py SENT EVENTS - detect_quality.sh's scoring: SENT is
detect_quality_send.py's output, EVENTS the collector's JSON lines. Prints a
table per attack family (flagged by the family's own rule, by any rule),
the benign requests flagged (false positives, the first ten named), and the
lines the test reads:
  FAMILY NAME SHARE   share of NAME's payloads flagged by its own rule
  SEEN N of M         requests sent that have their session event
  RATE SHARE FP N     share of all attacks flagged by any rule; benign flagged"""
import json, sys

RULE = {"sqli": "sqli", "xss": "xss", "trav": "path_traversal",
        "cmdi": "cmd_injection", "ssti": "ssti"}
sent = [l.split() for l in open(sys.argv[1])]
for k_, sub_, n_ in sent:
    if sub_.startswith("own-"):
        RULE[sub_] = sub_[4:]
flag, seen = {}, set()
for l in open(sys.argv[2]):
    e = json.loads(l)
    if e["kind"] == "verdict":
        flag.setdefault(e["path"], set()).add(e["rule"])
    elif e["kind"] == "session" and e.get("path", "").startswith("/t/"):
        seen.add(e["path"])
atk = {}
for kind_, sub, n in sent:
    if kind_ != "atk":
        continue
    rules = flag.get("/t/atk/%s/%s" % (sub, n), set())
    a = atk.setdefault(sub, [0, 0, 0])
    a[0] += RULE[sub] in rules
    a[1] += bool(rules)
    a[2] += 1
fp = [(sub, n, sorted(flag["/t/ben/%s/%s" % (sub, n)])) for k, sub, n in sent
      if k == "ben" and "/t/ben/%s/%s" % (sub, n) in flag]
ben = sum(1 for s in sent if s[0] == "ben")
paths = {"/t/%s/%s/%s" % ("atk" if k == "atk" else "ben", sub, n) for k, sub, n in sent}
tot_hit = sum(a[1] for a in atk.values())
tot = sum(a[2] for a in atk.values())
print("family  own rule             own-rule hits   any-rule hits")
for sub, (own, anyr, t) in sorted(atk.items()):
    print("attacks %-5s %-14s %4d/%-4d %5.1f%%  %4d/%-4d %5.1f%%" %
          (sub, RULE[sub], own, t, 100.0 * own / t, anyr, t, 100.0 * anyr / t))
    print("FAMILY %s %.4f" % (sub, own / t))
print("attacks all   %4d/%-4d %.1f%%" % (tot_hit, tot, 100.0 * tot_hit / tot))
print("benign        %d requests, %d flagged" % (ben, len(fp)))
for x in fp[:10]:
    print("  false positive:", x)
print("SEEN %d of %d" % (len(seen & paths), len(paths)))
print("RATE %.4f FP %d" % (tot_hit / tot, len(fp)))
