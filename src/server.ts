/**
 * `npm start`: the webhook service (CONTRACTS.md §3), a composition root. Reads and validates the environment
 * (and `.env`), then serves on one node:http server:
 *
 *   POST /api/github/webhooks   Probot's middleware: HMAC-verified GitHub events -> the Probot app (src/index.ts)
 *   POST /gerrit/events?token=  Gerrit webhooks-plugin events (only with GERRIT_WEBHOOK_TOKEN) -> the Gerrit queue
 *   GET  /healthz               liveness, 200 JSON: status, what is enabled, queue depth, Gerrit stream status
 *   GET  /readyz                readiness (service/health.ts): queue, GitHub App auth, Gerrit REST and SSH stream; 200 or 503
 *   GET  /metrics               Prometheus text (service/metrics.ts), a registry per server
 *   GET  /, /reviews.json, /reviews/<id>   recent reviews and one review (pages/, from the review history)
 *   GET  /rules, /rules/<id>    the rule catalogue and each rule's documentation (pages/)
 *   GET  /assets/...            the pages' stylesheet and scripts
 *   anything else               404
 *
 * GitHub is enabled when APP_ID is set, Gerrit when GERRIT_URL is (service/gerrit-source.ts: SSH stream-events with
 * a catch-up query on every connect, the webhook, or polling; Gerrit jobs have their own queue and workers, which
 * run the platform's reviewChange). With nothing configured the service still starts and says what to set.
 * Probot's Octokit paces writes per installation (platforms/github/pacing.ts) in place of its throttling plugin; the
 * platform's GitHubApi retries primary and secondary rate limits (Probot's own defaults only log the latter).
 * Queues: `npm start` (main) makes them durable with createQueue — SQLite in DATA_DIR, or Redis with REDIS_URL — and
 * hands them to startServer; startServer alone (tests, embedding) defaults to in-process queues.
 * SIGTERM / SIGINT: stop accepting connections and the Gerrit stream; drain an in-process queue for a bounded time,
 * close a durable one (running jobs finish or give their lease back; waiting jobs stay for the next start); exit.
 * Logs are pino's JSON lines with every secret redacted by property name (service/log-redaction.ts).
 * Every finished job of both platforms (done, skipped, dry run, failed, dead-lettered) goes into the review history
 * (service/review-history.ts): in memory for startServer alone, SQLite in DATA_DIR or Redis for `npm start`.
 * Comments link to DOCS_URL, else, with PUBLIC_URL, to this service's own /rules/<id>.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { pino, type Logger } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import heartbeatApp, { type AppDeps } from './index.js';
import type { Knowledge } from './model/knowledge.js';
import type { Rule } from './model/rule.js';
import type { GerritConfig, GerritReviewOutcome, StreamEventsOptions } from './platforms/gerrit/index.js';
import { GerritSource, type GerritSourceStatus } from './service/gerrit-source.js';
import { gerritJobKey, githubJobKey, PermanentJobError, type GerritJob, type GitHubJob, type JobQueue } from './service/job-queue.js';
import { InProcessQueue, type QueueEvent } from './service/in-process-queue.js';
import { createQueue, type DurableJobQueue } from './service/create-queue.js';
import { errorMessage, within, type DurableQueueOptions } from './service/queue-options.js';
import { prepareDataDir, readEnv, type ServiceConfig } from './service/read-env.js';
import { cached, gerritRestCheck, readiness, type Check } from './service/health.js';
import { redactOptions } from './service/log-redaction.js';
import { pacing, type PacingOptions } from './platforms/github/pacing.js';
import { ServiceMetrics, type QueueProbe, type QueueStats } from './service/metrics.js';
import type { ReviewHistory, NewReviewRecord } from './service/review-history.js';
import { InMemoryReviewHistory } from './service/review-history-memory.js';
import { createReviewHistory } from './service/review-history-create.js';
import { githubReviewRecord, recordingOctokit, type GitHubCapture } from './service/review-history-github.js';
import { gerritReviewRecord, recordingFetch, type GerritCapture } from './service/review-history-gerrit.js';
import { isPagePath, Pages } from './pages/serve-pages.js';
import type { ServiceStatus } from './pages/recent-reviews.js';

export const WEBHOOKS_PATH = '/api/github/webhooks';
export const GERRIT_EVENTS_PATH = '/gerrit/events';
/** The largest webhooks-plugin body accepted (an event is a few kB; a change with a huge commit message maybe 100). */
export const GERRIT_BODY_LIMIT = 1024 * 1024;

/** Test and benchmark hooks for Gerrit. */
export interface GerritOverrides {
  /** The REST client's fetch (default global fetch). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The REST client's retry policy (tests shorten it). */
  retry?: GerritConfig['retry'];
  timeoutMs?: number;
  queue?: JobQueue<GerritJob>;
  /** Reviews running at once (default 4). */
  concurrency?: number;
  rules?: readonly Rule[];
  knowledge?: Knowledge;
  /** StreamEvents options: keepalive, backoff, jitter. */
  stream?: Partial<Pick<StreamEventsOptions, 'keepaliveMs' | 'keepaliveCountMax' | 'backoff' | 'random' | 'readyTimeoutMs'>>;
  catchUpMarginMs?: number;
  catchUpRetryMs?: number;
  bodyLimit?: number;
  /** Called after every finished review. */
  onReviewed?: (job: GerritJob, outcome: GerritReviewOutcome) => void;
}

/** `/readyz`: how long remote answers are reused and how long a check may take. */
export interface ReadinessOverrides {
  /** Default 10 s. */
  cacheMs?: number;
  /** Default 5 s. */
  timeoutMs?: number;
}

export interface ServerOverrides {
  /** GitHub REST base URL (a fake GitHub in tests); default from GHE_HOST, else api.github.com. */
  baseUrl?: string;
  log?: Logger;
  queue?: JobQueue<GitHubJob>;
  /** Passed to the Probot app (rules, knowledge, review functions, concurrency, onReviewed). */
  app?: Omit<AppDeps, 'queue'>;
  /** Spacing of mutating GitHub requests per installation (platforms/github/pacing.ts; default 1000 ms, 0 = none). */
  pacing?: PacingOptions;
  /** Octokit's retry plugin, off (the platform's GitHubApi retries): its options for a caller that turns it on. */
  retry?: { retries?: number; retryAfterBaseValue?: number };
  /** How long SIGTERM waits for queued reviews (default 25 s, under Kubernetes' default 30 s grace). */
  drainTimeoutMs?: number;
  gerrit?: GerritOverrides;
  readiness?: ReadinessOverrides;
  /** Node.js process metrics in /metrics (default true). */
  defaultMetrics?: boolean;
  /** Where finished reviews are recorded for the pages (default: in memory; `npm start` passes SQLite or Redis). */
  history?: ReviewHistory;
  /** The pages: how often `/` polls for new reviews (default 5000 ms). */
  pages?: { refreshMs?: number };
}

export interface RunningServer {
  /** `http://<host>:<port>` as bound. */
  url: string;
  port: number;
  http: Server;
  queue: JobQueue<GitHubJob>;
  log: Logger;
  probot?: Probot;
  /** Present when Gerrit is configured. */
  gerrit?: { queue: JobQueue<GerritJob>; source: GerritSource };
  /** This server's metrics (its own registry). */
  metrics: ServiceMetrics;
  /** The review history the pages show. */
  history: ReviewHistory;
  /** Graceful stop: no new connections, the queue drained (bounded), then closed. */
  close(): Promise<void>;
}

/** The logger: pino, as Probot logs, with anything secret redacted wherever a library might put it. */
export async function createLogger(
  config: Pick<ServiceConfig, 'logLevel' | 'logFormat'>,
  /** Where lines go (default stdout); tests pass a stream. */
  destination: NodeJS.WritableStream = pino.destination(1) as unknown as NodeJS.WritableStream,
): Promise<Logger> {
  const options = {
    level: config.logLevel,
    name: 'heartbeat-bot',
    redact: redactOptions(),
  };
  if (config.logFormat === 'pretty') {
    // Probot's own pretty printer, as `probot run` shows logs.
    const { getTransformStream } = await import('@probot/pino');
    const transform = await getTransformStream();
    transform.pipe(destination);
    return pino(options, transform);
  }
  return pino(options, destination);
}

/**
 * Probot's Octokit with GitHub's pacing of writes (platforms/github/pacing.ts) instead of @octokit/plugin-throttling,
 * and without @octokit/plugin-retry: their Bottleneck scheduling idled ~15 ms per request. Rate limits, 5xx and
 * network errors are retried by the platform's GitHubApi.
 */
function octokitClass(overrides: ServerOverrides, writeSpacingMs: number | undefined): typeof ProbotOctokit {
  // The plugin types Octokit structurally (only hook.wrap), hence the cast to Octokit's plugin type.
  return ProbotOctokit.plugin(pacing as unknown as Parameters<typeof ProbotOctokit.plugin>[0]).defaults((instance: Record<string, unknown>) => ({
    ...instance,
    throttle: { ...(instance.throttle as object | undefined), enabled: false },
    // @octokit/plugin-retry puts every request through a new Bottleneck (~4.5 ms of timers each); the platform's
    // GitHubApi retries 5xx, network errors and rate limits itself, and a job that fails is retried by the queue.
    retry: { ...(instance.retry as object | undefined), enabled: false, ...overrides.retry },
    pacing: { ...(instance.pacing as object | undefined), ...(writeSpacingMs !== undefined ? { writeSpacingMs } : {}), ...overrides.pacing },
  })) as typeof ProbotOctokit;
}

export async function startServer(config: ServiceConfig, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const log = overrides.log ?? (await createLogger(config));
  const metrics = new ServiceMetrics({ defaultMetrics: overrides.defaultMetrics ?? true });
  const ownHistory = overrides.history === undefined;
  const history = overrides.history ?? new InMemoryReviewHistory();
  const docsUrl = effectiveDocsUrl(config);
  const queue =
    overrides.queue ??
    new InProcessQueue<GitHubJob>({ onEvent: queueLogger(log, 'queue', history) });

  const githubCounts = { done: 0 };
  let probot: Probot | undefined;
  let webhooks: ((req: IncomingMessage, res: ServerResponse, next?: () => void) => unknown) | undefined;
  if (config.github !== undefined) {
    const baseUrl = overrides.baseUrl ?? config.github.baseUrl;
    probot = new Probot({
      appId: config.github.appId,
      privateKey: config.github.privateKey,
      secret: config.github.webhookSecret,
      log: log.child({ name: 'probot' }),
      Octokit: octokitClass(overrides, config.github.writeSpacingMs),
      ...(baseUrl !== undefined ? { baseUrl } : {}),
    });
    const [rules, review] = await Promise.all([
      overrides.app?.rules ?? import('./engine/load-rules.js').then((m) => m.loadRules()),
      overrides.app?.review ?? (import('./platforms/github/index.js') as Promise<NonNullable<AppDeps['review']>>),
    ]);
    const deps: AppDeps = {
      ...overrides.app,
      rules: metrics.countingRules('github', rules),
      review: {
        async reviewPullRequest(reviewDeps, pr, options) {
          const started = performance.now();
          // What the review sends is kept for the history, exactly as sent (the platform's calls are unchanged).
          const capture: GitHubCapture = { writes: [] };
          const job = { ...pr, headSha: options?.headSha ?? '', ...(options?.reason !== undefined ? { reason: options.reason } : {}) };
          const entry = (extra: Pick<Parameters<typeof githubReviewRecord>[0], 'outcome' | 'error'>): NewReviewRecord =>
            githubReviewRecord({
              job,
              key: githubJobKey(job),
              capture,
              ...extra,
              finishedAt: Date.now(),
              durationMs: performance.now() - started,
              ...(config.github?.baseUrl !== undefined ? { apiBaseUrl: config.github.baseUrl } : {}),
            });
          try {
            const outcome = await review.reviewPullRequest({ ...reviewDeps, octokit: recordingOctokit(reviewDeps.octokit, capture) }, pr, options);
            githubCounts.done += 1;
            metrics.reviewed('github', (performance.now() - started) / 1000, { ...outcome, posted: outcome.skipped === undefined });
            await remember(history, entry({ outcome }), log);
            return outcome;
          } catch (error) {
            metrics.failed('github', (performance.now() - started) / 1000, error);
            await remember(history, entry({ error: { message: errorMessage(error), permanent: error instanceof PermanentJobError } }), log);
            throw error;
          }
        },
      },
      queue,
      botName: config.botName,
      dryRun: config.dryRun,
      ...(docsUrl !== undefined ? { docsUrl } : {}),
    };
    webhooks = await createNodeMiddleware((app, options) => heartbeatApp(app, { ...options, ...deps }), {
      probot,
      webhooksPath: WEBHOOKS_PATH,
    });
    // Verified deliveries only: a request with a bad signature never reaches the handlers.
    probot.onAny((event) => {
      const action = (event.payload as { action?: unknown }).action;
      metrics.event('github', typeof action === 'string' ? `${event.name}.${action}` : event.name);
    });
  }
  metrics.observeQueue('github', queueProbe(queue, githubCounts));

  const gerrit = config.gerrit !== undefined ? await startGerrit(config, overrides, log, metrics, history) : undefined;
  const pages = new Pages({
    history,
    status: () => serviceStatus(config, queue, gerrit),
    ...(overrides.app?.rules !== undefined ? { rules: () => Promise.resolve(overrides.app?.rules ?? []) } : {}),
    botName: config.botName,
    ...(overrides.pages?.refreshMs !== undefined ? { refreshMs: overrides.pages.refreshMs } : {}),
    ...(config.publicUrl !== undefined ? { docsUrl: `${config.publicUrl}/rules/` } : {}),
    log,
  });
  const ready = readinessChecks(config, overrides, { queue, probot, gerrit, stopping: () => stopping });

  let stopping = false;
  const server = createServer((req, res) => {
    const path = safePath(req.url);
    if (req.method === 'GET' && path === '/healthz') {
      const running = queue instanceof InProcessQueue ? queue.running() : undefined;
      return json(res, stopping ? 503 : 200, {
        status: stopping ? 'stopping' : 'ok',
        github: config.github !== undefined,
        dryRun: config.dryRun,
        queue: { depth: queue.depth(), ...(running !== undefined ? { running } : {}) },
        ...(gerrit !== undefined ? { gerrit: gerrit.health() } : {}),
      });
    }
    if (req.method === 'GET' && path === '/readyz') {
      void readiness(ready, overrides.readiness?.timeoutMs ?? 5000).then(
        (report) => json(res, report.status === 'ready' ? 200 : 503, report),
        (error: unknown) => {
          log.error({ err: error }, 'readyz failed');
          if (!res.headersSent) json(res, 500, { error: 'internal error' });
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      void metrics.text().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType }).end(body);
        },
        (error: unknown) => {
          log.error({ err: error }, 'metrics failed');
          if (!res.headersSent) json(res, 500, { error: 'internal error' });
        },
      );
      return;
    }
    if (path === GERRIT_EVENTS_PATH) {
      if (gerrit === undefined || config.gerrit?.webhookToken === undefined) {
        return json(res, 404, { error: 'Gerrit webhooks are not enabled on this service: set GERRIT_URL and GERRIT_WEBHOOK_TOKEN (see README "Gerrit")' });
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return json(res, 405, { error: 'POST Gerrit webhooks-plugin events here' });
      }
      void gerritWebhook(req, res, gerrit.source, config.gerrit.webhookToken, {
        stopping: () => stopping,
        limit: overrides.gerrit?.bodyLimit ?? GERRIT_BODY_LIMIT,
        log,
        onEvent: (type) => metrics.event('gerrit-webhook', type),
      }).catch((error: unknown) => {
        log.error({ err: error }, 'gerrit: webhook handler failed');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
      });
      return;
    }
    if (path === WEBHOOKS_PATH && webhooks !== undefined) {
      // While stopping, GitHub is told to redeliver later rather than have the event silently dropped.
      if (stopping) return json(res, 503, { error: 'shutting down' });
      void Promise.resolve(webhooks(req, res, () => json(res, 404, { error: 'not found' }))).catch((error: unknown) => {
        log.error({ err: error }, 'webhook handler failed');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
      });
      return;
    }
    if (path === WEBHOOKS_PATH) return json(res, 404, { error: 'GitHub is not enabled on this service: set APP_ID (see README "GitHub App")' });
    if (isPagePath(path)) return pages.handle(req, res, path, safeQuery(req.url));
    return json(res, 404, { error: 'not found' });
  });
  // GitHub closes its webhook connections; a slow client must not hold a worker slot.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;
  log.info(
    {
      url,
      github: config.github !== undefined ? { appId: config.github.appId, baseUrl: overrides.baseUrl ?? config.github.baseUrl ?? 'https://api.github.com' } : false,
      gerrit: config.gerrit !== undefined ? { url: config.gerrit.url, events: gerrit?.source.events, user: config.gerrit.user ?? '(anonymous)' } : false,
      botName: config.botName,
      dryRun: config.dryRun,
    },
    config.github !== undefined ? `listening on ${url}, GitHub webhooks at ${url}${WEBHOOKS_PATH}` : `listening on ${url} (GitHub disabled)`,
  );
  if (gerrit !== undefined && config.gerrit !== undefined) {
    const events = gerrit.source.events;
    const how = events
      .map((e) => (e === 'ssh' ? `stream-events from ${config.gerrit?.ssh?.host}:${config.gerrit?.ssh?.port}` : e === 'webhook' ? `webhooks at ${url}${GERRIT_EVENTS_PATH}?token=...` : `polling every ${config.gerrit?.pollSeconds} s`))
      .join(' and ');
    log.info(`Gerrit ${config.gerrit.url}: events by ${how}`);
    gerrit.source.start();
  }
  if (config.github?.webhookProxyUrl !== undefined) {
    log.info(`WEBHOOK_PROXY_URL is set: forward it with  npx smee -u ${config.github.webhookProxyUrl} -t http://localhost:${port}${WEBHOOKS_PATH}`);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // No new Gerrit events: the stream and polling stop before the queues drain.
      if (gerrit !== undefined) await within(gerrit.source.stop(), 3000);
      const queues: JobQueue<unknown>[] = [queue as JobQueue<unknown>, ...(gerrit !== undefined ? [gerrit.queue as JobQueue<unknown>] : [])];
      const timeout = overrides.drainTimeoutMs ?? 25_000;
      // Only the in-process queue loses what it holds: it is drained (bounded). A durable queue keeps its waiting
      // jobs for the next start or another instance; its close() lets running jobs finish or gives their leases back.
      const volatile = queues.filter((q) => q instanceof InProcessQueue);
      const depth = volatile.reduce((n, q) => n + q.depth(), 0);
      if (depth > 0) log.info({ depth }, `stopping: waiting up to ${timeout} ms for ${depth} queued review(s)`);
      const drained = await within(Promise.all(volatile.map((q) => q.drain())), timeout);
      if (!drained) log.warn({ depth: volatile.reduce((n, q) => n + q.depth(), 0) }, 'stopping: the queue did not drain in time; queued reviews are dropped');
      await within(Promise.all(queues.map((q) => q.close())), Math.max(1000, timeout / 5, volatile.length < queues.length ? timeout : 0));
      server.closeAllConnections();
      await closed;
      if (ownHistory) await history.close();
      log.info('stopped');
    })();
    return closing;
  };

  return {
    url,
    port,
    http: server,
    queue,
    log,
    ...(probot !== undefined ? { probot } : {}),
    ...(gerrit !== undefined ? { gerrit: { queue: gerrit.queue, source: gerrit.source } } : {}),
    metrics,
    history,
    close,
  };
}

interface GerritRuntime {
  queue: JobQueue<GerritJob>;
  source: GerritSource;
  health(): GerritSourceStatus & { url: string; queue: { depth: number; running?: number }; reviewed: number; failed: number };
}

/**
 * Gerrit's REST client, event source and queue workers (not started: the source starts once the server listens).
 * Without credentials Gerrit is read anonymously and reviews are a dry run.
 */
async function startGerrit(config: ServiceConfig, overrides: ServerOverrides, log: Logger, metrics: ServiceMetrics, history: ReviewHistory): Promise<GerritRuntime> {
  const settings = config.gerrit;
  if (settings === undefined) throw new Error('Gerrit is not configured');
  const o = overrides.gerrit ?? {};
  const glog = log.child({ name: 'gerrit' });
  const [platform, loadedRules, knowledge] = await Promise.all([
    import('./platforms/gerrit/index.js'),
    o.rules ?? import('./engine/load-rules.js').then((m) => m.loadRules()),
    o.knowledge ?? import('./settings/load-knowledge.js').then((m) => m.loadKnowledge()),
  ]);
  const rules = metrics.countingRules('gerrit', loadedRules);
  const gerritConfig: GerritConfig = {
    url: settings.url,
    botName: config.botName,
    dryRun: config.dryRun || settings.user === undefined,
    ...(settings.user !== undefined ? { user: settings.user, password: settings.password } : {}),
    ...(settings.label !== undefined ? { label: settings.label } : {}),
    ...(settings.aboutUrl !== undefined ? { aboutUrl: settings.aboutUrl } : config.publicUrl !== undefined ? { aboutUrl: `${config.publicUrl}/rules` } : {}),
    ...(effectiveDocsUrl(config) !== undefined ? { docsUrl: effectiveDocsUrl(config) } : {}),
    ...(settings.projects !== undefined ? { projects: settings.projects } : {}),
    reviewWip: settings.reviewWip,
    ...(o.retry !== undefined ? { retry: o.retry } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
  const newClient = (capture?: GerritCapture) =>
    new platform.GerritClient(gerritConfig, {
      log: glog,
      ...(capture !== undefined ? { fetch: recordingFetch(o.fetch ?? fetch, capture) } : o.fetch !== undefined ? { fetch: o.fetch } : {}),
      ...(o.sleep !== undefined ? { sleep: o.sleep } : {}),
    });
  // The catch-up query's client; each review has its own, so its outcome counts only its own API calls.
  const client = newClient();
  const queue =
    o.queue ??
    new InProcessQueue<GerritJob>({ onEvent: queueLogger(glog, 'gerrit queue', history) });
  const botUser = settings.user ?? settings.ssh?.user;
  const ssh = settings.ssh;
  const source = new GerritSource({
    config: settings,
    queue,
    log: glog,
    classify: (raw) =>
      platform.classifyEvent(raw, {
        botName: config.botName,
        reviewWip: settings.reviewWip,
        ...(botUser !== undefined ? { botUser } : {}),
        ...(settings.projects !== undefined ? { projects: settings.projects } : {}),
      }),
    changesSince: async (since) => {
      const events = await platform.changesUpdatedSince(client, since, settings.projects, { reviewWip: settings.reviewWip });
      for (const event of events) metrics.event('gerrit-poll', event.kind);
      return events;
    },
    ...(ssh !== undefined
      ? {
          createStream: () => {
            const stream = new platform.StreamEvents({
              host: ssh.host,
              port: ssh.port,
              user: ssh.user,
              privateKey: ssh.privateKey,
              ...(ssh.hostKey !== undefined ? { hostKey: ssh.hostKey } : {}),
              log: glog,
              ...o.stream,
            });
            let connectedBefore = false;
            metrics.sshConnected.set(0);
            stream.on('event', (raw: unknown) => metrics.event('gerrit-ssh', eventType(raw)));
            stream.on('connected', () => {
              metrics.sshConnected.set(1);
              if (connectedBefore) metrics.sshReconnects.inc();
              connectedBefore = true;
            });
            stream.on('disconnected', () => metrics.sshConnected.set(0));
            return stream;
          },
        }
      : {}),
    ...(o.catchUpMarginMs !== undefined ? { catchUpMarginMs: o.catchUpMarginMs } : {}),
    ...(o.catchUpRetryMs !== undefined ? { catchUpRetryMs: o.catchUpRetryMs } : {}),
  });

  let reviewed = 0;
  let failed = 0;
  const counts = { done: 0 };
  metrics.observeQueue('gerrit', queueProbe(queue, counts));
  queue.start(async (job) => {
    const name = `${job.project}~${job.change},${job.patchSet}${job.recheck ? ' (recheck)' : ''}`;
    let outcome: GerritReviewOutcome;
    const started = performance.now();
    // The review's writes and the change's subject, kept for the history exactly as sent and read.
    const capture: GerritCapture = { writes: [] };
    const entry = (extra: Pick<Parameters<typeof gerritReviewRecord>[0], 'outcome' | 'error'>): NewReviewRecord =>
      gerritReviewRecord({ job, key: gerritJobKey(job), capture, ...extra, finishedAt: Date.now(), durationMs: performance.now() - started, gerritUrl: settings.url });
    try {
      outcome = await platform.reviewChange(
        { client: newClient(capture), rules, knowledge, config: gerritConfig, log: glog },
        { project: job.project, change: job.change, patchSet: job.patchSet, recheck: job.recheck, ...(job.trivial === true ? { trivial: true } : {}) },
      );
    } catch (error) {
      failed += 1;
      metrics.failed('gerrit', (performance.now() - started) / 1000, error);
      const status = (error as { status?: unknown }).status;
      // A 4xx other than conflicts, timeouts and rate limits will not change by retrying (the client retried the rest).
      const permanent = typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
      await remember(history, entry({ error: { message: errorMessage(error), permanent } }), glog);
      if (permanent) throw new PermanentJobError(error instanceof Error ? error.message : String(error));
      throw error;
    }
    await remember(history, entry({ outcome }), glog);
    reviewed += 1;
    counts.done += 1;
    metrics.reviewed('gerrit', (performance.now() - started) / 1000, outcome);
    source.reviewed(job);
    const latencyMs = Date.now() - job.receivedAt;
    glog.info(
      { job: { ...job }, outcome: { ...outcome, dryRun: undefined }, latencyMs },
      `gerrit: ${name}: ${outcome.skipped !== undefined ? `not reviewed (${outcome.skipped})` : `${outcome.findings} finding(s), ${outcome.comments} comment(s)${outcome.posted ? ', posted' : ''}`}`,
    );
    if (outcome.dryRun !== undefined) glog.info({ wouldPost: outcome.dryRun }, 'gerrit: dry run: nothing posted');
    o.onReviewed?.(job, outcome);
  }, o.concurrency ?? 4);

  return {
    queue,
    source,
    health: () => {
      const running = queue instanceof InProcessQueue ? queue.running() : undefined;
      return { url: settings.url, ...source.status(), queue: { depth: queue.depth(), ...(running !== undefined ? { running } : {}) }, reviewed, failed };
    },
  };
}

/**
 * `POST /gerrit/events?token=...` from the webhooks plugin, which cannot sign: the token is compared in constant
 * time (401 otherwise, nothing read). The body is read up to a limit (413 beyond), must be JSON (400), and the
 * event is queued before the 202; when it cannot be (stopping, the queue refuses) the answer is 503 so the plugin
 * retries (maxTries, retryInterval). Events that ask for nothing are answered 202 too, so they are not retried.
 */
async function gerritWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  source: GerritSource,
  expected: string,
  options: { stopping: () => boolean; limit: number; log: Logger; onEvent?: (type: string) => void },
): Promise<void> {
  const { tokenMatches } = await import('./platforms/gerrit/index.js');
  let token: string | undefined;
  try {
    token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  } catch {
    token = undefined;
  }
  if (!tokenMatches(token, expected)) {
    options.log.warn({ remote: req.socket.remoteAddress }, 'gerrit: webhook with a wrong or missing token refused');
    res.setHeader('connection', 'close');
    return json(res, 401, { error: 'wrong or missing token' });
  }
  if (options.stopping()) {
    res.setHeader('retry-after', '30');
    return json(res, 503, { error: 'shutting down' });
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > options.limit) {
    res.setHeader('connection', 'close');
    return json(res, 413, { error: `body larger than ${options.limit} bytes` });
  }
  const body = await readBody(req, options.limit);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    return json(res, 413, { error: `body larger than ${options.limit} bytes` });
  }
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    return json(res, 400, { error: 'the body is not JSON' });
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return json(res, 400, { error: 'the body is not a JSON object (a Gerrit event)' });
  options.onEvent?.(eventType(event));
  try {
    const { result, key } = await source.accept(event, 'webhook');
    return json(res, 202, { result, ...(key !== undefined ? { key } : {}) });
  } catch (error) {
    options.log.error({ err: error }, 'gerrit: a webhook event could not be queued; answering 503 so the plugin retries');
    res.setHeader('retry-after', '5');
    return json(res, 503, { error: 'the event could not be queued; retry' });
  }
}

/** The request body, or undefined once it exceeds `limit` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/**
 * The durable queues of `npm start`, one per platform in one store: SQLite (`<DATA_DIR>/queue.sqlite`) by default,
 * Redis (BullMQ) with REDIS_URL. Their events are logged as the in-process queue's are.
 */
export function durableQueues(
  config: Pick<ServiceConfig, 'redisUrl' | 'dataDir' | 'queueLeaseMs' | 'gerrit'>,
  log: Logger,
  /** Told of dead letters, so the pages show a dead-lettered job as such. */
  history?: ReviewHistory,
  /** Attempts and backoff (tests shorten them; default the queues' own). */
  retries?: Pick<DurableQueueOptions, 'maxAttempts' | 'backoffMs' | 'maxBackoffMs'>,
): { github: DurableJobQueue<GitHubJob>; gerrit?: DurableJobQueue<GerritJob> } {
  const store = { redisUrl: config.redisUrl, dataDir: config.dataDir };
  const deps = (name: 'github' | 'gerrit') => ({
    ...retries,
    name,
    onEvent: queueLogger(log, name === 'gerrit' ? 'gerrit queue' : 'queue', history),
    ...(config.queueLeaseMs !== undefined ? { leaseMs: config.queueLeaseMs } : {}),
  });
  const github = createQueue<GitHubJob>(store, deps('github'));
  if (config.gerrit === undefined) return { github };
  try {
    return { github, gerrit: createQueue<GerritJob>(store, deps('gerrit')) };
  } catch (error) {
    void github.close();
    throw error;
  }
}

/**
 * Logs a queue's events: dead letters as errors, retries and drops as warnings, the rest at debug. A dead letter
 * also turns the job's failed record in the history into a dead-lettered one.
 */
function queueLogger(log: Logger, what: string, history?: ReviewHistory): (event: QueueEvent) => void {
  return (event) => {
    const level = event.type === 'dead' ? 'error' : event.type === 'retry' || event.type === 'dropped' ? 'warn' : 'debug';
    log[level]({ queue: event }, `${what}: ${event.type} ${event.key}`);
    if (event.type === 'dead' && history !== undefined) {
      history.markDead(event.key, event.error).catch((error: unknown) => log.warn({ err: error }, `history: cannot mark ${event.key} dead-lettered`));
    }
  };
}

/** Stores a finished job in the history; a store that fails is logged and never fails the review. */
async function remember(history: ReviewHistory, record: NewReviewRecord, log: Pick<Logger, 'warn'>): Promise<void> {
  try {
    await history.add(record);
  } catch (error) {
    log.warn({ err: error, job: record.key }, 'history: the review could not be recorded');
  }
}

/** DOCS_URL, else this service's own rule pages when PUBLIC_URL says where it is, else none (package paths). */
export function effectiveDocsUrl(config: Pick<ServiceConfig, 'docsUrl' | 'publicUrl'>): string | undefined {
  if (config.docsUrl !== undefined) return config.docsUrl;
  return config.publicUrl !== undefined ? `${config.publicUrl}/rules/` : undefined;
}

/** What `/` shows of the service: platforms, the queues' depth, running and dead jobs, and Gerrit's event stream. */
async function serviceStatus(config: ServiceConfig, queue: JobQueue<GitHubJob>, gerrit: GerritRuntime | undefined): Promise<ServiceStatus> {
  const probe = async (platform: 'github' | 'gerrit', q: JobQueue<unknown>): Promise<ServiceStatus['queues'][number]> => {
    let stats: QueueStats | undefined;
    try {
      stats = (await q.stats?.()) ?? undefined;
    } catch {
      stats = undefined;
    }
    const running = stats?.running ?? q.running?.();
    const dead = stats?.dead ?? (q instanceof InProcessQueue ? q.deadLetters().length : undefined);
    return { platform, depth: q.depth(), ...(running !== undefined ? { running } : {}), ...(dead !== undefined ? { dead } : {}) };
  };
  const queues = await Promise.all([
    ...(config.github !== undefined ? [probe('github', queue as JobQueue<unknown>)] : []),
    ...(gerrit !== undefined ? [probe('gerrit', gerrit.queue as JobQueue<unknown>)] : []),
  ]);
  const source = gerrit?.source.status();
  return {
    github: config.github !== undefined,
    gerrit: gerrit !== undefined,
    dryRun: config.dryRun,
    queues,
    ...(source !== undefined
      ? {
          stream: {
            events: source.events,
            ...(source.stream !== undefined ? { connected: source.stream.connected, reconnects: source.stream.reconnects } : {}),
            lastEventSeen: source.lastEventSeen,
          },
        }
      : {}),
  };
}

/** host:port/db of a Redis URL, never its credentials. */
function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(REDIS_URL)';
  }
}

/** A Gerrit event's `type` (`patchset-created`, `comment-added`, ...), or `unknown`. */
function eventType(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type !== '' ? type : 'unknown';
}

/**
 * What the jobs gauge reads: the queue's own `stats()` when it has one, else what any queue can tell (its depth,
 * the in-process queue's running jobs and dead letters) with the worker's count of finished reviews as `done`.
 */
function queueProbe(queue: JobQueue<unknown>, counts: { done: number }): QueueProbe {
  return {
    async stats(): Promise<QueueStats> {
      const own = (queue as { stats?: () => unknown }).stats;
      if (typeof own === 'function') return (await own.call(queue)) as QueueStats;
      const inProcess = queue instanceof InProcessQueue ? queue : undefined;
      return {
        waiting: queue.depth(),
        running: inProcess?.running() ?? 0,
        done: counts.done,
        dead: inProcess?.deadLetters().length ?? 0,
      };
    },
  };
}

/**
 * /readyz's checks: the queue backend (its `ping()` when it has one: SQLite open, Redis PING), GitHub (disabled, or
 * the App authenticates: `GET /app` with its JWT), Gerrit REST (`/config/server/version`) and, with GERRIT_SSH,
 * the stream connected. Remote answers are cached briefly.
 */
function readinessChecks(
  config: ServiceConfig,
  overrides: ServerOverrides,
  parts: { queue: JobQueue<unknown>; probot: Probot | undefined; gerrit: GerritRuntime | undefined; stopping: () => boolean },
): Record<string, Check> {
  const cacheMs = overrides.readiness?.cacheMs ?? 10_000;
  const queues = [parts.queue, ...(parts.gerrit !== undefined ? [parts.gerrit.queue as JobQueue<unknown>] : [])];
  const checks: Record<string, Check> = {
    queue: async () => {
      if (parts.stopping()) return { ok: false, detail: 'shutting down' };
      // The store answers: SQLite open, Redis PING (a durable queue's ping(), else its stats()).
      for (const q of queues) {
        const probe = q as { ping?: () => unknown; stats?: () => unknown };
        if (typeof probe.ping === 'function') await probe.ping();
        else if (typeof probe.stats === 'function') await probe.stats();
      }
      return { ok: true };
    },
  };
  const probot = parts.probot;
  checks.github =
    probot === undefined
      ? () => ({ ok: true, detail: 'disabled (APP_ID not set)' })
      : cached(async () => {
          try {
            const octokit = await probot.auth();
            await octokit.request('GET /app');
            return { ok: true };
          } catch (error) {
            const status = (error as { status?: unknown }).status;
            return { ok: false, detail: `the App cannot authenticate: GET /app ${typeof status === 'number' ? `answered ${status}` : `failed (${error instanceof Error ? error.message : String(error)})`}` };
          }
        }, cacheMs);
  const settings = config.gerrit;
  if (settings === undefined) checks.gerrit = () => ({ ok: true, detail: 'disabled (GERRIT_URL not set)' });
  else {
    checks.gerrit = cached(
      gerritRestCheck({
        url: settings.url,
        user: settings.user,
        password: settings.password,
        ...(overrides.gerrit?.fetch !== undefined ? { fetch: overrides.gerrit.fetch } : {}),
        timeoutMs: Math.min(3000, overrides.readiness?.timeoutMs ?? 5000),
      }),
      cacheMs,
    );
    const gerrit = parts.gerrit;
    if (settings.ssh !== undefined && gerrit !== undefined) {
      checks['gerrit-stream'] = () => {
        const stream = gerrit.source.status().stream;
        return stream?.connected === true
          ? { ok: true }
          : { ok: false, detail: `stream-events to ${settings.ssh?.host}:${settings.ssh?.port} not connected${stream !== undefined ? ` (${stream.reconnects} reconnect(s) so far)` : ''}` };
      };
    }
  }
  return checks;
}

function safeQuery(url: string | undefined): URLSearchParams {
  try {
    return new URL(url ?? '/', 'http://localhost').searchParams;
  } catch {
    return new URLSearchParams();
  }
}

function safePath(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  } catch {
    return '';
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

/** The process environment with `.env` (in the working directory) under it: real variables win. */
export function environment(env: NodeJS.ProcessEnv, cwd = process.cwd()): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  if (!existsSync(file)) return { ...env };
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

/** `npm start` and `heartbeat-bot serve`: read the environment, start the service, stop on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  const { config, problems, notes } = readEnv(environment(process.env), (path) => readFileSync(path, 'utf8'));
  if (config === undefined) {
    for (const problem of problems) process.stderr.write(`heartbeat-bot: ${problem}\n`);
    process.stderr.write('heartbeat-bot: not started; see README "GitHub App" and "Gerrit (review.opendev.org)" for the environment variables\n');
    process.exitCode = 1;
    return;
  }
  const dataDirProblem = await prepareDataDir(config.dataDir);
  if (dataDirProblem !== undefined) {
    process.stderr.write(`heartbeat-bot: ${dataDirProblem}\n`);
    process.stderr.write('heartbeat-bot: not started; see README "Running the service"\n');
    process.exitCode = 1;
    return;
  }
  const log = await createLogger(config);
  const history = createReviewHistory(config);
  const { github: queue, gerrit: gerritQueue } = durableQueues(config, log, history);
  const where = queue.backend === 'redis' ? `Redis at ${redisWhere(config.redisUrl ?? '')}` : `SQLite in ${config.dataDir}`;
  log.info({ queue: { backend: queue.backend } }, `queue: ${where}`);
  if (!(await within(queue.ready(), 5000))) log.warn(`queue: ${where} does not answer yet; /readyz is 503 until it does`);
  let running: RunningServer;
  try {
    running = await startServer(config, { log, queue, history, ...(gerritQueue !== undefined ? { gerrit: { queue: gerritQueue } } : {}) });
  } catch (error) {
    // An open Redis connection would keep the process alive after the error.
    await within(Promise.all([queue.close(), gerritQueue?.close(), history.close()]), 3000);
    throw error;
  }
  for (const note of notes) running.log.warn(note);
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      running.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    running.log.info(`${signal}: stopping`);
    running
      .close()
      .then(() => within(history.close(), 2000))
      .then(
      () => process.exit(0),
      (error: unknown) => {
        running.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const invoked = process.argv[1] !== undefined && existsSync(process.argv[1]) ? realpathSync(process.argv[1]) : undefined;
if (invoked !== undefined && invoked === realpathSync(fileURLToPath(import.meta.url))) {
  serve().catch((error: unknown) => {
    process.stderr.write(`heartbeat-bot: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
