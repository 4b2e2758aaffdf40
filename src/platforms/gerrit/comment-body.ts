/**
 * What heartbeat-bot writes on Gerrit, as pure functions: inline comment text, comment ranges and
 * fix_suggestions in Gerrit's coordinates, and the summary message of the review.
 *
 * Gerrit renders comments and change messages as plain text (older servers) or a Markdown subset without HTML
 * (newer ones), so everything here reads well either way: no HTML, no `<details>`, bare URLs.
 */
import { ruleDocsUrl } from '../../formats/docs-url.js';
import { formatSummaryMarkdown } from '../../formats/format-summary-markdown.js';
import type { Finding, Severity } from '../../model/finding.js';
import type { ConcurrencyRow } from '../../model/summary.js';
import { markerLine } from './markers.js';

/** Gerrit's CommentRange: 1-based lines, 0-based characters, end exclusive. */
export interface CommentRange {
  start_line: number;
  start_character: number;
  end_line: number;
  end_character: number;
}

export interface FixReplacement {
  path: string;
  range: CommentRange;
  replacement: string;
}

export interface FixSuggestion {
  description: string;
  replacements: FixReplacement[];
}

/** Zuul's limit for a change message (GERRIT_HUMAN_MESSAGE_LIMIT is 16056 bytes); comments are kept under it too. */
export const MAX_MESSAGE_CHARS = 16_000;

export function truncate(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}\n…`;
}

/** An absolute documentation link, or undefined when DOCS_URL is not set (a package path means nothing on Gerrit). */
export function docsLink(ruleId: string, docsUrl: string | undefined): string | undefined {
  const url = ruleDocsUrl(ruleId, docsUrl);
  return /^https?:\/\//.test(url) ? url : undefined;
}

/** The bot's documentation page: `aboutUrl`, else the origin of DOCS_URL. */
export function aboutLink(aboutUrl: string | undefined, docsUrl: string | undefined): string | undefined {
  if (aboutUrl !== undefined && aboutUrl !== '') return aboutUrl;
  if (docsUrl === undefined || docsUrl === '') return undefined;
  try {
    return new URL('/', docsUrl).href;
  } catch {
    return undefined;
  }
}

/**
 * Where a finding's comment goes: a `range` when the finding has columns (or spans lines), else `line`.
 * `lineText(n)` is the new file's line n, to end a column-less multi-line range at the end of its last line.
 */
export function commentLocation(f: Pick<Finding, 'line' | 'endLine' | 'column' | 'endColumn'>, lineText: (line: number) => string | undefined): { line: number } | { range: CommentRange } {
  const endLine = Math.max(f.endLine, f.line);
  if (f.column !== undefined && f.endColumn !== undefined) {
    const range: CommentRange = { start_line: f.line, start_character: Math.max(0, f.column - 1), end_line: endLine, end_character: Math.max(0, f.endColumn - 1) };
    if (range.end_line === range.start_line && range.end_character <= range.start_character) return { line: f.line };
    return { range };
  }
  if (endLine > f.line) {
    return { range: { start_line: f.line, start_character: 0, end_line: endLine, end_character: lineText(endLine)?.length ?? 0 } };
  }
  return { line: f.line };
}

/**
 * A finding's suggestion (replace lines line..endLine) as a Gerrit fix: from the start of the first line to the
 * start of the line after the last (so the replacement carries its own final newline), or to the end of the last
 * line when it is the file's last line.
 */
export function fixSuggestionOf(f: Finding, lines: readonly string[]): FixSuggestion | undefined {
  const s = f.suggestion;
  if (s === undefined || s.line < 1 || s.endLine < s.line || s.endLine > lines.length) return undefined;
  const hasNext = s.endLine < lines.length;
  let replacement = s.replacement;
  const range: CommentRange = hasNext
    ? { start_line: s.line, start_character: 0, end_line: s.endLine + 1, end_character: 0 }
    : { start_line: s.line, start_character: 0, end_line: s.endLine, end_character: lines[s.endLine - 1]!.length };
  if (hasNext && !replacement.endsWith('\n')) replacement += '\n';
  if (!hasNext && replacement.endsWith('\n')) replacement = replacement.slice(0, -1);
  return { description: `${f.ruleId}: suggested fix`, replacements: [{ path: f.path, range, replacement }] };
}

/** The suggestion written out in the comment, for servers without fix_suggestions. */
export function fixText(f: Finding): string | undefined {
  const s = f.suggestion;
  if (s === undefined) return undefined;
  const lines = s.endLine > s.line ? `lines ${s.line}-${s.endLine}` : `line ${s.line}`;
  const body = s.replacement.endsWith('\n') ? s.replacement.slice(0, -1) : s.replacement;
  const indented = body === '' ? '    (delete them)' : body.split('\n').map((l) => `    ${l}`).join('\n');
  return `Suggested fix, replacing ${lines}:\n\n${indented}`;
}

export interface InlineCommentInput {
  finding: Finding;
  fingerprint: string;
  botName: string;
  docsUrl?: string;
  /** False when the fix goes in fix_suggestions instead of the text. */
  fixInText: boolean;
}

/** `error: rule-id`, the message, the fix, references, the docs link, and the marker line. */
export function inlineCommentMessage(input: InlineCommentInput): string {
  const { finding, botName } = input;
  const parts = [`${finding.severity}: ${finding.ruleId}`, '', finding.message.trim()];
  if (input.fixInText) {
    const fix = fixText(finding);
    if (fix !== undefined) parts.push('', fix);
  }
  if (finding.references.length > 0) parts.push('', 'References:', ...finding.references.map((r) => `- ${r}`));
  const docs = docsLink(finding.ruleId, input.docsUrl);
  if (docs !== undefined) parts.push('', `Rule documentation: ${docs}`);
  const marker = markerLine(botName, input.fingerprint);
  const body = truncate(parts.join('\n'), MAX_MESSAGE_CHARS - marker.length - 2);
  return `${body}\n\n${marker}`;
}

export function resolvingReplyMessage(botName: string, fingerprint: string, patchSet: number): string {
  return `Fixed in patch set ${patchSet}: ${botName} no longer reports this.\n\n${markerLine(botName, fingerprint, true)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 errors, 1 warning, 3 info`, or `no findings`. */
export function countsOf(findings: readonly Pick<Finding, 'severity'>[]): string {
  if (findings.length === 0) return 'no findings';
  const n = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  if (n('error') > 0) parts.push(plural(n('error'), 'error', 'errors'));
  if (n('warning') > 0) parts.push(plural(n('warning'), 'warning', 'warnings'));
  if (n('info') > 0) parts.push(`${n('info')} info`);
  return parts.join(', ');
}

/** formatSummaryMarkdown without what Gerrit cannot render (HTML `<details>`, `####` headings). */
export function concurrencyTable(rows: readonly ConcurrencyRow[]): string {
  const md = formatSummaryMarkdown(rows);
  if (md === '') return '';
  return md
    .split('\n')
    .filter((l) => l.trim() !== '</details>')
    .map((l) => l.replace(/^#+\s*/, '').replace(/^<details><summary>(.*)<\/summary>$/, '$1:'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface SummaryMessageInput {
  botName: string;
  patchSet: number;
  /** Findings in the changed files. */
  findings: readonly Finding[];
  /** Inline comments posted now, and findings that already have an open comment. */
  inline: number;
  repeated: number;
  /** Findings in changed files but not on changed lines (or over the inline cap): listed here. */
  listed: readonly Finding[];
  resolved: number;
  reviewedFiles: number;
  release: string;
  concurrency: readonly ConcurrencyRow[];
  notes: readonly string[];
  docsUrl?: string;
  aboutUrl?: string;
  recheck: boolean;
}

/** The review's message: counts, what was posted, the concurrency table, notes, and the documentation links. */
export function summaryMessage(input: SummaryMessageInput): string {
  const head = `${input.botName}: ${countsOf(input.findings)} in ${plural(input.reviewedFiles, 'reviewed file', 'reviewed files')} of patch set ${input.patchSet}` +
    ` (release ${input.release})${input.recheck ? ', rechecked' : ''}.`;
  const lines = [head];
  const posted: string[] = [];
  if (input.inline > 0) posted.push(`${plural(input.inline, 'inline comment', 'inline comments')} on the changed lines`);
  if (input.repeated > 0) posted.push(`${plural(input.repeated, 'finding', 'findings')} already commented on earlier, not repeated`);
  if (input.resolved > 0) posted.push(`${plural(input.resolved, 'earlier comment', 'earlier comments')} resolved (fixed)`);
  if (posted.length > 0) lines.push('', `${posted.join('; ')}.`);
  if (input.listed.length > 0) {
    lines.push('', 'Findings in the changed files outside the changed lines:');
    for (const f of input.listed.slice(0, 20)) lines.push(`- ${f.severity} ${f.ruleId} at ${f.path}:${f.line}: ${firstSentence(f.message)}`);
    if (input.listed.length > 20) lines.push(`- … and ${input.listed.length - 20} more`);
  }
  const table = concurrencyTable(input.concurrency);
  if (table !== '') lines.push('', table);
  if (input.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of input.notes.slice(0, 20)) lines.push(`- ${n}`);
    if (input.notes.length > 20) lines.push(`- … and ${input.notes.length - 20} more`);
  }
  const ruleIds = [...new Set(input.findings.map((f) => f.ruleId))];
  const links = ruleIds.map((id) => [id, docsLink(id, input.docsUrl)] as const).filter((l): l is readonly [string, string] => l[1] !== undefined);
  if (links.length > 0) {
    lines.push('', 'Rules:');
    for (const [id, url] of links) lines.push(`- ${id}: ${url}`);
  }
  const about = aboutLink(input.aboutUrl, input.docsUrl);
  lines.push('', `${input.botName} reviews OpenStack deployment settings (WSGI threads, AMQP heartbeats). Comment "recheck" to run it again.${about !== undefined ? ` About: ${about}` : ''}`);
  return truncate(lines.join('\n'));
}

/** The first sentence of a message, at most `max` characters. */
export function firstSentence(message: string, max = 200): string {
  const line = message.split('\n')[0] ?? message;
  const end = line.search(/[.!?](\s|$)/);
  const sentence = end < 0 ? line : line.slice(0, end + 1);
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1)}…`;
}
