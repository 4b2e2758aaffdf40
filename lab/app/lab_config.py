"""oslo.config + logging set-up shared by the lab's Python processes (the WSGI app, the RPC server).

Each process reads one nova.conf-style file named by $LAB_CONFIG, written by the orchestrator per scenario:
[DEFAULT] transport_url / rpc_response_timeout and [oslo_messaging_rabbit] heartbeat_timeout_threshold /
heartbeat_in_pthread, exactly the options the rules talk about. Logs go to $LAB_LOG with wall-clock timestamps so
the orchestrator can line them up with the broker's log.
"""
import logging
import os
import time

from oslo_config import cfg
import oslo_messaging


def load(role):
    """Returns (conf, transport) for a process of the given role ('api' or 'rpc-server')."""
    logging.Formatter.converter = time.gmtime  # UTC, like the broker's log
    logging.basicConfig(
        filename=os.environ['LAB_LOG'],
        level=logging.INFO,
        format='%(asctime)s.%(msecs)03d %(process)d %(threadName)s %(levelname)s %(name)s %(message)s',
        datefmt='%Y-%m-%dT%H:%M:%S',
    )
    # The global CONF, as nova uses: oslo.messaging registers some options (metrics) only there.
    conf = cfg.CONF
    conf(args=[], project='lab', default_config_files=[os.environ['LAB_CONFIG']])
    # get_rpc_transport registers [oslo_messaging_rabbit] and [DEFAULT] rpc options, as nova's rpc.init does.
    transport = oslo_messaging.get_rpc_transport(conf)
    logging.getLogger('lab').info('%s started: heartbeat_timeout_threshold=%s heartbeat_in_pthread=%s',
                                  role, conf.oslo_messaging_rabbit.heartbeat_timeout_threshold,
                                  conf.oslo_messaging_rabbit.heartbeat_in_pthread)
    return conf, transport
