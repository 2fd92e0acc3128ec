#!/usr/bin/env python3
"""check_events.py EXPECTED EVENTS [--port N] [--fields f1,f2,...]

Compare the session events a collector printed (JSON lines) with what the
clients say they did (JSON lines, one per exchange). Exchanges are matched
as a multiset on the chosen fields; every expected exchange must appear
exactly once, and no other event may appear for the port. Prints one line
per problem and a summary; exits 1 on any mismatch."""
import json
import sys
from collections import Counter


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def main():
    args = sys.argv[1:]
    port = None
    fields = ["method", "path", "query", "status", "req_bytes", "resp_bytes"]
    if "--port" in args:
        i = args.index("--port")
        port = args[i + 1]
        del args[i:i + 2]
    if "--fields" in args:
        i = args.index("--fields")
        fields = args[i + 1].split(",")
        del args[i:i + 2]
    expected = load(args[0])
    events = [e for e in load(args[1]) if e.get("kind") == "session"]
    if port is not None:
        events = [e for e in events if e.get("dst", "").endswith(":" + port)]

    def key(e):
        return tuple((f, e.get(f)) for f in fields if f in e or f in fields)

    want = Counter(tuple((f, x.get(f)) for f in fields) for x in expected)
    got = Counter(tuple((f, e.get(f)) for f in fields) for e in events)
    bad = 0
    for k, n in want.items():
        if got[k] != n:
            bad += 1
            print(f"  expected x{n}, got x{got[k]}: {dict(k)}")
    for k, n in got.items():
        if k not in want:
            bad += 1
            print(f"  unexpected x{n}: {dict(k)}")
    print(f"  {len(expected)} exchanges expected, {len(events)} events seen, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
