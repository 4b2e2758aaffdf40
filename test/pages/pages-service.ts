/**
 * The real service (startServer) for the page tests and the screenshots: Gerrit from the fake Gerrit (webhooks
 * plugin events, no SSH), PUBLIC_URL set to the service's own address so posted comments link to its /rules/<id>
 * pages, and a short refresh interval for the recent-reviews page.
 */
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/server.js';
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import type { GerritJob } from '../../src/service/job-queue.js';
import type { ReviewHistory } from '../../src/service/review-history.js';
import { startFakeGerrit, type FakeGerrit, type FileInput } from '../fakes/gerrit/fake-gerrit.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github.js';
import { OWNER, postGitHubWebhook, pullRequestPayload, REPO, SECRET, type Harness } from '../service/github-harness.js';
import { freePort } from '../service/process-harness.js';

export const PROJECT = 'openstack/puppet-nova';
export const TOKEN = 'a-webhook-token-for-the-page-tests';
export const THREADS_PP = "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n";
export const HIERA = 'nova::wsgi::apache_api::threads: 4\nnova::rabbit_heartbeat_timeout_threshold: 0\n';

export interface PagesService {
  fake: FakeGerrit;
  server: RunningServer;
  url: string;
  /** The fake GitHub, with `github: true`. */
  github?: FakeGitHub;
  /** Adds pull request `number` to the fake GitHub and delivers its signed `pull_request.opened` (with `github: true`). */
  pullRequest(number: number, input: { title: string; files: { path: string; newContent: string; oldContent?: string }[] }): Promise<void>;
  /** Adds change `number` to the fake and sends its patchset-created event as the webhooks plugin does. */
  review(number: number, input?: { subject?: string; files?: FileInput[] }): Promise<void>;
  /** Waits until the history holds `n` records. */
  recorded(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPagesService(options: { refreshMs?: number; history?: ReviewHistory; dryRun?: boolean; github?: boolean } = {}): Promise<PagesService> {
  const fake = await startFakeGerrit({ ssh: false });
  const github = options.github === true ? await startFakeGitHub() : undefined;
  // PUBLIC_URL must name the port before the service listens: a port that was free a moment ago.
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
      ...(github !== undefined ? { github: { appId: github.appId, privateKey: github.privateKey, webhookSecret: SECRET } } : {}),
    },
    {
      log: pino({ level: 'silent' }),
      drainTimeoutMs: 5000,
      defaultMetrics: false,
      pages: { refreshMs: options.refreshMs ?? 300 },
      ...(options.history !== undefined ? { history: options.history } : {}),
      ...(github !== undefined ? { baseUrl: github.url, pacing: { writeSpacingMs: 0 }, app: { retry: { baseDelayMs: 10 } } } : {}),
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
    ...(github !== undefined ? { github } : {}),
    server,
    url,
    async pullRequest(number, input) {
      if (github === undefined) throw new Error('start the service with github: true');
      github.addPullRequest({ owner: OWNER, repo: REPO, number, title: input.title, base: { ref: 'stable/wallaby' }, head: { ref: `pr-${number}` }, files: input.files });
      const body = JSON.stringify(pullRequestPayload({ fake: github } as Harness, 'opened', number));
      const response = await postGitHubWebhook(url, 'pull_request', body);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    },
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
      await github?.close();
    },
  };
}
