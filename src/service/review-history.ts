/**
 * The review history behind the recent-reviews pages (`GET /`, `/reviews/<id>`): one record per finished job of
 * either platform — posted, skipped, dry run, failed (an attempt that threw, with its error) or dead-lettered (its
 * last attempt failed) — with what was posted and what the review found.
 *
 * Backends: in memory (startServer's default, tests), SQLite in DATA_DIR (`history.sqlite`, `npm start` without
 * REDIS_URL) and Redis (with REDIS_URL, so every instance shows the same history). All keep the last `limit`
 * records (default 1000) and forget older ones. A history that fails never fails a review: the caller logs it.
 */
import type { Severity } from '../model/finding.js';

export type ReviewPlatform = 'github' | 'gerrit';

/**
 * `done`: reviewed, and what was needed posted (possibly nothing new); `skipped`: not reviewed (draft, no relevant files,
 * already reviewed, superseded); `dry-run`: reviewed, nothing posted (DRY_RUN or no credentials); `failed`: the
 * attempt threw and the queue will retry it; `dead`: the attempt threw and the job was dead-lettered.
 */
export type ReviewStatus = 'done' | 'skipped' | 'dry-run' | 'failed' | 'dead';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['done', 'skipped', 'dry-run', 'failed', 'dead'];

/** A finding as the history keeps it: read back from what was posted (see review-history-github/-gerrit.ts). */
export interface RecordedFinding {
  severity: Severity;
  ruleId: string;
  path: string;
  line: number;
  message: string;
}

/** The effective concurrency table as posted: the header and one row of cells per service. */
export interface RecordedTable {
  header: string[];
  rows: string[][];
}

/** One API write, exactly as sent (or, in a dry run, as it would have been). */
export interface PostedRequest {
  /** `POST /repos/{owner}/{repo}/check-runs`, `POST /a/changes/<id>/revisions/<sha>/review`, ... */
  request: string;
  body: unknown;
  /** True when nothing was sent (dry run): this is what would have been. */
  wouldPost?: boolean;
}

/** The fields the recent-reviews table shows. */
export interface ReviewSummary {
  id: string;
  platform: ReviewPlatform;
  /** The queue key (`github:owner/repo#7@sha`, `gerrit:project~123,2`). */
  key: string;
  /** `owner/repo` or the Gerrit project. */
  project: string;
  /** Pull request or change number. */
  change: number;
  patchSet?: number;
  /** Head SHA (GitHub) or revision (Gerrit). */
  sha?: string;
  /** Pull request title or commit subject: text from the change, escaped wherever it is shown. */
  subject?: string;
  /** The change on GitHub or Gerrit. */
  url?: string;
  /** The event that asked for the review (`pull_request.opened`, `patchset-created`, `recheck`). */
  reason?: string;
  status: ReviewStatus;
  /** Why it was skipped. */
  skipped?: string;
  /** The error of a failed or dead-lettered job. */
  error?: string;
  severities: Record<Severity, number>;
  /** Clock time (ms) the review finished. */
  finishedAt: number;
  durationMs: number;
}

export interface ReviewRecord extends ReviewSummary {
  findings: RecordedFinding[];
  concurrency?: RecordedTable;
  posted: PostedRequest[];
  apiCalls?: number;
  /** Inline comments, resolved threads, degraded posting, ... as the outcome reported them. */
  details: Record<string, string | number | boolean>;
  /** What the record could not know (e.g. findings not posted anywhere). */
  notes: string[];
}

export type NewReviewRecord = Omit<ReviewRecord, 'id'>;

export interface ReviewHistory {
  /** Stores a finished job and returns it with its id; the oldest records beyond the limit are forgotten. */
  add(record: NewReviewRecord): Promise<ReviewRecord>;
  /** The queue dead-lettered `key`: its latest failed record becomes `dead` (with this error). */
  markDead(key: string, error: string): Promise<void>;
  /** Most recent first. */
  recent(limit?: number): Promise<ReviewSummary[]>;
  get(id: string): Promise<ReviewRecord | undefined>;
  close(): Promise<void>;
}

export const DEFAULT_HISTORY_LIMIT = 1000;

/** The summary fields of a record (what `recent` returns). */
export function summaryOf(record: ReviewRecord): ReviewSummary {
  const { findings: _f, concurrency: _c, posted: _p, apiCalls: _a, details: _d, notes: _n, ...summary } = record;
  return summary;
}

/** Ids are decimal sequence numbers; anything else names no record (and is never passed to a store). */
export function isReviewId(id: string): boolean {
  return /^[1-9]\d{0,15}$/.test(id);
}
