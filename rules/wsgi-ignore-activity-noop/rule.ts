/**
 * wsgi-ignore-activity-noop (catalogue R18, second half): `WSGIIgnoreActivity On` where no mod_wsgi daemon it can
 * concern has `inactivity-timeout`. mod_wsgi: the directive "only matters when inactivity-timeout has been set".
 *
 * Scope: a directive inside a `<VirtualHost>` concerns that host's WSGIDaemonProcess and the ones declared outside
 * any host; a directive outside every host concerns every daemon of the file. No daemon in the file, or one whose
 * options are a template tag (`<%= @options %>`), means the daemon is elsewhere or unknown: silent.
 *
 * The first half of catalogue R18 (options newer than the platform's mod_wsgi) needs per-distribution mod_wsgi
 * versions, which are unverified data, and is not implemented.
 */
import type { Rule } from '../../src/model/rule.js';
import { daemonsReaching, scopedDirectives, wsgiDaemons } from '../../src/settings/apache-scopes.js';

const rule: Rule = {
  meta: {
    id: 'wsgi-ignore-activity-noop',
    description: 'WSGIIgnoreActivity On has no effect: no daemon it concerns sets inactivity-timeout',
    severity: 'info',
    kinds: ['apache'],
    references: [
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIIgnoreActivity.html',
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html',
    ],
  },
  check(context) {
    for (const file of context.files) {
      if (file.kind !== 'apache') continue;
      const directives = scopedDirectives(file.tree);
      const daemons = wsgiDaemons(directives);
      for (const at of directives) {
        const { directive } = at;
        if (directive.name.toLowerCase() !== 'wsgiignoreactivity') continue;
        const arg = directive.args[0];
        if (!arg || arg.templated || arg.value.toLowerCase() !== 'on') continue;
        const reached = daemonsReaching(at, daemons);
        if (reached.length === 0 || reached.some((d) => d.opaque || d.options.has('inactivity-timeout'))) continue;
        const names = reached.map((d) => d.name).join(', ');
        context.report({
          path: file.path,
          range: directive.range,
          message:
            `WSGIIgnoreActivity On has no effect here: it keeps requests from resetting a daemon's inactivity ` +
            `timer, and no WSGIDaemonProcess it concerns (${names}) sets inactivity-timeout (mod_wsgi: it "only ` +
            `matters when inactivity-timeout has been set"). Remove it, or add inactivity-timeout=<seconds> to the ` +
            `daemon if idle restarts are really wanted (on an API holding AMQP connections they drop them; see ` +
            `wsgi-recycling-on-amqp-apis).`,
        });
      }
    }
  },
};
export default rule;
