#!/usr/bin/python3
"""path_segments.py send PORT BENIGN N | judge SENT EVENTS PORT - for
path_segments.sh (issue 20). send: request paths with an attack in a REST
segment (each with the rule that must judge it) and the first N benign
paths of BENIGN under /t, written raw on the request line (no client
encoding), one JSON line each with nginx's status. judge: every attack
path nginx served has a verdict of its rule, no benign path has any
verdict; prints the counts and what failed; exit 0 when so."""
import http.client
import json
import sys

ATTACKS = [
    ("sqli", "/t/items/1+UNION+ALL+SELECT+NULL,NULL--+-"),
    ("sqli", "/t/items/1/**/UNION/**/SELECT/**/1,2,3/details"),
    ("sqli", "/t/users;id=1%27%20OR%20%271%27=%271/profile"),
    ("sqli", "/t/v2/users/3927+and+2158=2158/orders/7"),
    ("cmd_injection", "/t/ping/127.0.0.1;cat%20/etc/passwd"),
    ("cmd_injection", "/t/run/x%7Ccat%20/etc/shadow/now"),
    ("shellshock", "/t/cgi/()+%7B+:;+%7D;+/bin/id"),
    ("xss", "/t/q/%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E"),
]


def send(port, benign, n):
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    rows = [(r, p) for r, p in ATTACKS]
    for line in open(benign, encoding="utf-8"):
        if len(rows) >= len(ATTACKS) + n:
            break
        rows.append(("", "/t" + line.rstrip("\n")))
    for rule, path in rows:
        c.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        c.putheader("Host", "127.0.0.1")
        c.endheaders()
        r = c.getresponse()
        r.read()
        print(json.dumps({"rule": rule, "path": path.split("?")[0], "status": r.status}))


def judge(sent, events, port):
    rows = [json.loads(l) for l in open(sent)]
    got = {}
    for line in open(events):
        e = json.loads(line)
        if e.get("kind") == "verdict" and e.get("dst", "").endswith(":" + port):
            got.setdefault(e.get("path"), set()).add(e["rule"])
    bad = []
    for r in rows:
        if r["status"] != 200:
            bad.append("not served (%d): %s" % (r["status"], r["path"]))
        elif r["rule"] and r["rule"] not in got.get(r["path"], ()):
            bad.append("no %s verdict: %s" % (r["rule"], r["path"]))
        elif not r["rule"] and got.get(r["path"]):
            bad.append("benign path judged %s: %s" % (",".join(sorted(got[r["path"]])), r["path"]))
    atk = sum(1 for r in rows if r["rule"])
    print("  %d attack paths, %d benign paths sent; %d failed" % (atk, len(rows) - atk, len(bad)))
    for b in bad:
        print("   ", b)
    return 0 if not bad else 1


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(judge(sys.argv[2], sys.argv[3], sys.argv[4]))
