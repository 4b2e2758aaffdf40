/** GerritSource: events -> jobs, catch-up on every (re)connect, polling, lastEventSeen, the reviewed memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { GerritEvent } from '../../src/platforms/gerrit/types.js';
import { GerritSource, type EventStream, type GerritSourceDeps } from '../../src/service/gerrit-source.js';
import type { GerritServiceConfig } from '../../src/service/gerrit-env.js';
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import type { GerritJob } from '../../src/service/job-queue.js';

/** Lets the catch-up started by an emitted 'connected' finish. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const SSH_CONFIG: GerritServiceConfig = {
  url: 'https://review.example.org',
  reviewWip: false,
  pollSeconds: 60,
  ssh: { host: 'review.example.org', port: 29418, user: 'hb', privateKey: 'k', keyPath: '/k' },
};

class FakeStream extends EventEmitter implements EventStream {
  reconnects = 0;
  started = false;
  stopped = false;
  start(): void {
    this.started = true;
  }
  stop(): void {
    this.stopped = true;
  }
}

const event = (change: number, patchSet: number, extra: Partial<GerritEvent> = {}): GerritEvent => ({
  kind: 'patchset-created',
  project: 'openstack/puppet-nova',
  branch: 'master',
  change,
  patchSet,
  receivedAt: 1,
  ...extra,
});

/** A raw stream-events line the fake classifier understands: {type, change, patchSet, eventCreatedOn}. */
const raw = (change: number, patchSet: number, createdOn: number, type = 'patchset-created'): unknown => ({ type, change, patchSet, eventCreatedOn: createdOn });
const classify: GerritSourceDeps['classify'] = (r) => {
  const e = r as { type: string; change: number; patchSet: number; eventCreatedOn: number };
  if (e.type === 'ref-updated') return { ignored: 'event type ref-updated' };
  return { event: event(e.change, e.patchSet, { kind: e.type === 'recheck' ? 'recheck' : 'patchset-created', createdAt: e.eventCreatedOn * 1000 }) };
};

function setup(config: GerritServiceConfig, options: { now?: () => number; changes?: (since: Date) => Promise<GerritEvent[]> } = {}) {
  const queue = new InProcessQueue<GerritJob>();
  const stream = new FakeStream();
  const queries: Date[] = [];
  const source = new GerritSource({
    config,
    queue,
    log: silent,
    classify,
    changesSince: async (since) => {
      queries.push(since);
      return (await options.changes?.(since)) ?? [];
    },
    createStream: () => stream,
    catchUpMarginMs: 1000,
    catchUpRetryMs: 20,
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return { queue, stream, queries, source };
}

test('SSH: stream events are queued under their keys; ignored events count; duplicates collapse', async () => {
  const { queue, stream, source } = setup(SSH_CONFIG);
  source.start();
  assert.ok(stream.started);
  assert.deepEqual(await source.accept(raw(1, 1, 100), 'stream'), { result: 'queued', key: 'gerrit:openstack/puppet-nova~1,1' });
  assert.equal((await source.accept(raw(1, 1, 100), 'stream')).result, 'duplicate');
  assert.equal((await source.accept(raw(1, 2, 101), 'stream')).result, 'superseded');
  assert.equal((await source.accept(raw(1, 2, 101, 'ref-updated'), 'stream')).result, 'ignored');
  assert.equal((await source.accept(raw(1, 2, 102, 'recheck'), 'stream')).key, 'gerrit:openstack/puppet-nova~1,2+recheck');
  assert.equal(queue.depth(), 1);
  const status = source.status();
  assert.deepEqual(status.events, ['ssh']);
  assert.equal(status.accepted, 4);
  assert.equal(status.ignored, 1);
  await source.stop();
  assert.ok(stream.stopped);
});

test('every connect (and reconnect) runs the catch-up query since the last event seen, less the margin', async () => {
  let now = 1_000_000;
  const { stream, queries, queue, source } = setup(SSH_CONFIG, {
    now: () => now,
    changes: async (since) => (since.getTime() < 900_000 ? [] : [event(7, 3), event(8, 1)]),
  });
  source.start();
  stream.emit('connected');
  await settle();
  assert.equal(queries.length, 1);
  assert.equal(queries[0]?.getTime(), 1_000_000 - 1000, 'first connect: since start');
  assert.equal(source.status().stream?.connected, true);
  assert.equal(queue.depth(), 2);
  // An event from the stream moves lastEventSeen (its own time, never ahead of the clock).
  now = 2_000_000;
  await source.accept(raw(9, 1, 1_500), 'stream');
  stream.emit('disconnected', new Error('connection reset'));
  assert.equal(source.status().stream?.connected, false);
  now = 3_000_000;
  stream.reconnects = 1;
  stream.emit('connected');
  await settle();
  assert.equal(queries.length, 2);
  // The catch-up after the first connect moved lastEventSeen to its start (1_000_000); the event to 1_500_000.
  assert.equal(queries.at(-1)?.getTime(), 1_500_000 - 1000);
  assert.equal(source.status().stream?.reconnects, 1);
  // Duplicates of queued work collapse.
  assert.equal(queue.depth(), 3);
  await source.stop();
});

test('a failed catch-up is retried; patch sets reviewed here are not queued again by later queries', async () => {
  let fail = true;
  const { stream, queries, queue, source } = setup(SSH_CONFIG, {
    changes: async () => {
      if (fail) {
        fail = false;
        throw new Error('503 Service Unavailable');
      }
      return [event(7, 3)];
    },
  });
  source.start();
  stream.emit('connected');
  await settle();
  assert.equal(source.status().lastCatchUp?.ok, false);
  assert.match(source.status().lastCatchUp?.error ?? '', /503/);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(queries.length, 2, 'retried after catchUpRetryMs');
  assert.equal(source.status().lastCatchUp?.ok, true);
  assert.equal(queue.depth(), 1);
  const ran: GerritJob[] = [];
  queue.start(async (j) => {
    ran.push(j);
    source.reviewed(j);
  }, 1);
  await queue.drain();
  assert.equal((await source.enqueue(event(7, 3), 'catch-up')).result, 'reviewed');
  // A recheck of a reviewed patch set still runs.
  assert.equal((await source.enqueue(event(7, 3, { kind: 'recheck' }), 'stream')).result, 'queued');
  await queue.drain();
  assert.deepEqual(ran.map((j) => [j.patchSet, j.recheck, j.source]), [[3, false, 'catch-up'], [3, true, 'stream']]);
  await source.stop();
});

test('polling only: the query runs at start and every GERRIT_POLL_SECONDS', async () => {
  const config: GerritServiceConfig = { url: 'https://g', reviewWip: false, pollSeconds: 60 };
  const { queries, source } = setup(config);
  assert.deepEqual(source.events, ['poll']);
  source.start();
  await settle();
  assert.equal(queries.length, 1);
  assert.equal(source.status().stream, undefined);
  await source.stop();
});

test('webhook only: no polling and no stream; webhook events do not move lastEventSeen', async () => {
  const config: GerritServiceConfig = { url: 'https://g', reviewWip: false, pollSeconds: 60, webhookToken: 'x'.repeat(16) };
  let now = 5_000_000;
  const { queries, source } = setup(config, { now: () => now });
  source.start();
  assert.deepEqual(source.events, ['webhook']);
  now = 9_000_000;
  await source.accept(raw(1, 1, 8_000), 'webhook');
  assert.equal(queries.length, 0);
  assert.equal(source.status().lastEventSeen, new Date(5_000_000).toISOString());
  await source.stop();
});
