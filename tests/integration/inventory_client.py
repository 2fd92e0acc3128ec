#!/usr/bin/python3
"""inventory_client.py token SECRET [noexp|none]
   inventory_client.py benign HOST PORT TOKEN FILE
   inventory_client.py flood HOST PORT N SECONDS

token: an HS256 JWT (exp an hour ahead) signed with SECRET; "noexp" leaves
exp out, "none" makes an unsigned alg-none token (with exp).
benign: every line of FILE as {"q": LINE} to POST /v2/search with the
token, on one kept-alive connection; prints how many got 200.
flood: N requests of distinct random paths, half /items/NAME (answered
200: the template learner folds them into /items/{var}), half
/junk/NAME/NAME (404: each its own template), stopping after SECONDS;
prints the count sent and the seconds taken.
"""
import base64
import hashlib
import hmac
import http.client
import json
import random
import sys
import time


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def token(secret, kind=""):
    claims = {"sub": "user-7", "iss": "inventory-test", "aud": "api"}
    if kind != "noexp":
        claims["exp"] = int(time.time()) + 3600
    head = {"alg": "none" if kind == "none" else "HS256", "typ": "JWT"}
    msg = b64(json.dumps(head).encode()) + "." + b64(json.dumps(claims).encode())
    if kind == "none":
        return msg + "."
    return msg + "." + b64(hmac.new(secret.encode(), msg.encode(), hashlib.sha256).digest())


def benign(host, port, tok, path):
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    ok = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            body = json.dumps({"q": line.rstrip("\n")})
            c.request("POST", "/v2/search", body=body,
                      headers={"Authorization": "Bearer " + tok,
                               "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            ok += r.status == 200
    print(ok)


def flood(host, port, n, secs):
    rnd = random.Random(21)
    letters = "abcdefghijklmnopqrstuvwxyz"
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    t0 = time.monotonic()
    sent = 0
    for i in range(int(n)):
        if time.monotonic() - t0 > float(secs):
            break
        w = "".join(rnd.choice(letters) for _ in range(10))
        if i % 2:
            p = "/items/" + w
        else:
            p = "/junk/%s/%s" % (w, "".join(rnd.choice(letters) for _ in range(6)))
        c.request("GET", p)
        r = c.getresponse()
        r.read()
        sent += 1
    print(sent, "%.1f" % (time.monotonic() - t0))


def main():
    a = sys.argv[1:]
    if a[0] == "token":
        print(token(a[1], a[2] if len(a) > 2 else ""))
    elif a[0] == "benign":
        benign(a[1], a[2], a[3], a[4])
    elif a[0] == "flood":
        flood(a[1], a[2], a[3], a[4])
    else:
        sys.exit("usage: see the docstring")


if __name__ == "__main__":
    main()
