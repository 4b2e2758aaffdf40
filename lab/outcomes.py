"""One plain sentence per scenario from its figures, stored in results.json as `outcome` (RESULTS.md and the rule
pages show it). Computed, never written by hand, so it cannot disagree with the numbers."""


def _calls(t):
    if t['ok'] == t['calls']:
        return f"all {t['calls']} answered"
    parts = []
    if t['timeouts']:
        parts.append(f"{t['timeouts']} timed out (MessagingTimeout)")
    if t['errors']:
        parts.append(f"{t['errors']} failed ({', '.join(t['errorKinds'])})")
    return f"{' and '.join(parts)} of {t['calls']}"


def outcome(r):
    if r['kind'] == 'wsgi':
        b = r['broker']['api']
        hb = (f"broker closed {b['missedHeartbeatCloses']} API connections for missed heartbeats"
              if b['missedHeartbeatCloses'] else 'no missed heartbeats')
        first = ' / '.join(f'{x:.2f}' for x in r['afterIdle']['firstRequestSeconds'])
        return (f"requests after idle: {_calls(r['afterIdle'])}; first request after each idle period {first} s; "
                f"{hb}; {r['client']['reconnects']} reconnects")
    if r['kind'] == 'service':
        total = {k: sum(x['calls'][k] for x in r['rounds'][1:]) for k in ('calls', 'ok', 'timeouts', 'errors')}
        total['errorKinds'] = sorted({k for x in r['rounds'][1:] for k in x['calls']['errorKinds']})
        b = r['broker']['server']
        return (f"calls after idle: {_calls(total)}; broker closed {b['missedHeartbeatCloses']} connections for "
                f"missed heartbeats; {r['client']['reconnects']} reconnects")
    if r['kind'] == 'drop':
        if r['noticedAfterSeconds'] is None:
            return f"client did not notice the dead path within {r['watchSeconds']} s"
        broker = r.get('brokerClosedAfterSeconds')
        closed = (f"the broker closed its side after {broker} s" if broker is not None
                  else 'the broker never closed its side')
        return f"client noticed the dead path after {r['noticedAfterSeconds']} s; {closed}"
    if r['kind'] == 'mpm':
        return '; '.join(r['httpdWarnings']) or 'httpd starts without a sizing warning'
    return ''
