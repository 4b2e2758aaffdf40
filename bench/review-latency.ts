/**
 * Per-change latency of `heartbeat-bot review`, whole process, in a real git repository built from the Debian
 * corpora: a typical change (10 files: manifests, hieradata, an oslo.config file, an Apache vhost, a uWSGI ini)
 * and a large one (300 files). Each file is modified on a branch (a line changed near its middle), so the review
 * reads both sides through one `git cat-file --batch`. Prints p50 / p90 / max over --runs (default 15).
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build && node dist/bench/review-latency.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, listFiles, quantile } from './bench-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPORA = ['.corpus/puppet-modules', '.corpus/openstack/etc'].map((d) => join(ROOT, d));

function main(): void {
  const runs = Number(argValue('--runs') ?? 15);
  const candidates = CORPORA.flatMap((d) => listFiles(d)).filter((f) => /\.(pp|ya?ml|conf|ini)$/.test(f));
  const pick = (n: number): string[] => {
    // Spread over the corpus and over kinds: every k-th file of each extension.
    const byExt = new Map<string, string[]>();
    for (const f of candidates) byExt.set(f.slice(f.lastIndexOf('.')), [...(byExt.get(f.slice(f.lastIndexOf('.'))) ?? []), f]);
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) {
      for (const list of byExt.values()) if (list.length > 0 && out.length < n) out.push(list[(i * 37) % list.length]!);
    }
    return [...new Set(out)];
  };
  const rows = [];
  for (const [name, size] of [['typical (10 files)', 10], ['large (300 files)', 300]] as const) {
    const repo = buildRepo(pick(size));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/bundle/heartbeat-bot.js'), 'review', '--repo', repo, '--base', 'main', '--head', 'change', '--format', 'json', '--fail-level', 'none']);
      if (r.status !== 0) throw new Error(`review failed: ${r.stderr.toString()}`);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    rmSync(repo, { recursive: true, force: true });
    times.sort((a, b) => a - b);
    rows.push({ change: name, runs, 'p50 ms': Math.round(quantile(times, 0.5)), 'p90 ms': Math.round(quantile(times, 0.9)), 'max ms': Math.round(times.at(-1)!) });
  }
  console.table(rows);
}

/** A repository whose `main` has the files and whose `change` branch edits a line in each. */
function buildRepo(files: string[]): string {
  const repo = mkdtempSync(join(tmpdir(), 'hb-latency-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' });
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
    const mid = Math.floor(lines.length / 2);
    lines.splice(mid, 0, f.endsWith('.pp') ? '# changed' : '# changed');
    write(repo, paths[i]!, lines.join('\n'));
  });
  git('commit', '-q', '-am', 'change');
  return repo;
}

function write(repo: string, path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}




main();
