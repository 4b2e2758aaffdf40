/**
 * Whole-tree throughput, each tool as one whole process on the same files, interleaved over several rounds on the
 * same machine (shared, noisy: only ratios from one run mean anything):
 * - the .pp files of Debian's puppet-module corpus: `heartbeat-bot check` vs `puppet-lint` vs
 *   `puppet parser validate`;
 * - the YAML files of that corpus and of Debian's OpenStack packages: `heartbeat-bot check` vs `yamllint`;
 * - everything heartbeat-bot reads in both corpora (Puppet, YAML, INI/conf, Apache, uWSGI): heartbeat-bot alone.
 * Prints files/s, MB/s and per-byte ratios, then per group: how many of the group's files and bytes heartbeat-bot
 * actually reviewed (the rest are not a format it reads), each tool's start-up (the same command on the group's
 * first file alone, in the same rounds), and for the peer groups the headline ratio against the target with the
 * bound start-up puts on it (the peer's time over heartbeat-bot's start-up: what zero parse time would give).
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build
 *   node dist/bench/throughput.js [--runs 5] [--record] [--only NAME] [--baseline OTHER/src/bundle/heartbeat-bot.js]
 *
 * `--only NAME` runs only the groups whose name contains NAME (`--only YAML`).
 * `--baseline` adds another build's CLI (an earlier commit's) to the groups heartbeat-bot runs in, interleaved in
 * the same rounds, for before/after figures from one run.
 * It runs the CLI of the build it belongs to (dist/, or a private `tsc --outDir` build with its bundle), so a
 * private build benchmarks itself; the corpus is found at the repository root.
 * `--record` appends the figures to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, listFiles, median } from './bench-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The build output this file belongs to: dist/, or a private out dir. */
const OUT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(OUT, 'src/bundle/heartbeat-bot.js');
const CLI = existsSync(BUNDLE) ? BUNDLE : join(OUT, 'src/cli.js');
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
  args: (files) => [CLI, 'check', '--format', 'json', '--fail-level', 'none', ...files],
  ok: (s) => s === 0,
};
const baselineCli = argValue('--baseline');
const BASELINE: Tool | undefined =
  baselineCli === undefined
    ? undefined
    : { ...OURS, name: 'heartbeat-bot (baseline)', args: (files) => [baselineCli, ...OURS.args(files).slice(1)] };
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
  /** The per-byte speed-up over each peer that issue 7 asks for. */
  targets?: Record<string, number>;
}

function main(): void {
  const runs = Number(argValue('--runs') ?? 3);
  if (!existsSync(PUPPET_CORPUS)) fail('no corpus: run `bash bench/puppet-corpus.sh` first');
  const openstack = OPENSTACK_CORPUS.filter(existsSync);
  if (openstack.length === 0) console.log('(no .corpus/openstack: run `bash bench/openstack-corpus.sh` for the YAML/INI groups)');
  const all = [PUPPET_CORPUS, ...openstack].flatMap((dir) => listFiles(dir));
  const groups: Group[] = [
    group('Puppet (.pp)', all.filter((f) => f.endsWith('.pp')), [OURS, PUPPET_LINT, PUPPET_VALIDATE], { [PUPPET_LINT.name]: 20 }),
    group('YAML', all.filter((f) => /\.ya?ml$/.test(f)), [OURS, YAMLLINT], { [YAMLLINT.name]: 10 }),
    group('all it reads (pp, yaml, conf, ini)', all.filter((f) => /\.(pp|ya?ml|conf|ini|cfg)$/.test(f)), [OURS]),
  ];
  console.log(`heartbeat-bot: ${relative(ROOT, CLI)}${BASELINE ? `; baseline: ${BASELINE.args([])[0]}` : ''}`);
  const recorded: string[] = [];
  const only = argValue('--only');
  for (const g of groups.filter((x) => only === undefined || x.name.includes(only))) {
    console.log(`\n${g.name}: ${g.files.length} files, ${(g.bytes / 1e6).toFixed(2)} MB; ${runs} interleaved rounds`);
    const times = new Map<string, number[]>(g.tools.map((t) => [t.name, []]));
    const startup = new Map<string, number[]>(g.tools.map((t) => [t.name, []]));
    const first = g.files.slice(0, 1);
    for (let round = 0; round < runs; round++) {
      for (const tool of g.tools) {
        times.get(tool.name)!.push(timeOnce(tool, g.files));
        startup.get(tool.name)!.push(timeOnce(tool, first));
      }
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
    const reviewed = reviewedStats(g.files);
    const oursStart = median(startup.get(OURS.name)!);
    console.log(
      `heartbeat-bot reviewed ${reviewed.files} of the ${g.files.length} files, ${(reviewed.bytes / 1e6).toFixed(2)} of the ` +
        `${(g.bytes / 1e6).toFixed(2)} MB (the rest is not a format it reads: skipped, as review() skips it)`,
    );
    console.log(
      'start-up (the first file alone): ' +
        g.tools.map((t) => `${t.name} ${median(startup.get(t.name)!).toFixed(2)} s`).join(', ') +
        `; heartbeat-bot without its start-up: ${(g.bytes / 1e6 / Math.max(ours - oursStart, 1e-3)).toFixed(2)} MB/s`,
    );
    for (const [peer, target] of Object.entries(g.targets ?? {})) {
      const theirs = median(times.get(peer)!);
      const ratio = theirs / ours;
      console.log(
        `=> ${g.name}: heartbeat-bot is ${ratio.toFixed(1)}x faster than ${peer} per byte (target ${target}x: ` +
          `${ratio >= target ? 'met' : 'NOT met'}); start-up alone bounds it at ${(theirs / oursStart).toFixed(1)}x`,
      );
    }
    recorded.push(`${g.name} (${g.files.length} files, ${(g.bytes / 1e6).toFixed(1)} MB): ` + rows.map((r) => `${r.tool} ${r['median s']} s x${r['per-byte ratio (x slower than heartbeat-bot)']}`).join(', '));
  }
  if (process.argv.includes('--record')) record(recorded.join('; '));
}

function group(name: string, absolute: string[], tools: Tool[], targets?: Record<string, number>): Group {
  const files = absolute.map((f) => relative(ROOT, f));
  if (BASELINE) tools = [tools[0]!, BASELINE, ...tools.slice(1)];
  const g: Group = { name, files, bytes: absolute.reduce((n, f) => n + statSync(f).size, 0), tools };
  if (targets) g.targets = targets;
  return g;
}

/** What heartbeat-bot itself says it reviewed (`stats` of its JSON output): files and bytes. */
function reviewedStats(files: string[]): { files: number; bytes: number } {
  const r = spawnSync(OURS.command, OURS.args(files), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  if (r.status !== 0) fail(`${OURS.name} failed (status ${r.status}): ${r.stderr.toString().slice(0, 500)}`);
  const stats = (JSON.parse(r.stdout.toString()) as { stats: { files: number; bytes: number } }).stats;
  return { files: stats.files, bytes: stats.bytes };
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
