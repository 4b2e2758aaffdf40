import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython } from '../../src/parsers/python.js';
import { allImports, importBindings, moduleImports, resolveName } from '../../src/settings/python-imports.js';

const SOURCE = `from __future__ import annotations
"""doc"""
import nova.monkey_patch  # noqa
import a.b as c, d
from x.y import (z as w, q)
from . import rel
from ..pkg import sib
from eventlet import *
from oslo_messaging._drivers import amqpdriver
from eventlet import patcher
try:
    import urllib3
except ImportError:
    urllib3 = None


def f():
    import inner
`;

const root = (() => {
  const { tree, errors } = parsePython(SOURCE);
  assert.deepEqual(errors, []);
  return tree.root;
})();

test('moduleImports: module-level imports in order, with what each binds and loads', () => {
  const imports = moduleImports(root);
  assert.deepEqual(
    imports.map((i) => [i.node.startPosition.row + 1, i.kind, i.from, i.names.map((n) => `${n.bound}=${n.target}`), i.modules, i.wildcard]),
    [
      [1, 'future', '__future__', ['annotations=__future__.annotations'], ['__future__'], false],
      [3, 'import', undefined, ['nova=nova'], ['nova.monkey_patch'], false],
      [4, 'import', undefined, ['c=a.b', 'd=d'], ['a.b', 'd'], false],
      [5, 'from', 'x.y', ['w=x.y.z', 'q=x.y.q'], ['x.y'], false],
      [6, 'from', '.', ['rel=.rel'], ['.'], false],
      [7, 'from', '..pkg', ['sib=..pkg.sib'], ['..pkg'], false],
      [8, 'from', 'eventlet', [], ['eventlet'], true],
      [9, 'from', 'oslo_messaging._drivers', ['amqpdriver=oslo_messaging._drivers.amqpdriver'], ['oslo_messaging._drivers'], false],
      [10, 'from', 'eventlet', ['patcher=eventlet.patcher'], ['eventlet'], false],
      [12, 'import', undefined, ['urllib3=urllib3'], ['urllib3'], false],
    ],
  );
  assert.deepEqual(allImports(root).map((i) => i.node.startPosition.row + 1).slice(-1), [18]);
});

test('importBindings and resolveName resolve the first component of a dotted name', () => {
  const bindings = importBindings(moduleImports(root));
  assert.equal(resolveName('patcher.original', bindings), 'eventlet.patcher.original');
  assert.equal(resolveName('amqpdriver.threading', bindings), 'oslo_messaging._drivers.amqpdriver.threading');
  assert.equal(resolveName('c', bindings), 'a.b');
  assert.equal(resolveName('LOG.info', bindings), 'LOG.info');
  assert.equal(resolveName('nova.monkey_patch.patch', bindings), 'nova.monkey_patch.patch');
});
