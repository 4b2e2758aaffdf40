/**
 * How a finished job becomes a history record: what was posted is kept exactly as sent (through the recording
 * Octokit and fetch, which change nothing for the platform), and findings and the concurrency table are read back
 * from the platforms' own payload builders' output, so a change of format there shows up here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.js';
import type { ConcurrencyRow } from '../../src/model/summary.js';
import { formatSummaryMarkdown } from '../../src/formats/format-summary-markdown.js';
import { annotationOf } from '../../src/platforms/github/check-run-output.js';
import { concurrencyTable, inlineCommentMessage, summaryMessage } from '../../src/platforms/gerrit/comment-body.js';
import type { GitHubOctokit, GitHubReviewOutcome } from '../../src/platforms/github/types.js';
import type { GerritReviewOutcome } from '../../src/platforms/gerrit/types.js';
import { concurrencyTableIn, findingsOfAnnotations, findingsOfGerritReview } from '../../src/service/review-history-posted.js';
import { githubReviewRecord, pullRequestUrl, recordingOctokit, type GitHubCapture } from '../../src/service/review-history-github.js';
import { gerritChangeUrl, gerritReviewRecord, recordingFetch, type GerritCapture } from '../../src/service/review-history-gerrit.js';

const FINDINGS: Finding[] = [
  { ruleId: 'nova-wsgi-threads-not-1', severity: 'error', path: 'manifests/api.pp', line: 2, endLine: 2, message: 'nova-api runs 4 threads.', references: ['https://bugs.launchpad.net/nova/+bug/1829062'] },
  { ruleId: 'heartbeat-disabled', severity: 'warning', path: 'hieradata/x|y.yaml', line: 5, endLine: 5, message: 'heartbeat off.', references: [] },
];

const ROWS: ConcurrencyRow[] = [
  { service: 'nova-api', server: { value: 'mod_wsgi', from: 'a|b' }, threads: { value: '4', from: 'x' }, eventletPatched: true, heartbeat: { value: 'greenthread', from: 'default' } },
  { service: 'nova-metadata', processes: { value: '$facts[\\os_workers]', from: 'p' } },
];

test('the concurrency table is read back from the Markdown the check run posts and from the Gerrit message', () => {
  const expected = {
    header: ['service', 'server', 'processes', 'threads', 'eventlet', 'heartbeat', 'threshold'],
    rows: [
      ['nova-api', 'mod_wsgi', '?', '4', 'patched', 'greenthread', '?'],
      ['nova-metadata', '?', '$facts[\\os_workers]', '?', 'unknown', 'unknown', '?'],
    ],
  };
  assert.deepEqual(concurrencyTableIn(`## heartbeat-bot\n\n${formatSummaryMarkdown(ROWS)}\nmore text`), expected);
  assert.deepEqual(concurrencyTableIn(`Patch set 1.\n\n${concurrencyTable(ROWS)}\n\nNotes:`), expected);
  assert.equal(concurrencyTableIn('no table here'), undefined);
  assert.equal(concurrencyTableIn(42), undefined);
});

test('findings are read back from GitHub annotations and Gerrit comments and summary lists', () => {
  assert.deepEqual(findingsOfAnnotations(FINDINGS.map(annotationOf)), [
    { severity: 'error', ruleId: 'nova-wsgi-threads-not-1', path: 'manifests/api.pp', line: 2, message: 'nova-api runs 4 threads.' },
    { severity: 'warning', ruleId: 'heartbeat-disabled', path: 'hieradata/x|y.yaml', line: 5, message: 'heartbeat off.' },
  ]);
  assert.deepEqual(findingsOfAnnotations([null, 3, { path: 'x', start_line: 1, annotation_level: 'odd' }]), []);
  const inline = inlineCommentMessage({ finding: FINDINGS[0]!, fingerprint: 'abcdef12:1', botName: 'heartbeat-bot', docsUrl: 'https://bot.example.org/rules/', fixInText: true });
  const message = summaryMessage({
    botName: 'heartbeat-bot', patchSet: 1, findings: FINDINGS, inline: 1, repeated: 0, listed: [FINDINGS[1]!], resolved: 0, reviewedFiles: 2,
    release: 'wallaby', concurrency: ROWS, notes: [], docsUrl: 'https://bot.example.org/rules/', recheck: false,
  });
  const found = findingsOfGerritReview({ message, comments: { 'manifests/api.pp': [{ line: 2, message: inline }, { line: 3, message: 'Fixed in patch set 2.' }] } });
  assert.deepEqual(found, [
    { severity: 'error', ruleId: 'nova-wsgi-threads-not-1', path: 'manifests/api.pp', line: 2, message: 'nova-api runs 4 threads.' },
    { severity: 'warning', ruleId: 'heartbeat-disabled', path: 'hieradata/x|y.yaml', line: 5, message: 'heartbeat off.' },
  ]);
  assert.deepEqual(findingsOfGerritReview('not a review'), []);
});

/** An Octokit stand-in: answers by route, and carries `request.endpoint` as Octokit's does. */
function stubOctokit(answers: Record<string, unknown>): GitHubOctokit & { calls: string[] } {
  const calls: string[] = [];
  const request = Object.assign(
    async (route: string) => {
      calls.push(route);
      return { data: answers[route] ?? {}, headers: {}, status: 200 };
    },
    { endpoint: { DEFAULTS: { baseUrl: 'https://ghe.example.org/api/v3' } } },
  );
  return { request, calls };
}

test('the recording Octokit keeps writes as sent and the title, passes every call through, and keeps request.endpoint', async () => {
  const inner = stubOctokit({
    'POST /graphql': { data: { repository: { pullRequest: { title: 'From GraphQL <b>', headRefOid: 'c'.repeat(40) } } } },
  });
  const capture: GitHubCapture = { writes: [] };
  const octokit = recordingOctokit(inner, capture);
  assert.equal((octokit.request as unknown as { endpoint: { DEFAULTS: { baseUrl: string } } }).endpoint.DEFAULTS.baseUrl, 'https://ghe.example.org/api/v3');
  await octokit.request('POST /graphql', { query: 'query { x }', variables: {} });
  assert.equal(capture.title, 'From GraphQL <b>');
  assert.equal(capture.headSha, 'c'.repeat(40));
  await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: 'o', repo: 'r', pull_number: 1 });
  await octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'heartbeat-bot', request: { retries: 0 }, headers: { x: 1 } });
  assert.deepEqual(inner.calls, ['POST /graphql', 'GET /repos/{owner}/{repo}/pulls/{pull_number}', 'POST /repos/{owner}/{repo}/check-runs']);
  assert.deepEqual(capture.writes, [{ request: 'POST /repos/{owner}/{repo}/check-runs', body: { owner: 'o', repo: 'r', name: 'heartbeat-bot' } }]);
});

const GITHUB_OUTCOME: GitHubReviewOutcome = { conclusion: 'failure', findings: 2, severities: { error: 1, warning: 1 }, annotations: 2, inlineComments: 1, bodyOnly: 0, resolved: 0, apiCalls: 7 };

test('GitHub records: done, skipped, dry run, failed and dead, with findings and table from the check run', () => {
  const job = { owner: 'openstack-ops', repo: 'deployment', number: 7, headSha: 'a'.repeat(40), reason: 'pull_request.opened' };
  const capture: GitHubCapture = {
    title: 'Tune nova-api',
    writes: [{ request: 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', body: { output: { title: '1 error', summary: formatSummaryMarkdown(ROWS), annotations: FINDINGS.map(annotationOf) } } }],
  };
  const base = { job, key: 'github:openstack-ops/deployment#7@aaa', capture, finishedAt: 1000, durationMs: 12.4 };
  const done = githubReviewRecord({ ...base, outcome: GITHUB_OUTCOME });
  assert.equal(done.status, 'done');
  assert.equal(done.subject, 'Tune nova-api');
  assert.equal(done.url, 'https://github.com/openstack-ops/deployment/pull/7');
  assert.deepEqual(done.severities, { error: 1, warning: 1, info: 0 });
  assert.equal(done.findings.length, 2);
  assert.equal(done.concurrency?.rows.length, 2);
  assert.equal(done.durationMs, 12);
  assert.deepEqual(done.notes, []);
  assert.equal(githubReviewRecord({ ...base, outcome: { ...GITHUB_OUTCOME, skipped: 'draft' } }).status, 'skipped');
  const dry = githubReviewRecord({ ...base, capture: { writes: [] }, outcome: { ...GITHUB_OUTCOME, dryRun: { checkRun: { output: { summary: '', annotations: [annotationOf(FINDINGS[0]!)] } }, review: { event: 'COMMENT' } } } });
  assert.equal(dry.status, 'dry-run');
  assert.deepEqual(dry.posted.map((p) => [p.request, p.wouldPost]), [['POST /repos/{owner}/{repo}/check-runs', true], ['POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', true]]);
  assert.match(dry.notes[0] ?? '', /1 finding\(s\) are not listed/);
  const failed = githubReviewRecord({ ...base, capture: { writes: [] }, error: { message: 'GET /pulls: 502', permanent: false } });
  assert.deepEqual([failed.status, failed.error], ['failed', 'GET /pulls: 502']);
  assert.equal(githubReviewRecord({ ...base, error: { message: '404', permanent: true } }).status, 'dead');
  assert.equal(pullRequestUrl(job, 'https://ghe.example.org/api/v3'), 'https://ghe.example.org/openstack-ops/deployment/pull/7');
  assert.equal(pullRequestUrl({ ...job, owner: '"><x', repo: 'r' }), 'https://github.com/%22%3E%3Cx/r/pull/7');
});

test('the recording fetch keeps successful writes and the change subject; failed requests and other reads are not kept', async () => {
  const answers: Record<string, Response> = {};
  const inner: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.includes('?o=')) return new Response(`)]}'\n${JSON.stringify({ subject: 'Tune <script>', current_revision: 'b'.repeat(40) })}`, { status: 200 });
    if (init?.method === 'POST' && url.endsWith('/fail/review')) return new Response('conflict', { status: 409 });
    return answers[url] ?? new Response(`)]}'\n{}`, { status: 200 });
  };
  const capture: GerritCapture = { writes: [] };
  const f = recordingFetch(inner, capture);
  await f('https://review.example.org/a/changes/p~1?o=CURRENT_REVISION&o=CURRENT_COMMIT&o=MESSAGES');
  await f('https://review.example.org/a/changes/p~1/revisions/x/files/');
  await f('https://review.example.org/a/changes/p~1/revisions/x/review', { method: 'POST', body: JSON.stringify({ message: 'hi', tag: 'autogenerated:heartbeat-bot' }) });
  await f('https://review.example.org/a/changes/p~1/revisions/fail/review', { method: 'POST', body: '{}' });
  assert.equal(capture.subject, 'Tune <script>');
  assert.equal(capture.revision, 'b'.repeat(40));
  assert.deepEqual(capture.writes, [{ request: 'POST /a/changes/p~1/revisions/x/review', body: { message: 'hi', tag: 'autogenerated:heartbeat-bot' } }]);
});

test('Gerrit records: status from the outcome, the link to the patch set, findings and table from the posted review', () => {
  const outcome: GerritReviewOutcome = { posted: true, findings: 1, severities: { error: 1 }, comments: 1, resolved: 0, apiCalls: 5, patchSet: 2, revision: 'c'.repeat(40) };
  const inline = inlineCommentMessage({ finding: FINDINGS[0]!, fingerprint: 'abcdef12:1', botName: 'heartbeat-bot', fixInText: true });
  const capture: GerritCapture = { subject: 'Tune', writes: [{ request: 'POST /a/changes/x/revisions/c/review', body: { message: `x\n\n${concurrencyTable(ROWS)}`, comments: { 'manifests/api.pp': [{ line: 2, message: inline }] } } }] };
  const job = { project: 'openstack/puppet-nova', change: 42, patchSet: 2, recheck: true, reason: 'recheck' };
  const r = gerritReviewRecord({ job, key: 'gerrit:openstack/puppet-nova~42,2+recheck', capture, outcome, finishedAt: 5, durationMs: 3, gerritUrl: 'https://review.opendev.org/' });
  assert.equal(r.url, 'https://review.opendev.org/c/openstack/puppet-nova/+/42/2');
  assert.equal(r.status, 'done');
  assert.equal(r.sha, 'c'.repeat(40));
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['nova-wsgi-threads-not-1']);
  assert.equal(r.concurrency?.rows[0]?.[0], 'nova-api');
  assert.equal(r.details.recheck, true);
  const dry = gerritReviewRecord({ job, key: 'k', capture: { writes: [] }, outcome: { ...outcome, posted: false, dryRun: { path: '/changes/x/revisions/c/review', review: { message: 'm' } } }, finishedAt: 5, durationMs: 3, gerritUrl: 'https://g' });
  assert.equal(dry.status, 'dry-run');
  assert.deepEqual(dry.posted, [{ request: 'POST /changes/x/revisions/c/review', body: { message: 'm' }, wouldPost: true }]);
  assert.equal(gerritReviewRecord({ job, key: 'k', capture: { writes: [] }, error: { message: '403 forbidden', permanent: true }, finishedAt: 5, durationMs: 3, gerritUrl: 'https://g' }).status, 'dead');
  assert.equal(gerritChangeUrl('https://g', 'a b/<c>', 1), 'https://g/c/a%20b/%3Cc%3E/+/1');
});
