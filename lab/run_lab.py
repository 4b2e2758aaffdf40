"""Runs every scenario of scenarios.py and writes lab/results.json (then report.py writes RESULTS.md).

Started by run.sh, which owns the clean-up: every process started here is written to out/pids (each in its own
process group), so run.sh's trap can end exactly those even if this script is killed.
"""
import concurrent.futures
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import broker
import client_log
import outcomes
import scenarios as sc
import web_servers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'out')
PYTHON = '/usr/bin/python3'  # Debian's python3-oslo.messaging is installed for this interpreter only
NETNS_URL_HOST, NETNS_PORT = '10.231.0.1', 35672
PACKAGES = ['apache2', 'libapache2-mod-wsgi-py3', 'uwsgi', 'uwsgi-plugin-python3', 'python3', 'python3-eventlet',
            'python3-oslo.messaging', 'python3-amqp', 'python3-kombu', 'rabbitmq-server', 'nftables']
_pid_lock = threading.Lock()
# A scenario that fails before the broker restart breaks the barrier instead of leaving the others waiting forever.
BARRIER_TIMEOUT = 300


def log(msg):
    print(f'{datetime.datetime.now(datetime.timezone.utc):%H:%M:%S} {msg}', flush=True)


def spawn(cmd, out, name, env=None, netns=False):
    """Starts a lab process in its own process group and records its pid for run.sh's clean-up."""
    if netns:
        cmd = ['ip', 'netns', 'exec', 'hblab', *cmd]
    proc = subprocess.Popen(cmd, stdout=open(os.path.join(out, f'{name}.out'), 'w'), stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, start_new_session=True, cwd=out)
    record_pid(proc.pid)
    return proc


def record_pid(pid):
    with _pid_lock, open(os.path.join(OUT, 'pids'), 'a') as fh:
        fh.write(f'{pid}\n')


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 15)
        proc.wait(10)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()


def write_conf(path, threshold, pthread, host='127.0.0.1', port=5672):
    with open(path, 'w') as fh:
        fh.write(f"""[DEFAULT]
transport_url = rabbit://guest:guest@{host}:{port}/{broker.VHOST}
rpc_response_timeout = {sc.RPC_RESPONSE_TIMEOUT}

[oslo_messaging_rabbit]
heartbeat_timeout_threshold = {threshold}
heartbeat_in_pthread = {str(pthread).lower()}
""")
    return path


def scenario_dir(sid):
    out = os.path.join(OUT, sid)
    os.makedirs(out, exist_ok=True)
    os.chmod(out, 0o777)  # the mod_wsgi daemon runs as www-data and writes its log here
    return out


def start_rpc_server(out, conf, topic, netns=False, name='rpc-server'):
    logf = os.path.join(out, f'{name}.log')
    proc = spawn([PYTHON, os.path.join(HERE, 'app', 'rpc_server.py')], out, name,
                 env={'LAB_CONFIG': conf, 'LAB_LOG': logf, 'LAB_TOPIC': topic, 'PYTHONPATH': os.path.join(HERE, 'app')},
                 netns=netns)
    deadline = time.monotonic() + 60
    while not any('rpc-server consuming' in l for l in client_log.read(logf)):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f'rpc server did not start: see {out}/{name}.out')
        time.sleep(0.3)
    return proc, logf


def http_get(port, path='/'):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{port}{path}', timeout=120) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:
        return {'status': 0, 'seconds': round(time.monotonic() - started, 3), 'error': type(exc).__name__}
    result = {'status': status, 'seconds': round(time.monotonic() - started, 3)}
    try:
        parsed = json.loads(body)
        if 'error' in parsed:
            result['error'] = parsed['error'].split(':')[0]
        result['thread'] = parsed.get('thread')
    except ValueError:
        result['error'] = f'HTTP {status}'
    return result


def summarize_calls(calls):
    """ok / timeouts / other errors and the slowest call of a list of {'status'|'outcome', 'seconds'}."""
    ok = [c for c in calls if c.get('status') == 200 or c.get('outcome') == 'ok']
    timeouts = [c for c in calls if c.get('status') == 504 or c.get('outcome') == 'timeout']
    return {'calls': len(calls), 'ok': len(ok), 'timeouts': len(timeouts),
            'errors': len(calls) - len(ok) - len(timeouts),
            'errorKinds': sorted({c.get('error') or c.get('outcome') for c in calls if c not in ok and c not in timeouts}),
            'maxSeconds': max((c['seconds'] for c in calls), default=None)}


def after_idle(rounds):
    """Totals over the rounds after an idle period: the first request of each, and all requests."""
    later = rounds[1:]
    firsts = summarize_calls([r['first'] for r in later])
    total = {k: firsts[k] + sum(r['burst'][k] for r in later) for k in ('calls', 'ok', 'timeouts', 'errors')}
    kinds = set(firsts['errorKinds']).union(*[r['burst']['errorKinds'] for r in later])
    return {**total, 'errorKinds': sorted(kinds), 'firstRequestSeconds': [r['first']['seconds'] for r in later],
            'firstRequestStatus': [r['first']['status'] for r in later]}


def http_round(label, port):
    """One request alone (the first after idle), then a burst of BURST_REQUESTS, BURST_CONCURRENCY at a time."""
    first = http_get(port, f'/{label}/first')
    with concurrent.futures.ThreadPoolExecutor(sc.BURST_CONCURRENCY) as pool:
        burst = list(pool.map(lambda i: http_get(port, f'/{label}/{i}'), range(sc.BURST_REQUESTS)))
    return {'label': label, 'first': first, 'burst': summarize_calls(burst),
            'threadsUsed': len({c.get('thread') for c in [first, *burst] if c.get('thread')})}


def run_wsgi(s, port, restart_barrier=None):
    out = scenario_dir(s.id)
    api_log = os.path.join(out, 'api.log')
    open(api_log, 'a').close()
    os.chmod(api_log, 0o666)
    srv, srv_log = start_rpc_server(out, write_conf(os.path.join(out, 'rpc-server.conf'), s.threshold, False), s.id)
    script = web_servers.wsgi_script(out, write_conf(os.path.join(out, 'api.conf'), s.threshold, s.pthread),
                                     api_log, s.id, {'LAB_PRE_14_3_PTHREAD': '1'} if s.pre_14_3 else None)
    web = web_servers.start(s.server, out, port, s.threads, s.enable_threads, script)
    record_pid(web.pid)
    try:
        rounds = [http_round('warm-up', port)]
        if restart_barrier is not None:
            restart_barrier.wait(timeout=BARRIER_TIMEOUT)
        for r in range(sc.ROUNDS):
            time.sleep(sc.IDLE_SECONDS)
            rounds.append(http_round(f'after-idle-{r + 1}', port))
    finally:
        ended = time.time()
        stop(web)
        stop(srv)
    api_lines, srv_lines = client_log.read(api_log), client_log.read(srv_log)
    return {'id': s.id, 'kind': 'wsgi', 'server': s.server, 'threads': s.threads, 'heartbeatInPthread': s.pthread,
            'heartbeatTimeoutThreshold': s.threshold, 'enableThreads': s.enable_threads or s.threads > 1,
            'brokerRestart': s.restart_broker, 'emulatedPre14_3': s.pre_14_3, 'rounds': rounds,
            'afterIdle': after_idle(rounds),
            'client': client_log.summarize(api_lines), 'rpcServerClient': client_log.summarize(srv_lines),
            '_pids': {'api': client_log.pids(api_lines), 'server': client_log.pids(srv_lines)}, '_ended': ended}


def run_service(s, restart_barrier=None):
    """A standalone eventlet RPC server with heartbeat_in_pthread true/false, called after idle periods."""
    out = scenario_dir(s.id)
    srv, srv_log = start_rpc_server(out, write_conf(os.path.join(out, 'rpc-server.conf'), s.threshold, s.pthread), s.id)
    caller_conf = write_conf(os.path.join(out, 'caller.conf'), sc.THRESHOLD, False)

    def calls(label, n, concurrency):
        env = {'LAB_CONFIG': caller_conf, 'LAB_LOG': os.path.join(out, 'caller.log'), 'LAB_TOPIC': s.id,
               'PYTHONPATH': os.path.join(HERE, 'app')}
        proc = spawn([PYTHON, os.path.join(HERE, 'app', 'rpc_caller.py'), str(n), str(concurrency)], out,
                     f'caller-{label}', env=env)
        proc.wait(timeout=300)
        with open(os.path.join(out, f'caller-{label}.out')) as fh:
            lines = [l for l in fh.read().splitlines() if l.startswith('[')]
        return json.loads(lines[-1]) if lines else [{'outcome': 'caller-crashed', 'seconds': 0}]

    try:
        rounds = [{'label': 'warm-up', 'calls': summarize_calls(calls('warm-up', 5, 1))}]
        if restart_barrier is not None:
            restart_barrier.wait(timeout=BARRIER_TIMEOUT)
        for r in range(sc.ROUNDS):
            time.sleep(sc.IDLE_SECONDS)
            got = calls(f'after-idle-{r + 1}', 1 + sc.BURST_REQUESTS, sc.BURST_CONCURRENCY)
            rounds.append({'label': f'after-idle-{r + 1}', 'first': got[0], 'calls': summarize_calls(got)})
    finally:
        ended = time.time()
        stop(srv)
    srv_lines = client_log.read(srv_log)
    return {'id': s.id, 'kind': 'service', 'heartbeatInPthread': s.pthread, 'heartbeatTimeoutThreshold': s.threshold,
            'brokerRestart': s.restart_broker, 'rounds': rounds, 'client': client_log.summarize(srv_lines),
            '_pids': {'server': client_log.pids(srv_lines)},
            '_ended': ended}


def run_drops(drops):
    """RPC servers in the lab's namespace; their path to the broker silently drops packets; how long until noticed."""
    subprocess.run([os.path.join(HERE, 'netns.sh'), 'up'], check=True)
    fwd = spawn([PYTHON, os.path.join(HERE, 'tcp_forward.py'), NETNS_URL_HOST, str(NETNS_PORT)], OUT, 'tcp-forward')
    servers = {}
    try:
        time.sleep(1)
        for s in drops:
            out = scenario_dir(s.id)
            conf = write_conf(os.path.join(out, 'rpc-server.conf'), s.threshold, False, NETNS_URL_HOST, NETNS_PORT)
            servers[s.id] = start_rpc_server(out, conf, s.id, netns=True)
        time.sleep(5)
        dropped_at = time.time()
        subprocess.run([os.path.join(HERE, 'netns.sh'), 'drop'], check=True)
        log(f'netns: packets dropped; watching up to {sc.DROP_WATCH_SECONDS} s')
        noticed = {}
        while time.time() - dropped_at < sc.DROP_WATCH_SECONDS and len(noticed) < len(drops):
            for s in drops:
                if s.id not in noticed:
                    t = client_log.first_after(client_log.read(servers[s.id][1]), dropped_at, client_log.ERRORS)
                    if t is not None:
                        noticed[s.id] = t
            time.sleep(1)
        restored_at = time.time()
        subprocess.run([os.path.join(HERE, 'netns.sh'), 'restore'], check=True)
        time.sleep(30)
    finally:
        ended = time.time()
        for proc, _ in servers.values():
            stop(proc)
        stop(fwd)
        subprocess.run([os.path.join(HERE, 'netns.sh'), 'down'], check=False)
    results = []
    for s in drops:
        lines = client_log.read(servers[s.id][1])
        results.append({'id': s.id, 'kind': 'drop', 'heartbeatTimeoutThreshold': s.threshold,
                        'watchSeconds': sc.DROP_WATCH_SECONDS, 'noticedAfterSeconds': noticed.get(s.id),
                        'reconnectedAfterRestoreSeconds': client_log.first_after(lines, restored_at,
                                                                                 [client_log.RECONNECTED]),
                        'client': client_log.summarize(lines), '_pids': {'server': client_log.pids(lines)},
                        '_droppedAt': dropped_at, '_ended': ended})
    return results


def restart_broker(barrier, record):
    """Waits until the restart scenarios are warm, then stops and starts the broker's application."""
    barrier.wait(timeout=BARRIER_TIMEOUT)
    time.sleep(5)
    record['stoppedAt'] = time.time()
    log('broker: stop_app')
    try:
        broker.ctl('stop_app')
        time.sleep(sc.BROKER_DOWN_SECONDS)
    finally:
        broker.ctl('start_app', check=False)
        broker.wait_until_up()
        record['upAgainAfterSeconds'] = round(time.time() - record['stoppedAt'], 1)
        log(f"broker: accepting connections again after {record['upAgainAfterSeconds']} s")


def mpm_sizing():
    """What httpd does with threaded-MPM sizing it must correct (mpm-threads-sizing): its own start-up messages."""
    cases = [('bad', 'ServerLimit 8\nThreadsPerChild 25\nMaxRequestWorkers 256\n'),
             ('good', 'ServerLimit 16\nThreadsPerChild 25\nMaxRequestWorkers 400\nMinSpareThreads 75\nMaxSpareThreads 250\n')]
    results = []
    for name, sizing in cases:
        out = scenario_dir(f'mpm-sizing-{name}')
        conf = os.path.join(out, 'apache.conf')
        with open(conf, 'w') as fh:
            fh.write(f"""ServerRoot {out}
ServerName 127.0.0.1
Listen 127.0.0.1:18099
PidFile {out}/httpd.pid
DefaultRuntimeDir {out}
Mutex file:{out}
ErrorLog {out}/apache-error.log
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
{sizing}""")
        proc = spawn(['apache2', '-f', conf, '-DFOREGROUND'], out, 'apache')
        time.sleep(3)
        stop(proc)
        text = open(os.path.join(out, 'apache.out')).read() + open(os.path.join(out, 'apache-error.log')).read()
        warnings = sorted({l.split('AH', 1)[1].split(' ', 1)[1].strip() for l in text.splitlines()
                           if 'WARNING' in l and 'AH' in l})
        results.append({'id': f'mpm-sizing-{name}', 'kind': 'mpm', 'config': sizing.strip().split('\n'),
                        'httpdWarnings': warnings})
    return results


def attribute_broker(results, offsets):
    closes = broker.closes_by_client_pid(broker.log_since(offsets))
    for r in results:
        pids, ended = r.pop('_pids', None), r.pop('_ended', None)
        if pids is None:
            continue
        for role, p in pids.items():
            r.setdefault('broker', {})[role] = broker.summarize(closes, p, ended)
        if '_droppedAt' in r:
            at = r.pop('_droppedAt')
            times = [broker.epoch(t) for p in pids['server'] if p in closes
                     for t, why in closes[p]['closes'] if 'missed heartbeats' in why]
            r['brokerClosedAfterSeconds'] = round(min(times) - at, 1) if times else None


def versions():
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Package}\t${Version}\n', *PACKAGES],
                         capture_output=True, text=True).stdout
    return dict(l.split('\t') for l in out.splitlines() if '\t' in l)


def main():
    started = time.time()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    os.chmod(OUT, 0o755)
    broker.create_vhost()
    offsets = broker.log_offsets()
    results, restart = [], {}
    if not os.environ.get('LAB_ONLY'):
        results += mpm_sizing()
    only = set(filter(None, os.environ.get('LAB_ONLY', '').split(',')))  # for working on one scenario
    for n, batch in enumerate(sc.BATCHES, 1):
        batch = [s for s in batch if not only or s.id in only]
        if not batch:
            continue
        log(f'batch {n}: {", ".join(s.id for s in batch)}')
        restarts = [s for s in batch if getattr(s, 'restart_broker', False)]
        barrier = threading.Barrier(len(restarts) + 1) if restarts else None
        with concurrent.futures.ThreadPoolExecutor(len(batch) + 1) as pool:
            futures = []
            for i, s in enumerate(batch):
                if s.kind == 'wsgi':
                    futures.append(pool.submit(run_wsgi, s, 18080 + i, barrier if s.restart_broker else None))
                elif s.kind == 'service':
                    futures.append(pool.submit(run_service, s, barrier if s.restart_broker else None))
                time.sleep(2)  # stagger start-ups: 2 cores, every process imports oslo.messaging
            drops = [s for s in batch if s.kind == 'drop']
            if drops:
                futures.append(pool.submit(run_drops, drops))
            if barrier is not None:
                futures.append(pool.submit(restart_broker, barrier, restart))
            for f in futures:
                got = f.result()
                if isinstance(got, list):
                    results += got
                elif got is not None:
                    results.append(got)
    attribute_broker(results, offsets)
    for r in results:
        r['outcome'] = outcomes.outcome(r)
    broker.delete_vhost()
    data = {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d'),
        'durationSeconds': round(time.time() - started),
        'machine': {'os': platform.freedesktop_os_release().get('PRETTY_NAME'), 'cores': os.cpu_count()},
        'packages': versions(),
        'settings': {'heartbeatTimeoutThreshold': sc.THRESHOLD, 'idleSeconds': sc.IDLE_SECONDS,
                     'rpcResponseTimeout': sc.RPC_RESPONSE_TIMEOUT, 'burstRequests': sc.BURST_REQUESTS,
                     'burstConcurrency': sc.BURST_CONCURRENCY, 'rounds': sc.ROUNDS,
                     'brokerDownSeconds': sc.BROKER_DOWN_SECONDS},
        'brokerRestart': restart,
        'scenarios': results,
    }
    for k in ('stoppedAt',):
        restart.pop(k, None)
    with open(os.path.join(HERE, 'results.json'), 'w') as fh:
        json.dump(data, fh, indent=2)
        fh.write('\n')
    log(f'wrote lab/results.json ({data["durationSeconds"]} s)')


if __name__ == '__main__':
    sys.exit(main())
