import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { buildKnowledge, compiledPath, parseKnowledgeYaml, readKnowledgeDocs, loadKnowledge } from '../../src/settings/load-knowledge.js';

test('the build compiles the shipped YAML to JSON, and loading reads the same documents', () => {
  assert.ok(existsSync(compiledPath()), 'npm run build writes dist/knowledge.json');
  assert.deepEqual(readKnowledgeDocs(), parseKnowledgeYaml());
});

test('the shipped knowledge answers the lookups the rules depend on', () => {
  const k = loadKnowledge();
  assert.deepEqual(k.hieraKey('nova::wsgi::apache_api::threads'), { key: 'wsgi.threads', service: 'nova-api', server: 'mod_wsgi' });
  assert.deepEqual(k.hieraKey('::nova::rabbit_heartbeat_in_pthread'), { key: 'rabbit.heartbeat_in_pthread', service: 'nova' });
  assert.equal(k.hieraKey('nova::compute::libvirt::cpu_threads'), undefined);
  assert.equal(k.wsgiDaemonService('nova_api_wsgi'), 'nova-api');
  assert.equal(k.wsgiDaemonService('nova-api-metadata'), 'nova-metadata');
  assert.equal(k.wsgiDaemonService('keystone_main'), 'keystone');
  assert.equal(k.uwsgiAppService('nova.wsgi.osapi_compute:application'), 'nova-api');
  assert.equal(k.iniFileService('etc/nova/nova.conf.j2'), 'nova');
  assert.equal(k.iniFileService('etc/neutron/plugins/ml2/openvswitch_agent.ini'), 'neutron-openvswitch-agent');
  assert.equal(k.uwsgiOption('enable_threads'), 'uwsgi.enable_threads');
  assert.deepEqual(k.factRange('os_workers')?.min, 2);
  assert.equal(k.releases.at(-1)?.series, '2026.2');
  const reached = k.servicesReached('nova').map((s) => s.runtime);
  assert.ok(reached.includes('eventlet') && reached.includes('eventlet-wsgi'));
  assert.ok(k.servicesReached('*').every((s) => s.amqp));
  assert.deepEqual(k.servicesReached('?'), []);
});

test('release timelines and missing heat parameters are knowledge', () => {
  const k = loadKnowledge();
  assert.deepEqual(k.novaEventletWsgi, { firstPatched: 19, firstNative: 33 });
  const pthread = k.osloMessagingOption('heartbeat_in_pthread');
  assert.deepEqual([pthread?.added, pthread?.deprecated, pthread?.removed], ['10.1.0', '14.9.0', '18.0.0']);
  assert.deepEqual(pthread?.defaults.map((d) => [d.since, d.value]), [['10.1.0', false], ['12.6.0', true], ['14.0.0', false]]);
  assert.deepEqual(k.osloMessagingOption('heartbeat_rate')?.defaults.at(-1), { since: '14.5.0', value: 3 });
  const nova = k.puppetParameter('nova::rabbit_heartbeat_in_pthread');
  assert.deepEqual([nova?.added, nova?.deprecated, nova?.removed], [15, 26, 27]);
  assert.equal(k.puppetParameter('oslo::messaging::rabbit::heartbeat_in_pthread')?.removed, 27);
  assert.equal(k.puppetParameter('nova::rabbit_heartbeat_timeout_threshold'), undefined);
  assert.match(k.missingHeatParameter('NovaApiWsgiThreads')?.instead ?? '', /NovaWorkers/);
  assert.match(k.missingHeatParameter('ApacheMPMModule')?.note ?? '', /c1269a64/);
  assert.equal(k.missingHeatParameter('NovaWorkers'), undefined);
});

test('malformed knowledge fails with the file and key named', () => {
  const docs = parseKnowledgeYaml();
  const broken = { ...docs, services: { services: { 'nova-api': { project: 'nova', runtime: 'greenlet' } } } };
  assert.throws(() => buildKnowledge(broken), /services\.nova-api\.runtime: unknown runtime greenlet/);
  assert.throws(() => buildKnowledge({ ...docs, releases: { series: 'x' } }), /releases\.series: expected a list/);
  const releases = docs.releases as Record<string, unknown>;
  const badRemoved = { ...releases, puppet_parameters: { 'x::y': { removed: '27' } } };
  assert.throws(() => buildKnowledge({ ...docs, releases: badRemoved }), /puppet_parameters\.x::y\.removed: expected a number/);
  const badDefault = { ...releases, oslo_messaging_options: { x: { defaults: [{ since: '1.0', value: [] }] } } };
  assert.throws(() => buildKnowledge({ ...docs, releases: badDefault }), /x\.defaults\[0\]\.value: expected a scalar/);
  const noWindow = { ...releases, nova_eventlet_wsgi: undefined };
  assert.throws(() => buildKnowledge({ ...docs, releases: noWindow }), /nova_eventlet_wsgi: expected a mapping/);
});
