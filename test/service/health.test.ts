/**
 * `/healthz` and `/readyz` (service/health.ts) against the fakes — ready when every configured dependency
 * answers, 503 with what is not ready otherwise — and the logger's redaction of secrets (service/log-redaction.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, durableQueues, startServer } from '../../src/server.js';
import { cached, gerritRestCheck, readiness } from '../../src/service/health.js';
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import type { GitHubJob, JobQueue } from '../../src/service/job-queue.js';
import { CENSOR, redactPaths } from '../../src/service/log-redaction.js';
import { readEnv, type ServiceConfig } from '../../src/service/read-env.js';
import { SECRET, startHarness } from './github-harness.js';
import { redisReachable, REDIS_URL } from './process-harness.js';
import { startGerritHarness } from '../platforms/gerrit/service-harness.js';

const BASE: ServiceConfig = { port: 0, host: '127.0.0.1', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json' };
const silent = pino({ level: 'silent' });

async function readyz(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, { ok: boolean; detail?: string }> } }> {
  const response = await fetch(`${url}/readyz`);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> } };
}

test('nothing configured: /healthz 200, /readyz 200 with GitHub and Gerrit disabled', async () => {
  const server = await startServer(BASE, { log: silent });
  try {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const r = await readyz(server.url);
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'ready');
    assert.deepEqual(r.body.checks.queue, { ok: true });
    assert.equal(r.body.checks.github?.ok, true);
    assert.match(r.body.checks.github?.detail ?? '', /disabled/);
    assert.equal(r.body.checks.gerrit?.ok, true);
    assert.match(r.body.checks.gerrit?.detail ?? '', /disabled/);
    assert.equal(r.body.checks['gerrit-stream'], undefined);
    assert.equal((await fetch(`${server.url}/readyz`, { method: 'POST' })).status, 404);
  } finally {
    await server.close();
  }
});

test('/readyz is 503 when the queue store does not answer', async () => {
  // A durable queue whose store went away: its stats() rejects.
  const inner = new InProcessQueue<GitHubJob>();
  const broken: JobQueue<GitHubJob> = Object.assign(
    {
      enqueue: (key: string, job: GitHubJob) => inner.enqueue(key, job),
      start: (worker: (job: GitHubJob) => Promise<void>, concurrency: number) => inner.start(worker, concurrency),
      drain: () => inner.drain(),
      close: () => inner.close(),
      depth: () => inner.depth(),
    },
    { stats: (): Promise<never> => Promise.reject(new Error('SQLITE_CANTOPEN: unable to open database file')) },
  );
  const server = await startServer(BASE, { log: silent, queue: broken });
  try {
    const r = await readyz(server.url);
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'not ready');
    assert.deepEqual(r.body.checks.queue, { ok: false, detail: 'SQLITE_CANTOPEN: unable to open database file' });
    // /healthz is liveness only: still 200.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    // /metrics still answers, without the unreachable queue's gauge.
    assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
  } finally {
    await server.close();
  }
});

test('a durable queue (SQLite in DATA_DIR, as npm start makes it): /readyz asks the store, /metrics shows its job counts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-ready-'));
  const { github } = durableQueues({ dataDir: dir }, silent);
  const server = await startServer({ ...BASE, dataDir: dir }, { log: silent, queue: github });
  try {
    assert.equal(github.backend, 'sqlite');
    const r = await readyz(server.url);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.checks.queue, { ok: true });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(text, /^heartbeat_jobs\{platform="github",state="waiting"\} 0$/m);
    assert.match(text, /^heartbeat_jobs\{platform="github",state="dead"\} 0$/m);
    // The store goes away under the running server: not ready, saying why.
    await github.close();
    const closed = await readyz(server.url);
    assert.equal(closed.status, 503, JSON.stringify(closed.body));
    assert.equal(closed.body.checks.queue?.ok, false);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a durable queue on Redis (REDIS_URL): /readyz 200 while Redis answers', async (t) => {
  if (!(await redisReachable(REDIS_URL))) {
    t.skip(`no Redis at ${REDIS_URL}: skipped (start redis-server, or set TEST_REDIS_URL)`);
    return;
  }
  const url = `${REDIS_URL.replace(/\/\d*$/, '')}/13`;
  const { github } = durableQueues({ dataDir: './var', redisUrl: url }, silent);
  const server = await startServer({ ...BASE, redisUrl: url }, { log: silent, queue: github });
  try {
    assert.equal(github.backend, 'redis');
    await github.ready();
    const r = await readyz(server.url);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.checks.queue, { ok: true });
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^heartbeat_jobs\{platform="github",state="running"\} 0$/m);
  } finally {
    await server.close();
  }
});

test('GitHub: /readyz 200 when the App authenticates (GET /app with its JWT), 503 with a key GitHub does not know', async () => {
  const h = await startHarness({ overrides: { readiness: { cacheMs: 0 } } });
  try {
    const r = await readyz(h.server.url);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.checks.github, { ok: true });
    assert.ok(h.fake.requests.some((q) => q.method === 'GET' && q.path === '/app'));
  } finally {
    await h.close();
  }
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const bad = await startHarness({
    overrides: { readiness: { cacheMs: 0 }, retry: { retries: 0 } },
    config: { github: { appId: 4242, privateKey: otherKey, webhookSecret: SECRET } },
  });
  try {
    assert.equal(bad.fake.appId, 4242);
    const r = await readyz(bad.server.url);
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.status, 'not ready');
    assert.equal(r.body.checks.github?.ok, false);
    assert.match(r.body.checks.github?.detail ?? '', /^the App cannot authenticate: GET \/app answered 401$/);
    assert.deepEqual(r.body.checks.queue, { ok: true });
    assert.ok(!JSON.stringify(r.body).includes('PRIVATE KEY'));
  } finally {
    await bad.close();
  }
});

test('Gerrit over SSH: /readyz 200 once the stream is connected; 503 naming REST and the stream when the fake is closed', async () => {
  const h = await startGerritHarness();
  const server = h.server;
  try {
    await h.fake.waitForStreams(1);
    await h.until(() => server.gerrit?.source.status().stream?.connected === true, 'the stream');
    const r = await readyz(server.url);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.checks.gerrit, { ok: true });
    assert.deepEqual(r.body.checks['gerrit-stream'], { ok: true });
    assert.ok(h.fake.requests.some((q) => q.path.endsWith('/config/server/version')));
    await h.fake.close();
    await h.until(() => server.gerrit?.source.status().stream?.connected === false, 'the disconnect');
    const down = await readyz(server.url);
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.status, 'not ready');
    assert.equal(down.body.checks['gerrit-stream']?.ok, false);
    assert.match(down.body.checks['gerrit-stream']?.detail ?? '', /^stream-events to 127\.0\.0\.1:\d+ not connected/);
    // REST's answer was cached while it was fine (default 10 s); a server with the cache off sees it refused.
    const config: ServiceConfig = { ...BASE, gerrit: { url: h.fake.url, user: h.fake.user, password: h.fake.password, reviewWip: false, pollSeconds: 3600 } };
    const fresh = await startServer(config, { log: silent, readiness: { cacheMs: 0, timeoutMs: 2000 }, gerrit: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } });
    try {
      const rest = await readyz(fresh.url);
      assert.equal(rest.status, 503);
      assert.equal(rest.body.checks.gerrit?.ok, false);
      assert.match(rest.body.checks.gerrit?.detail ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/config\/server\/version failed: ECONNREFUSED$/);
      assert.ok(!JSON.stringify(rest.body).includes(h.fake.password), 'the password is never shown');
    } finally {
      await fresh.close();
    }
  } finally {
    await server.close();
    await h.fake.close().catch(() => {});
  }
});

test('Gerrit: a refused password makes /readyz 503 saying so', async () => {
  const h = await startGerritHarness({ ssh: false, webhook: true, gerrit: { password: 'wrong-password' }, overrides: {} });
  try {
    const r = await readyz(h.server.url);
    assert.equal(r.status, 503);
    assert.match(r.body.checks.gerrit?.detail ?? '', /answered 401 \(GERRIT_USER \/ GERRIT_PASSWORD refused\)$/);
    assert.ok(!JSON.stringify(r.body).includes('wrong-password'));
  } finally {
    await h.close();
  }
});

test('readiness(): checks run concurrently, a throw or a timeout fails only that check', async () => {
  const started = Date.now();
  const report = await readiness(
    {
      fine: () => ({ ok: true }),
      slow: () => new Promise(() => {}),
      throws: () => {
        throw new Error('boom');
      },
      rejects: () => Promise.reject(new Error('nope')),
    },
    100,
  );
  assert.ok(Date.now() - started < 1000);
  assert.equal(report.status, 'not ready');
  assert.deepEqual(report.checks, {
    fine: { ok: true },
    slow: { ok: false, detail: 'no answer within 100 ms' },
    throws: { ok: false, detail: 'boom' },
    rejects: { ok: false, detail: 'nope' },
  });
  assert.equal((await readiness({ a: () => ({ ok: true }) })).status, 'ready');
});

test('cached(): an answer (failures too) is reused for the TTL, then asked again', async () => {
  let now = 0;
  let calls = 0;
  let ok = false;
  const check = cached(
    () => {
      calls += 1;
      return { ok };
    },
    1000,
    () => now,
  );
  assert.deepEqual(await check(), { ok: false });
  ok = true;
  now = 999;
  assert.deepEqual(await check(), { ok: false });
  assert.equal(calls, 1);
  now = 1000;
  assert.deepEqual(await check(), { ok: true });
  assert.equal(calls, 2);
  const thrower = cached(() => Promise.reject(new Error('down')), 10);
  assert.deepEqual(await thrower(), { ok: false, detail: 'down' });
});

test('gerritRestCheck: /a/ with basic auth when credentials are set, anonymous otherwise; non-2xx is the reason', async () => {
  const seen: { url: string; auth: string | undefined }[] = [];
  const fake = (status: number): typeof fetch =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), auth: (init?.headers as Record<string, string>).authorization });
      return new Response(")]}'\n\"3.11.2\"", { status });
    }) as typeof fetch;
  assert.deepEqual(await gerritRestCheck({ url: 'https://review.example.org/', user: 'bot', password: 'pw', fetch: fake(200) })(), { ok: true });
  assert.deepEqual(seen[0], { url: 'https://review.example.org/a/config/server/version', auth: `Basic ${Buffer.from('bot:pw').toString('base64')}` });
  assert.deepEqual(await gerritRestCheck({ url: 'https://review.example.org', fetch: fake(503) })(), {
    ok: false,
    detail: 'GET https://review.example.org/config/server/version answered 503',
  });
  assert.deepEqual(seen[1], { url: 'https://review.example.org/config/server/version', auth: undefined });
});

test('logs never carry secrets: a whole configuration, headers and an API error logged through the service logger', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = await createLogger({ logLevel: 'debug', logFormat: 'json' }, sink);
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const env = {
    APP_ID: '1',
    PRIVATE_KEY: pem,
    WEBHOOK_SECRET: 'webhook-s3cret',
    GERRIT_URL: 'https://review.example.org',
    GERRIT_USER: 'bot',
    GERRIT_PASSWORD: 'gerrit-pa55word',
    GERRIT_WEBHOOK_TOKEN: 'gerrit-webhook-t0ken-0123456789',
  };
  const { config, problems } = readEnv(env);
  assert.deepEqual(problems, []);
  log.info({ config }, 'configuration');
  log.info({ env }, 'environment');
  log.debug({ request: { method: 'GET', url: '/x', headers: { authorization: 'token ghs_installationT0ken', cookie: 'session=abc' } } }, 'request');
  log.error({ err: Object.assign(new Error('Bad credentials'), { status: 401, request: { headers: { authorization: 'bearer jwt.t0ken.here' } } }) }, 'api error');
  log.info({ token: 'ghs_plainT0ken', job: { installationId: 1 } }, 'token');
  log.info({ a: { b: { c: { d: { password: 'deep-pa55' } } } } }, 'deep');
  await new Promise((r) => setImmediate(r));
  const out = lines.join('');
  assert.equal(lines.length, 6, out);
  for (const secret of ['webhook-s3cret', 'gerrit-pa55word', 'gerrit-webhook-t0ken', 'ghs_installationT0ken', 'session=abc', 'jwt.t0ken.here', 'ghs_plainT0ken', 'deep-pa55', 'PRIVATE KEY', pem.split('\n')[1] ?? 'x']) {
    assert.ok(!out.includes(secret), `${secret} was logged:\n${out}`);
  }
  // What is not secret stays.
  assert.match(out, /"url":"https:\/\/review\.example\.org"/);
  assert.match(out, /"user":"bot"/);
  assert.match(out, /"message":"Bad credentials"/);
  assert.ok(out.includes(CENSOR));
  assert.ok(redactPaths().includes('*.*.*.*.password'));
});
