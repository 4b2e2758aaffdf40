/**
 * Reading a review's findings and concurrency table back from what was posted. The platforms' outcomes carry
 * counts, not findings (and src/platforms/ is not the history's to change), so the history reads the payloads the
 * platform sent: GitHub check-run annotations (every finding in the changed files), Gerrit inline comments and the
 * summary message's list of findings outside the changed lines; the table is the Markdown one both post
 * (formats/format-summary-markdown.ts). Anything unexpected is skipped, never thrown.
 */
import type { Severity } from '../model/finding.js';
import { SUMMARY_HEADER } from '../formats/summary-cells.js';
import type { RecordedFinding, RecordedTable } from './review-history.js';

const LEVELS: Readonly<Record<string, Severity>> = { failure: 'error', warning: 'warning', notice: 'info' };
const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Findings of GitHub check-run annotations (`title` is the rule id, `annotation_level` the severity). */
export function findingsOfAnnotations(annotations: unknown): RecordedFinding[] {
  if (!Array.isArray(annotations)) return [];
  const out: RecordedFinding[] = [];
  for (const raw of annotations) {
    const a = record(raw);
    if (a === undefined) continue;
    const severity = LEVELS[String(a.annotation_level)];
    if (severity === undefined || typeof a.path !== 'string' || typeof a.start_line !== 'number') continue;
    const message = typeof a.message === 'string' ? a.message.replace(/\n\nReferences: [^\n]*$/, '') : '';
    out.push({ severity, ruleId: typeof a.title === 'string' ? a.title : '', path: a.path, line: a.start_line, message });
  }
  return out;
}

/**
 * Findings of a Gerrit ReviewInput: inline comments start `<severity>: <rule-id>`, then a blank line and the message
 * (platforms/gerrit/comment-body.ts); the summary message lists the others as `- <severity> <rule> at <path>:<line>: ...`.
 * Resolving replies and anything else are not findings.
 */
export function findingsOfGerritReview(input: unknown): RecordedFinding[] {
  const review = record(input);
  if (review === undefined) return [];
  const out: RecordedFinding[] = [];
  const comments = record(review.comments) ?? {};
  for (const [path, list] of Object.entries(comments)) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const c = record(raw);
      if (c === undefined || typeof c.message !== 'string') continue;
      const head = /^(error|warning|info): ([a-z0-9-]+)\n\n([\s\S]*)$/.exec(c.message);
      if (head === null) continue;
      const range = record(c.range);
      const line = typeof c.line === 'number' ? c.line : typeof range?.start_line === 'number' ? range.start_line : 0;
      const message = head[3]!.split(/\n\n(?:References:|Suggested fix|Rule documentation:)/)[0]!.trim();
      out.push({ severity: head[1] as Severity, ruleId: head[2]!, path, line, message });
    }
  }
  if (typeof review.message === 'string') {
    for (const m of review.message.matchAll(/^- (error|warning|info) ([a-z0-9-]+) at (.+):(\d+): (.*)$/gm)) {
      if (!SEVERITIES.includes(m[1]!)) continue;
      out.push({ severity: m[1] as Severity, ruleId: m[2]!, path: m[3]!, line: Number(m[4]), message: m[5]! });
    }
  }
  return out;
}

/** Cells of one Markdown table row, `\|` and `\\` unescaped as format-summary-markdown escapes them. */
function cellsOf(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i += 1) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      current += inner[i + 1];
      i += 1;
    } else if (ch === '|') {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

/** The effective concurrency table in a posted Markdown or Gerrit message, or undefined when it has none. */
export function concurrencyTableIn(text: unknown): RecordedTable | undefined {
  if (typeof text !== 'string') return undefined;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('|') && sameCells(cellsOf(l), SUMMARY_HEADER));
  if (start < 0) return undefined;
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(cellsOf(line));
  }
  return { header: [...SUMMARY_HEADER], rows };
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
