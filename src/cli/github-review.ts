/**
 * `heartbeat-bot github review --repo OWNER/NAME --pr N [--dry-run]`: reviews a pull request and posts the same
 * check run and review as the GitHub App, without hosting anything, through the platform's reviewPullRequest.
 *
 * Authentication is `GITHUB_TOKEN` (API at `GITHUB_API_URL`, set by GitHub Actions, for GHES or a fake). In
 * GitHub Actions --repo and --pr default to GITHUB_REPOSITORY and the pull request of GITHUB_EVENT_PATH. Writes
 * are a second apart (GitHub's advice); the platform retries 5xx and rate limits, secondary ones included (bounded).
 *
 * Prints one line saying what happened; exit status 0/1 per --fail-level on the findings, 2 on usage or API errors.
 */
import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { pacing } from '../platforms/github/pacing.js';
import type { Severity } from '../model/finding.js';
import type { GitHubLog, GitHubOctokit, GitHubReviewOutcome } from '../platforms/github/types.js';
import { CliError } from './cli-error.js';
import type { GitHubReviewCommand } from './github-args.js';
import type { FailLevel } from './parse-args.js';

export interface GitHubTarget {
  owner: string;
  repo: string;
  number: number;
  /** Known from the event payload in Actions; else the platform reads it. */
  headSha?: string;
}

export interface GitHubReviewIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile?: (path: string) => string;
}

/** The pull request to review: options first, then GitHub Actions' environment. */
export function resolveTarget(command: Pick<GitHubReviewCommand, 'repo' | 'pr'>, env: GitHubReviewIo['env'], readFile = (p: string) => readFileSync(p, 'utf8')): GitHubTarget {
  const repoName = command.repo ?? nonEmpty(env.GITHUB_REPOSITORY);
  if (repoName === undefined) throw new CliError('github review needs --repo OWNER/NAME (or GITHUB_REPOSITORY, as GitHub Actions sets it)');
  const [owner, repo, ...more] = repoName.split('/');
  if (owner === undefined || repo === undefined || owner === '' || repo === '' || more.length > 0) {
    throw new CliError(`GITHUB_REPOSITORY must be OWNER/NAME, not '${repoName}'`);
  }
  const event = readEvent(env, readFile);
  const pr = eventPullRequest(event);
  if (command.pr !== undefined) {
    // The event's head SHA only describes the same pull request.
    const sameRepo = command.repo === undefined || command.repo.toLowerCase() === nonEmpty(env.GITHUB_REPOSITORY)?.toLowerCase();
    const headSha = pr !== undefined && pr.number === command.pr && sameRepo ? pr.headSha : undefined;
    return { owner, repo, number: command.pr, ...(headSha !== undefined ? { headSha } : {}) };
  }
  if (pr === undefined) {
    const name = nonEmpty(env.GITHUB_EVENT_NAME);
    throw new CliError(
      `github review needs --pr N${name !== undefined ? ` (the ${name} event of GITHUB_EVENT_PATH is not about a pull request)` : ' (or GITHUB_EVENT_PATH of a pull_request event)'}`,
    );
  }
  return { owner, repo, number: pr.number, ...(pr.headSha !== undefined ? { headSha: pr.headSha } : {}) };
}

function readEvent(env: GitHubReviewIo['env'], readFile: (p: string) => string): unknown {
  const path = nonEmpty(env.GITHUB_EVENT_PATH);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new CliError(`GITHUB_EVENT_PATH: cannot read ${path} (${(error as { code?: string }).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`GITHUB_EVENT_PATH: ${path} is not JSON`);
  }
}

/** The pull request of a pull_request / pull_request_target (or issue_comment on a pull request) event. */
function eventPullRequest(event: unknown): { number: number; headSha?: string } | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const e = event as { pull_request?: { number?: unknown; head?: { sha?: unknown } }; number?: unknown; issue?: { number?: unknown; pull_request?: unknown } };
  if (e.pull_request !== undefined && typeof e.pull_request.number === 'number') {
    const sha = e.pull_request.head?.sha;
    return { number: e.pull_request.number, ...(typeof sha === 'string' ? { headSha: sha } : {}) };
  }
  if (e.issue?.pull_request !== undefined && typeof e.issue.number === 'number') return { number: e.issue.number };
  return undefined;
}

/**
 * @octokit/rest with the service's pacing of writes (a second apart, GitHub's advice); the platform's GitHubApi
 * retries 5xx, network errors and primary and secondary rate limits, as in the service.
 */
export function createOctokit(env: GitHubReviewIo['env'], userAgent: string): Octokit {
  const token = nonEmpty(env.GITHUB_TOKEN);
  if (token === undefined) throw new CliError('github review needs GITHUB_TOKEN (a token that may read the pull request and write checks and pull requests)');
  const baseUrl = nonEmpty(env.GITHUB_API_URL)?.replace(/\/+$/, '');
  // The plugin types Octokit structurally (only hook.wrap), hence the cast to Octokit's plugin type.
  const Paced = Octokit.plugin(pacing as unknown as Parameters<typeof Octokit.plugin>[0]);
  return new Paced({
    auth: token,
    userAgent,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** Exit status per CONTRACTS.md §2 from what the review found in the changed files. */
export function exitCodeForOutcome(outcome: Pick<GitHubReviewOutcome, 'severities' | 'skipped' | 'conclusion' | 'findings'>, failLevel: FailLevel): 0 | 1 {
  if (failLevel === 'none' || outcome.skipped !== undefined || outcome.findings === 0) return 0;
  const severities = outcome.severities;
  if (severities === undefined) return outcome.conclusion === 'failure' ? 1 : 0;
  const at: Severity[] = failLevel === 'error' ? ['error'] : failLevel === 'warning' ? ['error', 'warning'] : ['error', 'warning', 'info'];
  return at.some((s) => (severities[s] ?? 0) > 0) ? 1 : 0;
}

/** One line: what was reviewed and what was posted. */
export function outcomeLine(target: GitHubTarget, outcome: GitHubReviewOutcome, dryRun: boolean): string {
  const pr = `${target.owner}/${target.repo}#${target.number}`;
  const calls = `${outcome.apiCalls} API call${outcome.apiCalls === 1 ? '' : 's'}`;
  if (outcome.skipped !== undefined) return `${pr}: not reviewed (${outcome.skipped}), check run ${outcome.conclusion}; ${calls}${dryRun ? ', dry run: nothing posted' : ''}`;
  const parts = [
    `${outcome.findings} finding${outcome.findings === 1 ? '' : 's'}`,
    `${outcome.annotations} annotation${outcome.annotations === 1 ? '' : 's'}`,
    `${outcome.inlineComments} new inline comment${outcome.inlineComments === 1 ? '' : 's'}`,
  ];
  if (outcome.bodyOnly > 0) parts.push(`${outcome.bodyOnly} in the review body`);
  if (outcome.resolved > 0) parts.push(`${outcome.resolved} marked resolved`);
  const degraded = outcome.degraded !== undefined ? `; ${outcome.degraded}` : '';
  return `${pr}: ${outcome.conclusion}: ${parts.join(', ')}; ${calls}${degraded}${dryRun ? '; dry run: nothing posted' : ''}`;
}

export async function runGitHubReview(command: GitHubReviewCommand, io: GitHubReviewIo): Promise<number> {
  const target = resolveTarget(command, io.env, io.readFile);
  const log: GitHubLog = {
    info() {},
    warn: (o, m) => io.stderr(`heartbeat-bot: warning: ${m ?? JSON.stringify(o)}\n`),
    error: (o, m) => io.stderr(`heartbeat-bot: error: ${m ?? JSON.stringify(o)}\n`),
  };
  const { packageVersion } = await import('./package-version.js');
  const octokit = createOctokit(io.env, `heartbeat-bot/${packageVersion()}`);
  const [platform, { loadRules }, { loadKnowledge }] = await Promise.all([
    import('../platforms/github/index.js'),
    import('../engine/load-rules.js'),
    import('../settings/load-knowledge.js'),
  ]);
  const rules = await loadRules();
  const client = octokit as unknown as GitHubOctokit;
  const pr = { owner: target.owner, repo: target.repo, number: target.number };

  let outcome: GitHubReviewOutcome;
  try {
    // reviewPullRequest reads the configuration at the head in the query it makes anyway: no call of its own.
    const docsUrl = nonEmpty(io.env.DOCS_URL);
    outcome = await platform.reviewPullRequest(
      {
        octokit: client,
        rules,
        knowledge: loadKnowledge(),
        botName: nonEmpty(io.env.BOT_NAME) ?? 'heartbeat-bot',
        dryRun: command.dryRun,
        log,
        ...(docsUrl !== undefined ? { docsUrl } : {}),
      },
      pr,
      { ...(command.release !== undefined ? { release: command.release } : {}), ...(target.headSha !== undefined ? { headSha: target.headSha } : {}) },
    );
    for (const problem of outcome.configProblems ?? []) io.stderr(`heartbeat-bot: warning: ${problem}\n`);
  } catch (error) {
    throw new CliError(describeApiError(error, target));
  }
  io.stdout(`${outcomeLine(target, outcome, command.dryRun)}\n`);
  return exitCodeForOutcome(outcome, command.failLevel);
}

/** An Octokit RequestError (or anything else) as one line that says what to check. */
export function describeApiError(error: unknown, target: GitHubTarget): string {
  const e = error as { status?: unknown; message?: unknown; response?: { data?: { message?: unknown } } };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = typeof e.response?.data?.message === 'string' ? e.response.data.message : error instanceof Error ? error.message : String(error);
  const pr = `${target.owner}/${target.repo}#${target.number}`;
  if (status === 401) return `GitHub API: 401 ${message} (is GITHUB_TOKEN valid?)`;
  if (status === 404) return `GitHub API: 404 ${message} (does ${pr} exist, and may GITHUB_TOKEN read it?)`;
  if (status !== undefined) return `GitHub API: ${status} ${message} (reviewing ${pr})`;
  return `GitHub API: ${message.split('\n')[0] ?? message} (reviewing ${pr})`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
