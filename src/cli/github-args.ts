/**
 * `heartbeat-bot github review [--repo OWNER/NAME] [--pr N] [--dry-run] [--release SERIES] [--fail-level LEVEL]`.
 * --repo and --pr may be left to GitHub Actions' environment (github-review.ts resolves them).
 */
import { CliError } from './cli-error.js';
import type { FailLevel } from './parse-args.js';
import { FAIL_LEVELS, oneOf } from './one-of.js';

export interface GitHubReviewCommand {
  command: 'github-review';
  /** `owner/name`; absent: GITHUB_REPOSITORY. */
  repo?: string;
  /** Absent: the pull request of GITHUB_EVENT_PATH. */
  pr?: number;
  dryRun: boolean;
  release?: string;
  failLevel: FailLevel;
}

/** Options of check / review that mean nothing here: the pull request decides files, filter and configuration. */
const NOT_HERE = ['format', 'filter', 'explain', 'config', 'base', 'head'] as const;

export function parseGitHubArgs(
  rest: readonly string[],
  values: Readonly<Record<string, string | boolean | undefined>>,
  seeHelp: string,
): GitHubReviewCommand {
  const [sub, ...extra] = rest;
  if (sub === undefined) throw new CliError(`missing subcommand: github review ${seeHelp}`);
  if (sub !== 'review') throw new CliError(`unknown subcommand 'github ${sub}'; use github review ${seeHelp}`);
  if (extra.length > 0) throw new CliError(`github review takes no paths (got '${extra[0]}') ${seeHelp}`);
  for (const name of NOT_HERE) {
    if (values[name] !== undefined) throw new CliError(`--${name} is not an option of github review ${seeHelp}`);
  }

  const command: GitHubReviewCommand = { command: 'github-review', dryRun: values['dry-run'] === true, failLevel: 'error' };
  const repo = values.repo;
  if (typeof repo === 'string') {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) throw new CliError(`--repo must be OWNER/NAME, not '${repo}' ${seeHelp}`);
    command.repo = repo;
  }
  const pr = values.pr;
  if (typeof pr === 'string') {
    if (!/^[1-9]\d{0,9}$/.test(pr)) throw new CliError(`--pr must be a pull request number, not '${pr}' ${seeHelp}`);
    command.pr = Number(pr);
  }
  const release = values.release;
  if (typeof release === 'string') {
    if (release === '' || release.startsWith('-')) throw new CliError(`--release needs a value ${seeHelp}`);
    command.release = release;
  }
  const failLevel = oneOf('fail-level', values['fail-level'], FAIL_LEVELS, seeHelp);
  if (failLevel !== undefined) command.failLevel = failLevel;
  return command;
}
