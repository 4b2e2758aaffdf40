import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOk } from './helpers.js';
import { literalData, literalValue, walkPuppet } from '../../../src/parsers/puppet/index.js';
import type { PuppetNode, ResourceExpression } from '../../../src/model/ast/puppet.js';
import { lexPuppet } from '../../../src/parsers/puppet/lexer.js';

describe('puppet AST helpers', () => {
  it('walkPuppet visits nested resources in source order with parents', () => {
    const tree = parseOk([
      'class nova::wsgi { ',
      "  if $x { class { 'nova::wsgi::apache_api': threads => 4 } }",
      "  $h.each |$k, $v| { nova_config { \"DEFAULT/${k}\": value => $v } }",
      '}',
    ].join('\n'));
    const found: Array<[string, string | undefined]> = [];
    walkPuppet(tree, (n: PuppetNode, parent) => {
      if (n.type === 'ResourceExpression') found.push([n.typeName, parent?.type]);
    });
    assert.deepEqual(found, [['class', 'IfStatement'], ['nova_config', 'Lambda']]);
    let count = 0;
    walkPuppet(tree, (n) => {
      count++;
      return n.type !== 'HostClassDefinition';
    });
    assert.equal(count, 2); // Program and the class, children skipped
  });

  it('literalValue and literalData', () => {
    const tree = parseOk("foo { 'x': a => present, b => [1, 'two', undef], c => { 'k' => -1 }, d => \"${v}\", e => \"a${'b'}\" }");
    const attrs = (tree.body[0] as ResourceExpression).bodies[0]!.attributes.map((a) => (a.type === 'AttributeOperation' ? a.value : undefined));
    assert.equal(literalValue(attrs[0]), 'present');
    assert.deepEqual(literalData(attrs[1]), [1, 'two', null]);
    assert.equal(literalValue(attrs[1]), undefined);
    assert.deepEqual(literalData(attrs[2]), { k: -1 });
    assert.equal(literalValue(attrs[3]), undefined);
    assert.equal(literalValue(attrs[4]), 'ab');
  });

  it('lexes regex versus division as Puppet does', () => {
    const kinds = (src: string): string[] => lexPuppet(src).tokens.map((t) => t.kind);
    assert.deepEqual(kinds('$a / 2 / 1'), ['VARIABLE', '/', 'NUMBER', '/', 'NUMBER', 'EOF']);
    assert.deepEqual(kinds('$a =~ /x\\/y/'), ['VARIABLE', '=~', 'REGEX', 'EOF']);
    assert.deepEqual(kinds('node /a/ {}'), ['NAME', 'REGEX', '{', '}', 'EOF']);
    assert.deepEqual(kinds('foo-bar _x ::Foo::Bar'), ['WORD', 'WORD', 'CLASSREF', 'EOF']);
  });
});
