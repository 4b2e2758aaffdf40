/**
 * `--format text`: ESLint's "stylish" layout. Findings grouped by file, one line each
 * (`line:col  severity  message  rule-id`, columns aligned), then a summary line and the documentation link of
 * every rule that found something. With `explain`, the effective concurrency table follows. Colour only when
 * asked.
 */
import type { Finding, Severity } from '../model/finding.js';
import { absoluteRuleDocsUrl } from './docs-url.js';
import type { Formatter } from './report.js';
import { SUMMARY_HEADER, summaryCells } from './summary-cells.js';

type Paint = (text: string) => string;

/** One output line of a file's group: where it sorts, and its cells (position, severity, message, rule id). */
interface Row {
  line: number;
  column: number;
  cells: string[];
}

interface Palette {
  file: Paint;
  severity: Record<Severity, Paint>;
  dim: Paint;
  summary: (worst: Severity | undefined) => Paint;
}

const sgr = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

const COLOURED: Palette = {
  file: sgr(4, 24),
  severity: { error: sgr(31, 39), warning: sgr(33, 39), info: sgr(36, 39) },
  dim: sgr(2, 22),
  summary: (worst) => (text) => sgr(1, 22)(worst === 'error' ? sgr(31, 39)(text) : worst === 'warning' ? sgr(33, 39)(text) : text),
};

const PLAIN: Palette = {
  file: plain,
  severity: { error: plain, warning: plain, info: plain },
  dim: plain,
  summary: () => plain,
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Pads every column but the last of each row to the column's widest cell, two spaces apart. */
function table(rows: string[][], paint: (cell: string, column: number, row: number) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row, r) =>
    row
      .map((cell, i) => paint(i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0), i, r))
      .join('  ')
      .trimEnd(),
  );
}

export const formatText: Formatter = (report, options) => {
  const p = options.color ? COLOURED : PLAIN;
  const byFile = new Map<string, Row[]>();
  const add = (path: string, row: Row) => {
    const rows = byFile.get(path) ?? [];
    rows.push(row);
    byFile.set(path, rows);
  };
  for (const error of report.errors) {
    add(error.path, { line: 0, column: 0, cells: ['0:0', 'error', error.message, ''] });
  }
  for (const f of report.findings as readonly Finding[]) {
    add(f.path, {
      line: f.line,
      column: f.column ?? 0,
      cells: [`${f.line}:${f.column ?? 1}`, f.severity, f.message.replace(/\s*\n\s*/g, ' '), f.ruleId],
    });
  }

  const out: string[] = [];
  for (const [path, rows] of byFile) {
    rows.sort((a, b) => a.line - b.line || a.column - b.column);
    out.push(p.file(path));
    const lines = table(
      rows.map((r) => r.cells),
      (cell, column) => {
        if (column === 1) return p.severity[cell.trim() as Severity]?.(cell) ?? cell;
        if (column === 0 || column === 3) return p.dim(cell);
        return cell;
      },
    );
    for (const line of lines) out.push(`  ${line}`);
    out.push('');
  }

  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const total = errors + warnings + infos;
  if (total > 0) {
    const worst: Severity = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'info';
    out.push(
      p.summary(worst)(
        `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`,
      ),
    );
  }
  if (report.errors.length > 0) {
    out.push(p.summary('error')(`\u2716 ${plural(report.errors.length, 'file')} could not be reviewed`));
  }
  if (report.skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const s of report.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    const list = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
    out.push(p.dim(`${plural(report.skipped.length, 'file')} skipped (${list})`));
  }
  const ruleIds = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  if (ruleIds.length > 0) {
    out.push('', 'Docs:');
    for (const line of table(ruleIds.map((id) => [id, absoluteRuleDocsUrl(id, options.docsBase)]), (cell, column) => (column === 1 ? p.dim(cell) : cell))) {
      out.push(`  ${line}`);
    }
  }
  if (options.explain === true && report.summary !== undefined) {
    if (out.length > 0) out.push('');
    if (report.summary.length === 0) out.push('Effective concurrency: no WSGI or heartbeat settings in this change');
    else {
      out.push('Effective concurrency:');
      const rows = [[...SUMMARY_HEADER], ...report.summary.map(summaryCells)];
      for (const line of table(rows, (cell, _column, row) => (row === 0 ? p.dim(cell) : cell))) out.push(`  ${line}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
};
