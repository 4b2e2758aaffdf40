/**
 * Git-like objects for the fake: blob ids computed as git does, binary detection as git does (a NUL byte in the
 * first 8000 bytes), and the per-file `patch` the files API returns: unified hunks with 3 lines of context and no
 * `---`/`+++` header, hunk headers written the way git writes them (`@@ -1 +1,2 @@`).
 */
import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';

export type Content = string | Uint8Array;

export function toBuffer(content: Content): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}

/** sha1 of `blob <len>\0<content>`, as `git hash-object` computes it. */
export function blobSha(content: Content): string {
  const buf = toBuffer(content);
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

/** git's heuristic: a NUL byte in the first 8000 bytes makes a file binary. */
export function looksBinary(content: Content): boolean {
  return toBuffer(content).subarray(0, 8000).includes(0);
}

/** A deterministic fake commit id from any seed text. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines with their ' ', '+', '-' or '\' prefix. */
  lines: string[];
  /** 1-based position of the hunk header inside the file's patch (the first header is position 0 for `position`). */
  headerIndex: number;
}

export interface FileDiff {
  hunks: Hunk[];
  patch: string;
  additions: number;
  deletions: number;
}

function range(start: number, count: number): string {
  // Unified format quirk: an empty range names the line before it; git leaves out a count of 1.
  const shown = count === 0 ? start - 1 : start;
  return count === 1 ? `${shown}` : `${shown},${count}`;
}

/** The diff of two texts as GitHub's files API shows it. */
export function diffTexts(oldText: string, newText: string): FileDiff {
  const structured = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 });
  const out: string[] = [];
  const hunks: Hunk[] = [];
  let additions = 0;
  let deletions = 0;
  for (const h of structured.hunks) {
    const headerIndex = out.length;
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    for (const line of h.lines) {
      out.push(line);
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
    hunks.push({ ...h, lines: [...h.lines], headerIndex });
  }
  return { hunks, patch: out.join('\n'), additions, deletions };
}

/** Number of lines of a text as git counts them (a final line without newline counts). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export type Side = 'LEFT' | 'RIGHT';

/** The hunk holding `line` on `side`, if any. */
export function hunkOf(hunks: Hunk[], line: number, side: Side): Hunk | undefined {
  return hunks.find((h) =>
    side === 'RIGHT'
      ? h.newLines > 0 && line >= h.newStart && line < h.newStart + h.newLines
      : h.oldLines > 0 && line >= h.oldStart && line < h.oldStart + h.oldLines,
  );
}

/** Maps a (deprecated) `position` in the patch to a line and side; undefined when it does not point at a line. */
export function positionToLine(hunks: Hunk[], position: number): { line: number; side: Side } | undefined {
  // position 1 is the line right after the first hunk header; later hunk headers count as positions too.
  for (const h of hunks) {
    let oldLine = h.oldStart;
    let newLine = h.newStart;
    let index = h.headerIndex;
    for (const l of h.lines) {
      index++;
      const kind = l[0];
      if (index === position) {
        if (kind === '-') return { line: oldLine, side: 'LEFT' };
        if (kind === '+' || kind === ' ') return { line: newLine, side: 'RIGHT' };
        return undefined;
      }
      if (kind === '-') oldLine++;
      else if (kind === '+') newLine++;
      else if (kind === ' ') {
        oldLine++;
        newLine++;
      }
    }
  }
  return undefined;
}

/** The `diff_hunk` GitHub stores with a review comment: the hunk header through the commented line. */
export function diffHunkFor(hunk: Hunk, line: number, side: Side): string {
  const header = `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`;
  const out = [header];
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  for (const l of hunk.lines) {
    out.push(l);
    const kind = l[0];
    const here = side === 'RIGHT' ? kind !== '-' && newLine === line : kind !== '+' && oldLine === line;
    if (here && kind !== '\\') break;
    if (kind === '-') oldLine++;
    else if (kind === '+') newLine++;
    else if (kind === ' ') {
      oldLine++;
      newLine++;
    }
  }
  return out.join('\n');
}
