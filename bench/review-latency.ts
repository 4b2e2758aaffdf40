/**
 * Per-change latency of `heartbeat-bot review`, whole process (the `bin`), in a real git repository built from the
 * Debian corpora: a typical change (10 files: manifests, hieradata, an oslo.config file, an Apache vhost, a uWSGI
 * ini) and a large one (300 files). Prints p50 / p90 / max over --runs (default 15). Target: typical p50 < 150 ms.
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build && node dist/bench/review-latency.js [--runs 15] [--record]
 */
import { appendFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { argValue, quantile, resultsRow } from './bench-helpers.js';
import { buildChangeRepo, CLI, pickCorpusFiles, ROOT } from './git-change.js';

const TYPICAL_TARGET_MS = 150;

function main(): void {
  const runs = Number(argValue('--runs') ?? 15);
  const rows = [];
  for (const [name, size] of [['typical (10 files)', 10], ['large (300 files)', 300]] as const) {
    const repo = buildChangeRepo(pickCorpusFiles(size));
    const times: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [CLI, 'review', '--repo', repo, '--base', 'main', '--head', 'change', '--format', 'json', '--fail-level', 'none']);
        if (r.status !== 0) throw new Error(`review failed: ${r.stderr.toString()}`);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    rows.push({ change: name, files: size, runs, p50: Math.round(quantile(times, 0.5)), p90: Math.round(quantile(times, 0.9)), max: Math.round(times.at(-1)!) });
  }
  console.table(rows.map((r) => ({ change: r.change, runs: r.runs, 'p50 ms': r.p50, 'p90 ms': r.p90, 'max ms': r.max })));
  const typical = rows[0]!;
  console.log(`typical change p50 ${typical.p50} ms: ${typical.p50 < TYPICAL_TARGET_MS ? 'meets' : 'MISSES'} the ${TYPICAL_TARGET_MS} ms target`);
  if (process.argv.includes('--record')) {
    appendFileSync(
      join(ROOT, 'bench/RESULTS.md'),
      resultsRow('review latency', `${runs} runs each`, rows.map((r) => `${r.files} files p50 ${r.p50} ms, p90 ${r.p90} ms`).join('; ')),
    );
  }
}

main();
