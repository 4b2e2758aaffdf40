import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/parsers/line-index.js';

test('LineIndex maps offsets to 1-based line/column', () => {
  const idx = new LineIndex('ab\ncd\r\n\nx');
  assert.deepEqual(idx.position(0), { line: 1, column: 1, offset: 0 });
  assert.deepEqual(idx.position(2), { line: 1, column: 3, offset: 2 }); // the \n itself
  assert.deepEqual(idx.position(3), { line: 2, column: 1, offset: 3 });
  assert.deepEqual(idx.position(5), { line: 2, column: 3, offset: 5 }); // the \r
  assert.deepEqual(idx.position(7), { line: 3, column: 1, offset: 7 });
  assert.deepEqual(idx.position(8), { line: 4, column: 1, offset: 8 });
  assert.deepEqual(idx.position(9), { line: 4, column: 2, offset: 9 }); // end of text
  assert.equal(idx.lineCount, 4);
});

test('LineIndex clamps out-of-range offsets and counts UTF-16 units', () => {
  const idx = new LineIndex('é😀x');
  assert.deepEqual(idx.position(-5), { line: 1, column: 1, offset: 0 });
  assert.deepEqual(idx.position(99), { line: 1, column: 5, offset: 4 });
  assert.deepEqual(idx.position(3), { line: 1, column: 4, offset: 3 });
  assert.deepEqual(idx.range(3, 1), { start: idx.position(3), end: idx.position(3) });
});

test('LineIndex on empty text', () => {
  const idx = new LineIndex('');
  assert.deepEqual(idx.position(0), { line: 1, column: 1, offset: 0 });
  assert.equal(idx.lineStart(1), 0);
  assert.equal(idx.lineStart(2), 0);
});
