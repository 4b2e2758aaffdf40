/** `--format json` writes exactly the contract's object. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson } from '../../src/formats/format-json.js';
import { sampleReport } from './sample-report.js';

test('the JSON object has exactly the contract keys, in order, and nothing internal', () => {
  const report = sampleReport();
  // Internal fields a MarkedFinding carries must not leak.
  const withDiff = { ...report, findings: report.findings.map((f) => ({ ...f, diff: { inChangedFile: true, inHunk: true, onAddedLine: true } })) };
  const out = formatJson(withDiff, { version: '0.1.0' });
  assert.ok(out.endsWith('}\n'));
  const parsed = JSON.parse(out);
  assert.deepEqual(Object.keys(parsed), ['findings', 'errors', 'stats']);
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
  });
  assert.deepEqual(Object.keys(parsed.findings[0]), ['ruleId', 'severity', 'path', 'line', 'endLine', 'column', 'message', 'references', 'suggestion']);
  // Optional keys are absent, not null.
  assert.deepEqual(Object.keys(parsed.findings[1]), ['ruleId', 'severity', 'path', 'line', 'endLine', 'message', 'references']);
  assert.deepEqual(parsed.errors, [{ path: 'manifests/broken.pp', message: 'parse error at 3:7: unexpected }' }]);
  assert.deepEqual(parsed.stats, { files: 4, bytes: 1234, ms: 4.2 });
});

test('an empty report is still the full object', () => {
  const out = JSON.parse(formatJson({ findings: [], errors: [], skipped: [], stats: { files: 0, bytes: 0, ms: 0 }, rules: [] }, { version: '0' }));
  assert.deepEqual(out, { findings: [], errors: [], stats: { files: 0, bytes: 0, ms: 0 } });
});
