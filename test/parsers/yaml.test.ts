import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { isTemplated, parseYaml } from '../../src/parsers/yaml.js';
import type { YamlFile } from '../../src/model/ast/yaml.js';
import type { Range } from '../../src/model/location.js';

function span(r: Range): string {
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/** line:col of a node's start, through the file's own LineCounter. */
function at(file: YamlFile, node: Node | null | undefined): string {
  const { line, col } = file.lineCounter.linePos(node!.range![0]);
  return `${line}:${col}`;
}

const HEAT = `heat_template_version: wallaby

description: >
  OpenStack containerized Nova API service

parameters:
  NovaWorkers:
    default: 0
    description: Number of workers for Nova services.
    type: number
  NovaApiThreads:
    default: 1
    type: number

conditions:
  nova_workers_set:
    not: {equals : [{get_param: NovaWorkers}, 0]}

outputs:
  role_data:
    description: Role data for the Nova API service.
    value:
      service_name: nova_api
      config_settings:
        nova::wsgi::apache_api::threads: {get_param: NovaApiThreads}
        nova::api::enabled: true
        nova::wsgi::apache_api::workers:
          if:
          - nova_workers_set
          - {get_param: NovaWorkers}
          - 4
`;

test('TripleO heat template: config_settings values with their locations', () => {
  const { tree, errors } = parseYaml(HEAT);
  assert.deepEqual(errors, []);
  assert.equal(tree.documents.length, 1);
  assert.equal(tree.maskedText, HEAT);
  const doc = tree.documents[0]!;
  assert.equal(doc.get('heat_template_version'), 'wallaby');
  const settings = doc.getIn(['outputs', 'role_data', 'value', 'config_settings'], true) as YAMLMap<Scalar, Node>;
  assert.ok(isMap(settings));
  const threads = settings.items[0] as Pair<Scalar, Node>;
  assert.equal(threads.key.value, 'nova::wsgi::apache_api::threads');
  assert.equal(at(tree, threads.key), '25:9');
  assert.ok(isMap(threads.value));
  assert.deepEqual((threads.value as YAMLMap).toJSON(), { get_param: 'NovaApiThreads' });
  assert.equal(at(tree, threads.value), '25:42');
  assert.equal(HEAT.slice(threads.value!.range![0], threads.value!.range![1]), '{get_param: NovaApiThreads}');
  const enabled = settings.items[1]!.value as Scalar;
  assert.equal(enabled.value, true);
  const workers = settings.items[2]!.value as YAMLMap;
  const branches = workers.get('if', true) as Node;
  assert.ok(isSeq(branches));
  assert.equal(at(tree, branches.items[2] as Node), '31:13');
  assert.equal(doc.getIn(['parameters', 'NovaWorkers', 'default']), 0);
});

test('hieradata: flat class::param keys', () => {
  const text = '---\nnova::wsgi::apache_api::threads: 4\nnova::wsgi::apache_api::workers: "%{facts.os_workers}"\nnova::rabbit_heartbeat_timeout_threshold: 0\n';
  const { tree, errors } = parseYaml(text);
  assert.deepEqual(errors, []);
  const map = tree.documents[0]!.contents as YAMLMap<Scalar, Scalar>;
  assert.deepEqual(
    map.items.map((p) => [p.key.value, p.value!.value, at(tree, p.value)]),
    [
      ['nova::wsgi::apache_api::threads', 4, '2:34'],
      ['nova::wsgi::apache_api::workers', '%{facts.os_workers}', '3:34'],
      ['nova::rabbit_heartbeat_timeout_threshold', 0, '4:43'],
    ],
  );
});

test('YAML 1.1 as PyYAML/Psych read it: yes/on are booleans, y/n are strings, dates stay strings, 0755 is octal', () => {
  const { tree, errors } = parseYaml('a: yes\nb: on\nc: y\nd: n\ne: 2016-10-14\nf: 0755\ng: Off\nh: ~\ni: 1_000\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(tree.documents[0]!.toJS(), {
    a: true,
    b: true,
    c: 'y',
    d: 'n',
    e: '2016-10-14',
    f: 493,
    g: false,
    h: null,
    i: 1000,
  });
});

test('custom and unknown tags do not crash or report errors', () => {
  const text = 'Resources:\n  X:\n    Value: !Ref Foo\n    List: !GetAtt [a, b]\n    Bin: !!binary aGVsbG8=\n    Odd: !!foo bar\n    Str: !!str 4\n';
  const { tree, errors } = parseYaml(text);
  assert.deepEqual(errors, []);
  const x = tree.documents[0]!.getIn(['Resources', 'X']) as YAMLMap;
  assert.equal(x.get('Value'), 'Foo');
  assert.equal(x.get('Odd'), 'bar');
  assert.equal(x.get('Str'), '4');
  assert.equal((x.get('Value', true) as Scalar).tag, '!Ref');
});

test('multiple documents; errors carry line/column and documents are kept', () => {
  const text = 'a: 1\n---\nb: [1, 2\nc: 3\n---\nd: "unclosed\n';
  const { tree, errors } = parseYaml(text);
  assert.equal(tree.documents.length, 3);
  assert.equal(tree.documents[0]!.get('a'), 1);
  assert.ok(errors.length >= 2);
  for (const e of errors) {
    assert.equal(typeof e.message, 'string');
    assert.ok(e.range.start.line >= 3, `error ${e.message} at ${span(e.range)}`);
    assert.equal(e.range.start.offset <= e.range.end.offset, true);
  }
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [
      ['Flow sequence in block collection must be sufficiently indented and end with a ]', '4:1-4:2'],
      ['Missing closing "quote', '7:1-7:1'], // yaml reports it where the input ends
    ],
  );
});

test('duplicate keys: an error at the second key; both pairs kept', () => {
  const text = 'threads: 1\nworkers: 2\nthreads: 8\n';
  const { tree, errors } = parseYaml(text);
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [['Map keys must be unique', '3:1-3:8']],
  );
  const map = tree.documents[0]!.contents as YAMLMap<Scalar, Scalar>;
  assert.deepEqual(
    map.items.map((p) => [p.key.value, p.value!.value]),
    [
      ['threads', 1],
      ['workers', 2],
      ['threads', 8],
    ],
  );
});

test('duplicate keys in nested maps and flow maps; repeated merge keys and equal keys of other types are fine', () => {
  const text = 'a:\n  x: 1\n  y: {p: 1, p: 2}\n  x: 3\nb: &b {k: 1}\nc:\n  <<: *b\n  <<: {m: 1}\n1: one\n"1": string one\n';
  const { errors } = parseYaml(text);
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [
      ['Map keys must be unique', '3:13-3:14'],
      ['Map keys must be unique', '4:3-4:4'],
    ],
  );
});

test('many distinct keys parse without a duplicate-key false positive', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => `nova::k${i}: ${i}`).join('\n');
  const { tree, errors } = parseYaml(text);
  assert.deepEqual(errors, []);
  assert.equal((tree.documents[0]!.contents as YAMLMap).items.length, 20_000);
});

test('aliases and merge keys in ordinary use are fine', () => {
  const many = 'x: &x 1\n' + Array.from({ length: 300 }, (_, i) => `k${i}: *x`).join('\n') + '\n';
  const merges = 'd: &d {a: 1}\n' + Array.from({ length: 150 }, (_, i) => `k${i}:\n  <<: *d\n  b: 2`).join('\n') + '\n';
  for (const text of [many, merges]) {
    const { tree, errors } = parseYaml(text);
    assert.deepEqual(errors, []);
    assert.ok(tree.documents[0]!.contents !== null);
  }
});

test('alias bomb (billion laughs): an error, contents dropped', () => {
  let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (const n of 'bcdefghi') {
    bomb += `${n}: &${n} [${Array(9).fill('*' + prev).join(',')}]\n`;
    prev = n;
  }
  bomb += 'safe: 1\n---\nnext: doc\n';
  const { tree, errors } = parseYaml(bomb);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /alias bomb/);
  assert.equal(errors[0]!.range.start.line, 1);
  assert.equal(tree.documents[0]!.contents, null);
  assert.deepEqual(tree.documents[1]!.toJS(), { next: 'doc' });
});

test('a self-referencing anchor does not hang', () => {
  const { tree } = parseYaml('a: &a [1, *a]\n');
  assert.equal(tree.documents.length, 1);
});

test('templated YAML: {{ }} values stay scalars and are flagged', () => {
  const text = 'nova_api_threads: {{ ansible_processor_vcpus // 2 }}\nworkers: "{{ w }}"\nplain: 4\n{% if x %}\nextra: 1\n{% endif %}\n';
  const { tree, errors } = parseYaml(text, { templated: true });
  assert.deepEqual(errors, []);
  assert.equal(tree.maskedText.length, text.length);
  const map = tree.documents[0]!.contents as YAMLMap<Scalar, Scalar>;
  assert.deepEqual(
    map.items.map((p) => [p.key.value, isTemplated(tree, p.value!), at(tree, p.value)]),
    [
      ['nova_api_threads', true, '1:19'],
      ['workers', true, '2:10'],
      ['plain', false, '3:8'],
      ['extra', false, '5:8'],
    ],
  );
  const v = map.items[0]!.value!;
  assert.equal(text.slice(v.range![0], v.range![1]), '{{ ansible_processor_vcpus // 2 }}');
  assert.deepEqual(tree.templateTags?.map((t) => t.kind), ['expression', 'expression', 'statement', 'statement']);
});

test('without templated, no templateTags and isTemplated is false', () => {
  const { tree } = parseYaml('a: "{{ x }}"\n');
  assert.equal(tree.templateTags, undefined);
  assert.equal(isTemplated(tree, tree.documents[0]!.contents!), false);
});

test('empty input and comment-only input: no documents, no errors', () => {
  for (const text of ['', '# only a comment\n', '\n\n']) {
    const { tree, errors } = parseYaml(text);
    assert.deepEqual(tree.documents, []);
    assert.deepEqual(errors, []);
  }
});

test('never throws: random bytes, garbage, 20 MB', () => {
  const bytes = String.fromCharCode(...Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256));
  const r = parseYaml(bytes);
  assert.ok(Array.isArray(r.errors));
  for (const junk of ['{{{{', ']]]: [[[', '- - - !\n  ? : &\n*', 'a: |\n x\n  y\n z', '"\\u', '%YAML 9.9\n---\na: 1', '\t\ta: 1']) {
    const res = parseYaml(junk);
    assert.ok(Array.isArray(res.tree.documents));
  }
  const big = 'k: v\n'.repeat(4_200_000);
  const huge = parseYaml(big);
  assert.deepEqual(huge.tree.documents, []);
  assert.match(huge.errors[0]!.message, /too large/);
});

test('a scalar at the top and a sequence of maps parse with positions', () => {
  const { tree } = parseYaml('- name: a\n  value: 1\n- name: b\n');
  const seq = tree.documents[0]!.contents as Node;
  assert.ok(isSeq(seq));
  const second = seq.items[1] as YAMLMap;
  assert.equal(at(tree, second), '3:3');
  const top = parseYaml('just text\n');
  assert.ok(isScalar(top.tree.documents[0]!.contents));
});
