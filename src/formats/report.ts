/** What every output format renders: the findings to show, files that failed, and the run's numbers. */
import type { FileError, Finding } from '../model/finding.js';
import type { RuleMeta } from '../model/rule.js';
import type { ConcurrencyRow } from '../model/summary.js';

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Report {
  /** The findings to show, already filtered and in display order. */
  findings: readonly Finding[];
  /** Files that could not be read or parsed. */
  errors: readonly FileError[];
  /** Files not reviewed (binary, too large, ignored), with why. */
  skipped: readonly SkippedFile[];
  stats: { files: number; bytes: number; ms: number };
  /** The rule catalogue, for SARIF's `tool.driver.rules`; rules of findings missing here still get a descriptor. */
  rules: readonly Pick<RuleMeta, 'id' | 'description' | 'severity'>[];
  /**
   * New content of reviewed files by path, for line text (SARIF fingerprints) and UTF-8 columns (rdjson).
   * Without it those fall back to what the finding alone says.
   */
  contents?: ReadonlyMap<string, string>;
  /** The effective concurrency picture (ReviewResult.summary): JSON `summary`, SARIF run properties, `--explain`. */
  summary?: readonly ConcurrencyRow[];
}

export interface FormatOptions {
  /** heartbeat-bot's version, for SARIF's `tool.driver.version`. */
  version: string;
  /** Base URL of rule documentation (`DOCS_URL`); see docs-url.ts for the default. */
  docsBase?: string;
  /** ANSI colours in text output. */
  color?: boolean;
  /** Text output: print the concurrency summary after the findings (`--explain`). */
  explain?: boolean;
}

export type Formatter = (report: Report, options: FormatOptions) => string;
