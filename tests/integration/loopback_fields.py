#!/usr/bin/python3
"""loopback_fields.py EVENTS PORT - http1_loopback.sh: every event to
127.0.0.1:PORT carries host "col", comm "nginx", tls false, a pid, proto
http1, a microsecond UTC timestamp and a 127.0.0.1 source. Exit 0 when
all do, 1 otherwise."""
import json, re, sys

ok = True
for line in open(sys.argv[1]):
    e = json.loads(line)
    if not e.get("dst", "").endswith(":" + sys.argv[2]):
        continue
    ok &= e["host"] == "col" and e["comm"] == "nginx" and e["tls"] is False
    ok &= e["pid"] > 0 and e["proto"] == "http1"
    ok &= bool(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", e["ts"]))
    ok &= e["src"].startswith("127.0.0.1:") and e["dst"] == "127.0.0.1:" + sys.argv[2]
sys.exit(0 if ok else 1)
