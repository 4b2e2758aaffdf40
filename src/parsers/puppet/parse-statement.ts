/**
 * Statements and definitions: statement lists with error recovery, parenthesis-less statement calls
 * (`include x`, `fail "m"`), if/unless/case, class/define/node/function definitions, type aliases and
 * parameter lists.
 */
import type {
  CallNamedFunction, CaseOption, CaseStatement, Expression, FunctionDefinition, HostClassDefinition, IfStatement,
  NodeDefinition, Parameter, ResourceTypeDefinition, TypeAlias, UnlessStatement,
} from '../../model/ast/puppet.js';
import type { Token } from './token.js';
import { MAX_PARSE_ERRORS, ParseFailure, type ParserState } from './parser-state.js';
import { parseExpression, parseTypeExpression, stripColons } from './parse-expression.js';
import { parseConcatenatedString } from './parse-string.js';

/** Functions Puppet lets you call without parentheses at statement level. */
const STATEMENT_CALLS = new Set([
  'require', 'realize', 'include', 'contain', 'tag', 'debug', 'info', 'notice', 'warning', 'err', 'alert', 'crit',
  'emerg', 'fail', 'import', 'break', 'next', 'return',
]);

const NOT_AN_ARGUMENT = new Set(['and', 'or', 'in', 'else', 'elsif', 'inherits']);

function canStartArgument(t: Token): boolean {
  switch (t.kind) {
    case 'VARIABLE': case 'STRING': case 'DQPRE': case 'HEREDOC': case 'NUMBER': case 'REGEX': case 'WORD':
    case 'CLASSREF': case '[': case '-': case '!': case '*': case '@': case '@@':
      return true;
    case 'NAME':
      return !NOT_AN_ARGUMENT.has(t.value);
    default:
      return false;
  }
}

const OPEN_FOR: Partial<Record<Token['kind'], Token['kind']>> = {
  '}': '{', ']': '[', ')': '(', INTERP_END: 'INTERP_START', '|>': '<|', '|>>': '<<|',
};
const OPENERS = new Set<Token['kind']>(['{', '[', '(', 'INTERP_START', '<|', '<<|']);
const DEFINITION_KEYWORDS = new Set(['class', 'define', 'node', 'function']);

/** True for `class`/`define`/`node`/`function` at the very start of a line. */
function definitionAtLineStart(s: ParserState, t: Token): boolean {
  return t.kind === 'NAME' && DEFINITION_KEYWORDS.has(t.value) && (t.start === 0 || s.text.charCodeAt(t.start - 1) === 10);
}

/**
 * After a failed statement: skip to the next token that plausibly starts a statement at the nesting
 * level where the failed statement started. Brackets are matched by kind, so a close that matches
 * nothing opened since the statement start belongs to the enclosing block and stops the skip. At top
 * level, a definition keyword at the start of a line is always a restart point.
 */
function recover(s: ParserState, startIdx: number, failIdx: number, topLevel: boolean): void {
  const tokens = s.tokens;
  if (topLevel) {
    for (let k = startIdx + 1; k <= failIdx && k < tokens.length - 1; k++) {
      if (definitionAtLineStart(s, tokens[k] as Token)) {
        s.i = k;
        return;
      }
    }
  }
  const stack: Array<Token['kind']> = [];
  const track = (t: Token): boolean => {
    if (OPENERS.has(t.kind)) stack.push(t.kind);
    else {
      const open = OPEN_FOR[t.kind];
      if (open !== undefined) {
        const at = stack.lastIndexOf(open);
        if (at === -1) return false;
        stack.length = at;
      }
    }
    return true;
  };
  for (let k = startIdx; k < failIdx && k < tokens.length; k++) track(tokens[k] as Token);
  let k = Math.max(failIdx, startIdx + 1);
  for (; k < tokens.length - 1; k++) {
    const t = tokens[k] as Token;
    const prev = tokens[k - 1] as Token;
    if (topLevel && definitionAtLineStart(s, t)) break;
    if (stack.length === 0) {
      if (OPEN_FOR[t.kind] !== undefined) break;
      const nl = s.text.indexOf('\n', prev.end);
      if ((nl !== -1 && nl < t.start) || prev.kind === ';' || prev.kind === '}') break;
    }
    if (!track(t)) break;
  }
  s.i = Math.min(k, tokens.length - 1);
}

/** Statements up to `}` (not consumed) or end of input; each failed statement becomes an error. */
export function parseStatements(s: ParserState, inBlock: boolean): Expression[] {
  const body: Expression[] = [];
  s.enter();
  try {
    for (;;) {
      const t = s.peek();
      if (t.kind === 'EOF' || (t.kind === '}' && inBlock)) break;
      if (t.kind === ';') {
        s.next();
        continue;
      }
      const startIdx = s.i;
      const depth = s.depth;
      try {
        body.push(parseStatement(s));
      } catch (e) {
        s.depth = depth;
        if (e instanceof ParseFailure) s.addError(e.message, e.start, e.end);
        else {
          const at = s.peek();
          const msg = e instanceof RangeError ? 'input nested too deeply' : `internal parser error: ${(e as Error).message}`;
          s.addError(msg, at.start, at.end);
        }
        if (s.errors.length >= MAX_PARSE_ERRORS) {
          s.i = s.tokens.length - 1;
          break;
        }
        recover(s, startIdx, s.i, !inBlock);
      }
    }
  } finally {
    s.leave();
  }
  return body;
}

/** `{ statements }`. */
export function parseBlockBody(s: ParserState): Expression[] {
  s.expect('{');
  const body = s.withBrace(false, () => parseStatements(s, true));
  s.expect('}', "'}' closing the block");
  return body;
}

function parseStatement(s: ParserState): Expression {
  const t = s.peek();
  if (t.kind === 'NAME' && STATEMENT_CALLS.has(t.value)) {
    const n = s.peek(1);
    if (n.kind !== '(' && n.kind !== '{' && n.kind !== '=' && n.kind !== '=>') {
      s.next();
      const args: Expression[] = [];
      if (canStartArgument(n)) {
        for (;;) {
          args.push(parseExpression(s));
          if (!s.accept(',')) break;
        }
      }
      const call: CallNamedFunction = {
        type: 'CallNamedFunction', name: t.value, nameRange: s.range(t.start, t.end), arguments: args,
        style: 'statement', range: s.range(t.start),
      };
      return call;
    }
  }
  return parseExpression(s);
}

function parseTest(s: ParserState): Expression {
  return s.withBrace(true, () => parseExpression(s));
}

export function parseIf(s: ParserState): IfStatement {
  const kw = s.next(); // if / elsif
  const test = parseTest(s);
  const then = parseBlockBody(s);
  const node: IfStatement = { type: 'IfStatement', test, then, range: s.range(kw.start) };
  if (s.atName('elsif')) node.else = parseIf(s);
  else if (s.atName('else')) {
    s.next();
    node.else = parseBlockBody(s);
  }
  node.range = s.range(kw.start);
  return node;
}

export function parseUnless(s: ParserState): UnlessStatement {
  const kw = s.next();
  const test = parseTest(s);
  const then = parseBlockBody(s);
  const node: UnlessStatement = { type: 'UnlessStatement', test, then, range: s.range(kw.start) };
  if (s.atName('else')) {
    s.next();
    node.else = parseBlockBody(s);
  }
  node.range = s.range(kw.start);
  return node;
}

export function parseCase(s: ParserState): CaseStatement {
  const kw = s.next();
  const test = parseTest(s);
  s.expect('{', "'{' after the case test");
  const options: CaseOption[] = [];
  while (!s.at('}') && !s.at('EOF')) {
    const start = s.peek().start;
    const values: Expression[] = [];
    for (;;) {
      values.push(parseTest(s));
      if (!s.accept(',') || s.at(':')) break;
    }
    s.expect(':', "':' after the case value");
    const body = parseBlockBody(s);
    options.push({ type: 'CaseOption', values, body, range: s.range(start) });
  }
  s.expect('}', "'}' closing the case");
  return { type: 'CaseStatement', test, options, range: s.range(kw.start) };
}

function expectName(s: ParserState, what: string): Token {
  const t = s.next();
  if (t.kind !== 'NAME') s.failAt(t, `expected ${what} but found '${s.text.slice(t.start, t.end)}'`);
  return t;
}

/** Parameters up to `close` (consumed); the opening `(` or `|` is already consumed. */
export function parseParameters(s: ParserState, close: ')' | '|'): Parameter[] {
  const params: Parameter[] = [];
  while (!s.at(close)) {
    const start = s.peek().start;
    let typeExpr: Expression | undefined;
    if (!s.at('VARIABLE') && !s.at('*')) typeExpr = parseTypeExpression(s);
    const capturesRest = s.accept('*') !== undefined;
    const v = s.expect('VARIABLE', 'a parameter variable');
    const p: Parameter = {
      type: 'Parameter', name: v.value, nameRange: s.range(v.start, v.end), capturesRest, range: s.range(start),
    };
    if (typeExpr) p.typeExpr = typeExpr;
    if (s.accept('=')) p.default = s.withBrace(false, () => parseExpression(s));
    p.range = s.range(start);
    params.push(p);
    if (!s.accept(',')) break;
  }
  s.expect(close, `'${close}' closing the parameters`);
  return params;
}

function optionalParameters(s: ParserState): Parameter[] {
  if (!s.at('(')) return [];
  s.next();
  return parseParameters(s, ')');
}

export function parseClassDefinition(s: ParserState): HostClassDefinition {
  const kw = s.next();
  const name = expectName(s, 'a class name');
  const parameters = optionalParameters(s);
  const node: HostClassDefinition = {
    type: 'HostClassDefinition', name: stripColons(name.value), nameRange: s.range(name.start, name.end), parameters,
    body: [], range: s.range(kw.start),
  };
  if (s.atName('inherits')) {
    s.next();
    node.parent = stripColons(expectName(s, 'a parent class name').value);
  }
  node.body = parseBlockBody(s);
  node.range = s.range(kw.start);
  return node;
}

export function parseDefine(s: ParserState): ResourceTypeDefinition {
  const kw = s.next();
  const name = expectName(s, 'a defined type name');
  const parameters = optionalParameters(s);
  const body = parseBlockBody(s);
  return {
    type: 'ResourceTypeDefinition', name: stripColons(name.value), nameRange: s.range(name.start, name.end), parameters,
    body, range: s.range(kw.start),
  };
}

export function parseFunctionDefinition(s: ParserState): FunctionDefinition {
  const kw = s.next();
  const name = expectName(s, 'a function name');
  const parameters = optionalParameters(s);
  const node: FunctionDefinition = {
    type: 'FunctionDefinition', name: stripColons(name.value), nameRange: s.range(name.start, name.end), parameters,
    body: [], range: s.range(kw.start),
  };
  if (s.accept('>>')) node.returnType = parseTypeExpression(s);
  node.body = parseBlockBody(s);
  node.range = s.range(kw.start);
  return node;
}

export function parseTypeAlias(s: ParserState): TypeAlias {
  const kw = s.next();
  const name = s.expect('CLASSREF', 'a type name');
  s.expect('=');
  const typeExpr = parseExpression(s);
  return { type: 'TypeAlias', name: name.value, nameRange: s.range(name.start, name.end), typeExpr, range: s.range(kw.start) };
}

/** A node matcher: string, regex, `default`, or a dotted host name `web01.example.com`. */
function parseHostname(s: ParserState): Expression {
  const t = s.peek();
  switch (t.kind) {
    case 'STRING':
      s.next();
      return { type: 'LiteralString', value: t.value, quote: t.extra === "'" ? 'single' : 'double', range: s.range(t.start, t.end) };
    case 'DQPRE':
      return parseConcatenatedString(s, parseExpression);
    case 'REGEX':
      s.next();
      return { type: 'LiteralRegex', pattern: t.value, range: s.range(t.start, t.end) };
    case 'NAME': case 'WORD': case 'NUMBER': {
      if (t.value === 'default') {
        s.next();
        return { type: 'LiteralDefault', range: s.range(t.start, t.end) };
      }
      s.next();
      while (s.at('.') && ['NAME', 'WORD', 'NUMBER'].includes(s.peek(1).kind)) {
        s.next();
        s.next();
      }
      return { type: 'QualifiedName', value: s.text.slice(t.start, s.prevEnd), range: s.range(t.start) };
    }
    default:
      s.unexpected(t);
  }
}

export function parseNode(s: ParserState): NodeDefinition {
  const kw = s.next();
  const matches: Expression[] = [];
  for (;;) {
    matches.push(parseHostname(s));
    if (!s.accept(',') || s.at('{')) break;
  }
  const node: NodeDefinition = { type: 'NodeDefinition', matches, body: [], range: s.range(kw.start) };
  if (s.atName('inherits')) {
    s.next();
    node.parent = parseHostname(s);
  }
  node.body = parseBlockBody(s);
  node.range = s.range(kw.start);
  return node;
}
