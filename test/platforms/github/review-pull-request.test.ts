/**
 * reviewPullRequest against the fake GitHub over real HTTP with a real @octokit/rest Octokit: what is posted on a
 * first review, that a repeated run posts nothing new, that a push fixing a finding resolves exactly its comment,
 * the 30-comment cap, configuration, drafts, pull requests with nothing to review, and dry runs.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reviewPullRequest } from '../../../src/platforms/github/review-pull-request.js';
import { parseMarkers } from '../../../src/platforms/github/markers.js';
import { addPr, FIRST_FILES, harness, HIERA_OLD, NOVA_OLD, OWNER, REPO, type Harness } from './scenario.js';
import { blobSha } from '../../fakes/github/fake-github.js';
import { schemaErrors } from '../../fakes/github/graphql-schema.js';

const PR = (number: number) => ({ owner: OWNER, repo: REPO, number });
const WRITES = /^(POST|PATCH|PUT|DELETE)$/;

describe('GitHub review: first review, repeats and pushes', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => h.fake.close());
  beforeEach(() => h.reset());

  it('reads the pull request in two calls (file list, one GraphQL query), posts one review and one complete check run', async () => {
    const ref = addPr(h.fake, 1, FIRST_FILES);
    const outcome = await reviewPullRequest(await h.deps(), PR(1));
    const requests = h.fake.requests.map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
    const base = `/repos/${OWNER}/${REPO}`;
    assert.deepEqual(requests, [`GET ${base}/pulls/1/files`, 'POST /graphql', `POST ${base}/pulls/1/reviews`, `POST ${base}/check-runs`]);
    assert.equal(outcome.apiCalls, h.fake.requests.length);
    assert.deepEqual(
      { ...outcome, checkRunId: undefined },
      {
        conclusion: 'failure',
        findings: 3,
        annotations: 3,
        inlineComments: 3,
        bodyOnly: 0,
        resolved: 0,
        severities: { error: 2, warning: 1 },
        apiCalls: 4,
        apiCallsByKind: { rest: 3, graphql: 1 },
        checkRunId: undefined,
      },
    );

    // The query: the pull request, its threads and reviews, the head's check run, the configuration at the head and
    // the three files heartbeat-bot reads (not README.md, not the PNG; no base side: rebuilt from the patch).
    const [query] = h.fake.graphqlRequests('HeartbeatPullRequest');
    const sent = query!.body as { query: string; variables: Record<string, unknown> };
    assert.deepEqual(schemaErrors(sent.query), [], "valid against GitHub's published schema");
    assert.deepEqual(sent.variables, {
      owner: OWNER,
      repo: REPO,
      number: 1,
      checkName: 'heartbeat-bot',
      withConfig: true,
      configExpression: `${ref.headSha}:.github/heartbeat-bot.yml`,
      withAppConfig: false,
      threadsAfter: null,
      reviewsAfter: null,
    });
    const relevant = ['hieradata/common.yaml', 'etc/nova/nova.conf', 'etc/httpd/conf.d/10-nova_api_wsgi.conf'].map((p) => blobSha(FIRST_FILES.find((f) => f.path === p)!.newContent!));
    assert.deepEqual([...sent.query.matchAll(/object\(oid: "([0-9a-f]{40})"\)/g)].map((m) => m[1]).sort(), relevant.sort());
    for (const field of ['isDraft', 'headRefOid', 'baseRefName', 'reviewThreads(first: 100', 'reviews(first: 100', 'checkRuns(first: 5, filterBy: { checkName: $checkName })', 'text isBinary byteSize isTruncated']) {
      assert.ok(sent.query.includes(field), field);
    }

    const [create] = h.fake.requestsTo('POST', '/check-runs');
    const body = create!.body as { status: string; conclusion: string; output: { title: string; summary: string; annotations: Record<string, unknown>[] } } & Record<string, unknown>;
    assert.deepEqual(
      { ...body, output: undefined },
      {
        name: 'heartbeat-bot',
        head_sha: ref.headSha,
        external_id: `heartbeat-bot:v1:${OWNER}/${REPO}#1@${ref.headSha}`,
        started_at: '2024-05-01T12:00:00.000Z',
        status: 'completed',
        conclusion: 'failure',
        completed_at: '2024-05-01T12:00:00.000Z',
        output: undefined,
      },
    );
    assert.equal(body.output.title, '2 errors, 1 warning');
    assert.match(body.output.summary, /\n\n<!-- heartbeat-bot:v1:check [0-9a-f]{32} -->$/, 'ends with the digest of what it says');
    assert.deepEqual(
      body.output.annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level, a.title]),
      [
        ['etc/httpd/conf.d/10-nova_api_wsgi.conf', 3, 3, 'failure', 'nova-wsgi-threads-not-1'],
        ['etc/nova/nova.conf', 6, 6, 'warning', 'heartbeat-disabled'],
        ['hieradata/common.yaml', 2, 2, 'failure', 'nova-wsgi-threads-not-1'],
      ],
    );
    assert.match(String(body.output.annotations[1]!.message), /^heartbeat_timeout_threshold 0 disables AMQP heartbeats[^]*\n\nReferences: <https:\/\/bugs\.launchpad\.net\/nova\/\+bug\/856764>/);
    assert.match(String(body.output.annotations[1]!.raw_details), /Suggested replacement of line 6:\nheartbeat_timeout_threshold = 60$/);
    const summary = body.output.summary;
    assert.match(summary, /reviewed 3 files at `[0-9a-f]{12}` for OpenStack wallaby \(branch\): 2 errors, 1 warning\./);
    assert.match(summary, /\| nova-api \| mod_wsgi \| 4 \| 4 \| patched \| disabled \| 0 \|/);
    assert.ok(summary.includes(`[hieradata/common.yaml:2](https://github.com/${OWNER}/${REPO}/blob/${ref.headSha}/hieradata/common.yaml#L2)`));
    assert.ok(summary.includes('**[heartbeat-disabled](https://heartbeat.example.org/rules/heartbeat-disabled)**'));
    assert.match(summary, /`docs\/diagram\.png`|Review: 3 new inline comments\./);

    const [review] = h.fake.requestsTo('POST', '/pulls/1/reviews');
    const posted = review!.body as { commit_id: string; event: string; body: string; comments: { path: string; line: number; side: string; start_line?: number; body: string }[] };
    assert.equal(posted.commit_id, ref.headSha);
    assert.equal(posted.event, 'COMMENT');
    assert.match(posted.body, /found 3 new findings on the changed lines \(2 errors, 1 warning\)/);
    // Posted before the check run exists: it links the pull request's checks page.
    assert.ok(posted.body.includes(`[check run](https://github.com/${OWNER}/${REPO}/pull/1/checks)`), posted.body);
    assert.deepEqual(
      posted.comments.map((c) => [c.path, c.line, c.side, c.start_line]),
      [
        ['hieradata/common.yaml', 2, 'RIGHT', undefined],
        ['etc/httpd/conf.d/10-nova_api_wsgi.conf', 3, 'RIGHT', undefined],
        ['etc/nova/nova.conf', 6, 'RIGHT', undefined],
      ].sort((a, b) => (posted.comments.findIndex((c) => c.path === a[0]) - posted.comments.findIndex((c) => c.path === b[0]))),
    );
    const hiera = posted.comments.find((c) => c.path === 'hieradata/common.yaml')!;
    assert.match(hiera.body, /^🚫 \*\*\[nova-wsgi-threads-not-1\]\(https:\/\/heartbeat\.example\.org\/rules\/nova-wsgi-threads-not-1\)\*\*/);
    assert.match(hiera.body, /\n```suggestion\nnova::wsgi::apache_api::threads: 1\n```\n/);
    assert.match(hiera.body, /References: <https:\/\/bugs\.launchpad\.net\/nova\/\+bug\/1829062>/);
    const markers = posted.comments.map((c) => parseMarkers('heartbeat-bot', c.body)[0]!);
    assert.deepEqual(markers.map((m) => [m.rule, m.path]).sort(), [
      ['heartbeat-disabled', 'etc/nova/nova.conf'],
      ['nova-wsgi-threads-not-1', 'etc/httpd/conf.d/10-nova_api_wsgi.conf'],
      ['nova-wsgi-threads-not-1', 'hieradata/common.yaml'],
    ]);
    assert.ok(markers.every((m) => /^[0-9a-f]{32}:1$/.test(m.fp)));

    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]!.status, 'completed');
    assert.equal(h.fake.state.reviewComments.length, 3);
  });

  it('posts nothing on a repeated run: two reads (file list, query without blob text), no write', async () => {
    addPr(h.fake, 2, FIRST_FILES);
    const first = await reviewPullRequest(await h.deps(), PR(2));
    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(2));
    assert.equal(again.checkRunId, first.checkRunId);
    assert.equal(again.checkRunUnchanged, true);
    assert.deepEqual([again.inlineComments, again.bodyOnly, again.resolved, again.findings, again.conclusion, again.annotations], [0, 0, 0, 3, 'failure', 3]);
    assert.deepEqual(h.fake.requests.map((r) => `${r.method} ${r.path}`), [`GET /repos/${OWNER}/${REPO}/pulls/2/files`, 'POST /graphql']);
    assert.deepEqual(again.apiCallsByKind, { rest: 1, graphql: 1 });
    const query = (h.fake.graphqlRequests('HeartbeatPullRequest')[0]!.body as { query: string }).query;
    assert.doesNotMatch(query, /object\(oid:/, 'every blob came from the cache');
    assert.equal(h.fake.state.checkRuns.length, 1);
    assert.equal(h.fake.state.checkRuns[0]!.annotations.length, 3);
    assert.equal(h.fake.state.checkRuns[0]!.status, 'completed');
    assert.match(h.fake.state.checkRuns[0]!.output.summary ?? '', /Review: 3 new inline comments\./, 'the first run\'s account stays');
    assert.equal(h.fake.state.reviews.length, 1);
    assert.equal(h.fake.state.reviewComments.length, 3);
    assert.equal(again.apiCalls, h.fake.requests.length);

    // Another process (a cold cache) reads the blobs again, in the same query, and still writes nothing.
    h.cache.clear();
    h.fake.clearRequests();
    const cold = await reviewPullRequest(await h.deps(), PR(2));
    assert.deepEqual([cold.apiCalls, cold.inlineComments, cold.checkRunUnchanged], [2, 0, true]);
    assert.equal(h.fake.requests.filter((r) => WRITES.test(r.method) && r.path !== '/graphql').length, 0);
  });

  it('updates the check run in place, adding only the annotations it lacks, when what it says changed', async () => {
    const ref = addPr(h.fake, 12, FIRST_FILES);
    // As the App reads it: the default branch's configuration, in the pull request query (the plugin is not needed).
    const app = { appConfig: () => Promise.reject(new Error('no _extends here: the plugin is not asked')) };
    const first = await reviewPullRequest(await h.deps(), PR(12), app);
    // The default branch's configuration now turns one rule into an error; the head has not moved.
    h.fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', 'rules:\n  heartbeat-disabled: error\n');
    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(12), app);
    assert.equal(again.checkRunId, first.checkRunId);
    assert.equal(again.checkRunUnchanged, undefined);
    const [patch] = h.fake.requestsTo('PATCH', `/check-runs/${first.checkRunId}`);
    const body = patch!.body as { status: string; conclusion: string; external_id: string; output: { annotations?: { title: string; annotation_level: string }[] } };
    assert.deepEqual([body.status, body.conclusion, body.external_id], ['completed', 'failure', `heartbeat-bot:v1:${OWNER}/${REPO}#12@${ref.headSha}`]);
    assert.deepEqual(body.output.annotations?.map((a) => [a.title, a.annotation_level]), [['heartbeat-disabled', 'failure']], 'only the annotation that changed');
    assert.equal(h.fake.requestsTo('GET', `/check-runs/${first.checkRunId}/annotations`).length, 1);
    assert.equal(h.fake.state.checkRuns.length, 1);
  });

  it('a push fixing one finding edits exactly that comment to resolved (a reply on it stays), and never deletes', async () => {
    addPr(h.fake, 3, FIRST_FILES);
    await reviewPullRequest(await h.deps(), PR(3));
    const novaComment = h.fake.state.reviewComments.find((c) => c.path === 'etc/nova/nova.conf')!;
    const original = novaComment.body;
    h.fake.addReply(novaComment.id, 'We need this off until the firewall is fixed.');
    const files = FIRST_FILES.map((f) => (f.path === 'etc/nova/nova.conf' ? { ...f, newContent: NOVA_OLD.replace('= 60', '= 30') } : f));
    const head = h.fake.pushCommit(OWNER, REPO, 3, { files });
    h.fake.clearRequests();

    const outcome = await reviewPullRequest(await h.deps(), PR(3), { headSha: head });
    assert.deepEqual([outcome.resolved, outcome.inlineComments, outcome.findings, outcome.conclusion], [1, 0, 2, 'failure']);
    const edits = h.fake.requestsTo('PATCH', '/pulls/comments/');
    assert.deepEqual(edits.map((e) => e.path), [`/repos/${OWNER}/${REPO}/pulls/comments/${novaComment.id}`]);
    assert.equal(h.fake.requests.filter((r) => r.method === 'DELETE').length, 0);
    assert.equal(h.fake.requestsTo('POST', '/pulls/3/reviews').length, 0, 'the other findings were already commented');
    const edited = h.fake.state.reviewComments.find((c) => c.id === novaComment.id)!;
    assert.match(edited.body, new RegExp(`^✅ \\*\\*Resolved\\*\\* in ${head.slice(0, 12)}: heartbeat-bot no longer reports this\\.`));
    assert.ok(edited.body.includes(original.split('\n')[2]!), 'the original text is kept');
    assert.doesNotMatch(edited.body, /```suggestion/);
    assert.deepEqual(parseMarkers('heartbeat-bot', edited.body)[0]?.state, 'resolved');
    assert.equal(h.fake.state.reviewComments.length, 4, 'three comments and the reply');
    for (const c of h.fake.state.reviewComments.filter((c) => c.id !== novaComment.id && c.in_reply_to_id === undefined)) {
      assert.doesNotMatch(c.body, /Resolved/);
    }
    // A new head gets its own check run.
    assert.equal(h.fake.state.checkRuns.length, 2);

    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(3), { headSha: head });
    assert.equal(again.resolved, 0, 'an already resolved comment is not resolved again');
    assert.equal(h.fake.requestsTo('PATCH', '/pulls/comments/').length, 0);
  });

  it('posts a regression again after its comment was resolved', async () => {
    addPr(h.fake, 4, FIRST_FILES);
    await reviewPullRequest(await h.deps(), PR(4));
    const fixed = FIRST_FILES.map((f) => (f.path === 'etc/nova/nova.conf' ? { ...f, newContent: NOVA_OLD.replace('= 60', '= 30') } : f));
    h.fake.pushCommit(OWNER, REPO, 4, { files: fixed });
    await reviewPullRequest(await h.deps(), PR(4));
    h.fake.pushCommit(OWNER, REPO, 4, { files: FIRST_FILES });
    const outcome = await reviewPullRequest(await h.deps(), PR(4));
    assert.equal(outcome.inlineComments, 1);
    assert.equal(h.fake.requestsTo('POST', '/pulls/4/reviews').length, 2);
    assert.equal(h.fake.state.reviewComments.filter((c) => c.path === 'etc/nova/nova.conf').length, 2);
  });

  it('caps a review at 30 inline comments, lists the rest in its body, and batches annotations by 50', async () => {
    const files = Array.from({ length: 120 }, (_, i) => ({
      path: `hieradata/nodes/controller-${String(i).padStart(3, '0')}.yaml`,
      oldContent: HIERA_OLD,
      newContent: HIERA_OLD.replace('threads: 1', 'threads: 4'),
    }));
    addPr(h.fake, 5, files);
    const outcome = await reviewPullRequest(await h.deps(), PR(5));
    assert.deepEqual([outcome.findings, outcome.annotations, outcome.inlineComments, outcome.bodyOnly], [120, 120, 30, 90]);
    // Created in progress with the first 50, completed by the request that adds the last of them.
    const writes = [...h.fake.requestsTo('POST', '/check-runs'), ...h.fake.requestsTo('PATCH', '/check-runs/')];
    assert.deepEqual(writes.map((p) => ((p.body as { output: { annotations?: unknown[] } }).output.annotations ?? []).length), [50, 50, 20]);
    assert.deepEqual(writes.map((p) => (p.body as { status?: string }).status), ['in_progress', undefined, 'completed']);
    assert.equal(outcome.apiCalls, 7, 'file list (2 pages), query (one blob: the files are identical), review, create, 2 updates');
    assert.deepEqual(h.fake.state.checkRuns[0]!.annotationBatches, [50, 50, 20]);
    const [review] = h.fake.requestsTo('POST', '/pulls/5/reviews');
    const body = review!.body as { body: string; comments: unknown[] };
    assert.equal(body.comments.length, 30);
    assert.match(body.body, /<details><summary>90 more not posted inline \(at most 30 inline comments per review\)<\/summary>/);
    assert.equal(parseMarkers('heartbeat-bot', body.body).length, 90);
    assert.match(body.body, new RegExp(`\\[hieradata/nodes/controller-119\\.yaml:2\\]\\(https://github\\.com/${OWNER}/${REPO}/blob/[0-9a-f]{40}/hieradata/nodes/controller-119\\.yaml#L2\\)`));

    h.fake.clearRequests();
    const again = await reviewPullRequest(await h.deps(), PR(5));
    assert.deepEqual([again.inlineComments, again.bodyOnly], [0, 0], 'findings listed in a review body are not posted again');
    assert.equal(h.fake.requestsTo('POST', '/reviews').length, 0);
    assert.equal(h.fake.state.checkRuns[0]!.annotations.length, 120);
  });

  it('reads .github/heartbeat-bot.yml at the head: rules turned off report nothing, problems are noted', async () => {
    const ref = addPr(h.fake, 6, FIRST_FILES);
    h.fake.setFile(OWNER, REPO, ref.headSha, '.github/heartbeat-bot.yml', 'rules:\n  heartbeat-disabled: off\n  nova-wsgi-threads-not-1: warning\nfilters: added\n');
    const outcome = await reviewPullRequest(await h.deps(), PR(6));
    assert.deepEqual([outcome.findings, outcome.conclusion, outcome.severities], [2, 'neutral', { warning: 2 }]);
    const [review] = h.fake.requestsTo('POST', '/pulls/6/reviews');
    const comments = (review!.body as { comments: { body: string }[] }).comments;
    assert.ok(comments.every((c) => !c.body.includes('heartbeat-disabled')));
    const complete = h.fake.requestsTo('POST', '/check-runs').at(-1)!.body as { output: { summary: string; annotations: { title: string }[] } };
    assert.ok(complete.output.annotations.every((a) => a.title !== 'heartbeat-disabled'));
    assert.match(complete.output.summary, /Configuration: \.github\/heartbeat-bot\.yml:4:1: filters: unknown key \(did you mean filter\?/);
    // Read in the query (no contents call); its problems also come back for the CLI to print.
    assert.equal(h.fake.requestsTo('GET', '/contents/').length, 0);
    assert.match(outcome.configProblems?.join('\n') ?? '', /filters: unknown key/);
  });

  it('lets a given release win over the configuration read at the head (the CLI\'s --release)', async () => {
    const ref = addPr(h.fake, 13, FIRST_FILES);
    h.fake.setFile(OWNER, REPO, ref.headSha, '.github/heartbeat-bot.yml', 'release: wallaby\n');
    const outcome = await reviewPullRequest(await h.deps(), PR(13), { release: 'zed', headSha: ref.headSha });
    const summary = (h.fake.requestsTo('POST', '/check-runs')[0]!.body as { output: { summary: string } }).output.summary;
    assert.match(summary, /for OpenStack zed \(config\)/);
    assert.equal(outcome.configProblems, undefined);
  });

  it('takes the configuration the caller read (not asked for in the query)', async () => {
    addPr(h.fake, 7, FIRST_FILES);
    const outcome = await reviewPullRequest(await h.deps(), PR(7), { config: { rules: { 'nova-wsgi-threads-not-1': 'off' } }, configProblems: ['from the app'] });
    assert.equal(h.fake.requestsTo('GET', '/contents/').length, 0);
    assert.equal((h.fake.graphqlRequests('HeartbeatPullRequest')[0]!.body as { variables: { withConfig: boolean } }).variables.withConfig, false);
    assert.deepEqual([outcome.findings, outcome.severities], [1, { warning: 1 }]);
  });

  it('gives a draft a neutral check run and no review', async () => {
    const ref = addPr(h.fake, 8, FIRST_FILES, { draft: true });
    const outcome = await reviewPullRequest(await h.deps(), PR(8));
    assert.deepEqual([outcome.skipped, outcome.conclusion, outcome.apiCalls], ['draft', 'neutral', 3]);
    const [create] = h.fake.requestsTo('POST', '/check-runs');
    assert.deepEqual((create!.body as Record<string, unknown>).conclusion, 'neutral');
    assert.deepEqual((create!.body as { output: { title: string } }).output.title, 'draft: not reviewed');
    assert.equal((create!.body as Record<string, unknown>).head_sha, ref.headSha);
    assert.equal(h.fake.state.reviews.length, 0);
    assert.equal(h.fake.state.checkRuns.length, 1);
  });

  it('gives a pull request with no file it reads a neutral check run and fetches no content', async () => {
    addPr(h.fake, 9, [
      { path: 'README.md', oldContent: '# a\n', newContent: '# b\n' },
      { path: 'spec/classes/nova_spec.rb', newContent: "describe 'nova' do\nend\n" },
    ]);
    const outcome = await reviewPullRequest(await h.deps(), PR(9));
    assert.deepEqual([outcome.skipped, outcome.conclusion], ['no relevant files', 'neutral']);
    assert.equal(h.fake.requestsTo('GET', '/git/blobs/').length, 0);
    assert.doesNotMatch((h.fake.graphqlRequests('HeartbeatPullRequest')[0]!.body as { query: string }).query, /object\(oid:/);
    assert.equal(h.fake.state.checkRuns[0]!.output.title, 'no relevant files');
    assert.equal(h.fake.state.checkRuns[0]!.conclusion, 'neutral');
    assert.equal(h.fake.state.reviews.length, 0);
  });

  it('posts nothing at all in a dry run, and returns what it would have posted', async () => {
    addPr(h.fake, 10, FIRST_FILES);
    const outcome = await reviewPullRequest(await h.deps({ dryRun: true }), PR(10));
    // GraphQL queries are POSTs that read; nothing else but GETs.
    assert.deepEqual(h.fake.requests.filter((r) => WRITES.test(r.method) && !(r.path === '/graphql' && /^\s*query\b/.test((r.body as { query: string }).query))), []);
    assert.equal(h.fake.graphqlRequests().length, 1);
    assert.equal(outcome.conclusion, 'failure');
    const dry = outcome.dryRun as { checkRun: { status: string; conclusion: string; output: { title: string; annotations: unknown[] } }; review: { comments: unknown[] } };
    assert.deepEqual([dry.checkRun.status, dry.checkRun.conclusion, dry.checkRun.output.title, dry.checkRun.output.annotations.length], ['completed', 'failure', '2 errors, 1 warning', 3]);
    assert.equal(dry.review.comments.length, 3);
    assert.ok(h.logs.some((l) => l.m === 'GitHub: dry run, nothing posted'));
  });

  it('leaves a pull request whose head moved on to the newer event', async () => {
    addPr(h.fake, 11, FIRST_FILES);
    const outcome = await reviewPullRequest(await h.deps(), PR(11), { headSha: 'f'.repeat(40) });
    assert.match(outcome.skipped ?? '', /^superseded/);
    assert.equal(h.fake.requests.length, 1);
  });

  it('throws a clear error when the pull request cannot be read', async () => {
    await assert.rejects(reviewPullRequest(await h.deps(), PR(404)), /cannot read pull request acme\/overcloud#404: 404/);
  });
});
