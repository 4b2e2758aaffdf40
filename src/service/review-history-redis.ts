/**
 * ReviewHistory in Redis (with REDIS_URL), so every instance behind a load balancer shows the same history:
 *
 *   <prefix>:history:seq      INCR, the next id
 *   <prefix>:history:ids      list of ids, newest first, trimmed to the limit
 *   <prefix>:history:records  hash id -> record JSON (trimmed ids are deleted with the list)
 *   <prefix>:history:failed   hash queue key -> id of its latest failed record (for markDead)
 *
 * Commands fail fast while Redis is away (no offline queue): the caller logs the error and the review goes on.
 */
import { Redis } from 'ioredis';
import { DEFAULT_HISTORY_LIMIT, summaryOf, type NewReviewRecord, type ReviewHistory, type ReviewRecord, type ReviewSummary } from './review-history.js';

export class RedisReviewHistory implements ReviewHistory {
  readonly #redis: Redis;
  readonly #limit: number;
  readonly #k: { seq: string; ids: string; records: string; failed: string };

  constructor(options: { url: string; prefix?: string; limit?: number }) {
    this.#limit = Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT);
    const base = `${options.prefix ?? 'heartbeat'}:history`;
    this.#k = { seq: `${base}:seq`, ids: `${base}:ids`, records: `${base}:records`, failed: `${base}:failed` };
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      lazyConnect: false,
    });
    // Connection errors are reported by the commands that fail; an unhandled 'error' event would crash the process.
    this.#redis.on('error', () => undefined);
  }

  async add(record: NewReviewRecord): Promise<ReviewRecord> {
    const id = String(await this.#redis.incr(this.#k.seq));
    const full: ReviewRecord = { ...record, id };
    const multi = this.#redis.multi().hset(this.#k.records, id, JSON.stringify(full)).lpush(this.#k.ids, id);
    if (full.status === 'failed') multi.hset(this.#k.failed, full.key, id);
    else multi.hdel(this.#k.failed, full.key);
    await multi.exec();
    const overflow = await this.#redis.lrange(this.#k.ids, this.#limit, -1);
    if (overflow.length > 0) {
      await this.#redis.multi().ltrim(this.#k.ids, 0, this.#limit - 1).hdel(this.#k.records, ...overflow).exec();
    }
    return full;
  }

  async markDead(key: string, error: string): Promise<void> {
    const id = await this.#redis.hget(this.#k.failed, key);
    if (id === null) return;
    const record = await this.get(id);
    if (record === undefined || record.status !== 'failed') return;
    await this.#redis.multi().hset(this.#k.records, id, JSON.stringify({ ...record, status: 'dead', error })).hdel(this.#k.failed, key).exec();
  }

  async recent(limit = 50): Promise<ReviewSummary[]> {
    if (limit <= 0) return [];
    const ids = await this.#redis.lrange(this.#k.ids, 0, limit - 1);
    if (ids.length === 0) return [];
    const values = await this.#redis.hmget(this.#k.records, ...ids);
    return values.filter((v): v is string => v !== null).map((v) => summaryOf(JSON.parse(v) as ReviewRecord));
  }

  async get(id: string): Promise<ReviewRecord | undefined> {
    const value = await this.#redis.hget(this.#k.records, id);
    return value === null ? undefined : (JSON.parse(value) as ReviewRecord);
  }

  async close(): Promise<void> {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }
}
