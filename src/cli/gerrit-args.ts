/**
 * `heartbeat-bot gerrit review <change> [--project P] [--patchset N] [--dry-run] [--fail-level L]`. The release
 * comes from the change's branch or its `.heartbeat-bot.yml`, as in the service.
 *
 * <change> is a number (`12345`), `<project>~<number>` (the project URL-encoded or not), or a review URL as the
 * web UI shows it: `https://review.opendev.org/c/openstack/puppet-nova/+/12345[/3]` (a patch set, a range `1..3`
 * or a file path may follow), the old `https://review.opendev.org/#/c/12345/3`, or `https://review.opendev.org/12345`.
 */
import { CliError } from './cli-error.js';
import type { FailLevel } from './parse-args.js';
import { FAIL_LEVELS, oneOf } from './one-of.js';

export interface GerritReviewCommand {
  command: 'gerrit-review';
  change: number;
  /** From `project~number`, the URL, or --project. Absent: looked up from the change number. */
  project?: string;
  /** From the URL or --patchset; absent: the current patch set. */
  patchSet?: number;
  /** The Gerrit base URL a review URL names (GERRIT_URL otherwise). */
  url?: string;
  dryRun: boolean;
  failLevel: FailLevel;
}

export interface ChangeArg {
  change: number;
  project?: string;
  patchSet?: number;
  url?: string;
}

const NOT_HERE = ['format', 'filter', 'explain', 'config', 'base', 'head', 'repo', 'pr', 'release'] as const;
const NUMBER = /^[1-9]\d{0,9}$/;

/** A change argument in any of its forms; undefined when it is none of them. */
export function parseChangeArg(text: string): ChangeArg | undefined {
  const value = text.trim();
  if (NUMBER.test(value)) return { change: Number(value) };
  if (/^https?:\/\//i.test(value)) return parseChangeUrl(value);
  const tilde = /^(.+)~([1-9]\d{0,9})$/.exec(value);
  if (tilde?.[1] !== undefined && tilde[2] !== undefined) {
    let project: string;
    try {
      project = decodeURIComponent(tilde[1]);
    } catch {
      return undefined;
    }
    if (!validProject(project)) return undefined;
    return { project, change: Number(tilde[2]) };
  }
  return undefined;
}

function parseChangeUrl(value: string): ChangeArg | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const path = url.pathname;
  // PolyGerrit: <base>/c/<project>/+/<number>[/<patch set or a..b>][/<file>]
  const modern = /^(.*?)\/c\/(.+?)\/\+\/([1-9]\d{0,9})(?:\/(?:(\d+)\.\.)?([1-9]\d{0,4}))?(?:\/.*)?$/.exec(path);
  if (modern?.[2] !== undefined && modern[3] !== undefined) {
    const project = safeDecode(modern[2]);
    if (project === undefined || !validProject(project)) return undefined;
    return {
      url: `${url.origin}${modern[1] ?? ''}`,
      project,
      change: Number(modern[3]),
      ...(modern[5] !== undefined ? { patchSet: Number(modern[5]) } : {}),
    };
  }
  // <base>/c/+/<number>[/ps]
  const noProject = /^(.*?)\/c\/\+\/([1-9]\d{0,9})(?:\/(?:\d+\.\.)?([1-9]\d{0,4}))?(?:\/.*)?$/.exec(path);
  if (noProject?.[2] !== undefined) {
    return { url: `${url.origin}${noProject[1] ?? ''}`, change: Number(noProject[2]), ...(noProject[3] !== undefined ? { patchSet: Number(noProject[3]) } : {}) };
  }
  // The old UI: <base>/#/c/<number>[/ps]
  const hash = /^#\/c\/([1-9]\d{0,9})(?:\/(?:\d+\.\.)?([1-9]\d{0,4}))?\/?$/.exec(url.hash);
  if (hash?.[1] !== undefined) {
    return { url: `${url.origin}${path.replace(/\/+$/, '')}`, change: Number(hash[1]), ...(hash[2] !== undefined ? { patchSet: Number(hash[2]) } : {}) };
  }
  // The short form: <base>/<number>
  const short = /^(.*?)\/([1-9]\d{0,9})\/?$/.exec(path);
  if (short?.[2] !== undefined && url.hash === '') return { url: `${url.origin}${short[1] ?? ''}`, change: Number(short[2]) };
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function validProject(project: string): boolean {
  return project !== '' && !/\s/.test(project) && !project.startsWith('/') && !project.endsWith('/') && !project.includes('~');
}

export function parseGerritArgs(
  rest: readonly string[],
  values: Readonly<Record<string, string | boolean | undefined>>,
  seeHelp: string,
): GerritReviewCommand {
  const [sub, ...args] = rest;
  if (sub === undefined) throw new CliError(`missing subcommand: gerrit review <change> ${seeHelp}`);
  if (sub !== 'review') throw new CliError(`unknown subcommand 'gerrit ${sub}'; use gerrit review <change> ${seeHelp}`);
  for (const name of NOT_HERE) {
    if (values[name] !== undefined) throw new CliError(`--${name} is not an option of gerrit review ${seeHelp}`);
  }
  const [changeText, ...extra] = args;
  if (changeText === undefined) {
    throw new CliError(`gerrit review needs a change: a number, project~number or a review URL such as https://review.opendev.org/c/openstack/puppet-nova/+/12345 ${seeHelp}`);
  }
  if (extra.length > 0) throw new CliError(`gerrit review takes one change (got also '${extra[0]}') ${seeHelp}`);
  const target = parseChangeArg(changeText);
  if (target === undefined) {
    throw new CliError(`'${changeText}' is not a change: give a number, project~number or a review URL such as https://review.opendev.org/c/openstack/puppet-nova/+/12345 ${seeHelp}`);
  }

  const command: GerritReviewCommand = { command: 'gerrit-review', change: target.change, dryRun: values['dry-run'] === true, failLevel: 'error' };
  if (target.url !== undefined) command.url = target.url;

  const project = values.project;
  if (typeof project === 'string') {
    if (!validProject(project) || project.startsWith('-')) throw new CliError(`--project must be a project name such as openstack/puppet-nova, not '${project}' ${seeHelp}`);
    if (target.project !== undefined && target.project !== project) {
      throw new CliError(`--project ${project} contradicts the change's project ${target.project} ${seeHelp}`);
    }
    command.project = project;
  } else if (target.project !== undefined) command.project = target.project;

  const patchSet = values.patchset;
  if (typeof patchSet === 'string') {
    if (!/^[1-9]\d{0,4}$/.test(patchSet)) throw new CliError(`--patchset must be a patch set number, not '${patchSet}' ${seeHelp}`);
    if (target.patchSet !== undefined && target.patchSet !== Number(patchSet)) {
      throw new CliError(`--patchset ${patchSet} contradicts patch set ${target.patchSet} of the URL ${seeHelp}`);
    }
    command.patchSet = Number(patchSet);
  } else if (target.patchSet !== undefined) command.patchSet = target.patchSet;

  const failLevel = oneOf('fail-level', values['fail-level'], FAIL_LEVELS, seeHelp);
  if (failLevel !== undefined) command.failLevel = failLevel;
  return command;
}
