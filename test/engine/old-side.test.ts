/**
 * The old side of a change for rules: `previous` (old files parsed, their settings) and `newLineFor` (where an old
 * line sits in the new file), and that nothing is parsed until a rule looks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import { mapOldLine } from '../../src/engine/map-old-line.js';
import { oldSideOf } from '../../src/engine/old-side.js';
import { computeHunks } from '../../src/diff/compute-hunks.js';
import { diffOfFileChange } from '../../src/diff/diff-of-file-change.js';
import type { Knowledge } from '../../src/model/knowledge.js';
import type { RuleContext } from '../../src/model/rule.js';
import { added, fakeRule, ini, knowledge, modified } from './helpers.js';

const OLD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', ''].join('\n');

describe('mapOldLine', () => {
  // [what, new text, old line -> expected new line]
  const cases: [string, string, [number, number][]][] = [
    ['unchanged file keeps every line', OLD, [[1, 1], [10, 10]]],
    ['a line inserted above shifts the lines below', OLD.replace('3\n', 'x\n3\n'), [[2, 2], [3, 4], [10, 11]]],
    ['a deleted line maps to the line now in its place', OLD.replace('5\n', ''), [[4, 4], [5, 5], [6, 5], [10, 9]]],
    ['a replaced line maps to its replacement', OLD.replace('5\n', 'five\n'), [[5, 5], [6, 6]]],
    ['deleting the last lines clamps to the new last line', OLD.replace('9\n10\n', ''), [[9, 8], [10, 8]]],
    ['deleting everything maps to line 1', '', [[1, 1], [10, 1]]],
    ['two hunks far apart', OLD.replace('1\n', '').replace('10\n', '10\n11\n'), [[1, 1], [2, 1], [9, 8], [10, 9]]],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const hunks = computeHunks(OLD, text) ?? [];
      const last = text === '' ? 1 : text.split('\n').length - 1;
      assert.deepEqual(expected.map(([old]) => [old, mapOldLine(hunks, old, last)]), expected);
    });
  }

  it('reads parsed git hunks with empty ranges (`@@ -5 +4,0 @@`) the same way', () => {
    // parseUnifiedDiff normalises `+4,0` to newStart 5, as computeHunks writes it.
    const hunks = [{ oldStart: 5, oldLines: 1, newStart: 5, newLines: 0, lines: ['-5'] }];
    assert.deepEqual([4, 5, 6].map((l) => mapOldLine(hunks, l, 9)), [4, 5, 5]);
  });
});

/** Runs review() with one rule that records what it saw of the old side. */
function seen(files: Parameters<typeof review>[0]['files'], look: (context: RuleContext) => unknown, wholeFiles = false) {
  let out: unknown;
  const rule = fakeRule('test-look', { kinds: ['ini', 'hiera'] }, (context) => {
    out = look(context);
  });
  review({ files, wholeFiles }, [rule], knowledge);
  return out;
}

describe('review: the old side of the change', () => {
  const before = ini('heartbeat_in_pthread = false', 'x = 1').replace('[DEFAULT]', '[oslo_messaging_rabbit]');
  const after = ini('x = 1').replace('[DEFAULT]', '[oslo_messaging_rabbit]');

  it('gives rules the old settings of a modified file, under its old path', () => {
    const settings = seen([modified('etc/nova/nova.conf', before, after)], (c) =>
      c.previous.settings.map((s) => [s.key, s.service, s.path, s.range.start.line]),
    );
    assert.deepEqual(settings, [['rabbit.heartbeat_in_pthread', 'nova', 'etc/nova/nova.conf', 2]]);
  });

  it('maps a removed override to the line where it was removed, and a kept line to its new line', () => {
    const lines = seen([modified('etc/nova/nova.conf', before, after)], (c) => [
      c.newLineFor('etc/nova/nova.conf', 2),
      c.newLineFor('etc/nova/nova.conf', 3),
      c.newLineFor('etc/nova/other.conf', 2),
    ]);
    assert.deepEqual(lines, [{ path: 'etc/nova/nova.conf', line: 2 }, { path: 'etc/nova/nova.conf', line: 2 }, undefined]);
  });

  it('includes deleted files (no new line) and renamed files (old path in, new path out)', () => {
    const result = seen(
      [
        { path: 'hieradata/compute.yaml', status: 'deleted', oldContent: 'nova::rabbit_heartbeat_in_pthread: false\n' },
        { path: 'etc/nova/nova.conf', oldPath: 'etc/nova/nova-old.conf', status: 'renamed', oldContent: before, newContent: after },
        added('etc/nova/new.conf', after),
      ],
      (c) => ({
        files: c.previous.files.map((f) => [f.path, f.kind]),
        deleted: c.newLineFor('hieradata/compute.yaml', 1),
        renamed: c.newLineFor('etc/nova/nova-old.conf', 3),
      }),
    );
    assert.deepEqual(result, {
      files: [
        ['hieradata/compute.yaml', 'hiera'],
        ['etc/nova/nova-old.conf', 'ini'],
      ],
      deleted: undefined,
      renamed: { path: 'etc/nova/nova.conf', line: 2 },
    });
  });

  it('is empty for whole-file reviews (check) and for ignored files', () => {
    assert.deepEqual(
      seen([modified('etc/nova/nova.conf', before, after)], (c) => c.previous.files.length, true),
      0,
    );
    const side = oldSideOf({ files: [modified('vendor/nova.conf', before, after)] }, knowledge, (p) => p.startsWith('vendor/'), (f) => diffOfFileChange(f));
    assert.deepEqual([side.previous.files, side.newLineFor('vendor/nova.conf', 1)], [[], undefined]);
  });

  it('parses nothing until a rule reads `previous`', () => {
    let lookups = 0;
    const counting = new Proxy(knowledge, {
      get(target, key, receiver) {
        lookups++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    }) as Knowledge;
    const side = oldSideOf({ files: [modified('etc/nova/nova.conf', before, after)] }, counting, () => false, (f) => diffOfFileChange(f));
    assert.equal(lookups, 0, 'building the old side looked at the knowledge');
    assert.equal(side.previous.settings.length, 1);
    const afterFirst = lookups;
    assert.ok(afterFirst > 0);
    void side.previous.files;
    void side.previous.settings;
    assert.equal(lookups, afterFirst, 'the old side was parsed twice');
  });
});
