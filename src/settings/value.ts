/**
 * Helpers rules use to reason about setting values without inventing any: a literal gives an exact number,
 * a known expression gives bounds, anything else gives nothing.
 */
import type { Scalar, Value } from '../model/setting.js';

export interface Bounds {
  min?: number;
  max?: number;
  /** Set when the value is a literal number (or numeric string). */
  exact?: number;
  /** Why the bounds hold, for messages ("os_workers is at least 2"). */
  reason?: string;
}

/** Numeric bounds of a value: exact for numeric literals, the known range of an expression, else undefined. */
export function valueBounds(value: Value): Bounds | undefined {
  if (value.kind === 'literal') {
    const n = toNumber(value.value);
    return n === undefined ? undefined : { min: n, max: n, exact: n };
  }
  if (value.kind === 'expression' && (value.min !== undefined || value.max !== undefined)) {
    const bounds: Bounds = {};
    if (value.min !== undefined) bounds.min = value.min;
    if (value.max !== undefined) bounds.max = value.max;
    if (value.reason !== undefined) bounds.reason = value.reason;
    return bounds;
  }
  return undefined;
}

/** A literal read as a boolean the way oslo.config and Puppet do (`true`, `True`, `yes`, `1`); else undefined. */
export function asBoolean(value: Value): boolean | undefined {
  if (value.kind !== 'literal') return undefined;
  const v = value.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(s)) return true;
  if (['false', 'no', 'off', '0'].includes(s)) return false;
  return undefined;
}

/** How to show a value in a message: the literal, or the expression as written. */
export function describeValue(value: Value): string {
  switch (value.kind) {
    case 'literal':
      return value.value === null ? 'undef' : String(value.value);
    case 'expression':
      return value.text;
    case 'list':
      return `[${value.items.map(describeValue).join(', ')}]`;
    case 'map':
      return `{${Object.entries(value.entries)
        .map(([k, v]) => `${k}: ${describeValue(v)}`)
        .join(', ')}}`;
  }
}

function toNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}
