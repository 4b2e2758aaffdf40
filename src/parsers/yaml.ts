/**
 * parseYaml: YAML text (hieradata, TripleO heat templates and environments, Ansible vars) -> YamlFile, the `yaml`
 * package's own documents (src/model/ast/yaml.ts), plus helpers to tell templated values apart.
 *
 * Choices, and why:
 * - YAML 1.1, like every consumer of these files (Psych for hiera, PyYAML for heat and Ansible), so `on`/`yes`
 *   are booleans and `0755` is octal, as the service will read them. Two PyYAML details are kept too: `y`/`n` stay
 *   strings (PyYAML and Psych do not treat them as booleans, the yaml package's 1.1 schema does), and timestamps
 *   stay strings (`heat_template_version: 2016-10-14`; heat's loader does the same).
 * - Unknown tags (`!Ref`, `!GetAtt`, `!!foo`) are read as their untagged value, with no error: heat and CFN-style
 *   templates use them legitimately.
 * - Duplicate keys are reported but the document is kept; consumers see both pairs and the last one wins in
 *   PyYAML and Psych. The check is ours (`uniqueKeys: false`): yaml's compares each key with every earlier one,
 *   which takes minutes on a 100k-key map; a Set per map is linear.
 * - Alias bombs: the yaml package only enforces `maxAliasCount` when converting to JS, not while parsing. So
 *   after parsing, every document that contains aliases is sized as if its aliases were expanded (memoised, so
 *   linear in the document); beyond MAX_YAML_EXPANDED_NODES its contents are dropped (set to null) with an
 *   error, and consumers can walk and `toJS()` what remains without risk.
 * - Files over MAX_YAML_SIZE, or nesting deeper than MAX_YAML_DEPTH (see yaml-depth.ts: deep nesting can abort
 *   the process inside the yaml package), are not parsed: an error and no documents.
 * - Speed: most YAML is never walked (Ansible variables; hieradata without a key knowledge maps), and building the
 *   yaml package's documents is most of the cost of reading it. So the text is first read by scanYaml
 *   (yaml-scan.ts), a fast check of the common block style that is sure or gives up: when sure, the yaml package
 *   would report nothing but the duplicate keys the scan locates itself, and the documents are built on first
 *   access (LazyYamlFile); otherwise the yaml package parses right away, as always. Either way the errors, the
 *   documents and every position are the same (test/parsers/yaml-scan.test.ts compares the two paths).
 * - Templates (`.j2.yaml`, Ansible `{{ }}`): with `templated: true` the text is masked first (mask-template.ts);
 *   an expression tag inside a value becomes a `_` run, so it stays a scalar. `YamlFile.templateTags` lists the
 *   tags; `isTemplated(file, node)` says whether a node's source overlaps one.
 */
import {
  type Document,
  LineCounter,
  isAlias,
  isCollection,
  isPair,
  isScalar,
  parseAllDocuments,
  type Node as YamlNode,
  type ScalarTag,
  type Tags,
  type YAMLError,
} from 'yaml';
import type { YamlFile } from '../model/ast/yaml.js';
import type { ParseError, ParseResult } from '../model/parse-result.js';
import { LineIndex } from './line-index.js';
import { yamlNestingDepth } from './yaml-depth.js';
import { scanYaml } from './yaml-scan.js';
import { maskIfTemplated, overlapsTag, type TemplateOptions, type TemplateTag } from './mask-template.js';

/**
 * YAML files are templates as `.j2.yaml` or Ansible-style `{{ }}` values. `scan: false` always parses with the yaml
 * package right away (the path scanYaml skips; tests compare the two).
 */
export type YamlOptions = TemplateOptions & { scan?: boolean };

export const MAX_YAML_SIZE = 10 * 1024 * 1024;
/** Expanded node count beyond which a document with aliases is taken for an alias bomb. */
export const MAX_YAML_EXPANDED_NODES = 100_000;
/** Estimated nesting depth beyond which a text is not parsed (real files nest tens of levels at most). */
export const MAX_YAML_DEPTH = 300;

const DUPLICATE_KEY = 'Map keys must be unique';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/** The YAML 1.1 tags as PyYAML resolves them: no timestamps, no `y`/`n` booleans. */
function pyyamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    if (typeof t !== 'object') {
      out.push(t);
      continue;
    }
    if (t.tag === TIMESTAMP_TAG) continue;
    if (t.tag === BOOL_TAG && 'test' in t && t.test instanceof RegExp && typeof t.identify === 'function') {
      out.push({ ...(t as ScalarTag), test: t.identify(true) ? PY_TRUE : PY_FALSE });
      continue;
    }
    out.push(t);
  }
  return out;
}

export function parseYaml(text: string, options: YamlOptions = {}): ParseResult<YamlFile> {
  const errors: ParseError[] = [];
  if (text.length > MAX_YAML_SIZE) {
    const lineCounter = new LineCounter();
    const lines = new LineIndex('');
    errors.push({ message: `file too large to parse (${text.length} characters)`, range: lines.range(0, 0) });
    lineCounter.addNewLine(0);
    return { tree: { documents: [], lineCounter, maskedText: '' }, errors };
  }
  const { text: src, tags, errors: maskErrors } = maskIfTemplated(text, options);
  errors.push(...maskErrors);
  const depth = yamlNestingDepth(src, MAX_YAML_DEPTH);
  if (depth > MAX_YAML_DEPTH) {
    const lineCounter = new LineCounter();
    const tree: YamlFile = { documents: [], lineCounter, maskedText: src };
    if (tags.length > 0) tree.templateTags = tags;
    errors.push({ message: `nesting deeper than ${MAX_YAML_DEPTH} levels; not parsed`, range: new LineIndex(src).range(0, 0) });
    lineCounter.addNewLine(0);
    return { tree, errors };
  }
  // The common case: scanYaml is sure the yaml package finds nothing to report, so its documents are built only
  // if a consumer reads them.
  const scan = options.scan === false ? undefined : scanYaml(src);
  if (scan !== undefined) {
    if (scan.duplicates.length > 0) {
      const lines = new LineIndex(src);
      for (const [start, end] of scan.duplicates) errors.push({ message: DUPLICATE_KEY, range: lines.range(start, end) });
    }
    return { tree: new LazyYamlFile(src, tags, scan.topLevelKeys), errors };
  }
  const parsed = parseDocuments(src);
  errors.push(...parsed.errors);
  const tree: YamlFile = { documents: parsed.documents, lineCounter: parsed.lineCounter, maskedText: src };
  if (tags.length > 0) tree.templateTags = tags;
  return { tree, errors };
}

/**
 * A YamlFile whose text scanYaml was sure of: the yaml package's documents (and the line counter they fill) are
 * built on first access, once. Parsing them then finds no error but the duplicate keys the scan already reported
 * (scanYaml's contract), so the errors of that parse are dropped, none lost and none reported twice.
 */
class LazyYamlFile implements YamlFile {
  readonly maskedText: string;
  templateTags?: YamlFile['templateTags'];
  readonly topLevelKeys: readonly string[] | undefined;
  #parsed: { documents: Document.Parsed[]; lineCounter: LineCounter } | undefined;

  constructor(src: string, tags: TemplateTag[], topLevelKeys: readonly string[] | undefined) {
    this.maskedText = src;
    if (tags.length > 0) this.templateTags = tags;
    this.topLevelKeys = topLevelKeys;
  }

  get documents(): Document.Parsed[] {
    return (this.#parsed ??= parseDocuments(this.maskedText)).documents;
  }

  get lineCounter(): LineCounter {
    return (this.#parsed ??= parseDocuments(this.maskedText)).lineCounter;
  }
}

/**
 * The yaml package's documents of a (masked) text with every error parseYaml reports: syntax errors and warnings,
 * duplicate keys, alias bombs (whose contents are dropped).
 */
function parseDocuments(src: string): { documents: Document.Parsed[]; lineCounter: LineCounter; errors: ParseError[] } {
  const lineCounter = new LineCounter();
  const errors: ParseError[] = [];
  const documents: Document.Parsed[] = [];
  let lineIndex: LineIndex | undefined;
  const lines = (): LineIndex => (lineIndex ??= new LineIndex(src));
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(src, {
      lineCounter,
      version: '1.1',
      customTags: pyyamlTags,
      prettyErrors: false,
      keepSourceTokens: false,
      uniqueKeys: false,
    });
    // An empty stream (no documents) is an array-like with `empty: true`; it may carry errors.
    if (Array.isArray(parsed)) docs = parsed;
    else {
      docs = [];
      for (const e of (parsed as { errors?: YAMLError[] }).errors ?? []) errors.push(toParseError(e, lines()));
    }
  } catch (e) {
    // The yaml package reports problems as data; this only guards against a bug in it.
    errors.push({ message: `YAML parser failure: ${(e as Error).message}`, range: lines().range(0, 0) });
    return { documents, lineCounter, errors };
  }

  for (const doc of docs) {
    for (const e of doc.errors) errors.push(toParseError(e, lines()));
    for (const key of duplicateKeys(doc)) {
      errors.push({ message: DUPLICATE_KEY, range: lines().range(key.range![0], key.range![1]) });
    }
    for (const w of doc.warnings) {
      if (w.code === 'TAG_RESOLVE_FAILED') continue; // `!Ref` and friends: legitimate in heat templates
      errors.push(toParseError(w, lines(), 'warning: '));
    }
    const size = expandedSize(doc, MAX_YAML_EXPANDED_NODES);
    if (size > MAX_YAML_EXPANDED_NODES) {
      const at = doc.contents?.range ?? [0, 0];
      errors.push({
        message: `aliases expand this document beyond ${MAX_YAML_EXPANDED_NODES} nodes (alias bomb?); its contents are ignored`,
        range: lines().range(at[0], at[1]),
      });
      doc.contents = null;
    }
    documents.push(doc);
  }
  return { documents, lineCounter, errors };
}

function toParseError(e: YAMLError, lines: LineIndex, prefix = ''): ParseError {
  // yaml's message ends with " at line L, column C:" plus a source excerpt when prettyErrors is on; it is off,
  // so the message is plain and the location comes from `pos`.
  const [start, end] = e.pos;
  return { message: prefix + e.message, range: lines.range(start, end) };
}

/**
 * Scalar keys that repeat an earlier key of the same map (`<<` merge keys may repeat), in document order. One
 * visit per node; aliases are not followed, so an alias bomb costs nothing here.
 */
function duplicateKeys(doc: Document.Parsed): YamlNode[] {
  const out: YamlNode[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      const key = item.key;
      if (isScalar(key) && key.range && key.source !== '<<') {
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id)) out.push(key);
        else seen.add(id);
      }
      stack.push(key, item.value);
    }
  }
  return out.sort((a, b) => a.range![0] - b.range![0]);
}

/**
 * Node count of the document with every alias expanded, stopping once past `limit`. Memoised per node, so an
 * anchor referenced many times is sized once; a self-referencing anchor counts as infinite. Documents without
 * aliases are just counted (cheap: one visit per node).
 */
function expandedSize(doc: Document.Parsed, limit: number): number {
  const memo = new Map<YamlNode, number>();
  const active = new Set<YamlNode>();
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    if (isPair(node)) return size(node.key) + size(node.value);
    if (isScalar(node)) return 1;
    if (isAlias(node)) {
      let target: YamlNode | undefined;
      try {
        target = node.resolve(doc) as YamlNode | undefined;
      } catch {
        target = undefined;
      }
      return target === undefined ? 1 : size(target);
    }
    if (isCollection(node)) {
      const known = memo.get(node);
      if (known !== undefined) return known;
      if (active.has(node)) return Infinity;
      active.add(node);
      let total = 1;
      for (const item of node.items) {
        total += size(item);
        if (total > limit) break;
      }
      active.delete(node);
      memo.set(node, total);
      return total;
    }
    return 1;
  };
  return size(doc.contents);
}

/** Does this node's source overlap a masked template tag (its value is an expression, not a literal)? */
export function isTemplated(file: YamlFile, node: { range?: [number, number, number] | null | undefined }): boolean {
  const tags = file.templateTags;
  if (!tags || tags.length === 0 || !node.range) return false;
  return overlapsTag(tags as TemplateTag[], node.range[0], node.range[1]);
}

