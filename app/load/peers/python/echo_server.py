"""The Python websockets peer: an echo server on 127.0.0.1 (port from argv, default any) that prints
"listening on ws://127.0.0.1:PORT/" first. No compression, no size limit, like the other peers."""
import asyncio
import signal
import sys

import websockets


async def echo(socket, path=None):
    async for message in socket:
        await socket.send(message)


async def main(port):
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with websockets.serve(echo, "127.0.0.1", port, compression=None, max_size=None) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"listening on ws://127.0.0.1:{bound}/", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
