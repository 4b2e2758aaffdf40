/**
 * heartbeat-rate-pins (catalogue R24): AMQP heartbeat pins that work against the heartbeat:
 * - `heartbeat_rate` 1 or 2 where oslo.messaging's default is 3 (14.5.0 and later, 2024.1+): 3 is the rate that
 *   sends heartbeat frames on time; a pin to the old value brings back the late frames the change fixed;
 * - `heartbeat_timeout_threshold` between 1 and 14 s: a GIL- or eventlet-bound process easily stalls that long,
 *   and the broker (or the client) then drops a healthy connection.
 * Info only. 0 (heartbeat off) is heartbeat-disabled's. Defaults come from rules/knowledge/releases.yaml.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { valueBounds } from '../../src/settings/value.js';
import { suggestReplacement } from '../../src/settings/suggest-on-line.js';
import { osloOptionOn } from '../../src/settings/version.js';

/** Below this many seconds a threshold is "very low" (a quarter of the 60 s default). */
const LOW_THRESHOLD = 15;

const rule: Rule = {
  meta: {
    id: 'heartbeat-rate-pins',
    description: 'heartbeat_rate pinned below the default of 3, or a very low heartbeat_timeout_threshold',
    severity: 'info',
    kinds: ['ini', 'puppet', 'hiera', 'heat', 'heat-env'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/856764',
      'https://docs.openstack.org/releasenotes/oslo.messaging/2024.1.html',
      'https://www.rabbitmq.com/docs/heartbeats',
    ],
  },
  check(context) {
    const rate = osloOptionOn(context.knowledge, context.release, 'heartbeat_rate');
    // Only once the default has moved (3 since 14.5.0): a lower value then pins the old behaviour.
    const latest = rate?.lifecycle.defaults.at(-1);
    const moved = (rate?.lifecycle.defaults.length ?? 0) > 1 && latest !== undefined && rate?.default === latest.value;
    const rateDefault = moved && typeof latest?.value === 'number' ? latest.value : undefined;
    const rateSince = latest?.since;
    for (const setting of context.settings) {
      const n = valueBounds(setting.value)?.exact;
      if (n === undefined || setting.value.kind !== 'literal') continue;
      if (setting.key === 'rabbit.heartbeat_rate' && rateDefault !== undefined && n >= 1 && n < rateDefault) {
        report(context, setting, String(rateDefault), rateMessage(setting, n, rateDefault, rateSince, context));
      }
      if (setting.key === 'rabbit.heartbeat_timeout_threshold' && n >= 1 && n < LOW_THRESHOLD) {
        report(context, setting, '60', thresholdMessage(setting, n));
      }
    }
  },
};
export default rule;

function report(context: RuleContext, setting: Setting, to: string, message: string): void {
  const n = valueBounds(setting.value)?.exact;
  const suggestion: Suggestion | undefined =
    n === undefined ? undefined : suggestReplacement(context.files, setting, new RegExp(`(?<![\\w.])${n}(?![\\w.])`, 'g'), () => to);
  context.report({ path: setting.path, range: setting.range, message, ...(suggestion !== undefined ? { suggestion } : {}) });
}

function rateMessage(setting: Setting, n: number, def: number, since: string | undefined, context: RuleContext): string {
  const { series, osloMessaging } = context.release;
  return (
    `heartbeat_rate is pinned to ${n} (${setting.via}), below oslo.messaging's default of ${def} ` +
    `(since ${since ?? 'this series'}; ${series} ships oslo.messaging ${osloMessaging.min}). With ${def} the heartbeat ` +
    `thread wakes often enough to send frames within the threshold; a lower rate brings back late frames and ` +
    `spurious "Too many heartbeats missed" reconnects. Remove the pin or set ${def}.`
  );
}

function thresholdMessage(setting: Setting, n: number): string {
  return (
    `heartbeat_timeout_threshold is ${n} s (${setting.via}). Very low thresholds risk false disconnects: an ` +
    `eventlet-patched or GIL-bound process that stalls for a few seconds (a long request, garbage collection, a ` +
    `blocking call) misses its heartbeats and the broker drops a healthy connection. Keep 60 (the default) or at ` +
    `least ${LOW_THRESHOLD}.`
  );
}
