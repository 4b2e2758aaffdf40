/**
 * uwsgi-no-thunder-lock (catalogue R19): a uWSGI ini for an OpenStack API runs more than one worker
 * (`processes` / `workers` > 1) without `thunder-lock = true`.
 *
 * Why: workers blocked in accept() on one shared socket are all woken for each new connection and only one wins
 * (the thundering herd, uWSGI "Serializing accept()"). thunder-lock serialises accept(); devstack sets it ("uwsgi
 * recommends this to prevent thundering herd on accept"). A cost, not a failure: info.
 */
import type { Rule } from '../../src/model/rule.js';
import { flagState, uwsgiOf } from '../../src/settings/uwsgi-ini.js';
import { suggestFlagOn, suggestLineAfter, workersAbove1 } from '../../src/settings/uwsgi-workers.js';

const rule: Rule = {
  meta: {
    id: 'uwsgi-no-thunder-lock',
    description: 'uWSGI runs several workers of an OpenStack API without thunder-lock',
    severity: 'info',
    kinds: ['uwsgi'],
    references: [
      'https://uwsgi-docs.readthedocs.io/en/latest/articles/SerializingAccept.html',
      'https://opendev.org/openstack/devstack/src/branch/master/lib/apache',
    ],
  },
  check(context) {
    for (const file of context.files) {
      const ini = uwsgiOf(file, context.knowledge);
      if (!ini || ini.service === '?') continue;
      const workers = workersAbove1(file.path, context.settings);
      if (!workers) continue;
      const state = flagState(ini, ['thunder-lock']);
      if (state === 'on' || state === 'unknown') continue;
      const message =
        `${ini.service} runs ${workers.shown} uWSGI workers (${workers.setting.via}) without thunder-lock = true` +
        `${state === 'off' ? ' (it is set false)' : ''}: every idle worker is woken for each new connection and ` +
        `all but one go back to sleep (the thundering herd). Set thunder-lock = true to serialise accept(), as ` +
        `devstack does.`;
      const lock = ini.options.get('thunder-lock');
      // uwsgi-no-lazy-apps suggests a line after the same `processes` line; two suggestions on one line conflict.
      const lazyMissing =
        context.knowledge.servicesReached(ini.service).some((s) => s.amqp) && flagState(ini, ['lazy-apps', 'lazy']) === 'absent';
      const suggestion =
        state === 'off' && lock
          ? suggestFlagOn(context.files, file.path, lock)
          : lazyMissing
            ? undefined
            : suggestLineAfter(context.files, workers.setting, 'thunder-lock = true');
      const at = state === 'off' && lock ? lock.valueRange : workers.setting.range;
      context.report({ path: file.path, range: at, message, ...(suggestion ? { suggestion } : {}) });
    }
  },
};
export default rule;
