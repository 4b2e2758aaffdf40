/**
 * mpm-threads-sizing (catalogue R16, threaded part): Apache event/worker sizing that httpd silently corrects at
 * start-up, in httpd configuration or in puppetlabs-apache's `apache::mod::event|worker` parameters.
 *
 * Why: httpd does not refuse inconsistent sizing; it logs a warning and runs with other numbers (ThreadsPerChild
 * capped at ThreadLimit, MaxRequestWorkers rounded down to a multiple of ThreadsPerChild and capped at
 * ServerLimit x ThreadsPerChild, MaxSpareThreads raised to MinSpareThreads + ThreadsPerChild). Capacity planned
 * around the written numbers is then wrong. The MPM sizes the web server, not mod_wsgi daemons: tuning it does not
 * fix nova's threads (see nova-wsgi-threads-not-1).
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import { valueBounds } from '../../src/settings/value.js';
import { effectiveSizing, type MpmGroup } from './sizing.js';

const PREFIX = 'apache.mpm.';
/** Directives that only a threaded MPM has: at top level (`httpd:any`) they say the MPM is threaded. */
const THREADED_ONLY = ['threadsperchild', 'threadlimit', 'minsparethreads', 'maxsparethreads'];

const rule: Rule = {
  meta: {
    id: 'mpm-threads-sizing',
    description: 'Apache event/worker MPM sizing that httpd silently corrects at start-up',
    severity: 'warning',
    kinds: ['apache', 'hiera', 'puppet', 'heat', 'heat-env'],
    references: [
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html',
      'https://httpd.apache.org/docs/2.4/mod/event.html',
      'https://httpd.apache.org/docs/2.4/mod/worker.html',
    ],
  },
  check(context) {
    for (const group of groupSettings(context.settings).values()) {
      for (const correction of effectiveSizing(group)) {
        context.report({ path: correction.setting.path, range: correction.setting.range, message: correction.message });
      }
    }
  },
};
export default rule;

/** apache.mpm.* settings by file and scope, for threaded MPMs only; later directives win, as in httpd. */
function groupSettings(settings: readonly Setting[]): Map<string, MpmGroup> {
  const groups = new Map<string, MpmGroup>();
  for (const s of settings) {
    if (!s.key.startsWith(PREFIX) || s.scope === undefined) continue;
    const [source, mpm] = s.scope.split(':');
    if ((source !== 'httpd' && source !== 'puppetlabs-apache') || mpm === undefined) continue;
    if (!['event', 'worker', 'any'].includes(mpm) || (source === 'puppetlabs-apache' && mpm === 'any')) continue;
    const id = `${s.path}\0${s.scope}`;
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { source, mpm: mpm as MpmGroup['mpm'], values: new Map() }));
    let directive = s.key.slice(PREFIX.length).toLowerCase();
    if (directive === 'maxclients') directive = 'maxrequestworkers'; // its name before httpd 2.3.13
    group.values.set(directive, { setting: s, exact: valueBounds(s.value)?.exact });
  }
  for (const [id, group] of groups) {
    if (group.mpm === 'any' && !THREADED_ONLY.some((d) => group.values.has(d))) groups.delete(id);
  }
  return groups;
}
