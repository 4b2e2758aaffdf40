/** Runs git in a repository; a failure becomes a CliError carrying git's own reason. */
import { spawn } from 'node:child_process';
import { CliError } from './cli-error.js';

/** Settings that keep git's output machine-readable and its behaviour independent of the user's config. */
const GIT_CONFIG = ['-c', 'core.quotepath=off', '-c', 'diff.noprefix=false', '-c', 'color.ui=false'];

export interface GitRun {
  stdout: Buffer;
  stderr: string;
}

/** git's first `fatal:`/`error:` line, without the prefix: the reason a user needs. */
export function gitReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? 'git failed';
  return line.replace(/^(fatal|error):\s*/, '');
}

/**
 * `git -C repo <args>`, feeding `input` on stdin. Resolves with the output when git exits 0; rejects with a
 * CliError otherwise (or when git cannot be started).
 */
export function runGit(repo: string, args: readonly string[], input?: string): Promise<GitRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['-C', repo, ...GIT_CONFIG, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // No pager, no prompts: nothing may wait for a terminal.
      env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new CliError(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolvePromise({ stdout: Buffer.concat(out), stderr });
      else reject(new CliError(`git ${args[0] ?? ''}: ${gitReason(stderr)}`));
    });
    // git may exit before reading all of stdin (a bad revision); that EPIPE is not the error to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
