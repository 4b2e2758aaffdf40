/**
 * The in-process JobQueue: jobs live in this process's memory and are lost when it stops (SIGTERM drains it first).
 * Enough for one instance; the durable queues of the service issue implement the same interface.
 *
 * Semantics (job-queue.ts): duplicate keys collapse, a newer version of a group supersedes a waiting older one
 * (for ordered versions, Gerrit patch sets, an older one than queued or running work is not queued at all),
 * and jobs of one group never run at the same time (two reviews of one pull request would race each other's
 * check runs). Failures are retried after base * 2^(attempt-1) ms (capped) up to maxAttempts, then dead-lettered;
 * a failed job that a newer version of its group has meanwhile replaced is dropped instead of retried.
 */
import {
  keyGroup,
  keyIsOlder,
  PermanentJobError,
  SYSTEM_CLOCK,
  type DeadLetter,
  type EnqueueResult,
  type JobQueue,
  type JobState,
  type QueueClock,
  type QueueEntry,
  type QueueStats,
} from './job-queue.js';

export type QueueEvent =
  | { type: 'superseded'; key: string; by: string }
  | { type: 'started'; key: string; attempt: number }
  | { type: 'done'; key: string; attempt: number; ms: number }
  | { type: 'retry'; key: string; attempt: number; delayMs: number; error: string }
  | { type: 'dead'; key: string; attempts: number; error: string }
  | { type: 'dropped'; key: string; reason: string };

export interface InProcessQueueOptions {
  /** Attempts per job before it is dead-lettered (default 4). */
  maxAttempts?: number;
  /** Backoff before the first retry, doubled for each further one (default 2000 ms). */
  backoffMs?: number;
  /** Cap on a single backoff (default 60 s). */
  maxBackoffMs?: number;
  /** How many dead letters to keep, oldest dropped first (default 100). */
  deadLetterLimit?: number;
  /** Whether a failure is worth retrying (default: everything but PermanentJobError). */
  retryable?: (error: unknown) => boolean;
  clock?: QueueClock;
  /** Observer for logs and metrics. */
  onEvent?: (event: QueueEvent) => void;
}

interface Entry<J> {
  key: string;
  group: string;
  job: J;
  attempts: number;
}

export class InProcessQueue<J> implements JobQueue<J> {
  readonly #waiting = new Map<string, Entry<J>>();
  readonly #delayed = new Map<string, { entry: Entry<J>; timer: unknown }>();
  readonly #running = new Map<string, Entry<J>>();
  readonly #runningGroups = new Set<string>();
  readonly #dead: DeadLetter<J>[] = [];
  readonly #idle: (() => void)[] = [];
  readonly #settled = new Set<Promise<void>>();
  #worker: ((job: J) => Promise<void>) | undefined;
  #concurrency = 1;
  #done = 0;
  #closed = false;

  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #deadLetterLimit: number;
  readonly #retryable: (error: unknown) => boolean;
  readonly #clock: QueueClock;
  readonly #onEvent: (event: QueueEvent) => void;

  constructor(options: InProcessQueueOptions = {}) {
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.#backoffMs = options.backoffMs ?? 2000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.#deadLetterLimit = options.deadLetterLimit ?? 100;
    this.#retryable = options.retryable ?? ((error) => !(error instanceof PermanentJobError));
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#onEvent = options.onEvent ?? (() => {});
  }

  enqueue(key: string, job: J): Promise<EnqueueResult> {
    if (this.#closed) return Promise.reject(new Error('the job queue is closed'));
    if (this.#waiting.has(key) || this.#delayed.has(key) || this.#running.has(key)) return Promise.resolve('duplicate');
    const group = keyGroup(key);
    // An older patch set than work already queued or running for its change is covered by that work.
    const newer = this.#newerOfGroup(group, key);
    if (newer !== undefined) {
      this.#onEvent({ type: 'dropped', key, reason: `${newer} is newer` });
      return Promise.resolve('duplicate');
    }
    const replaced = this.#removeWaitingOfGroup(group, key);
    this.#waiting.set(key, { key, group, job, attempts: 0 });
    this.#pump();
    return Promise.resolve(replaced ? 'superseded' : 'queued');
  }

  start(worker: (job: J) => Promise<void>, concurrency: number): void {
    if (this.#worker !== undefined) throw new Error('the job queue is already started');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
    this.#worker = worker;
    this.#concurrency = concurrency;
    this.#pump();
  }

  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const [key, { timer }] of this.#delayed) {
      this.#clock.clearTimeout(timer);
      this.#onEvent({ type: 'dropped', key, reason: 'the queue closed while the job waited for a retry' });
    }
    this.#delayed.clear();
    for (const key of this.#waiting.keys()) this.#onEvent({ type: 'dropped', key, reason: 'the queue closed before the job ran' });
    this.#waiting.clear();
    await Promise.all([...this.#settled]);
    this.#checkIdle();
  }

  depth(): number {
    return this.#waiting.size + this.#delayed.size;
  }

  /** Jobs running now. */
  running(): number {
    return this.#running.size;
  }

  /** Counts by state; `done` counts the jobs this process completed (it remembers no keys once done). */
  stats(): Promise<QueueStats> {
    return Promise.resolve({
      waiting: this.#waiting.size,
      delayed: this.#delayed.size,
      running: this.#running.size,
      done: this.#done,
      dead: this.#dead.length,
    });
  }

  /** Jobs in a state (done jobs are not kept: none). */
  list(state: JobState, limit = 50): Promise<QueueEntry<J>[]> {
    const now = this.#clock.now();
    const of = (entries: Iterable<Entry<J>>): QueueEntry<J>[] =>
      [...entries].map((e) => ({ key: e.key, job: e.job, state, attempts: e.attempts, updatedAt: now }));
    const all: QueueEntry<J>[] =
      state === 'waiting'
        ? of(this.#waiting.values())
        : state === 'delayed'
          ? of([...this.#delayed.values()].map((d) => d.entry))
          : state === 'running'
            ? of(this.#running.values())
            : state === 'dead'
              ? [...this.#dead].reverse().map((d) => ({ key: d.key, job: d.job, state, attempts: d.attempts, error: d.error, updatedAt: d.failedAt }))
              : [];
    return Promise.resolve(all.slice(0, limit));
  }

  /** Jobs that failed their last attempt, oldest first. */
  deadLetters(): readonly DeadLetter<J>[] {
    return this.#dead;
  }

  /** A waiting, delayed or running key of `group` whose version orders after `key`'s (keyIsOlder). */
  #newerOfGroup(group: string, key: string): string | undefined {
    for (const map of [this.#waiting, this.#running]) {
      for (const entry of map.values()) if (entry.group === group && keyIsOlder(key, entry.key)) return entry.key;
    }
    for (const { entry } of this.#delayed.values()) if (entry.group === group && keyIsOlder(key, entry.key)) return entry.key;
    return undefined;
  }

  #removeWaitingOfGroup(group: string, by: string): boolean {
    let removed = false;
    for (const [key, entry] of this.#waiting) {
      if (entry.group !== group) continue;
      this.#waiting.delete(key);
      this.#onEvent({ type: 'superseded', key, by });
      removed = true;
    }
    for (const [key, { entry, timer }] of this.#delayed) {
      if (entry.group !== group) continue;
      this.#clock.clearTimeout(timer);
      this.#delayed.delete(key);
      this.#onEvent({ type: 'superseded', key, by });
      removed = true;
    }
    return removed;
  }

  #pump(): void {
    const worker = this.#worker;
    if (worker === undefined || this.#closed) return;
    while (this.#running.size < this.#concurrency) {
      let next: Entry<J> | undefined;
      for (const entry of this.#waiting.values()) {
        if (!this.#runningGroups.has(entry.group)) {
          next = entry;
          break;
        }
      }
      if (next === undefined) return;
      this.#waiting.delete(next.key);
      this.#running.set(next.key, next);
      this.#runningGroups.add(next.group);
      const settled: Promise<void> = this.#run(worker, next).finally(() => {
        this.#settled.delete(settled);
      });
      this.#settled.add(settled);
    }
  }

  async #run(worker: (job: J) => Promise<void>, entry: Entry<J>): Promise<void> {
    entry.attempts += 1;
    const started = this.#clock.now();
    this.#onEvent({ type: 'started', key: entry.key, attempt: entry.attempts });
    try {
      // A worker that throws synchronously is a failure like any other.
      await Promise.resolve().then(() => worker(entry.job));
      this.#onEvent({ type: 'done', key: entry.key, attempt: entry.attempts, ms: this.#clock.now() - started });
      this.#done += 1;
    } catch (error) {
      this.#failed(entry, error);
    } finally {
      this.#running.delete(entry.key);
      this.#runningGroups.delete(entry.group);
      this.#pump();
      this.#checkIdle();
    }
  }

  #failed(entry: Entry<J>, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const newer = [...this.#waiting.values()].some((e) => e.group === entry.group);
    if (newer) {
      this.#onEvent({ type: 'dropped', key: entry.key, reason: `failed (${message}) and a newer job of its group is waiting` });
      return;
    }
    if (this.#closed || entry.attempts >= this.#maxAttempts || !this.#retryable(error)) {
      this.#dead.push({ key: entry.key, job: entry.job, attempts: entry.attempts, error: message, failedAt: this.#clock.now() });
      if (this.#dead.length > this.#deadLetterLimit) this.#dead.shift();
      this.#onEvent({ type: 'dead', key: entry.key, attempts: entry.attempts, error: message });
      return;
    }
    const delayMs = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** (entry.attempts - 1));
    const timer = this.#clock.setTimeout(() => {
      if (!this.#delayed.has(entry.key)) return;
      this.#delayed.delete(entry.key);
      this.#waiting.set(entry.key, entry);
      this.#pump();
    }, delayMs);
    this.#delayed.set(entry.key, { entry, timer });
    this.#onEvent({ type: 'retry', key: entry.key, attempt: entry.attempts, delayMs, error: message });
  }

  #isIdle(): boolean {
    return this.#running.size === 0 && (this.#closed || (this.#waiting.size === 0 && this.#delayed.size === 0));
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
