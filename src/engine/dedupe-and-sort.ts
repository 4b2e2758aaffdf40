/**
 * Identical findings (two extractors seeing one setting, a file listed twice) are reported once, and the order is
 * stable whatever order rules ran in: path, line, column, rule id, then message.
 */
import type { MarkedFinding } from '../model/finding.js';

export function dedupeAndSort(findings: readonly MarkedFinding[]): MarkedFinding[] {
  const seen = new Set<string>();
  const unique: MarkedFinding[] = [];
  for (const f of findings) {
    const key = JSON.stringify([f.ruleId, f.path, f.line, f.endLine, f.column, f.endColumn, f.severity, f.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  return unique.sort(compareFindings);
}

function compareFindings(a: MarkedFinding, b: MarkedFinding): number {
  return (
    compareText(a.path, b.path) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message)
  );
}

/** Code-unit order, not locale order: the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
