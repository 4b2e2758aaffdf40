/**
 * File contents and diffs as Gerrit computes them: line counts (a trailing newline does not start a line),
 * FileInfo (`lines_inserted`/`lines_deleted` left out when 0 or binary, `size`, `size_delta`), DiffInfo chunks
 * (`ab`, `a`/`b`), a git patch, and the `/COMMIT_MSG` magic file (commit header + message).
 */
import { createHash } from 'node:crypto';
import { createTwoFilesPatch, diffLines } from 'diff';

export type Content = string | Uint8Array;

export function toBuffer(content: Content | undefined): Buffer {
  if (content === undefined) return Buffer.alloc(0);
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}

/** git's heuristic: a NUL byte in the first 8000 bytes. */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** The lines of a text as Gerrit numbers them (1-based; a final newline does not open another line). */
export function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineCount(content: Buffer | undefined): number {
  return content ? linesOf(content.toString('utf8')).length : 0;
}

/** A deterministic 40-hex id from any seed text. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export interface LineStats {
  inserted: number;
  deleted: number;
}

export function lineStats(oldContent: Buffer | undefined, newContent: Buffer | undefined): LineStats {
  let inserted = 0;
  let deleted = 0;
  for (const part of diffLines(oldContent?.toString('utf8') ?? '', newContent?.toString('utf8') ?? '')) {
    const n = part.count ?? linesOf(part.value).length;
    if (part.added) inserted += n;
    else if (part.removed) deleted += n;
  }
  return { inserted, deleted };
}

export type FileStatus = 'A' | 'M' | 'D' | 'R' | 'C' | 'W';

/** FileInfo of one file as the files endpoint and CURRENT_FILES render it. */
export function fileInfo(status: FileStatus, oldPath: string | undefined, oldContent: Buffer | undefined, newContent: Buffer | undefined, binary: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  if (status !== 'M') info.status = status;
  if (binary) info.binary = true;
  if (oldPath !== undefined && (status === 'R' || status === 'C')) info.old_path = oldPath;
  if (!binary) {
    const { inserted, deleted } = lineStats(oldContent, newContent);
    if (inserted) info.lines_inserted = inserted;
    if (deleted) info.lines_deleted = deleted;
  }
  const size = newContent?.length ?? 0;
  info.size_delta = size - (oldContent?.length ?? 0);
  info.size = size;
  return info;
}

/** DiffInfo chunks (`ab` common, `a` removed, `b` added) over the whole file, as Gerrit returns by default. */
export function diffChunks(oldText: string, newText: string): Array<Record<string, string[]>> {
  const chunks: Array<Record<string, string[]>> = [];
  for (const part of diffLines(oldText, newText)) {
    const lines = linesOf(part.value.endsWith('\n') ? part.value : `${part.value}\n`);
    const key = part.added ? 'b' : part.removed ? 'a' : 'ab';
    const last = chunks[chunks.length - 1];
    if (key !== 'ab' && last && !last.ab) {
      last[key] = [...(last[key] ?? []), ...lines];
    } else {
      chunks.push({ [key]: lines });
    }
  }
  return chunks;
}

/** A git-style patch of one file (`diff --git` header, unified hunks). */
export function filePatch(path: string, oldPath: string | undefined, oldText: string | undefined, newText: string | undefined): string {
  const a = oldPath ?? path;
  const header = [`diff --git a/${a} b/${path}`];
  if (oldText === undefined) header.push('new file mode 100644');
  if (newText === undefined) header.push('deleted file mode 100644');
  if (oldPath !== undefined && oldPath !== path) header.push(`rename from ${oldPath}`, `rename to ${path}`);
  const body = createTwoFilesPatch(oldText === undefined ? '/dev/null' : `a/${a}`, newText === undefined ? '/dev/null' : `b/${path}`, oldText ?? '', newText ?? '', '', '', { context: 3 });
  // Drop the `Index:`/`===` preamble the diff package writes; keep from `---`.
  const lines = body.split('\n');
  const start = lines.findIndex((l) => l.startsWith('--- '));
  const rest = lines.slice(start).map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/\t$/, '') : l));
  return `${header.join('\n')}\n${rest.join('\n').replace(/\n*$/, '\n')}`;
}

export interface CommitHeaderInput {
  parent: string;
  author: { name: string; email: string };
  date: string;
  message: string;
}

/** The `/COMMIT_MSG` magic file: Gerrit's commit header, a blank line, then the message. */
export function commitMsgFile(input: CommitHeaderInput): string {
  const who = `${input.author.name} <${input.author.email}>`;
  const header = [`Parent:     ${input.parent.slice(0, 8)} ()`, `Author:     ${who}`, `AuthorDate: ${input.date}`, `Commit:     ${who}`, `CommitDate: ${input.date}`, ''];
  return `${header.join('\n')}\n${input.message.endsWith('\n') ? input.message : `${input.message}\n`}`;
}
