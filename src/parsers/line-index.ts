/**
 * LineIndex: turns 0-based offsets into the 1-based line/column `Position`s of src/model/location.ts.
 *
 * Every parser needs the same conversion, and doing it per node by rescanning the text would be quadratic, so the
 * line starts are computed once (one pass) and each lookup is a binary search. Only `\n` ends a line, as in the
 * `yaml` package's LineCounter and tree-sitter, so a `\r\n` file gets the same lines from every parser (the `\r`
 * is the last column of its line).
 */
import type { Position, Range } from '../model/location.js';

export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] is 0. */
  private readonly lineStarts: number[];
  readonly length: number;

  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
    this.length = text.length;
  }

  /** Position of `offset`, clamped to [0, text length]. */
  position(offset: number): Position {
    const off = offset < 0 ? 0 : offset > this.length ? this.length : offset;
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - (starts[lo] as number) + 1, offset: off };
  }

  /** Range from `start` (inclusive) to `end` (exclusive). */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end < start ? start : end) };
  }

  /** Offset of the first character of 1-based `line` (the text length past the last line). */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.length;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
