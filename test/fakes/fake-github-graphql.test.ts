/**
 * The fake GitHub's GraphQL endpoint, driven by Octokit's own `graphql` client and plain fetch: queries are
 * validated and executed against GitHub's published schema, connections page and are limited as on GitHub, and
 * errors, authentication and rate limits answer in GitHub's shapes (200 with `errors`, RATE_LIMITED).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { blobSha, startFakeGitHub, type FakeGitHub } from './github/fake-github.js';

const OWNER = 'openstack-ops';
const REPO = 'deploy';
const log = { debug: (): void => {}, info: (): void => {}, warn: (): void => {}, error: (): void => {} };
const CONF = '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 60\n';

async function post(fake: FakeGitHub, body: unknown, token: string | undefined, path = '/graphql'): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('fake GitHub: GraphQL', () => {
  let fake: FakeGitHub;
  let token: string;
  let octokit: Octokit;
  let head: string;

  before(async () => {
    fake = await startFakeGitHub({ contentRateLimit: false });
  });
  after(async () => fake.close());
  beforeEach(() => {
    fake.reset();
    token = fake.installationToken();
    octokit = new Octokit({ log, baseUrl: fake.url, auth: token });
    head = fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 7,
      title: 'Heartbeats',
      base: { ref: 'main' },
      head: { ref: 'hb' },
      files: [
        { path: 'etc/nova/nova.conf', oldContent: CONF, newContent: CONF.replace('60', '0') },
        { path: 'logo.png', newContent: Buffer.from([0x89, 0x50, 0, 0, 1]), binary: true },
        { path: 'latin1.conf', newContent: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) },
      ],
    }).headSha;
  });

  it('answers a pull request, its threads, reviews, head check runs and blobs in one query', async () => {
    const review = await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      commit_id: head,
      event: 'COMMENT',
      body: 'review body',
      comments: [{ path: 'etc/nova/nova.conf', line: 2, side: 'RIGHT', body: 'top-level' }],
    });
    const top = fake.state.reviewComments[0]!;
    const reply = fake.addReply(top.id, 'a reply');
    await octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: OWNER, repo: REPO, name: 'heartbeat-bot', head_sha: head, status: 'completed', conclusion: 'neutral', output: { title: 't', summary: 's', annotations: [{ path: 'etc/nova/nova.conf', start_line: 2, end_line: 2, annotation_level: 'warning', message: 'm' }] } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deep answer read field by field below
    const data = await octokit.graphql<{ repository: Record<string, any> }>(
      `query Q($owner: String!, $repo: String!) {
        repository(owner: $owner, name: $repo) {
          pullRequest(number: 7) {
            number isDraft state title baseRefName headRefOid changedFiles
            files(first: 10) { totalCount nodes { path changeType additions deletions } }
            reviewThreads(first: 10) { totalCount nodes { comments(first: 5) { nodes { fullDatabaseId body path author { login } } } } }
            reviews(first: 10) { nodes { body fullDatabaseId } }
            commits(last: 1) { nodes { commit { oid checkSuites(first: 5) { nodes { app { slug } checkRuns(first: 5, filterBy: { checkName: "heartbeat-bot" }) { nodes { databaseId name status conclusion title summary url annotations { totalCount } } } } } } } }
          }
          conf: object(expression: "${head}:etc/nova/nova.conf") { ... on Blob { oid text byteSize isBinary isTruncated } }
          png: object(oid: "${blobSha(Buffer.from([0x89, 0x50, 0, 0, 1]))}") { ... on Blob { text isBinary } }
          latin: object(expression: "${head}:latin1.conf") { ... on Blob { text isBinary } }
          missing: object(expression: "${head}:nope") { id }
        }
      }`,
      { owner: OWNER, repo: REPO },
    );
    const pr = data.repository.pullRequest;
    assert.deepEqual([pr.number, pr.isDraft, pr.state, pr.title, pr.baseRefName, pr.headRefOid, pr.changedFiles], [7, false, 'OPEN', 'Heartbeats', 'main', head, 3]);
    assert.deepEqual(pr.files.nodes[0], { path: 'etc/nova/nova.conf', changeType: 'MODIFIED', additions: 1, deletions: 1 });
    assert.deepEqual(
      pr.reviewThreads.nodes[0].comments.nodes.map((c: { fullDatabaseId: string; body: string; author: { login: string } }) => [c.fullDatabaseId, c.body, c.author.login]),
      [
        [String(top.id), 'top-level', 'heartbeat-bot'],
        [String(reply.id), 'a reply', 'octocat'],
      ],
      'a thread: the top-level comment first, then its replies; BigInt ids as strings; bots without [bot]',
    );
    // A reply is a review of its own on GitHub, with an empty body.
    assert.deepEqual(pr.reviews.nodes, [
      { body: 'review body', fullDatabaseId: String((review.data as { id: number }).id) },
      { body: '', fullDatabaseId: String(reply.pull_request_review_id) },
    ]);
    const [suite] = pr.commits.nodes[0].commit.checkSuites.nodes;
    assert.equal(suite.app.slug, 'heartbeat-bot');
    const [run] = suite.checkRuns.nodes;
    assert.deepEqual([run.name, run.status, run.conclusion, run.title, run.summary, run.annotations.totalCount], ['heartbeat-bot', 'COMPLETED', 'NEUTRAL', 't', 's', 1]);
    assert.equal(run.url, `https://github.com/${OWNER}/${REPO}/runs/${run.databaseId}`);
    assert.deepEqual(data.repository.conf, { oid: blobSha(CONF.replace('60', '0')), text: CONF.replace('60', '0'), byteSize: CONF.length - 1, isBinary: false, isTruncated: false });
    assert.deepEqual(data.repository.png, { text: null, isBinary: true });
    assert.deepEqual(data.repository.latin, { text: 'caf\uFFFD\n', isBinary: false }, 'bytes that are not UTF-8 come out as U+FFFD');
    assert.equal(data.repository.missing, null);
  });

  it('truncates the text of a large blob and says so', async () => {
    const big = 'x'.repeat(600 * 1024);
    fake.setFile(OWNER, REPO, head, 'big.txt', big);
    const data = await octokit.graphql<{ repository: { big: { text: string; byteSize: number; isTruncated: boolean } } }>(
      `{ repository(owner: "${OWNER}", name: "${REPO}") { big: object(expression: "${head}:big.txt") { ... on Blob { text byteSize isTruncated } } } }`,
    );
    assert.deepEqual([data.repository.big.text.length, data.repository.big.byteSize, data.repository.big.isTruncated], [512 * 1024, big.length, true]);
  });

  it('answers errors as GitHub does: 200 with `errors` (schema, pagination, node limit, not found)', async () => {
    const unknown = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { pullRequest(number: 7) { patch } } }` }, token);
    assert.equal(unknown.status, 200);
    assert.match(JSON.stringify(unknown.json.errors), /Cannot query field \\"patch\\" on type \\"PullRequest\\"/);
    assert.equal(unknown.json.data, undefined);

    const unbounded = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { pullRequest(number: 7) { reviews { nodes { body } } } } }` }, token);
    assert.deepEqual(unbounded.json.errors, [{ type: 'MISSING_PAGINATION_BOUNDARIES', message: 'You must provide a `first` or `last` value to properly paginate the `reviews` connection.' }]);

    const tooMany = await post(fake, { query: `query($n: Int) { repository(owner: "${OWNER}", name: "${REPO}") { pullRequest(number: 7) { reviews(first: $n) { nodes { body } } } } }`, variables: { n: 101 } }, token);
    assert.deepEqual(tooMany.json.errors, [{ type: 'EXCESSIVE_PAGINATION', message: 'Requesting 101 records on the `reviews` connection exceeds the `first` limit of 100 records.' }]);

    const nodes = await post(
      fake,
      { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { pullRequests(first: 100) { nodes { reviewThreads(first: 100) { nodes { comments(first: 100) { nodes { body } } } } } } } }` },
      token,
    );
    assert.equal((nodes.json.errors as { type: string }[])[0]?.type, 'MAX_NODE_LIMIT_EXCEEDED');

    const missing = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "nope") { id } }` }, token);
    assert.deepEqual(missing.json, {
      data: { repository: null },
      errors: [{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 3 }], message: `Could not resolve to a Repository with the name '${OWNER}/nope'.` }],
    });

    const noPr = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { pullRequest(number: 99) { id } } }` }, token);
    assert.equal((noPr.json.errors as { type: string }[])[0]?.type, 'NOT_FOUND');
  });

  it('needs a token (401 without), reaches only the repositories the token does, and serves /api/graphql', async () => {
    const anonymous = await post(fake, { query: '{ viewer { login } }' }, undefined);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.message, 'This endpoint requires you to be authenticated.');
    fake.addInstallation({ id: 9, account: 'someone-else' });
    const other = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { id } }` }, fake.installationToken(9));
    assert.equal((other.json.errors as { type: string }[])[0]?.type, 'NOT_FOUND');
    const ghe = await post(fake, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { name } }` }, token, '/api/graphql');
    assert.deepEqual(ghe.json, { data: { repository: { name: REPO } } });
  });

  it('has a rate limit of its own, answered as 200 with RATE_LIMITED; queries are not content creation', async () => {
    const limited = await startFakeGitHub({ rateLimit: 2 });
    try {
      const t = limited.installationToken();
      limited.addPullRequest({ owner: OWNER, repo: REPO, number: 1, base: { ref: 'main' }, head: { ref: 'x' }, files: [{ path: 'a.conf', newContent: 'a\n' }] });
      const q = { query: `query Probe { repository(owner: "${OWNER}", name: "${REPO}") { name } }` };
      const answers = [await post(limited, q, t), await post(limited, q, t), await post(limited, q, t)];
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
      assert.deepEqual(answers[2]!.json, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] });
      assert.deepEqual([answers[1]!.headers.get('x-ratelimit-remaining'), answers[2]!.headers.get('x-ratelimit-resource')], ['0', 'graphql']);
      // REST has its own bucket.
      const rest = await fetch(`${limited.url}/repos/${OWNER}/${REPO}/pulls/1`, { headers: { authorization: `token ${t}` } });
      assert.equal(rest.status, 200);
      assert.deepEqual(limited.graphqlRequests('Probe').map((r) => r.operation), ['Probe', 'Probe', 'Probe']);
    } finally {
      await limited.close();
    }
    const strict = await startFakeGitHub({ contentRateLimit: { perMinute: 1, perHour: 1 } });
    try {
      const t = strict.installationToken();
      strict.addPullRequest({ owner: OWNER, repo: REPO, number: 1, base: { ref: 'main' }, head: { ref: 'x' }, files: [{ path: 'a.conf', newContent: 'a\n' }] });
      for (let i = 0; i < 3; i++) assert.ok((await post(strict, { query: `{ repository(owner: "${OWNER}", name: "${REPO}") { name } }` }, t)).json.data);
    } finally {
      await strict.close();
    }
  });

  it('fails the next request of an operation on demand (failNext with `operation`)', async () => {
    fake.failNext({ operation: 'Named', preset: 'graphql-rate-limit' });
    const other = await post(fake, { query: `query Other { repository(owner: "${OWNER}", name: "${REPO}") { name } }` }, token);
    assert.ok(other.json.data, 'another operation is not matched');
    const named = await post(fake, { query: `query Named { repository(owner: "${OWNER}", name: "${REPO}") { name } }` }, token);
    assert.equal((named.json.errors as { type: string }[])[0]?.type, 'RATE_LIMITED');
    assert.equal(named.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(fake.graphqlRequests('Named')[0]?.injected, true);
  });
});
