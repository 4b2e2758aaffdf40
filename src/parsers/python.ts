/**
 * parsePython: Python source -> PythonModule, the tree-sitter-python syntax tree (src/model/ast/python.ts).
 *
 * tree-sitter is a native module: loading it costs tens of milliseconds and most reviews touch no Python, so it is
 * loaded lazily, on the first call, with createRequire (it is CommonJS), and the parser is cached. If it cannot be
 * loaded (no prebuilt binary for the platform), parsePython returns an empty module and an error rather than
 * throwing.
 *
 * tree-sitter's JS binding reads JavaScript strings as UTF-16, so node indexes and columns are UTF-16 code units,
 * the same units as src/model/location.ts; locations are still computed from `startIndex`/`endIndex` through a
 * LineIndex, so every parser agrees on what a line is. Syntax errors are ERROR and MISSING nodes in the tree;
 * they are collected (only subtrees with `hasError` are visited) and reported as ParseErrors. The tree is always
 * returned: tree-sitter recovers and the rest of the module stays usable.
 */
import { createRequire } from 'node:module';
import type { PythonModule, PythonNode } from '../model/ast/python.js';
import type { ParseError, ParseResult } from '../model/parse-result.js';
import { LineIndex } from './line-index.js';

/** Inputs larger than this are not parsed. */
export const MAX_PYTHON_SIZE = 10 * 1024 * 1024;
/** At most this many syntax errors are reported per file (a binary file would give thousands). */
export const MAX_PYTHON_ERRORS = 100;

interface TreeSitterParser {
  parse(input: string | ((index: number) => string | null), oldTree?: null, options?: { bufferSize?: number }): {
    rootNode: PythonNode & { isError: boolean; isMissing: boolean };
  };
}

let cached: TreeSitterParser | Error | undefined;

function loadParser(): TreeSitterParser | Error {
  if (cached !== undefined) return cached;
  try {
    const require = createRequire(import.meta.url);
    const Parser = require('tree-sitter') as new () => TreeSitterParser & { setLanguage(lang: unknown): void };
    const Python = require('tree-sitter-python') as unknown;
    const parser = new Parser();
    parser.setLanguage(Python);
    cached = parser;
  } catch (e) {
    cached = e instanceof Error ? e : new Error(String(e));
  }
  return cached;
}

export function parsePython(text: string): ParseResult<PythonModule> {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  if (text.length > MAX_PYTHON_SIZE) {
    errors.push({ message: `file too large to parse (${text.length} characters)`, range: lines.range(0, 0) });
    return { tree: { root: emptyModule() }, errors };
  }
  const parser = loadParser();
  if (parser instanceof Error) {
    errors.push({ message: `Python parser unavailable: ${parser.message}`, range: lines.range(0, 0) });
    return { tree: { root: emptyModule() }, errors };
  }
  let root: PythonNode;
  try {
    root = parser.parse(text).rootNode;
  } catch {
    // Older bindings refuse large strings; a chunked callback input has no such limit.
    try {
      const chunk = 64 * 1024;
      root = parser.parse((index: number) => (index < text.length ? text.slice(index, index + chunk) : null)).rootNode;
    } catch (e) {
      errors.push({ message: `Python parser failure: ${(e as Error).message}`, range: lines.range(0, 0) });
      return { tree: { root: emptyModule() }, errors };
    }
  }
  if (root.hasError) collectErrors(root, lines, errors);
  return { tree: { root }, errors };
}

/** ERROR and MISSING nodes, in source order, visiting only subtrees that contain an error. */
function collectErrors(root: PythonNode, lines: LineIndex, errors: ParseError[]): void {
  const stack: PythonNode[] = [root];
  while (stack.length > 0 && errors.length < MAX_PYTHON_ERRORS) {
    const node = stack.pop() as PythonNode & { isError?: boolean; isMissing?: boolean };
    if (node.isMissing) {
      errors.push({ message: `syntax error: missing '${node.type}'`, range: lines.range(node.startIndex, node.endIndex) });
      continue;
    }
    if (node.isError || node.type === 'ERROR') {
      errors.push({ message: `syntax error: unexpected ${describe(node)}`, range: lines.range(node.startIndex, node.endIndex) });
      continue; // one error per ERROR node: its children are the tokens it swallowed
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k] as PythonNode);
  }
}

function describe(node: PythonNode): string {
  const text = node.text;
  const firstLine = text.split('\n', 1)[0] ?? '';
  const snippet = firstLine.length > 40 ? `${firstLine.slice(0, 40)}...` : firstLine;
  return snippet.trim() === '' ? 'input' : `'${snippet.trim()}'`;
}

/** A stand-in root when nothing could be parsed: an empty `module` node. */
function emptyModule(): PythonNode {
  return {
    type: 'module',
    text: '',
    startPosition: { row: 0, column: 0 },
    endPosition: { row: 0, column: 0 },
    startIndex: 0,
    endIndex: 0,
    children: [],
    namedChildren: [],
    parent: null,
    childForFieldName: () => null,
    hasError: false,
  };
}
