/**
 * The durable JobQueue of a single machine: jobs live in SQLite (`<DATA_DIR>/queue.sqlite`, WAL, busy_timeout) so a
 * restart, a crash or SIGKILL loses none. Several queue objects (the GitHub and the Gerrit queue of one process, or
 * two processes) may share the file: every state change is one IMMEDIATE transaction.
 *
 * Semantics, as the in-process queue (job-queue.ts) plus durability:
 * - enqueue: a key waiting, running, or done within doneTtlMs ('duplicate'); a key older than waiting, running or
 *   recently done work of its group is not queued ('duplicate'); otherwise waiting jobs of its group are deleted
 *   ('superseded') and the job is queued.
 * - taking: a worker takes a due job whose group has no running job, setting `lease_until` and a fresh `token`;
 *   the lease is renewed while the job runs. A job whose lease expired (its process crashed) is taken again; that
 *   counts as an attempt, so a job that keeps killing its process ends dead.
 * - completion: marked done in one transaction that checks the token, so a worker whose lease was lost (and the
 *   job taken by another) records nothing. At-least-once: the posting is idempotent (markers) for the rest.
 * - failure: retried after base * 2^(attempt-1) ms (capped) up to maxAttempts, then `dead` (kept, deadLetterLimit
 *   per queue); dropped instead when a newer job of its group is waiting; a PermanentJobError is not retried.
 * - close: stops taking, waits up to closeTimeoutMs for running jobs, then gives their leases back (waiting again,
 *   the attempt not counted). Waiting jobs stay in the file for the next start.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
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

export interface SqliteQueueOptions extends DurableQueueOptions {
  /** Directory of `queue.sqlite` (created if missing); default `./var`. */
  dataDir?: string;
  /** The database file itself (overrides dataDir). */
  file?: string;
  /** Clock for the store's timestamps (default Date.now). */
  now?: () => number;
}

interface Row {
  id: number;
  key: string;
  grp: string;
  payload: string;
  state: 'waiting' | 'running' | 'done' | 'dead';
  attempts: number;
  run_at: number;
  lease_until: number | null;
  token: string | null;
  error: string | null;
  updated_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  key TEXT NOT NULL,
  grp TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at INTEGER NOT NULL,
  lease_until INTEGER,
  token TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (queue, key)
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (queue, state, run_at);
CREATE INDEX IF NOT EXISTS jobs_group ON jobs (queue, grp, state);
`;

/** The file a queue in `dataDir` uses. */
export function sqliteQueueFile(dataDir: string): string {
  return join(dataDir, 'queue.sqlite');
}

export class SqliteQueue<J> implements JobQueue<J> {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #o: ResolvedQueueOptions;
  readonly #now: () => number;
  readonly #owner = randomUUID();
  /** Running here: token -> the job's settle promise. */
  readonly #running = new Map<string, { id: number; key: string; settled: Promise<void> }>();
  #worker: ((job: J) => Promise<void>) | undefined;
  #concurrency = 1;
  #closed = false;
  #poll: NodeJS.Timeout | undefined;
  #renew: NodeJS.Timeout | undefined;
  #pumping = false;

  constructor(options: SqliteQueueOptions = {}) {
    this.#o = resolveQueueOptions(options);
    this.#now = options.now ?? Date.now;
    const dataDir = options.dataDir ?? './var';
    this.file = options.file ?? sqliteQueueFile(dataDir);
    if (options.file === undefined) mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(this.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(SCHEMA);
  }

  enqueue(key: string, job: J): Promise<EnqueueResult> {
    if (this.#closed) return Promise.reject(new Error('the job queue is closed'));
    const result = this.#tx(() => this.#enqueue(key, job));
    if (result !== 'duplicate') this.#pump();
    return Promise.resolve(result);
  }

  #enqueue(key: string, job: J): EnqueueResult {
    const now = this.#now();
    const q = this.#o.name;
    const group = keyGroup(key);
    const live = (r: Row): boolean => r.state === 'waiting' || r.state === 'running' || (r.state === 'done' && r.updated_at + doneTtl(this.#o, r.key) > now);
    const rows = this.#sql('SELECT * FROM jobs WHERE queue = ? AND grp = ?').all(q, group) as Row[];
    const same = rows.find((r) => r.key === key);
    if (same !== undefined && live(same)) return 'duplicate';
    const newer = rows.find((r) => r.key !== key && live(r) && keyIsOlder(key, r.key));
    if (newer !== undefined) {
      this.#o.onEvent({ type: 'dropped', key, reason: `${newer.key} is newer` });
      return 'duplicate';
    }
    let superseded = false;
    for (const r of rows) {
      if (r.key === key || r.state !== 'waiting') continue;
      this.#sql('DELETE FROM jobs WHERE id = ?').run(r.id);
      this.#o.onEvent({ type: 'superseded', key: r.key, by: key });
      superseded = true;
    }
    this.#sql(
      `INSERT INTO jobs (queue, key, grp, payload, state, attempts, run_at, updated_at) VALUES (?, ?, ?, ?, 'waiting', 0, ?, ?)
       ON CONFLICT (queue, key) DO UPDATE SET payload = excluded.payload, state = 'waiting', attempts = 0, run_at = excluded.run_at,
         lease_until = NULL, token = NULL, error = NULL, updated_at = excluded.updated_at`,
    )
      .run(q, key, group, JSON.stringify(job), now, now);
    return superseded ? 'superseded' : 'queued';
  }

  start(worker: (job: J) => Promise<void>, concurrency: number): void {
    if (this.#worker !== undefined) throw new Error('the job queue is already started');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
    this.#worker = worker;
    this.#concurrency = concurrency;
    this.#poll = setInterval(() => this.#pump(), this.#o.pollMs);
    this.#poll.unref();
    this.#renew = setInterval(() => this.#renewLeases(), Math.max(10, Math.floor(this.#o.leaseMs / 3)));
    this.#renew.unref();
    this.#pump();
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.#running.size === 0 && (this.#closed || this.#pending() === 0)) return;
      await sleep(Math.min(this.#o.pollMs, 50));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimers();
    const settled = [...this.#running.values()].map((r) => r.settled);
    if (!(await within(Promise.all(settled), this.#o.closeTimeoutMs))) {
      // Still running: give the leases back so another worker (or the next start) takes the jobs again.
      this.#tx(() => {
        for (const [token, r] of this.#running) {
          this.#sql("UPDATE jobs SET state = 'waiting', attempts = max(0, attempts - 1), lease_until = NULL, token = NULL, updated_at = ? WHERE id = ? AND token = ?")
            .run(this.#now(), r.id, token);
          this.#o.onEvent({ type: 'dropped', key: r.key, reason: 'the queue closed while the job ran; its lease is released' });
        }
      });
      this.#running.clear();
    }
    this.#db.close();
  }

  /**
   * Stops this queue object as a crash would: no more taking, no lease renewal, nothing released, the database
   * closed as it is. Running jobs' leases expire and another queue on the file takes them again. For tests.
   */
  abandon(): void {
    this.#closed = true;
    this.#stopTimers();
    this.#running.clear();
    if (this.#db.open) this.#db.close();
  }

  ping(): Promise<void> {
    try {
      this.#sql('SELECT 1').get();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  depth(): number {
    if (!this.#db.open) return 0;
    const row = this.#sql("SELECT count(*) AS n FROM jobs WHERE queue = ? AND state = 'waiting'").get(this.#o.name) as { n: number };
    return row.n;
  }

  running(): number {
    return this.#running.size;
  }

  stats(): Promise<QueueStats> {
    const now = this.#now();
    const stats: QueueStats = { waiting: 0, delayed: 0, running: 0, done: 0, dead: 0 };
    if (!this.#db.open) return Promise.resolve(stats);
    const rows = this.#sql(
      `SELECT CASE WHEN state = 'waiting' AND run_at > ? THEN 'delayed' ELSE state END AS s, count(*) AS n
       FROM jobs WHERE queue = ? GROUP BY s`,
    )
      .all(now, this.#o.name) as { s: JobState; n: number }[];
    for (const r of rows) if (JOB_STATES.includes(r.s)) stats[r.s] = r.n;
    return Promise.resolve(stats);
  }

  list(state: JobState, limit = 50): Promise<QueueEntry<J>[]> {
    if (!this.#db.open) return Promise.resolve([]);
    const now = this.#now();
    const where =
      state === 'waiting' ? "state = 'waiting' AND run_at <= ?" : state === 'delayed' ? "state = 'waiting' AND run_at > ?" : 'state = ? ';
    const arg = state === 'waiting' || state === 'delayed' ? now : state;
    const rows = this.#sql(`SELECT * FROM jobs WHERE queue = ? AND ${where} ORDER BY updated_at DESC, id DESC LIMIT ?`)
      .all(this.#o.name, arg, limit) as Row[];
    return Promise.resolve(
      rows.map((r) => ({
        key: r.key,
        job: JSON.parse(r.payload) as J,
        state,
        attempts: r.attempts,
        ...(r.error !== null ? { error: r.error } : {}),
        updatedAt: r.updated_at,
      })),
    );
  }

  /** Waiting (due or not) and running jobs in the store, every instance's. */
  #pending(): number {
    if (!this.#db.open) return 0;
    const row = this.#sql("SELECT count(*) AS n FROM jobs WHERE queue = ? AND state IN ('waiting', 'running')").get(this.#o.name) as { n: number };
    return row.n;
  }

  #stopTimers(): void {
    clearInterval(this.#poll);
    clearInterval(this.#renew);
  }

  /** Statements by SQL text, prepared once: preparing costs more than running these small statements. */
  readonly #statements = new Map<string, Database.Statement>();

  #sql(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  #tx<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  #pump(): void {
    const worker = this.#worker;
    if (worker === undefined || this.#closed || this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#running.size < this.#concurrency) {
        // A read (no lock under WAL) first, so idle polls of several queues do not contend for the write lock.
        if (!this.#anyDue()) return;
        const taken = this.#tx(() => this.#take());
        if (taken === undefined) return;
        const settled: Promise<void> = this.#run(worker, taken);
        this.#running.set(taken.token as string, { id: taken.id, key: taken.key, settled });
      }
    } catch (error) {
      // A locked or closed database: the next poll tries again.
      this.#o.onEvent({ type: 'dropped', key: '*', reason: `taking a job failed: ${errorMessage(error)}` });
    } finally {
      this.#pumping = false;
    }
  }

  #anyDue(): boolean {
    const now = this.#now();
    const row = this.#sql("SELECT 1 FROM jobs WHERE queue = ? AND ((state = 'waiting' AND run_at <= ?) OR (state = 'running' AND lease_until < ?)) LIMIT 1")
      .get(this.#o.name, now, now);
    return row !== undefined;
  }

  /** Takes the next due job whose group runs nothing (a lease that expired counts as not running). */
  #take(): Row | undefined {
    const now = this.#now();
    const q = this.#o.name;
    for (;;) {
      const row = this.#sql(
        `SELECT * FROM jobs j WHERE queue = ? AND ((state = 'waiting' AND run_at <= ?) OR (state = 'running' AND lease_until < ?))
         AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.queue = j.queue AND r.grp = j.grp AND r.state = 'running' AND r.lease_until >= ? AND r.id <> j.id)
         ORDER BY run_at, id LIMIT 1`,
      )
        .get(q, now, now, now) as Row | undefined;
      if (row === undefined) return undefined;
      if (row.state === 'running' && row.attempts >= this.#o.maxAttempts) {
        // Its process died while running it on its last attempt.
        this.#dead(row, 'the worker running it stopped (its lease expired) on its last attempt');
        continue;
      }
      const token = randomUUID();
      this.#sql("UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, token = ?, updated_at = ? WHERE id = ?")
        .run(now + this.#o.leaseMs, token, now, row.id);
      return { ...row, state: 'running', attempts: row.attempts + 1, token, lease_until: now + this.#o.leaseMs };
    }
  }

  #renewLeases(): void {
    if (this.#running.size === 0 || !this.#db.open) return;
    const until = this.#now() + this.#o.leaseMs;
    try {
      this.#tx(() => {
        for (const [token, r] of this.#running) this.#sql('UPDATE jobs SET lease_until = ? WHERE id = ? AND token = ?').run(until, r.id, token);
      });
    } catch {
      // Busy: the next renewal, well within the lease, tries again.
    }
  }

  async #run(worker: (job: J) => Promise<void>, row: Row): Promise<void> {
    const token = row.token as string;
    const started = this.#now();
    this.#o.onEvent({ type: 'started', key: row.key, attempt: row.attempts });
    let failure: { error: unknown } | undefined;
    try {
      await Promise.resolve().then(() => worker(JSON.parse(row.payload) as J));
    } catch (error) {
      failure = { error };
    }
    // Abandoned, or closed after the jobs' leases were given back: this worker records nothing.
    if (!this.#running.has(token) || !this.#db.open) return;
    this.#running.delete(token);
    try {
      this.#tx(() => {
        const now = this.#now();
        if (failure === undefined) {
          const done = this.#sql("UPDATE jobs SET state = 'done', lease_until = NULL, token = NULL, error = NULL, updated_at = ? WHERE id = ? AND token = ?")
            .run(now, row.id, token);
          if (done.changes === 1) this.#o.onEvent({ type: 'done', key: row.key, attempt: row.attempts, ms: now - started });
          else this.#o.onEvent({ type: 'dropped', key: row.key, reason: 'done, but its lease had been lost to another worker' });
          this.#prune(now);
        } else this.#failed(row, token, failure.error);
      });
    } catch (error) {
      this.#o.onEvent({ type: 'dropped', key: row.key, reason: `recording the outcome failed (${errorMessage(error)}); the lease will expire` });
    }
    if (!this.#closed) setImmediate(() => this.#pump());
  }

  #failed(row: Row, token: string, error: unknown): void {
    const message = errorMessage(error);
    const now = this.#now();
    const current = this.#sql('SELECT token FROM jobs WHERE id = ?').get(row.id) as { token: string | null } | undefined;
    if (current?.token !== token) {
      this.#o.onEvent({ type: 'dropped', key: row.key, reason: `failed (${message}) after its lease had been lost to another worker` });
      return;
    }
    const newer = this.#sql("SELECT 1 FROM jobs WHERE queue = ? AND grp = ? AND state = 'waiting' AND id <> ?").get(this.#o.name, row.grp, row.id);
    if (newer !== undefined) {
      this.#sql('DELETE FROM jobs WHERE id = ?').run(row.id);
      this.#o.onEvent({ type: 'dropped', key: row.key, reason: `failed (${message}) and a newer job of its group is waiting` });
      return;
    }
    if (row.attempts >= this.#o.maxAttempts || !this.#o.retryable(error)) {
      this.#dead(row, message);
      return;
    }
    const delayMs = backoffDelay(this.#o, row.attempts);
    this.#sql("UPDATE jobs SET state = 'waiting', run_at = ?, lease_until = NULL, token = NULL, error = ?, updated_at = ? WHERE id = ?")
      .run(now + delayMs, message, now, row.id);
    this.#o.onEvent({ type: 'retry', key: row.key, attempt: row.attempts, delayMs, error: message });
  }

  #dead(row: Row, message: string): void {
    const now = this.#now();
    this.#sql("UPDATE jobs SET state = 'dead', lease_until = NULL, token = NULL, error = ?, updated_at = ? WHERE id = ?")
      .run(message, now, row.id);
    this.#o.onEvent({ type: 'dead', key: row.key, attempts: row.attempts, error: message });
    this.#sql(
      `DELETE FROM jobs WHERE queue = ? AND state = 'dead' AND id NOT IN
         (SELECT id FROM jobs WHERE queue = ? AND state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT ?)`,
    )
      .run(this.#o.name, this.#o.name, this.#o.deadLetterLimit);
  }

  /** Forgets done jobs older than the longest done window. */
  #prune(now: number): void {
    this.#sql("DELETE FROM jobs WHERE queue = ? AND state = 'done' AND updated_at < ?").run(this.#o.name, now - Math.max(this.#o.doneTtlMs, this.#o.recheckDoneTtlMs));
  }
}
