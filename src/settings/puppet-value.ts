/**
 * Puppet expressions -> setting values. Literals stay literals; facts with a known range (`$::os_workers`,
 * `$facts['os_workers']`) become expressions with bounds; a variable naming a parameter of the enclosing class
 * resolves to that parameter's default (the same change defines it); anything else is an expression as written.
 */
import type { Expression, Parameter } from '../model/ast/puppet.js';
import type { Knowledge } from '../model/knowledge.js';
import type { Value } from '../model/setting.js';

export interface PuppetScope {
  text: string;
  knowledge: Knowledge;
  /** Parameters of the enclosing class or define, by name. */
  params: ReadonlyMap<string, Parameter>;
}

export function sourceText(expr: { range: { start: { offset: number }; end: { offset: number } } }, text: string): string {
  return text.slice(expr.range.start.offset, expr.range.end.offset);
}

export function puppetValue(expr: Expression, scope: PuppetScope, depth = 0): Value {
  switch (expr.type) {
    case 'LiteralNumber':
    case 'LiteralBoolean':
      return { kind: 'literal', value: expr.value };
    case 'LiteralString':
      return { kind: 'literal', value: expr.value };
    case 'QualifiedName':
      // A bare word is a string in Puppet: `ensure => present`, `mpm_module => event`.
      return { kind: 'literal', value: expr.value };
    case 'LiteralUndef':
      return { kind: 'literal', value: null };
    case 'LiteralList':
      return { kind: 'list', items: expr.elements.map((e) => puppetValue(e, scope, depth + 1)) };
    case 'LiteralHash': {
      const entries: Record<string, Value> = {};
      for (const entry of expr.entries) {
        const key = entry.key.type === 'LiteralString' || entry.key.type === 'QualifiedName' ? entryKey(entry.key) : undefined;
        if (key !== undefined) entries[key] = puppetValue(entry.value, scope, depth + 1);
      }
      return { kind: 'map', entries };
    }
    case 'VariableExpression':
    case 'AccessExpression': {
      const text = sourceText(expr, scope.text);
      // A parameter of the enclosing class shadows a top-scope fact of the same name.
      const param = expr.type === 'VariableExpression' ? scope.params.get(expr.name) : undefined;
      if (param?.default && depth < 5) {
        const resolved = puppetValue(param.default, scope, depth + 1);
        return resolved.kind === 'expression' ? { ...resolved, text: `${text} (default ${resolved.text})` } : resolved;
      }
      const fact = param ? undefined : factName(expr);
      const range = fact === undefined ? undefined : scope.knowledge.factRange(fact);
      return range ? { kind: 'expression', text, ...range } : { kind: 'expression', text };
    }
    default:
      return { kind: 'expression', text: sourceText(expr, scope.text) };
  }
}

function entryKey(key: Expression): string | undefined {
  if (key.type === 'LiteralString') return key.value;
  if (key.type === 'QualifiedName') return key.value;
  return undefined;
}

/**
 * The fact an expression reads, by bare name: `$::os_workers` and `$os_workers` -> `os_workers`,
 * `$facts['os_workers']` -> `os_workers`, `$facts['processors']['count']` -> `processors.count`.
 */
export function factName(expr: Expression): string | undefined {
  if (expr.type === 'VariableExpression') {
    const name = expr.name.startsWith('::') ? expr.name.slice(2) : expr.name;
    return name.includes('::') || name === 'facts' ? undefined : name;
  }
  if (expr.type !== 'AccessExpression' || expr.keys.length !== 1) return undefined;
  const key = expr.keys[0];
  if (key?.type !== 'LiteralString') return undefined;
  const target = expr.target;
  if (target.type === 'VariableExpression' && (target.name === 'facts' || target.name === '::facts')) return key.value;
  const inner = factName(target);
  return inner !== undefined && target.type === 'AccessExpression' ? `${inner}.${key.value}` : undefined;
}
