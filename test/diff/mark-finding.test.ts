/** markFinding / applyFilter: the four filter modes against one diff, and whole-file changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markFinding } from '../../src/diff/mark-finding.js';
import { applyFilter } from '../../src/diff/apply-filter.js';
import { computeHunks } from '../../src/diff/compute-hunks.js';
import { diffOfFileChange } from '../../src/diff/diff-of-file-change.js';
import { fileDiffFromHunks, wholeFileDiff } from '../../src/diff/file-diff.js';
import type { Finding, FilterMode, MarkedFinding } from '../../src/model/finding.js';

const OLD = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
// Line 10 changed, line 25 added after line 24: two hunks, new-side 7..13 and 22..29.
const NEW = OLD.replace('line 10\n', 'LINE 10\n').replace('line 24\n', 'line 24\nadded 25\n');

function finding(line: number, endLine = line, extra: Partial<Finding> = {}): Finding {
  return { ruleId: 'r', severity: 'error', path: 'f.conf', line, endLine, message: 'm', references: [], ...extra };
}

test('computeHunks gives git-like hunks with 3 lines of context', () => {
  const hunks = computeHunks(OLD, NEW) ?? [];
  assert.deepEqual(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]), [[7, 7, 7, 7], [22, 6, 22, 7]]);
  assert.deepEqual(computeHunks(OLD, OLD), []);
});

const diff = fileDiffFromHunks('f.conf', computeHunks(OLD, NEW) ?? []);

test('markFinding: added line, context line, outside hunks, spanning, other file', () => {
  assert.deepEqual(markFinding(finding(10), diff), { inChangedFile: true, inHunk: true, onAddedLine: true });
  assert.deepEqual(markFinding(finding(25), diff), { inChangedFile: true, inHunk: true, onAddedLine: true });
  assert.deepEqual(markFinding(finding(8), diff), { inChangedFile: true, inHunk: true, onAddedLine: false });
  assert.deepEqual(markFinding(finding(2), diff), { inChangedFile: true, inHunk: false, onAddedLine: false });
  // Spans an added line and lines outside the hunk: on an added line, but not wholly in the diff context.
  assert.deepEqual(markFinding(finding(10, 16), diff), { inChangedFile: true, inHunk: false, onAddedLine: true });
  assert.deepEqual(markFinding(finding(10), undefined), { inChangedFile: false, inHunk: false, onAddedLine: false });
});

test('markFinding: an exclusive end at column 1 does not cover the last line', () => {
  assert.equal(markFinding(finding(12, 14, { endColumn: 1 }), diff).inHunk, true);
  assert.equal(markFinding(finding(13, 14, { endColumn: 1 }), diff).inHunk, true);
  assert.equal(markFinding(finding(13, 15, { endColumn: 1 }), diff).inHunk, false);
});

test('markFinding: a whole-file change marks every line added', () => {
  assert.deepEqual(markFinding(finding(999), wholeFileDiff('f.conf')), { inChangedFile: true, inHunk: true, onAddedLine: true });
});

test('applyFilter: the matrix of modes and marks', () => {
  const marked: MarkedFinding[] = [
    { ...finding(10), ruleId: 'added', diff: markFinding(finding(10), diff) },
    { ...finding(8), ruleId: 'context', diff: markFinding(finding(8), diff) },
    { ...finding(2), ruleId: 'file', diff: markFinding(finding(2), diff) },
    { ...finding(2), ruleId: 'other', diff: markFinding(finding(2), undefined) },
  ];
  const ids = (mode: FilterMode) => applyFilter(marked, mode).map((f) => f.ruleId);
  assert.deepEqual(ids('added'), ['added']);
  assert.deepEqual(ids('diff_context'), ['added', 'context']);
  assert.deepEqual(ids('file'), ['added', 'context', 'file']);
  assert.deepEqual(ids('nofilter'), ['added', 'context', 'file', 'other']);
});

test('diffOfFileChange: patch first, then contents, then whole file', () => {
  const fromPatch = diffOfFileChange({ path: 'f', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b\n', newContent: 'b\n' });
  assert.deepEqual([...fromPatch.addedLines], [1]);
  const fromContent = diffOfFileChange({ path: 'f', status: 'modified', oldContent: OLD, newContent: NEW });
  assert.deepEqual([...fromContent.addedLines].sort((a, b) => a - b), [10, 25]);
  assert.equal(diffOfFileChange({ path: 'f', status: 'modified', newContent: NEW }).wholeFile, true);
  assert.equal(diffOfFileChange({ path: 'f', status: 'added', newContent: NEW }).wholeFile, true);
  assert.equal(diffOfFileChange({ path: 'f', status: 'modified', oldContent: OLD, newContent: NEW }, true).wholeFile, true);
  const renamed = diffOfFileChange({ path: 'b', oldPath: 'a', status: 'renamed', oldContent: OLD, newContent: OLD });
  assert.equal(renamed.oldPath, 'a');
  assert.equal(renamed.addedLines.size, 0);
  // A malformed patch falls back to the contents.
  const bad = diffOfFileChange({ path: 'f', status: 'modified', patch: '@@ -1,5 +1,5 @@\n a\n', oldContent: OLD, newContent: NEW });
  assert.deepEqual([...bad.addedLines].sort((a, b) => a - b), [10, 25]);
});

test('a CRLF -> LF conversion changes every line, as in git', () => {
  const hunks = computeHunks('a\r\nb\r\n', 'a\nb\n') ?? [];
  assert.deepEqual([...fileDiffFromHunks('f', hunks).addedLines], [1, 2]);
});
