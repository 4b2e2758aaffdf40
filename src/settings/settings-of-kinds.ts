/**
 * The settings a rule should judge: those read from files of the kinds the rule claims. A rule runs when any file
 * of its kinds is in the change, but `context.settings` holds every file's settings, including oslo.messaging's
 * own option defaults read from Python (`cfg.IntOpt('heartbeat_rate', default=2)`), which are code, not
 * deployment configuration.
 */
import type { FileKind } from '../model/file-kind.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';

export function settingsOfKinds(
  side: { readonly settings: readonly Setting[]; readonly files: readonly ParsedFile[] },
  kinds: readonly FileKind[],
): Setting[] {
  const wanted = new Set(kinds);
  const paths = new Set(side.files.filter((f) => wanted.has(f.kind)).map((f) => f.path));
  return side.settings.filter((s) => paths.has(s.path));
}
