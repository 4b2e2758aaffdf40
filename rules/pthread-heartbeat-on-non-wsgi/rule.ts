/**
 * pthread-heartbeat-on-non-wsgi (catalogue R08): `heartbeat_in_pthread = true` reaching a standalone eventlet
 * service (nova-compute, nova-conductor, neutron agents, cinder-volume ...). A setting limited to eventlet WSGI
 * services (nova-api under mod_wsgi) is what the option was made for, and stays silent.
 *
 * Why: the option swaps oslo.messaging's `threading` for the native module process-wide; in a service whose core
 * runs on eventlet this hangs or breaks it (LP 1934937, 1961402; oslo.messaging 14.0.0 turned the default back to
 * False for that reason).
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import type { ServiceInfo } from '../../src/model/knowledge.js';
import { asBoolean } from '../../src/settings/value.js';
import { suggestReplacement } from '../../src/settings/suggest-on-line.js';

const NAMED = 4;

const rule: Rule = {
  meta: {
    id: 'pthread-heartbeat-on-non-wsgi',
    description: 'heartbeat_in_pthread is enabled for standalone eventlet services, which it breaks',
    severity: 'error',
    kinds: ['ini', 'puppet', 'hiera', 'heat', 'heat-env', 'python'],
    references: [
      'https://bugs.launchpad.net/oslo.messaging/+bug/1934937',
      'https://bugs.launchpad.net/oslo.messaging/+bug/1961402',
      'https://docs.openstack.org/releasenotes/oslo.messaging/zed.html',
    ],
  },
  check(context) {
    for (const setting of context.settings) {
      if (setting.key !== 'rabbit.heartbeat_in_pthread' || asBoolean(setting.value) !== true) continue;
      const eventlet = context.knowledge.servicesReached(setting.service).filter((s) => s.runtime === 'eventlet');
      if (eventlet.length === 0) continue;
      const suggestion = suggest(context, setting);
      context.report({
        path: setting.path,
        range: setting.range,
        message: message(setting, eventlet),
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

function message(setting: Setting, eventlet: ServiceInfo[]): string {
  const names = eventlet.slice(0, NAMED).map((s) => s.id);
  const more = eventlet.length > NAMED ? ` and ${eventlet.length - NAMED} more` : '';
  const scope = setting.service === '*' ? 'every oslo.messaging service' : setting.service;
  const reach =
    eventlet.length === 1 && eventlet[0]?.id === setting.service
      ? `${setting.service} is a standalone eventlet service`
      : `this reaches standalone eventlet services (${names.join(', ')}${more})`;
  return (
    `heartbeat_in_pthread is true for ${scope} (${setting.via}), and ${reach}. Running the heartbeat in a native thread swaps oslo.messaging's threading ` +
    `process-wide and hangs or breaks services whose core runs on eventlet (LP 1934937). Set it to false; enable ` +
    `it only for eventlet-patched WSGI APIs such as nova-api under mod_wsgi or uWSGI.`
  );
}

/** `true` (as written: true, True, yes, on) replaced by the matching false on the setting's line. */
function suggest(context: RuleContext, setting: Setting): Suggestion | undefined {
  if (setting.value.kind !== 'literal') return undefined;
  return suggestReplacement(context.files, setting, /(?<![\w.])(true|yes|on)(?![\w.])/gi, (t) =>
    t === t.toUpperCase() ? 'FALSE' : t[0] === t[0]?.toUpperCase() ? 'False' : 'false',
  );
}
