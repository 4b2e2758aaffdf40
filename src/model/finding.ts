/** A finding: one problem the rules found, in the shape every output and platform writes out. */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** Replace lines `line`..`endLine` (1-based, inclusive) of the new file with `replacement`. */
export interface Suggestion {
  line: number;
  endLine: number;
  replacement: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  line: number;
  endLine: number;
  column?: number;
  endColumn?: number;
  message: string;
  /** Absolute URLs, Launchpad bugs first. */
  references: string[];
  suggestion?: Suggestion;
}

/** How a finding sits in the change, for the filter modes (reviewdog's added | diff_context | file | nofilter). */
export interface DiffMark {
  /** The file is part of the change. */
  inChangedFile: boolean;
  /** Every line of the finding lies within a hunk of the new file. */
  inHunk: boolean;
  /** At least one line of the finding was added or changed. */
  onAddedLine: boolean;
}

export type MarkedFinding = Finding & { diff: DiffMark };

export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';

/** A file that could not be read or parsed well enough to review. */
export interface FileError {
  path: string;
  message: string;
}
