/**
 * Container image references of TripleO heat environments and templates: `parameter_defaults` entries and
 * `parameters: {X: {default: ...}}` whose name is `Container<Name>Image` or the older `Docker<Name>Image`
 * (`ContainerHttpdImage: registry.example.com/tripleo/openstack-httpd:16.2`). For rules about what an image tag
 * pins (an httpd version); the image name and tag are split the way container registries read them.
 */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { ParsedFile } from '../model/parsed-file.js';
import type { YamlFile } from '../model/ast/yaml.js';
import type { Range } from '../model/location.js';
import { yamlRange } from './yaml-value.js';

export interface ContainerImage {
  /** The heat parameter: `ContainerHttpdImage`. */
  parameter: string;
  /** The reference as written. */
  image: string;
  /** Repository path without registry host and tag: `tripleo/openstack-httpd`. */
  repository: string;
  /** The tag, when the reference has one (a digest-only reference has none). */
  tag?: string;
  range: Range;
}

const IMAGE_PARAMETER = /^(?:Container|Docker)\w*Image$/;

export function containerImages(file: ParsedFile): ContainerImage[] {
  if (file.kind !== 'heat' && file.kind !== 'heat-env') return [];
  const out: ContainerImage[] = [];
  for (const doc of file.tree.documents) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const defaults = root.get('parameter_defaults', true);
    if (isMap(defaults)) read(defaults, (v) => v, file.tree, out);
    const params = root.get('parameters', true);
    if (isMap(params)) read(params, (v) => (isMap(v) ? (v.get('default', true) as Node | undefined) : undefined), file.tree, out);
  }
  return out;
}

function read(map: YAMLMap, valueOf: (v: Node) => Node | undefined, tree: YamlFile, out: ContainerImage[]): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key) || !IMAGE_PARAMETER.test(String(pair.key.value)) || !pair.value) continue;
    const node = valueOf(pair.value as Node);
    if (!isScalar(node) || typeof node.value !== 'string') continue;
    out.push({ parameter: String(pair.key.value), ...splitImage(node.value), range: yamlRange(tree, node) });
  }
}

/** `host:5000/ns/name:tag@sha256:...` -> repository `ns/name`, tag `tag`. */
export function splitImage(image: string): { image: string; repository: string; tag?: string } {
  const ref = image.trim().replace(/@.*$/, '');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > slash ? ref.slice(colon + 1) : undefined;
  let path = colon > slash ? ref.slice(0, colon) : ref;
  const first = path.split('/')[0] ?? '';
  // A first segment with a dot or a port, or `localhost`, is a registry host.
  if (path.includes('/') && (/[.:]/.test(first) || first === 'localhost')) path = path.slice(first.length + 1);
  return tag !== undefined && tag !== '' ? { image, repository: path, tag } : { image, repository: path };
}
