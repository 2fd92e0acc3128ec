#!/usr/bin/python3
"""ws_peer.py server PORT [ADDR] | client PORT

A WebSocket echo server and a client from Debian's python3-websockets
(compression off, so payload sizes on the wire are the message sizes).
The client sends text and binary messages of many sizes, a ping, a
fragmented message and closes with code 4001; it prints one JSON line
with the totals the collector's close event must show."""
import asyncio
import json
import sys

import websockets

SIZES_TEXT = [0, 5, 125, 126, 65535, 65536, 1 << 20]
SIZES_BIN = [1, 200, 70000]


async def echo(ws, path=None):
    try:
        async for m in ws:
            await ws.send(m)
    except websockets.ConnectionClosed:
        pass


async def serve(port, addr="127.0.0.1"):
    async with websockets.serve(echo, addr, port, compression=None,
                                max_size=None, ping_interval=None):
        print("serving", flush=True)
        await asyncio.sleep(300)


async def client(port):
    url = "ws://127.0.0.1:%d/chat?room=1" % port
    async with websockets.connect(url, compression=None, max_size=None,
                                  ping_interval=None,
                                  origin="http://127.0.0.1:%d" % port) as ws:
        msgs = 0
        nbytes = 0
        for n in SIZES_TEXT:
            await ws.send("x" * n)
            assert len(await ws.recv()) == n
            msgs += 1
            nbytes += n
        for n in SIZES_BIN:
            await ws.send(bytes(n))
            assert len(await ws.recv()) == n
            msgs += 1
            nbytes += n
        pong = await ws.ping(b"are-you-there")
        await asyncio.wait_for(pong, 5)
        # one message in three fragments
        await ws.send(iter(["frag-one ", "frag-two ", "frag-three"]))
        assert await ws.recv() == "frag-one frag-two frag-three"
        msgs += 1
        nbytes += len("frag-one frag-two frag-three")
        await ws.close(code=4001, reason="bye")
    print(json.dumps({"proto": "websocket", "phase": "close", "path": "/chat",
                      "client_msgs": msgs, "server_msgs": msgs,
                      "client_bytes": nbytes, "server_bytes": nbytes,
                      "close_code": 4001}), flush=True)


if __name__ == "__main__":
    fn = {"server": serve, "client": client}[sys.argv[1]]
    asyncio.run(fn(int(sys.argv[2]), *sys.argv[3:4]))
