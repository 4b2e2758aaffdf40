"""The RabbitMQ side: the lab's vhost, stopping/starting the broker, and what its log says per client process.

The broker log names every connection by its Erlang pid and, since oslo.messaging sends a client-provided name
"<argv0>:<os pid>:<uuid>", by the client's process id too. That is how a close is attributed to a scenario's
process although all scenarios share one vhost.
"""
import datetime
import glob
import re
import socket
import subprocess
import time

VHOST = 'heartbeat-lab'
LOG_GLOB = '/var/log/rabbitmq/rabbit@*.log'

NAMED = re.compile(r'^(\S+ \S+) \[\w+\] <[\d.]+> connection (<[\d.]+>) .* has a client-provided name: ([^:\s]+):(\d+):')
CLOSING = re.compile(r'^(\S+ \S+) \[\w+\] <[\d.]+> closing AMQP connection (<[\d.]+>) .*:$')
REASON = re.compile(r'^\S+ \S+ \[\w+\] (<[\d.]+>) (.*)$')


def ctl(*args, check=True):
    return subprocess.run(['rabbitmqctl', *args], capture_output=True, text=True, check=check, timeout=120)


def accepts_connections(host='127.0.0.1', port=5672):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def wait_until_up(timeout=120):
    """Waits until the broker's app runs and its AMQP port accepts connections again."""
    deadline = time.monotonic() + timeout
    ctl('await_startup', '--timeout', str(timeout), check=False)
    while not accepts_connections():
        if time.monotonic() > deadline:
            raise RuntimeError('RabbitMQ did not come back on 127.0.0.1:5672')
        time.sleep(1)


def create_vhost():
    ctl('delete_vhost', VHOST, check=False)
    ctl('add_vhost', VHOST)
    ctl('set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*')


def delete_vhost():
    ctl('delete_vhost', VHOST, check=False)


def log_files():
    return sorted(f for f in glob.glob(LOG_GLOB) if 'upgrade' not in f)


def log_offsets():
    """Current size of each broker log: the lab only reads what was written after this point."""
    out = {}
    for f in log_files():
        with open(f, 'rb') as fh:
            fh.seek(0, 2)
            out[f] = fh.tell()
    return out


def log_since(offsets):
    lines = []
    for f in log_files():
        with open(f, 'rb') as fh:
            fh.seek(offsets.get(f, 0))
            lines += fh.read().decode('utf-8', 'replace').splitlines()
    return lines


def closes_by_client_pid(lines):
    """{client os pid: {'connections': n, 'closes': [(timestamp, reason), ...]}} from the broker log lines."""
    conn_pid, out = {}, {}
    pending = {}
    for line in lines:
        m = NAMED.match(line)
        if m:
            conn_pid[m.group(2)] = int(m.group(4))
            out.setdefault(int(m.group(4)), {'connections': 0, 'closes': []})['connections'] += 1
            continue
        m = CLOSING.match(line)
        if m:
            # An abnormal close is logged as two lines: "closing AMQP connection <pid> (...):" then the reason.
            pending[m.group(2)] = m.group(1)
            continue
        m = REASON.match(line)
        if m and m.group(1) in pending:
            when = pending.pop(m.group(1))
            pid = conn_pid.get(m.group(1))
            if pid is not None:
                out[pid]['closes'].append((when, m.group(2).strip()))
    return out


def epoch(broker_timestamp):
    return datetime.datetime.fromisoformat(broker_timestamp).timestamp()


def summarize(closes, pids, until):
    """Broker-side figures for the client processes `pids` of one scenario, up to `until` (epoch): the closes
    caused by the lab stopping the scenario's processes afterwards are not the scenario's."""
    conns = [closes[p] for p in pids if p in closes]
    reasons = [r for c in conns for t, r in c['closes'] if epoch(t) < until]
    return {
        'connectionsOpened': sum(c['connections'] for c in conns),
        'missedHeartbeatCloses': sum('missed heartbeats' in r for r in reasons),
        'otherAbnormalCloses': sum('missed heartbeats' not in r for r in reasons),
        'closeReasons': sorted(set(reasons)),
    }
