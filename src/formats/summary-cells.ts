/**
 * The concurrency summary as table cells, shared by the text (`--explain`) and Markdown renderings so both say the
 * same thing: `?` for an unknown value, `unknown` for an unknown heartbeat mode or patching, `60 (default)` for the
 * oslo.messaging default threshold.
 */
import type { ConcurrencyRow, Sourced } from '../model/summary.js';

export const SUMMARY_HEADER = ['service', 'server', 'processes', 'threads', 'eventlet', 'heartbeat', 'threshold'] as const;

const DEFAULT_FROM = 'oslo.messaging default';

export function summaryCells(row: ConcurrencyRow): string[] {
  const value = (v: Sourced<string> | undefined) => v?.value ?? '?';
  const threshold = row.heartbeatThreshold;
  return [
    row.service,
    row.server?.value ?? '?',
    value(row.processes),
    value(row.threads),
    row.eventletPatched === undefined ? 'unknown' : row.eventletPatched ? 'patched' : 'no',
    row.heartbeat?.value ?? 'unknown',
    threshold === undefined ? '?' : threshold.from === DEFAULT_FROM ? `${threshold.value} (default)` : threshold.value,
  ];
}

/** `<column>: <from>` for every value of the row that says where it came from. */
export function summarySources(row: ConcurrencyRow): [string, string][] {
  const out: [string, string][] = [];
  const add = (name: string, v: { from: string } | undefined) => {
    if (v !== undefined) out.push([name, v.from]);
  };
  add('server', row.server);
  add('processes', row.processes);
  add('threads', row.threads);
  add('heartbeat', row.heartbeat);
  add('threshold', row.heartbeatThreshold);
  return out;
}
