/** Unified diffs (git's, GNU diff's, or hunks alone as GitHub's `patch` field has them) -> one FileDiff per file. */
import { parsePatch } from 'diff';
import type { FileStatus } from '../model/change-set.js';
import { addedLinesOf, type FileDiff } from './file-diff.js';

const DEV_NULL = '/dev/null';

/** Drops git's `a/` / `b/` prefixes and `/dev/null`; other names are kept as they are. */
function stripPrefix(name: string | undefined, prefix: 'a/' | 'b/'): string | undefined {
  if (name === undefined || name === DEV_NULL || name === '') return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Parses a unified diff. `fallbackPath` names the file of a headerless patch (hunks only).
 * Throws an Error with the `diff` package's reason when the patch is malformed (a hunk's line counts are wrong).
 */
export function parseUnifiedDiff(patch: string, fallbackPath = ''): FileDiff[] {
  // A patch saved with CRLF line breaks (its headers end in \r) is normalised; a patch of CRLF *files* keeps
  // the \r inside its LF-separated lines, which is content and must stay.
  const firstBreak = patch.indexOf('\n');
  const text = firstBreak > 0 && patch[firstBreak - 1] === '\r' ? patch.replace(/\r\n/g, '\n') : patch;
  if (text.trim() === '') return [];
  return parsePatch(text).map((index) => {
    const oldPath = stripPrefix(index.oldFileName, 'a/');
    const newPath = stripPrefix(index.newFileName, 'b/');
    // parsePatch keeps the `a/`, `b/` of `diff --git` lines only; without them the names are bare already.
    let status: FileStatus = 'modified';
    if (index.isDelete || (index.newFileName === DEV_NULL && index.oldFileName !== undefined)) status = 'deleted';
    else if (index.isCreate || (index.oldFileName === DEV_NULL && index.newFileName !== undefined)) status = 'added';
    else if (index.isRename || (oldPath !== undefined && newPath !== undefined && oldPath !== newPath)) status = 'renamed';
    const path = (status === 'deleted' ? oldPath : newPath) ?? oldPath ?? newPath ?? fallbackPath;
    const hunks = index.hunks.map((h) => ({
      oldStart: h.oldStart,
      oldLines: h.oldLines,
      newStart: h.newStart,
      newLines: h.newLines,
      lines: h.lines,
    }));
    const diff: FileDiff = {
      path,
      status,
      binary: index.isBinary === true,
      wholeFile: status === 'added',
      hunks,
      addedLines: addedLinesOf(hunks),
    };
    if (oldPath !== undefined && oldPath !== path) diff.oldPath = oldPath;
    return diff;
  });
}
