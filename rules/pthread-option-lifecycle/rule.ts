/**
 * pthread-option-lifecycle (catalogue R09): `heartbeat_in_pthread` written anywhere (oslo.config file, `*_config`
 * resource, Puppet class or define parameter, hieradata, TripleO) on a series where it is on its way out:
 * - oslo.messaging 14.9.0 (2024.2) deprecated the option, 18.0.0 (2026.2) removed it: warning;
 * - puppet-openstack 26 (2025.1) deprecated `<svc>::rabbit_heartbeat_in_pthread` and
 *   `oslo::messaging::rabbit`'s `heartbeat_in_pthread`, 27 (2025.2) removed them: a class or define declaration
 *   passing it fails the catalog (error); a hiera key for it is silently ignored (warning).
 * The timelines are knowledge (rules/knowledge/releases.yaml). A module's own parameter definition, and values
 * that leave the option unset (`$facts['os_service_default']`, `<SERVICE DEFAULT>`), are not uses.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Release } from '../../src/model/release.js';
import type { Setting } from '../../src/model/setting.js';
import type { Severity } from '../../src/model/finding.js';
import { describeValue } from '../../src/settings/value.js';
import { osloOptionOn, puppetParameterOn, type LifecycleState } from '../../src/settings/version.js';

const rule: Rule = {
  meta: {
    id: 'pthread-option-lifecycle',
    description: 'heartbeat_in_pthread (or its Puppet parameter) is deprecated or removed on the target release',
    severity: 'warning',
    kinds: ['ini', 'puppet', 'hiera', 'heat', 'heat-env'],
    references: [
      'https://bugs.launchpad.net/oslo.messaging/+bug/1934937',
      'https://docs.openstack.org/releasenotes/oslo.messaging/2024.2.html',
      'https://docs.openstack.org/releasenotes/puppet-nova/2025.2.html',
    ],
  },
  check(context) {
    const { knowledge, release } = context;
    const option = osloOptionOn(knowledge, release, 'heartbeat_in_pthread');
    for (const setting of context.settings) {
      if (setting.key !== 'rabbit.heartbeat_in_pthread' || isDefinition(setting) || leavesUnset(setting)) continue;
      const param = puppetParameterOf(setting);
      const puppet = param === undefined ? undefined : puppetParameterOn(knowledge, release, param.name);
      const found = judge(setting, release, option, param, puppet);
      if (found) context.report({ path: setting.path, range: setting.range, ...found });
    }
  },
};
export default rule;

function judge(
  setting: Setting,
  release: Release,
  option: LifecycleState<string> | undefined,
  param: PuppetParameter | undefined,
  puppet: LifecycleState<number> | undefined,
): { severity: Severity; message: string } | undefined {
  const lc = option?.lifecycle;
  const oslo = `${release.series} ships oslo.messaging ${release.osloMessaging.min}`;
  const osloNote =
    option?.removed === true
      ? `oslo.messaging ${lc?.removed} removed the option itself (${oslo})`
      : option?.deprecated === true
        ? `oslo.messaging ${lc?.deprecated} deprecated the option and ${lc?.removed} removes it (${oslo})`
        : undefined;
  const fix =
    'Remove it: the heartbeat then runs in whatever threading the service uses; keep eventlet-patched WSGI APIs at ' +
    'threads=1 instead.';
  const what = `heartbeat_in_pthread is set to ${describeValue(setting.value)} (${setting.via})`;
  const puppetOn = `${release.series} uses puppet-openstack ${release.puppetMajor}`;
  if (param !== undefined && puppet?.removed === true) {
    const effect = param.declared
      ? `so this declaration fails the Puppet catalog ("has no parameter named '${param.name.slice(param.name.lastIndexOf('::') + 2)}'")`
      : 'so Puppet ignores this hiera key and it does nothing';
    return {
      severity: param.declared ? 'error' : 'warning',
      message:
        `${what}: puppet-openstack ${puppet.lifecycle.removed} removed ${param.name} (${puppetOn}), ${effect}` +
        `${osloNote ? `; ${osloNote}` : ''}. ${fix}`,
    };
  }
  if (param !== undefined && puppet?.deprecated === true) {
    return {
      severity: 'warning',
      message:
        `${what}: puppet-openstack ${puppet.lifecycle.deprecated} deprecated ${param.name} (${puppetOn}) and ` +
        `${puppet.lifecycle.removed} removes it, where passing it fails the catalog${osloNote ? `; ${osloNote}` : ''}. ${fix}`,
    };
  }
  if (osloNote === undefined) return undefined;
  const effect = option?.removed === true ? 'so the setting has no effect' : 'and it has never worked as expected with eventlet services';
  return { severity: 'warning', message: `${what}: ${osloNote}, ${effect}. ${fix}` };
}

interface PuppetParameter {
  /** `nova::rabbit_heartbeat_in_pthread`, `oslo::messaging::rabbit::heartbeat_in_pthread` */
  name: string;
  /** Passed in a class or define declaration (an unknown parameter fails the catalog), not a hiera key. */
  declared: boolean;
}

/** The Puppet parameter a setting is written as, read from its `via`; undefined for INI options and `*_config`. */
function puppetParameterOf(setting: Setting): PuppetParameter | undefined {
  const via = setting.via;
  const declared = /^class (\S+) (\w+)$/.exec(via) ?? /^(\S+) '[^']*' (\w+)$/.exec(via);
  if (declared?.[1] !== undefined) return { name: `${declared[1].replace(/^::/, '')}::${declared[2]}`, declared: true };
  const hiera = /^(\S+::\w+) \(/.exec(via);
  return hiera?.[1] === undefined ? undefined : { name: hiera[1].replace(/^::/, ''), declared: false };
}

/** A module's own parameter default (`class nova ($rabbit_heartbeat_in_pthread = ...)`) defines, not uses. */
function isDefinition(setting: Setting): boolean {
  return setting.via.startsWith('default of ') || setting.implicit !== undefined;
}

/** Values that leave the option out of the file: puppet-openstack's service default marker, or nothing. */
function leavesUnset(setting: Setting): boolean {
  const v = setting.value;
  if (v.kind === 'expression') return /os_service_default/.test(v.text);
  if (v.kind !== 'literal') return false;
  return v.value === null || (typeof v.value === 'string' && /^\s*(<SERVICE DEFAULT>)?\s*$/.test(v.value));
}
