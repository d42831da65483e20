#!/usr/bin/env python3
"""Interop peer on Python `websockets` (Debian's python3-websockets).

  python_peer.py server [--no-deflate]      echo server; prints "listening on ws://127.0.0.1:PORT/" first
  python_peer.py client URL [--no-deflate]  sends text and binary messages, checks each echo, closes 1000;
                                            exit 0 and "ok" when all matched, else 1 with one line on stderr
      [--fragmented]                        also a text message sent as three frames, and the server's
                                            close must carry 1000
"""
import asyncio
import sys

import websockets

MAX = 32 * 1024 * 1024


def compression(args):
    return None if "--no-deflate" in args else "deflate"


async def serve(args):
    async def echo(ws, *_):
        async for message in ws:
            await ws.send(message)

    async with websockets.serve(echo, "127.0.0.1", 0, compression=compression(args), max_size=MAX) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening on ws://127.0.0.1:{port}/", flush=True)
        await asyncio.Future()


def messages():
    yield "hello"
    yield "é" * 1000
    yield bytes(range(256)) * 300
    yield "x" * (1 << 20)
    yield b""


async def client(args):
    url = args[0]
    async with websockets.connect(url, compression=compression(args), max_size=MAX) as ws:
        for message in messages():
            await ws.send(message)
            echo = await ws.recv()
            if echo != message:
                print(f"echo mismatch for a {type(message).__name__} of {len(message)}", file=sys.stderr)
                return 1
        if "--fragmented" in args:
            await ws.send(["frag", "ment", "ed"])
            if await ws.recv() != "fragmented":
                print("echo mismatch for the fragmented message", file=sys.stderr)
                return 1
        await ws.ping(b"interop")
        await ws.close(1000, "done")
        if "--fragmented" in args and ws.close_code != 1000:
            print(f"the server closed with {ws.close_code}, not 1000", file=sys.stderr)
            return 1
    print("ok", flush=True)
    return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("server", "client"):
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "server":
        asyncio.run(serve(sys.argv[2:]))
        return 0
    return asyncio.run(client(sys.argv[2:]))


if __name__ == "__main__":
    sys.exit(main())
