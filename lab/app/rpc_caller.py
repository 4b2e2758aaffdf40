"""Calls a lab RPC server N times and prints one JSON summary line: the client side of the non-WSGI scenarios.

A fresh, plain-threaded process per round (no eventlet): whatever goes wrong is then the server's doing, not the
caller's. Usage: rpc_caller.py CALLS CONCURRENCY (config and topic from $LAB_CONFIG / $LAB_TOPIC, log to $LAB_LOG).
"""
import concurrent.futures
import json
import os
import sys
import time

import oslo_messaging

import lab_config


def main():
    calls, concurrency = int(sys.argv[1]), int(sys.argv[2])
    _, transport = lab_config.load('rpc-caller')
    client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic=os.environ['LAB_TOPIC']))

    def one(i):
        started = time.monotonic()
        try:
            client.call({}, 'echo', payload=i)
            outcome = 'ok'
        except oslo_messaging.MessagingTimeout:
            outcome = 'timeout'
        except Exception as exc:  # noqa: BLE001 - every failure is a measurement
            outcome = type(exc).__name__
        return {'outcome': outcome, 'seconds': round(time.monotonic() - started, 3)}

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(calls)))
    print(json.dumps(results), flush=True)
    transport.cleanup()


if __name__ == '__main__':
    main()
