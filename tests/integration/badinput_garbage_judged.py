#!/usr/bin/python3
"""badinput_garbage_judged.py EVENTS PORT GARBAGE_PORT - http1_badinput.sh:
the connection that sent garbage from its first byte (client port
GARBAGE_PORT, server port PORT) has exactly one session event carrying
conn.garbage with the 1024 bytes nginx read, one evasion verdict, and no
decoded request. Prints what it found; exit 0 when so, 1 otherwise."""
import json, sys

out, port, gport = sys.argv[1], sys.argv[2], sys.argv[3]
mine = [e for e in map(json.loads, open(out))
        if e.get("src", "").endswith(":" + gport) and e.get("dst", "").endswith(":" + port)]
garb = [e for e in mine if e["kind"] == "session" and "conn.garbage" in e.get("anomalies", {})]
verd = [e for e in mine if e["kind"] == "verdict" and e["rule"] == "evasion"]
reqs = [e for e in mine if e["kind"] == "session" and e.get("method")]
looked = garb[0]["req_bytes"] if garb else -1
print("  port %s: %d garbage events (%d bytes looked at), %d evasion verdicts, %d requests decoded"
      % (gport, len(garb), looked, len(verd), len(reqs)))
sys.exit(0 if len(garb) == 1 and looked == 1024 and len(verd) == 1 and not reqs else 1)
