#!/usr/bin/python3
"""h2_midstream.py HOST PORT GO_FILE - an HTTP/2 client whose connection
exists before the collector starts: preface, SETTINGS and one request, then
it waits (bounded) for GO_FILE and sends three more requests on streams 3,
5, 7 with literal header fields (no dynamic-table references), reading the
responses. Prints the statuses it got."""
import os
import socket
import struct
import sys
import time


def frame(ftype, flags, stream, payload=b""):
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, ftype, flags, stream) + payload


def lit(name, value):
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def request(sid, path):
    block = (lit(b":method", b"GET") + lit(b":scheme", b"http") +
             lit(b":path", path) + lit(b":authority", b"mid.test"))
    return frame(0x1, 0x5, sid, block)


def drain(s, secs):
    s.settimeout(secs)
    got = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
    except socket.timeout:
        pass
    return got


host, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=5)
s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(0x4, 0, 0) + request(1, b"/index.html?before=1"))
drain(s, 0.5)
s.sendall(frame(0x4, 0x1, 0))  # ACK the server's SETTINGS
drain(s, 0.2)
# the collector may take long to start on a loaded machine (its own
# wait is 60 s): wait as long, and say so when GO never came
for _ in range(650):
    if os.path.exists(go):
        break
    time.sleep(0.1)
else:
    print("no GO after 65 s", file=sys.stderr)
for i, sid in enumerate((3, 5, 7)):
    s.sendall(request(sid, b"/index.html?after=%d" % i))
    time.sleep(0.1)
out = drain(s, 0.5)
s.close()
print("ok", len(out))
