/** `npm start` with Gerrit: an unusable configuration stops the process at start with one line per problem. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));

function start(env: Record<string, string>, cwd: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SERVER], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr };
}

test('GERRIT_SSH without a key, an unreadable key and a short token: not started, each variable named, no secret printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-gerrit-start-'));
  try {
    const noKey = start({ GERRIT_URL: 'https://review.example.org', GERRIT_USER: 'hb', GERRIT_PASSWORD: 'sup3r-s3cret-pw', GERRIT_SSH: 'review.example.org:29418' }, dir);
    assert.equal(noKey.status, 1, noKey.stderr);
    assert.match(noKey.stderr, /^heartbeat-bot: GERRIT_SSH_KEY: GERRIT_SSH is set, so set the path/m);
    assert.match(noKey.stderr, /not started; see README "GitHub App" and "Gerrit \(review\.opendev\.org\)"/);

    writeFileSync(join(dir, 'key'), 'not a key');
    const bad = start(
      { GERRIT_URL: 'https://review.example.org', GERRIT_USER: 'hb', GERRIT_PASSWORD: 'sup3r-s3cret-pw', GERRIT_SSH: 'review.example.org', GERRIT_SSH_KEY: join(dir, 'key'), GERRIT_WEBHOOK_TOKEN: 'sup3r' },
      dir,
    );
    assert.equal(bad.status, 1);
    const named = bad.stderr.trim().split('\n').map((l) => /^heartbeat-bot: ([A-Z_]+):/.exec(l)?.[1]).filter(Boolean);
    assert.deepEqual(named, ['GERRIT_SSH_KEY', 'GERRIT_WEBHOOK_TOKEN']);
    assert.ok(!bad.stderr.includes('sup3r'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
