/**
 * The Probot app (DESIGN.md "Layout": a composition root). Webhook handlers only decide whether an event asks
 * for a review and enqueue it, so GitHub gets its answer well within its 10 s; queue workers authenticate as the
 * installation and run the platform's reviewPullRequest — the same code the `heartbeat-bot github review` CLI and
 * the Action run — which reads `.github/heartbeat-bot.yml` where Probot's context.config would (default branch,
 * then the owner's `.github` repository) within its pull request query; a file with `_extends` is read through
 * the plugin (service/github-config.ts).
 *
 * Events: pull_request opened / synchronize / reopened / ready_for_review; check_run.rerequested for our own
 * check run; check_suite.rerequested for every open pull request of the suite's head SHA. Events sent by the bot
 * itself are ignored.
 *
 * Runs under `npm start` (src/server.ts passes the queue and everything else) or bare, as `probot run
 * dist/src/index.js`, when it builds its own from the environment.
 */
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { Knowledge } from './model/knowledge.js';
import type { Rule } from './model/rule.js';
import type { RepoConfig } from './model/review.js';
import { githubJobKey, PermanentJobError, type GitHubJob, type JobQueue } from './service/job-queue.js';
import { InProcessQueue } from './service/in-process-queue.js';
import { readAppConfig, type ConfigOctokit } from './service/github-config.js';
import type { GitHubOctokit, GitHubReviewDeps, GitHubReviewOutcome, PullRequestRef, RetryOptions } from './platforms/github/types.js';

/** The platform's entry points, injectable so tests can observe or replace them. */
export interface ReviewFunctions {
  reviewPullRequest(
    deps: GitHubReviewDeps,
    pr: PullRequestRef,
    /** `reason`: the event that asked for the review, for the service's review history (the platform ignores it). */
    options?: { config?: RepoConfig; configProblems?: string[]; appConfig?: () => Promise<{ config: RepoConfig; problems: string[] }>; headSha?: string; reason?: string },
  ): Promise<GitHubReviewOutcome>;
}

export interface AppDeps {
  /** Where handlers put jobs; the app starts its workers on it. Default: a new in-process queue. */
  queue?: JobQueue<GitHubJob>;
  /** Reviews running at once (default 4). */
  concurrency?: number;
  rules?: readonly Rule[];
  knowledge?: Knowledge;
  /** Default BOT_NAME or `heartbeat-bot`. */
  botName?: string;
  /** Default DOCS_URL. */
  docsUrl?: string;
  /** Default DRY_RUN=true. */
  dryRun?: boolean;
  review?: ReviewFunctions;
  /** Backoff of the platform's API wrapper (tests shorten it). */
  retry?: RetryOptions;
  /** Called after every finished review (metrics, tests). */
  onReviewed?: (job: GitHubJob, outcome: GitHubReviewOutcome) => void;
}

/** Probot calls an app function with `{ cwd, addHandler }`; npm start adds heartbeat-bot's dependencies. */
export type AppOptions = AppDeps & Partial<ApplicationFunctionOptions>;

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;

interface Repository {
  owner: { login: string };
  name: string;
}

export default async function heartbeatApp(app: Probot, options: AppOptions = {}): Promise<void> {
  const botName = options.botName ?? nonEmpty(process.env.BOT_NAME) ?? 'heartbeat-bot';
  const docsUrl = options.docsUrl ?? nonEmpty(process.env.DOCS_URL);
  const dryRun = options.dryRun ?? /^(true|1|yes|on)$/i.test(process.env.DRY_RUN ?? '');
  const [rules, knowledge, review] = await Promise.all([
    options.rules ?? import('./engine/load-rules.js').then((m) => m.loadRules()),
    options.knowledge ?? import('./settings/load-knowledge.js').then((m) => m.loadKnowledge()),
    options.review ?? (import('./platforms/github/index.js') as Promise<ReviewFunctions>),
  ]);
  const queue =
    options.queue ??
    new InProcessQueue<GitHubJob>({
      onEvent: (event) => app.log[event.type === 'dead' ? 'error' : event.type === 'retry' ? 'warn' : 'debug']({ queue: event }, `queue: ${event.type} ${event.key}`),
    });

  /** The bot's own events (its check runs, anything its installation token did) never trigger a review. */
  const isSelf = (sender: { login?: string; type?: string } | undefined): boolean =>
    sender?.type === 'Bot' && (sender.login === `${botName}[bot]` || sender.login === botName);

  const enqueue = async (job: GitHubJob, log: Context['log']): Promise<void> => {
    const key = githubJobKey(job);
    const result = await queue.enqueue(key, job);
    log.info({ job: key, reason: job.reason, delivery: job.deliveryId, result, depth: queue.depth() }, `review ${result}: ${key}`);
  };

  app.on([...PULL_REQUEST_EVENTS], async (context) => {
    const { payload } = context;
    if (isSelf(payload.sender)) return;
    const pr = payload.pull_request;
    const repository = payload.repository as Repository;
    if (pr.state !== 'open') return;
    await enqueue(
      {
        owner: repository.owner.login,
        repo: repository.name,
        number: pr.number,
        headSha: pr.head.sha,
        ...installationOf(payload),
        reason: `pull_request.${payload.action}`,
        deliveryId: context.id,
      },
      context.log,
    );
  });

  app.on('check_run.rerequested', async (context) => {
    const { payload } = context;
    if (isSelf(payload.sender) || payload.check_run.name !== botName) return;
    const repository = payload.repository as Repository;
    const numbers = await pullRequestsOf(context, repository, payload.check_run.head_sha, payload.check_run.pull_requests);
    for (const number of numbers) {
      await enqueue(
        {
          owner: repository.owner.login,
          repo: repository.name,
          number,
          headSha: payload.check_run.head_sha,
          ...installationOf(payload),
          reason: 'check_run.rerequested',
          deliveryId: context.id,
        },
        context.log,
      );
    }
  });

  app.on('check_suite.rerequested', async (context) => {
    const { payload } = context;
    if (isSelf(payload.sender)) return;
    const repository = payload.repository as Repository;
    const sha = payload.check_suite.head_sha;
    const numbers = await pullRequestsOf(context, repository, sha, payload.check_suite.pull_requests);
    for (const number of numbers) {
      await enqueue(
        {
          owner: repository.owner.login,
          repo: repository.name,
          number,
          headSha: sha,
          ...installationOf(payload),
          reason: 'check_suite.rerequested',
          deliveryId: context.id,
        },
        context.log,
      );
    }
  });

  const ruleIds = rules.map((r) => r.meta.id);
  queue.start(async (job) => {
    const log = app.log.child({ job: githubJobKey(job), delivery: job.deliveryId });
    if (job.installationId === undefined) throw new PermanentJobError('the event names no installation');
    const octokit = (await app.auth(job.installationId)) as unknown as GitHubOctokit;
    const pr = { owner: job.owner, repo: job.repo, number: job.number };
    // The configuration comes with the pull request query; Probot's plugin reads it only for `_extends`.
    const outcome = await review.reviewPullRequest(
      { octokit, rules, knowledge, botName, dryRun, log, ...(docsUrl !== undefined ? { docsUrl } : {}), ...(options.retry !== undefined ? { retry: options.retry } : {}) },
      pr,
      { appConfig: () => readAppConfig(octokit as unknown as ConfigOctokit, pr, ruleIds), headSha: job.headSha, reason: job.reason },
    );
    for (const problem of outcome.configProblems ?? []) log.warn({ problem }, `configuration: ${problem}`);
    log.info({ outcome: { ...outcome, dryRun: undefined } }, `reviewed ${job.owner}/${job.repo}#${job.number}: ${outcome.skipped ?? outcome.conclusion}`);
    if (outcome.dryRun !== undefined) log.info({ wouldPost: outcome.dryRun }, 'DRY_RUN: nothing posted');
    options.onReviewed?.(job, outcome);
  }, options.concurrency ?? 4);
}

function installationOf(payload: { installation?: { id: number } | null }): { installationId?: number } {
  return payload.installation?.id !== undefined ? { installationId: payload.installation.id } : {};
}

/**
 * The pull requests a re-run is about: those in the payload (same-repository pull requests), else the open pull
 * requests GitHub associates with the head SHA (the payload's list is empty for pull requests from forks).
 */
async function pullRequestsOf(
  context: Context<'check_run.rerequested' | 'check_suite.rerequested'>,
  repository: Repository,
  sha: string,
  listed: readonly { number: number; base: { repo: { id: number } } }[],
): Promise<number[]> {
  const repoId = (context.payload.repository as { id: number }).id;
  const own = listed.filter((pr) => pr.base.repo.id === repoId).map((pr) => pr.number);
  if (own.length > 0) return [...new Set(own)];
  try {
    const { data } = await context.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: repository.owner.login,
      repo: repository.name,
      commit_sha: sha,
      per_page: 100,
    });
    return data.filter((pr) => pr.state === 'open').map((pr) => pr.number);
  } catch (error) {
    context.log.warn({ err: error, sha }, `cannot list the pull requests of ${sha}; nothing re-run`);
    return [];
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
