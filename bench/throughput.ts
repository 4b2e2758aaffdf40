/**
 * Whole-tree throughput on the Debian puppet-module corpus: `heartbeat-bot check` against `puppet-lint` and
 * `puppet parser validate` on the same .pp files, each as one whole process, interleaved over several rounds on
 * the same machine. Prints files/s, MB/s and the median ratio to each peer (the machines are shared and noisy,
 * so only ratios from one run mean anything).
 *
 *   bash bench/puppet-corpus.sh && npm run build && node dist/bench/throughput.js [--runs 3] [--record]
 *
 * `--record` appends the figures to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = join(ROOT, '.corpus/puppet-modules');

interface Tool {
  name: string;
  command: string;
  args: (files: string[]) => string[];
  /** Exit statuses that mean "ran fine" (linters exit non-zero on findings). */
  ok: (status: number) => boolean;
}

const TOOLS: Tool[] = [
  {
    name: 'heartbeat-bot check',
    command: process.execPath,
    args: (files) => [join(ROOT, 'dist/src/cli.js'), 'check', '--format', 'json', '--fail-level', 'none', ...files],
    ok: (s) => s === 0,
  },
  { name: 'puppet-lint', command: 'puppet-lint', args: (files) => files, ok: (s) => s === 0 || s === 1 },
  { name: 'puppet parser validate', command: 'puppet', args: (files) => ['parser', 'validate', ...files], ok: (s) => s === 0 || s === 1 },
];

function main(): void {
  const runs = Number(argValue('--runs') ?? 3);
  if (!existsSync(CORPUS)) fail('no corpus: run `bash bench/puppet-corpus.sh` first');
  const files = listFiles(CORPUS, '.pp').map((f) => relative(ROOT, f));
  const bytes = files.reduce((n, f) => n + statSync(join(ROOT, f)).size, 0);
  console.log(`corpus: ${files.length} .pp files, ${(bytes / 1e6).toFixed(2)} MB; ${runs} interleaved rounds`);

  const times = new Map<string, number[]>(TOOLS.map((t) => [t.name, []]));
  for (let round = 0; round < runs; round++) {
    for (const tool of TOOLS) {
      const start = process.hrtime.bigint();
      const r = spawnSync(tool.command, tool.args(files), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.error || r.status === null || !tool.ok(r.status)) {
        fail(`${tool.name} failed (status ${r.status}): ${r.error?.message ?? r.stderr.toString().slice(0, 500)}`);
      }
      times.get(tool.name)!.push(seconds);
    }
  }

  const ours = median(times.get(TOOLS[0]!.name)!);
  const rows = TOOLS.map((tool) => {
    const s = median(times.get(tool.name)!);
    return {
      tool: tool.name,
      'median s': s.toFixed(2),
      'files/s': Math.round(files.length / s),
      'MB/s': (bytes / 1e6 / s).toFixed(2),
      'x slower than heartbeat-bot': (s / ours).toFixed(1),
    };
  });
  console.table(rows);
  if (process.argv.includes('--record')) record(files.length, bytes, rows);
}

function record(files: number, bytes: number, rows: Record<string, string | number>[]): void {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout.toString().trim();
  const date = new Date().toISOString().slice(0, 10);
  const line = rows.map((r) => `${r['tool']} ${r['median s']} s (${r['MB/s']} MB/s, x${r['x slower than heartbeat-bot']})`).join('; ');
  appendFileSync(join(ROOT, 'bench/RESULTS.md'), `| ${date} | ${commit} | throughput | ${files} files, ${(bytes / 1e6).toFixed(1)} MB | ${line} |\n`);
}

function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, ext));
    else if (entry.isFile() && entry.name.endsWith(ext)) out.push(path);
  }
  return out.sort();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(`throughput: ${message}`);
  process.exit(2);
}

main();
