/**
 * The fake GitHub, driven by a real @octokit/rest client and Probot's Octokit (App JWT through @octokit/auth-app).
 * These tests double as documentation of how GitHub's REST API behaves for a review bot: pagination and the
 * 3000-file cap, missing patches, JWT and installation tokens, 422 on review lines outside the diff (the whole
 * review is rejected), check-run limits (50 annotations per request, 65535 characters), rate limits and forks.
 */
import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { Probot, ProbotOctokit } from 'probot';
import type { FakeGitHub } from './github/fake-github.js';
import { LIMITS, startFakeGitHub } from './github/fake-github.js';

const OWNER = 'openstack-ops';
const REPO = 'deploy';

/** Octokit's request-log plugin prints every failed request; the failures here are on purpose. */
const log = { debug: (): void => {}, info: (): void => {}, warn: (): void => {}, error: (): void => {} };

function status(e: unknown): number | undefined {
  return (e as { status?: number }).status;
}

function responseBody(e: unknown): Record<string, unknown> {
  return ((e as { response?: { data?: unknown } }).response?.data ?? {}) as Record<string, unknown>;
}

async function rejects(p: Promise<unknown>, code: number): Promise<{ status: number; data: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    assert.equal(status(e), code, `expected HTTP ${code}, got ${status(e)}: ${JSON.stringify(responseBody(e))}`);
    const headers = ((e as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}) as Record<string, string>;
    return { status: code, data: responseBody(e), headers };
  }
  assert.fail(`expected HTTP ${code}, got success`);
}

const OLD_CONF = ['[DEFAULT]', 'debug = false', 'transport_url = rabbit://a', '', '[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 60', 'rabbit_ha_queues = false', 'amqp_durable_queues = false', 'rabbit_retry_interval = 1', ''].join('\n');
const NEW_CONF = OLD_CONF.replace('heartbeat_timeout_threshold = 60', 'heartbeat_timeout_threshold = 0\nheartbeat_in_pthread = true');

describe('fake GitHub', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;

  before(async () => {
    fake = await startFakeGitHub({ contentRateLimit: false });
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    octokit = new Octokit({ log, baseUrl: fake.url, auth: fake.installationToken() });
    fake.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 7,
      title: 'Tune heartbeats',
      base: { ref: 'main' },
      head: { ref: 'tune' },
      files: [
        { path: 'etc/nova/nova.conf', oldContent: OLD_CONF, newContent: NEW_CONF },
        { path: 'etc/apache2/wsgi.conf', newContent: 'WSGIDaemonProcess nova processes=4 threads=8\n' },
        { path: 'docs/logo.png', newContent: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) },
        { path: 'old.txt', oldContent: 'gone\n' },
      ],
    });
  });

  describe('pull requests and files', () => {
    it('serves the pull request with head/base shas and changed_files', async () => {
      const { data } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
      assert.equal(data.number, 7);
      assert.equal(data.title, 'Tune heartbeats');
      assert.equal(data.state, 'open');
      assert.equal(data.draft, false);
      assert.equal(data.changed_files, 4);
      assert.match(data.head.sha, /^[0-9a-f]{40}$/);
      assert.equal(data.base.ref, 'main');
      assert.equal(data.head.repo?.full_name, `${OWNER}/${REPO}`);
      assert.equal(data.head.repo?.fork, false);
    });

    it('lists files with git blob shas, statuses, line counts and unified hunks without file headers', async () => {
      const { data } = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 });
      const conf = data.find((f) => f.filename === 'etc/nova/nova.conf');
      assert.ok(conf);
      assert.equal(conf.status, 'modified');
      assert.equal(conf.additions, 2);
      assert.equal(conf.deletions, 1);
      assert.equal(conf.changes, 3);
      assert.equal(conf.patch, '@@ -3,7 +3,8 @@\n transport_url = rabbit://a\n \n [oslo_messaging_rabbit]\n-heartbeat_timeout_threshold = 60\n+heartbeat_timeout_threshold = 0\n+heartbeat_in_pthread = true\n rabbit_ha_queues = false\n amqp_durable_queues = false\n rabbit_retry_interval = 1');
      const gitSha = execFileSync('git', ['hash-object', '--stdin'], { input: NEW_CONF }).toString().trim();
      assert.equal(conf.sha, gitSha);
      assert.match(conf.contents_url, new RegExp(`^${fake.url}/repos/${OWNER}/${REPO}/contents/etc/nova/nova.conf\\?ref=`));
      const added = data.find((f) => f.filename === 'etc/apache2/wsgi.conf');
      assert.equal(added?.status, 'added');
      assert.equal(added?.patch, '@@ -0,0 +1 @@\n+WSGIDaemonProcess nova processes=4 threads=8');
      const removed = data.find((f) => f.filename === 'old.txt');
      assert.equal(removed?.status, 'removed');
      assert.equal(removed?.patch, '@@ -1 +0,0 @@\n-gone');
    });

    it('leaves patch out for binary files, omitPatch and diffs over the size limit', async () => {
      fake.addPullRequest({
        owner: OWNER,
        repo: REPO,
        number: 8,
        base: { ref: 'main' },
        head: { ref: 'big' },
        files: [
          { path: 'huge.txt', newContent: Array.from({ length: LIMITS.maxPatchLines + 1 }, (_, i) => `line ${i}`).join('\n') + '\n' },
          { path: 'generated.conf', oldContent: 'a = 1\n', newContent: 'a = 2\n', omitPatch: true },
          { path: 'forced.bin', newContent: 'text but marked binary\n', binary: true },
        ],
      });
      const { data } = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 8 });
      for (const f of data) assert.equal('patch' in f, false, f.filename);
      assert.equal(data.find((f) => f.filename === 'huge.txt')?.additions, LIMITS.maxPatchLines + 1);
      assert.equal(data.find((f) => f.filename === 'forced.bin')?.changes, 0);
      const png = (await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 })).data.find((f) => f.filename === 'docs/logo.png');
      assert.equal(png && 'patch' in png, false);
    });

    it('paginates files 30 per page by default, 100 at most, with Link headers, and stops at 3000 files', async () => {
      const files = Array.from({ length: 3050 }, (_, i) => ({ path: `f/${String(i).padStart(4, '0')}.conf`, newContent: `n = ${i}\n` }));
      fake.addPullRequest({ owner: OWNER, repo: REPO, number: 9, base: { ref: 'main' }, head: { ref: 'many' }, files });
      const first = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9 });
      assert.equal(first.data.length, 30);
      assert.match(first.headers.link ?? '', /page=2>; rel="next"/);
      assert.match(first.headers.link ?? '', /page=100>; rel="last"/);
      const big = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 9, per_page: 500, page: 30 });
      assert.equal(big.data.length, 100, 'per_page is capped at 100');
      assert.doesNotMatch(big.headers.link ?? '', /rel="next"/);
      assert.match(big.headers.link ?? '', /rel="prev".*rel="first"/);
      const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 9, per_page: 100 });
      assert.equal(all.length, LIMITS.maxPullFiles);
      assert.equal(all.at(-1)?.filename, 'f/2999.conf');
      const pr = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 9 });
      assert.equal(pr.data.changed_files, 3050, 'the pull request still counts every file');
      assert.equal(fake.requestsTo('GET', /\/pulls\/9\/files$/).length, 2 + 30);
    });

    it('returns the combined diff for the diff media type, and 406 too_large above 300 files', async () => {
      const diff = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: OWNER, repo: REPO, pull_number: 7, mediaType: { format: 'diff' } });
      assert.match(String(diff.data), /^diff --git a\/etc\/nova\/nova.conf b\/etc\/nova\/nova.conf\n--- a\/etc\/nova\/nova.conf\n\+\+\+ b\/etc\/nova\/nova.conf\n@@ -3,7 \+3,8 @@/);
      assert.match(String(diff.data), /Binary files \/dev\/null and b\/docs\/logo.png differ/);
      fake.addPullRequest({ owner: OWNER, repo: REPO, number: 10, base: { ref: 'main' }, head: { ref: 'x' }, files: Array.from({ length: 301 }, (_, i) => ({ path: `x${i}`, newContent: 'x\n' })) });
      const { data } = await rejects(octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: OWNER, repo: REPO, pull_number: 10, mediaType: { format: 'diff' } }), 406);
      assert.deepEqual(data.errors, [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }]);
    });

    it('a push moves the head, changes the files and keeps the old commit reviewable', async () => {
      const before = fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string } };
      const sha = fake.pushCommit(OWNER, REPO, 7, { files: [{ path: 'etc/nova/nova.conf', newContent: OLD_CONF.replace('debug = false', 'debug = true') }] });
      const { data } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
      assert.equal(data.head.sha, sha);
      assert.notEqual(sha, before.head.sha);
      const files = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 });
      assert.deepEqual(files.data.map((f) => f.filename), ['etc/nova/nova.conf']);
      assert.equal(files.data[0]?.status, 'modified', 'old content comes from the base tree');
      const commit = await octokit.rest.repos.getCommit({ owner: OWNER, repo: REPO, ref: sha });
      assert.equal(commit.data.parents[0]?.sha, before.head.sha);
      const compare = await octokit.rest.repos.compareCommitsWithBasehead({ owner: OWNER, repo: REPO, basehead: `${data.base.sha}...${sha}` });
      assert.deepEqual(compare.data.files?.map((f) => f.filename), ['etc/nova/nova.conf']);
    });
  });

  describe('contents and blobs', () => {
    it('serves files base64-encoded at a ref, raw on request, and 404 when absent', async () => {
      const pr = fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string }; base: { sha: string } };
      fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', 'rules:\n  HB001: off\n');
      const { data } = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: '.github/heartbeat-bot.yml', ref: 'main' });
      assert.ok(!Array.isArray(data) && data.type === 'file');
      assert.equal(data.encoding, 'base64');
      assert.equal(Buffer.from(data.content, 'base64').toString(), 'rules:\n  HB001: off\n');
      assert.equal(data.size, 20);
      const head = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'etc/nova/nova.conf', ref: pr.head.sha });
      assert.ok(!Array.isArray(head.data) && head.data.type === 'file');
      assert.equal(Buffer.from(head.data.content, 'base64').toString(), NEW_CONF);
      const base = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'etc/nova/nova.conf', ref: pr.base.sha });
      assert.ok(!Array.isArray(base.data) && base.data.type === 'file');
      assert.equal(Buffer.from(base.data.content, 'base64').toString(), OLD_CONF);
      const raw = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'etc/nova/nova.conf', ref: pr.head.sha, mediaType: { format: 'raw' } });
      assert.equal(String(raw.data), NEW_CONF);
      const missing = await rejects(octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'etc/apache2/wsgi.conf', ref: 'main' }), 404);
      assert.equal(missing.data.message, 'Not Found');
      await rejects(octokit.rest.repos.getContent({ owner: OWNER, repo: '.github', path: '.github/heartbeat-bot.yml' }), 404);
      const blob = await octokit.rest.git.getBlob({ owner: OWNER, repo: REPO, file_sha: head.data.sha });
      assert.equal(Buffer.from(blob.data.content, 'base64').toString(), NEW_CONF);
    });

    it('serves the repository and recursive git trees', async () => {
      const head = (fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string } }).head.sha;
      const repo = await octokit.rest.repos.get({ owner: OWNER, repo: REPO });
      assert.equal(repo.data.full_name, `${OWNER}/${REPO}`);
      assert.equal(repo.data.default_branch, 'main');
      const tree = await octokit.rest.git.getTree({ owner: OWNER, repo: REPO, tree_sha: head, recursive: 'true' });
      assert.deepEqual(tree.data.tree.filter((e) => e.type === 'blob').map((e) => e.path), ['docs/logo.png', 'etc/apache2/wsgi.conf', 'etc/nova/nova.conf']);
      assert.ok(tree.data.tree.some((e) => e.type === 'tree' && e.path === 'etc/apache2'));
    });

    it("answers Probot's context.config read (raw media type, .github repo fallback)", async () => {
      fake.setFile(OWNER, REPO, 'main', '.github/heartbeat-bot.yml', 'rules:\n  HB001: off\n');
      const probotOctokit = new ProbotOctokit({ log, auth: { token: fake.installationToken() }, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
      const { config } = await probotOctokit.config.get({ owner: OWNER, repo: REPO, path: '.github/heartbeat-bot.yml' });
      assert.deepEqual(config, { rules: { HB001: 'off' } });
      const none = await probotOctokit.config.get({ owner: OWNER, repo: 'other', path: '.github/heartbeat-bot.yml' });
      assert.deepEqual(none.config, {});
    });
  });

  describe('authentication', () => {
    it('accepts an App JWT (PKCS#1 or PKCS#8 key) and exchanges it for an installation token', async () => {
      for (const privateKey of [fake.privateKey, fake.privateKeyPkcs8]) {
        const app = new ProbotOctokit({ log, auth: { appId: fake.appId, privateKey }, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
        const { data } = await app.rest.apps.getAuthenticated();
        assert.equal(data?.id, fake.appId);
        const inst = await app.rest.apps.getRepoInstallation({ owner: OWNER, repo: REPO });
        assert.equal(inst.data.id, fake.installationId);
      }
      const installed = new ProbotOctokit({ log, auth: { appId: fake.appId, privateKey: fake.privateKey, installationId: fake.installationId }, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
      const pr = await installed.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
      assert.equal(pr.data.number, 7);
      const exchange = fake.requestsTo('POST', `/app/installations/${fake.installationId}/access_tokens`);
      assert.equal(exchange.length, 1);
      assert.equal(exchange[0]?.status, 201);
      assert.equal(exchange[0]?.headers.authorization, 'bearer [redacted]');
      const token = await installed.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: fake.installationId,
        headers: { authorization: `bearer ${(await (installed.auth as (o: unknown) => Promise<{ token: string }>)({ type: 'app' })).token}` },
      });
      assert.match(String(token.data.token), /^ghs_/);
      assert.ok(token.data.expires_at);
      assert.equal(token.data.repository_selection, 'all');
      assert.equal(token.data.permissions?.checks, 'write');
    });

    it('lets a Probot instance (appId, privateKey, baseUrl) authenticate as an installation', async () => {
      const probot = new Probot({ appId: fake.appId, privateKey: fake.privateKey, baseUrl: fake.url, secret: 'test', logLevel: 'fatal' });
      const installation = await probot.auth(fake.installationId);
      const files = await installation.paginate(installation.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 7 });
      assert.equal(files.length, 4);
      assert.equal(fake.requestsTo('GET', /\/pulls\/7\/files$/)[0]?.auth, 'installation');
    });

    it('rejects JWTs signed by another key, for another app, or expired, with 401', async () => {
      const other = await startFakeGitHub();
      try {
        const wrongKey = new ProbotOctokit({ log, auth: { appId: fake.appId, privateKey: other.privateKey }, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
        const bad = await rejects(wrongKey.rest.apps.getAuthenticated(), 401);
        assert.equal(bad.data.message, 'A JSON web token could not be decoded');
        const wrongApp = new ProbotOctokit({ log, auth: { appId: 999, privateKey: fake.privateKey }, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
        await rejects(wrongApp.rest.apps.getAuthenticated(), 401);
      } finally {
        await other.close();
      }
      // Hand-made JWTs: GitHub wants exp at most 10 minutes ahead and iat not in the future.
      const jwt = (claims: Record<string, unknown>): string => {
        const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
        const head = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
        return `${head}.${createSign('RSA-SHA256').update(head).sign(fake.privateKey).toString('base64url')}`;
      };
      const now = Math.floor(Date.now() / 1000);
      const asApp = (token: string): Promise<unknown> => new Octokit({ log, baseUrl: fake.url, auth: token }).rest.apps.getAuthenticated();
      assert.equal((await asApp(jwt({ iss: String(fake.appId), iat: now - 30, exp: now + 540 })).then(() => 200)), 200, 'iss may be a string');
      assert.match(String((await rejects(asApp(jwt({ iss: fake.appId, iat: now, exp: now + 3600 })), 401)).data.message), /'Expiration time' claim \('exp'\) is too far in the future/);
      assert.match(String((await rejects(asApp(jwt({ iss: fake.appId, iat: now - 700, exp: now - 100 })), 401)).data.message), /'Expiration time' claim/);
      assert.match(String((await rejects(asApp(jwt({ iss: fake.appId, iat: now + 300, exp: now + 500 })), 401)).data.message), /'Issued at' claim/);
      const withToken = new Octokit({ log, baseUrl: fake.url, auth: fake.installationToken() });
      const notJwt = await rejects(withToken.rest.apps.getAuthenticated(), 401);
      assert.equal(notJwt.data.message, 'A JSON web token could not be decoded');
    });

    it('answers 401 Bad credentials to unknown, expired or missing tokens on repository endpoints', async () => {
      const unknown = new Octokit({ log, baseUrl: fake.url, auth: 'ghs_nope' });
      const r = await rejects(unknown.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 401);
      assert.equal(r.data.message, 'Bad credentials');
      await rejects(new Octokit({ log, baseUrl: fake.url }).rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 401);
      fake.expireTokens();
      await rejects(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 401);
      const pat = new Octokit({ log, baseUrl: fake.url, auth: fake.addToken('ghp_registered') });
      assert.equal((await pat.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).data.number, 7);
    });

    it('logs requests with the authorization header reduced to its scheme', async () => {
      fake.clearRequests();
      await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
      const [req] = fake.requests;
      assert.equal(req?.headers.authorization, 'token [redacted]');
      assert.equal(req?.auth, 'installation');
      assert.equal(req?.status, 200);
      assert.equal(req?.path, `/repos/${OWNER}/${REPO}/pulls/7`);
    });
  });

  describe('check runs', () => {
    const head = (): string => (fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string } }).head.sha;
    const annotation = (i: number): { path: string; start_line: number; end_line: number; annotation_level: 'warning'; message: string } => ({
      path: 'etc/nova/nova.conf',
      start_line: 6,
      end_line: 6,
      annotation_level: 'warning',
      message: `finding ${i}`,
    });

    it('creates, updates (appending annotations) and lists check runs', async () => {
      const created = await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'heartbeat-bot', head_sha: head(), status: 'in_progress', output: { title: 'Running', summary: '…', annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) } });
      assert.equal(created.status, 201);
      assert.equal(created.data.status, 'in_progress');
      assert.equal(created.data.pull_requests.length, 1);
      await octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, output: { title: 'Running', summary: '…', annotations: Array.from({ length: 20 }, (_, i) => annotation(50 + i)) } });
      const done = await octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, conclusion: 'failure', output: { title: '2 errors', summary: 'done' } });
      assert.equal(done.data.status, 'completed', 'a conclusion completes the run');
      assert.equal(done.data.output.annotations_count, 70);
      assert.ok(done.data.completed_at);
      const run = fake.state.checkRuns[0];
      assert.deepEqual(run?.annotationBatches, [50, 20]);
      assert.equal(run?.output.summary, 'done');
      const listed = await octokit.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: head(), check_name: 'heartbeat-bot' });
      assert.equal(listed.data.total_count, 1);
      assert.equal(listed.data.check_runs[0]?.conclusion, 'failure');
      const annotations = await octokit.paginate(octokit.rest.checks.listAnnotations, { owner: OWNER, repo: REPO, check_run_id: created.data.id, per_page: 100 });
      assert.equal(annotations.length, 70);
      assert.equal((await octokit.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: head(), check_name: 'other' })).data.total_count, 0);
    });

    it('rejects 51 annotations in one request with 422, storing nothing', async () => {
      const r = await rejects(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'heartbeat-bot', head_sha: head(), output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) } }), 422);
      assert.equal(r.data.message, 'Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.');
      assert.equal(fake.state.checkRuns.length, 0);
    });

    it('rejects a 65536-character summary or text with 422 naming the limit', async () => {
      const r = await rejects(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'heartbeat-bot', head_sha: head(), status: 'completed', conclusion: 'neutral', output: { title: 't', summary: 'x'.repeat(65_536) } }), 422);
      assert.equal(r.data.message, 'Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.');
      const created = await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'heartbeat-bot', head_sha: head(), output: { title: 't', summary: 'x'.repeat(65_535) } });
      await rejects(octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, output: { title: 't', summary: 's', text: 'y'.repeat(70_000) } }), 422);
      const emoji = await rejects(octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: created.data.id, output: { title: 't', summary: '🫀'.repeat(20_000) } }), 422);
      assert.match(JSON.stringify(emoji.data.errors), /summary exceeds a maximum bytesize of 65535/);
    });

    it('rejects annotations missing a required field, or with columns over several lines', async () => {
      const { path: _path, ...noPath } = annotation(0);
      await rejects(octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: OWNER, repo: REPO, name: 'hb', head_sha: head(), output: { title: 't', summary: 's', annotations: [noPath as never] } }), 422);
      await rejects(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head(), output: { title: 't', summary: 's', annotations: [{ ...annotation(0), end_line: 7, start_column: 1, end_column: 4 }] } }), 422);
      await rejects(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head(), output: { title: 't', summary: 's', annotations: [{ ...annotation(0), annotation_level: 'error' as 'warning' }] } }), 422);
      const ok = await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head(), output: { title: 't', summary: 's', annotations: [{ ...annotation(0), start_column: 1, end_column: 4 }] } });
      assert.equal(ok.status, 201);
      await rejects(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head(), output: { title: 't' } as { title: string; summary: string } }), 422);
    });

    it('refuses check runs to personal tokens (Apps only)', async () => {
      const pat = new Octokit({ log, baseUrl: fake.url, auth: fake.addToken(undefined, { kind: 'personal' }) });
      const r = await rejects(pat.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head() }), 403);
      assert.equal(r.data.message, 'You must authenticate via a GitHub App.');
    });
  });

  describe('reviews and comments', () => {
    const head = (): string => (fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string } }).head.sha;

    it('stores a review whose comments are all inside the diff hunks, single- and multi-line', async () => {
      const { data } = await octokit.rest.pulls.createReview({
        owner: OWNER,
        repo: REPO,
        pull_number: 7,
        commit_id: head(),
        event: 'COMMENT',
        body: 'heartbeat-bot found 2 problems',
        comments: [
          { path: 'etc/nova/nova.conf', line: 6, side: 'RIGHT', body: 'heartbeat_timeout_threshold = 0 disables heartbeats' },
          { path: 'etc/nova/nova.conf', start_line: 6, start_side: 'RIGHT', line: 7, side: 'RIGHT', body: 'range' },
          { path: 'etc/nova/nova.conf', line: 6, side: 'LEFT', body: 'old line' },
          { path: 'etc/apache2/wsgi.conf', line: 1, body: 'threads=8' },
        ],
      });
      assert.equal(data.state, 'COMMENTED');
      assert.equal(data.user?.login, 'heartbeat-bot[bot]');
      const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: OWNER, repo: REPO, pull_number: 7, per_page: 2 });
      assert.equal(comments.length, 4);
      assert.ok(comments.every((c) => c.pull_request_review_id === data.id));
      assert.equal(comments[1]?.start_line, 6);
      assert.equal(comments[1]?.line, 7);
      assert.equal(comments[0]?.diff_hunk, '@@ -3,7 +3,8 @@\n transport_url = rabbit://a\n \n [oslo_messaging_rabbit]\n-heartbeat_timeout_threshold = 60\n+heartbeat_timeout_threshold = 0');
      assert.equal(comments[0]?.position, 5);
      assert.match(comments[0]?.html_url ?? '', /#discussion_r\d+$/);
    });

    it('rejects the whole review with 422 when one comment is outside the diff, storing nothing', async () => {
      const r = await rejects(
        octokit.rest.pulls.createReview({
          owner: OWNER,
          repo: REPO,
          pull_number: 7,
          commit_id: head(),
          event: 'COMMENT',
          comments: [
            { path: 'etc/nova/nova.conf', line: 6, body: 'fine' },
            { path: 'etc/nova/nova.conf', line: 1, body: 'line 1 is not in a hunk' },
          ],
        }),
        422,
      );
      assert.equal(r.data.message, 'Unprocessable Entity');
      assert.deepEqual(r.data.errors, ['Line could not be resolved']);
      assert.equal(fake.state.reviews.length, 0);
      assert.equal(fake.state.reviewComments.length, 0);
      await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', comments: [{ path: 'docs/logo.png', line: 1, body: 'binary' }] }), 422);
      await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', comments: [{ path: 'not/in/pr.conf', line: 1, body: 'x' }] }), 422);
      await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', comments: [{ path: 'etc/nova/nova.conf', start_line: 7, line: 6, body: 'backwards' }] }), 422);
      assert.equal(fake.state.reviews.length, 0);
    });

    it('rejects a multi-line comment spanning two hunks', async () => {
      const lines = Array.from({ length: 30 }, (_, i) => `k${i} = ${i}`);
      const changed = lines.map((l, i) => (i === 2 || i === 25 ? `${l}0` : l));
      fake.addPullRequest({ owner: OWNER, repo: REPO, number: 11, base: { ref: 'main' }, head: { ref: 'two-hunks' }, files: [{ path: 'a.conf', oldContent: lines.join('\n') + '\n', newContent: changed.join('\n') + '\n' }] });
      const r = await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 11, event: 'COMMENT', comments: [{ path: 'a.conf', start_line: 3, line: 26, body: 'span' }] }), 422);
      assert.match(JSON.stringify(r.data.errors), /same hunk/);
    });

    it('single comments answer "must be part of the diff"; replies, edits and deletes work; human replies are visible', async () => {
      const bad = await rejects(octokit.rest.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: head(), path: 'etc/nova/nova.conf', line: 1, body: 'x' }), 422);
      assert.equal(bad.data.message, 'Validation Failed');
      assert.match(JSON.stringify(bad.data.errors), /pull_request_review_thread.line must be part of the diff/);
      const fileLevel = await octokit.rest.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: head(), path: 'etc/nova/nova.conf', subject_type: 'file', body: 'file-level' });
      assert.equal(fileLevel.data.subject_type, 'file');
      const c = await octokit.rest.pulls.createReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: head(), path: 'etc/nova/nova.conf', line: 6, side: 'RIGHT', body: 'first' });
      const human = fake.addReply(c.data.id, 'Intentional, see bug 1829062');
      assert.equal(human.in_reply_to_id, c.data.id);
      const reply = await octokit.rest.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: c.data.id, body: 'ack' });
      assert.equal(reply.data.in_reply_to_id, c.data.id);
      const edited = await octokit.rest.pulls.updateReviewComment({ owner: OWNER, repo: REPO, comment_id: c.data.id, body: '~~first~~ fixed' });
      assert.equal(edited.data.body, '~~first~~ fixed');
      await octokit.rest.pulls.deleteReviewComment({ owner: OWNER, repo: REPO, comment_id: fileLevel.data.id });
      const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: OWNER, repo: REPO, pull_number: 7 });
      assert.deepEqual(all.map((x) => [x.body, x.user?.login]), [
        ['~~first~~ fixed', 'heartbeat-bot[bot]'],
        ['Intentional, see bug 1829062', 'octocat'],
        ['ack', 'heartbeat-bot[bot]'],
      ]);
      const issue = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: 'summary' });
      assert.equal(issue.status, 201);
      assert.equal((await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 })).data.length, 1);
    });

    it('a push that changes a commented line outdates its comment (line: null), others move to the new head', async () => {
      await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', comments: [
        { path: 'etc/nova/nova.conf', line: 6, body: 'will be fixed' },
        { path: 'etc/nova/nova.conf', line: 7, body: 'stays' },
      ] });
      const sha = fake.pushCommit(OWNER, REPO, 7, { files: [{ path: 'etc/nova/nova.conf', newContent: NEW_CONF.replace('threshold = 0', 'threshold = 60') }] });
      const comments = (await octokit.rest.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 7 })).data;
      assert.equal(comments[0]?.line, null);
      assert.equal(comments[0]?.original_line, 6);
      assert.equal(comments[1]?.line, 7);
      assert.equal(comments[1]?.commit_id, sha);
    });

    it('forks: an Actions GITHUB_TOKEN is read-only on fork pull requests; forkReadOnly refuses conversation writes to everyone but an App may still write check runs', async () => {
      fake.addPullRequest({ owner: OWNER, repo: REPO, number: 12, fork: true, author: 'contributor', base: { ref: 'main' }, head: { ref: 'patch-1' }, files: [{ path: 'a.conf', newContent: 'a = 1\n' }] });
      const pr = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 });
      assert.equal(pr.data.head.repo?.fork, true);
      assert.equal(pr.data.head.repo?.full_name, `contributor/${REPO}`);
      const actions = new Octokit({ log, baseUrl: fake.url, auth: fake.addToken() });
      const r = await rejects(actions.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 12, event: 'COMMENT', body: 'x' }), 403);
      assert.equal(r.data.message, 'Resource not accessible by integration');
      await rejects(actions.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: pr.data.head.sha }), 403);
      assert.equal((await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 12, event: 'COMMENT', body: 'app may' })).status, 200);
      fake.forkReadOnly(OWNER, REPO, 12);
      await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 12, event: 'COMMENT', body: 'x' }), 403);
      await rejects(octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: 'x' }), 403);
      assert.equal((await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: pr.data.head.sha })).status, 201);
    });
  });

  describe('failures and rate limits', () => {
    it('injects a 403 secondary rate limit with retry-after, then answers normally; nothing is stored by the failed call', async () => {
      fake.failNext({ method: 'POST', path: /\/reviews$/, preset: 'secondary-rate-limit' });
      const r = await rejects(octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', body: 'x' }), 403);
      assert.match(String(r.data.message), /secondary rate limit/);
      assert.equal(r.headers['retry-after'], '1');
      assert.equal(fake.state.reviews.length, 0);
      assert.equal((await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', body: 'x' })).status, 200);
      assert.deepEqual(fake.requestsTo('POST', /\/reviews$/).map((x) => [x.status, x.injected]), [[403, true], [200, false]]);
    });

    it("lets Probot's throttling plugin wait retry-after and repeat a request hit by the secondary rate limit", async () => {
      const seen: number[] = [];
      const throttled = new ProbotOctokit({
        log,
        auth: { token: fake.installationToken() },
        baseUrl: fake.url,
        retry: { enabled: false },
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            seen.push(retryAfter);
            return true;
          },
        },
      });
      fake.failNext({ method: 'POST', path: /\/check-runs$/, preset: 'secondary-rate-limit' });
      const head = (fake.pullRequestJson(OWNER, REPO, 7) as { head: { sha: string } }).head.sha;
      const created = await throttled.rest.checks.create({ owner: OWNER, repo: REPO, name: 'hb', head_sha: head });
      assert.equal(created.status, 201);
      assert.deepEqual(seen, [1]);
      assert.deepEqual(fake.requestsTo('POST', /\/check-runs$/).map((r) => r.status), [403, 201]);
      assert.equal(fake.state.checkRuns.length, 1);
    });

    it('injects primary rate limits, 429 and 5xx, a given number of times', async () => {
      fake.failNext({ path: '/pulls/7', preset: 'primary-rate-limit' });
      const p = await rejects(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 403);
      assert.equal(p.headers['x-ratelimit-remaining'], '0');
      assert.ok(Number(p.headers['x-ratelimit-reset']) > Date.now() / 1000);
      fake.failNext({ preset: 'too-many-requests' });
      assert.equal((await rejects(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 429)).headers['retry-after'], '1');
      fake.failNext({ status: 502, times: 2 });
      await rejects(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 502);
      await rejects(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }), 502);
      assert.equal((await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).status, 200);
    });

    it('sends X-RateLimit and X-GitHub-Request-Id headers, and enforces the primary and content-creation limits', async () => {
      const strict = await startFakeGitHub({ rateLimit: 3, contentRateLimit: { perMinute: 2, perHour: 500 } });
      try {
        strict.addPullRequest({ owner: OWNER, repo: REPO, number: 1, base: { ref: 'main' }, head: { ref: 'x' }, files: [{ path: 'a', newContent: 'a\n' }] });
        const client = new Octokit({ log, baseUrl: strict.url, auth: strict.installationToken() });
        const ok = await client.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: '1' });
        assert.match(ok.headers['x-github-request-id'] ?? '', /^[0-9A-F]+:[0-9A-F]+:[0-9A-F]+$/);
        assert.equal(ok.headers['x-ratelimit-remaining'], '2');
        await client.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: '2' });
        const secondary = await rejects(client.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: '3' }), 403);
        assert.match(String(secondary.data.message), /secondary rate limit/);
        assert.ok(Number(secondary.headers['retry-after']) >= 1);
        const primary = await rejects(client.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 1 }), 403);
        assert.match(String(primary.data.message), /API rate limit exceeded/);
        assert.equal(primary.headers['x-ratelimit-remaining'], '0');
      } finally {
        await strict.close();
      }
    });

    it('delays answers when asked', async () => {
      fake.delay(150, { path: '/pulls/7', times: 1 });
      const t = Date.now();
      await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
      assert.ok(Date.now() - t >= 140);
    });

    it('answers unknown routes with GitHub 404 JSON', async () => {
      const r = await rejects(octokit.request('GET /repos/{owner}/{repo}/nothing-here', { owner: OWNER, repo: REPO }), 404);
      assert.equal(r.data.message, 'Not Found');
      assert.equal(r.data.documentation_url, 'https://docs.github.com/rest');
    });
  });
});
