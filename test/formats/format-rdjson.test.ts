/** `--format rdjson`: one reviewdog DiagnosticResult with the rdf fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRdjson } from '../../src/formats/format-rdjson.js';
import { sampleReport } from './sample-report.js';

const RDF_DIAGNOSTIC_KEYS = new Set(['message', 'location', 'severity', 'source', 'code', 'suggestions', 'original_output', 'related_locations']);

test('a DiagnosticResult whose diagnostics use only rdf fields', () => {
  const out = JSON.parse(formatRdjson(sampleReport(), { version: '0.1.0', docsBase: 'https://bot.example.org/rules/' }));
  assert.deepEqual(Object.keys(out).sort(), ['diagnostics', 'source']);
  assert.deepEqual(out.source, { name: 'heartbeat-bot', url: 'https://bot.example.org/' });
  for (const d of out.diagnostics) {
    for (const key of Object.keys(d)) assert.ok(RDF_DIAGNOSTIC_KEYS.has(key), key);
    assert.ok(['ERROR', 'WARNING', 'INFO'].includes(d.severity));
    assert.equal(typeof d.location.path, 'string');
    assert.equal(typeof d.location.range.start.line, 'number');
  }
  assert.deepEqual(out.diagnostics[0], {
    message: 'nova-api runs under eventlet; more than one WSGI thread starves the AMQP heartbeat. Set threads to 1.',
    location: { path: 'hieradata/common.yaml', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 35 } } },
    severity: 'ERROR',
    source: { name: 'heartbeat-bot', url: 'https://bot.example.org/' },
    code: { value: 'nova-wsgi-threads-not-1', url: 'https://bot.example.org/rules/nova-wsgi-threads-not-1' },
    suggestions: [{ range: { start: { line: 1 }, end: { line: 1 } }, text: 'nova::wsgi::apache_api::threads: 1' }],
  });
  // No columns: a line-wise range.
  assert.deepEqual(out.diagnostics[1].location.range, { start: { line: 2 }, end: { line: 2 } });
  assert.equal(out.diagnostics[1].severity, 'WARNING');
  assert.equal(out.diagnostics[2].severity, 'INFO');
});

test('columns are UTF-8 byte counts', () => {
  // Line 2 is "# héllo": UTF-16 columns 5..8 ("llo" after "é", end exclusive) are bytes 6..9.
  const out = JSON.parse(formatRdjson(sampleReport(), { version: '0' }));
  assert.deepEqual(out.diagnostics[2].location.range, { start: { line: 2, column: 6 }, end: { line: 2, column: 9 } });
});

test('without DOCS_URL the rule link is the README in the package', () => {
  const out = JSON.parse(formatRdjson(sampleReport(), { version: '0' }));
  assert.deepEqual(out.source, { name: 'heartbeat-bot' });
  assert.equal(out.diagnostics[0].code.url, 'rules/nova-wsgi-threads-not-1/README.md');
});
