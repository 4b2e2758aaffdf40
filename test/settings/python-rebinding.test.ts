import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython } from '../../src/parsers/python.js';
import {
  foreignModuleAssignments,
  moduleGlobalRebindings,
  modulePathOf,
  pathMatchesModule,
} from '../../src/settings/python-rebinding.js';

const SOURCE = `import queue
import threading
from eventlet.green import threading as threading
import eventlet.green.queue as green_queue

from oslo_messaging._drivers import amqpdriver
from . import common

threading = None
queue_size = 3


class Connection(object):
    def __init__(self):
        global threading
        threading = _utils.stdlib_threading
        amqpdriver.threading = _utils.stdlib_threading
        common.queue = None
        self.queue = []
        queue = []

    def other(self):
        threading = 1
        self.amqpdriver.threading = 2
`;

const root = (() => {
  const { tree, errors } = parsePython(SOURCE);
  assert.deepEqual(errors, []);
  return tree.root;
})();

test('moduleGlobalRebindings: global statements, assignments under them, module-level assignments, re-imports', () => {
  const found = moduleGlobalRebindings(root, ['threading', 'queue']).map((r) => `${r.node.startPosition.row + 1}:${r.how}:${r.name}`);
  // Line 23 rebinds a local in a function without `global`; line 20 assigns a local \`queue\`.
  assert.deepEqual(found, ['3:import:threading', '9:assign:threading', '15:global:threading', '16:assign:threading']);
});

test('foreignModuleAssignments: only into modules bound by an import', () => {
  const found = foreignModuleAssignments(root, ['threading', 'queue']).map((a) => `${a.node.startPosition.row + 1}:${a.local}.${a.attribute}=${a.module}`);
  assert.deepEqual(found, ['17:amqpdriver.threading=oslo_messaging._drivers.amqpdriver', '18:common.queue=.common']);
});

test('modulePathOf and pathMatchesModule', () => {
  assert.equal(modulePathOf('oslo_messaging._drivers.amqpdriver', 'x/impl_rabbit.py'), 'oslo_messaging/_drivers/amqpdriver');
  assert.equal(modulePathOf('.common', 'a/oslo_messaging/_drivers/impl_rabbit.py'), 'a/oslo_messaging/_drivers/common');
  assert.equal(modulePathOf('..', 'a/b/c.py'), 'a');
  assert.equal(pathMatchesModule('/tmp/x/oslo_messaging/_drivers/amqpdriver.py', 'oslo_messaging/_drivers/amqpdriver'), true);
  assert.equal(pathMatchesModule('oslo_messaging/_drivers/__init__.py', 'oslo_messaging/_drivers'), true);
  assert.equal(pathMatchesModule('x/my_oslo_messaging/_drivers/amqpdriver.py', 'oslo_messaging/_drivers/amqpdriver'), false);
  assert.equal(pathMatchesModule('a.py', ''), false);
});
