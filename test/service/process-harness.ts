/**
 * The real service as a CHILD PROCESS (`node dist/src/server.js`, what `npm start` runs) configured only by its
 * environment, against the fake Gerrit (REST over HTTP, the webhooks plugin's POSTs, optionally stream-events over
 * the fake's SSH daemon) in the test process. What the service did is read from the outside: the fake's log of
 * posted reviews, the child's JSON log lines on stdout, /healthz, and /proc/<pid>/status for memory.
 *
 * GitHub is pointed at the fake GitHub the same way (GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http, which the fake
 * accepts under /api/v3); the service spaces an installation's writes a second apart (GitHub's advice) unless
 * GITHUB_WRITE_SPACING_MS says otherwise. The crash, load and fault tests drive Gerrit, whose reviews are one POST
 * each.
 *
 * The server script defaults to the build next to this file (`<build>/src/server.js`); SERVICE_JS overrides it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGerrit, type FakeGerrit, type FileInput } from '../fakes/gerrit/fake-gerrit.js';

export const SERVER_JS = process.env['SERVICE_JS'] ?? fileURLToPath(new URL('../../src/server.js', import.meta.url));
export const TOKEN = 'process-harness-token-0123456789abcdef';
export const PROJECTS = ['openstack/puppet-nova', 'openstack/puppet-oslo', 'openstack/tripleo-heat-templates', 'openstack/kolla-ansible'];
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A Puppet manifest with a finding on stable/wallaby (WSGI threads on an eventlet-patched release), varied by `i`. */
export function filesFor(i: number): FileInput[] {
  return [
    {
      path: `manifests/wsgi/api_${i}.pp`,
      oldContent: "class { 'nova::wsgi::apache_api':\n  threads => 1,\n}\n",
      newContent: `class { 'nova::wsgi::apache_api':\n  workers => ${2 + (i % 6)},\n  threads => 4,\n}\n`,
    },
  ];
}

export interface ChangeId {
  project: string;
  number: number;
}

/** Adds `count` changes (numbers from `first`), each with one patch set that has a finding. */
export function addChanges(fake: FakeGerrit, count: number, first = 10_000): ChangeId[] {
  return Array.from({ length: count }, (_, i) => {
    const project = PROJECTS[i % PROJECTS.length] as string;
    const number = first + i;
    fake.addChange({ project, number, branch: 'stable/wallaby', subject: `Tune nova-api ${i}`, patchSets: [{ files: filesFor(i) }] });
    return { project, number };
  });
}

/** Accepted (200) review POSTs per `<number>,<patch set>`. */
export function reviewCounts(fake: FakeGerrit): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of fake.reviews) {
    if (r.status !== 200) continue;
    const key = `${r.number},${r.patchSet}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Changes without a review, and changes reviewed more than once (patch set 1). */
export function exactlyOnce(fake: FakeGerrit, changes: ChangeId[]): { missing: number[]; duplicated: number[]; posted: number } {
  const counts = reviewCounts(fake);
  const missing = changes.filter((c) => (counts.get(`${c.number},1`) ?? 0) === 0).map((c) => c.number);
  const duplicated = changes.filter((c) => (counts.get(`${c.number},1`) ?? 0) > 1).map((c) => c.number);
  return { missing, duplicated, posted: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/** Polls `check` every 20 ms; throws with `what` (and `detail()`) after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail() !== '' ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface GerritFixture {
  fake: FakeGerrit;
  /** A temporary directory for DATA_DIR, the SSH key and the child's working directory (no stray `.env`). */
  dir: string;
  /** The environment that points the service at the fake (webhook intake; SSH stream-events too with `ssh`). */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startGerritFixture(options: { ssh?: boolean } = {}): Promise<GerritFixture> {
  const ssh = options.ssh ?? false;
  const fake = await startFakeGerrit({ ssh });
  const dir = mkdtempSync(join(tmpdir(), 'heartbeat-service-'));
  const keyPath = join(dir, 'ssh-key');
  if (ssh) writeFileSync(keyPath, fake.sshClientKey.private, { mode: 0o600 });
  return {
    fake,
    dir,
    env: (extra = {}) => ({
      GERRIT_URL: fake.url,
      GERRIT_USER: fake.user,
      GERRIT_PASSWORD: fake.password,
      GERRIT_WEBHOOK_TOKEN: TOKEN,
      ...(ssh
        ? { GERRIT_SSH: `${fake.ssh.host}:${fake.ssh.port}`, GERRIT_SSH_USER: fake.ssh.user, GERRIT_SSH_KEY: keyPath, GERRIT_SSH_HOST_KEY: fake.ssh.hostKey }
        : {}),
      DATA_DIR: join(dir, 'data'),
      ...extra,
    }),
    async close() {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ChildService {
  url: string;
  pid: number;
  child: ChildProcess;
  /** JSON log lines the child wrote to stdout (non-JSON lines as `{ text }`). */
  lines: Record<string, unknown>[];
  stderr(): string;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Peak resident set (VmHWM) in MB, from /proc/<pid>/status; the last value read once the child is gone. */
  peakRssMb(): number;
  /** GET /healthz as JSON. */
  health(): Promise<Record<string, unknown>>;
  /** SIGKILL, waiting for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A TCP port free on 127.0.0.1 right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <SERVER_JS>` with `env` (plus PATH, HOST=127.0.0.1, a free PORT, LOG_LEVEL=info) in `cwd`, and waits
 * until its /healthz answers. Rejects if it exits or does not answer within `timeoutMs`.
 */
export async function spawnService(env: Record<string, string>, options: { cwd: string; timeoutMs?: number; name?: string } = { cwd: tmpdir() }): Promise<ChildService> {
  const port = env['PORT'] ?? String(await freePort());
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_JS], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.cwd, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const pid = child.pid ?? -1;
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let peak = 0;
  const readPeak = (): number => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m !== null) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // gone: keep the last value
    }
    return peak;
  };
  const sampler = setInterval(readPeak, 100);
  sampler.unref();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      running.delete(child);
      resolve({ code, signal });
    });
  });
  let answered = false;
  const url = (async (): Promise<string> => {
    for (;;) {
      try {
        const r = await fetch(`${base}/healthz`);
        await r.arrayBuffer();
        answered = true;
        return base;
      } catch {
        if (child.exitCode !== null || child.signalCode !== null) return base;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  })();
  let rest = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) {
      if (text.trim() === '') continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { text };
      }
      lines.push(line);
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const started: string | Error = await Promise.race([
    url,
    exited.then(({ code, signal }) => new Error(`${options.name ?? 'the service'} exited (${code ?? signal}) before listening: ${stderr.trim() || lines.map((l) => JSON.stringify(l)).join('\n')}`)),
    new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`${options.name ?? 'the service'} did not listen within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (started instanceof Error || !answered) {
    child.kill('SIGKILL');
    const { code, signal } = await exited;
    throw started instanceof Error ? started : new Error(`${options.name ?? 'the service'} exited (${code ?? signal}) before listening: ${stderr.trim()}`);
  }
  readPeak();
  const service: ChildService = {
    url: started,
    pid,
    child,
    lines,
    stderr: () => stderr,
    exited,
    peakRssMb: readPeak,
    async health() {
      return (await (await fetch(`${started}/healthz`)).json()) as Record<string, unknown>;
    },
    async kill() {
      readPeak();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      readPeak();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(t);
      return result;
    },
  };
  return service;
}

export interface Delivery {
  status: number;
  /** Milliseconds from sending to the answer. */
  ms: number;
  /** Clock time (Date.now) when it was sent. */
  sentAt: number;
}

/**
 * POSTs a `patchset-created` event per change to `<url>/gerrit/events?token=` as the webhooks plugin does, at most
 * `parallel` at once (default all at once). A refused connection, or no answer within `timeoutMs`, is status 0.
 */
export async function deliver(fake: FakeGerrit, url: string, changes: ChangeId[], parallel = changes.length, timeoutMs = 20_000): Promise<Delivery[]> {
  const results: Delivery[] = new Array<Delivery>(changes.length);
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < changes.length) {
      const i = next++;
      const c = changes[i] as ChangeId;
      const { body, headers } = fake.webhookBody(fake.patchsetCreatedEvent(c.project, c.number));
      const sentAt = Date.now();
      const t0 = performance.now();
      let status = 0;
      try {
        const r = await fetch(`${url}/gerrit/events?token=${TOKEN}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        await r.arrayBuffer();
        status = r.status;
      } catch {
        status = 0;
      }
      results[i] = { status, ms: performance.now() - t0, sentAt };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, changes.length) }, one));
  return results;
}

/** Waits until the service's /healthz shows an empty Gerrit queue with nothing running. */
export async function idle(service: ChildService, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const health = await service.health().catch(() => undefined);
    const queue = (health?.['gerrit'] as { queue?: { depth?: number; running?: number } } | undefined)?.queue;
    last = JSON.stringify(queue);
    if (queue !== undefined && (queue.depth ?? 0) === 0 && (queue.running ?? 0) === 0) return;
    if (Date.now() > end) throw new Error(`the service's Gerrit queue is not idle after ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a TCP connection to Redis answers PING within a second. */
export function redisReachable(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
