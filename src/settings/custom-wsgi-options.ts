/**
 * `custom_wsgi_process_options` is merged last into WSGIDaemonProcess by openstacklib::wsgi::apache
 * (`stdlib::merge({user, group, processes => $workers, threads, display-name}, $custom_wsgi_process_options)`), so
 * a key in it overrides whatever the class parameter says. This turns one key of that hash into the settings it
 * makes:
 * - `threads` / `processes`: `wsgi.threads` / `wsgi.processes`, the value the daemon really runs with;
 * - the other daemon options knowledge tracks (`wsgi.option.<name>`, see DAEMON_OPTIONS): `user`, `group`,
 *   `display-name` and the recycling options (`inactivity-timeout`, `request-timeout`, `restart-interval`,
 *   `maximum-requests`), the same keys a literal `WSGIDaemonProcess` gives (extract-apache.ts).
 * Whether a setting came from the hash is structural: its range lies inside the `wsgi.custom_options` setting
 * of the same file (`fromCustomOptions`).
 */
import type { Setting, Value } from '../model/setting.js';

const OVERRIDES: Readonly<Record<string, string>> = { threads: 'wsgi.threads', processes: 'wsgi.processes' };

/**
 * mod_wsgi WSGIDaemonProcess options, other than threads and processes, that are settings `wsgi.option.<name>`
 * (names as mod_wsgi spells them, lower-case). openstacklib sets `user`, `group` and `display-name` itself; the
 * others restart the daemon (mod_wsgi WSGIDaemonProcess docs).
 */
export const DAEMON_OPTIONS: ReadonlySet<string> = new Set([
  'user', 'group', 'display-name', 'inactivity-timeout', 'request-timeout', 'restart-interval', 'maximum-requests',
]);

/** The options openstacklib::wsgi::apache builds itself, which a custom key of the same name silently replaces. */
export const OPENSTACKLIB_OPTIONS: Readonly<Record<string, string>> = {
  threads: 'threads',
  processes: 'workers',
  user: 'user',
  group: 'group',
  'display-name': 'wsgi_process_display_name',
};

/** The setting key of a daemon option name (`threads` -> `wsgi.threads`), or undefined for an untracked one. */
export function daemonOptionKey(option: string): string | undefined {
  const name = option.trim().toLowerCase();
  return OVERRIDES[name] ?? (DAEMON_OPTIONS.has(name) ? `wsgi.option.${name}` : undefined);
}

/** The settings for one custom option key, or nothing for keys that are not settings (`python-path`). */
export function settingsFromCustomOptions(option: string, value: Value, base: Setting): Setting[] {
  const key = daemonOptionKey(option);
  if (!key) return [];
  return [{ ...base, key, value, via: `${base.via}, merged over ${option}` }];
}

/** The `custom_wsgi_process_options` setting whose hash holds `setting`, if it came from one. */
export function fromCustomOptions(setting: Setting, settings: readonly Setting[]): Setting | undefined {
  const { start, end } = setting.range;
  return settings.find(
    (s) =>
      s.key === 'wsgi.custom_options' &&
      s.path === setting.path &&
      s !== setting &&
      s.range.start.offset <= start.offset &&
      end.offset <= s.range.end.offset,
  );
}

/** The option name a `wsgi.threads` / `wsgi.processes` / `wsgi.option.<name>` setting stands for. */
export function daemonOptionName(key: string): string | undefined {
  if (key === 'wsgi.threads') return 'threads';
  if (key === 'wsgi.processes') return 'processes';
  return key.startsWith('wsgi.option.') ? key.slice('wsgi.option.'.length) : undefined;
}
