/**
 * Drops findings suppressed by an in-file `heartbeat-bot: ignore <rule-id> -- <reason>` comment, and reports each
 * used suppression that gives no reason (see suppressions.ts for the decisions).
 */
import type { FileError, Finding } from '../model/finding.js';
import type { ParsedFile } from '../model/parsed-file.js';
import { FileSuppressions } from './suppressions.js';

export function applySuppressions(
  findings: readonly Finding[],
  files: readonly ParsedFile[],
  errors: FileError[],
): Finding[] {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const byFile = new Map<string, FileSuppressions>();
  const reported = new Set<string>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const text = texts.get(finding.path);
    if (text === undefined) {
      kept.push(finding);
      continue;
    }
    let suppressions = byFile.get(finding.path);
    if (suppressions === undefined) byFile.set(finding.path, (suppressions = new FileSuppressions(text)));
    const s = suppressions.find(finding.ruleId, finding.line);
    if (s === undefined) {
      kept.push(finding);
      continue;
    }
    const key = `${finding.path}\0${s.line}\0${finding.ruleId}`;
    if (s.reason === undefined && !reported.has(key)) {
      reported.add(key);
      errors.push({
        path: finding.path,
        message:
          `suppression without a reason at line ${s.line}: 'heartbeat-bot: ignore ${finding.ruleId}' still applies, ` +
          `but say why after '--' so reviewers can judge it`,
      });
    }
  }
  return kept;
}
