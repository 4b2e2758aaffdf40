/**
 * Which branch a change targets, for release resolution. A reviewed head is often a topic branch while the base
 * is the target (`--base origin/stable/wallaby`), so the first of head, base that names a series wins; otherwise
 * head's branch, then base's (`master` resolves to the newest series).
 */
export function chooseBranch(
  branches: { base?: string; head?: string },
  seriesOfBranch: (branch: string) => string | undefined,
): string | undefined {
  const candidates = [branches.head, branches.base].filter((b): b is string => b !== undefined);
  return candidates.find((b) => seriesOfBranch(b) !== undefined) ?? candidates[0];
}
