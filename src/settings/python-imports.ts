/**
 * Imports of a Python module, in source order, and what each binds: the facts rules need to reason about import
 * order (nothing imported before nova's monkey patching) and about which module a local name refers to
 * (`amqpdriver.threading = ...` assigns into `oslo_messaging._drivers.amqpdriver`).
 */
import type { PythonNode } from '../model/ast/python.js';
import { descendantsOfType, dottedName, moduleLevelStatements } from './python-tree.js';

export interface ImportedName {
  /** As written after `import`: `a.b` in `import a.b as c`, `z` in `from x import z`. */
  name: string;
  alias?: string;
  /** The local name the statement binds: `c` for `import a.b as c`, `a` for `import a.b`, `z` for `from x import z`. */
  bound: string;
  /** What the local name refers to, fully dotted: `a.b`, `a`, `x.z` (relative imports keep their dots: `.z`). */
  target: string;
}

export interface PythonImport {
  /** The import statement. */
  node: PythonNode;
  kind: 'import' | 'from' | 'future';
  /** The module after `from`, as written (`oslo_messaging._drivers`, `.`, `..utils`); undefined for `import`. */
  from?: string;
  names: ImportedName[];
  /** `from x import *`. */
  wildcard: boolean;
  /** Modules the statement loads: `a.b` for `import a.b`; `x` for `from x import z` (z may itself be a module). */
  modules: string[];
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** Import statements that run when the module is imported (module level, module-level if/try blocks), in order. */
export function moduleImports(root: PythonNode): PythonImport[] {
  return moduleLevelStatements(root)
    .filter((s) => IMPORT_TYPES.has(s.type))
    .map(readImport);
}

/** Every import statement of the file, function-local ones included, in source order. */
export function allImports(root: PythonNode): PythonImport[] {
  return descendantsOfType(root, [...IMPORT_TYPES]).map(readImport);
}

/** Local name -> what it refers to (`amqpdriver` -> `oslo_messaging._drivers.amqpdriver`); later imports win. */
export function importBindings(imports: readonly PythonImport[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const imp of imports) for (const n of imp.names) out.set(n.bound, n.target);
  return out;
}

/**
 * The dotted name `name` with its first component resolved through `bindings`: with `from eventlet import
 * patcher`, `patcher.original` is `eventlet.patcher.original`. Names that no import binds are returned as is.
 */
export function resolveName(name: string, bindings: ReadonlyMap<string, string>): string {
  const dot = name.indexOf('.');
  const head = dot === -1 ? name : name.slice(0, dot);
  const target = bindings.get(head);
  if (target === undefined) return name;
  return dot === -1 ? target : `${target}${name.slice(dot)}`;
}

export function readImport(node: PythonNode): PythonImport {
  if (node.type === 'future_import_statement') {
    const names = namesOf(node).map((n) => ({ ...n, target: `__future__.${n.name}` }));
    return { node, kind: 'future', from: '__future__', names, wildcard: false, modules: ['__future__'] };
  }
  if (node.type === 'import_statement') {
    const names = namesOf(node).map((n) =>
      n.alias !== undefined ? n : { ...n, bound: n.name.split('.')[0] as string, target: n.name.split('.')[0] as string },
    );
    return { node, kind: 'import', names, wildcard: false, modules: namesOf(node).map((n) => n.name) };
  }
  const moduleNode = node.childForFieldName('module_name');
  const from = moduleNode ? moduleNode.text.replace(/\s+/g, '') : '';
  const join = (name: string): string => (from.endsWith('.') ? `${from}${name}` : `${from}.${name}`);
  const names = namesOf(node).map((n) => ({ ...n, target: join(n.name) }));
  const wildcard = node.namedChildren.some((c) => c.type === 'wildcard_import');
  return { node, kind: 'from', from, names, wildcard, modules: [from] };
}

/** The `name` fields of an import: dotted names and `x as y`; `target` is filled in by the caller. */
function namesOf(node: PythonNode): ImportedName[] {
  const out: ImportedName[] = [];
  // tree-sitter hands out a new object per access: compare positions, not identity.
  const moduleStart = node.childForFieldName('module_name')?.startIndex;
  for (const child of node.namedChildren) {
    if (child.startIndex === moduleStart) continue;
    if (child.type === 'dotted_name') {
      const name = dottedName(child) ?? child.text;
      out.push({ name, bound: name, target: name });
    } else if (child.type === 'aliased_import') {
      const name = dottedName(child.childForFieldName('name')) ?? '';
      const alias = child.childForFieldName('alias')?.text ?? name;
      out.push({ name, alias, bound: alias, target: name });
    }
  }
  return out;
}
