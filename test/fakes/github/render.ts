/** GitHub's JSON shapes for users, repositories and pull requests, built from the fake's state. */
import type { Core } from './http.js';
import type { PullRequestFile, PullRequestState, RepoState, UserObject } from './state.js';

export const WEB = 'https://github.com';

export function user(login: string, id: number, type: 'User' | 'Bot' = 'User'): UserObject {
  return {
    login,
    id,
    node_id: `U_${id}`,
    type,
    site_admin: false,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    html_url: `${WEB}/${login}`,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
  };
}

export function repoJson(core: Core, repo: { owner: string; name: string; id: number; defaultBranch?: string }, fork = false): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    owner: user(repo.owner, repo.id + 1, 'User'),
    private: false,
    fork,
    default_branch: repo.defaultBranch ?? 'main',
    html_url: `${WEB}/${fullName}`,
    url: `${core.url}/repos/${fullName}`,
  };
}

export function pullJson(core: Core, repo: RepoState, pr: PullRequestState): Record<string, unknown> {
  const fullName = `${pr.owner}/${pr.repo}`;
  const files = pr.versions.get(pr.head.sha) ?? [];
  const headRepo = pr.fork
    ? repoJson(core, { owner: pr.head.owner, name: pr.repo, id: repo.id + 7 }, true)
    : repoJson(core, repo);
  const sum = (k: 'additions' | 'deletions'): number => files.reduce((n, f) => n + f[k], 0);
  return {
    url: `${core.url}/repos/${fullName}/pulls/${pr.number}`,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: `${WEB}/${fullName}/pull/${pr.number}`,
    diff_url: `${WEB}/${fullName}/pull/${pr.number}.diff`,
    patch_url: `${WEB}/${fullName}/pull/${pr.number}.patch`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    body: pr.body,
    user: pr.user,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.state === 'closed' ? pr.updatedAt : null,
    merged_at: null,
    author_association: pr.fork ? 'CONTRIBUTOR' : 'MEMBER',
    head: {
      label: `${pr.head.owner}:${pr.head.ref}`,
      ref: pr.head.ref,
      sha: pr.head.sha,
      user: user(pr.head.owner, repo.id + 8),
      repo: headRepo,
    },
    base: {
      label: `${pr.owner}:${pr.base.ref}`,
      ref: pr.base.ref,
      sha: pr.base.sha,
      user: user(pr.owner, repo.id + 1),
      repo: repoJson(core, repo),
    },
    commits: 1,
    additions: sum('additions'),
    deletions: sum('deletions'),
    changed_files: files.length,
    _links: {
      self: { href: `${core.url}/repos/${fullName}/pulls/${pr.number}` },
      html: { href: `${WEB}/${fullName}/pull/${pr.number}` },
    },
  };
}

export function fileJson(core: Core, owner: string, repo: string, headSha: string, f: PullRequestFile): Record<string, unknown> {
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  const out: Record<string, unknown> = {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${WEB}/${owner}/${repo}/blob/${headSha}/${path}`,
    raw_url: `${WEB}/${owner}/${repo}/raw/${headSha}/${path}`,
    contents_url: `${core.url}/repos/${owner}/${repo}/contents/${path}?ref=${headSha}`,
  };
  if (f.patch !== undefined) out.patch = f.patch;
  if (f.previous_filename !== undefined) out.previous_filename = f.previous_filename;
  return out;
}
