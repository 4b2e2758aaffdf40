/**
 * Options and helpers shared by the durable job queues (sqlite-queue.ts, redis-queue.ts), so both read the same
 * knobs and compute the same backoff and "done recently" windows.
 */
import { PermanentJobError } from './job-queue.js';
import type { QueueEvent } from './in-process-queue.js';

export interface DurableQueueOptions {
  /**
   * Queue name inside the store: one per platform (`github`, `gerrit`), so each has its own workers and its own
   * concurrency bound. Default `jobs`.
   */
  name?: string;
  /** Attempts per job before it is dead-lettered (default 4). A lease that expired (a crash) counts as an attempt. */
  maxAttempts?: number;
  /** Backoff before the first retry, doubled for each further one (default 2000 ms). */
  backoffMs?: number;
  /** Cap on a single backoff (default 60 s). */
  maxBackoffMs?: number;
  /** Whether a failure is worth retrying (default: everything but PermanentJobError). */
  retryable?: (error: unknown) => boolean;
  /**
   * How long a done key is remembered, so a redelivery, a second instance's copy of the event or a catch-up query
   * collapses into it ('duplicate') (default 15 min).
   */
  doneTtlMs?: number;
  /** The same for `+recheck` keys, short so a later `recheck` comment runs again (default 30 s). */
  recheckDoneTtlMs?: number;
  /** How long a taken job is leased; renewed while it runs, taken again when a crashed worker let it expire (default 60 s). */
  leaseMs?: number;
  /** How often the store is polled for due jobs (default 250 ms); a local enqueue wakes the workers at once. */
  pollMs?: number;
  /** How long close() waits for running jobs before it gives their leases back (default 20 s). */
  closeTimeoutMs?: number;
  /** How many dead letters to keep per queue, oldest dropped first (default 1000). */
  deadLetterLimit?: number;
  /** Observer for logs and metrics (the same events as the in-process queue). */
  onEvent?: (event: QueueEvent) => void;
}

export interface ResolvedQueueOptions {
  name: string;
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  retryable: (error: unknown) => boolean;
  doneTtlMs: number;
  recheckDoneTtlMs: number;
  leaseMs: number;
  pollMs: number;
  closeTimeoutMs: number;
  deadLetterLimit: number;
  onEvent: (event: QueueEvent) => void;
}

export function resolveQueueOptions(o: DurableQueueOptions): ResolvedQueueOptions {
  return {
    name: o.name ?? 'jobs',
    maxAttempts: Math.max(1, o.maxAttempts ?? 4),
    backoffMs: o.backoffMs ?? 2000,
    maxBackoffMs: o.maxBackoffMs ?? 60_000,
    retryable: o.retryable ?? ((error) => !(error instanceof PermanentJobError)),
    doneTtlMs: o.doneTtlMs ?? 15 * 60_000,
    recheckDoneTtlMs: o.recheckDoneTtlMs ?? 30_000,
    leaseMs: o.leaseMs ?? 60_000,
    pollMs: o.pollMs ?? 250,
    closeTimeoutMs: o.closeTimeoutMs ?? 20_000,
    deadLetterLimit: o.deadLetterLimit ?? 1000,
    onEvent: o.onEvent ?? (() => {}),
  };
}

/** The backoff after failed attempt number `attempt` (1-based): base * 2^(attempt-1), capped. */
export function backoffDelay(o: Pick<ResolvedQueueOptions, 'backoffMs' | 'maxBackoffMs'>, attempt: number): number {
  return Math.min(o.maxBackoffMs, o.backoffMs * 2 ** Math.max(0, attempt - 1));
}

/** How long the done `key` is remembered. */
export function doneTtl(o: Pick<ResolvedQueueOptions, 'doneTtlMs' | 'recheckDoneTtlMs'>, key: string): number {
  return key.endsWith('+recheck') ? Math.min(o.doneTtlMs, o.recheckDoneTtlMs) : o.doneTtlMs;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves after `ms` (keeping the process alive meanwhile: whoever waits, drain() for one, is work). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settled within `ms`. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
