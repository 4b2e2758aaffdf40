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
  /** Formats the rule reads settings or trees from. */
  kinds: FileKind[];
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
  /** Settings extracted from every reviewed file of the change. */
  readonly settings: readonly Setting[];
  /** Parsed files, for rules that read a format's structure directly. */
  readonly files: readonly ParsedFile[];
  readonly release: Release;
  readonly knowledge: Knowledge;
  /** The change's commit message, when the source has one. */
  readonly commitMessage?: string;
  report(input: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
