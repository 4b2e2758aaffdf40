import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePuppet } from '../../../src/parsers/puppet/parse-puppet.js';

describe('puppet parse errors and robustness', () => {
  it('reports a bad statement with its line and keeps parsing the next ones', () => {
    const src = [
      "file { 'a': mode => '0644' }",
      '$x = ,',
      "class { 'nova::wsgi::apache_api': threads => 4 }",
      "file { 'b':",
      "  mode => '0644'",
      "  owner => 'root',",
      '}',
      'include foo',
    ].join('\n');
    const r = parsePuppet(src);
    assert.equal(r.errors.length, 2);
    assert.equal(r.errors[0]?.range.start.line, 2);
    assert.equal(r.errors[0]?.range.start.column, 6);
    assert.equal(r.errors[1]?.range.start.line, 6);
    assert.equal(r.errors[1]?.range.start.column, 3);
    assert.deepEqual(r.tree.body.map((b) => b.type), ['ResourceExpression', 'ResourceExpression', 'CallNamedFunction']);
  });

  it('recovers inside a class body', () => {
    const r = parsePuppet("class a {\n  $x = [1,\n  $y = 2\n}\nclass b { }\n");
    assert.ok(r.errors.length >= 1);
    assert.ok(r.tree.body.some((b) => b.type === 'HostClassDefinition' && b.name === 'b'));
  });

  it('reports unterminated strings and heredocs without throwing', () => {
    for (const src of ["$x = 'abc", '$x = "abc ${y', '$x = @(END)\nno end', '$x = /*', 'class {', '}}}}', '$', '@(', '"${']) {
      const r = parsePuppet(src);
      assert.ok(r.errors.length > 0, src);
      assert.ok(r.errors.every((e) => e.range.start.line >= 1 && e.range.start.column >= 1), src);
    }
  });

  it('never throws on random bytes (5 MB)', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const bytes = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    const r = parsePuppet(bytes.toString('latin1'));
    assert.ok(r.errors.length > 0);
    const r2 = parsePuppet(bytes.toString('utf8'));
    assert.ok(r2.errors.length > 0);
  });

  it('never throws on random Puppet-ish tokens', () => {
    const parts = ['{', '}', '[', ']', '(', ')', '$x', "'s'", '"a${b}"', 'file', 'class', 'if', '=>', ',', ';', ':', '->', '|', '@', '?', 'default', '\n', '/r/', '1', '@(E)\n', 'E\n'];
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 300; n++) {
      let src = '';
      for (let i = 0; i < 60; i++) src += parts[Math.floor(rand() * parts.length)] + ' ';
      const r = parsePuppet(src);
      assert.ok(Array.isArray(r.errors));
    }
  });

  it('returns an error instead of overflowing the stack on deep nesting', () => {
    for (const src of ['$x = ' + '['.repeat(100_000), '$x = ' + '['.repeat(100_000) + ']'.repeat(100_000), 'if $a { '.repeat(50_000), '$x = ' + '!'.repeat(100_000) + '$y', '$x = "' + '${"'.repeat(50_000), '$x = ' + '('.repeat(100_000) + '1' + ')'.repeat(100_000)]) {
      const r = parsePuppet(src);
      assert.ok(r.errors.length > 0);
      assert.ok(r.errors.some((e) => /nest/.test(e.message) || /unterminated/.test(e.message)), r.errors[0]?.message);
    }
  });

  it('handles empty input, comments only and non-string input', () => {
    assert.deepEqual(parsePuppet('').errors, []);
    const r = parsePuppet('# heartbeat-bot: ignore wsgi-threads -- reason\n/* block\ncomment */\n');
    assert.deepEqual(r.errors, []);
    assert.equal(r.tree.comments.length, 2);
    assert.equal(r.tree.comments[0]?.text, ' heartbeat-bot: ignore wsgi-threads -- reason');
    assert.equal(r.tree.comments[1]?.style, 'block');
    assert.deepEqual([r.tree.comments[1]?.range.end.line, r.tree.comments[1]?.range.end.column], [3, 11]);
    assert.deepEqual(parsePuppet(undefined as unknown as string).errors, []);
  });
});
