/** The queue conformance suite against the SQLite queue on a real file in a temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteQueue, sqliteQueueFile } from '../../src/service/sqlite-queue.js';
import { createQueue } from '../../src/service/create-queue.js';
import { queueConformance, type ConformanceQueue } from './queue-conformance.js';

queueConformance(
  'SQLite',
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hb-queue-'));
    return Promise.resolve({
      open: (o = {}): ConformanceQueue => new SqliteQueue<string>({ dataDir, pollMs: 10, ...o }),
      dispose: () => {
        rmSync(dataDir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
  { durable: true },
);

test('SQLite queue: the file is <dataDir>/queue.sqlite in WAL mode, created with its directory', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'hb-queue-')), 'nested', 'var');
  const q = new SqliteQueue<string>({ dataDir });
  try {
    assert.equal(q.file, sqliteQueueFile(dataDir));
    assert.equal(await q.enqueue('github:o/r#1@a', 'a'), 'queued');
  } finally {
    await q.close();
    rmSync(join(dataDir, '..', '..'), { recursive: true, force: true });
  }
});

test('createQueue without a Redis URL is the SQLite queue in DATA_DIR', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-queue-'));
  const q = createQueue<string>({ dataDir, redisUrl: '' }, { name: 'github' });
  try {
    assert.equal(q.backend, 'sqlite');
    await q.ready();
    await q.ping();
    assert.equal(await q.enqueue('github:o/r#1@a', 'a'), 'queued');
    assert.deepEqual(await q.stats(), { waiting: 1, delayed: 0, running: 0, done: 0, dead: 0 });
    assert.equal(q.running(), 0);
  } finally {
    await q.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
