/**
 * mpm-param-mismatch (catalogue R14): settings for one Apache MPM while another one runs.
 * - puppetlabs-apache: an MPM class declared (`include apache::mod::event`) while `apache::mpm_module` selects a
 *   different MPM, or two different MPM classes declared: each MPM class `fail()`s when another is on the node
 *   ("May not include both apache::mod::event and apache::mod::prefork on the same node") -> error.
 * - `apache::mod::prefork::*` hiera keys while the MPM is event or worker (or the reverse): the class is never
 *   declared, so the values are never used -> warning. With nothing selecting the MPM in the change, the platform
 *   default applies (prefork on Red Hat, worker on Debian): unknown, so silent.
 * - httpd: prefork's MinSpareServers / MaxSpareServers inside `<IfModule mpm_event_module>` / `mpm_worker_module`,
 *   threaded directives inside `<IfModule mpm_prefork_module>`, or either at top level of a file that loads the
 *   other MPM. Only the loaded MPM registers its directives (prefork.c `prefork_cmds`), so httpd refuses to start
 *   with "Invalid command" whenever that block is read -> error.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import { describeValue } from '../../src/settings/value.js';
import { isConditional } from '../../src/settings/heat-conditions.js';

/** MPM family: itk runs on top of prefork (puppetlabs-apache's apache::mod::itk includes apache::mod::prefork). */
const FAMILY: Record<string, string> = { event: 'event', worker: 'worker', prefork: 'prefork', itk: 'prefork', peruser: 'peruser' };
const DATA_KINDS = new Set(['hiera', 'heat', 'heat-env']);
/** httpd directives and the MPMs that register them. */
const OWNERS: Record<string, string[]> = {
  minspareservers: ['prefork'],
  maxspareservers: ['prefork'],
  threadsperchild: ['event', 'worker'],
  threadlimit: ['event', 'worker'],
  minsparethreads: ['event', 'worker'],
  maxsparethreads: ['event', 'worker'],
  asyncrequestworkerfactor: ['event'],
};

const rule: Rule = {
  meta: {
    id: 'mpm-param-mismatch',
    description: 'Settings for one Apache MPM while another is selected; two puppetlabs-apache MPM classes at once',
    severity: 'warning',
    kinds: ['hiera', 'heat', 'heat-env', 'puppet', 'apache'],
    references: [
      'https://github.com/puppetlabs/puppetlabs-apache/blob/main/manifests/mod/event.pp',
      'https://github.com/puppetlabs/puppetlabs-apache/blob/main/manifests/init.pp',
      'https://httpd.apache.org/docs/2.4/mod/prefork.html',
      'https://httpd.apache.org/docs/2.4/mod/event.html',
    ],
  },
  check(context) {
    const isData = (s: Setting): boolean => DATA_KINDS.has(context.files.find((f) => f.path === s.path)?.kind ?? '');
    const usable = context.settings.filter((s) => !s.via.startsWith('default of ') && !isConditional(s, context.files));
    // `LoadModule mpm_*` (httpd files) is the httpd side, handled by httpdDirectives; Puppet and data select here.
    const selections = usable.filter((s) => s.key === 'apache.mpm_module' && !s.via.startsWith('LoadModule ') && mpmOf(s) !== undefined);
    const declared = usable.filter((s) => s.key === 'apache.mpm_class' && mpmOf(s) !== undefined);
    /** Puppet manifests are independent of each other; hiera and THT data reach every manifest. */
    const related = (a: Setting, b: Setting): boolean => a.path === b.path || isData(a) || isData(b);
    const clash = (a: Setting, b: Setting): boolean => FAMILY[mpmOf(a)!] !== FAMILY[mpmOf(b)!];

    declared.forEach((decl, i) => {
      const selection = selections.find((s) => related(s, decl) && clash(s, decl));
      const earlier = declared.slice(0, i).find((d) => related(d, decl) && clash(d, decl));
      const other = selection ?? earlier;
      if (other === undefined) return;
      const mine = mpmOf(decl)!;
      const theirs = mpmOf(other)!;
      const how = selection ? `apache::mpm_module is ${theirs} (${where(other)}), so puppetlabs-apache declares` : `${where(other)} declares`;
      context.report({
        path: decl.path,
        range: decl.range,
        severity: 'error',
        message:
          `${decl.via} declares the ${mine} MPM, but ${how} apache::mod::${theirs} too. Each MPM class fail()s when ` +
          `another one is on the node ("May not include both apache::mod::${mine} and apache::mod::${theirs} on the ` +
          `same node"), so the catalog does not compile. ` +
          (selection
            ? 'Pick one MPM: set apache::mpm_module to false when declaring the MPM class yourself, or select it ' +
              'with apache::mpm_module alone.'
            : 'Declare one MPM class only (with apache::mpm_module false).'),
      });
    });

    for (const param of usable) {
      const mpm = /^puppetlabs-apache:(\w+)$/.exec(param.scope ?? '')?.[1];
      if (mpm === undefined || !param.key.startsWith('apache.mpm.') || !isData(param)) continue;
      const chosen = [...selections, ...declared].filter((s) => related(s, param));
      if (chosen.length === 0 || chosen.some((s) => FAMILY[mpmOf(s)!] === FAMILY[mpm])) continue;
      const name = param.via.replace(/ \(.*$/, '');
      context.report({
        path: param.path,
        range: param.range,
        message:
          `${name} (${describeValue(param.value)}) sizes the ${mpm} MPM, but the MPM is ${mpmOf(chosen[0]!)} ` +
          `(${where(chosen[0]!)}): puppetlabs-apache never declares apache::mod::${mpm}, so this value is never ` +
          `used and httpd runs with the ${mpmOf(chosen[0]!)} MPM's own sizing. Size apache::mod::${mpmOf(chosen[0]!)} ` +
          `instead, or drop the key.`,
      });
    }
    httpdDirectives(context);
  },
};
export default rule;

/** The MPM a selection or declaration names; undefined for `false`, expressions and unknown names. */
function mpmOf(s: Setting): string | undefined {
  const v = s.value.kind === 'literal' && typeof s.value.value === 'string' ? s.value.value.toLowerCase() : undefined;
  return v !== undefined && v in FAMILY ? v : undefined;
}

function where(s: Setting): string {
  return `${s.via} at ${s.path}:${s.range.start.line}`;
}

function httpdDirectives(context: RuleContext): void {
  const loaded = new Map<string, Set<string>>();
  for (const s of context.settings) {
    if (s.key === 'apache.mpm_module' && s.service === 'httpd' && s.via.startsWith('LoadModule ')) {
      const set = loaded.get(s.path) ?? new Set<string>();
      set.add(describeValue(s.value));
      loaded.set(s.path, set);
    }
  }
  for (const s of context.settings) {
    const directive = s.key.startsWith('apache.mpm.') ? s.key.slice('apache.mpm.'.length) : '';
    const owners = OWNERS[directive];
    const scope = /^httpd:(\w+)$/.exec(s.scope ?? '')?.[1];
    if (owners === undefined || scope === undefined) continue;
    const file = loaded.get(s.path);
    const mpm = scope !== 'any' ? scope : file?.size === 1 ? [...file][0]! : undefined;
    if (mpm === undefined || !FAMILY[mpm] || owners.includes(mpm)) continue;
    const name = s.via.replace(/ \(httpd\)$/, '');
    const context_ = scope === 'any' ? `this file loads the ${mpm} MPM` : `it sits inside <IfModule mpm_${mpm}_module>`;
    context.report({
      path: s.path,
      range: s.range,
      severity: 'error',
      message:
        `${name} belongs to the ${owners.join('/')} MPM, but ${context_}. Only the loaded MPM registers its ` +
        `directives, so when ${mpm} runs httpd refuses to start ("Invalid command '${name}', perhaps misspelled or ` +
        `defined by a module not included in the server configuration"). Move it to the <IfModule mpm_${owners[0]}_module> ` +
        `block or drop it.`,
    });
  }
}
