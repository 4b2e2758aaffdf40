/** The engine's entry point contract: one `review()` for every platform and the CLI. */
import type { FileError, MarkedFinding } from './finding.js';
import type { Release } from './release.js';
import type { Setting } from './setting.js';
import type { Severity } from './finding.js';
import type { ConcurrencyRow } from './summary.js';
import type { RuleMeta } from './rule.js';

/**
 * Checks review() makes itself, about heartbeat-bot's own comments rather than deployment settings. They have no
 * rule folder, but their ids work like rule ids in the configuration's `rules:` and in documentation links.
 */
export interface EngineCheck extends Pick<RuleMeta, 'id' | 'description' | 'severity'> {
  /** What to do about it, for rules/README.md. */
  fix: string;
}

export const ENGINE_CHECKS: readonly EngineCheck[] = [
  {
    id: 'suppression-without-reason',
    description: 'A `heartbeat-bot: ignore <rule-id>` comment suppresses a finding but gives no reason after `--`.',
    severity: 'info',
    fix: 'Say why the finding does not apply here: `# heartbeat-bot: ignore <rule-id> -- <reason>`. The suppression works either way; the reason is for reviewers.',
  },
  {
    id: 'unused-suppression',
    description: 'A `heartbeat-bot: ignore <rule-id>` comment suppresses nothing: no finding of that rule on the line below, or no such rule.',
    severity: 'info',
    fix: 'Remove the comment, fix the rule id, or move it to the comment block directly above the setting it is about.',
  },
];

export const ENGINE_CHECK_IDS: readonly string[] = ENGINE_CHECKS.map((c) => c.id);

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
