/** Command line -> what to do. Strict: any unknown option or value is a CliError naming it. */
import { parseArgs } from 'node:util';
import type { FilterMode, Severity } from '../model/finding.js';
import { CliError } from './cli-error.js';
import { parseGerritArgs, type GerritReviewCommand } from './gerrit-args.js';
import { parseGitHubArgs, type GitHubReviewCommand } from './github-args.js';
import { FAIL_LEVELS, oneOf } from './one-of.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'rdjson';
export type FailLevel = 'none' | Severity;

export interface CommonOptions {
  format: OutputFormat;
  /** Absent: the configuration's filter, else `added`. */
  filter?: FilterMode;
  release?: string;
  config?: string;
  failLevel: FailLevel;
  /** Text output: add the effective concurrency table (`--explain`). */
  explain: boolean;
}

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'serve' }
  | ({ command: 'check'; paths: string[] } & CommonOptions)
  | ({ command: 'review'; repo: string; base: string; head: string } & CommonOptions)
  | GitHubReviewCommand
  | GerritReviewCommand;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'rdjson'];
const FILTERS: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

const OPTIONS = {
  format: { type: 'string' },
  filter: { type: 'string' },
  release: { type: 'string' },
  config: { type: 'string' },
  'fail-level': { type: 'string' },
  explain: { type: 'boolean' },
  repo: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  pr: { type: 'string' },
  'dry-run': { type: 'boolean' },
  project: { type: 'string' },
  patchset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const SEE_HELP = '(see heartbeat-bot --help)';


/** A value must not look like an option: `--base --head` means a forgotten value, and git must never see `-x`. */
function plainValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value.startsWith('-')) throw new CliError(`--${name} needs a value ${SEE_HELP}`);
  return value;
}

/** parseArgs' own messages are long and suggest `--`; say what is wrong in one line instead. */
function explain(error: unknown): CliError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliError(`unknown option ${option ?? ''} ${SEE_HELP}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new CliError(`option ${option?.split(' ')[0] ?? ''} needs a value ${SEE_HELP}`);
  }
  return new CliError(`${message.split('\n')[0] ?? message} ${SEE_HELP}`);
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw explain(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };

  const [command, ...rest] = positionals;
  if (command === undefined) throw new CliError(`missing command: check or review ${SEE_HELP}`);
  if (command === 'serve') {
    // The service takes its configuration from the environment (CONTRACTS.md §3), not from options.
    if (rest.length > 0 || argv.length > 1) throw new CliError(`serve takes no arguments; configure it with environment variables ${SEE_HELP}`);
    return { command: 'serve' };
  }
  if (command === 'gerrit') return parseGerritArgs(rest, values, SEE_HELP);
  for (const name of ['project', 'patchset'] as const) {
    if (values[name] !== undefined) throw new CliError(`--${name} is an option of gerrit review ${SEE_HELP}`);
  }
  if (command === 'github') return parseGitHubArgs(rest, values, SEE_HELP);
  for (const name of ['pr', 'dry-run'] as const) {
    if (values[name] !== undefined) throw new CliError(`--${name} is an option of github review ${SEE_HELP}`);
  }
  if (command !== 'check' && command !== 'review') throw new CliError(`unknown command '${command}' ${SEE_HELP}`);

  const filter = oneOf('filter', values.filter, FILTERS, SEE_HELP);
  const release = plainValue('release', values.release);
  const config = plainValue('config', values.config);
  const common: CommonOptions = {
    format: oneOf('format', values.format, FORMATS, SEE_HELP) ?? 'text',
    failLevel: oneOf('fail-level', values['fail-level'], FAIL_LEVELS, SEE_HELP) ?? 'error',
    explain: values.explain === true,
    ...(filter !== undefined ? { filter } : {}),
    ...(release !== undefined ? { release } : {}),
    ...(config !== undefined ? { config } : {}),
  };

  if (command === 'check') {
    for (const name of ['repo', 'base', 'head'] as const) {
      if (values[name] !== undefined) throw new CliError(`--${name} is an option of review, not check ${SEE_HELP}`);
    }
    return { command: 'check', paths: rest.length > 0 ? rest : ['.'], ...common };
  }
  if (rest.length > 0) throw new CliError(`review takes no paths (got '${rest[0]}'); use --repo DIR ${SEE_HELP}`);
  const base = plainValue('base', values.base);
  if (base === undefined) throw new CliError(`review needs --base REV ${SEE_HELP}`);
  return {
    command: 'review',
    repo: plainValue('repo', values.repo) ?? '.',
    base,
    head: plainValue('head', values.head) ?? 'HEAD',
    ...common,
  };
}
