/**
 * `GET /metrics` (service/metrics.ts, README "Running the service"): Prometheus text after real reviews through
 * the service against the fake GitHub and the fake Gerrit, and the counters' semantics on their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startServer } from '../../src/server.js';
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import type { GitHubJob } from '../../src/service/job-queue.js';
import { ServiceMetrics, statusOf } from '../../src/service/metrics.js';
import type { ServiceConfig } from '../../src/service/read-env.js';
import type { GitHubReviewOutcome } from '../../src/platforms/github/types.js';
import type { Rule } from '../../src/model/rule.js';
import { addPullRequest, pullRequestPayload, startHarness } from './github-harness.js';
import { addChange, PROJECT, startGerritHarness } from '../platforms/gerrit/service-harness.js';

/** Samples of the exposition text: `name{labels}` -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[1], Number(m[2]));
  }
  return out;
}

async function scrape(url: string): Promise<{ text: string; samples: Map<string, number>; contentType: string }> {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  return { text, samples: samples(text), contentType: response.headers.get('content-type') ?? '' };
}

test('/metrics after a GitHub review: event, review result and duration, findings by rule and severity, API calls, jobs', async () => {
  const outcomes: GitHubReviewOutcome[] = [];
  const h = await startHarness({
    overrides: {
      queue: new InProcessQueue<GitHubJob>({ backoffMs: 10, maxBackoffMs: 20 }),
      app: { onReviewed: (_job, outcome) => outcomes.push(outcome) },
    },
  });
  try {
    const pr = addPullRequest(h);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    assert.equal(outcomes.length, 1);
    // A delivery with a wrong signature is not an event.
    assert.notEqual((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number), { secret: 'wrong' })).status, 200);

    const { samples: s, text, contentType } = await scrape(h.server.url);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    assert.equal(s.get('heartbeat_events_total{source="github",type="pull_request.opened"}'), 1);
    assert.equal(s.get('heartbeat_reviews_total{platform="github",result="posted"}'), 1);
    assert.equal(s.get('heartbeat_review_duration_seconds_count{platform="github"}'), 1);
    assert.ok((s.get('heartbeat_review_duration_seconds_sum{platform="github"}') ?? 0) > 0);
    assert.equal(s.get('heartbeat_findings_total{platform="github",rule="nova-wsgi-threads-not-1"}'), 1);
    assert.equal(s.get('heartbeat_review_findings_total{platform="github",severity="error"}'), outcomes[0]?.severities?.error);
    assert.equal(s.get('heartbeat_api_calls_total{platform="github"}'), outcomes[0]?.apiCalls);
    assert.ok((outcomes[0]?.apiCalls ?? 0) > 0);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="done"}'), 1);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="waiting"}'), 0);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="delayed"}'), 0);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="running"}'), 0);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="dead"}'), 0);
    // Default process metrics, prefixed.
    assert.ok(s.has('heartbeat_process_resident_memory_bytes'), 'process metrics');
    assert.ok(s.has('heartbeat_nodejs_eventloop_lag_seconds'), 'event loop lag');
    // Every metric has its HELP and TYPE.
    for (const name of ['events_total', 'jobs', 'reviews_total', 'review_duration_seconds', 'findings_total', 'api_calls_total', 'api_errors_total']) {
      assert.match(text, new RegExp(`^# HELP heartbeat_${name} `, 'm'), name);
    }
    // No Gerrit without GERRIT_URL: no stream gauge sample.
    assert.ok(!s.has('heartbeat_gerrit_stream_connected') || s.get('heartbeat_gerrit_stream_connected') === 0);
  } finally {
    await h.close();
  }
});

test('/metrics: a GitHub review that fails counts as failed with the status of the API error, then its retry as posted', async () => {
  const h = await startHarness({ overrides: { queue: new InProcessQueue<GitHubJob>({ backoffMs: 10, maxBackoffMs: 20 }) } });
  try {
    const pr = addPullRequest(h);
    h.fake.failNext({ method: 'GET', path: new RegExp(`/pulls/${pr.number}/files$`), status: 403, times: 1, body: { message: 'Resource not accessible by integration' } });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'synchronize', pr.number))).status, 200);
    await h.settle();
    const { samples: s } = await scrape(h.server.url);
    assert.equal(s.get('heartbeat_events_total{source="github",type="pull_request.synchronize"}'), 1);
    assert.equal(s.get('heartbeat_reviews_total{platform="github",result="failed"}'), 1);
    assert.equal(s.get('heartbeat_api_errors_total{platform="github",status="403"}'), 1);
    assert.equal(s.get('heartbeat_reviews_total{platform="github",result="posted"}'), 1);
    assert.equal(s.get('heartbeat_review_duration_seconds_count{platform="github"}'), 2);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="done"}'), 1);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="dead"}'), 0, 'retried, not dead-lettered');
  } finally {
    await h.close();
  }
});

test('/metrics after a Gerrit review over SSH: stream event, connected gauge, reconnects, catch-up events, review counters', async () => {
  const h = await startGerritHarness();
  try {
    await h.fake.waitForStreams(1);
    await h.until(() => (h.server.gerrit?.source.status().lastCatchUp?.ok ?? false) === true, 'the first catch-up');
    let s = (await scrape(h.server.url)).samples;
    assert.equal(s.get('heartbeat_gerrit_stream_connected'), 1);
    assert.equal(s.get('heartbeat_gerrit_stream_reconnects_total'), 0);

    addChange(h, 1001);
    h.fake.emitPatchsetCreated(PROJECT, 1001);
    await h.until(() => h.reviewed.length === 1, 'the review');
    await h.settle();
    const outcome = h.reviewed[0]?.outcome;
    s = (await scrape(h.server.url)).samples;
    assert.equal(s.get('heartbeat_events_total{source="gerrit-ssh",type="patchset-created"}'), 1);
    assert.equal(s.get('heartbeat_reviews_total{platform="gerrit",result="posted"}'), 1);
    assert.equal(s.get('heartbeat_review_duration_seconds_count{platform="gerrit"}'), 1);
    assert.equal(s.get('heartbeat_api_calls_total{platform="gerrit"}'), outcome?.apiCalls);
    assert.ok((s.get('heartbeat_findings_total{platform="gerrit",rule="nova-wsgi-threads-not-1"}') ?? 0) >= 1);
    assert.equal(s.get('heartbeat_review_findings_total{platform="gerrit",severity="error"}'), outcome?.severities?.error);
    assert.equal(s.get('heartbeat_jobs{platform="gerrit",state="done"}'), 1);
    assert.equal(s.get('heartbeat_jobs{platform="gerrit",state="waiting"}'), 0);
    assert.equal(s.get('heartbeat_jobs{platform="github",state="waiting"}'), 0, 'the GitHub queue is reported too');

    // The stream drops: the gauge goes to 0, and back to 1 with one reconnect; the catch-up query's changes count as gerrit-poll events.
    h.fake.dropStreams();
    await h.until(() => h.server.gerrit?.source.status().stream?.connected === false, 'the disconnect');
    assert.equal((await scrape(h.server.url)).samples.get('heartbeat_gerrit_stream_connected'), 0);
    await h.fake.waitForStreams(1);
    await h.until(() => h.server.gerrit?.source.status().stream?.connected === true, 'the reconnect');
    await h.until(() => (h.server.gerrit?.source.status().lastCatchUp?.changes ?? 0) >= 1, 'the catch-up after the reconnect');
    s = (await scrape(h.server.url)).samples;
    assert.equal(s.get('heartbeat_gerrit_stream_connected'), 1);
    assert.equal(s.get('heartbeat_gerrit_stream_reconnects_total'), 1);
    assert.ok((s.get('heartbeat_events_total{source="gerrit-poll",type="patchset-created"}') ?? 0) >= 1);
    await h.settle();
    assert.equal(h.reviewed.length, 1, 'the catch-up found what was reviewed already');
  } finally {
    await h.close();
  }
});

test('/metrics after a Gerrit webhook: events by type, ignored ones too', async () => {
  const h = await startGerritHarness({ ssh: false, webhook: true });
  try {
    addChange(h, 7001);
    assert.equal((await h.post(h.fake.patchsetCreatedEvent(PROJECT, 7001))).status, 202);
    assert.equal((await h.post({ type: 'ref-updated', refUpdate: { project: PROJECT, refName: 'refs/heads/master' } })).status, 202);
    await h.until(() => h.reviewed.length === 1, 'the review');
    const s = (await scrape(h.server.url)).samples;
    assert.equal(s.get('heartbeat_events_total{source="gerrit-webhook",type="patchset-created"}'), 1);
    assert.equal(s.get('heartbeat_events_total{source="gerrit-webhook",type="ref-updated"}'), 1);
    assert.equal(s.get('heartbeat_reviews_total{platform="gerrit",result="posted"}'), 1);
    assert.ok(!s.has('heartbeat_gerrit_stream_connected') || s.get('heartbeat_gerrit_stream_connected') === 0);
  } finally {
    await h.close();
  }
});

const BASE: ServiceConfig = { port: 0, host: '127.0.0.1', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json' };

test('a registry per server: two servers in one process count apart, and /metrics is served with nothing configured', async () => {
  const a = await startServer(BASE, { log: pino({ level: 'silent' }) });
  const b = await startServer(BASE, { log: pino({ level: 'silent' }), defaultMetrics: false });
  try {
    a.metrics.event('github', 'ping');
    a.metrics.event('github', 'ping');
    b.metrics.event('github', 'ping');
    const sa = (await scrape(a.url)).samples;
    const sb = (await scrape(b.url)).samples;
    assert.equal(sa.get('heartbeat_events_total{source="github",type="ping"}'), 2);
    assert.equal(sb.get('heartbeat_events_total{source="github",type="ping"}'), 1);
    assert.ok(sa.has('heartbeat_process_cpu_seconds_total'));
    assert.ok(!sb.has('heartbeat_process_cpu_seconds_total'), 'default metrics can be left out');
    assert.equal(sa.get('heartbeat_jobs{platform="github",state="waiting"}'), 0);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('ServiceMetrics: results, dry runs and skips; error statuses; odd event types collapse; jobs from a queue stats()', async () => {
  const m = new ServiceMetrics({ defaultMetrics: false });
  m.reviewed('gerrit', 0.2, { posted: true, apiCalls: 5, severities: { error: 2, warning: 1 } });
  m.reviewed('gerrit', 0.1, { skipped: 'already reviewed', posted: false, apiCalls: 2 });
  m.reviewed('github', 0.1, { dryRun: {}, apiCalls: 3 });
  m.failed('gerrit', 1, Object.assign(new Error('x'), { status: 503 }));
  m.failed('gerrit', 1, new Error('socket hang up'));
  m.failed('github', 1, { response: { status: 422 } });
  m.event('gerrit-webhook', 'patchset-created');
  m.event('gerrit-webhook', 'x y{z}="1"');
  m.observeQueue('github', { stats: () => Promise.resolve({ waiting: 3, running: 1, done: 10, dead: 1, leased: 4 }) });
  m.observeQueue('gerrit', { stats: () => Promise.reject(new Error('redis down')) });
  const s = samples((await m.text()).body);
  assert.equal(s.get('heartbeat_reviews_total{platform="gerrit",result="posted"}'), 1);
  assert.equal(s.get('heartbeat_reviews_total{platform="gerrit",result="skipped"}'), 1);
  assert.equal(s.get('heartbeat_reviews_total{platform="github",result="dry_run"}'), 1);
  assert.equal(s.get('heartbeat_reviews_total{platform="gerrit",result="failed"}'), 2);
  assert.equal(s.get('heartbeat_api_calls_total{platform="gerrit"}'), 7);
  assert.equal(s.get('heartbeat_api_errors_total{platform="gerrit",status="503"}'), 1);
  assert.equal(s.get('heartbeat_api_errors_total{platform="gerrit",status="none"}'), 1);
  assert.equal(s.get('heartbeat_api_errors_total{platform="github",status="422"}'), 1);
  assert.equal(s.get('heartbeat_review_findings_total{platform="gerrit",severity="warning"}'), 1);
  assert.equal(s.get('heartbeat_events_total{source="gerrit-webhook",type="other"}'), 1);
  assert.equal(s.get('heartbeat_jobs{platform="github",state="dead"}'), 1);
  assert.equal(s.get('heartbeat_jobs{platform="github",state="delayed"}'), 0, 'a state the queue does not report is 0');
  assert.equal(s.get('heartbeat_jobs{platform="github",state="leased"}'), 4, 'and one it reports besides is kept');
  assert.ok(![...s.keys()].some((k) => k.includes('platform="gerrit",state=')), 'an unreachable queue is left out, the scrape still works');
  assert.equal(statusOf(undefined), 'none');
  assert.equal(statusOf({ status: 99 }), 'none');
});

test('countingRules: every report counts under its rule and still reaches the engine', () => {
  const m = new ServiceMetrics({ defaultMetrics: false });
  const rule: Rule = {
    meta: { id: 'demo-rule', description: 'd', severity: 'warning', kinds: [], references: [] },
    check(context) {
      const range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
      context.report({ path: 'a', range, message: 'one' });
      context.report({ path: 'a', range, message: 'two' });
      assert.equal(context.release, 'wallaby' as unknown, 'other context properties are visible');
    },
  };
  const [wrapped] = m.countingRules('github', [rule]);
  assert.equal(wrapped?.meta, rule.meta);
  const reported: string[] = [];
  wrapped?.check({ release: 'wallaby', report: (input: { message: string }) => reported.push(input.message) } as unknown as Parameters<Rule['check']>[0]);
  assert.deepEqual(reported, ['one', 'two']);
  return m.text().then(({ body }) => assert.equal(samples(body).get('heartbeat_findings_total{platform="github",rule="demo-rule"}'), 2));
});
