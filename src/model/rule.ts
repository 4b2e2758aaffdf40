/**
 * A rule: one concept, written once against settings (and, where settings cannot express it, against a
 * format's tree). Rules are synchronous and pure: no I/O, clock, environment or logging.
 */
import type { Range } from './location.js';
import type { Severity, Suggestion } from './finding.js';
import type { FileKind } from './file-kind.js';
import type { Setting } from './setting.js';
import type { Release } from './release.js';
import type { Knowledge } from './knowledge.js';
import type { ParsedFile } from './parsed-file.js';

export interface RuleMeta {
  /** kebab-case, equal to the rule's folder name; permanent. */
  id: string;
  /** One line, for the catalogue. */
  description: string;
  /** Default severity; a report may lower or raise it (release awareness), configuration may override it. */
  severity: Severity;
  /** Formats the rule reads settings or trees from: it runs when the change has such a file, and sees their settings. */
  kinds: FileKind[];
  /**
   * Further kinds whose settings the rule reads as context without reporting on them, e.g. a uWSGI rule that
   * needs `heartbeat_in_pthread` from the oslo.config file of the same change. They do not trigger the rule.
   */
  alsoReads?: FileKind[];
  /** Absolute URLs, Launchpad bugs first. Appended to every finding. */
  references: string[];
}

export interface ReportInput {
  path: string;
  range: Range;
  message: string;
  severity?: Severity;
  /** Extra references placed after the rule's own. */
  references?: string[];
  suggestion?: Suggestion;
}

export interface RuleContext {
  /** Settings extracted from the change's files of the kinds the rule declares (meta.kinds). */
  readonly settings: readonly Setting[];
  /** Parsed files, for rules that read a format's structure directly. */
  readonly files: readonly ParsedFile[];
  readonly release: Release;
  readonly knowledge: Knowledge;
  /** The change's commit message, when the source has one. */
  readonly commitMessage?: string;
  /**
   * The old side of the change: settings and parsed files from the content before the change of every modified,
   * renamed or deleted file (paths are the old paths). Empty for `heartbeat-bot check` and new files. Rules about
   * what a change removes (an override taken out) compare these with `settings`.
   */
  readonly previous: { readonly settings: readonly Setting[]; readonly files: readonly ParsedFile[] };
  /**
   * Where a line of the old file (`oldPath`, 1-based `oldLine`) sits in the new file: its new line when kept, or
   * the new line where the removal happened when deleted. Undefined when the file was deleted.
   */
  newLineFor(oldPath: string, oldLine: number): { path: string; line: number } | undefined;
  report(input: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
