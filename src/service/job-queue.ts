/**
 * The job queue between webhook handlers and review workers (DESIGN.md "Data flow"). A handler must answer GitHub
 * within 10 s, so it only enqueues; workers do the API calls and the review.
 *
 * Keys decide identity. A key is `<group>@<version>`: for GitHub `github:<owner>/<repo>#<pr>@<head sha>`
 * (githubJobKey). A job whose key is already waiting or running is a duplicate (a redelivery, a second event for
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

/** The group of a key: everything before its last `@` (the whole key when there is none). */
export function keyGroup(key: string): string {
  const at = key.lastIndexOf('@');
  return at < 0 ? key : key.slice(0, at);
}
