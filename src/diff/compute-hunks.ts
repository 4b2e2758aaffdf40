/** Hunks of the change from one text to another, as `git diff -U3` would show them. */
import { structuredPatch } from 'diff';
import type { Hunk } from './file-diff.js';

/**
 * Beyond this many edits the diff is not worth computing (Myers is O(N·D)); the caller then treats the whole file
 * as changed. An edit count, not a timeout, so the result never depends on the machine's speed.
 */
const MAX_EDIT_LENGTH = 20_000;

/**
 * Hunks with 3 lines of context, or `undefined` when the texts differ too much to diff cheaply.
 * Line endings are compared as they are: a CRLF -> LF conversion changes every line, as it does for git.
 */
export function computeHunks(oldText: string, newText: string): Hunk[] | undefined {
  if (oldText === newText) return [];
  const patch = structuredPatch('a', 'b', oldText, newText, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  return patch?.hunks;
}
