/**
 * Heredoc support for the lexer: the `@(TAG:syntax/flags)` header and locating the body and end line
 * (`|` sets the margin, `-` trims the last line break).
 */
import { heredocEscape } from './string-escapes.js';

export interface HeredocHeader {
  tag: string;
  syntax?: string;
  /** Escape flags; `/` alone means all of them. */
  flags: string;
  interpolated: boolean;
  /** Offset after the closing `)`. */
  end: number;
}

const HEADER = /@\(([^:/\r\n)]+)(?::[ \t]*([a-z][a-zA-Z0-9_+]+)[ \t]*)?(?:\/((?:\w|[$])*)[ \t]*)?\)/y;
const ALL_FLAGS = 'trnsuL$';

/** Reads the header at `pos` (the `@`); undefined when it is not a valid heredoc header. */
export function readHeredocHeader(text: string, pos: number): HeredocHeader | undefined {
  HEADER.lastIndex = pos;
  const m = HEADER.exec(text);
  if (!m) return undefined;
  let tag = (m[1] as string).trim();
  let interpolated = false;
  if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"')) {
    tag = tag.slice(1, -1);
    interpolated = true;
  }
  if (tag === '' || tag.includes('"')) return undefined;
  let flags = m[3] ?? '';
  const slash = m[0].includes('/');
  if (slash && flags === '') flags = ALL_FLAGS;
  const header: HeredocHeader = { tag, flags, interpolated, end: pos + m[0].length };
  if (m[2] !== undefined) header.syntax = m[2];
  return header;
}

export interface HeredocBody {
  /** Offset of the first body character. */
  start: number;
  /** Offset just after the last body character (before the end line; minus the line break with `-`). */
  end: number;
  /** Whitespace characters to strip from the start of each line (from `|`). */
  margin: number;
  /** Offset just after the end-tag line (where lexing resumes). */
  resume: number;
  /** False when no end line was found; then the body runs to the end of input. */
  found: boolean;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Finds the end line `[ws][|][ws][-][ws]TAG[ws]` from `start`. */
export function findHeredocBody(text: string, start: number, tag: string): HeredocBody {
  let lineStart = start;
  while (lineStart < text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl === -1) nl = text.length;
    let p = lineStart;
    while (p < nl && isBlank(text.charCodeAt(p))) p++;
    let margin = 0;
    if (text.charCodeAt(p) === 124 /* | */) {
      margin = p - lineStart;
      p++;
      while (p < nl && isBlank(text.charCodeAt(p))) p++;
    }
    let trim = false;
    if (text.charCodeAt(p) === 45 /* - */) {
      trim = true;
      p++;
      while (p < nl && isBlank(text.charCodeAt(p))) p++;
    }
    if (text.startsWith(tag, p)) {
      let q = p + tag.length;
      while (q < nl && (isBlank(text.charCodeAt(q)) || text.charCodeAt(q) === 13)) q++;
      if (q === nl) {
        let end = lineStart;
        if (trim && end > start) {
          end--; // the \n
          if (end > start && text.charCodeAt(end - 1) === 13) end--;
        }
        return { start, end, margin, resume: Math.min(nl + 1, text.length), found: true };
      }
    }
    lineStart = nl + 1;
  }
  return { start, end: text.length, margin: 0, resume: text.length, found: false };
}

/** Skips up to `margin` blanks at `pos` (a line start). */
export function skipMargin(text: string, pos: number, margin: number, limit: number): number {
  let p = pos;
  const stop = Math.min(pos + margin, limit);
  while (p < stop && isBlank(text.charCodeAt(p))) p++;
  return p;
}

/** The text of a non-interpolated heredoc body, margin stripped and enabled escapes applied. */
export function heredocText(text: string, body: HeredocBody, flags: string): string {
  let out = '';
  let p = skipMargin(text, body.start, body.margin, body.end);
  let chunk = p;
  while (p < body.end) {
    const c = text.charCodeAt(p);
    if (c === 10) {
      out += text.slice(chunk, p + 1);
      p = skipMargin(text, p + 1, body.margin, body.end);
      chunk = p;
    } else if (c === 92 && flags !== '') {
      out += text.slice(chunk, p);
      const e = heredocEscape(text, p, flags);
      out += e.text;
      p = e.next;
      if (text.charCodeAt(p - 1) === 10) p = skipMargin(text, p, body.margin, body.end);
      chunk = p;
    } else {
      p++;
    }
  }
  return out + text.slice(chunk, body.end);
}
