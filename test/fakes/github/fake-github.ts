/**
 * A fake GitHub REST API over real HTTP for end-to-end tests of the GitHub App and the GITHUB_TOKEN CLI mode.
 * It answers like api.github.com for what heartbeat-bot uses (App JWT and installation tokens, pull requests and
 * their files, contents, check runs, reviews and comments, and GraphQL queries against GitHub's published schema)
 * and enforces GitHub's limits, so code written against
 * GitHub's documentation works against it unchanged. See test/fakes/fake-github.test.ts for its behaviour.
 *
 *   const fake = await startFakeGitHub();
 *   fake.addPullRequest({ owner: 'o', repo: 'r', number: 1, base: { ref: 'main' }, head: { ref: 'x' }, files: [...] });
 *   const octokit = new Octokit({ baseUrl: fake.url, auth: fake.installationToken() });
 *   ...
 *   await fake.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Installation, TokenInfo, TokenKind } from './auth.js';
import { DEFAULT_PERMISSIONS, generateAppKeys, newToken } from './auth.js';
import type { Content } from './git.js';
import { fakeSha, hunkOf } from './git.js';
import type { Core, Ctx, Identity } from './http.js';
import { LIMITS } from './limits.js';
import { pullJson, repoJson, user } from './render.js';
import { appRoutes } from './routes-app.js';
import { checkRoutes } from './routes-checks.js';
import { contentRoutes } from './routes-contents.js';
import { graphqlRoutes } from './routes-graphql.js';
import { pullRoutes } from './routes-pulls.js';
import { reviewCommentJson, reviewRoutes, storeReply } from './routes-reviews.js';
import type { DelaySpec, FailureSpec, LoggedRequest, RequestMatch, ServerInternals } from './server.js';
import { handle } from './server.js';
import type { PullRequestFileInput, PullRequestState, ReviewCommentState, UserObject } from './state.js';
import { FakeState } from './state.js';

export type { FailureSpec, DelaySpec, LoggedRequest, RequestMatch } from './server.js';
export type { PullRequestFileInput, PullRequestFile, CheckRunState, ReviewState, ReviewCommentState, IssueCommentState, Annotation, FileStatus } from './state.js';
export type { TokenKind, Installation } from './auth.js';
export { LIMITS } from './limits.js';
export { blobSha, diffTexts } from './git.js';

export interface FakeGitHubOptions {
  /** The App's id (default 4242). */
  appId?: number;
  appSlug?: string;
  appName?: string;
  /** Id of the default installation (default 1). */
  installationId?: number;
  /** Account of the default installation; left out, it answers for every owner. */
  installationAccount?: string;
  /** Permissions of the default installation (default checks/pull_requests write, contents/metadata read). */
  permissions?: Record<string, string>;
  /** Primary rate limit per credential and hour (default 5000). */
  rateLimit?: number;
  /** Secondary limit on content-creating requests per credential (default GitHub's 80/min, 500/h); false = off. */
  contentRateLimit?: { perMinute: number; perHour: number } | false;
}

export interface AddPullRequestInput {
  owner: string;
  repo: string;
  number: number;
  title?: string;
  body?: string | null;
  draft?: boolean;
  state?: 'open' | 'closed';
  /** The head is in a fork (`head.repo.fork`); an Actions GITHUB_TOKEN may not write to it. */
  fork?: boolean;
  /** Login of the author (default `octocat`). */
  author?: string;
  base: { ref: string; sha?: string };
  head: { ref: string; sha?: string };
  files: PullRequestFileInput[];
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
}

export class FakeGitHub {
  readonly appId: number;
  readonly appSlug: string;
  /** PKCS#1 PEM as GitHub issues it (Probot and @octokit/auth-app accept it, as they accept PKCS#8). */
  readonly privateKey: string;
  readonly privateKeyPkcs8: string;
  readonly installationId: number;
  /** Every request the fake answered, in order. */
  readonly requests: LoggedRequest[] = [];
  readonly state = new FakeState();
  url = '';
  private server!: Server;
  private readonly internals: ServerInternals;
  private readonly core: Core;
  private readonly defaultInstallation: Installation;

  constructor(options: FakeGitHubOptions = {}) {
    const keys = generateAppKeys();
    this.appId = options.appId ?? 4242;
    this.appSlug = options.appSlug ?? 'heartbeat-bot';
    this.privateKey = keys.privateKey;
    this.privateKeyPkcs8 = keys.privateKeyPkcs8;
    this.installationId = options.installationId ?? 1;
    this.defaultInstallation = {
      id: this.installationId,
      ...(options.installationAccount ? { account: options.installationAccount } : {}),
      permissions: { ...(options.permissions ?? DEFAULT_PERMISSIONS) },
      events: ['check_run', 'check_suite', 'pull_request'],
      repositorySelection: 'all',
    };
    const installations = new Map<number, Installation>([[this.installationId, this.defaultInstallation]]);
    const tokens = new Map<string, TokenInfo>();
    const getUrl = (): string => this.url;
    const appSlug = this.appSlug;
    const appId = this.appId;
    this.core = {
      state: this.state,
      appId,
      appSlug,
      appName: options.appName ?? 'heartbeat-bot',
      installations,
      tokens,
      get url() {
        return getUrl();
      },
      userFor: (identity: Identity): UserObject => {
        if (identity.kind === 'installation') return user(`${appSlug}[bot]`, 100_000 + appId, 'Bot');
        if (identity.kind === 'github-actions') return user('github-actions[bot]', 41898282, 'Bot');
        if (identity.kind === 'personal') return user(identity.token.login ?? 'heartbeat-user', 31337, 'User');
        return user('ghost', 10137, 'User');
      },
      createInstallationToken: (installationId, request) => {
        const inst = installations.get(installationId);
        const info: TokenInfo = {
          token: newToken('ghs_'),
          kind: 'installation',
          installationId,
          expiresAt: Date.now() + 3_600_000,
          permissions: { ...(request?.permissions ?? inst?.permissions ?? DEFAULT_PERMISSIONS) },
          ...(request?.repositories ? { repositories: request.repositories.map((r) => r.toLowerCase()) } : {}),
        };
        tokens.set(info.token, info);
        return info;
      },
      installationFor: (owner: string) => {
        const all = [...installations.values()];
        return all.find((i) => i.account?.toLowerCase() === owner.toLowerCase()) ?? all.find((i) => i.account === undefined);
      },
    };
    this.internals = {
      core: this.core,
      publicKey: keys.publicKey,
      routes: [...appRoutes, ...pullRoutes, ...checkRoutes, ...contentRoutes, ...reviewRoutes, ...graphqlRoutes],
      options: {
        rateLimit: options.rateLimit ?? LIMITS.primaryRateLimit,
        contentRateLimit:
          options.contentRateLimit === undefined
            ? { perMinute: LIMITS.contentRequestsPerMinute, perHour: LIMITS.contentRequestsPerHour }
            : options.contentRateLimit,
      },
      requests: this.requests,
      failures: [],
      delays: [],
      buckets: new Map(),
      writes: new Map(),
    };
  }

  /** @internal */
  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      handle(this.internals, req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: String(e) }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  // ---- credentials -------------------------------------------------------------------------------------------

  /**
   * Registers a token for the GITHUB_TOKEN mode. `github-actions` (default) behaves like Actions' GITHUB_TOKEN: it
   * may write check runs and reviews, but is read-only on pull requests from forks; `personal` behaves like a PAT:
   * reviews yes, check runs 403 ("You must authenticate via a GitHub App.").
   */
  addToken(token: string = newToken('ghp_'), options: { kind?: Exclude<TokenKind, 'installation'>; permissions?: Record<string, string>; login?: string } = {}): string {
    const kind = options.kind ?? 'github-actions';
    this.core.tokens.set(token, {
      token,
      kind,
      permissions: options.permissions ?? (kind === 'github-actions' ? { checks: 'write', contents: 'read', pull_requests: 'write', issues: 'write', metadata: 'read' } : {}),
      ...(options.login ? { login: options.login } : {}),
    });
    return token;
  }

  /** A valid installation token without the JWT exchange (what `POST /app/installations/:id/access_tokens` returns). */
  installationToken(installationId = this.installationId): string {
    return this.core.createInstallationToken(installationId).token;
  }

  /** Adds another installation (e.g. on one account, or with a few repositories only). */
  addInstallation(inst: { id: number; account?: string; repositories?: string[]; permissions?: Record<string, string> }): void {
    this.core.installations.set(inst.id, {
      id: inst.id,
      ...(inst.account ? { account: inst.account } : {}),
      permissions: inst.permissions ?? { ...DEFAULT_PERMISSIONS },
      events: ['check_run', 'check_suite', 'pull_request'],
      repositorySelection: inst.repositories ? 'selected' : 'all',
      ...(inst.repositories ? { repositories: inst.repositories.map((r) => r.toLowerCase()) } : {}),
    });
  }

  /** Expires every token issued so far (the next request with one answers 401 Bad credentials). */
  expireTokens(): void {
    for (const t of this.core.tokens.values()) if (t.kind === 'installation') t.expiresAt = Date.now() - 1;
  }

  // ---- repository state --------------------------------------------------------------------------------------

  /** Creates a pull request; base and head trees get the files' old and new contents. */
  addPullRequest(input: AddPullRequestInput): PullRequestRef {
    const state = this.state;
    const repo = state.repo(input.owner, input.repo)!;
    const baseSha = input.base.sha ?? state.resolveRef(repo, input.base.ref) ?? fakeSha(`${input.owner}/${input.repo}:base:${input.base.ref}:${input.number}`);
    state.tree(repo, baseSha);
    if (!repo.branches.has(input.base.ref)) repo.branches.set(input.base.ref, baseSha);
    const headSha = input.head.sha ?? fakeSha(`${input.owner}/${input.repo}:pr:${input.number}:head:${state.nextId()}`);
    repo.commits.set(headSha, { message: input.title ?? `Pull request ${input.number}`, parents: [baseSha] });
    const files = state.applyFiles(repo, baseSha, headSha, input.files);
    const headOwner = input.fork ? `${input.author ?? 'octocat'}` : input.owner;
    if (!input.fork) repo.branches.set(input.head.ref, headSha);
    const now = state.now();
    const pr: PullRequestState = {
      owner: repo.owner,
      repo: repo.name,
      number: input.number,
      id: state.nextId(),
      title: input.title ?? `Pull request ${input.number}`,
      body: input.body === undefined ? null : input.body,
      draft: input.draft ?? false,
      state: input.state ?? 'open',
      merged: false,
      fork: input.fork ?? false,
      readOnly: false,
      user: user(input.author ?? 'octocat', 583231),
      base: { ref: input.base.ref, sha: baseSha },
      head: { ref: input.head.ref, sha: headSha, owner: headOwner },
      versions: new Map([[headSha, files]]),
      createdAt: now,
      updatedAt: now,
    };
    state.pulls.set(`${input.owner}/${input.repo}#${input.number}`.toLowerCase(), pr);
    return { owner: pr.owner, repo: pr.repo, number: pr.number, baseSha, headSha };
  }

  private pr(owner: string, repo: string, number: number): PullRequestState {
    const pr = this.state.pull(owner, repo, number);
    if (!pr) throw new Error(`fake GitHub: no pull request ${owner}/${repo}#${number}`);
    return pr;
  }

  /**
   * A new push: the head moves to a new commit whose diff against the base is `files` (the whole pull request, as
   * the files API lists it). Review comments whose lines changed or left the diff become outdated (`line: null`),
   * like on GitHub. Returns the new head sha.
   */
  pushCommit(owner: string, repo: string, number: number, push: { files: PullRequestFileInput[]; sha?: string; message?: string }): string {
    const pr = this.pr(owner, repo, number);
    const r = this.state.repo(owner, repo)!;
    const oldHead = pr.head.sha;
    const sha = push.sha ?? fakeSha(`${owner}/${repo}:pr:${number}:push:${this.state.nextId()}`);
    r.commits.set(sha, { message: push.message ?? 'Push', parents: [oldHead] });
    const files = this.state.applyFiles(r, pr.base.sha, sha, push.files);
    pr.versions.set(sha, files);
    pr.head.sha = sha;
    if (!pr.fork) r.branches.set(pr.head.ref, sha);
    pr.updatedAt = this.state.now();
    this.outdateComments(pr, oldHead, sha);
    return sha;
  }

  private outdateComments(pr: PullRequestState, oldSha: string, newSha: string): void {
    const r = this.state.repo(pr.owner, pr.repo)!;
    const lines = (sha: string, path: string): string[] => (this.state.blobText(r.trees.get(sha)?.get(path)) ?? '').split('\n');
    const newFiles = pr.versions.get(newSha) ?? [];
    for (const c of this.state.reviewComments) {
      if (c.owner !== pr.owner || c.repo !== pr.repo || c.number !== pr.number || c.line === null || c.commit_id !== oldSha) continue;
      const file = newFiles.find((f) => f.filename === c.path);
      const from = c.start_line ?? c.line;
      const sameText = c.side === 'LEFT' || lines(oldSha, c.path).slice(from - 1, c.line).join('\n') === lines(newSha, c.path).slice(from - 1, c.line).join('\n');
      if (file && sameText && hunkOf(file.hunks, c.line, c.side)) {
        c.commit_id = newSha;
      } else {
        c.line = null;
        c.start_line = null;
        c.position = null;
      }
    }
  }

  /** Changes pull-request fields; `files` makes a new push (see `pushCommit`). */
  updatePullRequest(
    owner: string,
    repo: string,
    number: number,
    patch: { title?: string; body?: string | null; draft?: boolean; state?: 'open' | 'closed'; fork?: boolean; files?: PullRequestFileInput[]; headSha?: string },
  ): PullRequestRef {
    const pr = this.pr(owner, repo, number);
    if (patch.title !== undefined) pr.title = patch.title;
    if (patch.body !== undefined) pr.body = patch.body;
    if (patch.draft !== undefined) pr.draft = patch.draft;
    if (patch.state !== undefined) pr.state = patch.state;
    if (patch.fork !== undefined) pr.fork = patch.fork;
    if (patch.files) this.pushCommit(owner, repo, number, { files: patch.files, ...(patch.headSha ? { sha: patch.headSha } : {}) });
    pr.updatedAt = this.state.now();
    return { owner: pr.owner, repo: pr.repo, number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha };
  }

  /** Writes a file into the tree of `ref` (a branch, which is made if new, or a commit id) without a new commit. */
  setFile(owner: string, repo: string, ref: string, path: string, content: Content | null): void {
    const r = this.state.repo(owner, repo)!;
    const sha = this.state.ensureRef(r, ref);
    const tree = this.state.tree(r, sha);
    if (content === null) tree.delete(path);
    else tree.set(path, this.state.storeBlob(content));
  }

  /** Makes conversation writes on this pull request (reviews, review and issue comments) answer 403, for any token. */
  forkReadOnly(owner: string, repo: string, number: number, readOnly = true): void {
    const pr = this.pr(owner, repo, number);
    pr.readOnly = readOnly;
    if (readOnly) pr.fork = true;
  }

  /** A human's reply to a review comment (e.g. to check that threads with replies are never deleted). */
  addReply(commentId: number, body: string, login = 'octocat'): ReviewCommentState {
    const target = this.state.reviewComments.find((c) => c.id === commentId);
    if (!target) throw new Error(`fake GitHub: no review comment ${commentId}`);
    const ctx = { core: this.core, identity: { kind: 'anonymous' } } as unknown as Ctx;
    return storeReply(ctx, target, body, user(login, 583231));
  }

  /** A human's issue comment on the pull request. */
  addIssueComment(owner: string, repo: string, number: number, body: string, login = 'octocat'): number {
    const pr = this.pr(owner, repo, number);
    const now = this.state.now();
    const id = this.state.nextId();
    this.state.issueComments.push({ id, owner: pr.owner, repo: pr.repo, number, body, user: user(login, 583231), created_at: now, updated_at: now });
    return id;
  }

  /** The pull request as the REST API (and the `pull_request` webhook payload) shows it. */
  pullRequestJson(owner: string, repo: string, number: number): Record<string, unknown> {
    const pr = this.pr(owner, repo, number);
    return pullJson(this.core, this.state.repo(owner, repo)!, pr);
  }

  /** The repository as webhook payloads show it. */
  repositoryJson(owner: string, repo: string): Record<string, unknown> {
    return repoJson(this.core, this.state.repo(owner, repo)!);
  }

  /** A review comment as the REST API shows it. */
  reviewCommentJson(id: number): Record<string, unknown> | undefined {
    const c = this.state.reviewComments.find((x) => x.id === id);
    return c ? reviewCommentJson({ core: this.core } as Ctx, c) : undefined;
  }

  // ---- failures and timing -----------------------------------------------------------------------------------

  /**
   * The next matching request(s) fail with this answer instead of reaching the route (nothing is stored).
   * Presets: `secondary-rate-limit` (403, retry-after: 1), `primary-rate-limit` (403, x-ratelimit-remaining: 0),
   * `too-many-requests` (429, retry-after: 1), `server-error` (500), `bad-gateway` (502 HTML).
   */
  failNext(spec: FailureSpec): void {
    this.internals.failures.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** Delays matching answers by `ms` (all requests when no match is given; `times` default: forever). */
  delay(ms: number, match: RequestMatch & { times?: number } = {}): void {
    const spec: DelaySpec & { remaining: number } = { ...match, ms, remaining: match.times ?? Number.POSITIVE_INFINITY };
    if (ms <= 0) this.internals.delays.length = 0;
    else this.internals.delays.push(spec);
  }

  // ---- observation -------------------------------------------------------------------------------------------

  /** Logged GraphQL requests, optionally of one operation (`HeartbeatPullRequest`). */
  graphqlRequests(operation?: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path === '/graphql' && (operation === undefined || r.operation === operation));
  }

  /** Logged requests with this method whose path matches. */
  requestsTo(method: string, path: string | RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && (typeof path === 'string' ? r.path === path || r.path.includes(path) : path.test(r.path)));
  }

  /** Forgets requests, failures, delays, rate-limit counters, and all repository state (credentials stay). */
  reset(): void {
    this.requests.length = 0;
    this.internals.failures.length = 0;
    this.internals.delays.length = 0;
    this.internals.buckets.clear();
    this.internals.writes.clear();
    this.state.reset();
  }

  /** Forgets only the request log. */
  clearRequests(): void {
    this.requests.length = 0;
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHub(options);
  await fake.listen();
  return fake;
}
