/** CONTRACTS.md §2 exit status: 0 nothing at or above the fail level, 1 findings at or above it (2 is thrown). */
import { SEVERITY_RANK, type Finding } from '../model/finding.js';
import type { FailLevel } from './parse-args.js';

export function exitCodeFor(findings: readonly Pick<Finding, 'severity'>[], failLevel: FailLevel): 0 | 1 {
  if (failLevel === 'none') return 0;
  const threshold = SEVERITY_RANK[failLevel];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
