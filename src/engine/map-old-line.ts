/**
 * Where a line of the old side of a file lands on the new side, from the file's hunks. Rules about what a change
 * removes (an override taken out) report on the new file, so they need the place the removal happened.
 *
 * Hunk starts follow the `diff` package's convention for both computed and parsed hunks: a start is the line the
 * hunk's cursor begins at, also for an empty range (`@@ -5 +4,0 @@` is read as newStart 5).
 */
import type { Hunk } from '../diff/file-diff.js';

/**
 * The new line of `oldLine` (1-based): a kept line maps to its new line; a deleted line maps to the first new line
 * after it (the line that now sits where it was), clamped to `lastNewLine` (at least 1).
 */
export function mapOldLine(hunks: readonly Hunk[], oldLine: number, lastNewLine: number): number {
  const clamp = (line: number) => Math.max(1, Math.min(line, Math.max(1, lastNewLine)));
  let oldEnd = 1;
  let newEnd = 1;
  for (const hunk of hunks) {
    if (oldLine < hunk.oldStart) return clamp(oldLine + (hunk.newStart - hunk.oldStart));
    let oldCursor = hunk.oldStart;
    let newCursor = hunk.newStart;
    for (const body of hunk.lines) {
      const op = body[0];
      if (op === ' ' || body === '') {
        if (oldCursor === oldLine) return clamp(newCursor);
        oldCursor++;
        newCursor++;
      } else if (op === '-') {
        if (oldCursor === oldLine) return clamp(newCursor);
        oldCursor++;
      } else if (op === '+') newCursor++;
      // '\' (no newline at end of file) moves neither side.
    }
    oldEnd = oldCursor;
    newEnd = newCursor;
  }
  return clamp(oldLine + (newEnd - oldEnd));
}
