/**
 * Stable fingerprints of findings for SARIF `partialFingerprints`: a hash of the rule, the path and the trimmed
 * text of the offending line, not its number, so a finding keeps its identity when code above it moves. Equal
 * findings in one file are told apart by an occurrence count, as GitHub does for its own line hashes.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.js';
import type { LineText } from './source-lines.js';

/** The key under `partialFingerprints`; bump the version if the recipe ever changes. */
export const FINGERPRINT_KEY = 'heartbeatBotLineHash/v1';

/** Fingerprints of `findings`, in the same order. Without the line's text, the message stands in for it. */
export function fingerprints(findings: readonly Finding[], lineText: LineText): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = lineText(f.path, f.line)?.trim() ?? f.message;
    const hash = createHash('sha256').update(`${f.ruleId}\0${f.path}\0${text}`).digest('hex').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}
