/**
 * oslo-messaging-threading-primitives across files and against the old side of a change, which the one-file
 * fixture test cannot show: impl_rabbit swapping amqpdriver's globals, and the heartbeat Event changing class.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../rules/oslo-messaging-threading-primitives/rule.js';
import { parsePython } from '../../src/parsers/python.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';
import type { ReportInput, RuleContext } from '../../src/model/rule.js';
import type { Release } from '../../src/model/release.js';

function python(path: string, text: string): ParsedFile {
  const { tree, errors } = parsePython(text);
  assert.deepEqual(errors, []);
  return { kind: 'python', path, text, tree, errors };
}

const newest: Release = { series: '2026.2', novaMajor: 34, osloMessaging: { min: '18.0', max: '18.0' }, puppetMajor: 29, source: 'default' };

function run(files: ParsedFile[], previous: ParsedFile[] = []): ReportInput[] {
  const reports: ReportInput[] = [];
  const context: RuleContext = {
    settings: [],
    files,
    release: newest,
    knowledge: loadKnowledge(),
    previous: { settings: [], files: previous },
    newLineFor: (path, line) => ({ path, line }),
    report: (input) => reports.push(input),
  };
  rule.check(context);
  return reports;
}

const lines = (reports: ReportInput[], path: string): number[] =>
  reports.filter((r) => r.path === path).map((r) => r.range.start.line);

const AMQPDRIVER = `import queue
import threading


class ReplyWaiters(object):
    def __init__(self):
        self._lock = threading.RLock()
        self._queue = queue.Queue()
`;

test('impl_rabbit assigning amqpdriver.threading/queue makes amqpdriver primitives reviewable (absolute and relative imports)', () => {
  const absolute = `from oslo_messaging._drivers import amqpdriver\nfrom oslo_messaging import _utils\n\n\ndef swap():\n    amqpdriver.threading = _utils.stdlib_threading\n`;
  const relative = `from . import amqpdriver\n\n\ndef swap():\n    amqpdriver.queue = None\n`;
  const driver = 'pkgs/oslo_messaging/_drivers/amqpdriver.py';
  const a = run([python(driver, AMQPDRIVER), python('pkgs/oslo_messaging/_drivers/impl_rabbit.py', absolute)]);
  assert.deepEqual(lines(a, driver), [7]);
  assert.match(a.find((r) => r.path === driver)?.message ?? '', /impl_rabbit\.py \(line 6\) swaps/);
  assert.deepEqual(lines(a, 'pkgs/oslo_messaging/_drivers/impl_rabbit.py'), [6]);
  const r = run([python(driver, AMQPDRIVER), python('pkgs/oslo_messaging/_drivers/impl_rabbit.py', relative)]);
  assert.deepEqual(lines(r, driver), [8]);
  // On oslo.messaging 18 (the newest series) and alone in the change, nothing swaps amqpdriver's globals.
  assert.deepEqual(run([python(driver, AMQPDRIVER)]), []);
});

const HEARTBEAT = (event: string): string => `import threading

from oslo_utils import eventletutils


class Connection(object):
    def _heartbeat_start(self):
        self._heartbeat_exit_event = ${event}()
        self._other = eventletutils.Event()

    def elsewhere(self):
        return threading.Event()
`;

test('a heartbeat Event that changes class is reported against the old side; other Events and unchanged ones are not', () => {
  const path = 'oslo_messaging/_drivers/impl_rabbit.py';
  const swapped = run([python(path, HEARTBEAT('threading.Event'))], [python(path, HEARTBEAT('eventletutils.Event'))]);
  assert.deepEqual(lines(swapped, path), [8]);
  assert.match(swapped[0]?.message ?? '', /from eventletutils\.Event\(\) to threading\.Event\(\)/);
  assert.deepEqual(run([python(path, HEARTBEAT('threading.Event'))], [python(path, HEARTBEAT('threading.Event'))]), []);
  assert.deepEqual(run([python(path, HEARTBEAT('threading.Event'))]), []);
});

const IMPL_RABBIT = (doc: string, event: string): string => `import threading

from oslo_messaging import _utils


class Connection(object):
    def __init__(self, conf):
        """${doc}"""
        # NOTE: ${doc}
        if conf.heartbeat_in_pthread:
            global threading
            threading = _utils.stdlib_threading

    def _heartbeat_start(self):
        self._heartbeat_exit_event = ${event}
`;

test('through review() and the added filter: a docstring/comment-only change shows nothing, a changed code line shows its finding', async () => {
  const { review } = await import('../../src/engine/review.js');
  const { loadRules } = await import('../../src/engine/load-rules.js');
  const { applyFilter } = await import('../../src/diff/apply-filter.js');
  const rules = (await loadRules()).filter((r) => r.meta.id === rule.meta.id);
  const path = 'oslo_messaging/_drivers/impl_rabbit.py';
  const change = (oldContent: string, newContent: string) =>
    applyFilter(review({ files: [{ path, status: 'modified', oldContent, newContent }] }, rules, loadKnowledge()).findings, 'added');
  const before = IMPL_RABBIT('Swap threading.', 'threading.Event()');
  assert.deepEqual(change(before, IMPL_RABBIT('Swap threading for the native module (global threading).', 'threading.Event()')), []);
  const changed = change(before, IMPL_RABBIT('Swap threading.', 'threading.Event()  # exit event'));
  assert.deepEqual(changed.map((f) => f.line), [15]);
  // The whole file, as `heartbeat-bot check` sees it: every occurrence.
  const all = review({ files: [{ path, status: 'added', newContent: before }], wholeFiles: true }, rules, loadKnowledge()).findings;
  assert.deepEqual(all.map((f) => f.line), [11, 12, 15]);
});
