/**
 * The rule tests: every fixture under rules/<id>/fixtures/ runs through the real pipeline (parseFile ->
 * extractSettings -> every rule, via review() with wholeFiles) and must match its annotations exactly:
 * - `# expect: X` -> exactly one finding of X on the next line (one per stacked `expect: X`);
 * - `# ok: X` -> no finding of X there;
 * - no finding of the fixture's own rule anywhere else (`# todo-expect:` marks a known miss: neither required nor
 *   forbidden). Findings of other rules are ignored unless annotated.
 * A fixture must also parse without errors: a parse error would make its silence meaningless.
 * A fixture with a `<name>.before.<ext>` companion is reviewed as a change (a modified file with old and new
 * content, so rules see `previous` and `newLineFor`); `# branch:` and the commit message reach the ChangeSet.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { Rule } from '../../src/model/rule.js';
import type { Knowledge } from '../../src/model/knowledge.js';
import type { MarkedFinding } from '../../src/model/finding.js';
import type { ChangeSet, FileChange } from '../../src/model/change-set.js';
import { fixturesOf, ruleFolders, type Fixture } from './read-fixtures.js';

let rules: Rule[];
let knowledge: Knowledge;

before(async () => {
  rules = await loadRules();
  knowledge = loadKnowledge();
});

for (const folder of ruleFolders()) {
  describe(`rule ${folder}`, () => {
    for (const fixture of fixturesOf(folder)) {
      const as = fixture.virtualPath !== fixture.file ? ` (as ${fixture.virtualPath})` : '';
      it(`${fixture.file}${as}${fixture.before !== undefined ? ', as a change' : ''}`, () => {
        checkFixture(fixture);
      });
    }
  });
}

function checkFixture(fixture: Fixture): void {
  const file: FileChange =
    fixture.before !== undefined
      ? { path: fixture.virtualPath, status: 'modified', oldContent: fixture.before, newContent: fixture.text }
      : { path: fixture.virtualPath, status: 'added', newContent: fixture.text };
  const changeSet: ChangeSet = {
    files: [file],
    wholeFiles: fixture.before === undefined,
    ...(fixture.branch !== undefined ? { branch: fixture.branch } : {}),
    ...(fixture.commitMessage !== undefined ? { commitMessage: fixture.commitMessage } : {}),
  };
  const result = review(
    changeSet,
    rules,
    knowledge,
    fixture.release !== undefined ? { release: fixture.release } : {},
  );
  assert.deepEqual(result.skipped, [], `${fixture.file} was not reviewed`);
  assert.deepEqual(result.errors, [], `${fixture.file} has errors`);
  const problems: string[] = [];
  const show = (f: MarkedFinding): string => `${f.ruleId} at ${fixture.file}:${f.line}: ${f.message}`;
  const at = (id: string, line: number): MarkedFinding[] =>
    result.findings.filter((f) => f.ruleId === id && f.line === line);

  const expected = new Map<string, number>();
  for (const a of fixture.annotations) {
    const key = `${a.ruleId}@${a.target}`;
    if (a.kind === 'expect') expected.set(key, (expected.get(key) ?? 0) + 1);
    if (a.kind === 'ok' && at(a.ruleId, a.target).length > 0) {
      problems.push(`line ${a.line} says ok: ${a.ruleId}, but found: ${at(a.ruleId, a.target).map(show).join('; ')}`);
    }
  }
  for (const [key, count] of expected) {
    const [id, line] = key.split('@') as [string, string];
    const found = at(id, Number(line));
    if (found.length !== count) {
      problems.push(`line ${line}: expected ${count} finding(s) of ${id}, found ${found.length}${found.length ? `: ${found.map(show).join('; ')}` : ''}`);
    }
  }
  const annotated = new Set(
    fixture.annotations.filter((a) => a.kind !== 'ok').map((a) => `${a.ruleId}@${a.target}`),
  );
  for (const f of result.findings) {
    if (f.ruleId === fixture.ruleFolder && !annotated.has(`${f.ruleId}@${f.line}`)) {
      problems.push(`unexpected finding: ${show(f)}`);
    }
  }
  assert.deepEqual(problems, [], `${fixture.file}:\n  ${problems.join('\n  ')}`);
}
