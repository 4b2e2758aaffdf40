"""Apache (mod_wsgi daemon mode) and uWSGI instances of the lab: one private instance per scenario, own port and
config file under the scenario's output directory, never the system's apache2 / uwsgi configuration."""
import os
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.join(HERE, 'app')
MODULES = '/usr/lib/apache2/modules'


def wsgi_script(out, conf, log, topic, extra_env=None):
    """The per-scenario WSGI entry point. mod_wsgi does not pass SetEnv to os.environ, so the script sets it."""
    path = os.path.join(out, 'app.wsgi')
    env = {'LAB_CONFIG': conf, 'LAB_LOG': log, 'LAB_TOPIC': topic, **(extra_env or {})}
    with open(path, 'w') as fh:
        fh.write(f"""import os
import sys
os.environ.update({env!r})
sys.path.insert(0, {APP_DIR!r})
from nova_like_api import application  # noqa: E402,F401  (monkey-patches eventlet first, as nova does)
""")
    return path


def apache_conf(out, port, threads, script):
    # WSGIProcessGroup + WSGIApplicationGroup as puppet-openstacklib's vhost writes them: the app is imported in
    # the daemon process on the first request, in a request thread.
    return f"""ServerRoot {out}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {out}/httpd.pid
DefaultRuntimeDir {out}
Mutex file:{out}
ErrorLog {out}/apache-error.log
LogLevel info
User www-data
Group www-data
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule wsgi_module {MODULES}/mod_wsgi.so
WSGISocketPrefix {out}/wsgi
WSGIDaemonProcess nova-api processes=1 threads={threads} display-name=lab-nova-api
WSGIProcessGroup nova-api
WSGIApplicationGroup %{{GLOBAL}}
WSGIScriptAlias / {script}
<Directory {out}>
  Require all granted
</Directory>
"""


def uwsgi_ini(out, port, threads, enable_threads, script):
    lines = ['[uwsgi]', 'plugins = python3', f'http-socket = 127.0.0.1:{port}', f'wsgi-file = {script}',
             'master = true', 'processes = 1',
             # lazy-apps: import the app in the worker, not in the master before fork (threads do not survive fork).
             'lazy-apps = true', 'die-on-term = true', f'logto = {out}/uwsgi.log']
    if threads > 1:
        lines.append(f'threads = {threads}')
    if enable_threads:
        lines.append('enable-threads = true')
    return '\n'.join(lines) + '\n'


def start(server, out, port, threads, enable_threads, script):
    """Starts the instance in its own process group (so cleanup can end it and its children) and waits for it."""
    if server == 'mod_wsgi':
        conf = os.path.join(out, 'apache.conf')
        with open(conf, 'w') as fh:
            fh.write(apache_conf(out, port, threads, script))
        cmd = ['apache2', '-f', conf, '-DFOREGROUND']
    else:
        conf = os.path.join(out, 'uwsgi.ini')
        with open(conf, 'w') as fh:
            fh.write(uwsgi_ini(out, port, threads, enable_threads, script))
        cmd = ['uwsgi', '--ini', conf]
    proc = subprocess.Popen(cmd, stdout=open(os.path.join(out, 'server.out'), 'w'), stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f'{server} exited at start: see {out}/server.out')
            time.sleep(0.3)
    raise RuntimeError(f'{server} did not listen on {port}')
