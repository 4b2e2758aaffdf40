/**
 * uwsgi-threads-not-enabled (catalogue R05): a uWSGI ini for an OpenStack API that holds AMQP connections sets
 * neither `enable-threads = true` nor `threads >= 2`, while oslo.messaging's heartbeat in that app is a native
 * thread. That is the case when the app is not eventlet-patched (keystone, neutron-api, cinder-api; nova-api from
 * nova 33, or with OS_NOVA_DISABLE_EVENTLET_PATCHING=1/true/yes in the same ini), or when it is patched but
 * heartbeat_in_pthread is true: set for the service in the same change, else the oslo.messaging default of the
 * target series (True in 12.6-13.x: wallaby to yoga).
 *
 * Why: uWSGI's Python plugin does not initialise Python threads unless enable-threads or threads is given ("your
 * app-generated threads will not run", ThingsToKnow); the heartbeat then cannot be relied on while the worker
 * waits for requests, RabbitMQ drops the idle connection, and RPC fails with MessagingTimeout. The evidence lab
 * measured it for a nova-api-shaped app with heartbeat_in_pthread (lab/RESULTS.md): heartbeats missed while idle,
 * then either a reconnect on the next request or, when the native reconnect stalled, every call after idle timed
 * out; with enable-threads no heartbeat was missed.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { ServiceInfo } from '../../src/model/knowledge.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { asBoolean, valueBounds } from '../../src/settings/value.js';
import { flagState, uwsgiOf, type UwsgiIni } from '../../src/settings/uwsgi-ini.js';
import { suggestFlagOn, suggestLineAfter } from '../../src/settings/uwsgi-workers.js';
import { describeOsloRelease, novaApiEventletPatched, osloOptionOn } from '../../src/settings/version.js';

const DISABLE_PATCHING = 'env.OS_NOVA_DISABLE_EVENTLET_PATCHING';

const rule: Rule = {
  meta: {
    id: 'uwsgi-threads-not-enabled',
    description: 'uWSGI runs an OpenStack API whose AMQP heartbeat is a native thread without enable-threads',
    severity: 'warning',
    kinds: ['uwsgi'],
    // heartbeat_in_pthread set for the service elsewhere in the change.
    alsoReads: ['ini', 'hiera', 'heat', 'heat-env', 'puppet'],
    references: [
      'https://uwsgi-docs.readthedocs.io/en/latest/ThingsToKnow.html',
      'https://opendev.org/openstack/devstack/src/branch/master/lib/apache',
      'https://docs.openstack.org/releasenotes/oslo.messaging/wallaby.html',
    ],
  },
  check(context) {
    for (const file of context.files) {
      const ini = uwsgiOf(file, context.knowledge);
      if (!ini) continue;
      const state = flagState(ini, ['enable-threads']);
      if (state === 'on' || state === 'unknown') continue;
      const threads = context.settings.filter((s) => s.path === file.path && s.key === 'wsgi.threads' && s.server === 'uwsgi').at(-1);
      const threadBounds = threads ? valueBounds(threads.value) : undefined;
      if (threads && (threadBounds?.min === undefined || threadBounds.min >= 2)) continue; // threads >= 2, or unknown
      const because = context.knowledge
        .servicesReached(ini.service)
        .filter((s) => s.amqp)
        .map((s) => nativeHeartbeat(s, ini, file.path, context))
        .find((r) => r !== undefined);
      if (because === undefined) continue;
      const enable = ini.options.get('enable-threads');
      const where = state === 'off' && enable ? enable.valueRange : threads?.range ?? ini.header;
      const suggestion = suggest(context, file.path, ini, state, threads);
      context.report({
        path: file.path,
        range: where,
        message:
          `${ini.service}'s uWSGI ini ${state === 'off' ? 'sets enable-threads = false' : 'sets neither enable-threads = true'}` +
          `${state === 'off' ? ' and no' : ' nor'} threads >= 2, but ${because}. uWSGI's Python plugin does not set up ` +
          `Python threads without one of them ("your app-generated threads will not run"), so the heartbeat cannot ` +
          `be relied on while the worker waits for requests: RabbitMQ drops the idle connection and RPC calls fail ` +
          `with MessagingTimeout (measured by the evidence lab: every call after idle timed out in one of two runs, ` +
          `the other reconnected). Add enable-threads = true (and keep threads = 1 for nova), as devstack does.`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

/** Why the service's oslo.messaging heartbeat is a native thread here, or undefined when it is not (or unknown). */
function nativeHeartbeat(service: ServiceInfo, ini: UwsgiIni, path: string, context: RuleContext): string | undefined {
  const { knowledge, release } = context;
  if (service.runtime === 'wsgi' || service.runtime === 'native') {
    return `${service.id} is not eventlet-patched, so oslo.messaging's heartbeat runs in a native thread`;
  }
  if (service.runtime !== 'eventlet-wsgi') return undefined;
  const env = context.settings.filter((s) => s.path === path && s.key === DISABLE_PATCHING).at(-1);
  const written = env?.value.kind === 'literal' ? String(env.value.value).toLowerCase() : undefined;
  if (env && written === undefined) return undefined; // templated: unknown
  const target = `${release.series} (nova ${release.novaMajor})`;
  if (written !== undefined && ['1', 'true', 'yes'].includes(written)) {
    return `OS_NOVA_DISABLE_EVENTLET_PATCHING=${written} in this file runs ${service.id} in native threads, heartbeat included`;
  }
  const patched = written !== undefined && written !== '' ? true : novaApiEventletPatched(knowledge, release);
  if (!patched) return `${target} runs ${service.id} in native threads by default, heartbeat included`;
  const explicit = context.settings
    .filter((s) => s.key === 'rabbit.heartbeat_in_pthread' && knowledge.servicesReached(s.service).some((r) => r.id === service.id))
    .at(-1);
  if (explicit) {
    return asBoolean(explicit.value) === true
      ? `heartbeat_in_pthread is true for ${service.id} (${explicit.via}, ${explicit.path}): the heartbeat is a native thread`
      : undefined;
  }
  const option = osloOptionOn(knowledge, release, 'heartbeat_in_pthread');
  return option?.default === true
    ? `oslo.messaging in ${describeOsloRelease(release)} defaults heartbeat_in_pthread to True, so ${service.id}'s heartbeat is a native thread`
    : undefined;
}

/** `false` -> `true`, else `enable-threads = true` after the threads line or the `[uwsgi]` header. */
function suggest(context: RuleContext, path: string, ini: UwsgiIni, state: 'off' | 'absent', threads: Setting | undefined): Suggestion | undefined {
  const enable = ini.options.get('enable-threads');
  if (state === 'off' && enable) return suggestFlagOn(context.files, path, enable);
  if (threads) return suggestLineAfter(context.files, threads, 'enable-threads = true');
  const text = context.files.find((f) => f.path === path)?.text;
  const line = text?.split('\n')[ini.header.start.line - 1]?.replace(/\r$/, '');
  return line === undefined ? undefined : { line: ini.header.start.line, endLine: ini.header.start.line, replacement: `${line}\nenable-threads = true` };
}
