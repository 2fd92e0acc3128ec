#!/usr/bin/python3
"""held_request.py ADDR PORT QUERY - GET /api/users/7?QUERY on a connection
the client keeps open after its request (metrics.sh: so a kill always finds
it), reading until the server closes it, the connection fails or 3 s pass.
Prints how it ended and the bytes received: "eof after N", "open after N"
or "ERRNO after N"."""
import errno, socket, sys

addr, port, query = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((addr, port), timeout=3)
s.sendall(b"GET /api/users/7?%s HTTP/1.1\r\nHost: t\r\n\r\n" % query.encode())
got = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            print("eof after", len(got))
            break
        got += d
except socket.timeout:
    print("open after", len(got))
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno), "after", len(got))
