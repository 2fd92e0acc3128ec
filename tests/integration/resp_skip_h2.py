#!/usr/bin/python3
"""resp_skip_h2.py PORT PATH... : one HTTP/2 connection (prior knowledge,
no TLS), the PATHs requested one after another on streams 1, 3, 5, ...,
each only after the previous answer ended. For each, one JSON line: the
path, the stream, the answer's status (from the first header field when
it is an indexed :status of the HPACK static table, else null) and the
bytes of every frame the server sent on that stream (9-byte headers
included: what the collector's HTTP/2 decoder counts as resp_bytes).
Windows are opened wide at the start so the server never waits for us.
Bounded: at most 64 paths, 10 s socket timeout, 64 MiB per answer."""
import json
import socket
import struct
import sys

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
STATUS = {0x88: 200, 0x89: 204, 0x8a: 206, 0x8b: 304, 0x8c: 400, 0x8d: 404, 0x8e: 500}
MAX_ANSWER = 64 << 20


def frame(ftype, flags, stream, payload=b""):
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, ftype, flags, stream) + payload


def lit(name, value):
    # literal header field without indexing, new name (RFC 7541 6.2.2)
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def read_exact(s, n):
    b = b""
    while len(b) < n:
        x = s.recv(n - len(b))
        if not x:
            raise EOFError("server closed")
        b += x
    return b


def fetch(s, host, path, sid):
    block = (lit(b":method", b"GET") + lit(b":scheme", b"http") +
             lit(b":path", path.encode()) + lit(b":authority", host))
    s.sendall(frame(1, 0x5, sid, block))  # HEADERS, END_STREAM | END_HEADERS
    got, status = 0, None
    while got <= MAX_ANSWER:
        h = read_exact(s, 9)
        n = (h[0] << 16) | (h[1] << 8) | h[2]
        ftype, flags = h[3], h[4]
        fsid = struct.unpack(">I", h[5:9])[0] & 0x7FFFFFFF
        payload = read_exact(s, n)
        if ftype == 4 and not flags & 1:  # SETTINGS: acknowledge
            s.sendall(frame(4, 1, 0))
        if ftype == 6 and not flags & 1:  # PING: answer
            s.sendall(frame(6, 1, 0, payload))
        if fsid != sid:
            continue
        got += 9 + n
        if ftype == 1 and status is None and payload:
            pad = payload[0] if flags & 0x8 else 0
            off = (1 if flags & 0x8 else 0) + (5 if flags & 0x20 else 0)
            status = STATUS.get(payload[off]) if off < len(payload) - pad else None
        if ftype == 3 or (ftype in (0, 1) and flags & 1):  # RST_STREAM, END_STREAM
            break
    return {"path": path, "sid": sid, "status": status, "resp_bytes": got}


def main():
    port, paths = int(sys.argv[1]), sys.argv[2:]
    if not 1 <= len(paths) <= 64:
        sys.exit(__doc__)
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    host = b"127.0.0.1:%d" % port
    # SETTINGS_INITIAL_WINDOW_SIZE 2^31-1; the connection's window likewise
    s.sendall(PREFACE + frame(4, 0, 0, struct.pack(">HI", 4, 0x7FFFFFFF)) +
              frame(8, 0, 0, struct.pack(">I", 0x7FFFFFFF - 65535)))
    for i, p in enumerate(paths):
        print(json.dumps(fetch(s, host, p, 1 + 2 * i)), flush=True)
    s.close()


if __name__ == "__main__":
    main()
