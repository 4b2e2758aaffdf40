/**
 * String scanners of the Puppet lexer: single-quoted strings, double-quoted strings and interpolated
 * heredoc bodies (text segments, `$name` and `${` openings), and heredoc headers/bodies.
 */
import type { Lexer, StringMode } from './lexer.js';
import { dqEscape, heredocEscape, variableNameLength } from './string-escapes.js';
import { findHeredocBody, heredocText, readHeredocHeader, skipMargin } from './heredoc.js';

export function singleQuoted(lx: Lexer, start: number): void {
  const text = lx.text;
  let p = start + 1;
  let out = '';
  let chunk = p;
  for (;;) {
    if (p >= text.length) {
      lx.error('unterminated single-quoted string', start, text.length);
      break;
    }
    const c = text.charCodeAt(p);
    if (c === 39) break;
    if (c === 92) {
      const d = text.charCodeAt(p + 1);
      if (d === 92 || d === 39) {
        out += text.slice(chunk, p) + text[p + 1];
        p += 2;
        chunk = p;
        continue;
      }
    }
    p++;
  }
  out += text.slice(chunk, Math.min(p, text.length));
  lx.pos = Math.min(p + 1, text.length);
  lx.emit('STRING', out, start, lx.pos, "'");
}

export function lexHeredoc(lx: Lexer, start: number): void {
  const text = lx.text;
  const header = readHeredocHeader(text, start);
  if (!header) {
    lx.error('invalid heredoc header', start, start + 2);
    lx.pos = start + 1;
    lx.emit('@', '@', start, start + 1);
    return;
  }
  let bodyStart: number;
  if (lx.heredocResume >= 0) bodyStart = lx.heredocResume;
  else {
    const nl = text.indexOf('\n', header.end);
    bodyStart = nl === -1 ? text.length : nl + 1;
  }
  const body = findHeredocBody(text, bodyStart, header.tag);
  if (!body.found) lx.error(`heredoc without end line '${header.tag}'`, start, header.end);
  lx.pos = header.end;
  lx.emit('HEREDOC', header.tag, start, header.end, `${header.tag}|${header.syntax ?? ''}|${header.interpolated ? 1 : 0}`);
  lx.heredocResume = body.resume;
  if (!header.interpolated) {
    lx.emit('STRING', heredocText(text, body, header.flags), body.start, body.end, 'heredoc');
    return;
  }
  lx.pos = skipMargin(text, body.start, body.margin, body.end);
  lx.pushMode({ kind: 'string', heredoc: true, start: body.start, end: body.end, margin: body.margin, flags: header.flags, returnPos: header.end, open: false });
}

/** Scans string text up to the closing quote (or heredoc end), `${` or `$name`. */
export function scanString(lx: Lexer, mode: StringMode): void {
  const text = lx.text;
  const limit = mode.heredoc ? mode.end : text.length;
  const segStart = mode.open ? lx.pos : mode.heredoc ? mode.start : mode.start;
  let p = lx.pos;
  let out = '';
  let chunk = p;
  for (;;) {
    if (p >= limit) {
      out += text.slice(chunk, limit);
      if (!mode.heredoc) lx.error('unterminated double-quoted string', mode.start, text.length);
      finishString(lx, mode, out, segStart, limit);
      return;
    }
    const c = text.charCodeAt(p);
    if (c === 34 && !mode.heredoc) {
      out += text.slice(chunk, p);
      lx.pos = p + 1;
      finishString(lx, mode, out, segStart, p + 1);
      return;
    }
    if (c === 92 && (!mode.heredoc || mode.flags !== '')) {
      out += text.slice(chunk, p);
      const e = mode.heredoc ? heredocEscape(text, p, mode.flags) : dqEscape(text, p);
      out += e.text;
      p = e.next;
      // A line continuation in a heredoc: the next line loses its margin too.
      if (mode.heredoc && text.charCodeAt(p - 1) === 10) p = skipMargin(text, p, mode.margin, limit);
      chunk = p;
      continue;
    }
    if (c === 10 && mode.heredoc) {
      out += text.slice(chunk, p + 1);
      p = skipMargin(text, p + 1, mode.margin, limit);
      chunk = p;
      continue;
    }
    if (c === 36) {
      const d = text.charCodeAt(p + 1);
      if (d === 123) {
        out += text.slice(chunk, p);
        emitSegment(lx, mode, out, segStart, p);
        lx.pos = p + 2;
        lx.emit('INTERP_START', '${', p, p + 2);
        lx.pushMode({ kind: 'interp', depth: 0 });
        return;
      }
      const len = variableNameLength(text, p + 1);
      if (len > 0) {
        out += text.slice(chunk, p);
        emitSegment(lx, mode, out, segStart, p);
        lx.emit('VARIABLE', text.slice(p + 1, p + 1 + len), p, p + 1 + len);
        lx.pos = p + 1 + len;
        return; // continue scanning from the mode loop, with a new segment
      }
    }
    p++;
  }
}

export function emitSegment(lx: Lexer, mode: StringMode, value: string, start: number, end: number): void {
  lx.emit(mode.open ? 'DQMID' : 'DQPRE', value, start, end);
  mode.open = true;
}

export function finishString(lx: Lexer, mode: StringMode, value: string, start: number, end: number): void {
  if (mode.open) lx.emit('DQPOST', value, start, end);
  else lx.emit('STRING', value, start, end, mode.heredoc ? 'heredoc' : '"');
  lx.modes.pop();
  if (mode.heredoc) lx.pos = mode.returnPos;
  else lx.pos = end;
}
