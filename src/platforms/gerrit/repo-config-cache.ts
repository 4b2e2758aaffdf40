/**
 * `.heartbeat-bot.yml` texts by commit, so that a burst of changes on the same branch tip reads the repository's
 * configuration once rather than once per change (one REST call of the 3 + N a review costs).
 *
 * A commit's tree never changes, so an entry never goes stale: the key is the Gerrit server, the project and the
 * parent commit of the revision under review, and it is used only when the change does not touch the
 * configuration file itself and has a single parent (a merge's tree is not its first parent's). Bounded by entry
 * count; the oldest entry goes first.
 */
export class RepoConfigCache {
  readonly #entries = new Map<string, { text: string | undefined }>();

  constructor(readonly maxEntries = 2000) {}

  get(key: string): { text: string | undefined } | undefined {
    return this.#entries.get(key);
  }

  set(key: string, text: string | undefined): void {
    this.#entries.delete(key);
    this.#entries.set(key, { text });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The process-wide cache reviewChange uses unless its deps bring their own. */
export const sharedRepoConfigCache = new RepoConfigCache();
