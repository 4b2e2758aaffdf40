/** Engine checks end to end: an unused suppression is an info finding with a docs link, described in SARIF. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'heartbeat-bot-engine-checks-'));
mkdirSync(join(root, 'etc/nova'), { recursive: true });
writeFileSync(join(root, 'etc/nova/nova.conf'), '[oslo_messaging_rabbit]\n# heartbeat-bot: ignore heartbeat-disabled\nheartbeat_timeout_threshold = 60\n');
after(() => rmSync(root, { recursive: true, force: true }));

test('an unused suppression is reported as info (exit 0 at the default fail level), with its docs anchor', () => {
  const r = runCli(['check', '--format', 'json'], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; line: number; docs: string }[] };
  assert.deepEqual(out.findings.map((f) => [f.ruleId, f.severity, f.line]), [['unused-suppression', 'info', 2]]);
  assert.match(out.findings[0]!.docs, /\/rules\/README\.md#unused-suppression$/);
  assert.equal(runCli(['check', '--fail-level', 'info'], { cwd: root }).code, 1);
});

test('SARIF describes engine checks like rules', () => {
  const log = JSON.parse(runCli(['check', '--format', 'sarif'], { cwd: root }).stdout);
  const rule = log.runs[0].tool.driver.rules.find((d: { id: string }) => d.id === 'unused-suppression');
  assert.match(rule.shortDescription.text, /suppresses nothing/);
  assert.match(rule.helpUri, /^file:\/\/.*\/rules\/README\.md#unused-suppression$/);
  assert.equal(rule.defaultConfiguration.level, 'note');
});

test('the configuration can turn an engine check off', () => {
  writeFileSync(join(root, 'quiet.yml'), 'rules:\n  unused-suppression: off\n');
  const r = runCli(['check', '--format', 'json', '--config', 'quiet.yml', 'etc'], { cwd: root });
  assert.deepEqual(JSON.parse(r.stdout).findings, []);
});
