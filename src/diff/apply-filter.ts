/** reviewdog's filter modes over marked findings. */
import type { FilterMode, MarkedFinding } from '../model/finding.js';

export const FILTER_MODES: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

export function isFilterMode(value: string): value is FilterMode {
  return (FILTER_MODES as readonly string[]).includes(value);
}

/**
 * `added`: findings touching an added or changed line; `diff_context`: findings wholly inside hunks;
 * `file`: findings in changed files; `nofilter`: everything.
 */
export function applyFilter<T extends MarkedFinding>(findings: readonly T[], mode: FilterMode): T[] {
  switch (mode) {
    case 'added':
      return findings.filter((f) => f.diff.onAddedLine);
    case 'diff_context':
      return findings.filter((f) => f.diff.inHunk);
    case 'file':
      return findings.filter((f) => f.diff.inChangedFile);
    case 'nofilter':
      return [...findings];
  }
}
