/**
 * uWSGI ini -> settings. The service comes from the app it loads (`module = nova.wsgi.osapi_compute:application`,
 * `wsgi-file = /usr/bin/nova-api-wsgi`) or, failing that, the file name (`nova-api-uwsgi.ini`). uWSGI's own
 * default is one thread per worker, so an absent `threads` is not a setting.
 *
 * Keys: the options knowledge maps (`wsgi.threads`, `wsgi.processes`, `uwsgi.enable_threads`, `uwsgi.lazy_apps`,
 * `uwsgi.thunder_lock`, `uwsgi.master`), and `env.<NAME>` for an `env = NAME=VALUE` line whose NAME is in
 * PROCESS_ENV: uWSGI sets it in the process environment before loading the app, so code that reads os.environ at
 * import time (nova.monkey_patch) sees it. The value is what follows `=`; the range is the whole `NAME=VALUE`.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { Setting } from '../model/setting.js';
import type { IniFile } from '../model/ast/ini.js';
import { iniValue } from './extract-ini.js';
import { readUwsgi } from './uwsgi-ini.js';

/** Environment variables whose uWSGI `env` line is a setting (`env.<NAME>`). */
export const PROCESS_ENV: ReadonlySet<string> = new Set(['OS_NOVA_DISABLE_EVENTLET_PATCHING']);

export function extractUwsgi(path: string, tree: IniFile, knowledge: Knowledge): Setting[] {
  const ini = readUwsgi(path, tree, knowledge);
  if (!ini) return [];
  const out: Setting[] = [];
  const options = tree.sections.filter((s) => s.name.toLowerCase() === 'uwsgi').flatMap((s) => s.options);
  for (const option of options) {
    const key = knowledge.uwsgiOption(option.name);
    if (key) {
      out.push({ key, service: ini.service, value: iniValue(option), path, range: option.valueRange, via: `uWSGI ${option.name}`, server: 'uwsgi' });
      continue;
    }
    const env = ini.env.find((e) => e.option === option);
    if (env && PROCESS_ENV.has(env.name)) {
      out.push({
        key: `env.${env.name}`,
        service: ini.service,
        value: option.templated ? { kind: 'expression', text: env.value } : { kind: 'literal', value: env.value },
        path,
        range: option.valueRange,
        via: `uWSGI env ${env.name}`,
        server: 'uwsgi',
      });
    }
  }
  return out;
}
