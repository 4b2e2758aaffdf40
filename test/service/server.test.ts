/**
 * The service process (`npm start`): endpoints without GitHub, start-up validation, and graceful SIGTERM — the
 * last two by running dist/src/server.js as npm start does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { environment, startServer } from '../../src/server.js';
import type { ServiceConfig } from '../../src/service/read-env.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const BASE: ServiceConfig = { port: 0, host: '127.0.0.1', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json' };

test('without GitHub: /healthz answers 200 JSON, the webhook path and anything else 404', async () => {
  const server = await startServer(BASE, { log: pino({ level: 'silent' }) });
  try {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.match(health.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await health.json(), { status: 'ok', github: false, dryRun: false, queue: { depth: 0, running: 0 } });
    const hook = await fetch(`${server.url}/api/github/webhooks`, { method: 'POST', body: '{}' });
    assert.equal(hook.status, 404);
    assert.match(((await hook.json()) as { error: string }).error, /set APP_ID/);
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
  } finally {
    await server.close();
  }
  // After close nothing listens.
  await assert.rejects(fetch(`${server.url}/healthz`));
});

test('.env under the real environment: the process environment wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-env-'));
  try {
    writeFileSync(join(dir, '.env'), 'PORT=4000\nBOT_NAME=from-file\n');
    assert.deepEqual(environment({ PORT: '5000' }, dir), { PORT: '5000', BOT_NAME: 'from-file' });
    assert.deepEqual(environment({ A: '1' }, join(dir, 'missing')), { A: '1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The environment of a child without anything GitHub- or service-related inherited from the test runner. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

test('npm start with bad variables exits 1 with one line per problem and never prints the secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-start-'));
  try {
    const r = spawnSync(process.execPath, [SERVER], {
      cwd: dir,
      env: childEnv({ PORT: 'eighty', APP_ID: 'x', WEBHOOK_SECRET: 'sup3r-s3cret', PRIVATE_KEY: 'not a key sup3r-s3cret' }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => /^heartbeat-bot: ([A-Z_]+):/.exec(l)?.[1]),
      ['PORT', 'APP_ID', 'PRIVATE_KEY', undefined],
    );
    assert.match(lines.at(-1) ?? '', /not started/);
    assert.ok(!r.stderr.includes('sup3r-s3cret'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start with nothing configured starts, says what to set, serves /healthz and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-start-'));
  const child = spawn(process.execPath, [SERVER], { cwd: dir, env: childEnv({ PORT: '0', HOST: '127.0.0.1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m?.[1] !== undefined && /set APP_ID/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    assert.match(out, /GitHub disabled/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /SIGTERM: stopping/);
    assert.match(out, /"msg":"stopped"/);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
