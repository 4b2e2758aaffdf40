import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython } from '../../src/parsers/python.js';
import {
  assignmentsIn,
  assignmentsOf,
  callsIn,
  descendants,
  dottedName,
  enclosingFunction,
  functionsNamed,
  globalDeclarations,
  isStringStatement,
  lineRange,
  moduleLevelStatements,
  pythonRange,
} from '../../src/settings/python-tree.js';

const SOURCE = `"""Module docstring: eventlet.monkey_patch() here is not code."""
# threading = comment
import threading
if HAVE_X:
    import x
else:
    x = None
try:
    import y
except ImportError:
    y = None
for name in ('a', 'b'):
    pass
a = b = threading.Event()
c, d.e = 1, 2
f: int = 3
g += 1


class Connection(object):
    lock = threading.Lock()

    def __init__(self):
        global threading, queue
        threading = _utils.stdlib_threading
        amqpdriver.threading = _utils.stdlib_threading

    def _heartbeat_thread_job(self):
        """LOG.info('not a call')"""
        LOG.info("é %s", self)

        def inner():
            LOG.debug("nested")
        return lambda: LOG.error("lambda")
`;

const file = (() => {
  const { tree, errors } = parsePython(SOURCE);
  assert.deepEqual(errors, []);
  return { text: SOURCE, tree };
})();
const root = file.tree.root;

test('moduleLevelStatements: import-time statements in order, through if/try/for, not into defs or classes', () => {
  const kinds = moduleLevelStatements(root).map((s) => `${s.startPosition.row + 1}:${s.type}`);
  assert.deepEqual(kinds, [
    '1:expression_statement',
    '3:import_statement',
    '5:import_statement',
    '7:expression_statement',
    '9:import_statement',
    '11:expression_statement',
    '13:pass_statement',
    '14:expression_statement',
    '15:expression_statement',
    '16:expression_statement',
    '17:expression_statement',
  ]);
  assert.equal(isStringStatement(moduleLevelStatements(root)[0]!), true);
  assert.equal(isStringStatement(moduleLevelStatements(root)[1]!), false);
});

test('assignmentsOf: chained, tuple, annotated; augmented assignments are not assignments', () => {
  const assigned = assignmentsOf(moduleLevelStatements(root)).map((a) => [a.node.startPosition.row + 1, a.targets, a.value?.text]);
  assert.deepEqual(assigned, [
    [7, ['x'], 'None'],
    [11, ['y'], 'None'],
    [14, ['a', 'b'], 'threading.Event()'],
    [15, ['c', 'd.e'], '1, 2'],
    [16, ['f'], '3'],
  ]);
  const everywhere = assignmentsIn(root).map((a) => a.targets.join(','));
  assert.ok(everywhere.includes('threading') && everywhere.includes('amqpdriver.threading') && everywhere.includes('lock'));
});

test('dottedName, callsIn, functionsNamed, enclosingFunction, globalDeclarations', () => {
  const job = functionsNamed(root, '_heartbeat_thread_job');
  assert.equal(job.length, 1);
  assert.deepEqual(callsIn(job[0]!).map((c) => c.callee), ['LOG.info', 'LOG.debug', 'LOG.error']);
  assert.deepEqual(callsIn(job[0]!, { enterDefinitions: false }).map((c) => c.callee), ['LOG.info']);
  assert.deepEqual(functionsNamed(root, 'missing'), []);
  const calls = callsIn(root);
  assert.ok(!calls.some((c) => c.callee === 'eventlet.monkey_patch'), 'docstrings hold no calls');
  const info = calls.find((c) => c.callee === 'LOG.info')!;
  assert.equal(enclosingFunction(info.node)?.childForFieldName('name')?.text, '_heartbeat_thread_job');
  assert.equal(enclosingFunction(moduleLevelStatements(root)[1]!), undefined);
  assert.deepEqual(globalDeclarations(root).map((g) => g.names), [['threading', 'queue']]);
  const attr = descendants(root, (n) => n.type === 'attribute' && n.text === '_utils.stdlib_threading')[0];
  assert.equal(dottedName(attr), '_utils.stdlib_threading');
  assert.equal(dottedName(calls[0]!.node), undefined, 'a call is not a dotted name');
});

test('pythonRange and lineRange: 1-based lines, UTF-16 columns, offsets into the text', () => {
  const info = callsIn(root).find((c) => c.callee === 'LOG.info')!;
  const range = pythonRange(file, info.node);
  assert.equal(range.start.line, 30);
  assert.equal(range.start.column, 9);
  assert.equal(SOURCE.slice(range.start.offset, range.end.offset), 'LOG.info("é %s", self)');
  const line = lineRange(file, 3);
  assert.equal(SOURCE.slice(line.start.offset, line.end.offset), 'import threading');
  assert.equal(lineRange(file, 999).start.line, SOURCE.split('\n').length);
});

test("moduleLevelStatements: the body of if __name__ == '__main__' does not run on import; its else branch does", () => {
  const text = `import a\nif __name__ == "__main__":\n    import b\n    main()\nelse:\n    import c\nif '__main__' == __name__:\n    import d\n`;
  const { tree } = parsePython(text);
  assert.deepEqual(moduleLevelStatements(tree.root).map((s) => s.text), ['import a', 'import c']);
});
