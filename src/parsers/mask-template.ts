/**
 * maskTemplate: hides Jinja (`{{ }}`, `{% %}`, `{# #}`) and ERB/EPP (`<%= %>`, `<%- -%>`, `<% %>`, `<%# %>`)
 * tags so that the YAML, INI and Apache parsers can read a template as the file it will render to.
 *
 * Why masking rather than stripping: every offset, line and column in the masked text is the same as in the
 * original, so locations reported by the parsers point into the file the reviewer sees. Each character of a tag is
 * replaced by one character; newlines (and `\r`) are kept.
 *
 * What a tag becomes (chosen so that the surrounding format still parses the way the rendered file would):
 * - statement and comment tags (`{% if %}`, `<% end %>`, `{# x #}`, `<%# x %>`): spaces. A control line thus
 *   becomes a blank line, which every format ignores.
 * - expression tags (`{{ x }}`, `<%= @x %>`) inside a line: `_` on the tag's first line (spaces on any further
 *   line), so `threads=<%= @threads %>` stays one Apache argument, `key: {{ x }}` stays a plain YAML scalar rather
 *   than becoming null, and `workers = {{ n }}` keeps a non-empty INI value. A `_`-run is never taken for a
 *   literal: parsers look the value's range up in `tags` (see `overlapsTag`) and mark it templated.
 * - an expression tag alone on its line (`<%= @extra_options %>`): spaces, because such a tag usually emits
 *   whole lines, and a `____` line would be a bogus directive or YAML scalar.
 *
 * Strings inside expression and statement tags are skipped when looking for the closing delimiter, so
 * `{{ x | default('}}') }}` is one tag. Jinja `{% raw %} ... {% endraw %}` content is left as is. An ERB `<%%` is a
 * literal `<%`, not a tag. An unclosed tag is reported as a parse error and left unmasked.
 */
import type { ParseError } from '../model/parse-result.js';
import { LineIndex } from './line-index.js';

export type TemplateSyntax = 'jinja' | 'erb';

export interface TemplateTag {
  /** Offset of the first character of the opening delimiter. */
  start: number;
  /** Offset just past the closing delimiter. */
  end: number;
  syntax: TemplateSyntax;
  /** `expression` outputs a value; `statement` is control flow; `comment` outputs nothing. */
  kind: 'expression' | 'statement' | 'comment';
}

export interface MaskedTemplate {
  /** Same length as the input; tags replaced as described in the file header. */
  text: string;
  /** Masked tags in source order (non-overlapping, increasing offsets). */
  tags: TemplateTag[];
  /** Unclosed tags. */
  errors: ParseError[];
}

export interface MaskOptions {
  /** Which template languages to look for; both by default (`.j2` passes jinja, `.erb`/`.epp` pass erb). */
  syntaxes?: readonly TemplateSyntax[];
}

/** Unclosed tags reported one by one; beyond this, one summary error (garbage input has thousands). */
export const MAX_TEMPLATE_ERRORS = 100;

const LF = 10;
const CR = 13;
const BRACE = 123; // {
const LT = 60; // <
const PERCENT = 37; // %
const HASH = 35; // #
const EQUALS = 61; // =

/** Cheap sniff: does the text contain something that looks like a Jinja or ERB tag opener? */
export function hasTemplateTags(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('<%');
}

export function maskTemplate(text: string, options: MaskOptions = {}): MaskedTemplate {
  const syntaxes = options.syntaxes ?? ['jinja', 'erb'];
  const jinja = syntaxes.includes('jinja');
  const erb = syntaxes.includes('erb');
  const tags: TemplateTag[] = [];
  const errors: ParseError[] = [];
  let lines: LineIndex | undefined;
  let unreported = 0;
  const unclosed = (start: number, opener: string): void => {
    if (errors.length >= MAX_TEMPLATE_ERRORS) {
      unreported++;
      return;
    }
    lines ??= new LineIndex(text);
    errors.push({ message: `unclosed template tag '${opener}'`, range: lines.range(start, start + opener.length) });
  };

  // Where each closing delimiter last occurs: an opener after it cannot be closed, so a file full of unclosed
  // openers is not scanned to its end once per opener (that would be quadratic).
  const lastClose = new Map<string, number>();
  const closeAfter = (from: number, close: string, skipStrings: boolean): number => {
    let last = lastClose.get(close);
    if (last === undefined) {
      last = text.lastIndexOf(close);
      lastClose.set(close, last);
    }
    return last < from ? -1 : findClose(text, from, close, skipStrings);
  };

  const n = text.length;
  let i = 0;
  while (i < n - 1) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    if (jinja && c === BRACE && (d === BRACE || d === PERCENT || d === HASH)) {
      const close = d === BRACE ? '}}' : d === PERCENT ? '%}' : '#}';
      const end = closeAfter(i + 2, close, d !== HASH);
      if (end === -1) {
        unclosed(i, text.slice(i, i + 2));
        i += 2;
        continue;
      }
      const kind = d === BRACE ? 'expression' : d === PERCENT ? 'statement' : 'comment';
      tags.push({ start: i, end, syntax: 'jinja', kind });
      i = end;
      if (kind === 'statement' && /^\{%-?\s*raw\s*-?%\}$/.test(text.slice(tags[tags.length - 1]!.start, end))) {
        // Leave `{% raw %}` content alone; mask the `{% endraw %}` tag itself.
        const endraw = /\{%-?\s*endraw\s*-?%\}/g;
        endraw.lastIndex = end;
        const m = endraw.exec(text);
        if (m === null) break;
        tags.push({ start: m.index, end: m.index + m[0].length, syntax: 'jinja', kind: 'statement' });
        i = m.index + m[0].length;
      }
      continue;
    }
    if (erb && c === LT && d === PERCENT) {
      const e = i + 2 < n ? text.charCodeAt(i + 2) : -1;
      if (e === PERCENT) {
        i += 3; // `<%%` is a literal `<%`
        continue;
      }
      const kind = e === EQUALS ? 'expression' : e === HASH ? 'comment' : 'statement';
      const end = closeAfter(i + 2, '%>', kind !== 'comment');
      if (end === -1) {
        unclosed(i, '<%');
        i += 2;
        continue;
      }
      tags.push({ start: i, end, syntax: 'erb', kind });
      i = end;
      continue;
    }
    i++;
  }

  if (unreported > 0) {
    const last = errors[errors.length - 1]!;
    errors.push({ message: `${unreported} more unclosed template tags not reported`, range: last.range });
  }
  if (tags.length === 0) return { text, tags, errors };
  const parts: string[] = [];
  let last = 0;
  for (const tag of tags) {
    parts.push(text.slice(last, tag.start));
    const fill = tag.kind === 'expression' && !aloneOnLine(text, tag) ? '_' : ' ';
    parts.push(maskRun(text, tag.start, tag.end, fill));
    last = tag.end;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), tags, errors };
}

/**
 * Offset just past `close`, searching from `from`; -1 when absent. With `skipStrings`, quoted strings are
 * skipped; a quote with no closing quote on its line is taken as a plain character.
 */
function findClose(text: string, from: number, close: string, skipStrings: boolean): number {
  const c0 = close.charCodeAt(0);
  const c1 = close.charCodeAt(1);
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === c0 && i + 1 < n && text.charCodeAt(i + 1) === c1) return i + 2;
    if (skipStrings && (c === 34 || c === 39)) {
      const endQuote = findQuoteEnd(text, i + 1, c);
      if (endQuote !== -1) {
        i = endQuote + 1;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/** Offset of the quote closing a string opened just before `from`, on the same line; -1 if none. */
function findQuoteEnd(text: string, from: number, quote: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return -1;
    if (c === 92) i++; // backslash escapes the next character
    else if (c === quote) return i;
  }
  return -1;
}

/** True when only spaces/tabs surround the tag on its first and last lines. */
function aloneOnLine(text: string, tag: TemplateTag): boolean {
  for (let i = tag.start - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === LF) break;
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  for (let i = tag.end; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) break;
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}

/** The replacement for text[start, end): `fill` on the first line, spaces after, line breaks kept. */
function maskRun(text: string, start: number, end: number, fill: string): string {
  let out = '';
  let ch = fill;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      out += '\n';
      ch = ' ';
    } else if (c === CR) out += '\r';
    else out += ch;
  }
  return out;
}

/**
 * Does [start, end) overlap a tag that makes a value unknown (an expression or a statement; comments output
 * nothing)? An empty range counts when it touches a tag's inside. `tags` must be sorted, as maskTemplate returns
 * them: a binary search finds the first candidate.
 */
export function overlapsTag(tags: readonly TemplateTag[], start: number, end: number): boolean {
  let lo = 0;
  let hi = tags.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tags[mid] as TemplateTag).end <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < tags.length; k++) {
    const tag = tags[k] as TemplateTag;
    if (tag.start >= end && !(start === end && tag.start <= start)) return false;
    if (tag.kind !== 'comment') return true;
  }
  return false;
}

/** Parser options for files that may be templates (`.j2`, `.erb`, `.epp`). */
export interface TemplateOptions {
  /** Mask template tags first. */
  templated?: boolean;
  /** Template languages to mask when `templated`; both by default. */
  syntaxes?: readonly TemplateSyntax[];
}

/** The text a parser should read: masked when the file is a template, else the text itself. */
export function maskIfTemplated(text: string, options: TemplateOptions): MaskedTemplate {
  if (!options.templated) return { text, tags: [], errors: [] };
  return maskTemplate(text, options.syntaxes ? { syntaxes: options.syntaxes } : {});
}
