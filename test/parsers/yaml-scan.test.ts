/**
 * The fast YAML path (scanYaml + lazily built documents) against the yaml package path it skips
 * (`parseYaml(text, { scan: false })`): same errors with the same ranges, same documents with the same node ranges
 * and line counter, same settings, container images and heat `if` ranges, over every YAML fixture and test input,
 * over targeted snippets, and over seeded random mutations of the fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { parseYaml, type YamlOptions } from '../../src/parsers/yaml.js';
import { scanYaml } from '../../src/parsers/yaml-scan.js';
import { detectKind } from '../../src/parsers/detect-kind.js';
import { templateOf } from '../../src/parsers/parse-file.js';
import { extractFile } from '../../src/settings/extract-settings.js';
import { containerImages } from '../../src/settings/container-images.js';
import { heatConditionalRanges } from '../../src/settings/heat-conditions.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';
import type { YamlFile } from '../../src/model/ast/yaml.js';
import { ROOT } from '../rules/read-fixtures.js';

const knowledge = loadKnowledge();

function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) yamlFilesUnder(path, out);
    } else if (/\.(?:ya?ml|j2)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every YAML file of the repository's fixtures, tests and examples, relative to the root. */
const FILES = ['rules', 'test', 'examples']
  .flatMap((d) => yamlFilesUnder(join(ROOT, d)))
  .map((p) => p.slice(ROOT.length))
  .sort();

/** A comparable picture of a document: its JS value and every node's type and range, in walk order. */
function shape(doc: Document.Parsed): unknown {
  const nodes: string[] = [];
  const visit = (node: unknown): void => {
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (node === null || node === undefined) return;
    const n = node as { range?: number[]; constructor: { name: string } };
    nodes.push(`${n.constructor.name}@${n.range?.join(',')}`);
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(doc.contents);
  let js: unknown;
  try {
    js = doc.toJS({ mapAsMap: true, maxAliasCount: -1 });
  } catch (e) {
    js = `toJS: ${(e as Error).message}`; // a broken document (an unresolved alias): both paths fail alike
  }
  return { js, nodes };
}

function tree(file: YamlFile): unknown {
  return {
    documents: file.documents.map(shape),
    lineStarts: file.lineCounter.lineStarts,
    maskedText: file.maskedText,
    templateTags: file.templateTags,
  };
}

function parsedFile(path: string, text: string, options: YamlOptions): ParsedFile | undefined {
  const kind = detectKind(path, text);
  if (kind !== 'hiera' && kind !== 'heat' && kind !== 'heat-env' && kind !== 'ansible') return undefined;
  const syntaxes = templateOf(path, text, kind);
  const r = parseYaml(text, { ...options, ...(syntaxes ? { templated: true, syntaxes } : {}) });
  return { kind, path, text, tree: r.tree, errors: r.errors };
}

/** Asserts the fast path and the yaml package path agree on `text`; returns whether the scan was sure. */
function assertSame(text: string, label: string, path = 'hieradata/x.yaml'): boolean {
  const syntaxes = templateOf(path, text, 'hiera');
  const options: YamlOptions = syntaxes ? { templated: true, syntaxes } : {};
  const slow = parseYaml(text, { ...options, scan: false });
  const fast = parseYaml(text, options);
  assert.deepEqual(fast.errors, slow.errors, `${label}: errors`);
  const sure = scanYaml(fast.tree.maskedText);
  if (sure?.topLevelKeys !== undefined) {
    const keys = slow.tree.documents.flatMap((d) => (isMap(d.contents) ? d.contents.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : []));
    assert.deepEqual(sure.topLevelKeys, keys, `${label}: top-level keys`);
  }
  assert.deepEqual(tree(fast.tree), tree(slow.tree), `${label}: documents`);
  return sure !== undefined;
}

test('every YAML fixture and test input: the fast path yields the same errors, documents and settings', () => {
  assert.ok(FILES.length > 50, `found only ${FILES.length} YAML files`);
  let sure = 0;
  for (const path of FILES) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    if (assertSame(text, path, path)) sure++;
    const fast = parsedFile(path, text, {});
    const slow = parsedFile(path, text, { scan: false });
    if (fast === undefined || slow === undefined) continue;
    assert.deepEqual(fast.errors, slow.errors, `${path}: errors`);
    assert.deepEqual(extractFile(fast, knowledge), extractFile(slow, knowledge), `${path}: settings`);
    assert.deepEqual(containerImages(fast), containerImages(slow), `${path}: container images`);
    assert.deepEqual(heatConditionalRanges(fast), heatConditionalRanges(slow), `${path}: heat if ranges`);
  }
  // The point of the scan: nearly every real file takes the fast path.
  assert.ok(sure / FILES.length > 0.8, `only ${sure} of ${FILES.length} files were sure`);
});

test('hieradata without a known key: no tree is built, and the settings (none) are the same', () => {
  const text = 'ntp::servers:\n  - a\n  - b\nntp::iburst: true\n';
  const fast = parseYaml(text);
  assert.deepEqual(fast.tree.topLevelKeys, ['ntp::servers', 'ntp::iburst']);
  const file: ParsedFile = { kind: 'hiera', path: 'data/common.yaml', text, tree: fast.tree, errors: [] };
  let built = false;
  const spy = new Proxy(fast.tree, {
    get(target, prop) {
      if (prop === 'documents' || prop === 'lineCounter') built = true;
      return Reflect.get(target, prop) as unknown;
    },
  });
  assert.deepEqual(extractFile({ ...file, tree: spy }, knowledge), []);
  assert.equal(built, false);
  // A known key among unknown ones: the tree is built and the setting has its exact position.
  const known = 'ntp::iburst: true\n"nova::wsgi::apache_api::threads":   4 # four\n';
  const f = parseYaml(known);
  const settings = extractFile({ kind: 'hiera', path: 'data/common.yaml', text: known, tree: f.tree, errors: [] }, knowledge);
  assert.deepEqual(
    settings.map((s) => [s.key, s.range.start.line, s.range.start.column, s.range.end.column]),
    [['wsgi.threads', 2, 38, 39]],
  );
});

test('positions through the lazily built documents are those of the yaml package', () => {
  const text = '---\na:\n  b: [1, {c: "d"}]\n  e: |\n    one\n    two\n  f: >-\n    folded\n- x\n';
  // Not valid (a sequence entry after a mapping): the yaml package decides, and reports.
  assert.equal(assertSame(text, 'invalid'), false);
  const valid = '---\na:\n  b: [1, {c: "d"}]\n  e: |\n    one\n\n    two\n  f: >-\n    folded\n  g:\n  - x\n  - y: z\n    w: v\n';
  assert.equal(assertSame(valid, 'valid'), true);
  const { tree: file } = parseYaml(valid);
  const a = file.documents[0]!.get('a', true);
  assert.ok(isMap(a));
  const y = file.documents[0]!.getIn(['a', 'g', 1, 'y'], true) as { range: [number, number, number] };
  assert.deepEqual(file.lineCounter.linePos(y.range[0]), { line: 12, col: 8 });
});

test('duplicate keys found by the scan: the messages and ranges of the yaml package path, documents kept', () => {
  const text = 'a: 1\nb:\n  c: x\n  "c": y\na: {d: 1, d: 2}\n';
  const { tree, errors } = parseYaml(text);
  assert.ok(scanYaml(text));
  assert.deepEqual(
    errors.map((e) => [e.message, e.range.start.line, e.range.start.column, e.range.end.line, e.range.end.column]),
    [
      ['Map keys must be unique', 4, 3, 4, 6],
      ['Map keys must be unique', 5, 1, 5, 2],
      ['Map keys must be unique', 5, 11, 5, 12],
    ],
  );
  // Both pairs stay, as PyYAML and Psych read them (the last one wins there).
  assert.equal(tree.documents[0]!.contents && isMap(tree.documents[0]!.contents) ? tree.documents[0]!.contents.items.length : 0, 3);
});

test('absurd nesting never reaches the scan: the depth check refuses it first, as before', () => {
  const deep = `${'- '.repeat(5000)}x\n`;
  const { tree, errors } = parseYaml(deep);
  assert.deepEqual(tree.documents, []);
  assert.match(errors[0]!.message, /nesting deeper than 300 levels/);
  assert.equal(scanYaml(`${'['.repeat(100)}${']'.repeat(100)}\n`), undefined);
});

/** Snippets and whether the scan must be sure of them; either way both paths must agree. */
const CASES: Array<[string, string, boolean]> = [
  ['empty', '', true],
  ['comments only', '# a\n  # b\n\n', true],
  ['document markers', '---\na: 1\n---\nb: 2\n...\n# end\n---\n- c\n', true],
  ['content after ...', 'a: 1\n...\nb: 2\n', false],
  ['--- {}', '--- {}\n', true],
  ['--- [] then more', '--- []\n---\na: 1\n', true],
  ['root flow map', '{a: 1, b: [2, 3]}\n', true],
  ['root scalar', 'just text\n', false],
  ['--- scalar', '--- text\n', false],
  ['directive', '%YAML 1.1\n---\na: 1\n', false],
  ['duplicate keys', 'a: 1\nb: 2\na: 3\nb:\n  c: 1\n  c: 2\na: 4\n', true],
  ['duplicate in a flow map', 'x: {get_param: A, get_param: B}\n', true],
  ['duplicate quoted and plain', "a: 1\n'a': 2\n\"a\": 3\n", true],
  ['string and number are different keys', "'1': a\n1: b\n", false],
  ['booleans that may collide', 'yes: 1\ntrue: 2\n', false],
  ['numbers that may collide', '1: a\n0x1: b\n', false],
  ['one number key', '1: a\nb: c\n', true],
  ['same plain number twice', '1: a\n1: b\n', true],
  ['merge key', 'a: &x {b: 1}\nc:\n  <<: *x\n', false],
  ['anchors and aliases', 'a: &x 1\nb: *x\n', false],
  ['alias bomb', 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e]\n', false],
  ['local tags', 'Resources:\n  X:\n    Value: !Ref Y\n    Other: !GetAtt [A, B]\n    Sub: !Sub |\n      text\n    Q: !Sub "x"\n', true],
  ['core tag', 'a: !!str 1\n', false],
  ['verbatim tag', 'a: !<tag:x> 1\n', false],
  ['tag before a nested block', 'a: !Foo\n  b: 1\n', false],
  ['tag then an anchor', 'a: !Foo &x 1\n', false],
  ['tag without a blank', 'a: !Foo[1]\n', false],
  ['tag on a sequence entry', '- !Ref X\n', false],
  ['tagged key', '!Foo a: 1\n', false],
  ['heat functions', 'outputs:\n  v:\n    value: {get_attr: [server, networks, {get_param: net}, 0]}\n    if: [cond, {get_param: A}, 4]\n', true],
  ['flow across lines', 'a: [1,\n  2]\nb: {c: 1,\n    d: [e,\n f]}\n- [g,\n  h]\n', false],
  ['flow across lines in a mapping', 'a: [1,\n  2]\nb: {c: 1,\n    d: [e,\n f]}\n', true],
  ['flow across lines in a sequence', '- [g,\n  h]\n- {i: j,\n   k: l}\n', true],
  ['heat AllowedValues over lines', 'Parameters:\n  X:\n    AllowedValues: [GreaterThanOrEqualToThreshold, GreaterThanThreshold,\n      LessThanThreshold, LessThanOrEqualToThreshold]\n', true],
  ['flow continuation not indented enough', 'a:\n  b: [1,\n  2]\n', false],
  ['flow continuation at column 0', 'a: [1,\n2]\n', false],
  ['flow closing at the key column', 'a: [\n  1\n]\n', false],
  ['flow with a comment line', 'a: [1,\n  # c\n  2]\n', false],
  ['flow with a blank line', 'a: [1,\n\n  2]\n', false],
  ['flow key over a line break', 'a: {b\n  : 1}\n', false],
  ['flow quoted over lines', 'a: ["b\n  c"]\n', false],
  ['root flow over lines', '{a: 1,\n b: 2}\n', true],
  ['flow trailing comma', 'a: [1, 2, ]\n', false],
  ['flow pair in a sequence', 'a: [b: c]\n', false],
  ['flow with a JSON-like key', 'a: {"b":1}\n', false],
  ['flow with quoted scalars', "a: ['x', \"y\", 'it''s']\n", true],
  ['flow plain with colons', 'a: [http://x:80/y, b:c]\n', true],
  ['empty flow', 'a: []\nb: {}\nc: [ ]\n', true],
  ['unclosed flow', 'a: [1, 2\n', false],
  ['literal and folded block scalars', 'a: |\n  one\n    two\n\n  three\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n', true],
  ['block scalar in a sequence', '- |\n  text\n- >\n  more\n', true],
  ['block scalar with an indentation indicator', 'a: |2\n   x\n', false],
  ['block scalar with more-indented leading empty lines', 'a: |\n      \n  x\n', false],
  ['empty block scalar', 'a: |\nb: 1\n', true],
  ['block scalar less indented line', 'a: |\n    four\n  two\n', false],
  ['block scalar header with text', 'a: |x\n  y\n', false],
  ['multi-line plain scalar', 'a: one\n  two\n', false],
  ['multi-line quoted scalar', 'a: "one\n  two"\n', false],
  ['plain value on its own line', 'a:\n  value\nb: 1\n', true],
  ['nested mapping in compact value', 'a: b: c\n', false],
  ['value ending with a colon', 'a: b:\n', false],
  ['key without a space after the colon', 'a:b\n', false],
  ['comment right after a quoted scalar', 'a: "b"#c\n', false],
  ['comment with a space', 'a: "b" # c\nd: e # f\n', true],
  ['hash inside a plain scalar', 'a: b#c\n', true],
  ['sequence at the key indentation', 'a:\n- 1\n- 2\nb: 3\n', true],
  ['compact nested sequences', '- - a\n  - b\n- - c\n', true],
  ['compact mapping in a sequence', '- name: x\n  value: 1\n- name: y\n  items:\n  - a\n', true],
  ['bad indentation', 'a:\n    b: 1\n  c: 2\n', false],
  ['sequence entry in a mapping', 'a: 1\n- b\n', false],
  ['mapping key in a sequence', '- a\nb: 1\n', false],
  ['second root', '  a: 1\nb: 2\n', false],
  ['tab indentation', 'a:\n\tb: 1\n', false],
  ['CRLF', 'a: 1\r\nb: 2\r\n', false],
  ['BOM', '\ufeffa: 1\n', false],
  ['valid escapes', 'a: "\\t\\n\\\\ \\x41 \\u00e9 \\U0001F600 \\/"\n', true],
  ['invalid escape', 'a: "\\q"\n', false],
  ['escaped key', '"a\\tb": 1\n', false],
  ['ruby symbol keys', ':a: 1\n:b: 2\n', true],
  ['complex key', '? a\n: b\n', false],
  ['reserved indicators', 'a: @b\n', false],
  ['long implicit key', `${'k'.repeat(1100)}: 1\n`, false],
  ['template', "nova::wsgi::apache_api::threads: {{ threads }}\nkey: '{{ x }}'\n{% if a %}\nb: 1\n{% endif %}\n", true],
  ['YAML 1.1 values', 'a: on\nb: 0755\nc: 2016-10-14\nd: y\ne: 1_000\nf: .inf\ng: ~\n', true],
  ['non-ASCII', 'name: "Zoë"\nmotto: naïve café\n', true],
];

test('targeted snippets: the scan is sure of what it should be, and both paths agree', () => {
  for (const [label, text, sure] of CASES) {
    assert.equal(assertSame(text, label), sure, `${label}: sure`);
  }
});

test('seeded random mutations of the fixtures: whenever the scan is sure, both paths agree', () => {
  const texts = FILES.map((p) => readFileSync(join(ROOT, p), 'utf8')).filter((t) => t.length < 20_000);
  let seed = 20261127;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const pieces = [' ', '  ', '-', '- ', ':', ': ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '|', '>', '&a ', '*a', '!', '? ', '\n', '\n  ', 'x', '1', '\\', '.', '%', '@', '~', '---\n', '...\n', 'yes: 1\n', '1: x\n', '<<: {}\n', 'a: b: c', '\t', '|2', "''", ':x', 'key:\n- a\n'];
  const mutate = (text: string): string => {
    const r = random();
    const at = Math.floor(random() * (text.length + 1));
    if (r < 0.5) return text.slice(0, at) + pick(pieces) + text.slice(at);
    if (r < 0.65) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
    const lines = text.split('\n');
    const i = Math.floor(random() * lines.length);
    if (r < 0.8) lines.splice(i, 0, pick(lines));
    else if (r < 0.9) lines[i] = ' '.repeat(1 + Math.floor(random() * 3)) + lines[i]!;
    else lines[i] = lines[i]!.replace(/^ {1,3}/, '');
    return lines.join('\n');
  };
  let sure = 0;
  for (let k = 0; k < 1500; k++) {
    let text = pick(texts);
    for (let m = 1 + Math.floor(random() * 3); m > 0; m--) text = mutate(text);
    if (assertSame(text, `mutation ${k}: ${JSON.stringify(text.slice(0, 200))}`)) sure++;
  }
  assert.ok(sure > 250, `the scan was sure of only ${sure} mutations`);
});
