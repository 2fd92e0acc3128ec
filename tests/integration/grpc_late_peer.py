#!/usr/bin/python3
"""tests/integration/grpc_late.sh's peer. server PORT | client PORT: client-streaming calls; message 1 is 4100
random bytes (sent plain: it does not shrink), message 2 an SQL injection,
on a gzip channel (Late) and on a plain one (LatePlain); LateZip: one
message on a gzip channel, 6000 bytes of form-like text then the SQL
injection (compressed it is kept whole; its text runs past the 4 KiB)."""
import json, os, random, sys
from concurrent import futures
import grpc
SERVICE = "demo.Search"
SQ = b"1' UNION SELECT username, password FROM users WHERE '1'='1"
def pb(text):
    filler = b"lang=en-GB page=1 " * 7
    return b"\x0a" + bytes([len(text)]) + text + b"\x12" + bytes([len(filler)]) + filler
# random bytes, the same each run: a bytes field's random bytes are not
# judged by their short runs (pbrun.h), but a window of them still is, as
# bytes that may be anything (~1 in 3 of the runs random bytes have):
# fixed, so that the verdicts below are the same each run
FIRST = b"\x1a\x84\x20" + random.Random(4100).randbytes(4100)
def pbv(text):
    """field 1, a string of 128..16383 bytes (two-byte length)"""
    n = len(text)
    return b"\x0a" + bytes([0x80 | (n & 0x7f), n >> 7]) + text
PAD = b"".join(b"item=%d&lang=en-GB&page=%d " % (i, i % 7) for i in range(260))[:6000]
CALLS = [("Late", grpc.Compression.Gzip), ("LatePlain", grpc.Compression.NoCompression)]
def answer(it, ctx):
    return b"ok:" + b",".join(b"%d" % len(m) for m in it)
def serve(port):
    srv = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    h = {m: grpc.stream_unary_rpc_method_handler(answer) for m, _ in CALLS + [("LateZip", None)]}
    srv.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, h),))
    srv.add_insecure_port("127.0.0.1:%d" % port); srv.start(); print("serving", flush=True)
    srv.wait_for_termination(timeout=120)
def client(port):
    for method, comp in CALLS:
        with grpc.insecure_channel("127.0.0.1:%d" % port, compression=comp) as ch:
            grpc.channel_ready_future(ch).result(timeout=10)
            got = ch.stream_unary("/%s/%s" % (SERVICE, method))(iter([FIRST, pb(SQ)]), timeout=5)
            print(json.dumps({"rpc": method, "got": got.decode()}), flush=True)
    with grpc.insecure_channel("127.0.0.1:%d" % port, compression=grpc.Compression.Gzip) as ch:
        grpc.channel_ready_future(ch).result(timeout=10)
        got = ch.stream_unary("/%s/LateZip" % SERVICE)(iter([pbv(PAD + b" " + SQ)]), timeout=5)
        print(json.dumps({"rpc": "LateZip", "got": got.decode()}), flush=True)
if __name__ == "__main__":
    {"server": serve, "client": client}[sys.argv[1]](int(sys.argv[2]))
