#!/usr/bin/python3
"""tls_grpc.py server PORT CERT KEY | client PORT CERT

grpc_peer.py's service and calls over TLS (python3-grpcio's credentials).
The client prints grpc_peer.py's expected JSON lines. grpc core runs
OpenSSL on memory BIOs (a BIO pair): its SSL calls never touch the socket,
which is what tls.sh checks the collector copes with."""
import sys

import grpc

import grpc_peer
from concurrent import futures


def serve(port, cert, key):
    with open(cert, "rb") as f:
        crt = f.read()
    with open(key, "rb") as f:
        k = f.read()
    srv = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(grpc_peer.unary),
        "ServerStream": grpc.unary_stream_rpc_method_handler(grpc_peer.server_stream),
        "ClientStream": grpc.stream_unary_rpc_method_handler(grpc_peer.client_stream),
        "Bidi": grpc.stream_stream_rpc_method_handler(grpc_peer.bidi),
        "Fail": grpc.unary_unary_rpc_method_handler(grpc_peer.fail),
    }
    srv.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(grpc_peer.SERVICE, handlers),))
    srv.add_secure_port("127.0.0.1:%d" % port,
                        grpc.ssl_server_credentials([(k, crt)]))
    srv.start()
    print("serving", flush=True)
    srv.wait_for_termination(timeout=300)


def client(port, cert):
    with open(cert, "rb") as f:
        creds = grpc.ssl_channel_credentials(root_certificates=f.read())
    # grpc_peer.client opens its channel with grpc.insecure_channel: hand
    # it a TLS channel instead, so the calls and their expectations stay
    # defined in one place.
    grpc.insecure_channel = lambda target: grpc.secure_channel(
        target, creds, options=(("grpc.ssl_target_name_override", "localhost"),))
    grpc_peer.client(port)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        client(int(sys.argv[2]), sys.argv[3])
