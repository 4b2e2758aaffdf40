/**
 * Token cursor shared by the Puppet parsing functions: lookahead, expectations, ranges, errors and the
 * nesting limit that turns absurdly deep input into a parse error instead of a stack overflow.
 */
import type { Range } from '../../model/location.js';
import type { ParseError } from '../../model/parse-result.js';
import type { Token, TokenKind } from './token.js';
import { LineIndex } from '../line-index.js';

/** Maximum nesting of expressions and blocks. Real manifests stay far below; see MAX in tests. */
export const MAX_NESTING = 200;
/** Errors after which the parser gives up on the rest of the input. */
export const MAX_PARSE_ERRORS = 100;

/** Thrown inside the parser to abandon the current statement; caught by the statement loop. */
export class ParseFailure extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

export class ParserState {
  i = 0;
  depth = 0;
  /** While true, `name {` and `Type {` are not resource bodies (if/unless/case tests). */
  noBrace = false;
  readonly errors: ParseError[] = [];
  readonly loc: LineIndex;

  constructor(readonly text: string, readonly tokens: Token[]) {
    this.loc = new LineIndex(text);
  }

  peek(k = 0): Token {
    const t = this.tokens[this.i + k];
    return t ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  /** End offset of the last consumed token. */
  get prevEnd(): number {
    return this.i > 0 ? (this.tokens[this.i - 1] as Token).end : 0;
  }

  at(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }

  /** True when the next token is the bare word `value` (keywords are NAME tokens). */
  atName(value: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'NAME' && t.value === value;
  }

  accept(kind: TokenKind): Token | undefined {
    return this.at(kind) ? this.next() : undefined;
  }

  expect(kind: TokenKind, what?: string): Token {
    if (this.at(kind)) return this.next();
    this.failAt(this.peek(), `expected ${what ?? `'${kind}'`} but found ${describe(this.peek())}`);
  }

  failAt(t: Token, message: string): never {
    throw new ParseFailure(message, t.start, Math.max(t.end, t.start));
  }

  unexpected(t: Token = this.peek()): never {
    this.failAt(t, `syntax error: unexpected ${describe(t)}`);
  }

  range(start: number, end: number = this.prevEnd): Range {
    return this.loc.range(start, Math.max(start, end));
  }

  /** Enters one nesting level; fails past MAX_NESTING. Pair with `leave()` (in a finally). */
  enter(): void {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      throw new ParseFailure(`nesting deeper than ${MAX_NESTING} levels`, t.start, t.end);
    }
  }

  leave(): void {
    this.depth--;
  }

  addError(message: string, start: number, end: number): void {
    if (this.errors.length < MAX_PARSE_ERRORS) this.errors.push({ message, range: this.loc.range(start, end) });
  }

  /** Runs `fn` with the resource-brace restriction set to `noBrace`, restoring it afterwards. */
  withBrace<T>(noBrace: boolean, fn: () => T): T {
    const saved = this.noBrace;
    this.noBrace = noBrace;
    try {
      return fn();
    } finally {
      this.noBrace = saved;
    }
  }
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF': return 'end of input';
    case 'NAME': case 'WORD': case 'CLASSREF': return `'${t.value}'`;
    case 'VARIABLE': return `variable '$${t.value}'`;
    case 'STRING': case 'DQPRE': return 'string';
    case 'NUMBER': return `number ${t.value}`;
    case 'REGEX': return 'regular expression';
    case 'HEREDOC': return 'heredoc';
    default: return `'${t.kind === 'INTERP_END' ? '}' : t.kind === 'INTERP_START' ? '${' : t.kind}'`;
  }
}
