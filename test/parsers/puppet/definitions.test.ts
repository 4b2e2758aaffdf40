import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, only, parseOk } from './helpers.js';
import { literalValue } from '../../../src/parsers/puppet/literal-value.js';

describe('puppet definitions', () => {
  it('parses a class with typed parameters, defaults and inheritance', () => {
    const src = [
      'class nova::api (',
      '  Optional[Variant[String[1], Integer]] $x = 1,',
      "  $workers = $facts['os_workers'],",
      '  Stdlib::Port $port,',
      ') inherits nova::params {',
      '  include nova::deps',
      '}',
    ].join('\n');
    const c = only(src, 'HostClassDefinition');
    assert.equal(c.name, 'nova::api');
    assert.equal(c.parent, 'nova::params');
    assert.deepEqual(c.parameters.map((p) => p.name), ['x', 'workers', 'port']);
    const [x, workers, port] = c.parameters;
    assert.equal(x?.typeExpr?.type, 'AccessExpression');
    assert.equal(literalValue(x?.default), 1);
    assert.deepEqual(at(x!), [2, 3]);
    assert.deepEqual([x!.nameRange.start.line, x!.nameRange.start.column], [2, 41]);
    assert.equal(workers?.default?.type, 'AccessExpression');
    assert.equal(workers?.typeExpr, undefined);
    assert.equal(port?.typeExpr?.type, 'QualifiedReference');
    assert.equal(port?.default, undefined);
    assert.equal(c.body.length, 1);
    assert.deepEqual(at(c), [1, 1]);
    assert.deepEqual([c.range.end.line, c.range.end.column], [7, 2]);
  });

  it('parses a class without parameters and a leading :: name', () => {
    const c = only('class ::foo inherits ::foo::params { }', 'HostClassDefinition');
    assert.equal(c.name, 'foo');
    assert.equal(c.parent, 'foo::params');
    assert.deepEqual(c.parameters, []);
  });

  it('parses a define', () => {
    const d = only("define oslo::messaging::rabbit ($heartbeat_timeout_threshold = 60) { notice('x') }", 'ResourceTypeDefinition');
    assert.equal(d.name, 'oslo::messaging::rabbit');
    assert.equal(d.parameters[0]?.name, 'heartbeat_timeout_threshold');
    assert.equal(literalValue(d.parameters[0]?.default), 60);
    assert.equal(d.body[0]?.type, 'CallNamedFunction');
  });

  it('parses node definitions', () => {
    const body = parseOk("node 'a.example.com', /^b\\d+$/ { }\nnode default { include base }\nnode web01.example.com { }").body;
    const [a, def, dotted] = body;
    assert.equal(a?.type, 'NodeDefinition');
    if (a?.type !== 'NodeDefinition' || def?.type !== 'NodeDefinition' || dotted?.type !== 'NodeDefinition') return;
    assert.deepEqual(a.matches.map((m) => m.type), ['LiteralString', 'LiteralRegex']);
    assert.equal(a.matches[1]?.type === 'LiteralRegex' && a.matches[1].pattern, '^b\\d+$');
    assert.equal(def.matches[0]?.type, 'LiteralDefault');
    assert.equal(def.body.length, 1);
    assert.equal(dotted.matches[0]?.type === 'QualifiedName' && dotted.matches[0].value, 'web01.example.com');
  });

  it('parses function definitions and type aliases', () => {
    const body = parseOk([
      'function openstacklib::workers(Integer $min = 2, *$rest) >> Integer {',
      '  max($min, 1)',
      '}',
      'type Nova::Workers = Variant[Integer[1], Undef]',
    ].join('\n')).body;
    const [f, t] = body;
    assert.equal(f?.type, 'FunctionDefinition');
    if (f?.type === 'FunctionDefinition') {
      assert.equal(f.name, 'openstacklib::workers');
      assert.equal(f.parameters[1]?.capturesRest, true);
      assert.equal(f.returnType?.type, 'QualifiedReference');
      assert.equal(f.body[0]?.type, 'CallNamedFunction');
    }
    assert.equal(t?.type, 'TypeAlias');
    if (t?.type === 'TypeAlias') {
      assert.equal(t.name, 'Nova::Workers');
      assert.deepEqual(at(t), [4, 1]);
      assert.equal(t.typeExpr.type, 'AccessExpression');
    }
  });
});
