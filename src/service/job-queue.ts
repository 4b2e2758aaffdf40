/**
 * The job queue between webhook handlers and review workers (DESIGN.md "Data flow"). A handler must answer GitHub
 * within 10 s, so it only enqueues; workers do the API calls and the review.
 *
 * Keys decide identity. A key is `<group>@<version>`: for GitHub `github:<owner>/<repo>#<pr>@<head sha>`
 * (githubJobKey); for Gerrit `gerrit:<project>~<change>,<patch set>` (gerritJobKey, group `gerrit:<project>~<change>`). A job whose key is already waiting or running is a duplicate (a redelivery, a second event for
 * the same head SHA) and collapses into it. A job of the same group with another version supersedes a waiting one:
 * a newer push makes the review of the older head SHA pointless. A running job is never interrupted.
 *
 * Failed jobs are retried with exponential backoff up to a bounded number of attempts, then kept in a dead-letter
 * list. The in-process implementation is in-process-queue.ts; durable ones (SQLite, Redis) implement this same
 * interface.
 */

export type EnqueueResult =
  /** A new job, nothing of its group was waiting. */
  | 'queued'
  /** The same key was already waiting or running: nothing was added. */
  | 'duplicate'
  /** Queued, and it replaced a waiting job of the same group with another version (an older head SHA). */
  | 'superseded';

export interface JobQueue<J> {
  enqueue(key: string, job: J): Promise<EnqueueResult>;
  /** Starts taking jobs with at most `concurrency` running at once. Jobs enqueued before start wait for it. */
  start(worker: (job: J) => Promise<void>, concurrency: number): void;
  /** Resolves when nothing is waiting (including retries waiting for their backoff) and nothing is running. */
  drain(): Promise<void>;
  /** Stops accepting jobs and starting new ones, cancels pending retries, and waits for the running jobs. */
  close(): Promise<void>;
  /** Jobs waiting to run, including those waiting for a retry; not the running ones. */
  depth(): number;
  /** Jobs running now in this process (optional: the durable queues and the in-process one have it). */
  running?(): number;
  /**
   * Counts by state, for the dashboard, /metrics and /readyz (optional). For the durable queues (SQLite, Redis) the
   * counts are those of the shared store, every instance included; `done` counts the jobs remembered as done
   * recently (for dedupe), not all ever done.
   */
  stats?(): Promise<QueueStats>;
  /** Jobs in one state, most recently changed first, at most `limit` (default 50) (optional; for the dashboard). */
  list?(state: JobState, limit?: number): Promise<QueueEntry<J>[]>;
  /** Rejects when the store does not answer (optional; for /readyz: SQLite `SELECT 1`, Redis `PING`). */
  ping?(): Promise<void>;
}

/**
 * Where a job is: `waiting` (due now), `delayed` (waiting for its retry backoff), `running` (leased by a worker),
 * `done` (remembered for a while so a redelivery collapses), `dead` (failed its last attempt: the dead letters).
 */
export type JobState = 'waiting' | 'delayed' | 'running' | 'done' | 'dead';
export const JOB_STATES: readonly JobState[] = ['waiting', 'delayed', 'running', 'done', 'dead'];

export type QueueStats = Record<JobState, number>;

/** One job as list() shows it. */
export interface QueueEntry<J> {
  key: string;
  job: J;
  state: JobState;
  /** Attempts made so far. */
  attempts: number;
  /** The last failure, for delayed and dead jobs. */
  error?: string;
  /** Clock time (ms) of the last change of state. */
  updatedAt: number;
}

/** A job that failed its last attempt. */
export interface DeadLetter<J> {
  key: string;
  job: J;
  attempts: number;
  error: string;
  /** Clock time (ms) of the last failure. */
  failedAt: number;
}

/** What the queue needs of time, injected so tests control it. */
export interface QueueClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: QueueClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A retry waiting for its backoff must not keep a stopping process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A thrown error the queue must not retry (a 404, a validation error): it goes to the dead letters at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** A GitHub review job: which pull request at which head SHA, through which installation. */
export interface GitHubJob {
  owner: string;
  repo: string;
  number: number;
  /** The head SHA the event was about; the platform re-reads the pull request and reviews its current head. */
  headSha: string;
  /** App installation to authenticate as (absent for token-based runs). */
  installationId?: number;
  /** Event that caused the job, for logs: `pull_request.synchronize`, `check_run.rerequested`, ... */
  reason: string;
  /** X-GitHub-Delivery of that event, for logs. */
  deliveryId?: string;
}

/** `github:<owner>/<repo>#<pr>@<sha>`; owner and repo are case-insensitive on GitHub, so they are lower-cased. */
export function githubJobKey(job: Pick<GitHubJob, 'owner' | 'repo' | 'number' | 'headSha'>): string {
  return `github:${job.owner.toLowerCase()}/${job.repo.toLowerCase()}#${job.number}@${job.headSha.toLowerCase()}`;
}

/**
 * The group of a key: for Gerrit keys (gerritJobKey) `gerrit:<project>~<change>`, else everything before its last
 * `@` (the whole key when there is none).
 */
export function keyGroup(key: string): string {
  const gerrit = GERRIT_KEY.exec(key);
  if (gerrit?.[1] !== undefined) return gerrit[1];
  const at = key.lastIndexOf('@');
  return at < 0 ? key : key.slice(0, at);
}

/**
 * Whether the version of `key` comes before that of `than`, a key of the same group: Gerrit patch sets are
 * ordered (and a recheck of a patch set comes after its plain review); GitHub head SHAs are not, so any other
 * version supersedes. A job whose key comes before waiting or running work of its group is not queued.
 */
export function keyIsOlder(key: string, than: string): boolean {
  const a = GERRIT_KEY.exec(key);
  const b = GERRIT_KEY.exec(than);
  if (a === null || b === null || a[1] !== b[1]) return false;
  const [pa, pb] = [Number(a[2]), Number(b[2])];
  return pa < pb || (pa === pb && a[3] === undefined && b[3] !== undefined);
}

/** `gerrit:<project>~<change>,<patch set>[+recheck]`: group, patch set, recheck. */
const GERRIT_KEY = /^(gerrit:.+~\d+),(\d+)(\+recheck)?$/;

/** A Gerrit review job: which patch set of which change, and why. */
export interface GerritJob {
  project: string;
  change: number;
  patchSet: number;
  /** A `recheck` comment: review again even if this patch set was reviewed (without repeating inline comments). */
  recheck: boolean;
  /** The event said TRIVIAL_REBASE / NO_CODE_CHANGE / NO_CHANGE: the platform skips it when the previous patch set was reviewed. */
  trivial?: boolean;
  /** The event kind (`patchset-created`, `recheck`, `ready`). */
  reason: string;
  /** Where it came from. */
  source: 'stream' | 'webhook' | 'catch-up' | 'poll';
  /** Clock time (ms) the event reached the service, for latency. */
  receivedAt: number;
}

/** `gerrit:<project>~<change>,<patch set>`, with `+recheck` for a recheck so it runs even when the patch set was reviewed. */
export function gerritJobKey(job: Pick<GerritJob, 'project' | 'change' | 'patchSet' | 'recheck'>): string {
  return `gerrit:${job.project}~${job.change},${job.patchSet}${job.recheck ? '+recheck' : ''}`;
}
