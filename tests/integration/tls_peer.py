#!/usr/bin/python3
"""tls_peer.py - HTTPS peers for tls.sh, on CPython's _ssl (OpenSSL's
SSL_read_ex / SSL_write_ex, where nginx and curl use SSL_read / SSL_write).

  tls_peer.py server PORT CERT KEY   serve HTTPS on 127.0.0.1:PORT
  tls_peer.py client PORT            known requests over one keep-alive
                                     connection; prints one expected JSON
                                     line per exchange on stdout
"""
import http.client
import http.server
import json
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/api/"):
            self._reply(200, b'{"ok":true}\n')
        else:
            self._reply(404, b"missing\n")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        self._reply(201, b"created\n")

    def log_message(self, *args):
        pass


def server(port, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("listening", flush=True)
    srv.serve_forever()


def client(port):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
    calls = [
        ("GET", "/api/users/7", "fields=name&sort=%27x%27", None),
        ("POST", "/api/orders", "", b'{"item":"book","qty":2}'),
        ("GET", "/nowhere", "", None),
    ]
    for method, path, query, body in calls:
        url = path + ("?" + query if query else "")
        headers = {"Content-Type": "application/json"} if body else {}
        c.request(method, url, body=body, headers=headers)
        r = c.getresponse()
        r.read()
        print(json.dumps({"method": method, "path": path, "query": query,
                          "status": r.status}))
    c.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        client(int(sys.argv[2]))
