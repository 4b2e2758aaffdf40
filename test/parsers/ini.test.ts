import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIni } from '../../src/parsers/ini.js';
import type { Range } from '../../src/model/location.js';

/** `line:col-line:col` for compact, exact range assertions. */
function span(r: Range): string {
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

const NOVA_CONF = `[DEFAULT]
debug = True
transport_url = rabbit://nova:secret@ctl1:5672,nova:secret@ctl2:5672/

[oslo_messaging_rabbit]
# Heartbeats keep idle AMQP connections alive behind firewalls.
heartbeat_timeout_threshold = 60
heartbeat_rate = 2
;rabbit_ha_queues = true
heartbeat_in_pthread: false
`;

test('nova.conf: sections, options, values and exact locations', () => {
  const { tree, errors } = parseIni(NOVA_CONF);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    tree.sections.map((s) => [s.name, span(s.range), s.options.map((o) => `${o.name}=${o.value}`)]),
    [
      ['DEFAULT', '1:1-1:10', ['debug=True', 'transport_url=rabbit://nova:secret@ctl1:5672,nova:secret@ctl2:5672/']],
      [
        'oslo_messaging_rabbit',
        '5:1-5:24',
        ['heartbeat_timeout_threshold=60', 'heartbeat_rate=2', 'heartbeat_in_pthread=false'],
      ],
    ],
  );
  const hb = tree.sections[1]!.options[0]!;
  assert.deepEqual(hb.range, {
    start: { line: 7, column: 1, offset: NOVA_CONF.indexOf('heartbeat_timeout_threshold') },
    end: { line: 7, column: 33, offset: NOVA_CONF.indexOf('heartbeat_timeout_threshold') + 32 },
  });
  assert.equal(span(hb.nameRange), '7:1-7:28');
  assert.equal(span(hb.valueRange), '7:31-7:33');
  assert.equal(NOVA_CONF.slice(hb.valueRange.start.offset, hb.valueRange.end.offset), '60');
  assert.equal(hb.templated, false);
  const colon = tree.sections[1]!.options[2]!;
  assert.equal(span(colon.nameRange), '10:1-10:21');
  assert.equal(span(colon.valueRange), '10:23-10:28');
});

test('inline # is part of the value (oslo.config does not strip it)', () => {
  const { tree } = parseIni('[DEFAULT]\nworkers = 4 # per node\nfoo = a;b\n');
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => o.value),
    ['4 # per node', 'a;b'],
  );
});

test('the first of = and : splits; later ones stay in the value', () => {
  const { tree } = parseIni('url = http://h:5000/v3\nmap: a=b\n');
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => [o.name, o.value]),
    [
      ['url', 'http://h:5000/v3'],
      ['map', 'a=b'],
    ],
  );
});

test('options before any header go to the implicit section; repeated keys are kept in order', () => {
  const { tree, errors } = parseIni('top = 1\n[DEFAULT]\nenabled_apis = osapi_compute\nenabled_apis = metadata\n');
  assert.deepEqual(errors, []);
  assert.equal(tree.sections[0]!.name, '');
  assert.equal(span(tree.sections[0]!.range), '1:1-1:1');
  assert.deepEqual(
    tree.sections[1]!.options.map((o) => [o.name, o.value, o.range.start.line]),
    [
      ['enabled_apis', 'osapi_compute', 3],
      ['enabled_apis', 'metadata', 4],
    ],
  );
});

test('no implicit section when the file starts with a header', () => {
  const { tree } = parseIni('# comment\n[DEFAULT]\n');
  assert.deepEqual(
    tree.sections.map((s) => s.name),
    ['DEFAULT'],
  );
});

test('repeated section headers are kept as separate sections; names keep their case', () => {
  const { tree } = parseIni('[default]\na=1\n[DEFAULT]\na=2\n[default]\nb=3\n');
  assert.deepEqual(
    tree.sections.map((s) => [s.name, s.options.length]),
    [
      ['default', 1],
      ['DEFAULT', 1],
      ['default', 1],
    ],
  );
});

test('continuation lines are joined with \\n; the range covers them; a blank line ends the value', () => {
  const text = '[DEFAULT]\nlogging_context_format_string = %(asctime)s\n    %(levelname)s\n\t%(message)s\n\nnext = 1\n';
  const { tree, errors } = parseIni(text);
  assert.deepEqual(errors, []);
  const [opt, next] = tree.sections[0]!.options;
  assert.equal(opt!.value, '%(asctime)s\n%(levelname)s\n%(message)s');
  assert.equal(span(opt!.range), '2:1-4:13');
  assert.equal(span(opt!.valueRange), '2:33-4:13');
  assert.equal(next!.value, '1');
});

test('an indented comment after an option continues it, as in oslo.config', () => {
  const { tree } = parseIni('[DEFAULT]\na = 1\n  # not a comment\n');
  assert.equal(tree.sections[0]!.options[0]!.value, '1\n# not a comment');
});

test('key with an empty first line and a continuation gets a leading newline', () => {
  const { tree } = parseIni('[DEFAULT]\nkey =\n  a\n  b\n');
  const opt = tree.sections[0]!.options[0]!;
  assert.equal(opt.value, '\na\nb');
  assert.equal(span(opt.valueRange), '3:3-4:4');
});

test('empty value: "" and an empty range right after the separator', () => {
  const { tree } = parseIni('[DEFAULT]\nkey =\nother=   \n');
  const [a, b] = tree.sections[0]!.options;
  assert.equal(a!.value, '');
  assert.equal(span(a!.valueRange), '2:6-2:6');
  assert.equal(span(a!.range), '2:1-2:6'); // `key =`
  assert.equal(b!.value, '');
});

test('matching surrounding quotes are removed (oslo.config), others kept', () => {
  const { tree } = parseIni(`[a]\nx = "quoted"\ny = 'single'\nz = "half\nw = "a" and "b"\nv = "\n`);
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => o.value),
    ['quoted', 'single', '"half', 'a" and "b', ''],
  );
});

test('CRLF files: \\r is not part of names or values', () => {
  const { tree, errors } = parseIni('[DEFAULT]\r\ndebug = true\r\n');
  assert.deepEqual(errors, []);
  const opt = tree.sections[0]!.options[0]!;
  assert.equal(tree.sections[0]!.name, 'DEFAULT');
  assert.equal(opt.value, 'true');
  assert.equal(span(opt.valueRange), '2:9-2:13');
});

test('errors are data with locations and parsing continues', () => {
  const text = '  orphan continuation\n[DEFAULT\n[]\nnot an option\n= novalue\n[ok]\nkey = v\n';
  const { tree, errors } = parseIni(text);
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [
      ['continuation line with no option to continue', '1:3-1:22'],
      ["section header does not end with ']'", '2:1-2:9'],
      ['section header has no name', '3:1-3:3'],
      ["expected 'key = value': no '=' or ':' on this line", '4:1-4:14'],
      ['option has no name', '5:1-5:10'],
    ],
  );
  assert.deepEqual(
    tree.sections.map((s) => [s.name, s.options.map((o) => o.name)]),
    [['ok', ['key']]],
  );
});

test('a header line with a trailing comment is an error, as in oslo.config', () => {
  const { errors } = parseIni('[DEFAULT] # main\n');
  assert.equal(errors.length, 1);
});

test('uWSGI ini for nova-api: [uwsgi] section, repeated keys, flags without =', () => {
  const text = `[uwsgi]
chmod-socket = 666
socket = /var/run/uwsgi/nova-api.socket
lazy-apps = true
add-header = Connection: close
buffer-size = 65535
hook-master-start = unix_signal:15 gracefully_kill_them_all
thunder-lock = true
plugins = python3
enable-threads = true
worker-reload-mercy = 80
exit-on-reload = false
die-on-term = true
master
workers = 4
threads = 1
  processes = 4
module = nova.wsgi.osapi_compute:application
env = A=1
env = B="2"
`;
  const { tree, errors } = parseIni(text, { dialect: 'uwsgi' });
  assert.deepEqual(errors, []);
  const s = tree.sections[0]!;
  assert.equal(s.name, 'uwsgi');
  const get = (name: string) => s.options.filter((o) => o.name === name).map((o) => o.value);
  assert.deepEqual(get('add-header'), ['Connection: close']); // ':' does not split in uWSGI
  assert.deepEqual(get('master'), ['']);
  assert.deepEqual(get('threads'), ['1']);
  assert.deepEqual(get('processes'), ['4']); // indentation is insignificant in uWSGI
  assert.deepEqual(get('module'), ['nova.wsgi.osapi_compute:application']);
  assert.deepEqual(get('env'), ['A=1', 'B="2"']);
  const proc = s.options.find((o) => o.name === 'processes')!;
  assert.equal(span(proc.nameRange), '17:3-17:12');
  assert.equal(span(proc.valueRange), '17:15-17:16');
});

test('templated ini (Jinja): masked values are templated and keep their original text', () => {
  const text = '[uwsgi]\n{% if nova_api_threads is defined %}\nthreads = {{ nova_api_threads }}\n{% endif %}\nprocesses = 4\nsocket = {{ host }}:{{ port }}\n';
  const { tree, errors } = parseIni(text, { templated: true, dialect: 'uwsgi' });
  assert.deepEqual(errors, []);
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => [o.name, o.value, o.templated]),
    [
      ['threads', '{{ nova_api_threads }}', true],
      ['processes', '4', false],
      ['socket', '{{ host }}:{{ port }}', true],
    ],
  );
  const threads = tree.sections[0]!.options[0]!;
  assert.equal(span(threads.valueRange), '3:11-3:33');
});

test('templated ini (ERB): <%= @threads %>; <%- if -%> lines vanish', () => {
  const text = '[DEFAULT]\n<%- if @debug -%>\ndebug = <%= @debug %>\n<%- end -%>\nworkers = <%= @workers %> # x\n';
  const { tree, errors } = parseIni(text, { templated: true, syntaxes: ['erb'] });
  assert.deepEqual(errors, []);
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => [o.name, o.value, o.templated]),
    [
      ['debug', '<%= @debug %>', true],
      ['workers', '<%= @workers %> # x', true],
    ],
  );
});

test('without templated, tags are plain text', () => {
  const { tree } = parseIni('[a]\nx = {{ y }}\n');
  assert.deepEqual(
    tree.sections[0]!.options.map((o) => [o.value, o.templated]),
    [['{{ y }}', false]],
  );
});

test('never throws: empty, binary, huge', () => {
  assert.deepEqual(parseIni(''), { tree: { sections: [] }, errors: [] });
  const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 131) % 256));
  const r = parseIni(binary);
  assert.ok(Array.isArray(r.errors));
  const huge = parseIni('a = 1\n'.repeat(2_000_000));
  assert.equal(huge.errors.length, 1);
  assert.match(huge.errors[0]!.message, /too large/);
  const many = parseIni('[s]\n' + 'k = v\n'.repeat(100_000));
  assert.equal(many.tree.sections[0]!.options.length, 100_000);
  assert.equal(many.tree.sections[0]!.options[99_999]!.range.start.line, 100_001);
});
