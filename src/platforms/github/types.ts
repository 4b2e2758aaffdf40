/**
 * The GitHub platform's public types: what the Probot app, the `heartbeat-bot github review` CLI and the action
 * hand to `reviewPullRequest`, and what they get back. Both Probot's `context.octokit` and `@octokit/rest`'s
 * `Octokit` fit `GitHubOctokit`: only `request(route, params)` is used, so every call goes through one counting,
 * retrying wrapper (api.ts).
 */
import type { Severity } from '../../model/finding.js';
import type { Knowledge } from '../../model/knowledge.js';
import type { Rule } from '../../model/rule.js';
import type { BlobCache } from './blob-cache.js';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** An Octokit response as far as heartbeat-bot reads it. */
export interface GitHubResponse {
  data: unknown;
  headers: Record<string, string | number | undefined>;
  status: number;
}

/**
 * The one Octokit method used. Declared as a method (bivariant parameters) so Octokit's overloaded, generic
 * `request` is assignable to it.
 */
export interface GitHubOctokit {
  request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse>;
}

export interface GitHubLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface RetryOptions {
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff for 5xx / network errors, doubled per attempt (default 1000 ms). */
  baseDelayMs?: number;
  /** No single wait is longer (default 60 s); a rate limit that resets later fails the request instead. */
  maxDelayMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface GitHubReviewDeps {
  octokit: GitHubOctokit;
  rules: readonly Rule[];
  knowledge: Knowledge;
  /** BOT_NAME, default 'heartbeat-bot': the check run's name and the comment markers' prefix. */
  botName: string;
  /** DOCS_URL base for rule links. */
  docsUrl?: string;
  /** Log what would be posted, post nothing (no POST/PATCH/PUT/DELETE at all). */
  dryRun?: boolean;
  log: GitHubLog;
  now?: () => Date;
  /** Backoff settings of the API wrapper. */
  retry?: RetryOptions;
  /** Concurrent blob reads (default 8). */
  concurrency?: number;
  /** Blob contents kept across reviews (default: one cache per process, 64 MB). */
  blobCache?: BlobCache;
}

export interface GitHubReviewOutcome {
  /** Why the pull request was not reviewed ('draft', 'no relevant files', 'superseded ...'). */
  skipped?: string;
  conclusion: 'success' | 'neutral' | 'failure';
  checkRunId?: number;
  /** Findings in the changed files (the check run's annotations before any cap). */
  findings: number;
  /** Those findings by severity (after the configuration's overrides). */
  severities?: Partial<Record<Severity, number>>;
  annotations: number;
  /** Inline comments posted (new ones only). */
  inlineComments: number;
  /** New findings listed in the review body instead of inline (over the 30-comment cap). */
  bodyOnly: number;
  /** Earlier comments marked resolved. */
  resolved: number;
  /** Every HTTP request this review made, retries included. */
  apiCalls: number;
  /** The same by kind: REST endpoints and GraphQL queries (`POST /graphql`). */
  apiCallsByKind?: { rest: number; graphql: number };
  /** The head's check run already said all this: it was left as it was. */
  checkRunUnchanged?: boolean;
  /** Problems of `.github/heartbeat-bot.yml`, when the review read it itself (also in the check run). */
  configProblems?: string[];
  /** Why less than usual was posted, e.g. 'fork: review not allowed (403), check run only'. */
  degraded?: string;
  /** What would have been posted (dry run only). */
  dryRun?: { checkRun: object; review?: object; edits?: object[] };
}
