/**
 * Versions and timelines: compares dotted versions (`12.13` < `14.0.0`, numerically per part, missing parts are 0)
 * and evaluates a knowledge Lifecycle (added / deprecated / removed / defaults) at a version, so that rules ask
 * "what is heartbeat_in_pthread on this series" instead of hard-coding version numbers.
 *
 * A series carries a range of oslo.messaging versions (Release.osloMessaging {min, max}); rules evaluate at the
 * series' oldest release (`min`): what every deployment of the series has. Puppet majors are plain numbers.
 */
import type { Knowledge, Lifecycle } from '../model/knowledge.js';
import type { Release } from '../model/release.js';
import type { Scalar } from '../model/setting.js';

/** < 0, 0 or > 0 as `a` is older than, equal to or newer than `b`. Non-numeric parts compare as 0. */
export function compareVersions(a: string | number, b: string | number): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** `v >= min`. */
export function atLeast(v: string | number, min: string | number): boolean {
  return compareVersions(v, min) >= 0;
}

function parts(v: string | number): number[] {
  if (typeof v === 'number') return [v];
  return v
    .trim()
    .replace(/^v/i, '')
    .split('.')
    .map((p) => {
      const n = Number.parseInt(p, 10);
      return Number.isNaN(n) ? 0 : n;
    });
}

/** What an option or parameter is at one version. */
export interface LifecycleState<V extends string | number> {
  /** Known at this version: added (or no `added` recorded) and not removed. */
  exists: boolean;
  /** Deprecated at this version (and not yet removed). */
  deprecated: boolean;
  removed: boolean;
  /** The default in force, when the timeline records one for this version. */
  default?: Scalar;
  /** The timeline's versions, for messages. */
  lifecycle: Lifecycle<V>;
}

export function lifecycleAt<V extends string | number>(lifecycle: Lifecycle<V>, version: V): LifecycleState<V> {
  const reached = (v: V | undefined): boolean => v !== undefined && atLeast(version, v);
  const removed = reached(lifecycle.removed);
  const added = lifecycle.added === undefined || reached(lifecycle.added);
  const state: LifecycleState<V> = {
    exists: added && !removed,
    deprecated: !removed && reached(lifecycle.deprecated),
    removed,
    lifecycle,
  };
  if (state.exists) {
    const current = lifecycle.defaults.filter((d) => atLeast(version, d.since)).at(-1);
    if (current !== undefined) state.default = current.value;
  }
  return state;
}

/** An oslo.messaging option on a series (at its oldest oslo.messaging release); undefined for an unknown option. */
export function osloOptionOn(knowledge: Knowledge, release: Release, option: string): LifecycleState<string> | undefined {
  const lifecycle = knowledge.osloMessagingOption(option);
  return lifecycle === undefined ? undefined : lifecycleAt(lifecycle, release.osloMessaging.min);
}

/** A puppet-openstack parameter (`nova::rabbit_heartbeat_in_pthread`) on a series' puppet major. */
export function puppetParameterOn(knowledge: Knowledge, release: Release, name: string): LifecycleState<number> | undefined {
  const lifecycle = knowledge.puppetParameter(name);
  return lifecycle === undefined ? undefined : lifecycleAt(lifecycle, release.puppetMajor);
}

/** The nova WSGI APIs are eventlet-patched on this series by default (nova 19-32). */
export function novaApiEventletPatched(knowledge: Knowledge, release: Release): boolean {
  const { firstPatched, firstNative } = knowledge.novaEventletWsgi;
  return release.novaMajor >= firstPatched && release.novaMajor < firstNative;
}

/** `wallaby (oslo.messaging 12.7)`, for messages. */
export function describeOsloRelease(release: Release): string {
  const { min, max } = release.osloMessaging;
  return `${release.series} (oslo.messaging ${min === max ? min : `${min}-${max}`})`;
}
