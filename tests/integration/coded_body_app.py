#!/usr/bin/env python3
"""coded_body_app.py ADDR PORT - an API that reads compressed request
bodies as a decompressing server (mod_deflate's input filter, gateway
middleware) hands them to the application, and compresses its answers
for clients that accept gzip.

  POST any path    Content-Encoding gzip or deflate (zlib or raw) is
                   decoded; br, zstd and others are refused (415); the
                   answer says how many plain bytes the app read.
  GET /api/export  30 customers, each with an email and a test card
                   number, as JSON; gzip'd when Accept-Encoding allows.
  GET /api/brcheck a fixed text sent with Content-Encoding br: the test
                   has curl decode it, proving its hand-made br stream.
No DNS lookups (address_string is the address), no access log."""
import gzip
import json
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CARDS = ["4111111111111111", "5555555555554444", "378282246310005"]


def br_stored(data):
    """RFC 7932: window bits 16, one uncompressed meta-block, an empty last."""
    n = len(data) - 1
    assert 0 <= n < 1 << 16
    bits = (n << 4) | (1 << 20)  # WBITS 0, ISLAST 0, MNIBBLES 4, MLEN-1, ISUNCOMPRESSED
    return bits.to_bytes(3, "little") + data + b"\x03"


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def address_string(self):
        return self.client_address[0]

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/json", coding=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        coding = (self.headers.get("Content-Encoding") or "identity").strip().lower()
        try:
            if coding in ("gzip", "x-gzip"):
                body = gzip.decompress(raw)
            elif coding == "deflate":
                try:
                    body = zlib.decompress(raw)
                except zlib.error:
                    body = zlib.decompress(raw, -15)
            elif coding == "identity":
                body = raw
            else:
                return self.send(415, b'{"error":"unsupported coding"}')
        except (OSError, zlib.error, EOFError):
            return self.send(400, b'{"error":"bad body"}')
        self.send(200, json.dumps({"read": len(body)}).encode())

    def do_GET(self):
        if self.path == "/api/brcheck":
            return self.send(200, br_stored(b"brotli stored block ok\n"), "text/plain", "br")
        if self.path != "/api/export":
            return self.send(404, b'{"error":"none"}')
        rows = [{"id": i, "email": "user%d@example.com" % i, "card": CARDS[i % 3],
                 "since": 2000 + i} for i in range(30)]
        body = json.dumps({"customers": rows}).encode()
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            return self.send(200, gzip.compress(body), coding="gzip")
        self.send(200, body)


if __name__ == "__main__":
    srv = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), H)
    print("serving", flush=True)
    srv.serve_forever()
