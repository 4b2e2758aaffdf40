/**
 * custom-options-override-threads (catalogue R02): a `custom_wsgi_process_options` key that replaces an option
 * openstacklib::wsgi::apache builds from a class parameter (`threads`, `processes` <- `workers`, `user`, `group`,
 * `display-name`) on a nova WSGI vhost (nova::wsgi::apache_*, openstacklib::wsgi::apache for a nova daemon).
 *
 * Why: openstacklib writes WSGIDaemonProcess with `stdlib::merge({user, group, processes => $workers, threads,
 * display-name}, $custom_wsgi_process_options)`, so the custom key wins and the class parameter a reviewer reads
 * (`threads => 1`, `workers => 8`) is silently ignored.
 *
 * Division of labour with nova-wsgi-threads-not-1: that rule is the error about a *value* (threads > 1 on an
 * eventlet-patched nova API, wherever written, its message naming the custom option). This rule is the warning
 * about the *override*: it stays silent where nova-wsgi-threads-not-1 already reports the same line, and
 * `threads: 1` (a pin equal to the safe value) is not reported.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Release } from '../../src/model/release.js';
import type { Knowledge } from '../../src/model/knowledge.js';
import { describeValue, valueBounds } from '../../src/settings/value.js';
import { daemonOptionName, fromCustomOptions, OPENSTACKLIB_OPTIONS } from '../../src/settings/custom-wsgi-options.js';

const FIRST_PATCHED_NOVA = 19; // nova-wsgi-threads-not-1 reports threads > 1 from Stein on

const rule: Rule = {
  meta: {
    id: 'custom-options-override-threads',
    description: 'custom_wsgi_process_options silently overrides threads, workers, user, group or display-name of a nova WSGI vhost',
    severity: 'warning',
    kinds: ['puppet', 'hiera', 'heat', 'heat-env'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://opendev.org/openstack/puppet-openstacklib/src/branch/master/manifests/wsgi/apache.pp',
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html',
    ],
  },
  check(context) {
    for (const setting of context.settings) {
      const option = daemonOptionName(setting.key);
      if (option === undefined) continue;
      const param = OPENSTACKLIB_OPTIONS[option];
      if (param === undefined) continue;
      const services = context.knowledge.servicesReached(setting.service);
      if (!services.some((s) => s.project === 'nova')) continue;
      if (!fromCustomOptions(setting, context.settings)) continue;
      const bounds = valueBounds(setting.value);
      if (option === 'threads' && bounds?.exact === 1) continue;
      if (option === 'threads' && reportedAsThreads(setting, bounds?.min, context.release, context.knowledge)) continue;
      context.report({ path: setting.path, range: setting.range, message: message(setting, option, param) });
    }
  },
};
export default rule;

/** nova-wsgi-threads-not-1 reports this line already: threads known > 1 on an eventlet-patched nova API. */
function reportedAsThreads(setting: Setting, min: number | undefined, release: Release, knowledge: Knowledge): boolean {
  if (release.novaMajor < FIRST_PATCHED_NOVA || min === undefined || min <= 1) return false;
  return knowledge.servicesReached(setting.service).some((s) => s.runtime === 'eventlet-wsgi');
}

function message(setting: Setting, option: string, param: string): string {
  const value = describeValue(setting.value);
  const why =
    `openstacklib::wsgi::apache merges custom_wsgi_process_options after the options it builds from the class ` +
    `parameters (stdlib::merge), so this key wins and \`${param}\` is silently ignored for ${setting.service}.`;
  const what = `custom_wsgi_process_options sets ${option}=${value} (${setting.via}). ${why}`;
  if (option === 'threads') {
    return `${what} nova's WSGI APIs are only supported with threads=1 (LP 1829062). Drop the key and keep the \`threads\` parameter at 1.`;
  }
  if (option === 'processes') {
    return `${what} Drop the key and set \`workers\` (TripleO: NovaWorkers) instead, so the process count is where reviewers and tools look for it.`;
  }
  return `${what} Drop the key and set the \`${param}\` parameter instead.`;
}
