#!/usr/bin/env bash
# charset_body: request bodies in a charset that is no superset of ASCII
# are judged as the servers that honour the charset read them (issue 20:
# an attacker who does not play along). Host srv runs charset_body_app.py,
# an API that reads bodies as Java servlet containers and ASP.NET do (a
# form's percent-decoded bytes decoded with the Content-Type's charset;
# JSON in UTF-16 told by its first bytes, RFC 4627; a multipart part by
# its own charset); curl sends from three client hosts. The collector
# watches srv in enforce mode. Checked:
#   1. the app reads each attack body in its charset (its answer carries
#      the payload), and the collector draws the verdict: a form in IBM037
#      with a SQL injection (sqli), a UTF-16 JSON body with no charset
#      named with an XSS (xss), a multipart part in IBM500 with a SQL
#      injection (sqli), a form in UTF-16 with a traversal
#      (path_traversal), and a GET's query in the IBM037 its Content-Type
#      names (ASP.NET decodes the query string with it; sqli);
#   2. the same IBM037 bytes sent with no charset (what a server that
#      ignores it reads: no attack) draw nothing, and benign forms and
#      JSON in IBM037 and UTF-16 (quotes, SQL words) draw nothing;
#   3. the exit counters count the bodies read in a charset.
# SW_BREAK=nocharset sends check 1's IBM037 form without its charset
# (check 1 must fail). SW_COLLECTOR=PATH runs another build's collector
# (one without charset.c fails checks 1 and 3).
source "$(dirname "$0")/lib.sh"
COLLECTOR=${SW_COLLECTOR:-$COLLECTOR}
require_kernel

PY=/usr/bin/python3
net_host srv 10.213.79.1
net_host cli 10.213.79.2
net_host cli2 10.213.79.3
net_host cli3 10.213.79.4 # benign only: two payload verdicts a client at most
net_host cli4 10.213.79.5
API=10.213.79.1:8080
bg app ip netns exec "$NS_srv" $PY "$ROOT/tests/integration/charset_body_app.py" 10.213.79.1 8080
wait_for 10 grep -q serving "$T/app.out" || die "the API did not start"
bg col ip netns exec "$NS_srv" "$COLLECTOR" --stdout --name col --netns self --no-tls --mode enforce
wait_for 30 grep -q '^ready$' "$T/col.err" || { cat "$T/col.err" >&2; die "collector did not start"; }

# c HOST OUT ARGS...: curl from HOST, the answer in $T/OUT
c() {
	local h=$1 o=$2
	shift 2
	in_host "$h" curl -s -o "$T/$o" --max-time 5 "$@" "http://$API/api/$o" || true
}
FORM='Content-Type: application/x-www-form-urlencoded'
# pct CODEC TEXT: TEXT in CODEC, every byte percent-encoded
pct() { $PY -c 'import sys; sys.stdout.write("".join("%%%02X" % b for b in sys.argv[2].encode(sys.argv[1])))' "$1" "$2"; }

echo "-- the bodies"
SQLI="1' union select username, password from users--"
printf '%s=%s' "$(pct cp037 q)" "$(pct cp037 "$SQLI")" >"$T/ebcdic.form"
printf '%s=%s&%s=%s' "$(pct cp037 name)" "$(pct cp037 "O'Brien")" "$(pct cp037 note)" \
	"$(pct cp037 "select a seat, then drop by; cat lovers -- welcome")" >"$T/ebcdic-benign.form"
$PY -c 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("utf-16-le"))' \
	'{"bio":"<img src=x onerror=alert(document.domain)>"}' >"$T/xss.json16"
$PY -c 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("utf-16"))' \
	'{"user":"O'"'"'Brien","note":"select a seat -- near the door; <b>bold</b> is fine"}' >"$T/benign.json16"
printf '%s=%s' "$(pct utf-16-le file)" "$(pct utf-16-le "../../../../../etc/passwd")" >"$T/trav.form16"
{
	printf -- '--b1\r\nContent-Disposition: form-data; name="q"\r\nContent-Type: text/plain; charset=ibm500\r\n\r\n'
	$PY -c 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("cp500"))' "$SQLI"
	printf -- '\r\n--b1--\r\n'
} >"$T/part.mp"
CS='; charset=ibm037'
[ "${SW_BREAK:-}" = nocharset ] && CS=''

c cli ebcdic -H "$FORM$CS" --data-binary @"$T/ebcdic.form"
c cli json16 -H 'Content-Type: application/json' --data-binary @"$T/xss.json16"
c cli2 part -H 'Content-Type: multipart/form-data; boundary=b1' --data-binary @"$T/part.mp"
c cli2 trav16 -H "$FORM; charset=utf-16le" --data-binary @"$T/trav.form16"
# ASP.NET decodes the query string with the request's content encoding:
# a GET naming IBM037 (the app answers 501 to a GET; it was sent)
in_host cli4 curl -s -o /dev/null --max-time 5 -H 'Content-Type: text/plain; charset=ibm037' \
	"http://$API/api/query?$(cat "$T/ebcdic.form")" || true
c cli3 plain -H "$FORM" --data-binary @"$T/ebcdic.form"
c cli3 ebcdicbenign -H "$FORM; charset=cp037" --data-binary @"$T/ebcdic-benign.form"
c cli3 json16benign -H 'Content-Type: application/json; charset=utf-16' --data-binary @"$T/benign.json16"

echo "-- what the app read"
reads() { $PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get("read"))[:200])' "$T/$1" 2>/dev/null || echo "(no answer)"; }
for f in ebcdic json16 part trav16 plain ebcdicbenign json16benign; do echo "   $f: $(reads $f)"; done
# the answers may be lost to the kill (the verdict can come first): the
# benign ones must be there, and the app's reading of an attack is shown
# when it came
check "the app read the benign IBM037 form as text" grep -q "O'Brien" "$T/ebcdicbenign"
check "the app read the benign UTF-16 JSON" grep -q "O'Brien" "$T/json16benign"
check "the IBM037 bytes read with no charset are no SQL (the app got no 'union')" \
	bash -c "! grep -q union '$T/plain'"
sleep 1
check "collector survived" kill -0 "$PID_col"
stop_collector col

echo "-- counters at exit"
check "bodies read in a charset >= 6 (4 attacks, 2 benign)" \
	test "$(counter col coded_bodies charset_decoded)" -ge 6

echo "-- verdicts"
$PY - "$T/col.out" >"$T/check.txt" 2>&1 <<'PY' || true
import json, sys
v = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
v = [e for e in v if e.get("kind") == "verdict"]
def by(path, rule=None):
    return [e for e in v if e.get("path") == path and (rule is None or e["rule"] == rule)]
def show(name, ok, got):
    print(("ok   " if ok else "FAIL ") + name + " " + json.dumps(got)[:300])
for path, rule, name in (("/api/ebcdic", "sqli", "IBM037 form SQLi"),
                         ("/api/json16", "xss", "UTF-16 JSON XSS, no charset named"),
                         ("/api/part", "sqli", "multipart part in IBM500, SQLi"),
                         ("/api/trav16", "path_traversal", "UTF-16LE form traversal"),
                         ("/api/query", "sqli", "a GET's query in the IBM037 its Content-Type names")):
    # by the construct, not by the NULs of UTF-16 read as bytes ("nul
    # byte in value": what a reader that ignores the charset finds)
    x = [e for e in by(path, rule) if "nul byte" not in e["reason"]]
    show("1. %s -> %s kill" % (name, rule), any(e["action"] == "kill" for e in x),
         [(e["rule"], e["action"], e["reason"]) for e in by(path)])
b = by("/api/plain") + by("/api/ebcdicbenign") + by("/api/json16benign")
show("2. IBM037 bytes with no charset, benign IBM037 form, benign UTF-16 JSON -> no verdict",
     not b, [(e["path"], e["rule"], e["reason"]) for e in b])
PY
cat "$T/check.txt"
PASS=$((PASS + $(grep -c '^ok ' "$T/check.txt" || true)))
FAIL=$((FAIL + $(grep -c '^FAIL ' "$T/check.txt" || true)))
grep -q . "$T/check.txt" || bad "the verdict check printed nothing"
finish
