/**
 * The fake's clock: real time by default, or a frozen/advanced time set by a test. Gerrit writes timestamps as
 * `2026-11-27 03:00:00.000000000` (UTC, nanoseconds) in REST and as epoch seconds in stream events.
 */
export class Clock {
  private fixed: number | undefined;

  now(): number {
    return this.fixed ?? Date.now();
  }

  /** Freezes the clock at `time` (a Date, epoch ms, or anything `Date.parse` reads). */
  set(time: Date | number | string): void {
    this.fixed = typeof time === 'number' ? time : typeof time === 'string' ? parseTimestamp(time) : time.getTime();
  }

  /** Moves the clock forward (freezing it at the real time first when it was running). */
  advance(ms: number): void {
    this.fixed = this.now() + ms;
  }

  /** Back to real time. */
  real(): void {
    this.fixed = undefined;
  }
}

/** Gerrit's REST timestamp format: `yyyy-MM-dd HH:mm:ss.SSSSSSSSS`, UTC. */
export function gerritTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-27T03:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000`;
}

/** Epoch seconds, as stream events carry them (`eventCreatedOn`, `createdOn`). */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * Reads the timestamps Gerrit's query language accepts for `after:`/`before:`: `2026-11-27`, `2026-11-27 03:00`,
 * `2026-11-27 03:00:00[.fraction]` with an optional ` +0100`/`Z` zone (UTC when missing) or an ISO form.
 * Returns NaN when unreadable.
 */
export function parseTimestamp(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const [, date, hm = '00:00', sec = '00', frac = '0', zone] = m;
  const ms = Number(`0.${frac}`) * 1000;
  let zoneText = 'Z';
  if (zone && zone !== 'Z') zoneText = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const base = Date.parse(`${date}T${hm}:${sec}${zoneText}`);
  return Number.isNaN(base) ? base : base + Math.floor(ms);
}
