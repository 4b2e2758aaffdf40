/**
 * The marker line every heartbeat-bot comment on Gerrit ends with, so a later run knows what it said:
 * `heartbeat-bot:<fingerprint>` (fingerprint.ts: a hash of the rule, the path and the text of the offending line,
 * plus an occurrence count). Gerrit renders comments as plain text or a Markdown subset without HTML, so an HTML
 * comment would show literally; a short last line is the least noisy form that survives. A resolving reply ends
 * with `heartbeat-bot:<fingerprint> fixed`.
 */
const FINGERPRINT = '[0-9a-f]{8,64}:\\d+';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function markerLine(botName: string, fingerprint: string, fixed = false): string {
  return `${botName}:${fingerprint}${fixed ? ' fixed' : ''}`;
}

export interface ParsedMarker {
  fingerprint: string;
  fixed: boolean;
}

/** The marker of a comment of ours (the last one when a message quotes another), or undefined. */
export function parseMarker(botName: string, message: string | undefined): ParsedMarker | undefined {
  if (message === undefined) return undefined;
  const re = new RegExp(`^\\s*${escapeRegExp(botName)}:(${FINGERPRINT})( fixed)?\\s*$`, 'gm');
  let found: ParsedMarker | undefined;
  for (const m of message.matchAll(re)) found = { fingerprint: m[1]!, fixed: m[2] !== undefined };
  return found;
}
