/** The RabbitMQ broker's TCP keepalive as a setting: rabbitmq.conf, hieradata, Puppet, TripleO. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectKind } from '../../src/parsers/detect-kind.js';
import { brief, settingsOf } from './settings-of.js';

test('rabbitmq.conf is a sectionless INI file; only tcp_listen_options.keepalive is a setting', () => {
  assert.equal(detectKind('etc/rabbitmq/rabbitmq.conf', 'listeners.tcp.default = 5672\n'), 'ini');
  assert.equal(detectKind('templates/rabbitmq.conf.j2', 'listeners.tcp.default = {{ port }}\n'), 'ini');
  assert.equal(detectKind('etc/other.conf', 'listeners.tcp.default = 5672\n'), 'unknown');
  const text = 'listeners.tcp.default = 5672\ntcp_listen_options.keepalive = false\ntcp_listen_options.nodelay = true\n';
  assert.deepEqual(settingsOf('etc/rabbitmq/rabbitmq.conf', text).map(brief), [
    { key: 'rabbitmq.tcp_keepalive', service: 'rabbitmq', line: 2, value: 'false' },
  ]);
});

test('rabbitmq::tcp_keepalive from hieradata, a class declaration and a TripleO template', () => {
  assert.deepEqual(settingsOf('hieradata/common.yaml', 'rabbitmq::tcp_keepalive: false\n').map(brief), [
    { key: 'rabbitmq.tcp_keepalive', service: 'rabbitmq', line: 1, value: false },
  ]);
  const pp = "class { 'rabbitmq':\n  tcp_keepalive => true,\n}\n";
  assert.deepEqual(settingsOf('manifests/site.pp', pp).map(brief), [
    { key: 'rabbitmq.tcp_keepalive', service: 'rabbitmq', line: 2, value: true },
  ]);
  const tht = [
    'heat_template_version: wallaby',
    'outputs:',
    '  role_data:',
    '    value:',
    '      config_settings:',
    '        rabbitmq::tcp_keepalive: true',
    '',
  ].join('\n');
  assert.deepEqual(settingsOf('deployment/rabbitmq/rabbitmq-container-puppet.yaml', tht).map((s) => s.key), ['rabbitmq.tcp_keepalive']);
});
