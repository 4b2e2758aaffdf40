/**
 * Markdown of what heartbeat-bot writes on a pull request: inline comment bodies (with ```suggestion blocks),
 * findings listed with permalinks, and the blob permalinks themselves.
 */
import { ruleDocsUrl } from '../../formats/docs-url.js';
import type { Finding, Severity } from '../../model/finding.js';
import { formatMarker, type Marker } from './markers.js';

export const SEVERITY_ICON: Readonly<Record<Severity, string>> = { error: '🚫', warning: '⚠️', info: '📝' };

/** The last line a finding covers: an exclusive end at column 1 of the next line does not cover that line. */
export function lastLineOf(f: Pick<Finding, 'line' | 'endLine' | 'endColumn'>): number {
  const last = Math.max(f.endLine, f.line);
  return last > f.line && f.endColumn === 1 ? last - 1 : last;
}

/** `https://github.com/o/r/pull/5` -> `https://github.com/o/r` (GitHub Enterprise hosts included). */
export function repoHtmlBase(pullHtmlUrl: string): string {
  return pullHtmlUrl.replace(/\/pull\/\d+\/?$/, '');
}

/** `<base>/blob/<sha>/<path>#L<a>-L<b>` (just `#L<a>` for one line). */
export function blobPermalink(htmlBase: string, sha: string, path: string, line: number, endLine = line): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${htmlBase}/blob/${sha}/${encoded}#L${line}${endLine > line ? `-L${endLine}` : ''}`;
}

/** A fence of backticks longer than any run of backticks in `text` (and at least three). */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function suggestionBlock(replacement: string): string {
  const fence = fenceFor(replacement);
  const body = replacement.endsWith('\n') ? replacement.slice(0, -1) : replacement;
  return `${fence}suggestion\n${body}\n${fence}`;
}

function docsLink(ruleId: string, docsUrl: string | undefined): string | undefined {
  const url = ruleDocsUrl(ruleId, docsUrl);
  // Without DOCS_URL the link is package-relative, which would resolve against the PR page: leave it out.
  return /^https?:\/\//.test(url) ? url : undefined;
}

/** `**[rule-id](docs)**`, or the bare bold id when there is no web address for the docs. */
export function ruleLabel(ruleId: string, docsUrl: string | undefined): string {
  const url = docsLink(ruleId, docsUrl);
  return url === undefined ? `**${ruleId}**` : `**[${ruleId}](${url})**`;
}

export function referencesLine(references: readonly string[]): string {
  return references.length === 0 ? '' : `References: ${references.map((r) => `<${r}>`).join(' · ')}`;
}

export interface CommentInput {
  finding: Finding;
  botName: string;
  docsUrl?: string;
  marker: Marker;
  /** Lines the comment covers; a suggestion is only offered when it replaces exactly these. */
  line: number;
  endLine: number;
}

/** The body of one inline review comment. */
export function inlineCommentBody(input: CommentInput): string {
  const { finding, botName, docsUrl } = input;
  const parts = [`${SEVERITY_ICON[finding.severity]} ${ruleLabel(finding.ruleId, docsUrl)} <sub>${finding.severity}</sub>`, '', finding.message];
  const s = finding.suggestion;
  if (s !== undefined && s.line === input.line && s.endLine === input.endLine) {
    parts.push('', suggestionBlock(s.replacement));
  }
  const refs = referencesLine(finding.references);
  if (refs !== '') parts.push('', refs);
  const docs = docsLink(finding.ruleId, docsUrl);
  parts.push('', `<sub>${docs !== undefined ? `[Rule documentation](${docs}) · ` : ''}reported by ${botName}</sub>`);
  parts.push('', formatMarker(botName, input.marker));
  return parts.join('\n');
}

/** The first sentence of a message, at most `max` characters. */
export function firstSentence(message: string, max = 200): string {
  const line = message.split('\n')[0] ?? message;
  const end = line.search(/[.!?](\s|$)/);
  const sentence = end < 0 ? line : line.slice(0, end + 1);
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1)}…`;
}

/** One finding as a Markdown list item with a permalink to its lines; `short` keeps only the first sentence. */
export function findingListItem(finding: Finding, permalink: string, docsUrl: string | undefined, short = false): string {
  const text = short ? firstSentence(finding.message) : (finding.message.split('\n')[0] ?? finding.message);
  return `- ${SEVERITY_ICON[finding.severity]} ${ruleLabel(finding.ruleId, docsUrl)} [${finding.path}:${finding.line}](${permalink}): ${text}`;
}
