/**
 * reviewPullRequest when GitHub is less than ideal: GitHub's 3000-file cap, files without a `patch`, binary and
 * over-size files, a fork's read-only token, 5xx answers and secondary rate limits. Also measures the API calls
 * of a 10-file and a 300-file pull request.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reviewPullRequest } from '../../../src/platforms/github/review-pull-request.js';
import { addPr, FIRST_FILES, harness, HIERA_OLD, NOVA_NEW, NOVA_OLD, OWNER, REPO, type Harness } from './scenario.js';
import type { PullRequestFileInput } from '../../fakes/github/fake-github.js';

const PR = (number: number) => ({ owner: OWNER, repo: REPO, number });
/** The output of the check run's first write (it carries the summary and the first 50 annotations). */
const lastOutput = (h: Harness) =>
  (h.fake.requestsTo('POST', /\/check-runs$/).at(-1)!.body as { output: { summary: string; annotations?: { path: string; start_line: number }[] } }).output;

describe('GitHub review: limits and failures', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => h.fake.close());
  beforeEach(() => h.reset());

  it("says so when GitHub's 3000-file cap is hit, with a bounded number of calls", async () => {
    const files: PullRequestFileInput[] = Array.from({ length: 3050 }, (_, i) => ({ path: `docs/pages/page-${i}.md`, newContent: `# page ${i}\n` }));
    files.splice(10, 0, { path: 'hieradata/common.yaml', oldContent: HIERA_OLD, newContent: HIERA_OLD.replace('threads: 1', 'threads: 4') });
    addPr(h.fake, 20, files);
    const outcome = await reviewPullRequest(await h.deps(), PR(20));
    assert.equal(h.fake.requestsTo('GET', '/pulls/20/files').length, 30);
    assert.equal(outcome.findings, 1);
    assert.match(lastOutput(h).summary, /GitHub lists at most 3000 files of a pull request; this one changes 3051\. Only the first 3000 were reviewed\./);
    // 30 pages of files, the query (with the one blob), the review, the check run.
    assert.equal(outcome.apiCalls, 33);
    assert.equal(outcome.apiCalls, h.fake.requests.length);
  });

  it('computes the changed lines from the two versions when GitHub sends no patch', async () => {
    const ref = addPr(h.fake, 21, [{ path: 'etc/nova/nova.conf', oldContent: NOVA_OLD, newContent: NOVA_NEW, omitPatch: true }]);
    const outcome = await reviewPullRequest(await h.deps(), PR(21));
    const base = h.fake.requestsTo('GET', '/contents/');
    assert.deepEqual(
      base.map((r) => [decodeURIComponent(r.path), r.query.ref]),
      [[`/repos/${OWNER}/${REPO}/contents/etc/nova/nova.conf`, ref.baseSha]],
    );
    // The finding is on a changed line (so it counts for the default `added` filter) but cannot be commented on
    // without GitHub's hunks: annotation only.
    assert.deepEqual([outcome.findings, outcome.annotations, outcome.inlineComments], [1, 1, 0]);
    const output = lastOutput(h);
    assert.deepEqual(output.annotations?.map((a) => [a.path, a.start_line]), [['etc/nova/nova.conf', 6]]);
    assert.match(output.summary, /`etc\/nova\/nova\.conf`: GitHub sent no diff \(too large\); the changed lines were computed from the two versions\./);
    assert.match(output.summary, /1 finding is outside the diff's lines: annotations only\./);
    assert.equal(h.fake.state.reviews.length, 0);

    // An unchanged line of the same file is not "added": with the default filter it is not reported on the PR.
    h.reset();
    addPr(h.fake, 22, [{ path: 'etc/nova/nova.conf', oldContent: NOVA_NEW, newContent: NOVA_NEW.replace('debug = false', 'debug = true'), omitPatch: true }]);
    const unchanged = await reviewPullRequest(await h.deps(), PR(22));
    assert.deepEqual([unchanged.findings, unchanged.inlineComments], [1, 0], 'still in the changed file: annotated');
    assert.equal(h.fake.state.reviews.length, 0);
  });

  it('skips binary and over-size files with a note', async () => {
    const big = `---\n${Array.from({ length: 60_000 }, (_, i) => `nova::compute::node_${i}::reserved_host_memory: ${i}`).join('\n')}\n`;
    addPr(h.fake, 23, [
      { path: 'etc/nova/api-paste.conf', newContent: Buffer.from('[composite:osapi]\0\0\0binary'), binary: true },
      { path: 'hieradata/generated.yaml', newContent: big },
      { path: 'hieradata/common.yaml', oldContent: HIERA_OLD, newContent: HIERA_OLD.replace('threads: 1', 'threads: 4') },
    ]);
    const outcome = await reviewPullRequest(await h.deps(), PR(23));
    assert.equal(outcome.findings, 1);
    const summary = lastOutput(h).summary;
    assert.match(summary, /`etc\/nova\/api-paste\.conf` skipped: binary\./);
    assert.match(summary, /`hieradata\/generated\.yaml` skipped: too large \(\d+ bytes, the limit is 1048576\)\./);
  });

  it('degrades to the check run alone when a fork PR may not be reviewed (403)', async () => {
    addPr(h.fake, 24, FIRST_FILES, { fork: true });
    h.fake.forkReadOnly(OWNER, REPO, 24);
    const outcome = await reviewPullRequest(await h.deps(), PR(24));
    assert.equal(outcome.degraded, 'fork: review not allowed (403), check run only');
    assert.deepEqual([outcome.inlineComments, outcome.findings, outcome.conclusion], [0, 3, 'failure']);
    assert.equal(h.fake.requestsTo('POST', '/pulls/24/reviews').length, 1, 'no retry on a 403 that is not a rate limit');
    assert.equal(h.fake.state.reviews.length, 0);
    assert.equal(h.fake.state.checkRuns[0]!.status, 'completed');
    assert.match(h.fake.state.checkRuns[0]!.output.summary ?? '', /Degraded: fork: review not allowed \(403\), check run only\./);
  });

  it('retries 5xx answers and secondary rate limits (retry-after), counting every attempt', async () => {
    addPr(h.fake, 25, FIRST_FILES);
    h.fake.failNext({ method: 'GET', path: '/pulls/25/files', preset: 'server-error' });
    h.fake.failNext({ method: 'POST', operation: 'HeartbeatPullRequest', preset: 'bad-gateway' });
    h.fake.failNext({ method: 'POST', path: '/pulls/25/reviews', preset: 'secondary-rate-limit' });
    h.fake.failNext({ method: 'POST', path: /\/check-runs$/, preset: 'too-many-requests' });
    const started = Date.now();
    const outcome = await reviewPullRequest(await h.deps({ retry: { baseDelayMs: 20 } }), PR(25));
    assert.ok(Date.now() - started >= 2000, 'waited retry-after: 1 twice');
    assert.deepEqual([outcome.inlineComments, outcome.conclusion, outcome.degraded], [3, 'failure', undefined]);
    assert.equal(outcome.apiCalls, 8, '4 requests and 4 retries');
    assert.deepEqual(outcome.apiCallsByKind, { rest: 6, graphql: 2 });
    assert.equal(outcome.apiCalls, h.fake.requests.length);
    assert.equal(h.fake.requests.filter((r) => r.injected).length, 4);
    assert.equal(h.fake.state.reviews.length, 1);
    assert.equal(h.fake.state.checkRuns[0]!.status, 'completed');
    assert.ok(h.logs.some((l) => l.level === 'warn' && /retry-after 1s/.test(l.m ?? '')));
  });

  it("retries GraphQL's rate limit (200 with RATE_LIMITED) after the reset it names", async () => {
    addPr(h.fake, 29, FIRST_FILES);
    h.fake.failNext({ operation: 'HeartbeatPullRequest', preset: 'graphql-rate-limit' });
    const started = Date.now();
    // The reset is a wall-clock time: this review's clock must be the real one.
    const outcome = await reviewPullRequest(await h.deps({ retry: { baseDelayMs: 20 }, now: () => new Date() }), PR(29));
    assert.ok(Date.now() - started >= 1000, 'waited for x-ratelimit-reset');
    const queries = h.fake.graphqlRequests('HeartbeatPullRequest');
    assert.deepEqual(queries.map((q) => [q.status, q.injected]), [[200, true], [200, false]]);
    assert.deepEqual(queries[0]!.body, queries[1]!.body, 'the same query again');
    assert.deepEqual([outcome.inlineComments, outcome.apiCalls], [3, 5]);
    assert.ok(h.logs.some((l) => l.level === 'warn' && /primary rate limit \(403\)/.test(l.m ?? '')), JSON.stringify(h.logs.map((l) => l.m)));
  });

  it('fails the review (for the queue to retry) on a GraphQL error it cannot wait out', async () => {
    addPr(h.fake, 19, FIRST_FILES);
    h.fake.failNext({ operation: 'HeartbeatPullRequest', status: 200, body: { errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'acme/overcloud'." }] } });
    await assert.rejects(reviewPullRequest(await h.deps(), PR(19)), /cannot read pull request acme\/overcloud#19: 200 GraphQL: NOT_FOUND: Could not resolve to a Repository/);
    assert.equal(h.fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').length, 0, 'nothing posted');
  });

  it('gives up after a bounded number of attempts and says the PR cannot be read', async () => {
    addPr(h.fake, 26, FIRST_FILES);
    h.fake.failNext({ method: 'GET', path: '/pulls/26', preset: 'server-error', times: 10 });
    await assert.rejects(reviewPullRequest(await h.deps({ retry: { baseDelayMs: 1 } }), PR(26)), /cannot read pull request acme\/overcloud#26: 500/);
    assert.equal(h.fake.requests.length, 4);
  });

  it('lists the findings in the review body when GitHub rejects the inline comments (422)', async () => {
    addPr(h.fake, 27, FIRST_FILES);
    h.fake.failNext({ method: 'POST', path: '/pulls/27/reviews', status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } });
    const outcome = await reviewPullRequest(await h.deps(), PR(27));
    const [rejected, fallback] = h.fake.requestsTo('POST', '/pulls/27/reviews');
    assert.equal((rejected!.body as { comments: unknown[] }).comments.length, 3);
    assert.deepEqual((fallback!.body as { comments: unknown[] }).comments, []);
    assert.match((fallback!.body as { body: string }).body, /3 more not posted inline \(GitHub did not accept them as inline comments\)/);
    assert.deepEqual([outcome.inlineComments, outcome.bodyOnly], [0, 3]);
    assert.match(outcome.degraded ?? '', /^review comments rejected \(422: Unprocessable Entity\); findings listed in the review body$/);
    // Their markers are in the body, so a re-run does not post them again.
    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(27));
    assert.deepEqual([again.inlineComments, again.bodyOnly], [0, 0]);
    assert.equal(h.fake.requestsTo('POST', '/pulls/27/reviews').length, 0);
  });

  it('is neutral when the files that looked relevant turn out not to be', async () => {
    addPr(h.fake, 28, [{ path: 'etc/motd/banner.conf', newContent: 'Authorised users only.\n' }]);
    const outcome = await reviewPullRequest(await h.deps(), PR(28));
    assert.deepEqual([outcome.skipped, outcome.conclusion], ['no relevant files', 'neutral']);
    assert.equal(h.fake.requestsTo('GET', '/git/blobs/').length, 0, 'its text came with the query');
    assert.equal(h.fake.state.checkRuns[0]!.conclusion, 'neutral');
    assert.equal(h.fake.state.reviews.length, 0);
  });

  it('measures the API calls of a 10-file and a 300-file pull request', async (t) => {
    const mixed = (n: number): PullRequestFileInput[] =>
      Array.from({ length: n }, (_, i) => {
        switch (i % 3) {
          case 0:
            return { path: `hieradata/nodes/ctl-${i}.yaml`, oldContent: HIERA_OLD, newContent: HIERA_OLD.replace('threads: 1', 'threads: 4') };
          case 1:
            return { path: `etc/nova/cell-${i}/nova.conf`, oldContent: NOVA_OLD, newContent: NOVA_NEW };
          default:
            return { path: `docs/notes-${i}.md`, oldContent: '# notes\n', newContent: '# notes\n\nmore\n' };
        }
      });
    const measured: Record<number, { calls: number; ms: number; relevant: number; findings: number }> = {};
    for (const [number, n] of [
      [30, 10],
      [31, 300],
    ] as const) {
      addPr(h.fake, number, mixed(n));
      const started = performance.now();
      const outcome = await reviewPullRequest(await h.deps(), PR(number));
      measured[n] = { calls: outcome.apiCalls, ms: Math.round(performance.now() - started), relevant: mixed(n).filter((f) => !f.path.endsWith('.md')).length, findings: outcome.findings };
    }
    t.diagnostic(`API calls per review: ${JSON.stringify(measured)}`);
    // 10 files, 7 relevant: the file list, one query (with the 7 blobs), the review, the check run.
    assert.equal(measured[10]!.calls, 4);
    // 300 files, 200 relevant (two distinct contents, so two blobs): 3 pages, 1 query, the review, the check run in
    // 4 writes (200 annotations).
    assert.equal(measured[300]!.calls, 9);
  });
});
