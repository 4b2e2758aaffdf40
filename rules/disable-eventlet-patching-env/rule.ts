/**
 * disable-eventlet-patching-env (catalogue R22): `OS_NOVA_DISABLE_EVENTLET_PATCHING` for nova's WSGI APIs and what
 * its value does on the target series. nova.monkey_patch reads os.environ when nova is imported and skips eventlet
 * patching only for `1`, `true`, `yes` (any case); from nova 33 unset means native threads and any other non-empty
 * value turns eventlet back on. uWSGI `env =` reaches os.environ; Apache `SetEnv` only reaches each request's WSGI
 * environ, so it never has an effect. The verdicts per series are in the README. systemd `Environment=` and
 * Apache envvars files are out of scope.
 */
import type { Rule } from '../../src/model/rule.js';
import type { Setting } from '../../src/model/setting.js';
import type { Release } from '../../src/model/release.js';
import type { Severity, Suggestion } from '../../src/model/finding.js';
import { suggestReplacement } from '../../src/settings/suggest-on-line.js';
import { novaApiEventletPatched } from '../../src/settings/version.js';

const VARIABLE = 'OS_NOVA_DISABLE_EVENTLET_PATCHING';
const ACCEPTED = ['1', 'true', 'yes'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];
const FIRST_PATCHED_NOVA = 19;
const FIRST_NATIVE_NOVA = 33;

const rule: Rule = {
  meta: {
    id: 'disable-eventlet-patching-env',
    description: 'OS_NOVA_DISABLE_EVENTLET_PATCHING: what the value does on the target release, or why it has no effect',
    severity: 'info',
    kinds: ['uwsgi', 'apache'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://bugs.launchpad.net/nova/+bug/1825584',
      'https://docs.openstack.org/releasenotes/nova/stein.html',
      'https://docs.openstack.org/nova/latest/admin/concurrency.html',
      'https://modwsgi.readthedocs.io/en/master/user-guides/application-issues.html',
    ],
  },
  check(context) {
    const { release, knowledge } = context;
    if (release.novaMajor < FIRST_PATCHED_NOVA) return;
    for (const setting of context.settings) {
      const apache = setting.key === `apache.setenv.${VARIABLE}`;
      if (!apache && setting.key !== `env.${VARIABLE}`) continue;
      if (setting.service !== '?' && !knowledge.servicesReached(setting.service).some((s) => s.project === 'nova')) continue;
      if (setting.value.kind !== 'literal') continue;
      const written = String(setting.value.value);
      const who = setting.service === '?' ? 'nova' : setting.service;
      const patchedByDefault = novaApiEventletPatched(knowledge, release);
      const verdict = apache ? setEnv(written, who, patchedByDefault, release) : processEnv(written, who, release);
      if (!verdict) continue;
      const suggestion = verdict.suggestYes ? suggestYes(context.files, setting, written) : undefined;
      context.report({
        path: setting.path,
        range: setting.range,
        severity: verdict.severity,
        message: `${VARIABLE}=${written} (${setting.via}): ${verdict.message}`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  },
};
export default rule;

interface Verdict {
  severity: Severity;
  message: string;
  suggestYes?: boolean;
}

function target(release: Release): string {
  return `${release.series} (nova ${release.novaMajor})`;
}

/** uWSGI `env`: the variable reaches os.environ before nova is imported. */
function processEnv(written: string, who: string, release: Release): Verdict | undefined {
  const v = written.toLowerCase();
  if (v === '') return undefined;
  const accepted = ACCEPTED.includes(v);
  const falseWord = FALSE_WORDS.includes(v);
  if (release.novaMajor >= FIRST_NATIVE_NOVA) {
    if (accepted) return undefined; // the default
    if (falseWord) {
      return {
        severity: 'info',
        message:
          `on ${target(release)} this switches ${who} back from native threads to eventlet mode (deprecated; nova logs ` +
          `a deprecation warning from 2026.2). It is eventlet-patched again, so it needs threads=1 ` +
          `(nova-wsgi-threads-not-1). Remove the line unless eventlet mode is really needed.`,
      };
    }
    return {
      severity: 'warning',
      message:
        `nova skips eventlet patching only for 1, true or yes; from nova 33 any other non-empty value turns eventlet ` +
        `mode back on, so on ${target(release)} this probably does the opposite of what was meant. Remove the line ` +
        `(native threads are the default) or write yes.`,
      suggestYes: true,
    };
  }
  if (accepted && release.novaMajor === FIRST_NATIVE_NOVA - 1) {
    return {
      severity: 'info',
      message:
        `on ${target(release)} this runs ${who} in nova's native threading mode, which is experimental in 2025.2. ` +
        `Its AMQP heartbeat is then a native thread: uWSGI needs enable-threads = true (uwsgi-threads-not-enabled).`,
    };
  }
  if (accepted) {
    return {
      severity: 'info',
      message:
        `on ${target(release)} this stops eventlet monkey-patching of ${who}: the AMQP heartbeat problem of threads > 1 ` +
        `goes away (LP 1829062), but queries across cells run one after another instead of in parallel (nova Stein ` +
        `release note), which costs time in a large multi-cell deployment. Keep it if that trade-off is intended.`,
    };
  }
  if (falseWord) return undefined; // the default in 19-32
  return {
    severity: 'warning',
    message:
      `nova skips eventlet patching only for 1, true or yes (case-insensitive), so on ${target(release)} ${who} stays ` +
      `eventlet-patched. Write yes if patching is meant to be off.`,
    suggestYes: true,
  };
}

/** Apache `SetEnv`: only the per-request WSGI environ sees it; nova read os.environ long before. */
function setEnv(written: string, who: string, patchedByDefault: boolean, release: Release): Verdict {
  const wantsUnpatched = ACCEPTED.includes(written.toLowerCase());
  const stays = patchedByDefault ? 'eventlet-patched' : 'in native threads';
  const matches = wantsUnpatched !== patchedByDefault;
  return {
    severity: matches ? 'info' : 'warning',
    message:
      `SetEnv only puts the variable into each request's WSGI environ, not into the daemon's os.environ, which ` +
      `nova.monkey_patch reads when nova is imported (mod_wsgi: SetEnv values reach the WSGI environment, not ` +
      `os.environ). It has no effect: ${who} stays ${stays}, the default of ${target(release)}` +
      `${matches ? ', which is what the value asks for; remove the line' : ''}. To change the mode, set the ` +
      `variable in the environment httpd starts with (/etc/sysconfig/httpd, /etc/apache2/envvars or a systemd ` +
      `drop-in), or run the API under uWSGI with env = ${VARIABLE}=${written}.`,
  };
}

/** The written value replaced by `yes` on the setting's line. */
function suggestYes(files: Parameters<typeof suggestReplacement>[0], setting: Setting, written: string): Suggestion | undefined {
  if (written === '') return undefined;
  const escaped = written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return suggestReplacement(files, setting, new RegExp(`(?<==)${escaped}$`, 'g'), () => 'yes');
}
