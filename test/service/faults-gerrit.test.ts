/**
 * Faults while the service works, against the fake Gerrit over real HTTP:
 *
 *  - 5xx bursts: the real service as a child process (`node dist/src/server.js`, its default queue), Gerrit answering
 *    503 / 502 / 500 to bursts of requests before and in the middle of the work. The REST client's retries and the
 *    queue's retries get every change reviewed, each exactly once.
 *  - Timeouts: Gerrit answering slower than the REST client waits. The client's timeout (30 s) is not an
 *    environment variable, so this one runs the same server in process (startServer with `gerrit.timeoutMs`);
 *    the fake still applies what arrives after the client gave up, so a timed-out POST of a review may have been
 *    posted: the retry must not post it again.
 *  - A lost answer to the review POST itself (it reached Gerrit; the client timed out): the retry must not post
 *    a second review: the client checks for our new message on the patch set before retrying the POST.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startServer } from '../../src/server.js';
import type { ServiceConfig } from '../../src/service/read-env.js';
import { addChanges, deliver, exactlyOnce, spawnService, startGerritFixture, TOKEN, until, type ChildService, type GerritFixture } from './process-harness.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

test('faults: 5xx bursts from Gerrit before and during the work are retried; every change is reviewed exactly once', { timeout: 45_000 }, async (t) => {
  const fixture: GerritFixture = await startGerritFixture();
  cleanups.push(() => fixture.close());
  const fake = fixture.fake;
  const service: ChildService = await spawnService(fixture.env({ LOG_LEVEL: 'warn' }), { cwd: fixture.dir, name: 'faults-5xx' });
  cleanups.push(() => service.kill());
  const changes = addChanges(fake, 40);

  // More consecutive failures than the REST client's 4 attempts, so some jobs fail and the queue retries them.
  fake.failNext({ status: 503, times: 24 });
  const acks = await deliver(fake, service.url, changes);
  assert.ok(acks.every((a) => a.status === 202), 'the webhooks are acknowledged while Gerrit fails');
  await until(() => exactlyOnce(fake, changes).posted >= 12, 'a third of the reviews', 20_000);
  fake.failNext({ method: 'POST', path: '/review', status: 502, times: 10 });
  fake.failNext({ path: '/files', status: 500, times: 6 });

  await until(() => exactlyOnce(fake, changes).missing.length === 0, 'every review', 35_000, () => `missing ${exactlyOnce(fake, changes).missing.join(', ')}`);
  await new Promise((r) => setTimeout(r, 300));
  const result = exactlyOnce(fake, changes);
  assert.deepEqual(result.duplicated, [], 'no change reviewed twice');
  assert.equal(result.posted, changes.length);
  const failed = fake.requests.filter((r) => r.status >= 500).length;
  assert.equal(failed, 40, 'every injected failure was met');
  t.diagnostic(`${failed} requests failed with 5xx; ${fake.requests.length} requests in all; ${result.posted} reviews posted`);
  const health = await service.health();
  t.diagnostic(`healthz gerrit: ${JSON.stringify((health['gerrit'] as Record<string, unknown> | undefined)?.['failed'])} failed attempts`);
});

/** The service configured for the fake Gerrit's webhook intake, for the in-process fault tests. */
function inProcessConfig(dir: string, fake: { url: string; user: string; password: string }): ServiceConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: `${dir}/data`,
    botName: 'heartbeat-bot',
    dryRun: false,
    logLevel: 'silent',
    logFormat: 'json',
    gerrit: { url: fake.url, user: fake.user, password: fake.password, reviewWip: false, pollSeconds: 60, webhookToken: TOKEN },
  };
}

test('faults: Gerrit slower than the client timeout for a while; the timed-out work is retried and nothing is lost', { timeout: 45_000 }, async (t) => {
  const fixture = await startGerritFixture();
  cleanups.push(() => fixture.close());
  const fake = fixture.fake;
  const config = inProcessConfig(fixture.dir, fake);
  const server = await startServer(config, {
    log: pino({ level: 'silent' }),
    drainTimeoutMs: 2000,
    gerrit: { timeoutMs: 250, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 } },
  });
  cleanups.push(() => server.close());
  const changes = addChanges(fake, 20);

  fake.delay(400);
  const acks = await deliver(fake, server.url, changes);
  assert.ok(acks.every((a) => a.status === 202));
  await new Promise((r) => setTimeout(r, 1500));
  fake.delay(0);

  await until(() => exactlyOnce(fake, changes).missing.length === 0, 'every review', 35_000, () => `missing ${exactlyOnce(fake, changes).missing.join(', ')}`);
  await server.gerrit?.queue.drain();
  const result = exactlyOnce(fake, changes);
  const lateReviews = fake.reviews.filter((r) => r.status === 200).length;
  t.diagnostic(`${fake.requests.length} requests; ${lateReviews} reviews accepted by the fake; duplicated on ${result.duplicated.length} change(s)`);
  assert.deepEqual(result.missing, [], 'no review lost');
  assert.deepEqual(result.duplicated, [], 'a review whose POST timed out but arrived is not posted again');
});

// A review POST that Gerrit applied but whose answer was lost: before retrying, the client asks whether a new
// message of ours appeared on the patch set (GerritClient.post's `landed`), so the review is not posted twice.
test('faults: a review POST that reached Gerrit but whose answer was lost (timed out) is not posted twice', {
  timeout: 30_000,
}, async (t) => {
  const fixture = await startGerritFixture();
  cleanups.push(() => fixture.close());
  const fake = fixture.fake;
  // The network path loses the answers to the first POSTs of reviews: the request reaches the fake (which applies
  // it), the client hears nothing until its timeout.
  let toLose = 5;
  const lossy: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.endsWith('/review') && toLose > 0) {
      toLose -= 1;
      const { signal, ...rest } = init;
      await (await fetch(input, rest)).arrayBuffer();
      return new Promise<Response>((_resolve, reject) => {
        const fail = (): void => reject(signal?.reason ?? new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
        if (signal?.aborted === true) fail();
        else signal?.addEventListener('abort', fail, { once: true });
      });
    }
    return fetch(input, init);
  };
  const config = inProcessConfig(fixture.dir, fake);
  const server = await startServer(config, {
    log: pino({ level: 'silent' }),
    drainTimeoutMs: 2000,
    gerrit: { fetch: lossy, timeoutMs: 300, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 } },
  });
  cleanups.push(() => server.close());
  const changes = addChanges(fake, 10);
  const acks = await deliver(fake, server.url, changes);
  assert.ok(acks.every((a) => a.status === 202));
  await until(() => exactlyOnce(fake, changes).missing.length === 0 && toLose === 0, 'every review', 20_000);
  await server.gerrit?.queue.drain();
  const result = exactlyOnce(fake, changes);
  t.diagnostic(`${fake.reviews.filter((r) => r.status === 200).length} review POSTs accepted by the fake for ${changes.length} changes; duplicated on ${result.duplicated.join(', ') || 'none'}`);
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.duplicated, [], 'the retry of a review POST that Gerrit applied does not post it again');
});
