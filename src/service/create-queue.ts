/**
 * Chooses the job queue backend (CONTRACTS.md §3): Redis through BullMQ when REDIS_URL is set (several instances
 * share it), else SQLite in DATA_DIR (`<DATA_DIR>/queue.sqlite`). One queue per platform (`name`: `github`,
 * `gerrit`), each with its own workers and concurrency bound; both of one process share the same store.
 */
import type { JobQueue } from './job-queue.js';
import type { DurableQueueOptions } from './queue-options.js';
import { RedisQueue } from './redis-queue.js';
import { SqliteQueue } from './sqlite-queue.js';

export interface QueueConfig {
  /** REDIS_URL: when set, the queue lives in Redis. */
  redisUrl?: string | undefined;
  /** DATA_DIR: where the SQLite queue lives otherwise (default `./var` is the caller's). */
  dataDir: string;
  /** Redis key prefix (default `heartbeat`). */
  redisPrefix?: string | undefined;
}

/** A queue with the optional members the durable backends all have. */
export type DurableJobQueue<J> = JobQueue<J> &
  Required<Pick<JobQueue<J>, 'running' | 'stats' | 'list' | 'ping'>> & {
    /** `redis` or `sqlite`, for logs and /readyz. */
    readonly backend: 'redis' | 'sqlite';
    /** Resolves once the store answers (Redis: connected and counted; SQLite: at once). */
    ready(): Promise<void>;
  };

/** Per-queue settings: the platform's name and the shared durable-queue options (attempts, backoff, lease, events). */
export type QueueDeps = DurableQueueOptions & { name: 'github' | 'gerrit' | (string & {}) };

export function createQueue<J>(config: QueueConfig, deps: QueueDeps): DurableJobQueue<J> {
  if (config.redisUrl !== undefined && config.redisUrl !== '') {
    const queue = new RedisQueue<J>({ ...deps, url: config.redisUrl, ...(config.redisPrefix !== undefined ? { prefix: config.redisPrefix } : {}) });
    return Object.assign(queue, { backend: 'redis' as const });
  }
  const queue = new SqliteQueue<J>({ ...deps, dataDir: config.dataDir });
  return Object.assign(queue, { backend: 'sqlite' as const, ready: () => Promise.resolve() });
}
