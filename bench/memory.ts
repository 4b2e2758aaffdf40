/**
 * Peak memory of the service (`node dist/src/server.js` as a child, as `npm start` runs it; the peak is the child's
 * VmHWM from /proc), target under 300 MB each:
 *   1. reviewing one 3000-file pull request (GitHub's cap on a pull request's files) from the Debian corpora,
 *      webhook -> check run completed on the fake GitHub;
 *   2. holding 10000 queued jobs: 10000 Gerrit webhooks-plugin deliveries while the fake Gerrit answers slowly, so
 *      the workers hold 4 and the rest wait — with the SQLite queue, and with Redis (two-instance setups keep their
 *      queue there) when one answers at REDIS_URL (database 13, flushed before and after).
 *
 *   bash bench/puppet-corpus.sh && bash bench/openstack-corpus.sh && npm run build && node dist/bench/memory.js [--files 3000] [--jobs 10000] [--only pr|queue] [--record]
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { argValue, resultsRow } from './bench-helpers.js';
import { pickCorpusFiles, ROOT } from './git-change.js';
import { startFakeGitHub } from '../test/fakes/github/fake-github.js';
import { postGitHubWebhook } from '../test/service/github-harness.js';
import { addChanges, deliver, redisReachable, spawnService, startGerritFixture, until, REDIS_URL } from '../test/service/process-harness.js';

const LIMIT_MB = 300;
const SECRET = 'memory-bench-secret';

interface Row {
  what: string;
  peakMb: number;
  detail: string;
}

async function main(): Promise<void> {
  const files = Number(argValue('--files') ?? 3000);
  const jobs = Number(argValue('--jobs') ?? 10000);
  const only = argValue('--only');
  const rows: Row[] = [];
  if (only === undefined || only === 'pr') rows.push(await bigPullRequest(files));
  if (only === undefined || only === 'queue') {
    rows.push(await queued(jobs, 'sqlite'));
    if (await redisReachable(REDIS_URL)) rows.push(await queued(jobs, 'redis'));
    else console.error(`no Redis at ${REDIS_URL}: the Redis queue row is skipped`);
  }

  console.log('| what | peak RSS | |');
  console.log('|---|---:|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.peakMb.toFixed(0)} MB | ${r.detail} |`);
  const over = rows.filter((r) => r.peakMb >= LIMIT_MB);
  console.log(over.length === 0 ? `all under the ${LIMIT_MB} MB target` : `OVER the ${LIMIT_MB} MB target: ${over.map((r) => r.what).join(', ')}`);
  if (over.length > 0) process.exitCode = 1;
  if (process.argv.includes('--record')) {
    appendFileSync(join(ROOT, 'bench/RESULTS.md'), resultsRow('memory', `${files}-file PR, ${jobs} queued jobs`, rows.map((r) => `${r.what}: ${r.peakMb.toFixed(0)} MB`).join('; ')));
  }
}

/** One pull request of `n` corpus files (each edited near its middle) reviewed by the GitHub App. */
async function bigPullRequest(n: number): Promise<Row> {
  const fake = await startFakeGitHub({ contentRateLimit: false });
  const dir = mkdtempSync(join(tmpdir(), 'hb-memory-'));
  const host = new URL(fake.url).host;
  const service = await spawnService(
    { APP_ID: String(fake.appId), PRIVATE_KEY: fake.privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: host, GHE_PROTOCOL: 'http', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' },
    { cwd: dir, name: `${n}-file pull request` },
  );
  try {
    const prFiles = pickCorpusFiles(n).map((f, i) => {
      const text = readFileSync(f, 'utf8');
      const lines = text.split('\n');
      lines.splice(Math.floor(lines.length / 2), 0, '# changed');
      return { path: `f${i}/${f.slice(f.lastIndexOf('.corpus/') + 8)}`, oldContent: text, newContent: lines.join('\n') };
    });
    const pr = fake.addPullRequest({ owner: 'openstack-ops', repo: 'deployment', number: 1, title: 'Everything at once', base: { ref: 'stable/wallaby' }, head: { ref: 'big' }, files: prFiles });
    const payload = {
      action: 'opened',
      number: 1,
      pull_request: fake.pullRequestJson('openstack-ops', 'deployment', 1),
      repository: fake.repositoryJson('openstack-ops', 'deployment'),
      installation: { id: fake.installationId },
      sender: { login: 'octocat', id: 583231, type: 'User' },
    };
    const body = JSON.stringify(payload);
    const started = performance.now();
    const response = await postGitHubWebhook(service.url, 'pull_request', body, { secret: SECRET });
    await response.text();
    if (response.status >= 300) throw new Error(`the webhook was answered ${response.status}`);
    const completed = () =>
      fake.requests.some((r) => r.method !== 'GET' && r.path.includes('/check-runs') && (r.body as { conclusion?: unknown } | undefined)?.conclusion !== undefined);
    await until(completed, `the check run of the ${n}-file pull request`, 600_000, () => service.stderr().slice(-2000));
    const seconds = (performance.now() - started) / 1000;
    // The check run says how much was reviewed: the measure is of a review that read the files, not skipped them.
    const summary = fake.state.checkRuns.find((r) => r.head_sha === pr.headSha)?.output.summary ?? '';
    const reviewed = /reviewed (\d+) files?/.exec(summary)?.[1] ?? '?';
    return {
      what: `${n}-file pull request reviewed`,
      peakMb: service.peakRssMb(),
      detail: `${reviewed} files reviewed; webhook -> check run completed in ${seconds.toFixed(1)} s, ${fake.requests.length} API requests`,
    };
  } finally {
    await service.stop(5000);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `jobs` deliveries held in the queue: the fake Gerrit answers only after a minute, so nearly all wait. */
async function queued(jobs: number, backend: 'sqlite' | 'redis'): Promise<Row> {
  const fixture = await startGerritFixture();
  const redisUrl = `${REDIS_URL.replace(/\/\d*$/, '')}/13`;
  const redis = backend === 'redis' ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : undefined;
  await redis?.connect();
  await redis?.flushdb();
  const service = await spawnService(fixture.env({ LOG_LEVEL: 'warn', ...(backend === 'redis' ? { REDIS_URL: redisUrl } : {}) }), { cwd: fixture.dir, name: `${jobs} queued (${backend})` });
  try {
    fixture.fake.delay(60_000);
    const changes = addChanges(fixture.fake, jobs);
    const started = performance.now();
    const acks = await deliver(fixture.fake, service.url, changes, 200, 60_000);
    const seconds = (performance.now() - started) / 1000;
    const refused = acks.filter((a) => a.status !== 202).length;
    let depth = 0;
    const poll = async () => {
      const health = await service.health();
      depth = (health['gerrit'] as { queue?: { depth?: number } } | undefined)?.queue?.depth ?? 0;
    };
    for (let i = 0; i < 50 && depth < jobs - 10; i++) {
      await poll();
      if (depth < jobs - 10) await new Promise((r) => setTimeout(r, 100));
    }
    return {
      what: `${jobs} jobs queued (${backend})`,
      peakMb: service.peakRssMb(),
      detail: `${jobs - refused} of ${jobs} deliveries acknowledged 202 in ${seconds.toFixed(1)} s; queue depth ${depth}`,
    };
  } finally {
    await service.kill();
    await fixture.close();
    await redis?.flushdb();
    redis?.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
