/**
 * Crash test of the durable queues, on the real service as a child process (`node dist/src/server.js`) against the
 * fake Gerrit: 200 `patchset-created` webhooks for 200 changes, acknowledged (202 means queued), then SIGKILL in the
 * middle of the work, then the service started again on the same DATA_DIR (SQLite) or REDIS_URL (Redis). In the
 * end every change has exactly one review on the fake: nothing queued is lost, and a job that was running when the
 * process died (maybe after its review was posted) is run again without posting a second review.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { addChanges, deliver, exactlyOnce, idle, redisReachable, spawnService, startGerritFixture, until, REDIS_URL, type ChildService, type GerritFixture } from './process-harness.js';

const EVENTS = 200;
/** SIGKILL once this many reviews are posted. */
const KILL_AFTER = 60;
/** A short lease so the restarted service takes the dead process's running jobs again within the test. */
const LEASE_ENV = { QUEUE_LEASE_MS: '2000' };
const REDIS_DB = 11;

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function crashAndRestart(t: { diagnostic(message: string): void }, backend: Record<string, string>, name: string): Promise<void> {
  const fixture: GerritFixture = await startGerritFixture();
  cleanups.push(() => fixture.close());
  const fake = fixture.fake;
  const env = fixture.env({ LOG_LEVEL: 'warn', DATA_DIR: join(fixture.dir, 'data'), ...LEASE_ENV, ...backend });
  const first: ChildService = await spawnService(env, { cwd: fixture.dir, name: `${name} (first)` });
  cleanups.push(() => first.kill());
  const changes = addChanges(fake, EVENTS);

  const acks = await deliver(fake, first.url, changes);
  assert.deepEqual(acks.filter((a) => a.status !== 202), [], 'every event is acknowledged (queued) before the crash');
  await until(() => exactlyOnce(fake, changes).posted >= KILL_AFTER, `${KILL_AFTER} reviews before the crash`, 20_000);
  await first.kill();
  const atKill = exactlyOnce(fake, changes);
  assert.ok(atKill.missing.length > 0, 'the crash came in the middle of the work');
  const started = Date.now();

  // At info level the restarted service logs each review, and each job it finds already reviewed.
  const second = await spawnService({ ...env, LOG_LEVEL: 'info' }, { cwd: fixture.dir, name: `${name} (restarted)` });
  cleanups.push(() => second.kill());
  await until(() => exactlyOnce(fake, changes).missing.length === 0, 'every review after the restart', 40_000, () => `${exactlyOnce(fake, changes).missing.length} missing`);
  const recovered = Date.now() - started;
  // Wait for the restarted service to go idle, so a late duplicate would be seen.
  await idle(second, 10_000);
  await new Promise((r) => setTimeout(r, 500));
  const result = exactlyOnce(fake, changes);
  const replayed = second.lines.filter((l) => l['msg'] === 'Gerrit: change not reviewed').map((l) => String(l['skipped']));
  t.diagnostic(
    `${atKill.posted} reviews posted before SIGKILL, ${result.posted - atKill.posted} after the restart (all done ${recovered} ms after it); ` +
      `jobs replayed after the crash that found their review posted: ${replayed.length}${replayed.length > 0 ? ` (${[...new Set(replayed)].join('; ')})` : ''}; duplicated: ${result.duplicated.length}`,
  );
  assert.deepEqual(result.missing, [], 'no review missing');
  assert.deepEqual(result.duplicated, [], 'no change reviewed twice');
  assert.equal(result.posted, EVENTS);
  const stopped = await second.stop();
  assert.equal(stopped.code, 0);
}

test(`crash: SIGKILL in the middle of ${EVENTS} reviews, restart on the same DATA_DIR (SQLite): every change reviewed exactly once`, { timeout: 60_000 }, async (t) => {
  await crashAndRestart(t, {}, 'crash-sqlite');
});

test(`crash: SIGKILL in the middle of ${EVENTS} reviews, restart on the same REDIS_URL: every change reviewed exactly once`, { timeout: 60_000 }, async (t) => {
  if (!(await redisReachable(REDIS_URL))) {
    t.skip(`no Redis at ${REDIS_URL}: the Redis crash test is skipped (start redis-server, or set TEST_REDIS_URL)`);
    return;
  }
  const url = `${REDIS_URL.replace(/\/\d*$/, '')}/${REDIS_DB}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  cleanups.push(async () => {
    await redis.flushdb();
    redis.disconnect();
  });
  await redis.flushdb();
  await crashAndRestart(t, { REDIS_URL: url }, 'crash-redis');
});
