"""The lab's scenarios and timings, in one place.

The durations keep `npm run lab` under 30 minutes: a 10 s heartbeat threshold (RabbitMQ closes a connection after
about two missed 10 s heartbeat intervals), idle periods of 45 s (more than four thresholds), and a 20 s
rpc_response_timeout instead of nova's 60 s so a starved reply shows up as a MessagingTimeout quickly.
"""
import os
from dataclasses import dataclass, field

THRESHOLD = 10            # [oslo_messaging_rabbit] heartbeat_timeout_threshold of the "heartbeat on" scenarios
IDLE_SECONDS = int(os.environ.get('LAB_IDLE_SECONDS', 45))        # each idle period, > 2 x THRESHOLD so the broker gives up on a silent client
RPC_RESPONSE_TIMEOUT = 20  # [DEFAULT] rpc_response_timeout
BURST_REQUESTS = 8        # requests after each idle period, besides the first one ...
BURST_CONCURRENCY = 4     # ... sent 4 at a time, so a 4-thread server uses several threads
ROUNDS = 2                # idle-then-requests rounds per WSGI scenario
DROP_WATCH_SECONDS = int(os.environ.get('LAB_DROP_WATCH_SECONDS', 200)) # how long the netns scenarios wait for the client to notice the dropped path
BROKER_DOWN_SECONDS = 10  # broker-restart scenario: time between stop_app and start_app


@dataclass
class Wsgi:
    """An eventlet-patched nova-like API under mod_wsgi daemon mode or uWSGI, one process, `threads` threads."""
    id: str
    server: str           # 'mod_wsgi' | 'uwsgi'
    threads: int
    pthread: bool         # heartbeat_in_pthread
    threshold: int        # heartbeat_timeout_threshold (0: heartbeats off)
    enable_threads: bool = False  # uWSGI enable-threads (threads > 1 implies it)
    restart_broker: bool = False  # fault: the broker is restarted during the first idle period
    pre_14_3: bool = False  # emulate oslo.messaging < 14.3.0's heartbeat_in_pthread (reply waiter stays green)
    kind: str = field(default='wsgi', init=False)


@dataclass
class Service:
    """A standalone eventlet RPC server (nova-conductor / nova-compute shaped), called by a plain client."""
    id: str
    pthread: bool
    threshold: int
    restart_broker: bool = False
    kind: str = field(default='service', init=False)


@dataclass
class Drop:
    """An eventlet RPC server in the lab's network namespace whose path to the broker silently drops packets."""
    id: str
    threshold: int
    kind: str = field(default='drop', init=False)


def wsgi_matrix():
    out = []
    for server in ('mod_wsgi', 'uwsgi'):
        for threads in (1, 4):
            for pthread, threshold in ((False, THRESHOLD), (True, THRESHOLD), (False, 0)):
                tag = f"{'pthread' if pthread else 'green'}-hb{threshold}" if threshold else 'hb0'
                out.append(Wsgi(f'{server}-t{threads}-{tag}', server, threads, pthread, threshold))
    # uWSGI only runs application threads when the GIL is set up: threads > 1 or enable-threads (R05).
    out.append(Wsgi('uwsgi-t1-enable-threads-pthread-hb10', 'uwsgi', 1, True, THRESHOLD, enable_threads=True))
    out.append(Wsgi('mod_wsgi-t4-pthread-pre14.3-hb10', 'mod_wsgi', 4, True, THRESHOLD, pre_14_3=True))
    return out


# Scenarios of one batch run side by side (their own ports, topics, processes); batches run one after the other.
BATCHES = [
    [s for s in wsgi_matrix() if s.server == 'mod_wsgi']
    + [Service('service-green-hb10', False, THRESHOLD), Service('service-pthread-hb10', True, THRESHOLD)],
    [s for s in wsgi_matrix() if s.server == 'uwsgi']
    + [Drop('drop-hb10', THRESHOLD), Drop('drop-hb0', 0)],
    # Alone: restarting the broker closes every connection on it.
    [Wsgi('restart-mod_wsgi-t1-green-hb10', 'mod_wsgi', 1, False, THRESHOLD, restart_broker=True),
     Wsgi('restart-mod_wsgi-t1-hb0', 'mod_wsgi', 1, False, 0, restart_broker=True),
     Wsgi('restart-uwsgi-t1-enable-threads-pthread-hb10', 'uwsgi', 1, True, THRESHOLD, enable_threads=True,
          restart_broker=True),
     # The reconnect path of a non-WSGI eventlet service runs in the heartbeat thread: native with the option.
     Service('restart-service-green-hb10', False, THRESHOLD, restart_broker=True),
     Service('restart-service-pthread-hb10', True, THRESHOLD, restart_broker=True)],
]
