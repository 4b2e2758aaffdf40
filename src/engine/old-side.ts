/**
 * The old side of a change for rules (RuleContext.previous and newLineFor): the content before the change of every
 * modified, renamed or deleted file, parsed and turned into settings under its old path.
 *
 * Lazy on purpose: most rules never look back, so nothing is parsed until a rule first reads `previous`, and a
 * file's hunks are computed only when a rule asks where one of its old lines went. Old-side parse and extraction
 * errors are not reported: the change is judged by what it leaves, and an old file that did not parse is history.
 */
import type { FileDiff } from '../diff/file-diff.js';
import type { ChangeSet, FileChange } from '../model/change-set.js';
import type { FileError } from '../model/finding.js';
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { RuleContext } from '../model/rule.js';
import type { Setting } from '../model/setting.js';
import { parseFile } from '../parsers/parse-file.js';
import { extractSettingsSafely } from './extract-settings-safely.js';
import { mapOldLine } from './map-old-line.js';

export type OldSide = Pick<RuleContext, 'previous' | 'newLineFor'>;

/**
 * The old side of `changeSet`; `isIgnored` is the configuration's ignore matcher, applied to old paths; `diffOf`
 * gives a file's diff (the review's, computed once per file).
 */
export function oldSideOf(changeSet: ChangeSet, knowledge: Knowledge, isIgnored: (path: string) => boolean, diffOf: (file: FileChange) => FileDiff): OldSide {
  // `check` reviews whole files: there is no before.
  const changed =
    changeSet.wholeFiles === true
      ? []
      : changeSet.files.filter(
          (f) => f.status !== 'added' && f.oldContent !== undefined && f.skipped === undefined && !isIgnored(oldPathOf(f)),
        );
  const byOldPath = new Map(changed.map((f) => [oldPathOf(f), f]));
  let parsed: { files: ParsedFile[]; settings: Setting[] } | undefined;
  const load = () => (parsed ??= parseOldSide(changed, knowledge));
  const previous = {
    get files(): readonly ParsedFile[] {
      return load().files;
    },
    get settings(): readonly Setting[] {
      return load().settings;
    },
  };

  const lineMaps = new Map<string, (oldLine: number) => number>();
  const newLineFor = (oldPath: string, oldLine: number): { path: string; line: number } | undefined => {
    const file = byOldPath.get(oldPath);
    if (file === undefined || file.status === 'deleted' || file.newContent === undefined) return undefined;
    let map = lineMaps.get(oldPath);
    if (map === undefined) {
      map = lineMapOf(file, diffOf(file));
      lineMaps.set(oldPath, map);
    }
    return { path: file.path, line: map(oldLine) };
  };
  return { previous, newLineFor };
}

function oldPathOf(file: FileChange): string {
  return file.oldPath ?? file.path;
}

function parseOldSide(files: readonly FileChange[], knowledge: Knowledge): { files: ParsedFile[]; settings: Setting[] } {
  const siblingPaths = files.map(oldPathOf);
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    try {
      const result = parseFile(oldPathOf(file), file.oldContent ?? '', { siblingPaths });
      if (result.kind !== 'unknown') parsed.push(result);
    } catch {
      // A parser bug on the old side loses only that file's history (see the header).
    }
  }
  const ignoredErrors: FileError[] = [];
  return { files: parsed, settings: extractSettingsSafely(parsed, knowledge, ignoredErrors) };
}

/** Old line -> new line of one file, from its diff (the source's patch, or computed from both contents). */
function lineMapOf(file: FileChange, diff: FileDiff): (oldLine: number) => number {
  const lastNewLine = lineCount(file.newContent ?? '');
  // A diff too large to compute (or an unreadable patch) gives no hunks to follow: the line stays where it was,
  // which is still inside the file.
  if (diff.wholeFile || diff.binary) return (oldLine) => Math.max(1, Math.min(oldLine, lastNewLine));
  return (oldLine) => mapOldLine(diff.hunks, oldLine, lastNewLine);
}

/** Lines of a text as editors number them: a final newline does not start another line. */
function lineCount(text: string): number {
  if (text === '') return 1;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}
