/**
 * The queue conformance suite against the Redis queue (BullMQ) on the Redis at REDIS_TEST_URL or
 * redis://127.0.0.1:6379, each test under a random key prefix that is deleted afterwards. Without a reachable
 * Redis the suite is skipped with a message saying so; CI runs a Redis, so there it runs.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisQueue } from '../../src/service/redis-queue.js';
import { createQueue } from '../../src/service/create-queue.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueConformance, type ConformanceQueue } from './queue-conformance.js';

const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function reachable(): Promise<string | undefined> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return `no Redis at ${url} (${error instanceof Error ? error.message : String(error)}): the Redis queue suite is skipped; start one (redis-server) or set REDIS_TEST_URL`;
  } finally {
    probe.disconnect();
  }
}

const skip = await reachable();
if (skip !== undefined) console.log(`# ${skip}`);

queueConformance(
  'Redis (BullMQ)',
  () => {
    const prefix = `hbtest-${randomBytes(6).toString('hex')}`;
    return Promise.resolve({
      open: async (o = {}): Promise<ConformanceQueue> => {
        const q = new RedisQueue<string>({ url, prefix, pollMs: 20, ...o });
        await q.ready();
        return q;
      },
      dispose: () => RedisQueue.purge(url, prefix),
    });
  },
  { durable: true, skip },
);

test('createQueue with a Redis URL is the Redis queue; it answers PING', { skip: skip ?? false }, async () => {
  const prefix = `hbtest-${randomBytes(6).toString('hex')}`;
  const q = createQueue<string>({ dataDir: '/nonexistent', redisUrl: url, redisPrefix: prefix }, { name: 'gerrit' });
  try {
    assert.equal(q.backend, 'redis');
    await q.ready();
    await q.ping();
    assert.equal(await q.enqueue('gerrit:p~1,1', 'a'), 'queued');
    assert.equal(q.depth(), 1);
    assert.equal((await q.stats()).waiting, 1);
  } finally {
    await q.close();
    await RedisQueue.purge(url, prefix);
  }
});

test('without Redis, enqueue and ready reject in time instead of hanging (a webhook answers 503)', async () => {
  const q = new RedisQueue<string>({ url: 'redis://:secret@127.0.0.1:1', prefix: 'hbtest-none', enqueueTimeoutMs: 200 });
  try {
    const started = Date.now();
    await assert.rejects(q.enqueue('github:o/r#1@a', 'a'), /did not take the job github:o\/r#1@a within 200 ms/);
    assert.ok(Date.now() - started < 2000);
    await assert.rejects(q.ready(200), (error: Error) => /did not answer within 200 ms/.test(error.message) && !error.message.includes('secret'));
    await assert.rejects(q.ping(200), /PING/);
  } finally {
    await q.abandon();
  }
});
