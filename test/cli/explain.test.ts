/**
 * The effective concurrency picture end to end: `--explain` adds the table to text output; JSON always carries
 * `summary` and finding `docs`; text names every rule's documentation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './run-cli.js';

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'heartbeat-bot-explain-'));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  write('hieradata/common.yaml', 'nova::wsgi::apache_api::threads: 4\nnova::wsgi::apache_api::workers: 2\n');
  write('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 30\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('--explain prints the aligned table after the findings and the docs links', () => {
  const r = runCli(['check', '--release', 'zed', '--explain'], { cwd: root, env: { DOCS_URL: 'https://bot.example/rules/' } });
  assert.equal(r.code, 1, r.stderr);
  const tail = r.stdout.slice(r.stdout.indexOf('Docs:'));
  assert.equal(
    tail,
    [
      'Docs:',
      '  nova-wsgi-threads-not-1  https://bot.example/rules/nova-wsgi-threads-not-1',
      '',
      'Effective concurrency:',
      '  service   server    processes  threads  eventlet  heartbeat    threshold',
      '  nova-api  mod_wsgi  2          4        patched   greenthread  30',
      '',
    ].join('\n'),
  );
});

test('without --explain the text output has no table', () => {
  const r = runCli(['check', '--release', 'zed'], { cwd: root });
  assert.doesNotMatch(r.stdout, /Effective concurrency/);
  assert.match(r.stdout, /^Docs:\n {2}nova-wsgi-threads-not-1 {2}file:\/\/\S+\/rules\/nova-wsgi-threads-not-1\/README\.md$/m);
});

test('JSON has the summary (with sources) and a docs URL per finding, --explain or not', () => {
  const r = runCli(['check', '--format', 'json', '--release', '2026.1'], { cwd: root, env: { DOCS_URL: 'https://bot.example/rules' } });
  const out = JSON.parse(r.stdout) as {
    findings: { ruleId: string; docs: string }[];
    summary: Record<string, unknown>[];
  };
  assert.deepEqual(Object.keys(out), ['findings', 'errors', 'stats', 'summary']);
  assert.deepEqual(out.findings.map((f) => f.docs), ['https://bot.example/rules/nova-wsgi-threads-not-1']);
  assert.deepEqual(out.summary, [
    {
      service: 'nova-api',
      server: { value: 'mod_wsgi', from: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1' },
      processes: { value: '2', from: 'nova::wsgi::apache_api::workers (hiera) at hieradata/common.yaml:2' },
      threads: { value: '4', from: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1' },
      // nova 33: native threads by default, so neither patched nor a greenthread heartbeat.
      eventletPatched: false,
      heartbeat: null,
      heartbeatThreshold: { value: '30', from: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2' },
    },
  ]);
});

test('--explain is a flag: it takes no value', () => {
  const r = runCli(['check', '--explain=yes'], { cwd: root });
  assert.equal(r.code, 2);
});
