/**
 * oslo.messaging code -> settings: the default of a rabbit driver option
 * (`cfg.IntOpt('heartbeat_timeout_threshold', default=60, ...)`). A change to such a default reaches every
 * service that uses oslo.messaging (service `*`), which is how heartbeat_in_pthread's default of True (12.6.0)
 * broke non-WSGI eventlet services.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { Position } from '../model/location.js';
import type { Setting, Value } from '../model/setting.js';
import type { PythonModule, PythonNode } from '../model/ast/python.js';

const OPT_CALL = /^(?:cfg\.)?(?:Int|Bool|Float|Str|Port)Opt$/;

export function extractPython(path: string, text: string, tree: PythonModule, knowledge: Knowledge): Setting[] {
  if (!/oslo[._]messaging/.test(path) && !text.includes('oslo_messaging_rabbit')) return [];
  const out: Setting[] = [];
  const lines = lineStarts(text);
  const stack: PythonNode[] = [tree.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'call') {
      const setting = optionDefault(node, path, lines, knowledge);
      if (setting) out.push(setting);
    }
    for (const child of node.namedChildren) stack.push(child);
  }
  return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

function optionDefault(call: PythonNode, path: string, lines: number[], knowledge: Knowledge): Setting | undefined {
  const fn = call.childForFieldName('function');
  if (!fn || !OPT_CALL.test(fn.text)) return undefined;
  const args = call.childForFieldName('arguments');
  const first = args?.namedChildren[0];
  if (!args || !first || first.type !== 'string') return undefined;
  const option = first.text.replace(/^[rbu]*['"]{1,3}|['"]{1,3}$/gi, '');
  const key = knowledge.iniOption('oslo_messaging_rabbit', option);
  if (!key) return undefined;
  const kw = args.namedChildren.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default');
  const valueNode = kw?.childForFieldName('value');
  if (!valueNode) return undefined;
  return {
    key,
    service: '*',
    value: pythonValue(valueNode),
    path,
    range: { start: position(valueNode.startPosition, lines), end: position(valueNode.endPosition, lines) },
    via: `oslo.messaging option ${option} default`,
  };
}

function pythonValue(node: PythonNode): Value {
  if (node.type === 'integer') return { kind: 'literal', value: Number(node.text) };
  if (node.type === 'true') return { kind: 'literal', value: true };
  if (node.type === 'false') return { kind: 'literal', value: false };
  if (node.type === 'none') return { kind: 'literal', value: null };
  return { kind: 'expression', text: node.text };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** tree-sitter rows/columns are 0-based (columns in bytes; option defaults are ASCII). */
function position(p: { row: number; column: number }, lines: number[]): Position {
  return { line: p.row + 1, column: p.column + 1, offset: (lines[p.row] ?? 0) + p.column };
}
