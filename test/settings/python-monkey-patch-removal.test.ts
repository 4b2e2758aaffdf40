/**
 * nova-monkey-patch-first with the old side of a change (context.previous), which the fixture test cannot give:
 * a removal is reported where the patch was, whatever the release; no finding when the old side did not patch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../rules/nova-monkey-patch-first/rule.js';
import { parsePython } from '../../src/parsers/python.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';
import type { ReportInput, RuleContext } from '../../src/model/rule.js';
import type { Release } from '../../src/model/release.js';

const PATH = 'nova/api/openstack/__init__.py';
const OLD = `"""WSGI middleware."""
import nova.monkey_patch  # noqa

from oslo_log import log as logging
`;
const NEW = `"""WSGI middleware."""
# import nova.monkey_patch  # noqa

from oslo_log import log as logging
`;

function python(path: string, text: string): ParsedFile {
  const { tree, errors } = parsePython(text);
  return { kind: 'python', path, text, tree, errors };
}

function run(newText: string, oldText: string | undefined, release: Release): ReportInput[] {
  const reports: ReportInput[] = [];
  const context: RuleContext = {
    settings: [],
    files: [python(PATH, newText)],
    release,
    knowledge: loadKnowledge(),
    previous: { settings: [], files: oldText === undefined ? [] : [python(PATH, oldText)] },
    newLineFor: (path, line) => (path === PATH ? { path, line } : undefined),
    report: (input) => reports.push(input),
  };
  rule.check(context);
  return reports;
}

const zed: Release = { series: 'zed', novaMajor: 26, osloMessaging: { min: '14.0', max: '14.0' }, puppetMajor: 21, source: 'branch' };
const gazpacho: Release = { series: '2026.1', novaMajor: 33, osloMessaging: { min: '17.3', max: '17.3' }, puppetMajor: 28, source: 'branch' };

test('a removed patch is reported on the line where it was: error inside nova 19-32', () => {
  const [finding, ...rest] = run(NEW, OLD, zed);
  assert.equal(rest.length, 0);
  assert.equal(finding?.range.start.line, 2);
  assert.equal(finding?.severity, 'error');
  assert.match(finding?.message ?? '', /removes the monkey patching \(`import nova\.monkey_patch`\)/);
});

test('outside the window a removal is still reported, as a warning; a file that never patched is not', () => {
  const [finding] = run(NEW, OLD, gazpacho);
  assert.equal(finding?.severity, 'warning');
  assert.equal(finding?.range.start.line, 2);
  assert.deepEqual(run(NEW, NEW, gazpacho), []);
  assert.deepEqual(run(NEW, undefined, gazpacho), []);
});

test('without the old side, a missing patch in a must-patch module is reported at its first code line', () => {
  const [finding] = run(NEW, undefined, zed);
  assert.equal(finding?.range.start.line, 4);
  assert.match(finding?.message ?? '', /No eventlet monkey patching/);
  assert.deepEqual(run(OLD, OLD, zed), []);
});
