/**
 * How reviewPullRequest reads through GraphQL, against the fake GitHub over real HTTP: every document it sends is
 * valid against GitHub's published schema; review threads, reviews and blobs beyond one page or chunk cost one
 * more query each; texts GraphQL truncates or that may not be UTF-8 are read as bytes through REST; the blob cache
 * is bounded; GitHub Enterprise's GraphQL endpoint; a push between the two reads.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { reviewPullRequest } from '../../../src/platforms/github/review-pull-request.js';
import { blobsDocument, pageDocument, pullRequestDocument, BLOBS_PER_QUERY } from '../../../src/platforms/github/pull-request-query.js';
import { BlobCache } from '../../../src/platforms/github/blob-cache.js';
import { decodeGraphQLBlob } from '../../../src/platforms/github/read-blobs.js';
import { GitHubApi } from '../../../src/platforms/github/api.js';
import type { GitHubOctokit } from '../../../src/platforms/github/types.js';
import { blobSha, type PullRequestFileInput } from '../../fakes/github/fake-github.js';
import { schemaErrors } from '../../fakes/github/graphql-schema.js';
import { addPr, FIRST_FILES, harness, HIERA_OLD, OWNER, REPO, type Harness } from './scenario.js';

const PR = (number: number) => ({ owner: OWNER, repo: REPO, number });
const OID = 'a'.repeat(40);

describe("GitHub review: GraphQL documents against GitHub's schema", () => {
  it('the pull request query (with and without blobs), the blob chunks and the page queries all validate', () => {
    for (const doc of [pullRequestDocument([]), pullRequestDocument([OID, 'b'.repeat(40)]), blobsDocument([OID]), pageDocument('threads'), pageDocument('reviews')]) {
      assert.deepEqual(schemaErrors(doc), [], doc);
    }
    assert.match(pullRequestDocument([OID, 'not-an-oid"){}']), new RegExp(`b0: object\\(oid: "${OID}"\\)`));
    assert.doesNotMatch(pullRequestDocument([OID, 'not-an-oid"){}']), /not-an-oid/, 'only hex ids are written into a document');
  });

  it('says what GraphQL settles about a blob and what only its bytes can', () => {
    const blob = { oid: OID, text: 'a = 1\n', isBinary: false, byteSize: 6, isTruncated: false };
    assert.deepEqual(decodeGraphQLBlob(blob), { text: 'a = 1\n' });
    assert.deepEqual(decodeGraphQLBlob({ ...blob, isBinary: true, text: null }), { skipped: 'binary' });
    assert.deepEqual(decodeGraphQLBlob({ ...blob, byteSize: 2_000_000, isTruncated: true }), { skipped: 'too large (2000000 bytes, the limit is 1048576)' });
    assert.equal(decodeGraphQLBlob({ ...blob, isTruncated: true }), undefined);
    assert.equal(decodeGraphQLBlob({ ...blob, text: 'caf\uFFFD' }), undefined);
  });
});

describe('GitHub review: reads beyond one query', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => h.fake.close());
  beforeEach(() => h.reset());

  it('reads 250 distinct blobs in three queries, the two extra ones asking only for blobs', async () => {
    const files: PullRequestFileInput[] = Array.from({ length: 250 }, (_, i) => ({ path: `hieradata/nodes/n${i}.yaml`, oldContent: HIERA_OLD, newContent: `${HIERA_OLD}nova::node_${i}: true\n` }));
    addPr(h.fake, 40, files);
    const outcome = await reviewPullRequest(await h.deps(), PR(40));
    assert.equal(h.fake.graphqlRequests('HeartbeatPullRequest').length, 1);
    const extra = h.fake.graphqlRequests('HeartbeatBlobs');
    assert.equal(extra.length, 2);
    const asked = (r: { body: unknown }) => [...(r.body as { query: string }).query.matchAll(/object\(oid: "([0-9a-f]{40})"\)/g)].map((m) => m[1]);
    const all = [...h.fake.graphqlRequests('HeartbeatPullRequest'), ...extra].map(asked);
    assert.deepEqual(all.map((a) => a.length), [BLOBS_PER_QUERY, BLOBS_PER_QUERY, 50]);
    assert.deepEqual(new Set(all.flat()), new Set(files.map((f) => blobSha(f.newContent!))));
    for (const r of extra) assert.deepEqual((r.body as { variables: unknown }).variables, { owner: OWNER, repo: REPO });
    assert.equal(h.fake.requestsTo('GET', '/git/blobs/').length, 0);
    assert.deepEqual([outcome.findings, outcome.apiCallsByKind], [0, { rest: 4, graphql: 3 }], '3 pages of files and the check run');
  });

  it('pages review threads and reviews beyond 100, so the bot\'s comments on a later page are known and not repeated', async () => {
    addPr(h.fake, 41, FIRST_FILES);
    await reviewPullRequest(await h.deps(), PR(41));
    const first = h.fake.state.reviewComments.length;
    // 120 human threads and reviews after the bot's: the bot's come first, humans' push the total past one page.
    const target = h.fake.state.reviewComments[0]!;
    for (let i = 0; i < 120; i++) {
      h.fake.state.reviewComments.push({ ...target, id: 90_000 + i, body: `human ${i}`, user: { login: 'octocat', id: 1, type: 'User' }, pull_request_review_id: null });
      h.fake.state.reviews.push({ ...h.fake.state.reviews[0]!, id: 80_000 + i, body: `human review ${i}`, user: { login: 'octocat', id: 1, type: 'User' } });
    }
    // Put the bot's comments last, on the second page of threads.
    const bots = h.fake.state.reviewComments.splice(0, first);
    h.fake.state.reviewComments.push(...bots);
    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(41));
    assert.equal(again.inlineComments, 0, 'the comments on the second page were seen');
    assert.equal(h.fake.graphqlRequests('HeartbeatPullRequestThreads').length, 1);
    assert.equal(h.fake.graphqlRequests('HeartbeatPullRequestReviews').length, 1);
    const [page] = h.fake.graphqlRequests('HeartbeatPullRequestThreads');
    assert.equal(typeof (page!.body as { variables: { threadsAfter: unknown } }).variables.threadsAfter, 'string', 'asked for the page after the first');
    assert.equal(h.fake.requestsTo('POST', '/reviews').length, 0);
  });

  it('reads through REST the blobs whose text GraphQL truncated or may have mangled, and caches what it decided', async () => {
    const latin1 = Buffer.from('[DEFAULT]\ndebug = caf\xe9\n', 'latin1');
    const big = `---\n${Array.from({ length: 11_000 }, (_, i) => `nova::compute::node_${i}::reserved_host_memory_mb: ${i}`).join('\n')}\nnova::wsgi::apache_api::threads: 4\n`;
    addPr(h.fake, 42, [
      { path: 'etc/nova/nova.conf', newContent: latin1 },
      { path: 'hieradata/big.yaml', newContent: big },
    ]);
    const outcome = await reviewPullRequest(await h.deps(), PR(42));
    const blobs = h.fake.requestsTo('GET', '/git/blobs/').map((r) => r.path.split('/').pop());
    assert.deepEqual(blobs.sort(), [blobSha(latin1), blobSha(big)].sort());
    const summary = h.fake.state.checkRuns[0]!.output.summary ?? '';
    assert.match(summary, /`etc\/nova\/nova\.conf` skipped: not valid UTF-8\./);
    assert.ok(big.length > 512 * 1024 && big.length < 1024 * 1024);
    assert.equal(outcome.findings, 1, 'the finding at the end of the truncated file was found');
    h.fake.clearRequests();
    await reviewPullRequest(await h.deps(), PR(42));
    assert.equal(h.fake.requestsTo('GET', '/git/blobs/').length, 0, 'decided once, cached');
  });

  it('leaves the review to the newer event when a push lands between the file list and the query', async () => {
    const ref = addPr(h.fake, 43, FIRST_FILES);
    // The query is held until the push has landed, so the file list is of the old head and the query of the new.
    h.fake.delay(150, { operation: 'HeartbeatPullRequest', times: 1 });
    const pending = reviewPullRequest(await h.deps(), PR(43), { headSha: ref.headSha });
    while (h.fake.graphqlRequests('HeartbeatPullRequest').length === 0) await new Promise((r) => setTimeout(r, 5));
    const newHead = h.fake.pushCommit(OWNER, REPO, 43, { files: FIRST_FILES.map((f) => (f.path === 'hieradata/common.yaml' ? { ...f, newContent: HIERA_OLD } : f)) });
    const outcome = await pending;
    assert.equal(outcome.skipped, `superseded: the head is now ${newHead}`);
    assert.deepEqual(h.fake.requests.map((r) => `${r.method} ${r.path}`), [`GET /repos/${OWNER}/${REPO}/pulls/43/files`, 'POST /graphql'], 'nothing posted');
  });
});

describe('GitHub review: the blob cache and the GraphQL endpoint', () => {
  it('keeps the most recently used blobs within its byte bound', () => {
    const cache = new BlobCache(100);
    cache.set('a', { text: 'x'.repeat(20) }); // 40 bytes
    cache.set('b', { text: 'y'.repeat(20) });
    assert.deepEqual(cache.get('a'), { text: 'x'.repeat(20) }, 'a is now the most recently used');
    cache.set('c', { text: 'z'.repeat(20) });
    assert.deepEqual([cache.has('a'), cache.has('b'), cache.has('c'), cache.bytes], [true, false, true, 80]);
    cache.set('huge', { text: 'h'.repeat(100) });
    assert.equal(cache.has('huge'), false, 'an entry larger than the bound is not kept');
    assert.deepEqual([cache.hits, cache.misses], [1, 0]);
  });

  it('sends GraphQL to /api/graphql on GitHub Enterprise (REST under /api/v3)', async () => {
    const h = await harness();
    try {
      addPr(h.fake, 44, FIRST_FILES);
      const ghe = new Octokit({ baseUrl: `${h.fake.url}/api/v3`, auth: h.fake.installationToken(), log: { debug() {}, info() {}, warn() {}, error() {} } });
      const seen: string[] = [];
      const spy: GitHubOctokit = {
        request: async (route, params) => {
          const out = await (ghe.request as unknown as GitHubOctokit['request'])(route, params);
          seen.push(`${route} ${String((params as { baseUrl?: string } | undefined)?.baseUrl ?? '')}`);
          return out;
        },
      };
      Object.assign(spy.request, { endpoint: ghe.request.endpoint });
      const outcome = await reviewPullRequest(await h.deps({ octokit: spy }), PR(44));
      assert.equal(outcome.inlineComments, 3);
      assert.ok(seen.includes(`POST /graphql ${h.fake.url}/api`), seen.join('\n'));
      const api = new GitHubApi(spy, { info() {}, warn() {}, error() {} });
      assert.deepEqual(await api.graphql(`query { repository(owner: "${OWNER}", name: "${REPO}") { name } }`), { repository: { name: REPO } });
    } finally {
      await h.fake.close();
    }
  });
});
