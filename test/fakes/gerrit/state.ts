/**
 * The fake's state: changes with their patch sets (files relative to the change's parent commit), change messages,
 * published comments, votes; and lookup of `{change-id}`, `{revision-id}` and `{file-id}` the way Gerrit reads them.
 */
import type { Account } from './accounts.js';
import type { Content, FileStatus } from './content.js';
import { commitMsgFile, fakeSha, looksBinary, toBuffer } from './content.js';

export interface FileInput {
  path: string;
  /** Left out: A when there is no oldContent, D when there is no newContent, R when oldPath differs, else M. */
  status?: 'A' | 'M' | 'D' | 'R';
  oldPath?: string;
  /** Content in the parent commit (the base side). */
  oldContent?: Content;
  /** Content in this patch set. */
  newContent?: Content;
  binary?: boolean;
}

export interface PatchSetInput {
  number?: number;
  revision?: string;
  /** REWORK (default), TRIVIAL_REBASE, TRIVIAL_REBASE_WITH_MESSAGE_UPDATE, MERGE_FIRST_PARENT_UPDATE, NO_CODE_CHANGE, NO_CHANGE. */
  kind?: string;
  files: FileInput[];
  commitMessage?: string;
  /** Username (or account) of the uploader; default the change owner. */
  uploader?: string | Partial<Account>;
  /** Files of the revision's tree the change does not touch (served by `/content`), path -> content. */
  unchanged?: Record<string, Content>;
  parent?: string;
}

export interface AddChangeInput {
  project: string;
  branch?: string;
  number: number;
  changeId?: string;
  subject: string;
  owner?: string | Partial<Account>;
  status?: 'NEW' | 'MERGED' | 'ABANDONED';
  wip?: boolean;
  topic?: string;
  patchSets: PatchSetInput[];
}

export interface StoredFile {
  path: string;
  status: FileStatus;
  oldPath?: string;
  oldContent?: Buffer;
  newContent?: Buffer;
  binary: boolean;
}

export interface PatchSet {
  number: number;
  revision: string;
  kind: string;
  ref: string;
  parent: string;
  commitMessage: string;
  uploader: Account;
  created: number;
  files: StoredFile[];
  unchanged: Map<string, Buffer>;
}

export interface StoredMessage {
  id: string;
  author: Account;
  date: number;
  message: string;
  tag?: string;
  _revision_number: number;
}

export interface StoredComment {
  id: string;
  path: string;
  author: Account;
  patch_set: number;
  commit_id: string;
  side?: 'PARENT';
  line?: number;
  range?: { start_line: number; start_character: number; end_line: number; end_character: number };
  in_reply_to?: string;
  message: string;
  unresolved: boolean;
  updated: number;
  tag?: string;
  change_message_id: string;
  fix_suggestions?: unknown[];
  robot?: { robot_id: string; robot_run_id: string; url?: string; properties?: unknown };
}

export interface Change {
  project: string;
  branch: string;
  number: number;
  changeId: string;
  subject: string;
  owner: Account;
  status: 'NEW' | 'MERGED' | 'ABANDONED';
  wip: boolean;
  topic?: string;
  created: number;
  updated: number;
  patchSets: PatchSet[];
  messages: StoredMessage[];
  comments: StoredComment[];
  /** label -> account id -> value */
  votes: Map<string, Map<number, number>>;
}

export const MAGIC_FILES = ['/COMMIT_MSG', '/MERGE_LIST', '/PATCHSET_LEVEL'];

export function storeFile(input: FileInput): StoredFile {
  const oldContent = input.oldContent === undefined ? undefined : toBuffer(input.oldContent);
  const newContent = input.newContent === undefined ? undefined : toBuffer(input.newContent);
  const status: FileStatus =
    input.status ?? (oldContent === undefined ? 'A' : newContent === undefined ? 'D' : input.oldPath !== undefined && input.oldPath !== input.path ? 'R' : 'M');
  const binary = input.binary ?? ((oldContent !== undefined && looksBinary(oldContent)) || (newContent !== undefined && looksBinary(newContent)));
  return {
    path: input.path,
    status,
    ...(input.oldPath !== undefined ? { oldPath: input.oldPath } : {}),
    ...(oldContent !== undefined && status !== 'A' ? { oldContent } : {}),
    ...(newContent !== undefined && status !== 'D' ? { newContent } : {}),
    binary,
  };
}

export function currentPatchSet(change: Change): PatchSet {
  const ps = change.patchSets[change.patchSets.length - 1];
  if (!ps) throw new Error(`change ${change.number} has no patch set`);
  return ps;
}

/** The `/COMMIT_MSG` file of a patch set. */
export function commitMsgOf(change: Change, ps: PatchSet, timestamp: (ms: number) => string): string {
  return commitMsgFile({ parent: ps.parent, author: ps.uploader, date: timestamp(ps.created), message: ps.commitMessage });
}

/** The content of a path in a patch set's tree (undefined: not there). */
export function contentAt(ps: PatchSet, path: string): Buffer | undefined {
  const file = ps.files.find((f) => f.path === path);
  if (file) return file.newContent;
  if (ps.files.some((f) => f.oldPath === path && f.status === 'R')) return undefined;
  return ps.unchanged.get(path);
}

/** The content of a path in the parent commit (undefined: not there or not known). */
export function parentContentOf(change: Change, path: string): Buffer | undefined {
  for (const ps of change.patchSets) {
    const file = ps.files.find((f) => (f.oldPath ?? f.path) === path && f.status !== 'A');
    if (file?.oldContent) return file.oldContent;
    const unchanged = ps.unchanged.get(path);
    if (unchanged && !ps.files.some((f) => f.path === path)) return unchanged;
  }
  return undefined;
}

export function newChangeId(project: string, number: number): string {
  return `I${fakeSha(`change-id:${project}:${number}`)}`;
}

export function refOf(number: number, ps: number): string {
  return `refs/changes/${String(number % 100).padStart(2, '0')}/${number}/${ps}`;
}

export class ChangeStore {
  readonly changes: Change[] = [];
  private seq = 0;

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${fakeSha(`${prefix}:${this.seq}:${Math.random()}`).slice(0, 8)}_${this.seq.toString(16).padStart(8, '0')}`;
  }

  get(project: string, number: number): Change | undefined {
    return this.changes.find((c) => c.project === project && c.number === number);
  }

  /**
   * Finds a change by a decoded `{change-id}`: `<project>~<number>`, `<project>~<branch>~<Change-Id>`, a bare number
   * or a bare Change-Id (`I...`). Ambiguous or unknown: undefined (Gerrit answers 404).
   */
  find(id: string): Change | undefined {
    const parts = id.split('~');
    if (parts.length === 2) {
      const [project, n] = parts as [string, string];
      return /^\d+$/.test(n) ? this.get(project, Number(n)) : undefined;
    }
    if (parts.length === 3) {
      const [project, branch, changeId] = parts as [string, string, string];
      const b = branch.startsWith('refs/heads/') ? branch.slice('refs/heads/'.length) : branch;
      return this.changes.find((c) => c.project === project && c.branch === b && c.changeId === changeId);
    }
    if (/^\d+$/.test(id)) {
      const found = this.changes.filter((c) => c.number === Number(id));
      return found.length === 1 ? found[0] : undefined;
    }
    if (/^I[0-9a-f]{40}$/.test(id)) {
      const found = this.changes.filter((c) => c.changeId === id);
      return found.length === 1 ? found[0] : undefined;
    }
    return undefined;
  }

  /** `{revision-id}`: `current`, a patch-set number, or a (possibly abbreviated, >= 4 chars) commit sha. */
  revision(change: Change, rev: string): PatchSet | undefined {
    if (rev === 'current') return currentPatchSet(change);
    if (/^\d+$/.test(rev) && rev.length < 8) return change.patchSets.find((p) => p.number === Number(rev));
    if (/^[0-9a-f]{4,40}$/.test(rev)) {
      const found = change.patchSets.filter((p) => p.revision.startsWith(rev));
      return found.length === 1 ? found[0] : undefined;
    }
    return undefined;
  }

  clear(): void {
    this.changes.length = 0;
  }
}
