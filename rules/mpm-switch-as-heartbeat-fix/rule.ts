/**
 * mpm-switch-as-heartbeat-fix (catalogue R13): a change to the Apache MPM (`apache::mpm_module`,
 * `tripleo::profile::base::apache::mpm_module`, a declared `apache::mod::<mpm>` class, `LoadModule mpm_*_module`)
 * whose commit message presents it as a fix for the heartbeat / eventlet / AMQP problem (LP 1829062).
 *
 * Why: the MPM decides how httpd's own children serve connections; a nova API in mod_wsgi daemon mode gets its
 * threads from `WSGIDaemonProcess threads=`, whatever the MPM, so eventlet starvation of the AMQP heartbeat stays.
 * TripleO tried exactly this in 2019 (THT 09cfcc14, ApacheMPMModule: event) and reverted it two weeks later
 * (c1269a64). Info only: the MPM change may be fine for other reasons; the fix it claims is not there.
 *
 * "A change to": an MPM setting that is new, or whose value differs from the old side of the change. Without a
 * commit message the rule is silent.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import { describeValue } from '../../src/settings/value.js';

const MPM_KEYS = new Set(['apache.mpm_module', 'apache.mpm_class']);
/** What in a commit message presents the change as the heartbeat fix. */
const CLAIM = /\b(heart-?beats?|eventlet|amqp|messagingtimeout|1829062)\b/i;

const rule: Rule = {
  meta: {
    id: 'mpm-switch-as-heartbeat-fix',
    description: 'An Apache MPM change presented as a fix for the AMQP heartbeat / eventlet problem',
    severity: 'info',
    kinds: ['heat', 'heat-env', 'hiera', 'puppet', 'apache'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://modwsgi.readthedocs.io/en/master/user-guides/processes-and-threading.html',
    ],
  },
  check(context) {
    const claim = context.commitMessage === undefined ? null : CLAIM.exec(context.commitMessage);
    if (!claim) return;
    const before = new Set(context.previous.settings.filter((s) => MPM_KEYS.has(s.key)).map(identity));
    for (const setting of context.settings) {
      if (!MPM_KEYS.has(setting.key) || setting.implicit !== undefined || before.has(identity(setting))) continue;
      context.report({ path: setting.path, range: setting.range, message: message(setting, claim[0]) });
    }
  },
};
export default rule;

/** Same key, service and value: an MPM setting the change did not touch. */
function identity(s: Setting): string {
  return `${s.key}\u0000${s.service}\u0000${describeValue(s.value).toLowerCase()}`;
}

function message(setting: Setting, claim: string): string {
  return (
    `This change sets the Apache MPM (${setting.via}: ${describeValue(setting.value)}) and its commit message ` +
    `presents it as a fix for "${claim}". The MPM only decides how httpd's own children serve connections: an ` +
    `OpenStack API in mod_wsgi daemon mode runs with the threads of its WSGIDaemonProcess (threads=), whatever the ` +
    `MPM, so an eventlet-patched nova API still starves its AMQP heartbeat (LP 1829062). TripleO's 2019 switch to ` +
    `the event MPM for this (THT 09cfcc14) was reverted (c1269a64). Fix the daemon threads instead (threads=1, scale ` +
    `with processes), and describe the MPM change for what it does.`
  );
}
