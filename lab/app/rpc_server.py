"""The lab's RPC server: a standalone eventlet service (like nova-conductor or nova-compute) on topic 'lab'.

It answers the WSGI app's calls, and is itself the "non-WSGI eventlet service" of the heartbeat_in_pthread
scenarios (bug 1934937): monkey-patched, eventlet executor, heartbeats per its config file.
"""
import eventlet

eventlet.monkey_patch()

import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402

import oslo_messaging  # noqa: E402

import lab_config  # noqa: E402


class Endpoint:
    def echo(self, ctxt, payload):
        # A little green sleep, as a real conductor call would do I/O: it gives the hub a turn mid-call.
        eventlet.sleep(0.01)
        return {'payload': payload, 'server_pid': os.getpid()}


def main():
    conf, transport = lab_config.load('rpc-server')
    target = oslo_messaging.Target(topic=os.environ['LAB_TOPIC'], server=socket.gethostname())
    server = oslo_messaging.get_rpc_server(transport, target, [Endpoint()], executor='eventlet')
    server.start()
    logging.getLogger('lab').info('rpc-server consuming')

    def stop(*_):
        # Exit at once: a graceful server.stop() from a signal handler would switch greenlets inside the hub.
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        eventlet.sleep(1)


if __name__ == '__main__':
    main()
