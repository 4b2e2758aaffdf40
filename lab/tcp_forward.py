"""A plain TCP forwarder from the lab's veth address to the broker on 127.0.0.1:5672.

The broker listens on loopback only, so the client in the lab's network namespace reaches it through this process
in the host namespace. Dropping packets inside the namespace then cuts the client's path silently while this
forwarder's own connection to the broker stays up, as a stateful firewall in the middle would (bug 856764).
Usage: tcp_forward.py LISTEN_HOST LISTEN_PORT
"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    broker_reader, broker_writer = await asyncio.open_connection('127.0.0.1', 5672)
    await asyncio.gather(pipe(client_reader, broker_writer), pipe(broker_reader, client_writer))


async def main():
    server = await asyncio.start_server(handle, sys.argv[1], int(sys.argv[2]))
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
