/**
 * rabbitmq-tcp-keepalive-off: the RabbitMQ broker's TCP keepalive turned off, written as puppetlabs-rabbitmq's
 * `rabbitmq::tcp_keepalive: false` (hieradata, TripleO `config_settings` / `ExtraConfig`),
 * `class { 'rabbitmq': tcp_keepalive => false }`, or `tcp_listen_options.keepalive = false` in rabbitmq.conf.
 * The classic Erlang-term `rabbitmq.config` is not a format heartbeat-bot reads.
 *
 * Why: keepalive is the broker's only way to notice that a client's connection died silently (a stateful firewall
 * or NAT dropping it, a host gone) when AMQP heartbeats are off or negotiated away: the problem of LP 856764.
 * TripleO sets `rabbitmq::tcp_keepalive: true` for this reason. The module's own default (false, RabbitMQ's) is a
 * definition, not a choice, and stays silent.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { asBoolean } from '../../src/settings/value.js';
import { suggestReplacement } from '../../src/settings/suggest-on-line.js';

const rule: Rule = {
  meta: {
    id: 'rabbitmq-tcp-keepalive-off',
    description: 'The RabbitMQ broker runs with TCP keepalive turned off',
    severity: 'warning',
    kinds: ['puppet', 'hiera', 'heat', 'heat-env', 'ini'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/856764',
      'https://www.rabbitmq.com/docs/networking#tcp-keepalives',
      'https://www.rabbitmq.com/docs/heartbeats#tcp-keepalives',
    ],
  },
  check(context) {
    for (const setting of context.settings) {
      if (setting.key !== 'rabbitmq.tcp_keepalive' || asBoolean(setting.value) !== false) continue;
      if (setting.via.startsWith('default of ')) continue;
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
  return (
    `TCP keepalive is turned off on the RabbitMQ broker (${setting.via}). The broker then never probes idle client ` +
    `connections: one that a firewall or NAT dropped silently, or whose client host died, stays open until AMQP ` +
    `heartbeats notice, and forever for clients that run without heartbeats (LP 856764). TripleO sets ` +
    `rabbitmq::tcp_keepalive: true for this reason. Turn it on (and tune net.ipv4.tcp_keepalive_time on the broker ` +
    `hosts: the kernel's 2 h default is too slow to matter).`
  );
}

/** `false` (as written: false, False, no, off) replaced by the matching true on the setting's line. */
function suggest(context: RuleContext, setting: Setting): Suggestion | undefined {
  if (setting.value.kind !== 'literal') return undefined;
  return suggestReplacement(context.files, setting, /(?<![\w.])(false|no|off)(?![\w.])/gi, (t) =>
    t === t.toUpperCase() ? 'TRUE' : t[0] === t[0]?.toUpperCase() ? 'True' : 'true',
  );
}
