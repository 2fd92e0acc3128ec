#!/usr/bin/env bash
# detect_quality: real nginx receives the public attack payload lists and a
# benign corpus of realistic API values (as query parameters and JSON
# bodies) from a real HTTP client; the collector's payload rules must flag
# the attacks (rate printed, floor asserted) and nothing benign. Behaviour
# rules are off here (one client sending thousands of requests is a rate
# abuse by definition); they have their own tests.
source "$(dirname "$0")/lib.sh"
require_kernel

PAYLOADS=${SW_PAYLOADS:-$ROOT/../shared/data/payloads}
[ -d "$PAYLOADS" ] || PAYLOADS=/work/shared/data/payloads
[ -d "$PAYLOADS" ] || die "payload lists not found (set SW_PAYLOADS)"

PORT=$(free_port 37000 5000)
make_www "$T/www"
nginx_conf "$T/nginx.conf" "127.0.0.1:$PORT" "$T/www" \
	"location /t/ { return 200 'ok'; }"
python3 "$ROOT/tools/rules-off.py" behaviour >"$T/rules.yaml" || die "could not turn the behaviour rules off"
if [ "${SW_BREAK:-}" = noxss ]; then
	sed -i 's/^\(  xss: *{enabled: \)true/\1false/' "$T/rules.yaml"
	grep -q '^  xss: *{enabled: false' "$T/rules.yaml" || die "SW_BREAK=noxss: could not turn xss off"
fi
start_collector col --netns self --rules "$T/rules.yaml"
bg nginx nginx -c "$T/nginx.conf" -p "$T"
wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "nginx did not start"

/usr/bin/python3 - "$PORT" "$PAYLOADS" "$ROOT/tests/data/benign.txt" >"$T/sent.txt" <<'PY'
import http.client, json, os, sys, urllib.parse
port, pdir, benign = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lists = {
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
for kind, files in lists.items():
    for f in files:
        for line in open(os.path.join(pdir, f), encoding="utf-8", errors="replace"):
            v = line.rstrip("\n")
            if not v.strip():
                continue
            n += 1
            send("GET", "/t/atk/%s/%d?q=%s" % (kind, n, urllib.parse.quote(v, safe="")))
            print("atk", kind, n)
for i, line in enumerate(open(benign, encoding="utf-8")):
    v = line.rstrip("\n")
    if not v:
        continue
    send("GET", "/t/ben/q/%d?q=%s&page=2" % (i, urllib.parse.quote(v, safe="")))
    print("ben", "q", i)
    if i % 3 == 0:
        send("POST", "/t/ben/json/%d" % i, json.dumps({"comment": v, "n": i}), "application/json")
        print("ben", "json", i)
PY
sleep 1
stop_collector col

# Each family must be flagged by its own rule (a hit by another rule is
# reported but does not count), above a floor near the rate measured on
# these lists. Measured 2026-12-04: sqli 605/619, xss 195/195 (194 before issue 20), trav 139/140,
# cmdi 82/83, ssti 107/107. The detectors are deterministic and the lists
# fixed; each floor lets one payload fewer than measured pass, two fail.
# SW_BREAK=noxss turns the xss rule off: its family must then fail (other
# rules may still flag some of its payloads; that does not count).
python3 - "$T/sent.txt" "$T/col.out" >"$T/quality.txt" <<'PY'
import json, sys
RULE = {"sqli": "sqli", "xss": "xss", "trav": "path_traversal",
        "cmdi": "cmd_injection", "ssti": "ssti"}
sent = [l.split() for l in open(sys.argv[1])]
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
PY
cat "$T/quality.txt"
rate=$(awk '/^RATE/ {print $2}' "$T/quality.txt")
fp=$(awk '/^RATE/ {print $4}' "$T/quality.txt")
expect_eq "every request sent (attack and benign) has its session event" \
	"$(awk '/^SEEN/ {print $2}' "$T/quality.txt")" "$(awk '/^SEEN/ {print $4}' "$T/quality.txt")"
check "payload attacks flagged (rate $rate >= 0.95)" python3 -c "import sys; sys.exit(0 if $rate >= 0.95 else 1)"
# family:floor, for the share flagged by the family's own rule
for ff in sqli:0.975 xss:0.99 trav:0.985 cmdi:0.975 ssti:0.99; do
	fam=${ff%%:*} floor=${ff#*:}
	got=$(awk -v f="$fam" '$1 == "FAMILY" && $2 == f {print $3}' "$T/quality.txt")
	check "$fam payloads flagged by their own rule: ${got:-none} >= $floor" \
		python3 -c "import sys; sys.exit(0 if '${got}' and float('${got:-0}') >= $floor else 1)"
done
expect_eq "benign requests flagged" "$fp" 0
expect_eq "ring buffer lost nothing" "$(counter col kernel ringbuf_full)" 0
finish
