/**
 * Two instances of the real service (child processes, `node dist/src/server.js`) sharing one Redis (REDIS_URL),
 * receiving the same events:
 *
 *  - Gerrit: both connected to the fake's SSH `stream-events` (each event reaches both, and both run the catch-up
 *    query when they connect), and the same webhooks-plugin POSTs sent to both. Every change is reviewed once.
 *  - GitHub: both pointed at the fake GitHub (GHE_HOST, GHE_PROTOCOL=http), the same signed deliveries sent to
 *    both. Every pull request gets one check run and one review.
 *
 * Skipped, saying so, without a Redis at TEST_REDIS_URL / redis://127.0.0.1:6379 (database 12 here, flushed).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startFakeGitHub } from '../fakes/github/fake-github.js';
import { addPullRequest, pullRequestPayload, SECRET, type Harness } from './github-harness.js';
import {
  addChanges,
  deliver,
  exactlyOnce,
  idle,
  redisReachable,
  spawnService,
  startGerritFixture,
  until,
  REDIS_URL,
  type ChildService,
} from './process-harness.js';

const REDIS_DB = 12;
const url = `${REDIS_URL.replace(/\/\d*$/, '')}/${REDIS_DB}`;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function freshRedis(): Promise<string | undefined> {
  if (!(await redisReachable(REDIS_URL))) return `no Redis at ${REDIS_URL}: the two-instance tests are skipped (start redis-server, or set TEST_REDIS_URL)`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  cleanups.push(async () => {
    await redis.flushdb();
    redis.disconnect();
  });
  return undefined;
}

test('two instances on one Redis, the same Gerrit stream and the same webhooks: each change reviewed once', { timeout: 45_000 }, async (t) => {
  const skip = await freshRedis();
  if (skip !== undefined) return void t.skip(skip);
  const fixture = await startGerritFixture({ ssh: true });
  cleanups.push(() => fixture.close());
  const fake = fixture.fake;
  const instances: ChildService[] = [];
  for (const n of [1, 2]) {
    const service = await spawnService(fixture.env({ LOG_LEVEL: 'warn', REDIS_URL: url, DATA_DIR: join(fixture.dir, `data-${n}`) }), { cwd: fixture.dir, name: `instance ${n}` });
    cleanups.push(() => service.kill());
    instances.push(service);
  }
  await fake.waitForStreams(2, 10_000);
  const changes = addChanges(fake, 100);
  const [streamed, posted] = [changes.slice(0, 50), changes.slice(50)];
  for (const c of streamed) assert.equal(fake.emitPatchsetCreated(c.project, c.number).type, 'patchset-created');
  const acks = (await Promise.all(instances.map((s) => deliver(fake, s.url, posted)))).flat();
  assert.deepEqual(acks.filter((a) => a.status !== 202), [], 'both instances acknowledge every webhook');

  await until(() => exactlyOnce(fake, changes).missing.length === 0, 'every review', 30_000, () => `${exactlyOnce(fake, changes).missing.length} missing`);
  for (const s of instances) await idle(s, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  const result = exactlyOnce(fake, changes);
  const byInstance = await Promise.all(instances.map(async (s) => ((await s.health())['gerrit'] as { reviewed?: number } | undefined)?.reviewed ?? 0));
  t.diagnostic(`${result.posted} reviews for ${changes.length} changes; reviews done per instance: ${byInstance.join(' + ')}`);
  assert.deepEqual(result.duplicated, [], 'no change reviewed twice');
  assert.equal(result.posted, changes.length);
  assert.ok(byInstance.every((n) => n > 0), 'both instances did some of the work');
});

test('two instances on one Redis, the same signed GitHub deliveries to both: one check run and one review per pull request', { timeout: 45_000 }, async (t) => {
  const skip = await freshRedis();
  if (skip !== undefined) return void t.skip(skip);
  const fake = await startFakeGitHub();
  const dir = mkdtempSync(join(tmpdir(), 'heartbeat-two-'));
  cleanups.push(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const h = { fake } as unknown as Harness;
  const env = {
    LOG_LEVEL: 'warn',
    REDIS_URL: url,
    APP_ID: String(fake.appId),
    PRIVATE_KEY: fake.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: new URL(fake.url).host,
    GHE_PROTOCOL: 'http',
  };
  const instances: ChildService[] = [];
  for (const n of [1, 2]) {
    const service = await spawnService({ ...env, DATA_DIR: join(dir, `data-${n}`) }, { cwd: dir, name: `github instance ${n}` });
    cleanups.push(() => service.kill());
    instances.push(service);
  }
  // GitHub's pacing of writes (one a second per installation) makes each review take seconds: three pull requests.
  const prs = [7, 8, 9].map((number) => addPullRequest(h, { number }));
  const statuses: number[] = [];
  for (const pr of prs) {
    const body = JSON.stringify(pullRequestPayload(h, 'opened', pr.number));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-github-hook-installation-target-id': String(fake.appId),
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    };
    // The same delivery to both instances.
    for (const s of instances) {
      const r = await fetch(`${s.url}/api/github/webhooks`, { method: 'POST', headers, body });
      await r.arrayBuffer();
      statuses.push(r.status);
    }
  }
  assert.ok(statuses.every((s) => s >= 200 && s < 300), `deliveries acknowledged: ${statuses.join(', ')}`);
  const reviewsOf = (n: number): number => fake.requestsTo('POST', new RegExp(`/pulls/${n}/reviews$`)).filter((r) => r.status < 300).length;
  const checkRuns = (): number => fake.requestsTo('POST', /\/check-runs$/).filter((r) => r.status < 300).length;
  // The review goes before the check run, and writes are a second apart: wait for both, then a while for duplicates.
  await until(
    () => prs.every((pr) => reviewsOf(pr.number) >= 1) && checkRuns() >= prs.length,
    'a review and a check run on every pull request',
    40_000,
    () => `${prs.map((pr) => `#${pr.number}: ${reviewsOf(pr.number)}`).join(', ')}; check runs ${checkRuns()}`,
  );
  await new Promise((r) => setTimeout(r, 2500));
  t.diagnostic(`check runs created: ${checkRuns()}; reviews: ${prs.map((pr) => `#${pr.number} ${reviewsOf(pr.number)}`).join(', ')}`);
  for (const pr of prs) assert.equal(reviewsOf(pr.number), 1, `one review on #${pr.number}`);
  assert.equal(checkRuns(), prs.length, 'one check run per pull request head');
});
