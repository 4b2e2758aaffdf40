/**
 * The REST endpoints of the fake, by Gerrit's paths (after the optional `/a` prefix). `{change-id}`, `{revision-id}`
 * and `{file-id}` are single URL-encoded path segments, as Gerrit requires.
 */
import type { Account } from './accounts.js';
import { accountInfo } from './accounts.js';
import type { Clock } from './clock.js';
import { gerritTimestamp } from './clock.js';
import { diffChunks, filePatch, linesOf, toBuffer } from './content.js';
import type { Ctx, Reply, Route } from './http.js';
import { badRequest, json, notFound, route } from './http.js';
import { parseQuery, QueryError } from './query.js';
import type { RenderContext } from './render.js';
import { changeInfo, commentInfo, filesOf, messageInfo } from './render.js';
import type { ReviewSettings } from './review.js';
import { applyReview } from './review.js';
import type { Change, ChangeStore, PatchSet, StoredComment } from './state.js';
import { commitMsgOf, contentAt } from './state.js';

export interface PostedReview {
  /** `<project>~<number>` (not encoded). */
  change: string;
  project: string;
  number: number;
  /** The revision sha the review was posted on, and its patch-set number. */
  revision: string;
  patchSet: number;
  /** The ReviewInput as posted. */
  input: Record<string, unknown>;
  /** HTTP status the fake answered (200, or 400 when rejected). */
  status: number;
  /** Comments published (after omit_duplicate_comments). */
  published: StoredComment[];
  user: string;
  at: number;
}

export interface Core {
  store: ChangeStore;
  clock: Clock;
  version: string;
  render: () => RenderContext;
  review: () => ReviewSettings;
  account: (username: string) => Account;
  reviews: PostedReview[];
}

const DEFAULT_QUERY_LIMIT = 500;

function withChange(core: Core, params: Record<string, string>, fn: (change: Change) => Reply | Promise<Reply>): Reply | Promise<Reply> {
  const change = core.store.find(params.id ?? '');
  return change ? fn(change) : notFound(params.id ?? '');
}

function withRevision(core: Core, params: Record<string, string>, fn: (change: Change, ps: PatchSet) => Reply | Promise<Reply>): Reply | Promise<Reply> {
  return withChange(core, params, (change) => {
    const ps = core.store.revision(change, params.rev ?? '');
    return ps ? fn(change, ps) : notFound(params.rev ?? '');
  });
}

/** Gerrit's `files/{file-id}/content`: base64 text/plain with the real type in `X-FYI-Content-Type`. */
function content(ctx: Ctx, change: Change, ps: PatchSet, path: string): Reply {
  const parent = ctx.query.get('parent');
  let data: Buffer | undefined;
  if (path === '/COMMIT_MSG') {
    data = parent ? undefined : toBuffer(commitMsgOf(change, ps, gerritTimestamp));
  } else if (parent) {
    const file = ps.files.find((f) => f.path === path);
    data = file ? file.oldContent : undefined;
    if (!file) {
      const renamed = ps.files.find((f) => f.oldPath === path);
      data = renamed?.oldContent ?? ps.unchanged.get(path);
    }
  } else {
    data = contentAt(ps, path);
  }
  if (data === undefined) return notFound(path);
  const binary = ps.files.find((f) => f.path === path)?.binary ?? data.subarray(0, 8000).includes(0);
  // Only `Accept: application/json` turns the base64 text into a JSON string (with the XSSI line).
  if (/^application\/json\s*$/i.test(String(ctx.headers.accept ?? ''))) return json(data.toString('base64'));
  return {
    status: 200,
    text: data.toString('base64'),
    contentType: 'text/plain;charset=ISO-8859-1',
    headers: { 'x-fyi-content-type': binary ? 'application/octet-stream' : 'text/plain', 'x-fyi-content-encoding': 'base64' },
  };
}

function diff(ctx: Ctx, change: Change, ps: PatchSet, path: string): Reply {
  const file = ps.files.find((f) => f.path === path);
  let oldText: string | undefined;
  let newText: string | undefined;
  let changeType = 'MODIFIED';
  if (path === '/COMMIT_MSG') {
    newText = commitMsgOf(change, ps, gerritTimestamp);
    changeType = 'ADDED';
  } else if (file) {
    oldText = file.oldContent?.toString('utf8');
    newText = file.newContent?.toString('utf8');
    changeType = { A: 'ADDED', D: 'DELETED', R: 'RENAMED', C: 'COPIED', W: 'REWRITE', M: 'MODIFIED' }[file.status];
  } else {
    return notFound(path);
  }
  const meta = (name: string, t: string | undefined): Record<string, unknown> | undefined =>
    t === undefined ? undefined : { name, content_type: file?.binary ? 'application/octet-stream' : 'text/plain', lines: linesOf(t).length, web_links: [] };
  const a = meta(file?.oldPath ?? path, oldText);
  const b = meta(path, newText);
  const header = filePatch(path, file?.oldPath, oldText, newText).split('\n');
  const out: Record<string, unknown> = {
    ...(a ? { meta_a: a } : {}),
    ...(b ? { meta_b: b } : {}),
    change_type: changeType,
    diff_header: header.slice(0, header.findIndex((l) => l.startsWith('@@')) >>> 0),
    content: file?.binary ? [] : diffChunks(oldText ?? '', newText ?? ''),
  };
  if (file?.binary) out.binary = true;
  void ctx;
  return json(out);
}

function patch(ctx: Ctx, ps: PatchSet): Reply {
  const body = ps.files
    .map((f) => (f.binary ? `diff --git a/${f.oldPath ?? f.path} b/${f.path}\nBinary files differ\n` : filePatch(f.path, f.oldPath, f.oldContent?.toString('utf8'), f.newContent?.toString('utf8'))))
    .join('');
  const subject = ps.commitMessage.split('\n')[0] ?? '';
  const full = `From ${ps.revision} Mon Sep 17 00:00:00 2001\nFrom: ${ps.uploader.name} <${ps.uploader.email}>\nSubject: [PATCH] ${subject}\n\n${ps.commitMessage.split('\n').slice(1).join('\n').trim()}\n---\n\n${body}`;
  if (ctx.query.has('raw')) return { status: 200, text: full, contentType: 'text/plain;charset=UTF-8' };
  return { status: 200, text: Buffer.from(full).toString('base64'), contentType: 'text/plain;charset=ISO-8859-1', headers: { 'x-fyi-content-type': 'text/plain', 'x-fyi-content-encoding': 'base64' } };
}

function commentsMap(comments: StoredComment[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const sorted = [...comments].sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0) || a.updated - b.updated);
  for (const c of sorted) {
    const { path: _path, ...rest } = commentInfo(c);
    (out[c.path] ??= []).push(rest);
  }
  return out;
}

function query(core: Core, ctx: Ctx): Reply {
  const queries = ctx.query.getAll('q');
  const options = ctx.query.getAll('o');
  const limit = Number(ctx.query.get('n') ?? ctx.query.get('limit') ?? DEFAULT_QUERY_LIMIT);
  const skip = Number(ctx.query.get('S') ?? ctx.query.get('start') ?? 0);
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(skip) || skip < 0) return badRequest('invalid limit or start');
  const results: unknown[] = [];
  for (const q of queries.length ? queries : ['status:open']) {
    let predicate;
    try {
      predicate = parseQuery(q);
    } catch (e) {
      if (e instanceof QueryError) return badRequest(e.message);
      throw e;
    }
    const matched = core.store.changes.filter(predicate).sort((a, b) => b.updated - a.updated || b.number - a.number);
    const page = matched.slice(skip, skip + limit).map((c) => changeInfo(c, options, core.render()));
    const last = page[page.length - 1];
    if (last && skip + limit < matched.length) last._more_changes = true;
    results.push(page);
  }
  return json(queries.length > 1 ? results : results[0]);
}

export function routes(core: Core): Route[] {
  const changeRoute = (method: string, path: string, anonymous: boolean, fn: (ctx: Ctx, change: Change, params: Record<string, string>) => Reply | Promise<Reply>): Route =>
    route(method, path, anonymous, (ctx, params) => withChange(core, params, (change) => fn(ctx, change, params)));
  const revisionRoute = (method: string, path: string, anonymous: boolean, fn: (ctx: Ctx, change: Change, ps: PatchSet, params: Record<string, string>) => Reply | Promise<Reply>): Route =>
    route(method, path, anonymous, (ctx, params) => withRevision(core, params, (change, ps) => fn(ctx, change, ps, params)));

  return [
    route('GET', '/config/server/version', true, () => json(core.version)),
    route('GET', '/accounts/self', false, (ctx) => json(accountInfo(core.account(ctx.user ?? '')))),
    route('GET', '/accounts/:account', true, (ctx, params) => (params.account === 'self' && ctx.user ? json(accountInfo(core.account(ctx.user))) : notFound(params.account ?? ''))),
    route('GET', '/changes', true, (ctx) => query(core, ctx)),
    changeRoute('GET', '/changes/:id', true, (ctx, change) => json(changeInfo(change, ctx.query.getAll('o'), core.render()))),
    changeRoute('GET', '/changes/:id/detail', true, (ctx, change) => json(changeInfo(change, [...ctx.query.getAll('o'), 'LABELS', 'DETAILED_LABELS', 'DETAILED_ACCOUNTS', 'MESSAGES'], core.render()))),
    changeRoute('GET', '/changes/:id/messages', true, (_ctx, change) => json(change.messages.map((m) => messageInfo(m)))),
    changeRoute('GET', '/changes/:id/comments', true, (_ctx, change) => json(commentsMap(change.comments.filter((c) => !c.robot)))),
    changeRoute('GET', '/changes/:id/robotcomments', true, (_ctx, change) => json(commentsMap(change.comments.filter((c) => c.robot)))),
    revisionRoute('GET', '/changes/:id/revisions/:rev/comments', true, (_ctx, change, ps) => json(commentsMap(change.comments.filter((c) => !c.robot && c.patch_set === ps.number)))),
    revisionRoute('GET', '/changes/:id/revisions/:rev/commit', true, (_ctx, _change, ps) => {
      const person = { name: ps.uploader.name, email: ps.uploader.email, date: gerritTimestamp(ps.created), tz: 0 };
      return json({ commit: ps.revision, parents: [{ commit: ps.parent, subject: 'Parent commit' }], author: person, committer: person, subject: ps.commitMessage.split('\n')[0] ?? '', message: ps.commitMessage });
    }),
    revisionRoute('GET', '/changes/:id/revisions/:rev/files', true, (ctx, change, ps) => {
      const baseParam = ctx.query.get('base');
      if (baseParam !== null) {
        const base = core.store.revision(change, baseParam);
        if (!base) return notFound(baseParam);
        return json(filesOf(change, ps, { base, commitMsg: true }));
      }
      return json(filesOf(change, ps, { commitMsg: true }));
    }),
    revisionRoute('GET', '/changes/:id/revisions/:rev/files/:file/content', true, (ctx, change, ps, params) => content(ctx, change, ps, params.file ?? '')),
    revisionRoute('GET', '/changes/:id/revisions/:rev/files/:file/diff', true, (ctx, change, ps, params) => diff(ctx, change, ps, params.file ?? '')),
    revisionRoute('GET', '/changes/:id/revisions/:rev/patch', true, (ctx, _change, ps) => patch(ctx, ps)),
    revisionRoute('POST', '/changes/:id/revisions/:rev/review', false, (ctx, change, ps) => {
      const author = core.account(ctx.user ?? '');
      const now = core.clock.now();
      const outcome = applyReview(change, ps, ctx.body, author, now, core.review(), core.store);
      core.reviews.push({
        change: `${change.project}~${change.number}`,
        project: change.project,
        number: change.number,
        revision: ps.revision,
        patchSet: ps.number,
        input: (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>,
        status: outcome.reply.status,
        published: outcome.published,
        user: author.username,
        at: now,
      });
      return outcome.reply;
    }),
  ];
}
