/** `heartbeat-bot check` end to end, on a directory tree made for the test. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isOneLineError, runCli } from './run-cli.js';

let root: string;

function write(path: string, content: string | Uint8Array) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'heartbeat-bot-check-'));
  write('hieradata/common.yaml', 'nova::wsgi::apache_api::threads: 4\n');
  write('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n');
  write('manifests/api.pp', "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n");
  write('files/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  // Not entered: dependencies and tool directories.
  write('node_modules/x/hieradata/common.yaml', 'nova::wsgi::apache_api::threads: 8\n');
  write('.tox/py3/etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

interface JsonOutput {
  findings: { ruleId: string; severity: string; path: string; line: number }[];
  errors: { path: string; message: string }[];
  stats: { files: number; bytes: number; ms: number };
}

test('check . finds both core rules, paths relative to the current directory, dependencies skipped', () => {
  const r = runCli(['check', '--format', 'json', '--release', 'wallaby'], { cwd: root });
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOutput;
  const found = out.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort();
  assert.deepEqual(found, [
    'heartbeat-disabled etc/nova/nova.conf:2',
    'nova-wsgi-threads-not-1 hieradata/common.yaml:1',
    'nova-wsgi-threads-not-1 manifests/api.pp:2',
  ]);
  assert.equal(out.errors.length, 0);
  assert.ok(out.stats.files >= 3);
  assert.equal(typeof out.stats.ms, 'number');
});

test('check with explicit paths from a parent directory: paths stay relative to the current directory', () => {
  const parent = dirname(root);
  const name = root.slice(parent.length + 1);
  const r = runCli(['check', '--format', 'json', `${name}/hieradata`, `${name}/etc/nova/nova.conf`], { cwd: parent });
  const out = JSON.parse(r.stdout) as JsonOutput;
  assert.deepEqual(out.findings.map((f) => f.path).sort(), [`${name}/etc/nova/nova.conf`, `${name}/hieradata/common.yaml`]);
});

test('fail level: error by default, warning, none', () => {
  // The newest series: the wsgi rule is a warning there, heartbeat-disabled too.
  const latest = runCli(['check', '--format', 'json'], { cwd: root });
  const severities = (JSON.parse(latest.stdout) as JsonOutput).findings.map((f) => f.severity);
  const hasError = severities.includes('error');
  assert.equal(latest.code, hasError ? 1 : 0);
  assert.equal(runCli(['check', '--fail-level', 'warning'], { cwd: root }).code, 1);
  assert.equal(runCli(['check', '--fail-level', 'none', '--release', 'wallaby'], { cwd: root }).code, 0);
  assert.equal(runCli(['check', '--release', 'wallaby', 'files'], { cwd: root }).code, 0);
});

test('text output lists the findings and the summary, without colour when not a terminal', () => {
  const r = runCli(['check', '--release', 'wallaby'], { cwd: root });
  assert.match(r.stdout, /^hieradata\/common\.yaml$/m);
  assert.match(r.stdout, /^ {2}1:\d+ +error +.* +nova-wsgi-threads-not-1$/m);
  assert.match(r.stdout, /\u2716 3 problems \(2 errors, 1 warning, 0 infos\)/);
  assert.match(r.stdout, /skipped \(.*1 binary/);
  assert.doesNotMatch(r.stdout, /\u001b\[/);
  assert.match(runCli(['check', '--release', 'wallaby'], { cwd: root, env: { FORCE_COLOR: '1' } }).stdout, /\u001b\[31m/);
});

test('the configuration in the current directory applies; a bad one exits 2 listing its problems', () => {
  write('.heartbeat-bot.yml', 'rules:\n  heartbeat-disabled: off\n');
  try {
    const r = runCli(['check', '--format', 'json', '--release', 'wallaby'], { cwd: root });
    assert.deepEqual((JSON.parse(r.stdout) as JsonOutput).findings.map((f) => f.ruleId).sort(), [
      'nova-wsgi-threads-not-1',
      'nova-wsgi-threads-not-1',
    ]);
    write('.heartbeat-bot.yml', 'rulez:\n  heartbeat-disabled: off\nfilter: everything\n');
    const bad = runCli(['check'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.ok(isOneLineError(bad.stderr), bad.stderr);
    assert.match(bad.stderr, /rulez/);
    assert.match(bad.stderr, /everything/);
    assert.equal(bad.stdout, '');
  } finally {
    rmSync(join(root, '.heartbeat-bot.yml'));
  }
});

test('--config FILE wins over the current directory', () => {
  const config = join(root, 'other.yml');
  writeFileSync(config, 'rules:\n  nova-wsgi-threads-not-1: off\n');
  try {
    const r = runCli(['check', '--format', 'json', '--config', config], { cwd: root });
    assert.deepEqual((JSON.parse(r.stdout) as JsonOutput).findings.map((f) => f.ruleId), ['heartbeat-disabled']);
  } finally {
    rmSync(config);
  }
});
