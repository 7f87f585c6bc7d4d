"""Loopback target of the probing benchmark: answers every GET with 200 and
a homepage-sized body after a fixed delay (the simulated latency), on
127.0.0.1 and [::1] at the same port, for any Host. asyncio, so many probes
may wait at once without the target becoming the bottleneck.
Usage: target.py LATENCY_MS BODY_BYTES READY_FILE"""
import asyncio, socket, sys

latency = int(sys.argv[1]) / 1000.0
body = (b"<!doctype html><html><head><meta charset=utf-8><title>bench</title></head><body>"
        + b"x" * max(0, int(sys.argv[2]) - 100) + b"</body></html>")
ready = sys.argv[3]
head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")


async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line or line in (b"\r\n", b"\n"):
                break
        await asyncio.sleep(latency)
        writer.write(head + body)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    s4 = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = s4.sockets[0].getsockname()[1]
    s6 = await asyncio.start_server(handle, "::1", port, family=socket.AF_INET6, backlog=1024)
    with open(ready, "w") as f:
        f.write(str(port))
    async with s4, s6:
        await asyncio.gather(s4.serve_forever(), s6.serve_forever())


asyncio.run(main())
