/**
 * One hiera key and its value -> settings. Shared by hieradata files and TripleO heat templates
 * (`config_settings`, `ExtraConfig`, `<Role>ExtraConfig`), which all hold Puppet's automatic parameter lookup
 * keys `<class>::<param>`.
 */
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import type { Knowledge } from '../model/knowledge.js';
import type { Setting } from '../model/setting.js';
import { yamlRange, yamlValue, type YamlContext } from './yaml-value.js';
import { settingsFromCustomOptions } from './custom-wsgi-options.js';

export interface HieraOrigin {
  path: string;
  /** How the key was found, appended to `via`: `hiera`, `THT config_settings`, `ComputeExtraConfig`. */
  where: string;
  scope?: string;
}

/** Settings of one `key: value` pair; empty when knowledge does not know the key. */
export function settingsFromHieraPair(pair: Pair, ctx: YamlContext, knowledge: Knowledge, origin: HieraOrigin): Setting[] {
  if (!isScalar(pair.key)) return [];
  const key = String(pair.key.value);
  const mapping = knowledge.hieraKey(key);
  if (!mapping) return [];
  const node = pair.value as Node | null;
  const anchor = node ?? (pair.key as Node);
  const value = yamlValue(node, ctx);
  const setting: Setting = {
    key: mapping.key,
    service: mapping.service,
    value,
    path: origin.path,
    range: yamlRange(ctx.file, anchor),
    via: `${key} (${origin.where})`,
  };
  if (mapping.server) setting.server = mapping.server;
  const scope = mapping.scope ?? origin.scope;
  if (scope) setting.scope = scope;
  const out = [setting];
  if (mapping.key === 'wsgi.custom_options' && node && isMap(node)) {
    for (const item of node.items) {
      if (!isScalar(item.key)) continue;
      out.push(
        ...settingsFromCustomOptions(String(item.key.value), yamlValue(item.value as Node, ctx), {
          ...setting,
          range: yamlRange(ctx.file, (item.value as Node | null) ?? (item.key as Node)),
          via: `${key} ${String(item.key.value)} (${origin.where})`,
        }),
      );
    }
  }
  return out;
}
