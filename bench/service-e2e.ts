/**
 * End to end through the real service as child processes (`node dist/src/server.js`, as `npm start` runs it)
 * against the fake Gerrit over HTTP: 200 changes, their 200 `patchset-created` webhooks-plugin POSTs sent at once,
 * reviewed by the service and posted back to the fake.
 *
 *   sqlite x1   one instance, queue in SQLite under DATA_DIR (no REDIS_URL)
 *   redis  x2   two instances sharing the Redis at REDIS_URL (default redis://127.0.0.1:6379, database 14, flushed
 *               before and after); the events are spread over the two as a load balancer would (round robin)
 *
 * Prints a table: reviews/s (first event sent -> last review posted), end-to-end latency p50/p99 (the event's
 * POST sent -> its review received by the fake Gerrit), acknowledgement p99, and the children's peak RSS.
 *
 *   npm run build && node dist/bench/service-e2e.js [--events 200] [--only sqlite|redis]
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  addChanges,
  deliver,
  exactlyOnce,
  percentile,
  redisReachable,
  spawnService,
  startGerritFixture,
  until,
  REDIS_URL,
  type ChangeId,
  type ChildService,
  type Delivery,
} from '../test/service/process-harness.js';

const { values } = parseArgs({ options: { events: { type: 'string' }, only: { type: 'string' } } });
const EVENTS = Number(values.events ?? 200);
const REDIS_DB = 14;

interface Row {
  setup: string;
  reviewsPerSecond: number;
  p50: number;
  p99: number;
  ackP99: number;
  peakRssMb: number;
  note?: string;
}

async function run(setup: string, instances: number, env: Record<string, string>): Promise<Row> {
  const fixture = await startGerritFixture();
  const services: ChildService[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      services.push(await spawnService(fixture.env({ LOG_LEVEL: 'warn', DATA_DIR: join(fixture.dir, `data-${i}`), ...env }), { cwd: fixture.dir, name: `${setup} #${i + 1}` }));
    }
    const changes = addChanges(fixture.fake, EVENTS);
    const t0 = Date.now();
    // Round robin over the instances, all at once.
    const parts: ChangeId[][] = services.map((_, i) => changes.filter((_c, k) => k % services.length === i));
    const acks: Delivery[] = (await Promise.all(parts.map((part, i) => deliver(fixture.fake, (services[i] as ChildService).url, part)))).flat();
    const sentAt = new Map<number, number>();
    parts.flat().forEach((c, k) => sentAt.set(c.number, (acks[k] as Delivery).sentAt));
    const bad = acks.filter((a) => a.status !== 202).length;
    await until(() => exactlyOnce(fixture.fake, changes).missing.length === 0, `${EVENTS} reviews (${setup})`, 120_000);
    await new Promise((r) => setTimeout(r, 300));
    const once = exactlyOnce(fixture.fake, changes);
    const firstReview = new Map<number, number>();
    for (const r of fixture.fake.reviews) if (r.status === 200 && !firstReview.has(r.number)) firstReview.set(r.number, r.at);
    const latencies = changes.map((c) => (firstReview.get(c.number) as number) - (sentAt.get(c.number) as number)).sort((a, b) => a - b);
    const last = Math.max(...firstReview.values());
    const notes = [bad > 0 ? `${bad} POSTs not answered 202` : '', once.duplicated.length > 0 ? `${once.duplicated.length} changes reviewed twice` : ''].filter((n) => n !== '');
    return {
      setup,
      reviewsPerSecond: EVENTS / ((last - t0) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ackP99: percentile(acks.map((a) => a.ms).sort((a, b) => a - b), 99),
      peakRssMb: Math.max(...services.map((s) => s.peakRssMb())),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    };
  } finally {
    for (const s of services) await s.stop(5000);
    await fixture.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (values.only === undefined || values.only === 'sqlite') rows.push(await run('1 instance, SQLite', 1, {}));
  if (values.only === undefined || values.only === 'redis') {
    const url = `${REDIS_URL.replace(/\/\d*$/, '')}/${REDIS_DB}`;
    if (!(await redisReachable(REDIS_URL))) {
      console.error(`no Redis at ${REDIS_URL}: the two-instance run is skipped (start redis-server, or set TEST_REDIS_URL)`);
    } else {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      await redis.flushdb();
      try {
        rows.push(await run('2 instances, Redis', 2, { REDIS_URL: url }));
      } finally {
        await redis.flushdb();
        redis.disconnect();
      }
    }
  }
  console.log(`service end to end: ${EVENTS} Gerrit patch-set webhooks sent at once to child processes (node dist/src/server.js), reviews posted to the fake Gerrit`);
  console.log('');
  console.log('| setup | reviews/s | latency p50 | latency p99 | ack p99 | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.setup} | ${r.reviewsPerSecond.toFixed(1)} | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.ackP99.toFixed(0)} ms | ${r.peakRssMb.toFixed(0)} MB |${r.note !== undefined ? ` ${r.note}` : ''}`);
  }
  console.log('');
  console.log('latency: the webhook POST sent -> the review received by the fake Gerrit; reviews/s: first POST sent -> last review posted');
  if (rows.some((r) => r.note !== undefined)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
