/**
 * uwsgi-no-lazy-apps (catalogue R06): a uWSGI ini for an OpenStack API that holds AMQP connections runs more than
 * one worker (`processes` / `workers` > 1) without `lazy-apps = true` (or its older spelling `lazy`).
 *
 * Why: by default uWSGI loads the app once in the master and forks the workers from it (ThingsToKnow). Whatever
 * the app made at import time (oslo.messaging transport sockets, eventlet hubs, a heartbeat thread) is then shared
 * by every worker as the same file descriptors, and threads do not survive fork. devstack sets lazy-apps "to
 * ensure that file descriptors aren't shared between processes".
 */
import type { Rule } from '../../src/model/rule.js';
import { flagState, uwsgiOf } from '../../src/settings/uwsgi-ini.js';
import { suggestFlagOn, suggestLineAfter, workersAbove1 } from '../../src/settings/uwsgi-workers.js';

const rule: Rule = {
  meta: {
    id: 'uwsgi-no-lazy-apps',
    description: 'uWSGI runs several workers of an AMQP-holding OpenStack API without lazy-apps',
    severity: 'warning',
    kinds: ['uwsgi'],
    references: [
      'https://uwsgi-docs.readthedocs.io/en/latest/ThingsToKnow.html',
      'https://opendev.org/openstack/devstack/src/branch/master/lib/apache',
    ],
  },
  check(context) {
    for (const file of context.files) {
      const ini = uwsgiOf(file, context.knowledge);
      if (!ini) continue;
      const amqp = context.knowledge.servicesReached(ini.service).filter((s) => s.amqp);
      if (amqp.length === 0) continue;
      const workers = workersAbove1(file.path, context.settings);
      if (!workers) continue;
      const state = flagState(ini, ['lazy-apps', 'lazy']);
      if (state === 'on' || state === 'unknown') continue;
      const message =
        `${ini.service} runs ${workers.shown} uWSGI workers (${workers.setting.via}) without lazy-apps = true` +
        `${state === 'off' ? ' (it is set false)' : ''}. uWSGI then loads the app once in the master and forks the ` +
        `workers from it: whatever the app opens or starts while loading (oslo.messaging and database connections, ` +
        `eventlet's hub, threads) is inherited by every worker, so sockets opened then are shared by all of them ` +
        `and threads started then (an AMQP heartbeat) do not survive the fork. Set lazy-apps = true so each worker ` +
        `loads its own app, as devstack does.`;
      const lazy = ini.options.get('lazy-apps');
      const suggestion =
        state === 'off' && lazy ? suggestFlagOn(context.files, file.path, lazy) : suggestLineAfter(context.files, workers.setting, 'lazy-apps = true');
      const at = state === 'off' && lazy ? lazy.valueRange : workers.setting.range;
      context.report({ path: file.path, range: at, message, ...(suggestion ? { suggestion } : {}) });
    }
  },
};
export default rule;
