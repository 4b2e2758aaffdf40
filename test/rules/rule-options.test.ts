/**
 * What fixtures cannot express: severity by release (nova-wsgi-threads-not-1's eventlet window) and the exact
 * suggestion lines the rules offer.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { Knowledge } from '../../src/model/knowledge.js';
import type { Rule } from '../../src/model/rule.js';

let rules: Rule[];
const knowledge = loadKnowledge();
before(async () => {
  rules = await loadRules();
});

const run = (path: string, text: string, release?: string, k: Knowledge = knowledge) =>
  review({ files: [{ path, status: 'added', newContent: text }], wholeFiles: true }, rules, k, release ? { release } : {}).findings;

describe('nova-wsgi-threads-not-1: release window', () => {
  const hiera = '---\nnova::wsgi::apache_api::threads: 4\n';
  const severities = (release: string, k?: Knowledge) =>
    run('hieradata/common.yaml', hiera, release, k).filter((f) => f.ruleId === 'nova-wsgi-threads-not-1').map((f) => f.severity);

  it('is an error from Stein (nova 19) to 2025.2 (nova 32)', () => {
    for (const release of ['stein', 'train', 'wallaby', '2024.1', '2025.2']) assert.deepEqual(severities(release), ['error'], release);
  });

  it('is a warning from 2026.1 (nova 33, native threads by default)', () => {
    assert.deepEqual(severities('2026.1'), ['warning']);
    const [f] = run('hieradata/common.yaml', hiera, '2026.1');
    assert.match(f?.message ?? '', /native threads by default/);
  });

  it('is silent before Stein (nova < 19: not eventlet-patched under WSGI)', () => {
    const rocky = { series: 'rocky', novaMajor: 18, osloMessaging: { min: '8.1', max: '8.1' }, puppetMajor: 13 };
    const older: Knowledge = { ...knowledge, releases: [rocky, ...knowledge.releases] };
    assert.deepEqual(severities('rocky', older), []);
  });

  it('explains the eventlet failure in the window and cites 1829062 first', () => {
    const [f] = run('hieradata/common.yaml', hiera, 'wallaby');
    assert.match(f?.message ?? '', /nova-api runs with 4 mod_wsgi threads per process \(nova::wsgi::apache_api::threads \(hiera\)\)/);
    assert.match(f?.message ?? '', /wallaby \(nova 23\).*eventlet-patched.*MessagingTimeout.*Timed out waiting for a reply.*threads to 1/);
    assert.deepEqual(f?.references.slice(0, 2), ['https://bugs.launchpad.net/nova/+bug/1829062', 'https://bugs.launchpad.net/nova/+bug/1825584']);
  });
});

describe('suggestions', () => {
  const suggestion = (path: string, text: string, ruleId: string) =>
    run(path, text, 'wallaby').find((f) => f.ruleId === ruleId)?.suggestion;

  it('replaces the threads literal by 1, quotes and all', () => {
    assert.deepEqual(suggestion('manifests/a.pp', "class { 'nova::wsgi::apache_api':\n  threads => '4',\n}\n", 'nova-wsgi-threads-not-1'), {
      line: 2,
      endLine: 2,
      replacement: "  threads => '1',",
    });
    const apache = 'WSGIDaemonProcess nova-api processes=4 threads=4 user=nova\n';
    assert.deepEqual(suggestion('etc/httpd/conf.d/10-nova_api_wsgi.conf', apache, 'nova-wsgi-threads-not-1')?.replacement,
      'WSGIDaemonProcess nova-api processes=4 threads=1 user=nova');
  });

  it('appends threads=1 to a one-line WSGIDaemonProcess without threads=, not to a continued one', () => {
    const one = 'WSGIDaemonProcess nova-api processes=4 user=nova\n';
    assert.deepEqual(suggestion('etc/httpd/conf.d/10-nova_api_wsgi.conf', one, 'nova-wsgi-threads-not-1'), {
      line: 1,
      endLine: 1,
      replacement: 'WSGIDaemonProcess nova-api processes=4 user=nova threads=1',
    });
    const continued = 'WSGIDaemonProcess nova-api processes=4 \\\n  user=nova\n';
    const findings = run('etc/httpd/conf.d/10-nova_api_wsgi.conf', continued, 'wallaby');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.suggestion, undefined);
  });

  it('offers no suggestion for an expression', () => {
    const pp = 'class nova::wsgi::apache_api (\n  $threads = $::os_workers,\n) {}\n';
    const [f] = run('manifests/wsgi/apache_api.pp', pp, 'wallaby');
    assert.equal(f?.ruleId, 'nova-wsgi-threads-not-1');
    assert.equal(f?.suggestion, undefined);
    assert.match(f?.message ?? '', /\$::os_workers .*os_workers is .*at least 2/);
  });

  it('suggests the default 60 for a disabled heartbeat', () => {
    assert.deepEqual(suggestion('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n', 'heartbeat-disabled'), {
      line: 2,
      endLine: 2,
      replacement: 'heartbeat_timeout_threshold = 60',
    });
  });

  it('suggests false, in the case written, for heartbeat_in_pthread', () => {
    assert.deepEqual(
      suggestion('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_in_pthread = True\n', 'pthread-heartbeat-on-non-wsgi')?.replacement,
      'heartbeat_in_pthread = False',
    );
    assert.deepEqual(
      suggestion('hieradata/common.yaml', '---\nnova::rabbit_heartbeat_in_pthread: true\n', 'pthread-heartbeat-on-non-wsgi')?.replacement,
      'nova::rabbit_heartbeat_in_pthread: false',
    );
  });
});
