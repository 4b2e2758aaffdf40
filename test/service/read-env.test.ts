/** The service's environment (CONTRACTS.md §3): defaults, one clear problem per bad variable, secrets never echoed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDataDir, readEnv, type Env } from '../../src/service/read-env.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const SECRET = 'It is a secret to everybody';
const APP = { APP_ID: '12345', PRIVATE_KEY: PEM, WEBHOOK_SECRET: SECRET };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

test('nothing set: starts with the defaults, GitHub disabled, and a note on what to set', () => {
  const r = readEnv({});
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config, { port: 3000, host: '0.0.0.0', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'info', logFormat: 'json' });
  assert.match(r.notes.join('\n'), /set APP_ID, WEBHOOK_SECRET and PRIVATE_KEY/);
});

test('a GitHub App from APP_ID, PRIVATE_KEY and WEBHOOK_SECRET', () => {
  const r = readEnv({ ...APP, PORT: '8080', HOST: '127.0.0.1', BOT_NAME: 'hb', DOCS_URL: 'https://docs.example/rules/', DRY_RUN: 'true', DATA_DIR: '/srv/hb' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.config?.port, 8080);
  assert.equal(r.config?.host, '127.0.0.1');
  assert.equal(r.config?.botName, 'hb');
  assert.equal(r.config?.docsUrl, 'https://docs.example/rules/');
  assert.equal(r.config?.dryRun, true);
  assert.equal(r.config?.dataDir, '/srv/hb');
  assert.deepEqual(r.config?.github, { appId: 12345, privateKey: PEM.trim() + '\n', webhookSecret: SECRET });
});

test('PRIVATE_KEY may be one line with \\n escapes or base64, as Probot accepts', () => {
  const escaped = readEnv({ ...APP, PRIVATE_KEY: PEM.trim().replaceAll('\n', '\\n') });
  assert.equal(escaped.config?.github?.privateKey, PEM.trim() + '\n');
  const b64 = readEnv({ ...APP, PRIVATE_KEY: Buffer.from(PEM).toString('base64') });
  assert.equal(b64.config?.github?.privateKey, PEM.trim() + '\n');
});

test('PRIVATE_KEY_PATH is read through the injected reader', () => {
  const r = readEnv({ APP_ID: '1', PRIVATE_KEY_PATH: '/keys/app.pem', WEBHOOK_SECRET: SECRET }, (p) => (p === '/keys/app.pem' ? PEM : noFile(p)));
  assert.equal(r.config?.github?.privateKey, PEM.trim() + '\n');
});

test('GHE_HOST and GHE_PROTOCOL give the Enterprise API base URL', () => {
  assert.equal(readEnv({ ...APP, GHE_HOST: 'github.example.com' }).config?.github?.baseUrl, 'https://github.example.com/api/v3');
  assert.equal(readEnv({ ...APP, GHE_HOST: 'ghe.local:8443', GHE_PROTOCOL: 'HTTP' }).config?.github?.baseUrl, 'http://ghe.local:8443/api/v3');
});

test('GITHUB_WRITE_SPACING_MS sets the pacing of writes; unset, the service keeps its default', () => {
  assert.equal(readEnv({ ...APP, GITHUB_WRITE_SPACING_MS: '0' }).config?.github?.writeSpacingMs, 0);
  assert.equal(readEnv({ ...APP, GITHUB_WRITE_SPACING_MS: '250' }).config?.github?.writeSpacingMs, 250);
  assert.equal(readEnv({ ...APP }).config?.github?.writeSpacingMs, undefined);
});

test('DRY_RUN accepts the usual spellings', () => {
  for (const v of ['true', 'TRUE', '1', 'yes', 'on']) assert.equal(readEnv({ DRY_RUN: v }).config?.dryRun, true, v);
  for (const v of ['false', '0', 'no', 'off', '']) assert.equal(readEnv({ DRY_RUN: v }).config?.dryRun, false, v);
});

const BAD: [string, Env, RegExp][] = [
  ['PORT not a number', { PORT: 'http' }, /^PORT: must be a port number from 0 to 65535, not 'http'$/],
  ['PORT too large', { PORT: '70000' }, /^PORT: /],
  ['HOST with a path', { HOST: 'localhost/x' }, /^HOST: /],
  ['BOT_NAME with spaces', { BOT_NAME: 'heart beat' }, /^BOT_NAME: must be 1 to 64 letters/],
  ['DOCS_URL relative', { DOCS_URL: 'rules/' }, /^DOCS_URL: must be an absolute http\(s\) URL/],
  ['DRY_RUN unclear', { DRY_RUN: 'maybe' }, /^DRY_RUN: must be true or false, not 'maybe'$/],
  ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of trace, debug/],
  ['LOG_FORMAT unknown', { LOG_FORMAT: 'xml' }, /^LOG_FORMAT: must be json or pretty/],
  ['APP_ID not numeric', { ...APP, APP_ID: 'my-app' }, /^APP_ID: must be the GitHub App's numeric id, not 'my-app'$/],
  ['APP_ID without a key', { APP_ID: '1', WEBHOOK_SECRET: SECRET }, /^PRIVATE_KEY: APP_ID is set, so set PRIVATE_KEY/],
  ['APP_ID without a secret', { APP_ID: '1', PRIVATE_KEY: PEM }, /^WEBHOOK_SECRET: APP_ID is set/],
  ['both key variables', { ...APP, PRIVATE_KEY_PATH: '/k.pem' }, /^PRIVATE_KEY: set either PRIVATE_KEY or PRIVATE_KEY_PATH, not both$/],
  ['PRIVATE_KEY not a key', { ...APP, PRIVATE_KEY: 'hunter2' }, /^PRIVATE_KEY: is not a PEM private key/],
  ['PRIVATE_KEY_PATH missing', { APP_ID: '1', PRIVATE_KEY_PATH: '/no/such.pem', WEBHOOK_SECRET: SECRET }, /^PRIVATE_KEY_PATH: cannot read '\/no\/such.pem' \(ENOENT\)$/],
  ['GHE_HOST with a scheme', { ...APP, GHE_HOST: 'https://ghe.example.com' }, /^GHE_HOST: must be a host name/],
  ['GHE_PROTOCOL unknown', { ...APP, GHE_HOST: 'ghe.example.com', GHE_PROTOCOL: 'ftp' }, /^GHE_PROTOCOL: must be https or http, not 'ftp'$/],
  ['WEBHOOK_PROXY_URL not a URL', { ...APP, WEBHOOK_PROXY_URL: 'smee' }, /^WEBHOOK_PROXY_URL: /],
  ['GITHUB_WRITE_SPACING_MS not a number', { ...APP, GITHUB_WRITE_SPACING_MS: '1s' }, /^GITHUB_WRITE_SPACING_MS: must be a number of milliseconds from 0 to 60000, not '1s'$/],
  ['GITHUB_WRITE_SPACING_MS too long', { ...APP, GITHUB_WRITE_SPACING_MS: '120000' }, /^GITHUB_WRITE_SPACING_MS: /],
  ['REDIS_URL without a scheme', { REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
  ['REDIS_URL of another scheme', { REDIS_URL: 'http://localhost:6379' }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/localhost:6379, not http:\/\/\.\.\.$/],
  ['REDIS_URL not a URL', { REDIS_URL: 'redis://' }, /^REDIS_URL: /],
  ['QUEUE_LEASE_MS not a number', { QUEUE_LEASE_MS: '2s' }, /^QUEUE_LEASE_MS: must be a number of milliseconds from 500 to 3600000, not '2s'$/],
  ['QUEUE_LEASE_MS too short', { QUEUE_LEASE_MS: '10' }, /^QUEUE_LEASE_MS: /],
  ['REDIS_URL with a path that is no database', { REDIS_URL: 'redis://localhost:6379/queue' }, /^REDIS_URL: the path must be a database number/],
];

for (const [name, env, message] of BAD) {
  test(`bad environment: ${name} gives one problem naming the variable`, () => {
    const r = readEnv(env, noFile);
    assert.equal(r.config, undefined);
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    assert.match(r.problems[0] ?? '', message);
  });
}

test('every bad variable is reported at once, and no problem quotes the key or the secret', () => {
  const r = readEnv({ PORT: 'x', DRY_RUN: 'maybe', APP_ID: 'abc', PRIVATE_KEY: 'not-a-key-' + SECRET, WEBHOOK_SECRET: SECRET });
  assert.deepEqual(
    r.problems.map((p) => p.split(':')[0]),
    ['PORT', 'DRY_RUN', 'APP_ID', 'PRIVATE_KEY'],
  );
  assert.ok(!r.problems.join('\n').includes(SECRET));
  const bad = readEnv({ ...APP, PRIVATE_KEY: PEM.replace('PRIVATE KEY-----', 'PUBLIC THING-----') });
  assert.ok(!bad.problems.join('\n').includes('MII'), 'key material is never echoed');
});

test('GitHub variables without APP_ID are a note, not a problem; GERRIT_URL is noted', () => {
  const r = readEnv({ PRIVATE_KEY: PEM, WEBHOOK_SECRET: SECRET, GERRIT_URL: 'https://review.opendev.org' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.config?.github, undefined);
  assert.match(r.notes.join('\n'), /PRIVATE_KEY, WEBHOOK_SECRET are set but APP_ID is not/);
  assert.match(r.notes.join('\n'), /GERRIT_URL/);
});

test('REDIS_URL: redis:// and rediss:// (with credentials and a database) are taken as given', () => {
  for (const url of ['redis://127.0.0.1:6379', 'rediss://:pa55@redis.example.org:6380/2', 'redis://user:pw@[::1]:6379/0']) {
    const r = readEnv({ REDIS_URL: url });
    assert.deepEqual(r.problems, [], url);
    assert.equal(r.config?.redisUrl, url);
  }
  assert.equal(readEnv({}).config?.redisUrl, undefined);
  assert.equal(readEnv({ QUEUE_LEASE_MS: '2000' }).config?.queueLeaseMs, 2000);
});

test('a bad REDIS_URL never echoes its password', () => {
  const r = readEnv({ REDIS_URL: 'http://:s3cr3t-pw@localhost:6379' });
  assert.equal(r.problems.length, 1);
  assert.ok(!r.problems[0]?.includes('s3cr3t-pw'), r.problems[0]);
  const odd = readEnv({ REDIS_URL: 'redis://:s3cr3t-pw@localhost:6379/not-a-db' });
  assert.ok(!odd.problems.join('\n').includes('s3cr3t-pw'), odd.problems.join('\n'));
});

test('prepareDataDir creates DATA_DIR (nested) and leaves nothing behind; an unusable one is one DATA_DIR problem', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hb-data-'));
  try {
    const dir = join(root, 'a', 'b');
    assert.equal(await prepareDataDir(dir), undefined);
    assert.ok(existsSync(dir));
    assert.equal(await prepareDataDir(dir), undefined, 'an existing directory is fine');
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    const problem = await prepareDataDir(join(file, 'sub'));
    assert.match(problem ?? '', /^DATA_DIR: '.*file\/sub' cannot be created or written \((ENOTDIR|EEXIST)\); set DATA_DIR to a writable directory$/);
    assert.match((await prepareDataDir(file)) ?? '', /^DATA_DIR: .*\((ENOTDIR|EEXIST)\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('npm start refuses an unusable REDIS_URL or DATA_DIR with one line each, never echoing a password', () => {
  const server = fileURLToPath(new URL('../../src/server.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'hb-start-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    const run = (env: Record<string, string>): { status: number | null; stderr: string } =>
      spawnSync(process.execPath, [server], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env }, encoding: 'utf8', timeout: 20_000 });
    const redis = run({ REDIS_URL: 'http://:hunter2-pw@localhost:6379' });
    assert.equal(redis.status, 1, redis.stderr);
    assert.match(redis.stderr, /^heartbeat-bot: REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/m);
    assert.match(redis.stderr, /not started/);
    assert.ok(!redis.stderr.includes('hunter2-pw'));
    const data = run({ DATA_DIR: join(dir, 'file', 'sub') });
    assert.equal(data.status, 1, data.stderr);
    const lines = data.stderr.trim().split('\n');
    assert.match(lines[0] ?? '', /^heartbeat-bot: DATA_DIR: '.*file\/sub' cannot be created or written \((ENOTDIR|EEXIST)\)/);
    assert.match(lines.at(-1) ?? '', /not started/);
    assert.equal(lines.length, 2, data.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
