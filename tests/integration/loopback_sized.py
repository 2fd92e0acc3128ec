#!/usr/bin/python3
"""loopback_sized.py EVENTS PORT - http1_loopback.sh: from the collector's
EVENTS, the first event to PORT of each exchange whose sizes curl measured
(later keep-alive repeats of /index.html are not curl's own), printed as
they came."""
import json, sys

sized = {("GET", "/index.html", ""), ("GET", "/api/users/42", "x=1&y=%27quoted%27"),
         ("GET", "/nothing-here", ""), ("GET", "/big.txt", ""), ("GET", "/blob.bin", ""),
         ("POST", "/api/create", ""), ("DELETE", "/api/users/7", "")}
seen = set()
for line in open(sys.argv[1]):
    e = json.loads(line)
    k = (e.get("method"), e.get("path"), e.get("query"))
    if e.get("dst", "").endswith(":" + sys.argv[2]) and k in sized and k not in seen:
        # keep-alive repeats of /index.html come later; first is curl_x's
        seen.add(k)
        print(line.strip())
