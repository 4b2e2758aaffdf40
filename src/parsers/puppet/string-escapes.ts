/**
 * Escape sequences of Puppet strings and heredocs, and the `$name` pattern of string interpolation.
 * Each function reads at `pos` (the backslash) and returns the produced text and the next offset.
 */

export interface Escaped {
  text: string;
  next: number;
}

/** `\uXXXX` or `\u{X...}` starting at the `u`; undefined when malformed. */
function unicodeEscape(text: string, u: number): Escaped | undefined {
  if (text.charCodeAt(u + 1) === 123 /* { */) {
    const close = text.indexOf('}', u + 2);
    if (close === -1 || close - (u + 2) > 6 || close === u + 2) return undefined;
    const hex = text.slice(u + 2, close);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) return undefined;
    return { text: String.fromCodePoint(cp), next: close + 1 };
  }
  const hex = text.slice(u + 1, u + 5);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
  return { text: String.fromCharCode(parseInt(hex, 16)), next: u + 5 };
}

/** Double-quoted string escapes: `\\ \" \' \n \r \t \s \$ \u`; anything else keeps its backslash. */
export function dqEscape(text: string, pos: number): Escaped {
  const c = text[pos + 1];
  switch (c) {
    case '\\': return { text: '\\', next: pos + 2 };
    case '"': return { text: '"', next: pos + 2 };
    case "'": return { text: "'", next: pos + 2 };
    case 'n': return { text: '\n', next: pos + 2 };
    case 'r': return { text: '\r', next: pos + 2 };
    case 't': return { text: '\t', next: pos + 2 };
    case 's': return { text: ' ', next: pos + 2 };
    case '$': return { text: '$', next: pos + 2 };
    case 'u': return unicodeEscape(text, pos + 1) ?? { text: '\\u', next: pos + 2 };
    case '\n': return { text: '', next: pos + 2 }; // line continuation
    case '\r': return text[pos + 2] === '\n' ? { text: '', next: pos + 3 } : { text: '\\\r', next: pos + 2 };
    case undefined: return { text: '\\', next: pos + 1 };
    default: return { text: '\\' + c, next: pos + 2 };
  }
}

/**
 * Heredoc escapes, enabled one by one by the flags after `/` in `@(END/tsrnuL$)` (`/` alone enables all).
 * `\\` is an escape whenever any flag is on. Disabled escapes keep the backslash.
 */
export function heredocEscape(text: string, pos: number, flags: string): Escaped {
  const c = text[pos + 1];
  if (c === undefined) return { text: '\\', next: pos + 1 };
  if (c === '\\') return { text: '\\', next: pos + 2 };
  if (flags.includes(c)) {
    switch (c) {
      case 'n': return { text: '\n', next: pos + 2 };
      case 'r': return { text: '\r', next: pos + 2 };
      case 't': return { text: '\t', next: pos + 2 };
      case 's': return { text: ' ', next: pos + 2 };
      case '$': return { text: '$', next: pos + 2 };
      case 'u': return unicodeEscape(text, pos + 1) ?? { text: '\\u', next: pos + 2 };
      default: break;
    }
  }
  if (flags.includes('L')) {
    if (c === '\n') return { text: '', next: pos + 2 };
    if (c === '\r' && text[pos + 2] === '\n') return { text: '', next: pos + 3 };
  }
  return { text: '\\', next: pos + 1 };
}

/** True for [A-Za-z0-9_]. */
export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Length of a variable name at `pos` (just after `$`) per Puppet's `(::)?(\w+::)*\w+`; 0 when there is none.
 */
export function variableNameLength(text: string, pos: number): number {
  let p = pos;
  if (text.charCodeAt(p) === 58 && text.charCodeAt(p + 1) === 58) p += 2;
  let end = -1;
  for (;;) {
    const segStart = p;
    while (p < text.length && isWordChar(text.charCodeAt(p))) p++;
    if (p === segStart) break;
    end = p;
    if (text.charCodeAt(p) === 58 && text.charCodeAt(p + 1) === 58 && isWordChar(text.charCodeAt(p + 2))) p += 2;
    else break;
  }
  return end === -1 ? 0 : end - pos;
}
