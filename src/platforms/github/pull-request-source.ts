/**
 * A pull request -> a ChangeSet, with as few API calls as the content allows:
 *
 * - ceil(files/100) calls for its files (GitHub lists at most 3000), each with GitHub's `patch` and blob id;
 * - 0 calls for files heartbeat-bot cannot read, judged by path alone (detectKind on a probe text);
 * - the head side of each relevant file comes from `readBlob` (the GraphQL snapshot and the process's blob
 *   cache, pull-request-query.ts and read-blobs.ts), else one `git/blobs/{sha}` call, 8 at a time;
 * - 0 calls for the base side when GitHub sent a `patch`: the old content is the new one with the hunks undone
 *   (patch-lines.ts), which is exactly the merge-base side GitHub diffed against;
 * - 1 contents-API call at the base commit for the base side of a file without a `patch` (large diffs), so the
 *   hunks are computed from the two sides.
 *
 * Binary and over-size files are skipped with a note. Throws only when the pull request or its file list cannot
 * be read at all (the caller retries the job); a file that cannot be read is a note.
 */
import { ignoreMatcher } from '../../engine/ignore-matcher.js';
import type { ChangeSet, FileChange, FileStatus } from '../../model/change-set.js';
import { decodeText, tooLarge, type Decoded } from '../../parsers/decode-text.js';
import { mayBeRelevant } from '../../parsers/detect-kind.js';
import { mapLimit } from '../map-limit.js';
import { errorFacts, GitHubApiError, type GitHubApi } from './api.js';
import { hunksOfPatch, oldContentFromPatch } from './patch-lines.js';
import type { PullRequestRef } from './types.js';

/** GitHub's cap on `GET /pulls/{n}/files`. */
export const MAX_LISTED_FILES = 3000;
/** Deployment files are small; anything bigger is generated or vendored. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The pull request as the snapshot query reads it (pull-request-query.ts). */
export interface PullRequestInfo {
  number: number;
  headSha: string;
  baseSha: string;
  /** Base branch name, for release resolution (`stable/wallaby`). */
  baseRef: string;
  htmlUrl: string;
  draft: boolean;
  state: string;
  title: string;
  body: string;
  /** `changed_files` as GitHub counts them (may exceed what the files API lists). */
  changedFiles: number | undefined;
}

/** One entry of `GET /pulls/{n}/files`. */
export interface PullRequestFile {
  filename: string;
  previous_filename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  sha: string | null;
  changes?: number;
  patch?: string;
  contents_url?: string;
  blob_url?: string;
}

export interface PullRequestChange {
  changeSet: ChangeSet;
  /** GitHub's patch per path, for validating review comment lines. */
  patches: Map<string, string>;
  /** Paths whose head side was read and reviewed (comments on other paths are not resolved). */
  readPaths: Set<string>;
  listedPaths: Set<string>;
  /** The file list stopped at GitHub's cap: files beyond it are unknown. */
  capped: boolean;
  /** Files that could be reviewed, before reading them. */
  relevant: number;
  notes: string[];
}

export async function listPullRequestFiles(api: GitHubApi, pr: PullRequestRef): Promise<PullRequestFile[]> {
  try {
    return await api.paginate<PullRequestFile>(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      { owner: pr.owner, repo: pr.repo, pull_number: pr.number },
      { maxItems: MAX_LISTED_FILES },
    );
  } catch (error) {
    const facts = errorFacts(error);
    throw new GitHubApiError(`cannot read pull request ${pr.owner}/${pr.repo}#${pr.number}: ${facts.status ?? 'network error'} ${facts.message} (listing its files)`, facts.status, { cause: error });
  }
}

function statusOf(file: PullRequestFile): FileStatus {
  switch (file.status) {
    case 'added':
    case 'copied':
      return 'added';
    case 'removed':
      return 'deleted';
    case 'renamed':
      return 'renamed';
    default:
      return 'modified';
  }
}

/** Blob bytes -> text, or why not, within what GitHub's APIs give (MAX_FILE_BYTES). */
export function decodeBytes(bytes: Uint8Array, size = bytes.length): Decoded {
  return decodeText(bytes, MAX_FILE_BYTES, size);
}

/** `{content, encoding, size}` of the blobs and contents APIs -> text. */
export function decodeApiContent(data: unknown): Decoded {
  const d = (data ?? {}) as { content?: unknown; encoding?: unknown; size?: unknown };
  const size = typeof d.size === 'number' ? d.size : undefined;
  if (size !== undefined && size > MAX_FILE_BYTES) return tooLarge(size, MAX_FILE_BYTES);
  if (typeof d.content !== 'string') return { skipped: 'no content returned' };
  if (d.encoding === 'none') return { skipped: `too large for the API${size !== undefined ? ` (${size} bytes)` : ''}` };
  const bytes = d.encoding === 'base64' ? Buffer.from(d.content, 'base64') : Buffer.from(d.content, 'utf8');
  return decodeBytes(bytes, size ?? bytes.length);
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export interface ReadChangeOptions {
  info: PullRequestInfo;
  files: readonly PullRequestFile[];
  /** Config `ignore` globs: such files are not fetched. */
  ignore?: readonly string[];
  concurrency?: number;
  /** The head side of a file by blob id; default one `git/blobs` call. */
  readBlob?: (oid: string) => Promise<Decoded>;
}

/**
 * The head commit the file list was read at: GitHub writes it into every file's `contents_url` (`?ref=<sha>`)
 * and `blob_url`. Undefined for an empty list.
 */
export function headOfFiles(files: readonly PullRequestFile[]): string | undefined {
  for (const f of files) {
    const fromContents = typeof f.contents_url === 'string' ? /[?&]ref=([0-9a-f]{40,64})\b/.exec(f.contents_url)?.[1] : undefined;
    if (fromContents !== undefined) return fromContents;
    const fromBlob = typeof f.blob_url === 'string' ? /\/blob\/([0-9a-f]{40,64})\//.exec(f.blob_url)?.[1] : undefined;
    if (fromBlob !== undefined) return fromBlob;
  }
  return undefined;
}

/** Blob ids of the head sides readChange will ask `readBlob` for. */
export function headBlobsToRead(files: readonly PullRequestFile[], ignore: readonly string[] = []): string[] {
  const isIgnored = ignoreMatcher(ignore);
  const oids = files
    .filter((f) => f.status !== 'removed' && typeof f.sha === 'string' && f.sha !== '' && mayBeRelevant(f.filename) && !isIgnored(f.filename))
    .map((f) => f.sha!);
  return [...new Set(oids)];
}

/** The listed files -> a ChangeSet, fetching only what the review needs. */
export async function readChange(api: GitHubApi, pr: PullRequestRef, options: ReadChangeOptions): Promise<PullRequestChange> {
  const { info, files } = options;
  const isIgnored = ignoreMatcher(options.ignore ?? []);
  const notes: string[] = [];
  const patches = new Map<string, string>();
  const readPaths = new Set<string>();
  const capped = files.length >= MAX_LISTED_FILES || (info.changedFiles !== undefined && info.changedFiles > files.length);
  if (capped) {
    notes.push(
      `GitHub lists at most ${MAX_LISTED_FILES} files of a pull request; this one changes ${info.changedFiles ?? `at least ${files.length}`}. ` +
        `Only the first ${files.length} were reviewed.`,
    );
  }
  const getBlob = (sha: string) => api.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: pr.owner, repo: pr.repo, file_sha: sha });
  const getBase = (path: string) =>
    api.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: pr.owner, repo: pr.repo, path, ref: info.baseSha });

  const relevant = files.filter((f) => mayBeRelevant(f.filename) && !isIgnored(f.filename));
  const changes = await mapLimit(files, options.concurrency ?? 8, async (file): Promise<FileChange> => {
    const change: FileChange = { path: file.filename, status: statusOf(file) };
    if (file.previous_filename !== undefined && file.previous_filename !== file.filename) change.oldPath = file.previous_filename;
    if (file.patch !== undefined) {
      change.patch = file.patch;
      patches.set(file.filename, file.patch);
    }
    if (!mayBeRelevant(file.filename)) {
      change.skipped = 'not a format heartbeat-bot reads';
      return change;
    }
    if (isIgnored(file.filename)) {
      change.skipped = 'ignored by the configuration';
      return change;
    }
    const hunks = hunksOfPatch(file.patch, file.filename);
    if (change.status === 'deleted') {
      // The old side (rules about what a change removes): from the patch, else from the base commit.
      const old = hunks !== undefined ? oldContentFromPatch('', hunks) : undefined;
      if (old !== undefined) change.oldContent = old;
      else {
        const decoded = await fetchSide(() => getBase(change.path));
        if ('text' in decoded) change.oldContent = decoded.text;
        else notes.push(`\`${change.path}\` (removed): the old version could not be read (${decoded.skipped}).`);
      }
      return change;
    }
    if (file.sha === null || file.sha === '') {
      change.skipped = 'no blob on the head side';
      return change;
    }
    const decoded = options.readBlob !== undefined ? await options.readBlob(file.sha) : await fetchSide(() => getBlob(file.sha!));
    if (!('text' in decoded)) {
      change.skipped = decoded.skipped;
      notes.push(`\`${file.filename}\` skipped: ${decoded.skipped}.`);
      return change;
    }
    change.newContent = decoded.text;
    readPaths.add(file.filename);
    if (change.status === 'added') return change;
    if (hunks !== undefined) {
      const old = oldContentFromPatch(decoded.text, hunks);
      if (old !== undefined) {
        change.oldContent = old;
        return change;
      }
    } else if (change.status === 'renamed' && file.changes === 0) {
      change.oldContent = decoded.text;
      return change;
    }
    // No usable patch (a large diff): diff against the base side, fetched at the base commit.
    const base = await fetchSide(() => getBase(change.oldPath ?? change.path));
    if ('text' in base) {
      change.oldContent = base.text;
      if (hunks === undefined) {
        delete change.patch;
        notes.push(`\`${file.filename}\`: GitHub sent no diff (too large); the changed lines were computed from the two versions.`);
      }
    } else {
      notes.push(`\`${file.filename}\`: no diff from GitHub and the base version could not be read (${base.skipped}); the whole file counts as changed.`);
    }
    return change;
  });

  const changeSet: ChangeSet = { files: changes, branch: info.baseRef };
  const message = [info.title, info.body].filter((t) => t.trim() !== '').join('\n\n');
  if (message !== '') changeSet.commitMessage = message;
  return { changeSet, patches, readPaths, listedPaths: new Set(files.map((f) => f.filename)), capped, relevant: relevant.length, notes };
}

/** Reads one side of a file; an API failure (after retries) becomes a skip reason, never an exception. */
export async function fetchSide(get: () => Promise<{ data: unknown }>): Promise<Decoded> {
  try {
    return decodeApiContent((await get()).data);
  } catch (error) {
    const facts = errorFacts(error);
    return { skipped: `could not be read (${facts.status ?? 'network error'}: ${facts.message})` };
  }
}
