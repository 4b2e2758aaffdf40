import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yamlNestingDepth } from '../../src/parsers/yaml-depth.js';
import { parseYaml } from '../../src/parsers/yaml.js';

test('depth of ordinary YAML: block levels, compact sequences, flow brackets', () => {
  assert.equal(yamlNestingDepth('', 100), 0);
  assert.equal(yamlNestingDepth('a: 1\nb: 2\n', 100), 1);
  assert.equal(yamlNestingDepth('a:\n  b:\n    c: 1\nd: 2\n', 100), 3);
  assert.equal(yamlNestingDepth('- - - x\n', 100), 4);
  assert.equal(yamlNestingDepth('a: {b: [1, {c: 2}]}\n', 100), 4);
  assert.equal(yamlNestingDepth('a: "[[[[" # [[[[\nb: \'{{{\'\n', 100), 1);
  assert.equal(yamlNestingDepth('a: [\n  1,\n  [2]\n]\n', 100), 3);
});

test('the scan stops past the limit', () => {
  assert.equal(yamlNestingDepth('['.repeat(1000), 10), 11);
});

test('parseYaml refuses absurd nesting without crashing the process', () => {
  for (const text of ['['.repeat(5000) + ']'.repeat(5000), '- '.repeat(5000) + 'x', Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n')]) {
    const { tree, errors } = parseYaml(text);
    assert.deepEqual(tree.documents, []);
    assert.match(errors[0]!.message, /nesting deeper than/);
  }
  // 100 levels is still parsed
  const ok = parseYaml('- '.repeat(100) + 'x');
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.tree.documents.length, 1);
});
