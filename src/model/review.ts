/** The engine's entry point contract: one `review()` for every platform and the CLI. */
import type { FileError, MarkedFinding } from './finding.js';
import type { Release } from './release.js';
import type { Setting } from './setting.js';
import type { Severity } from './finding.js';
import type { ConcurrencyRow } from './summary.js';

/** Per-repository configuration (CONTRACTS.md §5): `.heartbeat-bot.yml`, `.github/heartbeat-bot.yml`. */
export interface RepoConfig {
  release?: string;
  /** Rule id -> `off` or a severity that replaces the rule's. */
  rules?: Record<string, 'off' | Severity>;
  /** Globs of paths not to review. */
  ignore?: string[];
  filter?: 'added' | 'diff_context' | 'file' | 'nofilter';
}

export interface ReviewOptions {
  /** `--release`; wins over the config's and the branch's. */
  release?: string;
  config?: RepoConfig;
}

export interface ReviewResult {
  /** Every finding of every reviewed file, marked in/out of the change; filtering is the caller's. */
  findings: MarkedFinding[];
  errors: FileError[];
  /** Files skipped (binary, too large, ignored, unknown kind) with the reason, so nothing is silently lost. */
  skipped: { path: string; reason: string }[];
  stats: { files: number; bytes: number };
  release: Release;
  settings: Setting[];
  /** The effective concurrency picture of every service the change touches. */
  summary: ConcurrencyRow[];
}
