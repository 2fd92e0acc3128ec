#!/usr/bin/python3
"""grpc_peer.py server PORT | client PORT

A gRPC server and client from Debian's python3-grpcio, with raw-bytes
methods (no generated code): service demo.Echo with Unary, ServerStream,
ClientStream, Bidi and Fail (always NOT_FOUND). The client makes a fixed
set of calls and prints one JSON line per call with what the collector
must report."""
import json
import sys
import time
from concurrent import futures

import grpc

SERVICE = "demo.Echo"


def unary(req, ctx):
    return b"re:" + req


def server_stream(req, ctx):
    for i in range(5):
        yield b"part-%d:" % i + req


def client_stream(it, ctx):
    return b"|".join(it)


def bidi(it, ctx):
    for m in it:
        yield b"echo:" + m


def fail(req, ctx):
    ctx.abort(grpc.StatusCode.NOT_FOUND, "no such user")


def serve(port):
    srv = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream),
        "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream),
        "Bidi": grpc.stream_stream_rpc_method_handler(bidi),
        "Fail": grpc.unary_unary_rpc_method_handler(fail),
    }
    srv.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    srv.add_insecure_port("127.0.0.1:%d" % port)
    srv.start()
    print("serving", flush=True)
    srv.wait_for_termination(timeout=300)


def client(port):
    ch = grpc.insecure_channel("127.0.0.1:%d" % port)
    grpc.channel_ready_future(ch).result(timeout=10)

    def out(rpc, status, req_msgs, resp_msgs):
        print(json.dumps({"proto": "grpc", "service": SERVICE, "rpc": rpc,
                          "grpc_status": status, "req_msgs": req_msgs,
                          "resp_msgs": resp_msgs}), flush=True)

    u = ch.unary_unary("/%s/Unary" % SERVICE)
    for i in range(5):
        assert u(b"hello-%d" % i, timeout=5).startswith(b"re:")
        out("Unary", 0, 1, 1)
    ss = ch.unary_stream("/%s/ServerStream" % SERVICE)
    assert len(list(ss(b"x" * 100, timeout=5))) == 5
    out("ServerStream", 0, 1, 5)
    cs = ch.stream_unary("/%s/ClientStream" % SERVICE)
    assert cs(iter([b"a", b"b" * 70000, b"c", b"d"]), timeout=5)
    out("ClientStream", 0, 4, 1)
    bd = ch.stream_stream("/%s/Bidi" % SERVICE)
    assert len(list(bd(iter([b"1", b"2", b"3"]), timeout=5))) == 3
    out("Bidi", 0, 3, 3)
    f = ch.unary_unary("/%s/Fail" % SERVICE)
    try:
        f(b"user-42", timeout=5)
        raise SystemExit("Fail did not fail")
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND
    out("Fail", 5, 1, 0)
    ch.close()


if __name__ == "__main__":
    {"server": serve, "client": client}[sys.argv[1]](int(sys.argv[2]))
