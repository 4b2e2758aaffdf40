/** Rule documentation links: one decision for every format. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absoluteRuleDocsUrl, ruleDocsUrl } from '../../src/formats/docs-url.js';

test('a base URL is joined with or without its trailing slash', () => {
  assert.equal(ruleDocsUrl('heartbeat-disabled', 'https://x.example/rules/'), 'https://x.example/rules/heartbeat-disabled');
  assert.equal(ruleDocsUrl('heartbeat-disabled', 'https://x.example/rules'), 'https://x.example/rules/heartbeat-disabled');
});

test('without a base: the package README, relative or as an absolute file URL', () => {
  assert.equal(ruleDocsUrl('heartbeat-disabled'), 'rules/heartbeat-disabled/README.md');
  const abs = new URL(absoluteRuleDocsUrl('heartbeat-disabled'));
  assert.equal(abs.protocol, 'file:');
  // The package root: the folder holding package.json.
  assert.ok(abs.pathname.endsWith('/rules/heartbeat-disabled/README.md'));
  assert.equal(new URL('../../../package.json', abs).pathname.endsWith('/package.json'), true);
});

test('engine checks link to their section of the catalogue without a base, like rules with one', () => {
  assert.equal(ruleDocsUrl('unused-suppression'), 'rules/README.md#unused-suppression');
  assert.ok(absoluteRuleDocsUrl('suppression-without-reason').endsWith('/rules/README.md#suppression-without-reason'));
  assert.equal(ruleDocsUrl('unused-suppression', 'https://x.example/rules/'), 'https://x.example/rules/unused-suppression');
});
