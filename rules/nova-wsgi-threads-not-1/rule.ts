/**
 * nova-wsgi-threads-not-1 (catalogue R01 + R03 + R04): an eventlet-patched nova API (nova-api, nova-metadata)
 * running under mod_wsgi or uWSGI with more than one thread per process, whatever file says so: Puppet, hieradata,
 * TripleO templates, a WSGIDaemonProcess (no `threads=` means mod_wsgi's 15) or a uWSGI ini.
 *
 * Why: from Stein (nova 19) to 2025.2 (nova 32) the nova WSGI apps are monkey-patched by eventlet. With threads > 1
 * the oslo.messaging heartbeat starves, RabbitMQ drops the connection and RPC fails with MessagingTimeout. Nova 33
 * (2026.1) runs them in native threads by default; whether threads > 1 is then safe is unverified, so: warning.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { describeValue, valueBounds } from '../../src/settings/value.js';
import { settingLine, suggestReplacement } from '../../src/settings/suggest-on-line.js';

const rule: Rule = {
  meta: {
    id: 'nova-wsgi-threads-not-1',
    description: 'An eventlet-patched nova API runs under mod_wsgi or uWSGI with more than one thread per process',
    severity: 'error',
    kinds: ['puppet', 'hiera', 'heat', 'heat-env', 'apache', 'uwsgi'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://bugs.launchpad.net/nova/+bug/1825584',
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html',
      'https://docs.openstack.org/releasenotes/nova/stein.html',
    ],
  },
  check(context) {
    const { release } = context;
    // nova 19 (Stein) to 32 (2025.2) patch the WSGI apps; from 33 (2026.1) native threads are the default.
    const { firstPatched, firstNative } = context.knowledge.novaEventletWsgi;
    if (release.novaMajor < firstPatched) return;
    const native = release.novaMajor >= firstNative;
    for (const setting of context.settings) {
      if (setting.key !== 'wsgi.threads') continue;
      const patched = context.knowledge.servicesReached(setting.service).filter((s) => s.runtime === 'eventlet-wsgi');
      if (patched.length === 0) continue;
      const threads = threadsAbove1(setting);
      if (threads === undefined) continue;
      const suggestion = suggest(context, setting);
      context.report({
        path: setting.path,
        range: setting.range,
        severity: native ? 'warning' : 'error',
        message: message(setting, threads, native, `${release.series} (nova ${release.novaMajor})`),
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

/** The value as written and, for an expression, the knowledge that puts it above 1; undefined when not known > 1. */
function threadsAbove1(setting: Setting): { shown: string; because?: string } | undefined {
  const bounds = valueBounds(setting.value);
  if (bounds === undefined) return undefined;
  // threads=0 is not this problem (uWSGI: no threading; mod_wsgi rejects it), so only values known to exceed 1.
  if (bounds.exact !== undefined) return bounds.exact > 1 ? { shown: String(bounds.exact) } : undefined;
  if (bounds.min !== undefined && bounds.min > 1) {
    return { shown: describeValue(setting.value), because: bounds.reason ?? `it is at least ${bounds.min}` };
  }
  return undefined;
}

function message(setting: Setting, threads: { shown: string; because?: string }, native: boolean, target: string): string {
  const server = setting.server === 'uwsgi' ? 'uWSGI' : setting.server === 'mod_wsgi' ? 'mod_wsgi' : 'WSGI';
  const source = [setting.via, setting.implicit, threads.because].filter((s) => s !== undefined).join('; ');
  const what = `${setting.service} runs with ${threads.shown} ${server} threads per process (${source}).`;
  const fix = `Set threads to 1 and scale with processes/workers instead.`;
  if (native) {
    return (
      `${what} ${target} runs ${setting.service} in native threads by default, but threads > 1 is unverified there ` +
      `and breaks the AMQP heartbeat if eventlet mode is turned back on (OS_NOVA_DISABLE_EVENTLET_PATCHING=false). ${fix}`
    );
  }
  return (
    `${what} In ${target} ${setting.service} is eventlet-patched, so with more than one thread the oslo.messaging ` +
    `heartbeat starves, RabbitMQ drops the connection and RPC calls fail with MessagingTimeout ` +
    `("Timed out waiting for a reply"). ${fix}`
  );
}

/** The literal replaced by 1 on its line, or ` threads=1` appended to a one-line WSGIDaemonProcess. */
function suggest(context: RuleContext, setting: Setting): Suggestion | undefined {
  if (setting.implicit !== undefined) {
    const at = settingLine(context.files, setting);
    const isDirective =
      at !== undefined && setting.server === 'mod_wsgi' && /^\s*WSGIDaemonProcess\s/i.test(at.line) && !at.line.endsWith('\\');
    return isDirective ? { line: at.lineNumber, endLine: at.lineNumber, replacement: `${at.line.trimEnd()} threads=1` } : undefined;
  }
  const exact = valueBounds(setting.value)?.exact;
  if (setting.value.kind !== 'literal' || exact === undefined) return undefined;
  // The number as written inside the setting's range (`4`, `'4'`, `threads=4`), replaced once.
  return suggestReplacement(context.files, setting, new RegExp(`(?<![\\w.])${exact}(?![\\w.])`, 'g'), () => '1');
}
