/**
 * Heat `if` intrinsics: `{if: [condition, value_if_true, value_if_false]}`. Settings found inside one hold only on
 * one branch, and which branch wins depends on a condition evaluated at deploy time. Rules that compare settings
 * with each other (an MPM selection with the other MPM's parameters) skip them rather than guess the branch.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';

const cache = new WeakMap<ParsedFile, ReadonlyArray<readonly [number, number]>>();

/** Offsets [start, end) of every `if` intrinsic of a heat template or environment; none for other files. */
export function heatConditionalRanges(file: ParsedFile): ReadonlyArray<readonly [number, number]> {
  if (file.kind !== 'heat' && file.kind !== 'heat-env') return [];
  let ranges = cache.get(file);
  if (ranges === undefined) {
    const out: Array<readonly [number, number]> = [];
    for (const doc of file.tree.documents) collect(doc.contents as Node | null, out, 0);
    cache.set(file, (ranges = out));
  }
  return ranges;
}

/** True when the setting sits inside a heat `if` branch of its file. */
export function isConditional(setting: Setting, files: readonly ParsedFile[]): boolean {
  const file = files.find((f) => f.path === setting.path);
  if (file === undefined) return false;
  const at = setting.range.start.offset;
  return heatConditionalRanges(file).some(([start, end]) => at >= start && at < end);
}

function collect(node: Node | null | undefined, out: Array<readonly [number, number]>, depth: number): void {
  if (!node || depth > 60) return;
  if (isSeq(node)) {
    for (const item of node.items) collect(item as Node, out, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const value = pair.value as Node | null;
    if (isScalar(pair.key) && pair.key.value === 'if' && isSeq(value) && value.range) {
      out.push([value.range[0], value.range[1]]);
      continue;
    }
    collect(value, out, depth + 1);
  }
}
