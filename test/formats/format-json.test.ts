/** `--format json` writes the contract's object, extended with finding `docs` and the top-level `summary`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson } from '../../src/formats/format-json.js';
import { sampleReport } from './sample-report.js';

test('the JSON object has the contract keys, in order, extended at the end only, and nothing internal', () => {
  const report = sampleReport();
  // Internal fields a MarkedFinding carries must not leak.
  const withDiff = { ...report, findings: report.findings.map((f) => ({ ...f, diff: { inChangedFile: true, inHunk: true, onAddedLine: true } })) };
  const out = formatJson(withDiff, { version: '0.1.0' });
  assert.ok(out.endsWith('}\n'));
  const parsed = JSON.parse(out);
  assert.deepEqual(Object.keys(parsed), ['findings', 'errors', 'stats', 'summary']);
  assert.deepEqual(parsed.findings[0], {
    ruleId: 'nova-wsgi-threads-not-1',
    severity: 'error',
    path: 'hieradata/common.yaml',
    line: 1,
    endLine: 1,
    column: 1,
    message: 'nova-api runs under eventlet; more than one WSGI thread starves the AMQP heartbeat. Set threads to 1.',
    references: ['https://bugs.launchpad.net/nova/+bug/1829062'],
    suggestion: { line: 1, endLine: 1, replacement: 'nova::wsgi::apache_api::threads: 1' },
    docs: parsed.findings[0].docs,
  });
  assert.match(parsed.findings[0].docs, /^file:\/\/.*\/rules\/nova-wsgi-threads-not-1\/README\.md$/);
  assert.deepEqual(Object.keys(parsed.findings[0]), ['ruleId', 'severity', 'path', 'line', 'endLine', 'column', 'message', 'references', 'suggestion', 'docs']);
  // Optional keys are absent, not null.
  assert.deepEqual(Object.keys(parsed.findings[1]), ['ruleId', 'severity', 'path', 'line', 'endLine', 'message', 'references', 'docs']);
  assert.deepEqual(parsed.errors, [{ path: 'manifests/broken.pp', message: 'parse error at 3:7: unexpected }' }]);
  assert.deepEqual(parsed.stats, { files: 4, bytes: 1234, ms: 4.2 });
});

test('an empty report is still the full object', () => {
  const out = JSON.parse(formatJson({ findings: [], errors: [], skipped: [], stats: { files: 0, bytes: 0, ms: 0 }, rules: [] }, { version: '0' }));
  assert.deepEqual(out, { findings: [], errors: [], stats: { files: 0, bytes: 0, ms: 0 }, summary: [] });
});

test('docs links follow DOCS_URL', () => {
  const parsed = JSON.parse(formatJson(sampleReport(), { version: '0', docsBase: 'https://bot.example/rules/' }));
  assert.deepEqual(parsed.findings.map((f: { docs: string }) => f.docs), [
    'https://bot.example/rules/nova-wsgi-threads-not-1',
    'https://bot.example/rules/heartbeat-disabled',
    'https://bot.example/rules/some-info',
  ]);
});

test('summary rows have every column, null when unknown', () => {
  const parsed = JSON.parse(formatJson(sampleReport(), { version: '0' }));
  assert.deepEqual(parsed.summary[0], {
    service: 'nova',
    server: null,
    processes: null,
    threads: null,
    eventletPatched: null,
    heartbeat: { value: 'disabled', from: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2' },
    heartbeatThreshold: { value: '0', from: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2' },
  });
  assert.deepEqual(parsed.summary[1].eventletPatched, true);
  assert.deepEqual(parsed.summary[1].threads, { value: '4', from: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1' });
});
