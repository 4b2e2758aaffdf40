/**
 * Real git repositories for end-to-end tests: made in a temporary directory, committed to with a fixed identity
 * and clock so commit ids are stable within a run, and cloned bare when a test needs to prove the work tree is
 * never read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.org',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.org',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

export class GitRepo {
  private constructor(readonly dir: string) {}

  /** A new repository on branch `master` in a fresh temporary directory. */
  static init(prefix = 'heartbeat-bot-test-'): GitRepo {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const repo = new GitRepo(dir);
    repo.git('init', '-q', '-b', 'master');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
      cwd: this.dir,
      env: { ...process.env, ...IDENTITY },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  write(path: string, content: string | Uint8Array): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return this;
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    renameSync(join(this.dir, from), join(this.dir, to));
    return this;
  }

  /** Stages everything and commits; returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** A bare clone next to the repository (all branches). */
  cloneBare(): GitRepo {
    const target = `${this.dir}.git`;
    execFileSync('git', ['clone', '-q', '--bare', this.dir, target], { stdio: 'ignore' });
    return new GitRepo(target);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
