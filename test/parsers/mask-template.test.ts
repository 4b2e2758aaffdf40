import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasTemplateTags, maskTemplate, overlapsTag } from '../../src/parsers/mask-template.js';

test('Jinja expression inside a value becomes a same-length _ run; statements and comments become spaces', () => {
  const text = 'workers: {{ nova_api_workers }}\n{% if x %}\nk: v {# note #}\n{% endif %}\n';
  const m = maskTemplate(text);
  const expr = '{{ nova_api_workers }}';
  assert.equal(
    m.text,
    `workers: ${'_'.repeat(expr.length)}\n${' '.repeat(10)}\nk: v ${' '.repeat(10)}\n${' '.repeat(11)}\n`,
  );
  assert.equal(m.text.length, text.length);
  assert.deepEqual(m.tags, [
    { start: 9, end: 31, syntax: 'jinja', kind: 'expression' },
    { start: 32, end: 42, syntax: 'jinja', kind: 'statement' },
    { start: 48, end: 58, syntax: 'jinja', kind: 'comment' },
    { start: 59, end: 70, syntax: 'jinja', kind: 'statement' },
  ]);
  assert.equal(text.slice(48, 58), '{# note #}');
  assert.deepEqual(m.errors, []);
});

test('ERB/EPP tags: <%= %>, <%- -%>, <% %>, <%# %>, and <%% is literal', () => {
  const text = 'threads=<%= @threads %>\n<%- if @x -%>\n<% end %><%# c %>\n<%% not a tag\n';
  const m = maskTemplate(text);
  assert.equal(m.text, 'threads=_______________\n             \n                 \n<%% not a tag\n');
  assert.deepEqual(
    m.tags.map((t) => [t.start, t.end, t.kind]),
    [
      [8, 23, 'expression'],
      [24, 37, 'statement'],
      [38, 47, 'statement'],
      [47, 55, 'comment'],
    ],
  );
});

test('an expression alone on its line is masked with spaces (it usually emits whole lines)', () => {
  const m = maskTemplate('a=1\n  <%= @extra_options %>  \nb=2');
  assert.equal(m.text, 'a=1\n                         \nb=2');
  assert.equal(m.tags[0]?.kind, 'expression');
});

test('multi-line tags keep their newlines; only the first line gets the placeholder', () => {
  const text = 'x: {{ a |\n  b }}\n';
  const m = maskTemplate(text);
  assert.equal(m.text, 'x: ______\n      \n');
  assert.equal(m.text.length, text.length);
});

test('CRLF line endings are kept inside tags', () => {
  const m = maskTemplate('{% if a %}\r\nk = v\r\n{% endif\r\n %}\r\n');
  assert.equal(m.text, '          \r\nk = v\r\n        \r\n   \r\n');
});

test('closing delimiters inside strings do not end a tag', () => {
  const m = maskTemplate(`v: "{{ x | default('}}') }}" tail`);
  assert.deepEqual(m.tags, [{ start: 4, end: 27, syntax: 'jinja', kind: 'expression' }]);
  assert.equal(m.text, 'v: "_______________________" tail');
});

test('an unbalanced quote inside a tag is taken literally', () => {
  const m = maskTemplate(`{{ "x }}\nnext`);
  assert.deepEqual(m.tags, [{ start: 0, end: 8, syntax: 'jinja', kind: 'expression' }]);
});

test('{% raw %} content is left unmasked', () => {
  const m = maskTemplate('{% raw %}{{ keep }}{% endraw %}!');
  assert.equal(m.text, '         {{ keep }}            !');
  assert.equal(m.tags.length, 2);
});

test('unclosed tags are errors with a location and stay unmasked', () => {
  const m = maskTemplate('a: 1\nb: {{ x\n<% y');
  assert.equal(m.text, 'a: 1\nb: {{ x\n<% y');
  assert.deepEqual(m.tags, []);
  assert.deepEqual(
    m.errors.map((e) => [e.message, e.range.start.line, e.range.start.column, e.range.start.offset, e.range.end.offset]),
    [
      ["unclosed template tag '{{'", 2, 4, 8, 10],
      ["unclosed template tag '<%'", 3, 1, 13, 15],
    ],
  );
});

test('syntaxes option restricts the languages masked', () => {
  const text = '{{ a }} <%= b %>';
  assert.equal(maskTemplate(text, { syntaxes: ['jinja'] }).text, '_______ <%= b %>');
  assert.equal(maskTemplate(text, { syntaxes: ['erb'] }).text, '{{ a }} ________');
});

test('text without tags is returned as is; near-misses are not tags', () => {
  const text = 'a = { b }\nc = %{GROUP}\nd = <% \n';
  const m = maskTemplate('a = { b }\nc = %{GROUP}\nd = {x} < % >');
  assert.equal(m.text, 'a = { b }\nc = %{GROUP}\nd = {x} < % >');
  assert.deepEqual(m.tags, []);
  assert.equal(hasTemplateTags(text), true);
  assert.equal(hasTemplateTags('a = { b } %{x}'), false);
  assert.equal(hasTemplateTags('x: {{ y }}'), true);
});

test('overlapsTag: expressions and statements count, comments do not', () => {
  const m = maskTemplate('a {{ x }} b {# c #} d {% e %}');
  // a=0, {{ 2..9, b=10, {# 12..19, d=20, {% 22..29
  assert.equal(overlapsTag(m.tags, 0, 1), false);
  assert.equal(overlapsTag(m.tags, 0, 3), true);
  assert.equal(overlapsTag(m.tags, 8, 9), true);
  assert.equal(overlapsTag(m.tags, 9, 12), false);
  assert.equal(overlapsTag(m.tags, 12, 19), false);
  assert.equal(overlapsTag(m.tags, 12, 23), true);
  assert.equal(overlapsTag(m.tags, 5, 5), true); // empty range inside a tag
  assert.equal(overlapsTag(m.tags, 2, 2), true); // an empty range counts when a tag contains its position
  assert.equal(overlapsTag(m.tags, 9, 9), false); // ... and a tag ends before its end offset
  assert.equal(overlapsTag([], 0, 100), false);
});

test('never throws on garbage and stays linear on large inputs', () => {
  const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
  const m = maskTemplate(junk);
  assert.equal(m.text.length, junk.length);
  const big = '{{ a }} x\n'.repeat(200_000) + '{{'.repeat(10_000);
  const r = maskTemplate(big);
  assert.equal(r.text.length, big.length);
  assert.equal(r.tags.length, 200_000);
  assert.equal(r.errors.length, 101);
  assert.equal(r.errors[100]!.message, '9900 more unclosed template tags not reported');
});
