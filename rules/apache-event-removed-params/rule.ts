/**
 * apache-event-removed-params (catalogue R15): `apache::mod::event::maxclients` or
 * `apache::mod::event::maxrequestsperchild`, in hieradata, TripleO templates / ExtraConfig or a Puppet class
 * declaration.
 *
 * Why: puppetlabs-apache 9.0.0 (cedd45b6 "Drop Apache 2.2 support") removed both parameters from
 * `apache::mod::event`; their httpd 2.4 names are `maxrequestworkers` and `maxconnectionsperchild`. A resource-like
 * declaration with an unknown parameter fails the catalog; a hiera key for it is silently never looked up. The
 * module's own parameter list (its class definition) is not a finding, nor is `apache::mod::prefork::maxclients`,
 * which still exists.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { describeValue } from '../../src/settings/value.js';
import { settingLine } from '../../src/settings/suggest-on-line.js';

const RENAMED: Record<string, string> = { maxclients: 'maxrequestworkers', maxrequestsperchild: 'maxconnectionsperchild' };
/** puppet-openstacklib 21.0.0 (zed) requires puppetlabs/apache ">=5.0.0 <9.0.0"; older series pin older modules. */
const LAST_PUPPET_MAJOR_BEFORE_APACHE_9 = 21;

const rule: Rule = {
  meta: {
    id: 'apache-event-removed-params',
    description: 'apache::mod::event maxclients / maxrequestsperchild, removed in puppetlabs-apache 9.0.0',
    severity: 'error',
    kinds: ['hiera', 'heat', 'heat-env', 'puppet'],
    references: [
      'https://github.com/puppetlabs/puppetlabs-apache/commit/cedd45b63be8',
      'https://github.com/puppetlabs/puppetlabs-apache/blob/main/manifests/mod/event.pp',
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html#maxrequestworkers',
    ],
  },
  check(context) {
    for (const setting of context.settings) {
      if (setting.scope !== 'puppetlabs-apache:event' || !setting.key.startsWith('apache.mpm.')) continue;
      const param = setting.key.slice('apache.mpm.'.length);
      const replacement = RENAMED[param];
      // The module's own parameter list (`class apache::mod::event ($maxclients = '150')`) is not a use of it.
      if (replacement === undefined || setting.via.startsWith('default of ')) continue;
      const old = context.release.puppetMajor <= LAST_PUPPET_MAJOR_BEFORE_APACHE_9;
      const suggestion = suggest(context, setting, param, replacement);
      context.report({
        path: setting.path,
        range: setting.range,
        message: message(setting, param, replacement, old ? context.release.series : undefined),
        ...(old ? { severity: 'warning' as const } : {}),
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

function message(setting: Setting, param: string, replacement: string, oldSeries: string | undefined): string {
  const what = `apache::mod::event::${param} (${describeValue(setting.value)}, ${setting.via})`;
  const fix = `Use apache::mod::event::${replacement}, its httpd 2.4 name.`;
  if (oldSeries !== undefined) {
    return (
      `${what} is removed in puppetlabs-apache 9.0.0 with Apache 2.2 support (cedd45b6). ${oldSeries} deploys an ` +
      `older puppetlabs-apache (puppet-openstacklib 21.0.0 requires < 9.0.0), where it still works as the old alias, ` +
      `but it breaks when the module is upgraded. ${fix}`
    );
  }
  const effect = setting.via.startsWith('class ')
    ? 'declaring the class with it fails the catalog (unknown parameter)'
    : 'the hiera key is never looked up, so the value silently has no effect';
  return `${what} no longer exists: puppetlabs-apache 9.0.0 removed it with Apache 2.2 support (cedd45b6), and ${effect}. ${fix}`;
}

/**
 * The parameter name on the setting's line renamed, when it is written there exactly once; the padding after it
 * shrinks so that aligned `=>` arrows stay aligned.
 */
function suggest(context: RuleContext, setting: Setting, param: string, replacement: string): Suggestion | undefined {
  const at = settingLine(context.files, setting);
  if (!at) return undefined;
  const token = new RegExp(`(?<![\\w$])${param}(?!\\w)([ \\t]*)`, 'g');
  if ((at.line.match(token) ?? []).length !== 1) return undefined;
  const renamed = at.line.replace(token, (_m, pad: string) => {
    const width = pad.length === 0 ? 0 : Math.max(1, pad.length - (replacement.length - param.length));
    return replacement + ' '.repeat(width);
  });
  return { line: at.lineNumber, endLine: at.lineNumber, replacement: renamed };
}
