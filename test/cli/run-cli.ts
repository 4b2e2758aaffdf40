/** Runs the built CLI as a user would: the package's `bin`, the bundle build/bundle-cli.mjs makes, in a chosen directory. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** dist/test/cli/ -> dist/src/bundle/heartbeat-bot.js, what `heartbeat-bot` runs (package.json `bin`). */
export const CLI = fileURLToPath(new URL('../../src/bundle/heartbeat-bot.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const env = { ...process.env, ...options.env };
  // Output must not depend on the test runner's terminal or settings.
  delete env.FORCE_COLOR;
  delete env.DOCS_URL;
  if (options.env?.FORCE_COLOR !== undefined) env.FORCE_COLOR = options.env.FORCE_COLOR;
  if (options.env?.DOCS_URL !== undefined) env.DOCS_URL = options.env.DOCS_URL;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? process.cwd(), env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts the one-line `heartbeat-bot: ...` error shape: no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.every((l) => l.startsWith('heartbeat-bot: ')) && !/\n\s+at /.test(stderr);
}
