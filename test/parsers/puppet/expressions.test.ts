import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, expr, only, parseOk } from './helpers.js';
import { literalValue } from '../../../src/parsers/puppet/literal-value.js';

describe('puppet expressions', () => {
  it('parses numbers', () => {
    for (const [src, value, radix] of [['42', 42, 10], ['0x1F', 31, 16], ['0755', 493, 8], ['1.5', 1.5, 10], ['1e3', 1000, 10]] as const) {
      const e = expr(src);
      assert.equal(e.type, 'LiteralNumber');
      if (e.type === 'LiteralNumber') {
        assert.equal(e.value, value);
        assert.equal(e.radix, radix);
        assert.equal(e.raw, src);
      }
    }
    assert.equal(literalValue(expr('-4')), -4);
  });

  it('parses booleans, undef, default, regexes, arrays and hashes with trailing commas', () => {
    assert.equal(literalValue(expr('true')), true);
    assert.equal(literalValue(expr('false')), false);
    assert.equal(literalValue(expr('undef')), null);
    assert.equal(expr('default').type, 'LiteralDefault');
    const re = expr('/^a\\/b$/');
    assert.equal(re.type === 'LiteralRegex' && re.pattern, '^a/b$');
    const list = expr("[1, 'a', [2],]");
    assert.equal(list.type === 'LiteralList' && list.elements.length, 3);
    const hash = expr("{ 'a' => 1, b => [2], }");
    assert.equal(hash.type, 'LiteralHash');
    if (hash.type === 'LiteralHash') {
      assert.equal(hash.entries.length, 2);
      assert.equal(literalValue(hash.entries[1]?.key), 'b');
      assert.deepEqual(at(hash.entries[1]!), [1, 18]);
    }
  });

  it('parses variables: local, top-scope, qualified and facts access', () => {
    assert.deepEqual(expr('$::os_workers').type === 'VariableExpression' && (expr('$::os_workers') as { name: string }).name, '::os_workers');
    const q = expr('$nova::params::api_service_name');
    assert.equal(q.type === 'VariableExpression' && q.name, 'nova::params::api_service_name');
    const f = expr("$facts['os']['family']");
    assert.equal(f.type, 'AccessExpression');
    if (f.type === 'AccessExpression') {
      assert.equal(f.target.type, 'AccessExpression');
      assert.equal(literalValue(f.keys[0]), 'family');
    }
  });

  it('keeps `$x [1]` (space before [) as two expressions, like Puppet', () => {
    const body = parseOk("$a = $b\n[1, 2].each |$i| { notice($i) }").body;
    assert.equal(body.length, 2);
    assert.equal(body[1]?.type, 'CallMethod');
  });

  it('parses function calls, statement calls and lookup()/hiera()', () => {
    const body = parseOk([
      "include nova::deps, nova::params",
      "contain ::nova::api",
      'fail "unsupported"',
      "warning('careful')",
      "$t = lookup('nova::api::threads', Integer, 'first', 1)",
      "$h = hiera('nova::rabbit_heartbeat', 60)",
      'realize Package["x"]',
    ].join('\n')).body;
    const [inc, contain, fail, warning, lookup, hiera, realize] = body;
    assert.equal(inc?.type === 'CallNamedFunction' && inc.style, 'statement');
    assert.equal(inc?.type === 'CallNamedFunction' && inc.arguments.length, 2);
    assert.equal(contain?.type === 'CallNamedFunction' && contain.name, 'contain');
    assert.equal(fail?.type === 'CallNamedFunction' && literalValue(fail.arguments[0]), 'unsupported');
    assert.equal(warning?.type === 'CallNamedFunction' && warning.style, 'call');
    assert.equal(lookup?.type === 'AssignmentExpression' && lookup.right.type === 'CallNamedFunction' && lookup.right.arguments.length, 4);
    assert.equal(hiera?.type === 'AssignmentExpression' && hiera.right.type === 'CallNamedFunction' && hiera.right.name, 'hiera');
    assert.equal(realize?.type === 'CallNamedFunction' && realize.arguments[0]?.type, 'AccessExpression');
    assert.deepEqual(at(lookup!), [5, 1]);
  });

  it('parses method calls with lambdas, chained', () => {
    const e = expr('$list.map |$v| { $v * 2 }.filter |$k, $v = 1| { $v > 1 }.join(",")');
    assert.equal(e.type, 'CallMethod');
    if (e.type === 'CallMethod') {
      assert.equal(e.name, 'join');
      assert.equal(e.receiver.type === 'CallMethod' && e.receiver.name, 'filter');
      const filter = e.receiver.type === 'CallMethod' ? e.receiver : undefined;
      assert.deepEqual(filter?.lambda?.parameters.map((p) => p.name), ['k', 'v']);
      assert.equal(literalValue(filter?.lambda?.parameters[1]?.default), 1);
    }
    const each = only("$h.each |String $k, $v| { nova_config { \"DEFAULT/${k}\": value => $v } }", 'CallMethod');
    assert.equal(each.lambda?.parameters[0]?.typeExpr?.type, 'QualifiedReference');
    assert.equal(each.lambda?.body[0]?.type, 'ResourceExpression');
    const call = only('each($h) |$k| { }', 'CallNamedFunction');
    assert.ok(call.lambda);
  });

  it('parses selectors', () => {
    const s = expr("$facts['os']['family'] ? { 'RedHat' => 'httpd', /^Deb/ => 'apache2', default => undef, }");
    assert.equal(s.type, 'Selector');
    if (s.type === 'Selector') {
      assert.equal(s.entries.length, 3);
      assert.equal(s.entries[2]?.matching.type, 'LiteralDefault');
      assert.equal(literalValue(s.entries[0]?.value), 'httpd');
    }
  });

  it('parses if/elsif/else, unless and case', () => {
    const i = only("if $a == 1 and !$b or $c =~ /x/ { } elsif $d in ['a'] { } else { $e = 1 }", 'IfStatement');
    assert.equal(i.test.type === 'BinaryExpression' && i.test.operator, 'or');
    assert.equal(i.else && !Array.isArray(i.else) && i.else.type, 'IfStatement');
    const u = only('unless $x !~ String { } else { }', 'UnlessStatement');
    assert.equal(u.test.type === 'BinaryExpression' && u.test.operator, '!~');
    assert.ok(u.else);
    const c = only("case $facts['os']['family'] {\n  'RedHat', 'Fedora': { $p = 'x' }\n  /^Deb/: { }\n  default: { fail('no') }\n}", 'CaseStatement');
    assert.equal(c.options.length, 3);
    assert.equal(c.options[0]?.values.length, 2);
    assert.deepEqual(at(c.options[1]!), [3, 3]);
    assert.equal(c.options[2]?.values[0]?.type, 'LiteralDefault');
  });

  it('parses if as a value and the condition `$x =~ Type {`', () => {
    const e = expr('if $y { 1 } else { 2 }');
    assert.equal(e.type, 'IfStatement');
    const i = only('if $x =~ Stdlib::Compat::Array { }', 'IfStatement');
    assert.equal(i.then.length, 0);
  });

  it('respects operator precedence and unary operators', () => {
    const e = expr('1 + 2 * 3 - -$x');
    assert.equal(e.type === 'BinaryExpression' && e.operator, '-');
    if (e.type === 'BinaryExpression') {
      assert.equal(e.left.type === 'BinaryExpression' && e.left.operator, '+');
      assert.equal(e.right.type === 'UnaryExpression' && e.right.operator, '-');
    }
    const n = expr('!($a and $b)');
    assert.equal(n.type === 'UnaryExpression' && n.operand.type, 'ParenthesizedExpression');
    const cmp = expr('$a << 1 >= 4 == true');
    assert.equal(cmp.type, 'BinaryExpression');
  });

  it('parses assignments including destructuring and +=', () => {
    const a = only('[$a, $b] = [1, 2]', 'AssignmentExpression');
    assert.equal(a.left.type, 'LiteralList');
    const p = only("$x += ['b']", 'AssignmentExpression');
    assert.equal(p.operator, '+=');
  });

  it('parses type expressions and `new` calls on types', () => {
    const t = expr('Hash[String, Any]');
    assert.equal(t.type === 'AccessExpression' && t.keys.length, 2);
    const s = expr('Struct[{ a => Optional[Integer] }]');
    assert.equal(s.type, 'AccessExpression');
    const n = expr('String($port)');
    assert.equal(n.type === 'CallNamedFunction' && n.name, 'String');
  });
});
