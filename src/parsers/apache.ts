/**
 * parseApache: httpd configuration -> ApacheConfig (src/model/ast/apache.ts), with exact locations; and
 * keyValueArgs, which reads mod_wsgi-style `name=value` arguments.
 *
 * Follows httpd's own reader (server/util.c, config.c) so the tree is what httpd would see:
 * - a line ending in `\` (trailing whitespace allowed) continues on the next line; the pieces are joined with the
 *   backslash removed, before anything else, so even a comment can continue;
 * - leading whitespace is ignored; a line whose first character is `#` is a comment (there are no inline
 *   comments: a `#` later in the line is an argument, as httpd reads it);
 * - arguments are split on whitespace; one that starts with `"` or `'` runs to the matching quote, where only
 *   a backslash before that quote is an escape (ap_getword_conf); an unclosed quote runs to the end of the line;
 * - `<Name args>` opens a section and `</Name>` closes it, names compared case-insensitively. A close tag that
 *   does not match the innermost open section is an error: if it matches an outer one, the sections in between
 *   are closed there (each with an error); otherwise it is ignored. Sections still open at the end are errors and
 *   run to the end of the file. The tree is always returned.
 *
 * Templates (`.conf.erb`, `.conf.j2`, `.epp`): with `templated: true` the text is masked first
 * (mask-template.ts), so `<% if @x %>` control lines vanish and `threads=<%= @threads %>` stays one argument,
 * marked `templated`, whose `raw` and `value` are the original text.
 */
import type { ApacheArgument, ApacheConfig, ApacheDirective, ApacheNode, ApacheSection } from '../model/ast/apache.js';
import type { Range } from '../model/location.js';
import type { ParseError, ParseResult } from '../model/parse-result.js';
import { LineIndex } from './line-index.js';
import { maskIfTemplated, overlapsTag, type TemplateOptions, type TemplateTag } from './mask-template.js';

/** Apache files are templates as `.erb`, `.epp` or `.j2` vhosts. */
export type ApacheOptions = TemplateOptions;

/** Inputs larger than this are not parsed (an error is returned). */
export const MAX_APACHE_SIZE = 10 * 1024 * 1024;

/** A logical line: the joined content of one or more physical lines, and where each piece came from. */
interface Logical {
  /** Masked content, continuations joined. */
  masked: string;
  /** Original content, same length and mapping. */
  original: string;
  /** Joined index where each piece starts, and its source offset. */
  pieces: Array<{ at: number; src: number }>;
}

interface Word {
  /** [start, end) in the logical line. */
  start: number;
  end: number;
}

/** A section whose close tag has not been seen yet. */
interface OpenSection {
  node: ApacheSection;
}

export function parseApache(text: string, options: ApacheOptions = {}): ParseResult<ApacheConfig> {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const tree: ApacheConfig = { children: [] };
  if (text.length > MAX_APACHE_SIZE) {
    errors.push({ message: `file too large to parse (${text.length} characters)`, range: lines.range(0, 0) });
    return { tree, errors };
  }
  const { text: src, tags, errors: maskErrors } = maskIfTemplated(text, options);
  errors.push(...maskErrors);

  const stack: OpenSection[] = [];
  // How many sections of each (lower-cased) name are open: a stray close tag is known at once, without scanning
  // the stack, so thousands of stray closes under deep nesting stay linear.
  const openCount = new Map<string, number>();
  const add = (node: ApacheNode): void => {
    const top = stack[stack.length - 1];
    (top ? top.node.children : tree.children).push(node);
  };
  const error = (message: string, range: Range): void => {
    errors.push({ message, range });
  };
  const pop = (): ApacheSection => {
    const node = stack.pop()!.node;
    const key = node.name.toLowerCase();
    openCount.set(key, (openCount.get(key) ?? 1) - 1);
    return node;
  };

  let pos = 0;
  const n = src.length;
  while (pos <= n) {
    const line = readLogical(text, src, pos);
    pos = line.next;
    const { masked } = line.logical;
    let s = 0;
    while (s < masked.length && isBlank(masked.charCodeAt(s))) s++;
    let e = masked.length;
    while (e > s && isBlank(masked.charCodeAt(e - 1))) e--;
    if (s === e || masked.charCodeAt(s) === 35 /* # */) {
      if (pos > n) break;
      continue;
    }
    const at = (j: number): number => mapStart(line.logical, j);
    const atEnd = (j: number): number => mapEnd(line.logical, j);
    const rangeOf = (a: number, b: number): Range => lines.range(at(a), b > a ? atEnd(b) : at(a));

    if (masked.charCodeAt(s) === 60 /* < */ && masked.charCodeAt(s + 1) === 47 /* / */) {
      // </Name>
      let k = s + 2;
      while (k < e && !isBlank(masked.charCodeAt(k)) && masked.charCodeAt(k) !== 62) k++;
      const name = line.logical.original.slice(s + 2, k);
      const closeRange = rangeOf(s, e);
      if (masked.charCodeAt(e - 1) !== 62 /* > */) error(`closing tag </${name}> does not end with '>'`, closeRange);
      const lower = name.toLowerCase();
      let match = -1;
      for (let d = (openCount.get(lower) ?? 0) > 0 ? stack.length - 1 : -1; d >= 0; d--) {
        if (stack[d]!.node.name.toLowerCase() === lower) {
          match = d;
          break;
        }
      }
      if (match === -1) {
        error(`</${name}> without matching <${name}>`, closeRange);
      } else {
        while (stack.length - 1 > match) {
          const inner = pop();
          error(`<${inner.name}> is not closed before </${name}>`, inner.openRange);
          inner.range = { start: inner.range.start, end: closeRange.start };
        }
        const closed = pop();
        closed.range = { start: closed.range.start, end: closeRange.end };
      }
    } else if (masked.charCodeAt(s) === 60 /* < */) {
      // <Name args>
      let k = s + 1;
      while (k < e && !isBlank(masked.charCodeAt(k)) && masked.charCodeAt(k) !== 62) k++;
      const openRange = rangeOf(s, e);
      if (k === s + 1) {
        error('section tag has no name', openRange);
      } else {
        const closed = masked.charCodeAt(e - 1) === 62;
        if (!closed) error(`section tag <${line.logical.original.slice(s + 1, k)}> does not end with '>'`, openRange);
        const argsEnd = closed ? e - 1 : e;
        const section: ApacheSection = {
          type: 'section',
          name: line.logical.original.slice(s + 1, k),
          args: words(masked, k, argsEnd).map((w) => argument(line.logical, w, tags, lines)),
          children: [],
          range: { start: openRange.start, end: lines.position(text.length) },
          openRange,
        };
        add(section);
        stack.push({ node: section });
        const key = section.name.toLowerCase();
        openCount.set(key, (openCount.get(key) ?? 0) + 1);
      }
    } else {
      let k = s;
      while (k < e && !isBlank(masked.charCodeAt(k))) k++;
      const directive: ApacheDirective = {
        type: 'directive',
        name: line.logical.original.slice(s, k),
        args: words(masked, k, e).map((w) => argument(line.logical, w, tags, lines)),
        range: rangeOf(s, e),
        nameRange: rangeOf(s, k),
      };
      add(directive);
    }
    if (pos > n) break;
  }
  for (let d = stack.length - 1; d >= 0; d--) {
    const open = stack[d]!.node;
    error(`<${open.name}> is not closed`, open.openRange);
  }
  return { tree, errors };
}

/** Read the logical line starting at `pos`; `next` is where the following one starts (> length at the end). */
function readLogical(text: string, src: string, pos: number): { logical: Logical; next: number } {
  const maskedParts: string[] = [];
  const originalParts: string[] = [];
  const pieces: Logical['pieces'] = [];
  let joined = 0;
  let start = pos;
  for (;;) {
    let end = src.indexOf('\n', start);
    const last = end === -1;
    if (last) end = src.length;
    // A backslash as the last non-blank character continues the line.
    let t = end;
    while (t > start && isBlank(src.charCodeAt(t - 1))) t--;
    const continues = !last && t > start && src.charCodeAt(t - 1) === 92;
    const pieceEnd = continues ? t - 1 : end;
    pieces.push({ at: joined, src: start });
    maskedParts.push(src.slice(start, pieceEnd));
    originalParts.push(text.slice(start, pieceEnd));
    joined += pieceEnd - start;
    if (!continues) {
      return {
        logical: { masked: maskedParts.join(''), original: originalParts.join(''), pieces },
        next: last ? src.length + 1 : end + 1,
      };
    }
    start = end + 1;
  }
}

/** Source offset of the character at joined index `j` (binary search: a line may have many continuations). */
function mapStart(l: Logical, j: number): number {
  const pieces = l.pieces;
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.at <= j) lo = mid;
    else hi = mid - 1;
  }
  const p = pieces[lo]!;
  return p.src + (j - p.at);
}

/** Source offset just past the character at joined index `j - 1` (an exclusive end). */
function mapEnd(l: Logical, j: number): number {
  return j === 0 ? mapStart(l, 0) : mapStart(l, j - 1) + 1;
}

/** ap_getword_conf over [from, to) of the masked logical line. */
function words(s: string, from: number, to: number): Word[] {
  const out: Word[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isBlank(s.charCodeAt(i))) i++;
    if (i >= to) break;
    const start = i;
    const c = s.charCodeAt(i);
    if (c === 34 || c === 39) {
      i++;
      while (i < to) {
        const d = s.charCodeAt(i);
        if (d === 92 && i + 1 < to && s.charCodeAt(i + 1) === c) i += 2;
        else if (d === c) break;
        else i++;
      }
      i = i < to ? i + 1 : to; // past the closing quote, or to the end when unclosed
    } else {
      while (i < to && !isBlank(s.charCodeAt(i))) i++;
    }
    out.push({ start, end: i });
  }
  return out;
}

function argument(l: Logical, w: Word, tags: readonly TemplateTag[], lines: LineIndex): ApacheArgument {
  const srcStart = mapStart(l, w.start);
  const srcEnd = mapEnd(l, w.end);
  const raw = l.original.slice(w.start, w.end);
  const templated = tags.length > 0 && overlapsTag(tags, srcStart, srcEnd);
  return { value: unquote(templated ? raw : l.masked.slice(w.start, w.end)), raw, templated, range: lines.range(srcStart, srcEnd) };
}

/** Remove the quotes of a quoted word and its `\<quote>` escapes; other words are returned as they are. */
function unquote(word: string): string {
  const q = word.charCodeAt(0);
  if (q !== 34 && q !== 39) return word;
  const closed = word.length >= 2 && word.charCodeAt(word.length - 1) === q && word.charCodeAt(word.length - 2) !== 92;
  const inner = word.slice(1, closed ? -1 : undefined);
  const quote = String.fromCharCode(q);
  return inner.split('\\' + quote).join(quote);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

export interface KeyValueArg {
  /** The text after the first `=`, with surrounding quotes removed. */
  value: string;
  /** The whole argument. */
  range: Range;
  /** The argument contains a template expression: the value is unknown. */
  templated: boolean;
}

/**
 * `name=value` arguments (mod_wsgi's `WSGIDaemonProcess nova-api processes=4 threads=1 display-name=%{GROUP}`)
 * as a map from the lower-cased name (mod_wsgi option names are case-insensitive) to the value. Arguments without
 * `=` (the process group name) are skipped; when a name repeats, the last one wins, as in mod_wsgi.
 */
export function keyValueArgs(args: readonly ApacheArgument[]): Map<string, KeyValueArg> {
  const out = new Map<string, KeyValueArg>();
  for (const arg of args) {
    const eq = arg.value.indexOf('=');
    if (eq <= 0) continue;
    let value = arg.value.slice(eq + 1);
    const q = value.charCodeAt(0);
    if (value.length >= 2 && (q === 34 || q === 39) && value.charCodeAt(value.length - 1) === q) value = value.slice(1, -1);
    out.set(arg.value.slice(0, eq).toLowerCase(), { value, range: arg.range, templated: arg.templated });
  }
  return out;
}
