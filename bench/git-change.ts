/**
 * A real git repository holding a change built from the Debian corpora, for the benchmarks that run
 * `heartbeat-bot review`: `main` has the files, `change` edits a line near the middle of each, so a review reads
 * both sides through one `git cat-file --batch`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './bench-helpers.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The `bin` users run (build/bundle-cli.mjs). */
export const CLI = join(ROOT, 'dist/src/bundle/heartbeat-bot.js');
const CORPORA = ['.corpus/puppet-modules', '.corpus/openstack/etc'].map((d) => join(ROOT, d));

/** `n` deployment files (manifests, hieradata, oslo.config, Apache, uWSGI), spread over the corpus and over kinds. */
export function pickCorpusFiles(n: number): string[] {
  const candidates = CORPORA.flatMap((d) => listFiles(d)).filter((f) => /\.(pp|ya?ml|conf|ini)$/.test(f));
  if (candidates.length === 0) throw new Error('no corpus: run bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh');
  const byExt = new Map<string, string[]>();
  for (const f of candidates) {
    const ext = f.slice(f.lastIndexOf('.'));
    byExt.set(ext, [...(byExt.get(ext) ?? []), f]);
  }
  const out: string[] = [];
  // Every k-th file of each extension; a file taken twice lands in another folder, so it counts twice.
  for (let i = 0; out.length < n; i++) {
    for (const list of byExt.values()) if (out.length < n) out.push(list[(i * 37) % list.length]!);
  }
  return out;
}

/** A repository whose `main` has the files and whose `change` branch edits a line in each. */
export function buildChangeRepo(files: readonly string[]): string {
  const repo = mkdtempSync(join(tmpdir(), 'hb-change-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'user.name', 'bench');
  const paths = files.map((f, i) => `f${i}/${relative(ROOT, f).replace(/^\.corpus\//, '')}`);
  files.forEach((f, i) => write(repo, paths[i]!, readFileSync(f, 'utf8')));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'change');
  files.forEach((f, i) => {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.splice(Math.floor(lines.length / 2), 0, '# changed');
    write(repo, paths[i]!, lines.join('\n'));
  });
  git('commit', '-q', '-am', 'change');
  return repo;
}

function write(repo: string, path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

/**
 * Runs `node <args>` and returns its wall time and peak RSS. The peak comes from the child itself
 * (process.resourceUsage().maxRSS at exit, written by a preloaded module to a file), so it is the process's own
 * high-water mark, not a sample.
 */
export function timedNode(args: readonly string[]): { ms: number; maxRssMb: number; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hb-rss-'));
  const out = join(dir, 'max-rss');
  const preload = `data:text/javascript,${encodeURIComponent(
    `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));`,
  )}`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', preload, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let kb = NaN;
  try {
    kb = Number(readFileSync(out, 'utf8'));
  } catch {
    // The child died before its exit handler: no figure.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms, maxRssMb: kb / 1024, status: r.status, stderr: r.stderr };
}
