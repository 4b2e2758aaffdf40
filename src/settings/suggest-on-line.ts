/**
 * One-line fix suggestions for settings: the setting's source line with the value rewritten in place. Shared by
 * rules so that every rule's suggestion respects the same limits: the setting sits on one line, and the token
 * to replace occurs exactly once in what the setting's range covers (otherwise there is no obvious fix).
 */
import type { Suggestion } from '../model/finding.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';

/** The setting's whole line (without `\r`), and the columns its range covers on it. */
export interface SettingLine {
  line: string;
  lineNumber: number;
  /** 0-based [from, to) of the setting's range on the line. */
  from: number;
  to: number;
}

export function settingLine(files: readonly ParsedFile[], setting: Setting): SettingLine | undefined {
  const { start, end } = setting.range;
  // A range ending at column 1 of the next line still covers one line (YAML and INI values end after `\n`).
  const oneLine = end.line === start.line || (end.line === start.line + 1 && end.column === 1);
  if (!oneLine) return undefined;
  const text = files.find((f) => f.path === setting.path)?.text;
  if (text === undefined) return undefined;
  const lineStart = start.offset - (start.column - 1);
  const nl = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const to = end.line === start.line ? end.column - 1 : line.length;
  return { line, lineNumber: start.line, from: start.column - 1, to };
}

/**
 * Replaces the single match of `token` (a global regex) inside the setting's range with `replace(match)`.
 * Undefined when the setting spans lines or the token is absent or ambiguous there.
 */
export function suggestReplacement(
  files: readonly ParsedFile[],
  setting: Setting,
  token: RegExp,
  replace: (match: string) => string,
): Suggestion | undefined {
  const at = settingLine(files, setting);
  if (!at) return undefined;
  const written = at.line.slice(at.from, at.to);
  const matches = written.match(token) ?? [];
  if (matches.length !== 1) return undefined;
  const replacement = at.line.slice(0, at.from) + written.replace(token, replace) + at.line.slice(at.to);
  return { line: at.lineNumber, endLine: at.lineNumber, replacement };
}
