/**
 * Single-pass Puppet lexer: a charCode switch over the text, a mode stack for strings and `${}`
 * interpolation (no recursion, so nesting depth cannot overflow the call stack), and heredoc bodies
 * lexed where they are declared (their tokens carry their own offsets, so the token order stays the
 * order the parser needs). Never throws; malformed input becomes `errors`.
 */
import type { Token, TokenKind } from './token.js';
import { isWordChar, variableNameLength } from './string-escapes.js';
import { lexHeredoc, scanString, singleQuoted } from './lex-strings.js';

export interface RawComment {
  style: 'line' | 'block';
  text: string;
  start: number;
  end: number;
}

export interface LexError {
  message: string;
  start: number;
  end: number;
}

export interface LexResult {
  tokens: Token[];
  comments: RawComment[];
  errors: LexError[];
}

/** A string being scanned: double-quoted, or an interpolated heredoc body. */
export interface StringMode {
  kind: 'string';
  heredoc: boolean;
  /** Offset of the opening quote (double-quoted strings). */
  start: number;
  /** End of the heredoc body. */
  end: number;
  margin: number;
  flags: string;
  /** Where code lexing resumes after a heredoc body. */
  returnPos: number;
  /** Whether DQPRE has been emitted. */
  open: boolean;
}

export interface InterpMode {
  kind: 'interp';
  depth: number;
}

const MAX_ERRORS = 100;
const MAX_MODE_DEPTH = 500;

const KEYWORDS = new Set([
  'and', 'or', 'in', 'if', 'elsif', 'else', 'unless', 'case', 'class', 'define', 'node', 'inherits',
  'default', 'undef', 'function', 'type', 'attr', 'private',
]);

/** Token kinds after which `/` is a division rather than a regex (Puppet's `regexp_acceptable?`). */
function regexAcceptableAfter(t: Token | undefined): boolean {
  if (!t) return true;
  switch (t.kind) {
    case ')': case ']': case '|>': case '|>>':
    case 'CLASSREF': case 'NUMBER': case 'STRING': case 'DQPOST': case 'HEREDOC': case 'REGEX':
    case 'VARIABLE': case 'WORD':
      return false;
    case 'NAME':
      return KEYWORDS.has(t.value);
    default:
      return true;
  }
}

function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const NAME_RE = /^(::)?[a-z]\w*(::[a-z]\w*)*$/;
const NUMBER_RE = /0[xX][0-9A-Fa-f]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/** Lexer state; the string and heredoc scanners live in lex-strings.ts. */
export class Lexer {
  pos = 0;
  spaceBefore = true;
  heredocResume = -1;
  readonly modes: Array<StringMode | InterpMode> = [];
  readonly tokens: Token[] = [];
  readonly comments: RawComment[] = [];
  readonly errors: LexError[] = [];
  private stopped = false;

  constructor(readonly text: string) {}

  run(): void {
    const text = this.text;
    while (!this.stopped) {
      const top = this.modes[this.modes.length - 1];
      if (top?.kind === 'string') {
        scanString(this, top);
        continue;
      }
      this.skipSpace();
      if (this.pos >= text.length) break;
      this.lexToken(top);
    }
    if (!this.stopped && this.modes.length > 0) {
      this.error('unterminated string or interpolation', this.text.length, this.text.length);
    }
    this.tokens.push({ kind: 'EOF', value: '', start: text.length, end: text.length, spaceBefore: true });
  }

  error(message: string, start: number, end: number): void {
    if (this.errors.length >= MAX_ERRORS) {
      this.stopped = true;
      return;
    }
    this.errors.push({ message, start, end });
    if (this.errors.length >= MAX_ERRORS) {
      this.errors.push({ message: 'too many lexical errors; rest of input skipped', start, end: this.text.length });
      this.stopped = true;
    }
  }

  emit(kind: TokenKind, value: string, start: number, end: number, extra?: string): void {
    const t: Token = { kind, value, start, end, spaceBefore: this.spaceBefore };
    if (extra !== undefined) t.extra = extra;
    this.tokens.push(t);
    this.spaceBefore = false;
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
        this.pos++;
        this.spaceBefore = true;
      } else if (c === 10) {
        this.pos++;
        this.spaceBefore = true;
        if (this.heredocResume >= 0 && this.modes.length === 0) {
          if (this.heredocResume > this.pos) this.pos = this.heredocResume;
          this.heredocResume = -1;
        }
      } else if (c === 35 /* # */) {
        let nl = text.indexOf('\n', this.pos);
        if (nl === -1) nl = text.length;
        let end = nl;
        if (text.charCodeAt(end - 1) === 13) end--;
        this.comments.push({ style: 'line', text: text.slice(this.pos + 1, end), start: this.pos, end });
        this.pos = nl;
        this.spaceBefore = true;
      } else if (c === 47 /* / */ && text.charCodeAt(this.pos + 1) === 42 /* * */) {
        const close = text.indexOf('*/', this.pos + 2);
        const end = close === -1 ? text.length : close + 2;
        if (close === -1) this.error('unterminated /* comment', this.pos, end);
        this.comments.push({ style: 'block', text: text.slice(this.pos + 2, close === -1 ? end : close), start: this.pos, end });
        this.pos = end;
        this.spaceBefore = true;
      } else {
        return;
      }
    }
  }

  private lexToken(top: InterpMode | undefined): void {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    const n = text.charCodeAt(start + 1);
    const op = (kind: TokenKind, len: number): void => {
      this.pos = start + len;
      this.emit(kind, kind, start, this.pos);
    };
    switch (c) {
      case 36: /* $ */ {
        const len = variableNameLength(text, start + 1);
        if (len === 0) {
          this.error("'$' must be followed by a variable name", start, start + 1);
          this.pos = start + 1;
          return;
        }
        this.pos = start + 1 + len;
        this.emit('VARIABLE', text.slice(start + 1, this.pos), start, this.pos);
        return;
      }
      case 34: /* " */
        this.pos = start + 1;
        this.pushMode({ kind: 'string', heredoc: false, start, end: text.length, margin: 0, flags: '', returnPos: 0, open: false });
        return;
      case 39: /* ' */
        singleQuoted(this, start);
        return;
      case 123: /* { */
        if (top) top.depth++;
        op('{', 1);
        return;
      case 125: /* } */
        if (top) {
          if (top.depth === 0) {
            this.pos = start + 1;
            this.emit('INTERP_END', '}', start, this.pos);
            this.modes.pop();
            return;
          }
          top.depth--;
        }
        op('}', 1);
        return;
      case 91: op('[', 1); return;
      case 93: op(']', 1); return;
      case 40: op('(', 1); return;
      case 41: op(')', 1); return;
      case 44: op(',', 1); return;
      case 59: op(';', 1); return;
      case 63: op('?', 1); return;
      case 46: op('.', 1); return;
      case 37: op('%', 1); return;
      case 42: op('*', 1); return;
      case 58: /* : */
        if (n === 58 && (isLower(text.charCodeAt(start + 2)) || isUpper(text.charCodeAt(start + 2)))) {
          this.word(start);
          return;
        }
        op(':', 1);
        return;
      case 61: /* = */
        if (n === 62) op('=>', 2);
        else if (n === 61) op('==', 2);
        else if (n === 126) op('=~', 2);
        else op('=', 1);
        return;
      case 43: /* + */
        if (n === 62) op('+>', 2);
        else if (n === 61) op('+=', 2);
        else op('+', 1);
        return;
      case 45: /* - */
        if (n === 62) op('->', 2);
        else if (n === 61) op('-=', 2);
        else op('-', 1);
        return;
      case 33: /* ! */
        if (n === 61) op('!=', 2);
        else if (n === 126) op('!~', 2);
        else op('!', 1);
        return;
      case 126: /* ~ */
        if (n === 62) { op('~>', 2); return; }
        break;
      case 60: /* < */
        if (n === 60 && text.charCodeAt(start + 2) === 124) op('<<|', 3);
        else if (n === 124) op('<|', 2);
        else if (n === 60) op('<<', 2);
        else if (n === 61) op('<=', 2);
        else if (n === 45) op('<-', 2);
        else if (n === 126) op('<~', 2);
        else op('<', 1);
        return;
      case 62: /* > */
        if (n === 61) op('>=', 2);
        else if (n === 62) op('>>', 2);
        else op('>', 1);
        return;
      case 124: /* | */
        if (n === 62 && text.charCodeAt(start + 2) === 62) op('|>>', 3);
        else if (n === 62) op('|>', 2);
        else op('|', 1);
        return;
      case 64: /* @ */
        if (n === 40) { lexHeredoc(this, start); return; }
        if (n === 64) op('@@', 2);
        else op('@', 1);
        return;
      case 47: /* / */
        this.slash(start);
        return;
      default:
        break;
    }
    if (isLower(c)) {
      this.word(start);
    } else if (isUpper(c)) {
      this.classRef(start);
    } else if (isDigit(c)) {
      this.number(start);
    } else {
      // Skip a run of unusable characters as one error.
      let p = start + 1;
      while (p < text.length && p - start < 1000) {
        const d = text.charCodeAt(p);
        if (d <= 32 || d === 35 || d === 36 || d === 34 || d === 39 || isLower(d) || isUpper(d) || isDigit(d) || '{}[](),;:=+-!<>|@/'.includes(text[p] as string)) break;
        p++;
      }
      this.error(`unexpected character '${text[start]}'`, start, p);
      this.pos = p;
    }
  }

  pushMode(mode: StringMode | InterpMode): void {
    if (this.modes.length >= MAX_MODE_DEPTH) {
      this.error('strings and interpolations nested too deeply', this.pos, this.text.length);
      this.stopped = true;
      return;
    }
    this.modes.push(mode);
  }

  /** Bare word: `foo`, `foo::bar`, `::foo`, `foo-bar` (WORD). Starts at a lowercase letter, `_` or `::`. */
  private word(start: number): void {
    const text = this.text;
    let p = start;
    for (;;) {
      if (text.charCodeAt(p) === 58 && text.charCodeAt(p + 1) === 58 && isLower(text.charCodeAt(p + 2))) p += 2;
      else if (p !== start) break;
      if (!isLower(text.charCodeAt(p))) break;
      let q = p + 1;
      while (q < text.length && (isWordChar(text.charCodeAt(q)) || text.charCodeAt(q) === 45)) q++;
      while (text.charCodeAt(q - 1) === 45) q--; // a word does not end with '-'
      p = q;
    }
    if (isUpper(text.charCodeAt(start + 2)) && text.charCodeAt(start) === 58) {
      this.classRef(start);
      return;
    }
    const value = text.slice(start, p);
    this.pos = p;
    this.emit(NAME_RE.test(value) ? 'NAME' : 'WORD', value, start, p);
  }

  /** `File`, `Stdlib::Port`, `::Foo::Bar`. */
  private classRef(start: number): void {
    const text = this.text;
    let p = start;
    for (;;) {
      let q = p;
      if (text.charCodeAt(q) === 58 && text.charCodeAt(q + 1) === 58) q += 2;
      if (!isUpper(text.charCodeAt(q))) break;
      q++;
      while (q < text.length && isWordChar(text.charCodeAt(q))) q++;
      p = q;
    }
    this.pos = p;
    this.emit('CLASSREF', text.slice(start, p), start, p);
  }

  private number(start: number): void {
    NUMBER_RE.lastIndex = start;
    const m = NUMBER_RE.exec(this.text);
    let p = start + (m ? m[0].length : 1);
    if (isWordChar(this.text.charCodeAt(p))) {
      while (isWordChar(this.text.charCodeAt(p))) p++;
      this.error(`illegal number '${this.text.slice(start, p)}'`, start, p);
    }
    this.pos = p;
    this.emit('NUMBER', this.text.slice(start, p), start, p);
  }

  /** Regex when one can start here (Puppet's rule: not after a value), else division. */
  private slash(start: number): void {
    const text = this.text;
    if (regexAcceptableAfter(this.tokens[this.tokens.length - 1])) {
      let p = start + 1;
      while (p < text.length && text.charCodeAt(p) !== 47 && text.charCodeAt(p) !== 10) p++;
      if (p < text.length && text.charCodeAt(p) === 47) {
        // An escaped closing slash does not end the regex; the scan may then cross lines.
        while (p !== -1 && escapedAt(text, p)) p = text.indexOf('/', p + 1);
        if (p !== -1) {
          const pattern = text.slice(start + 1, p).replace(/\\\//g, '/');
          this.pos = p + 1;
          this.emit('REGEX', pattern, start, this.pos);
          return;
        }
      }
    }
    this.pos = start + 1;
    this.emit('/', '/', start, this.pos);
  }

}

function escapedAt(text: string, p: number): boolean {
  let n = 0;
  while (p - 1 - n >= 0 && text.charCodeAt(p - 1 - n) === 92) n++;
  return n % 2 === 1;
}

/** Lexes Puppet source into tokens (ending with EOF), comments and lexical errors. Never throws. */
export function lexPuppet(text: string): LexResult {
  const lexer = new Lexer(text);
  try {
    lexer.run();
  } catch (e) {
    lexer.errors.push({ message: `internal lexer error: ${(e as Error).message}`, start: 0, end: 0 });
    lexer.tokens.push({ kind: 'EOF', value: '', start: text.length, end: text.length, spaceBefore: true });
  }
  return { tokens: lexer.tokens, comments: lexer.comments, errors: lexer.errors };
}
