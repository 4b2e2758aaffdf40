/**
 * The GitHub App's per-repository configuration from the two files the pull request query reads (CONTRACTS.md §5),
 * with the semantics of Probot's context.config('heartbeat-bot.yml'): the repository's `.github/heartbeat-bot.yml`
 * on its default branch — a pull request cannot switch rules off for itself — and, when the repository has none,
 * the one in the owner's `.github` repository. Reading both in the query saves the one or two REST calls the
 * plugin makes per review.
 *
 * A file that uses `_extends`, or whose text GraphQL could not give (binary, truncated), needs the plugin's own
 * reading (it follows `_extends` across repositories): `undefined` tells the caller to read it that way.
 */
import { parseRepoConfig } from '../../engine/repo-config.js';
import type { RepoConfig } from '../../model/review.js';
import { APP_CONFIG_PATH, type GraphQLBlob } from './pull-request-query.js';

export function appConfigOf(
  files: { repository: GraphQLBlob | null; owner: GraphQLBlob | null },
  owner: string,
  ruleIds: readonly string[],
): { config: RepoConfig; problems: string[] } | undefined {
  const chosen = files.repository ?? files.owner;
  if (chosen === null) return { config: {}, problems: [] };
  if (typeof chosen.text !== 'string' || chosen.isBinary || chosen.isTruncated) return undefined;
  if (/^_extends\s*:/m.test(chosen.text)) return undefined;
  const source = files.repository !== null ? APP_CONFIG_PATH : `${owner}/.github:${APP_CONFIG_PATH}`;
  return parseRepoConfig(chosen.text, source, ruleIds);
}
