/**
 * The effective concurrency picture of a change (src/model/summary.ts): one row per service whose WSGI, uWSGI or
 * RabbitMQ heartbeat settings the change touches, saying how it will run in the target release. No peer tool shows
 * this; it is what a reviewer needs to judge a threads or heartbeat change at a glance.
 *
 * Decisions:
 * - Rows are daemons (`nova-api`). A project-level setting (`nova` from nova.conf or `nova::rabbit_*`) reaches
 *   every daemon of the project, so it fills in every row of that project shown; the project gets a row of its
 *   own only when no daemon row takes its settings. A project-level setting scoped to another TripleO role
 *   (`ComputeExtraConfig`) does not fill in a daemon row whose own settings are all scoped to a different role.
 * - A daemon's own setting wins over the project's; a written value wins over an implicit default. When several
 *   settings disagree, the first is shown and `from` names the others.
 * - Unknown stays unknown: an expression without a known range is shown as `? (<expression>)`, a value nothing
 *   sets is left undefined. The two defaults filled in are facts: mod_wsgi's 15 threads (an implicit setting of
 *   the extractor) and oslo.messaging's 60 s heartbeat threshold for services that hold AMQP connections.
 * - Heartbeat mode: `disabled` when the threshold is exactly 0; `pthread` when heartbeat_in_pthread is literally
 *   true (or not written in a release whose oslo.messaging defaults it to true, 12.6-13.x), unless the release's
 *   oslo.messaging no longer has the option (18.0+); `greenthread` when the service is eventlet-patched and the
 *   heartbeat is not in a pthread; unknown otherwise.
 *
 * May not: report findings (this is a picture, not a verdict).
 */
import type { Knowledge, ServiceInfo } from '../model/knowledge.js';
import type { Release } from '../model/release.js';
import type { Setting, Value } from '../model/setting.js';
import type { ConcurrencyRow, Sourced } from '../model/summary.js';

const RELEVANT = /^(?:wsgi|uwsgi|rabbit)\./;
/** nova monkey-patches its WSGI apps with eventlet from 19 (Stein) to 32 (2025.2); native threads from 33. */
const NOVA_EVENTLET_WSGI = { min: 19, max: 32 };
/** oslo.messaging defaulted heartbeat_in_pthread to True in 12.6.0-12.x, and removed the option in 18.0.0. */
const PTHREAD_DEFAULT_TRUE = { from: [12, 6], until: [14, 0] } as const;
const PTHREAD_REMOVED = [18, 0] as const;
const DEFAULT_THRESHOLD = '60';

export function summarize(settings: readonly Setting[], knowledge: Knowledge, release: Release): ConcurrencyRow[] {
  const byService = new Map<string, Setting[]>();
  for (const s of settings) {
    if (!RELEVANT.test(s.key)) continue;
    const list = byService.get(s.service) ?? [];
    list.push(s);
    byService.set(s.service, list);
  }
  const daemons = [...byService.keys()].filter((id) => knowledge.services.has(id));
  const projects = [...byService.keys()].filter((id) => !knowledge.services.has(id));

  const rows: ConcurrencyRow[] = [];
  const takenProjects = new Set<string>();
  for (const id of daemons) {
    const info = knowledge.services.get(id) as ServiceInfo;
    const own = byService.get(id) ?? [];
    const ownScopes = new Set(own.map((s) => s.scope));
    const inherited: Setting[] = [];
    for (const project of projects) {
      if (!knowledge.servicesReached(project).some((s) => s.id === id)) continue;
      takenProjects.add(project);
      inherited.push(...(byService.get(project) ?? []).filter((s) => sameRole(s, ownScopes)));
    }
    rows.push(daemonRow(info, own, inherited, release));
  }
  for (const project of projects) {
    if (!takenProjects.has(project)) rows.push(projectRow(project, byService.get(project) ?? [], release));
  }
  return rows.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/** A project setting fits a daemon row unless both are scoped to TripleO roles and the roles differ. */
function sameRole(setting: Setting, ownScopes: ReadonlySet<string | undefined>): boolean {
  if (setting.scope === undefined || ownScopes.has(undefined) || ownScopes.size === 0) return true;
  return ownScopes.has(setting.scope);
}

function daemonRow(info: ServiceInfo, own: readonly Setting[], inherited: readonly Setting[], release: Release): ConcurrencyRow {
  const pick = (key: string) => pickSetting(key, own, inherited);
  const row: ConcurrencyRow = { service: info.id };
  const server = serverOf(info, own);
  if (server !== undefined) row.server = server;
  const processes = sourcedValue(pick('wsgi.processes'));
  if (processes !== undefined) row.processes = processes;
  const threads = sourcedValue(pick('wsgi.threads'));
  if (threads !== undefined) row.threads = threads;
  const patched = eventletPatched(info, release);
  row.eventletPatched = patched.value;
  const thresholdSetting = pick('rabbit.heartbeat_timeout_threshold');
  const threshold = thresholdOf(thresholdSetting, info.amqp);
  if (threshold !== undefined) row.heartbeatThreshold = threshold;
  const heartbeat = heartbeatOf(thresholdSetting, pick('rabbit.heartbeat_in_pthread'), patched, release);
  if (heartbeat !== undefined) row.heartbeat = heartbeat;
  return row;
}

/** A project (or unknown service) nobody's daemon row took: what its settings say, with no runtime to go on. */
function projectRow(project: string, settings: readonly Setting[], release: Release): ConcurrencyRow {
  const pick = (key: string) => pickSetting(key, settings, []);
  const row: ConcurrencyRow = { service: project };
  const processes = sourcedValue(pick('wsgi.processes'));
  if (processes !== undefined) row.processes = processes;
  const threads = sourcedValue(pick('wsgi.threads'));
  if (threads !== undefined) row.threads = threads;
  const thresholdSetting = pick('rabbit.heartbeat_timeout_threshold');
  const threshold = thresholdOf(thresholdSetting, true);
  if (threshold !== undefined) row.heartbeatThreshold = threshold;
  const heartbeat = heartbeatOf(thresholdSetting, pick('rabbit.heartbeat_in_pthread'), { value: undefined }, release);
  if (heartbeat !== undefined) row.heartbeat = heartbeat;
  return row;
}

interface Picked {
  setting: Setting;
  /** Other settings of the same key with a different value, for `from`. */
  others: Setting[];
}

/** The setting of `key` to show: own before inherited, written before implicit, first before later. */
function pickSetting(key: string, own: readonly Setting[], inherited: readonly Setting[]): Picked | undefined {
  const candidates = [...own, ...inherited].filter((s) => s.key === key);
  const ranked = [...candidates.filter((s) => s.implicit === undefined), ...candidates.filter((s) => s.implicit !== undefined)];
  const setting = ranked[0];
  if (setting === undefined) return undefined;
  const shown = valueText(setting.value);
  const others = ranked.slice(1).filter((s) => s.implicit === undefined && valueText(s.value) !== shown);
  return { setting, others };
}

function sourcedValue(picked: Picked | undefined): Sourced<string> | undefined {
  if (picked === undefined) return undefined;
  return { value: valueText(picked.setting.value), from: fromOf(picked) };
}

/** Where a value came from: `<via> at <path>:<line>`, or the implicit default's explanation at that place. */
function fromOf(picked: Picked): string {
  const s = picked.setting;
  const base = `${s.implicit ?? s.via} at ${s.path}:${s.range.start.line}`;
  if (picked.others.length === 0) return base;
  const also = picked.others.map((o) => `${valueText(o.value)} at ${o.path}:${o.range.start.line}`).join(', ');
  return `${base} (also ${also})`;
}

/** A value as a reviewer reads it: literals as written, ranges of expressions, `?` for the unknown. */
export function valueText(value: Value): string {
  switch (value.kind) {
    case 'literal':
      return String(value.value);
    case 'expression': {
      const { min, max, text } = value;
      if (min !== undefined && max !== undefined) return min === max ? `${min} (${text})` : `${min}..${max} (${text})`;
      if (min !== undefined) return `>= ${min} (${text})`;
      if (max !== undefined) return `<= ${max} (${text})`;
      return `? (${text})`;
    }
    default:
      return '?';
  }
}

function serverOf(info: ServiceInfo, own: readonly Setting[]): ConcurrencyRow['server'] {
  const withServer = own.find((s) => s.key === 'wsgi.threads' && s.server !== undefined) ?? own.find((s) => s.server !== undefined);
  if (withServer?.server !== undefined) {
    return { value: withServer.server, from: `${withServer.via} at ${withServer.path}:${withServer.range.start.line}` };
  }
  if (info.runtime === 'eventlet') return { value: 'eventlet', from: `${info.id} is a standalone eventlet service` };
  return undefined;
}

function eventletPatched(info: ServiceInfo, release: Release): { value: boolean; why?: string } {
  if (info.runtime === 'eventlet') return { value: true, why: `${info.id} runs on eventlet` };
  if (info.runtime === 'eventlet-wsgi') {
    const inWindow = release.novaMajor >= NOVA_EVENTLET_WSGI.min && release.novaMajor <= NOVA_EVENTLET_WSGI.max;
    return inWindow
      ? { value: true, why: `nova ${release.novaMajor} (${release.series}) monkey-patches ${info.id} with eventlet` }
      : { value: false };
  }
  return { value: false };
}

function thresholdOf(picked: Picked | undefined, amqp: boolean): Sourced<string> | undefined {
  if (picked !== undefined) return sourcedValue(picked);
  return amqp ? { value: DEFAULT_THRESHOLD, from: 'oslo.messaging default' } : undefined;
}

function heartbeatOf(
  threshold: Picked | undefined,
  pthread: Picked | undefined,
  patched: { value: boolean | undefined; why?: string },
  release: Release,
): ConcurrencyRow['heartbeat'] {
  if (threshold !== undefined && isZero(threshold.setting.value)) return { value: 'disabled', from: fromOf(threshold) };
  const oslo = version(release.osloMessaging.min);
  if (pthread !== undefined) {
    const on = isTrue(pthread.setting.value);
    if (on && atLeast(oslo, PTHREAD_REMOVED)) {
      // The option is gone: oslo.config ignores it, and the heartbeat runs as it would without it.
      if (patched.value === true) {
        return { value: 'greenthread', from: `heartbeat_in_pthread is removed in oslo.messaging ${release.osloMessaging.min} (${release.series}); ${patched.why ?? ''}` };
      }
      return undefined;
    }
    if (on) return { value: 'pthread', from: fromOf(pthread) };
    if (isFalse(pthread.setting.value) && patched.value === true) {
      return { value: 'greenthread', from: `${fromOf(pthread)}; ${patched.why ?? ''}` };
    }
    if (!isFalse(pthread.setting.value)) return undefined;
  } else if (atLeast(oslo, PTHREAD_DEFAULT_TRUE.from) && !atLeast(oslo, PTHREAD_DEFAULT_TRUE.until)) {
    return { value: 'pthread', from: `oslo.messaging ${release.osloMessaging.min} (${release.series}) default: heartbeat_in_pthread = True` };
  }
  if (patched.value === true) return { value: 'greenthread', from: patched.why ?? 'eventlet' };
  return undefined;
}

/** Exactly 0, as written: an expression that might be 0 is not "disabled". */
function isZero(value: Value): boolean {
  if (value.kind !== 'literal') return false;
  return value.value === 0 || (typeof value.value === 'string' && /^\s*0+\s*$/.test(value.value));
}

/** oslo.config booleans: true/false, yes/no, on/off, 1/0, any case. */
function isTrue(value: Value): boolean {
  if (value.kind !== 'literal') return false;
  return value.value === true || (typeof value.value === 'string' && /^(?:true|yes|on|1)$/i.test(value.value.trim())) || value.value === 1;
}

function isFalse(value: Value): boolean {
  if (value.kind !== 'literal') return false;
  return value.value === false || (typeof value.value === 'string' && /^(?:false|no|off|0)$/i.test(value.value.trim())) || value.value === 0;
}

function version(text: string): [number, number] {
  const [major = 0, minor = 0] = text.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [major, minor];
}

function atLeast(v: readonly [number, number], floor: readonly [number, number]): boolean {
  return v[0] > floor[0] || (v[0] === floor[0] && v[1] >= floor[1]);
}
