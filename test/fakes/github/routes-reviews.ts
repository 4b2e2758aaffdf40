/**
 * Pull-request reviews and review comments. Every inline comment of a review is resolved against the diff hunks
 * of the pull request at `commit_id` (RIGHT lines in a hunk's new range, LEFT lines in its old range, a multi-line
 * range inside one hunk); one comment that does not resolve rejects the whole review with 422 and stores nothing,
 * as GitHub does. Replies, edits and deletions of comments; issue comments.
 */
import type { Side } from './git.js';
import { diffHunkFor, hunkOf, positionToLine } from './git.js';
import type { Ctx, Reply, Route } from './http.js';
import { bodyOf, error, isRecord, json, notFound, paginate, route } from './http.js';
import { LIMITS } from './limits.js';
import { findPull } from './routes-pulls.js';
import { WEB } from './render.js';
import type { IssueCommentState, PullRequestState, ReviewCommentState, ReviewState } from './state.js';

const REVIEW_DOCS = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';
const COMMENT_DOCS = 'https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request';
const ISSUE_COMMENT_DOCS = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment';

const unprocessable = (errors: string[], docs: string): Reply => error(422, 'Unprocessable Entity', { errors }, docs);

/** 403 for writes GitHub would refuse: read-only pull requests, Actions tokens on fork PRs, missing permission. */
export function conversationWriteDenied(ctx: Ctx, pr: PullRequestState | undefined, permission: 'pull_requests' | 'issues', docs: string): Reply | undefined {
  const id = ctx.identity;
  const denied = (): Reply => error(403, 'Resource not accessible by integration', {}, docs);
  if (pr?.readOnly) return denied();
  if (id.kind === 'github-actions' && pr?.fork) return denied();
  if (id.kind === 'installation' || id.kind === 'github-actions') {
    const p = id.token.permissions;
    if (p[permission] !== 'write' && p.pull_requests !== 'write') return denied();
  }
  return undefined;
}

interface Placement {
  path: string;
  line: number | null;
  side: Side;
  start_line: number | null;
  start_side: Side | null;
  position: number | null;
  subject_type: 'line' | 'file';
  diff_hunk: string;
}

/** Resolves one inline comment against the pull request's diff at `commitId`; a string is the error. */
function place(pr: PullRequestState, commitId: string, c: Record<string, unknown>): Placement | string {
  const files = pr.versions.get(commitId) ?? [];
  const path = typeof c.path === 'string' ? c.path : '';
  const file = files.find((f) => f.filename === path);
  if (!file) return 'Path could not be resolved';
  if (c.subject_type === 'file') {
    return { path, line: null, side: 'RIGHT', start_line: null, start_side: null, position: null, subject_type: 'file', diff_hunk: file.hunks[0] ? diffHunkFor(file.hunks[0], 0, 'RIGHT') : '' };
  }
  let line: number | undefined;
  let side: Side = c.side === 'LEFT' ? 'LEFT' : 'RIGHT';
  if (c.line === undefined && c.position !== undefined) {
    const at = positionToLine(file.hunks, Number(c.position));
    if (!at) return 'Position could not be resolved';
    line = at.line;
    side = at.side;
  } else if (Number.isInteger(c.line) && (c.line as number) > 0) {
    line = c.line as number;
  } else {
    return 'Line could not be resolved';
  }
  if (c.side !== undefined && c.side !== 'LEFT' && c.side !== 'RIGHT') return 'Side is not valid';
  const hunk = hunkOf(file.hunks, line, side);
  if (!hunk) return 'Line could not be resolved';
  let start_line: number | null = null;
  let start_side: Side | null = null;
  if (c.start_line !== undefined && c.start_line !== null) {
    if (!Number.isInteger(c.start_line)) return 'Start line could not be resolved';
    start_line = c.start_line as number;
    start_side = c.start_side === 'LEFT' ? 'LEFT' : c.start_side === 'RIGHT' ? 'RIGHT' : side;
    if (start_line >= line && start_side === side) return 'pull_request_review_thread.start_line must precede the end line.';
    const startHunk = hunkOf(file.hunks, start_line, start_side);
    if (!startHunk) return 'Start line could not be resolved';
    if (startHunk !== hunk) return 'pull_request_review_thread.start_line must be part of the same hunk as the line.';
  }
  // `position` GitHub still reports: lines below the first hunk header.
  let position: number | null = null;
  {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    let index = hunk.headerIndex;
    for (const l of hunk.lines) {
      index++;
      const k = l[0];
      if ((side === 'RIGHT' && k !== '-' && k !== '\\' && newLine === line) || (side === 'LEFT' && k !== '+' && k !== '\\' && oldLine === line)) {
        position = index;
        break;
      }
      if (k === '-') oldLine++;
      else if (k === '+') newLine++;
      else if (k === ' ') {
        oldLine++;
        newLine++;
      }
    }
  }
  return { path, line, side, start_line, start_side, position, subject_type: 'line', diff_hunk: diffHunkFor(hunk, line, side) };
}

export function reviewJson(ctx: Ctx, r: ReviewState): Record<string, unknown> {
  const full = `${r.owner}/${r.repo}`;
  return {
    id: r.id,
    node_id: `PRR_${r.id}`,
    user: r.user,
    body: r.body,
    state: r.state,
    html_url: `${WEB}/${full}/pull/${r.number}#pullrequestreview-${r.id}`,
    pull_request_url: `${ctx.core.url}/repos/${full}/pulls/${r.number}`,
    author_association: r.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    submitted_at: r.submitted_at,
    commit_id: r.commit_id,
    _links: { html: { href: `${WEB}/${full}/pull/${r.number}#pullrequestreview-${r.id}` } },
  };
}

export function reviewCommentJson(ctx: Ctx, c: ReviewCommentState): Record<string, unknown> {
  const full = `${c.owner}/${c.repo}`;
  return {
    url: `${ctx.core.url}/repos/${full}/pulls/comments/${c.id}`,
    id: c.id,
    node_id: `PRRC_${c.id}`,
    pull_request_review_id: c.pull_request_review_id,
    diff_hunk: c.diff_hunk,
    path: c.path,
    position: c.position,
    original_position: c.original_position,
    commit_id: c.commit_id,
    original_commit_id: c.original_commit_id,
    user: c.user,
    body: c.body,
    created_at: c.created_at,
    updated_at: c.updated_at,
    html_url: `${WEB}/${full}/pull/${c.number}#discussion_r${c.id}`,
    pull_request_url: `${ctx.core.url}/repos/${full}/pulls/${c.number}`,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    start_line: c.start_line,
    original_start_line: c.original_start_line,
    start_side: c.start_side,
    line: c.line,
    original_line: c.original_line,
    side: c.side,
    subject_type: c.subject_type,
    ...(c.in_reply_to_id !== undefined ? { in_reply_to_id: c.in_reply_to_id } : {}),
    _links: {
      self: { href: `${ctx.core.url}/repos/${full}/pulls/comments/${c.id}` },
      html: { href: `${WEB}/${full}/pull/${c.number}#discussion_r${c.id}` },
      pull_request: { href: `${ctx.core.url}/repos/${full}/pulls/${c.number}` },
    },
  };
}

function issueCommentJson(ctx: Ctx, c: IssueCommentState): Record<string, unknown> {
  const full = `${c.owner}/${c.repo}`;
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${ctx.core.url}/repos/${full}/issues/comments/${c.id}`,
    html_url: `${WEB}/${full}/pull/${c.number}#issuecomment-${c.id}`,
    issue_url: `${ctx.core.url}/repos/${full}/issues/${c.number}`,
    body: c.body,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

function tooLong(body: unknown): boolean {
  return typeof body === 'string' && body.length > LIMITS.maxCommentBodyChars;
}

function bodyTooLong(resource: string, docs: string): Reply {
  return error(422, 'Validation Failed', { errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${LIMITS.maxCommentBodyChars} characters)` }] }, docs);
}

/** Stores a reply to `target` (replies to a reply join the thread's first comment), in its own review. */
export function storeReply(ctx: Ctx, target: ReviewCommentState, body: string, user = ctx.core.userFor(ctx.identity)): ReviewCommentState {
  const state = ctx.core.state;
  const root = target.in_reply_to_id !== undefined ? (state.reviewComments.find((c) => c.id === target.in_reply_to_id) ?? target) : target;
  const now = state.now();
  const review: ReviewState = { id: state.nextId(), owner: root.owner, repo: root.repo, number: root.number, user, body: '', state: 'COMMENTED', event: 'COMMENT', commit_id: root.commit_id, submitted_at: now };
  state.reviews.push(review);
  const reply: ReviewCommentState = { ...root, id: state.nextId(), pull_request_review_id: review.id, body, user, in_reply_to_id: root.id, created_at: now, updated_at: now };
  state.reviewComments.push(reply);
  return reply;
}

function commentsOf(ctx: Ctx, pr: PullRequestState): ReviewCommentState[] {
  const pending = new Set(ctx.core.state.reviews.filter((r) => r.state === 'PENDING').map((r) => r.id));
  return ctx.core.state.reviewComments.filter(
    (c) => c.owner === pr.owner && c.repo === pr.repo && c.number === pr.number && !(c.pull_request_review_id !== null && pending.has(c.pull_request_review_id)),
  );
}

function findComment(ctx: Ctx): ReviewCommentState | undefined {
  const { owner = '', repo = '' } = ctx.params;
  return ctx.core.state.reviewComments.find(
    (c) => c.id === Number(ctx.params.id) && c.owner.toLowerCase() === owner.toLowerCase() && c.repo.toLowerCase() === repo.toLowerCase(),
  );
}

export const reviewRoutes: Route[] = [
  route(
    'POST',
    '/repos/:owner/:repo/pulls/:number/reviews',
    'repo',
    (ctx) => {
      const found = findPull(ctx);
      if (!found) return notFound();
      const { pr } = found;
      const denied = conversationWriteDenied(ctx, pr, 'pull_requests', REVIEW_DOCS);
      if (denied) return denied;
      const body = bodyOf(ctx);
      const commitId = typeof body.commit_id === 'string' ? body.commit_id : pr.head.sha;
      if (!pr.versions.has(commitId)) return unprocessable(['Commit could not be resolved'], REVIEW_DOCS);
      const event = body.event === undefined || body.event === '' ? 'PENDING' : String(body.event);
      if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT', 'PENDING'].includes(event)) return unprocessable([`Event ${event} is not valid`], REVIEW_DOCS);
      const text = typeof body.body === 'string' ? body.body : '';
      const comments = Array.isArray(body.comments) ? body.comments : [];
      if (event === 'REQUEST_CHANGES' && text === '') return unprocessable(['Body can\'t be blank'], REVIEW_DOCS);
      if (event === 'COMMENT' && text === '' && comments.length === 0) return unprocessable(['Body can\'t be blank'], REVIEW_DOCS);
      if (tooLong(text)) return bodyTooLong('PullRequestReview', REVIEW_DOCS);
      const me = ctx.core.userFor(ctx.identity);
      if (event === 'PENDING' && ctx.core.state.reviews.some((r) => r.state === 'PENDING' && r.number === pr.number && r.repo === pr.repo && r.owner === pr.owner && r.user.login === me.login)) {
        return unprocessable(['User can only have one pending review per pull request'], REVIEW_DOCS);
      }
      // Resolve every comment first: one failure rejects the whole review.
      const errors: string[] = [];
      const placed: Array<{ placement: Placement; body: string }> = [];
      for (const c of comments) {
        if (!isRecord(c)) {
          errors.push('Comment is not valid');
          continue;
        }
        if (typeof c.body !== 'string' || c.body === '') {
          errors.push('Body can\'t be blank');
          continue;
        }
        if (tooLong(c.body)) return bodyTooLong('PullRequestReviewComment', REVIEW_DOCS);
        const p = place(pr, commitId, c);
        if (typeof p === 'string') errors.push(p);
        else placed.push({ placement: p, body: c.body });
      }
      if (errors.length) return unprocessable([...new Set(errors)], REVIEW_DOCS);
      const state = ctx.core.state;
      const now = state.now();
      const review: ReviewState = {
        id: state.nextId(),
        owner: pr.owner,
        repo: pr.repo,
        number: pr.number,
        user: me,
        body: text,
        state: event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING',
        event,
        commit_id: commitId,
        submitted_at: event === 'PENDING' ? null : now,
      };
      state.reviews.push(review);
      for (const { placement, body: commentBody } of placed) {
        state.reviewComments.push({
          id: state.nextId(),
          owner: pr.owner,
          repo: pr.repo,
          number: pr.number,
          pull_request_review_id: review.id,
          ...placement,
          original_line: placement.line,
          original_start_line: placement.start_line,
          original_position: placement.position,
          body: commentBody,
          user: me,
          commit_id: commitId,
          original_commit_id: commitId,
          created_at: now,
          updated_at: now,
        });
      }
      return json(200, reviewJson(ctx, review));
    },
    REVIEW_DOCS,
  ),
  route('GET', '/repos/:owner/:repo/pulls/:number/reviews', 'repo', (ctx) => {
    const found = findPull(ctx);
    if (!found) return notFound();
    const { pr } = found;
    const me = ctx.core.userFor(ctx.identity).login;
    const reviews = ctx.core.state.reviews.filter((r) => r.owner === pr.owner && r.repo === pr.repo && r.number === pr.number && (r.state !== 'PENDING' || r.user.login === me));
    return paginate(ctx, reviews.map((r) => reviewJson(ctx, r)));
  }),
  route('GET', '/repos/:owner/:repo/pulls/:number/reviews/:id', 'repo', (ctx) => {
    const r = ctx.core.state.reviews.find((x) => x.id === Number(ctx.params.id) && x.number === Number(ctx.params.number));
    return r ? json(200, reviewJson(ctx, r)) : notFound();
  }),
  route('GET', '/repos/:owner/:repo/pulls/:number/reviews/:id/comments', 'repo', (ctx) => {
    const cs = ctx.core.state.reviewComments.filter((c) => c.pull_request_review_id === Number(ctx.params.id));
    return paginate(ctx, cs.map((c) => reviewCommentJson(ctx, c)));
  }),
  route('POST', '/repos/:owner/:repo/pulls/:number/reviews/:id/events', 'repo', (ctx) => {
    const found = findPull(ctx);
    const r = ctx.core.state.reviews.find((x) => x.id === Number(ctx.params.id));
    if (!found || !r) return notFound();
    const denied = conversationWriteDenied(ctx, found.pr, 'pull_requests', REVIEW_DOCS);
    if (denied) return denied;
    if (r.state !== 'PENDING') return unprocessable(['Can not submit a non-pending review'], REVIEW_DOCS);
    const event = String(bodyOf(ctx).event ?? '');
    r.state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
    if (typeof bodyOf(ctx).body === 'string') r.body = bodyOf(ctx).body as string;
    r.submitted_at = ctx.core.state.now();
    return json(200, reviewJson(ctx, r));
  }),
  route('PUT', '/repos/:owner/:repo/pulls/:number/reviews/:id', 'repo', (ctx) => {
    const found = findPull(ctx);
    const r = ctx.core.state.reviews.find((x) => x.id === Number(ctx.params.id));
    if (!found || !r) return notFound();
    const denied = conversationWriteDenied(ctx, found.pr, 'pull_requests', REVIEW_DOCS);
    if (denied) return denied;
    const text = bodyOf(ctx).body;
    if (typeof text !== 'string') return unprocessable(['Body can\'t be blank'], REVIEW_DOCS);
    r.body = text;
    return json(200, reviewJson(ctx, r));
  }),
  route('DELETE', '/repos/:owner/:repo/pulls/:number/reviews/:id', 'repo', (ctx) => {
    const state = ctx.core.state;
    const i = state.reviews.findIndex((x) => x.id === Number(ctx.params.id));
    const r = state.reviews[i];
    if (!r) return notFound();
    if (r.state !== 'PENDING') return unprocessable(['Can not delete a non-pending review'], REVIEW_DOCS);
    state.reviews.splice(i, 1);
    for (let j = state.reviewComments.length - 1; j >= 0; j--) if (state.reviewComments[j]?.pull_request_review_id === r.id) state.reviewComments.splice(j, 1);
    return json(200, reviewJson(ctx, r));
  }),
  route('GET', '/repos/:owner/:repo/pulls/:number/comments', 'repo', (ctx) => {
    const found = findPull(ctx);
    if (!found) return notFound();
    let cs = commentsOf(ctx, found.pr);
    if (ctx.query.since) cs = cs.filter((c) => c.updated_at >= String(ctx.query.since));
    if (ctx.query.direction === 'desc') cs = [...cs].reverse();
    return paginate(ctx, cs.map((c) => reviewCommentJson(ctx, c)));
  }),
  route('GET', '/repos/:owner/:repo/pulls/comments', 'repo', (ctx) => {
    const { owner = '', repo = '' } = ctx.params;
    const cs = ctx.core.state.reviewComments.filter((c) => c.owner.toLowerCase() === owner.toLowerCase() && c.repo.toLowerCase() === repo.toLowerCase());
    return paginate(ctx, cs.map((c) => reviewCommentJson(ctx, c)));
  }),
  route(
    'POST',
    '/repos/:owner/:repo/pulls/:number/comments',
    'repo',
    (ctx) => {
      const found = findPull(ctx);
      if (!found) return notFound();
      const { pr } = found;
      const denied = conversationWriteDenied(ctx, pr, 'pull_requests', COMMENT_DOCS);
      if (denied) return denied;
      const body = bodyOf(ctx);
      if (typeof body.body !== 'string' || body.body === '') {
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' }] }, COMMENT_DOCS);
      }
      if (tooLong(body.body)) return bodyTooLong('PullRequestReviewComment', COMMENT_DOCS);
      if (body.in_reply_to !== undefined) {
        const target = ctx.core.state.reviewComments.find((c) => c.id === Number(body.in_reply_to) && c.number === pr.number);
        if (!target) return notFound();
        return json(201, reviewCommentJson(ctx, storeReply(ctx, target, body.body)));
      }
      const commitId = typeof body.commit_id === 'string' ? body.commit_id : '';
      if (!pr.versions.has(commitId)) {
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'invalid', field: 'commit_id' }] }, COMMENT_DOCS);
      }
      const p = place(pr, commitId, body);
      if (typeof p === 'string') {
        const field = p.startsWith('Path') ? 'pull_request_review_thread.diff_hunk' : p.includes('start_line') || p.startsWith('Start') ? 'pull_request_review_thread.start_line' : 'pull_request_review_thread.line';
        const message =
          field === 'pull_request_review_thread.diff_hunk'
            ? "pull_request_review_thread.diff_hunk can't be blank"
            : field === 'pull_request_review_thread.line'
              ? 'pull_request_review_thread.line must be part of the diff'
              : p.startsWith('pull_request') ? p : 'pull_request_review_thread.start_line must be part of the diff';
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'custom', field, message }] }, COMMENT_DOCS);
      }
      const state = ctx.core.state;
      const me = ctx.core.userFor(ctx.identity);
      const now = state.now();
      const review: ReviewState = { id: state.nextId(), owner: pr.owner, repo: pr.repo, number: pr.number, user: me, body: '', state: 'COMMENTED', event: 'COMMENT', commit_id: commitId, submitted_at: now };
      state.reviews.push(review);
      const comment: ReviewCommentState = {
        id: state.nextId(),
        owner: pr.owner,
        repo: pr.repo,
        number: pr.number,
        pull_request_review_id: review.id,
        ...p,
        original_line: p.line,
        original_start_line: p.start_line,
        original_position: p.position,
        body: body.body,
        user: me,
        commit_id: commitId,
        original_commit_id: commitId,
        created_at: now,
        updated_at: now,
      };
      state.reviewComments.push(comment);
      return json(201, reviewCommentJson(ctx, comment));
    },
    COMMENT_DOCS,
  ),
  route('POST', '/repos/:owner/:repo/pulls/:number/comments/:id/replies', 'repo', (ctx) => {
    const found = findPull(ctx);
    const target = findComment(ctx);
    if (!found || !target || target.number !== found.pr.number) return notFound();
    const denied = conversationWriteDenied(ctx, found.pr, 'pull_requests', COMMENT_DOCS);
    if (denied) return denied;
    const text = bodyOf(ctx).body;
    if (typeof text !== 'string' || text === '') {
      return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' }] });
    }
    if (tooLong(text)) return bodyTooLong('PullRequestReviewComment', COMMENT_DOCS);
    return json(201, reviewCommentJson(ctx, storeReply(ctx, target, text)));
  }),
  route('GET', '/repos/:owner/:repo/pulls/comments/:id', 'repo', (ctx) => {
    const c = findComment(ctx);
    return c ? json(200, reviewCommentJson(ctx, c)) : notFound();
  }),
  route('PATCH', '/repos/:owner/:repo/pulls/comments/:id', 'repo', (ctx) => {
    const c = findComment(ctx);
    if (!c) return notFound();
    const denied = conversationWriteDenied(ctx, ctx.core.state.pull(c.owner, c.repo, c.number), 'pull_requests', COMMENT_DOCS);
    if (denied) return denied;
    const text = bodyOf(ctx).body;
    if (typeof text !== 'string' || text === '') {
      return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' }] });
    }
    if (tooLong(text)) return bodyTooLong('PullRequestReviewComment', COMMENT_DOCS);
    c.body = text;
    c.updated_at = ctx.core.state.now();
    return json(200, reviewCommentJson(ctx, c));
  }),
  route('DELETE', '/repos/:owner/:repo/pulls/comments/:id', 'repo', (ctx) => {
    const c = findComment(ctx);
    if (!c) return notFound();
    const denied = conversationWriteDenied(ctx, ctx.core.state.pull(c.owner, c.repo, c.number), 'pull_requests', COMMENT_DOCS);
    if (denied) return denied;
    const list = ctx.core.state.reviewComments;
    list.splice(list.indexOf(c), 1);
    return { status: 204 };
  }),
  // Issue comments (the pull request's conversation tab).
  route('GET', '/repos/:owner/:repo/issues/:number/comments', 'repo', (ctx) => {
    const { owner = '', repo = '' } = ctx.params;
    const cs = ctx.core.state.issueComments.filter((c) => c.owner.toLowerCase() === owner.toLowerCase() && c.repo.toLowerCase() === repo.toLowerCase() && c.number === Number(ctx.params.number));
    return paginate(ctx, cs.map((c) => issueCommentJson(ctx, c)));
  }),
  route(
    'POST',
    '/repos/:owner/:repo/issues/:number/comments',
    'repo',
    (ctx) => {
      const { owner = '', repo = '' } = ctx.params;
      const pr = ctx.core.state.pull(owner, repo, Number(ctx.params.number));
      if (!pr) return notFound();
      const denied = conversationWriteDenied(ctx, pr, 'issues', ISSUE_COMMENT_DOCS);
      if (denied) return denied;
      const text = bodyOf(ctx).body;
      if (typeof text !== 'string' || text === '') {
        return error(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] }, ISSUE_COMMENT_DOCS);
      }
      if (tooLong(text)) return bodyTooLong('IssueComment', ISSUE_COMMENT_DOCS);
      const state = ctx.core.state;
      const now = state.now();
      const c: IssueCommentState = { id: state.nextId(), owner: pr.owner, repo: pr.repo, number: pr.number, body: text, user: ctx.core.userFor(ctx.identity), created_at: now, updated_at: now };
      state.issueComments.push(c);
      return json(201, issueCommentJson(ctx, c));
    },
    ISSUE_COMMENT_DOCS,
  ),
  route('PATCH', '/repos/:owner/:repo/issues/comments/:id', 'repo', (ctx) => {
    const c = ctx.core.state.issueComments.find((x) => x.id === Number(ctx.params.id));
    if (!c) return notFound();
    const denied = conversationWriteDenied(ctx, ctx.core.state.pull(c.owner, c.repo, c.number), 'issues', ISSUE_COMMENT_DOCS);
    if (denied) return denied;
    const text = bodyOf(ctx).body;
    if (typeof text !== 'string' || text === '') return error(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
    if (tooLong(text)) return bodyTooLong('IssueComment', ISSUE_COMMENT_DOCS);
    c.body = text;
    c.updated_at = ctx.core.state.now();
    return json(200, issueCommentJson(ctx, c));
  }),
  route('DELETE', '/repos/:owner/:repo/issues/comments/:id', 'repo', (ctx) => {
    const list = ctx.core.state.issueComments;
    const c = list.find((x) => x.id === Number(ctx.params.id));
    if (!c) return notFound();
    const denied = conversationWriteDenied(ctx, ctx.core.state.pull(c.owner, c.repo, c.number), 'issues', ISSUE_COMMENT_DOCS);
    if (denied) return denied;
    list.splice(list.indexOf(c), 1);
    return { status: 204 };
  }),
];
