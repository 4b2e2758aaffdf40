/**
 * `custom_wsgi_process_options` is merged last into WSGIDaemonProcess by openstacklib::wsgi::apache
 * (`stdlib::merge`), so a `threads` or `processes` key in it overrides the class parameter. This turns one key of
 * that hash into the setting it overrides.
 */
import type { Setting, Value } from '../model/setting.js';

const OVERRIDES: Readonly<Record<string, string>> = { threads: 'wsgi.threads', processes: 'wsgi.processes' };

/** The overriding setting for a custom option key, or nothing for keys that are not settings. */
export function settingsFromCustomOptions(option: string, value: Value, base: Setting): Setting[] {
  const key = OVERRIDES[option.toLowerCase()];
  if (!key) return [];
  return [{ ...base, key, value, via: `${base.via}, merged over ${option}` }];
}
