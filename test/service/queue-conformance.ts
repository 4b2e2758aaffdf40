/**
 * The one JobQueue test suite, run against every implementation (in-process, SQLite, Redis) by the
 * *-queue-conformance.test.ts files: dedupe, supersede in both orders, retries with backoff to the dead letters,
 * concurrency per platform, graceful close, counts by state, and for the durable ones persistence across re-open,
 * re-delivery after a crash (an expired lease / a stalled job) and two consumers on one store running each job once.
 * Intervals are injected short so the whole suite stays fast.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gerritJobKey, PermanentJobError, type JobQueue, type JobState, type QueueEntry, type QueueStats } from '../../src/service/job-queue.js';
import type { QueueEvent } from '../../src/service/in-process-queue.js';

export interface ConformanceQueue extends JobQueue<string> {
  running(): number;
  stats(): Promise<QueueStats>;
  list(state: JobState, limit?: number): Promise<QueueEntry<string>[]>;
  /** Stops as a crash would: nothing released, nothing recorded (durable queues). */
  abandon?(): void | Promise<void>;
}

/** What a test asks of a queue; the store maps it to its own options (leaseMs: the lease or BullMQ lock). */
export interface ConformanceQueueOptions {
  name?: string;
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  leaseMs?: number;
  closeTimeoutMs?: number;
  onEvent?: (event: QueueEvent) => void;
}

/** One store per test: every queue opened on it shares its jobs (durable queues). */
export interface ConformanceStore {
  open(options?: ConformanceQueueOptions): ConformanceQueue | Promise<ConformanceQueue>;
  dispose(): Promise<void>;
}

export interface ConformanceOptions {
  /** Persistence, crash and two-consumer cases apply (SQLite, Redis). */
  durable: boolean;
  /** A reason to skip the whole suite (e.g. no Redis reachable). */
  skip?: string | undefined;
}

export const FAST: ConformanceQueueOptions = { maxAttempts: 4, backoffMs: 30, maxBackoffMs: 1000, leaseMs: 400, closeTimeoutMs: 2000 };

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const gk = (patchSet: number, recheck = false): string => gerritJobKey({ project: 'openstack/puppet-nova', change: 12345, patchSet, recheck });

export function queueConformance(name: string, makeStore: () => Promise<ConformanceStore>, opts: ConformanceOptions): void {
  const durable = opts.durable;
  const skip = opts.skip;

  /** Runs `fn` with a fresh store, closing what it opened and disposing of the store afterwards. */
  function withStore(fn: (open: (o?: ConformanceQueueOptions) => Promise<ConformanceQueue>) => Promise<void>): () => Promise<void> {
    return async () => {
      const store = await makeStore();
      const opened: ConformanceQueue[] = [];
      const open = async (o: ConformanceQueueOptions = {}): Promise<ConformanceQueue> => {
        const q = await store.open({ ...FAST, ...o });
        opened.push(q);
        return q;
      };
      // The in-process queue's retry timers do not keep the process alive (SYSTEM_CLOCK unrefs them); the test must.
      const keepAlive = setInterval(() => {}, 1000);
      try {
        await fn(open);
      } finally {
        clearInterval(keepAlive);
        for (const q of opened) await q.close().catch(() => {});
        await store.dispose();
      }
    };
  }

  describe(`queue conformance: ${name}`, { skip: skip ?? false }, () => {
    test('a key enqueued twice runs once, also while it runs' + (durable ? ' and once done' : ''), withStore(async (open) => {
      const q = await open();
      const ran: string[] = [];
      const hold = gate();
      assert.equal(await q.enqueue('github:o/r#1@a', 'a'), 'queued');
      assert.equal(await q.enqueue('github:o/r#1@a', 'a again'), 'duplicate');
      q.start(async (j) => {
        ran.push(j);
        await hold.promise;
      }, 2);
      await waitFor('the job to run', () => q.running() === 1);
      assert.equal(await q.enqueue('github:o/r#1@a', 'a while running'), 'duplicate');
      hold.open();
      await q.drain();
      assert.deepEqual(ran, ['a']);
      if (durable) assert.equal(await q.enqueue('github:o/r#1@a', 'a redelivered'), 'duplicate', 'done recently');
    }));

    test('a newer version supersedes a waiting older one; an older one than waiting work is not queued', withStore(async (open) => {
      const events: QueueEvent[] = [];
      const q = await open({ onEvent: (e) => events.push(e) });
      assert.equal(await q.enqueue('github:o/r#1@old', 'old'), 'queued');
      assert.equal(await q.enqueue('github:o/r#2@x', 'other pr'), 'queued');
      assert.equal(await q.enqueue('github:o/r#1@new', 'new'), 'superseded');
      assert.equal(q.depth(), 2);
      assert.equal(await q.enqueue(gk(1), 'ps1'), 'queued');
      assert.equal(await q.enqueue(gk(2), 'ps2'), 'superseded');
      assert.equal(await q.enqueue(gk(1), 'ps1 late'), 'duplicate', 'older patch set after a newer one');
      assert.equal(await q.enqueue(gk(2, true), 'ps2 recheck'), 'superseded', 'a recheck supersedes the plain review');
      assert.equal(await q.enqueue(gk(2), 'ps2 again'), 'duplicate');
      const ran: string[] = [];
      q.start(async (j) => void ran.push(j), 1);
      await q.drain();
      assert.deepEqual([...ran].sort(), ['new', 'other pr', 'ps2 recheck']);
      assert.ok(events.some((e) => e.type === 'superseded' && e.key === 'github:o/r#1@old' && e.by === 'github:o/r#1@new'));
    }));

    test('jobs of one change never run at once; an older patch set than running work is not queued', withStore(async (open) => {
      const q = await open();
      const hold = gate();
      const log: string[] = [];
      q.start(async (j) => {
        log.push(`start ${j}`);
        if (j === '5') await hold.promise;
        log.push(`end ${j}`);
      }, 4);
      assert.equal(await q.enqueue(gk(5), '5'), 'queued');
      await waitFor('patch set 5 to run', () => q.running() === 1);
      assert.equal(await q.enqueue(gk(4), '4'), 'duplicate', 'older than the running one');
      assert.equal(await q.enqueue(gk(6), '6'), 'queued', 'newer waits for the running one');
      assert.equal(await q.enqueue(gk(5, true), '5r'), 'duplicate', 'a recheck of 5 is older than 6');
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.deepEqual(log, ['start 5']);
      hold.open();
      await q.drain();
      assert.deepEqual(log, ['start 5', 'end 5', 'start 6', 'end 6']);
    }));

    test('a failing job is retried with exponential backoff, then dead-lettered and counted', withStore(async (open) => {
      const events: QueueEvent[] = [];
      const q = await open({ maxAttempts: 3, backoffMs: 60, onEvent: (e) => events.push(e) });
      const times: number[] = [];
      q.start(async () => {
        times.push(Date.now());
        throw new Error(`boom ${times.length}`);
      }, 1);
      await q.enqueue('github:o/r#1@a', 'job');
      await waitFor('the first attempt', () => times.length === 1);
      await waitFor('the retry to be delayed', async () => (await q.stats()).delayed === 1);
      assert.equal(q.depth(), 1, 'a job waiting for its retry counts as waiting');
      await q.drain();
      assert.equal(times.length, 3);
      const [t1, t2, t3] = times as [number, number, number];
      assert.ok(t2 - t1 >= 55, `first backoff ${t2 - t1} ms >= 60`);
      assert.ok(t3 - t2 >= 115, `second backoff ${t3 - t2} ms >= 120`);
      const stats = await q.stats();
      assert.equal(stats.dead, 1);
      assert.equal(stats.waiting + stats.delayed + stats.running, 0);
      const dead = await q.list('dead');
      assert.equal(dead[0]?.key, 'github:o/r#1@a');
      assert.equal(dead[0]?.job, 'job');
      assert.equal(dead[0]?.attempts, 3);
      assert.equal(dead[0]?.error, 'boom 3');
      assert.ok(events.some((e) => e.type === 'dead' && e.key === 'github:o/r#1@a'));
      assert.equal(events.filter((e) => e.type === 'retry').length, 2);
    }));

    test('a PermanentJobError is dead at once; a job that succeeds on retry is not', withStore(async (open) => {
      const q = await open({ maxAttempts: 5 });
      const attempts = new Map<string, number>();
      q.start(async (j) => {
        const n = (attempts.get(j) ?? 0) + 1;
        attempts.set(j, n);
        if (j === 'permanent') throw new PermanentJobError('no installation');
        if (n < 3) throw new Error('transient');
      }, 2);
      await q.enqueue('github:o/r#1@a', 'permanent');
      await q.enqueue('github:o/r#2@a', 'transient');
      await q.drain();
      assert.equal(attempts.get('permanent'), 1);
      assert.equal(attempts.get('transient'), 3);
      const dead = await q.list('dead');
      assert.deepEqual(dead.map((d) => [d.job, d.error]), [['permanent', 'no installation']]);
    }));

    test('at most `concurrency` jobs run at once, bounded per platform queue', withStore(async (open) => {
      const github = await open({ name: 'github' });
      const gerrit = await open({ name: 'gerrit' });
      let running = { github: 0, gerrit: 0 };
      const peak = { github: 0, gerrit: 0, both: 0 };
      const work = (p: 'github' | 'gerrit') => async () => {
        running = { ...running, [p]: running[p] + 1 };
        peak[p] = Math.max(peak[p], running[p]);
        peak.both = Math.max(peak.both, running.github + running.gerrit);
        await new Promise((resolve) => setTimeout(resolve, 15));
        running = { ...running, [p]: running[p] - 1 };
      };
      for (let i = 0; i < 9; i++) await github.enqueue(`github:o/r#${i}@sha`, `g${i}`);
      for (let i = 0; i < 6; i++) await gerrit.enqueue(gerritJobKey({ project: 'p', change: i, patchSet: 1, recheck: false }), `r${i}`);
      assert.equal(github.depth(), 9);
      assert.equal(gerrit.depth(), 6);
      github.start(work('github'), 3);
      gerrit.start(work('gerrit'), 2);
      await Promise.all([github.drain(), gerrit.drain()]);
      assert.equal(peak.github, 3);
      assert.equal(peak.gerrit, 2);
      assert.equal(peak.both, 5, 'the platforms do not share one bound');
      assert.equal((await github.stats()).waiting, 0);
    }));

    test('counts by state follow the jobs', withStore(async (open) => {
      const q = await open();
      const hold = gate();
      await q.enqueue('github:o/r#1@a', 'ok');
      await q.enqueue('github:o/r#2@a', 'fail');
      await q.enqueue('github:o/r#3@a', 'hold');
      assert.deepEqual(await q.stats(), { waiting: 3, delayed: 0, running: 0, done: 0, dead: 0 });
      q.start(async (j) => {
        if (j === 'fail') throw new PermanentJobError('no');
        if (j === 'hold') await hold.promise;
      }, 3);
      await waitFor('ok done, fail dead, hold running', async () => {
        const s = await q.stats();
        return s.done === 1 && s.dead === 1 && s.running === 1 && s.waiting === 0;
      });
      assert.deepEqual((await q.list('running')).map((e) => e.key), ['github:o/r#3@a']);
      hold.open();
      await q.drain();
      assert.deepEqual(await q.stats(), { waiting: 0, delayed: 0, running: 0, done: 2, dead: 1 });
    }));

    test('close waits for running jobs, takes no new ones and refuses enqueues' + (durable ? '; waiting jobs stay for the next start' : ''), withStore(async (open) => {
      const q = await open();
      const hold = gate();
      const done: string[] = [];
      q.start(async (j) => {
        await hold.promise;
        done.push(j);
      }, 1);
      await q.enqueue('github:o/r#1@a', 'a');
      await waitFor('a to run', () => q.running() === 1);
      await q.enqueue('github:o/r#2@a', 'b');
      const closed = q.close();
      let isClosed = false;
      void closed.then(() => (isClosed = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(isClosed, false, 'close waits for the running job');
      hold.open();
      await closed;
      assert.deepEqual(done, ['a']);
      await assert.rejects(q.enqueue('github:o/r#3@a', 'c'), /closed/);
      await q.drain();
      if (durable) {
        const again = await open();
        assert.equal(again.depth(), 1);
        const ran: string[] = [];
        again.start(async (j) => void ran.push(j), 1);
        await again.drain();
        assert.deepEqual(ran, ['b']);
      }
    }));

    if (!durable) return;

    test('jobs persist across re-open', withStore(async (open) => {
      const first = await open();
      await first.enqueue('github:o/r#1@a', 'a');
      await first.enqueue(gk(3), 'ps3');
      await first.close();
      const second = await open();
      assert.equal(second.depth(), 2);
      assert.equal(await second.enqueue(gk(3), 'ps3 again'), 'duplicate');
      assert.equal(await second.enqueue(gk(2), 'ps2'), 'duplicate');
      const ran: string[] = [];
      second.start(async (j) => void ran.push(j), 2);
      await second.drain();
      assert.deepEqual([...ran].sort(), ['a', 'ps3']);
      await second.close();
      const third = await open();
      assert.equal(await third.enqueue('github:o/r#1@a', 'a'), 'duplicate', 'done is remembered across re-open');
    }));

    test('a job held by a crashed worker is taken again once its lease expires', withStore(async (open) => {
      const first = await open({ leaseMs: 300 });
      const ran: string[] = [];
      first.start(async (j) => {
        ran.push(`first ${j}`);
        await new Promise(() => {}); // never completes: the process "dies" holding it
      }, 1);
      await first.enqueue('github:o/r#1@a', 'a');
      await waitFor('the first worker to take it', () => ran.length === 1);
      assert.ok(first.abandon !== undefined);
      await first.abandon();
      const second = await open({ leaseMs: 300 });
      second.start(async (j) => void ran.push(`second ${j}`), 1);
      await waitFor('the second worker to take it again', () => ran.length === 2, 8000);
      await second.drain();
      assert.deepEqual(ran, ['first a', 'second a']);
      const stats = await second.stats();
      assert.equal(stats.done, 1);
      assert.equal(stats.running + stats.waiting, 0);
    }));

    test('close gives back a job that does not finish in time; another worker takes it', withStore(async (open) => {
      const first = await open({ closeTimeoutMs: 50, leaseMs: 300 });
      const ran: string[] = [];
      first.start(async (j) => {
        ran.push(`first ${j}`);
        await new Promise(() => {});
      }, 1);
      await first.enqueue('github:o/r#1@a', 'a');
      await waitFor('the first worker to take it', () => ran.length === 1);
      await first.close();
      const second = await open({ leaseMs: 300 });
      second.start(async (j) => void ran.push(`second ${j}`), 1);
      await waitFor('the second worker to take it', () => ran.length === 2, 8000);
      await second.drain();
      assert.deepEqual(ran, ['first a', 'second a']);
    }));

    test('two consumers on one store never run the same job twice', withStore(async (open) => {
      const a = await open();
      const b = await open();
      const runs = new Map<string, number>();
      const work = async (j: string) => {
        runs.set(j, (runs.get(j) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 2));
      };
      a.start(work, 4);
      b.start(work, 4);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => [a.enqueue(`github:o/r#${i}@s`, `j${i}`), b.enqueue(`github:o/r#${i}@s`, `j${i}`)]).flat(),
      );
      assert.equal(results.filter((r) => r === 'queued').length, 40, 'each pair collapses into one job');
      await Promise.all([a.drain(), b.drain()]);
      // A redelivery after the work is done collapses too.
      assert.equal(await b.enqueue('github:o/r#0@s', 'j0'), 'duplicate');
      await Promise.all([a.drain(), b.drain()]);
      assert.equal(runs.size, 40);
      assert.deepEqual([...runs.values()].filter((n) => n !== 1), []);
    }));
  });
}
