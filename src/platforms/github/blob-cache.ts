/**
 * Blob contents by git object id, kept across reviews in one process: a blob id names its bytes for ever, so a
 * repeated review of the same head (a redelivery, a re-run, `check_suite.rerequested`) and the unchanged files of
 * a new push cost no API call for content. Least recently used entries go first once the total size passes the
 * byte bound; what is kept is the decoded text or the reason the blob is not reviewed (binary, too large ...).
 */

export type BlobContent = { text: string } | { skipped: string };

export class BlobCache {
  private readonly entries = new Map<string, { content: BlobContent; bytes: number }>();
  private total = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  /** Whether the blob is cached, without counting a hit or making it recently used. */
  has(oid: string): boolean {
    return this.entries.has(oid);
  }

  get(oid: string): BlobContent | undefined {
    const entry = this.entries.get(oid);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(oid);
    this.entries.set(oid, entry);
    this.hits++;
    return entry.content;
  }

  set(oid: string, content: BlobContent): void {
    // JavaScript strings are UTF-16: two bytes a code unit is what the text holds in memory.
    const bytes = 'text' in content ? content.text.length * 2 : 64;
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(oid);
    if (old !== undefined) {
      this.total -= old.bytes;
      this.entries.delete(oid);
    }
    this.entries.set(oid, { content, bytes });
    this.total += bytes;
    for (const [key, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(key);
      this.total -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/** The process-wide cache reviewPullRequest uses unless its caller passes one. */
export const sharedBlobCache = new BlobCache();
