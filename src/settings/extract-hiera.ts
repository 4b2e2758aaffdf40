/** Hieradata (`nova::wsgi::apache_api::threads: 4`) -> settings. */
import { isMap } from 'yaml';
import type { Knowledge } from '../model/knowledge.js';
import type { Setting } from '../model/setting.js';
import type { YamlFile } from '../model/ast/yaml.js';
import { settingsFromHieraPair } from './hiera-settings.js';

export function extractHiera(path: string, text: string, tree: YamlFile, knowledge: Knowledge): Setting[] {
  // Only root keys can be settings: when none is a key knowledge maps, the documents need not be built.
  if (tree.topLevelKeys !== undefined && !tree.topLevelKeys.some((k) => knowledge.hieraKey(k) !== undefined)) return [];
  const out: Setting[] = [];
  const ctx = { file: tree, text };
  for (const doc of tree.documents) {
    if (!isMap(doc.contents)) continue;
    for (const pair of doc.contents.items) {
      out.push(...settingsFromHieraPair(pair, ctx, knowledge, { path, where: 'hiera' }));
    }
  }
  return out;
}
