"""A WSGI application shaped like nova-api from Stein to 2025.2, for mod_wsgi and uWSGI.

What matters for bug 1829062 is reproduced, nothing else:
- eventlet.monkey_patch() runs at import, before oslo.messaging is imported (nova/monkey_patch.py does this
  unless OS_NOVA_DISABLE_EVENTLET_PATCHING is set);
- the module builds an oslo.messaging RPC client at import, as nova's init_application -> rpc.init does, so the
  heartbeat and reply-waiter (green)threads belong to whichever thread first uses the connection;
- a request makes one RPC call to the lab's RPC server and answers with what happened.
"""
import eventlet

eventlet.monkey_patch()

import json  # noqa: E402  (after monkey-patching, as in nova)
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import oslo_messaging  # noqa: E402

import lab_config  # noqa: E402

if os.environ.get('LAB_PRE_14_3_PTHREAD'):
    # Emulates oslo.messaging before 14.3.0 (fd2381c7, bug 2009138), whose heartbeat_in_pthread swapped only
    # impl_rabbit's threading module: the reply waiter stays a greenthread. Debian's 14.0.3-0+deb12u1 has the fix.
    from oslo_messaging._drivers import amqpdriver, impl_rabbit
    _green_threading, _green_queue, _init = amqpdriver.threading, amqpdriver.queue, impl_rabbit.Connection.__init__

    def _init_without_amqpdriver_swap(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        amqpdriver.threading, amqpdriver.queue = _green_threading, _green_queue

    impl_rabbit.Connection.__init__ = _init_without_amqpdriver_swap

CONF, TRANSPORT = lab_config.load('api')
# The topic is per scenario ($LAB_TOPIC), so scenarios running side by side on one vhost never answer each other.
# No timeout argument: the client takes [DEFAULT] rpc_response_timeout from the config file, as nova's does.
CLIENT = oslo_messaging.RPCClient(TRANSPORT, oslo_messaging.Target(topic=os.environ['LAB_TOPIC']))


def application(environ, start_response):
    started = time.monotonic()
    body = {'thread': threading.get_ident()}
    try:
        body['reply'] = CLIENT.call({}, 'echo', payload=environ.get('PATH_INFO', '/'))
        status = '200 OK'
    except oslo_messaging.MessagingTimeout as exc:
        # nova turns this into a 500 after rpc_response_timeout: "Timed out waiting for a reply".
        status, body['error'] = '504 Gateway Timeout', f'MessagingTimeout: {exc}'
    except Exception as exc:  # noqa: BLE001 - the lab records every failure, whatever it is
        status, body['error'] = '500 Internal Server Error', f'{type(exc).__name__}: {exc}'
    body['rpc_seconds'] = round(time.monotonic() - started, 3)
    data = json.dumps(body).encode()
    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(data)))])
    return [data]
