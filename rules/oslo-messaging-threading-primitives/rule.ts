/**
 * oslo-messaging-threading-primitives (catalogue R20): oslo.messaging driver code that swaps or mixes green and
 * native threading primitives, or logs from the heartbeat thread. Human review, not a verdict: these are the
 * places where LP 1518430, 1934937, 2009138 and the nova-api logging hang (LP 1983863) came from.
 *
 * Looks for: `global threading|queue`, reassignment or re-import of those module globals, assignment into another
 * module's (`amqpdriver.threading = ...`), `eventlet.patcher.original(...)`, primitives (`threading.Lock()`,
 * `queue.Queue()` ...) created through a module global that is swapped (in this file, by another file of the
 * change, or by impl_rabbit in the oslo.messaging versions that do so), native primitives made explicitly
 * (`_utils.stdlib_threading.Lock()`), the heartbeat's Event changing class (needs the old side of the change), and
 * logging calls inside `_heartbeat_thread_job` when the heartbeat may be a native thread.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';
import type { PythonNode } from '../../src/model/ast/python.js';
import { allImports, importBindings, resolveName } from '../../src/settings/python-imports.js';
import { callsIn, enclosingFunction, functionsNamed, pythonRange, type PythonCall } from '../../src/settings/python-tree.js';
import {
  foreignModuleAssignments,
  moduleGlobalRebindings,
  modulePathOf,
  pathMatchesModule,
} from '../../src/settings/python-rebinding.js';
import { DRIVER_PATH, HEARTBEAT_JOB, LOGGING_CALL, ORIGINAL_CALLS, PRIMITIVES, SWAPPED_ELSEWHERE, SWAPPED_MODULES, versionBefore } from './patterns.js';
import * as msg from './messages.js';

type PythonFile = Extract<ParsedFile, { kind: 'python' }>;
type Swappable = (typeof SWAPPED_MODULES)[number];

const rule: Rule = {
  meta: {
    id: 'oslo-messaging-threading-primitives',
    description: 'oslo.messaging driver code swaps or mixes green and native threading primitives, or logs from the heartbeat thread',
    severity: 'warning',
    kinds: ['python'],
    references: [
      'https://bugs.launchpad.net/oslo.messaging/+bug/1934937',
      'https://bugs.launchpad.net/oslo.messaging/+bug/1518430',
      'https://bugs.launchpad.net/oslo.messaging/+bug/2009138',
      'https://bugs.launchpad.net/oslo.log/+bug/1983863',
      'https://github.com/eventlet/eventlet/issues/432',
    ],
  },
  check(context) {
    const drivers = context.files.filter((f): f is PythonFile => f.kind === 'python' && DRIVER_PATH.test(f.path));
    if (drivers.length === 0) return;
    // Which module globals other files of the change swap (impl_rabbit assigning amqpdriver.threading).
    const swappedBy = new Map<string, Map<string, string>>();
    for (const f of drivers) {
      for (const a of foreignModuleAssignments(f.tree.root, SWAPPED_MODULES)) {
        const target = drivers.find((g) => pathMatchesModule(g.path, modulePathOf(a.module, f.path)));
        if (!target) continue;
        const names = swappedBy.get(target.path) ?? new Map<string, string>();
        names.set(a.attribute, `${f.path.split('/').pop() ?? f.path} (line ${a.node.startPosition.row + 1})`);
        swappedBy.set(target.path, names);
      }
    }
    for (const file of drivers) checkFile(context, file, swappedBy.get(file.path) ?? new Map());
  },
};
export default rule;

function checkFile(context: RuleContext, file: PythonFile, swapped: Map<string, string>): void {
  const seen = new Set<number>();
  const report = (node: PythonNode, message: string): void => {
    if (seen.has(node.startIndex)) return; // one finding per statement or call
    seen.add(node.startIndex);
    context.report({ path: file.path, range: pythonRange(file, node), message });
  };
  const root = file.tree.root;
  for (const r of moduleGlobalRebindings(root, SWAPPED_MODULES)) {
    if (r.how === 'global') report(r.node, msg.globalMessage(r.name));
    else report(r.node, msg.assignMessage(r.name, r.how, oneLine(r.node.text)));
    if (!swapped.has(r.name)) swapped.set(r.name, `this module (line ${r.node.startPosition.row + 1})`);
  }
  for (const a of foreignModuleAssignments(root, SWAPPED_MODULES)) report(a.node, msg.foreignMessage(`${a.local}.${a.attribute}`));
  const { min, max } = context.release.osloMessaging;
  for (const e of SWAPPED_ELSEWHERE) {
    if (!e.path.test(file.path) || versionBefore(max, e.from) || !versionBefore(min, e.until)) continue;
    for (const name of e.names) if (!swapped.has(name)) swapped.set(name, `impl_rabbit (oslo.messaging ${e.from} to before ${e.until})`);
  }

  // Calls matter only with a swap, an unpatched-module fetch or an explicit native module: skip the walk otherwise.
  const needCalls = swapped.size > 0 || file.text.includes('original(') || file.text.includes('stdlib_') || context.previous.files.length > 0;
  if (!needCalls) return;
  const bindings = importBindings(allImports(root));
  const calls = callsIn(root);
  for (const call of calls) {
    if (call.callee === undefined) continue;
    const resolved = resolveName(call.callee, bindings);
    if (ORIGINAL_CALLS.includes(resolved)) report(call.node, msg.originalMessage(`${call.callee}()`));
    const primitive = primitiveOf(call.callee);
    if (!primitive) continue;
    if (primitive.native) report(call.node, msg.primitiveMessage(call.callee, '', true));
    else if (swapped.has(primitive.module)) report(call.node, msg.primitiveMessage(call.callee, swapped.get(primitive.module) ?? '', false));
  }
  reportEventSwaps(context, file, calls, bindings, report);
  if (swapped.size === 0) return; // no pthread heartbeat in this code: its heartbeat thread is of the process's kind
  for (const job of functionsNamed(root, HEARTBEAT_JOB)) {
    for (const call of callsIn(job)) if (call.callee !== undefined && LOGGING_CALL.test(call.callee)) report(call.node, msg.loggingMessage(call.callee));
  }
}

/** `threading.Lock` -> through the swappable global; `_utils.stdlib_threading.Lock` -> explicitly native. */
function primitiveOf(callee: string): { module: Swappable; native: boolean } | undefined {
  const parts = callee.split('.');
  const cls = parts.pop() ?? '';
  const owner = parts.pop();
  for (const module of SWAPPED_MODULES) {
    if (!PRIMITIVES[module].includes(cls)) continue;
    if (owner === module && parts.length === 0) return { module, native: false };
    if (owner === `stdlib_${module}`) return { module, native: true };
  }
  return undefined;
}

/** Events created in heartbeat functions, by resolved class (`threading.Event`, `oslo_utils.eventletutils.Event`). */
function heartbeatEvents(calls: readonly PythonCall[], bindings: ReadonlyMap<string, string>): { node: PythonNode; cls: string }[] {
  return calls
    .filter((c) => c.callee !== undefined && /(?:^|\.)Event$/.test(c.callee))
    .filter((c) => /heartbeat/.test(enclosingFunction(c.node)?.childForFieldName('name')?.text ?? ''))
    .map((c) => ({ node: c.node, cls: resolveName(c.callee ?? '', bindings) }));
}

/** With the old side of the change: a heartbeat Event whose class the change swapped. */
function reportEventSwaps(
  context: RuleContext,
  file: PythonFile,
  calls: readonly PythonCall[],
  bindings: ReadonlyMap<string, string>,
  report: (node: PythonNode, message: string) => void,
): void {
  const old = context.previous.files.find((f): f is PythonFile => f.kind === 'python' && f.path === file.path);
  if (!old) return;
  const oldRoot = old.tree.root;
  const before = heartbeatEvents(callsIn(oldRoot), importBindings(allImports(oldRoot))).map((e) => e.cls);
  if (before.length === 0) return;
  for (const event of heartbeatEvents(calls, bindings)) {
    if (!before.includes(event.cls)) report(event.node, msg.eventSwapMessage(short(before[0] ?? ''), short(event.cls)));
  }
}

function short(cls: string): string {
  return cls.replace(/^oslo_utils\./, '').replace(/^oslo_messaging\./, '');
}

function oneLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}...` : line;
}
