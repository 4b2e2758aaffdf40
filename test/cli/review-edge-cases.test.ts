/** `review` on awkward changes: CRLF files, no newline at EOF, a file turned into a symbolic link, an empty range. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepo } from '../helpers/git-repo.js';
import { runCli } from './run-cli.js';

let repo: GitRepo;

before(() => {
  repo = GitRepo.init();
  repo
    .write('etc/nova/nova.conf', '[DEFAULT]\r\ndebug = false\r\n[oslo_messaging_rabbit]\r\nrabbit_ha_queues = false\r\n')
    .write('hieradata/common.yaml', 'profile::a: 1')
    .write('etc/linked.conf', '[DEFAULT]\n');
  repo.commit('base');
  repo
    .write('etc/nova/nova.conf', '[DEFAULT]\r\ndebug = false\r\n[oslo_messaging_rabbit]\r\nheartbeat_timeout_threshold = 0\r\n')
    .write('hieradata/common.yaml', 'profile::a: 1\nnova::wsgi::apache_api::threads: 4');
  unlinkSync(join(repo.dir, 'etc/linked.conf'));
  symlinkSync('nova/nova.conf', join(repo.dir, 'etc/linked.conf'));
  repo.commit('change');
});

after(() => repo?.dispose());

test('CRLF and no-newline-at-EOF changes mark the right added lines; a symlink is skipped, not read', () => {
  const r = runCli(['review', '--repo', repo.dir, '--base', 'HEAD~1', '--format', 'json', '--release', 'wallaby']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; line: number }[]; errors: unknown[] };
  assert.deepEqual(out.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort(), [
    'heartbeat-disabled etc/nova/nova.conf:4',
    'nova-wsgi-threads-not-1 hieradata/common.yaml:2',
  ]);
  assert.deepEqual(out.errors, []);
});

test('an empty range reviews nothing and exits 0', () => {
  const r = runCli(['review', '--repo', repo.dir, '--base', 'HEAD', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).findings, []);
  assert.equal(runCli(['review', '--repo', repo.dir, '--base', 'HEAD']).stdout, '');
});
