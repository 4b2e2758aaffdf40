/** review() marks every finding in or out of the change: from a patch, from old/new content, or whole files. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import { added, ini, knowledge, lineRule, modified } from './helpers.js';

const bad = lineRule('test-bad', /bad/);
const OLD = ini('a = bad', 'b = 1', 'c = 1', 'd = 1', 'e = 1', 'f = 1', 'g = 1', 'h = 1', 'i = 1');
// line 1 [DEFAULT], 2 a = bad, ..., 9 h, 10 i; the change turns line 10 into `i = bad`.
const NEW = OLD.replace('i = 1', 'i = bad');

const marks = (result: ReturnType<typeof review>) =>
  result.findings.map((f) => [f.line, f.diff.inChangedFile, f.diff.inHunk, f.diff.onAddedLine]);

describe('review: diff marking', () => {
  it('uses the patch when the source gives one', () => {
    const patch = ['@@ -8,3 +8,3 @@', ' g = 1', ' h = 1', '-i = 1', '+i = bad', ''].join('\n');
    const result = review({ files: [modified('etc/nova/nova.conf', OLD, NEW, patch)] }, [bad], knowledge);
    assert.deepEqual(marks(result), [
      [2, true, false, false],
      [10, true, true, true],
    ]);
  });

  it('computes the hunks from old and new content otherwise', () => {
    const result = review({ files: [modified('etc/nova/nova.conf', OLD, NEW)] }, [bad], knowledge);
    assert.deepEqual(marks(result), [
      [2, true, false, false],
      [10, true, true, true],
    ]);
  });

  it('treats a new file, and every file of a wholeFiles change, as added everywhere', () => {
    assert.deepEqual(marks(review({ files: [added('etc/nova/nova.conf', NEW)] }, [bad], knowledge)), [
      [2, true, true, true],
      [10, true, true, true],
    ]);
    const whole = review({ files: [modified('etc/nova/nova.conf', OLD, NEW)], wholeFiles: true }, [bad], knowledge);
    assert.deepEqual(marks(whole), [
      [2, true, true, true],
      [10, true, true, true],
    ]);
  });

  it('marks a finding in a file outside the change as outside', () => {
    const elsewhere = lineRule('test-elsewhere', /bad/, {
      extra: { path: 'etc/nova/other.conf' },
    });
    const result = review({ files: [added('etc/nova/nova.conf', ini('a = bad'))] }, [elsewhere], knowledge);
    assert.deepEqual(result.findings.map((f) => [f.path, f.diff]), [
      ['etc/nova/other.conf', { inChangedFile: false, inHunk: false, onAddedLine: false }],
    ]);
  });
});
