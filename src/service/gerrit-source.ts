/**
 * Where Gerrit reviews come from: every intake produces the platform's one normalised GerritEvent, which becomes a
 * GerritJob on the queue under `gerrit:<project>~<change>,<patch set>` (gerritJobKey), so an event seen twice — on
 * the stream and again by a catch-up query, or redelivered by the webhooks plugin — is reviewed once, and a newer
 * patch set supersedes queued work for an older one.
 *
 *   - SSH `gerrit stream-events` (GERRIT_SSH): the platform's StreamEvents keeps the connection (keepalive,
 *     reconnect with backoff and jitter). The stream has no delivery guarantee, so on every 'connected' (the first
 *     and every reconnect) the catch-up query `changesUpdatedSince(lastEventSeen)` reviews what was missed.
 *   - The webhooks plugin (GERRIT_WEBHOOK_TOKEN): server.ts authenticates `POST /gerrit/events` and hands the body
 *     to accept().
 *   - Neither: the same catch-up query every GERRIT_POLL_SECONDS.
 *
 * lastEventSeen (in memory; persisted under DATA_DIR by the service issue) is the newest event time seen, or the
 * start of the last catch-up that succeeded while the stream was up. Queries reach back a margin before it (clock
 * skew, Gerrit's one-second `after:` granularity); what they return twice is collapsed by the queue's keys and by a
 * bounded memory of patch sets already reviewed here, and the platform itself never posts twice on a patch set.
 */
import type { GerritEvent } from '../platforms/gerrit/types.js';
import type { GerritServiceConfig } from './gerrit-env.js';
import { gerritJobKey, type EnqueueResult, type GerritJob, type JobQueue } from './job-queue.js';

/** The platform's StreamEvents as used here. */
export interface EventStream {
  on(event: 'event', listener: (raw: unknown) => void): unknown;
  on(event: 'connected' | 'disconnected', listener: (...args: unknown[]) => void): unknown;
  start(): void;
  stop(): unknown;
  readonly reconnects: number;
}

export interface SourceLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
  debug(o: object, m?: string): void;
}

export interface GerritSourceDeps {
  config: GerritServiceConfig;
  queue: JobQueue<GerritJob>;
  log: SourceLog;
  /** The platform's classifyEvent bound to the bot user, projects and WIP setting: the event, or why it asks for nothing. */
  classify(raw: unknown): { event: GerritEvent } | { ignored: string };
  /** changesUpdatedSince bound to a client and the projects. */
  changesSince(since: Date): Promise<GerritEvent[]>;
  /** A new (not started) stream; required when config.ssh is set. */
  createStream?: () => EventStream;
  now?: () => number;
  /** How far before lastEventSeen a catch-up query reaches (default 2 minutes). */
  catchUpMarginMs?: number;
  /** Wait before retrying a failed catch-up query (default: min(poll interval, 30 s)). */
  catchUpRetryMs?: number;
}

/** What became of an event. */
export type AcceptResult = EnqueueResult | 'ignored' | 'reviewed';

export interface GerritSourceStatus {
  events: ('ssh' | 'webhook' | 'poll')[];
  stream?: { connected: boolean; reconnects: number; connectedAt?: string; disconnectedAt?: string };
  lastEventSeen: string;
  lastCatchUp?: { at: string; changes: number; queued: number; ok: boolean; error?: string };
  accepted: number;
  ignored: number;
}

const REVIEWED_MEMORY = 10_000;

export class GerritSource {
  readonly #deps: GerritSourceDeps;
  readonly #now: () => number;
  readonly #margin: number;
  readonly #retryMs: number;
  /** Plain (not recheck) keys reviewed by this process, oldest first, bounded. */
  readonly #reviewed = new Set<string>();
  #stream: EventStream | undefined;
  #connected = false;
  #connectedAt: number | undefined;
  #disconnectedAt: number | undefined;
  #lastEventSeen: number;
  #lastCatchUp: GerritSourceStatus['lastCatchUp'];
  #catchingUp: Promise<void> | undefined;
  /** Another catch-up was asked for while one ran (a reconnect during a query). */
  #catchUpAgain = false;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #accepted = 0;
  #ignored = 0;

  constructor(deps: GerritSourceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#margin = deps.catchUpMarginMs ?? 120_000;
    this.#retryMs = deps.catchUpRetryMs ?? Math.min(deps.config.pollSeconds * 1000, 30_000);
    this.#lastEventSeen = this.#now();
  }

  /** Which intakes run: SSH when configured, the webhook when a token is set, polling when neither. */
  get events(): GerritSourceStatus['events'] {
    const events: GerritSourceStatus['events'] = [];
    if (this.#deps.config.ssh !== undefined) events.push('ssh');
    if (this.#deps.config.webhookToken !== undefined) events.push('webhook');
    if (events.length === 0) events.push('poll');
    return events;
  }

  /** Starts the stream or the polling; the webhook needs nothing started. */
  start(): void {
    const { config, log } = this.#deps;
    if (config.ssh !== undefined) {
      if (this.#deps.createStream === undefined) throw new Error('GERRIT_SSH is set but no stream was given');
      const stream = this.#deps.createStream();
      this.#stream = stream;
      stream.on('event', (raw) => {
        void this.accept(raw, 'stream').catch((error: unknown) => log.error({ err: error }, 'gerrit: a stream event could not be queued'));
      });
      stream.on('connected', () => {
        this.#connected = true;
        this.#connectedAt = this.#now();
        log.info({ gerrit: { ssh: `${config.ssh?.host}:${config.ssh?.port}`, reconnects: stream.reconnects } }, 'gerrit: stream-events connected; catching up');
        void this.catchUp('catch-up');
      });
      stream.on('disconnected', (...args: unknown[]) => {
        this.#connected = false;
        this.#disconnectedAt = this.#now();
        log.warn({ gerrit: { reason: args[0] instanceof Error ? args[0].message : args[0] } }, 'gerrit: stream-events disconnected');
      });
      stream.start();
    }
    if (this.events.includes('poll')) {
      const every = config.pollSeconds * 1000;
      log.info({ gerrit: { pollSeconds: config.pollSeconds } }, `gerrit: polling for updated changes every ${config.pollSeconds} s`);
      void this.catchUp('poll');
      this.#timer = setInterval(() => void this.catchUp('poll'), every);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    await this.#stream?.stop();
    this.#connected = false;
    await this.#catchingUp?.catch(() => {});
  }

  /** A raw event (stream line, webhook body): normalised, then queued unless it asks for nothing. */
  async accept(raw: unknown, source: 'stream' | 'webhook'): Promise<{ result: AcceptResult; key?: string }> {
    // Only the stream's events say how far the stream delivered (a webhook's do not cover it).
    if (source === 'stream') this.#seen(raw);
    const classified = this.#deps.classify(raw);
    if (!('event' in classified)) {
      this.#ignored += 1;
      this.#deps.log.debug({ source, why: classified.ignored }, `gerrit: event ignored: ${classified.ignored}`);
      return { result: 'ignored' };
    }
    const event = classified.event;
    if (source === 'stream' && event.createdAt !== undefined) this.#lastEventSeen = Math.max(this.#lastEventSeen, Math.min(event.createdAt, this.#now()));
    return this.enqueue(event, source);
  }

  /** Queues a normalised event; throws when the queue refuses it (the webhook answers 503 then). */
  async enqueue(event: GerritEvent, source: GerritJob['source']): Promise<{ result: AcceptResult; key: string }> {
    const job: GerritJob = {
      project: event.project,
      change: event.change,
      patchSet: event.patchSet,
      recheck: event.kind === 'recheck',
      ...(event.trivial === true ? { trivial: true } : {}),
      reason: event.kind,
      source,
      receivedAt: event.receivedAt,
    };
    const key = gerritJobKey(job);
    if (!job.recheck && this.#reviewed.has(key)) {
      this.#deps.log.debug({ job: key, source }, `gerrit: ${key} was reviewed already`);
      return { result: 'reviewed', key };
    }
    const result = await this.#deps.queue.enqueue(key, job);
    this.#accepted += 1;
    this.#deps.log.info({ job: key, reason: job.reason, source, result, depth: this.#deps.queue.depth() }, `gerrit: review ${result}: ${key}`);
    return { result, key };
  }

  /** Called by the worker after a review (posted or deliberately skipped): later events for it are dropped early. */
  reviewed(job: GerritJob): void {
    if (job.recheck) return;
    const key = gerritJobKey(job);
    this.#reviewed.delete(key);
    this.#reviewed.add(key);
    if (this.#reviewed.size > REVIEWED_MEMORY) {
      const oldest = this.#reviewed.values().next().value;
      if (oldest !== undefined) this.#reviewed.delete(oldest);
    }
  }

  /**
   * The catch-up query: changes updated since lastEventSeen (less the margin), each current patch set queued.
   * One at a time; asked again while running, it runs once more afterwards. Failures are retried after a while.
   */
  catchUp(source: 'catch-up' | 'poll'): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#catchingUp !== undefined) {
      this.#catchUpAgain = true;
      return this.#catchingUp;
    }
    const run = async (): Promise<void> => {
      do {
        this.#catchUpAgain = false;
        await this.#catchUpOnce(source);
      } while (this.#catchUpAgain && !this.#stopped);
    };
    this.#catchingUp = run().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async #catchUpOnce(source: 'catch-up' | 'poll'): Promise<void> {
    const { log } = this.#deps;
    const startedAt = this.#now();
    const since = new Date(this.#lastEventSeen - this.#margin);
    // Only a query made while events were flowing (or polling) covers the time up to its start.
    const covering = this.#stream === undefined || this.#connected;
    let events: GerritEvent[];
    try {
      events = await this.#deps.changesSince(since);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#lastCatchUp = { at: new Date(startedAt).toISOString(), changes: 0, queued: 0, ok: false, error: message };
      log.warn({ err: error, since: since.toISOString() }, `gerrit: ${source} query failed (${message}); retrying in ${Math.round(this.#retryMs / 1000)} s`);
      if (source === 'catch-up' && !this.#stopped) {
        if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => void this.catchUp('catch-up'), this.#retryMs);
        this.#retryTimer.unref();
      }
      return;
    }
    let queued = 0;
    for (const event of events) {
      try {
        const { result } = await this.enqueue(event, source);
        if (result === 'queued' || result === 'superseded') queued += 1;
      } catch (error) {
        log.error({ err: error }, `gerrit: ${source}: ${event.project}~${event.change} could not be queued`);
      }
    }
    if (covering) this.#lastEventSeen = Math.max(this.#lastEventSeen, startedAt);
    this.#lastCatchUp = { at: new Date(startedAt).toISOString(), changes: events.length, queued, ok: true };
    log[queued > 0 ? 'info' : 'debug']({ since: since.toISOString(), changes: events.length, queued }, `gerrit: ${source}: ${events.length} updated change(s), ${queued} queued`);
  }

  status(): GerritSourceStatus {
    const iso = (ms: number | undefined): string | undefined => (ms !== undefined ? new Date(ms).toISOString() : undefined);
    const connectedAt = iso(this.#connectedAt);
    const disconnectedAt = iso(this.#disconnectedAt);
    return {
      events: this.events,
      ...(this.#stream !== undefined
        ? {
            stream: {
              connected: this.#connected,
              reconnects: this.#stream.reconnects,
              ...(connectedAt !== undefined ? { connectedAt } : {}),
              ...(disconnectedAt !== undefined ? { disconnectedAt } : {}),
            },
          }
        : {}),
      lastEventSeen: new Date(this.#lastEventSeen).toISOString(),
      ...(this.#lastCatchUp !== undefined ? { lastCatchUp: this.#lastCatchUp } : {}),
      accepted: this.#accepted,
      ignored: this.#ignored,
    };
  }

  /** Any event (even one asking for nothing) is proof the stream delivered up to its time. */
  #seen(raw: unknown): void {
    const created = (raw as { eventCreatedOn?: unknown } | null)?.eventCreatedOn;
    const seconds = typeof created === 'number' ? created : typeof created === 'string' && /^\d+$/.test(created) ? Number(created) : undefined;
    if (seconds !== undefined) this.#lastEventSeen = Math.max(this.#lastEventSeen, Math.min(seconds * 1000, this.#now()));
  }
}
