/**
 * Rule helpers for uWSGI inis: the worker count a file runs with (its `processes` / `workers` setting, when known
 * to be above 1), and one-line suggestions that add a missing option after a given line or flip a false flag.
 */
import type { Suggestion } from '../model/finding.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';
import type { IniOption } from '../model/ast/ini.js';
import { settingLine } from './suggest-on-line.js';
import { valueBounds, describeValue } from './value.js';

export interface Workers {
  setting: Setting;
  /** As written, and why it is above 1 when it is an expression. */
  shown: string;
}

/** The file's last `processes` / `workers` setting when it is known to be above 1. */
export function workersAbove1(path: string, settings: readonly Setting[]): Workers | undefined {
  const setting = settings.filter((s) => s.path === path && s.key === 'wsgi.processes' && s.server === 'uwsgi').at(-1);
  if (!setting) return undefined;
  const bounds = valueBounds(setting.value);
  if (bounds?.min === undefined || bounds.min <= 1) return undefined;
  const shown = bounds.exact !== undefined ? String(bounds.exact) : `${describeValue(setting.value)}, ${bounds.reason ?? `at least ${bounds.min}`}`;
  return { setting, shown };
}

/** The setting's line followed by a new line `added` (same indentation). */
export function suggestLineAfter(files: readonly ParsedFile[], setting: Setting, added: string): Suggestion | undefined {
  const at = settingLine(files, setting);
  if (!at) return undefined;
  const indent = /^\s*/.exec(at.line)?.[0] ?? '';
  return { line: at.lineNumber, endLine: at.lineNumber, replacement: `${at.line}\n${indent}${added}` };
}

/** An option line `name = false` rewritten as `name = true`. */
export function suggestFlagOn(files: readonly ParsedFile[], path: string, option: IniOption): Suggestion | undefined {
  const text = files.find((f) => f.path === path)?.text;
  const { start, end } = option.valueRange;
  if (text === undefined || !(end.line === start.line || (end.line === start.line + 1 && end.column === 1))) return undefined;
  const line = text.split('\n')[start.line - 1]?.replace(/\r$/, '');
  if (line === undefined) return undefined;
  const to = end.line === start.line ? end.column - 1 : line.length;
  return { line: start.line, endLine: start.line, replacement: `${line.slice(0, start.column - 1)}true${line.slice(to)}` };
}
