/** The in-process job queue: dedupe, supersede, per-group serialisation, retries to dead letters, concurrency, drain. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessQueue, type QueueEvent } from '../../src/service/in-process-queue.js';
import { githubJobKey, keyGroup, PermanentJobError, type QueueClock } from '../../src/service/job-queue.js';

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements QueueClock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time);
  }
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
    await settle();
  }
}

/** Lets promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise the test resolves by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const job = (number: number, sha: string) => ({ owner: 'Acme', repo: 'Deploy', number, headSha: sha });

test('githubJobKey is github:<owner>/<repo>#<pr>@<sha>, lower-cased; the group drops the version', () => {
  assert.equal(githubJobKey(job(7, 'ABC123')), 'github:acme/deploy#7@abc123');
  assert.equal(keyGroup('github:acme/deploy#7@abc123'), 'github:acme/deploy#7');
  assert.equal(keyGroup('no-version'), 'no-version');
});

test('a job enqueued twice runs once: the second is a duplicate, also while the first runs', async () => {
  const queue = new InProcessQueue<string>({ clock: new FakeClock() });
  const ran: string[] = [];
  const hold = gate();
  assert.equal(await queue.enqueue('k@1', 'a'), 'queued');
  assert.equal(await queue.enqueue('k@1', 'a again'), 'duplicate');
  queue.start(async (j) => {
    ran.push(j);
    await hold.promise;
  }, 2);
  await settle();
  assert.equal(await queue.enqueue('k@1', 'a while running'), 'duplicate');
  hold.open();
  await queue.drain();
  assert.deepEqual(ran, ['a']);
});

test('a newer version of a group supersedes the waiting older one', async () => {
  const events: QueueEvent[] = [];
  const queue = new InProcessQueue<string>({ clock: new FakeClock(), onEvent: (e) => events.push(e) });
  assert.equal(await queue.enqueue('github:o/r#1@old', 'old'), 'queued');
  assert.equal(await queue.enqueue('github:o/r#2@x', 'other pr'), 'queued');
  assert.equal(await queue.enqueue('github:o/r#1@new', 'new'), 'superseded');
  assert.equal(queue.depth(), 2);
  const ran: string[] = [];
  queue.start(async (j) => void ran.push(j), 1);
  await queue.drain();
  assert.deepEqual(ran, ['other pr', 'new']);
  assert.ok(events.some((e) => e.type === 'superseded' && e.key === 'github:o/r#1@old' && e.by === 'github:o/r#1@new'));
});

test('jobs of one group never run at once; the newer waits for the running older one', async () => {
  const queue = new InProcessQueue<string>({ clock: new FakeClock() });
  const hold = gate();
  const log: string[] = [];
  queue.start(async (j) => {
    log.push(`start ${j}`);
    if (j === 'old') await hold.promise;
    log.push(`end ${j}`);
  }, 4);
  await queue.enqueue('g@old', 'old');
  await settle();
  assert.equal(await queue.enqueue('g@new', 'new'), 'queued');
  await settle();
  assert.deepEqual(log, ['start old']);
  hold.open();
  await queue.drain();
  assert.deepEqual(log, ['start old', 'end old', 'start new', 'end new']);
});

test('at most `concurrency` jobs run at once', async () => {
  const queue = new InProcessQueue<number>({ clock: new FakeClock() });
  let running = 0;
  let peak = 0;
  queue.start(async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
  }, 3);
  for (let i = 0; i < 10; i++) await queue.enqueue(`pr${i}@sha`, i);
  await queue.drain();
  assert.equal(peak, 3);
  assert.equal(queue.depth(), 0);
});

test('a failing job is retried with exponential backoff, then dead-lettered', async () => {
  const clock = new FakeClock();
  const events: QueueEvent[] = [];
  const queue = new InProcessQueue<string>({ clock, maxAttempts: 3, backoffMs: 1000, onEvent: (e) => events.push(e) });
  let attempts = 0;
  queue.start(async () => {
    attempts++;
    throw new Error(`boom ${attempts}`);
  }, 1);
  await queue.enqueue('k@1', 'job');
  await settle();
  assert.equal(attempts, 1);
  assert.deepEqual(clock.pending(), [1000]);
  assert.equal(queue.depth(), 1, 'a job waiting for its retry counts as waiting');
  await clock.advance(999);
  assert.equal(attempts, 1);
  await clock.advance(1);
  assert.equal(attempts, 2);
  assert.deepEqual(clock.pending(), [2000]);
  await clock.advance(2000);
  assert.equal(attempts, 3);
  assert.deepEqual(clock.pending(), []);
  await queue.drain();
  const dead = queue.deadLetters();
  assert.equal(dead.length, 1);
  assert.equal(dead[0]?.key, 'k@1');
  assert.equal(dead[0]?.attempts, 3);
  assert.equal(dead[0]?.error, 'boom 3');
  assert.deepEqual(
    events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs),
    [1000, 2000],
  );
});

test('backoff is capped, a job that succeeds on retry is not dead-lettered', async () => {
  const clock = new FakeClock();
  const queue = new InProcessQueue<string>({ clock, maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 1500 });
  let attempts = 0;
  queue.start(async () => {
    attempts++;
    if (attempts < 3) throw new Error('transient');
  }, 1);
  await queue.enqueue('k@1', 'job');
  await settle();
  await clock.advance(1000);
  assert.deepEqual(clock.pending(), [1500]);
  await clock.advance(1500);
  await queue.drain();
  assert.equal(attempts, 3);
  assert.equal(queue.deadLetters().length, 0);
});

test('a PermanentJobError is not retried', async () => {
  const clock = new FakeClock();
  const queue = new InProcessQueue<string>({ clock });
  let attempts = 0;
  queue.start(async () => {
    attempts++;
    throw new PermanentJobError('no installation');
  }, 1);
  await queue.enqueue('k@1', 'job');
  await queue.drain();
  assert.equal(attempts, 1);
  assert.equal(queue.deadLetters()[0]?.error, 'no installation');
});

test('a newer version supersedes a job waiting for its retry; a failed job with a newer one waiting is dropped', async () => {
  const clock = new FakeClock();
  const queue = new InProcessQueue<string>({ clock, backoffMs: 1000 });
  const ran: string[] = [];
  const hold = gate();
  queue.start(async (j) => {
    ran.push(j);
    if (j === 'v1') throw new Error('fails');
    if (j === 'v3') {
      await hold.promise;
      throw new Error('fails too');
    }
  }, 1);
  await queue.enqueue('g@1', 'v1');
  await settle();
  assert.equal(queue.depth(), 1, 'v1 waits for its retry');
  assert.equal(await queue.enqueue('g@2', 'v2'), 'superseded');
  assert.deepEqual(clock.pending(), [], 'the retry timer is cancelled');
  await queue.drain();
  assert.deepEqual(ran, ['v1', 'v2']);

  await queue.enqueue('g@3', 'v3');
  await settle();
  await queue.enqueue('g@4', 'v4');
  hold.open();
  await queue.drain();
  assert.deepEqual(ran, ['v1', 'v2', 'v3', 'v4']);
  assert.equal(queue.deadLetters().length, 0);
});

test('jobs enqueued before start wait for it; drain resolves at once when idle', async () => {
  const queue = new InProcessQueue<string>({ clock: new FakeClock() });
  await queue.drain();
  await queue.enqueue('a@1', 'a');
  await queue.enqueue('b@1', 'b');
  assert.equal(queue.depth(), 2);
  const ran: string[] = [];
  queue.start(async (j) => void ran.push(j), 1);
  await queue.drain();
  assert.deepEqual(ran, ['a', 'b']);
});

test('close waits for running jobs, drops waiting ones and refuses new ones', async () => {
  const clock = new FakeClock();
  const events: QueueEvent[] = [];
  const queue = new InProcessQueue<string>({ clock, onEvent: (e) => events.push(e) });
  const hold = gate();
  const done: string[] = [];
  queue.start(async (j) => {
    await hold.promise;
    done.push(j);
  }, 1);
  await queue.enqueue('a@1', 'a');
  await queue.enqueue('b@1', 'b');
  await settle();
  const closed = queue.close();
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  await settle();
  assert.equal(isClosed, false, 'close waits for the running job');
  hold.open();
  await closed;
  assert.deepEqual(done, ['a']);
  assert.ok(events.some((e) => e.type === 'dropped' && e.key === 'b@1'));
  await assert.rejects(queue.enqueue('c@1', 'c'), /closed/);
  await queue.drain();
});

test('start refuses a second worker and a bad concurrency', () => {
  const queue = new InProcessQueue<string>();
  assert.throws(() => queue.start(async () => {}, 0), /concurrency/);
  queue.start(async () => {}, 1);
  assert.throws(() => queue.start(async () => {}, 1), /already started/);
});
