/**
 * uWSGI ini -> settings. The service comes from the app it loads (`module = nova.wsgi.osapi_compute:application`,
 * `wsgi-file = /usr/bin/nova-api-wsgi`) or, failing that, the file name (`nova-api-uwsgi.ini`). uWSGI's own
 * default is one thread per worker, so an absent `threads` is not a setting.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { ServiceId, Setting } from '../model/setting.js';
import type { IniFile } from '../model/ast/ini.js';
import { iniValue } from './extract-ini.js';

const APP_OPTIONS = new Set(['module', 'wsgi-file', 'wsgi', 'file', 'mount', 'wsgi-module']);

export function extractUwsgi(path: string, tree: IniFile, knowledge: Knowledge): Setting[] {
  const sections = tree.sections.filter((s) => s.name.toLowerCase() === 'uwsgi');
  const options = sections.flatMap((s) => s.options);
  const service = appService(options.map((o) => [normalise(o.name), o.value] as const), path, knowledge);
  const out: Setting[] = [];
  for (const option of options) {
    const key = knowledge.uwsgiOption(option.name);
    if (!key) continue;
    out.push({
      key,
      service,
      value: iniValue(option),
      path,
      range: option.valueRange,
      via: `uWSGI ${option.name}`,
      server: 'uwsgi',
    });
  }
  return out;
}

function appService(options: readonly (readonly [string, string])[], path: string, knowledge: Knowledge): ServiceId {
  for (const [name, value] of options) {
    if (!APP_OPTIONS.has(name)) continue;
    // `mount = /compute=nova.wsgi.osapi_compute:application`
    const app = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
    const service = knowledge.uwsgiAppService(app);
    if (service) return service;
  }
  return knowledge.uwsgiAppService(path) ?? '?';
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replaceAll('_', '-');
}
