/**
 * A Gerrit review as the history records it. The review's REST client gets a fetch that keeps every write it sent
 * successfully (the review POST: message, inline comments, labels) exactly as sent, and the commit subject of the
 * change it read; the outcome gives counts and status.
 */
import type { GerritReviewOutcome } from '../platforms/gerrit/types.js';
import type { GerritJob } from './job-queue.js';
import { concurrencyTableIn, findingsOfGerritReview } from './review-history-posted.js';
import type { NewReviewRecord, PostedRequest, RecordedTable } from './review-history.js';
import { outcomeFields } from './review-outcome-fields.js';

export interface GerritCapture {
  writes: PostedRequest[];
  subject?: string;
  revision?: string;
}

/** Gerrit prefixes JSON answers with `)]}'` against XSSI. */
function parseGerritJson(text: string): unknown {
  return JSON.parse(text.replace(/^\)\]\}'\s*/, ''));
}

/** `fetch` that records into `capture`: successful non-GET requests with their JSON body, and the change's subject. */
export function recordingFetch(inner: typeof fetch, capture: GerritCapture): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    try {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = (init?.method ?? 'GET').toUpperCase();
      if (!response.ok) return response;
      if (method !== 'GET') {
        const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
        capture.writes.push({ request: `${method} ${url.pathname}`, body });
      } else if (/\/changes\/[^/]+$/.test(url.pathname) && url.searchParams.getAll('o').includes('CURRENT_COMMIT')) {
        const change = parseGerritJson(await response.clone().text()) as { subject?: unknown; current_revision?: unknown };
        if (typeof change.subject === 'string') capture.subject = change.subject;
        if (typeof change.current_revision === 'string') capture.revision = change.current_revision;
      }
    } catch {
      // Not recordable (no JSON, odd URL): the review goes on with what it got.
    }
    return response;
  };
}

/** `<GERRIT_URL>/c/<project>/+/<change>/<patch set>`, as Gerrit's web UI links a patch set. */
export function gerritChangeUrl(base: string, project: string, change: number, patchSet?: number): string {
  const root = base.replace(/\/+$/, '');
  const path = project.split('/').map(encodeURIComponent).join('/');
  return `${root}/c/${path}/+/${change}${patchSet !== undefined ? `/${patchSet}` : ''}`;
}

export interface GerritRecordInput {
  job: Pick<GerritJob, 'project' | 'change' | 'patchSet' | 'recheck' | 'reason'>;
  key: string;
  capture: GerritCapture;
  outcome?: GerritReviewOutcome;
  error?: { message: string; permanent: boolean };
  /** Clock time (ms) the attempt finished, and how long it took. */
  finishedAt: number;
  durationMs: number;
  gerritUrl: string;
}

export function gerritReviewRecord(input: GerritRecordInput): NewReviewRecord {
  const { job, outcome, capture } = input;
  const posted: PostedRequest[] = [...capture.writes];
  const dry = outcome?.dryRun as { path?: unknown; review?: unknown } | undefined;
  if (dry !== undefined) posted.push({ request: `POST ${typeof dry.path === 'string' ? dry.path : '(review)'}`, body: dry.review ?? dry, wouldPost: true });
  const reviews = posted.filter((p) => p.request.endsWith('/review'));
  const findings = reviews.flatMap((p) => findingsOfGerritReview(p.body));
  let concurrency: RecordedTable | undefined;
  for (const p of reviews) concurrency = concurrencyTableIn((p.body as { message?: unknown } | null)?.message) ?? concurrency;
  const notes: string[] = [];
  if (outcome !== undefined && outcome.findings > findings.length) {
    notes.push(`${outcome.findings - findings.length} finding(s) are not listed: the review posted only new comments (earlier ones are not repeated) and lists at most 20 others.`);
  }
  const patchSet = outcome?.patchSet ?? job.patchSet;
  const details: Record<string, string | number | boolean> = {};
  if (job.recheck) details.recheck = true;
  if (outcome !== undefined) {
    details['inline comments'] = outcome.comments;
    if (outcome.resolved > 0) details['comments resolved'] = outcome.resolved;
    if (outcome.label !== undefined) details.vote = outcome.label;
    if (outcome.degraded !== undefined) details.degraded = outcome.degraded;
  }
  const sha = outcome?.revision ?? capture.revision;
  return {
    platform: 'gerrit',
    key: input.key,
    project: job.project,
    change: job.change,
    patchSet,
    ...(sha !== undefined ? { sha } : {}),
    ...(capture.subject !== undefined ? { subject: capture.subject } : {}),
    url: gerritChangeUrl(input.gerritUrl, job.project, job.change, patchSet),
    reason: job.reason,
    ...outcomeFields({ ...(outcome !== undefined ? { outcome } : {}), ...(input.error !== undefined ? { error: input.error } : {}), dryRun: dry !== undefined, finishedAt: input.finishedAt, durationMs: input.durationMs }),
    findings,
    ...(concurrency !== undefined ? { concurrency } : {}),
    posted,
    details,
    notes,
  };
}
