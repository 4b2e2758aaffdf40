/** Small helpers the benchmarks share: walking a corpus and summarising timings. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every regular file below `dir`, sorted, as absolute paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The value at quantile `p` (0..1) of an ascending list. */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Wraps a fetch to record when requests are in flight, so a benchmark can subtract the time spent waiting for a
 * (fake) server from a review's wall time: what is left is the service's own time.
 */
export function inFlightTracker(inner: typeof fetch = globalThis.fetch): { fetch: typeof fetch; waitingMs(from: number, to: number): number } {
  const intervals: [number, number][] = [];
  const tracked: typeof fetch = async (input, init) => {
    const start = performance.now();
    try {
      const response = await inner(input, init);
      // The body is part of the wait: read it here, hand a copy on.
      const body = await response.arrayBuffer();
      return new Response(response.status === 204 || response.status === 304 ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      intervals.push([start, performance.now()]);
    }
  };
  return {
    fetch: tracked,
    /** The union of in-flight intervals clipped to [from, to], in ms. */
    waitingMs(from, to) {
      const clipped = intervals
        .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
        .filter(([a, b]) => b > a)
        .sort((x, y) => x[0] - y[0]);
      let total = 0;
      let end = -Infinity;
      for (const [a, b] of clipped) {
        if (b <= end) continue;
        total += b - Math.max(a, end);
        end = b;
      }
      return total;
    },
  };
}

/** One row of bench/RESULTS.md's table: date, commit, benchmark, input, figures. */
export function resultsRow(benchmark: string, input: string, figures: string): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown';
  const date = new Date().toISOString().slice(0, 10);
  return `| ${date} | ${commit} | ${benchmark} | ${input} | ${figures} |\n`;
}
