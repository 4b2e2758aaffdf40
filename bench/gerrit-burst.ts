/**
 * A burst of 200 patch sets through the real service against the fake Gerrit: 200 changes of 1 to 10 files
 * (Puppet manifests, hiera, nova.conf, Apache vhosts, TripleO and kolla YAML, docs; some with findings, some
 * clean), their 200 `patchset-created` events sent at once over SSH stream-events (default) or as webhooks-plugin
 * POSTs (`--webhook`), reviewed by the service's workers (default concurrency 4) and posted to the fake over HTTP.
 *
 * Prints: events/s accepted (first event sent -> the 200th queued), reviews/s completed (first event sent -> last
 * review posted), review latency p50/p99 (event received by the service -> review posted) and API calls per review.
 *
 * Then the service's own time per review: --sequential (default 100) typical changes (1 to 10 files), each event
 * sent once the previous review is posted, so nothing queues; own time = event received -> review posted, minus
 * the time any of the service's requests to the fake was in flight (the fake's latency). Jobs go through the
 * SQLite queue in a scratch DATA_DIR, as `npm start` runs them.
 *
 *   npm run build && node dist/bench/gerrit-burst.js [--webhook] [--events 200] [--concurrency 4] [--delay-ms 0] [--sequential 100] [--queue sqlite|memory]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server.js';
import { SqliteQueue } from '../src/service/sqlite-queue.js';
import type { GerritJob } from '../src/service/job-queue.js';
import { inFlightTracker } from './bench-helpers.js';
import type { GerritServiceConfig } from '../src/service/gerrit-env.js';
import type { ServiceConfig } from '../src/service/read-env.js';
import { startFakeGerrit, type FileInput } from '../test/fakes/gerrit/fake-gerrit.js';
import { percentile } from '../test/service/process-harness.js';

const { values } = parseArgs({
  options: {
    webhook: { type: 'boolean' },
    events: { type: 'string' },
    concurrency: { type: 'string' },
    'delay-ms': { type: 'string' },
    sequential: { type: 'string' },
    queue: { type: 'string' },
  },
});
const EVENTS = Number(values.events ?? 200);
const CONCURRENCY = Number(values.concurrency ?? 4);
const DELAY_MS = Number(values['delay-ms'] ?? 0);
const WEBHOOK = values.webhook === true;
const SEQUENTIAL = Number(values.sequential ?? 100);
/** `sqlite` (default, as `npm start` runs) or `memory` (startServer's in-process queue), to see what the store costs. */
const QUEUE = values.queue ?? 'sqlite';
const TOKEN = 'bench-token-0123456789abcdef0123';
const PROJECTS = ['openstack/puppet-nova', 'openstack/tripleo-heat-templates', 'openstack/kolla-ansible', 'openstack/puppet-oslo'];

/** Realistic deployment files; `i` varies values so contents differ between changes. */
const TEMPLATES: ((i: number) => FileInput)[] = [
  (i) => ({
    path: `manifests/wsgi/apache_api_${i}.pp`,
    oldContent: "class nova::wsgi::apache_api (\n  $workers = $facts['os_workers'],\n  $threads = 1,\n) {\n}\n",
    newContent: `class { 'nova::wsgi::apache_api':\n  workers => ${4 + (i % 4)},\n  threads => ${i % 3 === 0 ? 1 : 4},\n  ssl     => false,\n}\n`,
  }),
  (i) => ({
    path: `environments/nova-api-${i}.yaml`,
    oldContent: 'parameter_defaults:\n  NovaWorkers: 4\n',
    newContent: `parameter_defaults:\n  NovaWorkers: ${4 + (i % 8)}\n  ControllerExtraConfig:\n    nova::wsgi::apache_api::threads: ${i % 2 === 0 ? 1 : 8}\n    oslo::messaging::rabbit::heartbeat_timeout_threshold: ${i % 5 === 0 ? 0 : 60}\n`,
  }),
  (i) => ({
    path: `etc/nova/nova-${i}.conf`,
    oldContent: '[DEFAULT]\ndebug = false\n\n[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 60\n',
    newContent: `[DEFAULT]\ndebug = false\ntransport_url = rabbit://nova:secret@ctl${i % 3}:5672/\n\n[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = ${i % 4 === 0 ? 0 : 60}\nheartbeat_rate = 2\nrabbit_ha_queues = true\n`,
  }),
  (i) => ({
    path: `templates/httpd/10-nova_api_wsgi_${i}.conf`,
    newContent: [
      '<VirtualHost *:8774>',
      '  ServerName nova-api',
      `  WSGIDaemonProcess nova-api processes=${2 + (i % 6)} threads=${i % 2 === 0 ? 1 : 4} user=nova group=nova display-name=nova-api`,
      '  WSGIProcessGroup nova-api',
      '  WSGIScriptAlias / "/var/www/cgi-bin/nova/nova-api"',
      '</VirtualHost>',
      '',
    ].join('\n'),
  }),
  (i) => ({
    path: `hieradata/role/controller-${i}.yaml`,
    oldContent: '---\nnova::api::enabled: true\n',
    newContent: `---\nnova::api::enabled: true\nnova::wsgi::apache_api::threads: ${1 + (i % 3)}\nnova::wsgi::apache_api::workers: 8\nnova::rabbit_heartbeat_timeout_threshold: ${i % 6 === 0 ? 0 : 60}\n`,
  }),
  (i) => ({
    path: `etc/kolla/globals-${i}.yml`,
    oldContent: '---\nkolla_base_distro: "ubuntu"\n',
    newContent: `---\nkolla_base_distro: "ubuntu"\nopenstack_release: "2023.1"\nnova_api_workers: ${2 + (i % 5)}\nenable_haproxy: "yes"\n`,
  }),
  (i) => ({
    path: `manifests/init_${i}.pp`,
    oldContent: "class oslo_wrapper {\n  oslo::messaging::rabbit { 'nova_config':\n    heartbeat_timeout_threshold => 60,\n  }\n}\n",
    newContent: `class oslo_wrapper {\n  oslo::messaging::rabbit { 'nova_config':\n    heartbeat_timeout_threshold => ${i % 3 === 0 ? 0 : 60},\n    heartbeat_rate              => 2,\n  }\n}\n`,
  }),
  (i) => ({ path: `doc/source/install/nova-${i}.rst`, oldContent: 'Nova\n====\n', newContent: `Nova\n====\n\nRun nova-api with ${i % 5} workers.\n` }),
  (i) => ({
    path: `deployment/nova/nova-api-container-puppet-${i}.yaml`,
    oldContent: 'heat_template_version: wallaby\nparameters:\n  NovaWorkers:\n    default: 0\n    type: number\n',
    newContent: `heat_template_version: wallaby\nparameters:\n  NovaWorkers:\n    default: ${i % 7}\n    type: number\n  NovaApiThreads:\n    default: ${i % 2 === 0 ? 1 : 2}\n    type: number\n`,
  }),
  (i) => ({ path: `releasenotes/notes/tune-nova-${i}.yaml`, newContent: `---\nfixes:\n  - |\n    nova-api workers tuned (${i}).\n` }),
];

function filesOf(i: number): FileInput[] {
  const count = 1 + ((i * 7) % 10);
  return Array.from({ length: count }, (_, k) => TEMPLATES[(i + k * 3) % TEMPLATES.length]!(i * 10 + k));
}

async function main(): Promise<void> {
  const fake = await startFakeGerrit({ ssh: !WEBHOOK });
  if (DELAY_MS > 0) fake.delay(DELAY_MS);
  const gerrit: GerritServiceConfig = {
    url: fake.url,
    user: fake.user,
    password: fake.password,
    reviewWip: false,
    pollSeconds: 60,
    ...(WEBHOOK
      ? { webhookToken: TOKEN }
      : { ssh: { host: fake.ssh.host, port: fake.ssh.port, user: fake.ssh.user, privateKey: fake.sshClientKey.private, keyPath: '(bench)', hostKey: fake.ssh.hostKey } }),
  };
  const config: ServiceConfig = { port: 0, host: '127.0.0.1', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json', gerrit };
  const postedAt = new Map<string, number>();
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-gerrit-burst-'));
  const tracker = inFlightTracker();
  /** performance.now() when each change's review finished, and when its event was received (epoch ms -> now). */
  const doneAt = new Map<number, { done: number; received: number }>();
  const latencies: number[] = [];
  const apiCalls: number[] = [];
  const outcomes = { posted: 0, skipped: 0, findings: 0, comments: 0 };
  let lastDone = 0;
  const server = await startServer(config, {
    log: pino({ level: 'silent' }),
    gerrit: {
      concurrency: CONCURRENCY,
      fetch: tracker.fetch,
      ...(QUEUE === 'sqlite' ? { queue: new SqliteQueue<GerritJob>({ name: 'gerrit', dataDir }) } : {}),
      onReviewed: (job, outcome) => {
        const now = Date.now();
        lastDone = performance.now();
        doneAt.set(job.change, { done: lastDone, received: lastDone - (now - job.receivedAt) });
        postedAt.set(`${job.project}~${job.change}`, now);
        latencies.push(now - job.receivedAt);
        apiCalls.push(outcome.apiCalls);
        if (outcome.posted) outcomes.posted += 1;
        else outcomes.skipped += 1;
        outcomes.findings += outcome.findings;
        outcomes.comments += outcome.comments;
      },
    },
  });
  const source = server.gerrit!.source;
  if (!WEBHOOK) {
    await fake.waitForStreams(1);
    const end = Date.now() + 5000;
    while (source.status().lastCatchUp === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }

  const changes = Array.from({ length: EVENTS }, (_, i) => {
    const project = PROJECTS[i % PROJECTS.length]!;
    const number = 100_000 + i;
    fake.addChange({ project, number, branch: i % 3 === 0 ? 'stable/wallaby' : 'master', subject: `Tune deployment ${i}`, patchSets: [{ files: filesOf(i) }] });
    return { project, number };
  });
  const totalFiles = changes.reduce((n, _c, i) => n + filesOf(i).length, 0);

  const accepted0 = source.status().accepted;
  const started = performance.now();
  let acceptedAt = 0;
  if (WEBHOOK) {
    // The plugin sends events as they happen, each on its own request; all 200 at once here.
    const responses = await Promise.all(
      changes.map(async ({ project, number }) => {
        const { body, headers } = fake.webhookBody(fake.patchsetCreatedEvent(project, number));
        const r = await fetch(`${server.url}/gerrit/events?token=${TOKEN}`, { method: 'POST', headers, body });
        await r.text();
        return r.status;
      }),
    );
    acceptedAt = performance.now();
    const bad = responses.filter((s) => s !== 202).length;
    if (bad > 0) console.error(`${bad} webhook POSTs were not answered 202`);
  } else {
    for (const { project, number } of changes) fake.emitPatchsetCreated(project, number);
    while (source.status().accepted - accepted0 < EVENTS) await new Promise((r) => setImmediate(r));
    acceptedAt = performance.now();
  }
  const end = Date.now() + 300_000;
  while (latencies.length < EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  const acceptSeconds = (acceptedAt - started) / 1000;
  const reviewSeconds = (lastDone - started) / 1000;
  latencies.sort((a, b) => a - b);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

  console.log(`gerrit burst: ${EVENTS} patch-set events via ${WEBHOOK ? 'webhooks (POST /gerrit/events)' : 'SSH stream-events'}, ${totalFiles} files, concurrency ${CONCURRENCY}, ${QUEUE} queue${DELAY_MS > 0 ? `, fake Gerrit answering after ${DELAY_MS} ms` : ''}`);
  console.log(`  events accepted   ${(EVENTS / acceptSeconds).toFixed(0)} events/s  (${(acceptSeconds * 1000).toFixed(0)} ms for ${EVENTS})`);
  console.log(`  reviews completed ${(latencies.length / reviewSeconds).toFixed(1)} reviews/s  (${latencies.length} in ${reviewSeconds.toFixed(2)} s; ${outcomes.posted} posted, ${outcomes.skipped} skipped)`);
  console.log(`  review latency    p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms  (event received -> review posted)`);
  console.log(`  API calls/review  ${mean(apiCalls).toFixed(1)} (min ${Math.min(...apiCalls)}, max ${Math.max(...apiCalls)}); ${outcomes.findings} findings, ${outcomes.comments} inline comments`);
  console.log(`  fake Gerrit saw   ${fake.requests.length} HTTP requests, ${fake.reviews.filter((r) => r.status === 200).length} reviews`);

  if (latencies.length < EVENTS) {
    console.error(`only ${latencies.length} of ${EVENTS} reviews finished`);
    process.exitCode = 1;
  }

  // Own time: one typical change at a time.
  const own: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const project = PROJECTS[i % PROJECTS.length]!;
    const number = 200_000 + i;
    fake.addChange({ project, number, branch: 'stable/wallaby', subject: `Tune deployment ${i}`, patchSets: [{ files: filesOf(i) }] });
    fake.emitPatchsetCreated(project, number);
    const until = Date.now() + 30_000;
    while (!doneAt.has(number) && Date.now() < until) await new Promise((r) => setImmediate(r));
    const t = doneAt.get(number);
    if (t === undefined) throw new Error(`review of ${project}~${number} did not finish`);
    wall.push(t.done - t.received);
    own.push(t.done - t.received - tracker.waitingMs(t.received, t.done));
  }
  own.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  if (SEQUENTIAL > 0) {
    console.log(`  own time/review   p50 ${percentile(own, 50).toFixed(1)} ms, p99 ${percentile(own, 99).toFixed(1)} ms  (${SEQUENTIAL} reviews one at a time; wall p50 ${percentile(wall, 50).toFixed(1)} ms, p99 ${percentile(wall, 99).toFixed(1)} ms incl. the fake's answers)`);
  }

  await server.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
