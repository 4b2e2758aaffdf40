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

test('malformed knowledge fails with the file and key named', () => {
  const docs = parseKnowledgeYaml();
  const broken = { ...docs, services: { services: { 'nova-api': { project: 'nova', runtime: 'greenlet' } } } };
  assert.throws(() => buildKnowledge(broken), /services\.nova-api\.runtime: unknown runtime greenlet/);
  assert.throws(() => buildKnowledge({ ...docs, releases: { series: 'x' } }), /releases\.series: expected a list/);
});
