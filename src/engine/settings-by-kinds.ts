/**
 * Each rule sees the settings read from files of the kinds it declares (meta.kinds), not every file's: a rule
 * that reads hieradata and INI must not judge oslo.messaging's own option defaults read from Python
 * (`cfg.IntOpt('heartbeat_rate', default=2)` is code, not a deployment choice). Rules that do judge code
 * defaults declare `python`. Filtering here, once per distinct kind set, keeps that out of every rule.
 */
import type { FileKind } from '../model/file-kind.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';

export interface SettingsSide {
  readonly settings: readonly Setting[];
  readonly files: readonly ParsedFile[];
}

/** A memoised view of one side's settings by kind set; reads the side lazily (the old side parses on demand). */
export function settingsByKinds(side: SettingsSide): (kinds: readonly FileKind[]) => readonly Setting[] {
  const cache = new Map<string, readonly Setting[]>();
  return (kinds) => {
    const key = [...kinds].sort().join(',');
    let hit = cache.get(key);
    if (hit === undefined) {
      const wanted = new Set(kinds);
      const paths = new Set(side.files.filter((f) => wanted.has(f.kind)).map((f) => f.path));
      hit = paths.size === side.files.length ? side.settings : side.settings.filter((s) => paths.has(s.path));
      cache.set(key, hit);
    }
    return hit;
  };
}
