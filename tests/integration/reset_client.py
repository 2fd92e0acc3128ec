#!/usr/bin/env python3
"""reset_client.py PORT - http1_reset.sh's attacker: the same SQL injection
sent to a server on 127.0.0.1:PORT in requests whose connection ends the
moment the request is out, so that the server reads the request from a
socket the kernel has already closed (an RST makes it TCP_CLOSE at once;
the queued bytes stay readable) or half-closed (FIN). One connection per
case; prints one line per case: "CASE PATH". Cases:
  rst        request, then RST (SO_LINGER 0 and close) in the next call
  rst_split  request line and headers in two writes 10 ms apart, then RST
  rst_fin    request, FIN (shutdown SHUT_WR), then RST
  fin        request, FIN, then the answer is read (a half-closed client)
(A second pipelined request after an RST is not a case: nginx's write of
the first answer fails and it reads no further.) With SW_BREAK=benign in
the environment the value is a plain 1: no verdict may follow."""
import os
import socket
import struct
import sys
import time

PORT = int(sys.argv[1])
Q = b"id=1" if os.environ.get("SW_BREAK") == "benign" else b"id=1%27%20OR%201%3D1--"


def conn():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def get(path):
    return b"GET " + path.encode() + b"?" + Q + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def case(name):
    path = "/api/users/" + name
    s = conn()
    if name == "rst":
        s.sendall(get(path))
        reset(s)
    elif name == "rst_split":
        r = get(path)
        cut = r.index(b"\r\n") + 2
        s.sendall(r[:cut])
        time.sleep(0.01)
        s.sendall(r[cut:])
        reset(s)
    elif name == "rst_fin":
        s.sendall(get(path))
        s.shutdown(socket.SHUT_WR)
        reset(s)
    elif name == "fin":
        s.sendall(get(path))
        s.shutdown(socket.SHUT_WR)
        s.settimeout(5)
        try:
            while s.recv(65536):
                pass
        except OSError:
            pass
        s.close()
    print(name, path, flush=True)


# Not a case: a body whose RST lands between nginx's read of the head and
# its read of the rest. The close ends the socket's state in the kernel
# programs, the rest is classified afresh as a connection's first bytes
# (not a request: not copied) and the payload at the body's end goes
# unjudged; seen once in CI (20 kB of padding, then the injection). An
# open gap (README).
for c in ("rst", "rst_split", "rst_fin", "fin"):
    case(c)
    time.sleep(0.05)
