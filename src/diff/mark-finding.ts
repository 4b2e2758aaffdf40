/** Where a finding sits in the change: in a changed file, inside a hunk, on an added line. */
import type { DiffMark, Finding } from '../model/finding.js';
import type { FileDiff } from './file-diff.js';

const OUTSIDE: DiffMark = Object.freeze({ inChangedFile: false, inHunk: false, onAddedLine: false });
const EVERYWHERE: DiffMark = Object.freeze({ inChangedFile: true, inHunk: true, onAddedLine: true });

/**
 * Marks a finding against its file's diff; `undefined` means the file is not part of the change.
 * A finding whose exclusive end sits at column 1 of its last line does not cover that line.
 */
export function markFinding(finding: Finding, fileDiff: FileDiff | undefined): DiffMark {
  if (fileDiff === undefined) return { ...OUTSIDE };
  if (fileDiff.wholeFile) return { ...EVERYWHERE };
  const first = finding.line;
  let last = Math.max(finding.endLine, first);
  if (last > first && finding.endColumn === 1) last--;
  let inHunk = true;
  let onAddedLine = false;
  for (let line = first; line <= last; line++) {
    if (fileDiff.addedLines.has(line)) onAddedLine = true;
    if (inHunk && !fileDiff.hunks.some((h) => line >= h.newStart && line < h.newStart + h.newLines)) inHunk = false;
  }
  // An added line is inside a hunk by definition; `inHunk` stays false only when some line lies outside all hunks.
  return { inChangedFile: true, inHunk, onAddedLine };
}
