/** `--format sarif`: valid against the official SARIF 2.1.0 schema, with stable fingerprints and fixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSarif } from '../../src/formats/format-sarif.js';
import { FINGERPRINT_KEY } from '../../src/formats/fingerprint.js';
import { sampleReport, HIERA } from './sample-report.js';
import { sarifErrors } from './validate-sarif.js';

function assertValid(log: unknown) {
  const errors = sarifErrors(log);
  assert.equal(errors, undefined, errors);
}

test('SARIF output validates against the SARIF 2.1.0 schema', () => {
  assertValid(JSON.parse(formatSarif(sampleReport(), { version: '0.1.0' })));
  assertValid(JSON.parse(formatSarif(sampleReport(), { version: '0.1.0', docsBase: 'https://bot.example.org/rules/' })));
  assertValid(JSON.parse(formatSarif({ findings: [], errors: [], skipped: [], stats: { files: 0, bytes: 0, ms: 0 }, rules: [] }, { version: '0.1.0' })));
});

test('one run, rules with helpUri and default level, results pointing at them', () => {
  const log = JSON.parse(formatSarif(sampleReport(), { version: '0.1.0', docsBase: 'https://bot.example.org/rules' }));
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'heartbeat-bot');
  assert.equal(run.tool.driver.version, '0.1.0');
  assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['heartbeat-disabled', 'nova-wsgi-threads-not-1', 'some-info']);
  assert.equal(run.tool.driver.rules[1].helpUri, 'https://bot.example.org/rules/nova-wsgi-threads-not-1');
  assert.equal(run.tool.driver.rules[1].defaultConfiguration.level, 'error');
  assert.equal(run.tool.driver.rules[0].defaultConfiguration.level, 'warning');
  const [first, second, third] = run.results;
  assert.equal(first.ruleId, 'nova-wsgi-threads-not-1');
  assert.equal(first.ruleIndex, 1);
  assert.equal(first.level, 'error');
  assert.equal(second.level, 'warning');
  assert.equal(third.level, 'note');
  assert.deepEqual(first.locations[0].physicalLocation, {
    artifactLocation: { uri: 'hieradata/common.yaml', uriBaseId: '%SRCROOT%' },
    region: { startLine: 1, endLine: 1, startColumn: 1, endColumn: 35 },
  });
  assert.deepEqual(second.locations[0].physicalLocation.region, { startLine: 2, endLine: 2 });
  assert.deepEqual(first.fixes[0].artifactChanges[0].replacements[0], {
    deletedRegion: { startLine: 1, endLine: 1 },
    insertedContent: { text: 'nova::wsgi::apache_api::threads: 1' },
  });
  assert.equal(second.fixes, undefined);
  assert.equal(run.invocations[0].executionSuccessful, true);
  assert.deepEqual(
    run.invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]),
    [['error', 'parse error at 3:7: unexpected }'], ['note', 'skipped: binary']],
  );
});

test('without DOCS_URL helpUri is the absolute file URL of the README shipped in the package', () => {
  const log = JSON.parse(formatSarif(sampleReport(), { version: '0.1.0' }));
  assert.match(log.runs[0].tool.driver.rules[1].helpUri, /^file:\/\/.*\/rules\/nova-wsgi-threads-not-1\/README\.md$/);
});

test('fingerprints follow the line text, not the line number', () => {
  const before = sampleReport();
  const fpBefore = JSON.parse(formatSarif(before, { version: '0' })).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
  // Move the offending line down by three lines.
  const moved = sampleReport();
  moved.contents = new Map([['hieradata/common.yaml', `# a\n# b\n# c\n${HIERA}`]]);
  moved.findings = moved.findings.map((f) => (f.ruleId === 'nova-wsgi-threads-not-1' ? { ...f, line: 4, endLine: 4 } : f));
  const fpMoved = JSON.parse(formatSarif(moved, { version: '0' })).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
  assert.equal(fpMoved, fpBefore);
  assert.match(fpBefore, /^[0-9a-f]{32}:1$/);
  // A changed line is a different finding.
  const changed = sampleReport();
  changed.contents = new Map([['hieradata/common.yaml', 'nova::wsgi::apache_api::threads: 8\n']]);
  const fpChanged = JSON.parse(formatSarif(changed, { version: '0' })).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
  assert.notEqual(fpChanged, fpBefore);
});

test('identical findings on identical lines get distinct occurrence numbers', () => {
  const report = sampleReport();
  const f = report.findings[0]!;
  report.contents = new Map([['hieradata/common.yaml', `${HIERA}${HIERA}`]]);
  report.findings = [f, { ...f, line: 4, endLine: 4 }];
  const results = JSON.parse(formatSarif(report, { version: '0' })).runs[0].results;
  const [a, b] = results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints[FINGERPRINT_KEY]);
  assert.equal(a.split(':')[0], b.split(':')[0]);
  assert.deepEqual([a.split(':')[1], b.split(':')[1]], ['1', '2']);
});

test('paths with spaces are percent-encoded URI references', () => {
  const report = sampleReport();
  report.findings = [{ ...report.findings[1]!, path: 'etc/my dir/nova.conf' }];
  const log = JSON.parse(formatSarif(report, { version: '0' }));
  assertValid(log);
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'etc/my%20dir/nova.conf');
});

test('the concurrency summary is a run property, in the JSON output row shape, and stays valid SARIF', () => {
  const log = JSON.parse(formatSarif(sampleReport(), { version: '0.1.0' }));
  assertValid(log);
  const summary = log.runs[0].properties.summary;
  assert.deepEqual(summary.map((r: { service: string }) => r.service), ['nova', 'nova-api']);
  assert.deepEqual(summary[1].heartbeat, { value: 'greenthread', from: 'nova 23 (wallaby) monkey-patches nova-api with eventlet' });
  assert.equal(summary[0].server, null);
});
