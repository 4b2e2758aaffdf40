import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, expr, parseOk } from './helpers.js';
import { literalValue } from '../../../src/parsers/puppet/literal-value.js';
import type { ConcatenatedString } from '../../../src/model/ast/puppet.js';

describe('puppet strings and heredocs', () => {
  it('processes single-quoted escapes', () => {
    const e = expr("'it\\'s a \\\\ path\\n'");
    assert.equal(e.type === 'LiteralString' && e.quote, 'single');
    assert.equal(literalValue(e), "it's a \\ path\\n");
  });

  it('processes double-quoted escapes', () => {
    assert.equal(literalValue(expr('"a\\tb\\$c\\\\d\\q\\u{1F600}\\u00e9\\s"')), 'a\tb$c\\d\\q\u{1F600}\u00e9 ');
    const e = expr('"plain"');
    assert.equal(e.type === 'LiteralString' && e.quote, 'double');
  });

  it('interpolates ${x}, $x, ${facts[...]} and ${x.method}', () => {
    const e = expr('"${x}/a $y b ${facts[\'os_workers\']} ${::fqdn} ${list.join(\',\')}$z"') as ConcatenatedString;
    assert.equal(e.type, 'ConcatenatedString');
    const kinds = e.segments.map((s) => (s.type === 'StringSegment' ? JSON.stringify(s.value) : s.expression.type));
    assert.deepEqual(kinds, [
      'VariableExpression', '"/a "', 'VariableExpression', '" b "', 'AccessExpression', '" "', 'VariableExpression', '" "',
      'CallMethod', 'VariableExpression',
    ]);
    const first = e.segments[0];
    assert.equal(first?.type === 'TextExpression' && first.expression.type === 'VariableExpression' && first.expression.name, 'x');
    const facts = e.segments[4];
    assert.equal(facts?.type === 'TextExpression' && facts.expression.type === 'AccessExpression' && facts.expression.target.type, 'VariableExpression');
    const fqdn = e.segments[6];
    assert.equal(fqdn?.type === 'TextExpression' && fqdn.expression.type === 'VariableExpression' && fqdn.expression.name, '::fqdn');
    assert.deepEqual(at(e.segments[2]!), [1, 14]);
  });

  it('keeps a lone $ and $ before a non-name as text', () => {
    assert.equal(literalValue(expr('"cost: $ 5 and $-"')), 'cost: $ 5 and $-');
  });

  it('parses nested strings inside interpolation', () => {
    const e = expr('"a${join([\'x\', "${y}"], "}")}b"');
    assert.equal(e.type, 'ConcatenatedString');
  });

  it('parses a non-interpolated heredoc with margin and trim', () => {
    const src = "$x = @(END)\n    line one $x\n      indented\n    | END\n$y = 2\n";
    const body = parseOk(src).body;
    assert.equal(body.length, 2);
    const h = body[0]?.type === 'AssignmentExpression' ? body[0].right : undefined;
    assert.equal(h?.type, 'Heredoc');
    if (h?.type === 'Heredoc') {
      assert.equal(h.interpolated, false);
      assert.equal(literalValue(h), 'line one $x\n  indented\n');
      assert.deepEqual(at(h), [1, 6]);
    }
    assert.deepEqual(at(body[1]!), [5, 1]);
  });

  it('parses an interpolated heredoc with syntax, escapes, |- trim', () => {
    const src = '$x = @("END":json/L)\n  {"a": "${v}",\\\n  "t": "\\t"}\n  |- END\nnotice($x)\n';
    const body = parseOk(src).body;
    assert.equal(body.length, 2);
    const h = body[0]?.type === 'AssignmentExpression' ? body[0].right : undefined;
    assert.equal(h?.type, 'Heredoc');
    if (h?.type === 'Heredoc') {
      assert.equal(h.syntax, 'json');
      assert.equal(h.interpolated, true);
      assert.equal(h.text.type, 'ConcatenatedString');
      if (h.text.type === 'ConcatenatedString') {
        const parts = h.text.segments.map((s) => (s.type === 'StringSegment' ? s.value : '<expr>'));
        assert.deepEqual(parts, ['{"a": "', '<expr>', '","t": "\\t"}']);
        const v = h.text.segments[1];
        assert.deepEqual(v && at(v), [2, 10]);
      }
    }
  });

  it('parses two heredocs on one line and code after the header', () => {
    const src = "foo(@(A), @(B)).each |$x| { }\na text\nA\nb text\nB\nnotice('after')\n";
    const body = parseOk(src).body;
    assert.equal(body.length, 2);
    const call = body[0];
    assert.equal(call?.type, 'CallMethod');
    if (call?.type === 'CallMethod' && call.receiver.type === 'CallNamedFunction') {
      assert.deepEqual(call.receiver.arguments.map((a) => literalValue(a)), ['a text\n', 'b text\n']);
    }
    assert.deepEqual(at(body[1]!), [6, 1]);
  });
});
