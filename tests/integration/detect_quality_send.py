#!/usr/bin/python3
"""detect_quality_send.py PORT PAYLOAD_DIR BENIGN_FILE - detect_quality.sh's
client: every line of the public attack payload lists (PAYLOAD_DIR) as the
query of GET /t/atk/FAMILY/N, then every line of BENIGN_FILE as the query
of GET /t/ben/q/I and, for every third, as a JSON body of POST
/t/ben/json/I, all to 127.0.0.1:PORT on one keep-alive connection (made
again if the server closes it). Prints one line per request sent: "atk
FAMILY N" or "ben q|json I"."""
import http.client, json, os, sys, urllib.parse

port, pdir, benign, own = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
LISTS = {
    "sqli": ["SQL-Injection_Auth_Bypass.txt", "SQL-Injection_Generic_Fuzz.txt",
             "SQL-Injection_Generic_TimeBased.txt", "SQL-Injection_Generic_UnionSelect.txt"],
    "xss": ["XSS-Injection_IntrudersXSS.txt", "XSS-Injection_XSS_Polyglots.txt"],
    "trav": ["Directory-Traversal_directory_traversal.txt"],
    "cmdi": ["Command-Injection_command-execution-unix.txt"],
    "ssti": ["Server-Side-Template-Injection_ssti.fuzz"],
}
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def send(method, path, body=None, ctype=None):
    global c
    h = {"Content-Type": ctype} if ctype else {}
    for attempt in range(2):
        try:
            c.request(method, path, body=body, headers=h)
            c.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


n = 0
for kind, files in LISTS.items():
    for f in files:
        for line in open(os.path.join(pdir, f), encoding="utf-8", errors="replace"):
            v = line.rstrip("\n")
            if not v.strip():
                continue
            n += 1
            send("GET", "/t/atk/%s/%d?q=%s" % (kind, n, urllib.parse.quote(v, safe="")))
            print("atk", kind, n)
# the project's own grammar tables (file, shell and data-format classes):
# family "own-<rule>", sent as a query parameter and as a form body
for line in open(own, encoding="utf-8"):
    if line.startswith("#") or "\t" not in line:
        continue
    rule, v = line.rstrip("\n").split("\t", 1)
    n += 1
    if n % 2:
        send("GET", "/t/atk/own-%s/%d?q=%s" % (rule, n, urllib.parse.quote(v, safe="")))
    else:
        send("POST", "/t/atk/own-%s/%d" % (rule, n), "q=" + urllib.parse.quote(v, safe=""),
             "application/x-www-form-urlencoded")
    print("atk", "own-" + rule, n)
for i, line in enumerate(open(benign, encoding="utf-8")):
    v = line.rstrip("\n")
    if not v:
        continue
    send("GET", "/t/ben/q/%d?q=%s&page=2" % (i, urllib.parse.quote(v, safe="")))
    print("ben", "q", i)
    if i % 3 == 0:
        send("POST", "/t/ben/json/%d" % i, json.dumps({"comment": v, "n": i}), "application/json")
        print("ben", "json", i)
