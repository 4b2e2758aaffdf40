/**
 * The pull-request review: inline comments on the findings that sit on the diff, at most 30 per review with the
 * rest listed in its body, posted once (event COMMENT) and only when something is new; earlier comments whose
 * finding is gone are edited to say so, never deleted.
 *
 * Idempotence comes from the hidden marker (markers.ts) at the end of every comment and of every item listed in
 * a review body: the pull request's review threads and review bodies, read in the snapshot query
 * (pull-request-query.ts), say what was said already, and it is not said again.
 */
import { applyFilter } from '../../diff/apply-filter.js';
import type { FilterMode, MarkedFinding } from '../../model/finding.js';
import { SEVERITY_RANK } from '../../model/finding.js';
import { errorFacts, type GitHubApi } from './api.js';
import { fitLines } from './check-run-output.js';
import { blobPermalink, findingListItem, inlineCommentBody, lastLineOf } from './comment-body.js';
import { formatMarker, markerKey, parseMarkers, stripMarkers, type Marker } from './markers.js';
import { allCommentable, hunksOfPatch, rightSideLines } from './patch-lines.js';
import type { ThreadComment } from './pull-request-query.js';
import type { GitHubLog, PullRequestRef } from './types.js';

/** reviewdog's cap, after GitHub's abuse detection answered 403 to bigger reviews. */
export const MAX_INLINE_COMMENTS = 30;
const MAX_BODY_CHARS = 60_000;
const FORBIDDEN = 'fork: review not allowed (403), check run only';

export interface ReviewComment {
  path: string;
  side: 'RIGHT';
  line: number;
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

/** A finding on the diff, ready to be posted. */
export interface Candidate {
  finding: MarkedFinding;
  marker: Marker;
  key: string;
  comment: ReviewComment;
}

export interface PlanInput {
  botName: string;
  docsUrl?: string;
  /** Every finding of the review, with the fingerprint of each (same order). */
  findings: readonly MarkedFinding[];
  fingerprints: readonly string[];
  filter: FilterMode;
  /** GitHub's `patch` per path. */
  patches: ReadonlyMap<string, string>;
}

export interface Plan {
  /** Findings that pass the filter and lie wholly on the diff's lines. */
  onDiff: Candidate[];
  /** Findings that pass the filter but not the diff: for the check run only. */
  offDiff: MarkedFinding[];
  /** Marker keys of every finding reported now. */
  current: Set<string>;
}

export function markerOf(f: MarkedFinding, fp: string): Marker {
  return { rule: f.ruleId, path: f.path, fp };
}

/** Which findings get an inline comment, and its body. Pure. */
export function planReview(input: PlanInput): Plan {
  const fpOf = new Map<MarkedFinding, string>(input.findings.map((f, i) => [f, input.fingerprints[i] ?? '']));
  const current = new Set(input.findings.map((f) => markerKey(markerOf(f, fpOf.get(f)!))));
  const commentable = new Map<string, Set<number> | undefined>();
  const linesOf = (path: string) => {
    if (!commentable.has(path)) {
      const hunks = hunksOfPatch(input.patches.get(path), path);
      commentable.set(path, hunks === undefined ? undefined : rightSideLines(hunks));
    }
    return commentable.get(path);
  };
  const onDiff: Candidate[] = [];
  const offDiff: MarkedFinding[] = [];
  for (const finding of applyFilter(input.findings, input.filter)) {
    const last = lastLineOf(finding);
    const lines = linesOf(finding.path);
    if (lines === undefined || !allCommentable(lines, finding.line, last)) {
      offDiff.push(finding);
      continue;
    }
    const marker = markerOf(finding, fpOf.get(finding)!);
    const comment: ReviewComment = {
      path: finding.path,
      side: 'RIGHT',
      line: last,
      ...(last > finding.line ? { start_line: finding.line, start_side: 'RIGHT' as const } : {}),
      body: inlineCommentBody({ finding, botName: input.botName, ...(input.docsUrl !== undefined ? { docsUrl: input.docsUrl } : {}), marker, line: finding.line, endLine: last }),
    };
    onDiff.push({ finding, marker, key: markerKey(marker), comment });
  }
  return { onDiff, offDiff, current };
}

/** Errors first, then warnings, then info; the report's order within a severity. */
export function byPriority(candidates: readonly Candidate[]): Candidate[] {
  return candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => SEVERITY_RANK[b.c.finding.severity] - SEVERITY_RANK[a.c.finding.severity] || a.i - b.i)
    .map(({ c }) => c);
}

export interface ExistingComment {
  id: number;
  body: string;
  path: string;
  marker: Marker;
}

/** The bot's top-level review comments among the threads' first comments (replies never carry our marker). */
export function botComments(botName: string, comments: readonly ThreadComment[]): ExistingComment[] {
  const out: ExistingComment[] = [];
  for (const c of comments) {
    const [marker] = parseMarkers(botName, c.body);
    if (marker !== undefined) out.push({ id: c.id, body: c.body, path: c.path || marker.path, marker });
  }
  return out;
}

/** Marker keys listed in the bodies of earlier reviews (findings that did not fit inline). */
export function reviewBodyKeys(botName: string, bodies: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const body of bodies) for (const m of parseMarkers(botName, body)) if (m.state !== 'resolved') keys.add(markerKey(m));
  return keys;
}

/** The edited body of a comment whose finding a later push fixed; keeps the marker, now resolved. */
export function resolvedBody(botName: string, body: string, marker: Marker, headSha: string): string {
  // The old text, with its suggestion turned into a plain code block so it can no longer be applied.
  const old = stripMarkers(botName, body).replace(/^(`{3,})suggestion\s*$/gm, '$1');
  return [
    `✅ **Resolved** in ${headSha.slice(0, 12)}: ${botName} no longer reports this.`,
    '',
    '<details><summary>Original comment</summary>',
    '',
    old,
    '',
    '</details>',
    '',
    formatMarker(botName, { ...marker, state: 'resolved' }),
  ].join('\n');
}

export interface ReviewBodyInput {
  botName: string;
  docsUrl?: string;
  inline: readonly Candidate[];
  bodyOnly: readonly Candidate[];
  checkRunUrl?: string;
  permalink: (f: MarkedFinding) => string;
  maxInline?: number;
}

function counts(candidates: readonly Candidate[]): string {
  const n = (s: string) => candidates.filter((c) => c.finding.severity === s).length;
  return [['error', 'errors'], ['warning', 'warnings'], ['info', 'info']]
    .filter(([s]) => n(s!) > 0)
    .map(([s, many]) => `${n(s!)} ${n(s!) === 1 ? s : many}`)
    .join(', ');
}

/** The review body: what is new, a link to the check run, and the findings that did not fit inline. */
export function reviewBody(input: ReviewBodyInput): string {
  const all = [...input.inline, ...input.bodyOnly];
  const checkRun = input.checkRunUrl !== undefined ? `[check run](${input.checkRunUrl})` : 'check run';
  const lines = [
    `**${input.botName}** found ${all.length} new ${all.length === 1 ? 'finding' : 'findings'} on the changed lines (${counts(all)}). ` +
      `The ${checkRun} lists every finding in the changed files and the effective concurrency.`,
  ];
  if (input.bodyOnly.length > 0) {
    const reason = input.inline.length === 0 ? 'GitHub did not accept them as inline comments' : `at most ${input.maxInline ?? MAX_INLINE_COMMENTS} inline comments per review`;
    lines.push(
      '',
      `<details><summary>${input.bodyOnly.length} more not posted inline (${reason})</summary>`,
      '',
      ...fitLines(
        input.bodyOnly.map((c) => `${findingListItem(c.finding, input.permalink(c.finding), input.docsUrl, true)} ${formatMarker(input.botName, c.marker)}`),
        MAX_BODY_CHARS,
        (n) => `- … and ${n} more: see the ${checkRun}`,
      ),
      '',
      '</details>',
    );
  }
  return lines.join('\n');
}

export interface PublishReviewInput {
  pr: PullRequestRef;
  botName: string;
  docsUrl?: string;
  headSha: string;
  htmlBase: string;
  plan: Plan;
  checkRunUrl?: string;
  /** Whether an earlier comment on `path` may be resolved: the path was reviewed now, or left the change. */
  mayResolve: (path: string) => boolean;
  /** The first comment of every review thread, and the body of every review, as the snapshot read them. */
  threads: readonly ThreadComment[];
  reviewBodies: readonly string[];
  dryRun: boolean;
  log: GitHubLog;
}

export interface PublishReviewResult {
  inlineComments: number;
  bodyOnly: number;
  resolved: number;
  degraded?: string;
  /** The review request body (posted, or in a dry run, withheld). */
  review?: Record<string, unknown>;
  edits: { comment_id: number; body: string }[];
}

export async function publishReview(api: GitHubApi, input: PublishReviewInput): Promise<PublishReviewResult> {
  const { pr, botName, plan } = input;
  const result: PublishReviewResult = { inlineComments: 0, bodyOnly: 0, resolved: 0, edits: [] };
  const existing = botComments(botName, input.threads);
  const said = new Set(existing.filter((c) => c.marker.state !== 'resolved').map((c) => markerKey(c.marker)));
  let fresh = plan.onDiff.filter((c) => !said.has(c.key));
  // Duplicates within this run (the same finding twice) are posted once.
  fresh = fresh.filter((c, i) => fresh.findIndex((d) => d.key === c.key) === i);
  if (fresh.length > 0) {
    const inBodies = reviewBodyKeys(botName, input.reviewBodies);
    fresh = fresh.filter((c) => !inBodies.has(c.key));
  }

  if (fresh.length > 0) {
    const ordered = byPriority(fresh);
    const inline = ordered.slice(0, MAX_INLINE_COMMENTS);
    const bodyOnly = ordered.slice(MAX_INLINE_COMMENTS);
    const permalink = (f: MarkedFinding) => blobPermalink(input.htmlBase, input.headSha, f.path, f.line, lastLineOf(f));
    const bodyInput = {
      botName,
      ...(input.docsUrl !== undefined ? { docsUrl: input.docsUrl } : {}),
      ...(input.checkRunUrl !== undefined ? { checkRunUrl: input.checkRunUrl } : {}),
      permalink,
    };
    const review = {
      commit_id: input.headSha,
      event: 'COMMENT',
      body: reviewBody({ ...bodyInput, inline, bodyOnly }),
      comments: inline.map((c) => c.comment),
    };
    result.review = review;
    const posted = await postReview(api, pr, review, input.dryRun);
    if (posted === 'ok') {
      result.inlineComments = inline.length;
      result.bodyOnly = bodyOnly.length;
    } else if (posted === 'forbidden') {
      result.degraded = FORBIDDEN;
    } else if (posted.status === 422 && inline.length > 0) {
      // GitHub refused a comment line after all: one bad line rejects the whole review, so list them all in the body.
      input.log.warn({ error: posted.error }, 'GitHub: the review was rejected; posting its findings in the body');
      const fallback = { commit_id: input.headSha, event: 'COMMENT', body: reviewBody({ ...bodyInput, inline: [], bodyOnly: ordered }), comments: [] };
      result.review = fallback;
      const again = await postReview(api, pr, fallback, input.dryRun);
      if (again === 'ok') {
        result.bodyOnly = ordered.length;
        result.degraded = `review comments rejected (${posted.error}); findings listed in the review body`;
      } else result.degraded = again === 'forbidden' ? FORBIDDEN : `review not posted (${again.error}), check run only`;
    } else {
      result.degraded = `review not posted (${posted.error}), check run only`;
    }
    if (result.degraded !== undefined) input.log.warn({ degraded: result.degraded }, 'GitHub: review degraded');
  }

  for (const comment of existing) {
    if (comment.marker.state === 'resolved' || plan.current.has(markerKey(comment.marker)) || !input.mayResolve(comment.marker.path)) continue;
    const body = resolvedBody(botName, comment.body, comment.marker, input.headSha);
    result.edits.push({ comment_id: comment.id, body });
    if (input.dryRun) {
      result.resolved++;
      continue;
    }
    try {
      await api.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', { owner: pr.owner, repo: pr.repo, comment_id: comment.id, body });
      result.resolved++;
    } catch (error) {
      const facts = errorFacts(error);
      input.log.warn({ comment: comment.id, status: facts.status, error: facts.message }, 'GitHub: could not mark a comment resolved');
    }
  }
  return result;
}

async function postReview(
  api: GitHubApi,
  pr: PullRequestRef,
  review: Record<string, unknown>,
  dryRun: boolean,
): Promise<'ok' | 'forbidden' | { status: number | undefined; error: string }> {
  if (dryRun) return 'ok';
  try {
    await api.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: pr.owner, repo: pr.repo, pull_number: pr.number, ...review });
    return 'ok';
  } catch (error) {
    const facts = errorFacts(error);
    // A fork's read-only token: "Resource not accessible by integration".
    if (facts.status === 403 || facts.status === 404) return 'forbidden';
    return { status: facts.status, error: `${facts.status ?? 'network error'}: ${facts.message}` };
  }
}
