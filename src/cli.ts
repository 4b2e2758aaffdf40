#!/usr/bin/env node
/**
 * heartbeat-bot's command line (CONTRACTS.md §2): `check [PATH...]` and `review --repo DIR --base REV [--head REV]`;
 * `github review --repo OWNER/NAME --pr N` posts to a GitHub pull request (src/cli/github-review.ts),
 * `gerrit review <change>` to a Gerrit change (src/cli/gerrit-review.ts).
 *
 * The composition root of the CLI, the only CLI file that wires things together: arguments -> a ChangeSet from the
 * file system or git -> configuration -> review() -> filter -> formatter -> stdout, exit status. Everything that can
 * go wrong is caught here and printed as `heartbeat-bot: <message>` with exit status 2, never a stack trace.
 *
 * Start-up matters (a review of a few files must take well under 150 ms, process included): the engine, rules and
 * the chosen formatter are imported only once the arguments are known to need them, and the `bin` users run is this
 * file bundled by build/bundle-cli.mjs, whose chunks split at these dynamic imports (loading ~215 separate module
 * files cost ~60 ms of a 150 ms check).
 */
import { performance } from 'node:perf_hooks';
import { CliError } from './cli/cli-error.js';
import { parseCliArgs, type CliCommand } from './cli/parse-args.js';
import type { ChangeSet } from './model/change-set.js';
import type { FileError } from './model/finding.js';
import { ENGINE_CHECKS, type RepoConfig } from './model/review.js';
import type { ConfigSource } from './cli/read-config.js';

type RunCommand = Extract<CliCommand, { command: 'check' | 'review' }>;

/** What a source produced: the change, the configuration to apply, and files it could not read. */
interface SourcedChange {
  changeSet: ChangeSet;
  config?: ConfigSource;
  ioErrors: FileError[];
  /** Branch names of the revisions (review only), for release resolution. */
  branches?: { base?: string; head?: string };
}

async function readSource(command: RunCommand): Promise<SourcedChange> {
  const { readConfigFile, readOptionalConfigFile } = await import('./cli/read-config.js');
  if (command.command === 'check') {
    const { readFileTree } = await import('./cli/read-file-tree.js');
    const { changeSet, ioErrors } = readFileTree(command.paths);
    const config = command.config !== undefined ? readConfigFile(command.config) : readOptionalConfigFile('.heartbeat-bot.yml');
    return { changeSet, ioErrors, ...(config !== undefined ? { config } : {}) };
  }
  // --config is read first: a missing file is a usage error whatever git says.
  const explicit = command.config !== undefined ? readConfigFile(command.config) : undefined;
  const { readGitChange, REPO_CONFIG_FILE } = await import('./cli/read-git-change.js');
  const change = await readGitChange(command.repo, command.base, command.head);
  const config =
    explicit ??
    (change.configText !== undefined ? { text: change.configText, source: `${command.head}:${REPO_CONFIG_FILE}` } : undefined);
  return { changeSet: change.changeSet, ioErrors: [], branches: change.branches, ...(config !== undefined ? { config } : {}) };
}

async function run(command: RunCommand): Promise<number> {
  const [source, { review }, { loadRules }, { loadKnowledge }, { parseRepoConfig }, release, { applyFilter }] =
    await Promise.all([
      readSource(command),
      import('./engine/review.js'),
      import('./engine/load-rules.js'),
      import('./settings/load-knowledge.js'),
      import('./engine/repo-config.js'),
      import('./engine/resolve-release.js'),
      import('./diff/apply-filter.js'),
    ]);
  const [rules, format] = await Promise.all([loadRules(), import('./cli/load-formatter.js').then((m) => m.loadFormatter(command.format))]);

  let config: RepoConfig = {};
  if (source.config !== undefined) {
    const parsed = parseRepoConfig(source.config.text, source.config.source, rules.map((r) => r.meta.id));
    if (parsed.problems.length > 0) throw new CliError(parsed.problems.join('\n'));
    config = parsed.config;
  }

  const changeSet = source.changeSet;
  if (source.branches !== undefined) {
    const { chooseBranch } = await import('./cli/choose-branch.js');
    const branch = chooseBranch(source.branches, release.seriesOfBranch);
    if (branch !== undefined) changeSet.branch = branch;
  }

  const knowledge = loadKnowledge();
  const started = performance.now();
  let result;
  try {
    result = review(changeSet, rules, knowledge, {
      config,
      ...(command.release !== undefined ? { release: command.release } : {}),
    });
  } catch (error) {
    if (error instanceof release.UnknownReleaseError) throw new CliError(error.message);
    throw error;
  }
  const ms = performance.now() - started;

  // `check` marks every line as changed, so any filter keeps everything there.
  const filter = command.filter ?? config.filter ?? 'added';
  const findings = applyFilter(result.findings, filter);
  const contents = new Map<string, string>();
  for (const file of changeSet.files) if (file.newContent !== undefined) contents.set(file.path, file.newContent);

  const { packageVersion } = await import('./cli/package-version.js');
  const { useColor } = await import('./cli/use-color.js');
  const docsBase = process.env.DOCS_URL;
  const output = format(
    {
      findings,
      errors: [...source.ioErrors, ...result.errors],
      skipped: result.skipped,
      stats: { ...result.stats, ms },
      // Engine checks are listed too, so SARIF describes them like rules.
      rules: [...rules.map((r) => r.meta), ...ENGINE_CHECKS],
      contents,
      summary: result.summary,
    },
    {
      version: packageVersion(),
      color: command.format === 'text' && useColor(process.env, process.stdout.isTTY),
      explain: command.explain,
      ...(docsBase !== undefined && docsBase !== '' ? { docsBase } : {}),
    },
  );
  process.stdout.write(output);

  if (source.ioErrors.length > 0) return 2;
  const { exitCodeFor } = await import('./cli/exit-code.js');
  return exitCodeFor(findings, command.failLevel);
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCliArgs(argv);
  switch (command.command) {
    case 'help': {
      const { HELP_TEXT } = await import('./cli/help-text.js');
      process.stdout.write(HELP_TEXT);
      return 0;
    }
    case 'version': {
      const { packageVersion } = await import('./cli/package-version.js');
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    case 'serve': {
      const { serve } = await import('./server.js');
      await serve();
      return typeof process.exitCode === 'number' ? process.exitCode : 0;
    }
    case 'github-review': {
      const { runGitHubReview } = await import('./cli/github-review.js');
      return runGitHubReview(command, {
        env: process.env,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    }
    case 'gerrit-review': {
      const { runGerritReview } = await import('./cli/gerrit-review.js');
      return runGerritReview(command, {
        env: process.env,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    }
    default:
      return run(command);
  }
}

/** One line per line of the message, each prefixed, so a list of problems stays readable and greppable. */
function report(message: string): void {
  for (const line of message.split('\n')) process.stderr.write(`heartbeat-bot: ${line}\n`);
}

// A reader that goes away (`| head`) is not an error worth a message.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) report(error.message);
    else report(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
