/**
 * heartbeat-disabled (catalogue R07): `[oslo_messaging_rabbit] heartbeat_timeout_threshold = 0`, however it is
 * written (oslo.config file, Puppet, hieradata, TripleO, or oslo.messaging's own option default in a code change).
 *
 * Why: 0 turns AMQP heartbeats off. A connection that a firewall or NAT silently dropped, or that pointed at a
 * broker that failed over, then goes unnoticed until TCP keepalive gives up (about 150 s with py-amqp's socket
 * settings): the problem of LP 856764, seen as "Timed out waiting for a reply".
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { valueBounds } from '../../src/settings/value.js';
import { suggestReplacement } from '../../src/settings/suggest-on-line.js';

const DEFAULT_THRESHOLD = 60;

const rule: Rule = {
  meta: {
    id: 'heartbeat-disabled',
    description: 'oslo.messaging AMQP heartbeats are turned off (heartbeat_timeout_threshold = 0)',
    severity: 'warning',
    kinds: ['ini', 'puppet', 'hiera', 'heat', 'heat-env', 'python'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/856764',
      'https://docs.openstack.org/oslo.messaging/latest/configuration/opts.html',
    ],
  },
  check(context) {
    for (const setting of context.settings) {
      if (setting.key !== 'rabbit.heartbeat_timeout_threshold') continue;
      if (valueBounds(setting.value)?.exact !== 0) continue;
      const suggestion = suggest(context, setting);
      context.report({
        path: setting.path,
        range: setting.range,
        message: message(setting),
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

function message(setting: Setting): string {
  const who = setting.service === '*' ? 'every oslo.messaging service' : setting.service;
  return (
    `heartbeat_timeout_threshold 0 disables AMQP heartbeats for ${who} (${setting.via}). Connections dropped by a ` +
    `firewall or NAT idle timeout, or left behind by a broker failover, then go unnoticed until TCP keepalive ` +
    `gives up (about 150 s with py-amqp), and RPC calls fail with "Timed out waiting for a reply" (LP 856764). ` +
    `Keep heartbeats on: use ${DEFAULT_THRESHOLD}, the default.`
  );
}

/** The 0 on the setting's line replaced by the default, when it is written there exactly once. */
function suggest(context: RuleContext, setting: Setting): Suggestion | undefined {
  if (setting.value.kind !== 'literal') return undefined;
  return suggestReplacement(context.files, setting, /(?<![\w.])0(?![\w.])/g, () => String(DEFAULT_THRESHOLD));
}
