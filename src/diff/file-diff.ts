/**
 * The diff of one file as the filter modes need it: where the hunks are on the new side and which new lines were
 * added. Produced by `parseUnifiedDiff`, `computeHunks` + `fileDiffFromHunks`, or `wholeFileDiff`.
 */
import type { FileStatus } from '../model/change-set.js';

/** One hunk of a unified diff; the shape of the `diff` package's `StructuredPatchHunk`. */
export interface Hunk {
  /** 1-based first line of the hunk in the old file (the line after which it sits when `oldLines` is 0). */
  oldStart: number;
  oldLines: number;
  /** 1-based first line of the hunk in the new file. */
  newStart: number;
  newLines: number;
  /** Body lines, each starting with ' ', '+', '-' or '\' (`\ No newline at end of file`). */
  lines: string[];
}

export interface FileDiff {
  /** Repository-relative path after the change (before it for a deleted file), without `a/`/`b/`. */
  path: string;
  /** Path before the change, when it differs (rename, copy). */
  oldPath?: string;
  status: FileStatus;
  /** Set for binary changes: no hunks can be known. */
  binary: boolean;
  /** Every line of the new file counts as added (`heartbeat-bot check`, a new file, an undiffable change). */
  wholeFile: boolean;
  hunks: Hunk[];
  /** 1-based new-file line numbers that were added or changed. */
  addedLines: ReadonlySet<number>;
}

/** The new-file lines each hunk marks as added ('+' lines). */
export function addedLinesOf(hunks: readonly Hunk[]): Set<number> {
  const added = new Set<number>();
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const body of hunk.lines) {
      const op = body[0];
      if (op === '+') added.add(line++);
      else if (op === ' ' || body === '') line++;
      // '-' and '\' do not advance the new side.
    }
  }
  return added;
}

/** Builds a FileDiff from hunks, deriving the added lines. */
export function fileDiffFromHunks(
  path: string,
  hunks: Hunk[],
  status: FileStatus = 'modified',
  oldPath?: string,
): FileDiff {
  return {
    path,
    ...(oldPath !== undefined && oldPath !== path ? { oldPath } : {}),
    status,
    binary: false,
    wholeFile: false,
    hunks,
    addedLines: addedLinesOf(hunks),
  };
}

/** A FileDiff in which every line of the file is part of the change. */
export function wholeFileDiff(path: string, status: FileStatus = 'added'): FileDiff {
  return { path, status, binary: false, wholeFile: true, hunks: [], addedLines: new Set() };
}
