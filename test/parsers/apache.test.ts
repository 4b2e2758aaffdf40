import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyValueArgs, parseApache } from '../../src/parsers/apache.js';
import type { ApacheDirective, ApacheNode, ApacheSection } from '../../src/model/ast/apache.js';
import type { Range } from '../../src/model/location.js';

function span(r: Range): string {
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/** Compact outline: `Name(args)` for directives, `<Name args>[...]` for sections. */
function outline(nodes: ApacheNode[]): unknown[] {
  return nodes.map((n) =>
    n.type === 'directive'
      ? `${n.name}(${n.args.map((a) => a.value).join('|')})`
      : { [`<${n.name} ${n.args.map((a) => a.value).join('|')}>`]: outline(n.children) },
  );
}

const VHOST = `# Nova API vhost, as puppet-nova renders it
Listen 8774

<VirtualHost *:8774>
  ServerName controller-0.internalapi.localdomain

  ## Logging
  ErrorLog "/var/log/httpd/nova_api_wsgi_error.log"
  WSGIApplicationGroup %{GLOBAL}
  WSGIDaemonProcess nova-api display-name=nova_api_wsgi group=nova processes=4 threads=1 user=nova
  WSGIProcessGroup nova-api
  WSGIScriptAlias / "/var/www/cgi-bin/nova/nova-api"
  <Directory "/var/www/cgi-bin/nova">
    Require all granted
  </Directory>
</VirtualHost>

<IfModule mpm_event_module>
  StartServers             2
  ServerLimit             16
  ThreadsPerChild         25
  MaxRequestWorkers      400
</IfModule>
`;

test('vhost and MPM sizing: tree, arguments and exact locations', () => {
  const { tree, errors } = parseApache(VHOST);
  assert.deepEqual(errors, []);
  assert.deepEqual(outline(tree.children), [
    'Listen(8774)',
    {
      '<VirtualHost *:8774>': [
        'ServerName(controller-0.internalapi.localdomain)',
        'ErrorLog(/var/log/httpd/nova_api_wsgi_error.log)',
        'WSGIApplicationGroup(%{GLOBAL})',
        'WSGIDaemonProcess(nova-api|display-name=nova_api_wsgi|group=nova|processes=4|threads=1|user=nova)',
        'WSGIProcessGroup(nova-api)',
        'WSGIScriptAlias(/|/var/www/cgi-bin/nova/nova-api)',
        { '<Directory /var/www/cgi-bin/nova>': ['Require(all|granted)'] },
      ],
    },
    {
      '<IfModule mpm_event_module>': [
        'StartServers(2)',
        'ServerLimit(16)',
        'ThreadsPerChild(25)',
        'MaxRequestWorkers(400)',
      ],
    },
  ]);
  const vhost = tree.children[1] as ApacheSection;
  assert.equal(span(vhost.range), '4:1-16:15');
  assert.equal(span(vhost.openRange), '4:1-4:21');
  const wsgi = vhost.children[3] as ApacheDirective;
  assert.equal(span(wsgi.range), '10:3-10:99');
  assert.equal(span(wsgi.nameRange), '10:3-10:20');
  const threads = wsgi.args[4]!;
  assert.equal(threads.raw, 'threads=1');
  assert.equal(span(threads.range), '10:80-10:89');
  assert.equal(VHOST.slice(threads.range.start.offset, threads.range.end.offset), 'threads=1');
  const errorLog = vhost.children[1] as ApacheDirective;
  assert.equal(errorLog.args[0]!.raw, '"/var/log/httpd/nova_api_wsgi_error.log"');
  assert.equal(span(errorLog.args[0]!.range), '8:12-8:52');
  const mpm = tree.children[2] as ApacheSection;
  assert.equal(span(mpm.range), '18:1-23:12');
  const limit = mpm.children[1] as ApacheDirective;
  assert.equal(span(limit.args[0]!.range), '20:27-20:29');
});

test('keyValueArgs: lower-cased names, last wins, positional args skipped, quotes removed', () => {
  const { tree } = parseApache(
    'WSGIDaemonProcess nova-api Processes=4 threads=1 threads=8 display-name=%{GROUP} "python-path=/a b" home=\'/x\'\n',
  );
  const d = tree.children[0] as ApacheDirective;
  const kv = keyValueArgs(d.args);
  assert.deepEqual([...kv.keys()], ['processes', 'threads', 'display-name', 'python-path', 'home']);
  assert.equal(kv.get('processes')!.value, '4');
  assert.equal(kv.get('threads')!.value, '8');
  assert.equal(span(kv.get('threads')!.range), '1:50-1:59');
  assert.equal(kv.get('display-name')!.value, '%{GROUP}');
  assert.equal(kv.get('python-path')!.value, '/a b');
  assert.equal(kv.get('home')!.value, '/x');
  assert.equal(kv.has('nova-api'), false);
});

test('quoted arguments: only \\<quote> is an escape; a quote inside a word is literal', () => {
  const { tree, errors } = parseApache(`Header set X "a \\"b\\" c\\d" 'it\\'s' x"y z" "unclosed arg\n`);
  assert.deepEqual(errors, []);
  const d = tree.children[0] as ApacheDirective;
  assert.deepEqual(
    d.args.map((a) => [a.value, a.raw]),
    [
      ['set', 'set'],
      ['X', 'X'],
      ['a "b" c\\d', '"a \\"b\\" c\\d"'],
      ["it's", "'it\\'s'"],
      ['x"y', 'x"y'],
      ['z"', 'z"'],
      ['unclosed arg', '"unclosed arg'],
    ],
  );
});

test('backslash-newline continuations are joined; argument ranges point into each physical line', () => {
  const text = 'WSGIDaemonProcess nova-api \\\n    processes=4 \\  \n    threads=1\nNext 1\n';
  const { tree, errors } = parseApache(text);
  assert.deepEqual(errors, []);
  const d = tree.children[0] as ApacheDirective;
  assert.deepEqual(
    d.args.map((a) => [a.value, span(a.range)]),
    [
      ['nova-api', '1:19-1:27'],
      ['processes=4', '2:5-2:16'],
      ['threads=1', '3:5-3:14'],
    ],
  );
  assert.equal(span(d.range), '1:1-3:14');
  assert.equal(outline(tree.children)[1], 'Next(1)');
});

test('a word split by a continuation is one argument spanning both lines', () => {
  const { tree } = parseApache('Alias /a\\\nb /c\n');
  const d = tree.children[0] as ApacheDirective;
  assert.equal(d.args[0]!.value, '/ab');
  assert.equal(span(d.args[0]!.range), '1:7-2:2');
  assert.equal(d.args[0]!.raw, '/ab');
});

test('comments: # lines (even indented) are skipped; a later # is an argument; a comment can continue', () => {
  const { tree } = parseApache('  # c\nServerName x # not a comment\n# a \\\nStillComment 1\nLast 2\n');
  assert.deepEqual(outline(tree.children), ['ServerName(x|#|not|a|comment)', 'Last(2)']);
});

test('close tags match case-insensitively', () => {
  const { tree, errors } = parseApache('<ifmodule mod_wsgi.c>\nWSGISocketPrefix run/wsgi\n</IfModule>\n');
  assert.deepEqual(errors, []);
  assert.equal((tree.children[0] as ApacheSection).name, 'ifmodule');
  assert.equal(span((tree.children[0] as ApacheSection).range), '1:1-3:12');
});

test('mismatched close: inner sections are closed there with an error; stray closes are ignored', () => {
  const text = '<VirtualHost *:80>\n<Directory /x>\nRequire all granted\n</VirtualHost>\n</Location>\nAfter 1\n';
  const { tree, errors } = parseApache(text);
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [
      ['<Directory> is not closed before </VirtualHost>', '2:1-2:15'],
      ['</Location> without matching <Location>', '5:1-5:12'],
    ],
  );
  assert.deepEqual(outline(tree.children), [
    { '<VirtualHost *:80>': [{ '<Directory /x>': ['Require(all|granted)'] }] },
    'After(1)',
  ]);
  const vhost = tree.children[0] as ApacheSection;
  assert.equal(span(vhost.range), '1:1-4:15');
  assert.equal(span((vhost.children[0] as ApacheSection).range), '2:1-4:1');
});

test('unclosed sections run to the end of the file, with an error', () => {
  const text = '<IfModule mpm_worker_module>\n  ThreadsPerChild 25\n';
  const { tree, errors } = parseApache(text);
  assert.deepEqual(
    errors.map((e) => [e.message, span(e.range)]),
    [['<IfModule> is not closed', '1:1-1:29']],
  );
  assert.equal(span((tree.children[0] as ApacheSection).range), '1:1-3:1');
  assert.equal(outline(tree.children).length, 1);
});

test('malformed tags are errors and parsing continues', () => {
  const { tree, errors } = parseApache('<VirtualHost *:80\nServerName a\n</VirtualHost\n< x>\nB 1\n');
  assert.deepEqual(
    errors.map((e) => e.message),
    ["section tag <VirtualHost> does not end with '>'", "closing tag </VirtualHost> does not end with '>'", 'section tag has no name'],
  );
  assert.deepEqual(outline(tree.children), [{ '<VirtualHost *:80>': ['ServerName(a)'] }, 'B(1)']);
});

test('ERB vhost template: control lines vanish, <%= %> arguments are templated with their original text', () => {
  const text = `<VirtualHost <%= @bind_host %>:<%= @port %>>
<% if @wsgi_daemon_process -%>
  WSGIDaemonProcess <%= @wsgi_daemon_process %> processes=<%= @workers %> threads=<%= @threads %> user=nova
<% end -%>
  <%= scope.call_function('template', ['apache/vhost/_extra.erb']) %>
</VirtualHost>
`;
  const { tree, errors } = parseApache(text, { templated: true, syntaxes: ['erb'] });
  assert.deepEqual(errors, []);
  const vhost = tree.children[0] as ApacheSection;
  assert.equal(vhost.args[0]!.templated, true);
  assert.equal(vhost.args[0]!.value, '<%= @bind_host %>:<%= @port %>');
  assert.equal(vhost.children.length, 1);
  const d = vhost.children[0] as ApacheDirective;
  assert.equal(d.name, 'WSGIDaemonProcess');
  assert.deepEqual(
    d.args.map((a) => [a.value, a.templated]),
    [
      ['<%= @wsgi_daemon_process %>', true],
      ['processes=<%= @workers %>', true],
      ['threads=<%= @threads %>', true],
      ['user=nova', false],
    ],
  );
  const kv = keyValueArgs(d.args);
  assert.deepEqual(kv.get('threads'), { value: '<%= @threads %>', range: d.args[2]!.range, templated: true });
  assert.equal(span(d.args[2]!.range), '3:75-3:98');
});

test('Jinja vhost template (kolla style)', () => {
  const text = `{% set wsgi_threads = 1 %}
Listen {{ api_interface_address | put_address_in_context('url') }}:{{ nova_api_listen_port }}
<VirtualHost *:{{ nova_api_listen_port }}>
    WSGIDaemonProcess nova-api processes={{ nova_api_workers }} threads={{ wsgi_threads }} user=nova
</VirtualHost>
`;
  const { tree, errors } = parseApache(text, { templated: true, syntaxes: ['jinja'] });
  assert.deepEqual(errors, []);
  const listen = tree.children[0] as ApacheDirective;
  assert.equal(listen.args.length, 1);
  assert.equal(listen.args[0]!.templated, true);
  const d = (tree.children[1] as ApacheSection).children[0] as ApacheDirective;
  assert.deepEqual(
    d.args.map((a) => a.templated),
    [false, true, true, false],
  );
});

test('CRLF files: no \\r in names or arguments', () => {
  const { tree, errors } = parseApache('<IfModule x>\r\nServerLimit 16\r\n</IfModule>\r\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(outline(tree.children), [{ '<IfModule x>': ['ServerLimit(16)'] }]);
});

test('never throws: empty, binary, garbage, huge', () => {
  assert.deepEqual(parseApache(''), { tree: { children: [] }, errors: [] });
  assert.deepEqual(parseApache('\\'), { tree: { children: [{ type: 'directive', name: '\\', args: [], range: parseApache('\\').tree.children[0]!.range, nameRange: (parseApache('\\').tree.children[0] as ApacheDirective).nameRange }] }, errors: [] });
  const binary = String.fromCharCode(...Array.from({ length: 8192 }, (_, i) => (i * 7 + 60) % 256));
  assert.ok(Array.isArray(parseApache(binary).errors));
  assert.ok(Array.isArray(parseApache('<<<<>>>>\n</>\n<\n>\n"""\n\\\n\\\n').errors));
  const deep = '<IfModule a>\n'.repeat(5000) + '</IfModule>\n'.repeat(5000);
  assert.deepEqual(parseApache(deep).errors, []);
  const huge = parseApache('ServerLimit 16\n'.repeat(800_000));
  assert.match(huge.errors[0]!.message, /too large/);
});
