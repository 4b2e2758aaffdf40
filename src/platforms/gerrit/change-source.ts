/**
 * A Gerrit change -> a ChangeSet, with few requests:
 *
 * - 1 `GET /changes/{id}` (current revision and commit, messages) — reviewChange reads it;
 * - 1 `GET .../revisions/{sha}/files/` for the file list;
 * - 0 for files heartbeat-bot cannot read, judged by path alone (detectKind before fetching), for the magic
 *   files (`/COMMIT_MSG`, `/MERGE_LIST`, `/PATCHSET_LEVEL`) and for binary files;
 * - 1 `.../files/{path}/content` per relevant file that has a new side, 8 at a time;
 * - 1 `.../revisions/{sha}/patch` (the whole revision against its first parent) when some relevant file was
 *   modified, renamed or deleted: its hunks give the changed lines and rebuild the old content from the new, so
 *   the parent side costs nothing; a file the patch does not fit gets `.../content?parent=1` instead.
 *
 * Throws only when the file list cannot be read; a file that cannot be read is a note.
 */
import { ignoreMatcher } from '../../engine/ignore-matcher.js';
import type { Hunk } from '../../diff/file-diff.js';
import { parseUnifiedDiff } from '../../diff/parse-unified-diff.js';
import type { ChangeSet, FileChange, FileStatus } from '../../model/change-set.js';
import { oldContentFromPatch } from '../github/patch-lines.js';
import { decodeBytes } from '../github/pull-request-source.js';
import { mayBeRelevant } from '../../parsers/detect-kind.js';
import { mapLimit } from '../map-limit.js';
import { GerritApiError, type GerritClient } from './gerrit-client.js';
import { fileStatusOfLetter } from '../../diff/file-status-of-letter.js';

export const MAGIC_PATHS: ReadonlySet<string> = new Set(['/COMMIT_MSG', '/MERGE_LIST', '/PATCHSET_LEVEL']);

/** FileInfo of `GET .../files/`, as far as it is read. */
export interface GerritFileInfo {
  status?: 'A' | 'D' | 'R' | 'C' | 'W' | 'M';
  binary?: boolean;
  old_path?: string;
  lines_inserted?: number;
  lines_deleted?: number;
  size?: number;
}

export interface ChangeContent {
  changeSet: ChangeSet;
  /** Every path of the revision's file list (what Gerrit accepts comments on), magic files excluded. */
  listedPaths: Set<string>;
  /** Paths whose new side was read and reviewed. */
  readPaths: Set<string>;
  /** New-file lines per read path, for comment ranges and fixes. */
  lines: Map<string, string[]>;
  /** Files that could be reviewed, judged by path. */
  relevant: number;
  notes: string[];
}

export function statusOf(info: GerritFileInfo): FileStatus {
  return fileStatusOfLetter(info.status);
}

/** Splits a text into lines as the engine numbers them (1-based; `\r\n` or `\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

export async function listFiles(client: GerritClient, id: string, revision: string): Promise<Record<string, GerritFileInfo>> {
  try {
    const files = await client.get<Record<string, GerritFileInfo> | undefined>(`/changes/${id}/revisions/${revision}/files/`);
    return files ?? {};
  } catch (error) {
    if (error instanceof GerritApiError) throw new GerritApiError(`cannot list the files of ${decodeURIComponent(id)} revision ${revision}: ${error.message}`, error.method, error.path, error.status, { cause: error });
    throw error;
  }
}

/** Hunks per path of a revision's patch (base64 of `git format-patch` text); empty when it cannot be read. */
export async function revisionHunks(client: GerritClient, id: string, revision: string): Promise<Map<string, Hunk[]>> {
  const out = new Map<string, Hunk[]>();
  let text: string | undefined;
  try {
    const bytes = await client.rawBase64(`/changes/${id}/revisions/${revision}/patch`);
    text = bytes?.toString('utf8');
  } catch {
    return out;
  }
  if (text === undefined) return out;
  try {
    for (const diff of parseUnifiedDiff(text)) {
      if (!diff.binary) out.set(diff.path, diff.hunks);
    }
  } catch {
    // a patch we cannot parse: every file falls back to its parent side
  }
  return out;
}

export interface ReadChangeInput {
  /** URL-encoded `<project>~<number>`. */
  id: string;
  revision: string;
  branch: string;
  commitMessage?: string;
  /** Config `ignore` globs: such files are not fetched. */
  ignore?: readonly string[];
  concurrency?: number;
}

export async function readChangeContent(client: GerritClient, input: ReadChangeInput, files: Record<string, GerritFileInfo>): Promise<ChangeContent> {
  const isIgnored = ignoreMatcher(input.ignore ?? []);
  const notes: string[] = [];
  const readPaths = new Set<string>();
  const lines = new Map<string, string[]>();
  const entries = Object.entries(files).filter(([path]) => !MAGIC_PATHS.has(path));
  const listedPaths = new Set(entries.map(([p]) => p));
  const relevant = entries.filter(([path, info]) => info.binary !== true && mayBeRelevant(path) && !isIgnored(path));
  const needsOld = relevant.some(([, info]) => statusOf(info) !== 'added');
  // Read while the contents are: only the old sides wait for it.
  const hunksRead = needsOld ? revisionHunks(client, input.id, input.revision) : Promise.resolve(new Map<string, Hunk[]>());
  const relevantPaths = new Set(relevant.map(([p]) => p));

  const read = async (path: string, parent?: number): Promise<{ text: string } | { skipped: string }> => {
    try {
      const bytes = await client.contentBytes(input.id, input.revision, path, parent);
      if (bytes === undefined) return { skipped: 'not found' };
      return decodeBytes(bytes);
    } catch (error) {
      return { skipped: `could not be read (${error instanceof Error ? error.message : String(error)})` };
    }
  };

  const changes = await mapLimit(entries, input.concurrency ?? 8, async ([path, info]): Promise<FileChange> => {
    const change: FileChange = { path, status: statusOf(info) };
    if (info.old_path !== undefined && info.old_path !== path) change.oldPath = info.old_path;
    if (info.binary === true) {
      change.skipped = 'binary';
      return change;
    }
    if (!relevantPaths.has(path)) {
      change.skipped = isIgnored(path) ? 'ignored by the configuration' : 'not a format heartbeat-bot reads';
      return change;
    }
    if (change.status === 'deleted') {
      const fileHunks = (await hunksRead).get(path);
      const old = fileHunks !== undefined ? oldContentFromPatch('', fileHunks) : undefined;
      if (old !== undefined) change.oldContent = old;
      else {
        const side = await read(path, 1);
        if ('text' in side) change.oldContent = side.text;
      }
      return change;
    }
    const side = await read(path);
    if (!('text' in side)) {
      change.skipped = side.skipped;
      notes.push(`${path} skipped: ${side.skipped}.`);
      return change;
    }
    change.newContent = side.text;
    readPaths.add(path);
    lines.set(path, splitLines(side.text));
    if (change.status === 'added') return change;
    const fileHunks = (await hunksRead).get(path);
    if (fileHunks !== undefined) {
      const old = oldContentFromPatch(side.text, fileHunks);
      if (old !== undefined) {
        change.oldContent = old;
        return change;
      }
    }
    const base = await read(change.oldPath ?? path, 1);
    if ('text' in base) change.oldContent = base.text;
    else notes.push(`${path}: the parent version could not be read (${base.skipped}); the whole file counts as changed.`);
    return change;
  });

  const changeSet: ChangeSet = { files: changes, branch: input.branch };
  if (input.commitMessage !== undefined && input.commitMessage.trim() !== '') changeSet.commitMessage = input.commitMessage;
  return { changeSet, listedPaths, readPaths, lines, relevant: relevant.length, notes };
}
