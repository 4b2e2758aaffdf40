/**
 * The concurrency summary as Markdown, for the GitHub check run and the Gerrit summary message: a table of the
 * values, then where each came from (collapsed, so the table stays the first thing a reviewer sees). Gerrit renders
 * a subset of Markdown; the table degrades to readable pipes there.
 */
import type { ConcurrencyRow } from '../model/summary.js';
import { SUMMARY_HEADER, summaryCells, summarySources } from './summary-cells.js';

/** `|` and newlines would break a table cell; backticks keep expressions readable. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function formatSummaryMarkdown(rows: readonly ConcurrencyRow[]): string {
  if (rows.length === 0) return '';
  const out = [
    '#### Effective concurrency',
    '',
    `| ${SUMMARY_HEADER.join(' | ')} |`,
    `|${SUMMARY_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${summaryCells(row).map(cell).join(' | ')} |`),
    '',
    '<details><summary>Where these values come from</summary>',
    '',
  ];
  for (const row of rows) {
    const sources = summarySources(row);
    if (sources.length === 0) continue;
    out.push(`- **${cell(row.service)}**`);
    for (const [name, from] of sources) out.push(`  - ${name}: ${cell(from)}`);
  }
  out.push('', '</details>', '');
  return out.join('\n');
}
