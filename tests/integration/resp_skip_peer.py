#!/usr/bin/python3
"""resp_skip_peer.py server PORT | client PORT - resp_skip.sh's two ends.

server: an HTTP/1.1 keep-alive API on 127.0.0.1:PORT, one thread per
connection, every answer's head in one write and its body in writes of
16 KiB, 2 ms apart (an export read from a database cursor):
  GET /export         1 MiB of JSON (Content-Length), customers with emails
                      and test card numbers in its first KiB
  GET /lie            declares Content-Length: 300000 but sends 100 bytes
                      (X-Sent: 100), then serves the next request as usual
  GET /nocontent      204 with Content-Length: 300000 and no body, as a
                      204 always is (RFC 9112 6.3)
  anything else       200, a short JSON answer
client: two keep-alive connections, each request sent after the whole
answer the server meant to send was read:
  A: /export, /item?id=<sqli>, /export, /small
  B: /lie, /after1?id=<sqli>, /export, /after2?id=<sqli>
  C: /nocontent, /export, /after3?id=<sqli>
Prints one JSON line per answer: conn, path, head (bytes), body (bytes).
"""
import json, socket, sys, threading, time

SQLI_Q = "id=1%27%20OR%201%3D1--"
BIG = 1 << 20
PIECE = 16 * 1024


def export_body():
    rows = [{"id": i, "name": "c%d" % i, "email": "user%d@example.com" % i,
             "card": "4111111111111111"} for i in range(8)]
    head = json.dumps(rows)[:-1] + ', {"pad": "'
    tail = '"}]'
    return (head + "x" * (BIG - len(head) - len(tail)) + tail).encode()


BODY = export_body()
assert len(BODY) == BIG


def answer(conn, path):
    status = "200 OK"
    if path == "/nocontent":
        body, sent, status = b"", 300000, "204 No Content"
    elif path == "/export":
        body, sent = BODY, BIG
    elif path == "/lie":
        body, sent = b"y" * 100, 300000
    else:
        body = json.dumps({"ok": True, "path": path}).encode()
        sent = len(body)
    head = ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nX-Sent: %d\r\n\r\n" % (status, sent, len(body))).encode()
    conn.sendall(head)
    for i in range(0, len(body), PIECE):
        conn.sendall(body[i:i + PIECE])
        if len(body) > PIECE:
            time.sleep(0.002)


def serve_conn(conn):
    buf = b""
    with conn:
        while True:
            while b"\r\n\r\n" not in buf:
                d = conn.recv(65536)
                if not d:
                    return
                buf += d
            head, buf = buf.split(b"\r\n\r\n", 1)
            path = head.split(b" ")[1].decode().split("?")[0]
            answer(conn, path)


def server(port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(16)
    print("serving", flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_conn, args=(c,), daemon=True).start()


def read_answer(s, rest):
    """One answer as the server sent it: its head, then X-Sent bytes."""
    while b"\r\n\r\n" not in rest:
        d = s.recv(65536)
        if not d:
            raise SystemExit("eof in a head")
        rest += d
    head, rest = rest.split(b"\r\n\r\n", 1)
    sent = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"x-sent:")][0].split(b":")[1])
    while len(rest) < sent:
        d = s.recv(65536)
        if not d:
            raise SystemExit("eof in a body")
        rest += d
    return len(head) + 4, sent, rest[sent:]


def client(port):
    for name, paths in (("A", ["/export", "/item?" + SQLI_Q, "/export", "/small"]),
                        ("B", ["/lie", "/after1?" + SQLI_Q, "/export", "/after2?" + SQLI_Q]),
                        ("C", ["/nocontent", "/export", "/after3?" + SQLI_Q])):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        rest = b""
        for p in paths:
            s.sendall(("GET %s HTTP/1.1\r\nHost: api.test\r\n\r\n" % p).encode())
            head, body, rest = read_answer(s, rest)
            print(json.dumps({"conn": name, "path": p.split("?")[0], "head": head,
                              "body": body}), flush=True)
        s.close()


if __name__ == "__main__":
    {"server": server, "client": client}[sys.argv[1]](int(sys.argv[2]))
