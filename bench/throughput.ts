/**
 * Whole-tree throughput, each tool as one whole process on the same files, interleaved over several rounds on the
 * same machine (shared, noisy: only ratios from one run mean anything):
 * - the .pp files of Debian's puppet-module corpus: `heartbeat-bot check` vs `puppet-lint` vs
 *   `puppet parser validate`;
 * - the YAML files of that corpus and of Debian's OpenStack packages: `heartbeat-bot check` vs `yamllint`;
 * - everything heartbeat-bot reads in both corpora (Puppet, YAML, INI/conf, Apache, uWSGI): heartbeat-bot alone.
 * Prints files/s, MB/s and per-byte ratios.
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build
 *   node dist/bench/throughput.js [--runs 5] [--record]
 *
 * `--record` appends the figures to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, listFiles, median } from './bench-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PUPPET_CORPUS = join(ROOT, '.corpus/puppet-modules');
const OPENSTACK_CORPUS = [join(ROOT, '.corpus/openstack/etc'), join(ROOT, '.corpus/openstack/usr/share')];

interface Tool {
  name: string;
  command: string;
  args: (files: string[]) => string[];
  /** Exit statuses that mean "ran fine" (linters exit non-zero on findings). */
  ok: (status: number) => boolean;
}

const OURS: Tool = {
  name: 'heartbeat-bot check',
  command: process.execPath,
  args: (files) => [join(ROOT, 'dist/src/bundle/heartbeat-bot.js'), 'check', '--format', 'json', '--fail-level', 'none', ...files],
  ok: (s) => s === 0,
};
const PUPPET_LINT: Tool = { name: 'puppet-lint', command: 'puppet-lint', args: (f) => f, ok: (s) => s === 0 || s === 1 };
const PUPPET_VALIDATE: Tool = {
  name: 'puppet parser validate',
  command: 'puppet',
  args: (f) => ['parser', 'validate', ...f],
  ok: (s) => s === 0 || s === 1,
};
const YAMLLINT: Tool = { name: 'yamllint', command: 'yamllint', args: (f) => ['-f', 'parsable', ...f], ok: (s) => s === 0 || s === 1 };

interface Group {
  name: string;
  files: string[];
  bytes: number;
  tools: Tool[];
}

function main(): void {
  const runs = Number(argValue('--runs') ?? 3);
  if (!existsSync(PUPPET_CORPUS)) fail('no corpus: run `bash bench/puppet-corpus.sh` first');
  const openstack = OPENSTACK_CORPUS.filter(existsSync);
  if (openstack.length === 0) console.log('(no .corpus/openstack: run `bash bench/openstack-corpus.sh` for the YAML/INI groups)');
  const all = [PUPPET_CORPUS, ...openstack].flatMap((dir) => listFiles(dir));
  const groups: Group[] = [
    group('Puppet (.pp)', all.filter((f) => f.endsWith('.pp')), [OURS, PUPPET_LINT, PUPPET_VALIDATE]),
    group('YAML', all.filter((f) => /\.ya?ml$/.test(f)), [OURS, YAMLLINT]),
    group('all it reads (pp, yaml, conf, ini)', all.filter((f) => /\.(pp|ya?ml|conf|ini|cfg)$/.test(f)), [OURS]),
  ];
  const recorded: string[] = [];
  for (const g of groups) {
    console.log(`\n${g.name}: ${g.files.length} files, ${(g.bytes / 1e6).toFixed(2)} MB; ${runs} interleaved rounds`);
    const times = new Map<string, number[]>(g.tools.map((t) => [t.name, []]));
    for (let round = 0; round < runs; round++) {
      for (const tool of g.tools) times.get(tool.name)!.push(timeOnce(tool, g.files));
    }
    const ours = median(times.get(OURS.name)!);
    const rows = g.tools.map((tool) => {
      const s = median(times.get(tool.name)!);
      return {
        tool: tool.name,
        'median s': s.toFixed(2),
        'files/s': Math.round(g.files.length / s),
        'MB/s': (g.bytes / 1e6 / s).toFixed(2),
        'per-byte ratio (x slower than heartbeat-bot)': (s / ours).toFixed(1),
      };
    });
    console.table(rows);
    recorded.push(`${g.name} (${g.files.length} files, ${(g.bytes / 1e6).toFixed(1)} MB): ` + rows.map((r) => `${r.tool} ${r['median s']} s x${r['per-byte ratio (x slower than heartbeat-bot)']}`).join(', '));
  }
  if (process.argv.includes('--record')) record(recorded.join('; '));
}

function group(name: string, absolute: string[], tools: Tool[]): Group {
  const files = absolute.map((f) => relative(ROOT, f));
  return { name, files, bytes: absolute.reduce((n, f) => n + statSync(f).size, 0), tools };
}

function timeOnce(tool: Tool, files: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(tool.command, tool.args(files), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error || r.status === null || !tool.ok(r.status)) {
    fail(`${tool.name} failed (status ${r.status}): ${r.error?.message ?? r.stderr.toString().slice(0, 500)}`);
  }
  return seconds;
}

function record(line: string): void {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout.toString().trim();
  const date = new Date().toISOString().slice(0, 10);
  appendFileSync(join(ROOT, 'bench/RESULTS.md'), `| ${date} | ${commit} | throughput | Debian corpora | ${line} |\n`);
}




function fail(message: string): never {
  console.error(`throughput: ${message}`);
  process.exit(2);
}

main();
