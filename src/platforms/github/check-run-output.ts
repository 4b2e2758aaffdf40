/**
 * The check run's content: title, Markdown summary and annotations, within GitHub's limits (65535 characters
 * per output field, 50 annotations per request). Pure: no API calls.
 */
import { formatSummaryMarkdown } from '../../formats/format-summary-markdown.js';
import type { Finding, Severity } from '../../model/finding.js';
import type { ConcurrencyRow } from '../../model/summary.js';
import { findingListItem, lastLineOf, referencesLine } from './comment-body.js';

/** GitHub's limit on output.title / summary / text. */
export const MAX_OUTPUT_CHARS = 65_535;
/** GitHub's limit on annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations posted at most per check run (20 requests); the rest are counted in the summary. */
export const MAX_ANNOTATIONS = 1000;
/** Room kept free in the summary so headings and the overflow line always fit. */
const SUMMARY_BUDGET = MAX_OUTPUT_CHARS - 2_000;
const MAX_NOTE_ITEMS = 30;
const MAX_ANNOTATION_MESSAGE = 60_000;

export type Conclusion = 'success' | 'neutral' | 'failure';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

const LEVEL: Readonly<Record<Severity, Annotation['annotation_level']>> = { error: 'failure', warning: 'warning', info: 'notice' };

/** failure on any error, neutral on warnings or info only, success when clean. */
export function conclusionOf(findings: readonly Pick<Finding, 'severity'>[]): Conclusion {
  if (findings.some((f) => f.severity === 'error')) return 'failure';
  return findings.length > 0 ? 'neutral' : 'success';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `3 errors, 1 warning`, or `No findings`. */
export function titleOf(findings: readonly Pick<Finding, 'severity'>[]): string {
  if (findings.length === 0) return 'No findings';
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  if (count('error') > 0) parts.push(plural(count('error'), 'error', 'errors'));
  if (count('warning') > 0) parts.push(plural(count('warning'), 'warning', 'warnings'));
  if (count('info') > 0) parts.push(`${count('info')} info`);
  return parts.join(', ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function annotationOf(f: Finding): Annotation {
  const refs = referencesLine(f.references);
  const details: string[] = [];
  if (f.references.length > 0) details.push(f.references.join('\n'));
  if (f.suggestion !== undefined) {
    details.push(`Suggested replacement of line${f.suggestion.endLine > f.suggestion.line ? `s ${f.suggestion.line}-${f.suggestion.endLine}` : ` ${f.suggestion.line}`}:\n${f.suggestion.replacement}`);
  }
  const annotation: Annotation = {
    path: f.path,
    start_line: f.line,
    end_line: lastLineOf(f),
    annotation_level: LEVEL[f.severity],
    title: truncate(f.ruleId, 255),
    message: truncate(refs === '' ? f.message : `${f.message}\n\n${refs}`, MAX_ANNOTATION_MESSAGE),
  };
  if (details.length > 0) annotation.raw_details = truncate(details.join('\n\n'), MAX_ANNOTATION_MESSAGE);
  return annotation;
}

/** Consecutive slices of at most `size`. */
export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Lines added while they fit in `budget` characters; when one does not, `overflow(n)` for the n left out
 * (which always fits, since the budget keeps room for it).
 */
export function fitLines(lines: readonly string[], budget: number, overflow: (left: number) => string): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (used + line.length + 1 > budget) {
      out.push(overflow(lines.length - i));
      return out;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out;
}

export interface SummaryInput {
  botName: string;
  headSha: string;
  /** Findings in the changed files, in report order. */
  findings: readonly Finding[];
  permalink: (f: Finding) => string;
  docsUrl?: string;
  concurrency: readonly ConcurrencyRow[];
  /** Reviewed files and the release the rules assumed. */
  reviewedFiles: number;
  release?: string;
  /** What was posted on the pull request (inline comments, resolved ones, a degraded mode). */
  reviewLines: readonly string[];
  /** Limits hit, skipped files, configuration problems, parse errors. */
  notes: readonly string[];
}

export function summaryOf(input: SummaryInput): string {
  const { findings } = input;
  const head = [
    `**${input.botName}** reviewed ${plural(input.reviewedFiles, 'file', 'files')} at \`${input.headSha.slice(0, 12)}\`` +
      (input.release !== undefined ? ` for OpenStack ${input.release}` : '') +
      `: ${findings.length === 0 ? 'no findings' : titleOf(findings)}.`,
    ...input.reviewLines.map((l) => `- ${l}`),
    '',
  ];
  const table = formatSummaryMarkdown(input.concurrency);
  const notes = input.notes.length === 0 ? [] : ['#### Notes', '', ...limitItems(input.notes.map((n) => `- ${n}`), MAX_NOTE_ITEMS, (n) => `- … and ${n} more notes`), ''];
  const fixed = [...head, table, ...notes].join('\n');
  const listed =
    findings.length === 0
      ? []
      : [
          '#### Findings',
          '',
          ...fitLines(
            findings.map((f) => findingListItem(f, input.permalink(f), input.docsUrl)),
            Math.max(0, SUMMARY_BUDGET - fixed.length),
            (n) => `- … and ${n} more findings: see annotations`,
          ),
          '',
        ];
  // Findings before the notes: they are what a reviewer opens the check run for.
  const summary = [...head, table, ...listed, ...notes].join('\n');
  return summary.length <= MAX_OUTPUT_CHARS ? summary : `${summary.slice(0, MAX_OUTPUT_CHARS - 40)}\n\n… (summary truncated)`;
}

function limitItems(items: readonly string[], max: number, more: (n: number) => string): string[] {
  return items.length <= max ? [...items] : [...items.slice(0, max), more(items.length - max)];
}
