/** Small text formats shared by the review pages. */

/** `850 ms`, `2.3 s`, `1 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** ISO 8601 in UTC to the second (`2026-11-27 05:40:12Z`): the same on every instance and in every browser. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '?' : `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The first 7 characters of a SHA, as git shows it. */
export function shortSha(sha: string | undefined): string {
  return sha === undefined ? '' : sha.slice(0, 7);
}
