/**
 * The GitHub App through the real service (startServer: Probot's webhook middleware, the SQLite queue in a scratch
 * DATA_DIR as `npm start` uses it, the workers) against the fake GitHub over HTTP: --events (default 200) pull
 * requests of 1 to 10 files (Puppet, hieradata, nova.conf; about one in three with a finding), their signed
 * `pull_request.opened` webhooks POSTed at once.
 *
 * Prints: webhooks answered per second, reviews/s (first webhook sent -> last review finished), latency p50/p99
 * (webhook sent -> check run and review posted), API calls per review by kind; then the service's own time per
 * review: --sequential (default 100) pull requests, each sent once the previous is done, own time = webhook sent ->
 * review finished minus the time any request to the fake was in flight.
 *
 * Writes are not paced here: production keeps GitHub's advice of a second between writes per installation
 * (throttling plugin), which bounds one installation to about one review a second whatever the bot's speed; this
 * measures the bot.
 *
 *   npm run build && node dist/bench/github-burst.js [--events 200] [--sequential 100] [--concurrency 4]
 */
import { createHmac, randomUUID } from 'node:crypto';
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
import { inFlightTracker, quantile } from './bench-helpers.js';

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
  // Octokit sends through the global fetch: track its requests (the bench's own webhook POSTs use `send`).
  const tracker = inFlightTracker(send);
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

  const post = async (number: number): Promise<{ status: number; sentAt: number }> => {
    const body = payloadOf(fake, number);
    const sentAt = performance.now();
    const r = await send(`${server.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    await r.arrayBuffer();
    return { status: r.status, sentAt };
  };
  const add = (number: number, i: number) =>
    fake.addPullRequest({ owner: OWNER, repo: REPO, number, title: `Tune ${i}`, base: { ref: 'stable/wallaby' }, head: { ref: `tune-${i}` }, files: filesOf(i) });
  const waitFor = async (numbers: number[], ms: number) => {
    const end = Date.now() + ms;
    while (numbers.some((n) => !done.has(n)) && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    const missing = numbers.filter((n) => !done.has(n));
    if (missing.length > 0) throw new Error(`${missing.length} reviews did not finish`);
  };

  // Burst.
  const burst = Array.from({ length: EVENTS }, (_, i) => 1000 + i);
  burst.forEach((n, i) => add(n, i));
  const files = burst.reduce((sum, _n, i) => sum + filesOf(i).length, 0);
  const t0 = performance.now();
  const sent = await Promise.all(burst.map(post));
  const answered = performance.now();
  await waitFor(burst, 300_000);
  const last = Math.max(...burst.map((n) => done.get(n)!.at));
  const latencies = burst.map((n, i) => done.get(n)!.at - sent[i]!.sentAt).sort((a, b) => a - b);
  const outcomes = burst.map((n) => done.get(n)!.outcome);
  const bad = sent.filter((s) => s.status !== 200).length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

  // One at a time.
  const own: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const n = 5000 + i;
    add(n, i);
    const { sentAt } = await post(n);
    await waitFor([n], 30_000);
    const at = done.get(n)!.at;
    wall.push(at - sentAt);
    own.push(at - sentAt - tracker.waitingMs(sentAt, at));
  }
  own.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  const tenFiles = [...outcomes, ...Array.from({ length: SEQUENTIAL }, (_, i) => done.get(5000 + i)!.outcome)].filter((_o, k) => filesOf(k < EVENTS ? k : k - EVENTS).length === 10);

  console.log(`github burst: ${EVENTS} pull_request.opened webhooks at once, ${files} files, concurrency ${CONCURRENCY}, SQLite queue, writes not paced`);
  console.log(`  webhooks answered ${(EVENTS / ((answered - t0) / 1000)).toFixed(0)}/s (${EVENTS} in ${(answered - t0).toFixed(0)} ms)${bad > 0 ? `, ${bad} not 200` : ''}`);
  console.log(`  reviews completed ${(EVENTS / ((last - t0) / 1000)).toFixed(1)} reviews/s (${EVENTS} in ${((last - t0) / 1000).toFixed(2)} s)`);
  console.log(`  review latency    p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p99 ${quantile(latencies, 0.99).toFixed(0)} ms (webhook sent -> check run and review posted)`);
  console.log(
    `  API calls/review  ${mean(outcomes.map((o) => o.apiCalls)).toFixed(1)} (min ${Math.min(...outcomes.map((o) => o.apiCalls))}, max ${Math.max(...outcomes.map((o) => o.apiCalls))}); 10-file pull requests: max ${Math.max(...tenFiles.map((o) => o.apiCalls))}; REST ${mean(outcomes.map((o) => o.apiCallsByKind?.rest ?? 0)).toFixed(1)} + GraphQL ${mean(outcomes.map((o) => o.apiCallsByKind?.graphql ?? 0)).toFixed(1)} on average`,
  );
  if (SEQUENTIAL > 0) {
    console.log(`  own time/review   p50 ${quantile(own, 0.5).toFixed(1)} ms, p99 ${quantile(own, 0.99).toFixed(1)} ms (${SEQUENTIAL} one at a time; wall p50 ${quantile(wall, 0.5).toFixed(1)} ms, p99 ${quantile(wall, 0.99).toFixed(1)} ms incl. the fake's answers)`);
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
