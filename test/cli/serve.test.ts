/** `heartbeat-bot serve` runs the same service as `npm start`: it serves /healthz and stops cleanly on SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { freePort } from '../service/process-harness.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from './run-cli.js';


test('serve starts the service (nothing configured: /healthz only) and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-serve-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const child = spawn(process.execPath, [CLI, 'serve'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let health: { status?: string; github?: boolean } | undefined;
  for (let i = 0; i < 100 && health === undefined; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) health = (await response.json()) as typeof health;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  assert.equal(health?.status, 'ok');
  assert.equal(health?.github, false);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('serve takes no arguments: configuration is the environment', () => {
  const r = runCli(['serve', 'now']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^heartbeat-bot: serve takes no arguments/);
});
