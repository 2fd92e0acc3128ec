#!/usr/bin/python3
"""client.py MODE HOST PORT [ARGS] - scripted HTTP/1.1 clients for the
verdict and enforcement tests (raw sockets, so every reset and timeout is
seen as it happens). Prints one JSON line with what it observed.

  benign SECONDS [GAP]   keep-alive GETs every GAP s (0.01); counts errors
  sqli                   a benign GET, then a SQL injection on the same
                         connection, then probes the connection and a new one
  probe                  can a new connection be made and answered? (2 s)
  burst KIND N [noprobe] N requests: login (POST /api/login, 401s),
                         scan (GET /scan/<i>, 404s), enum (GET /api/users/<i>)
  slowloris SECONDS      a request head that never ends; reports the reset
  cuts N                 N times: a new connection, a benign GET (must be
                         answered), then a SQL injection; counts whether
                         the injection's own response arrived before the
                         connection was cut

SW_CLIENT_SRC=ADDR in the environment: every connection from that local
address (one of several the host has).
"""
import json
import os
import socket
import sys
import time


def connect(host, port, timeout=2.0):
    src = os.environ.get("SW_CLIENT_SRC")
    s = socket.create_connection((host, port), timeout=timeout,
                                 source_address=(src, 0) if src else None)
    s.settimeout(timeout)
    return s


def request(s, method, path, body=b""):
    head = "%s %s HTTP/1.1\r\nHost: api\r\nContent-Length: %d\r\n" % (method, path, len(body))
    if body:
        head += "Content-Type: application/x-www-form-urlencoded\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return status


def benign(host, port, secs, gap=0.01):
    import signal
    end = time.time() + float(secs)

    def stop(sig, frame):
        nonlocal end
        end = 0  # finish the loop and report

    signal.signal(signal.SIGTERM, stop)
    ok = errors = 0
    s = connect(host, port)
    while time.time() < end:
        try:
            request(s, "GET", "/api/users/42?fields=name")
            ok += 1
        except (OSError, ConnectionError):
            errors += 1
            s.close()
            s = connect(host, port)
        time.sleep(gap)
    print(json.dumps({"ok": ok, "errors": errors}))


def probe(host, port):
    try:
        s = connect(host, port, 2.0)
        st = request(s, "GET", "/api/echo")
        s.close()
        return "served:%d" % st
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return type(e).__name__


def sqli(host, port):
    out = {}
    s = connect(host, port)
    out["first"] = request(s, "GET", "/api/users/1")
    try:
        out["attack"] = request(s, "GET", "/api/users?id=1%27%20OR%20%271%27=%271")
    except (OSError, ConnectionError) as e:
        out["attack"] = type(e).__name__
    time.sleep(0.3)
    try:
        out["after"] = request(s, "GET", "/api/users/2")
    except (OSError, ConnectionError) as e:
        out["after"] = type(e).__name__
    out["new"] = probe(host, port)
    print(json.dumps(out))


def burst(host, port, kind, n, probe_after=True):
    statuses = []
    s = connect(host, port)
    for i in range(int(n)):
        try:
            if kind == "login":
                st = request(s, "POST", "/api/login", b"user=admin&pass=guess%d" % i)
            elif kind == "scan":
                st = request(s, "GET", "/scan/%d/admin.php" % i)
            else:
                st = request(s, "GET", "/api/users/%d" % (1000 + i))
        except (OSError, ConnectionError) as e:
            st = type(e).__name__
            try:
                s.close()
                s = connect(host, port, 1.0)
            except OSError:
                pass
        statuses.append(st)
    if not probe_after:
        print(json.dumps({"statuses": statuses}))
        return
    time.sleep(0.3)  # a behaviour verdict follows the exchange that crossed the line
    print(json.dumps({"statuses": statuses, "new": probe(host, port)}))


def cuts(host, port, n):
    out = {"n": n, "first_ok": 0, "answered": 0, "cut": 0, "other": []}
    for i in range(n):
        try:
            s = connect(host, port)
            if request(s, "GET", "/api/users/1") == 200:
                out["first_ok"] += 1
        except (OSError, ConnectionError) as e:
            out["other"].append("first:" + type(e).__name__)
            continue
        try:
            request(s, "GET", "/api/users?id=%d%%27%%20OR%%20%%271%%27=%%271" % i)
            out["answered"] += 1  # a whole response, whatever its status
        except socket.timeout:
            out["other"].append("timeout")
        except (OSError, ConnectionError):
            out["cut"] += 1  # reset or closed before the whole answer
        s.close()
        time.sleep(0.02)
    print(json.dumps(out))


def slowloris(host, port, secs):
    s = connect(host, port, float(secs) + 5)
    s.sendall(b"GET /slow HTTP/1.1\r\nHost: api\r\nX-a: ")
    end = time.time() + float(secs)
    got = "open"
    while time.time() < end:
        try:
            s.sendall(b"b")
            s.settimeout(0.5)
            if s.recv(1024) == b"":
                got = "closed"
                break
        except socket.timeout:
            continue
        except OSError as e:
            got = type(e).__name__
            break
    print(json.dumps({"slowloris": got}))


if __name__ == "__main__":
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "benign":
        benign(host, port, sys.argv[4], float(sys.argv[5]) if len(sys.argv) > 5 else 0.01)
    elif mode == "sqli":
        sqli(host, port)
    elif mode == "probe":
        print(json.dumps({"probe": probe(host, port)}))
    elif mode == "burst":
        burst(host, port, sys.argv[4], sys.argv[5], len(sys.argv) < 7 or sys.argv[6] != "noprobe")
    elif mode == "cuts":
        cuts(host, port, int(sys.argv[4]))
    elif mode == "slowloris":
        slowloris(host, port, sys.argv[4])
