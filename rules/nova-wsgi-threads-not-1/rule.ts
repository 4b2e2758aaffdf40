/**
 * nova-wsgi-threads-not-1 (catalogue R01 + R03 + R04): an eventlet-patched nova API (nova-api, nova-metadata)
 * running under mod_wsgi or uWSGI with more than one thread per process, whatever file says so: Puppet, hieradata,
 * TripleO templates, a WSGIDaemonProcess (no `threads=` means mod_wsgi's 15) or a uWSGI ini.
 *
 * Why: from Stein (nova 19) to 2025.2 (nova 32) the nova WSGI apps are monkey-patched by eventlet. With threads > 1
 * the greenthread that receives RPC replies belongs to one request thread's hub, so calls made from the other
 * threads time out (MessagingTimeout), heartbeats on or off: measured by the evidence lab (lab/RESULTS.md), which
 * also measured the one exception, so: warning when `heartbeat_in_pthread = true` reaches the API on an
 * oslo.messaging that moves the reply waiter to a native thread too (14.3.0, fd2381c7). Nova 33 (2026.1) runs the
 * apps in native threads by default; whether threads > 1 is then safe is unverified, so: warning.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Suggestion } from '../../src/model/finding.js';
import { asBoolean, describeValue, valueBounds } from '../../src/settings/value.js';
import { atLeast } from '../../src/settings/version.js';
import { settingLine, suggestReplacement } from '../../src/settings/suggest-on-line.js';

/**
 * From this oslo.messaging on, `heartbeat_in_pthread = true` also swaps amqpdriver's threading and queue modules
 * (fd2381c7, bug 2009138), so the RPC reply waiter runs in a native thread: the lab measured no failed call with
 * 4 threads then, and a third of the calls failing with the swap undone (the code before 14.3.0).
 */
const PTHREAD_REPLY_WAITER = '14.3';

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
    const pthreadTrue = atLeast(release.osloMessaging.min, PTHREAD_REPLY_WAITER)
      ? context.settings.filter((s) => s.key === 'rabbit.heartbeat_in_pthread' && asBoolean(s.value) === true)
      : [];
    for (const setting of context.settings) {
      if (setting.key !== 'wsgi.threads') continue;
      const patched = context.knowledge.servicesReached(setting.service).filter((s) => s.runtime === 'eventlet-wsgi');
      if (patched.length === 0) continue;
      const threads = threadsAbove1(setting);
      if (threads === undefined) continue;
      const ids = new Set(patched.map((s) => s.id));
      const pthread = native
        ? undefined
        : pthreadTrue.find((p) => context.knowledge.servicesReached(p.service).some((s) => ids.has(s.id)));
      const suggestion = suggest(context, setting);
      const target = `${release.series} (nova ${release.novaMajor})`;
      context.report({
        path: setting.path,
        range: setting.range,
        severity: native || pthread !== undefined ? 'warning' : 'error',
        message: pthread !== undefined ? pthreadMessage(setting, threads, target, pthread) : message(setting, threads, native, target),
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

function what(setting: Setting, threads: { shown: string; because?: string }): string {
  const server = setting.server === 'uwsgi' ? 'uWSGI' : setting.server === 'mod_wsgi' ? 'mod_wsgi' : 'WSGI';
  const source = [setting.via, setting.implicit, threads.because].filter((s) => s !== undefined).join('; ');
  return `${setting.service} runs with ${threads.shown} ${server} threads per process (${source}).`;
}

const FIX = `Set threads to 1 and scale with processes/workers instead.`;

function message(setting: Setting, threads: { shown: string; because?: string }, native: boolean, target: string): string {
  if (native) {
    return (
      `${what(setting, threads)} ${target} runs ${setting.service} in native threads by default, but threads > 1 is unverified there ` +
      `and RPC calls time out again if eventlet mode is turned back on (OS_NOVA_DISABLE_EVENTLET_PATCHING=false). ${FIX}`
    );
  }
  return (
    `${what(setting, threads)} In ${target} ${setting.service} is eventlet-patched, so with more than one thread ` +
    `the greenthread that receives RPC replies only runs while the thread that created it serves a request: calls ` +
    `from the other threads fail with MessagingTimeout ("Timed out waiting for a reply"), heartbeats on or off ` +
    `(measured by the evidence lab). ${FIX}`
  );
}

/** The measured exception: the pthread heartbeat on an oslo.messaging that also moves the reply waiter. */
function pthreadMessage(setting: Setting, threads: { shown: string; because?: string }, target: string, pthread: Setting): string {
  return (
    `${what(setting, threads)} In ${target} ${setting.service} is eventlet-patched; heartbeat_in_pthread = true ` +
    `(${pthread.path}:${pthread.range.start.line}) also runs the RPC reply waiter in a native thread on this ` +
    `oslo.messaging (>= 14.3.0), where the evidence lab measured more threads working, but the option is deprecated ` +
    `(2024.2) and removed in oslo.messaging 18.0.0, and with it gone the calls from the other threads time out ` +
    `again. ${FIX}`
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
