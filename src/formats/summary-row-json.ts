/** A concurrency summary row as JSON and SARIF write it (shared, so both outputs have one shape). */
import type { ConcurrencyRow } from '../model/summary.js';

/** A summary row with every column in a fixed order; unknown is null. */
export function summaryRowJson(row: ConcurrencyRow): Record<string, unknown> {
  const sourced = (v: { value: unknown; from: string } | undefined) => (v === undefined ? null : { value: v.value, from: v.from });
  return {
    service: row.service,
    server: sourced(row.server),
    processes: sourced(row.processes),
    threads: sourced(row.threads),
    eventletPatched: row.eventletPatched ?? null,
    heartbeat: sourced(row.heartbeat),
    heartbeatThreshold: sourced(row.heartbeatThreshold),
  };
}
