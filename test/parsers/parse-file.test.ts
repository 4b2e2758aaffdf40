import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scalar, YAMLMap } from 'yaml';
import { parseFile, templateOf } from '../../src/parsers/parse-file.js';
import { isTemplated } from '../../src/parsers/yaml.js';
import type { ApacheDirective, ApacheSection } from '../../src/model/ast/apache.js';

test('puppet files go to parsePuppet', () => {
  const text = "class { 'nova::wsgi::apache_api': threads => 4 }\n";
  const f = parseFile('manifests/profile/nova_api.pp', text);
  assert.equal(f.kind, 'puppet');
  if (f.kind !== 'puppet') return;
  assert.equal(f.path, 'manifests/profile/nova_api.pp');
  assert.equal(f.text, text);
  assert.equal(f.tree.type, 'Program');
  assert.deepEqual(f.errors, []);
});

test('python files are parsed, never masked', () => {
  const text = 'x = "{{ not a template }}"\nimport oslo_messaging\n';
  const f = parseFile('nova/rpc.py', text);
  assert.equal(f.kind, 'python');
  if (f.kind !== 'python') return;
  assert.deepEqual(f.errors, []);
  assert.equal(f.tree.root.namedChildren[1]!.type, 'import_statement');
  assert.equal(templateOf('nova/rpc.py', text, 'python'), undefined);
});

test('nova.conf: oslo dialect (`:` splits, continuation lines)', () => {
  const f = parseFile('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold: 0\nx = a\n  b\n');
  assert.equal(f.kind, 'ini');
  if (f.kind !== 'ini') return;
  assert.deepEqual(
    f.tree.sections[0]!.options.map((o) => [o.name, o.value]),
    [
      ['heartbeat_timeout_threshold', '0'],
      ['x', 'a\nb'],
    ],
  );
});

test('uWSGI ini: uwsgi dialect', () => {
  const f = parseFile('nova-api-uwsgi.ini', '[uwsgi]\nmaster\nadd-header = Connection: close\nthreads = 1\n');
  assert.equal(f.kind, 'uwsgi');
  if (f.kind !== 'uwsgi') return;
  assert.deepEqual(f.errors, []);
  assert.deepEqual(
    f.tree.sections[0]!.options.map((o) => [o.name, o.value]),
    [
      ['master', ''],
      ['add-header', 'Connection: close'],
      ['threads', '1'],
    ],
  );
});

test('ERB Apache template: threads=<%= @threads %> is a templated argument', () => {
  const text = '<% if @wsgi -%>\nWSGIDaemonProcess nova-api processes=<%= @workers %> threads=<%= @threads %>\n<% end -%>\n';
  const f = parseFile('templates/vhost/_wsgi.conf.erb', text);
  assert.equal(f.kind, 'apache');
  if (f.kind !== 'apache') return;
  assert.deepEqual(f.errors, []);
  assert.equal(f.text, text);
  const d = f.tree.children[0] as ApacheDirective;
  assert.deepEqual(
    d.args.map((a) => [a.raw, a.templated]),
    [
      ['nova-api', false],
      ['processes=<%= @workers %>', true],
      ['threads=<%= @threads %>', true],
    ],
  );
  assert.equal(d.args[2]!.range.start.line, 2);
  assert.equal(d.args[2]!.range.start.column, 54);
});

test('.erb masks ERB only: Jinja-looking text stays literal', () => {
  const f = parseFile('templates/x.conf.erb', 'ServerName {{literal}}\nListen <%= @port %>\n');
  assert.equal(f.kind, 'apache');
  if (f.kind !== 'apache') return;
  const [name, listen] = f.tree.children as ApacheDirective[];
  assert.equal(name!.args[0]!.templated, false);
  assert.equal(listen!.args[0]!.templated, true);
});

test('Jinja uWSGI template (.ini.j2)', () => {
  const f = parseFile('templates/nova-api-uwsgi.ini.j2', '[uwsgi]\nthreads = {{ nova_api_threads }}\nprocesses = {{ nova_api_workers }}\n');
  assert.equal(f.kind, 'uwsgi');
  if (f.kind !== 'uwsgi') return;
  assert.deepEqual(
    f.tree.sections[0]!.options.map((o) => [o.name, o.value, o.templated]),
    [
      ['threads', '{{ nova_api_threads }}', true],
      ['processes', '{{ nova_api_workers }}', true],
    ],
  );
});

test('Ansible vars in plain .yml with unquoted {{ }}: masked from content', () => {
  const text = 'nova_api_threads: {{ 1 if x else 2 }}\nnova_api_workers: 4\n';
  const f = parseFile('group_vars/all.yml', text);
  assert.equal(f.kind, 'ansible');
  if (f.kind !== 'ansible') return;
  assert.deepEqual(f.errors, []);
  const map = f.tree.documents[0]!.contents as YAMLMap<Scalar, Scalar>;
  assert.deepEqual(
    map.items.map((p) => [p.key.value, isTemplated(f.tree, p.value!)]),
    [
      ['nova_api_threads', true],
      ['nova_api_workers', false],
    ],
  );
});

test('TripleO .j2.yaml heat template', () => {
  const text = 'heat_template_version: wallaby\n{% for role in roles %}\nparameters:\n  {{ role.name }}Count:\n    default: 1\n{% endfor %}\n';
  const f = parseFile('overcloud.j2.yaml', text);
  assert.equal(f.kind, 'heat');
  if (f.kind !== 'heat') return;
  assert.deepEqual(f.errors, []);
  assert.deepEqual(templateOf('overcloud.j2.yaml', text, 'heat'), ['jinja']);
});

test('hieradata and heat environments are YAML kinds', () => {
  const hiera = parseFile('hieradata/common.yaml', 'nova::wsgi::apache_api::threads: 4\n');
  assert.equal(hiera.kind, 'hiera');
  if (hiera.kind === 'hiera') assert.equal(hiera.tree.documents[0]!.get('nova::wsgi::apache_api::threads'), 4);
  const env = parseFile('environments/x.yaml', 'parameter_defaults:\n  NovaWorkers: 4\n');
  assert.equal(env.kind, 'heat-env');
});

test('hiera.yaml sibling and explicit kind options are passed through', () => {
  const f = parseFile('site/nodes/ctl.yaml', 'workers: 4\n', { siblingPaths: ['site/hiera.yaml'] });
  assert.equal(f.kind, 'hiera');
  const g = parseFile('whatever.txt', '[uwsgi]\nthreads = 2\n', { kind: 'uwsgi' });
  assert.equal(g.kind, 'uwsgi');
});

test('unknown files keep path and text, with no errors', () => {
  const f = parseFile('README.md', '# hello\n');
  assert.deepEqual(f, { kind: 'unknown', path: 'README.md', text: '# hello\n', errors: [] });
  const bin = parseFile('nova.conf', '[DEFAULT]\u0000\u0001\u0002');
  assert.equal(bin.kind, 'unknown');
});

test('never throws on garbage for any extension', () => {
  const junk = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => 32 + ((i * 7919) % 95))) + '\n<% {{ {% [x] <If';
  for (const path of ['a.pp', 'a.py', 'a.conf', 'a.ini', 'a.yaml', 'hieradata/a.yaml', 'a.conf.erb', 'a.ini.j2', 'a.epp', 'a.load', 'x']) {
    const f = parseFile(path, junk);
    assert.equal(typeof f.kind, 'string');
    assert.ok(Array.isArray(f.errors));
  }
});

test('errors of templated files include unclosed template tags', () => {
  const f = parseFile('templates/nova.conf.j2', '[DEFAULT]\nworkers = {{ n\n');
  assert.equal(f.kind, 'ini');
  assert.deepEqual(
    f.errors.map((e) => [e.message, e.range.start.line, e.range.start.column]),
    [["unclosed template tag '{{'", 2, 11]],
  );
});

test('sections of an Apache conf from a path under conf.d', () => {
  const f = parseFile('/etc/httpd/conf.d/10-nova_api_wsgi.conf', '<IfModule mpm_event_module>\n  ThreadsPerChild 25\n</IfModule>\n');
  assert.equal(f.kind, 'apache');
  if (f.kind === 'apache') assert.equal((f.tree.children[0] as ApacheSection).children.length, 1);
});
