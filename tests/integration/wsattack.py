#!/usr/bin/python3
"""wsattack.py HOST PORT MODE - a raw WebSocket client that misbehaves.
MODE: huge-length (a frame claiming 2^63-1 bytes), fragment-storm (a text
message of 3000 fragments, never finished), after-close (data frames after
its close frame), unmasked (a client frame without a mask), foreign-origin
(a well-formed handshake from another site). Bounded in count and time."""
import base64
import os
import socket
import struct
import sys
import time


def handshake(host, port, origin=None):
    s = socket.create_connection((host, port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    req = (f"GET /chat HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
           f"Sec-WebSocket-Version: 13\r\n")
    if origin:
        req += f"Origin: {origin}\r\n"
    s.sendall((req + "\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("server closed during handshake")
        buf += chunk
    if b" 101 " not in buf.split(b"\r\n")[0]:
        raise SystemExit("no 101: %r" % buf[:80])
    return s


def frame(opcode, payload, fin=True, mask=True, length=None):
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload) if length is None else length
    if n < 126:
        hdr = struct.pack(">BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        hdr = struct.pack(">BBH", b0, (0x80 if mask else 0) | 126, n)
    else:
        hdr = struct.pack(">BBQ", b0, (0x80 if mask else 0) | 127, n)
    if not mask:
        return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


def main():
    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = handshake(host, port, "http://evil.example" if mode == "foreign-origin" else None)
    try:
        if mode == "huge-length":
            s.sendall(frame(0x2, b"", length=(1 << 63) - 1) + os.urandom(65536))
        elif mode == "fragment-storm":
            s.sendall(frame(0x1, b"a", fin=False))
            s.sendall(b"".join(frame(0x0, b"b", fin=False) for _ in range(3000)))
        elif mode == "after-close":
            s.sendall(frame(0x8, struct.pack(">H", 1000)))
            s.sendall(frame(0x1, b"still here") * 5)
        elif mode == "unmasked":
            s.sendall(frame(0x1, b"no mask", mask=False))
        elif mode == "foreign-origin":
            s.sendall(frame(0x1, b"hello from elsewhere"))
        time.sleep(0.3)
    except OSError:
        pass  # the server may cut us off: that is its right
    s.close()


if __name__ == "__main__":
    main()
