import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, settingsOf } from './settings-of.js';

test('hieradata keys map to settings of the class service, with lines', () => {
  const s = settingsOf(
    'hieradata/common.yaml',
    [
      '---',
      'nova::wsgi::apache_api::threads: 4',
      'nova::wsgi::apache_api::workers: 8',
      'keystone::wsgi::apache::threads: 16',
      'nova::rabbit_heartbeat_timeout_threshold: 0',
      'nova::cpu_threads: 2',
      "apache::mod::event::threadsperchild: 30",
      '',
    ].join('\n'),
  ).map(brief);
  assert.deepEqual(s, [
    { key: 'wsgi.threads', service: 'nova-api', line: 2, value: 4 },
    { key: 'wsgi.processes', service: 'nova-api', line: 3, value: 8 },
    { key: 'wsgi.threads', service: 'keystone', line: 4, value: 16 },
    { key: 'rabbit.heartbeat_timeout_threshold', service: 'nova', line: 5, value: 0 },
    { key: 'apache.mpm.threadsperchild', service: 'httpd', line: 7, value: 30, scope: 'puppetlabs-apache:event' },
  ]);
});

test('custom_wsgi_process_options threads overrides the threads setting', () => {
  const s = settingsOf(
    'hieradata/nova.yaml',
    ['nova::wsgi::apache_api::custom_wsgi_process_options:', '  python-path: /opt/venv', '  threads: 8', ''].join('\n'),
  ).map(brief);
  assert.deepEqual(s, [
    { key: 'wsgi.custom_options', service: 'nova-api', line: 2, value: 'map' },
    { key: 'wsgi.threads', service: 'nova-api', line: 3, value: 8 },
  ]);
});

test('hiera interpolation is an expression, never a value', () => {
  const s = settingsOf('hieradata/common.yaml', "nova::wsgi::apache_api::threads: \"%{hiera('api_threads')}\"\n").map(brief);
  assert.deepEqual(s, [{ key: 'wsgi.threads', service: 'nova-api', line: 1, expr: "%{hiera('api_threads')}" }]);
});

test('heat template config_settings through map_merge, get_param resolved from the parameter default', () => {
  const text = [
    'heat_template_version: wallaby',
    'parameters:',
    '  NovaApiThreads:',
    '    type: number',
    '    default: 4',
    '  Unset:',
    '    type: number',
    'outputs:',
    '  role_data:',
    '    value:',
    '      config_settings:',
    '        map_merge:',
    '          - nova::wsgi::apache_api::threads: {get_param: NovaApiThreads}',
    '          - nova::wsgi::apache_metadata::threads: {get_param: Unset}',
    '          - nova::rabbit_heartbeat_in_pthread: true',
    '',
  ].join('\n');
  const s = settingsOf('deployment/nova/nova-api-container-puppet.yaml', text).map(brief);
  assert.deepEqual(s, [
    { key: 'wsgi.threads', service: 'nova-api', line: 13, value: 4, scope: 'nova-api' },
    { key: 'wsgi.threads', service: 'nova-metadata', line: 14, expr: '{get_param: Unset}', scope: 'nova-api' },
    { key: 'rabbit.heartbeat_in_pthread', service: 'nova', line: 15, value: true, scope: 'nova-api' },
  ]);
});

test('heat environment: <Role>ExtraConfig is scoped to the role; mapped parameters reach their hiera keys', () => {
  const text = [
    'parameter_defaults:',
    '  ComputeExtraConfig:',
    '    nova::rabbit_heartbeat_in_pthread: true',
    '  ExtraConfig:',
    '    nova::wsgi::apache_api::threads: 2',
    '  NovaWorkers: 8',
    '',
  ].join('\n');
  const s = settingsOf('environments/custom.yaml', text).map(brief);
  assert.deepEqual(s, [
    { key: 'rabbit.heartbeat_in_pthread', service: 'nova', line: 3, value: true, scope: 'Compute' },
    { key: 'wsgi.threads', service: 'nova-api', line: 5, value: 2 },
    { key: 'wsgi.processes', service: 'nova-api', line: 6, value: 8 },
    { key: 'wsgi.processes', service: 'nova-metadata', line: 6, value: 8 },
  ]);
});

test('keys that are not settings produce nothing (Pacemaker heartbeat, octavia heartbeats, cpu threads)', () => {
  const text = [
    "pacemaker::resource::ocf::ocf_agent_name: 'heartbeat:IPaddr2'",
    'octavia::health_manager::heartbeat_interval: 10',
    'nova::compute::libvirt::cpu_threads: 2',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('hieradata/common.yaml', text), []);
});

test('heat parameters mapped to MPM hiera keys keep the MPM scope of their class', () => {
  const s = settingsOf('environments/apache.yaml', 'parameter_defaults:\n  ApacheMaxRequestWorkers: 512\n').map(brief);
  assert.deepEqual(s, [
    { key: 'apache.mpm.maxrequestworkers', service: 'httpd', line: 2, value: 512, scope: 'puppetlabs-apache:prefork' },
  ]);
});
