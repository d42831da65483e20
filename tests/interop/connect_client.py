#!/usr/bin/env python3
"""A client for tests/app/tst_forward_proxy.cpp: websockets 10.4 has no proxy support, so this does the
CONNECT itself on a raw socket, then TLS and the WebSocket handshake on that socket.

connect_client.py websocket PROXY_PORT HOST PORT CA_FILE on|off   (permessage-deflate on or off)
connect_client.py plain PROXY_PORT HOST PORT CA_FILE              (a plain HTTP request inside the TLS)
connect_client.py ws PROXY_PORT HOST PORT - on|off                 (ws:// inside the tunnel, no TLS)

Prints one line per fact the test checks."""
import asyncio
import socket
import ssl
import sys

import websockets


def connect_through_proxy(proxy_port, host, port):
    s = socket.create_connection(("127.0.0.1", proxy_port))
    s.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)  # one byte at a time: nothing past the proxy's answer is taken
        if not chunk:
            break
        head += chunk
    print("connect-status", head.split(b"\r\n")[0].decode(), flush=True)
    return s


async def websocket(s, host, port, ctx, deflate):
    tls = {"ssl": ctx, "server_hostname": host} if ctx else {}
    scheme = "wss" if ctx else "ws"
    async with websockets.connect(f"{scheme}://{host}:{port}/deep/path?q=1", sock=s, **tls,
                                  compression="deflate" if deflate == "on" else None, max_size=None) as ws:
        if ctx:
            cert = ws.transport.get_extra_info("peercert")
            issuer = dict(x[0] for x in cert["issuer"])
            print("issuer", issuer.get("commonName"), flush=True)
        print("extensions", ws.response_headers.get("Sec-WebSocket-Extensions", "none"), flush=True)
        for message in ["hello", "x" * 70000, b"\x00\x01\x02" * 1000]:
            await ws.send(message)
            echo = await ws.recv()
            print("echo", "ok" if echo == message else "differs", len(echo), flush=True)
        await ws.close(1000, "done")
        print("close", ws.close_code, flush=True)


def plain(s, host, ctx):
    t = ctx.wrap_socket(s, server_hostname=host)
    t.sendall(f"GET /page HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    answer = b""
    while True:
        chunk = t.recv(4096)
        if not chunk:
            break
        answer += chunk
    print(answer.decode(), flush=True)


def main():
    mode, proxy_port, host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    s = connect_through_proxy(proxy_port, host, port)
    ctx = ssl.create_default_context(cafile=cafile) if mode != "ws" else None  # trusts this CA only
    if mode == "plain":
        plain(s, host, ctx)
    else:
        asyncio.run(websocket(s, host, port, ctx, sys.argv[6]))


main()
