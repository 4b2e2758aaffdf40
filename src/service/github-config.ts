/**
 * The GitHub App's per-repository configuration, read the way Probot's `context.config('heartbeat-bot.yml')`
 * reads it (CONTRACTS.md §5): `.github/heartbeat-bot.yml` on the default branch, else the owner's `.github`
 * repository, with `_extends` — so a pull request cannot switch rules off for itself. The merged result is then
 * validated with parseRepoConfig's rules: unknown keys or values become problems the check run shows.
 */
import { stringify } from 'yaml';
import { parseRepoConfig } from '../engine/repo-config.js';
import type { RepoConfig } from '../model/review.js';

export const CONFIG_FILE = 'heartbeat-bot.yml';
const SOURCE = `.github/${CONFIG_FILE}`;

/** The part of Probot's Octokit used: @probot/octokit-plugin-config's `config.get`. */
export interface ConfigOctokit {
  config: {
    get(params: { owner: string; repo: string; path: string }): Promise<{ config: unknown; files: { config: unknown }[] }>;
  };
}

export async function readAppConfig(
  octokit: ConfigOctokit,
  repo: { owner: string; repo: string },
  ruleIds: readonly string[],
): Promise<{ config: RepoConfig; problems: string[] }> {
  let merged: unknown;
  let found: boolean;
  try {
    const result = await octokit.config.get({ owner: repo.owner, repo: repo.repo, path: SOURCE });
    merged = result.config;
    found = result.files.some((f) => f.config !== null && f.config !== undefined);
  } catch (error) {
    const e = error as { status?: unknown; message?: unknown };
    const why = typeof e.status === 'number' ? `${e.status}: ${String(e.message)}` : String(e.message ?? error);
    return { config: {}, problems: [`${SOURCE}: could not be read (${why.replace(/^\[@probot\/octokit-plugin-config\] /, '')}); using the defaults`] };
  }
  if (!found || merged === null || merged === undefined) return { config: {}, problems: [] };
  // `_extends` was resolved by the plugin; it is Probot's key, not ours.
  if (typeof merged === 'object' && !Array.isArray(merged)) delete (merged as Record<string, unknown>)['_extends'];
  const parsed = parseRepoConfig(stringify(merged), SOURCE, ruleIds);
  // Lines and columns refer to the re-serialised merge, not to the file anyone wrote: leave them out.
  const problems = parsed.problems.map((p) => p.replace(/^(\.github\/heartbeat-bot\.yml):\d+:\d+:/, '$1:'));
  return { config: parsed.config, problems };
}
