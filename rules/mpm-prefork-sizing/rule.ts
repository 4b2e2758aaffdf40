/**
 * mpm-prefork-sizing (catalogue R16, prefork part): Apache prefork sizing that httpd silently corrects at start-up,
 * in httpd configuration or in puppetlabs-apache's `apache::mod::prefork` parameters.
 *
 * Why: prefork caps MaxRequestWorkers (MaxClients before 2.3.13) at ServerLimit (default 256), and raises a
 * MaxSpareServers that is not above MinSpareServers to MinSpareServers + 1 (prefork.c, prefork.xml). httpd only
 * logs it; the server then runs with other numbers than the ones written. Kept apart from mpm-threads-sizing,
 * whose arithmetic is about threads per child.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import { valueBounds } from '../../src/settings/value.js';

const PREFIX = 'apache.mpm.';
const THREADED_ONLY = ['threadsperchild', 'threadlimit', 'minsparethreads', 'maxsparethreads', 'asyncrequestworkerfactor'];
/** httpd prefork defaults (prefork.xml, mpm_common.xml). */
const HTTPD = { serverlimit: 256, maxrequestworkers: 256, minspareservers: 5, maxspareservers: 10 };
/** puppetlabs-apache `apache::mod::prefork` defaults; its template writes MaxClients when maxrequestworkers is unset. */
const PUPPET = { serverlimit: 256, maxclients: 256, minspareservers: 5, maxspareservers: 20 };

interface Group {
  source: 'httpd' | 'puppetlabs-apache';
  values: Map<string, Setting>;
}

const rule: Rule = {
  meta: {
    id: 'mpm-prefork-sizing',
    description: 'Apache prefork MPM sizing that httpd silently corrects at start-up',
    severity: 'warning',
    kinds: ['apache', 'hiera', 'puppet', 'heat', 'heat-env'],
    references: [
      'https://httpd.apache.org/docs/2.4/mod/prefork.html',
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html#serverlimit',
    ],
  },
  check(context) {
    for (const group of groups(context.settings)) {
      const httpd = group.source === 'httpd';
      /** The number in force: the written literal, else the default; undefined when written but not a literal. */
      const get = (d: string, fallback: number | undefined): number | undefined => {
        const s = group.values.get(d);
        return s === undefined ? fallback : valueBounds(s.value)?.exact;
      };
      const label = (d: string, directive: string): string => {
        const shown = httpd ? directive : `apache::mod::prefork::${d}`;
        return group.values.has(d) ? shown : `${shown} (default)`;
      };
      const serverLimit = get('serverlimit', httpd ? HTTPD.serverlimit : PUPPET.serverlimit);
      // puppetlabs-apache: maxrequestworkers when set (not undef), else maxclients.
      const mrw = group.values.get('maxrequestworkers');
      const workersKey = mrw !== undefined && !isUndef(mrw) ? 'maxrequestworkers' : httpd ? 'maxrequestworkers' : 'maxclients';
      const workers = get(workersKey, httpd ? HTTPD.maxrequestworkers : PUPPET.maxclients);
      const at = group.values.get(workersKey) ?? group.values.get('serverlimit');
      if (workers !== undefined && serverLimit !== undefined && workers > serverLimit && at) {
        const w = label(workersKey, 'MaxRequestWorkers');
        const s = label('serverlimit', 'ServerLimit');
        context.report({
          path: at.path,
          range: at.range,
          message:
            `${w} ${workers} exceeds ${s} ${serverLimit}: prefork runs one request per process and at most ServerLimit ` +
            `processes, so httpd lowers MaxRequestWorkers to ${serverLimit} at start-up and serves at most ` +
            `${serverLimit} requests at once, not ${workers}. Raise ServerLimit to ${workers}, or set MaxRequestWorkers ` +
            `to ${serverLimit}.`,
        });
      }
      const minSpare = get('minspareservers', httpd ? HTTPD.minspareservers : PUPPET.minspareservers);
      const maxSpare = get('maxspareservers', httpd ? HTTPD.maxspareservers : PUPPET.maxspareservers);
      const spareAt = group.values.get('maxspareservers') ?? group.values.get('minspareservers');
      if (minSpare !== undefined && maxSpare !== undefined && maxSpare <= minSpare && spareAt) {
        const max = label('maxspareservers', 'MaxSpareServers');
        const min = label('minspareservers', 'MinSpareServers');
        context.report({
          path: spareAt.path,
          range: spareAt.range,
          message:
            `${max} ${maxSpare} is not above ${min} ${minSpare}: httpd sets MaxSpareServers to ${minSpare + 1} ` +
            `(MinSpareServers + 1), so idle processes are killed down to ${minSpare + 1}, not ${maxSpare}. Set ` +
            `MaxSpareServers above MinSpareServers on purpose.`,
        });
      }
    }
  },
};
export default rule;

function isUndef(s: Setting): boolean {
  return s.value.kind === 'literal' && s.value.value === null;
}

/**
 * apache.mpm.* settings of prefork by file and source; later directives win, as in httpd. Top-level httpd
 * directives count when the file has a prefork-only directive and no threaded one.
 */
function groups(settings: readonly Setting[]): Group[] {
  const byId = new Map<string, Group>();
  for (const s of settings) {
    if (!s.key.startsWith(PREFIX)) continue;
    const source = s.scope === 'puppetlabs-apache:prefork' ? 'puppetlabs-apache' : s.scope === 'httpd:prefork' || s.scope === 'httpd:any' ? 'httpd' : undefined;
    if (source === undefined) continue;
    const id = `${s.path}\0${s.scope}`;
    let group = byId.get(id);
    if (group === undefined) byId.set(id, (group = { source, values: new Map() }));
    let directive = s.key.slice(PREFIX.length);
    if (source === 'httpd' && directive === 'maxclients') directive = 'maxrequestworkers'; // its name before 2.3.13
    group.values.set(directive, s);
  }
  for (const [id, group] of byId) {
    if (!id.endsWith('\0httpd:any')) continue;
    const prefork = group.values.has('minspareservers') || group.values.has('maxspareservers');
    if (!prefork || THREADED_ONLY.some((d) => group.values.has(d))) byId.delete(id);
  }
  return [...byId.values()];
}
