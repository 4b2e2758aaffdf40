/** The in-memory ReviewHistory: startServer's default and the tests'; lost when the process stops. */
import { DEFAULT_HISTORY_LIMIT, summaryOf, type NewReviewRecord, type ReviewHistory, type ReviewRecord, type ReviewSummary } from './review-history.js';

export class InMemoryReviewHistory implements ReviewHistory {
  readonly #records: ReviewRecord[] = [];
  readonly #limit: number;
  #seq = 0;

  constructor(options: { limit?: number } = {}) {
    this.#limit = Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT);
  }

  add(record: NewReviewRecord): Promise<ReviewRecord> {
    this.#seq += 1;
    const stored: ReviewRecord = { ...structuredClone(record), id: String(this.#seq) };
    this.#records.push(stored);
    if (this.#records.length > this.#limit) this.#records.splice(0, this.#records.length - this.#limit);
    return Promise.resolve(structuredClone(stored));
  }

  markDead(key: string, error: string): Promise<void> {
    for (let i = this.#records.length - 1; i >= 0; i -= 1) {
      const r = this.#records[i]!;
      if (r.key === key && r.status === 'failed') {
        r.status = 'dead';
        r.error = error;
        break;
      }
    }
    return Promise.resolve();
  }

  recent(limit = 50): Promise<ReviewSummary[]> {
    if (limit <= 0) return Promise.resolve([]);
    return Promise.resolve(this.#records.slice(-limit).reverse().map((r) => summaryOf(structuredClone(r))));
  }

  get(id: string): Promise<ReviewRecord | undefined> {
    const found = this.#records.find((r) => r.id === id);
    return Promise.resolve(found === undefined ? undefined : structuredClone(found));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
