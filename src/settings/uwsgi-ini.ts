/**
 * What a uWSGI ini says, for the extractor and for rules about what it leaves out (no `enable-threads`, no
 * `lazy-apps`): the service of the app it loads, every `[uwsgi]` option by normalised name (uWSGI treats `-` and
 * `_` alike; for a repeated scalar option the last one wins), and the `env = NAME=VALUE` lines.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { ServiceId } from '../model/setting.js';
import type { Range } from '../model/location.js';
import type { IniFile, IniOption } from '../model/ast/ini.js';
import { asBoolean } from './value.js';

const APP_OPTIONS = new Set(['module', 'wsgi-file', 'wsgi', 'file', 'mount', 'wsgi-module']);

export interface UwsgiEnv {
  name: string;
  /** Everything after the first `=`, as uWSGI passes it to setenv(). */
  value: string;
  option: IniOption;
}

export interface UwsgiIni {
  service: ServiceId;
  /** The first `[uwsgi]` header. */
  header: Range;
  /** Last occurrence of each option, by normalised name (`lazy_apps` -> `lazy-apps`). */
  options: ReadonlyMap<string, IniOption>;
  /** `env = NAME=VALUE` lines, in order. */
  env: readonly UwsgiEnv[];
}

export function normaliseUwsgiName(name: string): string {
  return name.trim().toLowerCase().replaceAll('_', '-');
}

/** The uWSGI facts of an ini tree, or undefined when it has no `[uwsgi]` section. */
export function readUwsgi(path: string, tree: IniFile, knowledge: Knowledge): UwsgiIni | undefined {
  const sections = tree.sections.filter((s) => s.name.toLowerCase() === 'uwsgi');
  const first = sections[0];
  if (!first) return undefined;
  const options = new Map<string, IniOption>();
  const env: UwsgiEnv[] = [];
  for (const option of sections.flatMap((s) => s.options)) {
    const name = normaliseUwsgiName(option.name);
    options.set(name, option);
    const eq = option.value.indexOf('=');
    if (name === 'env' && eq > 0) env.push({ name: option.value.slice(0, eq).trim(), value: option.value.slice(eq + 1), option });
  }
  return { service: appService(sections.flatMap((s) => s.options), path, knowledge), header: first.range, options, env };
}

/** readUwsgi for a parsed file of kind `uwsgi`. */
export function uwsgiOf(file: ParsedFile, knowledge: Knowledge): UwsgiIni | undefined {
  return file.kind === 'uwsgi' ? readUwsgi(file.path, file.tree, knowledge) : undefined;
}

/**
 * A uWSGI boolean flag as written: absent -> undefined; `enable-threads =` (no value) or a true word -> true;
 * a false word -> false; a templated or unreadable value -> undefined (unknown).
 */
export function uwsgiFlag(ini: UwsgiIni, name: string): boolean | undefined {
  const option = ini.options.get(name);
  if (!option || option.templated) return undefined;
  if (option.value.trim() === '') return true;
  return asBoolean({ kind: 'literal', value: option.value });
}

function appService(options: readonly IniOption[], path: string, knowledge: Knowledge): ServiceId {
  for (const option of options) {
    if (!APP_OPTIONS.has(normaliseUwsgiName(option.name))) continue;
    // `mount = /compute=nova.wsgi.osapi_compute:application`
    const value = option.value;
    const app = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
    const service = knowledge.uwsgiAppService(app);
    if (service) return service;
  }
  return knowledge.uwsgiAppService(path) ?? '?';
}

/**
 * Whether a flag (or any of its aliases) is on: `on` when one is true, `off` when one is written false and none
 * true, `absent` when none is written, `unknown` when one is templated or unreadable.
 */
export function flagState(ini: UwsgiIni, names: readonly string[]): 'on' | 'off' | 'absent' | 'unknown' {
  const states = names.filter((n) => ini.options.has(n)).map((n) => uwsgiFlag(ini, n));
  if (states.includes(true)) return 'on';
  if (states.includes(undefined)) return 'unknown';
  return states.length > 0 ? 'off' : 'absent';
}
