/**
 * The review history's backends against one set of expectations: in memory, SQLite (a real file in a temporary
 * DATA_DIR) and Redis (127.0.0.1:6379; skipped with a message only where no Redis answers — CI starts one).
 * Then what only a durable store can do: SQLite keeps the history across a restart, Redis shares it between
 * instances.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { isReviewId, type NewReviewRecord, type ReviewHistory } from '../../src/service/review-history.js';
import { InMemoryReviewHistory } from '../../src/service/review-history-memory.js';
import { SqliteReviewHistory } from '../../src/service/review-history-sqlite.js';
import { RedisReviewHistory } from '../../src/service/review-history-redis.js';
import { createReviewHistory } from '../../src/service/review-history-create.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const noRedis = (await redisAnswers()) ? undefined : `no Redis at ${REDIS_URL} (CI starts one; .ci/run)`;

const redisPrefix = `hb-test-${randomUUID()}`;
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-history-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (noRedis !== undefined) return;
  // Every Redis key these tests made starts with the run's prefix.
  const cleanup = new Redis(REDIS_URL);
  const keys = await cleanup.keys(`${redisPrefix}*`);
  if (keys.length > 0) await cleanup.del(...keys);
  cleanup.disconnect();
});

function record(n: number, over: Partial<NewReviewRecord> = {}): NewReviewRecord {
  return {
    platform: 'gerrit',
    key: `gerrit:openstack/puppet-nova~${n},1`,
    project: 'openstack/puppet-nova',
    change: n,
    patchSet: 1,
    sha: 'a'.repeat(40),
    subject: `change ${n}`,
    url: `https://review.example.org/c/openstack/puppet-nova/+/${n}/1`,
    reason: 'patchset-created',
    status: 'done',
    severities: { error: 1, warning: 0, info: 0 },
    finishedAt: 1_700_000_000_000 + n,
    durationMs: 12,
    findings: [{ severity: 'error', ruleId: 'nova-wsgi-threads-not-1', path: 'manifests/api.pp', line: 2, message: 'threads' }],
    concurrency: { header: ['service'], rows: [['nova-api']] },
    posted: [{ request: 'POST /a/changes/x/revisions/y/review', body: { message: `<b>${n}</b>` } }],
    apiCalls: 4,
    details: { 'inline comments': 1 },
    notes: [],
    ...over,
  };
}

interface Backend {
  name: string;
  skip?: string;
  make(limit: number): ReviewHistory;
}

const backends: Backend[] = [
  { name: 'in memory', make: (limit) => new InMemoryReviewHistory({ limit }) },
  { name: 'SQLite', make: (limit) => new SqliteReviewHistory({ dataDir: tempDir(), limit }) },
  { name: 'Redis', ...(noRedis !== undefined ? { skip: noRedis } : {}), make: (limit) => new RedisReviewHistory({ url: REDIS_URL, prefix: `${redisPrefix}-${randomUUID()}`, limit }) },
];

for (const backend of backends) {
  describe(`review history: ${backend.name}`, { ...(backend.skip !== undefined ? { skip: backend.skip } : {}) }, () => {
    test('add returns the record with an id; get gives it back whole; recent is newest first, summaries only', async () => {
      const h = backend.make(10);
      try {
        const a = await h.add(record(1));
        const b = await h.add(record(2, { platform: 'github', key: 'github:o/r#2@abc', project: 'o/r', status: 'dry-run' }));
        assert.ok(isReviewId(a.id) && isReviewId(b.id) && a.id !== b.id);
        assert.deepEqual(await h.get(a.id), { ...record(1), id: a.id });
        const recent = await h.recent(10);
        assert.deepEqual(recent.map((r) => r.id), [b.id, a.id]);
        assert.equal(recent[0]?.status, 'dry-run');
        assert.equal((recent[0] as unknown as Record<string, unknown>).posted, undefined, 'no payloads in the summaries');
        assert.deepEqual((await h.recent(1)).map((r) => r.id), [b.id]);
        assert.deepEqual(await h.recent(0), []);
        assert.equal(await h.get('999999'), undefined);
      } finally {
        await h.close();
      }
    });

    test('keeps only the last `limit` records', async () => {
      const h = backend.make(3);
      try {
        const ids: string[] = [];
        for (let n = 1; n <= 5; n += 1) ids.push((await h.add(record(n))).id);
        assert.deepEqual((await h.recent(10)).map((r) => r.change), [5, 4, 3]);
        assert.equal(await h.get(ids[0]!), undefined, 'the oldest is forgotten');
        assert.equal((await h.get(ids[4]!))?.change, 5);
      } finally {
        await h.close();
      }
    });

    test('markDead turns the latest failed record of a key into a dead-lettered one, and nothing else', async () => {
      const h = backend.make(10);
      try {
        const key = 'github:o/r#7@abc';
        const first = await h.add(record(7, { key, status: 'failed', error: 'attempt 1: 502' }));
        const second = await h.add(record(7, { key, status: 'failed', error: 'attempt 2: 502' }));
        const other = await h.add(record(8, { status: 'failed', error: 'other' }));
        await h.markDead(key, 'attempt 2: 502 (gave up)');
        await h.markDead('github:unknown#1@x', 'nothing to mark');
        assert.equal((await h.get(second.id))?.status, 'dead');
        assert.equal((await h.get(second.id))?.error, 'attempt 2: 502 (gave up)');
        assert.equal((await h.get(first.id))?.status, 'failed');
        assert.equal((await h.get(other.id))?.status, 'failed');
        assert.equal((await h.recent(10)).find((r) => r.id === second.id)?.status, 'dead', 'the summary says so too');
      } finally {
        await h.close();
      }
    });
  });
}

test('SQLite: the history survives a restart on the same DATA_DIR', async () => {
  const dataDir = tempDir();
  const first = createReviewHistory({ dataDir });
  const added = await first.add(record(11));
  await first.close();
  const second = createReviewHistory({ dataDir });
  try {
    assert.equal((await second.get(added.id))?.subject, 'change 11');
    assert.ok((await second.add(record(12))).id !== added.id, 'ids go on');
  } finally {
    await second.close();
  }
});

test('Redis: two instances show the same history', { ...(noRedis !== undefined ? { skip: noRedis } : {}) }, async () => {
  const prefix = `${redisPrefix}-shared`;
  const a = createReviewHistory({ redisUrl: REDIS_URL, dataDir: tempDir(), redisPrefix: prefix });
  const b = createReviewHistory({ redisUrl: REDIS_URL, dataDir: tempDir(), redisPrefix: prefix });
  try {
    const fromA = await a.add(record(21, { status: 'failed', error: 'x' }));
    const fromB = await b.add(record(22));
    assert.deepEqual((await a.recent(10)).map((r) => r.id), [fromB.id, fromA.id]);
    await b.markDead(fromA.key, 'x, dead');
    assert.equal((await a.get(fromA.id))?.status, 'dead');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a Redis history that cannot reach Redis rejects (the service logs it and goes on), it does not hang or crash', async () => {
  const h = new RedisReviewHistory({ url: 'redis://127.0.0.1:1/0' });
  try {
    await assert.rejects(h.add(record(31)));
  } finally {
    await h.close();
  }
});
