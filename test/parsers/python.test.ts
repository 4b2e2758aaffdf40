import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython } from '../../src/parsers/python.js';
import type { PythonNode } from '../../src/model/ast/python.js';
import type { Range } from '../../src/model/location.js';

function span(r: Range): string {
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

const NOVA_WSGI = `# nova/api/openstack/compute/wsgi.py (shape of the real module)
import eventlet
eventlet.monkey_patch()

from oslo_config import cfg
import oslo_messaging as messaging
from nova.api.openstack import wsgi_app

NAME = "osapi_compute"


def init_application():
    return wsgi_app.init_application(NAME)
`;

test('imports, assignments and functions with tree-sitter positions', () => {
  const { tree, errors } = parsePython(NOVA_WSGI);
  assert.deepEqual(errors, []);
  const root = tree.root;
  assert.equal(root.type, 'module');
  assert.equal(root.hasError, false);
  const kinds = root.namedChildren.map((n) => n.type);
  assert.deepEqual(kinds, [
    'comment',
    'import_statement',
    'expression_statement',
    'import_from_statement',
    'import_statement',
    'import_from_statement',
    'expression_statement',
    'function_definition',
  ]);
  const patch = root.namedChildren[2]!;
  assert.equal(patch.text, 'eventlet.monkey_patch()');
  assert.deepEqual(patch.startPosition, { row: 2, column: 0 });
  assert.equal(patch.startIndex, NOVA_WSGI.indexOf('eventlet.monkey_patch'));
  const fromCfg = root.namedChildren[3]!;
  assert.equal(fromCfg.childForFieldName('module_name')?.text, 'oslo_config');
  const aliased = root.namedChildren[4]!;
  assert.equal(aliased.namedChildren[0]?.type, 'aliased_import');
  assert.equal(aliased.namedChildren[0]?.childForFieldName('alias')?.text, 'messaging');
  const fn = root.namedChildren[7]!;
  assert.equal(fn.childForFieldName('name')?.text, 'init_application');
  assert.equal(fn.parent?.type, 'module');
});

test('indexes and columns are UTF-16 code units, like JavaScript strings', () => {
  const text = 's = "é😀"\nimport os\n';
  const { tree } = parsePython(text);
  const imp = tree.root.namedChildren[1]!;
  assert.equal(imp.startIndex, text.indexOf('import'));
  assert.equal(imp.startIndex, 10);
  const str = tree.root.namedChildren[0]!.namedChildren[0]!.childForFieldName('right')!;
  assert.deepEqual(str.endPosition, { row: 0, column: 9 });
  assert.equal(str.endIndex, 9);
});

test('syntax errors become ParseErrors with locations; the tree is still returned', () => {
  const text = 'import os\ndef f(:\n    pass\nx = (1,\n';
  const { tree, errors } = parsePython(text);
  assert.equal(tree.root.type, 'module');
  assert.equal(tree.root.hasError, true);
  assert.ok(errors.length >= 1);
  for (const e of errors) {
    assert.match(e.message, /^syntax error: /);
    assert.ok(e.range.start.line >= 2);
  }
  assert.equal(tree.root.namedChildren[0]!.type, 'import_statement');
});

test('a MISSING token is reported with its position', () => {
  const { errors } = parsePython('def f(:\n    pass\n');
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [["syntax error: missing ')'", '1:7-1:7']],
  );
});

test('an ERROR node is reported with the text it swallowed', () => {
  const { errors } = parsePython('x = 1\n$$$ bad\n');
  assert.ok(errors.length >= 1);
  assert.equal(errors[0]!.range.start.line, 2);
  assert.match(errors[0]!.message, /^syntax error: unexpected /);
});

test('empty input', () => {
  const { tree, errors } = parsePython('');
  assert.deepEqual(errors, []);
  assert.equal(tree.root.type, 'module');
  assert.equal(tree.root.children.length, 0);
});

test('never throws: binary, large (>32k) and over-limit input; errors are capped', () => {
  const bytes = String.fromCharCode(...Array.from({ length: 20000 }, (_, i) => (i * 7919 + 1) % 256));
  const bin = parsePython(bytes);
  assert.ok(bin.errors.length >= 1 && bin.errors.length <= 100);
  const large = 'x = 1\n'.repeat(20_000);
  const r = parsePython(large);
  assert.deepEqual(r.errors, []);
  assert.equal(r.tree.root.endIndex, large.length);
  assert.equal(r.tree.root.namedChildren.length, 20_000);
  const huge = parsePython('#'.repeat(11 * 1024 * 1024));
  assert.match(huge.errors[0]!.message, /too large/);
  assert.equal(huge.tree.root.type, 'module');
  assert.equal((huge.tree.root as PythonNode).childForFieldName('x'), null);
});
