/**
 * The hidden marker every heartbeat-bot comment ends with, so a re-run knows what it already said:
 * `<!-- heartbeat-bot:v1 {"rule":"<id>","path":"<path>","fp":"<fingerprint>"} -->`, with `"state":"resolved"`
 * once a later push fixed it. The fingerprint is the rule, the path and the text of the offending line (not its
 * number), so it survives code moving above it (src/formats/fingerprint.ts).
 */

export interface Marker {
  rule: string;
  path: string;
  fp: string;
  state?: 'resolved';
}

const VERSION = 'v1';

/** The identity of a finding across runs. */
export function markerKey(m: Pick<Marker, 'rule' | 'path' | 'fp'>): string {
  return `${m.rule}\0${m.path}\0${m.fp}`;
}

/** `--` cannot appear inside an HTML comment; JSON escapes keep paths with it (or `>`) harmless. */
function safeJson(value: object): string {
  return JSON.stringify(value).replace(/-/g, '\\u002d').replace(/>/g, '\\u003e').replace(/</g, '\\u003c');
}

export function formatMarker(botName: string, marker: Marker): string {
  const body: Marker = { rule: marker.rule, path: marker.path, fp: marker.fp };
  if (marker.state !== undefined) body.state = marker.state;
  return `<!-- ${botName}:${VERSION} ${safeJson(body)} -->`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every well-formed marker of `botName` in a body (a review body lists several). */
export function parseMarkers(botName: string, body: string | null | undefined): Marker[] {
  if (!body) return [];
  const re = new RegExp(`<!-- ${escapeRegExp(botName)}:${VERSION} (\\{.*?\\}) -->`, 'g');
  const out: Marker[] = [];
  for (const match of body.matchAll(re)) {
    try {
      const value = JSON.parse(match[1]!) as Record<string, unknown>;
      if (typeof value.rule !== 'string' || typeof value.path !== 'string' || typeof value.fp !== 'string') continue;
      const marker: Marker = { rule: value.rule, path: value.path, fp: value.fp };
      if (value.state === 'resolved') marker.state = 'resolved';
      out.push(marker);
    } catch {
      // not ours, or mangled by an edit: ignore
    }
  }
  return out;
}

/** A body without its markers (to quote an old comment when resolving it). */
export function stripMarkers(botName: string, body: string): string {
  const re = new RegExp(`\\s*<!-- ${escapeRegExp(botName)}:${VERSION} \\{.*?\\} -->`, 'g');
  return body.replace(re, '').trimEnd();
}
