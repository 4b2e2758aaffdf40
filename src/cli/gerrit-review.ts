/**
 * `heartbeat-bot gerrit review <change> [--project P] [--patchset N] [--dry-run]`: reviews one Gerrit change by
 * hand and posts the same single review the service would (the platform's reviewChange), without hosting anything.
 *
 * Gerrit is GERRIT_URL (or the base of a review URL given as <change>), with GERRIT_USER / GERRIT_PASSWORD for the
 * REST API under `/a/`; without credentials only --dry-run works (anonymous reads). A change given by number alone
 * has its project looked up. GERRIT_LABEL, BOT_NAME and DOCS_URL apply as in the service.
 *
 * Prints one line saying what happened; exit status 0/1 per --fail-level on the findings, 2 on usage or API errors.
 */
import type { Severity } from '../model/finding.js';
import type { GerritConfig, GerritLog, GerritReviewOutcome } from '../platforms/gerrit/types.js';
import { CliError } from './cli-error.js';
import type { GerritReviewCommand } from './gerrit-args.js';
import type { FailLevel } from './parse-args.js';

export interface GerritReviewIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Tests may route requests; default global fetch. */
  fetch?: typeof fetch;
}

export interface GerritTarget {
  url: string;
  project: string;
  change: number;
  patchSet?: number;
}

/** The Gerrit base URL: GERRIT_URL, else the one the review URL names; a contradiction is an error (credentials go to GERRIT_URL only). */
export function resolveBaseUrl(command: Pick<GerritReviewCommand, 'url'>, env: GerritReviewIo['env']): string {
  const configured = nonEmpty(env.GERRIT_URL)?.replace(/\/+$/, '');
  if (configured !== undefined) {
    try {
      const u = new URL(configured);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new CliError(`GERRIT_URL must be an http(s) base URL such as https://review.opendev.org, not '${configured}'`);
    }
    if (command.url !== undefined && command.url.replace(/\/+$/, '') !== configured) {
      throw new CliError(`the change's URL is on ${command.url} but GERRIT_URL is ${configured}; unset GERRIT_URL or give the change as a number`);
    }
    return configured;
  }
  if (command.url !== undefined) return command.url.replace(/\/+$/, '');
  throw new CliError('gerrit review needs GERRIT_URL (e.g. https://review.opendev.org) or the change as a review URL');
}

/** Exit status per CONTRACTS.md §2 from what the review found in the changed files. */
export function exitCodeForGerrit(outcome: GerritReviewOutcome, failLevel: FailLevel): 0 | 1 {
  if (failLevel === 'none' || outcome.findings === 0) return 0;
  const severities = outcome.severities;
  // Without per-severity counts every finding counts as at the fail level.
  if (severities === undefined) return 1;
  const at: Severity[] = failLevel === 'error' ? ['error'] : failLevel === 'warning' ? ['error', 'warning'] : ['error', 'warning', 'info'];
  return at.some((s) => (severities[s] ?? 0) > 0) ? 1 : 0;
}

/** One line: which patch set, what was found and posted, what it cost. */
export function gerritOutcomeLine(target: GerritTarget, outcome: GerritReviewOutcome, dryRun: boolean, label?: string): string {
  const patchSet = outcome.patchSet ?? target.patchSet;
  const name = `${target.project}~${target.change}${patchSet !== undefined ? `,${patchSet}` : ''}`;
  const calls = `${outcome.apiCalls} API call${outcome.apiCalls === 1 ? '' : 's'}`;
  const dry = dryRun ? '; dry run: nothing posted' : '';
  if (outcome.skipped !== undefined) return `${name}: not reviewed (${outcome.skipped}); ${calls}${dry}`;
  const parts = [`${outcome.findings} finding${outcome.findings === 1 ? '' : 's'}`, `${outcome.comments} new inline comment${outcome.comments === 1 ? '' : 's'}`];
  if (outcome.resolved > 0) parts.push(`${outcome.resolved} marked resolved`);
  if (outcome.label !== undefined) parts.push(`${label ?? 'label'} ${outcome.label > 0 ? `+${outcome.label}` : outcome.label}`);
  const what = dryRun ? 'reviewed' : outcome.posted ? 'review posted' : 'nothing posted';
  const degraded = outcome.degraded !== undefined ? `; ${outcome.degraded}` : '';
  return `${name}: ${what}: ${parts.join(', ')}; ${calls}${degraded}${dry}`;
}

export async function runGerritReview(command: GerritReviewCommand, io: GerritReviewIo): Promise<number> {
  const url = resolveBaseUrl(command, io.env);
  const user = nonEmpty(io.env.GERRIT_USER);
  const password = nonEmpty(io.env.GERRIT_PASSWORD);
  if ((user === undefined) !== (password === undefined)) {
    throw new CliError(`gerrit review needs both GERRIT_USER and GERRIT_PASSWORD (the HTTP password or access token); ${user === undefined ? 'GERRIT_USER' : 'GERRIT_PASSWORD'} is not set`);
  }
  if (user === undefined && !command.dryRun) {
    throw new CliError('gerrit review needs GERRIT_USER and GERRIT_PASSWORD to post a review (or --dry-run to review anonymously and post nothing)');
  }
  const label = nonEmpty(io.env.GERRIT_LABEL);
  const docsUrl = nonEmpty(io.env.DOCS_URL);
  const config: GerritConfig = {
    url,
    botName: nonEmpty(io.env.BOT_NAME) ?? 'heartbeat-bot',
    dryRun: command.dryRun,
    ...(user !== undefined && password !== undefined ? { user, password } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(docsUrl !== undefined ? { docsUrl } : {}),
  };
  const log: GerritLog = {
    info() {},
    warn: (o, m) => io.stderr(`heartbeat-bot: warning: ${m ?? JSON.stringify(o)}\n`),
    error: (o, m) => io.stderr(`heartbeat-bot: error: ${m ?? JSON.stringify(o)}\n`),
  };
  const [platform, { loadRules }, { loadKnowledge }] = await Promise.all([
    import('../platforms/gerrit/index.js'),
    import('../engine/load-rules.js'),
    import('../settings/load-knowledge.js'),
  ]);
  const client = new platform.GerritClient(config, { log, ...(io.fetch !== undefined ? { fetch: io.fetch } : {}) });
  let target: GerritTarget | undefined;
  let outcome: GerritReviewOutcome;
  try {
    const project = command.project ?? (await lookUpProject(client, command.change));
    target = { url, project, change: command.change, ...(command.patchSet !== undefined ? { patchSet: command.patchSet } : {}) };
    const rules = await loadRules();
    outcome = await platform.reviewChange(
      { client, rules, knowledge: loadKnowledge(), config, log },
      { project, change: command.change, ...(command.patchSet !== undefined ? { patchSet: command.patchSet } : {}) },
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${message.split('\n')[0] ?? message}${target !== undefined ? ` (reviewing ${target.project}~${target.change})` : ''}`);
  }
  io.stdout(`${gerritOutcomeLine(target, outcome, command.dryRun, label)}\n`);
  if (outcome.dryRun !== undefined && command.dryRun) io.stderr(`heartbeat-bot: dry run, would post: ${JSON.stringify(outcome.dryRun)}\n`);
  return exitCodeForGerrit(outcome, command.failLevel);
}

/** `GET /changes/<number>`: the project of a change given by number. */
async function lookUpProject(client: { get<T>(path: string): Promise<T> }, change: number): Promise<string> {
  const info = await client.get<{ project?: unknown }>(`/changes/${change}`);
  if (typeof info?.project !== 'string' || info.project === '') throw new CliError(`Gerrit did not say which project change ${change} belongs to; give --project`);
  return info.project;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
