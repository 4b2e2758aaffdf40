/**
 * wsgi-recycling-on-amqp-apis (catalogue R17): a mod_wsgi daemon recycling option (`inactivity-timeout`,
 * `restart-interval`, `maximum-requests`, `request-timeout`) on a daemon whose service holds oslo.messaging (AMQP)
 * connections, written in a WSGIDaemonProcess or in custom_wsgi_process_options (Puppet, hiera, TripleO).
 *
 * Why: each recycle kills the daemon process, its AMQP connections and their heartbeat thread; the next request
 * reconnects. For an eventlet-patched nova API this is often added to "fix" the idle-time heartbeat problem, which
 * it does not cure (the app still pauses between requests; the cure is threads=1, LP 1829062): warning in the
 * nova eventlet window. Elsewhere it is reconnect churn worth knowing about: info. A literal 0 turns the option off.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Release } from '../../src/model/release.js';
import type { ServiceInfo } from '../../src/model/knowledge.js';
import { describeValue, valueBounds } from '../../src/settings/value.js';
import { novaApiEventletPatched } from '../../src/settings/version.js';

/** What each option does to the daemon (mod_wsgi WSGIDaemonProcess docs). */
const RECYCLING: Readonly<Record<string, string>> = {
  'inactivity-timeout': 'restarts the daemon after that many seconds without requests',
  'restart-interval': 'restarts the daemon after that many seconds, whatever it is doing',
  'maximum-requests': 'restarts the daemon after that many requests',
  'request-timeout': 'restarts the daemon when requests run longer than that many seconds',
};

const rule: Rule = {
  meta: {
    id: 'wsgi-recycling-on-amqp-apis',
    description: 'mod_wsgi recycling options restart an API daemon that holds AMQP connections',
    severity: 'warning',
    kinds: ['apache', 'puppet', 'hiera', 'heat', 'heat-env'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html',
      'https://docs.openstack.org/releasenotes/nova/stein.html',
    ],
  },
  check(context) {
    const eventletWindow = novaApiEventletPatched(context.knowledge, context.release);
    for (const setting of context.settings) {
      if (!setting.key.startsWith('wsgi.option.')) continue;
      const option = setting.key.slice('wsgi.option.'.length);
      const effect = RECYCLING[option];
      if (effect === undefined) continue;
      if (valueBounds(setting.value)?.exact === 0) continue;
      const amqp = context.knowledge.servicesReached(setting.service).filter((s) => s.amqp);
      if (amqp.length === 0) continue;
      const patched = eventletWindow && amqp.some((s) => s.runtime === 'eventlet-wsgi');
      context.report({
        path: setting.path,
        range: setting.range,
        severity: patched ? 'warning' : 'info',
        message: message(setting, option, effect, amqp, patched, context.release),
      });
    }
  },
};
export default rule;

function message(setting: Setting, option: string, effect: string, amqp: ServiceInfo[], patched: boolean, release: Release): string {
  const who = amqp.length === 1 ? amqp[0]!.id : setting.service;
  const what =
    `${option}=${describeValue(setting.value)} ${effect} (${setting.via}). Each restart drops ${who}'s ` +
    `oslo.messaging (AMQP) connections and their heartbeat; the next request reconnects.`;
  if (patched) {
    return (
      `${what} In ${release.series} (nova ${release.novaMajor}) ${who} is eventlet-patched: recycling does not cure ` +
      `its missed heartbeats (the app still pauses between requests), it only adds reconnects. What keeps it ` +
      `working is threads=1, scaled with processes (LP 1829062). Remove ${option} unless it is needed for another reason ` +
      `(a memory leak) and say so next to it.`
    );
  }
  return `${what} Make sure the restarts are wanted (a memory leak, a hung request), not a workaround for AMQP heartbeat errors.`;
}
