/**
 * Scaling curve: time and peak memory as the change grows (1, 10, 100, 1000, 3000 files — 3000 is GitHub's cap on
 * a pull request's files), for
 *   - `heartbeat-bot review` (the bin, whole process) of a change in a real git repository built from the Debian
 *     corpora (median of --runs, default 3; peak RSS is the child's own maxRSS);
 *   - the service (`node dist/src/server.js` as a child, SQLite queue) reviewing one Gerrit change of that many
 *     files posted to the fake Gerrit: webhook sent -> review received, and the child's peak RSS (VmHWM).
 * It must stay linear: the run prints the marginal cost of a file (100 -> 1000 and 1000 -> 3000 files) and fails
 * when the later is more than 3x the earlier (a quadratic step would show as ~4x and growing), or when a peak
 * passes 300 MB.
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build && node dist/bench/scaling.js [--runs 3] [--sizes 1,10,100,1000,3000] [--record]
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { argValue, median, resultsRow } from './bench-helpers.js';
import { buildChangeRepo, CLI, pickCorpusFiles, ROOT, timedNode } from './git-change.js';
import { deliver, spawnService, startGerritFixture, until } from '../test/service/process-harness.js';
import type { FileInput } from '../test/fakes/gerrit/fake-gerrit.js';

const PEAK_LIMIT_MB = 300;
const LINEARITY_LIMIT = 3;

interface Point {
  files: number;
  bytes: number;
  cliMs: number;
  cliRssMb: number;
  serviceMs: number;
  serviceRssMb: number;
}

async function main(): Promise<void> {
  const runs = Number(argValue('--runs') ?? 3);
  const sizes = (argValue('--sizes') ?? '1,10,100,1000,3000').split(',').map(Number);
  const points: Point[] = [];
  for (const n of sizes) {
    const files = pickCorpusFiles(n);
    const cli = reviewInGit(files, runs);
    const service = await reviewInService(files);
    points.push({ files: n, bytes: cli.bytes, cliMs: cli.ms, cliRssMb: cli.rssMb, serviceMs: service.ms, serviceRssMb: service.rssMb });
    console.error(`  ${n} files done`);
  }

  console.log(`scaling: one change of N corpus files; CLI = heartbeat-bot review in git (median of ${runs}); service = one Gerrit change through node dist/src/server.js`);
  console.log('');
  console.log('| files | MB | CLI time | CLI ms/file | CLI peak RSS | service time | service ms/file | service peak RSS |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of points) {
    console.log(
      `| ${p.files} | ${(p.bytes / 1e6).toFixed(2)} | ${p.cliMs.toFixed(0)} ms | ${(p.cliMs / p.files).toFixed(2)} | ${p.cliRssMb.toFixed(0)} MB | ${p.serviceMs.toFixed(0)} ms | ${(p.serviceMs / p.files).toFixed(2)} | ${p.serviceRssMb.toFixed(0)} MB |`,
    );
  }
  const problems: string[] = [];
  // Linear means a constant marginal cost per file: compare the cost of each file added from 1000 to 3000 files
  // with that from 100 to 1000 (start-up, a constant, cancels out).
  const at = (n: number) => points.find((p) => p.files === n);
  const [p100, p1000, p3000] = [at(100), at(1000), at(3000)];
  if (p100 !== undefined && p1000 !== undefined && p3000 !== undefined) {
    for (const [what, t] of [['CLI', (p: Point) => p.cliMs], ['service', (p: Point) => p.serviceMs]] as const) {
      const early = (t(p1000) - t(p100)) / 900;
      const late = (t(p3000) - t(p1000)) / 2000;
      console.log(`${what}: ${early.toFixed(2)} ms per added file from 100 to 1000 files, ${late.toFixed(2)} from 1000 to 3000 (x${(late / early).toFixed(2)})`);
      if (late / early > LINEARITY_LIMIT) problems.push(`${what}: an added file costs ${(late / early).toFixed(1)}x more beyond 1000 files`);
    }
  }
  for (const p of points) {
    if (p.cliRssMb > PEAK_LIMIT_MB || p.serviceRssMb > PEAK_LIMIT_MB) problems.push(`${p.files} files: peak RSS over ${PEAK_LIMIT_MB} MB`);
  }
  for (const problem of problems) console.error(`scaling: ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
  if (process.argv.includes('--record')) {
    const figures = points.map((p) => `${p.files}: CLI ${p.cliMs.toFixed(0)} ms ${p.cliRssMb.toFixed(0)} MB, service ${p.serviceMs.toFixed(0)} ms ${p.serviceRssMb.toFixed(0)} MB`).join('; ');
    appendFileSync(join(ROOT, 'bench/RESULTS.md'), resultsRow('scaling', sizes.join('/') + ' files', figures));
  }
}

function reviewInGit(files: string[], runs: number): { ms: number; rssMb: number; bytes: number } {
  const repo = buildChangeRepo(files);
  try {
    const results = Array.from({ length: runs }, () => {
      const r = timedNode([CLI, 'review', '--repo', repo, '--base', 'main', '--head', 'change', '--format', 'json', '--fail-level', 'none']);
      if (r.status !== 0) throw new Error(`review of ${files.length} files failed: ${r.stderr.slice(0, 500)}`);
      return r;
    });
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(readText(f)), 0);
    return { ms: median(results.map((r) => r.ms)), rssMb: Math.max(...results.map((r) => r.maxRssMb)), bytes };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

async function reviewInService(files: string[]): Promise<{ ms: number; rssMb: number }> {
  const fixture = await startGerritFixture();
  const service = await spawnService(fixture.env({ LOG_LEVEL: 'warn' }), { cwd: fixture.dir, name: `scaling ${files.length}` });
  try {
    const inputs: FileInput[] = files.map((f, i) => {
      const text = readText(f);
      const lines = text.split('\n');
      lines.splice(Math.floor(lines.length / 2), 0, '# changed');
      return { path: `f${i}/${f.slice(f.lastIndexOf('.corpus/') + 8)}`, oldContent: text, newContent: lines.join('\n') };
    });
    const number = 70_000 + files.length;
    fixture.fake.addChange({ project: 'openstack/puppet-nova', number, branch: 'stable/wallaby', subject: `${files.length} files`, patchSets: [{ files: inputs }] });
    const started = performance.now();
    const [delivery] = await deliver(fixture.fake, service.url, [{ project: 'openstack/puppet-nova', number }]);
    if (delivery?.status !== 202) throw new Error(`the webhook was answered ${delivery?.status}`);
    await until(() => fixture.fake.reviews.some((r) => r.number === number && r.status === 200), `the review of ${files.length} files`, 300_000);
    return { ms: performance.now() - started, rssMb: service.peakRssMb() };
  } finally {
    await service.stop(5000);
    await fixture.close();
  }
}

const texts = new Map<string, string>();
function readText(path: string): string {
  let text = texts.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    texts.set(path, text);
  }
  return text;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
