/**
 * `.github/heartbeat-bot.yml` at the pull request's head, through the contents API (CONTRACTS.md §5). No file
 * (404) is the empty configuration; a file that cannot be parsed or has unknown keys gives its problems, which
 * the check run reports. Probot's `context.config` reads the same file (with org-level `_extends`); this is the
 * path the CLI and the action take, and the one reviewPullRequest falls back to.
 */
import { parseRepoConfig } from '../../engine/repo-config.js';
import type { RepoConfig } from '../../model/review.js';
import { errorFacts, GitHubApi } from './api.js';
import type { GitHubLog, GitHubOctokit, PullRequestRef } from './types.js';

export const GITHUB_CONFIG_PATH = '.github/heartbeat-bot.yml';

const SILENT: GitHubLog = { info() {}, warn() {}, error() {} };

export async function loadRepoConfig(
  octokit: GitHubOctokit | GitHubApi,
  pr: PullRequestRef & { ref: string },
  ruleIds?: readonly string[],
): Promise<{ config: RepoConfig; problems: string[] }> {
  const api = octokit instanceof GitHubApi ? octokit : new GitHubApi(octokit, SILENT);
  let data: unknown;
  try {
    data = (await api.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: pr.owner, repo: pr.repo, path: GITHUB_CONFIG_PATH, ref: pr.ref })).data;
  } catch (error) {
    const facts = errorFacts(error);
    if (facts.status === 404) return { config: {}, problems: [] };
    return { config: {}, problems: [`${GITHUB_CONFIG_PATH}: could not be read (${facts.status ?? 'network error'}: ${facts.message}); using the defaults`] };
  }
  const d = (data ?? {}) as { type?: unknown; content?: unknown; encoding?: unknown };
  if (Array.isArray(data) || d.type === 'dir' || typeof d.content !== 'string') {
    return { config: {}, problems: [`${GITHUB_CONFIG_PATH}: is not a file; using the defaults`] };
  }
  const text = d.encoding === 'base64' ? Buffer.from(d.content, 'base64').toString('utf8') : d.content;
  return parseRepoConfig(text, GITHUB_CONFIG_PATH, ruleIds);
}
