/**
 * Puppet expressions: precedence climbing over binary operators (Puppet's own precedence table),
 * unary prefixes, postfix access / method calls / selectors, and primaries (literals, variables, calls,
 * resources, control flow used as values).
 */
import type {
  AssignmentExpression, BinaryOperator, Expression, HashEntry, LiteralList, LiteralHash, LiteralNumber,
  Selector, SelectorEntry, CallNamedFunction, CallMethod, Lambda, QualifiedReference,
} from '../../model/ast/puppet.js';
import type { Token } from './token.js';
import type { ParserState } from './parser-state.js';
import { parseConcatenatedString, parseHeredoc } from './parse-string.js';
import { parseCollector, parseResource, parseResourceDefaults, parseResourceOverride } from './parse-resource.js';
import {
  parseCase, parseClassDefinition, parseDefine, parseFunctionDefinition, parseIf, parseNode,
  parseParameters, parseBlockBody, parseTypeAlias, parseUnless,
} from './parse-statement.js';

/** Binary operators and their binding power (higher binds tighter), after Puppet's egrammar. */
const BINARY: Record<string, number> = {
  '->': 1, '~>': 1, '<-': 1, '<~': 1,
  or: 2,
  and: 3,
  '<': 4, '<=': 4, '>': 4, '>=': 4,
  '==': 5, '!=': 5,
  '<<': 6, '>>': 6,
  '+': 7, '-': 7,
  '*': 8, '/': 8, '%': 8,
  '=~': 9, '!~': 9,
  in: 10,
};

function binaryOperator(t: Token): string | undefined {
  if (t.kind === 'NAME') return t.value === 'and' || t.value === 'or' || t.value === 'in' ? t.value : undefined;
  return BINARY[t.kind] !== undefined ? t.kind : undefined;
}

/** A full expression, including assignment. */
export function parseExpression(s: ParserState): Expression {
  s.enter();
  try {
    const left = parseBinary(s, 1);
    const t = s.peek();
    if (t.kind === '=' || t.kind === '+=' || t.kind === '-=') {
      s.next();
      const right = parseExpression(s);
      const node: AssignmentExpression = {
        type: 'AssignmentExpression', operator: t.kind, left, right, range: s.range(left.range.start.offset),
      };
      return node;
    }
    return left;
  } finally {
    s.leave();
  }
}

function parseBinary(s: ParserState, minPrec: number): Expression {
  let left = parseUnary(s);
  for (;;) {
    const op = binaryOperator(s.peek());
    if (op === undefined) return left;
    const prec = BINARY[op] as number;
    if (prec < minPrec) return left;
    s.next();
    const right = parseBinary(s, prec + 1);
    const start = left.range.start.offset;
    if (prec === 1) {
      left = { type: 'Chain', operator: op as '->', left, right, range: s.range(start) };
    } else {
      left = { type: 'BinaryExpression', operator: op as BinaryOperator, left, right, range: s.range(start) };
    }
  }
}

function parseUnary(s: ParserState): Expression {
  const t = s.peek();
  if (t.kind === '-' || t.kind === '!' || t.kind === '*') {
    s.next();
    s.enter();
    try {
      const operand = parseUnary(s);
      return { type: 'UnaryExpression', operator: t.kind, operand, range: s.range(t.start) };
    } finally {
      s.leave();
    }
  }
  return parsePostfix(s, parsePrimary(s));
}

/** Access `x[...]` (no space before `[`), method calls `x.f(...)`, selectors `x ? {...}`, overrides. */
export function parsePostfix(s: ParserState, first: Expression): Expression {
  let e = first;
  for (;;) {
    const t = s.peek();
    const start = e.range.start.offset;
    if (t.kind === '[' && !t.spaceBefore) {
      s.next();
      const keys = s.withBrace(false, () => parseList(s, ']'));
      e = { type: 'AccessExpression', target: e, keys, range: s.range(start) };
    } else if (t.kind === '.') {
      s.next();
      const nameTok = s.next();
      if (nameTok.kind !== 'NAME' && nameTok.kind !== 'WORD') s.unexpected(nameTok);
      const call: CallMethod = {
        type: 'CallMethod', receiver: e, name: nameTok.value, nameRange: s.range(nameTok.start, nameTok.end),
        arguments: [], range: s.range(start),
      };
      if (s.at('(')) {
        s.next();
        call.arguments = s.withBrace(false, () => parseList(s, ')'));
      }
      if (s.at('|')) call.lambda = parseLambda(s);
      call.range = s.range(start);
      e = call;
    } else if (t.kind === '?') {
      e = parseSelector(s, e);
    } else if (t.kind === '{' && !s.noBrace && isResourceReference(e)) {
      e = parseResourceOverride(s, e);
    } else {
      return e;
    }
  }
}

function isResourceReference(e: Expression): boolean {
  return e.type === 'AccessExpression' && e.target.type === 'QualifiedReference';
}

function parseSelector(s: ParserState, left: Expression): Selector {
  s.expect('?');
  s.expect('{');
  const entries: SelectorEntry[] = [];
  s.withBrace(false, () => {
    while (!s.at('}')) {
      const matching = parseExpression(s);
      s.expect('=>', "'=>' in selector");
      const value = parseExpression(s);
      entries.push({ type: 'SelectorEntry', matching, value, range: s.range(matching.range.start.offset) });
      if (!s.accept(',')) break;
    }
  });
  s.expect('}', "'}' closing the selector");
  return { type: 'Selector', left, entries, range: s.range(left.range.start.offset) };
}

/** Comma-separated expressions up to `close` (consumed); trailing comma allowed. */
export function parseList(s: ParserState, close: ']' | ')'): Expression[] {
  const items: Expression[] = [];
  while (!s.at(close)) {
    items.push(parseExpression(s));
    if (!s.accept(',')) break;
  }
  s.expect(close);
  return items;
}

/** `|params| >> Type { body }`. */
export function parseLambda(s: ParserState): Lambda {
  const open = s.expect('|');
  const parameters = parseParameters(s, '|');
  const lambda: Lambda = { type: 'Lambda', parameters, body: [], range: s.range(open.start) };
  if (s.at('>>')) {
    s.next();
    lambda.returnType = parseTypeExpression(s);
  }
  lambda.body = parseBlockBody(s);
  lambda.range = s.range(open.start);
  return lambda;
}

/** A type in front of a parameter: primary plus access, no braces. */
export function parseTypeExpression(s: ParserState): Expression {
  return s.withBrace(true, () => {
    s.enter();
    try {
      let e = parsePrimary(s);
      while (s.at('[') && !s.peek().spaceBefore) {
        s.next();
        const keys = s.withBrace(false, () => parseList(s, ']'));
        e = { type: 'AccessExpression', target: e, keys, range: s.range(e.range.start.offset) };
      }
      return e;
    } finally {
      s.leave();
    }
  });
}

function parseNumber(s: ParserState, t: Token): LiteralNumber {
  const raw = t.value;
  let value: number;
  let radix: 8 | 10 | 16 = 10;
  let isFloat = false;
  if (/^0[xX]/.test(raw)) {
    value = parseInt(raw.slice(2), 16);
    radix = 16;
  } else if (/^0\d+$/.test(raw)) {
    value = parseInt(raw, 8);
    radix = 8;
    if (/[89]/.test(raw)) s.addError(`invalid octal number '${raw}'`, t.start, t.end);
  } else if (/[.eE]/.test(raw)) {
    value = parseFloat(raw);
    isFloat = true;
  } else {
    value = parseInt(raw, 10);
  }
  return { type: 'LiteralNumber', value, raw, radix, isFloat, range: s.range(t.start, t.end) };
}

function parseArray(s: ParserState, open: Token): LiteralList {
  const elements = s.withBrace(false, () => parseList(s, ']'));
  return { type: 'LiteralList', elements, range: s.range(open.start) };
}

export function parseHash(s: ParserState, open: Token): LiteralHash {
  const entries: HashEntry[] = [];
  s.withBrace(false, () => {
    while (!s.at('}')) {
      const key = parseExpression(s);
      s.expect('=>', "'=>' in hash");
      const value = parseExpression(s);
      entries.push({ type: 'HashEntry', key, value, range: s.range(key.range.start.offset) });
      if (!s.accept(',')) break;
    }
  });
  s.expect('}', "'}' closing the hash");
  return { type: 'LiteralHash', entries, range: s.range(open.start) };
}

/** `name(args) |lambda|` with the name token already consumed. */
export function parseCallArguments(s: ParserState, nameTok: Token): CallNamedFunction {
  s.expect('(');
  const args = s.withBrace(false, () => parseList(s, ')'));
  const call: CallNamedFunction = {
    type: 'CallNamedFunction', name: stripColons(nameTok.value), nameRange: s.range(nameTok.start, nameTok.end),
    arguments: args, style: 'call', range: s.range(nameTok.start),
  };
  if (s.at('|')) {
    call.lambda = parseLambda(s);
    call.range = s.range(nameTok.start);
  }
  return call;
}

export function stripColons(name: string): string {
  return name.startsWith('::') ? name.slice(2) : name;
}

function parsePrimary(s: ParserState): Expression {
  const t = s.peek();
  switch (t.kind) {
    case 'VARIABLE':
      s.next();
      return { type: 'VariableExpression', name: t.value, range: s.range(t.start, t.end) };
    case 'NUMBER':
      s.next();
      return parseNumber(s, t);
    case 'STRING':
      s.next();
      return { type: 'LiteralString', value: t.value, quote: t.extra === "'" ? 'single' : 'double', range: s.range(t.start, t.end) };
    case 'DQPRE':
      return parseConcatenatedString(s, parseExpression);
    case 'HEREDOC':
      return parseHeredoc(s, parseExpression);
    case 'REGEX':
      s.next();
      return { type: 'LiteralRegex', pattern: t.value, range: s.range(t.start, t.end) };
    case 'WORD':
      s.next();
      return { type: 'QualifiedName', value: t.value, range: s.range(t.start, t.end) };
    case 'CLASSREF': {
      s.next();
      const ref: QualifiedReference = { type: 'QualifiedReference', value: t.value, range: s.range(t.start, t.end) };
      if (s.at('<|') || s.at('<<|')) return parseCollector(s, ref);
      if (s.at('(') && !s.peek().spaceBefore) return parseCallArguments(s, t); // `String($x)`: a `new` call
      if (s.at('{') && !s.noBrace) return parseResourceDefaults(s, ref);
      return ref;
    }
    case '[':
      s.next();
      return parseArray(s, t);
    case '{':
      s.next();
      return parseHash(s, t);
    case '(': {
      s.next();
      const expression = s.withBrace(false, () => parseExpression(s));
      s.expect(')');
      return { type: 'ParenthesizedExpression', expression, range: s.range(t.start) };
    }
    case '@':
    case '@@':
      return parseResource(s);
    case 'NAME':
      return parseNamePrimary(s, t);
    default:
      s.unexpected(t);
  }
}

function parseNamePrimary(s: ParserState, t: Token): Expression {
  const next = s.peek(1);
  switch (t.value) {
    case 'true':
    case 'false':
      s.next();
      return { type: 'LiteralBoolean', value: t.value === 'true', range: s.range(t.start, t.end) };
    case 'undef':
      s.next();
      return { type: 'LiteralUndef', range: s.range(t.start, t.end) };
    case 'default':
      s.next();
      return { type: 'LiteralDefault', range: s.range(t.start, t.end) };
    case 'if':
      return parseIf(s);
    case 'unless':
      return parseUnless(s);
    case 'case':
      return parseCase(s);
    case 'class':
      if (next.kind === '{') return parseResource(s);
      return parseClassDefinition(s);
    case 'define':
      if (next.kind === 'NAME') return parseDefine(s);
      break;
    case 'node':
      if (next.kind !== '(' && next.kind !== '=>' && next.kind !== '{') return parseNode(s);
      break;
    case 'function':
      if (next.kind === 'NAME') return parseFunctionDefinition(s);
      break;
    case 'type':
      if (next.kind === 'CLASSREF' && s.peek(2).kind === '=') return parseTypeAlias(s);
      break;
    case 'and': case 'or': case 'in': case 'else': case 'elsif': case 'inherits':
      s.unexpected(t);
      break;
    default:
      break;
  }
  s.next();
  if (next.kind === '(') return parseCallArguments(s, t);
  if (next.kind === '{' && !s.noBrace) {
    s.i--;
    return parseResource(s);
  }
  return { type: 'QualifiedName', value: t.value, range: s.range(t.start, t.end) };
}
