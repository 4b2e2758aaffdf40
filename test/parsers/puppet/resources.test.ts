import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, only, parseOk } from './helpers.js';
import { literalValue } from '../../../src/parsers/puppet/literal-value.js';
import type { AttributeOperation } from '../../../src/model/ast/puppet.js';

describe('puppet resources', () => {
  it('parses a resource with several bodies and trailing separators', () => {
    const r = only("file { 'a':\n  mode => '0644',\n  ensure => file;\n 'b': ensure => absent, ; }", 'ResourceExpression');
    assert.equal(r.typeName, 'file');
    assert.equal(r.form, 'regular');
    assert.equal(r.bodies.length, 2);
    assert.equal(literalValue(r.bodies[0]?.title), 'a');
    const mode = r.bodies[0]?.attributes[0] as AttributeOperation;
    assert.equal(mode.name, 'mode');
    assert.equal(mode.operator, '=>');
    assert.equal(literalValue(mode.value), '0644');
    assert.deepEqual([mode.nameRange.start.line, mode.nameRange.start.column, mode.nameRange.end.column], [2, 3, 7]);
    assert.deepEqual(at(mode.value), [2, 11]);
    assert.equal(literalValue(r.bodies[1]?.title), 'b');
    assert.deepEqual(at(r.bodies[1]!), [4, 2]);
  });

  it('parses a resource-like class declaration', () => {
    const r = only("class { 'nova::wsgi::apache_api': threads => 4, workers => $::os_workers }", 'ResourceExpression');
    assert.equal(r.typeName, 'class');
    assert.equal(literalValue(r.bodies[0]?.title), 'nova::wsgi::apache_api');
    const [threads, workers] = r.bodies[0]!.attributes as AttributeOperation[];
    assert.equal(literalValue(threads!.value), 4);
    assert.deepEqual(workers!.value, { type: 'VariableExpression', name: '::os_workers', range: workers!.value.range });
    assert.deepEqual(at(threads!), [1, 35]);
  });

  it('parses defined-type resources, +>, * => splat, virtual and exported forms', () => {
    const body = parseOk([
      "oslo::messaging::rabbit { 'nova_config': heartbeat_timeout_threshold => 0 }",
      "@user { 'bob': groups +> ['wheel'] }",
      "@@nova_config { 'DEFAULT/x': * => $opts }",
      "::nova::generic_service { 'api': }",
    ].join('\n')).body;
    const [rabbit, user, exported, generic] = body;
    assert.equal(rabbit?.type === 'ResourceExpression' && rabbit.typeName, 'oslo::messaging::rabbit');
    assert.equal(user?.type === 'ResourceExpression' && user.form, 'virtual');
    assert.equal(user?.type === 'ResourceExpression' && (user.bodies[0]?.attributes[0] as AttributeOperation).operator, '+>');
    assert.equal(exported?.type === 'ResourceExpression' && exported.form, 'exported');
    assert.equal(exported?.type === 'ResourceExpression' && exported.bodies[0]?.attributes[0]?.type, 'AttributesOperation');
    assert.equal(generic?.type === 'ResourceExpression' && generic.typeName, 'nova::generic_service');
    assert.equal(generic?.type === 'ResourceExpression' && generic.bodies[0]?.attributes.length, 0);
  });

  it('accepts keywords as attribute names and arrays/variables as titles', () => {
    const r = only("exec { [$a, 'b']: unless => 'test', require => Package['x'], before => Class['y'], tag => 't' }", 'ResourceExpression');
    assert.deepEqual(r.bodies[0]!.attributes.map((a) => (a as AttributeOperation).name), ['unless', 'require', 'before', 'tag']);
    assert.equal(r.bodies[0]!.title.type, 'LiteralList');
  });

  it('parses resource defaults and overrides', () => {
    const body = parseOk("File { mode => '0644' }\nFile['x'] { owner => 'root' }\nService[$svc] { ensure => running }").body;
    const [defaults, override, override2] = body;
    assert.equal(defaults?.type, 'ResourceDefaults');
    if (defaults?.type === 'ResourceDefaults') {
      assert.equal(defaults.typeRef.type === 'QualifiedReference' && defaults.typeRef.value, 'File');
      assert.equal((defaults.attributes[0] as AttributeOperation).name, 'mode');
    }
    assert.equal(override?.type, 'ResourceOverride');
    assert.deepEqual(at(override!), [2, 1]);
    assert.equal(override2?.type, 'ResourceOverride');
  });

  it('parses collectors with queries and overrides', () => {
    const body = parseOk("Package<| tag == 'nova-package' |>\nNova_config <<| |>>\nExec <| title == 'a' or tag != 'b' |> { refreshonly => true }").body;
    const [c1, c2, c3] = body;
    assert.equal(c1?.type, 'Collector');
    if (c1?.type === 'Collector') {
      assert.equal(c1.typeRef.value, 'Package');
      assert.equal(c1.exported, false);
      assert.equal(c1.query?.type === 'BinaryExpression' && c1.query.operator, '==');
    }
    assert.equal(c2?.type === 'Collector' && c2.exported, true);
    assert.equal(c2?.type === 'Collector' && c2.query, undefined);
    assert.equal(c3?.type === 'Collector' && c3.overrides.length, 1);
    assert.equal(c3?.type === 'Collector' && c3.query?.type === 'BinaryExpression' && c3.query.operator, 'or');
  });

  it('parses chaining arrows between resources, references and collectors', () => {
    const c = only("Package['nova'] -> File['/etc/nova'] ~> Service['nova-api'] <- Anchor['a'] <~ Exec['b']", 'Chain');
    assert.equal(c.operator, '<~');
    assert.equal(c.left.type === 'Chain' && c.left.operator, '<-');
    const body = parseOk("Anchor['nova::install::begin']\n-> Package<| tag == 'nova-package' |>\n~> Anchor['nova::install::end']").body;
    assert.equal(body.length, 1);
    assert.equal(body[0]?.type, 'Chain');
  });

  it('parses a resource used as a value and inside control flow', () => {
    const body = parseOk("if $manage { service { 'nova-api': ensure => running } } else { notice('no') }").body;
    assert.equal(body[0]?.type, 'IfStatement');
    if (body[0]?.type === 'IfStatement') assert.equal(body[0].then[0]?.type, 'ResourceExpression');
  });
});
