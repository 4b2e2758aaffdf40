/**
 * `--format rdjson`: one reviewdog DiagnosticResult (proto/rdf). Lines are 1-based; columns are 1-based UTF-8
 * byte counts, converted from our UTF-16 columns when the line's text is known; `end` is exclusive, and a range
 * without columns covers whole lines including its end line.
 */
import type { Finding, Severity } from '../model/finding.js';
import { ruleDocsUrl, toolInformationUrl } from './docs-url.js';
import type { Formatter } from './report.js';
import { sourceLines, type LineText } from './source-lines.js';

/** The rdf fields heartbeat-bot writes. */
export interface RdPosition {
  line: number;
  column?: number;
}
export interface RdRange {
  start: RdPosition;
  end?: RdPosition;
}
export interface RdDiagnostic {
  message: string;
  location: { path: string; range: RdRange };
  severity: 'ERROR' | 'WARNING' | 'INFO';
  source: { name: string; url?: string };
  code: { value: string; url?: string };
  suggestions?: { range: RdRange; text: string }[];
}
export interface RdDiagnosticResult {
  source: { name: string; url?: string };
  diagnostics: RdDiagnostic[];
}

const SEVERITY: Record<Severity, RdDiagnostic['severity']> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

/** A UTF-16 column of a line -> its UTF-8 byte column, both 1-based. */
function utf8Column(text: string | undefined, column: number): number {
  if (text === undefined) return column;
  return Buffer.byteLength(text.slice(0, column - 1), 'utf8') + 1;
}

function range(f: Finding, lineText: LineText): RdRange {
  const endLine = Math.max(f.endLine, f.line);
  if (f.column === undefined) return { start: { line: f.line }, end: { line: endLine } };
  const start = { line: f.line, column: utf8Column(lineText(f.path, f.line), f.column) };
  if (f.endColumn === undefined) return { start };
  return { start, end: { line: endLine, column: utf8Column(lineText(f.path, endLine), f.endColumn) } };
}

export const formatRdjson: Formatter = (report, options) => {
  const lineText = sourceLines(report);
  // Without DOCS_URL there is no web page to point at; a local file URL would mean nothing in a review comment.
  const source: RdDiagnosticResult['source'] = options.docsBase
    ? { name: 'heartbeat-bot', url: toolInformationUrl(options.docsBase) }
    : { name: 'heartbeat-bot' };
  const result: RdDiagnosticResult = {
    source,
    diagnostics: report.findings.map((f) => {
      const d: RdDiagnostic = {
        message: f.message,
        location: { path: f.path, range: range(f, lineText) },
        severity: SEVERITY[f.severity],
        source,
        code: { value: f.ruleId, url: ruleDocsUrl(f.ruleId, options.docsBase) },
      };
      if (f.suggestion !== undefined) {
        // Whole lines, line-wise range: reviewdog replaces start..end inclusive with `text`.
        d.suggestions = [
          {
            range: { start: { line: f.suggestion.line }, end: { line: f.suggestion.endLine } },
            text: f.suggestion.replacement,
          },
        ];
      }
      return d;
    }),
  };
  return `${JSON.stringify(result, null, 2)}\n`;
};
