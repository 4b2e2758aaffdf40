/**
 * Interpolated strings and heredocs: DQPRE <expr> DQMID <expr> ... DQPOST token runs become
 * ConcatenatedString nodes; `${name}` / `${name[...]}` / `${name.m()}` name a variable, as in Puppet.
 */
import type {
  ConcatenatedString, Expression, Heredoc, LiteralString, StringSegment, TextExpression,
} from '../../model/ast/puppet.js';
import type { ParserState } from './parser-state.js';

type ExpressionParser = (s: ParserState) => Expression;

/** In `${...}`, a leading bare name (or number) is a variable: `${x}` is `$x`, `${x['k']}` is `$x['k']`. */
function interpolatedVariable(e: Expression): Expression {
  switch (e.type) {
    case 'QualifiedName':
      return { type: 'VariableExpression', name: e.value, range: e.range };
    case 'LiteralNumber':
      return e.radix === 10 && !e.isFloat ? { type: 'VariableExpression', name: e.raw, range: e.range } : e;
    case 'AccessExpression':
      return { ...e, target: interpolatedVariable(e.target) };
    case 'CallMethod':
      return { ...e, receiver: interpolatedVariable(e.receiver) };
    default:
      return e;
  }
}

export function parseConcatenatedString(s: ParserState, parseExpression: ExpressionParser): ConcatenatedString {
  const first = s.expect('DQPRE');
  const segments: Array<StringSegment | TextExpression> = [];
  const text = (value: string, start: number, end: number): void => {
    if (value !== '') segments.push({ type: 'StringSegment', value, range: s.range(start, end) });
  };
  text(first.value, first.start, first.end);
  for (;;) {
    const t = s.peek();
    if (t.kind === 'VARIABLE') {
      s.next();
      const v: Expression = { type: 'VariableExpression', name: t.value, range: s.range(t.start, t.end) };
      segments.push({ type: 'TextExpression', expression: v, range: v.range });
    } else if (t.kind === 'INTERP_START') {
      s.next();
      const expression = s.withBrace(false, () => interpolatedVariable(parseExpression(s)));
      s.expect('INTERP_END', "'}' closing the interpolation");
      segments.push({ type: 'TextExpression', expression, range: s.range(t.start) });
    } else {
      s.unexpected(t);
    }
    const after = s.peek();
    if (after.kind === 'DQMID') {
      s.next();
      text(after.value, after.start, after.end);
    } else if (after.kind === 'DQPOST') {
      s.next();
      text(after.value, after.start, after.end);
      return { type: 'ConcatenatedString', segments, range: s.range(first.start) };
    } else {
      s.unexpected(after);
    }
  }
}

export function parseHeredoc(s: ParserState, parseExpression: ExpressionParser): Heredoc {
  const h = s.expect('HEREDOC');
  const [tag = '', syntax = '', interp = '0'] = (h.extra ?? '').split('|');
  let body: LiteralString | ConcatenatedString;
  const t = s.peek();
  if (t.kind === 'STRING') {
    s.next();
    body = { type: 'LiteralString', value: t.value, quote: 'double', range: s.range(t.start, t.end) };
  } else {
    body = parseConcatenatedString(s, parseExpression);
  }
  const node: Heredoc = { type: 'Heredoc', tag, interpolated: interp === '1', text: body, range: s.range(h.start, h.end) };
  if (syntax !== '') node.syntax = syntax;
  return node;
}
