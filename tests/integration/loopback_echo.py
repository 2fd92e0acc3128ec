#!/usr/bin/python3
"""loopback_echo.py - an HTTP/1.1 server on 127.0.0.1, an ephemeral port,
answering "echo\n" to every request on any number of keep-alive
connections (enforce_kill.sh: kills on loopback). Prints "port PORT" once
listening, and "server-conn ERRNO" when a connection fails. Stops when no
connection arrives for 30 s, or after 30 s."""
import socket, threading, time

ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 0))
ls.listen(16)
print("port", ls.getsockname()[1], flush=True)


def serve(c):
    try:
        while True:
            d = c.recv(4096)
            if not d:
                return
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\necho\n")
    except OSError as e:
        print("server-conn", e.errno, flush=True)


ls.settimeout(30)
end = time.time() + 30
while time.time() < end:
    try:
        c, _ = ls.accept()
    except socket.timeout:
        break
    threading.Thread(target=serve, args=(c,), daemon=True).start()
