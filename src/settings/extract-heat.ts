/**
 * TripleO heat templates and environments -> settings.
 * - Templates: hiera keys under `config_settings` / `global_config_settings` / `service_config_settings`
 *   (through `map_merge` and `if` branches), with `{get_param: X}` resolved against the template's own
 *   parameter defaults.
 * - Environments: `parameter_defaults` `ExtraConfig` / `<Role>ExtraConfig` hiera maps (scope = role), and heat
 *   parameters that knowledge maps to hiera keys (`NovaWorkers`).
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Knowledge } from '../model/knowledge.js';
import type { Setting, Value } from '../model/setting.js';
import type { YamlFile } from '../model/ast/yaml.js';
import { settingsFromHieraPair, type HieraOrigin } from './hiera-settings.js';
import { yamlRange, yamlValue, type YamlContext } from './yaml-value.js';

const CONFIG_KEYS = new Set(['config_settings', 'global_config_settings']);
const INTRINSIC_KEYS = new Set(['map_merge', 'if', 'map_replace', 'list_concat']);
const EXTRA_CONFIG = /^(\w*?)ExtraConfig$/;

export function extractHeat(path: string, text: string, tree: YamlFile, knowledge: Knowledge): Setting[] {
  const out: Setting[] = [];
  for (const doc of tree.documents) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const ctx: YamlContext = { file: tree, text, params: parameterDefaults(root, { file: tree, text }) };
    const template = path.slice(path.lastIndexOf('/') + 1).replace(/(-container)?(-puppet)?(\.j2)?\.ya?ml$/, '');
    walk(root, (key, value) => {
      if (CONFIG_KEYS.has(key)) {
        hieraMaps(value, (map) => collect(map, ctx, knowledge, { path, where: `THT ${key}`, scope: template }, out));
        return false;
      }
      if (key === 'service_config_settings' && isMap(value)) {
        for (const svc of value.items) {
          hieraMaps(svc.value as Node, (map) =>
            collect(map, ctx, knowledge, { path, where: 'THT service_config_settings', scope: String(svc.key) }, out),
          );
        }
        return false;
      }
      if (key === 'parameter_defaults' && isMap(value)) {
        out.push(...parameterDefaultSettings(value, ctx, knowledge, path));
        return false;
      }
      return true;
    });
  }
  return out;
}

function parameterDefaultSettings(defaults: YAMLMap, ctx: YamlContext, knowledge: Knowledge, path: string): Setting[] {
  const out: Setting[] = [];
  for (const pair of defaults.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const extra = EXTRA_CONFIG.exec(name);
    if (extra) {
      const origin: HieraOrigin = { path, where: name };
      if (extra[1]) origin.scope = extra[1];
      hieraMaps(pair.value as Node, (map) => collect(map, ctx, knowledge, origin, out));
      continue;
    }
    for (const hieraKey of knowledge.heatParameterHieraKeys(name)) {
      const mapping = knowledge.hieraKey(hieraKey);
      if (!mapping) continue;
      const node = (pair.value as Node | null) ?? (pair.key as Node);
      const setting: Setting = {
        key: mapping.key,
        service: mapping.service,
        value: yamlValue(pair.value as Node, ctx),
        path,
        range: yamlRange(ctx.file, node),
        via: `${name} (THT parameter, sets ${hieraKey})`,
      };
      if (mapping.server) setting.server = mapping.server;
      if (mapping.scope) setting.scope = mapping.scope;
      out.push(setting);
    }
  }
  return out;
}

function collect(map: YAMLMap, ctx: YamlContext, knowledge: Knowledge, origin: HieraOrigin, out: Setting[]): void {
  for (const pair of map.items) out.push(...settingsFromHieraPair(pair, ctx, knowledge, origin));
}

/** Calls `visit` on every plain hiera map inside a config_settings value, looking through heat functions. */
function hieraMaps(node: Node | null | undefined, visit: (map: YAMLMap) => void, depth = 0): void {
  if (!node || depth > 20) return;
  if (isSeq(node)) {
    for (const item of node.items) hieraMaps(item as Node, visit, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  const only = node.items.length === 1 ? node.items[0] : undefined;
  if (only && isScalar(only.key) && INTRINSIC_KEYS.has(String(only.key.value))) {
    hieraMaps(only.value as Node, visit, depth + 1);
    return;
  }
  visit(node);
}

/** `parameters: {X: {default: ...}}` of a template, or `parameters: {X: value}` of an old-style environment. */
function parameterDefaults(root: YAMLMap, ctx: YamlContext): Map<string, Value> {
  const out = new Map<string, Value>();
  const params = root.get('parameters', true);
  if (!isMap(params)) return out;
  for (const pair of params.items) {
    if (!isScalar(pair.key)) continue;
    const def = isMap(pair.value) ? pair.value.get('default', true) : undefined;
    if (def !== undefined) out.set(String(pair.key.value), yamlValue(def as Node, ctx));
  }
  return out;
}

/** Depth-first walk over map entries; `visit` returns false to skip an entry's children. */
function walk(node: Node, visit: (key: string, value: Node | null) => boolean, depth = 0): void {
  if (depth > 50) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as Node | null;
      if (visit(key, value) && value) walk(value, visit, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(item as Node, visit, depth + 1);
  }
}
