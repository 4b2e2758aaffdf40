/**
 * YAML nodes -> setting values and ranges, for hieradata, heat templates and environments.
 * Heat intrinsics (`{get_param: NovaWorkers}`), hiera interpolation (`%{hiera('x')}`) and template tags stay
 * expressions; `get_param` resolves when the same template gives the parameter a literal default.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Range } from '../model/location.js';
import type { Value } from '../model/setting.js';
import type { YamlFile } from '../model/ast/yaml.js';

/** Heat parameter defaults of the template being read, by parameter name. */
export type ParamDefaults = ReadonlyMap<string, Value>;

export interface YamlContext {
  file: YamlFile;
  /** The original (unmasked) text, to show template tags as written. */
  text: string;
  params?: ParamDefaults;
}

/** Source range of a YAML node (its value, not trailing comments). */
export function yamlRange(file: YamlFile, node: { range?: [number, number, number] | null | undefined }): Range {
  const [start, end] = node.range ?? [0, 0, 0];
  return { start: position(file, start), end: position(file, end) };
}

function position(file: YamlFile, offset: number) {
  const { line, col } = file.lineCounter.linePos(offset);
  return { line, column: col, offset };
}

const TEMPLATE_TAG = /\{\{|\{%|<%/;
const HIERA_INTERPOLATION = /%\{[^}]*\}/;

/** The value a YAML node stands for. */
export function yamlValue(node: Node | null | undefined, ctx: YamlContext): Value {
  if (!node) return { kind: 'literal', value: null };
  const source = node.range ? ctx.text.slice(node.range[0], node.range[1]) : '';
  if (TEMPLATE_TAG.test(source)) return { kind: 'expression', text: source.trim() };
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string' && HIERA_INTERPOLATION.test(v)) return { kind: 'expression', text: v };
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      return { kind: 'literal', value: v };
    }
    return { kind: 'expression', text: source.trim() };
  }
  if (isSeq(node)) return { kind: 'list', items: node.items.map((i) => yamlValue(i as Node, ctx)) };
  if (isMap(node)) {
    const intrinsic = heatIntrinsic(node, ctx);
    if (intrinsic) return intrinsic;
    const entries: Record<string, Value> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      entries[key] = yamlValue(pair.value as Node, ctx);
    }
    return { kind: 'map', entries };
  }
  return { kind: 'expression', text: source.trim() };
}

/** `{get_param: X}` (resolved against the template's defaults when literal), or any other heat function. */
function heatIntrinsic(node: Node, ctx: YamlContext): Value | undefined {
  if (!isMap(node) || node.items.length !== 1) return undefined;
  const pair = node.items[0]!;
  const fn = isScalar(pair.key) ? String(pair.key.value) : '';
  if (!/^(get_param|get_attr|get_resource|str_replace|list_join|if|yaql|map_merge|map_replace|get_file|str_split|repeat|equals|not|and|or|contains|filter|make_url|list_concat|list_concat_unique)$/.test(fn)) {
    return undefined;
  }
  const text = node.range ? ctx.text.slice(node.range[0], node.range[1]).trim() : fn;
  if (fn === 'get_param' && isScalar(pair.value)) {
    const name = String(pair.value.value);
    const def = ctx.params?.get(name);
    if (def && def.kind === 'literal' && def.value !== null) return def;
    return { kind: 'expression', text: `{get_param: ${name}}` };
  }
  return { kind: 'expression', text };
}
