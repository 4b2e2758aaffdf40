/**
 * In-file suppressions: a full-line comment `heartbeat-bot: ignore <rule-id>[, <rule-id>...] -- <reason>`
 * (leader `#`, `;` or `//`) in the block of comment lines directly above a finding's line suppresses those rules
 * on that line. Several ignores can be stacked, and other comments may sit between them and the setting (people
 * explain a suppression in more than one line).
 *
 * Decisions:
 * - A suppression without `-- <reason>` still suppresses (the author clearly meant it, and a bot that ignores an
 *   ignore is worse), but review() reports it as an info finding (`suppression-without-reason`) on the comment,
 *   so the missing reason is seen in review.
 * - A suppression that suppresses nothing is reported as info (`unused-suppression`): settings move and rules
 *   change, and a stale ignore would silently swallow the next real finding on that line. It is judged within the
 *   change, on the comment's line, so the default `added` filter shows it only when the comment itself changed.
 * - Detection reads line text only; it needs no parser, so it works the same in every format (an Apache file does
 *   not allow trailing comments, and full-line comments are what every format shares).
 */

/** One suppression comment. */
export interface Suppression {
  /** 1-based line of the comment. */
  line: number;
  ruleIds: string[];
  /** Text after `--`, trimmed; undefined when missing or empty. */
  reason?: string;
}

const COMMENT = /^\s*(?:#|;|\/\/)/;
/** Rule ids are kebab-case, so `--` (the reason separator) can never be part of one. */
const RULE_ID = '[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*';
const SUPPRESSION = new RegExp(
  `^\\s*(?:#|;|//)\\s*heartbeat-bot:\\s*ignore\\s+(${RULE_ID}(?:\\s*,\\s*${RULE_ID})*)\\s*(?:--\\s*(.*?))?\\s*$`,
);

/** The suppressions of one file; lines are read when a finding asks, so files without findings cost nothing. */
export class FileSuppressions {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  /** Every suppression comment of the file, in line order. */
  all(): Suppression[] {
    const found: Suppression[] = [];
    this.lines.forEach((text, i) => {
      const s = text.includes('heartbeat-bot') ? parseSuppression(text, i + 1) : undefined;
      if (s !== undefined) found.push(s);
    });
    return found;
  }

  /** The suppression of `ruleId` that applies to `line` (1-based), if any. */
  find(ruleId: string, line: number): Suppression | undefined {
    for (let n = line - 1; n >= 1; n--) {
      const text = this.lines[n - 1] ?? '';
      if (!COMMENT.test(text)) return undefined;
      const s = parseSuppression(text, n);
      if (s?.ruleIds.includes(ruleId)) return s;
    }
    return undefined;
  }
}

/** Reads one line as a suppression comment, or undefined. */
export function parseSuppression(text: string, line: number): Suppression | undefined {
  const m = SUPPRESSION.exec(text.replace(/\r$/, ''));
  if (m === null || m[1] === undefined) return undefined;
  const ruleIds = m[1].split(',').map((s) => s.trim());
  const reason = m[2]?.trim();
  return reason ? { line, ruleIds, reason } : { line, ruleIds };
}
