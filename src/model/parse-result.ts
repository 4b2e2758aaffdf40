/** What every parser returns: a tree and the errors met on the way. Parsers never throw. */
import type { Range } from './location.js';

export interface ParseError {
  message: string;
  range: Range;
}

export interface ParseResult<T> {
  tree: T;
  errors: ParseError[];
}
