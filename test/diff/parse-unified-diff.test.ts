/** Golden unified diffs, as `git diff -M` writes them, parsed into FileDiffs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnifiedDiff } from '../../src/diff/parse-unified-diff.js';

/** `git diff --cached -M` of a change that adds, deletes, renames, edits CRLF and no-newline-at-EOF files. */
const GIT_DIFF = [
  'diff --git a/added.txt b/added.txt',
  'new file mode 100644',
  'index 0000000..80ce8d9',
  '--- /dev/null',
  '+++ b/added.txt',
  '@@ -0,0 +1,2 @@',
  '+new1',
  '+new2',
  'diff --git a/crlf.ini b/crlf.ini',
  'index df0aae8..d80977d 100644',
  '--- a/crlf.ini',
  '+++ b/crlf.ini',
  '@@ -1,3 +1,3 @@',
  ' c1\r',
  '-c2\r',
  '+C2\r',
  ' c3\r',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  'index 4cb29ea..0000000',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1,3 +0,0 @@',
  '-one',
  '-two',
  '-three',
  'diff --git a/multi.txt b/multi.txt',
  'index b03757e..aae9eb9 100644',
  '--- a/multi.txt',
  '+++ b/multi.txt',
  '@@ -1,5 +1,5 @@',
  ' a',
  '-b',
  '+B',
  ' c',
  ' d',
  ' e',
  '@@ -11,6 +11,7 @@ j',
  ' k',
  ' l',
  ' m',
  '-n',
  '+N',
  ' o',
  ' p',
  '+q',
  'diff --git a/old-name.txt b/new-name.txt',
  'similarity index 75%',
  'rename from old-name.txt',
  'rename to new-name.txt',
  'index c96fe16..7526c89 100644',
  '--- a/old-name.txt',
  '+++ b/new-name.txt',
  '@@ -1,4 +1,4 @@',
  ' r1',
  ' r2',
  ' r3',
  '-r4',
  '+R4',
  'diff --git a/noeol.txt b/noeol.txt',
  'index 1b32298..6e94b48 100644',
  '--- a/noeol.txt',
  '+++ b/noeol.txt',
  '@@ -1,2 +1,2 @@',
  ' x',
  '-y',
  '\\ No newline at end of file',
  '+z',
  '\\ No newline at end of file',
  'diff --git a/blob.bin b/blob.bin',
  'new file mode 100644',
  'index 0000000..88768ef',
  'Binary files /dev/null and b/blob.bin differ',
  'diff --git a/s.txt b/moved.txt',
  'similarity index 100%',
  'rename from s.txt',
  'rename to moved.txt',
  '',
].join('\n');

function summary(patch: string) {
  return parseUnifiedDiff(patch).map((f) => ({
    path: f.path,
    oldPath: f.oldPath,
    status: f.status,
    binary: f.binary,
    wholeFile: f.wholeFile,
    hunks: f.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
    added: [...f.addedLines].sort((a, b) => a - b),
  }));
}

test('parses every file of a git diff with statuses, hunks and added lines', () => {
  assert.deepEqual(summary(GIT_DIFF), [
    { path: 'added.txt', oldPath: undefined, status: 'added', binary: false, wholeFile: true, hunks: [[1, 0, 1, 2]], added: [1, 2] },
    { path: 'crlf.ini', oldPath: undefined, status: 'modified', binary: false, wholeFile: false, hunks: [[1, 3, 1, 3]], added: [2] },
    { path: 'gone.txt', oldPath: undefined, status: 'deleted', binary: false, wholeFile: false, hunks: [[1, 3, 1, 0]], added: [] },
    {
      path: 'multi.txt', oldPath: undefined, status: 'modified', binary: false, wholeFile: false,
      hunks: [[1, 5, 1, 5], [11, 6, 11, 7]], added: [2, 14, 17],
    },
    { path: 'new-name.txt', oldPath: 'old-name.txt', status: 'renamed', binary: false, wholeFile: false, hunks: [[1, 4, 1, 4]], added: [4] },
    { path: 'noeol.txt', oldPath: undefined, status: 'modified', binary: false, wholeFile: false, hunks: [[1, 2, 1, 2]], added: [2] },
    { path: 'blob.bin', oldPath: undefined, status: 'added', binary: true, wholeFile: true, hunks: [], added: [] },
    { path: 'moved.txt', oldPath: 's.txt', status: 'renamed', binary: false, wholeFile: false, hunks: [], added: [] },
  ]);
});

test('keeps the carriage returns of CRLF file content', () => {
  const crlf = parseUnifiedDiff(GIT_DIFF).find((f) => f.path === 'crlf.ini');
  assert.deepEqual(crlf?.hunks[0]?.lines, [' c1\r', '-c2\r', '+C2\r', ' c3\r']);
});

test('normalises a patch that was itself saved with CRLF line breaks', () => {
  const lf = ['--- a/x.conf', '+++ b/x.conf', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', '', ''].join('\n');
  const [file] = parseUnifiedDiff(lf.replace(/\n/g, '\r\n'));
  assert.equal(file?.path, 'x.conf');
  assert.deepEqual([...(file?.addedLines ?? [])], [2]);
  // The empty context line (trailing blank stripped by an editor) still counts on the new side.
  assert.equal(file?.hunks[0]?.newLines, 3);
});

test('parses a headerless patch (GitHub `patch` field) under the given path', () => {
  const [file] = parseUnifiedDiff('@@ -3,2 +3,3 @@ ctx\n x\n+y\n z\n', 'hieradata/common.yaml');
  assert.equal(file?.path, 'hieradata/common.yaml');
  assert.equal(file?.status, 'modified');
  assert.deepEqual([...(file?.addedLines ?? [])], [4]);
});

test('parses GNU diff -u output without a/ b/ prefixes', () => {
  const gnu = '--- etc/nova/nova.conf\t2024-01-01\n+++ etc/nova/nova.conf\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n';
  const [file] = parseUnifiedDiff(gnu);
  assert.equal(file?.path, 'etc/nova/nova.conf');
  assert.equal(file?.oldPath, undefined);
  assert.deepEqual([...(file?.addedLines ?? [])], [1]);
});

test('an empty patch has no files', () => {
  assert.deepEqual(parseUnifiedDiff(''), []);
  assert.deepEqual(parseUnifiedDiff('\n'), []);
});

test('a malformed hunk throws with the reason', () => {
  assert.throws(() => parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n'), /Hunk at line 3/);
});
