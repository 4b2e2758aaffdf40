/**
 * Drops findings suppressed by an in-file `heartbeat-bot: ignore <rule-id> -- <reason>` comment, and reports the
 * engine checks about those comments (see suppressions.ts for the decisions): `suppression-without-reason` on a
 * comment that suppressed something without saying why, `unused-suppression` on one that suppressed nothing.
 */
import type { Finding } from '../model/finding.js';
import type { ParsedFile } from '../model/parsed-file.js';
import { ENGINE_CHECK_IDS } from '../model/review.js';
import { FileSuppressions } from './suppressions.js';

export interface SuppressionContext {
  /** Ids of the rules that exist; a suppression of any other id suppresses nothing. */
  ruleIds: readonly string[];
  /**
   * Rules whose silence proves nothing (turned off by the configuration, or failed on this change): a suppression
   * of them is not reported as unused.
   */
  silent: ReadonlySet<string>;
}

export interface SuppressionResult {
  /** Findings no suppression applies to. */
  kept: Finding[];
  /** Engine-check findings about suppression comments. */
  checks: Finding[];
}

export function applySuppressions(
  findings: readonly Finding[],
  files: readonly ParsedFile[],
  context: SuppressionContext,
): SuppressionResult {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const byFile = new Map<string, FileSuppressions>();
  const suppressionsOf = (path: string): FileSuppressions | undefined => {
    let suppressions = byFile.get(path);
    const text = texts.get(path);
    if (suppressions === undefined && text !== undefined) byFile.set(path, (suppressions = new FileSuppressions(text)));
    return suppressions;
  };
  /** `path \0 comment line \0 rule id` of every suppression that suppressed something. */
  const used = new Set<string>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const s = suppressionsOf(finding.path)?.find(finding.ruleId, finding.line);
    if (s === undefined) kept.push(finding);
    else used.add(`${finding.path}\0${s.line}\0${finding.ruleId}`);
  }

  const checks: Finding[] = [];
  for (const file of files) {
    if (!file.text.includes('heartbeat-bot')) continue;
    const lines = file.text.split('\n');
    for (const s of suppressionsOf(file.path)?.all() ?? []) {
      const usedIds = s.ruleIds.filter((id) => used.has(`${file.path}\0${s.line}\0${id}`));
      const unused = s.ruleIds.filter((id) => !usedIds.includes(id) && !context.silent.has(id));
      const at = { path: file.path, line: s.line, lineText: lines[s.line - 1] ?? '' };
      if (unused.length > 0) checks.push(check('unused-suppression', at, unusedMessage(unused, context.ruleIds)));
      if (usedIds.length > 0 && s.reason === undefined) {
        checks.push(check('suppression-without-reason', at, withoutReasonMessage(usedIds)));
      }
    }
  }
  return { kept, checks };
}

function check(ruleId: string, at: { path: string; line: number; lineText: string }, message: string): Finding {
  const text = at.lineText.replace(/\r$/, '');
  const column = text.length - text.trimStart().length + 1;
  return {
    ruleId,
    severity: 'info',
    path: at.path,
    line: at.line,
    endLine: at.line,
    column,
    endColumn: text.length + 1,
    message,
    references: [],
  };
}

function withoutReasonMessage(ids: readonly string[]): string {
  return (
    `This suppression of ${ids.join(', ')} gives no reason. It still applies; add why it is safe here after '--' ` +
    `(heartbeat-bot: ignore ${ids.join(', ')} -- <reason>) so reviewers can judge it.`
  );
}

function unusedMessage(ids: readonly string[], ruleIds: readonly string[]): string {
  const parts = ids.map((id) => {
    if (ENGINE_CHECK_IDS.includes(id)) return `${id} is an engine check, turned off in .heartbeat-bot.yml (rules: ${id}: off), not in a file`;
    if (!ruleIds.includes(id)) return `${id} is not a heartbeat-bot rule`;
    return `no ${id} finding on the line it covers`;
  });
  return (
    `This suppression suppresses nothing (${parts.join('; ')}). Remove it, fix the rule id, or move it into the ` +
    `comment block directly above the setting it is about.`
  );
}
