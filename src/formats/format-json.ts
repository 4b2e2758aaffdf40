/**
 * `--format json`: the object of CONTRACTS.md §2, extended without changing a key: each finding has `docs` (its
 * rule's documentation URL, last), and the object has `summary` (the effective concurrency picture, last). Summary
 * rows list every column, `null` when unknown, so consumers can rely on the shape.
 */
import type { Finding } from '../model/finding.js';
import { absoluteRuleDocsUrl } from './docs-url.js';
import type { Formatter } from './report.js';
import { summaryRowJson } from './summary-row-json.js';

/** The finding as the contract lists it: its keys in contract order, optional ones only when set. */
function contractFinding(f: Finding, docsBase: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.path,
    line: f.line,
    endLine: f.endLine,
  };
  if (f.column !== undefined) out.column = f.column;
  out.message = f.message;
  out.references = [...f.references];
  if (f.suggestion !== undefined) {
    out.suggestion = { line: f.suggestion.line, endLine: f.suggestion.endLine, replacement: f.suggestion.replacement };
  }
  out.docs = absoluteRuleDocsUrl(f.ruleId, docsBase);
  return out;
}

export const formatJson: Formatter = (report, options) => {
  const object = {
    findings: report.findings.map((f) => contractFinding(f, options.docsBase)),
    errors: report.errors.map((e) => ({ path: e.path, message: e.message })),
    stats: {
      files: report.stats.files,
      bytes: report.stats.bytes,
      // Tenths of a millisecond: more digits are noise.
      ms: Math.round(report.stats.ms * 10) / 10,
    },
    summary: (report.summary ?? []).map(summaryRowJson),
  };
  return `${JSON.stringify(object, null, 2)}\n`;
};
