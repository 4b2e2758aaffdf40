/**
 * The service's pacing of GitHub writes (GitHub's advice: a second between mutating requests of one client), in
 * place of the throttling plugin: writes of one installation are spaced across Octokit instances, reads and
 * GraphQL queries go at once, other installations have their own lane, 0 turns it off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMutating, pacing } from '../../../src/platforms/github/pacing.js';

type Params = { method?: string; url?: string; query?: unknown } & Record<string, unknown>;

/** A stand-in for an Octokit instance: the wrapped request records when each request started. */
function instance(auth: unknown, spacing: number, started: { at: number; what: string }[]) {
  let wrapped: ((params: Params) => Promise<unknown>) | undefined;
  const hook = {
    wrap(_name: 'request', fn: (request: (p: Params) => Promise<unknown>, params: Params) => Promise<unknown>) {
      wrapped = (params) => fn(async (p) => started.push({ at: performance.now(), what: `${p.method} ${p.url}` }), params);
    },
  };
  pacing({ hook }, { pacing: { writeSpacingMs: spacing }, auth });
  return (params: Params) => (wrapped ?? (async () => started.push({ at: performance.now(), what: `${params.method} ${params.url}` })))(params);
}

test('writes of one installation are a spacing apart, across instances; reads and queries are not held', async () => {
  const started: { at: number; what: string }[] = [];
  const a = instance({ appId: 1, installationId: 42 }, 120, started);
  const b = instance({ appId: 1, installationId: 42 }, 120, started);
  const t0 = performance.now();
  await Promise.all([
    a({ method: 'POST', url: '/repos/o/r/check-runs' }),
    b({ method: 'POST', url: '/repos/o/r/pulls/1/reviews' }),
    a({ method: 'PATCH', url: '/repos/o/r/check-runs/1' }),
    b({ method: 'GET', url: '/repos/o/r/pulls/1/files' }),
    a({ method: 'POST', url: '/graphql', query: 'query Q { viewer { login } }' }),
  ]);
  const at = (what: string) => started.find((s) => s.what === what)!.at - t0;
  assert.ok(at('GET /repos/o/r/pulls/1/files') < 60, 'a read is not held behind writes');
  assert.ok(at('POST /graphql') < 60, 'a GraphQL query is a read');
  const writes = started.filter((s) => !s.what.startsWith('GET') && !s.what.includes('graphql')).map((s) => s.at).sort((x, y) => x - y);
  assert.equal(writes.length, 3);
  for (let i = 1; i < writes.length; i++) assert.ok(writes[i]! - writes[i - 1]! >= 115, `writes ${Math.round(writes[i]! - writes[i - 1]!)} ms apart`);
});

test('another installation has its own lane; spacing 0 turns pacing off', async () => {
  const started: { at: number; what: string }[] = [];
  const one = instance({ installationId: 1 }, 500, started);
  const two = instance({ installationId: 2 }, 500, started);
  const off = instance({ installationId: 3 }, 0, started);
  const t0 = performance.now();
  await Promise.all([one({ method: 'POST', url: '/a' }), two({ method: 'POST', url: '/b' }), off({ method: 'POST', url: '/c' }), off({ method: 'POST', url: '/d' })]);
  for (const s of started) assert.ok(s.at - t0 < 100, `${s.what} started at once`);
  assert.equal(started.length, 4);
});

test('what counts as a write', () => {
  assert.equal(isMutating('GET', '/repos/o/r', undefined), false);
  assert.equal(isMutating('POST', '/repos/o/r/check-runs', undefined), true);
  assert.equal(isMutating('DELETE', '/repos/o/r/x', undefined), true);
  assert.equal(isMutating('POST', '/graphql', 'query HeartbeatPullRequest { x }'), false);
  assert.equal(isMutating('POST', 'https://ghe.example/api/graphql', '  mutation M { x }'), true);
});
