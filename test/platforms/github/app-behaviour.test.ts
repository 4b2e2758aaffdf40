/**
 * The GitHub App's configuration, dry run, rate limits and queue behaviour, end to end against the fake GitHub
 * with real webhook payloads sent to the running service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addPullRequest, HIERA, OWNER, pullRequestPayload, REPO, startHarness, writes } from '../../service/github-harness.js';

test('.github/heartbeat-bot.yml on the default branch turns a rule off; unknown keys are shown in the check run', async () => {
  const h = await startHarness();
  try {
    h.fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', 'rules:\n  nova-wsgi-threads-not-1: off\nbogus: 1\n');
    const pr = addPullRequest(h);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    const run = h.fake.state.checkRuns[0];
    assert.equal(run?.conclusion, 'success', run?.output.summary ?? '');
    assert.equal(run?.annotations.length, 0);
    // Read as written (in the pull request query), so the problem has its line.
    assert.match(run?.output.summary ?? '', /\.github\/heartbeat-bot\.yml:3:1: bogus: unknown key/);
    assert.equal(h.fake.state.reviews.length, 0);
  } finally {
    await h.close();
  }
});

test('the App reads its configuration within the pull request query: a first review costs 4 API calls', async () => {
  const h = await startHarness();
  try {
    h.fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', 'rules:\n  heartbeat-disabled: info\n');
    const pr = addPullRequest(h, { files: [{ path: 'manifests/nova_api.pp', newContent: "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n" }, { path: 'hieradata/common.yaml', newContent: HIERA }] });
    h.fake.clearRequests();
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    const calls = h.fake.requests.filter((r) => !r.path.endsWith('/access_tokens')).map((r) => `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '')}`);
    assert.deepEqual(calls, [`GET /pulls/${pr.number}/files`, 'POST /graphql', `POST /pulls/${pr.number}/reviews`, 'POST /check-runs']);
    const query = h.fake.graphqlRequests('HeartbeatPullRequest')[0]!.body as { variables: Record<string, unknown> };
    assert.equal(query.variables.withAppConfig, true);
    // The configuration applied: heartbeat-disabled is info, the threads error stays an error.
    const run = h.fake.state.checkRuns[0];
    assert.equal(run?.conclusion, 'failure');
    assert.ok(run?.annotations.some((a) => a.annotation_level === 'notice' && /heartbeat-disabled/.test(a.title ?? '')), JSON.stringify(run?.annotations));
  } finally {
    await h.close();
  }
});

test('a configuration with _extends is read through Probot\'s plugin, which follows it', async () => {
  const h = await startHarness();
  try {
    h.fake.setFile(OWNER, 'shared-config', 'main', '.github/heartbeat-bot.yml', 'rules:\n  nova-wsgi-threads-not-1: off\n');
    h.fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', '_extends: shared-config\n');
    const pr = addPullRequest(h);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'success', h.fake.state.checkRuns[0]?.output.summary ?? '');
    assert.ok(h.fake.requests.some((r) => r.method === 'GET' && r.path.includes('/shared-config/contents/')), 'the plugin followed _extends');
  } finally {
    await h.close();
  }
});

test('a configuration in the owner\'s .github repository applies, as Probot\'s context.config reads it', async () => {
  const h = await startHarness();
  try {
    h.fake.setFile(OWNER, '.github', 'main', '.github/heartbeat-bot.yml', 'rules:\n  nova-wsgi-threads-not-1: info\n');
    const pr = addPullRequest(h);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    const run = h.fake.state.checkRuns[0];
    assert.equal(run?.conclusion, 'neutral');
    assert.equal(run?.annotations[0]?.annotation_level, 'notice');
  } finally {
    await h.close();
  }
});

test('a configuration in the pull request itself cannot switch rules off for it', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h, {
      files: [
        { path: 'manifests/nova_api.pp', newContent: "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n" },
        { path: '.github/heartbeat-bot.yml', newContent: 'rules:\n  nova-wsgi-threads-not-1: off\n' },
      ],
    });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'failure');
  } finally {
    await h.close();
  }
});

test('DRY_RUN: the review runs, nothing is written to GitHub, and what would be posted is logged', async () => {
  const h = await startHarness({ config: { dryRun: true } });
  try {
    const pr = addPullRequest(h, { files: [{ path: 'hieradata/common.yaml', newContent: HIERA }] });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    // GraphQL queries are POSTs that only read: every other request is a GET.
    const graphql = h.fake.graphqlRequests();
    assert.ok(graphql.length > 0 && graphql.every((r) => /^\s*query\b/.test((r.body as { query: string }).query)));
    assert.deepEqual(writes(h).filter((w) => w !== 'POST /graphql'), []);
    assert.equal(h.fake.state.checkRuns.length, 0);
    assert.ok(h.logs.some((l) => l.msg === 'DRY_RUN: nothing posted' && l.wouldPost !== undefined));
    assert.ok(h.fake.requestsTo('GET', `/pulls/${pr.number}/files`).length > 0, 'the pull request was read');
  } finally {
    await h.close();
  }
});

test('a secondary rate limit (403, retry-after) is retried after retry-after and the review completes', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    h.fake.failNext({ preset: 'secondary-rate-limit', method: 'POST', path: '/check-runs' });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    const posts = h.fake.requestsTo('POST', `/repos/${OWNER}/${REPO}/check-runs`);
    assert.deepEqual(posts.map((r) => [r.status, r.injected]), [[403, true], [201, false]]);
    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'failure');
    assert.ok(h.logs.some((l) => /^GitHub: rate limited \(403\), retry-after 1s; retrying$/.test(String(l.msg)) && String(l.route).includes('check-runs')), 'retried by the platform, after retry-after');
  } finally {
    await h.close();
  }
});

test('5xx answers are retried and the review completes', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    h.fake.failNext({ preset: 'bad-gateway', method: 'GET', path: `/pulls/${pr.number}/files` });
    h.fake.failNext({ preset: 'server-error', method: 'PATCH', path: '/check-runs/' });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns[0]?.status, 'completed');
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'failure');
    assert.equal(h.fake.state.reviews.length, 1);
  } finally {
    await h.close();
  }
});

test('a push while a review waits supersedes it: only the newest head is reviewed', async () => {
  const h = await startHarness({ overrides: { app: { concurrency: 1 } } });
  try {
    const first = addPullRequest(h, { number: 1 });
    const pr = addPullRequest(h, { number: 2 });
    // Hold the worker on pull request 1 so the events for pull request 2 queue up behind it.
    h.fake.delay(300, { path: '/pulls/1', times: 1 });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', first.number))).status, 200);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    const newSha = h.fake.pushCommit(OWNER, REPO, pr.number, { files: [{ path: 'hieradata/common.yaml', newContent: HIERA }] });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'synchronize', pr.number))).status, 200);
    await h.settle();
    const runs = h.fake.state.checkRuns.filter((r) => r.head_sha !== first.headSha);
    assert.deepEqual(runs.map((r) => r.head_sha), [newSha]);
    assert.ok(h.logs.some((l) => l.result === 'superseded'));
  } finally {
    await h.close();
  }
});

test('pull_request.closed and other actions are not reviewed', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    const closed = pullRequestPayload(h, 'closed', pr.number);
    assert.equal((await h.send('pull_request', closed)).status, 200);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'labeled', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.requests.filter((r) => r.path.startsWith('/repos/')).length, 0);
  } finally {
    await h.close();
  }
});

test('stopping (SIGTERM) finishes the queued reviews first, then refuses connections', async () => {
  const h = await startHarness({ overrides: { app: { concurrency: 1 } } });
  try {
    const a = addPullRequest(h, { number: 1 });
    const b = addPullRequest(h, { number: 2 });
    h.fake.delay(200, { path: '/pulls/1/files', times: 1 });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', a.number))).status, 200);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', b.number))).status, 200);
    assert.ok(h.server.queue.depth() >= 1, 'one review waits while the other runs');
    await h.server.close();
    assert.deepEqual(h.fake.state.checkRuns.map((r) => [r.head_sha, r.status]).sort(), [[a.headSha, 'completed'], [b.headSha, 'completed']].sort());
    await assert.rejects(fetch(`${h.server.url}/healthz`));
  } finally {
    await h.close();
  }
});
