/**
 * End-to-end harness for the GitHub App: the real service (startServer) on 127.0.0.1:0 against the fake GitHub,
 * and real webhook payloads from @octokit/webhooks-examples, patched to name the fake's pull request, signed with
 * the test secret and POSTed over HTTP as GitHub sends them.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server.js';
import type { ServiceConfig } from '../../src/service/read-env.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github/fake-github.js';

export const SECRET = "It's a Secret to Everybody";

/**
 * POSTs one webhook delivery to `<url>/api/github/webhooks` as GitHub sends it: the event, a delivery id, the hook
 * headers and the body's HMAC-SHA256 signature with `secret` (default SECRET), or `signature` as given.
 */
export function postGitHubWebhook(
  url: string,
  event: string,
  body: string,
  options: { secret?: string; signature?: string; delivery?: string; appId?: number; fetch?: typeof fetch } = {},
): Promise<Response> {
  const signature = options.signature ?? `sha256=${createHmac('sha256', options.secret ?? SECRET).update(body).digest('hex')}`;
  return (options.fetch ?? fetch)(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-github-hook-id': '292430182',
      ...(options.appId !== undefined ? { 'x-github-hook-installation-target-id': String(options.appId), 'x-github-hook-installation-target-type': 'integration' } : {}),
      'x-hub-signature-256': signature,
    },
    body,
  });
}
export const OWNER = 'openstack-ops';
export const REPO = 'deployment';

type Examples = { name: string; examples: Record<string, unknown>[] }[];
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as Examples;

/** The first example payload of `event` with `action` (a deep copy). */
export function example(event: string, action: string): Record<string, unknown> {
  const found = examples.find((e) => e.name === event)?.examples.find((x) => x.action === action);
  if (found === undefined) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  return structuredClone(found);
}

/** A Puppet manifest whose WSGI threads break the heartbeat on an eventlet-patched release (error on wallaby). */
export const THREADS_PP = "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n";
/** A hiera file with two findings. */
export const HIERA = 'nova::wsgi::apache_api::threads: 4\nnova::rabbit_heartbeat_timeout_threshold: 0\n';

export interface Harness {
  fake: FakeGitHub;
  server: RunningServer;
  /** Log lines the service wrote (JSON objects). */
  logs: Record<string, unknown>[];
  send(event: string, payload: unknown, options?: { secret?: string; delivery?: string; signature?: string }): Promise<{ status: number; body: string; ms: number }>;
  /** Waits until the queue is empty and no review runs. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { config?: Partial<ServiceConfig>; overrides?: ServerOverrides; fake?: FakeGitHubOptions } = {},
): Promise<Harness> {
  const fake = await startFakeGitHub(options.fake);
  const logs: Record<string, unknown>[] = [];
  const log: Logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const config: ServiceConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir: './var',
    botName: 'heartbeat-bot',
    dryRun: false,
    logLevel: 'debug',
    logFormat: 'json',
    github: { appId: fake.appId, privateKey: fake.privateKey, webhookSecret: SECRET },
    ...options.config,
  };
  const server = await startServer(config, {
    baseUrl: fake.url,
    log,
    // GitHub asks for a second between writes and the service keeps to it; tests need not wait.
    pacing: { writeSpacingMs: 0 },
    retry: { retryAfterBaseValue: 10 },
    drainTimeoutMs: 5000,
    ...options.overrides,
    app: { retry: { baseDelayMs: 10 }, ...options.overrides?.app },
  });
  const send: Harness['send'] = async (event, payload, opts = {}) => {
    const started = performance.now();
    const response = await postGitHubWebhook(server.url, event, JSON.stringify(payload), { appId: fake.appId, ...opts });
    return { status: response.status, body: await response.text(), ms: performance.now() - started };
  };
  return {
    fake,
    server,
    logs,
    send,
    settle: () => server.queue.drain(),
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

/** Adds a pull request to the fake: one relevant Puppet file by default, base `stable/wallaby`. */
export function addPullRequest(
  h: Harness,
  input: { number?: number; draft?: boolean; files?: { path: string; newContent: string; oldContent?: string }[]; baseRef?: string } = {},
): { number: number; headSha: string; baseSha: string } {
  const ref = h.fake.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number: input.number ?? 7,
    title: 'Tune nova-api',
    draft: input.draft ?? false,
    base: { ref: input.baseRef ?? 'stable/wallaby' },
    head: { ref: 'tune-nova-api' },
    files: input.files ?? [{ path: 'manifests/nova_api.pp', newContent: THREADS_PP }],
  });
  return { number: ref.number, headSha: ref.headSha, baseSha: ref.baseSha };
}

/** The real `pull_request` example payload for `action`, patched to describe the fake's pull request. */
export function pullRequestPayload(h: Harness, action: string, number: number): Record<string, unknown> {
  const payload = example('pull_request', action);
  const pr = h.fake.pullRequestJson(OWNER, REPO, number);
  return {
    ...payload,
    action,
    number,
    pull_request: { ...(payload.pull_request as object), ...pr },
    repository: h.fake.repositoryJson(OWNER, REPO),
    installation: { id: h.fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: { ...(payload.sender as object), login: 'octocat', type: 'User' },
  };
}

/** The real `check_run.rerequested` example, for a check run of ours on the pull request's head. */
export function checkRunPayload(h: Harness, number: number, headSha: string, name = 'heartbeat-bot'): Record<string, unknown> {
  const payload = example('check_run', 'rerequested');
  const checkRun = payload.check_run as Record<string, unknown>;
  return {
    ...payload,
    check_run: {
      ...checkRun,
      name,
      head_sha: headSha,
      check_suite: { ...(checkRun.check_suite as object), head_sha: headSha, pull_requests: [] },
      pull_requests: [pullSummary(h, number)],
    },
    repository: h.fake.repositoryJson(OWNER, REPO),
    installation: { id: h.fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: { login: 'octocat', id: 583231, type: 'User' },
  };
}

/** The real `check_suite.rerequested` example, for the suite of the pull request's head. */
export function checkSuitePayload(h: Harness, number: number, headSha: string): Record<string, unknown> {
  const payload = example('check_suite', 'rerequested');
  return {
    ...payload,
    check_suite: { ...(payload.check_suite as object), head_sha: headSha, pull_requests: [pullSummary(h, number)] },
    repository: h.fake.repositoryJson(OWNER, REPO),
    installation: { id: h.fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: { login: 'octocat', id: 583231, type: 'User' },
  };
}

/** A pull request as check events list it: number, head and base with their repository. */
function pullSummary(h: Harness, number: number): Record<string, unknown> {
  const pr = h.fake.pullRequestJson(OWNER, REPO, number) as { url: string; id: number; number: number; head: Record<string, unknown>; base: Record<string, unknown> };
  const repo = h.fake.repositoryJson(OWNER, REPO) as { id: number; url: string; name: string };
  const short = { id: repo.id, url: repo.url, name: repo.name };
  return {
    url: pr.url,
    id: pr.id,
    number: pr.number,
    head: { ref: pr.head.ref, sha: pr.head.sha, repo: short },
    base: { ref: pr.base.ref, sha: pr.base.sha, repo: short },
  };
}

/** Writes (POST/PATCH/PUT/DELETE) the fake received, as `METHOD path`. */
export function writes(h: Harness): string[] {
  return h.fake.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens')).map((r) => `${r.method} ${r.path}`);
}
