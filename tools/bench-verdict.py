#!/usr/bin/python3
"""bench-verdict.py server PORT [ADDR] | attack PORT N

server: an HTTP/1.1 API that takes 20 ms to answer every request (threads),
on ADDR (default 127.0.0.1).
attack: N SQL-injection requests, each on a new connection, one after the
other; prints one JSON line: how many responses reached the attacker and how
many connections were cut before the answer."""
import http.server
import json
import socket
import sys
import time


class Slow(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        time.sleep(0.02)
        body = b'{"rows":[{"id":1,"name":"alice"}]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def server(port, addr="127.0.0.1"):
    http.server.ThreadingHTTPServer.daemon_threads = True
    srv = http.server.ThreadingHTTPServer((addr, port), Slow)
    print("serving", flush=True)
    srv.serve_forever()


def attack(port, n):
    got = cut = other = 0
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET /api/users?id=%d%%27%%20OR%%20%%271%%27=%%271 HTTP/1.1\r\nHost: api\r\n\r\n" % i)
            buf = b""
            while True:
                d = s.recv(4096)
                if not d:
                    break
                buf += d
                if b"alice" in buf:
                    break
            s.close()
            if b"alice" in buf:
                got += 1
            else:
                cut += 1
        except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
            cut += 1
        except OSError:
            other += 1
        time.sleep(0.01)
    print(json.dumps({"sent": n, "answered": got, "cut": cut, "other": other}))


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]), *sys.argv[3:4])
    else:
        attack(int(sys.argv[2]), int(sys.argv[3]))
