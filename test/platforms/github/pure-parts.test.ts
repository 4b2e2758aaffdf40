/** The GitHub platform's pure parts: markers, comment bodies, patch lines, check run output, retry policy. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatMarker, markerKey, parseMarkers, stripMarkers } from '../../../src/platforms/github/markers.js';
import { blobPermalink, fenceFor, inlineCommentBody, lastLineOf, repoHtmlBase, suggestionBlock } from '../../../src/platforms/github/comment-body.js';
import { allCommentable, hunksOfPatch, oldContentFromPatch, rightSideLines } from '../../../src/platforms/github/patch-lines.js';
import { annotationOf, batches, conclusionOf, fitLines, MAX_OUTPUT_CHARS, summaryOf, titleOf } from '../../../src/platforms/github/check-run-output.js';
import { GitHubApi, retryDecision } from '../../../src/platforms/github/api.js';
import { decodeBytes } from '../../../src/platforms/github/pull-request-source.js';
import { mayBeRelevant } from '../../../src/parsers/detect-kind.js';
import { mapLimit } from '../../../src/platforms/map-limit.js';
import { byPriority, planReview, resolvedBody, reviewBody } from '../../../src/platforms/github/publish-review.js';
import { computeHunks } from '../../../src/diff/compute-hunks.js';
import type { Finding, MarkedFinding } from '../../../src/model/finding.js';
import type { GitHubOctokit } from '../../../src/platforms/github/types.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'nova-wsgi-threads-not-1',
  severity: 'error',
  path: 'hieradata/common.yaml',
  line: 1,
  endLine: 1,
  message: 'nova-api runs with 4 mod_wsgi threads per process.',
  references: ['https://bugs.launchpad.net/nova/+bug/1829062'],
  ...over,
});
const marked = (over: Partial<Finding> = {}, onAddedLine = true): MarkedFinding => ({
  ...finding(over),
  diff: { inChangedFile: true, inHunk: onAddedLine, onAddedLine },
});

describe('markers', () => {
  it('round-trips, escapes what could end an HTML comment, and ignores other bots', () => {
    const m = { rule: 'heartbeat-disabled', path: 'etc/nova/a-->b.conf', fp: 'abc:1' };
    const text = formatMarker('heartbeat-bot', m);
    assert.match(text, /^<!-- heartbeat-bot:v1 \{.*\} -->$/);
    assert.ok(!text.slice(4, -3).includes('--'), text);
    assert.deepEqual(parseMarkers('heartbeat-bot', `body\n\n${text}`), [m]);
    assert.deepEqual(parseMarkers('other-bot', text), []);
    assert.deepEqual(parseMarkers('heartbeat-bot', formatMarker('heartbeat-bot', { ...m, state: 'resolved' })), [{ ...m, state: 'resolved' }]);
    assert.equal(stripMarkers('heartbeat-bot', `hello\n\n${text}`), 'hello');
    assert.equal(markerKey(m), markerKey({ ...m, state: 'resolved' } as typeof m));
  });

  it('skips mangled markers', () => {
    assert.deepEqual(parseMarkers('heartbeat-bot', '<!-- heartbeat-bot:v1 {"rule":1} --> <!-- heartbeat-bot:v1 {nope} -->'), []);
  });
});

describe('comment bodies', () => {
  it('makes fences longer than any backtick run', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a ``` b'), '````');
    assert.equal(fenceFor('`````'), '``````');
    assert.equal(suggestionBlock('x = ```\n'), '````suggestion\nx = ```\n````');
  });

  it('writes permalinks from the pull request URL', () => {
    const base = repoHtmlBase('https://github.com/acme/deploy/pull/7');
    assert.equal(base, 'https://github.com/acme/deploy');
    assert.equal(blobPermalink(base, 'abc', 'etc/nova/nova api.conf', 3, 5), 'https://github.com/acme/deploy/blob/abc/etc/nova/nova%20api.conf#L3-L5');
    assert.equal(blobPermalink(base, 'abc', 'a.pp', 3), 'https://github.com/acme/deploy/blob/abc/a.pp#L3');
  });

  it('offers a suggestion only when its lines equal the comment lines', () => {
    const f = finding({ suggestion: { line: 1, endLine: 1, replacement: 'nova::wsgi::apache_api::threads: 1' } });
    const marker = { rule: f.ruleId, path: f.path, fp: 'x:1' };
    const body = inlineCommentBody({ finding: f, botName: 'heartbeat-bot', docsUrl: 'https://bot.example.org/rules/', marker, line: 1, endLine: 1 });
    assert.match(body, /^🚫 \*\*\[nova-wsgi-threads-not-1\]\(https:\/\/bot\.example\.org\/rules\/nova-wsgi-threads-not-1\)\*\*/);
    assert.match(body, /```suggestion\nnova::wsgi::apache_api::threads: 1\n```/);
    assert.match(body, /<https:\/\/bugs\.launchpad\.net\/nova\/\+bug\/1829062>/);
    assert.ok(body.endsWith(formatMarker('heartbeat-bot', marker)));
    const other = inlineCommentBody({ finding: f, botName: 'heartbeat-bot', marker, line: 1, endLine: 2 });
    assert.doesNotMatch(other, /suggestion/);
    // Without DOCS_URL there is no web address for the docs: no relative link that would resolve against the PR.
    assert.match(other, /^🚫 \*\*nova-wsgi-threads-not-1\*\*/);
  });

  it('does not count a line the finding ends before', () => {
    assert.equal(lastLineOf({ line: 3, endLine: 5, endColumn: 1 }), 4);
    assert.equal(lastLineOf({ line: 3, endLine: 3, endColumn: 1 }), 3);
    assert.equal(lastLineOf({ line: 3, endLine: 5 }), 5);
  });
});

const OLD = ['[DEFAULT]', 'debug = false', 'a = 1', 'b = 2', 'c = 3', 'd = 4', 'e = 5', '[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 60', 'x = 1', ''].join('\n');
const NEW = ['[DEFAULT]', 'debug = true', 'a = 1', 'b = 2', 'c = 3', 'd = 4', 'e = 5', '[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 0', 'x = 1', 'y = 2', ''].join('\n');

function patchOf(oldText: string, newText: string): string {
  const hunks = computeHunks(oldText, newText)!;
  // Unified diffs number an empty side by the line before it (`+0,0`); the `diff` package's hunks by the one after.
  const at = (start: number, count: number) => `${count === 0 ? start - 1 : start},${count}`;
  return hunks.map((h) => [`@@ -${at(h.oldStart, h.oldLines)} +${at(h.newStart, h.newLines)} @@`, ...h.lines].join('\n')).join('\n');
}

describe('patch lines', () => {
  it('knows the new-side lines of the hunks', () => {
    const hunks = hunksOfPatch(patchOf(OLD, NEW), 'nova.conf')!;
    const lines = rightSideLines(hunks);
    assert.ok(lines.has(2) && lines.has(9) && lines.has(11));
    assert.ok(allCommentable(lines, 8, 10));
    assert.equal(hunksOfPatch(undefined, 'x'), undefined);
    assert.equal(hunksOfPatch('@@ -1,3 +1,1 @@\n-a\n', 'x'), undefined, 'malformed');
  });

  it('rebuilds the old content from the new content and the patch', () => {
    const cases: [string, string][] = [
      [OLD, NEW],
      ['a\nb\nc', 'a\nB\nc'],
      ['a\nb\nc\n', 'a\nb\nc'],
      ['a\nb\nc', 'a\nb\nc\n'],
      ['x\n', ''],
      ['', 'x\ny\n'],
      ['1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n', '1\n2\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\nnew\n'],
      ['a\r\nb\r\n', 'a\r\nc\r\n'],
    ];
    for (const [oldText, newText] of cases) {
      const hunks = hunksOfPatch(patchOf(oldText, newText), 'f')!;
      assert.equal(oldContentFromPatch(newText, hunks), oldText, JSON.stringify([oldText, newText]));
    }
    const hunks = hunksOfPatch(patchOf(OLD, NEW), 'f')!;
    assert.equal(oldContentFromPatch(NEW.replace('debug = true', 'debug = maybe'), hunks), undefined, 'a patch that does not fit');
  });
});

describe('check run output', () => {
  it('titles and concludes from severities', () => {
    assert.equal(titleOf([]), 'No findings');
    assert.equal(titleOf([{ severity: 'error' }, { severity: 'error' }, { severity: 'error' }, { severity: 'warning' }]), '3 errors, 1 warning');
    assert.equal(conclusionOf([]), 'success');
    assert.equal(conclusionOf([{ severity: 'warning' }, { severity: 'info' }]), 'neutral');
    assert.equal(conclusionOf([{ severity: 'info' }, { severity: 'error' }]), 'failure');
  });

  it('annotates with the rule id as title and the references as details', () => {
    const a = annotationOf(finding({ severity: 'info', line: 2, endLine: 3, suggestion: { line: 2, endLine: 3, replacement: 'x' } }));
    assert.deepEqual(
      [a.path, a.start_line, a.end_line, a.annotation_level, a.title],
      ['hieradata/common.yaml', 2, 3, 'notice', 'nova-wsgi-threads-not-1'],
    );
    assert.match(a.message, /threads per process\.\n\nReferences: <https:/);
    assert.match(a.raw_details!, /^https:\/\/bugs\.launchpad\.net\/nova\/\+bug\/1829062\n\nSuggested replacement of lines 2-3:\nx$/);
  });

  it('batches by 50', () => {
    assert.deepEqual(batches(Array.from({ length: 120 }, (_, i) => i)).map((b) => b.length), [50, 50, 20]);
    assert.deepEqual(batches([]), []);
  });

  it('keeps the summary under 65535 characters with an overflow line', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ path: `hieradata/node${i}.yaml`, message: 'x'.repeat(100) }));
    const summary = summaryOf({
      botName: 'heartbeat-bot',
      headSha: 'a'.repeat(40),
      findings: many,
      permalink: (f) => `https://github.com/o/r/blob/${'a'.repeat(40)}/${f.path}#L1`,
      concurrency: [],
      reviewedFiles: 3000,
      reviewLines: [],
      notes: ['GitHub lists at most 3000 files'],
    });
    assert.ok(summary.length <= MAX_OUTPUT_CHARS, String(summary.length));
    assert.match(summary, /- … and \d+ more findings: see annotations/);
    assert.match(summary, /#### Notes\n\n- GitHub lists at most 3000 files/);
    assert.deepEqual(fitLines(['aaa', 'bbb', 'ccc'], 8, (n) => `+${n}`), ['aaa', 'bbb', '+1']);
  });
});

describe('review plan', () => {
  const patch = '@@ -1,2 +1,3 @@\n-nova::wsgi::apache_api::threads: 1\n+nova::wsgi::apache_api::threads: 4\n+nova::wsgi::apache_api::workers: 4\n foo: 1';
  const findings = [
    marked({ line: 1, endLine: 1 }),
    marked({ line: 2, endLine: 3, severity: 'warning', ruleId: 'other' }),
    marked({ line: 7, endLine: 7, ruleId: 'outside' }, false),
    marked({ path: 'no-patch.yaml' }),
  ];
  const plan = planReview({
    botName: 'heartbeat-bot',
    findings,
    fingerprints: ['a:1', 'b:1', 'c:1', 'd:1'],
    filter: 'added',
    patches: new Map([['hieradata/common.yaml', patch]]),
  });

  it('comments only on findings wholly on the diff', () => {
    assert.deepEqual(plan.onDiff.map((c) => [c.comment.line, c.comment.start_line, c.comment.side]), [
      [1, undefined, 'RIGHT'],
      [3, 2, 'RIGHT'],
    ]);
    assert.deepEqual(plan.offDiff.map((f) => f.path), ['no-patch.yaml']);
    assert.equal(plan.current.size, 4);
  });

  it('orders errors first and lists the overflow in the body with markers', () => {
    assert.deepEqual(byPriority([...plan.onDiff].reverse()).map((c) => c.finding.severity), ['error', 'warning']);
    const body = reviewBody({ botName: 'heartbeat-bot', inline: [plan.onDiff[0]!], bodyOnly: [plan.onDiff[1]!], permalink: () => 'https://x/blob/s/p#L2-L3' });
    assert.match(body, /found 2 new findings on the changed lines \(1 error, 1 warning\)/);
    assert.match(body, /1 more not posted inline/);
    assert.deepEqual(parseMarkers('heartbeat-bot', body), [plan.onDiff[1]!.marker]);
  });

  it('resolves by editing: prefix, quoted original without a live suggestion, resolved marker', () => {
    const original = '⚠️ x\n\n```suggestion\nfoo\n```\n\n' + formatMarker('heartbeat-bot', { rule: 'r', path: 'p', fp: 'f' });
    const body = resolvedBody('heartbeat-bot', original, { rule: 'r', path: 'p', fp: 'f' }, 'b'.repeat(40));
    assert.match(body, /^✅ \*\*Resolved\*\* in bbbbbbbbbbbb:/);
    assert.doesNotMatch(body, /```suggestion/);
    assert.deepEqual(parseMarkers('heartbeat-bot', body), [{ rule: 'r', path: 'p', fp: 'f', state: 'resolved' }]);
  });
});

describe('pull request source helpers', () => {
  it('judges relevance from the path alone', () => {
    for (const p of ['manifests/init.pp', 'hieradata/common.yaml', 'etc/nova/nova.conf', 'templates/nova-api.conf.erb', 'templates/_wsgi.erb', 'nova/wsgi.py', 'bin/nova-api', 'env.yml']) {
      assert.ok(mayBeRelevant(p), p);
    }
    for (const p of ['README.md', 'logo.png', 'hiera.yaml', 'Gemfile.lock', 'templates/local_settings.py.erb', 'spec/x_spec.rb']) {
      assert.ok(!mayBeRelevant(p), p);
    }
  });

  it('decodes text and refuses binary and big blobs', () => {
    assert.deepEqual(decodeBytes(Buffer.from('a = 1\n')), { text: 'a = 1\n' });
    assert.deepEqual(decodeBytes(Buffer.from([0x61, 0, 0x62])), { skipped: 'binary' });
    assert.match((decodeBytes(Buffer.from('x'), 2_000_000) as { skipped: string }).skipped, /^too large/);
    assert.deepEqual(decodeBytes(Buffer.from([0xff, 0xfe, 0x41])), { skipped: 'not valid UTF-8' });
  });

  it('runs at most N at a time', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return n * 2;
    });
    assert.equal(peak, 3);
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });
});

describe('API wrapper', () => {
  const opts = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };
  const facts = (status: number | undefined, headers: Record<string, string> = {}, message = '') => ({ status, headers, message });

  it('retries 5xx and network errors with exponential backoff, a bounded number of times', () => {
    assert.deepEqual(retryDecision(facts(502), 1, opts, 0), { retry: true, delayMs: 1000, reason: 'server error 502' });
    assert.deepEqual(retryDecision(facts(500), 3, opts, 0), { retry: true, delayMs: 4000, reason: 'server error 500' });
    assert.deepEqual(retryDecision(facts(500), 4, opts, 0), { retry: false });
    assert.equal(retryDecision(facts(undefined, {}, 'fetch failed'), 1, opts, 0).retry, true);
    assert.deepEqual(retryDecision(facts(404), 1, opts, 0), { retry: false });
    assert.deepEqual(retryDecision(facts(422), 1, opts, 0), { retry: false });
    assert.deepEqual(retryDecision(facts(403, {}, 'Resource not accessible by integration'), 1, opts, 0), { retry: false });
  });

  it('honours retry-after, then x-ratelimit-reset, and gives up on waits beyond the cap', () => {
    const secondary = facts(403, { 'retry-after': '1' }, 'You have exceeded a secondary rate limit.');
    assert.deepEqual(retryDecision(secondary, 1, opts, 0), { retry: true, delayMs: 1000, reason: 'rate limited (403), retry-after 1s' });
    const primary = facts(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }, 'API rate limit exceeded');
    assert.equal((retryDecision(primary, 1, opts, 95_000) as { delayMs: number }).delayMs, 6000);
    assert.deepEqual(retryDecision(facts(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4000' }), 1, opts, 0), { retry: false });
    assert.equal((retryDecision(facts(429), 2, opts, 0) as { delayMs: number }).delayMs, 2000);
  });

  it('counts every attempt, and withholds writes in a dry run', async () => {
    let n = 0;
    const octokit: GitHubOctokit = {
      async request(route) {
        n++;
        if (route.startsWith('GET') && n < 3) throw Object.assign(new Error('boom'), { status: 503, response: { headers: {} } });
        return { data: { ok: true }, headers: {}, status: 200 };
      },
    };
    const log = { info() {}, warn() {}, error() {} };
    const api = new GitHubApi(octokit, log, true, { sleep: async () => {} });
    assert.deepEqual((await api.request('GET /x')).data, { ok: true });
    assert.equal(api.calls, 3);
    await api.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o' });
    assert.equal(api.calls, 3);
    assert.equal(n, 3);
    assert.deepEqual(api.withheld, [{ route: 'POST /repos/{owner}/{repo}/check-runs', params: { owner: 'o' } }]);
  });

  it('sends GraphQL queries even in a dry run, withholds mutations, and waits out RATE_LIMITED however it comes', async () => {
    const sent: { route: string; params: Record<string, unknown> | undefined }[] = [];
    const sleeps: number[] = [];
    const limited = { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] };
    const reset = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' };
    const answers: Array<() => Promise<{ data: unknown; headers: Record<string, string>; status: number }>> = [
      // As GitHub sends it: 200 with errors.
      async () => ({ data: limited, headers: reset, status: 200 }),
      // As Octokit's throttling plugin rethrows it: an error without a status, the answer in `response`.
      async () => Promise.reject(Object.assign(new Error('GraphQL Rate Limit Exceeded'), { response: { data: limited, headers: reset, status: 200 } })),
      async () => ({ data: { data: { repository: { name: 'r' } } }, headers: {}, status: 200 }),
      async () => ({ data: { errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository' }] }, headers: {}, status: 200 }),
    ];
    const octokit: GitHubOctokit = {
      async request(route, params) {
        sent.push({ route, params });
        return answers.shift()!();
      },
    };
    const api = new GitHubApi(octokit, { info() {}, warn() {}, error() {} }, true, { sleep: async (ms) => void sleeps.push(ms) }, () => 95_000);
    assert.deepEqual(await api.graphql('query Q { repository(owner: "o", name: "r") { name } }', { a: 1 }), { repository: { name: 'r' } });
    assert.deepEqual(sleeps, [6000, 6000], 'until x-ratelimit-reset, both times');
    assert.deepEqual(sent.map((s) => [s.route, s.params?.query, s.params?.variables]), Array(3).fill(['POST /graphql', 'query Q { repository(owner: "o", name: "r") { name } }', { a: 1 }]));
    assert.deepEqual(api.callsByKind, { rest: 0, graphql: 3 });
    await assert.rejects(api.graphql('query { x }'), /GraphQL: NOT_FOUND: Could not resolve to a Repository/);
    assert.deepEqual(await api.graphql('mutation { resolveReviewThread(input: {threadId: "x"}) { clientMutationId } }'), {});
    assert.equal(api.withheld.at(-1)?.route, 'POST /graphql');
    assert.equal(sent.length, 4, 'the mutation was not sent');
  });
});
