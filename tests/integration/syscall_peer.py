#!/usr/bin/env python3
"""syscall_peer.py - an HTTP/1.1 server and client that move their bytes with
the socket calls other than read/write, for capture_syscalls.sh.

  server FAMILY ADDR PORT MODE COUNT  serve COUNT connections, one request
      each, then exit; prints "listening" once bound. MODE says how:
        msg     recvmsg() into two buffers, sendmsg() of three buffers
        vec     os.readv() into two buffers, os.writev() of three buffers
        splice  recv(), the header with send(), the body os.splice()d from a
                pipe into the socket (no user buffer: a gap)
        sendfile recv(), the header with send(), the body os.sendfile()d
                from a file (a gap)
  client FAMILY ADDR PORT MODE PATH  one request, sent with sendmsg() of
      three buffers (msg) or os.writev() (others); prints
      "sent REQ_BYTES got RESP_BYTES STATUS".

The response body is BODY bytes; the server never resolves names (the
address is numeric, no http.server).
"""
import os
import signal
import socket
import sys
import tempfile

BODY = 3000


def fam(s):
    return socket.AF_INET6 if s == "6" else socket.AF_INET


def read_request(conn, mode):
    buf = b""
    while b"\r\n\r\n" not in buf:
        if mode == "msg":
            a, b = bytearray(7), bytearray(4089)
            n, _, _, _ = conn.recvmsg_into([a, b])
            d = bytes(a + b)[:n]
        elif mode == "vec":
            a, b = bytearray(5), bytearray(4091)
            n = os.readv(conn.fileno(), [a, b])
            d = bytes(a + b)[:n]
        else:
            d = conn.recv(4096)
            n = len(d)
        if not n:
            return None
        buf += d
    return buf


def serve(family, addr, port, mode, count):
    ls = socket.socket(fam(family), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(16)
    ls.settimeout(60)
    print("listening", flush=True)
    body = bytes((48 + i % 10) for i in range(BODY))
    path = None
    if mode == "sendfile":
        fd, path = tempfile.mkstemp()
        os.write(fd, body)
        os.close(fd)
    for _ in range(count):
        conn, _ = ls.accept()
        conn.setblocking(True)  # os.readv/writev need a blocking fd; alarm() bounds it
        req = read_request(conn, mode)
        if req is None:
            conn.close()
            continue
        hdr = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % BODY
        if mode == "msg":
            conn.sendmsg([hdr[:10], hdr[10:], body])
        elif mode == "vec":
            os.writev(conn.fileno(), [hdr[:10], hdr[10:], body])
        elif mode == "splice":
            conn.sendall(hdr)
            r, w = os.pipe()
            os.write(w, body)
            os.close(w)
            left = BODY
            while left:
                left -= os.splice(r, conn.fileno(), left)
            os.close(r)
        elif mode == "sendfile":
            conn.sendall(hdr)
            with open(path, "rb") as f:
                off = 0
                while off < BODY:
                    off += os.sendfile(conn.fileno(), f.fileno(), off, BODY - off)
        conn.close()
    if path:
        os.unlink(path)


def client(family, addr, port, mode, path):
    s = socket.socket(fam(family), socket.SOCK_STREAM)
    s.connect((addr, port))
    req = b"GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path.encode()
    if mode == "msg":
        s.sendmsg([req[:4], req[4:20], req[20:]])
    else:
        os.writev(s.fileno(), [req[:4], req[4:20], req[20:]])
    got = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        got += d
    s.close()
    status = got.split(b" ", 2)[1].decode() if got.startswith(b"HTTP/1.1 ") else "none"
    print("sent", len(req), "got", len(got), status, flush=True)


if __name__ == "__main__":
    signal.alarm(90)  # bounded whatever the peer does
    if sys.argv[1] == "server":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
