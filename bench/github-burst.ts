/**
 * The GitHub App through the real service against the fake GitHub over HTTP, --events (default 200) pull requests
 * of 1 to 10 files (Puppet, hieradata, nova.conf, docs; about one in three with a finding):
 *
 * 1. Burst: the service as `npm start` runs it (`node dist/src/server.js`, a child process, SQLite queue), all the
 *    signed `pull_request.opened` webhooks POSTed at once. Prints webhooks answered per second, reviews/s (first
 *    webhook sent -> last check run posted), latency p50/p99 (webhook sent -> its check run posted; the review is
 *    posted just before it) and API calls per review as the fake received them (the installation token, fetched
 *    once an hour, apart).
 * 2. Own time: the service in this process (startServer, --concurrency workers), --sequential (default 100) pull requests, each sent once
 *    the previous is done; own time = webhook sent -> review finished, minus the time any of its requests to the
 *    fake was in flight.
 *
 * Writes are not paced (GITHUB_WRITE_SPACING_MS=0): production keeps GitHub's advice of a second between an
 * installation's writes, which bounds one installation to about a review every two seconds whatever the bot's
 * speed; this measures the bot.
 *
 *   npm run build && node dist/bench/github-burst.js [--events 200] [--sequential 100] [--concurrency 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startServer } from '../src/server.js';
import type { GitHubReviewOutcome } from '../src/platforms/github/index.js';
import type { GitHubJob } from '../src/service/job-queue.js';
import type { ServiceConfig } from '../src/service/read-env.js';
import { SqliteQueue } from '../src/service/sqlite-queue.js';
import { startFakeGitHub, type FakeGitHub } from '../test/fakes/github/fake-github.js';
import { postGitHubWebhook } from '../test/service/github-harness.js';
import { percentile, spawnService } from '../test/service/process-harness.js';
import { inFlightTracker } from './bench-helpers.js';

const { values } = parseArgs({ options: { events: { type: 'string' }, sequential: { type: 'string' }, concurrency: { type: 'string' } } });
const EVENTS = Number(values.events ?? 200);
const SEQUENTIAL = Number(values.sequential ?? 100);
const CONCURRENCY = Number(values.concurrency ?? 4);
const SECRET = 'github-burst-secret';
const OWNER = 'openstack-ops';
const REPO = 'deployment';

const TEMPLATES: ((i: number) => { path: string; oldContent?: string; newContent: string })[] = [
  (i) => ({ path: `manifests/nova_api_${i}.pp`, newContent: `class { 'nova::wsgi::apache_api':\n  workers => ${2 + (i % 6)},\n  threads => ${i % 3 === 0 ? 4 : 1},\n}\n` }),
  (i) => ({ path: `hieradata/role_${i}.yaml`, oldContent: 'nova::api::workers: 2\n', newContent: `nova::api::workers: ${2 + (i % 5)}\nnova::rabbit_heartbeat_timeout_threshold: ${i % 4 === 0 ? 0 : 60}\n` }),
  (i) => ({ path: `etc/nova/nova-${i}.conf`, oldContent: '[DEFAULT]\ndebug = false\n', newContent: `[DEFAULT]\ndebug = false\n[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = ${i % 5 === 0 ? 0 : 60}\n` }),
  (i) => ({ path: `docs/notes-${i}.rst`, newContent: `Tuning ${i}\n=========\n` }),
];

function filesOf(i: number): ReturnType<(typeof TEMPLATES)[number]>[] {
  return Array.from({ length: 1 + ((i * 7) % 10) }, (_, k) => TEMPLATES[(i + k) % TEMPLATES.length]!(i * 10 + k));
}

function payloadOf(fake: FakeGitHub, number: number): string {
  return JSON.stringify({
    action: 'opened',
    number,
    pull_request: fake.pullRequestJson(OWNER, REPO, number),
    repository: fake.repositoryJson(OWNER, REPO),
    installation: { id: fake.installationId },
    sender: { login: 'octocat', id: 583231, type: 'User' },
  });
}

async function main(): Promise<void> {
  const fake = await startFakeGitHub({ contentRateLimit: false, rateLimit: 1_000_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-github-burst-'));
  const send = globalThis.fetch;
  const add = (number: number, i: number) =>
    fake.addPullRequest({ owner: OWNER, repo: REPO, number, title: `Tune ${i}`, base: { ref: 'stable/wallaby' }, head: { ref: `tune-${i}` }, files: filesOf(i) });
  const post = async (url: string, number: number): Promise<{ status: number; sentAt: number }> => {
    const body = payloadOf(fake, number);
    const sentAt = performance.now();
    const r = await postGitHubWebhook(url, 'pull_request', body, { secret: SECRET, fetch: send });
    await r.arrayBuffer();
    return { status: r.status, sentAt };
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

  // 1. Burst against the service as a child process.
  const child = await spawnService(
    { APP_ID: String(fake.appId), PRIVATE_KEY: fake.privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: new URL(fake.url).host, GHE_PROTOCOL: 'http', GITHUB_WRITE_SPACING_MS: '0', DATA_DIR: join(dataDir, 'child'), LOG_LEVEL: 'warn' },
    { cwd: dataDir, name: 'github burst' },
  );
  const burst = Array.from({ length: EVENTS }, (_, i) => 1000 + i);
  const heads = new Map(burst.map((n, i) => [add(n, i).headSha, n]));
  const files = burst.reduce((sum, _n, i) => sum + filesOf(i).length, 0);
  fake.clearRequests();
  const postedAt = new Map<number, number>();
  let seen = 0;
  const watch = setInterval(() => {
    for (; seen < fake.requests.length; seen++) {
      const r = fake.requests[seen]!;
      const head = (r.body as { head_sha?: string } | undefined)?.head_sha;
      if (r.method === 'POST' && r.path.endsWith('/check-runs') && r.status < 300 && head !== undefined && heads.has(head)) postedAt.set(heads.get(head)!, performance.now());
    }
  }, 1);
  const t0 = performance.now();
  const sent = await Promise.all(burst.map((n) => post(child.url, n)));
  const answered = performance.now();
  const end = Date.now() + 300_000;
  while (postedAt.size < EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  clearInterval(watch);
  if (postedAt.size < EVENTS) throw new Error(`${EVENTS - postedAt.size} check runs never came: ${child.stderr().slice(-1000)}`);
  const last = Math.max(...postedAt.values());
  const latencies = burst.map((n, i) => postedAt.get(n)! - sent[i]!.sentAt).sort((a, b) => a - b);
  const bad = sent.filter((s) => s.status !== 200).length;
  const tokens = fake.requests.filter((r) => r.path.endsWith('/access_tokens')).length;
  const perPr = new Map<number, number>();
  for (const r of fake.requests) {
    const pull = /\/pulls\/(\d+)\//.exec(r.path)?.[1];
    const graphqlNumber = (r.body as { variables?: { number?: number } } | undefined)?.variables?.number;
    const head = (r.body as { head_sha?: string } | undefined)?.head_sha;
    const n = pull !== undefined ? Number(pull) : graphqlNumber ?? (head !== undefined ? heads.get(head) : undefined);
    if (n !== undefined) perPr.set(n, (perPr.get(n) ?? 0) + 1);
  }
  const attributed = [...perPr.values()].reduce((a, b) => a + b, 0);
  const unattributed = fake.requests.length - attributed - tokens;
  const tenFileCalls = burst.filter((_n, i) => filesOf(i).length === 10).map((n) => perPr.get(n) ?? 0);
  await child.stop(5000);

  console.log(`github burst: ${EVENTS} pull_request.opened webhooks at once, ${files} files; the service as a child process (SQLite queue, 4 workers, writes not paced)`);
  console.log(`  webhooks answered ${(EVENTS / ((answered - t0) / 1000)).toFixed(0)}/s (${EVENTS} in ${(answered - t0).toFixed(0)} ms)${bad > 0 ? `, ${bad} not 200` : ''}`);
  console.log(`  reviews completed ${(EVENTS / ((last - t0) / 1000)).toFixed(1)} reviews/s (${EVENTS} in ${((last - t0) / 1000).toFixed(2)} s); peak RSS ${child.peakRssMb().toFixed(0)} MB`);
  console.log(`  review latency    p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (webhook sent -> check run posted)`);
  console.log(`  API calls/review  ${mean([...perPr.values()]).toFixed(1)} (min ${Math.min(...perPr.values())}, max ${Math.max(...perPr.values())}); 10-file pull requests max ${Math.max(...tenFileCalls)}; installation tokens ${tokens}${unattributed > 0 ? `; ${unattributed} requests not attributed to a pull request` : ''}`);

  // 2. Own time, in this process.
  const tracker = inFlightTracker(send);
  // Octokit sends through the global fetch: track its requests (the webhook POSTs use `send`).
  globalThis.fetch = tracker.fetch;
  const done = new Map<number, { at: number; outcome: GitHubReviewOutcome }>();
  const config: ServiceConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    botName: 'heartbeat-bot',
    dryRun: false,
    logLevel: 'silent',
    logFormat: 'json',
    github: { appId: fake.appId, privateKey: fake.privateKey, webhookSecret: SECRET },
  };
  const server = await startServer(config, {
    baseUrl: fake.url,
    log: pino({ level: 'silent' }),
    pacing: { writeSpacingMs: 0 },
    queue: new SqliteQueue<GitHubJob>({ name: 'github', dataDir }),
    app: { concurrency: CONCURRENCY, onReviewed: (job, outcome) => done.set(job.number, { at: performance.now(), outcome }) },
  });
  const own: number[] = [];
  const wall: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const n = 5000 + i;
    add(n, i);
    const { sentAt } = await post(server.url, n);
    const until = Date.now() + 30_000;
    while (!done.has(n) && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
    const finished = done.get(n);
    if (finished === undefined) throw new Error(`the review of #${n} did not finish`);
    wall.push(finished.at - sentAt);
    own.push(finished.at - sentAt - tracker.waitingMs(sentAt, finished.at));
    calls.push(finished.outcome.apiCalls);
  }
  own.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  if (SEQUENTIAL > 0) {
    console.log(`  own time/review   p50 ${percentile(own, 50).toFixed(1)} ms, p99 ${percentile(own, 99).toFixed(1)} ms (${SEQUENTIAL} one at a time in this process; wall p50 ${percentile(wall, 50).toFixed(1)} ms, p99 ${percentile(wall, 99).toFixed(1)} ms incl. the fake's answers; ${mean(calls).toFixed(1)} calls each)`);
  }
  globalThis.fetch = send;
  await server.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
