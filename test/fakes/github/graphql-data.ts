/**
 * The fake's state as GraphQL objects for graphql-js to execute against GitHub's schema: plain objects whose
 * fields are values, or functions of the field's arguments (graphql-js's default resolver calls them), with
 * `__typename` where the schema has an interface or union (GitObject, Actor). Connections page as GitHub's do
 * (`first`/`last`/`after`/`before`, opaque cursors, `totalCount`, `pageInfo`).
 */
import { GraphQLError } from 'graphql';
import type { Core } from './http.js';
import { looksBinary } from './git.js';
import { LIMITS } from './limits.js';
import { WEB } from './render.js';
import type { CheckRunState, PullRequestState, RepoState, ReviewCommentState, UserObject } from './state.js';

type Obj = Record<string, unknown>;
interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A GitHub-style error: graphql-js keeps it as `originalError`, the route copies `type` to the answer. */
export function gqlError(type: string, message: string): GraphQLError {
  return Object.assign(new GraphQLError(message), { githubType: type });
}

const cursor = (i: number): string => Buffer.from(`cursor:v2:${i}`).toString('base64');
const fromCursor = (c: string | null | undefined): number | undefined => {
  if (!c) return undefined;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m) throw gqlError('INVALID_CURSOR_ARGUMENTS', `\`${c}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
};

export function connection<T>(items: readonly T[], args: PageArgs): Obj {
  let start = 0;
  let end = items.length;
  const after = fromCursor(args.after);
  const before = fromCursor(args.before);
  if (after !== undefined) start = after + 1;
  if (before !== undefined) end = Math.min(end, before);
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const slice = items.slice(start, Math.max(start, end));
  return {
    totalCount: items.length,
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: cursor(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursor(start) : null,
      endCursor: slice.length ? cursor(start + slice.length - 1) : null,
    },
  };
}

function actor(u: UserObject): Obj {
  // GraphQL names an App's bot without the `[bot]` suffix REST shows.
  return { __typename: u.type === 'Bot' ? 'Bot' : 'User', login: u.login.replace(/\[bot\]$/, ''), url: `${WEB}/${u.login}`, avatarUrl: `https://avatars.githubusercontent.com/u/${u.id}` };
}

export function blobObject(core: Core, oid: string): Obj | null {
  const buf = core.state.blobs.get(oid);
  if (!buf) return null;
  const binary = core.state.binaryBlobs.has(oid) || looksBinary(buf);
  const truncated = !binary && buf.length > LIMITS.graphqlBlobTextBytes;
  return {
    __typename: 'Blob',
    id: `B_${oid}`,
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: buf.length,
    isBinary: binary,
    isTruncated: truncated,
    // Bytes that are not UTF-8 come out as U+FFFD, as a UTF-8 decoder that does not fail writes them.
    text: binary ? null : (truncated ? buf.subarray(0, LIMITS.graphqlBlobTextBytes) : buf).toString('utf8'),
  };
}

function annotationObject(a: CheckRunState['annotations'][number]): Obj {
  return {
    path: a.path,
    message: a.message,
    title: a.title ?? null,
    rawDetails: a.raw_details ?? null,
    annotationLevel: a.annotation_level.toUpperCase(),
    location: { start: { line: a.start_line, column: a.start_column ?? null }, end: { line: a.end_line, column: a.end_column ?? null } },
  };
}

function checkRunObject(run: CheckRunState): Obj {
  const url = `${WEB}/${run.owner}/${run.repo}/runs/${run.id}`;
  return {
    id: `CR_${run.id}`,
    databaseId: run.id,
    name: run.name,
    status: run.status.toUpperCase(),
    conclusion: run.conclusion ? run.conclusion.toUpperCase() : null,
    title: run.output.title,
    summary: run.output.summary,
    text: run.output.text,
    externalId: run.external_id,
    detailsUrl: run.details_url ?? url,
    startedAt: run.started_at,
    completedAt: run.completed_at,
    url,
    permalink: url,
    annotations: (args: PageArgs) => connection(run.annotations.map(annotationObject), args),
  };
}

function commitObject(core: Core, repo: RepoState, oid: string): Obj {
  const commit = repo.commits.get(oid);
  const runs = core.state.checkRuns.filter((r) => r.head_sha === oid && r.owner.toLowerCase() === repo.owner.toLowerCase() && r.repo.toLowerCase() === repo.name.toLowerCase());
  const apps = [...new Map(runs.map((r) => [r.app.id, r.app])).values()];
  const suites = apps.map((app) => {
    const own = runs.filter((r) => r.app.id === app.id);
    return {
      id: `CS_${app.id}_${oid.slice(0, 8)}`,
      app: { databaseId: app.id, slug: app.slug, name: app.name },
      status: own.every((r) => r.status === 'completed') ? 'COMPLETED' : 'IN_PROGRESS',
      checkRuns: (args: PageArgs & { filterBy?: { checkName?: string; appId?: number; status?: string; checkType?: string } | null }) => {
        let list = own;
        const f = args.filterBy ?? {};
        if (f.checkName) list = list.filter((r) => r.name === f.checkName);
        if (f.status) list = list.filter((r) => r.status.toUpperCase() === f.status);
        if (f.checkType === 'LATEST') list = [...new Map(list.map((r) => [r.name, r])).values()];
        return connection(list.map(checkRunObject), args);
      },
    };
  });
  return {
    __typename: 'Commit',
    id: `C_${oid}`,
    oid,
    abbreviatedOid: oid.slice(0, 7),
    message: commit?.message ?? 'Fake commit',
    checkSuites: (args: PageArgs & { filterBy?: { appId?: number; checkName?: string } | null }) => {
      const f = args.filterBy ?? {};
      return connection(
        suites.filter((s) => (f.appId === undefined || f.appId === null || s.app.databaseId === f.appId) && (!f.checkName || runs.some((r) => r.app.id === s.app.databaseId && r.name === f.checkName))),
        args,
      );
    },
  };
}

function reviewCommentObject(c: ReviewCommentState): Obj {
  return {
    id: `PRRC_${c.id}`,
    databaseId: c.id,
    fullDatabaseId: String(c.id),
    body: c.body,
    path: c.path,
    line: c.line,
    startLine: c.start_line,
    originalLine: c.original_line,
    outdated: c.line === null,
    author: actor(c.user),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    url: `${WEB}/${c.owner}/${c.repo}/pull/${c.number}#discussion_r${c.id}`,
  };
}

function pullRequestObject(core: Core, repo: RepoState, pr: PullRequestState, viewer: string): Obj {
  const comments = core.state.reviewComments.filter((c) => c.owner === pr.owner && c.repo === pr.repo && c.number === pr.number);
  const threads = comments
    .filter((c) => c.in_reply_to_id === undefined)
    .map((top) => {
      const thread = [top, ...comments.filter((c) => c.in_reply_to_id === top.id)];
      return {
        id: `PRRT_${top.id}`,
        path: top.path,
        line: top.line,
        isOutdated: top.line === null,
        isResolved: false,
        diffSide: top.side,
        comments: (args: PageArgs) => connection(thread.map(reviewCommentObject), args),
      };
    });
  const reviews = core.state.reviews
    .filter((r) => r.owner === pr.owner && r.repo === pr.repo && r.number === pr.number && (r.state !== 'PENDING' || r.user.login === viewer))
    .map((r) => ({ id: `PRR_${r.id}`, databaseId: r.id, fullDatabaseId: String(r.id), body: r.body, state: r.state, author: actor(r.user), submittedAt: r.submitted_at }));
  const files = pr.versions.get(pr.head.sha) ?? [];
  return {
    id: `PR_${pr.id}`,
    number: pr.number,
    title: pr.title,
    body: pr.body ?? '',
    isDraft: pr.draft,
    state: pr.merged ? 'MERGED' : pr.state.toUpperCase(),
    url: `${WEB}/${pr.owner}/${pr.repo}/pull/${pr.number}`,
    baseRefName: pr.base.ref,
    baseRefOid: pr.base.sha,
    headRefName: pr.head.ref,
    headRefOid: pr.head.sha,
    changedFiles: files.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    isCrossRepository: pr.fork,
    author: actor(pr.user),
    reviewThreads: (args: PageArgs) => connection(threads, args),
    reviews: (args: PageArgs) => connection(reviews, args),
    commits: (args: PageArgs) => connection([{ id: `PRC_${pr.head.sha}`, commit: commitObject(core, repo, pr.head.sha) }], args),
    files: (args: PageArgs) =>
      connection(
        files.slice(0, LIMITS.maxPullFiles).map((f) => ({ path: f.filename, additions: f.additions, deletions: f.deletions, changeType: f.status === 'removed' ? 'DELETED' : f.status.toUpperCase() })),
        args,
      ),
  };
}

/** `Repository.object(oid:|expression:)`: a blob or commit by id, or `<rev>:<path>` in a commit's tree. */
function gitObject(core: Core, repo: RepoState, args: { oid?: string | null; expression?: string | null }): Obj | null {
  if (args.oid) {
    if (core.state.blobs.has(args.oid)) return blobObject(core, args.oid);
    return repo.commits.has(args.oid) || repo.trees.has(args.oid) ? commitObject(core, repo, args.oid) : null;
  }
  if (!args.expression) return null;
  const colon = args.expression.indexOf(':');
  const rev = colon < 0 ? args.expression : args.expression.slice(0, colon);
  const sha = core.state.resolveRef(repo, rev === 'HEAD' || rev === '' ? undefined : rev);
  if (!sha) return null;
  if (colon < 0) return commitObject(core, repo, sha);
  const blob = repo.trees.get(sha)?.get(args.expression.slice(colon + 1));
  return blob ? blobObject(core, blob) : null;
}

/** The query root for a caller that may reach `canRead(owner, name)`. */
export function queryRoot(core: Core, viewer: string, canRead: (owner: string, name: string) => boolean): Obj {
  const repositoryObject = (repo: RepoState): Obj => ({
    id: `R_${repo.id}`,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    url: `${WEB}/${repo.owner}/${repo.name}`,
    pullRequest: (a: { number: number }) => {
      const pr = core.state.pull(repo.owner, repo.name, a.number);
      if (!pr) throw gqlError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${a.number}.`);
      return pullRequestObject(core, repo, pr, viewer);
    },
    object: (a: { oid?: string | null; expression?: string | null }) => gitObject(core, repo, a),
  });
  return {
    repository: (args: { owner: string; name: string }) => {
      const repo = core.state.repo(args.owner, args.name, false);
      if (!repo || !canRead(repo.owner, repo.name)) throw gqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      return repositoryObject(repo);
    },
    // An owner's repository that is missing, or that the token does not reach, is null (the field is nullable).
    repositoryOwner: (args: { login: string }) => ({
      __typename: 'Organization',
      login: args.login,
      repository: (a: { name: string }) => {
        const repo = core.state.repo(args.login, a.name, false);
        return repo && canRead(repo.owner, repo.name) ? repositoryObject(repo) : null;
      },
    }),
    rateLimit: { limit: 5000, cost: 1, remaining: 4999, used: 1, resetAt: new Date(Date.now() + 3_600_000).toISOString(), nodeCount: 0 },
  };
}
