/**
 * The service's Prometheus metrics (`GET /metrics`, prom-client): one Registry per server instance, so two servers
 * in one process (tests, the two-instance benchmark) never share counters. Every metric is documented in README
 * "Running the service"; keep the two in step.
 *
 * Platform code is not touched: server.ts feeds these from the places it composes — webhook intake, the Gerrit
 * stream / catch-up / webhook, the review workers' outcomes (API calls, findings) and thrown errors (their HTTP
 * status), the queues' stats at scrape time — and findings by rule come from rules wrapped by countingRules().
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Rule } from '../model/rule.js';

export type Platform = 'github' | 'gerrit';
export type EventSource = 'github' | 'gerrit-ssh' | 'gerrit-webhook' | 'gerrit-poll';

/** Job counts by state as a queue reports them (JobQueue.stats(): waiting, delayed, running, done, dead). */
export type QueueStats = Partial<Record<string, number>>;

/** What the jobs gauge reads at scrape time. */
export interface QueueProbe {
  stats(): QueueStats | Promise<QueueStats>;
}

/**
 * The states always exported (0 when a queue does not report one), so dashboards need no `or vector(0)`: those of
 * job-queue.ts — `waiting` (due), `delayed` (waiting for a retry's backoff), `running`, `done` (remembered recently,
 * for dedupe), `dead` (dead-lettered after the last attempt).
 */
export const JOB_STATES = ['waiting', 'delayed', 'running', 'done', 'dead'] as const;

export interface ServiceMetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop lag, handles); default true. */
  defaultMetrics?: boolean;
  /** Prefix of every name; default `heartbeat_`. */
  prefix?: string;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly events: Counter<'source' | 'type'>;
  readonly jobs: Gauge<'platform' | 'state'>;
  readonly reviews: Counter<'platform' | 'result'>;
  readonly reviewDuration: Histogram<'platform'>;
  readonly findings: Counter<'platform' | 'rule'>;
  readonly findingsBySeverity: Counter<'platform' | 'severity'>;
  readonly apiCalls: Counter<'platform'>;
  readonly apiErrors: Counter<'platform' | 'status'>;
  readonly sshConnected: Gauge;
  readonly sshReconnects: Counter;
  readonly #queues = new Map<Platform, QueueProbe>();

  constructor(options: ServiceMetricsOptions = {}) {
    const p = options.prefix ?? 'heartbeat_';
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: p });
    this.events = new Counter({
      name: `${p}events_total`,
      help: 'Events received, by source (github, gerrit-ssh, gerrit-webhook, gerrit-poll) and type, whether or not they asked for a review',
      labelNames: ['source', 'type'],
      registers,
    });
    const queues = this.#queues;
    this.jobs = new Gauge({
      name: `${p}jobs`,
      help: 'Review jobs by platform and state (waiting, delayed for a retry, running, done recently, dead-lettered), as the queue reports them at scrape time',
      labelNames: ['platform', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const [platform, probe] of queues) {
          let stats: QueueStats;
          try {
            stats = await probe.stats();
          } catch {
            continue; // an unreachable queue shows in /readyz; the scrape itself must not fail
          }
          for (const state of JOB_STATES) this.set({ platform, state }, stats[state] ?? 0);
          for (const [state, n] of Object.entries(stats)) {
            if (!(JOB_STATES as readonly string[]).includes(state) && typeof n === 'number') this.set({ platform, state }, n);
          }
        }
      },
    });
    this.reviews = new Counter({
      name: `${p}reviews_total`,
      help: 'Review attempts by platform and result: posted, skipped (nothing to post or not reviewable), dry_run, failed',
      labelNames: ['platform', 'result'],
      registers,
    });
    this.reviewDuration = new Histogram({
      name: `${p}review_duration_seconds`,
      help: 'Time a review attempt took (reading the change, the rules, posting), by platform',
      labelNames: ['platform'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.findings = new Counter({
      name: `${p}findings_total`,
      help: 'Findings rules reported in reviewed changes, by platform and rule (before in-file suppressions and per-repository overrides)',
      labelNames: ['platform', 'rule'],
      registers,
    });
    this.findingsBySeverity = new Counter({
      name: `${p}review_findings_total`,
      help: 'Findings in the changed files of finished reviews, by platform and severity (after suppressions and overrides)',
      labelNames: ['platform', 'severity'],
      registers,
    });
    this.apiCalls = new Counter({
      name: `${p}api_calls_total`,
      help: 'HTTP requests finished reviews made to the platform API, retries included, by platform',
      labelNames: ['platform'],
      registers,
    });
    this.apiErrors = new Counter({
      name: `${p}api_errors_total`,
      help: 'Review attempts that failed, by platform and the HTTP status of the error (none: network error, timeout or not an API error)',
      labelNames: ['platform', 'status'],
      registers,
    });
    this.sshConnected = new Gauge({
      name: `${p}gerrit_stream_connected`,
      help: '1 while the Gerrit SSH stream-events connection is up, else 0 (absent without GERRIT_SSH)',
      registers,
    });
    this.sshReconnects = new Counter({
      name: `${p}gerrit_stream_reconnects_total`,
      help: 'Times the Gerrit SSH stream-events connection was established again after the first',
      registers,
    });
  }

  /** The jobs gauge reads `probe` for `platform` at every scrape. */
  observeQueue(platform: Platform, probe: QueueProbe): void {
    this.#queues.set(platform, probe);
  }

  event(source: EventSource, type: string): void {
    this.events.inc({ source, type: safeLabel(type) });
  }

  /** A finished review: its duration, result, API calls and findings by severity. */
  reviewed(
    platform: Platform,
    seconds: number,
    outcome: { skipped?: string | undefined; posted?: boolean; dryRun?: unknown; apiCalls: number; severities?: Partial<Record<string, number>> | undefined },
  ): void {
    this.reviewDuration.observe({ platform }, seconds);
    const result = outcome.skipped !== undefined ? 'skipped' : outcome.dryRun !== undefined ? 'dry_run' : outcome.posted === false ? 'skipped' : 'posted';
    this.reviews.inc({ platform, result });
    if (outcome.apiCalls > 0) this.apiCalls.inc({ platform }, outcome.apiCalls);
    for (const [severity, n] of Object.entries(outcome.severities ?? {})) {
      if (n !== undefined && n > 0) this.findingsBySeverity.inc({ platform, severity }, n);
    }
  }

  /** A review attempt that threw: its duration, and the HTTP status of the error when it has one. */
  failed(platform: Platform, seconds: number, error: unknown): void {
    this.reviewDuration.observe({ platform }, seconds);
    this.reviews.inc({ platform, result: 'failed' });
    this.apiErrors.inc({ platform, status: statusOf(error) });
  }

  /** `rules` wrapped so every report counts under heartbeat_findings_total{platform, rule}. */
  countingRules(platform: Platform, rules: readonly Rule[]): Rule[] {
    return rules.map((rule) => ({
      meta: rule.meta,
      check: (context) => {
        const counted = Object.create(context) as typeof context;
        Object.defineProperty(counted, 'report', {
          value: (input: Parameters<typeof context.report>[0]) => {
            this.findings.inc({ platform, rule: rule.meta.id });
            context.report(input);
          },
        });
        rule.check(counted);
      },
    }));
  }

  /** The exposition text and its content type. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The HTTP status of an error (Octokit's RequestError, GerritApiError, ...) as a label, or `none`. */
export function statusOf(error: unknown): string {
  const e = error as { status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.status ?? e?.response?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status < 600 ? String(status) : 'none';
}

/** Label values from outside (event types) are bounded: odd ones collapse into `other`. */
function safeLabel(value: string): string {
  return /^[a-z0-9_.-]{1,64}$/i.test(value) ? value : 'other';
}
