/**
 * What GitHub's per-file `patch` (hunks only) tells us: which new-side lines a review comment may sit on, and the
 * old content of the file, rebuilt from the new content and the hunks so the base side costs no API call.
 */
import type { Hunk } from '../../diff/file-diff.js';
import { parseUnifiedDiff } from '../../diff/parse-unified-diff.js';

/** The hunks of a GitHub `patch`; undefined when it is missing, binary or malformed. */
export function hunksOfPatch(patch: string | undefined, path: string): Hunk[] | undefined {
  if (patch === undefined) return undefined;
  try {
    const [parsed] = parseUnifiedDiff(patch, path);
    if (parsed === undefined) return [];
    return parsed.binary ? undefined : parsed.hunks;
  } catch {
    return undefined;
  }
}

/**
 * New-side lines GitHub accepts a `side: RIGHT` review comment on: every added or context line of a hunk. A
 * line outside them makes GitHub reject the whole review with 422.
 */
export function rightSideLines(hunks: readonly Hunk[]): Set<number> {
  const lines = new Set<number>();
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const body of hunk.lines) {
      const op = body[0];
      if (op === '+' || op === ' ' || body === '') lines.add(line++);
    }
  }
  return lines;
}

/** Whether lines `first`..`last` all lie in `commentable`. */
export function allCommentable(commentable: ReadonlySet<number>, first: number, last: number): boolean {
  for (let line = first; line <= last; line++) if (!commentable.has(line)) return false;
  return true;
}

/**
 * The file before the change: the new content with each hunk undone. Context and added lines of the hunks are
 * checked against the new content, so a patch that does not fit it gives undefined (the caller then fetches
 * the base side) instead of a wrong old file.
 */
export function oldContentFromPatch(newContent: string, hunks: readonly Hunk[]): string | undefined {
  const newEndsWithEol = newContent === '' || newContent.endsWith('\n');
  const newLines = newContent === '' ? [] : (newEndsWithEol ? newContent.slice(0, -1) : newContent).split('\n');
  const old: string[] = [];
  let pos = 0; // 0-based index into newLines
  let oldNoEolAt = -1; // old.length when `\ No newline at end of file` followed an old line
  for (const hunk of hunks) {
    // The `diff` package gives a hunk without new lines the start of the line after it (`+4,0` reads as 5), so
    // `newStart - 1` lines precede every hunk.
    const start = hunk.newStart - 1;
    if (start < pos || start > newLines.length) return undefined;
    while (pos < start) old.push(newLines[pos++]!);
    let previous = '';
    for (const body of hunk.lines) {
      const op = body[0] ?? ' ';
      const text = body.slice(1);
      if (op === ' ' || body === '') {
        if (newLines[pos] !== text) return undefined;
        old.push(text);
        pos++;
      } else if (op === '+') {
        if (newLines[pos] !== text) return undefined;
        pos++;
      } else if (op === '-') {
        old.push(text);
      } else if (op === '\\') {
        if (previous === '-' || previous === ' ') oldNoEolAt = old.length;
      } else return undefined;
      previous = op;
    }
  }
  const tailFromNew = pos < newLines.length;
  while (pos < newLines.length) old.push(newLines[pos++]!);
  if (old.length === 0) return '';
  const eol = tailFromNew ? newEndsWithEol : oldNoEolAt !== old.length;
  return old.join('\n') + (eol ? '\n' : '');
}
