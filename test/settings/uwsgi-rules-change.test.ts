/**
 * uWSGI rules across the files of one change: uwsgi-threads-not-enabled reads heartbeat_in_pthread from an
 * oslo.config file of the same change (the fixture test reviews one file at a time and cannot show this).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { Rule } from '../../src/model/rule.js';

let rules: Rule[];
before(async () => {
  rules = await loadRules();
});

const UWSGI = ['[uwsgi]', 'processes = 4', 'threads = 1', 'lazy-apps = true', 'thunder-lock = true', 'module = nova.wsgi.osapi_compute:application', ''].join('\n');

function findings(pthread: string, release: string): { path: string; line: number; message: string }[] {
  const nova = ['[oslo_messaging_rabbit]', `heartbeat_in_pthread = ${pthread}`, ''].join('\n');
  const result = review(
    {
      files: [
        { path: 'etc/nova/nova.conf', status: 'added', newContent: nova },
        { path: 'etc/nova/nova-api-uwsgi.ini', status: 'added', newContent: UWSGI },
      ],
      wholeFiles: true,
    },
    rules,
    loadKnowledge(),
    { release },
  );
  return result.findings.filter((f) => f.ruleId === 'uwsgi-threads-not-enabled');
}

test('heartbeat_in_pthread = true in the same change makes an eventlet-patched nova-api need enable-threads', () => {
  const found = findings('true', '2024.1');
  assert.deepEqual(found.map((f) => [f.path, f.line]), [['etc/nova/nova-api-uwsgi.ini', 3]]);
  assert.match(found[0]!.message, /heartbeat_in_pthread is true for nova-api \(\[oslo_messaging_rabbit\] heartbeat_in_pthread, etc\/nova\/nova\.conf\)/);
});

test('heartbeat_in_pthread = false in the same change overrides a release default of True', () => {
  assert.deepEqual(findings('false', 'wallaby'), []);
  assert.equal(findings('false', '2024.1').length, 0);
});
