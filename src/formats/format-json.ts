/** `--format json`: exactly the object of CONTRACTS.md §2, nothing more. */
import type { Finding } from '../model/finding.js';
import type { Formatter } from './report.js';

/** The finding as the contract lists it: its keys in contract order, optional ones only when set. */
function contractFinding(f: Finding): Record<string, unknown> {
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
  return out;
}

export const formatJson: Formatter = (report) => {
  const object = {
    findings: report.findings.map(contractFinding),
    errors: report.errors.map((e) => ({ path: e.path, message: e.message })),
    stats: {
      files: report.stats.files,
      bytes: report.stats.bytes,
      // Tenths of a millisecond: more digits are noise.
      ms: Math.round(report.stats.ms * 10) / 10,
    },
  };
  return `${JSON.stringify(object, null, 2)}\n`;
};
