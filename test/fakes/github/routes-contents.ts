/** Repository contents: files and directories at a ref, blobs, commits and comparisons. */
import type { Ctx, Route } from './http.js';
import { json, notFound, paginate, route, wantsMediaType } from './http.js';
import { LIMITS } from './limits.js';
import { fileJson, repoJson, WEB } from './render.js';
import type { PullRequestFile, RepoState } from './state.js';
import { diffTexts, fakeSha } from './git.js';

function repoOf(ctx: Ctx): RepoState | undefined {
  return ctx.core.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '', false);
}

/** base64 wrapped at 60 columns with a final newline, as the contents API returns it. */
function wrappedBase64(buf: Buffer): string {
  const b64 = buf.toString('base64');
  return (b64.match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join('');
}

/** Diff of two trees as the compare and commit endpoints list it. */
function treeDiff(ctx: Ctx, repo: RepoState, baseSha: string, headSha: string): PullRequestFile[] {
  const state = ctx.core.state;
  const base = repo.trees.get(baseSha) ?? new Map<string, string>();
  const head = repo.trees.get(headSha) ?? new Map<string, string>();
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort();
  const files: PullRequestFile[] = [];
  for (const path of paths) {
    const a = base.get(path);
    const b = head.get(path);
    if (a === b) continue;
    const binary = (a !== undefined && state.binaryBlobs.has(a)) || (b !== undefined && state.binaryBlobs.has(b));
    const d = binary ? undefined : diffTexts(state.blobText(a) ?? '', state.blobText(b) ?? '');
    files.push({
      filename: path,
      status: a === undefined ? 'added' : b === undefined ? 'removed' : 'modified',
      sha: (b ?? a) as string,
      additions: d?.additions ?? 0,
      deletions: d?.deletions ?? 0,
      changes: (d?.additions ?? 0) + (d?.deletions ?? 0),
      ...(d && d.hunks.length ? { patch: d.patch } : {}),
      hunks: d?.hunks ?? [],
      binary,
    });
  }
  return files;
}

function commitJson(ctx: Ctx, repo: RepoState, sha: string, files?: PullRequestFile[]): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`;
  const info = repo.commits.get(sha);
  const who = { name: 'Fake Author', email: 'author@example.org', date: '2024-01-01T00:00:00Z' };
  return {
    sha,
    node_id: `C_${sha.slice(0, 10)}`,
    url: `${ctx.core.url}/repos/${fullName}/commits/${sha}`,
    html_url: `${WEB}/${fullName}/commit/${sha}`,
    commit: { message: info?.message ?? 'Fake commit', author: who, committer: who, tree: { sha } },
    parents: (info?.parents ?? []).map((p) => ({ sha: p, url: `${ctx.core.url}/repos/${fullName}/commits/${p}` })),
    ...(files ? { files: files.map((f) => fileJson(ctx.core, repo.owner, repo.name, sha, f)) } : {}),
  };
}

export const contentRoutes: Route[] = [
  route('GET', '/repos/:owner/:repo', 'repo', (ctx) => {
    const repo = repoOf(ctx);
    if (!repo) return notFound();
    return json(200, { ...repoJson(ctx.core, repo), permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } });
  }),
  route('GET', '/repos/:owner/:repo/git/trees/:sha', 'repo', (ctx) => {
    const repo = repoOf(ctx);
    if (!repo) return notFound();
    const sha = ctx.core.state.resolveRef(repo, ctx.params.sha);
    const tree = sha ? repo.trees.get(sha) : undefined;
    if (!sha || !tree) return notFound();
    const recursive = ctx.query.recursive !== undefined && ctx.query.recursive !== '0' && ctx.query.recursive !== 'false';
    const entries = new Map<string, Record<string, unknown>>();
    for (const [path, blob] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
      const parts = path.split('/');
      if (!recursive && parts.length > 1) {
        entries.set(parts[0] ?? path, { path: parts[0], mode: '040000', type: 'tree', sha: fakeSha(`${sha}:${parts[0]}`) });
        continue;
      }
      if (recursive) {
        for (let i = 1; i < parts.length; i++) {
          const dir = parts.slice(0, i).join('/');
          if (!entries.has(dir)) entries.set(dir, { path: dir, mode: '040000', type: 'tree', sha: fakeSha(`${sha}:${dir}`) });
        }
      }
      entries.set(path, { path, mode: '100644', type: 'blob', sha: blob, size: ctx.core.state.blobs.get(blob)?.length ?? 0, url: `${ctx.core.url}/repos/${repo.owner}/${repo.name}/git/blobs/${blob}` });
    }
    return json(200, { sha, url: `${ctx.core.url}/repos/${repo.owner}/${repo.name}/git/trees/${sha}`, tree: [...entries.values()], truncated: false });
  }),
  route(
    'GET',
    '/repos/:owner/:repo/contents/*path',
    'repo',
    (ctx) => {
      const repo = repoOf(ctx);
      if (!repo) return notFound();
      const sha = ctx.core.state.resolveRef(repo, ctx.query.ref);
      if (!sha) return notFound();
      const tree = repo.trees.get(sha) ?? new Map<string, string>();
      const path = decodeURIComponent(ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
      const fullName = `${repo.owner}/${repo.name}`;
      const links = (p: string, blob: string, type: string): Record<string, unknown> => ({
        url: `${ctx.core.url}/repos/${fullName}/contents/${p}?ref=${ctx.query.ref ?? repo.defaultBranch}`,
        html_url: `${WEB}/${fullName}/${type === 'dir' ? 'tree' : 'blob'}/${ctx.query.ref ?? repo.defaultBranch}/${p}`,
        git_url: `${ctx.core.url}/repos/${fullName}/git/${type === 'dir' ? 'trees' : 'blobs'}/${blob}`,
        download_url: type === 'dir' ? null : `https://raw.githubusercontent.com/${fullName}/${sha}/${p}`,
      });
      const blob = tree.get(path);
      if (blob !== undefined) {
        const buf = ctx.core.state.blobs.get(blob) ?? Buffer.alloc(0);
        if (wantsMediaType(ctx, 'raw')) return { status: 200, raw: buf, contentType: 'text/plain; charset=utf-8' };
        const name = path.split('/').pop() ?? path;
        return json(200, {
          type: 'file',
          encoding: 'base64',
          size: buf.length,
          name,
          path,
          content: wrappedBase64(buf),
          sha: blob,
          ...links(path, blob, 'file'),
          _links: { self: links(path, blob, 'file').url, git: links(path, blob, 'file').git_url, html: links(path, blob, 'file').html_url },
        });
      }
      // A directory: list its direct children.
      const prefix = path === '' ? '' : `${path}/`;
      const children = new Map<string, { type: 'file' | 'dir'; sha: string; size: number }>();
      for (const [p, s] of tree) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const [first, ...more] = rest.split('/');
        if (!first) continue;
        if (more.length) children.set(first, { type: 'dir', sha: s, size: 0 });
        else children.set(first, { type: 'file', sha: s, size: ctx.core.state.blobs.get(s)?.length ?? 0 });
      }
      if (children.size === 0) return notFound();
      return json(
        200,
        [...children].sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => ({
          type: c.type,
          name,
          path: `${prefix}${name}`,
          sha: c.sha,
          size: c.size,
          ...links(`${prefix}${name}`, c.sha, c.type),
        })),
      );
    },
    'https://docs.github.com/rest/repos/contents#get-repository-content',
  ),
  route('GET', '/repos/:owner/:repo/git/blobs/:sha', 'repo', (ctx) => {
    const repo = repoOf(ctx);
    const buf = ctx.core.state.blobs.get(ctx.params.sha ?? '');
    if (!repo || !buf) return notFound();
    if (wantsMediaType(ctx, 'raw')) return { status: 200, raw: buf, contentType: 'application/vnd.github.raw' };
    return json(200, {
      sha: ctx.params.sha,
      node_id: `B_${ctx.params.sha?.slice(0, 10)}`,
      size: buf.length,
      url: `${ctx.core.url}/repos/${repo.owner}/${repo.name}/git/blobs/${ctx.params.sha}`,
      content: wrappedBase64(buf),
      encoding: 'base64',
    });
  }),
  route('GET', '/repos/:owner/:repo/commits/:ref', 'repo', (ctx) => {
    const repo = repoOf(ctx);
    if (!repo) return notFound();
    const sha = ctx.core.state.resolveRef(repo, ctx.params.ref);
    if (!sha) return error422(ctx.params.ref ?? '');
    const parent = repo.commits.get(sha)?.parents[0];
    const files = parent ? treeDiff(ctx, repo, parent, sha) : [];
    return json(200, commitJson(ctx, repo, sha, files.slice(0, LIMITS.maxPullFiles)));
  }),
  route('GET', '/repos/:owner/:repo/compare/*basehead', 'repo', (ctx) => {
    const repo = repoOf(ctx);
    if (!repo) return notFound();
    const m = /^(.+?)\.\.\.(.+)$/.exec(decodeURIComponent(ctx.params.basehead ?? ''));
    if (!m?.[1] || !m[2]) return notFound();
    const base = ctx.core.state.resolveRef(repo, m[1]);
    const head = ctx.core.state.resolveRef(repo, m[2]);
    if (!base || !head) return notFound();
    const files = treeDiff(ctx, repo, base, head);
    const fullName = `${repo.owner}/${repo.name}`;
    const page = paginate(ctx, [commitJson(ctx, repo, head)]);
    return json(
      200,
      {
        url: `${ctx.core.url}/repos/${fullName}/compare/${m[1]}...${m[2]}`,
        html_url: `${WEB}/${fullName}/compare/${m[1]}...${m[2]}`,
        status: base === head ? 'identical' : 'ahead',
        ahead_by: base === head ? 0 : 1,
        behind_by: 0,
        total_commits: base === head ? 0 : 1,
        base_commit: commitJson(ctx, repo, base),
        merge_base_commit: commitJson(ctx, repo, base),
        commits: base === head ? [] : page.body,
        files: files.slice(0, LIMITS.maxPullFiles).map((f) => fileJson(ctx.core, repo.owner, repo.name, head, f)),
      },
    );
  }),
];

function error422(ref: string): ReturnType<typeof json> {
  return json(422, { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit', status: '422' });
}

