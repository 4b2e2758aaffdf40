/**
 * The `bin` is a bundle (build/bundle-cli.mjs) with the rules registered statically; the unbundled dist/src/cli.js
 * discovers them from dist/rules. Both must load the same rules and report the same thing, byte for byte but for
 * the timing, on every rule's fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../../src/engine/load-rules.js';
import { CLI } from './run-cli.js';

const UNBUNDLED = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const RULES = fileURLToPath(new URL('../../../rules/', import.meta.url));

function check(cli: string, args: string[]): { status: number | null; report: unknown } {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--fail-level', 'none', '--release', 'wallaby', ...args], {
    encoding: 'utf8',
  });
  const report = JSON.parse(r.stdout) as { stats: { ms?: number } };
  delete report.stats.ms;
  return { status: r.status, report };
}

test('the bundle and the unbundled CLI give the same report on every fixture', () => {
  const fixtureDirs = readdirSync(RULES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'knowledge')
    .map((d) => `${RULES}${d.name}/fixtures`);
  const bundled = check(CLI, fixtureDirs);
  const unbundled = check(UNBUNDLED, fixtureDirs);
  assert.equal(bundled.status, 0);
  assert.deepEqual(bundled.report, unbundled.report);
  const findings = (bundled.report as { findings: { ruleId: string }[] }).findings;
  assert.ok(findings.length > 50, `fixtures should fire many rules, got ${findings.length} findings`);
});

test('the bundle registers every rule the build discovers', async () => {
  const discovered = (await loadRules()).map((r) => r.meta.id);
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '--fail-level', 'none', fileURLToPath(import.meta.url)], { encoding: 'utf8' });
  const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
  const listed = sarif.runs[0]!.tool.driver.rules.map((x) => x.id);
  for (const id of discovered) assert.ok(listed.includes(id), `bundle is missing rule ${id}`);
  assert.ok(discovered.length >= 24, `only ${discovered.length} rules discovered`);
});
