/** loadRules: discovers the compiled rules without an index, and refuses invalid ones. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, validateRule } from '../../src/engine/load-rules.js';

const meta = {
  id: 'x',
  description: 'd',
  severity: 'warning',
  kinds: ['ini'],
  references: ['https://bugs.launchpad.net/nova/+bug/1'],
};

describe('loadRules', () => {
  it('finds every rule under dist/rules, sorted by id', async () => {
    const ids = (await loadRules()).map((r) => r.meta.id);
    for (const id of ['heartbeat-disabled', 'mpm-threads-sizing', 'nova-wsgi-threads-not-1', 'pthread-heartbeat-on-non-wsgi']) {
      assert.ok(ids.includes(id), `${id} not loaded`);
    }
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(!ids.includes('knowledge'));
  });

  it('refuses a folder whose rule is invalid, naming the file and the problem; skips folders without rule.js', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heartbeat-bot-rules-'));
    try {
      const write = (folder: string, source: string) => {
        mkdirSync(join(dir, folder));
        writeFileSync(join(dir, folder, 'rule.js'), source);
      };
      write('good-rule', `export default { meta: ${JSON.stringify({ ...meta, id: 'good-rule' })}, check() {} };`);
      write('renamed', `export default { meta: ${JSON.stringify({ ...meta, id: 'old-name' })}, check() {} };`);
      write('broken', 'export default {;');
      mkdirSync(join(dir, 'knowledge'));
      await assert.rejects(loadRules(dir), (e: Error) => {
        assert.match(e.message, /renamed[\\/]rule\.js: meta\.id "old-name" must equal the folder name 'renamed'/);
        assert.match(e.message, /broken[\\/]rule\.js: cannot be loaded/);
        assert.doesNotMatch(e.message, /good-rule|knowledge/);
        return true;
      });
      rmSync(join(dir, 'renamed'), { recursive: true });
      rmSync(join(dir, 'broken'), { recursive: true });
      assert.deepEqual((await loadRules(dir)).map((r) => r.meta.id), ['good-rule']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateRule', () => {
  const check = () => undefined;
  const cases: [string, unknown, RegExp | undefined][] = [
    ['valid', { meta, check }, undefined],
    ['not an object', 'rule', /default export must be a rule/],
    ['no check', { meta }, /check must be a function/],
    ['no meta', { check }, /meta is missing/],
    ['id differs', { meta: { ...meta, id: 'y' }, check }, /must equal the folder name 'x'/],
    ['no description', { meta: { ...meta, description: '' }, check }, /description is missing/],
    ['bad severity', { meta: { ...meta, severity: 'fatal' }, check }, /severity must be one of/],
    ['no kinds', { meta: { ...meta, kinds: [] }, check }, /kinds must be a non-empty list/],
    ['unknown kind', { meta: { ...meta, kinds: ['ruby'] }, check }, /kinds must be/],
    ['relative reference', { meta: { ...meta, references: ['docs/x.md'] }, check }, /absolute URLs/],
  ];
  for (const [name, rule, problem] of cases) {
    it(name, () => {
      const wrong = validateRule(rule, 'x');
      if (problem === undefined) assert.deepEqual(wrong, []);
      else assert.match(wrong.join('\n'), problem);
    });
  }
});
