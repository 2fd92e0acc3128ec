#!/usr/bin/python3
"""inventory_api.py ADDR PORT SECRET

A small JSON API for the inventory test (tests/integration/inventory.sh):

  GET  /health                       no credentials, {"ok": true}
  GET  /v1/customers?limit=N         no credentials: N customers (at most 50)
                                     with emails and test card numbers (the
                                     old version)
  POST /v1/customers                 no credentials: a sign-up whose JSON body
                                     carries an email and a card number
  GET  /v2/customers?limit=N         Bearer JWT (HS256, exp checked); N
                                     customers, at most 50
  GET  /v2/customers/ID              Bearer JWT; also takes alg "none" (the
                                     flaw the test plants)
  POST /v2/orders                    Bearer JWT; takes a JWT without exp too
  POST /v2/search                    Bearer JWT with exp: {"q": "..."}
  GET  /v2/reports                   answers with or without a JWT
  GET  /v1/status?api_key=K          the key in the URL
  GET  /v1/legacy                    Basic credentials over plain HTTP
  GET  /v2/internal/export           Bearer JWT (called only late: new)
  GET  /items/NAME                   200 for any NAME (templates collapse)
  anything else                      404

The server does not resolve its own name (server_bind without getfqdn).
"""
import base64
import hashlib
import hmac
import http.server
import json
import socketserver
import sys
import time

SECRET = b""

CUSTOMERS = [
    {"id": 1, "name": "Ada", "email": "ada@example.com", "card": "4111111111111111"},
    {"id": 2, "name": "Bob", "email": "bob@example.org", "card": "5555555555554444"},
    {"id": 3, "name": "Cy", "email": "cy@example.net", "card": "378282246310005"},
]


def luhn_complete(digits):
    """digits plus the check digit that makes the number pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def customers(query):
    """The first N customers (limit=N, 1..50, default 3): an email and a
    Luhn-valid Visa test number each."""
    n = 3
    for kv in query.split("&"):
        k, _, v = kv.partition("=")
        if k == "limit" and v.isdigit():
            n = max(1, min(50, int(v)))
    return [{"id": i + 1, "name": "c%d" % (i + 1), "email": "c%d@example.com" % (i + 1),
             "card": luhn_complete("4000000000%05d" % (i + 1))} for i in range(n)]


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_ok(auth, need_exp=True, allow_none=False):
    """The request's Bearer JWT is valid: HS256 with SECRET (or alg none
    where allowed), exp in the future when need_exp."""
    if not auth.startswith("Bearer "):
        return False
    parts = auth[7:].split(".")
    if len(parts) != 3:
        return False
    try:
        head = json.loads(b64d(parts[0]))
        claims = json.loads(b64d(parts[1]))
    except ValueError:
        return False
    if head.get("alg") == "none":
        if not allow_none:
            return False
    elif head.get("alg") == "HS256":
        mac = hmac.new(SECRET, (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(b64d(parts[2]), mac):
            return False
    else:
        return False
    if "exp" in claims:
        return claims["exp"] > time.time()
    return not need_exp


class Api(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # head and body leave as two writes: without this, Nagle holds the body
    # for the client's delayed ACK (40 ms a request on a kept-alive link)
    disable_nagle_algorithm = True

    def send_json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 1 << 20))

    def do_GET(self):
        path, _, query = self.path.partition("?")
        auth = self.headers.get("Authorization", "")
        if path == "/health":
            return self.send_json(200, {"ok": True})
        if path == "/v1/customers":
            return self.send_json(200, {"customers": customers(query)})
        if path == "/v2/customers":
            if not jwt_ok(auth):
                return self.send_json(401, {"error": "token"})
            return self.send_json(200, {"customers": customers(query)})
        if path.startswith("/v2/customers/") and path[14:].isdigit():
            if not jwt_ok(auth, allow_none=True):
                return self.send_json(401, {"error": "token"})
            return self.send_json(200, CUSTOMERS[int(path[14:]) % 3])
        if path == "/v2/reports":
            return self.send_json(200, {"reports": []})
        if path == "/v1/status":
            if "api_key=" not in query:
                return self.send_json(401, {"error": "key"})
            return self.send_json(200, {"status": "up"})
        if path == "/v1/legacy":
            if not auth.startswith("Basic "):
                return self.send_json(401, {"error": "basic"})
            return self.send_json(200, {"legacy": True})
        if path == "/v2/internal/export":
            if not jwt_ok(auth):
                return self.send_json(401, {"error": "token"})
            return self.send_json(200, {"export": "queued"})
        if path.startswith("/items/"):
            return self.send_json(200, {"item": len(path)})
        return self.send_json(404, {"error": "not found"})

    def do_POST(self):
        path = self.path.partition("?")[0]
        auth = self.headers.get("Authorization", "")
        data = self.body()
        if path == "/v1/customers":
            return self.send_json(201, {"created": len(data)})
        if path == "/v2/orders":
            if not jwt_ok(auth, need_exp=False):
                return self.send_json(401, {"error": "token"})
            return self.send_json(201, {"order": len(data)})
        if path == "/v2/search":
            if not jwt_ok(auth):
                return self.send_json(401, {"error": "token"})
            return self.send_json(200, {"hits": []})
        return self.send_json(404, {"error": "not found"})

    def log_message(self, *a):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # no getfqdn
        self.server_name = "inventory-api"
        self.server_port = self.server_address[1]


def main():
    global SECRET
    SECRET = sys.argv[3].encode()
    srv = Server((sys.argv[1], int(sys.argv[2])), Api)
    print("serving", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
