/**
 * End-to-end harness for Gerrit in the service: the real server (startServer) on 127.0.0.1:0 configured against
 * the fake Gerrit — REST over HTTP, `gerrit stream-events` over the fake's ssh2 daemon with the fake's client key
 * and verified host key, and the webhooks plugin's POSTs as the fake builds them.
 */
import { pino, type Logger } from 'pino';
import { startServer, type GerritOverrides, type RunningServer } from '../../../src/server.js';
import type { GerritServiceConfig } from '../../../src/service/gerrit-env.js';
import { InProcessQueue } from '../../../src/service/in-process-queue.js';
import type { GerritJob } from '../../../src/service/job-queue.js';
import type { ServiceConfig } from '../../../src/service/read-env.js';
import type { GerritReviewOutcome } from '../../../src/platforms/gerrit/types.js';
import { startFakeGerrit, type FakeGerrit, type FakeGerritOptions, type FileInput } from '../../fakes/gerrit/fake-gerrit.js';
import { HIERA_NEW, HIERA_OLD, NOVA_NEW, NOVA_OLD, VHOST } from './scenario.js';

export const TOKEN = 'a-webhook-token-0123456789abcdef';
export const PROJECT = 'openstack/puppet-nova';

/** A Puppet manifest whose WSGI threads break the heartbeat on an eventlet-patched release (error on wallaby). */
export const THREADS_PP = "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n";
export const FILES: FileInput[] = [
  { path: 'manifests/api.pp', oldContent: "class { 'nova::wsgi::apache_api':\n  threads => 1,\n}\n", newContent: THREADS_PP },
  { path: 'hieradata/common.yaml', oldContent: HIERA_OLD, newContent: HIERA_NEW },
];
export { HIERA_NEW, HIERA_OLD, NOVA_NEW, NOVA_OLD, VHOST };

export interface GerritHarness {
  fake: FakeGerrit;
  server: RunningServer;
  /** Log lines the service wrote (JSON objects). */
  logs: Record<string, unknown>[];
  /** Finished reviews, in order. */
  reviewed: { job: GerritJob; outcome: GerritReviewOutcome }[];
  /** POSTs an event to /gerrit/events as the webhooks plugin does. */
  post(event: unknown, options?: { token?: string | null; body?: string }): Promise<{ status: number; json: Record<string, unknown> }>;
  health(): Promise<Record<string, unknown>>;
  /** Waits until `check` holds (polling), failing after `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Waits until the Gerrit queue is empty and nothing runs. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Events by SSH stream-events (default true). */
  ssh?: boolean;
  /** Enable the webhook with TOKEN (default false). */
  webhook?: boolean;
  gerrit?: Partial<GerritServiceConfig>;
  config?: Partial<ServiceConfig>;
  fake?: FakeGerritOptions;
  overrides?: GerritOverrides;
}

export async function startGerritHarness(options: HarnessOptions = {}): Promise<GerritHarness> {
  const ssh = options.ssh ?? true;
  const fake = await startFakeGerrit({ ssh, ...options.fake });
  const logs: Record<string, unknown>[] = [];
  const log: Logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const gerrit: GerritServiceConfig = {
    url: fake.url,
    user: fake.user,
    password: fake.password,
    reviewWip: false,
    pollSeconds: 60,
    ...(ssh
      ? { ssh: { host: fake.ssh.host, port: fake.ssh.port, user: fake.ssh.user, privateKey: fake.sshClientKey.private, keyPath: '(test)', hostKey: fake.ssh.hostKey } }
      : {}),
    ...(options.webhook === true ? { webhookToken: TOKEN } : {}),
    ...options.gerrit,
  };
  const config: ServiceConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir: './var',
    botName: 'heartbeat-bot',
    docsUrl: 'https://heartbeat.example.org/rules/',
    dryRun: false,
    logLevel: 'debug',
    logFormat: 'json',
    gerrit,
    ...options.config,
  };
  const reviewed: GerritHarness['reviewed'] = [];
  const server = await startServer(config, {
    log,
    drainTimeoutMs: 5000,
    gerrit: {
      retry: { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 10 },
      stream: { backoff: { baseMs: 20, maxMs: 100 }, keepaliveMs: 1000, random: () => 0.5 },
      catchUpRetryMs: 50,
      queue: new InProcessQueue<GerritJob>({ backoffMs: 20, maxBackoffMs: 100 }),
      ...options.overrides,
      onReviewed: (job, outcome) => {
        reviewed.push({ job, outcome });
        options.overrides?.onReviewed?.(job, outcome);
      },
    },
  });
  const until: GerritHarness['until'] = async (check, what, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    fake,
    server,
    logs,
    reviewed,
    async post(event, opts = {}) {
      const token = opts.token === undefined ? TOKEN : opts.token;
      const { body, headers } = fake.webhookBody(event as Record<string, unknown>);
      const response = await fetch(`${server.url}/gerrit/events${token !== null ? `?token=${encodeURIComponent(token)}` : ''}`, {
        method: 'POST',
        headers,
        body: opts.body ?? body,
      });
      const text = await response.text();
      return { status: response.status, json: (text !== '' ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    async health() {
      return (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
    },
    until,
    settle: () => server.gerrit?.queue.drain() ?? Promise.resolve(),
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

/** Adds a change with `files` (default FILES) as its first patch set, on stable/wallaby. */
export function addChange(h: GerritHarness, number: number, files: FileInput[] = FILES, project = PROJECT): void {
  h.fake.addChange({ project, number, branch: 'stable/wallaby', subject: 'Tune nova-api', patchSets: [{ files }] });
}

/** Accepted (HTTP 200) reviews posted on a change. */
export function postedOn(h: GerritHarness, number: number): { patchSet: number; input: Record<string, unknown> }[] {
  return h.fake.reviews.filter((r) => r.number === number && r.status === 200).map((r) => ({ patchSet: r.patchSet, input: r.input }));
}
