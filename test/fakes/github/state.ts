/**
 * What the fake GitHub holds: repositories with git-like trees and blobs, pull requests with their files at every
 * head commit they had, check runs with their annotations, reviews, review comments and issue comments. Routes read
 * and change it; tests read it through `fake.state`.
 */
import type { Content, Hunk } from './git.js';
import { blobSha, diffTexts, fakeSha, lineCount, looksBinary, toBuffer } from './git.js';
import { LIMITS } from './limits.js';

export type FileStatus = 'added' | 'modified' | 'removed' | 'renamed';

/** A changed file as a test describes it. */
export interface PullRequestFileInput {
  path: string;
  status?: FileStatus;
  previousPath?: string;
  /** Content at the base; taken from the base tree when left out (a missing file makes the status `added`). */
  oldContent?: Content;
  /** Content at the head; leave out for a removed file. */
  newContent?: Content;
  /** Treat as binary whatever the content (no patch, no line counts). */
  binary?: boolean;
  /** Leave `patch` out of the files API as GitHub does for very large diffs (review comments still validate). */
  omitPatch?: boolean;
}

/** A changed file as the fake computed it. */
export interface PullRequestFile {
  filename: string;
  status: FileStatus;
  previous_filename?: string;
  /** Blob id at the head (at the base for a removed file). */
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
  /** Undefined for binary files, `omitPatch` and diffs over the size limits. */
  patch?: string;
  /** The real hunks, even when `patch` is not shown (GitHub still anchors comments on large diffs). */
  hunks: Hunk[];
  binary: boolean;
}

export interface UserObject {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  [key: string]: unknown;
}

export interface RepoState {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  /** Branch name -> commit id. */
  branches: Map<string, string>;
  /** Commit id -> path -> blob id. */
  trees: Map<string, Map<string, string>>;
  /** Commit id -> message and parent, for `GET /commits/:sha`. */
  commits: Map<string, { message: string; parents: string[] }>;
}

export interface PullRequestState {
  owner: string;
  repo: string;
  number: number;
  id: number;
  title: string;
  body: string | null;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  /** Head lives in a fork (head.repo.fork = true): GITHUB_TOKENs are read-only on it. */
  fork: boolean;
  /** Every write about this pull request's conversation answers 403, whatever the token. */
  readOnly: boolean;
  user: UserObject;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string; owner: string };
  /** The files of the pull request as of each head commit it had. */
  versions: Map<string, PullRequestFile[]>;
  /** Total number of changed files (the files API stops at 3000). */
  createdAt: string;
  updatedAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
  blob_href?: string;
}

export interface CheckRunState {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  /** How many create/update requests carried annotations, with how many each (for batch assertions). */
  annotationBatches: number[];
  actions: unknown[];
  app: { id: number; slug: string; name: string };
}

export interface ReviewState {
  id: number;
  owner: string;
  repo: string;
  number: number;
  user: UserObject;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING' | 'DISMISSED';
  /** The `event` the review was created with (`COMMENT`, `APPROVE`, `REQUEST_CHANGES`, or `PENDING` when none). */
  event: string;
  commit_id: string;
  submitted_at: string | null;
}

export interface ReviewCommentState {
  id: number;
  owner: string;
  repo: string;
  number: number;
  pull_request_review_id: number | null;
  path: string;
  body: string;
  user: UserObject;
  commit_id: string;
  original_commit_id: string;
  /** Null when outdated by a later push. */
  line: number | null;
  original_line: number | null;
  start_line: number | null;
  original_start_line: number | null;
  side: 'LEFT' | 'RIGHT';
  start_side: 'LEFT' | 'RIGHT' | null;
  position: number | null;
  original_position: number | null;
  subject_type: 'line' | 'file';
  diff_hunk: string;
  in_reply_to_id?: number;
  created_at: string;
  updated_at: string;
}

export interface IssueCommentState {
  id: number;
  owner: string;
  repo: string;
  number: number;
  body: string;
  user: UserObject;
  created_at: string;
  updated_at: string;
}

export class FakeState {
  readonly repos = new Map<string, RepoState>();
  readonly blobs = new Map<string, Buffer>();
  readonly binaryBlobs = new Set<string>();
  readonly pulls = new Map<string, PullRequestState>();
  readonly checkRuns: CheckRunState[] = [];
  readonly reviews: ReviewState[] = [];
  readonly reviewComments: ReviewCommentState[] = [];
  readonly issueComments: IssueCommentState[] = [];
  private nextIdValue = 1000;
  private clockValue = Date.parse('2024-01-01T00:00:00Z');

  nextId(): number {
    return ++this.nextIdValue;
  }

  /** ISO time that moves forward a second per call: deterministic and ordered. */
  now(): string {
    this.clockValue += 1000;
    return new Date(this.clockValue).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  repo(owner: string, name: string, create = true): RepoState | undefined {
    const key = `${owner}/${name}`.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo && create) {
      repo = {
        owner,
        name,
        id: this.nextId(),
        defaultBranch: 'main',
        branches: new Map(),
        trees: new Map(),
        commits: new Map(),
      };
      this.repos.set(key, repo);
    }
    return repo;
  }

  pull(owner: string, repo: string, number: number): PullRequestState | undefined {
    return this.pulls.get(`${owner}/${repo}#${number}`.toLowerCase());
  }

  storeBlob(content: Content, binary = false): string {
    const sha = blobSha(content);
    this.blobs.set(sha, toBuffer(content));
    if (binary || looksBinary(content)) this.binaryBlobs.add(sha);
    return sha;
  }

  /** Commit id for a branch name or a commit id (full or abbreviated); undefined when unknown. */
  resolveRef(repo: RepoState, ref: string | undefined): string | undefined {
    const name = (ref ?? repo.defaultBranch).replace(/^refs\/heads\//, '');
    const branch = repo.branches.get(name);
    if (branch) return branch;
    if (repo.trees.has(name)) return name;
    if (/^[0-9a-f]{7,40}$/.test(name)) {
      for (const sha of repo.trees.keys()) if (sha.startsWith(name)) return sha;
    }
    // refs/pull/N/head and refs/pull/N/merge resolve to the pull request's head.
    const pr = /^(?:refs\/)?pull\/(\d+)\/(?:head|merge)$/.exec(name);
    if (pr?.[1]) return this.pull(repo.owner, repo.name, Number(pr[1]))?.head.sha;
    return undefined;
  }

  /** The tree of a commit, created empty when the commit is new. */
  tree(repo: RepoState, sha: string): Map<string, string> {
    let tree = repo.trees.get(sha);
    if (!tree) {
      tree = new Map();
      repo.trees.set(sha, tree);
      if (!repo.commits.has(sha)) repo.commits.set(sha, { message: 'Fake commit', parents: [] });
    }
    return tree;
  }

  /** Commit id of `ref`, making a branch with an empty tree when the name is new. */
  ensureRef(repo: RepoState, ref: string): string {
    const known = this.resolveRef(repo, ref);
    if (known) return known;
    if (/^[0-9a-f]{40}$/.test(ref)) {
      this.tree(repo, ref);
      return ref;
    }
    const sha = fakeSha(`${repo.owner}/${repo.name}:branch:${ref}:${this.nextId()}`);
    repo.branches.set(ref, sha);
    this.tree(repo, sha);
    return sha;
  }

  blobText(sha: string | undefined): string | undefined {
    if (!sha) return undefined;
    return this.blobs.get(sha)?.toString('utf8');
  }

  /**
   * Writes the head tree of a pull request from the base tree and the described files, and returns the files as
   * the files API shows them.
   */
  applyFiles(repo: RepoState, baseSha: string, headSha: string, inputs: PullRequestFileInput[]): PullRequestFile[] {
    const baseTree = this.tree(repo, baseSha);
    const headTree = new Map(baseTree);
    const files: PullRequestFile[] = [];
    for (const input of inputs) {
      const oldPath = input.previousPath ?? input.path;
      let oldSha: string | undefined;
      if (input.oldContent !== undefined) {
        oldSha = this.storeBlob(input.oldContent, input.binary);
        baseTree.set(oldPath, oldSha);
      } else if (input.status !== 'added') {
        oldSha = baseTree.get(oldPath);
      }
      let newSha: string | undefined;
      if (input.newContent !== undefined && input.status !== 'removed') newSha = this.storeBlob(input.newContent, input.binary);
      const status: FileStatus =
        input.status ??
        (input.previousPath && input.previousPath !== input.path
          ? 'renamed'
          : oldSha === undefined
            ? 'added'
            : newSha === undefined
              ? 'removed'
              : 'modified');
      if (status === 'renamed' || status === 'removed') headTree.delete(oldPath);
      if (status === 'renamed' && newSha === undefined) newSha = oldSha;
      if (status !== 'removed') {
        if (newSha === undefined) newSha = this.storeBlob('');
        headTree.set(input.path, newSha);
      }
      const binary = Boolean(input.binary) || (oldSha !== undefined && this.binaryBlobs.has(oldSha)) || (newSha !== undefined && this.binaryBlobs.has(newSha));
      const oldText = status === 'added' ? '' : (this.blobText(oldSha) ?? '');
      const newText = status === 'removed' ? '' : (this.blobText(newSha) ?? '');
      const file: PullRequestFile = {
        filename: input.path,
        status,
        sha: (status === 'removed' ? oldSha : newSha) ?? blobSha(''),
        additions: 0,
        deletions: 0,
        changes: 0,
        hunks: [],
        binary,
      };
      if (status === 'renamed') file.previous_filename = oldPath;
      if (!binary) {
        const diff = diffTexts(oldText, newText);
        file.additions = diff.additions;
        file.deletions = diff.deletions;
        file.changes = diff.additions + diff.deletions;
        file.hunks = diff.hunks;
        const tooLarge =
          Buffer.byteLength(diff.patch) > LIMITS.maxPatchBytes || lineCount(diff.patch) > LIMITS.maxPatchLines;
        if (!input.omitPatch && !tooLarge && diff.hunks.length > 0) file.patch = diff.patch;
      }
      files.push(file);
    }
    repo.trees.set(headSha, headTree);
    return files;
  }

  reset(): void {
    this.repos.clear();
    this.blobs.clear();
    this.binaryBlobs.clear();
    this.pulls.clear();
    this.checkRuns.length = 0;
    this.reviews.length = 0;
    this.reviewComments.length = 0;
    this.issueComments.length = 0;
  }
}
