/** The FileDiff of one file of a ChangeSet, from whatever the source provided. */
import type { FileChange } from '../model/change-set.js';
import { computeHunks } from './compute-hunks.js';
import { fileDiffFromHunks, wholeFileDiff, type FileDiff } from './file-diff.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';

/**
 * Prefers the file's `patch`; else diffs `oldContent` against `newContent`; else (a new file, `check`, or a source
 * that only has the new content) treats the whole file as changed. A malformed patch or a diff too large to compute
 * also falls back to the whole file, so findings are shown rather than lost.
 */
export function diffOfFileChange(file: FileChange, wholeFiles = false): FileDiff {
  const oldPath = file.oldPath;
  if (wholeFiles || file.status === 'added') return wholeFileDiff(file.path, file.status);
  if (file.patch !== undefined) {
    try {
      const [parsed] = parseUnifiedDiff(file.patch, file.path);
      if (parsed !== undefined && !parsed.binary) {
        return fileDiffFromHunks(file.path, parsed.hunks, file.status, oldPath);
      }
      if (parsed === undefined) return fileDiffFromHunks(file.path, [], file.status, oldPath);
    } catch {
      // fall through to the contents
    }
  }
  if (file.oldContent !== undefined && file.newContent !== undefined) {
    const hunks = computeHunks(file.oldContent, file.newContent);
    if (hunks !== undefined) return fileDiffFromHunks(file.path, hunks, file.status, oldPath);
  }
  const whole = wholeFileDiff(file.path, file.status);
  if (oldPath !== undefined && oldPath !== file.path) whole.oldPath = oldPath;
  return whole;
}
