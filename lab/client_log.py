"""What a lab process's own log (oslo.messaging's messages) says: connection errors, reconnects, and its pids."""
import datetime
import re

LINE = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) (\d+) ')
# oslo.messaging 14.0 impl_rabbit messages, grouped by what they mean for the lab.
ERRORS = ('is unreachable', 'closed the connection', 'Connection failed', 'recoverable connection/channel error',
          'Unexpected error during heartbeat', 'Failed to consume message', 'Failed to publish message')
RECONNECTED = 'Reconnected to AMQP server'
GREENLET = 'cannot switch to a different thread'


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as fh:
            return fh.read().splitlines()
    except FileNotFoundError:
        return []


def timestamp(line):
    m = LINE.match(line)
    return datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp() if m else None


def pids(lines):
    return sorted({int(m.group(2)) for m in map(LINE.match, lines) if m})


def summarize(lines):
    return {
        'connectionErrors': sum(any(e in l for e in ERRORS) for l in lines if LINE.match(l)),
        'reconnects': sum(RECONNECTED in l for l in lines),
        'greenletThreadErrors': sum(GREENLET in l for l in lines),
    }


def first_after(lines, since, needles):
    """Seconds from `since` (epoch) to the first log line after it containing one of `needles`, else None."""
    for l in lines:
        t = timestamp(l)
        if t is not None and t >= since and any(n in l for n in needles):
            return round(t - since, 1)
    return None
