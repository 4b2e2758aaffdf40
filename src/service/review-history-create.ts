/**
 * The review history `npm start` uses, chosen like the queue (create-queue.ts): Redis with REDIS_URL (every
 * instance shows the same history), else SQLite in DATA_DIR (`history.sqlite`).
 */
import type { ReviewHistory } from './review-history.js';
import { RedisReviewHistory } from './review-history-redis.js';
import { SqliteReviewHistory } from './review-history-sqlite.js';

export function createReviewHistory(config: { redisUrl?: string | undefined; dataDir: string; redisPrefix?: string; limit?: number }): ReviewHistory {
  if (config.redisUrl !== undefined && config.redisUrl !== '') {
    return new RedisReviewHistory({ url: config.redisUrl, ...(config.redisPrefix !== undefined ? { prefix: config.redisPrefix } : {}), ...(config.limit !== undefined ? { limit: config.limit } : {}) });
  }
  return new SqliteReviewHistory({ dataDir: config.dataDir, ...(config.limit !== undefined ? { limit: config.limit } : {}) });
}
