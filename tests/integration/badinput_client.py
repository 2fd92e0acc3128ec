#!/usr/bin/python3
"""badinput_client.py PORT GARBAGE_PORT_FILE - http1_badinput.sh's bad
clients, one connection each, to 127.0.0.1:PORT: a request followed by
binary garbage; binary garbage from the first byte (its client port written
to GARBAGE_PORT_FILE); a malformed header line; a 1 MiB header; a request
dribbled one byte at a time; a slowloris that gives up. The garbage is from
a fixed seed, so the collector's counts are exact."""
import random, socket, sys, time

port = int(sys.argv[1])
rnd = random.Random(23)  # the same bytes every run: counts are exact


def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s


def drain(s, secs=2.0):
    s.settimeout(secs)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()


# 1. a request line, then binary garbage
s = conn()
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + rnd.randbytes(4096))
drain(s)
# 2. binary garbage from the first byte (never decoded as HTTP; nginx
#    reads 1 KiB, client_header_buffer_size, and answers 400): 0xde first,
#    neither CR/LF, a method letter nor TLS. No more than nginx reads, so
#    its lingering close has nothing left to read
s = conn()
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
s.sendall(b"\xde" + rnd.randbytes(1023))
drain(s)
# 3. malformed request line / header
s = conn()
s.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
drain(s)
# 4. a 1 MiB header
s = conn()
try:
    s.sendall(b"GET /huge HTTP/1.1\r\nHost: x\r\nX-Big: " + b"A" * (1 << 20) + b"\r\n\r\n")
except OSError:
    pass
drain(s)
# 5. a request dribbled one byte at a time (0.05 s apart), then answered
s = conn()
for b in b"GET /api/users/dribble HTTP/1.1\r\nHost: x\r\n\r\n":
    s.sendall(bytes([b]))
    time.sleep(0.05)
drain(s)
# 6. slowloris: a few header bytes, one per second, then gone
s = conn()
for b in b"GET /slow":
    s.sendall(bytes([b]))
    time.sleep(0.5)
s.close()
