#!/usr/bin/python3
"""slow_api.py ADDR PORT DELAY_MS - an HTTP/1.1 API that takes DELAY_MS to
answer each GET (one thread per connection, keep-alive), for the tests that
measure whether a verdict lands before the server answers. Answers 200 with
a small JSON body; prints "serving" once listening. Binds without looking up
its own name (http.server's server_bind calls getfqdn, which can wait on a
resolver the test namespaces do not have)."""
import http.server
import socketserver
import sys
import time


class Api(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0

    def do_GET(self):
        time.sleep(self.delay)
        body = b'{"id":1,"name":"x"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # no getfqdn
        self.server_name, self.server_port = self.server_address[:2]


if __name__ == "__main__":
    addr, port, delay_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    Api.delay = delay_ms / 1000.0
    srv = Server((addr, port), Api)
    print("serving", flush=True)
    srv.serve_forever()
