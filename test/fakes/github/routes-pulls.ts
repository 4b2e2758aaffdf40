/** Pull requests: the pull request, its files (paginated, 3000 at most) and its combined diff media type. */
import type { Ctx, Reply, Route } from './http.js';
import { error, json, notFound, paginate, route, wantsMediaType } from './http.js';
import { LIMITS } from './limits.js';
import { fileJson, pullJson } from './render.js';
import type { PullRequestFile, PullRequestState, RepoState } from './state.js';

export function findPull(ctx: Ctx): { repo: RepoState; pr: PullRequestState } | undefined {
  const { owner = '', repo = '', number = '' } = ctx.params;
  const r = ctx.core.state.repo(owner, repo, false);
  const pr = ctx.core.state.pull(owner, repo, Number(number));
  return r && pr ? { repo: r, pr } : undefined;
}

/** The combined diff `git diff` would print, as `Accept: application/vnd.github.v3.diff` returns it. */
function combinedDiff(ctx: Ctx, files: PullRequestFile[]): string {
  const out: string[] = [];
  for (const f of files) {
    const oldPath = f.previous_filename ?? f.filename;
    out.push(`diff --git a/${oldPath} b/${f.filename}`);
    if (f.status === 'added') out.push('new file mode 100644');
    if (f.status === 'removed') out.push('deleted file mode 100644');
    if (f.status === 'renamed') out.push(`rename from ${oldPath}`, `rename to ${f.filename}`);
    if (f.binary) {
      out.push(`Binary files ${f.status === 'added' ? '/dev/null' : `a/${oldPath}`} and ${f.status === 'removed' ? '/dev/null' : `b/${f.filename}`} differ`);
      continue;
    }
    if (f.hunks.length === 0) continue;
    out.push(`--- ${f.status === 'added' ? '/dev/null' : `a/${oldPath}`}`, `+++ ${f.status === 'removed' ? '/dev/null' : `b/${f.filename}`}`);
    for (const h of f.hunks) {
      const r = (s: number, c: number): string => (c === 1 ? `${s}` : `${c === 0 ? s - 1 : s},${c}`);
      out.push(`@@ -${r(h.oldStart, h.oldLines)} +${r(h.newStart, h.newLines)} @@`, ...h.lines);
    }
  }
  void ctx;
  return out.join('\n') + '\n';
}

function diffReply(ctx: Ctx, files: PullRequestFile[]): Reply {
  if (files.length > LIMITS.maxDiffFiles) {
    return error(
      406,
      `Sorry, the diff exceeded the maximum number of files (${LIMITS.maxDiffFiles}). Consider using 'List pull requests files' API or locally cloning the repository instead.`,
      { errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }] },
      'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files',
    );
  }
  const diff = combinedDiff(ctx, files);
  const lines = diff.split('\n').length;
  if (lines > LIMITS.maxDiffLines) {
    return error(
      406,
      `Sorry, the diff exceeded the maximum number of lines (${LIMITS.maxDiffLines}). Consider using 'List pull requests files' API or locally cloning the repository instead.`,
      { errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }] },
      'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files',
    );
  }
  return { status: 200, raw: diff, contentType: 'application/vnd.github.v3.diff; charset=utf-8' };
}

export const pullRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo/pulls', 'repo', (ctx) => {
    const state = ctx.query.state ?? 'open';
    const pulls = [...ctx.core.state.pulls.values()]
      .filter((p) => p.owner.toLowerCase() === ctx.params.owner?.toLowerCase() && p.repo.toLowerCase() === ctx.params.repo?.toLowerCase())
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !ctx.query.head || ctx.query.head === `${p.head.owner}:${p.head.ref}`)
      .filter((p) => !ctx.query.base || ctx.query.base === p.base.ref)
      .sort((a, b) => b.number - a.number);
    const repo = ctx.core.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '', false);
    return repo ? paginate(ctx, pulls.map((p) => pullJson(ctx.core, repo, p))) : notFound();
  }),
  route('GET', '/repos/:owner/:repo/pulls/:number', 'repo', (ctx) => {
    const found = findPull(ctx);
    if (!found) return notFound();
    if (wantsMediaType(ctx, 'diff') || wantsMediaType(ctx, 'patch')) {
      return diffReply(ctx, found.pr.versions.get(found.pr.head.sha) ?? []);
    }
    return json(200, pullJson(ctx.core, found.repo, found.pr));
  }),
  route(
    'GET',
    '/repos/:owner/:repo/pulls/:number/files',
    'repo',
    (ctx) => {
      const found = findPull(ctx);
      if (!found) return notFound();
      const { pr } = found;
      const files = (pr.versions.get(pr.head.sha) ?? []).slice(0, LIMITS.maxPullFiles);
      return paginate(
        ctx,
        files.map((f) => fileJson(ctx.core, pr.owner, pr.repo, pr.head.sha, f)),
      );
    },
    'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files',
  ),
  route('GET', '/repos/:owner/:repo/pulls/:number/commits', 'repo', (ctx) => {
    const found = findPull(ctx);
    if (!found) return notFound();
    const { pr, repo } = found;
    const commit = repo.commits.get(pr.head.sha);
    return paginate(ctx, [
      {
        sha: pr.head.sha,
        commit: { message: commit?.message ?? 'Fake commit' },
        parents: (commit?.parents ?? [pr.base.sha]).map((sha) => ({ sha })),
      },
    ]);
  }),
  route('GET', '/repos/:owner/:repo/commits/:sha/pulls', 'repo', (ctx) => {
    const pulls = [...ctx.core.state.pulls.values()].filter(
      (p) => p.owner.toLowerCase() === ctx.params.owner?.toLowerCase() && p.repo.toLowerCase() === ctx.params.repo?.toLowerCase() && p.head.sha === ctx.params.sha,
    );
    const repo = ctx.core.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '', false);
    return repo ? paginate(ctx, pulls.map((p) => pullJson(ctx.core, repo, p))) : notFound();
  }),
];
