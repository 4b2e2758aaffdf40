import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, settingsOf } from './settings-of.js';

test('oslo.config options: the service comes from the file name', () => {
  const text = ['[DEFAULT]', 'debug = true', '[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 0', 'heartbeat_in_pthread = True', ''].join('\n');
  assert.deepEqual(settingsOf('etc/nova/nova.conf', text).map(brief), [
    { key: 'rabbit.heartbeat_timeout_threshold', service: 'nova', line: 4, value: '0' },
    { key: 'rabbit.heartbeat_in_pthread', service: 'nova', line: 5, value: 'True' },
  ]);
  assert.deepEqual(settingsOf('etc/neutron/plugins/ml2/openvswitch_agent.ini', text).map((s) => s.service), [
    'neutron-openvswitch-agent',
    'neutron-openvswitch-agent',
  ]);
});

test('other sections with heartbeat options are not rabbit settings', () => {
  const text = ['[health_manager]', 'heartbeat_timeout = 60', '[heartbeat]', 'heartbeat_timeout_threshold = 0', ''].join('\n');
  assert.deepEqual(settingsOf('etc/octavia/octavia.conf', text), []);
});

test('templated INI values are expressions', () => {
  const text = ['[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = {{ rabbit_hb }}', ''].join('\n');
  const [s] = settingsOf('templates/nova.conf.j2', text);
  assert.equal(s?.value.kind, 'expression');
});

test('uWSGI: the service comes from the app module; threads and companions are settings', () => {
  const text = [
    '[uwsgi]',
    'module = nova.wsgi.osapi_compute:application',
    'processes = 4',
    'threads = 8',
    'enable-threads = true',
    'lazy_apps = true',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('etc/nova/api-uwsgi.ini', text).map(brief), [
    { key: 'wsgi.processes', service: 'nova-api', line: 3, value: '4' },
    { key: 'wsgi.threads', service: 'nova-api', line: 4, value: '8' },
    { key: 'uwsgi.enable_threads', service: 'nova-api', line: 5, value: 'true' },
    { key: 'uwsgi.lazy_apps', service: 'nova-api', line: 6, value: 'true' },
  ]);
});

test('Apache: WSGIDaemonProcess threads, the implicit mod_wsgi default, and MPM scopes', () => {
  const text = [
    '<VirtualHost *:8774>',
    '  WSGIDaemonProcess nova-api processes=4 threads=1 user=nova',
    '  WSGIDaemonProcess nova_metadata_wsgi processes=2 user=nova',
    '  WSGIDaemonProcess horizon processes=3 threads=10',
    '</VirtualHost>',
    '<IfModule mpm_event_module>',
    '  ThreadsPerChild 25',
    '  MaxRequestWorkers 400',
    '</IfModule>',
    'ServerLimit 16',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('etc/httpd/conf.d/10-nova_api_wsgi.conf', text).map(brief), [
    { key: 'wsgi.threads', service: 'nova-api', line: 2, value: '1' },
    { key: 'wsgi.processes', service: 'nova-api', line: 2, value: '4' },
    { key: 'wsgi.option.user', service: 'nova-api', line: 2, value: 'nova' },
    { key: 'wsgi.threads', service: 'nova-metadata', line: 3, value: 15, implicit: true },
    { key: 'wsgi.processes', service: 'nova-metadata', line: 3, value: '2' },
    { key: 'wsgi.option.user', service: 'nova-metadata', line: 3, value: 'nova' },
    { key: 'wsgi.threads', service: 'horizon', line: 4, value: '10' },
    { key: 'wsgi.processes', service: 'horizon', line: 4, value: '3' },
    { key: 'apache.mpm.threadsperchild', service: 'httpd', line: 7, value: '25', scope: 'httpd:event' },
    { key: 'apache.mpm.maxrequestworkers', service: 'httpd', line: 8, value: '400', scope: 'httpd:event' },
    { key: 'apache.mpm.serverlimit', service: 'httpd', line: 10, value: '16', scope: 'httpd:any' },
  ]);
});

test('Apache ERB template: a templated threads= is an expression', () => {
  const text = '<VirtualHost *:8774>\n  WSGIDaemonProcess nova-api processes=<%= @workers %> threads=<%= @threads %>\n</VirtualHost>\n';
  const threads = settingsOf('templates/nova_api_wsgi.conf.erb', text).find((s) => s.key === 'wsgi.threads');
  assert.equal(threads?.value.kind, 'expression');
  assert.equal(threads?.implicit, undefined);
});

test('oslo.messaging code: an option default is a setting for every oslo.messaging service', () => {
  const text = [
    'from oslo_config import cfg',
    'rabbit_opts = [',
    "    cfg.IntOpt('heartbeat_timeout_threshold',",
    '               default=0,',
    "               help='0 disables heartbeat'),",
    "    cfg.BoolOpt('heartbeat_in_pthread', default=True),",
    "    cfg.IntOpt('rpc_conn_pool_size', default=30),",
    ']',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('oslo_messaging/_drivers/impl_rabbit.py', text).map(brief), [
    { key: 'rabbit.heartbeat_timeout_threshold', service: '*', line: 4, value: 0 },
    { key: 'rabbit.heartbeat_in_pthread', service: '*', line: 6, value: true },
  ]);
});

test('Apache: recycling options and other tracked daemon options are wsgi.option.<name>, in the order written', () => {
  const text = [
    '<VirtualHost *:8774>',
    '  WSGIDaemonProcess nova-api processes=4 threads=1 maximum-requests=1000 python-path=/opt inactivity-timeout=300 \\',
    '    display-name=nova_api_wsgi restart-interval=<%= @restart %>',
    '</VirtualHost>',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('templates/nova_api_wsgi.conf.erb', text).map(brief), [
    { key: 'wsgi.threads', service: 'nova-api', line: 2, value: '1' },
    { key: 'wsgi.processes', service: 'nova-api', line: 2, value: '4' },
    { key: 'wsgi.option.maximum-requests', service: 'nova-api', line: 2, value: '1000' },
    { key: 'wsgi.option.inactivity-timeout', service: 'nova-api', line: 2, value: '300' },
    { key: 'wsgi.option.display-name', service: 'nova-api', line: 3, value: 'nova_api_wsgi' },
    { key: 'wsgi.option.restart-interval', service: 'nova-api', line: 3, expr: '<%= @restart %>' },
  ]);
});

test('Apache: SetEnv of a tracked variable is apache.setenv.<NAME> of the daemon in the same virtual host', () => {
  const text = [
    'SetEnv OS_NOVA_DISABLE_EVENTLET_PATCHING 1',
    '<VirtualHost *:8775>',
    '  SetEnv OS_NOVA_DISABLE_EVENTLET_PATCHING yes',
    '  SetEnv SOMETHING_ELSE yes',
    '  WSGIDaemonProcess nova-metadata-api display-name=nova_metadata_wsgi threads=1',
    '</VirtualHost>',
    '<VirtualHost *:8774>',
    '  WSGIProcessGroup nova-api',
    '  SetEnv OS_NOVA_DISABLE_EVENTLET_PATCHING',
    '</VirtualHost>',
    '',
  ].join('\n');
  const env = settingsOf('etc/httpd/conf.d/nova.conf', text).filter((s) => s.key.startsWith('apache.setenv.'));
  assert.deepEqual(env.map(brief), [
    { key: 'apache.setenv.OS_NOVA_DISABLE_EVENTLET_PATCHING', service: '?', line: 1, value: '1' },
    { key: 'apache.setenv.OS_NOVA_DISABLE_EVENTLET_PATCHING', service: 'nova-metadata', line: 3, value: 'yes' },
    { key: 'apache.setenv.OS_NOVA_DISABLE_EVENTLET_PATCHING', service: 'nova-api', line: 9, value: '' },
  ]);
});

test('uWSGI: env lines of tracked variables are env.<NAME> settings; others are not settings', () => {
  const text = [
    '[uwsgi]',
    'wsgi-file = /usr/bin/nova-api-wsgi',
    'env = LANG=C.UTF-8',
    'env = OS_NOVA_DISABLE_EVENTLET_PATCHING=yes',
    'thunder_lock = true',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('etc/nova/nova-api-uwsgi.ini', text).map(brief), [
    { key: 'env.OS_NOVA_DISABLE_EVENTLET_PATCHING', service: 'nova-api', line: 4, value: 'yes' },
    { key: 'uwsgi.thunder_lock', service: 'nova-api', line: 5, value: 'true' },
  ]);
});

test('uWSGI: an app loaded through a call (keystone initialize_public_application()) is placed', () => {
  const text = ['[uwsgi]', 'module = keystone.server.wsgi:initialize_public_application()', 'processes = 4', ''].join('\n');
  assert.deepEqual(settingsOf('etc/example/example.ini', text).map(brief), [
    { key: 'wsgi.processes', service: 'keystone', line: 3, value: '4' },
  ]);
});
