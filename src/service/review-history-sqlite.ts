/**
 * ReviewHistory in SQLite: `<DATA_DIR>/history.sqlite` (WAL, so several processes on one DATA_DIR read while one
 * writes). A row per record: the summary columns the recent-reviews table needs and the whole record as JSON.
 * Rows beyond the limit are deleted, oldest first, as each record is added.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_HISTORY_LIMIT, summaryOf, type NewReviewRecord, type ReviewHistory, type ReviewRecord, type ReviewSummary } from './review-history.js';

export const HISTORY_FILE = 'history.sqlite';

export class SqliteReviewHistory implements ReviewHistory {
  readonly #db: Database.Database;
  readonly #limit: number;
  readonly #insert: Database.Statement<[string, string, number, string]>;
  readonly #setRecord: Database.Statement<[string, string, number]>;
  readonly #prune: Database.Statement<[number]>;
  readonly #lastFailed: Database.Statement<[string], { id: number; record: string }>;
  readonly #markDead: Database.Statement<[string, string, number]>;
  readonly #recent: Database.Statement<[number], { id: number; summary: string }>;
  readonly #get: Database.Statement<[number], { id: number; record: string }>;

  constructor(options: { dataDir: string; limit?: number }) {
    mkdirSync(options.dataDir, { recursive: true });
    this.#limit = Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT);
    this.#db = new Database(join(options.dataDir, HISTORY_FILE));
    this.#db.pragma('journal_mode = WAL');
    // Another process may be writing (two instances on one DATA_DIR): wait rather than fail at once.
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS reviews (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL,
      status TEXT NOT NULL,
      finished_at INTEGER NOT NULL,
      summary TEXT NOT NULL,
      record TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX IF NOT EXISTS reviews_key ON reviews (key, id);`);
    this.#insert = this.#db.prepare('INSERT INTO reviews (key, status, finished_at, summary) VALUES (?, ?, ?, ?)');
    this.#setRecord = this.#db.prepare('UPDATE reviews SET summary = ?, record = ? WHERE id = ?');
    this.#prune = this.#db.prepare('DELETE FROM reviews WHERE id <= (SELECT MAX(id) FROM reviews) - ?');
    this.#lastFailed = this.#db.prepare("SELECT id, record FROM reviews WHERE key = ? AND status = 'failed' ORDER BY id DESC LIMIT 1");
    this.#markDead = this.#db.prepare("UPDATE reviews SET status = 'dead', summary = ?, record = ? WHERE id = ?");
    this.#recent = this.#db.prepare('SELECT id, summary FROM reviews ORDER BY id DESC LIMIT ?');
    this.#get = this.#db.prepare('SELECT id, record FROM reviews WHERE id = ?');
  }

  add(record: NewReviewRecord): Promise<ReviewRecord> {
    const stored = this.#db.transaction((): ReviewRecord => {
      // The id is the row's: insert a placeholder, then store the record that names it.
      const info = this.#insert.run(record.key, record.status, record.finishedAt, '{}');
      const id = Number(info.lastInsertRowid);
      const full: ReviewRecord = { ...record, id: String(id) };
      this.#setRecord.run(JSON.stringify(summaryOf(full)), JSON.stringify(full), id);
      this.#prune.run(this.#limit);
      return full;
    })();
    return Promise.resolve(stored);
  }

  markDead(key: string, error: string): Promise<void> {
    this.#db.transaction(() => {
      const row = this.#lastFailed.get(key);
      if (row === undefined) return;
      const record = { ...(JSON.parse(row.record) as ReviewRecord), status: 'dead' as const, error };
      this.#markDead.run(JSON.stringify(summaryOf(record)), JSON.stringify(record), row.id);
    })();
    return Promise.resolve();
  }

  recent(limit = 50): Promise<ReviewSummary[]> {
    return Promise.resolve(this.#recent.all(Math.max(0, limit)).map((row) => JSON.parse(row.summary) as ReviewSummary));
  }

  get(id: string): Promise<ReviewRecord | undefined> {
    const n = Number(id);
    if (!Number.isSafeInteger(n)) return Promise.resolve(undefined);
    const row = this.#get.get(n);
    return Promise.resolve(row === undefined ? undefined : (JSON.parse(row.record) as ReviewRecord));
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }
}
