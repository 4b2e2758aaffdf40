/**
 * Facts about a Python tree (tree-sitter-python, src/model/ast/python.ts) that rules query: module-level
 * statements in order, dotted names, calls, assignments, functions by name, and source ranges of nodes.
 *
 * Everything here reads code only: comments and strings (docstrings included) are never statements, calls or
 * names, so a rule built on these helpers does not fire on a comment- or docstring-only change.
 * Imports have their own module (python-imports.ts).
 */
import type { PythonModule, PythonNode } from '../model/ast/python.js';
import type { Range } from '../model/location.js';
import { LineIndex } from '../parsers/line-index.js';

/** Compound statements whose blocks still run at import time when they sit at module level. */
const MODULE_LEVEL_BLOCKS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'for_statement',
  'while_statement',
  'match_statement',
  'case_clause',
  'block',
]);

const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition', 'lambda']);

/**
 * The simple statements that run when the module is imported, in source order: module-level statements and those
 * nested in module-level `if` / `try` / `with` / `for` / `while` blocks (not in function or class bodies; not the
 * compound statements themselves, nor the body of `if __name__ == '__main__':`). Comments are left out.
 */
export function moduleLevelStatements(root: PythonNode): PythonNode[] {
  const out: PythonNode[] = [];
  const visit = (node: PythonNode): void => {
    // `if __name__ == '__main__':` runs its body only as a script, never on import (its else branch does).
    const mainGuard = node.type === 'if_statement' && MAIN_GUARD.test(node.childForFieldName('condition')?.text ?? '');
    const consequence = mainGuard ? node.childForFieldName('consequence')?.startIndex : undefined;
    for (const child of node.namedChildren) {
      if (child.type === 'comment' || DEFINITIONS.has(child.type)) continue;
      if (child.type === 'block' && child.startIndex === consequence) continue;
      if (MODULE_LEVEL_BLOCKS.has(child.type)) visit(child);
      else if (child.type.endsWith('_statement')) out.push(child);
    }
  };
  visit(root);
  return out;
}

/** True when the statement is a bare string: the module docstring or another string expression statement. */
export function isStringStatement(statement: PythonNode): boolean {
  if (statement.type !== 'expression_statement') return false;
  const only = statement.namedChildren;
  return only.length === 1 && (only[0]?.type === 'string' || only[0]?.type === 'concatenated_string');
}

/** `a`, `a.b.c` for identifiers and attribute chains; undefined for anything else (calls, subscripts ...). */
export function dottedName(node: PythonNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'dotted_name') return node.namedChildren.map((c) => c.text).join('.');
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object !== undefined && attribute ? `${object}.${attribute.text}` : undefined;
  }
  return undefined;
}

/** Every descendant of `node` (not `node` itself) that satisfies `match`, in source order. Walks every node: prefer
 * `descendantsOfType`, which asks tree-sitter natively and is an order of magnitude faster. */
export function descendants(
  node: PythonNode,
  match: (n: PythonNode) => boolean,
  options: { enterDefinitions?: boolean } = {},
): PythonNode[] {
  const out: PythonNode[] = [];
  const enter = options.enterDefinitions ?? true;
  const stack: PythonNode[] = [...node.namedChildren].reverse();
  while (stack.length > 0) {
    const current = stack.pop() as PythonNode;
    if (match(current)) out.push(current);
    if (!enter && DEFINITIONS.has(current.type)) continue;
    // Strings and comments hold no code (f-string interpolations aside, which rules here do not need).
    if (current.type === 'string' || current.type === 'comment') continue;
    const children = current.namedChildren;
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k] as PythonNode);
  }
  return out;
}

type NativeNode = PythonNode & { descendantsOfType?: (types: string[]) => PythonNode[] };

/**
 * Descendants of `node` (not `node` itself) of the given node types, in source order. Uses tree-sitter's native
 * `descendantsOfType` (one call into the binding instead of one per node); falls back to a walk for plain trees.
 * `enterDefinitions: false` leaves out what nested functions, classes and lambdas contain. Calls inside f-string
 * interpolations are code and are included; nothing else lives inside strings or comments.
 */
export function descendantsOfType(
  node: PythonNode,
  types: readonly string[],
  options: { enterDefinitions?: boolean } = {},
): PythonNode[] {
  const native = (node as NativeNode).descendantsOfType;
  const all = (wanted: readonly string[]): PythonNode[] =>
    typeof native === 'function'
      ? native.call(node, [...wanted]).filter((n) => !sameNode(n, node))
      : descendants(node, (n) => wanted.includes(n.type));
  const found = all(types);
  if (options.enterDefinitions ?? true) return found;
  const definitions = all([...DEFINITIONS]);
  if (definitions.length === 0) return found;
  return found.filter((n) => !definitions.some((d) => d.startIndex <= n.startIndex && n.endIndex <= d.endIndex && !sameNode(d, n)));
}

function sameNode(a: PythonNode, b: PythonNode): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export interface PythonCall {
  node: PythonNode;
  /** Dotted name of the callee (`LOG.info`, `threading.Event`), undefined for `f()()` and the like. */
  callee: string | undefined;
}

/** Calls inside `node`, in source order; `enterDefinitions: false` skips nested functions, classes and lambdas. */
export function callsIn(node: PythonNode, options: { enterDefinitions?: boolean } = {}): PythonCall[] {
  return descendantsOfType(node, ['call'], options).map((call) => ({ node: call, callee: calleeName(call) }));
}

const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** Dotted name of a call's callee, read from its text (one call into tree-sitter rather than one per component). */
function calleeName(call: PythonNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) return undefined;
  const text = fn.text.replace(/\s+/g, '');
  return DOTTED.test(text) ? text : dottedName(fn);
}

/** Function definitions named `name`, at any depth (methods included), in source order. */
export function functionsNamed(root: PythonNode, name: string): PythonNode[] {
  return descendantsOfType(root, ['function_definition']).filter((n) => n.childForFieldName('name')?.text === name);
}

/** The innermost function definition that contains `node`, if any. */
export function enclosingFunction(node: PythonNode): PythonNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

export interface PythonAssignment {
  /** The `expression_statement` holding the assignment. */
  node: PythonNode;
  /** Dotted names of the targets: `threading`, `amqpdriver.queue`; tuple targets give one entry each. */
  targets: string[];
  /** The right-hand side, when there is one (`x: int` has none). */
  value: PythonNode | undefined;
}

/** Assignments (`=`, chained `a = b = c`, tuple targets, annotated) among `statements`. */
export function assignmentsOf(statements: readonly PythonNode[]): PythonAssignment[] {
  const out: PythonAssignment[] = [];
  for (const statement of statements) {
    if (statement.type !== 'expression_statement') continue;
    const assignment = statement.namedChildren[0];
    if (assignment?.type !== 'assignment') continue;
    const targets: string[] = [];
    let current: PythonNode | null | undefined = assignment;
    let value: PythonNode | undefined;
    while (current?.type === 'assignment') {
      targets.push(...targetNames(current.childForFieldName('left')));
      value = current.childForFieldName('right') ?? undefined;
      current = value;
    }
    out.push({ node: statement, targets, value });
  }
  return out;
}

function targetNames(left: PythonNode | null): string[] {
  if (!left) return [];
  if (['pattern_list', 'tuple_pattern', 'list_pattern'].includes(left.type)) return left.namedChildren.flatMap((c) => targetNames(c));
  if (left.type !== 'identifier' && left.type !== 'attribute') return [];
  const text = left.text.replace(/\s+/g, '');
  const name = DOTTED.test(text) ? text : dottedName(left);
  return name === undefined ? [] : [name];
}

/** Every assignment statement under `node` (nested functions too, unless `enterDefinitions: false`), in order. */
export function assignmentsIn(node: PythonNode, options: { enterDefinitions?: boolean } = {}): PythonAssignment[] {
  const statements = descendantsOfType(node, ['assignment'], options)
    .map((a) => a.parent)
    .filter((p): p is PythonNode => p !== null && p.type === 'expression_statement');
  return assignmentsOf(statements);
}

/** `global` statements under `node`, with the names each declares. */
export function globalDeclarations(node: PythonNode): { node: PythonNode; names: string[] }[] {
  return descendantsOfType(node, ['global_statement']).map((g) => ({
    node: g,
    names: g.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text),
  }));
}

const lineIndexes = new WeakMap<PythonModule, LineIndex>();

/** Source range of `node` in `file` (1-based lines and columns, offsets into `file.text`). */
export function pythonRange(file: { text: string; tree: PythonModule }, node: PythonNode): Range {
  let lines = lineIndexes.get(file.tree);
  if (!lines) {
    lines = new LineIndex(file.text);
    lineIndexes.set(file.tree, lines);
  }
  return lines.range(node.startIndex, node.endIndex);
}

/** Range of the whole 1-based `line` of `file` (for findings about something missing). */
export function lineRange(file: { text: string; tree: PythonModule }, line: number): Range {
  let lines = lineIndexes.get(file.tree);
  if (!lines) {
    lines = new LineIndex(file.text);
    lineIndexes.set(file.tree, lines);
  }
  const start = lines.lineStart(Math.min(Math.max(line, 1), lines.lineCount));
  const nl = file.text.indexOf('\n', start);
  return lines.range(start, nl === -1 ? file.text.length : nl);
}
