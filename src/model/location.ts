/**
 * Source locations shared by every parser, setting and finding.
 * Lines and columns are 1-based (columns count UTF-16 code units, as JavaScript strings do);
 * offsets are 0-based indexes into the file text. `end` is exclusive.
 */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}
