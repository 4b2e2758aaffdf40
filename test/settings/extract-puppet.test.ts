import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, settingsOf } from './settings-of.js';

test('resource-like class declaration and rabbit parameters', () => {
  const text = [
    "class { 'nova::wsgi::apache_api':",
    '  workers => 8,',
    '  threads => 4,',
    '}',
    "class { 'nova':",
    '  rabbit_heartbeat_timeout_threshold => 0,',
    '  rabbit_heartbeat_in_pthread        => true,',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('manifests/site.pp', text).map(brief), [
    { key: 'wsgi.processes', service: 'nova-api', line: 2, value: 8 },
    { key: 'wsgi.threads', service: 'nova-api', line: 3, value: 4 },
    { key: 'rabbit.heartbeat_timeout_threshold', service: 'nova', line: 6, value: 0 },
    { key: 'rabbit.heartbeat_in_pthread', service: 'nova', line: 7, value: true },
  ]);
});

test('class parameter defaults: facts carry their known range; the inner openstacklib call is not counted twice', () => {
  const text = [
    'class nova::wsgi::apache_api (',
    "  $workers = $facts['os_workers'],",
    '  $threads = $::os_workers,',
    ') {',
    "  openstacklib::wsgi::apache { 'nova_api_wsgi':",
    '    threads => $threads,',
    '    workers => $workers,',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('manifests/wsgi/apache_api.pp', text).map(brief), [
    { key: 'wsgi.processes', service: 'nova-api', line: 2, expr: "$facts['os_workers']", min: 2 },
    { key: 'wsgi.threads', service: 'nova-api', line: 3, expr: '$::os_workers', min: 2 },
  ]);
});

test('openstacklib::wsgi::apache: the service comes from the daemon name or title; custom options override threads', () => {
  const text = [
    "openstacklib::wsgi::apache { 'nova_api_wsgi':",
    '  threads                     => 4,',
    "  custom_wsgi_process_options => { 'threads' => 8, 'python-path' => '/opt' },",
    '}',
    "openstacklib::wsgi::apache { 'keystone_wsgi':",
    '  threads => 16,',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('manifests/profile.pp', text).map(brief), [
    { key: 'wsgi.threads', service: 'nova-api', line: 2, value: 4 },
    { key: 'wsgi.custom_options', service: 'nova-api', line: 3, value: 'map' },
    { key: 'wsgi.threads', service: 'nova-api', line: 3, value: 8 },
    { key: 'wsgi.threads', service: 'keystone', line: 6, value: 16 },
  ]);
});

test('*_config resources and oslo::messaging::rabbit, resolved through an enclosing profile parameter', () => {
  const text = [
    'class tripleo::profile::example (',
    '  $hb = 0,',
    ') {',
    '  nova_config {',
    "    'oslo_messaging_rabbit/heartbeat_timeout_threshold': value => $hb;",
    "    'DEFAULT/debug': value => true;",
    '  }',
    "  oslo::messaging::rabbit { 'neutron_config':",
    '    heartbeat_in_pthread => true,',
    '  }',
    "  nova_api_uwsgi_config { 'uwsgi/threads': value => 4 }",
    '}',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('manifests/profile/example.pp', text).map(brief), [
    { key: 'rabbit.heartbeat_timeout_threshold', service: 'nova', line: 5, value: 0 },
    { key: 'rabbit.heartbeat_in_pthread', service: 'neutron', line: 9, value: true },
    { key: 'wsgi.threads', service: 'nova-api', line: 11, value: 4 },
  ]);
});

test('unknown expressions stay unknown; lookups and unknown variables are not values', () => {
  const text = [
    "class { 'nova::wsgi::apache_api':",
    "  threads => lookup('nova_api_threads'),",
    '  workers => $some::other::workers,',
    '}',
    '',
  ].join('\n');
  const s = settingsOf('manifests/site.pp', text);
  assert.deepEqual(s.map((x) => [x.key, x.value.kind, x.value.kind === 'expression' ? x.value.min : 'n/a']), [
    ['wsgi.threads', 'expression', undefined],
    ['wsgi.processes', 'expression', undefined],
  ]);
});

test('MPM class declarations: include, contain, require and resource-like; references and other classes are not', () => {
  const text = [
    'class profile::web {',
    '  include apache::mod::event',
    "  contain '::apache::mod::prefork'",
    '  require ::apache::mod::worker, apache::mod::ssl',
    "  class { 'apache::mod::itk': }",
    "  Class['apache::mod::event'] -> Service['httpd']",
    "  if defined(Class['apache::mod::worker']) { include apache::mod::status }",
    '}',
    '',
  ].join('\n');
  assert.deepEqual(
    settingsOf('manifests/profile/web.pp', text).filter((s) => s.key === 'apache.mpm_class').map((s) => [s.range.start.line, s.value, s.via]),
    [
      [2, { kind: 'literal', value: 'event' }, 'include apache::mod::event'],
      [3, { kind: 'literal', value: 'prefork' }, 'contain ::apache::mod::prefork'],
      [4, { kind: 'literal', value: 'worker' }, 'require ::apache::mod::worker'],
      [5, { kind: 'literal', value: 'itk' }, "class { 'apache::mod::itk': }"],
    ],
  );
});

test('httpd package pins: package resources and the apache class parameter; other packages are not', () => {
  const text = [
    "package { 'httpd': ensure => '2.4.38-3' }",
    "package { 'apache2': ensure => present }",
    "package { 'nginx': ensure => '1.14.2' }",
    "class { 'apache': package_ensure => '2.4.6-90.el7', mpm_module => 'event' }",
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('manifests/site.pp', text).map(brief), [
    { key: 'apache.package_ensure', service: 'httpd', line: 1, value: '2.4.38-3' },
    { key: 'apache.package_ensure', service: 'httpd', line: 2, value: 'present' },
    { key: 'apache.package_ensure', service: 'httpd', line: 4, value: '2.4.6-90.el7' },
    { key: 'apache.mpm_module', service: 'httpd', line: 4, value: 'event' },
  ]);
});
