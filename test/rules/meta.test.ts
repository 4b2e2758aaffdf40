/**
 * Every rule folder is complete and consistent: rule.ts, README.md with its sections, fixtures with at least one
 * `expect` and one `ok`, a fixture for each kind the rule claims, meta.id equal to the folder, and references
 * that put Launchpad bugs first (written https://bugs.launchpad.net/<project>/+bug/<n>).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import { parseFile } from '../../src/parsers/parse-file.js';
import type { Rule } from '../../src/model/rule.js';
import { ENGINE_CHECK_IDS } from '../../src/model/review.js';
import { fixturesOf, ruleFolders, RULES_DIR } from './read-fixtures.js';

const README_SECTIONS = ['What', 'Why', 'Bad', 'Good', 'How to fix', 'References'];
/** Rules grounded in a Launchpad bug: their first reference must be that bug. */
const BUG_RULES = ['nova-wsgi-threads-not-1', 'heartbeat-disabled', 'pthread-heartbeat-on-non-wsgi'];
const LAUNCHPAD = /^https:\/\/bugs\.launchpad\.net\/[a-z0-9.-]+\/\+bug\/\d+$/;

let rules: Map<string, Rule>;
before(async () => {
  rules = new Map((await loadRules()).map((r) => [r.meta.id, r]));
});

describe('rule folders', () => {
  it('every rule folder has a compiled rule and every loaded rule has a folder', () => {
    assert.deepEqual([...rules.keys()].sort(), ruleFolders());
  });

  it('engine checks (review() itself) have no rule folder, and no rule takes their ids', () => {
    for (const id of ENGINE_CHECK_IDS) {
      assert.ok(!ruleFolders().includes(id), `rules/${id}/ must not exist: ${id} is an engine check`);
      assert.ok(!rules.has(id), `a rule claims the engine check id ${id}`);
    }
  });

  for (const folder of ruleFolders()) {
    describe(folder, () => {
      const dir = join(RULES_DIR, folder);

      it('has rule.ts and a README.md with every section', () => {
        assert.ok(existsSync(join(dir, 'rule.ts')), 'rule.ts is missing');
        assert.ok(existsSync(join(dir, 'README.md')), 'README.md is missing');
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        const missing = README_SECTIONS.filter((s) => !new RegExp(`^#{2,3}\\s+${s}\\b`, 'im').test(readme));
        assert.deepEqual(missing, [], `README.md lacks sections: ${missing.join(', ')}`);
        assert.match(readme, new RegExp(`^#\\s+${folder}\\b`, 'm'), 'README.md title is the rule id');
      });

      it('meta.id equals the folder and the README cites every Launchpad reference', () => {
        const rule = rules.get(folder);
        assert.ok(rule, `no rule loaded from ${folder}`);
        assert.equal(rule.meta.id, folder);
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        for (const ref of rule.meta.references.filter((r) => r.includes('launchpad'))) {
          assert.match(ref, LAUNCHPAD, `${ref} is not written https://bugs.launchpad.net/<project>/+bug/<n>`);
          assert.ok(readme.includes(ref), `README.md does not cite ${ref}`);
        }
      });

      it('puts Launchpad bugs first', () => {
        const refs = rules.get(folder)?.meta.references ?? [];
        const firstOther = refs.findIndex((r) => !LAUNCHPAD.test(r));
        const lastBug = refs.map((r) => LAUNCHPAD.test(r)).lastIndexOf(true);
        assert.ok(firstOther === -1 || lastBug < firstOther, `Launchpad bugs must come first: ${refs.join(', ')}`);
        if (BUG_RULES.includes(folder)) assert.match(refs[0] ?? '', LAUNCHPAD);
      });

      it('has at least one expect and one ok fixture', () => {
        const annotations = fixturesOf(folder).flatMap((f) => f.annotations.filter((a) => a.ruleId === folder));
        assert.ok(annotations.some((a) => a.kind === 'expect'), 'no `# expect:` fixture line');
        assert.ok(annotations.some((a) => a.kind === 'ok'), 'no `# ok:` fixture line');
      });

      it('has a fixture of every kind it claims', () => {
        const kinds = new Set(fixturesOf(folder).map((f) => parseFile(f.virtualPath, f.text).kind));
        const missing = (rules.get(folder)?.meta.kinds ?? []).filter((k) => !kinds.has(k));
        assert.deepEqual(missing, [], `no fixture of kind ${missing.join(', ')} (fixture kinds: ${[...kinds].join(', ')})`);
      });
    });
  }
});
