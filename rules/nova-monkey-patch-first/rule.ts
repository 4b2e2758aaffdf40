/**
 * nova-monkey-patch-first (catalogue R21): in a nova entry module, an import that runs before eventlet monkey
 * patching (`import nova.monkey_patch`, `monkey_patch.patch(...)`, `utils.monkey_patch()`), or a module that must
 * patch (nova/api/openstack/__init__.py, nova/cmd/__init__.py) and does not, or no longer does.
 *
 * Why: a module imported before the patch keeps the unpatched socket, thread and lock modules; nova 3c5e2b0e
 * (LP 1808951: urllib3 imported early; LP 1808975) made `import nova.monkey_patch` the first line of the API
 * package for that reason. A missing patch leaves nova-api running green code on native primitives or the reverse.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';
import type { PythonNode } from '../../src/model/ast/python.js';
import { moduleImports, importBindings, resolveName, type PythonImport } from '../../src/settings/python-imports.js';
import {
  callsIn,
  isStringStatement,
  lineRange,
  moduleLevelStatements,
  pythonRange,
} from '../../src/settings/python-tree.js';
import { ALLOWED_BEFORE, ENTRY_MODULES, PATCHING_CALLS, PATCHING_IMPORTS, type EntryModule } from './entry-modules.js';

type PythonFile = Extract<ParsedFile, { kind: 'python' }>;

const rule: Rule = {
  meta: {
    id: 'nova-monkey-patch-first',
    description: 'A nova entry module imports something before eventlet monkey patching, or no longer patches',
    severity: 'error',
    kinds: ['python'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1808951',
      'https://bugs.launchpad.net/nova/+bug/1808975',
      'https://opendev.org/openstack/nova/commit/3c5e2b0e9fac985294a949852bb8c83d4ed77e04',
    ],
  },
  check(context) {
    for (const file of context.files) {
      if (file.kind !== 'python') continue;
      const entry = ENTRY_MODULES.find((e) => e.path.test(file.path));
      if (!entry) continue;
      const statements = moduleLevelStatements(file.tree.root);
      const imports = moduleImports(file.tree.root);
      const patch = patchPoint(statements, imports);
      if (patch) reportEarlyImports(context, file, imports, patch);
      else reportMissing(context, file, entry, statements);
    }
  },
};
export default rule;

/** The first module-level statement that patches: a patching import or call. */
function patchPoint(statements: readonly PythonNode[], imports: readonly PythonImport[]): PythonNode | undefined {
  const bindings = importBindings(imports);
  const importAt = new Map(imports.map((i) => [i.node.startIndex, i]));
  for (const statement of statements) {
    const imp = importAt.get(statement.startIndex);
    if (imp) {
      if (imp.modules.some((m) => PATCHING_IMPORTS.includes(m)) || imp.names.some((n) => PATCHING_IMPORTS.includes(n.target))) {
        return statement;
      }
      continue;
    }
    const calls = callsIn(statement, { enterDefinitions: false });
    if (calls.some((c) => c.callee !== undefined && PATCHING_CALLS.includes(resolveName(c.callee, bindings)))) return statement;
  }
  return undefined;
}

/** Module names an import loads, as far as ALLOWED_BEFORE is concerned. */
function loaded(imp: PythonImport): string[] {
  if (imp.kind === 'future') return ['__future__'];
  if (imp.kind === 'import') return imp.modules;
  return imp.wildcard ? [imp.from ?? ''] : imp.names.map((n) => n.target);
}

function reportEarlyImports(context: RuleContext, file: PythonFile, imports: readonly PythonImport[], patch: PythonNode): void {
  const patchLine = patch.startPosition.row + 1;
  for (const imp of imports) {
    if (imp.node.startIndex >= patch.startIndex) break;
    const modules = loaded(imp);
    if (modules.every((m) => ALLOWED_BEFORE.includes(m))) continue;
    const what = modules.filter((m) => !ALLOWED_BEFORE.includes(m)).join(', ');
    context.report({
      path: file.path,
      range: pythonRange(file, imp.node),
      message:
        `${what} is imported before nova's eventlet monkey patching (line ${patchLine}: ${firstLine(patch)}). ` +
        `A module imported first keeps the unpatched socket, threading and lock modules (LP 1808951: urllib3 ` +
        `imported early), so the API mixes green and native primitives and can hang or lose its AMQP heartbeat. ` +
        `Move this import below the patch: only comments, the docstring and \`from __future__\` go above it.`,
    });
  }
}

function reportMissing(context: RuleContext, file: PythonFile, entry: EntryModule, statements: readonly PythonNode[]): void {
  const removed = removedPatch(context, file);
  const window = entry.mustPatch;
  const required = window !== undefined && context.release.novaMajor >= window.fromNova && context.release.novaMajor <= window.toNova;
  if (!required && removed === undefined) return;
  const first = statements.find((s) => !isStringStatement(s));
  const line = removed?.line ?? (first ? first.startPosition.row + 1 : 1);
  const series = `${context.release.series} (nova ${context.release.novaMajor})`;
  const restore = removed?.text ?? 'import nova.monkey_patch  # noqa';
  context.report({
    path: file.path,
    range: lineRange(file, line),
    severity: required ? 'error' : 'warning',
    message:
      `${removed !== undefined ? `This change removes the monkey patching (\`${removed.text}\`) from` : 'No eventlet monkey patching in'} ` +
      `${file.path}${required ? `, which must patch first in ${series}` : ''}: nothing then patches before the modules ` +
      `this one imports, so the API runs unpatched or partly patched code (a commented-out import counts as ` +
      `removed). Restore \`${restore}\` as the first import (nova 3c5e2b0e, LP 1808975); to run without eventlet, set ` +
      `OS_NOVA_DISABLE_EVENTLET_PATCHING=true on a nova that supports it instead of removing the patch.`,
  });
}

/** The old side's patch statement (first line of it) and where it was in the new file, when the change removed it. */
function removedPatch(context: RuleContext, file: PythonFile): { line: number; text: string } | undefined {
  const old = context.previous.files.find((f) => f.kind === 'python' && f.path === file.path) as PythonFile | undefined;
  if (!old) return undefined;
  const patch = patchPoint(moduleLevelStatements(old.tree.root), moduleImports(old.tree.root));
  if (!patch) return undefined;
  const line = context.newLineFor(old.path, patch.startPosition.row + 1)?.line;
  return line === undefined ? undefined : { line, text: firstLine(patch) };
}

function firstLine(node: PythonNode): string {
  const text = node.text.split('\n', 1)[0] ?? '';
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
