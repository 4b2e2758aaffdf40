/**
 * The shared JobQueue for several instances: jobs live in Redis through BullMQ (one BullMQ queue per platform, the
 * `name` option), so any number of instances enqueue and work side by side and a Redis restart loses nothing
 * (ioredis reconnects; BullMQ workers need `maxRetriesPerRequest: null`).
 *
 * Semantics, as the in-process and SQLite queues (job-queue.ts):
 * - dedupe: the BullMQ jobId is derived from the key; a `live:<key>` marker (SET NX, atomic with the supersede
 *   bookkeeping in one Lua script) makes exactly one of several concurrent enqueuers see 'queued'; a `done:<key>`
 *   key with a TTL (doneTtlMs, short for rechecks) collapses redeliveries after the work is done.
 * - supersede: `latest:<group>` holds the newest key of a change; enqueueing a newer one removes the waiting older
 *   job ('superseded'); an older one than `latest` is not queued; the worker checks `latest` again when it starts a
 *   job (a job a race kept in the queue is skipped as stale).
 * - one change at a time: a `running:<group>` lock (SET NX PX, renewed); a job whose change runs elsewhere is moved
 *   back to delayed for pollMs without counting an attempt.
 * - leases: BullMQ's job lock (lockDuration = leaseMs) and stalled checks (stalledInterval = leaseMs) put a job
 *   held by a crashed worker back in the queue.
 * - retries: BullMQ attempts with the capped exponential backoff; dead letters are BullMQ's failed set (kept up to
 *   deadLetterLimit); a PermanentJobError (not retryable) fails at once (UnrecoverableError).
 * - close: stops taking jobs, waits up to closeTimeoutMs for running ones, then moves those back to waiting.
 */
import { Redis } from 'ioredis';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  JOB_STATES,
  keyGroup,
  keyIsOlder,
  type EnqueueResult,
  type JobQueue,
  type JobState,
  type QueueEntry,
  type QueueStats,
} from './job-queue.js';
import { backoffDelay, doneTtl, errorMessage, resolveQueueOptions, sleep, within, type DurableQueueOptions, type ResolvedQueueOptions } from './queue-options.js';

export interface RedisQueueOptions extends DurableQueueOptions {
  /** `redis://[:password@]host:port[/db]` (REDIS_URL). */
  url: string;
  /** Prefix of every key, BullMQ's included (default `heartbeat`); tests use a random one. */
  prefix?: string;
  /**
   * How long enqueue() waits for Redis before it rejects (default 5 s), so a webhook handler answers 503 (the
   * sender redelivers) well within GitHub's 10 s instead of hanging while Redis restarts. The enqueue may still
   * complete once Redis is back; the redelivery then collapses into it.
   */
  enqueueTimeoutMs?: number;
}

interface Data<J> {
  key: string;
  job: J;
}

/** How long a change's newest key is remembered (supersede / older-than checks). */
const LATEST_TTL_MS = 7 * 24 * 3600_000;
/** A live marker with no BullMQ job behind it this long after it was set is a leftover of a crash mid-enqueue. */
const STALE_MARKER_MS = 10_000;

/**
 * KEYS: done:<key>, live:<key>, latest:<group>. ARGV: key, the latest the caller saw ('' for none), now, live TTL,
 * latest TTL, '1' when the key is older than that latest. Returns {verdict, value}.
 */
const ENQUEUE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'done', ''} end
local live = redis.call('GET', KEYS[2])
if live then return {'live', live} end
local latest = redis.call('GET', KEYS[3]) or ''
if latest ~= ARGV[2] then return {'retry', latest} end
if ARGV[6] == '1' then return {'older', latest} end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[5])
return {'ok', latest}
`;

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/** A BullMQ job id for a key (ids may not contain ':'). */
export function redisJobId(key: string): string {
  return Buffer.from(key).toString('base64url');
}

const CONNECTION = {
  // Required by BullMQ workers; commands wait for a reconnect instead of failing after a few tries.
  maxRetriesPerRequest: null,
  retryStrategy: (times: number) => Math.min(100 * times, 2000),
  enableReadyCheck: true,
};

function connect(url: string): Redis {
  return new Redis(url, CONNECTION);
}

export class RedisQueue<J> implements JobQueue<J> {
  readonly #o: ResolvedQueueOptions;
  readonly #prefix: string;
  readonly #url: string;
  readonly #enqueueTimeoutMs: number;
  readonly #redis: Redis;
  readonly #queue: Queue<Data<J>>;
  #worker: Worker<Data<J>> | undefined;
  /** Running here: BullMQ token -> job. */
  readonly #running = new Map<string, Job<Data<J>>>();
  #depth = 0;
  #closed = false;
  #refresh: NodeJS.Timeout | undefined;

  constructor(options: RedisQueueOptions) {
    this.#o = resolveQueueOptions(options);
    this.#prefix = options.prefix ?? 'heartbeat';
    this.#url = options.url;
    this.#enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5000;
    this.#redis = connect(options.url);
    // Errors surface through the commands; without a listener ioredis would print each reconnect failure.
    this.#redis.on('error', () => {});
    this.#queue = new Queue<Data<J>>(this.#o.name, { connection: this.#redis, prefix: this.#prefix });
    this.#queue.on('error', () => {});
    this.#refresh = setInterval(() => void this.#counts().catch(() => {}), Math.max(this.#o.pollMs, 100));
    this.#refresh.unref();
  }

  /** Resolves once Redis answers and depth() is current; rejects after `timeoutMs` (default 10 s). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const ok = await within(
      (async () => {
        await this.#queue.waitUntilReady();
        await this.#counts();
      })(),
      timeoutMs,
    );
    if (!ok) throw new Error(`Redis at ${redactUrl(this.#url)} did not answer within ${timeoutMs} ms`);
  }

  #k(kind: string, id: string): string {
    return `${this.#prefix}:${this.#o.name}:hb:${kind}:${id}`;
  }

  async enqueue(key: string, job: J): Promise<EnqueueResult> {
    if (this.#closed) throw new Error('the job queue is closed');
    let result: EnqueueResult | undefined;
    const work = this.#enqueue(key, job).then((r) => (result = r));
    if (!(await within(work, this.#enqueueTimeoutMs))) {
      work.catch(() => {});
      throw new Error(`Redis did not take the job ${key} within ${this.#enqueueTimeoutMs} ms`);
    }
    await work;
    return result as EnqueueResult;
  }

  async #enqueue(key: string, job: J): Promise<EnqueueResult> {
    const group = keyGroup(key);
    const keys = [this.#k('done', key), this.#k('live', key), this.#k('latest', group)];
    let seen = (await this.#redis.get(keys[2] as string)) ?? '';
    let prev = '';
    for (let tries = 0; ; tries++) {
      const older = seen !== '' && seen !== key && keyIsOlder(key, seen);
      const [verdict, value] = (await this.#redis.eval(ENQUEUE_SCRIPT, 3, ...keys, key, seen, String(Date.now()), String(LATEST_TTL_MS), String(LATEST_TTL_MS), older ? '1' : '0')) as [string, string];
      if (verdict === 'done') return 'duplicate';
      if (verdict === 'older') {
        this.#o.onEvent({ type: 'dropped', key, reason: `${value} is newer` });
        return 'duplicate';
      }
      if (verdict === 'live') {
        if (!(await this.#staleMarker(key, Number(value)))) return 'duplicate';
        await this.#redis.del(keys[1] as string);
        continue;
      }
      if (verdict === 'retry' && tries < 10) {
        seen = value;
        continue;
      }
      if (verdict !== 'ok') throw new Error(`enqueue of ${key} kept racing with other enqueuers`);
      prev = value;
      break;
    }
    let superseded = false;
    if (prev !== '' && prev !== key) superseded = await this.#removeWaiting(prev, key);
    const id = redisJobId(key);
    // A dead letter or a completed leftover of this key would make BullMQ ignore the add.
    const leftover = await this.#queue.getJob(id);
    if (leftover !== undefined) await leftover.remove().catch(() => {});
    await this.#queue.add(key.slice(0, 200), { key, job }, {
      jobId: id,
      attempts: this.#o.maxAttempts,
      backoff: { type: 'heartbeat' },
      removeOnComplete: true,
      removeOnFail: { count: this.#o.deadLetterLimit },
    });
    await this.#counts().catch(() => {});
    return superseded ? 'superseded' : 'queued';
  }

  /** A live marker set `since` with no job behind it: a crash between marking and adding. */
  async #staleMarker(key: string, since: number): Promise<boolean> {
    if (!(Date.now() - since > STALE_MARKER_MS)) return false;
    const job = await this.#queue.getJob(redisJobId(key));
    if (job === undefined) return true;
    const state = await job.getState();
    return state === 'completed' || state === 'failed' || state === 'unknown';
  }

  /** Removes the job of `key` if it is still waiting; false when it runs (or is gone). */
  async #removeWaiting(key: string, by: string): Promise<boolean> {
    const job = await this.#queue.getJob(redisJobId(key));
    if (job === undefined) return false;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    try {
      await job.remove();
    } catch {
      return false; // a worker took it meanwhile; it will find itself stale
    }
    await this.#redis.del(this.#k('live', key));
    this.#o.onEvent({ type: 'superseded', key, by });
    return true;
  }

  start(worker: (job: J) => Promise<void>, concurrency: number): void {
    if (this.#worker !== undefined) throw new Error('the job queue is already started');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
    const w = new Worker<Data<J>>(this.#o.name, (job, token) => this.#process(worker, job, token), {
      // Its own connections (a blocking one among them), which the worker closes, or disconnects when forced.
      connection: { url: this.#url, ...CONNECTION },
      prefix: this.#prefix,
      concurrency,
      lockDuration: this.#o.leaseMs,
      stalledInterval: this.#o.leaseMs,
      maxStalledCount: this.#o.maxAttempts,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(this.#o, attemptsMade) },
    });
    w.on('error', () => {});
    w.on('failed', (job, error) => {
      if (job === undefined) return;
      void this.#afterFailure(job, error).catch(() => {});
    });
    this.#worker = w;
  }

  async #afterFailure(job: Job<Data<J>>, error: Error): Promise<void> {
    const { key } = job.data;
    if (await job.isFailed()) {
      await this.#redis.del(this.#k('live', key));
      this.#o.onEvent({ type: 'dead', key, attempts: job.attemptsMade, error: error.message });
    } else {
      this.#o.onEvent({ type: 'retry', key, attempt: job.attemptsMade, delayMs: backoffDelay(this.#o, job.attemptsMade), error: error.message });
    }
  }

  async #process(worker: (job: J) => Promise<void>, job: Job<Data<J>>, token: string | undefined): Promise<void> {
    const { key } = job.data;
    const group = keyGroup(key);
    if ((await this.#redis.exists(this.#k('done', key))) === 1) {
      // Done before its process died between recording it and BullMQ's completion.
      await this.#redis.del(this.#k('live', key));
      return;
    }
    const latest = await this.#redis.get(this.#k('latest', group));
    if (latest !== null && latest !== key && !keyIsOlder(latest, key)) {
      await this.#redis.del(this.#k('live', key));
      this.#o.onEvent({ type: 'superseded', key, by: latest });
      return;
    }
    const lock = this.#k('running', group);
    const lockToken = `${token ?? ''}:${job.id ?? ''}`;
    if ((await this.#redis.set(lock, lockToken, 'PX', this.#o.leaseMs, 'NX')) !== 'OK') {
      // Its change runs elsewhere: wait, without counting an attempt.
      await job.moveToDelayed(Date.now() + Math.min(this.#o.pollMs, 1000), token);
      throw new DelayedError();
    }
    const renew = setInterval(() => void this.#redis.eval(RENEW_SCRIPT, 1, lock, lockToken, String(this.#o.leaseMs)).catch(() => {}), Math.max(10, Math.floor(this.#o.leaseMs / 3)));
    renew.unref();
    if (token !== undefined) this.#running.set(token, job);
    const attempt = job.attemptsMade + 1;
    const started = Date.now();
    this.#o.onEvent({ type: 'started', key, attempt });
    try {
      await Promise.resolve().then(() => worker(job.data.job));
    } catch (error) {
      const now = await this.#redis.get(this.#k('latest', group));
      if (now !== null && now !== key) {
        await this.#redis.del(this.#k('live', key));
        this.#o.onEvent({ type: 'dropped', key, reason: `failed (${errorMessage(error)}) and a newer job of its group is queued` });
        return;
      }
      if (!this.#o.retryable(error)) throw new UnrecoverableError(errorMessage(error));
      throw error instanceof Error ? error : new Error(errorMessage(error));
    } finally {
      clearInterval(renew);
      if (token !== undefined) this.#running.delete(token);
      await this.#redis.eval(RELEASE_SCRIPT, 1, lock, lockToken).catch(() => {});
    }
    const at = Date.now();
    await this.#redis
      .multi()
      .set(this.#k('done', key), JSON.stringify({ job: job.data.job, at, attempts: attempt }), 'PX', doneTtl(this.#o, key))
      .zadd(this.#k('index', 'done'), at, key)
      .del(this.#k('live', key))
      .exec();
    this.#o.onEvent({ type: 'done', key, attempt, ms: at - started });
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.#running.size === 0 && this.#closed) return;
      if (this.#running.size === 0 && (await this.#counts()).pending === 0) return;
      await sleep(Math.min(this.#o.pollMs, 50));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#refresh);
    const w = this.#worker;
    if (w !== undefined) {
      // pause() stops taking jobs and waits for the running ones; a graceful close() could not be forced later.
      if (await within(w.pause(), this.#o.closeTimeoutMs)) await w.close();
      else {
        // Give the running jobs back rather than leave them to the stalled check.
        for (const [token, job] of this.#running) {
          await job.moveToWait(token).catch(() => {});
          this.#o.onEvent({ type: 'dropped', key: job.data.key, reason: 'the queue closed while the job ran; it is back in the queue' });
        }
        this.#running.clear();
        if (!(await within(w.close(true), 2000))) await w.disconnect().catch(() => {});
      }
    }
    await this.#queue.close().catch(() => {});
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  /** Stops as a crash would: no completion, no lock renewal, nothing given back. For tests. */
  async abandon(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#refresh);
    this.#running.clear();
    // Forced: the hung jobs are not waited for, their locks are neither renewed nor released.
    if (this.#worker !== undefined && !(await within(this.#worker.close(true), 2000))) await this.#worker.disconnect().catch(() => {});
    await within(this.#queue.disconnect().catch(() => {}), 1000);
    this.#redis.disconnect();
  }

  /** Rejects when Redis does not answer within `timeoutMs` (default 1 s). */
  async ping(timeoutMs = 1000): Promise<void> {
    if (!(await within(this.#redis.ping(), timeoutMs))) throw new Error('Redis did not answer PING in time');
  }

  depth(): number {
    return this.#depth;
  }

  running(): number {
    return this.#running.size;
  }

  async #counts(): Promise<QueueStats & { pending: number }> {
    const c = await this.#queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
    const doneIndex = this.#k('index', 'done');
    const now = Date.now();
    await this.#redis.zremrangebyscore(doneIndex, '-inf', now - Math.max(this.#o.doneTtlMs, this.#o.recheckDoneTtlMs));
    const done = await this.#redis.zcard(doneIndex);
    const waiting = (c.wait ?? 0) + (c.prioritized ?? 0);
    const delayed = c.delayed ?? 0;
    const running = c.active ?? 0;
    this.#depth = waiting + delayed;
    return { waiting, delayed, running, done, dead: c.failed ?? 0, pending: waiting + delayed + running };
  }

  async stats(): Promise<QueueStats> {
    if (this.#closed) return { waiting: 0, delayed: 0, running: 0, done: 0, dead: 0 };
    const { pending: _pending, ...stats } = await this.#counts();
    void _pending;
    return stats;
  }

  async list(state: JobState, limit = 50): Promise<QueueEntry<J>[]> {
    if (!JOB_STATES.includes(state)) return [];
    if (state === 'done') {
      const keys = await this.#redis.zrevrange(this.#k('index', 'done'), 0, limit - 1);
      if (keys.length === 0) return [];
      const values = await this.#redis.mget(...keys.map((k) => this.#k('done', k)));
      const out: QueueEntry<J>[] = [];
      keys.forEach((key, i) => {
        const v = values[i];
        if (v === null || v === undefined) return;
        const d = JSON.parse(v) as { job: J; at: number; attempts: number };
        out.push({ key, job: d.job, state, attempts: d.attempts, updatedAt: d.at });
      });
      return out;
    }
    const types = state === 'waiting' ? (['wait', 'prioritized'] as const) : state === 'delayed' ? (['delayed'] as const) : state === 'running' ? (['active'] as const) : (['failed'] as const);
    const jobs = (await this.#queue.getJobs([...types], 0, limit - 1, false)) as Job<Data<J>>[];
    return jobs
      .filter((j): j is Job<Data<J>> => j !== undefined && j !== null)
      .map((j) => ({
        key: j.data.key,
        job: j.data.job,
        state,
        attempts: j.attemptsMade,
        ...(j.failedReason ? { error: j.failedReason } : {}),
        updatedAt: j.finishedOn ?? j.processedOn ?? j.timestamp,
      }));
  }

  /** Deletes every key under `prefix` (tests). */
  static async purge(url: string, prefix: string): Promise<void> {
    const redis = connect(url);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
