/**
 * The GitHub App end to end: the real service (npm start's startServer) against the fake GitHub, driven by real
 * webhook payloads from @octokit/webhooks-examples, signed and sent over HTTP. Asserts what GitHub would have
 * received: check runs, reviews, and nothing more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPullRequest,
  checkRunPayload,
  checkSuitePayload,
  HIERA,
  OWNER,
  pullRequestPayload,
  REPO,
  startHarness,
  writes,
} from '../../service/github-harness.js';

test('pull_request.opened: answered at once, then one check run (failure, annotated) and one review', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    const sent = await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number));
    assert.equal(sent.status, 200, sent.body);
    assert.ok(sent.ms < 2000, `answered in ${sent.ms} ms`);
    await h.settle();

    const runs = h.fake.state.checkRuns;
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.name, 'heartbeat-bot');
    assert.equal(run.head_sha, pr.headSha);
    assert.equal(run.status, 'completed');
    assert.equal(run.conclusion, 'failure');
    assert.equal(run.annotations.length, 1);
    assert.equal(run.annotations[0]?.path, 'manifests/nova_api.pp');
    assert.equal(run.annotations[0]?.annotation_level, 'failure');
    assert.match(run.output.summary ?? '', /nova-wsgi-threads-not-1/);

    assert.equal(h.fake.state.reviews.length, 1);
    assert.equal(h.fake.state.reviews[0]?.state, 'COMMENTED');
    const comments = h.fake.state.reviewComments;
    assert.equal(comments.length, 1);
    assert.equal(comments[0]?.path, 'manifests/nova_api.pp');
    assert.match(comments[0]?.body ?? '', /https:\/\/bugs\.launchpad\.net\/nova\/\+bug\/1829062/);

    // The installation token was used, not the App JWT, for everything about the repository.
    const repoCalls = h.fake.requests.filter((r) => r.path.startsWith(`/repos/${OWNER}/${REPO}`));
    assert.ok(repoCalls.length > 0);
    assert.ok(repoCalls.every((r) => r.auth === 'installation'), JSON.stringify(repoCalls.map((r) => [r.path, r.auth])));
  } finally {
    await h.close();
  }
});

test('a repeated delivery and a synchronize for the same head post nothing new', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h, { files: [{ path: 'hieradata/common.yaml', newContent: HIERA }] });
    const payload = pullRequestPayload(h, 'opened', pr.number);
    assert.equal((await h.send('pull_request', payload, { delivery: 'd-1' })).status, 200);
    await h.settle();
    const after = writes(h);
    const comments = h.fake.state.reviewComments.length;
    assert.ok(comments >= 1);

    assert.equal((await h.send('pull_request', payload, { delivery: 'd-1' })).status, 200);
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'synchronize', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.reviews.length, 1, 'no second review');
    assert.equal(h.fake.state.reviewComments.length, comments, 'no repeated comments');
    assert.equal(h.fake.state.checkRuns.length, 1, 'the check run of the head SHA is reused');
    const again = writes(h).slice(after.length);
    assert.ok(!again.some((w) => w.startsWith('POST') && w.endsWith('/reviews')), again.join('\n'));
  } finally {
    await h.close();
  }
});

test('two deliveries in a burst are one review: the second is a duplicate in the queue', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    h.fake.delay(50, { path: '/pulls/' });
    const payload = pullRequestPayload(h, 'opened', pr.number);
    const [a, b] = await Promise.all([h.send('pull_request', payload), h.send('pull_request', pullRequestPayload(h, 'reopened', pr.number))]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    await h.settle();
    assert.equal(h.fake.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${OWNER}/${REPO}/pulls/${pr.number}/files`).length, 1);
    assert.equal(h.fake.graphqlRequests('HeartbeatPullRequest').length, 1);
    assert.ok(h.logs.some((l) => l.result === 'duplicate'), 'the queue says duplicate');
  } finally {
    await h.close();
  }
});

test('a bad signature is refused (400/401) and nothing is requested from GitHub', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    h.fake.clearRequests();
    const wrongSecret = await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number), { secret: 'not the secret' });
    assert.ok(wrongSecret.status === 400 || wrongSecret.status === 401, `status ${wrongSecret.status}`);
    const garbage = await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number), { signature: 'sha256=00' });
    assert.ok(garbage.status === 400 || garbage.status === 401, `status ${garbage.status}`);
    await h.settle();
    assert.equal(h.fake.requests.length, 0);
    assert.equal(h.server.queue.depth(), 0);
  } finally {
    await h.close();
  }
});

test('a draft pull request gets a neutral check run and no review', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h, { draft: true });
    assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', pr.number))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'neutral');
    assert.equal(h.fake.state.reviews.length, 0);
  } finally {
    await h.close();
  }
});

test('check_run.rerequested for our check run re-reviews; for another app\'s check run it is ignored', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    assert.equal((await h.send('check_run', checkRunPayload(h, pr.number, pr.headSha, 'some-other-ci'))).status, 200);
    await h.settle();
    assert.equal(h.fake.requests.filter((r) => r.path.startsWith('/repos/')).length, 0, 'another check run is not ours to re-run');

    assert.equal((await h.send('check_run', checkRunPayload(h, pr.number, pr.headSha))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]?.conclusion, 'failure');
    assert.equal(h.fake.state.reviews.length, 1);
  } finally {
    await h.close();
  }
});

test('check_suite.rerequested reviews the open pull requests of the suite', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    assert.equal((await h.send('check_suite', checkSuitePayload(h, pr.number, pr.headSha))).status, 200);
    await h.settle();
    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]?.head_sha, pr.headSha);
  } finally {
    await h.close();
  }
});

test('events sent by the bot itself are ignored', async () => {
  const h = await startHarness();
  try {
    const pr = addPullRequest(h);
    const payload = pullRequestPayload(h, 'synchronize', pr.number);
    payload.sender = { login: 'heartbeat-bot[bot]', id: 104242, type: 'Bot' };
    assert.equal((await h.send('pull_request', payload)).status, 200);
    await h.settle();
    assert.equal(h.fake.requests.length, 0);
  } finally {
    await h.close();
  }
});
