/**
 * A GitHub review as the history records it. The review's Octokit is wrapped so that every write it sends (check
 * run, review, comment edits) is kept exactly as sent, and the pull request it read gives the title; the outcome
 * gives counts and status. Wrapping `request` changes nothing for the platform: the same calls, the same answers.
 */
import type { GitHubOctokit, GitHubResponse, GitHubReviewOutcome } from '../platforms/github/types.js';
import type { GitHubJob } from './job-queue.js';
import { concurrencyTableIn, findingsOfAnnotations } from './review-history-posted.js';
import type { NewReviewRecord, PostedRequest, RecordedTable } from './review-history.js';
import { outcomeFields } from './review-outcome-fields.js';

export interface GitHubCapture {
  writes: PostedRequest[];
  title?: string;
  headSha?: string;
}

/**
 * `octokit` with every successful write kept in `capture.writes` and the pull request's title and head noted (from
 * the GraphQL `repository.pullRequest` the platform reads). GraphQL queries are reads, not recorded. Proxies
 * keep everything else of the Octokit and of its `request` (e.g. `request.endpoint`, which the platform reads to
 * find the GraphQL URL on GitHub Enterprise).
 */
export function recordingOctokit(octokit: GitHubOctokit, capture: GitHubCapture): GitHubOctokit {
  const note = (route: string, params: Record<string, unknown> | undefined, response: GitHubResponse): void => {
    try {
      // The pull request query (the platform reads the pull request only there) names its title and head.
      if (route === 'POST /graphql') {
        const data = response.data as { data?: { repository?: { pullRequest?: PullLike } }; repository?: { pullRequest?: PullLike } } | null;
        notePull(capture, data?.data?.repository?.pullRequest ?? data?.repository?.pullRequest);
      } else if (!route.startsWith('GET ')) {
        const { request: _r, headers: _h, baseUrl: _b, ...body } = params ?? {};
        capture.writes.push({ request: route, body });
      }
    } catch {
      // A response of an unexpected shape is not recorded; the review goes on.
    }
  };
  const request = new Proxy(octokit.request, {
    apply(target, thisArg, args: [string, Record<string, unknown>?]) {
      return (Reflect.apply(target, thisArg, args) as Promise<GitHubResponse>).then((response) => {
        note(args[0], args[1], response);
        return response;
      });
    },
  });
  return new Proxy(octokit, {
    get(target, property, receiver) {
      return property === 'request' ? request : (Reflect.get(target, property, receiver) as unknown);
    },
  });
}

interface PullLike {
  title?: unknown;
  headRefOid?: unknown;
}

function notePull(capture: GitHubCapture, pull: PullLike | null | undefined): void {
  if (pull === null || pull === undefined) return;
  if (typeof pull.title === 'string') capture.title = pull.title;
  if (typeof pull.headRefOid === 'string') capture.headSha = pull.headRefOid;
}

/** `https://github.com/<owner>/<repo>/pull/<n>`, or on GitHub Enterprise the host of its API base URL. */
export function pullRequestUrl(job: Pick<GitHubJob, 'owner' | 'repo' | 'number'>, apiBaseUrl?: string): string {
  let web = 'https://github.com';
  if (apiBaseUrl !== undefined) {
    try {
      const u = new URL(apiBaseUrl);
      web = `${u.protocol}//${u.host}`;
    } catch {
      // keep github.com
    }
  }
  return `${web}/${encodeURIComponent(job.owner)}/${encodeURIComponent(job.repo)}/pull/${job.number}`;
}

export interface GitHubRecordInput {
  job: Pick<GitHubJob, 'owner' | 'repo' | 'number' | 'headSha'> & { reason?: string };
  key: string;
  capture: GitHubCapture;
  outcome?: GitHubReviewOutcome;
  /** The attempt's error; `permanent` when the queue dead-letters it at once. */
  error?: { message: string; permanent: boolean };
  /** Clock time (ms) the attempt finished, and how long it took. */
  finishedAt: number;
  durationMs: number;
  apiBaseUrl?: string;
}

export function githubReviewRecord(input: GitHubRecordInput): NewReviewRecord {
  const { job, outcome, capture } = input;
  const posted: PostedRequest[] = [...capture.writes];
  const dry = outcome?.dryRun;
  if (dry !== undefined) {
    posted.push({ request: 'POST /repos/{owner}/{repo}/check-runs', body: dry.checkRun, wouldPost: true });
    if (dry.review !== undefined) posted.push({ request: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', body: dry.review, wouldPost: true });
    for (const edit of dry.edits ?? []) posted.push({ request: 'PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', body: edit, wouldPost: true });
  }
  // Every check-run write carries up to 50 annotations; together they are the findings in the changed files.
  const outputs = posted
    .filter((p) => p.request.includes('/check-runs'))
    .map((p) => (p.body as { output?: { summary?: unknown; annotations?: unknown } } | null)?.output)
    .filter((o) => o !== undefined && o !== null);
  const findings = outputs.flatMap((o) => findingsOfAnnotations(o.annotations));
  let concurrency: RecordedTable | undefined;
  for (const o of outputs) concurrency = concurrencyTableIn(o.summary) ?? concurrency;
  const notes: string[] = [];
  if (outcome !== undefined && outcome.findings > findings.length) {
    notes.push(`${outcome.findings - findings.length} finding(s) are not listed: they were not in what was posted (a check run already complete for this commit, or over the annotation cap).`);
  }
  const details: Record<string, string | number | boolean> = {};
  if (outcome !== undefined) {
    details.conclusion = outcome.conclusion;
    details['inline comments'] = outcome.inlineComments;
    details.annotations = outcome.annotations;
    if (outcome.bodyOnly > 0) details['findings in the review body'] = outcome.bodyOnly;
    if (outcome.resolved > 0) details['comments resolved'] = outcome.resolved;
    if (outcome.checkRunId !== undefined) details['check run'] = outcome.checkRunId;
    if (outcome.degraded !== undefined) details.degraded = outcome.degraded;
  }
  const sha = capture.headSha ?? job.headSha;
  return {
    platform: 'github',
    key: input.key,
    project: `${job.owner}/${job.repo}`,
    change: job.number,
    ...(sha !== '' ? { sha } : {}),
    ...(capture.title !== undefined ? { subject: capture.title } : {}),
    url: pullRequestUrl(job, input.apiBaseUrl),
    ...(job.reason !== undefined ? { reason: job.reason } : {}),
    ...outcomeFields({ ...(outcome !== undefined ? { outcome } : {}), ...(input.error !== undefined ? { error: input.error } : {}), dryRun: dry !== undefined, finishedAt: input.finishedAt, durationMs: input.durationMs }),
    findings,
    ...(concurrency !== undefined ? { concurrency } : {}),
    posted,
    details,
    notes,
  };
}
