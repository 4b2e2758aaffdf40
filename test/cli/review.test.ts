/**
 * `heartbeat-bot review` end to end on real git repositories: modified, added, renamed, deleted and binary
 * files; the four filter modes; every format; release from the branch; configuration from the head commit; a bare
 * clone; exit statuses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepo } from '../helpers/git-repo.js';
import { sarifErrors } from '../formats/validate-sarif.js';
import { isOneLineError, runCli } from './run-cli.js';

const NOVA_CONF_BASE = [
  '[DEFAULT]',
  'debug = false',
  ...Array.from({ length: 8 }, (_, i) => `# note ${i + 1}`),
  '[oslo_messaging_rabbit]',
  'heartbeat_timeout_threshold = 0', // line 12: in the diff context of the change at line 14, never added
  'amqp_durable_queues = false',
  '# a',
  ...Array.from({ length: 8 }, (_, i) => `# tail ${i + 1}`),
  '',
].join('\n');

const HIERA_BASE = [
  'nova::wsgi::apache_api::threads: 4', // line 1: far from the change at line 15, outside every hunk
  ...Array.from({ length: 13 }, (_, i) => `profile::key${i + 2}: ${i}`),
  'profile::changed: false',
  'profile::last: 1',
  '',
].join('\n');

const OLD_PP = [
  "# The nova API under Apache",
  "class profile::nova::api {",
  "  class { 'nova::wsgi::apache_api':",
  '    ssl     => false,',
  '    threads => 1,',
  '    workers => 4,',
  '  }',
  '}',
  '',
].join('\n');

let repo: GitRepo;
let bare: GitRepo;
let baseSha: string;
let headSha: string;
let notARepo: string;

before(() => {
  repo = GitRepo.init();
  repo
    .write('hieradata/common.yaml', HIERA_BASE)
    .write('etc/nova/nova.conf', NOVA_CONF_BASE)
    .write('manifests/old.pp', OLD_PP)
    .write('etc/nova/legacy.conf', '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n')
    .write('README.md', 'deployment\n');
  baseSha = repo.commit('base');

  repo.git('checkout', '-q', '-b', 'stable/wallaby');
  repo
    .write('hieradata/common.yaml', HIERA_BASE.replace('profile::changed: false', 'profile::changed: true'))
    .write('etc/nova/nova.conf', NOVA_CONF_BASE.replace('# a\n', '# A\n'))
    .write('manifests/api.pp', "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n")
    .move('manifests/old.pp', 'manifests/wsgi.pp')
    .write('manifests/wsgi.pp', OLD_PP.replace('threads => 1', 'threads => 2'))
    .remove('etc/nova/legacy.conf')
    .write('files/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]))
    .write('README.md', 'deployment notes\n');
  headSha = repo.commit('Run nova-api with more threads\n\nA longer body.\n');

  // A topic branch on top of stable/wallaby whose own configuration asks for the diff context.
  repo.git('checkout', '-q', '-b', 'topic');
  repo
    .write('etc/nova/nova.conf', NOVA_CONF_BASE.replace('# a\n', '# AA\n'))
    .write('hieradata/extra.yaml', 'nova::wsgi::apache_api::threads: 3\n')
    .write('.heartbeat-bot.yml', 'filter: diff_context\n');
  repo.commit('topic');

  // Dirty work tree: review must read git objects, never these files.
  repo.write('manifests/api.pp', "class { 'nova::wsgi::apache_api':\n  threads => 1,\n}\n");

  bare = repo.cloneBare();
  notARepo = mkdtempSync(join(tmpdir(), 'heartbeat-bot-not-a-repo-'));
});

after(() => {
  repo?.dispose();
  bare?.dispose();
  if (notARepo) rmSync(notARepo, { recursive: true, force: true });
});

interface JsonOutput {
  findings: { ruleId: string; severity: string; path: string; line: number; endLine: number }[];
  errors: { path: string; message: string }[];
  stats: { files: number; bytes: number; ms: number };
}

function review(args: string[], dir = repo.dir) {
  return runCli(['review', '--repo', dir, ...args]);
}

function findings(args: string[], dir = repo.dir): string[] {
  const r = review(['--format', 'json', ...args], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOutput;
  return out.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort();
}

const ADDED = ['nova-wsgi-threads-not-1 manifests/api.pp:2', 'nova-wsgi-threads-not-1 manifests/wsgi.pp:5'];
const CONTEXT = [...ADDED, 'heartbeat-disabled etc/nova/nova.conf:12'].sort();
const FILE = [...CONTEXT, 'nova-wsgi-threads-not-1 hieradata/common.yaml:1'].sort();

test('filter added (the default): only findings on added or changed lines, renamed file under its new path', () => {
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby']), ADDED);
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby', '--filter', 'added']), ADDED);
});

test('filter diff_context adds findings inside hunks', () => {
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby', '--filter', 'diff_context']), CONTEXT);
});

test('filter file and nofilter add findings anywhere in changed files; deleted and binary files give none', () => {
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby', '--filter', 'file']), FILE);
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby', '--filter', 'nofilter']), FILE);
});

test('a bare clone gives the same review; the dirty work tree is never read', () => {
  assert.deepEqual(findings(['--base', 'master', '--head', 'stable/wallaby', '--filter', 'file'], bare.dir), FILE);
});

test('release from the branch: stable/wallaby is eventlet nova, so the wsgi finding is an error and exit 1', () => {
  const r = review(['--base', 'master', '--head', 'stable/wallaby', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOutput;
  assert.ok(out.findings.every((f) => f.severity === 'error'));
  assert.equal(out.errors.length, 0);
  // Only the changed text files are reviewed (deleted, binary and unknown kinds are skipped).
  assert.equal(out.stats.files, 4);
});

test('commit ids name no branch: the newest series applies unless --release says otherwise', () => {
  const bySha = review(['--base', baseSha, '--head', headSha, '--format', 'json']);
  const severities = (JSON.parse(bySha.stdout) as JsonOutput).findings.map((f) => f.severity);
  // In the newest series nova-api no longer runs under eventlet by default: a warning, not an error.
  assert.deepEqual(severities, ['warning', 'warning']);
  assert.equal(bySha.code, 0);
  assert.equal(review(['--base', baseSha, '--head', headSha, '--release', 'wallaby']).code, 1);
  assert.equal(review(['--base', baseSha, '--head', headSha, '--fail-level', 'warning']).code, 1);
  assert.equal(review(['--base', 'master', '--head', 'stable/wallaby', '--fail-level', 'none']).code, 0);
});

test('a topic branch takes the release of its stable base, and the head commit configuration filter', () => {
  const r = review(['--base', 'stable/wallaby', '--head', 'topic', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOutput;
  const wsgi = out.findings.find((f) => f.ruleId === 'nova-wsgi-threads-not-1');
  // wallaby, from --base stable/wallaby: the topic branch names no series.
  assert.equal(wsgi?.severity, 'error');
  // diff_context from the head commit's .heartbeat-bot.yml: the unchanged heartbeat line next to the change.
  assert.deepEqual(out.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort(), [
    'heartbeat-disabled etc/nova/nova.conf:12',
    'nova-wsgi-threads-not-1 hieradata/extra.yaml:1',
  ]);
  // --filter wins over the configuration's.
  assert.deepEqual(findings(['--base', 'stable/wallaby', '--head', 'topic', '--filter', 'added']), [
    'nova-wsgi-threads-not-1 hieradata/extra.yaml:1',
  ]);
});

test('--config FILE wins over the configuration in the repository; --head defaults to HEAD (topic)', () => {
  const file = join(notARepo, 'config.yml');
  writeFileSync(file, 'filter: nofilter\nrules:\n  heartbeat-disabled: off\n');
  try {
    assert.deepEqual(findings(['--base', 'stable/wallaby', '--config', file]), ['nova-wsgi-threads-not-1 hieradata/extra.yaml:1']);
  } finally {
    rmSync(file);
  }
});

test('SARIF output of a review validates and points at repository paths', () => {
  const r = review(['--base', 'master', '--head', 'stable/wallaby', '--format', 'sarif', '--filter', 'file']);
  const log = JSON.parse(r.stdout);
  assert.equal(sarifErrors(log), undefined, sarifErrors(log));
  const uris = log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]?.physicalLocation.artifactLocation.uri);
  assert.deepEqual([...new Set(uris)].sort(), ['etc/nova/nova.conf', 'hieradata/common.yaml', 'manifests/api.pp', 'manifests/wsgi.pp']);
  assert.ok(log.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'nova-wsgi-threads-not-1'));
});

test('rdjson output of a review is one DiagnosticResult', () => {
  const r = review(['--base', 'master', '--head', 'stable/wallaby', '--format', 'rdjson'], bare.dir);
  const out = JSON.parse(r.stdout);
  assert.equal(out.source.name, 'heartbeat-bot');
  assert.deepEqual(out.diagnostics.map((d: { location: { path: string } }) => d.location.path).sort(), ['manifests/api.pp', 'manifests/wsgi.pp']);
  assert.ok(out.diagnostics.every((d: { severity: string; code: { value: string } }) => d.severity === 'ERROR' && d.code.value === 'nova-wsgi-threads-not-1'));
});

test('text output of a review names files and the skipped ones', () => {
  const r = review(['--base', 'master', '--head', 'stable/wallaby']);
  assert.match(r.stdout, /^manifests\/api\.pp$/m);
  assert.match(r.stdout, /^manifests\/wsgi\.pp$/m);
  assert.match(r.stdout, /\u2716 2 problems \(2 errors, 0 warnings, 0 infos\)/);
  assert.match(r.stdout, /binary/);
});

test('bad revisions and non-repositories exit 2 with git\'s reason in one line', () => {
  const bad = review(['--base', 'no-such-branch']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^heartbeat-bot: unknown revision or not a commit: 'no-such-branch'/);
  assert.ok(isOneLineError(bad.stderr), bad.stderr);

  const blob = review(['--base', 'master:README.md']);
  assert.equal(blob.code, 2);
  assert.ok(isOneLineError(blob.stderr), blob.stderr);

  const plain = review(['--base', 'HEAD~1'], notARepo);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /not a git repository/);

  const missing = review(['--base', 'HEAD~1'], join(notARepo, 'nope'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such repository directory/);
});

test('a bad configuration in the repository exits 2 naming the file and the problem', () => {
  const r2 = GitRepo.init();
  try {
    r2.write('a.conf', '[DEFAULT]\n').commit('one');
    r2.write('.heartbeat-bot.yml', 'filtre: added\n').write('a.conf', '[DEFAULT]\ndebug = true\n').commit('two');
    const r = runCli(['review', '--repo', r2.dir, '--base', 'HEAD~1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.heartbeat-bot\.yml.*filtre/);
    assert.ok(isOneLineError(r.stderr), r.stderr);
  } finally {
    r2.dispose();
  }
});
