/**
 * parseIni: oslo.config and uWSGI ini files -> IniFile (src/model/ast/ini.ts), with exact locations.
 *
 * The semantics follow oslo_config/iniparser.py (the parser nova, neutron and every oslo.config service use),
 * because what matters is what the service will read, not what a generic INI library would:
 * - lines are right-stripped; a blank line ends a multi-line value;
 * - a line starting with a space or tab continues the previous value (joined with `\n`), even when it looks like
 *   a comment; with no value to continue it is an error;
 * - `[name]` opens a section, name kept as written (`DEFAULT` is just a name); `[name` is an error;
 * - `#` and `;` start a comment only at the very start of a line: `key = a # b` has the value `a # b`;
 * - `key = value` or `key: value`, split at whichever of `=` and `:` comes first; key and value are stripped;
 *   a value wholly wrapped in matching `"` or `'` is unquoted (first line only, as oslo.config does);
 * - repeated keys are all kept, in order (MultiStrOpt); options before any header go to an implicit section `''`;
 * - a line with neither `=` nor `:`, or an empty key, is an error; parsing goes on with the next line.
 *
 * The `uwsgi` dialect follows uWSGI's own reader (core/ini.c) instead: leading whitespace is insignificant (no
 * continuation lines), only `=` separates, a line without `=` is a flag option with an empty value (`master`),
 * and quotes are kept.
 *
 * Templates: with `templated: true` the text is first masked (mask-template.ts); option values that overlap a
 * tag get `templated: true`, and their `value` is the original text (`{{ nova_api_threads }}`), not the mask.
 */
import type { IniFile, IniOption, IniSection } from '../model/ast/ini.js';
import type { ParseError, ParseResult } from '../model/parse-result.js';
import { LineIndex } from './line-index.js';
import { maskIfTemplated, overlapsTag, type TemplateOptions, type TemplateTag } from './mask-template.js';

export interface IniOptions extends TemplateOptions {
  /** `oslo` (default): oslo.config's iniparser. `uwsgi`: uWSGI's reader (no continuations, quotes kept). */
  dialect?: 'oslo' | 'uwsgi';
}

/** Inputs larger than this are not parsed (an error is returned): no real config file comes near it. */
export const MAX_INI_SIZE = 10 * 1024 * 1024;

interface PendingOption {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** [start, end) of each value piece in the text: the first line's value, then each continuation line. */
  pieces: Array<[number, number]>;
  /** Where the value region starts (just after the separator): for the templated check and empty values. */
  afterSeparator: number;
  /** The first piece was wrapped in matching quotes and is unquoted (oslo dialect). */
  unquote: boolean;
}

export function parseIni(text: string, options: IniOptions = {}): ParseResult<IniFile> {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const implicit: IniSection = { name: '', range: lines.range(0, 0), options: [] };
  const tree: IniFile = { sections: [] };
  if (text.length > MAX_INI_SIZE) {
    errors.push({ message: `file too large to parse (${text.length} characters)`, range: lines.range(0, 0) });
    return { tree, errors };
  }
  const oslo = (options.dialect ?? 'oslo') === 'oslo';
  const { text: src, tags, errors: maskErrors } = maskIfTemplated(text, options);
  errors.push(...maskErrors);

  let section = implicit;
  let pending: PendingOption | undefined;
  const flush = (): void => {
    if (pending === undefined) return;
    section.options.push(buildOption(text, lines, tags, pending));
    pending = undefined;
  };
  const error = (message: string, start: number, end: number): void => {
    errors.push({ message, range: lines.range(start, end) });
  };

  const n = src.length;
  let lineStart = 0;
  while (lineStart <= n) {
    let lineEnd = src.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    // Python's str.rstrip()/lstrip(): strip whitespace (incl. \r, \f, \v) at the ends.
    let end = lineEnd;
    while (end > lineStart && isSpace(src.charCodeAt(end - 1))) end--;
    let start = lineStart;
    while (start < end && isSpace(src.charCodeAt(start))) start++;
    const next = lineEnd + 1;

    if (start === end) {
      flush(); // a blank line ends a multi-line value
    } else if (start > lineStart && oslo) {
      if (pending === undefined) error('continuation line with no option to continue', start, end);
      else pending.pieces.push([start, end]);
    } else {
      flush();
      const c = src.charCodeAt(start);
      if (c === 91 /* [ */) {
        if (src.charCodeAt(end - 1) !== 93 /* ] */) error("section header does not end with ']'", start, end);
        else if (end - start <= 2) error('section header has no name', start, end);
        else {
          section = { name: text.slice(start + 1, end - 1), range: lines.range(start, end), options: [] };
          tree.sections.push(section);
        }
      } else if (c !== 35 /* # */ && c !== 59 /* ; */) {
        pending = splitKeyValue(src, text, start, end, oslo, error);
      }
    }
    lineStart = next;
  }
  flush();
  if (implicit.options.length > 0) tree.sections.unshift(implicit);
  return { tree, errors };
}

/** `key = value` / `key: value` on [start, end) (already stripped); undefined (and an error) if malformed. */
function splitKeyValue(
  src: string,
  text: string,
  start: number,
  end: number,
  oslo: boolean,
  error: (message: string, start: number, end: number) => void,
): PendingOption | undefined {
  let sep = -1;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 61 /* = */ || (c === 58 /* : */ && oslo)) {
      sep = i;
      break;
    }
  }
  if (sep === -1 && !oslo) {
    // uWSGI: `master` alone sets the option with an empty value.
    return { name: text.slice(start, end), nameStart: start, nameEnd: end, pieces: [], afterSeparator: end, unquote: false };
  }
  if (sep === -1) {
    error("expected 'key = value': no '=' or ':' on this line", start, end);
    return undefined;
  }
  let nameEnd = sep;
  while (nameEnd > start && isSpace(src.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameEnd === start) {
    error('option has no name', start, end);
    return undefined;
  }
  let valueStart = sep + 1;
  while (valueStart < end && isSpace(src.charCodeAt(valueStart))) valueStart++;
  const q = src.charCodeAt(valueStart);
  const unquote = oslo && end > valueStart && (q === 34 || q === 39) && src.charCodeAt(end - 1) === q;
  return {
    name: text.slice(start, nameEnd),
    nameStart: start,
    nameEnd,
    pieces: valueStart < end ? [[valueStart, end]] : [],
    afterSeparator: sep + 1,
    unquote,
  };
}

function buildOption(text: string, lines: LineIndex, tags: readonly TemplateTag[], p: PendingOption): IniOption {
  const parts: string[] = [];
  p.pieces.forEach(([s, e], k) => {
    if (k === 0 && p.unquote) parts.push(text.slice(s + 1, e - 1));
    else parts.push(text.slice(s, e));
  });
  // With no value on the first line, oslo.config still joins: `key =\n  a` gives '\na'.
  if (p.pieces.length > 0 && p.pieces[0]![0] > lineEndOf(text, p.afterSeparator)) parts.unshift('');
  const first = p.pieces[0];
  const last = p.pieces[p.pieces.length - 1];
  const valueStart = first ? first[0] : p.afterSeparator;
  const valueEnd = last ? last[1] : p.afterSeparator;
  const regionEnd = last ? last[1] : lineEndOf(text, p.afterSeparator);
  return {
    name: p.name,
    value: parts.join('\n'),
    templated: tags.length > 0 && overlapsTag(tags, p.afterSeparator, regionEnd),
    range: lines.range(p.nameStart, valueEnd > p.nameEnd ? valueEnd : p.nameEnd),
    nameRange: lines.range(p.nameStart, p.nameEnd),
    valueRange: lines.range(valueStart, valueEnd),
  };
}

function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}

/** Python's whitespace for str.strip(): space, \t, \n, \r, \v, \f. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
