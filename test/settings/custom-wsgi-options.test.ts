/**
 * custom_wsgi_process_options keys become the daemon settings they override or add (wsgi.threads,
 * wsgi.processes, wsgi.option.<name>), and fromCustomOptions tells them apart from the class parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, settingsOf } from './settings-of.js';
import { daemonOptionKey, fromCustomOptions } from '../../src/settings/custom-wsgi-options.js';

test('daemonOptionKey: threads/processes are the WSGI settings, tracked options are wsgi.option.<name>, others nothing', () => {
  assert.equal(daemonOptionKey('threads'), 'wsgi.threads');
  assert.equal(daemonOptionKey('Processes'), 'wsgi.processes');
  assert.equal(daemonOptionKey('inactivity-timeout'), 'wsgi.option.inactivity-timeout');
  assert.equal(daemonOptionKey('display-name'), 'wsgi.option.display-name');
  assert.equal(daemonOptionKey('python-path'), undefined);
  assert.equal(daemonOptionKey('graceful-timeout'), undefined);
});

test('hiera: tracked custom keys are settings inside the custom_options hash; the class parameter is not', () => {
  const text = [
    'nova::wsgi::apache_api::workers: 8',
    'nova::wsgi::apache_api::custom_wsgi_process_options:',
    '  processes: 16',
    '  inactivity-timeout: 300',
    '  python-path: /opt/venv',
    '',
  ].join('\n');
  const settings = settingsOf('hieradata/common.yaml', text);
  assert.deepEqual(settings.map(brief), [
    { key: 'wsgi.processes', service: 'nova-api', line: 1, value: 8 },
    { key: 'wsgi.custom_options', service: 'nova-api', line: 3, value: 'map' },
    { key: 'wsgi.processes', service: 'nova-api', line: 3, value: 16 },
    { key: 'wsgi.option.inactivity-timeout', service: 'nova-api', line: 4, value: 300 },
  ]);
  assert.deepEqual(settings.map((s) => fromCustomOptions(s, settings) !== undefined), [false, false, true, true]);
});

test('Puppet: custom keys of openstacklib::wsgi::apache, with the service of the daemon', () => {
  const text = [
    "openstacklib::wsgi::apache { 'nova_metadata_wsgi':",
    "  wsgi_daemon_process         => 'nova-metadata',",
    "  custom_wsgi_process_options => { 'user' => 'nova', 'maximum-requests' => 1000 },",
    '}',
    '',
  ].join('\n');
  const settings = settingsOf('manifests/profile.pp', text);
  assert.deepEqual(settings.filter((s) => s.key.startsWith('wsgi.option.')).map(brief), [
    { key: 'wsgi.option.user', service: 'nova-metadata', line: 3, value: 'nova' },
    { key: 'wsgi.option.maximum-requests', service: 'nova-metadata', line: 3, value: 1000 },
  ]);
  assert.ok(settings.filter((s) => s.key.startsWith('wsgi.option.')).every((s) => fromCustomOptions(s, settings)));
});

test('Apache: WSGIDaemonProcess options are never from custom options', () => {
  const text = '<VirtualHost *:8774>\n  WSGIDaemonProcess nova-api processes=4 threads=1 user=nova inactivity-timeout=60\n</VirtualHost>\n';
  const settings = settingsOf('etc/httpd/conf.d/nova.conf', text);
  assert.ok(settings.length > 0);
  assert.ok(settings.every((s) => fromCustomOptions(s, settings) === undefined));
});
