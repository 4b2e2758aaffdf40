/**
 * The core rules' "Evidence" sections are current: each equals what src/docs/lab-evidence.ts generates from the
 * committed lab/results.json. When this fails after `npm run lab`: run `npm run docs` and commit both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LAB_EVIDENCE,
  LAB_EVIDENCE_END,
  LAB_EVIDENCE_START,
  describeScenario,
  labEvidenceMarkdown,
  parseLabResults,
  type LabResults,
} from '../../src/docs/lab-evidence.js';
import { replaceBetweenMarkers } from '../../src/docs/replace-between-markers.js';

/** The package root, from dist/test/docs/. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const results = parseLabResults(readFileSync(join(ROOT, 'lab/results.json'), 'utf8'));

for (const id of Object.keys(LAB_EVIDENCE)) {
  test(`rules/${id}/README.md shows the current lab evidence`, () => {
    const readme = readFileSync(join(ROOT, 'rules', id, 'README.md'), 'utf8');
    assert.ok(readme.includes(LAB_EVIDENCE_START), `rules/${id}/README.md has no ${LAB_EVIDENCE_START} marker`);
    assert.match(readme, /^## Evidence$/m, `rules/${id}/README.md has no "## Evidence" heading`);
    const expected = replaceBetweenMarkers(readme, LAB_EVIDENCE_START, LAB_EVIDENCE_END, labEvidenceMarkdown(id, results));
    assert.equal(readme, expected, `rules/${id}/README.md evidence is not current: run \`npm run docs\` and commit`);
  });
}

test('the evidence links lab/RESULTS.md and names the command that reproduces it', () => {
  for (const id of Object.keys(LAB_EVIDENCE)) {
    const text = labEvidenceMarkdown(id, results);
    assert.match(text, /\[lab\/RESULTS\.md\]\(\.\.\/\.\.\/lab\/RESULTS\.md\)/);
    assert.match(text, /`npm run lab`/);
  }
  const lab = readFileSync(join(ROOT, 'lab/RESULTS.md'), 'utf8');
  assert.ok(lab.includes(results.date), 'lab/RESULTS.md is not from the same run as lab/results.json');
});

test('each scenario becomes one row: its configuration and its measured outcome', () => {
  const synthetic: LabResults = {
    date: '2026-01-02',
    durationSeconds: 600,
    packages: { 'libapache2-mod-wsgi-py3': '4.9.4', 'python3-oslo.messaging': '14.0.3' },
    settings: { idleSeconds: 45, rpcResponseTimeout: 20 },
    scenarios: [
      { id: 'a', kind: 'wsgi', server: 'mod_wsgi', threads: 4, heartbeatInPthread: false, heartbeatTimeoutThreshold: 10, outcome: '3 | timed out' },
      { id: 'b', kind: 'mpm', config: ['ServerLimit 8'], outcome: 'ok' },
    ],
  };
  const text = labEvidenceMarkdown('nova-wsgi-threads-not-1', synthetic);
  assert.match(text, /^\| mod_wsgi, threads=4, heartbeat_in_pthread=false, threshold 10 s \| 3 \\\| timed out \|$/m);
  assert.ok(!text.includes('ServerLimit'), 'an MPM scenario is no evidence for nova-wsgi-threads-not-1');
  assert.match(text, /mod_wsgi 4\.9\.4, oslo\.messaging 14\.0\.3/);
  assert.match(text, /about 10 minutes/);
  assert.equal(describeScenario({ id: 'c', kind: 'drop', heartbeatTimeoutThreshold: 0, outcome: '' }),
    'eventlet RPC server, path silently dropped, heartbeats off (0)');
  assert.throws(() => labEvidenceMarkdown('heartbeat-disabled', { ...synthetic, scenarios: [] }), /no scenario/);
  assert.throws(() => parseLabResults('{"date": "x"}'), /lacks/);
});
