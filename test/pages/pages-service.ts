/**
 * The real service (startServer) for the page tests and the screenshots: Gerrit from the fake Gerrit (webhooks
 * plugin events, no SSH), PUBLIC_URL set to the service's own address so posted comments link to its /rules/<id>
 * pages, and a short refresh interval for the recent-reviews page.
 */
import { createServer } from 'node:net';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/server.js';
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import type { GerritJob } from '../../src/service/job-queue.js';
import type { ReviewHistory } from '../../src/service/review-history.js';
import { startFakeGerrit, type FakeGerrit, type FileInput } from '../fakes/gerrit/fake-gerrit.js';

export const PROJECT = 'openstack/puppet-nova';
export const TOKEN = 'a-webhook-token-for-the-page-tests';
export const THREADS_PP = "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n";
export const HIERA = 'nova::wsgi::apache_api::threads: 4\nnova::rabbit_heartbeat_timeout_threshold: 0\n';

export interface PagesService {
  fake: FakeGerrit;
  server: RunningServer;
  url: string;
  /** Adds change `number` to the fake and sends its patchset-created event as the webhooks plugin does. */
  review(number: number, input?: { subject?: string; files?: FileInput[] }): Promise<void>;
  /** Waits until the history holds `n` records. */
  recorded(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A port that was free a moment ago (PUBLIC_URL must name the port before the service listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startPagesService(options: { refreshMs?: number; history?: ReviewHistory; dryRun?: boolean } = {}): Promise<PagesService> {
  const fake = await startFakeGerrit({ ssh: false });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(
    {
      port,
      host: '127.0.0.1',
      dataDir: './var',
      botName: 'heartbeat-bot',
      publicUrl: url,
      dryRun: options.dryRun ?? false,
      logLevel: 'silent',
      logFormat: 'json',
      gerrit: { url: fake.url, user: fake.user, password: fake.password, reviewWip: false, pollSeconds: 3600, webhookToken: TOKEN },
    },
    {
      log: pino({ level: 'silent' }),
      drainTimeoutMs: 5000,
      defaultMetrics: false,
      pages: { refreshMs: options.refreshMs ?? 300 },
      ...(options.history !== undefined ? { history: options.history } : {}),
      gerrit: {
        retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 10 },
        queue: new InProcessQueue<GerritJob>({ backoffMs: 20, maxBackoffMs: 50, maxAttempts: 2 }),
      },
    },
  );
  const recorded: PagesService['recorded'] = async (n, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while ((await server.history.recent(n)).length < n) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${n} recorded review(s)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    fake,
    server,
    url,
    async review(number, input = {}) {
      fake.addChange({
        project: PROJECT,
        number,
        branch: 'stable/wallaby',
        subject: input.subject ?? 'Tune nova-api',
        patchSets: [{ files: input.files ?? [{ path: 'manifests/api.pp', oldContent: "class { 'nova::wsgi::apache_api':\n  threads => 1,\n}\n", newContent: THREADS_PP }] }],
      });
      const { body, headers } = fake.webhookBody(fake.patchsetCreatedEvent(PROJECT, number));
      const response = await fetch(`${url}/gerrit/events?token=${TOKEN}`, { method: 'POST', headers, body });
      if (response.status !== 202) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    },
    recorded,
    async close() {
      await server.close();
      await fake.close();
    },
  };
}
