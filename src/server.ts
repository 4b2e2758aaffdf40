/**
 * `npm start`: the webhook service (CONTRACTS.md §3), a composition root. Reads and validates the environment
 * (and `.env`), then serves on one node:http server:
 *
 *   POST /api/github/webhooks   Probot's middleware: HMAC-verified GitHub events -> the Probot app (src/index.ts)
 *   GET  /healthz               200 JSON: status, what is enabled, queue depth
 *   anything else               404
 *
 * GitHub is enabled when APP_ID is set; with nothing configured the service still starts and says what to set.
 * Probot's Octokit is configured to retry secondary rate limits too (Probot's own defaults only log them).
 * SIGTERM / SIGINT: stop accepting connections, drain the queue for a bounded time, exit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { pino, type Logger } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import heartbeatApp, { type AppDeps } from './index.js';
import type { GitHubJob, JobQueue } from './service/job-queue.js';
import { InProcessQueue } from './service/in-process-queue.js';
import { readEnv, type ServiceConfig } from './service/read-env.js';

export const WEBHOOKS_PATH = '/api/github/webhooks';

export interface ServerOverrides {
  /** GitHub REST base URL (a fake GitHub in tests); default from GHE_HOST, else api.github.com. */
  baseUrl?: string;
  log?: Logger;
  queue?: JobQueue<GitHubJob>;
  /** Passed to the Probot app (rules, knowledge, review functions, concurrency, onReviewed). */
  app?: Omit<AppDeps, 'queue'>;
  /** Octokit throttling: retries of primary / secondary rate limits and the unit of `retry-after` (1000 ms). */
  throttle?: {
    primaryRetries?: number;
    secondaryRetries?: number;
    retryAfterBaseValue?: number;
    maxWaitSeconds?: number;
    /** More @octokit/plugin-throttling options, e.g. a `write` Bottleneck group without the 1 s spacing of writes. */
    options?: Record<string, unknown>;
  };
  /** Octokit's retry plugin (5xx): retries and its base wait. */
  retry?: { retries?: number; retryAfterBaseValue?: number };
  /** How long SIGTERM waits for queued reviews (default 25 s, under Kubernetes' default 30 s grace). */
  drainTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://<host>:<port>` as bound. */
  url: string;
  port: number;
  http: Server;
  queue: JobQueue<GitHubJob>;
  log: Logger;
  probot?: Probot;
  /** Graceful stop: no new connections, the queue drained (bounded), then closed. */
  close(): Promise<void>;
}

/** The logger: pino, as Probot logs, with anything secret redacted wherever a library might put it. */
export async function createLogger(config: Pick<ServiceConfig, 'logLevel' | 'logFormat'>): Promise<Logger> {
  const options = {
    level: config.logLevel,
    name: 'heartbeat-bot',
    redact: {
      paths: [
        'privateKey',
        '*.privateKey',
        'webhookSecret',
        '*.webhookSecret',
        'secret',
        '*.secret',
        'token',
        '*.token',
        'headers.authorization',
        '*.headers.authorization',
        'request.headers.authorization',
        '*.request.headers.authorization',
      ],
      censor: '[REDACTED]',
    },
  };
  if (config.logFormat === 'pretty') {
    // Probot's own pretty printer, as `probot run` shows logs.
    const { getTransformStream } = await import('@probot/pino');
    const transform = await getTransformStream();
    transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
    return pino(options, transform);
  }
  return pino(options);
}

/** Probot's Octokit, but retrying secondary rate limits (bounded) and primary ones that reset soon. */
function octokitClass(overrides: ServerOverrides): typeof ProbotOctokit {
  const primaryRetries = overrides.throttle?.primaryRetries ?? 2;
  const secondaryRetries = overrides.throttle?.secondaryRetries ?? 3;
  const maxWait = overrides.throttle?.maxWaitSeconds ?? 120;
  type Throttled = { method: string; url: string };
  type Logged = { log: { warn(message: string): void } };
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    throttle: {
      ...(instance.throttle as object | undefined),
      enabled: true,
      ...(overrides.throttle?.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: overrides.throttle.retryAfterBaseValue } : {}),
      ...overrides.throttle?.options,
      onRateLimit: (retryAfter: number, options: Throttled, octokit: Logged, retryCount: number) => {
        const retry = retryCount < primaryRetries && retryAfter <= maxWait;
        octokit.log.warn(`rate limit hit by ${options.method} ${options.url}; ${retry ? `retrying in ${retryAfter} s` : 'giving up'}`);
        return retry;
      },
      onSecondaryRateLimit: (retryAfter: number, options: Throttled, octokit: Logged, retryCount: number) => {
        const retry = retryCount < secondaryRetries && retryAfter <= maxWait;
        octokit.log.warn(`secondary rate limit hit by ${options.method} ${options.url}; ${retry ? `retrying in ${retryAfter} s` : 'giving up'}`);
        return retry;
      },
    },
    ...(overrides.retry !== undefined ? { retry: { ...(instance.retry as object | undefined), ...overrides.retry } } : {}),
  })) as typeof ProbotOctokit;
}

export async function startServer(config: ServiceConfig, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const log = overrides.log ?? (await createLogger(config));
  const queue =
    overrides.queue ??
    new InProcessQueue<GitHubJob>({
      onEvent: (event) => {
        const level = event.type === 'dead' ? 'error' : event.type === 'retry' || event.type === 'dropped' ? 'warn' : 'debug';
        log[level]({ queue: event }, `queue: ${event.type} ${event.key}`);
      },
    });

  let probot: Probot | undefined;
  let webhooks: ((req: IncomingMessage, res: ServerResponse, next?: () => void) => unknown) | undefined;
  if (config.github !== undefined) {
    const baseUrl = overrides.baseUrl ?? config.github.baseUrl;
    probot = new Probot({
      appId: config.github.appId,
      privateKey: config.github.privateKey,
      secret: config.github.webhookSecret,
      log: log.child({ name: 'probot' }),
      Octokit: octokitClass(overrides),
      ...(baseUrl !== undefined ? { baseUrl } : {}),
    });
    const deps: AppDeps = {
      ...overrides.app,
      queue,
      botName: config.botName,
      dryRun: config.dryRun,
      ...(config.docsUrl !== undefined ? { docsUrl: config.docsUrl } : {}),
    };
    webhooks = await createNodeMiddleware((app, options) => heartbeatApp(app, { ...options, ...deps }), {
      probot,
      webhooksPath: WEBHOOKS_PATH,
    });
  }

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
      });
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
      botName: config.botName,
      dryRun: config.dryRun,
    },
    config.github !== undefined ? `listening on ${url}, GitHub webhooks at ${url}${WEBHOOKS_PATH}` : `listening on ${url} (GitHub disabled)`,
  );
  if (config.github?.webhookProxyUrl !== undefined) {
    log.info(`WEBHOOK_PROXY_URL is set: forward it with  npx smee -u ${config.github.webhookProxyUrl} -t http://localhost:${port}${WEBHOOKS_PATH}`);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = overrides.drainTimeoutMs ?? 25_000;
      const depth = queue.depth();
      if (depth > 0) log.info({ depth }, `stopping: waiting up to ${timeout} ms for ${depth} queued review(s)`);
      const drained = await within(queue.drain(), timeout);
      if (!drained) log.warn({ depth: queue.depth() }, 'stopping: the queue did not drain in time; queued reviews are dropped');
      await within(queue.close(), Math.max(1000, timeout / 5));
      server.closeAllConnections();
      await closed;
      log.info('stopped');
    })();
    return closing;
  };

  return { url, port, http: server, queue, log, ...(probot !== undefined ? { probot } : {}), close };
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
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

async function main(): Promise<void> {
  const { config, problems, notes } = readEnv(environment(process.env), (path) => readFileSync(path, 'utf8'));
  if (config === undefined) {
    for (const problem of problems) process.stderr.write(`heartbeat-bot: ${problem}\n`);
    process.stderr.write('heartbeat-bot: not started; see README "GitHub App" for the environment variables\n');
    process.exitCode = 1;
    return;
  }
  const running = await startServer(config);
  for (const note of notes) running.log.warn(note);
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      running.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    running.log.info(`${signal}: stopping`);
    running.close().then(
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
  main().catch((error: unknown) => {
    process.stderr.write(`heartbeat-bot: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
