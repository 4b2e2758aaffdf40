/**
 * Unified diffs -> hunks, and findings marked in/out of the change for the filter modes.
 * Imports nothing from src but the model.
 */
export { addedLinesOf, fileDiffFromHunks, wholeFileDiff, type FileDiff, type Hunk } from './file-diff.js';
export { computeHunks } from './compute-hunks.js';
export { parseUnifiedDiff } from './parse-unified-diff.js';
export { markFinding } from './mark-finding.js';
export { applyFilter, FILTER_MODES, isFilterMode } from './apply-filter.js';
export { diffOfFileChange } from './diff-of-file-change.js';
