/**
 * `heartbeat-bot github review` as a user or a GitHub Actions step runs it: the built CLI in a child process with
 * GITHUB_TOKEN / GITHUB_API_URL pointing at the fake GitHub (the child must not block this process's event loop,
 * which serves the fake), and the Action's entry with its INPUT_ variables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github.js';
import { example } from '../service/github-harness.js';
import { exitCodeForOutcome, outcomeLine, resolveTarget } from '../../src/cli/github-review.js';
import { CLI, isOneLineError } from './run-cli.js';

const ACTION_ENTRY_SOURCE = fileURLToPath(new URL('../../../src/cli/action-entry.mjs', import.meta.url));

/**
 * The Action's entry runs `<its checkout>/dist/src/bundle/heartbeat-bot.js`. A copy of it in a scratch checkout whose `dist` links
 * to the build under test, so the test runs the CLI it was built with whatever the output directory.
 */
function actionCheckout(dir: string): string {
  mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
  copyFileSync(ACTION_ENTRY_SOURCE, join(dir, 'src', 'cli', 'action-entry.mjs'));
  symlinkSync(dirname(dirname(dirname(CLI))), join(dir, 'dist'), 'dir');
  return join(dir, 'src', 'cli', 'action-entry.mjs');
}
const OWNER = 'openstack-ops';
const REPO = 'deployment';
const THREADS_PP = "class { 'nova::wsgi::apache_api':\n  threads => 4,\n}\n";
const HIERA_WARN = 'nova::rabbit_heartbeat_timeout_threshold: 0\n';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], env: Record<string, string>, cwd = process.cwd()): Promise<Run> {
  const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const child = spawn(process.execPath, [file, ...args], { cwd, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function withFake(body: (fake: FakeGitHub, env: Record<string, string>) => Promise<void>): Promise<void> {
  const fake = await startFakeGitHub();
  try {
    await body(fake, { GITHUB_TOKEN: fake.addToken(), GITHUB_API_URL: fake.url });
  } finally {
    await fake.close();
  }
}

function addPr(fake: FakeGitHub, number = 7, files = [{ path: 'manifests/nova_api.pp', newContent: THREADS_PP }], fork = false) {
  return fake.addPullRequest({ owner: OWNER, repo: REPO, number, base: { ref: 'stable/wallaby' }, head: { ref: 'tune' }, files, fork });
}

test('github review --repo --pr posts the check run and the review and exits 1 on an error finding', async () => {
  await withFake(async (fake, env) => {
    addPr(fake);
    const r = await run(CLI, ['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '7'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.match(r.stdout, /^openstack-ops\/deployment#7: failure: 1 finding, 1 annotation, 1 new inline comment; \d+ API calls\n$/);
    assert.equal(fake.state.checkRuns.length, 1);
    assert.equal(fake.state.checkRuns[0]?.conclusion, 'failure');
    assert.equal(fake.state.reviews.length, 1);
    assert.ok(fake.requests.filter((x) => x.path.startsWith('/repos/')).every((x) => x.auth === 'github-actions'));

    // Run again: nothing new is posted, same exit status.
    const again = await run(CLI, ['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '7'], env);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /0 new inline comments/);
    assert.equal(fake.state.reviews.length, 1);
    assert.equal(fake.state.checkRuns.length, 1);
  });
});

test('--fail-level decides the exit status; --dry-run writes nothing', async () => {
  await withFake(async (fake, env) => {
    addPr(fake, 3, [{ path: 'hieradata/common.yaml', newContent: HIERA_WARN }]);
    const args = ['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '3'];
    const dry = await run(CLI, [...args, '--dry-run', '--fail-level', 'warning'], env);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stdout, /neutral: 1 finding.*dry run: nothing posted/);
    // A GraphQL query is a POST that only reads (the fake runs no mutation).
    assert.equal(fake.requests.filter((x) => x.method !== 'GET' && x.path !== '/graphql').length, 0);
    const ok = await run(CLI, [...args, '--dry-run'], env);
    assert.equal(ok.code, 0, 'a warning is below the default fail level error');
    const none = await run(CLI, [...args, '--dry-run', '--fail-level', 'none'], env);
    assert.equal(none.code, 0);
  });
});

test('in GitHub Actions the pull request comes from GITHUB_REPOSITORY and GITHUB_EVENT_PATH', async () => {
  await withFake(async (fake, env) => {
    const pr = addPr(fake, 12);
    const dir = mkdtempSync(join(tmpdir(), 'hb-gh-event-'));
    try {
      const payload = example('pull_request', 'opened');
      const event = { ...payload, number: 12, pull_request: { ...(payload.pull_request as object), ...fake.pullRequestJson(OWNER, REPO, 12) } };
      writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
      const actions = { ...env, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'event.json') };
      const r = await run(CLI, ['github', 'review'], actions);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^openstack-ops\/deployment#12: failure/);
      assert.equal(fake.state.checkRuns[0]?.head_sha, pr.headSha);

      // The Action's entry maps its inputs to the CLI's options.
      const viaAction = await run(actionCheckout(join(dir, 'action')), [], { ...actions, GITHUB_TOKEN: '', 'INPUT_GITHUB-TOKEN': env.GITHUB_TOKEN ?? '', 'INPUT_FAIL-LEVEL': 'none', 'INPUT_DRY-RUN': 'false', INPUT_RELEASE: '' });
      assert.equal(viaAction.code, 0, viaAction.stderr + viaAction.stdout);
      assert.match(viaAction.stdout, /^openstack-ops\/deployment#12: failure: .*0 new inline comments/m);

    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a fork pull request with a read-only GITHUB_TOKEN degrades instead of failing', async () => {
  await withFake(async (fake, env) => {
    addPr(fake, 5, [{ path: 'manifests/nova_api.pp', newContent: THREADS_PP }], true);
    fake.forkReadOnly(OWNER, REPO, 5);
    const r = await run(CLI, ['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '5', '--fail-level', 'none'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /#5: failure: 1 finding.*; .*(403|fork|not allowed|read-only)/i);
    assert.equal(fake.state.reviews.length, 0);
  });
});

test('usage and API errors exit 2 with one line', async () => {
  await withFake(async (_fake, env) => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '7'], { GITHUB_API_URL: env.GITHUB_API_URL ?? '' }, /needs GITHUB_TOKEN/],
      [['github', 'review', '--pr', '7'], env, /needs --repo OWNER\/NAME/],
      [['github', 'review', '--repo', 'just-a-name', '--pr', '7'], env, /--repo must be OWNER\/NAME/],
      [['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', 'seven'], env, /--pr must be a pull request number/],
      [['github', 'review', '--repo', `${OWNER}/${REPO}`], env, /needs --pr N/],
      [['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '7', '--format', 'json'], env, /--format is not an option of github review/],
      [['github'], env, /missing subcommand: github review/],
      [['github', 'push'], env, /unknown subcommand 'github push'/],
      [['check', '--pr', '7'], env, /--pr is an option of github review/],
      [['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '404'], env, /GitHub API: 404 .*does openstack-ops\/deployment#404 exist/],
      [['github', 'review', '--repo', `${OWNER}/${REPO}`, '--pr', '7'], { ...env, GITHUB_TOKEN: 'ghp_wrong' }, /GitHub API: 401 .*GITHUB_TOKEN/],
    ];
    for (const [args, runEnv, message] of cases) {
      const r = await run(CLI, args, runEnv);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.ok(isOneLineError(r.stderr), `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});

test('resolveTarget: options win, the event fills in, and its head SHA only for the same pull request', () => {
  const files: Record<string, string> = {
    '/e.json': JSON.stringify({ pull_request: { number: 4, head: { sha: 'abc' } } }),
    '/c.json': JSON.stringify({ issue: { number: 9, pull_request: {} } }),
  };
  const read = (p: string): string => files[p] ?? '';
  const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/e.json' };
  assert.deepEqual(resolveTarget({}, env, read), { owner: 'o', repo: 'r', number: 4, headSha: 'abc' });
  assert.deepEqual(resolveTarget({ pr: 4 }, env, read), { owner: 'o', repo: 'r', number: 4, headSha: 'abc' });
  assert.deepEqual(resolveTarget({ pr: 5 }, env, read), { owner: 'o', repo: 'r', number: 5 });
  assert.deepEqual(resolveTarget({ repo: 'x/y', pr: 4 }, env, read), { owner: 'x', repo: 'y', number: 4 });
  assert.deepEqual(resolveTarget({}, { ...env, GITHUB_EVENT_PATH: '/c.json' }, read), { owner: 'o', repo: 'r', number: 9 });
  files['/push.json'] = JSON.stringify({ ref: 'refs/heads/main', commits: [] });
  assert.throws(() => resolveTarget({}, { ...env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/push.json' }, read), /needs --pr N \(the push event of GITHUB_EVENT_PATH is not about a pull request\)/);
});

test('exit status and the outcome line', () => {
  const base = { conclusion: 'neutral' as const, findings: 2, annotations: 2, inlineComments: 1, bodyOnly: 0, resolved: 0, apiCalls: 9 };
  assert.equal(exitCodeForOutcome({ ...base, severities: { warning: 2 } }, 'error'), 0);
  assert.equal(exitCodeForOutcome({ ...base, severities: { warning: 2 } }, 'warning'), 1);
  assert.equal(exitCodeForOutcome({ ...base, severities: { info: 2 } }, 'warning'), 0);
  assert.equal(exitCodeForOutcome({ ...base, severities: { info: 2 } }, 'info'), 1);
  assert.equal(exitCodeForOutcome({ ...base, conclusion: 'failure', severities: { error: 1, info: 1 } }, 'none'), 0);
  assert.equal(exitCodeForOutcome({ ...base, skipped: 'draft', findings: 0 }, 'info'), 0);
  const target = { owner: 'o', repo: 'r', number: 1 };
  assert.equal(outcomeLine(target, { ...base, resolved: 1, degraded: 'fork: check run only' }, false), 'o/r#1: neutral: 2 findings, 2 annotations, 1 new inline comment, 1 marked resolved; 9 API calls; fork: check run only');
  assert.equal(outcomeLine(target, { ...base, skipped: 'draft', findings: 0 }, true), 'o/r#1: not reviewed (draft), check run neutral; 9 API calls, dry run: nothing posted');
});
