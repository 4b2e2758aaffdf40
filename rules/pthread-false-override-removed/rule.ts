/**
 * pthread-false-override-removed (catalogue R11): on a series whose oslo.messaging defaults heartbeat_in_pthread
 * to True (12.6.0 to 13.x: wallaby, xena, yoga), a change that removes a `heartbeat_in_pthread: false` override
 * (`<svc>::rabbit_heartbeat_in_pthread: false`, `[oslo_messaging_rabbit] heartbeat_in_pthread = false`, ...)
 * reaching a standalone eventlet service. Reads the old side of the change (`context.previous`) and reports
 * where the removal lands in the new file (`context.newLineFor`). An override that moved to another file of the
 * change (for the same role, or unscoped), or was set to another value, is not a removal. Whole deleted files are not reported (no new file).
 *
 * Why: TripleO hardcoded these overrides (THT cf4d4f881, stable/wallaby 87cbe7c2, LP 1984076) because the True
 * default hangs non-WSGI eventlet services (LP 1934937). Master and zed reverted them (82723613) only because
 * oslo.messaging 14.0.0 defaults to False again; on wallaby the override is what keeps nova-compute alive.
 */
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Range } from '../../src/model/location.js';
import { asBoolean } from '../../src/settings/value.js';
import { atLeast, osloOptionOn } from '../../src/settings/version.js';

const NAMED = 3;

const rule: Rule = {
  meta: {
    id: 'pthread-false-override-removed',
    description: 'A heartbeat_in_pthread=false override is removed on a series that defaults the option to True',
    severity: 'error',
    kinds: ['heat', 'heat-env', 'hiera', 'puppet', 'ini'],
    references: [
      'https://bugs.launchpad.net/tripleo/+bug/1984076',
      'https://bugs.launchpad.net/oslo.messaging/+bug/1934937',
      'https://docs.openstack.org/releasenotes/oslo.messaging/wallaby.html',
    ],
  },
  check(context) {
    const option = osloOptionOn(context.knowledge, context.release, 'heartbeat_in_pthread');
    if (option?.default !== true) return;
    const kept = context.settings.filter((s) => s.key === 'rabbit.heartbeat_in_pthread');
    for (const old of context.previous.settings) {
      if (old.key !== 'rabbit.heartbeat_in_pthread' || asBoolean(old.value) !== false) continue;
      // Still written for the same scope (here or moved elsewhere in the change; unscoped covers every role),
      // whatever its value: not a removal.
      if (kept.some((s) => s.service === old.service && (s.scope === undefined || s.scope === old.scope))) continue;
      const eventlet = context.knowledge.servicesReached(old.service).filter((s) => s.runtime === 'eventlet');
      if (eventlet.length === 0) continue;
      const at = context.newLineFor(old.path, old.range.start.line);
      const range = at === undefined ? undefined : lineRange(context, at.path, at.line);
      if (at === undefined || range === undefined) continue;
      context.report({ path: at.path, range, message: message(context, old, eventlet.map((s) => s.id), option.lifecycle.defaults) });
    }
  },
};
export default rule;

function message(context: RuleContext, old: Setting, eventlet: string[], defaults: readonly { since: string }[]): string {
  const { series, osloMessaging } = context.release;
  const since = [...defaults].reverse().find((d) => atLeast(osloMessaging.min, d.since))?.since;
  const names = `${eventlet.slice(0, NAMED).join(', ')}${eventlet.length > NAMED ? ` and ${eventlet.length - NAMED} more` : ''}`;
  return (
    `This change removes the heartbeat_in_pthread=false override (${old.via}, ${old.path}:${old.range.start.line}). ` +
    `On ${series}, oslo.messaging ${osloMessaging.min} defaults heartbeat_in_pthread to True (since ${since ?? 'this series'}), so ` +
    `${names} go back to a native heartbeat thread, which hangs or breaks standalone eventlet services ` +
    `(LP 1934937). TripleO keeps these overrides on stable/wallaby (87cbe7c2, LP 1984076); master and zed dropped ` +
    `them only because oslo.messaging 14.0.0 defaults to False again. Keep the override on this branch.`
  );
}

/** The whole of `line` in the new file `path`, or undefined when the file is not among the reviewed ones. */
function lineRange(context: RuleContext, path: string, line: number): Range | undefined {
  const text = context.files.find((f) => f.path === path)?.text;
  if (text === undefined) return undefined;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return undefined;
    offset = nl + 1;
  }
  const nl = text.indexOf('\n', offset);
  const end = (nl === -1 ? text.length : nl) - (text[(nl === -1 ? text.length : nl) - 1] === '\r' ? 1 : 0);
  return { start: { line, column: 1, offset }, end: { line, column: end - offset + 1, offset: end } };
}
