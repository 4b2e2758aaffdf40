/** Test helper: the settings of one file, parsed the way review() parses it. */
import assert from 'node:assert/strict';
import { parseFile } from '../../src/parsers/parse-file.js';
import { extractSettings } from '../../src/settings/extract-settings.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { Setting } from '../../src/model/setting.js';

export function settingsOf(path: string, text: string): Setting[] {
  const parsed = parseFile(path, text);
  assert.notEqual(parsed.kind, 'unknown', `${path} should be a known kind`);
  if (parsed.kind === 'unknown') return [];
  assert.deepEqual(parsed.errors, [], `${path} should parse cleanly`);
  return extractSettings([parsed], loadKnowledge());
}

/** The essentials of a setting, for compact deep-equal assertions. */
export function brief(s: Setting): Record<string, unknown> {
  const out: Record<string, unknown> = { key: s.key, service: s.service, line: s.range.start.line };
  if (s.value.kind === 'literal') out['value'] = s.value.value;
  else if (s.value.kind === 'expression') {
    out['expr'] = s.value.text;
    if (s.value.min !== undefined) out['min'] = s.value.min;
  } else out['value'] = s.value.kind;
  if (s.scope) out['scope'] = s.scope;
  if (s.implicit) out['implicit'] = true;
  return out;
}
