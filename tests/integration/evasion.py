#!/usr/bin/env python3
"""evasion.py PORT [--tls] GROUP... - send the same SQL injection to a server in
every place where a server may accept it (issue 23), one connection per
case, and print one JSON line per request the server answered:
{"case", "path", "status"}. Each request's path is unique
(/api/users/<case>) so a verdict can be matched to it.

Groups: crlf (empty lines before the request line, in one write or many),
lenient (header syntax llhttp's strict mode refuses and nginx serves, each
followed by a pipelined second request that carries the payload),
hdrcount (the payload in a header after N ordinary headers), hdrsize (after
headers as long as nginx takes), depth (the last of N pipelined requests),
form (the payload in a form body after N bytes of padding), shape (request
shapes a decoder may not expect: odd chunk lines, the absolute form, ...),
shape2 (request and header lines llhttp refuses: methods, versions,
blanks, schemes, HTTP/0.9, header names nginx drops)."""
import json
import socket
import ssl
import sys
import time

SQLI_Q = "id=1%27%20OR%201%3D1--"
SQLI_RAW = "1' OR 1=1--"
PORT = int(sys.argv[1])
ARGS = sys.argv[2:]
TLS = None
if ARGS and ARGS[0] == "--tls":  # the same over TLS (a test certificate)
    ARGS = ARGS[1:]
    TLS = ssl.create_default_context()
    TLS.check_hostname = False
    TLS.verify_mode = ssl.CERT_NONE


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return TLS.wrap_socket(s) if TLS else s


def responses(s, want, secs=5.0):
    """Read until `want` responses' status lines arrived (bounded)."""
    s.settimeout(secs)
    buf = b""
    end = time.time() + secs
    while buf.count(b"HTTP/1.1 ") < want and time.time() < end:
        try:
            d = s.recv(65536)
        except OSError:
            break
        if not d:
            break
        buf += d
    out = []
    for part in buf.split(b"HTTP/1.1 ")[1:]:
        try:
            out.append(int(part[:3]))
        except ValueError:
            pass
    return out


def report(case, path, status):
    print(json.dumps({"case": case, "path": path, "status": status}), flush=True)


def get(path, extra=b""):
    return (b"GET " + path.encode() + b"?" + SQLI_Q.encode() +
            b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")


def one(case, prefix=b"", writes=(), extra=b""):
    """prefix in one write with the request, or `writes` sent one by one
    before it (10 ms apart, so the server reads each on its own)."""
    path = "/api/users/" + case
    s = connect()
    for w in writes:
        s.sendall(w)
        time.sleep(0.01)
    s.sendall(prefix + get(path, extra + b"Connection: close\r\n"))
    st = responses(s, 1)
    s.close()
    report(case, path, st[0] if st else 0)


def crlf():
    for n in (1, 2, 3, 8, 64, 500, 2000):
        one("crlf%d" % n, prefix=b"\r\n" * n)
    one("lf3", prefix=b"\n\n\n")
    one("crlf_own_write", writes=[b"\r\n"])
    one("crlf_70_writes", writes=[b"\r\n"] * 70)


def pipelined(case, first):
    """`first` (a request the server serves despite odd syntax), then a
    second request with the payload in the same write."""
    p1 = "/api/users/%s_first" % case
    p2 = "/api/users/%s" % case
    s = connect()
    s.sendall(first.replace(b"@PATH@", p1.encode()) +
              get(p2, b"Connection: close\r\n"))
    st = responses(s, 2)
    s.close()
    report(case + "_first", p1, st[0] if st else 0)
    report(case, p2, st[1] if len(st) > 1 else 0)


def lenient():
    base = b"GET @PATH@?" + SQLI_Q.encode() + b" HTTP/1.1\r\nHost: x\r\n"
    pipelined("obs_fold", base + b"X-Fold: a\r\n folded\r\n\r\n")
    pipelined("bare_lf", b"GET @PATH@?" + SQLI_Q.encode() + b" HTTP/1.1\nHost: x\nX-A: b\n\n")
    pipelined("space_before_colon", base + b"X-Evil : v\r\n\r\n")
    pipelined("ctl_in_value", base + b"X-Ctl: a\x01b\x7fc\r\n\r\n")
    pipelined("tab_in_value", base + b"X-Tab: a\tb\r\n\r\n")
    pipelined("space_in_name", base + b"X Evil: v\r\n\r\n")
    pipelined("8bit_in_value", base + b"X-8: caf\xc3\xa9\xff\r\n\r\n")
    pipelined("lf_after_headers", base + b"X-A: b\r\n\n")


def hdrcount():
    for n in (10, 60, 100):
        hdrs = b"".join(b"X-Pad-%d: value-%d\r\n" % (i, i) for i in range(n))
        path = "/api/users/hdr%d" % n
        s = connect()
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + hdrs +
                  b"User-Agent: " + SQLI_RAW.encode() +
                  b"\r\nConnection: close\r\n\r\n")
        st = responses(s, 1)
        s.close()
        report("hdr%d" % n, path, st[0] if st else 0)


def hdrsize():
    """headers as long as nginx takes (large_client_header_buffers 4 8k:
    a line up to 8 KiB, the head up to 32 KiB) before the payload header"""
    for n, size in ((1, 7000), (3, 7000)):
        hdrs = b"".join(b"X-Big-%d: " % i + b"b" * size + b"\r\n" for i in range(n))
        path = "/api/users/hdrbig%dx%d" % (n, size)
        s = connect()
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + hdrs +
                  b"Referer: " + SQLI_RAW.encode() + b"\r\nConnection: close\r\n\r\n")
        st = responses(s, 1)
        s.close()
        report("hdrbig%dx%d" % (n, size), path, st[0] if st else 0)


def depth():
    """the payload in the last of 2, 3, 8, 66 and 130 pipelined requests
    (past the 64 a decoder may hold awaiting their answers)"""
    for n in (2, 3, 8, 66, 130):
        s = connect()
        reqs = b"".join(b"GET /api/users/plain HTTP/1.1\r\nHost: x\r\n\r\n" for _ in range(n - 1))
        path = "/api/users/depth%d" % n
        s.sendall(reqs + get(path, b"Connection: close\r\n"))
        st = responses(s, n)
        s.close()
        report("depth%d" % n, path, st[n - 1] if len(st) >= n else 0)


def form():
    for pad in (100, 6000, 65536, 1000000):  # nginx: client_max_body_size 1m
        body = b"pad=" + b"a" * pad + b"&id=" + SQLI_Q.split("=", 1)[1].encode()
        path = "/api/users/form%d" % pad
        s = connect()
        s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        st = responses(s, 1, secs=10.0)
        s.close()
        report("form%d" % pad, path, st[0] if st else 0)


def raw(case, data, secs=5.0, want=1):
    """one connection, `data` as one write; reports the want-th answer
    (the case's request is the last of the write)"""
    path = "/api/users/" + case
    s = connect()
    s.sendall(data.replace(b"@PATH@", path.encode()))
    st = responses(s, want, secs)
    s.close()
    report(case, path, st[want - 1] if len(st) >= want else 0)


def chunks(body, sizes):
    out, i = b"", 0
    for n in sizes:
        out += b"%x\r\n" % len(body[i:i + n]) + body[i:i + n] + b"\r\n"
        i += n
    return out + b"%x\r\n" % len(body[i:]) + body[i:] + b"\r\n0\r\n\r\n" if body[i:] else out + b"0\r\n\r\n"


def shape():
    """request shapes nginx serves that a decoder may not expect: a
    chunked form body cut inside the payload; chunk lines with extensions
    after a valued one, blanks after the size, bytes no grammar allows in
    an extension, bare LF endings, leading zeros; the absolute form of the
    target; HTTP/1.0 without Host; a body with no Content-Type or an
    upper-case one; a repeated parameter; Expect: 100-continue"""
    form = b"id=" + SQLI_Q.split("=", 1)[1].encode()
    ct = b"Content-Type: application/x-www-form-urlencoded\r\n"
    post = b"POST @PATH@ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    raw("chunked_cut", post + ct + b"Transfer-Encoding: chunked\r\n\r\n" + chunks(form, (5, 3, 4)))
    te = post + ct + b"Transfer-Encoding: chunked\r\n\r\n"
    # chunk lines llhttp 8 refuses and nginx serves (h1_chunk.h)
    raw("chunk_ext", te + b"%x;a=b;c=\"d\"\r\n" % len(form) + form + b"\r\n0;z=1\r\n\r\n")
    raw("chunk_blank", te + b"%x \t;a=b\r\n" % len(form) + form + b"\r\n0 \r\n\r\n")
    raw("chunk_junk", te + b"%x;a=b c @#$\x01\xff\r\n" % len(form) + form + b"\r\n0\r\n\r\n")
    raw("chunk_lf", te + b"%x\n" % len(form) + form + b"\n0\n\r\n")
    raw("chunk_zeros", te + b"00000000000000000000%x\r\n" % len(form) + form + b"\r\n0\r\n\r\n")
    raw("absolute_form", b"GET http://x@PATH@?" + SQLI_Q.encode() +
        b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw("http10", b"GET @PATH@?" + SQLI_Q.encode() + b" HTTP/1.0\r\n\r\n")
    raw("no_ctype", post + b"Content-Length: %d\r\n\r\n" % len(form) + form)
    raw("ctype_upper", post + b"content-type: APPLICATION/X-WWW-FORM-URLENCODED; Charset=UTF-8\r\n"
        b"content-length: %d\r\n\r\n" % len(form) + form)
    raw("repeated", b"GET @PATH@?id=1&id=2&" + SQLI_Q.encode() +
        b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    path = "/api/users/expect"
    s = connect()
    s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ct +
              b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(form))
    time.sleep(0.2)
    s.sendall(form)
    st = [c for c in responses(s, 2) if c != 100]
    s.close()
    report("expect", path, st[0] if st else 0)


def http09(case):
    """HTTP/0.9: the line alone; nginx answers with the body only (no
    status line), which counts as served (200) when it is the location's"""
    path = "/api/users/" + case
    s = connect()
    s.sendall(b"GET " + path.encode() + b"?" + SQLI_Q.encode() + b"\r\n")
    s.settimeout(5.0)
    buf, end = b"", time.time() + 5.0
    while time.time() < end:
        try:
            d = s.recv(65536)
        except OSError:
            break
        if not d:
            break
        buf += d
    s.close()
    report(case, path, 200 if buf.startswith(b'{"id":1') else 0)


def shape2():
    """request lines and header lines llhttp 8 refuses and nginx serves:
    a method outside llhttp's table (any [A-Z_-]+, long), versions
    HTTP/1.2, 1.01 and 1.999, blanks around the target and after the
    version, an absolute-form scheme with digits and signs, HTTP/0.9; a
    header line without a colon and header names with bytes outside a
    token (nginx drops the header) before the body"""
    tail = b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    q = b"@PATH@?" + SQLI_Q.encode()
    # a method of its own after a first request the kernel knows: a
    # connection that opens with one is not copied yet (README)
    first = b"GET /api/users/plain HTTP/1.1\r\nHost: x\r\n\r\n"
    raw("method_custom", first + b"FOO " + q + tail, want=2)
    raw("method_signs", first + b"FOO_BAR-X " + q + tail, want=2)
    raw("method_long", first + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFGHIJKLMNOPQRSTUVWXYZ " + q + tail, want=2)
    raw("version_12", b"GET " + q + b" HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw("version_1999", b"GET " + q + b" HTTP/1.999\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw("line_blanks", b"GET  " + q + b"   HTTP/1.1   \r\nHost: x\r\nConnection: close\r\n\r\n")
    raw("scheme_signs", b"GET h2+x.y-z://x" + q + tail)
    http09("http09")
    form = b"id=" + SQLI_Q.split("=", 1)[1].encode()
    post = b"POST @PATH@ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    ct = b"Content-Type: application/x-www-form-urlencoded\r\n"
    cl = b"Content-Length: %d\r\n\r\n" % len(form) + form
    raw("version_101_body", b"POST @PATH@ HTTP/1.01\r\nHost: x\r\nConnection: close\r\n" + ct + cl)
    raw("method_custom_body", first + b"FOO @PATH@ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ct + cl,
        want=2)
    raw("hdr_nocolon", post + b"XYZ\r\n" + ct + cl)
    raw("hdr_name_8bit", post + b"X\xffY: a\r\n" + ct + cl)
    raw("hdr_name_signs", post + b"id=1'\"@/: a\r\n" + ct + cl)


GROUPS = {"crlf": crlf, "lenient": lenient, "hdrcount": hdrcount, "hdrsize": hdrsize,
          "depth": depth, "form": form, "shape": shape, "shape2": shape2}
for g in ARGS:
    GROUPS[g]()
