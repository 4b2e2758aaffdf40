/**
 * Where a Python module rebinds a module-level name, and where it assigns into another module's globals: the facts
 * behind oslo.messaging's `global threading; threading = _utils.stdlib_threading; amqpdriver.threading = ...` swap,
 * which changes, process-wide, which `threading` later code of both modules gets.
 */
import type { PythonNode } from '../model/ast/python.js';
import { allImports, importBindings, moduleImports } from './python-imports.js';
import { assignmentsIn, assignmentsOf, enclosingFunction, globalDeclarations, moduleLevelStatements } from './python-tree.js';

export type RebindingHow =
  /** `global threading` in a function: the function may rebind the module global. */
  | 'global'
  /** `threading = ...` in a function that declares it global, or at module level after it was imported. */
  | 'assign'
  /** An import that binds the name to another module (`from eventlet.green import threading`). */
  | 'import';

export interface Rebinding {
  name: string;
  how: RebindingHow;
  /** The statement: the global statement, the assignment's expression statement, or the import. */
  node: PythonNode;
}

/**
 * Every place the module rebinds one of `names` (module names such as `threading`, `queue`), in source order.
 * A plain `import threading` is not a rebinding; `import eventlet.green.threading as threading` is, and so is a
 * module-level `threading = ...` or one in a function that declared `global threading`.
 */
export function moduleGlobalRebindings(root: PythonNode, names: readonly string[]): Rebinding[] {
  const out: Rebinding[] = [];
  for (const g of globalDeclarations(root)) {
    const declared = g.names.filter((n) => names.includes(n));
    if (declared.length === 0) continue;
    for (const name of declared) out.push({ name, how: 'global', node: g.node });
    const fn = enclosingFunction(g.node);
    if (!fn) continue;
    for (const a of assignmentsIn(fn, { enterDefinitions: false })) {
      for (const name of a.targets.filter((t) => declared.includes(t))) out.push({ name, how: 'assign', node: a.node });
    }
  }
  for (const a of assignmentsOf(moduleLevelStatements(root))) {
    for (const name of a.targets.filter((t) => names.includes(t))) out.push({ name, how: 'assign', node: a.node });
  }
  for (const imp of moduleImports(root)) {
    for (const n of imp.names) {
      if (names.includes(n.bound) && n.target !== n.bound) out.push({ name: n.bound, how: 'import', node: imp.node });
    }
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

export interface ForeignAssignment {
  /** The assignment statement. */
  node: PythonNode;
  /** The local name of the other module (`amqpdriver`). */
  local: string;
  /** What the import says it is (`oslo_messaging._drivers.amqpdriver`, or `.amqpdriver` for a relative import). */
  module: string;
  /** The global assigned (`threading`). */
  attribute: string;
}

/**
 * Assignments into another module's globals, `amqpdriver.threading = ...`, for attributes in `attributes`; only
 * when the object is a plain name bound by an import (so `self.queue = ...` is not one).
 */
export function foreignModuleAssignments(root: PythonNode, attributes: readonly string[]): ForeignAssignment[] {
  const key = attributes.join(',');
  const cached = foreignCache.get(root)?.get(key);
  if (cached) return cached;
  const found = findForeignAssignments(root, attributes);
  const perRoot = foreignCache.get(root) ?? new Map<string, ForeignAssignment[]>();
  perRoot.set(key, found);
  foreignCache.set(root, perRoot);
  return found;
}

/** Per tree: rules ask once to map the change and once per file. Keyed by the root object, which review() keeps. */
const foreignCache = new WeakMap<PythonNode, Map<string, ForeignAssignment[]>>();

function findForeignAssignments(root: PythonNode, attributes: readonly string[]): ForeignAssignment[] {
  const bindings = importBindings(allImports(root));
  const out: ForeignAssignment[] = [];
  for (const a of assignmentsIn(root)) {
    for (const target of a.targets) {
      const parts = target.split('.');
      if (parts.length !== 2) continue;
      const [local, attribute] = parts as [string, string];
      const module = bindings.get(local);
      if (module === undefined || !attributes.includes(attribute)) continue;
      out.push({ node: a.node, local, module, attribute });
    }
  }
  return out;
}

/**
 * The file an import target names, as a path suffix without extension: `oslo_messaging._drivers.amqpdriver` ->
 * `oslo_messaging/_drivers/amqpdriver`; a relative `.amqpdriver` imported from `a/b/impl_rabbit.py` -> `a/b/amqpdriver`.
 * Compare with `pathMatchesModule`.
 */
export function modulePathOf(target: string, importerPath: string): string {
  const dots = /^\.*/.exec(target)?.[0].length ?? 0;
  const rest = target.slice(dots).split('.').filter(Boolean).join('/');
  if (dots === 0) return rest;
  const dir = importerPath.split('/').slice(0, -dots);
  return [...dir, ...(rest ? [rest] : [])].join('/');
}

/** True when `path` is the module `modulePath` (`x/y` matches `.../x/y.py` and `.../x/y/__init__.py`). */
export function pathMatchesModule(path: string, modulePath: string): boolean {
  if (modulePath === '') return false;
  for (const candidate of [`${modulePath}.py`, `${modulePath}/__init__.py`]) {
    if (path === candidate || path.endsWith(`/${candidate}`)) return true;
  }
  return false;
}
