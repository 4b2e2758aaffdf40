/**
 * Plain values of literal Puppet expressions, for extractors that only care about literals.
 */
import type { Expression } from '../../model/ast/puppet.js';

/** A JS value of a literal: string, number, boolean, or null for `undef`. */
export type PuppetScalar = string | number | boolean | null;
/** Scalars, arrays and string-keyed hashes of literals. */
export type PuppetData = PuppetScalar | PuppetData[] | { [key: string]: PuppetData };

/**
 * The scalar value of `expr` when it is a literal, else undefined:
 * strings (single/double-quoted without interpolation, heredocs without interpolation, bare words such as
 * `present`), numbers (including `-4` and `0x1F`), booleans, and `undef` (null). `default`, variables,
 * interpolated strings, calls and everything else give undefined.
 */
export function literalValue(expr: Expression | undefined): PuppetScalar | undefined {
  if (!expr) return undefined;
  switch (expr.type) {
    case 'LiteralString':
      return expr.value;
    case 'QualifiedName':
      return expr.value;
    case 'LiteralNumber':
      return expr.value;
    case 'LiteralBoolean':
      return expr.value;
    case 'LiteralUndef':
      return null;
    case 'Heredoc':
      return expr.text.type === 'LiteralString' ? expr.text.value : undefined;
    case 'ParenthesizedExpression':
      return literalValue(expr.expression);
    case 'UnaryExpression':
      if (expr.operator === '-') {
        const v = literalValue(expr.operand);
        return typeof v === 'number' ? -v : undefined;
      }
      return undefined;
    case 'ConcatenatedString':
      // "a${'b'}" is still literal when every segment is.
      return concatLiteral(expr.segments);
    default:
      return undefined;
  }
}

function concatLiteral(segments: Extract<Expression, { type: 'ConcatenatedString' }>['segments']): string | undefined {
  let out = '';
  for (const seg of segments) {
    if (seg.type === 'StringSegment') out += seg.value;
    else {
      const e = seg.expression;
      if (e.type !== 'LiteralString') return undefined;
      out += e.value;
    }
  }
  return out;
}

/**
 * Like `literalValue`, but also arrays and hashes made only of literals (hash keys must be scalar
 * literals; they are stringified). Undefined when any part is not literal.
 */
export function literalData(expr: Expression | undefined): PuppetData | undefined {
  if (!expr) return undefined;
  if (expr.type === 'LiteralList') {
    const out: PuppetData[] = [];
    for (const e of expr.elements) {
      const v = literalData(e);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (expr.type === 'LiteralHash') {
    const out: { [key: string]: PuppetData } = {};
    for (const entry of expr.entries) {
      const k = literalValue(entry.key);
      const v = literalData(entry.value);
      if (k === undefined || k === null || v === undefined) return undefined;
      out[String(k)] = v;
    }
    return out;
  }
  return literalValue(expr);
}
