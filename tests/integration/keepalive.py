#!/usr/bin/python3
"""keepalive.py HOST PORT SECS - one keep-alive HTTP/1.1 connection, a
GET /api/echo every 100 ms for SECS seconds (enforce_kill.sh,
enforce_block.sh). Prints "conn LPORT COOKIE" once connected (COOKIE: the
socket's SO_COOKIE, which the kill driver names), then "done N" (N answers),
or "error ERRNO N" / "error timeout N" and exits 3 when the connection is
cut."""
import errno, socket, sys, time

SO_COOKIE = 57

host, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection((host, port), timeout=2)
ck = int.from_bytes(s.getsockopt(socket.SOL_SOCKET, SO_COOKIE, 8), "little")
print("conn", s.getsockname()[1], ck, flush=True)
n, end = 0, time.time() + secs
try:
    while time.time() < end:
        s.sendall(b"GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n")
        buf = b""
        while not buf.endswith(b"echo\n"):
            d = s.recv(4096)
            if not d:
                raise OSError(errno.EPIPE, "eof")
            buf += d
        n += 1
        time.sleep(0.1)
except socket.timeout:
    print("error timeout", n, flush=True)
    sys.exit(3)
except OSError as e:
    print("error", errno.errorcode.get(e.errno, str(e.errno)), n, flush=True)
    sys.exit(3)
print("done", n, flush=True)
