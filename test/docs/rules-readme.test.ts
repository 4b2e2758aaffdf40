/**
 * Generated documentation is current: rules/README.md equals what the rules' metadata generates, and README.md's
 * configuration section equals what the schema generates. When either fails: run `npm run docs` and commit.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../../src/engine/load-rules.js';
import type { Rule } from '../../src/model/rule.js';
import { ENGINE_CHECKS } from '../../src/model/review.js';
import { CONFIG_END, CONFIG_START, configDocsMarkdown } from '../../src/docs/generate-config-docs.js';
import { rulesReadmeMarkdown } from '../../src/docs/generate-rules-readme.js';
import { replaceBetweenMarkers } from '../../src/docs/replace-between-markers.js';

/** The package root, from dist/test/docs/. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STALE = 'is not current: run `npm run docs` and commit the result';

let rules: Rule[];
before(async () => {
  rules = await loadRules();
});

test('rules/README.md is generated from the current rules', () => {
  const actual = readFileSync(join(ROOT, 'rules/README.md'), 'utf8');
  const expected = rulesReadmeMarkdown(rules.map((r) => r.meta));
  if (actual !== expected) {
    // Name the rows that differ first: a whole-file diff of a table is hard to read.
    const have = new Set(actual.split('\n'));
    const missing = expected.split('\n').filter((l) => !have.has(l));
    assert.fail(`rules/README.md ${STALE}; lines missing or different:\n  ${missing.join('\n  ')}`);
  }
});

test("README.md's configuration section is generated from the schema", () => {
  const actual = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(actual, replaceBetweenMarkers(actual, CONFIG_START, CONFIG_END, configDocsMarkdown()), `README.md configuration section ${STALE}`);
});

test('the catalogue links every rule README and gives every engine check its own anchor', () => {
  const text = rulesReadmeMarkdown(rules.map((r) => r.meta));
  for (const r of rules) assert.ok(text.includes(`| [${r.meta.id}](${r.meta.id}/README.md) |`), r.meta.id);
  // docs-url.ts links engine checks to rules/README.md#<id>: GitHub's anchor of a `### <id>` heading is the id.
  for (const c of ENGINE_CHECKS) assert.match(text, new RegExp(`^### ${c.id}$`, 'm'));
});

test('bugs are the Launchpad references, shown as <project> <number>', () => {
  const text = rulesReadmeMarkdown([
    {
      id: 'x',
      description: 'a | b',
      severity: 'info',
      kinds: ['ini', 'puppet'],
      references: ['https://bugs.launchpad.net/oslo.messaging/+bug/1934937', 'https://example.org/doc'],
    },
    { id: 'y', description: 'd', severity: 'error', kinds: ['apache'], references: ['https://example.org/doc'] },
  ]);
  assert.match(text, /^\| \[x\]\(x\/README\.md\) \| ini, puppet \| info \| \[oslo\.messaging 1934937\]\(https:\/\/bugs\.launchpad\.net\/oslo\.messaging\/\+bug\/1934937\) \| a \\\| b \|$/m);
  assert.match(text, /^\| \[y\]\(y\/README\.md\) \| apache \| error \| — \| d \|$/m);
});

test('replaceBetweenMarkers keeps the markers and what is around them, and refuses a file without them', () => {
  assert.equal(replaceBetweenMarkers('a\n<s>\nold\n<e>\nb\n', '<s>', '<e>', 'new'), 'a\n<s>\nnew\n<e>\nb\n');
  assert.throws(() => replaceBetweenMarkers('a\n', '<s>', '<e>', 'x'), /markers <s> \.\.\. <e> not found/);
});
